/*
 * Unit tests for daemon/store/store.c: a new file, a read-only one, and
 * files that are not SQLite or are damaged, refused and left alone.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "store_fixture.h"

/* A new database file is created 0600, in WAL mode, and reopens. */
static void
test_store_open_create(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	struct stat	 st;
	char		*wal;
	json_t		*entry;
	int64_t		 id;

	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_false(store_readonly(f->store));

	id = add(f->store, "made me coffee", NULL, day_from_ymd(2026, 11, 27),
	    NULL);
	assert_int_equal(id, 1);
	assert_int_equal(asprintf(&wal, "%s-wal", f->path), (int)strlen(f->path)
	    + 4);
	assert_int_equal(stat(wal, &st), 0);	/* journal_mode=WAL */
	assert_int_equal(st.st_mode & 0777, 0600);
	free(wal);

	/* Reopen: the entry is there and the migration is not re-run. */
	store_close(f->store);
	assert_int_equal(store_open(f->path, &f->store, &err), 0);
	assert_int_equal(store_entry_get(f->store, 1, &entry, &err), 0);
	assert_string_equal(str(entry, "text"), "made me coffee");
	json_decref(entry);
}

/* A file that is not SQLite at all is refused and left alone. */
static void
test_store_refuse_garbage(void **state)
{
	struct fixture	*f = *state;
	char		*path;
	FILE		*fp;
	int		 i;

	assert_int_equal(asprintf(&path, "%s/garbage.db", f->dir),
	    (int)strlen(f->dir) + 11);
	fp = fopen(path, "wb");
	for (i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, fp);
	fclose(fp);
	assert_refused(path, "file is not a database");
	free(path);
}

/* A database whose schema page is damaged is refused and left alone. */
static void
test_store_refuse_corrupt(void **state)
{
	struct fixture	*f = *state;
	off_t		 offset;

	close_and_patch(f, 60, STORE_SCHEMA_VERSION);	/* unchanged */
	for (offset = 100; offset < 200; offset += 4)
		patch_header(f->path, offset, 0xffffffff);
	assert_refused(f->path, "malformed");
}

/* Checks for the read-only test; returns an exit status (0 = all passed). */
static int
readonly_checks(const char *path)
{
	struct store_entry_new	 in = { .text = "x", .day = 1 };
	struct store		*store;
	struct kl_error		 err = { 0 };
	json_t			*entry;
	kl_day			*days;
	size_t			 ndays;
	int64_t			 n;

	if (store_open(path, &store, &err) == -1) {
		fprintf(stderr, "readonly open: %s\n", err.message);
		return 10;
	}
	if (!store_readonly(store))
		return 11;
	if (store_entry_get(store, 1, &entry, &err) == -1)
		return 12;
	json_decref(entry);
	if (store_days(store, &days, &ndays, &n, &err) == -1 || n != 1)
		return 13;
	free(days);
	if (store_entry_add(store, &in, NOW, &entry, &err) != -1 ||
	    err.code != KL_ERR_STORAGE ||
	    strstr(err.message, "read-only") == NULL)
		return 14;
	if (store_entry_delete(store, 1, NOW, &entry, &err) != -1 ||
	    err.code != KL_ERR_STORAGE)
		return 15;
	store_close(store);
	return 0;
}

/*
 * Run the read-only checks on path. Tests often run as root, which
 * ignores file modes, so then they run in a child that drops to nobody,
 * for whom a 0444 file really is unwritable.
 */
static int
readonly_run(const char *path)
{
	pid_t	pid;
	int	status;

	if (geteuid() != 0)
		return readonly_checks(path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) == -1 || setuid(65534) == -1)
			_exit(99);
		if (open(path, O_RDWR) != -1 || errno != EACCES)
			_exit(98);
		_exit(readonly_checks(path));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/*
 * A database we cannot write opens read-only, in a directory we can
 * write and in one we cannot, and nothing is created or changed there.
 */
static void
test_store_readonly(void **state)
{
	struct fixture	*f = *state;
	const mode_t	 modes[] = { 01777, 0755 };
	char		*before, *after, *wal;
	size_t		 nbefore, nafter, i;
	int		 rc;

	close_and_patch(f, 60, STORE_SCHEMA_VERSION);	/* unchanged */
	assert_int_equal(chmod(f->path, 0444), 0);
	before = slurp(f->path, &nbefore);
	wal = NULL;
	assert_true(asprintf(&wal, "%s-wal", f->path) > 0);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (geteuid() != 0 && i > 0)
			break;	/* only root can give the dir away */
		assert_int_equal(chmod(f->dir, modes[i]), 0);
		print_message("directory mode %o\n", (unsigned)modes[i]);
		rc = readonly_run(f->path);
		if (rc == 99)
			skip();	/* cannot drop privileges here */
		assert_int_equal(rc, 0);
		assert_int_equal(access(wal, F_OK), -1);
	}
	after = slurp(f->path, &nafter);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	free(before);
	free(after);
	free(wal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_open_create),
		STORE_TEST(test_store_refuse_garbage),
		STORE_TEST(test_store_refuse_corrupt),
		STORE_TEST(test_store_readonly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
