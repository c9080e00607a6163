/* Small helpers shared by both programs. */
#ifndef KINDLOG_UTIL_H
#define KINDLOG_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define UUID_STR_LEN 37
#define RFC3339_LEN 21 /* "2026-11-27T07:41:05Z" and NUL */

/*
 * A time-ordered (RFC 9562 version 7) UUID in lowercase 8-4-4-4-12 form;
 * successive calls in one process return increasing ids.
 */
void uuid_generate(char out[UUID_STR_LEN]);
/* True if s is a UUID in 8-4-4-4-12 hex form (either case). */
bool uuid_valid(const char *s);
/* Format t as RFC 3339 UTC with whole seconds. Returns buf. */
char *time_format_utc(time_t t, char buf[RFC3339_LEN]);
/* Parse RFC 3339 with whole or fractional seconds and Z or +hh:mm. */
bool time_parse_rfc3339(const char *s, time_t *out);
/*
 * Parse a duration such as "90", "30m", "1h", "1h30m", "2d" (bare number
 * = minutes) into seconds. Returns false on anything else or overflow.
 */
bool duration_parse(const char *s, int64_t *seconds);
/* Parse a decimal integer in [min, max]; the whole string must match. */
bool parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Trim ASCII whitespace from both ends in place; returns s. */
char *str_trim(char *s);

#endif
