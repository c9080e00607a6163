/*
 * Unit tests for daemon/store/store-list.c: list filters, order, limit,
 * offset and total.
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

/* List filters, order, limit, offset and total. */
static void
test_store_list(void **state)
{
	struct fixture		*f = *state;
	struct store_query	 q = { .limit = -1 };
	struct kl_error		 err = { 0 };
	json_t			*entry;
	kl_day			 d = day_from_ymd(2026, 11, 20);
	int64_t			 total;

	/* Ids 1 to 6. */
	add(f->store, "Made me Coffee", "morning", d, NULL);
	add(f->store, "cooked dinner", "evening food", d + 1, "said");
	add(f->store, "coffee in bed", "morning", d + 1, NULL);
	add(f->store, "100% patient_ok", NULL, d + 3, NULL);
	add(f->store, "walked the dog", "morning", d + 2, NULL);
	add(f->store, "deleted coffee", "morning", d + 3, NULL);
	assert_int_equal(store_entry_delete(f->store, 6, NOW, &entry, &err),
	    0);
	json_decref(entry);

	/* No filter: newest day first, newest id first within a day. */
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 2 1");
	assert_int_equal(total, 5);

	q.limit = 2;
	assert_string_equal(list_ids(f->store, &q, &total), "4 5");
	assert_int_equal(total, 5);
	q.offset = 2;
	assert_string_equal(list_ids(f->store, &q, &total), "3 2");
	assert_int_equal(total, 5);
	q.offset = 4;
	assert_string_equal(list_ids(f->store, &q, &total), "1");
	q.offset = 10;
	assert_string_equal(list_ids(f->store, &q, &total), "");
	assert_int_equal(total, 5);
	q.limit = 0;
	q.offset = 0;
	assert_string_equal(list_ids(f->store, &q, &total), "");
	assert_int_equal(total, 5);

	q = (struct store_query){ .limit = -1, .has_since = true,
	    .since = d + 1, .has_until = true, .until = d + 2 };
	assert_string_equal(list_ids(f->store, &q, &total), "5 3 2");
	assert_int_equal(total, 3);
	q.has_until = false;
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 2");
	assert_int_equal(total, 4);

	q = (struct store_query){ .limit = -1, .tag = "morning" };
	assert_string_equal(list_ids(f->store, &q, &total), "5 3 1");
	assert_int_equal(total, 3);
	q.limit = 1;
	q.offset = 1;
	assert_string_equal(list_ids(f->store, &q, &total), "3");
	assert_int_equal(total, 3);

	q = (struct store_query){ .limit = -1, .grep = "COFFEE" };
	assert_string_equal(list_ids(f->store, &q, &total), "3 1");
	assert_int_equal(total, 2);
	q.grep = "  bed\tcoffee ";
	assert_string_equal(list_ids(f->store, &q, &total), "3");
	q.grep = "coffee dinner";
	assert_string_equal(list_ids(f->store, &q, &total), "");
	assert_int_equal(total, 0);
	q.grep = "%";
	assert_string_equal(list_ids(f->store, &q, &total), "4");
	q.grep = "100_";	/* neither LIKE wildcard is one */
	assert_string_equal(list_ids(f->store, &q, &total), "");
	q.grep = "1%p";
	assert_string_equal(list_ids(f->store, &q, &total), "");
	q.grep = "t_ok";
	assert_string_equal(list_ids(f->store, &q, &total), "4");
	q.grep = "   ";
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 2 1");

	q = (struct store_query){ .limit = -1, .unthanked = true };
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 1");
	assert_int_equal(total, 4);

	/* Everything at once. */
	q = (struct store_query){ .limit = -1, .unthanked = true,
	    .tag = "morning", .grep = "coffee", .has_since = true,
	    .since = d + 1, .has_until = true, .until = d + 3 };
	assert_string_equal(list_ids(f->store, &q, &total), "3");
	assert_int_equal(total, 1);

	/* Entries in a list carry their tags. */
	q = (struct store_query){ .limit = 1, .offset = 3 };
	assert_int_equal(store_entry_list(f->store, &q, &entry, &total, &err),
	    0);
	assert_string_equal(tags_of(json_array_get(entry, 0)), "evening food");
	json_decref(entry);
}

/*
 * The number of unthanked entries comes from day_counts: it must match
 * the entries themselves through thanks, deletes, undo and moved days,
 * in every range.
 */
static void
assert_unthanked(struct store *store, kl_day d)
{
	struct store_query	 q;
	struct kl_error		 err = { 0 };
	json_t			*entries;
	int64_t			 total;
	kl_day			 since, until;

	for (since = d - 1; since <= d + 3; since++) {
		for (until = since; until <= d + 3; until++) {
			q = (struct store_query){ .limit = -1,
			    .unthanked = true, .has_since = true,
			    .since = since, .has_until = true, .until = until };
			assert_int_equal(store_entry_list(store, &q, &entries,
			    &total, &err), 0);
			assert_int_equal(total, json_array_size(entries));
			json_decref(entries);
		}
	}
	q = (struct store_query){ .limit = -1, .unthanked = true };
	assert_int_equal(store_entry_list(store, &q, &entries, &total, &err),
	    0);
	assert_int_equal(total, json_array_size(entries));
	json_decref(entries);
}

static void
test_store_list_unthanked_total(void **state)
{
	struct fixture			*f = *state;
	kl_day				 d = day_from_ymd(2026, 11, 20);
	struct store_entry_change	 change = { 0 };
	struct kl_error			 err = { 0 };
	json_t				*entry;
	int64_t				 a, b, c;

	a = add(f->store, "made tea", NULL, d, NULL);
	b = add(f->store, "fixed the bike", "bike", d + 1, "said");
	c = add(f->store, "cooked dinner", NULL, d + 2, NULL);
	add(f->store, "walked the dog", NULL, d + 2, NULL);
	assert_unthanked(f->store, d);
	assert_int_equal(store_entry_thank(f->store, a, "wrote", NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_unthanked(f->store, d);
	assert_int_equal(store_entry_delete(f->store, c, NOW, &entry, &err),
	    0);
	json_decref(entry);
	assert_unthanked(f->store, d);
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	json_decref(entry);
	assert_unthanked(f->store, d);
	change.set_day = true;
	change.day = d + 3;
	assert_int_equal(store_entry_edit(f->store, b, &change, NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_unthanked(f->store, d);
	assert_aggregates(f->path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_list),
		STORE_TEST(test_store_list_unthanked_total),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
