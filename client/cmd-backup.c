/* kindlog backup: ask the daemon for a backup now and print its path. */
#include <stdio.h>

#include "commands.h"

/* "Backed up to PATH". */
static void
cmd_backup_print(struct client_ctx *ctx, struct args *args, json_t *result)
{
	printf("Backed up to %s\n", output_get_str(result, "path"));
}

/* Make a backup now (kindlogd(1), BACKUPS). */
int
cmd_backup(struct client_ctx *ctx, struct args *args)
{
	return (cmd_call(ctx, args, "backup", NULL, cmd_backup_print));
}
