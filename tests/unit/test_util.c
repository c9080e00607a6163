/* Unit tests for common/util.c: uuids, timestamps, durations, numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util.h"

/* 2026-11-27T07:41:05Z */
#define NOW ((time_t)1795765265)

#define UUIDS 1000

/* qsort comparison of UUID strings. */
static int
compare_uuid(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_uuid_generate(void **state)
{
	static char	uuids[UUIDS][UUID_STR_LEN];
	char		buf[UUID_STR_LEN + 4];
	size_t		i, j;

	(void)state;
	memset(buf, 'X', sizeof buf);
	uuid_generate(buf);
	assert_int_equal(strlen(buf), 36);
	assert_int_equal(buf[UUID_STR_LEN], 'X');
	/* The first 48 bits are the Unix time in milliseconds. */
	buf[8] = buf[13] = '\0';
	assert_true(llabs((long long)(strtoull(buf, NULL, 16) << 16 |
	    strtoull(buf + 9, NULL, 16)) / 1000 - (long long)time(NULL)) < 5);

	for (i = 0; i < UUIDS; i++) {
		char *u = uuids[i];

		uuid_generate(u);
		assert_int_equal(strlen(u), 36);
		assert_true(uuid_valid(u));
		for (j = 0; j < 36; j++) {
			if (j == 8 || j == 13 || j == 18 || j == 23)
				assert_int_equal(u[j], '-');
			else if (strchr("0123456789abcdef", u[j]) == NULL)
				fail_msg("'%s' is not lowercase hex", u);
		}
		assert_int_equal(u[14], '7');			/* version */
		assert_non_null(strchr("89ab", u[19]));		/* variant */
		/* Time-ordered: each id sorts after the one before. */
		if (i > 0 && strcmp(uuids[i - 1], u) >= 0)
			fail_msg("%s does not sort after %s", u,
			    uuids[i - 1]);
	}
	qsort(uuids, UUIDS, sizeof uuids[0], compare_uuid);
	for (i = 1; i < UUIDS; i++) {
		if (strcmp(uuids[i - 1], uuids[i]) == 0)
			fail_msg("duplicate uuid %s", uuids[i]);
	}
	/*
	 * The last 48 bits are random, drawn from a pool refilled every few
	 * dozen ids: no two ids may share them (the counter alone would keep
	 * the ids apart if the pool repeated itself).
	 */
	for (i = 0; i < UUIDS; i++)
		memmove(uuids[i], uuids[i] + 24, 13);
	qsort(uuids, UUIDS, sizeof uuids[0], compare_uuid);
	for (i = 1; i < UUIDS; i++) {
		if (strcmp(uuids[i - 1], uuids[i]) == 0)
			fail_msg("random bits repeated: %s", uuids[i]);
	}
}

static void
test_uuid_valid(void **state)
{
	static const char	*bad[] = {
		"",
		"0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c",		/* short */
		"0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4d",	/* long */
		"0b6f1c2e3d4a-4b5c-8d6e-7f8091a2b3c4d",		/* dash missing */
		"0b6f1c2e-3d4a-4b5c-8d6e_7f8091a2b3c4",
		"0b6f1c2-e3d4a-4b5c-8d6e-7f8091a2b3c4",		/* misplaced */
		"0b6f1c2g-3d4a-4b5c-8d6e-7f8091a2b3c4",		/* not hex */
		"0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c ",
		"{0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3}",
		"------------------------------------",
	};
	size_t			 i;

	(void)state;
	assert_true(uuid_valid("0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4"));
	assert_true(uuid_valid("0B6F1C2E-3D4A-4B5C-8D6E-7F8091A2B3C4"));
	assert_true(uuid_valid("00000000-0000-0000-0000-000000000000"));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (uuid_valid(bad[i]))
			fail_msg("'%s' was accepted", bad[i]);
	}
}

/* time_format_utc of t must be want, with nothing written past RFC3339_LEN. */
static void
assert_utc(time_t t, const char *want)
{
	char	buf[RFC3339_LEN + 4];

	memset(buf, 'X', sizeof buf);
	assert_ptr_equal(time_format_utc(t, buf), buf);
	assert_string_equal(buf, want);
	assert_int_equal(buf[RFC3339_LEN], 'X');
}

