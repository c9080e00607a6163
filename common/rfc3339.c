/* RFC 3339 timestamps and durations such as "1h30m". */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "rfc3339.h"

char *
time_format_utc(time_t t, char buf[RFC3339_LEN])
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(buf, "1970-01-01T00:00:00Z");
	return buf;
}

/* Read exactly n digits at *p into *value and advance *p. */
static bool
rfc3339_digits(const char **p, int n, int *value)
{
	int	v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**p))
			return false;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*value = v;
	return true;
}

bool
time_parse_rfc3339(const char *s, time_t *out)
{
	const char	*p = s;
	int		 y, mo, d, h, mi, sec, oh, om, sign;
	char		 iso[48];
	kl_day		 day;

	if (!rfc3339_digits(&p, 4, &y) || *p++ != '-' ||
	    !rfc3339_digits(&p, 2, &mo) || *p++ != '-' ||
	    !rfc3339_digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return false;
	p++;
	if (!rfc3339_digits(&p, 2, &h) || *p++ != ':' ||
	    !rfc3339_digits(&p, 2, &mi) || *p++ != ':' ||
	    !rfc3339_digits(&p, 2, &sec))
		return false;
	if (h > 23 || mi > 59 || sec > 60)
		return false;
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, mo, d);
	if (!day_parse_iso(iso, &day))
		return false;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		oh = om = 0;
		sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!rfc3339_digits(&p, 2, &oh) || *p++ != ':' ||
		    !rfc3339_digits(&p, 2, &om) || oh > 23 || om > 59)
			return false;
	} else
		return false;
	if (*p != '\0')
		return false;
	*out = (time_t)day * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	return true;
}

bool
duration_parse(const char *s, int64_t *seconds)
{
	const char	*p = s;
	int64_t		 total = 0, n, unit;
	char		*end;

	if (*p == '\0')
		return false;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return false;
		errno = 0;
		n = strtoll(p, &end, 10);
		if (errno != 0 || n > 1000000)
			return false;
		p = end;
		switch (*p) {
		case '\0':
			unit = 60;	/* a bare number is minutes */
			break;
		case 's':
			unit = 1;
			p++;
			break;
		case 'm':
			unit = 60;
			p++;
			break;
		case 'h':
			unit = 3600;
			p++;
			break;
		case 'd':
			unit = 86400;
			p++;
			break;
		default:
			return false;
		}
		total += n * unit;
		if (total > (int64_t)366 * 86400 * 10)
			return false;
	}
	*seconds = total;
	return true;
}
