/*
 * Unit tests for client/import-read.c: what kindlog import makes of
 * CSV (of entries or of reflections), of kindlog's JSON array and of
 * jrnl's JSON object, record by
 * record, and the exact words of every refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "import-read.h"

/* A stream over a fixed string (fmemopen keeps a pointer to it). */
static FILE *
input(const char *s)
{
	FILE	*f = fmemopen((void *)s, strlen(s), "r");

	assert_non_null(f);
	return f;
}

/* The record as compact JSON with sorted keys, to compare as a string. */
static char *
dump(json_t *record)
{
	char	*s = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS);

	assert_non_null(s);
	return s;
}

/* Read the next record of r and check it against want (compact JSON). */
static void
expect_record(struct import_reader *r, const char *want, long want_line)
{
	struct import_error	 err;
	json_t			*record;
	long			 line = -1;
	char			*got;

	assert_int_equal(import_reader_next(r, &record, &line, &err), 1);
	got = dump(record);
	assert_string_equal(got, want);
	assert_int_equal(line, want_line);
	free(got);
	json_decref(record);
}

/* Open s in format and expect it to be refused about the whole file. */
static void
expect_open_error(const char *s, enum import_format format, const char *want)
{
	struct import_reader	 r;
	struct import_error	 err;
	FILE			*f = input(s);

	assert_int_equal(import_reader_open(&r, f, format, &err), -1);
	assert_int_equal(err.record, 0);
	assert_string_equal(err.message, want);
	import_reader_close(&r);
	fclose(f);
}

/* Read s past n good records and expect a refusal of record/line. */
static void
expect_next_error(const char *s, enum import_format format, int n,
    long long record, long line, const char *want)
{
	struct import_reader	 r;
	struct import_error	 err;
	json_t			*got;
	long			 got_line;
	FILE			*f = input(s);
	int			 i;

	assert_int_equal(import_reader_open(&r, f, format, &err), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(import_reader_next(&r, &got, &got_line, &err),
		    1);
		json_decref(got);
	}
	assert_int_equal(import_reader_next(&r, &got, &got_line, &err), -1);
	assert_null(got);
	assert_int_equal(err.record, record);
	assert_int_equal(err.line, line);
	assert_string_equal(err.message, want);
	import_reader_close(&r);
	fclose(f);
}

static void
test_csv_records(void **state)
{
	struct import_reader	 r;
	struct import_error	 err;
	json_t			*record;
	long			 line;
	FILE			*f = input(
	    "text,day,tags,thanked_how\r\n"
	    "made coffee,2026-11-20, morning ; coffee ;,\r\n"
	    "\"two\nlines\",2026-11-21,,wrote\r\n");

	(void)state;
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_CSV, &err),
	    0);
	expect_record(&r, "{\"day\":\"2026-11-20\",\"tags\":[\"morning\","
	    "\"coffee\"],\"text\":\"made coffee\"}", 2);
	assert_int_equal(r.record, 1);
	/* A record that spans lines starts on line 3; thanked_how alone. */
	expect_record(&r, "{\"day\":\"2026-11-21\",\"tags\":[],\"text\":"
	    "\"two\\nlines\",\"thanked\":{\"how\":\"wrote\"}}", 3);
	assert_int_equal(import_reader_next(&r, &record, &line, &err), 0);
	assert_int_equal(r.record, 2);
	import_reader_close(&r);
	fclose(f);
}

static void
test_csv_every_column(void **state)
{
	struct import_reader	 r;
	struct import_error	 err;
	FILE			*f;
	char			 head[256] = "";
	char			 s[512];
	size_t			 i;

	(void)state;
	/* The header export writes, from the shared column list. */
	for (i = 0; i < IMPORT_NCOLUMNS; i++) {
		strcat(head, i > 0 ? "," : "");
		strcat(head, import_columns[i]);
	}
	assert_string_equal(head, "uuid,day,text,tags,created_at,updated_at,"
	    "thanked_at,thanked_how");
	snprintf(s, sizeof s, "%s\n0190a1b2-0000-7000-8000-000000000001,"
	    "2026-11-20,hug,,2026-11-20T07:00:00Z,2026-11-20T08:00:00Z,"
	    "2026-11-21T09:00:00Z,\n", head);
	f = input(s);
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_CSV, &err),
	    0);
	/* Thanked with no way given: "said". */
	expect_record(&r, "{\"created_at\":\"2026-11-20T07:00:00Z\",\"day\":"
	    "\"2026-11-20\",\"tags\":[],\"text\":\"hug\",\"thanked\":{\"at\":"
	    "\"2026-11-21T09:00:00Z\",\"how\":\"said\"},\"updated_at\":"
	    "\"2026-11-20T08:00:00Z\",\"uuid\":"
	    "\"0190a1b2-0000-7000-8000-000000000001\"}", 2);
	import_reader_close(&r);
	fclose(f);
}

