/*
 * Shared by the fuzz harnesses: the libFuzzer entry point (declared here
 * so -Wmissing-prototypes is happy) and a private scratch directory.
 */
#ifndef KINDLOG_FUZZ_H
#define KINDLOG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A directory of our own for databases and temp files, created on first
 * use (under /dev/shm when there is one, so fsync costs nothing) and
 * removed at exit.
 */
const char *fuzz_scratch_dir(void);
/* Send stderr (FILE *) to /dev/null: parsers print refusals there. */
void fuzz_quiet_stderr(void);

#endif