static void
test_time_format(void **state)
{
	(void)state;
	assert_utc(0, "1970-01-01T00:00:00Z");
	assert_utc(1795764065, "2026-11-27T07:21:05Z");
	assert_utc(NOW, "2026-11-27T07:41:05Z");
	assert_utc(-1, "1969-12-31T23:59:59Z");
	assert_utc(951782400, "2000-02-29T00:00:00Z");
	assert_utc(253402300799, "9999-12-31T23:59:59Z");
	/* Independent of the local zone. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	assert_utc(NOW, "2026-11-27T07:41:05Z");
	unsetenv("TZ");
	tzset();
}

/* time_parse_rfc3339 must read s as want. */
static void
assert_rfc3339(const char *s, time_t want)
{
	time_t	got = 4242;

	if (!time_parse_rfc3339(s, &got))
		fail_msg("'%s' was refused", s);
	if (got != want)
		fail_msg("'%s' gave %lld, want %lld", s, (long long)got,
		    (long long)want);
}

static void
test_time_parse(void **state)
{
	(void)state;
	assert_rfc3339("2026-11-27T07:41:05Z", NOW);
	assert_rfc3339("2026-11-27T09:41:05+02:00", NOW);
	assert_rfc3339("2026-11-27T02:11:05-05:30", NOW);
	assert_rfc3339("2026-11-27T07:41:05+00:00", NOW);
	assert_rfc3339("2026-11-27T07:41:05-00:00", NOW);
	/* Offsets can cross midnight. */
	assert_rfc3339("2026-11-26T23:41:05-08:00", NOW);
	assert_rfc3339("2026-11-27T21:41:05+14:00", NOW);
	/* Fractions are allowed and dropped. */
	assert_rfc3339("2026-11-27T07:41:05.123Z", NOW);
	assert_rfc3339("2026-11-27T07:41:05.999999999+02:00", NOW - 7200);
	assert_rfc3339("2026-11-27T07:41:05.0Z", NOW);
	/* RFC 3339 allows lowercase t and z. */
	assert_rfc3339("2026-11-27t07:41:05z", NOW);
	assert_rfc3339("1970-01-01T00:00:00Z", 0);
	assert_rfc3339("1969-12-31T23:59:59Z", -1);
	assert_rfc3339("2024-02-29T12:00:00Z", 1709208000);
	assert_rfc3339("2026-11-27T07:21:05Z", 1795764065);
}

static void
test_time_parse_rejects(void **state)
{
	static const char	*bad[] = {
		"",
		"junk",
		"2026-11-27",
		"2026-11-27T07:41:05",		/* no zone */
		"2026-11-27T07:41Z",
		"2026-11-27T07:41:05 Z",
		"2026-11-27T07:41:05Zjunk",
		"2026-11-27T07:41:05+02",
		"2026-11-27T07:41:05+0200",
		"2026-11-27T07:41:05+2:00",
		"2026-11-27T07:41:05+24:00",
		"2026-11-27T07:41:05+02:60",
		"2026-11-27T07:41:05.Z",
		"2026-11-27T07:41:05,5Z",
		"2026-11-27T24:00:00Z",
		"2026-11-27T07:60:00Z",
		"2026-11-27T07:41:61Z",
		"2026-11-27T7:41:05Z",
		"2026-11-27X07:41:05Z",
		"2026-02-29T00:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"26-11-27T07:41:05Z",
		" 2026-11-27T07:41:05Z",
		"2026-11-27T07:41:05Z ",
	};
	size_t			 i;
	time_t			 t;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = 4242;
		if (time_parse_rfc3339(bad[i], &t))
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(t, 4242);
	}
}

/* Formatting then parsing gives the same instant. */
static void
test_time_round_trip(void **state)
{
	char	buf[RFC3339_LEN];
	time_t	t, back;

	(void)state;
	for (t = -86400 * 365; t < (time_t)4102444800; t += 7777777) {
		assert_true(time_parse_rfc3339(time_format_utc(t, buf), &back));
		assert_int_equal(back, t);
	}
}

/* duration_parse must read s as want seconds. */
static void
assert_duration(const char *s, int64_t want)
{
	int64_t	got = -1;

	if (!duration_parse(s, &got))
		fail_msg("'%s' was refused", s);
	if (got != want)
		fail_msg("'%s' gave %lld, want %lld", s, (long long)got,
		    (long long)want);
}

