/* kindlog: global options, then one subcommand from the table. */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "connection.h"
#include "log.h"
#include "paths.h"
#include "xmalloc.h"

/* Print every subcommand name, one a line (for completion tests). */
static void
main_list_commands(void)
{
	size_t	i;

	for (i = 0; i < cmd_table_len; i++)
		printf("%s\n", cmd_table[i].name);
}

/* Check the operand count against the command's bounds. */
static int
main_check_operands(struct client_ctx *ctx, const struct args *args)
{
	const struct cmd_entry	*cmd = ctx->cmd;

	if (args->argc < cmd->min_args)
		return cmd_usage_error(ctx, "missing argument for '%s'",
		    cmd->name);
	if (cmd->max_args >= 0 && args->argc > cmd->max_args) {
		if (cmd->name == NULL)
			return cmd_usage_error(ctx, "unexpected argument '%s'",
			    args->argv[0]);
		return cmd_usage_error(ctx, "too many arguments for '%s'",
		    cmd->name);
	}
	return 0;
}

/* The global option key, given before the command or after it. */
static bool
main_has(const struct args *global, const struct args *args, int key)
{
	return args_has(global, key) || args_has(args, key);
}

/*
 * Parse the subcommand's own options, and the global ones it may be
 * given after it, then connect and run it.
 */
static int
main_run(struct client_ctx *ctx, const struct args *global, int argc,
    char **argv)
{
	struct args_option	*options;
	struct args		 args;
	const char		*socket;
	char			*cause;
	int			 rc;

	options = cmd_options_with_global(ctx->cmd);
	rc = args_parse(options, false, argc, argv, &args, &cause);
	free(options);
	if (rc == -1) {
		rc = cmd_usage_error(ctx, "%s", cause);
		free(cause);
		return rc;
	}
	if (args.help) {
		cmd_print_usage(ctx->cmd);
		args_free(&args);
		return CMD_EXIT_OK;
	}
	ctx->json = main_has(global, &args, CMD_GLOBAL_JSON);
	output_init(&ctx->out, main_has(global, &args, CMD_GLOBAL_NO_COLOR));
	if ((socket = args_get(&args, CMD_GLOBAL_SOCKET)) == NULL)
		socket = args_get(global, CMD_GLOBAL_SOCKET);
	ctx->socket_path = paths_socket(socket);
	ctx->conn = connection_create(ctx->socket_path,
	    !main_has(global, &args, CMD_GLOBAL_NO_AUTOSTART));

	rc = main_check_operands(ctx, &args);
	if (rc == 0)
		rc = ctx->cmd->exec(ctx, &args);
	args_free(&args);
	return rc;
}

/* kindlog help [COMMAND]: the overview, or one command's usage. */
static int
main_help(struct client_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*cmd;

	if (argc < 2) {
		cmd_print_overview();
		return CMD_EXIT_OK;
	}
	if (argc > 2)
		return cmd_usage_error(ctx, "too many arguments for 'help'");
	if ((cmd = cmd_find(argv[1])) == NULL)
		return cmd_usage_error(ctx, "unknown command '%s'", argv[1]);
	cmd_print_usage(cmd);
	return CMD_EXIT_OK;
}

/* An unknown command, with the one it most likely meant. */
static int
main_unknown(struct client_ctx *ctx, const char *name)
{
	const struct cmd_entry	*near = cmd_suggest(name);

	if (near != NULL)
		return cmd_usage_error(ctx, "unknown command '%s'; did you "
		    "mean '%s'?", name, near->name);
	return cmd_usage_error(ctx, "unknown command '%s'", name);
}

/* Parse the global options and run one command. */
int
main(int argc, char **argv)
{
	struct client_ctx	 ctx;
	struct args		 global;
	char			*cause;
	int			 rc;

	/*
	 * A fixed hash seed: jansson would read /dev/urandom for one, and
	 * the keys a client hashes are its own and its daemon's. The
	 * locale is set only when a width is measured (output.c).
	 */
	json_object_seed(0x6b6c6f67);
	log_init("kindlog", 0);
	memset(&ctx, 0, sizeof ctx);

	if (args_parse(cmd_global_options, true, argc, argv, &global,
	    &cause) == -1) {
		rc = cmd_usage_error(&ctx, "%s", cause);
		free(cause);
		return rc;
	}
	if (global.help) {
		cmd_print_overview();
		args_free(&global);
		return CMD_EXIT_OK;
	}
	if (args_has(&global, CMD_GLOBAL_VERSION)) {
		printf("kindlog %s\n", KINDLOG_VERSION);
		args_free(&global);
		return CMD_EXIT_OK;
	}
	if (args_has(&global, CMD_GLOBAL_LIST_COMMANDS)) {
		main_list_commands();
		args_free(&global);
		return CMD_EXIT_OK;
	}

	if (args_has(&global, CMD_GLOBAL_COMPLETE))
		rc = cmd_complete(&ctx, &global);
	else if (global.argc == 0) {
		ctx.cmd = &cmd_default;
		rc = main_run(&ctx, &global, 1, argv);
	} else if (strcmp(global.argv[0], "help") == 0)
		rc = main_help(&ctx, global.argc, global.argv);
	else if ((ctx.cmd = cmd_find(global.argv[0])) == NULL)
		rc = main_unknown(&ctx, global.argv[0]);
	else
		rc = main_run(&ctx, &global, global.argc, global.argv);

	connection_destroy(ctx.conn);
	free(ctx.socket_path);
	args_free(&global);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1;
	return rc;
}
