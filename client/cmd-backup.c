/* kindlog backup: ask the daemon for a backup now and print its path. */
#include <stdio.h>

#include "commands.h"
#include "connection.h"

/* Make a backup now (kindlogd(1), BACKUPS). */
int
cmd_backup(struct client_ctx *ctx, struct args *args)
{
	json_t	*result;
	int	 rc;

	if ((rc = connection_call(ctx, "backup", NULL, &result)) != 0)
		return (rc);
	if (ctx->json)
		output_json(result);
	else
		printf("Backed up to %s\n", output_get_str(result, "path"));
	json_decref(result);
	return (CMD_EXIT_OK);
}
