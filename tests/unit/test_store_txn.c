/*
 * Unit tests for daemon/store/store-txn.c: single commits and a batch
 * survive a reopen, and a write SQLite fails is rolled back alone.
 */
#include <sys/resource.h>

#include <signal.h>
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

/*
 * Single commits and one batch of 500 adds (more WAL frames than fit in
 * one write) all read back once the database is closed and opened again.
 */
static void
test_store_commits_reopen(void **state)
{
	struct fixture		*f = *state;
	kl_day			 day = day_from_ymd(2026, 11, 27);
	struct store_query	 q = { .limit = -1 };
	struct kl_error		 err = { 0 };
	json_t			*entries;
	int64_t			 total;
	char			 text[64];
	int			 i;

	add(f->store, "warmed the car", "car", day, NULL);
	for (i = 0; i < 20; i++)
		add(f->store, "made me tea", "tea morning", day, NULL);

	store_batch_begin(f->store);
	for (i = 0; i < 500; i++) {
		snprintf(text, sizeof text, "gesture %d of a long batch", i);
		add(f->store, text, "batch", day - i % 30, NULL);
	}
	assert_int_equal(store_batch_commit(f->store, &err), 0);
	store_close(f->store);
	assert_int_equal(store_open(f->path, &f->store, &err), 0);
	assert_int_equal(store_entry_list(f->store, &q, &entries, &total,
	    &err), 0);
	assert_int_equal(total, 521);
	assert_int_equal(json_array_size(entries), 521);
	json_decref(entries);
}

/*
 * A write that fails in SQLite (here: file size limit, as when the disk
 * is full) is a storage failure, rolled back, and the store stays usable.
 */
static void
test_store_write_failure(void **state)
{
	struct fixture		*f = *state;
	struct kl_error		 err = { 0 };
	struct store_entry_new	 in = { .day = 20000 };
	struct rlimit		 old, tiny;
	json_t			*entry;
	char			*text;
	int64_t			 total;
	int			 i, rc = 0;
	struct store_query	 q = { .limit = -1 };

	text = malloc(3001);
	memset(text, 'k', 3000);
	text[3000] = '\0';
	in.text = text;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny = old;
	tiny.rlim_cur = 64 * 1024;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	for (i = 0; i < 100 && rc == 0; i++) {
		rc = store_entry_add(f->store, &in, NOW, &entry, &err);
		json_decref(entry);
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(rc, -1);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	print_message("write failure: %s\n", err.message);
	assert_non_null(strstr(err.message, "storage failure: "));

	/* No transaction was left open: the next write works. */
	assert_int_equal(store_entry_add(f->store, &in, NOW, &entry, &err), 0);
	json_decref(entry);
	list_ids(f->store, &q, &total);
	/* i - 1 adds before the failure, plus this one. */
	assert_int_equal(total, i);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_commits_reopen),
		STORE_TEST(test_store_write_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
