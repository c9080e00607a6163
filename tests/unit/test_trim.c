/*
 * Unit tests for daemon/trim.c: after activity stops, the loop gives the
 * page cache back once, and then schedules nothing (no idle wakeups).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "day.h"
#include "kindlogd.h"
#include "store.h"
#include "trim.h"

/* 2026-11-27T07:41:05Z */
#define NOW ((time_t)1795765265)
#define ENTRIES 400

struct fixture {
	char		dir[64];
	char		path[96];
	struct kindlogd	d;
	struct trim	*trim;
};

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);
	struct kl_error	 err;

	snprintf(f->dir, sizeof f->dir, "/tmp/kindlog-trim-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/kindlog.db", f->dir);
	assert_int_equal(store_open(f->path, &f->d.store, &err), 0);
	f->d.base = event_base_new();
	assert_non_null(f->d.base);
	f->trim = trim_create(&f->d);
	*state = f;
	return 0;
}

/* The database and the files SQLite keeps beside it. */
static void
remove_database(const char *path)
{
	char	name[128];

	unlink(path);
	snprintf(name, sizeof name, "%s-wal", path);
	unlink(name);
	snprintf(name, sizeof name, "%s-shm", path);
	unlink(name);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	trim_destroy(f->trim);
	event_base_free(f->d.base);
	store_close(f->d.store);
	remove_database(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Fill the page cache: ENTRIES adds, then a read of all of them. */
static void
fill_cache(struct store *store)
{
	struct store_entry_new	 in = { .day = day_from_ymd(2026, 11, 27) };
	struct store_query	 q = { 0 };
	struct kl_error		 err;
	json_t			*entry, *entries;
	int64_t			 total;
	char			 text[96];
	int			 i;

	for (i = 0; i < ENTRIES; i++) {
		snprintf(text, sizeof text, "made me coffee, morning number %d "
		    "of a long and pleasantly uneventful autumn", i);
		in.text = text;
		assert_int_equal(store_entry_add(store, &in, NOW, &entry,
		    &err), 0);
		json_decref(entry);
	}
	q.limit = ENTRIES;
	assert_int_equal(store_entry_list(store, &q, &entries, &total, &err),
	    0);
	assert_int_equal(total, ENTRIES);
	json_decref(entries);
}

/*
 * Every kind of write and the reads that follow it, on statements the
 * trim has finalized: each is prepared again on its first use.
 */
static void
every_write_works(struct store *store)
{
	struct store_entry_new	 in = { .day = day_from_ymd(2026, 11, 28),
				    .text = "left a note on the mirror" };
	struct store_entry_change change = { .text = "left two notes" };
	struct store_query	 q = { .tag = "notes", .limit = 10 };
	struct kl_error		 err;
	json_t			*entry, *entries;
	int64_t			 id, total;

	in.tags = json_pack("[s]", "notes");
	change.tags = json_pack("[s, s]", "notes", "mirror");
	assert_int_equal(store_entry_add(store, &in, NOW, &entry, &err), 0);
	id = json_integer_value(json_object_get(entry, "id"));
	json_decref(entry);
	assert_int_equal(store_entry_edit(store, id, &change, NOW, &entry,
	    &err), 0);
	assert_string_equal(json_string_value(json_object_get(entry, "text")),
	    "left two notes");
	json_decref(entry);
	assert_int_equal(store_entry_thank(store, id, "said", NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_int_equal(store_entry_list(store, &q, &entries, &total, &err),
	    0);
	assert_int_equal(total, 1);
	json_decref(entries);
	assert_int_equal(store_entry_delete(store, id, NOW, &entry, &err), 0);
	json_decref(entry);
	assert_int_equal(store_entry_get(store, id, &entry, &err), -1);
	assert_int_equal(store_entry_undo(store, NOW, &entry, &err), 0);
	json_decref(entry);
	assert_int_equal(store_entry_get(store, id, &entry, &err), 0);
	assert_int_equal(json_array_size(json_object_get(entry, "tags")), 2);
	json_decref(entry);
	json_decref(in.tags);
	json_decref(change.tags);
}

/* Milliseconds of CLOCK_MONOTONIC. */
static long long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_trim_after_quiet(void **state)
{
	struct fixture	*f = *state;
	size_t		 full;
	long long	 start;

	fill_cache(f->d.store);
	full = store_cache_used(f->d.store);
	assert_true(full >= 64 * 1024);
	assert_false(trim_pending(f->trim));

	trim_soon(f->trim);
	assert_true(trim_pending(f->trim));
	/* Not at once: a burst of requests keeps its cache. */
	event_base_loop(f->d.base, EVLOOP_NONBLOCK);
	assert_true(trim_pending(f->trim));
	assert_int_equal(store_cache_used(f->d.store), full);

	start = now_ms();
	assert_int_equal(event_base_loop(f->d.base, EVLOOP_ONCE), 0);
	assert_true(now_ms() - start >= TRIM_DELAY_MS - 50);
	assert_false(trim_pending(f->trim));
	if (store_cache_used(f->d.store) > full / 4)
		fail_msg("the cache still holds %zu of %zu bytes",
		    store_cache_used(f->d.store), full);
	/* Once done, nothing is left to wake the loop. */
	assert_int_equal(event_base_get_num_events(f->d.base,
	    EVENT_BASE_COUNT_ADDED | EVENT_BASE_COUNT_ACTIVE), 0);
}

static void
test_trim_countdown_restarts(void **state)
{
	struct fixture	*f = *state;
	long long	 start;

	trim_soon(f->trim);
	usleep(TRIM_DELAY_MS * 1000 / 2);
	/* More activity: the countdown starts over from here. */
	start = now_ms();
	trim_soon(f->trim);
	assert_int_equal(event_base_loop(f->d.base, EVLOOP_ONCE), 0);
	assert_true(now_ms() - start >= TRIM_DELAY_MS - 50);
	assert_false(trim_pending(f->trim));
}

static void
test_trim_now_and_null(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	int64_t		 total;
	json_t		*entries;
	struct store_query q = { 0 };

	fill_cache(f->d.store);
	assert_true(store_statements_used(f->d.store) > 0);
	trim_soon(f->trim);
	trim_now(f->trim);
	assert_false(trim_pending(f->trim));
	assert_true(store_cache_used(f->d.store) < 64 * 1024);
	/* The prepared statements went too. */
	assert_int_equal(store_statements_used(f->d.store), 0);
	/* The store works as before; its pages are simply read again. */
	q.limit = 5;
	assert_int_equal(store_entry_list(f->d.store, &q, &entries, &total,
	    &err), 0);
	assert_int_equal(total, ENTRIES);
	json_decref(entries);
	every_write_works(f->d.store);
	/* Method tests have no trimmer. */
	trim_soon(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trim_after_quiet, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_trim_countdown_restarts,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_trim_now_and_null, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
