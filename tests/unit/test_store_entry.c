/*
 * Unit tests for daemon/store/store-entry.c: one entry added, read,
 * edited, thanked, deleted and restored.
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

/* add and get return the ENTRY of doc/protocol.md. */
static void
test_store_add_get(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*entry, *thanked;
	const char	*uuid;
	int64_t		 id;

	id = add(f->store, "made me coffee\nbefore my exam", "zeta alpha zeta",
	    day_from_ymd(2026, 11, 26), NULL);
	assert_int_equal(store_entry_get(f->store, id, &entry, &err), 0);
	assert_int_equal(json_object_size(entry), 8);
	assert_int_equal(json_integer_value(json_object_get(entry, "id")), id);
	uuid = str(entry, "uuid");
	assert_non_null(uuid);
	assert_true(uuid_valid(uuid));
	assert_string_equal(str(entry, "day"), "2026-11-26");
	assert_string_equal(str(entry, "text"),
	    "made me coffee\nbefore my exam");
	assert_string_equal(tags_of(entry), "alpha zeta");
	assert_string_equal(str(entry, "created_at"), "2026-11-27T07:41:05Z");
	assert_string_equal(str(entry, "updated_at"), "2026-11-27T07:41:05Z");
	assert_true(json_is_null(json_object_get(entry, "thanked")));
	json_decref(entry);

	id = add(f->store, "fixed my bike", NULL, day_from_ymd(2026, 11, 27),
	    "wrote");
	assert_int_equal(store_entry_get(f->store, id, &entry, &err), 0);
	assert_string_equal(tags_of(entry), "");
	assert_true(json_is_array(json_object_get(entry, "tags")));
	thanked = json_object_get(entry, "thanked");
	assert_string_equal(str(thanked, "at"), "2026-11-27T07:41:05Z");
	assert_string_equal(str(thanked, "how"), "wrote");
	json_decref(entry);

	assert_int_equal(store_entry_get(f->store, 99, &entry, &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no entry #99");
	assert_null(entry);
}

/*
 * The entry an add returns is built from what it stored, not read back:
 * it must equal what get reads, tags sorted bytewise and without
 * duplicates, thanked or not.
 */
static void
test_store_add_returns_stored(void **state)
{
	struct fixture		*f = *state;
	struct store_entry_new	 in = { .day = day_from_ymd(2026, 11, 26),
				    .text = "brought me soup \u00e9 \U0001F372" };
	struct kl_error		 err = { 0 };
	json_t			*added, *got;
	int			 i;

	for (i = 0; i < 3; i++) {
		in.tags = i == 2 ? NULL : json_pack("[s, s, s, s, s, s]",
		    "zeta", "\u00e9mile", "alpha", "zeta", "Zed", "\u00c9mile");
		in.thanked_how = i == 1 ? "showed" : NULL;
		assert_int_equal(store_entry_add(f->store, &in, NOW, &added,
		    &err), 0);
		assert_int_equal(store_entry_get(f->store, json_integer_value(
		    json_object_get(added, "id")), &got, &err), 0);
		if (!json_equal(added, got)) {
			char	*a = json_dumps(added, JSON_SORT_KEYS);
			char	*g = json_dumps(got, JSON_SORT_KEYS);

			fail_msg("add returned %s\nget read %s", a, g);
		}
		if (i < 2)
			assert_string_equal(tags_of(got),
			    "Zed alpha zeta \u00c9mile \u00e9mile");
		json_decref(added);
		json_decref(got);
		json_decref(in.tags);
	}
}

/* edit replaces text, the whole tag set and the day. */
static void
test_store_edit(void **state)
{
	struct fixture			*f = *state;
	struct kl_error			 err = { 0 };
	struct store_entry_change	 change = { 0 };
	json_t				*entry;
	int64_t				 id;

	id = add(f->store, "coffee", "morning", day_from_ymd(2026, 11, 27),
	    NULL);

	change.text = "coffee and toast";
	assert_int_equal(store_entry_edit(f->store, id, &change, NOW + 60,
	    &entry, &err), 0);
	assert_string_equal(str(entry, "text"), "coffee and toast");
	assert_string_equal(tags_of(entry), "morning");
	assert_string_equal(str(entry, "day"), "2026-11-27");
	assert_string_equal(str(entry, "created_at"), "2026-11-27T07:41:05Z");
	assert_string_equal(str(entry, "updated_at"), "2026-11-27T07:42:05Z");
	json_decref(entry);

	change = (struct store_entry_change){ .tags = json_pack("[s,s]",
	    "toast", "breakfast"), .set_day = true,
	    .day = day_from_ymd(2026, 11, 20) };
	assert_int_equal(store_entry_edit(f->store, id, &change, NOW, &entry,
	    &err), 0);
	assert_string_equal(str(entry, "text"), "coffee and toast");
	assert_string_equal(tags_of(entry), "breakfast toast");
	assert_string_equal(str(entry, "day"), "2026-11-20");
	json_decref(entry);
	json_decref(change.tags);

	change = (struct store_entry_change){ .tags = json_array() };
	assert_int_equal(store_entry_edit(f->store, id, &change, NOW, &entry,
	    &err), 0);
	assert_string_equal(tags_of(entry), "");
	json_decref(entry);

	assert_int_equal(store_entry_edit(f->store, id + 1, &change, NOW,
	    &entry, &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no entry #2");
	json_decref(change.tags);
}

/* thank sets thanked, and thanking again updates how and at. */
static void
test_store_thank(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*entry, *thanked;
	int64_t		 id;

	id = add(f->store, "coffee", NULL, day_from_ymd(2026, 11, 27), NULL);
	assert_int_equal(store_entry_thank(f->store, id, "said", NOW + 1,
	    &entry, &err), 0);
	thanked = json_object_get(entry, "thanked");
	assert_string_equal(str(thanked, "how"), "said");
	assert_string_equal(str(thanked, "at"), "2026-11-27T07:41:06Z");
	json_decref(entry);

	assert_int_equal(store_entry_thank(f->store, id, "showed", NOW + 2,
	    &entry, &err), 0);
	thanked = json_object_get(entry, "thanked");
	assert_string_equal(str(thanked, "how"), "showed");
	assert_string_equal(str(thanked, "at"), "2026-11-27T07:41:07Z");
	json_decref(entry);

	assert_int_equal(store_entry_thank(f->store, 77, "said", NOW, &entry,
	    &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no entry #77");
}

/* Thanking with how NULL takes it back, in the aggregates too. */
static void
test_store_unthank(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*entry, *at;
	int64_t		 a, b;

	a = add(f->store, "coffee", NULL, day_from_ymd(2026, 11, 26), NULL);
	b = add(f->store, "coffee", NULL, day_from_ymd(2026, 11, 27), NULL);
	assert_int_equal(store_entry_thank(f->store, a, "said", NOW + 1,
	    &entry, &err), 0);
	json_decref(entry);
	assert_int_equal(store_entry_thank(f->store, b, "said", NOW + 2,
	    &entry, &err), 0);
	json_decref(entry);

	assert_int_equal(store_entry_thank(f->store, b, NULL, NOW + 3,
	    &entry, &err), 0);
	assert_true(json_is_null(json_object_get(entry, "thanked")));
	json_decref(entry);
	assert_int_equal(store_routine_thanked(f->store, "text:coffee", &at,
	    &err), 0);
	assert_string_equal(json_string_value(at), "2026-11-27T07:41:06Z");
	json_decref(at);

	assert_int_equal(store_entry_thank(f->store, a, NULL, NOW + 4,
	    &entry, &err), 0);
	json_decref(entry);
	assert_int_equal(store_routine_thanked(f->store, "text:coffee", &at,
	    &err), 0);
	assert_true(json_is_null(at));
	json_decref(at);
}

/* Expect a call to have failed with not found for id. */
static void
assert_not_found(int rc, json_t **entry, struct kl_error *err, int64_t id)
{
	char	want[64];

	snprintf(want, sizeof want, "no entry #%lld", (long long)id);
	assert_int_equal(rc, -1);
	assert_null(*entry);
	assert_int_equal(err->code, KL_ERR_NOT_FOUND);
	assert_string_equal(err->message, want);
}

/* Soft delete hides an entry; undo restores the newest delete first. */
static void
test_store_delete_undo(void **state)
{
	struct fixture			*f = *state;
	struct kl_error			 err = { 0 };
	struct store_entry_change	 change = { .text = "x" };
	json_t				*entry;
	kl_day				 day = day_from_ymd(2026, 11, 27);
	int64_t				 a, b, c;

	a = add(f->store, "first", "one", day, NULL);
	b = add(f->store, "second", NULL, day, NULL);
	c = add(f->store, "third", NULL, day, NULL);

	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "nothing to undo");

	assert_int_equal(store_entry_delete(f->store, a, NOW, &entry, &err),
	    0);
	assert_string_equal(str(entry, "text"), "first");
	assert_string_equal(tags_of(entry), "one");
	json_decref(entry);
	assert_int_equal(store_entry_delete(f->store, c, NOW, &entry, &err),
	    0);
	json_decref(entry);

	/* A deleted entry is not found to get, edit, thank and delete. */
	assert_not_found(store_entry_get(f->store, a, &entry, &err), &entry,
	    &err, a);
	assert_not_found(store_entry_edit(f->store, a, &change, NOW, &entry,
	    &err), &entry, &err, a);
	assert_not_found(store_entry_thank(f->store, c, "said", NOW, &entry,
	    &err), &entry, &err, c);
	assert_not_found(store_entry_delete(f->store, c, NOW, &entry, &err),
	    &entry, &err, c);

	/* Undo: third (deleted last), then first, then nothing. */
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(entry, "id")), c);
	json_decref(entry);
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(entry, "id")), a);
	assert_string_equal(tags_of(entry), "one");
	json_decref(entry);
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), -1);
	assert_string_equal(err.message, "nothing to undo");

	/* Restored entries are back in full. */
	assert_int_equal(store_entry_get(f->store, c, &entry, &err), 0);
	assert_string_equal(str(entry, "text"), "third");
	json_decref(entry);
	(void)b;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_add_get),
		STORE_TEST(test_store_add_returns_stored),
		STORE_TEST(test_store_edit),
		STORE_TEST(test_store_thank),
		STORE_TEST(test_store_unthank),
		STORE_TEST(test_store_delete_undo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