static void
test_csv_refusals(void **state)
{
	(void)state;
	expect_open_error("", IMPORT_FORMAT_CSV, "empty file, no header");
	expect_open_error("day,text,mood\n", IMPORT_FORMAT_CSV, "line 1: "
	    "unknown or repeated column 'mood' (the header must name columns "
	    "of: uuid,day,text,tags,created_at,updated_at,thanked_at,"
	    "thanked_how)");
	expect_open_error("\n\nday,day\n", IMPORT_FORMAT_CSV, "line 3: "
	    "unknown or repeated column 'day' (the header must name columns "
	    "of: uuid,day,text,tags,created_at,updated_at,thanked_at,"
	    "thanked_how)");
	expect_open_error("day,tags\n", IMPORT_FORMAT_CSV,
	    "line 1: the header needs day and text columns");
	expect_next_error("day,text\n2026-11-20,a\n2026-11-21,b,extra\n",
	    IMPORT_FORMAT_CSV, 1, 2, 3, "3 fields, the header has 2");
}

/*
 * A CSV of reflections: a header naming question or answer makes one; the
 * run of rows with the same uuid, day and created_at is one reflection,
 * numbered and placed at its first row; an empty uuid groups too.
 */
static void
test_csv_reflections(void **state)
{
	struct import_reader	 r;
	struct import_error	 err;
	json_t			*record;
	long			 line;
	char			 head[128] = "";
	size_t			 i;
	FILE			*f = input(
	    "uuid,day,created_at,question,answer\r\n"
	    "u1,2026-11-22,2026-11-22T19:00:00Z,Q1?,\"a, b\"\r\n"
	    "u1,2026-11-22,2026-11-22T19:00:00Z,Q2?,\"two\nlines\"\r\n"
	    "u2,2026-11-22,2026-11-22T20:00:00Z,Q1?,c\r\n"
	    ",2026-11-29,,Q3?,d\r\n"
	    ",2026-11-29,,Q1?,e\r\n");

	(void)state;
	for (i = 0; i < IMPORT_REFLECTION_NCOLUMNS; i++) {
		strcat(head, i > 0 ? "," : "");
		strcat(head, import_reflection_columns[i]);
	}
	assert_string_equal(head, "uuid,day,created_at,question,answer");
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_CSV, &err),
	    0);
	expect_record(&r, "{\"answers\":[{\"answer\":\"a, b\",\"question\":"
	    "\"Q1?\"},{\"answer\":\"two\\nlines\",\"question\":\"Q2?\"}],"
	    "\"created_at\":\"2026-11-22T19:00:00Z\",\"day\":\"2026-11-22\","
	    "\"uuid\":\"u1\"}", 2);
	assert_int_equal(r.record, 1);
	expect_record(&r, "{\"answers\":[{\"answer\":\"c\",\"question\":"
	    "\"Q1?\"}],\"created_at\":\"2026-11-22T20:00:00Z\",\"day\":"
	    "\"2026-11-22\",\"uuid\":\"u2\"}", 5);
	expect_record(&r, "{\"answers\":[{\"answer\":\"d\",\"question\":"
	    "\"Q3?\"},{\"answer\":\"e\",\"question\":\"Q1?\"}],\"day\":"
	    "\"2026-11-29\"}", 6);
	assert_int_equal(import_reader_next(&r, &record, &line, &err), 0);
	assert_int_equal(r.record, 3);
	import_reader_close(&r);
	fclose(f);

	expect_open_error("day,question\n", IMPORT_FORMAT_CSV,
	    "line 1: the header needs question and answer columns");
	expect_open_error("day,text,answer\n", IMPORT_FORMAT_CSV, "line 1: "
	    "unknown or repeated column 'text' (the header must name columns "
	    "of: uuid,day,created_at,question,answer)");
	/* A bad row counts against the reflection it would belong to. */
	expect_next_error("uuid,day,question,answer\nu1,2026-11-20,Q,a\n"
	    "u2,2026-11-21,Q,b\nu2,2026-11-21,Q\n", IMPORT_FORMAT_CSV, 1, 2,
	    4, "3 fields, the header has 4");
}

