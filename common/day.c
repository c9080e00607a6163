/*
 * Calendar days as integers. The conversions are Howard Hinnant's
 * days_from_civil/civil_from_days: exact for the whole Gregorian range and
 * free of any time zone, which is the point of a floating date.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "day.h"
#include "strnum.h"

kl_day
day_from_ymd(int year, int month, int mday)
{
	int		 y = year - (month <= 2);
	int		 era = (y >= 0 ? y : y - 399) / 400;
	unsigned	 yoe = (unsigned)(y - era * 400);
	unsigned	 mp = (unsigned)(month + (month > 2 ? -3 : 9));
	unsigned	 doy = (153 * mp + 2) / 5 + (unsigned)mday - 1;
	unsigned	 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int)doe - 719468;
}

void
day_to_ymd(kl_day day, int *year, int *month, int *mday)
{
	int		 z = day + 719468;
	int		 era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned	 doe = (unsigned)(z - era * 146097);
	unsigned	 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned	 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned	 mp = (5 * doy + 2) / 153;
	unsigned	 d = doy - (153 * mp + 2) / 5 + 1;
	unsigned	 m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int)yoe + era * 400 + (m <= 2);
	*month = (int)m;
	*mday = (int)d;
}

int
day_weekday(kl_day day)
{
	/* 1970-01-01 was a Thursday (ISO weekday index 3). */
	int	w = (day + 3) % 7;

	return w < 0 ? w + 7 : w;
}

char *
day_format(kl_day day, char *buf)
{
	int	y, m, d;

	/* By hand: every reply formats a few days, and snprintf cost ~1,500
	 * instructions a day. */
	day_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

/* Days in a month of a year. */
static int
day_month_length(int year, int month)
{
	static const int	lengths[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int			leap;

	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (month == 2 && leap)
		return 29;
	return lengths[month - 1];
}

/* Does s look like YYYY-MM-DD, whether or not that date exists? */
static bool
day_iso_shaped(const char *s)
{
	int	i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++) {
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

bool
day_parse_iso(const char *s, kl_day *out)
{
	int	y, m, d;

	if (!day_iso_shaped(s))
		return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > day_month_length(y, m))
		return false;
	*out = day_from_ymd(y, m, d);
	return true;
}

kl_day
day_today(time_t now, int day_starts_at)
{
	struct tm	tm;
	kl_day		day;

	if (localtime_r(&now, &tm) == NULL)
		return 0;
	day = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	if (tm.tm_hour * 60 + tm.tm_min < day_starts_at)
		day--;
	return day;
}

/* Weekday names, Monday first: the only table of them in the tree. */
static const char *const day_weekday_names[7] = { "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday" };

int
day_weekday_parse(const char *s)
{
	size_t	len = strlen(s);
	int	i;

	for (i = 0; i < 7; i++) {
		if (strcasecmp(s, day_weekday_names[i]) == 0)
			return i;
		if (len == 3 && strncasecmp(s, day_weekday_names[i], 3) == 0)
			return i;
	}
	return -1;
}

const char *
day_weekday_name(int weekday)
{
	return day_weekday_names[weekday];
}

/* Parse "N days ago" / "N day ago" (any spacing, any case). */
static bool
day_parse_ago(const char *s, int64_t *n)
{
	char	number[32], unit[16], ago[16], extra[2];

	if (sscanf(s, "%31s %15s %15s %1s", number, unit, ago, extra) != 3)
		return false;
	if (strcasecmp(unit, "days") != 0 && strcasecmp(unit, "day") != 0)
		return false;
	if (strcasecmp(ago, "ago") != 0)
		return false;
	return parse_int64(number, 0, 100000, n);
}

bool
day_parse(const char *s, kl_day today, kl_day *out, const char **cause)
{
	char	buf[64];
	int64_t	n;
	int	weekday, back;

	*cause = "cannot understand day";
	if (strlen(s) >= sizeof buf)
		return false;
	strcpy(buf, s);
	str_trim(buf);
	if (strcasecmp(buf, "today") == 0) {
		*out = today;
		return true;
	}
	if (strcasecmp(buf, "yesterday") == 0) {
		*out = today - 1;
		return true;
	}
	/* A future day, understood so that it is refused as one. */
	if (strcasecmp(buf, "tomorrow") == 0) {
		*out = today + 1;
		return true;
	}
	if (day_parse_iso(buf, out))
		return true;
	if (day_iso_shaped(buf)) {
		*cause = "no such date";
		return false;
	}
	if (day_parse_ago(buf, &n)) {
		/* The years a DAY may name are day_parse_iso's, whatever way. */
		if (today - (kl_day)n < day_from_ymd(1900, 1, 1)) {
			*cause = "no day before 1900";
			return false;
		}
		*out = today - (kl_day)n;
		return true;
	}
	weekday = day_weekday_parse(buf);
	if (weekday >= 0) {
		back = (day_weekday(today) - weekday + 7) % 7;
		*out = today - (back == 0 ? 7 : back);
		return true;
	}
	return false;
}

bool
day_parse_clock(const char *s, int *minutes)
{
	int	h, m;

	if (strlen(s) != 5 || s[2] != ':' || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return false;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return false;
	*minutes = h * 60 + m;
	return true;
}
