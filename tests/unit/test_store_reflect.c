/*
 * Unit tests for daemon/store/store-reflect.c and the reflections of an
 * import: stored whole and in order, listed newest first within a range,
 * paged for export, imported all or nothing with the uuid deciding, and
 * carried by a backup.
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
#include "store-test.h"
#include "store_fixture.h"

static const struct store_answer answers[] = {
	{ "Which of these did you almost not notice?",
	  "The coffee. It is there every morning." },
	{ "What might it have cost Sam to do this?",
	  "Getting up twenty minutes early,\nin the cold." },
	{ "Was it fair to expect it?", "Not really — I never asked." },
};

/* Store a reflection of the first n answers on day; return its id. */
static int64_t
reflect(struct store *store, kl_day day, size_t n, time_t now)
{
	struct kl_error	 err = { 0 };
	json_t		*r;
	int64_t		 id;

	assert_int_equal(store_reflect_add(store, day, answers, n, now, &r,
	    &err), 0);
	id = json_integer_value(json_object_get(r, "id"));
	json_decref(r);
	return id;
}

/* The ids of a list of reflections joined by spaces (static buffer). */
static const char *
ids_of(json_t *reflections)
{
	static char	 buf[256];
	json_t		*r;
	size_t		 i;
	char		 num[32];

	buf[0] = '\0';
	json_array_foreach(reflections, i, r) {
		snprintf(num, sizeof num, "%s%lld", i > 0 ? " " : "",
		    (long long)json_integer_value(json_object_get(r, "id")));
		strcat(buf, num);
	}
	return buf;
}

/* What add returns is what list reads back, answers in the order asked. */
static void
test_reflect_add_reads_back(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*added, *list, *a;
	int64_t		 total;
	size_t		 i;

	assert_int_equal(store_reflect_add(f->store, day_from_ymd(2026, 11,
	    27), answers, 3, NOW, &added, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(added, "id")), 1);
	assert_string_equal(str(added, "day"), "2026-11-27");
	assert_string_equal(str(added, "created_at"), "2026-11-27T07:41:05Z");
	assert_int_equal(strlen(str(added, "uuid")), 36);
	assert_int_equal(json_array_size(json_object_get(added, "answers")),
	    3);
	json_array_foreach(json_object_get(added, "answers"), i, a) {
		assert_string_equal(str(a, "question"), answers[i].question);
		assert_string_equal(str(a, "answer"), answers[i].answer);
	}
	assert_int_equal(store_reflect_list(f->store, NULL, -1, 0, &list,
	    &total, &err), 0);
	assert_int_equal(total, 1);
	assert_true(json_equal(json_array_get(list, 0), added));
	json_decref(list);
	json_decref(added);

	/* None: refused, and nothing stored. */
	assert_int_equal(store_reflect_add(f->store, day_from_ymd(2026, 11,
	    27), answers, 0, NOW, &added, &err), -1);
	assert_null(added);
	assert_int_equal(err.code, KL_ERR_PARAMS);
	assert_int_equal(store_reflect_list(f->store, NULL, -1, 0, &list,
	    &total, &err), 0);
	assert_int_equal(total, 1);
	json_decref(list);
}

/*
 * The newest reflection, as the summary's nudge asks for it: none at
 * first, then the latest day whatever the order they were written in,
 * and on one day the one written last; the same after the statements
 * were released.
 */
static void
test_reflect_last(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*list;
	char		 uuid[UUID_STR_LEN];
	kl_day		 day = 0;
	int64_t		 total, newest;
	bool		 found = true;

	assert_int_equal(store_reflect_last(f->store, uuid, &day, &found,
	    &err), 0);
	assert_false(found);
	reflect(f->store, day_from_ymd(2026, 11, 20), 1, NOW);
	reflect(f->store, day_from_ymd(2026, 11, 13), 2, NOW);
	newest = reflect(f->store, day_from_ymd(2026, 11, 20), 3, NOW);
	store_release_memory(f->store);
	assert_int_equal(store_reflect_last(f->store, uuid, &day, &found,
	    &err), 0);
	assert_true(found);
	assert_int_equal(day, day_from_ymd(2026, 11, 20));
	assert_int_equal(store_reflect_list(f->store, NULL, 1, 0, &list,
	    &total, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(list, 0), "id")), newest);
	assert_string_equal(uuid, str(json_array_get(list, 0), "uuid"));
	json_decref(list);
}

