/* Logging to stderr, OpenSMTPD-style: warn adds errno, warnx does not. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char	*log_progname = "kindlog";
static int		 log_verbose;

void
log_init(const char *progname, int verbose)
{
	log_progname = progname;
	log_verbose = verbose;
}

static void log_vline(const char *, int, const char *, va_list)
    __attribute__((format(printf, 3, 0)));

/* Print one line: program name, message, and optionally errno's text. */
static void
log_vline(const char *prefix, int errnum, const char *fmt, va_list ap)
{
	char	msg[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (errnum != 0)
		fprintf(stderr, "%s: %s%s: %s\n", log_progname, prefix, msg,
		    strerror(errnum));
	else
		fprintf(stderr, "%s: %s%s\n", log_progname, prefix, msg);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vline("", 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vline("warning: ", saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vline("warning: ", 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vline("debug: ", 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vline("", saved, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vline("", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
