/* Unit tests for common/rfc3339.c: timestamps and durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "rfc3339.h"

/* 2026-11-27T07:41:05Z */
#define NOW ((time_t)1795765265)

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_parse_rejects),
		cmocka_unit_test(test_time_round_trip),
		cmocka_unit_test(test_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
