/* kindlog sync: the sync folder's state, and sync now (doc/sync.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "xmalloc.h"

/* Width of the labels of kindlog sync. */
#define CMD_SYNC_LABEL 15

/* "laptop (01a2…)": a device by its name, with its id. */
static void
cmd_sync_device_line(const char *label, json_t *device, const char *id_key)
{
	const char	*name = output_get_str(device, "name");
	const char	*id = output_get_str(device, id_key);

	if (*name != '\0')
		output_field(label, CMD_SYNC_LABEL, "%s (%s)", name, id);
	else
		output_field(label, CMD_SYNC_LABEL, "%s", id);
}

/* One peer: its name and id, then when it last changed something. */
static void
cmd_sync_print_peer(json_t *peer)
{
	const char	*last = output_get_str(peer, "last_change");
	char		*when = *last != '\0' ? output_local_time(last) :
			    xstrdup("nothing yet");
	char		*ops = output_count(output_get_int(peer, "operations"),
			    "change", "changes");

	cmd_sync_device_line("Peer", peer, "device");
	output_field("  last change", CMD_SYNC_LABEL, "%s (%s read)", when,
	    ops);
	free(when);
	free(ops);
}

/* The skipped files, one line each with why. */
static void
cmd_sync_print_skipped(struct client_ctx *ctx, json_t *skipped)
{
	json_t	*file;
	size_t	 i;

	json_array_foreach(skipped, i, file) {
		output_field(i == 0 ? "Skipped" : "", CMD_SYNC_LABEL,
		    "%s%.8s…/%s%s: %s", output_style(&ctx->out, OUTPUT_YELLOW),
		    output_get_str(file, "device"), output_get_str(file, "file"),
		    output_reset(&ctx->out), output_get_str(file, "error"));
	}
}

static void
cmd_sync_print_status(struct client_ctx *ctx, struct args *args,
    json_t *status)
{
	json_t	*peers = json_object_get(status, "peers"), *peer;
	size_t	 i;

	if (!output_get_bool(status, "enabled")) {
		printf("Sync is off: set [sync] dir in kindlog.conf "
		    "(kindlog.conf(5)), then kindlog reload.\n");
		return;
	}
	output_field("Folder", CMD_SYNC_LABEL, "%s%s",
	    output_get_str(status, "dir"),
	    strcmp(output_get_str(status, "folder"), "ok") == 0 ? "" :
	    " (missing: not mounted? changes wait for it)");
	cmd_sync_device_line("This device", json_object_get(status, "device"),
	    "id");
	output_field("Pending", CMD_SYNC_LABEL, "%lld %s",
	    output_get_int(status, "pending"),
	    output_get_int(status, "pending") == 1 ? "change" : "changes");
	if (json_array_size(peers) == 0)
		output_field("Peers", CMD_SYNC_LABEL, "none yet");
	json_array_foreach(peers, i, peer)
		cmd_sync_print_peer(peer);
	cmd_sync_print_skipped(ctx, json_object_get(status, "skipped"));
	if (output_get_int(status, "ignored") > 0)
		output_field("Ignored", CMD_SYNC_LABEL, "%lld files (temporary "
		    "or conflict copies)", output_get_int(status, "ignored"));
	if (*output_get_str(status, "error") != '\0')
		output_field("Error", CMD_SYNC_LABEL, "%s",
		    output_get_str(status, "error"));
}

static void
cmd_sync_print_now(struct client_ctx *ctx, struct args *args, json_t *result)
{
	long long	written = output_get_int(result, "written");
	long long	applied = output_get_int(result, "applied");
	long long	pending = output_get_int(result, "pending");

	printf("Synced: %lld %s written, %lld %s from other devices",
	    written, written == 1 ? "change" : "changes", applied,
	    applied == 1 ? "entry changed" : "entries changed");
	if (pending > 0)
		printf("; %lld waiting for the folder", pending);
	printf(".\n");
}

/* kindlog sync [status|now] */
int
cmd_sync(struct client_ctx *ctx, struct args *args)
{
	const char	*action = args->argc > 0 ? args->argv[0] : "status";

	if (strcmp(action, "status") == 0)
		return cmd_call(ctx, args, "sync.status", NULL,
		    cmd_sync_print_status);
	if (strcmp(action, "now") == 0)
		return cmd_call(ctx, args, "sync.now", NULL,
		    cmd_sync_print_now);
	return cmd_usage_error(ctx, "unknown sync action '%s' (use status "
	    "or now)", action);
}
