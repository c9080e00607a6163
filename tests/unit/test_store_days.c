/*
 * Unit tests for daemon/store/store-days.c: the counted days follow every
 * write, and the cache answers only while it is fresh.
 */
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
 * store_day_cached answers from the counted days only while no write has
 * touched them: an add keeps them (and counts its day), a delete does not.
 */
static void
test_store_day_cached(void **state)
{
	struct fixture	*f = *state;
	kl_day		 d26 = day_from_ymd(2026, 11, 26);
	kl_day		 d27 = day_from_ymd(2026, 11, 27);
	struct kl_error	 err = { 0 };
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries, id;
	json_t		*entry;
	bool		 logged;

	assert_false(store_day_cached(f->store, d26, &logged));
	add(f->store, "made me coffee", NULL, d26, NULL);
	assert_int_equal(store_days(f->store, &days, &ndays, &entries, &err),
	    0);
	free(days);
	assert_true(store_day_cached(f->store, d26, &logged));
	assert_true(logged);
	assert_true(store_day_cached(f->store, d27, &logged));
	assert_false(logged);
	id = add(f->store, "fixed my bike", NULL, d27, NULL);
	assert_true(store_day_cached(f->store, d27, &logged));
	assert_true(logged);
	assert_int_equal(store_entry_delete(f->store, id, NOW, &entry, &err),
	    0);
	json_decref(entry);
	assert_false(store_day_cached(f->store, d27, &logged));
}

/* Check store_days against an expected list of days and entry count. */
static void
assert_days(struct store *store, const kl_day *want, size_t nwant,
    int64_t want_entries)
{
	struct kl_error	 err = { 0 };
	kl_day		*days;
	size_t		 ndays, i;
	int64_t		 entries;

	assert_int_equal(store_days(store, &days, &ndays, &entries, &err), 0);
	assert_int_equal(ndays, nwant);
	for (i = 0; i < nwant; i++)
		assert_int_equal(days[i], want[i]);
	assert_int_equal(entries, want_entries);
	free(days);
}

/* day_counts follows add, edit of the day, delete and undo. */
static void
test_store_days(void **state)
{
	struct fixture			*f = *state;
	struct kl_error			 err = { 0 };
	struct store_entry_change	 change = { .set_day = true };
	kl_day				 d = day_from_ymd(2026, 3, 7);
	json_t				*entry;
	int64_t				 a, b, c;

	assert_days(f->store, NULL, 0, 0);
	c = add(f->store, "c", NULL, d + 5, NULL);
	a = add(f->store, "a", NULL, d, NULL);
	b = add(f->store, "b", NULL, d, NULL);
	assert_days(f->store, (kl_day[]){ d, d + 5 }, 2, 3);

	/* Moving one of two entries keeps the day; moving both empties it. */
	change.day = d + 1;
	assert_int_equal(store_entry_edit(f->store, a, &change, NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d, d + 1, d + 5 }, 3, 3);
	assert_int_equal(store_entry_edit(f->store, b, &change, NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1, d + 5 }, 2, 3);

	/* Editing text only leaves the counts alone. */
	change = (struct store_entry_change){ .text = "c2" };
	assert_int_equal(store_entry_edit(f->store, c, &change, NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1, d + 5 }, 2, 3);

	assert_int_equal(store_entry_delete(f->store, c, NOW, &entry, &err),
	    0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1 }, 1, 2);
	assert_int_equal(store_entry_delete(f->store, a, NOW, &entry, &err),
	    0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1 }, 1, 1);

	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1 }, 1, 2);
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1, d + 5 }, 2, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_day_cached),
		STORE_TEST(test_store_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
