/* Allocation wrappers that never return NULL (they abort on exhaustion). */
#ifndef KINDLOG_XMALLOC_H
#define KINDLOG_XMALLOC_H

#include <stddef.h>
#include "log.h"

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Allocate and format a string. */
char *xasprintf(const char *fmt, ...) KL_PRINTF(1, 2);

#endif
