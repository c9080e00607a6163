/*
 * DAY expressions (day_parse), strict ISO dates and HH:MM clock times.
 * Beyond not crashing: an ISO date that parses formats back to the same
 * ten bytes, and every accepted day lies in the years the parser allows
 * (future days are the methods' business: they refuse them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*cause;
	char		*s, buf[DAY_ISO_LEN];
	kl_day		 today = day_from_ymd(2026, 11, 27), day;
	int		 minutes, y, m, d;

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (day_parse(s, today, &day, &cause)) {
		day_to_ymd(day, &y, &m, &d);
		if (y < 1900 || y > 9999) {
			fprintf(stderr, "fuzz: '%s' parsed to %d-%d-%d\n", s,
			    y, m, d);
			abort();
		}
	} else if (cause == NULL)
		abort();
	if (day_parse_iso(s, &day) && strcmp(day_format(day, buf), s) != 0) {
		fprintf(stderr, "fuzz: '%s' formats back as '%s'\n", s, buf);
		abort();
	}
	if (day_parse_clock(s, &minutes) && (minutes < 0 || minutes >= 1440))
		abort();
	free(s);
	return 0;
}
