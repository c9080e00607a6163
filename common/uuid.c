/* Time-ordered random uuids (RFC 9562 version 7). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "log.h"
#include "uuid.h"

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