/* Reflections in our JSON array pass as they are, after the entries. */
static void
test_array_reflections(void **state)
{
	struct import_reader	 r;
	struct import_error	 err;
	FILE			*f = input("[{\"day\":\"2026-11-20\",\"text\":"
	    "\"a\"},\n{\"day\":\"2026-11-22\",\"answers\":[{\"question\":"
	    "\"Q?\",\"answer\":\"b\"}]}]\n");

	(void)state;
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_JSON, &err),
	    0);
	expect_record(&r, "{\"day\":\"2026-11-20\",\"text\":\"a\"}", 0);
	expect_record(&r, "{\"answers\":[{\"answer\":\"b\",\"question\":"
	    "\"Q?\"}],\"day\":\"2026-11-22\"}", 0);
	import_reader_close(&r);
	fclose(f);
}

static void
test_array_streams(void **state)
{
	struct import_reader	 r;
	struct import_error	 err;
	json_t			*record;
	long			 line;
	FILE			*f = input(" [ {\"day\":\"2026-11-20\",\"text\":"
	    "\"a\"},\n{\"text\":\"b\"} ]\n\n");

	(void)state;
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_JSON, &err),
	    0);
	expect_record(&r, "{\"day\":\"2026-11-20\",\"text\":\"a\"}", 0);
	/* One element at a time: the second is not read yet. */
	assert_int_equal(ftell(f), (long)strlen(" [ {\"day\":\"2026-11-20\","
	    "\"text\":\"a\"}"));
	expect_record(&r, "{\"text\":\"b\"}", 0);
	assert_int_equal(import_reader_next(&r, &record, &line, &err), 0);
	assert_int_equal(r.record, 2);
	assert_int_equal(import_reader_next(&r, &record, &line, &err), 0);
	import_reader_close(&r);
	fclose(f);
}

static void
test_array_empty(void **state)
{
	struct import_reader	 r;
	struct import_error	 err;
	json_t			*record;
	long			 line;
	FILE			*f = input("[]");

	(void)state;
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_JSON, &err),
	    0);
	assert_int_equal(import_reader_next(&r, &record, &line, &err), 0);
	assert_int_equal(r.record, 0);
	import_reader_close(&r);
	fclose(f);
}

static void
test_array_refusals(void **state)
{
	(void)state;
	/* Record 2 is refused after record 1 came out whole. */
	expect_next_error("[{\"text\":\"a\"}, 7]", IMPORT_FORMAT_JSON, 1, 2, 0,
	    "not an entry object");
	expect_next_error("[{\"text\":\"a\"},]", IMPORT_FORMAT_JSON, 1, 2, 0,
	    "not an entry object");
	expect_next_error("[{\"text\":\"a\"} {\"text\":\"b\"}]",
	    IMPORT_FORMAT_JSON, 1, 1, 0, "expected ',' or ']' after the record");
	expect_next_error("[{\"text\":\"a\"}", IMPORT_FORMAT_JSON, 1, 1, 0,
	    "expected ',' or ']' after the record");
	expect_next_error("[{\"text\":\"a\",\"text\":\"b\"}]",
	    IMPORT_FORMAT_JSON, 0, 1, 0,
	    "invalid JSON: duplicate object key near '\"text\"'");
	expect_next_error("[{\"text\":\"a\"}] x", IMPORT_FORMAT_JSON, 1, 0, 0,
	    "text after the closing ']'");
	expect_open_error("  hello", IMPORT_FORMAT_JSON,
	    "not JSON: expected '[' or '{'");
	expect_open_error("", IMPORT_FORMAT_JSON,
	    "not JSON: expected '[' or '{'");
}