/* Newest day first, then newest id; range, limit and offset; total. */
static void
test_reflect_list_order_and_range(void **state)
{
	struct fixture		*f = *state;
	struct kl_error		 err = { 0 };
	struct store_range	 range = { 0 };
	kl_day			 d = day_from_ymd(2026, 11, 1);
	json_t			*list;
	int64_t			 total;

	reflect(f->store, d + 7, 1, NOW);	/* 1 */
	reflect(f->store, d, 2, NOW);		/* 2 */
	reflect(f->store, d + 14, 3, NOW);	/* 3 */
	reflect(f->store, d + 7, 1, NOW);	/* 4 */
	assert_int_equal(store_reflect_list(f->store, NULL, -1, 0, &list,
	    &total, &err), 0);
	assert_string_equal(ids_of(list), "3 4 1 2");
	assert_int_equal(total, 4);
	assert_int_equal(json_array_size(json_object_get(json_array_get(list,
	    0), "answers")), 3);
	assert_int_equal(json_array_size(json_object_get(json_array_get(list,
	    3), "answers")), 2);
	json_decref(list);

	range.has_since = range.has_until = true;
	range.since = d + 1;
	range.until = d + 7;
	assert_int_equal(store_reflect_list(f->store, &range, -1, 0, &list,
	    &total, &err), 0);
	assert_string_equal(ids_of(list), "4 1");
	assert_int_equal(total, 2);
	json_decref(list);

	assert_int_equal(store_reflect_list(f->store, NULL, 2, 1, &list,
	    &total, &err), 0);
	assert_string_equal(ids_of(list), "4 1");
	assert_int_equal(total, 4);
	json_decref(list);

	range.has_since = false;
	range.until = d;
	assert_int_equal(store_reflect_list(f->store, &range, 1, 0, &list,
	    &total, &err), 0);
	assert_string_equal(ids_of(list), "2");
	json_decref(list);
}

/* Export pages: by day then id, after the cursor, whole reflections. */
static void
test_reflect_pages(void **state)
{
	struct fixture		*f = *state;
	struct kl_error		 err = { 0 };
	struct store_cursor	 last = { 0 }, after;
	kl_day			 d = day_from_ymd(2026, 11, 1);
	json_t			*page;

	reflect(f->store, d + 2, 3, NOW);	/* 1 */
	reflect(f->store, d, 1, NOW);		/* 2 */
	reflect(f->store, d + 2, 2, NOW);	/* 3 */
	assert_int_equal(store_reflect_page(f->store, NULL, 2, 1 << 20,
	    &page, &last, &err), 0);
	assert_string_equal(ids_of(page), "2 1");
	assert_int_equal(last.day, d + 2);
	assert_int_equal(last.id, 1);
	json_decref(page);
	after = last;
	assert_int_equal(store_reflect_page(f->store, &after, 2, 1 << 20,
	    &page, &last, &err), 0);
	assert_string_equal(ids_of(page), "3");
	assert_int_equal(json_array_size(json_object_get(json_array_get(page,
	    0), "answers")), 2);
	json_decref(page);
	after = last;
	assert_int_equal(store_reflect_page(f->store, &after, 2, 1 << 20,
	    &page, &last, &err), 0);
	assert_int_equal(json_array_size(page), 0);
	json_decref(page);

	/* A tiny byte budget still gives whole reflections, one a page. */
	assert_int_equal(store_reflect_page(f->store, NULL, 10, 1, &page,
	    &last, &err), 0);
	assert_string_equal(ids_of(page), "2");
	json_decref(page);
	assert_int_equal(store_reflect_page(f->store, &last, 10, 1, &page,
	    &last, &err), 0);
	assert_string_equal(ids_of(page), "1");
	assert_int_equal(json_array_size(json_object_get(json_array_get(page,
	    0), "answers")), 3);
	json_decref(page);
}

#define UUID_A "00000000-0000-4000-8000-00000000000a"
#define UUID_B "00000000-0000-4000-8000-00000000000b"

/*
 * Reflections ride in an import session with the entries: a uuid staged
 * twice keeps the first, one already stored is skipped, the dry run
 * counts without adding, and an aborted session adds nothing.
 */
