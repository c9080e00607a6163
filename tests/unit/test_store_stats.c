/*
 * Unit tests for daemon/store/store-stats.c and the aggregate tables it
 * reads: every kind of write, imports included, keeps them exact.
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

/* Edit the text, tags (space-separated, or NULL) and day of an entry. */
static void
edit(struct store *store, int64_t id, const char *text, const char *tags,
    kl_day day)
{
	struct store_entry_change	 change = { .text = text,
	    .tags = tags_json(tags), .set_day = day != 0, .day = day };
	struct kl_error			 err = { 0 };
	json_t				*entry;

	assert_int_equal(store_entry_edit(store, id, &change, NOW + 60,
	    &entry, &err), 0);
	json_decref(change.tags);
	json_decref(entry);
}

/* Every kind of write keeps the v2 aggregate tables exact. */
static void
test_store_aggregates(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	kl_day		 d1 = day_from_ymd(2026, 11, 20);
	kl_day		 d2 = day_from_ymd(2026, 11, 21);
	json_t		*entry, *routine;
	int64_t		 a, b, c, thanked;

	a = add(f->store, "Made me coffee!", "morning food", d1, NULL);
	b = add(f->store, "made me   coffee", "morning", d1, "said");
	c = add(f->store, "fixed the bike", NULL, d2, NULL);
	add(f->store, "...", "care", d2, "wrote");
	assert_aggregates(f->path);

	assert_int_equal(store_entry_thank(f->store, a, "showed", NOW + 30,
	    &entry, &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	edit(f->store, b, "fixed the bike", "care food", d2);
	assert_aggregates(f->path);
	edit(f->store, a, NULL, NULL, d2);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_delete(f->store, c, NOW + 90, &entry,
	    &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_undo(f->store, NOW + 120, &entry, &err),
	    0);
	json_decref(entry);
	assert_aggregates(f->path);

	/* The latest of a repeated gesture goes: the maxima step back. */
	a = add(f->store, "walked the dog", NULL, d1, "said");
	b = add(f->store, "Walked the dog", NULL, d2, NULL);
	assert_int_equal(store_entry_thank(f->store, b, "said", NOW + 150,
	    &entry, &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_delete(f->store, b, NOW + 180, &entry,
	    &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_delete(f->store, a, NOW + 190, &entry,
	    &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);

	/* care and food twice each, then "fixed the bike" (b and c). */
	assert_int_equal(store_routine(f->store, NULL, 10, &routine, &err), 0);
	assert_int_equal(json_array_size(routine), 3);
	assert_string_equal(str(json_array_get(routine, 0), "key"),
	    "tag:care");
	assert_string_equal(str(json_array_get(routine, 1), "key"),
	    "tag:food");
	assert_string_equal(str(json_array_get(routine, 2), "key"),
	    "text:fixed the bike");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(routine, 2), "count")), 2);
	json_decref(routine);
	assert_int_equal(store_thanked_count(f->store, NULL, &thanked, &err),
	    0);
	assert_int_equal(thanked, 3);

	/*
	 * An import adds its aggregates in bulk: onto existing days, routine
	 * keys and tags, with a uuid staged twice and one already stored;
	 * the triggers are back for the writes after it.
	 */
	{
		struct store_import_record	 r[5] = {
			{ .uuid = "00000000-0000-4000-8000-000000000001",
			  .day = d1, .text = "made me coffee",
			  .created_at = NOW, .updated_at = NOW,
			  .thanked_how = "said", .thanked_at = NOW + 400 },
			{ .uuid = "00000000-0000-4000-8000-000000000002",
			  .day = d2 + 1, .text = "fixed the bike",
			  .created_at = NOW, .updated_at = NOW },
			{ .uuid = "00000000-0000-4000-8000-000000000001",
			  .day = d2, .text = "staged twice",
			  .created_at = NOW, .updated_at = NOW },
			{ .uuid = "00000000-0000-4000-8000-000000000003",
			  .day = d2, .text = "a new one",
			  .created_at = NOW, .updated_at = NOW },
			{ .uuid = "00000000-0000-4000-8000-000000000003",
			  .day = d1, .text = "a new one again",
			  .created_at = NOW, .updated_at = NOW },
		};
		char	 session[UUID_STR_LEN];
		int64_t	 added, skipped;

		r[0].tags = json_pack("[ss]", "morning", "care");
		r[1].tags = json_pack("[s]", "care");
		r[2].tags = json_pack("[s]", "ignored");
		assert_int_equal(store_import_begin(f->store, NOW, session,
		    &err), 0);
		assert_int_equal(store_import_stage(f->store, session, r, 3,
		    &err), 0);
		assert_int_equal(store_import_commit(f->store, session, false,
		    &added, &skipped, &err), 0);
		assert_int_equal(added, 2);
		assert_int_equal(skipped, 1);
		assert_aggregates(f->path);
		assert_int_equal(store_import_begin(f->store, NOW, session,
		    &err), 0);
		assert_int_equal(store_import_stage(f->store, session, r, 5,
		    &err), 0);
		assert_int_equal(store_import_commit(f->store, session, false,
		    &added, &skipped, &err), 0);
		assert_int_equal(added, 1);
		assert_aggregates(f->path);
		json_decref(r[0].tags);
		json_decref(r[1].tags);
		json_decref(r[2].tags);
		add(f->store, "made me coffee", "morning", d2, "said");
		assert_aggregates(f->path);
	}
}

/* The tags as "tag:count …", in the order the store gives them. */
static const char *
tag_counts(json_t *tags)
{
	static char	 buf[512];
	json_t		*tag;
	size_t		 i, len = 0;

	buf[0] = '\0';
	json_array_foreach(tags, i, tag)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
		    "%s%s:%lld", i == 0 ? "" : " ", str(tag, "tag"),
		    (long long)json_integer_value(json_object_get(tag,
		    "count")));
	return buf;
}

/* A negative limit gives every tag; deleted entries count for none. */
static void
test_store_every_tag(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	kl_day		 d1 = day_from_ymd(2026, 11, 20);
	json_t		*tags, *entry;
	int64_t		 gone;
	char		 name[16];
	int		 i;

	assert_int_equal(store_top_tags(f->store, NULL, -1, &tags, &err), 0);
	assert_int_equal(json_array_size(tags), 0);
	json_decref(tags);
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "t%02d", i);
		add(f->store, "one of twelve", name, d1 + i, NULL);
	}
	add(f->store, "twice", "t11 hug", d1, NULL);
	gone = add(f->store, "deleted", "hug gone", d1, NULL);
	assert_int_equal(store_entry_delete(f->store, gone, NOW + 60, &entry,
	    &err), 0);
	json_decref(entry);
	assert_int_equal(store_top_tags(f->store, NULL, -1, &tags, &err), 0);
	assert_string_equal(tag_counts(tags), "t11:2 hug:1 t00:1 t01:1 t02:1 "
	    "t03:1 t04:1 t05:1 t06:1 t07:1 t08:1 t09:1 t10:1");
	json_decref(tags);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_aggregates),
		STORE_TEST(test_store_every_tag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