static void
test_jrnl(void **state)
{
	struct import_reader	 r;
	struct import_error	 err;
	json_t			*a, *b;
	long			 line;
	const char		*doc = "{\"tags\": {\"@hug\": 1}, \"entries\": ["
	    "{\"title\": \"Long hug.\", \"body\": \"  at the door \\n\", "
	    "\"date\": \"2025-11-21\", \"time\": \"18:40\", "
	    "\"tags\": [\"@hug\", \"plain\"]},"
	    "{\"title\": \"Coffee.\", \"body\": \"\", \"date\": \"2025-11-22\","
	    " \"time\": \"late\"}]}";
	const char		*uuid;
	FILE			*f;

	(void)state;
	f = input(doc);
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_JSON, &err),
	    0);
	assert_int_equal(import_reader_next(&r, &a, &line, &err), 1);
	assert_string_equal(json_string_value(json_object_get(a, "text")),
	    "Long hug.\nat the door");
	assert_string_equal(json_string_value(json_object_get(a, "day")),
	    "2025-11-21");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    a, "tags"), 0)), "hug");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    a, "tags"), 1)), "plain");
	/* Local 18:40 in UTC (TZ is UTC here). */
	assert_string_equal(json_string_value(json_object_get(a,
	    "created_at")), "2025-11-21T18:40:00Z");
	/* A uuid of its own: version nibble 8, RFC 4122 variant. */
	uuid = json_string_value(json_object_get(a, "uuid"));
	assert_int_equal(strlen(uuid), 36);
	assert_int_equal(uuid[14], '8');
	assert_non_null(strchr("89ab", uuid[19]));
	/* No body: the title alone; an unreadable time: no created_at. */
	assert_int_equal(import_reader_next(&r, &b, &line, &err), 1);
	assert_string_equal(json_string_value(json_object_get(b, "text")),
	    "Coffee.");
	assert_null(json_object_get(b, "created_at"));
	assert_string_not_equal(json_string_value(json_object_get(b, "uuid")),
	    uuid);
	json_decref(b);
	assert_int_equal(import_reader_next(&r, &b, &line, &err), 0);
	assert_null(b);
	import_reader_close(&r);
	fclose(f);

	/* The same journal again gives the same uuid: a re-import adds none. */
	f = input(doc);
	assert_int_equal(import_reader_open(&r, f, IMPORT_FORMAT_JSON, &err),
	    0);
	assert_int_equal(import_reader_next(&r, &b, &line, &err), 1);
	assert_string_equal(json_string_value(json_object_get(b, "uuid")),
	    uuid);
	json_decref(b);
	json_decref(a);
	import_reader_close(&r);
	fclose(f);
}

static void
test_jrnl_refusals(void **state)
{
	(void)state;
	expect_open_error("{\"entries\": [}", IMPORT_FORMAT_JSON,
	    "line 1: invalid JSON: unexpected token near '}'");
	expect_open_error("{\"tags\": {}}", IMPORT_FORMAT_JSON, "not a kindlog "
	    "export (an array) nor a jrnl export (an object with \"entries\")");
	expect_next_error("{\"entries\": [{\"title\": \"a\", \"date\": "
	    "\"2025-01-01\"}, {\"title\": \"no date\"}]}", IMPORT_FORMAT_JSON,
	    1, 2, 0, "not a jrnl entry with a date");
}

static void
test_guess(void **state)
{
	FILE	*f;

	(void)state;
	f = input("[]");
	assert_int_equal(import_guess("export.CSV", f), IMPORT_FORMAT_CSV);
	assert_int_equal(import_guess("a.csv.json", f), IMPORT_FORMAT_JSON);
	assert_int_equal(ftell(f), 0);
	/* No extension: the first byte, which stays unread. */
	assert_int_equal(import_guess("stdin", f), IMPORT_FORMAT_JSON);
	assert_int_equal(getc(f), '[');
	fclose(f);
	f = input("\n  {\"entries\": []}");
	assert_int_equal(import_guess("journal.txt", f), IMPORT_FORMAT_JSON);
	assert_int_equal(getc(f), '{');
	fclose(f);
	f = input("day,text\n");
	assert_int_equal(import_guess("entries", f), IMPORT_FORMAT_CSV);
	assert_int_equal(getc(f), 'd');
	fclose(f);
	/* A Markdown export, by name or by its "# Kind things" heading. */
	f = input("# Kind things\n\n## 2026-11-27\n");
	assert_int_equal(import_guess("log.MD", f), IMPORT_FORMAT_MARKDOWN);
	assert_int_equal(import_guess("log", f), IMPORT_FORMAT_MARKDOWN);
	assert_int_equal(getc(f), '#');
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_records),
		cmocka_unit_test(test_csv_every_column),
		cmocka_unit_test(test_csv_refusals),
		cmocka_unit_test(test_csv_reflections),
		cmocka_unit_test(test_array_reflections),
		cmocka_unit_test(test_array_streams),
		cmocka_unit_test(test_array_empty),
		cmocka_unit_test(test_array_refusals),
		cmocka_unit_test(test_jrnl),
		cmocka_unit_test(test_jrnl_refusals),
		cmocka_unit_test(test_guess),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
