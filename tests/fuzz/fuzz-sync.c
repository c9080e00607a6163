/*
 * A peer's file of the sync folder (sync-file.c), as kindlogd reads one:
 * parsed with today's limits and, when it is accepted, applied to a
 * syncing store in one transaction. Beyond not crashing: an accepted file
 * has a device id, every operation it yields is known or keeps its line,
 * and the store stays consistent (fuzz_store_done).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "store.h"
#include "sync-file.h"

static struct store	*fuzz_store;

/* The store, syncing, made on the first input. */
static struct store *
fuzz_sync_store(void)
{
	struct kl_error	 err;
	char		 device[UUID_STR_LEN], *path;
	int64_t		 published;

	if (fuzz_store != NULL)
		return fuzz_store;
	fuzz_quiet_stderr();
	path = malloc(strlen(fuzz_scratch_dir()) + 16);
	sprintf(path, "%s/sync.db", fuzz_scratch_dir());
	fuzz_store = fuzz_store_open(path);
	free(path);
	if (store_sync_enable(fuzz_store, "fuzz", device, &published,
	    &err) != 0)
		fuzz_die("store_sync_enable: %s", err.message);
	return fuzz_store;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store		*store = fuzz_sync_store();
	struct store_sync_file	 file = { .name = "fuzz.jsonl", .size = 1 };
	struct sync_limits	 limits;
	struct sync_file	 parsed;
	struct kl_error		 err;
	int64_t			 changed;
	size_t			 i;

	sync_limits_now(&limits);
	if (sync_file_parse((const char *)data, size, &limits, &parsed,
	    &err) == 0) {
		if (!uuid_valid(parsed.device))
			fuzz_die("accepted a file without a device id");
		for (i = 0; i < parsed.nops; i++) {
			if (parsed.ops[i].kind == STORE_OP_UNKNOWN &&
			    parsed.ops[i].line == NULL)
				fuzz_die("an unknown operation lost its line");
		}
		file.device = parsed.device;
		file.device_name = parsed.name;
		file.ops = parsed.ops;
		file.nops = parsed.nops;
		if (store_sync_apply(store, &file, &changed, &err) != 0)
			fuzz_die("store_sync_apply: %s", err.message);
	} else if (err.message[0] == '\0')
		fuzz_die("refused without saying why");
	sync_file_finish(&parsed);
	fuzz_store_done();
	return 0;
}
