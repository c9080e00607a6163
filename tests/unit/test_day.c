/* Unit tests for common/day.c: calendar arithmetic, parsing, local "today". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "day.h"

/* 2026-11-27, a Friday. */
#define FRIDAY ((kl_day)20784)

/* Switch the process time zone. */
static void
set_tz(const char *zone)
{
	setenv("TZ", zone, 1);
	tzset();
}

/* The instant of a UTC civil time, computed by libc, not by day.c. */
static time_t
utc(int year, int month, int mday, int hour, int min, int sec)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = mday;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	return timegm(&tm);
}

/* The day number of a date, computed by libc. */
static kl_day
libc_day(int year, int month, int mday)
{
	return (kl_day)(utc(year, month, mday, 0, 0, 0) / 86400);
}

/* Format day as ISO into a fresh static buffer for comparisons. */
static const char *
iso(kl_day day)
{
	static char	buf[DAY_ISO_LEN];

	return day_format(day, buf);
}

static void
test_anchors(void **state)
{
	int	y, m, d;

	(void)state;
	assert_int_equal(day_from_ymd(1970, 1, 1), 0);
	assert_int_equal(day_from_ymd(1970, 1, 2), 1);
	assert_int_equal(day_from_ymd(1969, 12, 31), -1);
	assert_int_equal(day_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(day_from_ymd(2000, 2, 29), 11016);
	assert_int_equal(day_from_ymd(2026, 11, 27), 20784);
	assert_int_equal(day_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(day_from_ymd(2100, 12, 31), 47846);

	day_to_ymd(20784, &y, &m, &d);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 11);
	assert_int_equal(d, 27);
	day_to_ymd(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	day_to_ymd(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

/* Every day from 1900 to 2100: consecutive numbers, libc agrees, round trip. */
static void
test_round_trip_every_day(void **state)
{
	static const int	lengths[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	kl_day			expect = day_from_ymd(1900, 1, 1);
	int			year, month, mday, len, y, m, d, count = 0;

	(void)state;
	assert_int_equal(expect, libc_day(1900, 1, 1));
	for (year = 1900; year <= 2100; year++) {
		for (month = 1; month <= 12; month++) {
			len = lengths[month - 1];
			if (month == 2 && ((year % 4 == 0 && year % 100 != 0) ||
			    year % 400 == 0))
				len = 29;
			for (mday = 1; mday <= len; mday++) {
				kl_day day = day_from_ymd(year, month, mday);

				assert_int_equal(day, expect);
				assert_int_equal(day, libc_day(year, month,
				    mday));
				day_to_ymd(day, &y, &m, &d);
				assert_int_equal(y, year);
				assert_int_equal(m, month);
				assert_int_equal(d, mday);
				expect++;
				count++;
			}
		}
	}
	/* 201 years, 49 of them leap (1900 and 2100 are not). */
	assert_int_equal(count, 201 * 365 + 49);
}

static void
test_weekday(void **state)
{
	struct tm	tm;
	time_t		t;
	kl_day		day;

	(void)state;
	assert_int_equal(day_weekday(0), 3);		/* Thursday */
	assert_int_equal(day_weekday(FRIDAY), 4);	/* Friday */
	assert_int_equal(day_weekday(FRIDAY + 2), 6);	/* Sunday */
	assert_int_equal(day_weekday(FRIDAY + 3), 0);	/* Monday */
	assert_int_equal(day_weekday(-1), 2);		/* Wednesday */
	assert_int_equal(day_weekday(-3), 0);		/* Monday */
	assert_int_equal(day_weekday(-4), 6);		/* Sunday */
	assert_int_equal(day_weekday(day_from_ymd(1900, 1, 1)), 0);

	/* Against libc's tm_wday (0 = Sunday) over many years. */
	for (day = -30000; day < 50000; day += 13) {
		t = (time_t)day * 86400;
		assert_non_null(gmtime_r(&t, &tm));
		assert_int_equal(day_weekday(day), (tm.tm_wday + 6) % 7);
	}
}

static void
test_format(void **state)
{
	char	buf[DAY_ISO_LEN + 4];

	(void)state;
	memset(buf, 'X', sizeof buf);
	assert_ptr_equal(day_format(FRIDAY, buf), buf);
	assert_string_equal(buf, "2026-11-27");
	assert_int_equal(buf[DAY_ISO_LEN], 'X');	/* nothing past the NUL */
	assert_string_equal(iso(0), "1970-01-01");
	assert_string_equal(iso(-1), "1969-12-31");
	assert_string_equal(iso(day_from_ymd(1900, 1, 1)), "1900-01-01");
	assert_string_equal(iso(day_from_ymd(9999, 12, 31)), "9999-12-31");
	assert_string_equal(iso(day_from_ymd(2024, 2, 29)), "2024-02-29");
	assert_string_equal(iso(day_from_ymd(600, 3, 4)), "0600-03-04");
}

/* day_parse_iso must accept s and yield the given date. */
static void
assert_iso_ok(const char *s, int y, int m, int d)
{
	kl_day	out = -999999;

	if (!day_parse_iso(s, &out))
		fail_msg("'%s' was refused", s);
	assert_int_equal(out, libc_day(y, m, d));
}

/* day_parse_iso must refuse s and leave *out alone. */
static void
assert_iso_bad(const char *s)
{
	kl_day	out = 12345;

	if (day_parse_iso(s, &out))
		fail_msg("'%s' was accepted", s);
	assert_int_equal(out, 12345);
}

static void
test_parse_iso(void **state)
{
	(void)state;
	assert_iso_ok("2026-11-27", 2026, 11, 27);
	assert_iso_ok("2024-02-29", 2024, 2, 29);
	assert_iso_ok("2000-02-29", 2000, 2, 29);
	assert_iso_ok("1900-01-01", 1900, 1, 1);
	assert_iso_ok("9999-12-31", 9999, 12, 31);
	assert_iso_ok("2026-04-30", 2026, 4, 30);
	assert_iso_ok("2026-12-31", 2026, 12, 31);

	assert_iso_bad("2026-02-29");
	assert_iso_bad("1900-02-29");
	assert_iso_bad("2100-02-29");
	assert_iso_bad("2026-04-31");
	assert_iso_bad("2026-13-01");
	assert_iso_bad("2026-00-10");
	assert_iso_bad("2026-01-00");
	assert_iso_bad("2026-01-32");
	assert_iso_bad("1899-12-31");
	assert_iso_bad("0000-01-01");
	assert_iso_bad("2026-1-05");
	assert_iso_bad("2026-01-5");
	assert_iso_bad("26-01-05");
	assert_iso_bad("2026-01-05x");
	assert_iso_bad("2026-01-05 ");
	assert_iso_bad(" 2026-01-05");
	assert_iso_bad("2026/01/05");
	assert_iso_bad("2026-01-05T00:00");
	assert_iso_bad("+026-01-05");
	assert_iso_bad("2026-+1-05");
	assert_iso_bad("2026--1-05");
	assert_iso_bad("20261105xx");
	assert_iso_bad("");
	assert_iso_bad("today");
}

static void
test_today_utc(void **state)
{
	time_t	t = utc(2026, 11, 27, 7, 41, 5);

	(void)state;
	set_tz("UTC");
	assert_int_equal(day_today(t, 0), FRIDAY);
	assert_int_equal(day_today(utc(2026, 11, 27, 0, 0, 0), 0), FRIDAY);
	assert_int_equal(day_today(utc(2026, 11, 26, 23, 59, 59), 0),
	    FRIDAY - 1);
	assert_int_equal(day_today(0, 0), 0);
	/* With 03:00 as the start of the day. */
	assert_int_equal(day_today(utc(2026, 11, 27, 2, 59, 59), 180),
	    FRIDAY - 1);
	assert_int_equal(day_today(utc(2026, 11, 27, 3, 0, 0), 180), FRIDAY);
}

static void
test_today_day_starts_at(void **state)
{
	(void)state;
	set_tz("America/New_York");	/* EST, UTC-5, in late November */
	/* 01:30 local with the day starting at 03:00: still the 26th. */
	assert_int_equal(day_today(utc(2026, 11, 27, 6, 30, 0), 180),
	    FRIDAY - 1);
	/* 02:59 local: still the 26th. */
	assert_int_equal(day_today(utc(2026, 11, 27, 7, 59, 0), 180),
	    FRIDAY - 1);
	/* 03:00 local: the 27th. */
	assert_int_equal(day_today(utc(2026, 11, 27, 8, 0, 0), 180), FRIDAY);
	/* 01:30 local with midnight as the start: the 27th. */
	assert_int_equal(day_today(utc(2026, 11, 27, 6, 30, 0), 0), FRIDAY);
	/* 23:59 local on the 27th is 04:59 UTC on the 28th. */
	assert_int_equal(day_today(utc(2026, 11, 28, 4, 59, 0), 0), FRIDAY);
	assert_int_equal(day_today(utc(2026, 11, 28, 5, 0, 0), 0), FRIDAY + 1);
	/* The same instant is already the 28th in UTC. */
	set_tz("UTC");
	assert_int_equal(day_today(utc(2026, 11, 28, 4, 59, 0), 0), FRIDAY + 1);
	/* Far east: 2026-11-27 10:00 UTC is 00:00 on the 28th at UTC+14. */
	set_tz("Pacific/Kiritimati");
	assert_int_equal(day_today(utc(2026, 11, 27, 9, 59, 59), 0), FRIDAY);
	assert_int_equal(day_today(utc(2026, 11, 27, 10, 0, 0), 0), FRIDAY + 1);
}

static void
test_today_dst_new_york(void **state)
{
	kl_day	mar8 = day_from_ymd(2026, 3, 8);
	kl_day	nov1 = day_from_ymd(2026, 11, 1);

	(void)state;
	set_tz("America/New_York");

	/* Spring forward: 02:00 EST (07:00 UTC) becomes 03:00 EDT. */
	assert_int_equal(day_today(utc(2026, 3, 8, 4, 59, 59), 0), mar8 - 1);
	assert_int_equal(day_today(utc(2026, 3, 8, 5, 0, 0), 0), mar8);
	assert_int_equal(day_today(utc(2026, 3, 8, 6, 59, 59), 0), mar8);
	assert_int_equal(day_today(utc(2026, 3, 8, 7, 0, 0), 0), mar8);
	/* The next midnight is EDT: 04:00 UTC. */
	assert_int_equal(day_today(utc(2026, 3, 9, 3, 59, 59), 0), mar8);
	assert_int_equal(day_today(utc(2026, 3, 9, 4, 0, 0), 0), mar8 + 1);
	/* Day starting at 03:00: 01:59:59 EST is the 7th, 03:00 EDT the 8th. */
	assert_int_equal(day_today(utc(2026, 3, 8, 6, 59, 59), 180), mar8 - 1);
	assert_int_equal(day_today(utc(2026, 3, 8, 7, 0, 0), 180), mar8);
	/* Day starting at 02:30, a time that does not exist that night. */
	assert_int_equal(day_today(utc(2026, 3, 8, 6, 59, 59), 150), mar8 - 1);
	assert_int_equal(day_today(utc(2026, 3, 8, 7, 0, 0), 150), mar8);

	/* Fall back: 02:00 EDT (06:00 UTC) becomes 01:00 EST. */
	assert_int_equal(day_today(utc(2026, 11, 1, 3, 59, 59), 0), nov1 - 1);
	assert_int_equal(day_today(utc(2026, 11, 1, 4, 0, 0), 0), nov1);
	/* 01:30 happens twice; both times it is the 1st. */
	assert_int_equal(day_today(utc(2026, 11, 1, 5, 30, 0), 0), nov1);
	assert_int_equal(day_today(utc(2026, 11, 1, 6, 30, 0), 0), nov1);
	/* ... and both belong to the 31st when days start at 02:00. */
	assert_int_equal(day_today(utc(2026, 11, 1, 5, 30, 0), 120), nov1 - 1);
	assert_int_equal(day_today(utc(2026, 11, 1, 6, 30, 0), 120), nov1 - 1);
	assert_int_equal(day_today(utc(2026, 11, 1, 7, 0, 0), 120), nov1);
	/* The next midnight is EST: 05:00 UTC. */
	assert_int_equal(day_today(utc(2026, 11, 2, 4, 59, 59), 0), nov1);
	assert_int_equal(day_today(utc(2026, 11, 2, 5, 0, 0), 0), nov1 + 1);
}

static void
test_today_dst_berlin(void **state)
{
	kl_day	mar29 = day_from_ymd(2026, 3, 29);
	kl_day	oct25 = day_from_ymd(2026, 10, 25);

	(void)state;
	set_tz("Europe/Berlin");
	/* Midnight CET is 23:00 UTC the day before. */
	assert_int_equal(day_today(utc(2026, 3, 28, 22, 59, 59), 0), mar29 - 1);
	assert_int_equal(day_today(utc(2026, 3, 28, 23, 0, 0), 0), mar29);
	/* 02:00 CET (01:00 UTC) becomes 03:00 CEST. */
	assert_int_equal(day_today(utc(2026, 3, 29, 0, 59, 59), 180),
	    mar29 - 1);
	assert_int_equal(day_today(utc(2026, 3, 29, 1, 0, 0), 180), mar29);
	/* Midnight CEST is 22:00 UTC. */
	assert_int_equal(day_today(utc(2026, 3, 29, 21, 59, 59), 0), mar29);
	assert_int_equal(day_today(utc(2026, 3, 29, 22, 0, 0), 0), mar29 + 1);

	/* Autumn: midnight CEST, then 03:00 CEST becomes 02:00 CET. */
	assert_int_equal(day_today(utc(2026, 10, 24, 21, 59, 59), 0),
	    oct25 - 1);
	assert_int_equal(day_today(utc(2026, 10, 24, 22, 0, 0), 0), oct25);
	/* 02:30 happens twice; with days starting at 03:00 both are the 24th. */
	assert_int_equal(day_today(utc(2026, 10, 25, 0, 30, 0), 180),
	    oct25 - 1);
	assert_int_equal(day_today(utc(2026, 10, 25, 1, 30, 0), 180),
	    oct25 - 1);
	assert_int_equal(day_today(utc(2026, 10, 25, 2, 0, 0), 180), oct25);
	/* The next midnight is CET: 23:00 UTC. */
	assert_int_equal(day_today(utc(2026, 10, 25, 22, 59, 59), 0), oct25);
	assert_int_equal(day_today(utc(2026, 10, 25, 23, 0, 0), 0), oct25 + 1);
}

/* day_parse must resolve s against FRIDAY to the ISO date want. */
static void
assert_parse_ok(const char *s, const char *want)
{
	const char	*cause = NULL;
	kl_day		 out = -999999;

	if (!day_parse(s, FRIDAY, &out, &cause))
		fail_msg("'%s' was refused: %s", s, cause);
	if (strcmp(iso(out), want) != 0)
		fail_msg("'%s' gave %s, want %s", s, iso(out), want);
}

/* day_parse must refuse s with a cause and leave *out alone. */
static void
assert_parse_bad(const char *s)
{
	const char	*cause = NULL;
	kl_day		 out = 12345;

	if (day_parse(s, FRIDAY, &out, &cause))
		fail_msg("'%s' was accepted as %s", s, iso(out));
	assert_int_equal(out, 12345);
	assert_non_null(cause);
	assert_true(strlen(cause) > 0);
}

static void
test_parse_words(void **state)
{
	(void)state;
	assert_parse_ok("today", "2026-11-27");
	assert_parse_ok("TODAY", "2026-11-27");
	assert_parse_ok("yesterday", "2026-11-26");
	/* Understood, so that callers refuse it as the future day it is. */
	assert_parse_ok("tomorrow", "2026-11-28");
	assert_parse_ok("  Yesterday  ", "2026-11-26");
	assert_parse_ok("\tyesterday\n", "2026-11-26");
	assert_parse_ok("2026-11-20", "2026-11-20");
	assert_parse_ok(" 2024-02-29 ", "2024-02-29");
	/* ISO dates are taken as given, even in the future. */
	assert_parse_ok("2030-01-01", "2030-01-01");
}

static void
test_parse_ago(void **state)
{
	(void)state;
	assert_parse_ok("3 days ago", "2026-11-24");
	assert_parse_ok("1 day ago", "2026-11-26");
	assert_parse_ok("1 days ago", "2026-11-26");
	assert_parse_ok("0 days ago", "2026-11-27");
	assert_parse_ok("30 days ago", "2026-10-28");
	assert_parse_ok("365 days ago", "2025-11-27");
	assert_parse_ok("3  Days   AGO", "2026-11-24");
	assert_parse_ok("  10 days ago  ", "2026-11-17");
}

static void
test_parse_weekdays(void **state)
{
	(void)state;
	/* The most recent one strictly before Friday 2026-11-27. */
	assert_parse_ok("friday", "2026-11-20");
	assert_parse_ok("fri", "2026-11-20");
	assert_parse_ok("Friday", "2026-11-20");
	assert_parse_ok("thu", "2026-11-26");
	assert_parse_ok("thursday", "2026-11-26");
	assert_parse_ok("wednesday", "2026-11-25");
	assert_parse_ok("Wed", "2026-11-25");
	assert_parse_ok("tuesday", "2026-11-24");
	assert_parse_ok("tue", "2026-11-24");
	assert_parse_ok("monday", "2026-11-23");
	assert_parse_ok("MON", "2026-11-23");
	assert_parse_ok("sunday", "2026-11-22");
	assert_parse_ok("sun", "2026-11-22");
	assert_parse_ok("saturday", "2026-11-21");
	assert_parse_ok(" sat ", "2026-11-21");
}

static void
test_parse_weekdays_other_today(void **state)
{
	const char	*cause;
	kl_day		 out, monday = day_from_ymd(2026, 11, 23);

	(void)state;
	/* On a Monday, "monday" is a week back and "sunday" is yesterday. */
	assert_true(day_parse("monday", monday, &out, &cause));
	assert_int_equal(out, monday - 7);
	assert_true(day_parse("sunday", monday, &out, &cause));
	assert_int_equal(out, monday - 1);
	assert_true(day_parse("tuesday", monday, &out, &cause));
	assert_int_equal(out, monday - 6);
	/* Relative words follow the given today, not the clock. */
	assert_true(day_parse("yesterday", monday, &out, &cause));
	assert_int_equal(out, monday - 1);
	assert_true(day_parse("2 days ago", monday, &out, &cause));
	assert_int_equal(out, monday - 2);
}

/* A date that has the shape but not the existence says so. */
static void
test_parse_no_such_date(void **state)
{
	const char	*cause = NULL;
	kl_day		 out;

	(void)state;
	assert_false(day_parse("2026-02-30", FRIDAY, &out, &cause));
	assert_string_equal(cause, "no such date");
	assert_false(day_parse("2026-13-01", FRIDAY, &out, &cause));
	assert_string_equal(cause, "no such date");
	assert_false(day_parse("someday", FRIDAY, &out, &cause));
	assert_string_equal(cause, "cannot understand day");
}

static void
test_parse_rejects(void **state)
{
	char	long_text[4096];

	(void)state;
	assert_parse_bad("");
	assert_parse_bad("   ");
	assert_parse_bad("3 days");
	assert_parse_bad("days ago");
	assert_parse_bad("3 ago");
	assert_parse_bad("-1 days ago");
	assert_parse_bad("3 weeks ago");
	assert_parse_bad("3 days ago please");
	assert_parse_bad("3days ago");
	assert_parse_bad("x days ago");
	assert_parse_bad("1.5 days ago");
	assert_parse_bad("99999999999999999999 days ago");
	/* Found by tests/fuzz (fuzz-day): 1752 is before day_parse_iso's 1900. */
	assert_parse_bad("99999 days ago");
	assert_parse_bad("2026-13-01");
	assert_parse_bad("2026-02-29");
	assert_parse_bad("2026-1-05");
	assert_parse_bad("fr");
	assert_parse_bad("frid");
	assert_parse_bad("fridays");
	assert_parse_bad("next friday");
	assert_parse_bad("yesterday yesterday");
	assert_parse_bad("to day");

	memset(long_text, 'a', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	assert_parse_bad(long_text);
	/* A long string that starts with a valid expression. */
	memcpy(long_text, "today ", 6);
	assert_parse_bad(long_text);
}

/* day_parse_clock must read s as minutes. */
static void
assert_clock(const char *s, int want)
{
	int	minutes = -1;

	if (!day_parse_clock(s, &minutes))
		fail_msg("'%s' was refused", s);
	assert_int_equal(minutes, want);
}

static void
test_parse_clock(void **state)
{
	static const char	*bad[] = { "24:00", "12:60", "99:99", "1:30",
	    "12:3", "012:30", "12:300", "12-30", "12.30", " 12:30", "12:30 ",
	    "", ":", "ab:cd", "-1:30", "+1:30", "12:+3", "1230", "12:30:00" };
	size_t			 i;
	int			 minutes;

	(void)state;
	assert_clock("00:00", 0);
	assert_clock("00:01", 1);
	assert_clock("03:00", 180);
	assert_clock("12:30", 750);
	assert_clock("20:30", 1230);
	assert_clock("23:59", 1439);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		minutes = 4242;
		if (day_parse_clock(bad[i], &minutes))
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(minutes, 4242);
	}
}

/* Weekday names parse in full or as three letters, any case, and name back. */
static void
test_weekday_names(void **state)
{
	static const char	*full[] = { "monday", "tuesday", "wednesday",
	    "thursday", "friday", "saturday", "sunday" };
	char			 abbrev[4];
	int			 i;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_string_equal(day_weekday_name(i), full[i]);
		assert_int_equal(day_weekday_parse(full[i]), i);
		snprintf(abbrev, sizeof abbrev, "%.3s", full[i]);
		assert_int_equal(day_weekday_parse(abbrev), i);
	}
	assert_int_equal(day_weekday_parse("SUN"), 6);
	assert_int_equal(day_weekday_parse("Wednesday"), 2);
	assert_int_equal(day_weekday_parse("mo"), -1);
	assert_int_equal(day_weekday_parse("mond"), -1);
	assert_int_equal(day_weekday_parse("sundays"), -1);
	assert_int_equal(day_weekday_parse(""), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_round_trip_every_day),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_weekday_names),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse_iso),
		cmocka_unit_test(test_today_utc),
		cmocka_unit_test(test_today_day_starts_at),
		cmocka_unit_test(test_today_dst_new_york),
		cmocka_unit_test(test_today_dst_berlin),
		cmocka_unit_test(test_parse_words),
		cmocka_unit_test(test_parse_ago),
		cmocka_unit_test(test_parse_weekdays),
		cmocka_unit_test(test_parse_weekdays_other_today),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_no_such_date),
		cmocka_unit_test(test_parse_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
