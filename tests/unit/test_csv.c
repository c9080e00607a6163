/* Unit tests for common/csv.c: RFC 4180 writing, streaming reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

/* What csv_write_record makes of fields, as a new string. */
static char *
write_record(const char *const *fields, size_t n)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(csv_write_record(f, fields, n), 0);
	fclose(f);
	return buf;
}

/* A reader over a fixed string (fmemopen keeps it). */
static FILE *
input(const char *s)
{
	FILE	*f = fmemopen((void *)s, strlen(s), "r");

	assert_non_null(f);
	return f;
}

static void
test_write_plain_and_quoted(void **state)
{
	const char *const	 fields[] = { "plain", "a,b", "say \"hi\"",
	    "two\nlines", "cr\rhere", "", "🙂 emoji" };
	char			*s = write_record(fields, 7);

	(void)state;
	assert_string_equal(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
	    "\"cr\rhere\",,🙂 emoji\r\n");
	free(s);
}

static void
test_round_trip(void **state)
{
	const char *const	 fields[] = { "x", "a,\"b\"\r\nc", "", ";;",
	    "\"", "end" };
	struct csv_reader	 r;
	struct csv_record	 rec = { 0 };
	struct kl_error		 err;
	char			*s = write_record(fields, 6);
	FILE			*f = input(s);
	size_t			 i;

	(void)state;
	csv_reader_init(&r, f);
	assert_int_equal(csv_read_record(&r, &rec, &err), 1);
	assert_int_equal(rec.n, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(rec.fields[i], fields[i]);
	assert_int_equal(csv_read_record(&r, &rec, &err), 0);
	csv_record_clear(&rec);
	fclose(f);
	free(s);
}

static void
test_lines_counted(void **state)
{
	static const char	 text[] = "\xef\xbb\xbfh1,h2\n"
	    "a,\"multi\nline\"\r\n\n"
	    "b,c";
	struct csv_reader	 r;
	struct csv_record	 rec = { 0 };
	struct kl_error		 err;
	FILE			*f = input(text);

	(void)state;
	csv_reader_init(&r, f);
	assert_int_equal(csv_read_record(&r, &rec, &err), 1);
	assert_string_equal(rec.fields[0], "h1");	/* BOM skipped */
	assert_int_equal(rec.line, 1);
	assert_int_equal(csv_read_record(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(rec.fields[1], "multi\nline");
	assert_int_equal(csv_read_record(&r, &rec, &err), 1);
	assert_int_equal(rec.line, 5);		/* blank line 4 skipped */
	assert_int_equal(rec.n, 2);
	assert_string_equal(rec.fields[1], "c");
	assert_int_equal(csv_read_record(&r, &rec, &err), 0);
	csv_record_clear(&rec);
	fclose(f);
}

/* Expect a malformed record and an error naming line. */
static void
expect_error(const char *text, const char *message)
{
	struct csv_reader	 r;
	struct csv_record	 rec = { 0 };
	struct kl_error		 err;
	FILE			*f = input(text);
	int			 rc;

	csv_reader_init(&r, f);
	while ((rc = csv_read_record(&r, &rec, &err)) == 1)
		;
	assert_int_equal(rc, -1);
	assert_string_equal(err.message, message);
	assert_int_equal(rec.n, 0);
	fclose(f);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("a,b\n\"open,c\nd\n", "line 2: quoted field never ends");
	expect_error("a,b\nx\"y,z\n", "line 2: quote inside an unquoted field");
	expect_error("a\n\"q\"x,b\n", "line 2: text after a closing quote");
	expect_error("a\rb\n", "line 1: CR without LF");
}

static void
test_empty_fields(void **state)
{
	struct csv_reader	 r;
	struct csv_record	 rec = { 0 };
	struct kl_error		 err;
	FILE			*f = input(",\"\",\n");

	(void)state;
	csv_reader_init(&r, f);
	assert_int_equal(csv_read_record(&r, &rec, &err), 1);
	assert_int_equal(rec.n, 3);
	assert_string_equal(rec.fields[0], "");
	assert_string_equal(rec.fields[1], "");
	assert_string_equal(rec.fields[2], "");
	csv_record_clear(&rec);
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_plain_and_quoted),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_lines_counted),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
