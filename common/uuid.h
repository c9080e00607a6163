/* Time-ordered random uuids (RFC 9562 version 7). */
#ifndef KINDLOG_UUID_H
#define KINDLOG_UUID_H

#include <stdbool.h>

#define UUID_STR_LEN 37 /* 8-4-4-4-12 and NUL */

/*
 * A time-ordered (RFC 9562 version 7) UUID in lowercase 8-4-4-4-12 form;
 * successive calls in one process return increasing ids.
 */
void uuid_generate(char out[UUID_STR_LEN]);
/* True if s is a UUID in 8-4-4-4-12 hex form (either case). */
bool uuid_valid(const char *s);

#endif
