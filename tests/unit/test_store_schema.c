/*
 * Unit tests for daemon/store/store-schema.c: a newer schema and another
 * application's file are refused and left alone; a version 1 database
 * migrates with exact aggregates; a database of every older version
 * migrates to the current one, keeping its entries and taking
 * reflections.
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

/* A schema newer than ours is refused and left alone. */
static void
test_store_refuse_newer(void **state)
{
	struct fixture	*f = *state;

	char		 message[128];

	/* Offset 60 of the header is user_version. */
	close_and_patch(f, 60, STORE_SCHEMA_VERSION + 1);
	snprintf(message, sizeof message, "database schema version %d is "
	    "newer than this kindlogd supports (%d); upgrade kindlog",
	    STORE_SCHEMA_VERSION + 1, STORE_SCHEMA_VERSION);
	assert_refused(f->path, message);
}

/* Another application's database is refused and left alone. */
static void
test_store_refuse_foreign(void **state)
{
	struct fixture	*f = *state;

	close_and_patch(f, 68, 0x12345678);	/* application_id */
	assert_refused(f->path, "not a kindlog database");
	/* Tables but neither user_version nor application_id. */
	patch_header(f->path, 68, 0);
	patch_header(f->path, 60, 0);
	assert_refused(f->path, "not a kindlog database");
}

/* A version 1 database with data migrates to v2 with exact aggregates. */
static void
test_store_migrate_v1(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*tags, *routine;
	int64_t		 thanked;
	char		*path;

	assert_int_equal(asprintf(&path, "%s/v1.db", f->dir),
	    (int)strlen(f->dir) + 6);
	assert_int_equal(store_create_version(path, 1, &err), 0);
	assert_int_equal(store_test_exec(path, "PRAGMA foreign_keys = ON;"
	    "INSERT INTO entries (uuid, day, text, created_at, updated_at,"
	    " thanked_at, thanked_how, deleted_at, deleted_seq) VALUES"
	    " ('u1', '2026-11-20', 'Made me coffee', 1, 1, 5, 'said', NULL,"
	    "  NULL),"
	    " ('u2', '2026-11-21', 'made me coffee.', 2, 2, NULL, NULL, NULL,"
	    "  NULL),"
	    " ('u3', '2026-11-21', 'made me coffee', 3, 3, 9, 'said', 4, 1),"
	    " ('u4', '2026-11-22', 'fixed the bike', 4, 4, 7, 'wrote', NULL,"
	    "  NULL);"
	    "INSERT INTO entry_tags VALUES (1, 'morning'), (2, 'morning'),"
	    " (3, 'morning'), (4, 'care');"
	    "PRAGMA user_version", &err), 0);

	store_close(f->store);
	assert_int_equal(store_open(path, &f->store, &err), 0);
	assert_aggregates(path);
	assert_int_equal(store_thanked_count(f->store, NULL, &thanked, &err),
	    0);
	assert_int_equal(thanked, 2);
	assert_int_equal(store_top_tags(f->store, NULL, 10, &tags, &err), 0);
	assert_string_equal(str(json_array_get(tags, 0), "tag"), "morning");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(tags, 0), "count")), 2);
	json_decref(tags);
	assert_int_equal(store_routine(f->store, NULL, 10, &routine, &err), 0);
	assert_int_equal(json_array_size(routine), 2);
	assert_string_equal(str(json_array_get(routine, 0), "key"),
	    "tag:morning");
	assert_string_equal(str(json_array_get(routine, 1), "key"),
	    "text:made me coffee");
	assert_string_equal(str(json_array_get(routine, 1), "last_day"),
	    "2026-11-21");
	json_decref(routine);

	/* The migrated database keeps its aggregates on new writes. */
	add(f->store, "Made me coffee", "morning", day_from_ymd(2026, 11, 23),
	    "said");
	assert_aggregates(path);
	free(path);
}

/* The schema version of the database file at path. */
static int
file_version(const char *path)
{
	struct kl_error	 err = { 0 };
	char		*text;
	int		 version;

	assert_int_equal(store_test_first(path, "PRAGMA user_version", &text,
	    &err), 0);
	assert_non_null(text);
	version = atoi(text);
	free(text);
	return version;
}

/*
 * From every older version: a database made at that version, with an
 * entry written as that version's schema wants it, opens at the current
 * version with the entry intact, and stores and lists reflections.
 */
static void
test_store_migrate_every_version(void **state)
{
	struct fixture		*f = *state;
	struct kl_error		 err = { 0 };
	struct store_answer	 answer = { "Which of these did you almost "
	    "not notice?", "The coffee, every morning." };
	json_t			*entry, *reflection, *list;
	int64_t			 total;
	char			*path, *sql;
	int			 version;

	for (version = 1; version < STORE_SCHEMA_VERSION; version++) {
		assert_true(asprintf(&path, "%s/v%d.db", f->dir, version) > 0);
		assert_int_equal(store_create_version(path, version, &err), 0);
		assert_int_equal(file_version(path), version);
		/* routine_key came with version 2. */
		assert_true(asprintf(&sql, "INSERT INTO entries (uuid, day,"
		    " text, created_at, updated_at%s) VALUES"
		    " ('u1', '2026-11-20', 'made me coffee', 1, 2%s)",
		    version >= 2 ? ", routine_key" : "",
		    version >= 2 ? ", 'made me coffee'" : "") > 0);
		assert_int_equal(store_test_exec(path, sql, &err), 0);
		free(sql);

		store_close(f->store);
		assert_int_equal(store_open(path, &f->store, &err), 0);
		assert_int_equal(file_version(path), STORE_SCHEMA_VERSION);
		assert_aggregates(path);
		assert_int_equal(store_entry_get(f->store, 1, &entry, &err), 0);
		assert_string_equal(str(entry, "uuid"), "u1");
		assert_string_equal(str(entry, "text"), "made me coffee");
		assert_string_equal(str(entry, "updated_at"),
		    "1970-01-01T00:00:02Z");
		json_decref(entry);

		assert_int_equal(store_reflect_add(f->store,
		    day_from_ymd(2026, 11, 22), &answer, 1, NOW, &reflection,
		    &err), 0);
		json_decref(reflection);
		assert_int_equal(store_reflect_list(f->store, NULL, -1, 0,
		    &list, &total, &err), 0);
		assert_int_equal(total, 1);
		assert_string_equal(str(json_array_get(json_object_get(
		    json_array_get(list, 0), "answers"), 0), "answer"),
		    "The coffee, every morning.");
		json_decref(list);
		free(path);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_refuse_newer),
		STORE_TEST(test_store_refuse_foreign),
		STORE_TEST(test_store_migrate_v1),
		STORE_TEST(test_store_migrate_every_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
