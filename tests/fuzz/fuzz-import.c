/*
 * Import files, end to end: the client's readers (CSV, our JSON array,
 * jrnl's JSON object, chosen the way `kindlog import FILE` chooses) turn
 * the file into records, and instead of a socket the connection below
 * calls the daemon's method table directly, so the daemon's
 * import.begin/add/commit validation and the store see exactly what the
 * client would send. The client library is linked unchanged, but for
 * connection.h: this file defines every function of it, so the linker
 * never takes connection.o (nor the autostart.o it calls) from the
 * library.
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
#include "store.h"

static struct kindlogd	fuzz_d;

/* ------------------------------------------- the client's connection */

struct connection *
connection_create(const char *socket_path, bool may_start)
{
	abort();	/* the harness has no socket to connect to */
}

void
connection_set_timeout(struct connection *conn, int timeout_ms)
{
}

void
connection_destroy(struct connection *conn)
{
}

int
connection_request(struct connection *conn, const char *method,
    json_t *params, json_t **result, struct kl_error *err)
{
	int	rc;

	if (params == NULL)
		params = json_object();
	rc = methods_call(&fuzz_d, method, params, result, err);
	json_decref(params);
	return rc == 0 ? 0 : -1;
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
connection_send_request(struct connection *conn, const char *method,
    json_t *params, json_int_t *id, struct kl_error *err)
{
	size_t	slot = (fuzz_head + fuzz_queued) % FUZZ_AHEAD;

	if (fuzz_queued == FUZZ_AHEAD)
		abort();	/* more in flight than a client keeps */
	*id = fuzz_next_id++;
	fuzz_replies[slot].id = *id;
	fuzz_replies[slot].result = NULL;
	fuzz_replies[slot].rc = connection_request(conn, method, params,
	    &fuzz_replies[slot].result, &fuzz_replies[slot].err);
	fuzz_queued++;
	return 0;
}

int
connection_queue_request(struct connection *conn, const char *method,
    json_t *params, json_int_t *id, struct kl_error *err)
{
	return connection_send_request(conn, method, params, id, err);
}

int
connection_read_reply(struct connection *conn, json_int_t id,
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

/*
 * Run kindlog import on path with its stdout captured: a successful
 * import prints import.commit's result (--json), a JSON object; a failed
 * one prints nothing there.
 */
static void
fuzz_import_run(char *path, bool dry_run)
{
	struct client_ctx	 ctx = { .json = true,
	    .socket_path = (char *)"(in-process)" };
	struct args		 args;
	char			*argv[] = { (char *)"import", path,
	    (char *)"--dry-run", NULL }, *cause, *out = NULL;
	size_t			 len = 0;
	json_t			*printed;
	FILE			*saved = stdout;
	int			 rc;

	if (args_parse(cmd_import_options, false, dry_run ? 3 : 2, argv,
	    &args, &cause) == -1)
		abort();
	if ((stdout = open_memstream(&out, &len)) == NULL)
		abort();
	rc = cmd_import(&ctx, &args);
	fclose(stdout);
	stdout = saved;
	args_free(&args);
	printed = json_loadb(out, len, 0, NULL);
	if (rc == 0 ? !json_is_object(printed) : len != 0)
		abort();
	json_decref(printed);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ext[] = { ".csv", ".json", "", ".txt" };
	char			 path[128];
	FILE			*f;

	if (size == 0)
		return 0;
	if (fuzz_d.store == NULL)
		fuzz_import_init();
	snprintf(path, sizeof path, "%s/import%s", fuzz_scratch_dir(),
	    ext[data[0] & 3]);
	if ((f = fopen(path, "wb")) == NULL)
		abort();
	fwrite(data + 1, 1, size - 1, f);
	fclose(f);
	fuzz_import_run(path, (data[0] & 4) != 0);
	remove(path);
	fuzz_store_done();
	return 0;
}
