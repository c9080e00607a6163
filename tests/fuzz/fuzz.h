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
/* Say why on file descriptor 2 (quiet or not) and abort. */
void fuzz_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * fuzz-store.c, linked by the harnesses only, never by the daemon:
 * store_open on path with synchronous=OFF and empty, and, at the end of
 * each input, fuzz_store_done: abort if the store is inconsistent, then
 * empty every table.
 */
struct store;
struct store *fuzz_store_open(const char *path);
void fuzz_store_done(void);
void fuzz_store_close(struct store *store);

#endif
