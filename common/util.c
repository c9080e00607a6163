/* Small helpers: uuids, timestamps, durations, numbers, trimming. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "day.h"
#include "log.h"
#include "util.h"

/* Fill b with n bytes from getrandom(). */
static void
uuid_getrandom(unsigned char *b, size_t n)
{
	size_t	got = 0;
	ssize_t	r;

	while (got < n) {
		r = getrandom(b + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			fatal("getrandom");
		got += (size_t)r;
	}
}

/*
 * Fill b with n (<= 16) random bytes, from a pool refilled 32 uuids at a
 * time: one system call per add was a tenth of the daemon's syscalls on
 * one connection. The pool is this process's own (kindlogd never forks).
 */
static void
uuid_random(unsigned char *b, size_t n)
{
	static unsigned char	pool[512];
	static size_t		left;

	if (left < n) {
		uuid_getrandom(pool, sizeof pool);
		left = sizeof pool;
	}
	memcpy(b, pool + sizeof pool - left, n);
	left -= n;
}

/* The 8-4-4-4-12 text form of b (snprintf cost more than the rest of uuid_generate). */
static void
uuid_format(const unsigned char b[16], char out[UUID_STR_LEN])
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;
	char			*o = out;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 0x0f];
	}
	*o = '\0';
}

/*
 * RFC 9562 version 7: the Unix time in milliseconds, then random bits.
 * Time-ordered ids keep the uuid index append-only, so an insert dirties
 * one leaf page instead of a random one. Within one millisecond the
 * 12-bit rand_a field is a counter (RFC 9562 6.2, method 1) so ids made
 * by this process keep increasing; not thread-safe (the daemon's loop is
 * the only caller).
 */
void
uuid_generate(char out[UUID_STR_LEN])
{
	static uint64_t	last_ms;
	static unsigned	counter;
	struct timespec	ts;
	unsigned char	b[16];
	uint64_t	ms;

	uuid_random(b, sizeof b);
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	if (ms > last_ms) {
		last_ms = ms;
		counter = (unsigned)(b[6] & 0x07) << 8 | b[7];	/* room to count */
	} else if (++counter > 0xfff) {
		last_ms++;		/* counter spent: borrow the next ms */
		counter = 0;
	}
	ms = last_ms;
	b[0] = (unsigned char)(ms >> 40);
	b[1] = (unsigned char)(ms >> 32);
	b[2] = (unsigned char)(ms >> 24);
	b[3] = (unsigned char)(ms >> 16);
	b[4] = (unsigned char)(ms >> 8);
	b[5] = (unsigned char)ms;
	b[6] = (unsigned char)(0x70 | counter >> 8);	/* version 7 */
	b[7] = (unsigned char)counter;
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 9562 variant */
	uuid_format(b, out);
}

bool
uuid_valid(const char *s)
{
	size_t	i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}

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
util_digits(const char **p, int n, int *value)
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

	if (!util_digits(&p, 4, &y) || *p++ != '-' ||
	    !util_digits(&p, 2, &mo) || *p++ != '-' ||
	    !util_digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' '))
		return false;
	p++;
	if (!util_digits(&p, 2, &h) || *p++ != ':' ||
	    !util_digits(&p, 2, &mi) || *p++ != ':' ||
	    !util_digits(&p, 2, &sec))
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
		if (!util_digits(&p, 2, &oh) || *p++ != ':' ||
		    !util_digits(&p, 2, &om) || oh > 23 || om > 59)
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

bool
parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char		*end;
	long long	 v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

char *
str_trim(char *s)
{
	size_t	start = 0, len = strlen(s);

	while (start < len && isspace((unsigned char)s[start]))
		start++;
	while (len > start && isspace((unsigned char)s[len - 1]))
		len--;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
	return s;
}
