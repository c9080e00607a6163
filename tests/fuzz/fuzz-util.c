/* Scratch directory and stderr handling for the fuzz harnesses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char	fuzz_dir[64];

/* Remove the scratch directory at exit. */
static void
fuzz_scratch_remove(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", fuzz_dir);
}

const char *
fuzz_scratch_dir(void)
{
	if (fuzz_dir[0] != '\0')
		return fuzz_dir;
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/kindlog-fuzz-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(fuzz_dir) == NULL) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(fuzz_scratch_remove);
	return fuzz_dir;
}

void
fuzz_quiet_stderr(void)
{
	FILE	*null;

	/* Sanitizer reports use write(2), so they still get through. */
	if ((null = fopen("/dev/null", "w")) != NULL)
		stderr = null;
}

void
fuzz_die(const char *fmt, ...)
{
	va_list	ap;

	dprintf(STDERR_FILENO, "fuzz: ");
	va_start(ap, fmt);
	vdprintf(STDERR_FILENO, fmt, ap);
	va_end(ap);
	dprintf(STDERR_FILENO, "\n");
	abort();
}
