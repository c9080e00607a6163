/* Unit tests for common/paths.c: path rules and socket directory checks. */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "paths.h"
#include "xmalloc.h"

/* The uid that must never own our directories ("nobody"). */
#define OTHER_UID 65534

struct fixture {
	char	dir[64];
};

/* Clear every variable the path rules read. */
static void
clear_env(void)
{
	unsetenv("KINDLOG_SOCKET");
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("XDG_DATA_HOME");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("TMPDIR");
}

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	strcpy(f->dir, "/tmp/kindlog-test-paths-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	clear_env();
	/* Never the real home, even if a test forgets to set HOME. */
	setenv("HOME", f->dir, 1);
	*state = f;
	return 0;
}

/* nftw callback removing one entry. */
static int
remove_entry(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* A path under the fixture directory. Caller frees. */
static char *
under(struct fixture *f, const char *rel)
{
	return xasprintf("%s/%s", f->dir, rel);
}

/* Assert that fn's result equals want, then free it. */
static void
assert_path(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Permission bits of path (lstat), or -1. */
static int
mode_of(const char *path)
{
	struct stat	sb;

	if (lstat(path, &sb) != 0)
		return -1;
	return (int)(sb.st_mode & 07777);
}

static void
test_socket_precedence(void **state)
{
	struct fixture	*f = *state;
	char		*want;

	(void)f;
	setenv("KINDLOG_SOCKET", "/env/sock", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	setenv("TMPDIR", "/var/tmp", 1);
	/* The option wins over everything. */
	assert_path(paths_socket("/opt/sock"), "/opt/sock");
	assert_path(paths_socket("relative.sock"), "relative.sock");
	/* Then $KINDLOG_SOCKET (an empty option counts as none). */
	assert_path(paths_socket(NULL), "/env/sock");
	assert_path(paths_socket(""), "/env/sock");
	/* Then $XDG_RUNTIME_DIR. */
	unsetenv("KINDLOG_SOCKET");
	assert_path(paths_socket(NULL), "/run/user/1000/kindlog/kindlogd.sock");
	setenv("KINDLOG_SOCKET", "", 1);
	assert_path(paths_socket(NULL), "/run/user/1000/kindlog/kindlogd.sock");
	/* Then $TMPDIR with the uid. */
	unsetenv("XDG_RUNTIME_DIR");
	want = xasprintf("/var/tmp/kindlog-%ld/kindlogd.sock", (long)getuid());
	assert_path(paths_socket(NULL), want);
	free(want);
	/* A relative XDG_RUNTIME_DIR is ignored, as the XDG spec says. */
	setenv("XDG_RUNTIME_DIR", "run", 1);
	want = xasprintf("/var/tmp/kindlog-%ld/kindlogd.sock", (long)getuid());
	assert_path(paths_socket(NULL), want);
	free(want);
	/* Then /tmp. */
	unsetenv("TMPDIR");
	want = xasprintf("/tmp/kindlog-%ld/kindlogd.sock", (long)getuid());
	assert_path(paths_socket(NULL), want);
	setenv("TMPDIR", "", 1);
	assert_path(paths_socket(NULL), want);
	setenv("TMPDIR", "tmp", 1);
	assert_path(paths_socket(NULL), want);
	free(want);
}

static void
test_xdg_defaults(void **state)
{
	struct fixture	*f = *state;
	char		*want;

	want = under(f, ".local/share/kindlog");
	assert_path(paths_data_dir(), want);
	free(want);
	want = under(f, ".config/kindlog/kindlog.conf");
	assert_path(paths_config_file(), want);
	free(want);
	want = under(f, ".local/state/kindlog");
	assert_path(paths_state_dir(), want);
	free(want);
}

static void
test_xdg_set(void **state)
{
	struct fixture	*f = *state;
	char		*want;

	setenv("XDG_DATA_HOME", "/xdg/data", 1);
	setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
	setenv("XDG_STATE_HOME", "/xdg/state", 1);
	assert_path(paths_data_dir(), "/xdg/data/kindlog");
	assert_path(paths_config_file(), "/xdg/config/kindlog/kindlog.conf");
	assert_path(paths_state_dir(), "/xdg/state/kindlog");

	/* Relative or empty values are ignored: back to $HOME. */
	setenv("XDG_DATA_HOME", "data", 1);
	setenv("XDG_CONFIG_HOME", "", 1);
	setenv("XDG_STATE_HOME", "./state", 1);
	want = under(f, ".local/share/kindlog");
	assert_path(paths_data_dir(), want);
	free(want);
	want = under(f, ".config/kindlog/kindlog.conf");
	assert_path(paths_config_file(), want);
	free(want);
	want = under(f, ".local/state/kindlog");
	assert_path(paths_state_dir(), want);
	free(want);
}

static void
test_dirname(void **state)
{
	(void)state;
	assert_path(paths_dirname("/run/user/1000/kindlog/kindlogd.sock"),
	    "/run/user/1000/kindlog");
	assert_path(paths_dirname("/a"), "/");
	assert_path(paths_dirname("/"), "/");
	assert_path(paths_dirname("a/b"), "a");
	assert_path(paths_dirname("file"), ".");
	assert_path(paths_dirname(""), ".");
}

static void
test_mkdir_p(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	char		*leaf = under(f, "a/b/c"), *mid = under(f, "a/b");

	assert_int_equal(paths_mkdir_p(leaf, 0750, &err), 0);
	assert_int_equal(mode_of(leaf), 0750);
	/* Missing parents are private. */
	assert_int_equal(mode_of(mid), 0700);
	/* Again: nothing to do, still fine. */
	assert_int_equal(paths_mkdir_p(leaf, 0750, &err), 0);
	assert_int_equal(paths_mkdir_p(f->dir, 0700, &err), 0);
	free(leaf);
	free(mid);

	/* A trailing slash still gives the leaf the requested mode. */
	leaf = under(f, "x/y/");
	assert_int_equal(paths_mkdir_p(leaf, 0750, &err), 0);
	assert_int_equal(mode_of(leaf), 0750);
	free(leaf);
	leaf = under(f, "p//q");
	assert_int_equal(paths_mkdir_p(leaf, 0700, &err), 0);
	assert_int_equal(mode_of(leaf), 0700);
	free(leaf);
}

static void
test_mkdir_p_errors(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	char		*file = under(f, "file"), *below = under(f, "file/sub");
	int		 fd;

	fd = open(file, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	memset(&err, 0, sizeof err);
	assert_int_equal(paths_mkdir_p(file, 0700, &err), -1);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	assert_non_null(strstr(err.message, file));
	assert_non_null(strstr(err.message, "not a directory"));
	memset(&err, 0, sizeof err);
	assert_int_equal(paths_mkdir_p(below, 0700, &err), -1);
	assert_non_null(strstr(err.message, file));
	memset(&err, 0, sizeof err);
	assert_int_equal(paths_mkdir_p("", 0700, &err), -1);
	assert_true(strlen(err.message) > 0);
	free(file);
	free(below);
}

static void
test_secure_dir_creates(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	char		*dir = under(f, "run/kindlog");
	struct stat	 sb;

	/* The parent is missing too. */
	assert_int_equal(paths_secure_dir(dir, &err), 0);
	assert_int_equal(lstat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0700);
	assert_int_equal(sb.st_uid, getuid());
	/* An existing good directory is accepted as it is. */
	assert_int_equal(paths_secure_dir(dir, &err), 0);
	assert_int_equal(mode_of(dir), 0700);
	free(dir);

	/* A permissive umask does not leak into the mode. */
	dir = under(f, "open");
	umask(0);
	assert_int_equal(paths_secure_dir(dir, &err), 0);
	umask(022);
	assert_int_equal(mode_of(dir), 0700);
	free(dir);
}

/* paths_secure_dir must refuse dir with a message containing word. */
static void
assert_refused(const char *dir, const char *word)
{
	struct kl_error	err;

	memset(&err, 0, sizeof err);
	assert_int_equal(paths_secure_dir(dir, &err), -1);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	if (strstr(err.message, word) == NULL || strstr(err.message, dir) ==
	    NULL)
		fail_msg("message '%s' lacks '%s' or the path", err.message,
		    word);
}

static void
test_secure_dir_modes(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	char		*dir = under(f, "loose");

	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_refused(dir, "permissions");
	assert_int_equal(chmod(dir, 0770), 0);
	assert_refused(dir, "permissions");
	assert_int_equal(chmod(dir, 0701), 0);
	assert_refused(dir, "permissions");
	assert_int_equal(chmod(dir, 0710), 0);
	assert_refused(dir, "permissions");
	/* Refused means left alone, not fixed behind the user's back. */
	assert_int_equal(mode_of(dir), 0710);
	/* Owner-only bits are fine. */
	assert_int_equal(chmod(dir, 0500), 0);
	assert_int_equal(paths_secure_dir(dir, &err), 0);
	free(dir);
}

static void
test_secure_dir_not_a_dir(void **state)
{
	struct fixture	*f = *state;
	char		*real = under(f, "real"), *link = under(f, "link");
	char		*file = under(f, "file");
	struct stat	 sb;
	int		 fd;

	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, link), 0);
	assert_refused(link, "not a directory");
	/* The symlink is still there: nothing was created in its place. */
	assert_int_equal(lstat(link, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	fd = open(file, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_refused(file, "not a directory");
	free(real);
	free(link);
	free(file);
}

static void
test_secure_dir_owner(void **state)
{
	struct fixture	*f = *state;
	char		*dir = under(f, "theirs");

	if (getuid() != 0)
		skip();		/* only root can give a directory away */
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chown(dir, OTHER_UID, (gid_t)-1), 0);
	assert_refused(dir, "owned");
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_socket_precedence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_xdg_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_xdg_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirname, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdir_p, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdir_p_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_secure_dir_creates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_secure_dir_modes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_secure_dir_not_a_dir,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_secure_dir_owner, setup,
		    teardown),
	};

	umask(022);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