static void
test_reflect_import(void **state)
{
	struct fixture			*f = *state;
	struct kl_error			 err = { 0 };
	kl_day				 d = day_from_ymd(2025, 3, 1);
	struct store_import_reflection	 r[3] = {
		{ .uuid = UUID_A, .day = d, .created_at = NOW - 100,
		  .answers = answers, .nanswers = 3 },
		{ .uuid = UUID_B, .day = d + 1, .created_at = NOW - 50,
		  .answers = answers + 1, .nanswers = 1 },
		{ .uuid = UUID_A, .day = d + 2, .created_at = NOW,
		  .answers = answers + 2, .nanswers = 1 },
	};
	struct store_import_record	 e = { .uuid =
	    "00000000-0000-4000-8000-000000000001", .day = d,
	    .text = "made me coffee", .created_at = NOW, .updated_at = NOW };
	char				 session[UUID_STR_LEN];
	int64_t				 records, staged, fresh, added, skipped;
	int64_t				 total;
	json_t				*list, *first;

	/* An aborted session leaves nothing behind. */
	assert_int_equal(store_import_begin(f->store, NOW, session, &err), 0);
	assert_int_equal(store_import_stage_reflections(f->store, session, r,
	    3, &err), 0);
	assert_int_equal(store_import_abort(f->store, session, &err), 0);
	assert_int_equal(store_reflect_list(f->store, NULL, -1, 0, &list,
	    &total, &err), 0);
	assert_int_equal(total, 0);
	json_decref(list);

	/* One already stored (a dry run first: nothing changes). */
	assert_int_equal(store_import_begin(f->store, NOW, session, &err), 0);
	assert_int_equal(store_import_stage_reflections(f->store, session,
	    r + 1, 1, &err), 0);
	assert_int_equal(store_import_reflections(f->store, session, &staged,
	    &fresh, &err), 0);
	assert_int_equal(staged, 1);
	assert_int_equal(fresh, 1);
	assert_int_equal(store_import_commit(f->store, session, true, &added,
	    &skipped, &err), 0);
	assert_int_equal(store_reflect_list(f->store, NULL, -1, 0, &list,
	    &total, &err), 0);
	assert_int_equal(total, 0);
	json_decref(list);
	assert_int_equal(store_import_begin(f->store, NOW, session, &err), 0);
	assert_int_equal(store_import_stage_reflections(f->store, session,
	    r + 1, 1, &err), 0);
	assert_int_equal(store_import_commit(f->store, session, false, &added,
	    &skipped, &err), 0);

	/* Entries and reflections in one session. */
	assert_int_equal(store_import_begin(f->store, NOW, session, &err), 0);
	assert_int_equal(store_import_stage(f->store, session, &e, 1, &err),
	    0);
	assert_int_equal(store_import_stage_reflections(f->store, session, r,
	    3, &err), 0);
	assert_int_equal(store_import_touch(f->store, session, NOW, &records,
	    &err), 0);
	assert_int_equal(records, 4);
	assert_int_equal(store_import_reflections(f->store, session, &staged,
	    &fresh, &err), 0);
	assert_int_equal(staged, 3);
	assert_int_equal(fresh, 1);
	assert_int_equal(store_import_commit(f->store, session, false, &added,
	    &skipped, &err), 0);
	assert_int_equal(added, 1);
	assert_int_equal(skipped, 0);

	assert_int_equal(store_reflect_list(f->store, NULL, -1, 0, &list,
	    &total, &err), 0);
	assert_int_equal(total, 2);
	first = json_array_get(list, 1);	/* oldest: UUID_A's first */
	assert_string_equal(str(first, "uuid"), UUID_A);
	assert_string_equal(str(first, "day"), "2025-03-01");
	assert_string_equal(str(first, "created_at"), "2026-11-27T07:39:25Z");
	assert_int_equal(json_array_size(json_object_get(first, "answers")),
	    3);
	assert_string_equal(str(json_array_get(json_object_get(first,
	    "answers"), 1), "answer"), answers[1].answer);
	assert_string_equal(str(json_array_get(list, 0), "uuid"), UUID_B);
	json_decref(list);
	assert_aggregates(f->path);
}

/* A backup is the whole file: its reflections come along. */
static void
test_reflect_backup(void **state)
{
	struct fixture		*f = *state;
	struct kl_error		 err = { 0 };
	struct store_backup	*job;
	struct store		*copy;
	json_t			*list;
	int64_t			 total;
	char			 path[128];

	reflect(f->store, day_from_ymd(2026, 11, 22), 3, NOW);
	snprintf(path, sizeof path, "%s/backup.db", f->dir);
	job = store_backup_start(f->store, path, &err);
	assert_non_null(job);
	assert_int_equal(store_backup_step(job, -1, &err), 0);
	store_backup_free(job);
	assert_int_equal(store_open(path, &copy, &err), 0);
	assert_int_equal(store_reflect_list(copy, NULL, -1, 0, &list, &total,
	    &err), 0);
	assert_int_equal(total, 1);
	assert_string_equal(str(json_array_get(json_object_get(
	    json_array_get(list, 0), "answers"), 2), "answer"),
	    answers[2].answer);
	json_decref(list);
	store_close(copy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_reflect_add_reads_back),
		STORE_TEST(test_reflect_last),
		STORE_TEST(test_reflect_list_order_and_range),
		STORE_TEST(test_reflect_pages),
		STORE_TEST(test_reflect_import),
		STORE_TEST(test_reflect_backup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
