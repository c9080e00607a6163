/* Error values carried from where a failure happens to the edge. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int
kl_error_set(struct kl_error *err, int code, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}
