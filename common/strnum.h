/* Numbers from strings, and trimming. */
#ifndef KINDLOG_STRNUM_H
#define KINDLOG_STRNUM_H

#include <stdbool.h>
#include <stdint.h>

/* Parse a decimal integer in [min, max]; the whole string must match. */
bool parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* Trim ASCII whitespace from both ends in place; returns s. */
char *str_trim(char *s);

#endif
