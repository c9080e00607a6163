/*
 * Import files, end to end: the client's readers (CSV, our JSON array,
 * jrnl's JSON object, chosen the way `kindlog import FILE` chooses) turn
 * the file into records, and instead of a socket the connection layer
 * below is a stub that calls the daemon's method table directly, so the
 * daemon's import.begin/add/commit validation and the store see exactly
 * what the client would send. The client code is linked unchanged; only
 * connection.c, output.c and args.c are replaced by the stubs here.
 *
 * Input: the first byte picks the file name (bits 0-1: .csv, .json, no
 * extension, .txt — the last two make the client guess from the content)
 * and --dry-run (bit 2); the rest is the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "config.h"
#include "connection.h"
#include "fuzz.h"
#include "kindlogd.h"
#include "methods.h"
#include "output.h"
#include "store.h"

static struct kindlogd	fuzz_d;
static bool		fuzz_dry_run;

/* ------------------------------------------------ the client's edges */

bool
args_has(const struct args *args, int key)
{
	return key != 'f' && fuzz_dry_run;
}

const char *
args_get(const struct args *args, int key)
{
	return NULL;
}

int
cmd_usage_error(struct client_ctx *ctx, const char *fmt, ...)
{
	return CMD_EXIT_USAGE;
}

int
connection_request(struct client_ctx *ctx, const char *method,
    json_t *params, json_t **result, struct kl_error *err)
{
	int	rc;

	if (params == NULL)
		params = json_object();
	rc = methods_call(&fuzz_d, method, params, result, err);
	json_decref(params);
	return rc == 0 ? 0 : CMD_EXIT_REFUSED;
}

/*
 * Requests sent ahead: each is answered at once, and its answer waits in
 * this queue until the client reads it, in order, as from the socket.
 */
#define FUZZ_AHEAD 8
static struct {
	json_int_t	 id;
	int		 rc;
	json_t		*result;
	struct kl_error	 err;
} fuzz_replies[FUZZ_AHEAD];
static size_t		fuzz_head, fuzz_queued;
static json_int_t	fuzz_next_id = 1;

int
connection_send_request(struct client_ctx *ctx, const char *method,
    json_t *params, json_int_t *id)
{
	size_t	slot = (fuzz_head + fuzz_queued) % FUZZ_AHEAD;

	if (fuzz_queued == FUZZ_AHEAD)
		abort();	/* more in flight than a client keeps */
	*id = fuzz_next_id++;
	fuzz_replies[slot].id = *id;
	fuzz_replies[slot].result = NULL;
	fuzz_replies[slot].rc = connection_request(ctx, method, params,
	    &fuzz_replies[slot].result, &fuzz_replies[slot].err);
	fuzz_queued++;
	return 0;
}

int
connection_read_reply(struct client_ctx *ctx, json_int_t id,
    json_t **result, struct kl_error *err)
{
	size_t	slot = fuzz_head;

	if (fuzz_queued == 0 || fuzz_replies[slot].id != id)
		abort();	/* replies are read in the order sent */
	fuzz_head = (fuzz_head + 1) % FUZZ_AHEAD;
	fuzz_queued--;
	*result = fuzz_replies[slot].result;
	*err = fuzz_replies[slot].err;
	return fuzz_replies[slot].rc;
}

int
connection_call(struct client_ctx *ctx, const char *method, json_t *params,
    json_t **result)
{
	struct kl_error	err;
	int		rc;

	rc = connection_request(ctx, method, params, result, &err);
	if (rc == CMD_EXIT_REFUSED)
		fprintf(stderr, "kindlog: %s\n", err.message);
	return rc;
}

void
output_json(const json_t *result)
{
	if (!json_is_object(result))
		abort();
}

const char *
output_get_str(json_t *obj, const char *key)
{
	const char	*s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "";
}

long long
output_get_int(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* -------------------------------------------------------- the harness */

/* Free the daemon state at exit so LeakSanitizer sees only real leaks. */
static void
fuzz_import_finish(void)
{
	fuzz_store_close(fuzz_d.store);
	config_destroy(fuzz_d.config);
	free(fuzz_d.db_path);
}

/* Open the store once per process. */
static void
fuzz_import_init(void)
{
	const char	*dir = fuzz_scratch_dir();

	fuzz_quiet_stderr();
	fuzz_d.db_path = malloc(strlen(dir) + 16);
	sprintf(fuzz_d.db_path, "%s/kindlog.db", dir);
	fuzz_d.config = config_create_default();
	fuzz_d.started_at = time(NULL);
	fuzz_d.store = fuzz_store_open(fuzz_d.db_path);
	atexit(fuzz_import_finish);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ext[] = { ".csv", ".json", "", ".txt" };
	struct client_ctx	 ctx = { .json = true };
	struct args		 args = { 0 };
	char			 path[128], *argv[2] = { path, NULL };
	FILE			*f;

	if (size == 0)
		return 0;
	if (fuzz_d.store == NULL)
		fuzz_import_init();
	snprintf(path, sizeof path, "%s/import%s", fuzz_scratch_dir(),
	    ext[data[0] & 3]);
	fuzz_dry_run = (data[0] & 4) != 0;
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	args.argc = 1;
	args.argv = argv;
	cmd_transfer_import(&ctx, &args);
	remove(path);
	fuzz_store_done();
	return 0;
}
