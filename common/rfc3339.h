/* RFC 3339 timestamps and durations such as "1h30m". */
#ifndef KINDLOG_RFC3339_H
#define KINDLOG_RFC3339_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define RFC3339_LEN 21 /* "2026-11-27T07:41:05Z" and NUL */

/* Format t as RFC 3339 UTC with whole seconds. Returns buf. */
char *time_format_utc(time_t t, char buf[RFC3339_LEN]);
/* Parse RFC 3339 with whole or fractional seconds and Z or +hh:mm. */
bool time_parse_rfc3339(const char *s, time_t *out);
/*
 * Parse a duration such as "90", "30m", "1h", "1h30m", "2d" (bare number
 * = minutes) into seconds. Returns false on anything else or overflow.
 */
bool duration_parse(const char *s, int64_t *seconds);

#endif
