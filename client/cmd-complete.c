/*
 * kindlog --complete ids|tags: what the shell completions ask kindlogd
 * while a command line is being typed. A completion must neither wait
 * nor write into the line: so this never starts the daemon, gives up
 * after COMPLETE_TIMEOUT_MS, and on any failure prints nothing at all,
 * on stdout or stderr, and exits non-zero.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "connection.h"
#include "paths.h"

/* Connecting and the reply together, at most. */
#define COMPLETE_TIMEOUT_MS 300
/* The most recent entries offered as ids. */
#define COMPLETE_IDS 50
/* Columns of an entry's text in its description. */
#define COMPLETE_TEXT_WIDTH 50

/* "ID<TAB>DAY TEXT" for each entry of a list result, newest first. */
static void
cmd_complete_print_ids(json_t *result)
{
	json_t	*entry;
	size_t	 i;
	char	*text;

	json_array_foreach(json_object_get(result, "entries"), i, entry) {
		text = output_fit(output_get_str(entry, "text"),
		    COMPLETE_TEXT_WIDTH);
		printf("%lld\t%s %s\n", output_get_int(entry, "id"),
		    output_get_str(entry, "day"), text);
		free(text);
	}
}

/* "TAG<TAB>N entries" for each tag of a tags result, most used first. */
static void
cmd_complete_print_tags(json_t *result)
{
	json_t	*tag;
	size_t	 i;
	char	*count;

	json_array_foreach(json_object_get(result, "tags"), i, tag) {
		count = output_count(output_get_int(tag, "count"), "entry",
		    "entries");
		printf("%s\t%s\n", output_get_str(tag, "tag"), count);
		free(count);
	}
}

/* Ask the daemon for the candidates of what, and print them. */
int
cmd_complete(struct client_ctx *ctx, const struct args *global)
{
	const char	*what = args_get(global, CMD_GLOBAL_COMPLETE);
	struct kl_error	 err;
	json_t		*result;
	bool		 ids;

	if (global->argc != 0 || (strcmp(what, "ids") != 0 &&
	    strcmp(what, "tags") != 0))
		return CMD_EXIT_USAGE;
	ids = strcmp(what, "ids") == 0;
	ctx->socket_path = paths_socket(args_get(global, CMD_GLOBAL_SOCKET));
	ctx->conn = connection_create(ctx->socket_path, false);
	connection_set_timeout(ctx->conn, COMPLETE_TIMEOUT_MS);
	if (connection_request(ctx->conn, ids ? "list" : "tags", ids ?
	    json_pack("{s:i}", "limit", COMPLETE_IDS) : NULL, &result,
	    &err) == -1)
		return connection_error_is_local(&err) ?
		    CMD_EXIT_UNREACHABLE : CMD_EXIT_REFUSED;
	if (ids)
		cmd_complete_print_ids(result);
	else
		cmd_complete_print_tags(result);
	json_decref(result);
	return CMD_EXIT_OK;
}
