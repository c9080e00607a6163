/* Logging for both programs: stderr (or a file) with a level threshold. */
#ifndef KINDLOG_LOG_H
#define KINDLOG_LOG_H

#include <stdarg.h>

#define KL_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Set the program name shown in messages and whether debug lines print. */
void log_init(const char *progname, int verbose);

/* Informational line, always shown. */
void log_info(const char *fmt, ...) KL_PRINTF(1, 2);
/* Warning with ": strerror(errno)" appended; errno is preserved. */
void log_warn(const char *fmt, ...) KL_PRINTF(1, 2);
/* Warning without errno. */
void log_warnx(const char *fmt, ...) KL_PRINTF(1, 2);
/* Debug line, shown only when verbose. */
void log_debug(const char *fmt, ...) KL_PRINTF(1, 2);
/* Fatal error with errno appended; exits 1. */
void fatal(const char *fmt, ...) KL_PRINTF(1, 2) __attribute__((noreturn));
/* Fatal error without errno; exits 1. */
void fatalx(const char *fmt, ...) KL_PRINTF(1, 2) __attribute__((noreturn));

#endif