static void
test_duration(void **state)
{
	static const char	*bad[] = { "", "h", "m", "1x", "-1h", "+1h",
	    "1h-", " 1h", "1h ", "1 h", "1.5h", "1H", "1hour", "h1",
	    "99999999999999999999", "99999999999999999999m", "1000001s",
	    "3661d", "100000h", "1000000d", "1d1000000d", "0x10" };
	size_t			 i;
	int64_t			 got;

	(void)state;
	assert_duration("90", 5400);		/* bare number: minutes */
	assert_duration("30m", 1800);
	assert_duration("1h", 3600);
	assert_duration("1h30m", 5400);
	assert_duration("2d", 172800);
	assert_duration("45s", 45);
	assert_duration("2h", 7200);
	assert_duration("1d2h3m4s", 93784);
	assert_duration("0", 0);
	assert_duration("0m", 0);
	assert_duration("365d", 365 * 86400);
	assert_duration("007m", 420);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		got = 4242;
		if (duration_parse(bad[i], &got))
			fail_msg("'%s' was accepted as %lld", bad[i],
			    (long long)got);
		assert_int_equal(got, 4242);
	}
}

/* parse_int64 must read s within [min, max] as want. */
static void
assert_int64(const char *s, int64_t min, int64_t max, int64_t want)
{
	int64_t	got = 4242;

	if (!parse_int64(s, min, max, &got))
		fail_msg("'%s' was refused", s);
	assert_true(got == want);
}

/* parse_int64 must refuse s and leave *out alone. */
static void
assert_int64_bad(const char *s, int64_t min, int64_t max)
{
	int64_t	got = 4242;

	if (parse_int64(s, min, max, &got))
		fail_msg("'%s' was accepted", s);
	assert_true(got == 4242);
}

static void
test_parse_int64(void **state)
{
	(void)state;
	assert_int64("0", 0, 10, 0);
	assert_int64("10", 0, 10, 10);
	assert_int64("-10", -10, 10, -10);
	assert_int64("42", INT64_MIN, INT64_MAX, 42);
	assert_int64("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	assert_int64("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	assert_int64("0007", 0, 10, 7);

	assert_int64_bad("11", 0, 10);
	assert_int64_bad("-1", 0, 10);
	assert_int64_bad("-11", -10, 10);
	assert_int64_bad("9223372036854775808", INT64_MIN, INT64_MAX);
	assert_int64_bad("-9223372036854775809", INT64_MIN, INT64_MAX);
	assert_int64_bad("99999999999999999999999", INT64_MIN, INT64_MAX);
	assert_int64_bad("", 0, 10);
	assert_int64_bad(" 5", 0, 10);
	assert_int64_bad("5 ", 0, 10);
	assert_int64_bad("\t5", 0, 10);
	assert_int64_bad("5x", 0, 10);
	assert_int64_bad("x5", 0, 10);
	assert_int64_bad("0x5", 0, 10);
	assert_int64_bad("5.0", 0, 10);
	assert_int64_bad("1e1", 0, 100);
	assert_int64_bad("-", 0, 10);
	assert_int64_bad("--5", -10, 10);
}

/* str_trim of s must give want, in place. */
static void
assert_trim(const char *s, const char *want)
{
	char	buf[64];

	strcpy(buf, s);
	assert_ptr_equal(str_trim(buf), buf);
	assert_string_equal(buf, want);
}

static void
test_str_trim(void **state)
{
	(void)state;
	assert_trim("  a b  ", "a b");
	assert_trim("abc", "abc");
	assert_trim("", "");
	assert_trim("   ", "");
	assert_trim("\t\n x\r\n", "x");
	assert_trim("\v\fx y\f\v", "x y");
	assert_trim("  leading", "leading");
	assert_trim("trailing  ", "trailing");
	assert_trim(" line one\nline two ", "line one\nline two");
	/* Only ASCII whitespace: a UTF-8 no-break space is kept. */
	assert_trim("\xc2\xa0x\xc2\xa0", "\xc2\xa0x\xc2\xa0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid_generate),
		cmocka_unit_test(test_uuid_valid),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_parse_rejects),
		cmocka_unit_test(test_time_round_trip),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_parse_int64),
		cmocka_unit_test(test_str_trim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
