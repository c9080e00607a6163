/*
 * kindlog.conf: the input is written to a scratch file and loaded the way
 * kindlogd loads it (GKeyFile, then every key's own parser). Whatever the
 * bytes, config_load returns a config or an error with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 path[128];
	struct config	*config = NULL;
	struct kl_error	 err;
	FILE		*f;

	if (path[0] == '\0') {
		snprintf(path, sizeof path, "%s/kindlog.conf",
		    fuzz_scratch_dir());
		fuzz_quiet_stderr();
	}
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (config_load(path, true, &config, &err) == 0) {
		if (config == NULL)
			abort();
		config_destroy(config);
	} else if (config != NULL || err.message[0] == '\0')
		abort();
	return 0;
}
