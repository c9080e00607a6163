/* The subcommand table and what every subcommand shares. */

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "connection.h"
#include "day.h"
#include "strnum.h"
#include "xmalloc.h"

/* Column where command help starts in the overview. */
#define CMD_HELP_COLUMN 14

const struct args_option cmd_global_options[] = {
	{ "socket", CMD_GLOBAL_SOCKET, required_argument, "PATH",
	  "talk to kindlogd at PATH (or $KINDLOG_SOCKET)" },
	{ "json", CMD_GLOBAL_JSON, no_argument, NULL,
	  "print the daemon's result as JSON" },
	{ "no-color", CMD_GLOBAL_NO_COLOR, no_argument, NULL,
	  "no colour (also when NO_COLOR is set)" },
	{ "no-autostart", CMD_GLOBAL_NO_AUTOSTART, no_argument, NULL,
	  "do not start kindlogd when it is not running" },
	{ "version", CMD_GLOBAL_VERSION, no_argument, NULL,
	  "print the client's version" },
	{ "list-commands", CMD_GLOBAL_LIST_COMMANDS, no_argument, NULL, NULL },
	{ "complete", CMD_GLOBAL_COMPLETE, required_argument, "WHAT", NULL },
	{ NULL, 0, 0, NULL, NULL }
};

const struct cmd_entry cmd_table[] = {
	{ "add", NULL, "[TEXT…|-e] [-t TAG]… [-d DAY] [--thanked[=HOW]]",
	  "log a kind gesture (TEXT - reads stdin; none: asks)",
	  cmd_entries_add_options, 0, -1, cmd_entries_add,
	  "the entry was not stored" },
	{ "prompt", NULL, "",
	  "ask with a prompt window, then log it (for a keybinding)",
	  NULL, 0, 0, cmd_prompt, "the entry was not stored" },
	{ "list", "ls", "[--since DAY] [--until DAY] [-t TAG] [--grep WORDS] "
	  "[--unthanked] [-n N] [--all]",
	  "list entries, newest first",
	  cmd_entries_list_options, 0, 0, cmd_entries_list, NULL },
	{ "show", NULL, "ID",
	  "show one entry in full",
	  NULL, 1, 1, cmd_entries_show, NULL },
	{ "edit", NULL, "ID [TEXT…] [-t TAG]… [--no-tags] [-d DAY]",
	  "change an entry's text, tags (-t replaces them) or day",
	  cmd_entries_edit_options, 1, -1, cmd_entries_edit, NULL },
	{ "rm", NULL, "ID",
	  "delete an entry (undo brings it back)",
	  NULL, 1, 1, cmd_entries_rm, NULL },
	{ "undo", NULL, "",
	  "restore the most recently deleted entry",
	  NULL, 0, 0, cmd_entries_undo, NULL },
	{ "thank", NULL, "ID [--how said|wrote|showed|other]",
	  "record that you thanked your partner for an entry",
	  cmd_entries_thank_options, 1, 1, cmd_entries_thank, NULL },
	{ "unthank", NULL, "ID",
	  "take back a thank-you recorded by mistake",
	  NULL, 1, 1, cmd_entries_unthank, NULL },
	{ "streak", NULL, "",
	  "show the current and best streak",
	  NULL, 0, 0, cmd_info_streak, NULL },
	{ "stats", NULL, "[--since DAY] [--until DAY]",
	  "counts, streaks, weekdays, months, tags and repeated gestures",
	  cmd_insight_stats_options, 0, 0, cmd_insight_stats, NULL },
	{ "calendar", NULL, "[--weeks N] [--until DAY]",
	  "a heatmap of the days you noticed something",
	  cmd_insight_calendar_options, 0, 0, cmd_insight_calendar, NULL },
	{ "recap", NULL, "[--week|--month|--year] [--markdown|--html]",
	  "a week, month or year of kindness, to read or share",
	  cmd_recap_options, 0, 0, cmd_recap, NULL },
	{ "reflect", NULL, "[--list [-n N|--all]]",
	  "look back on the week's gestures with three questions",
	  cmd_reflect_options, 0, 0, cmd_reflect, NULL },
	{ "remind", NULL, "[status|next|now|snooze [DURATION]|pause [DURATION]|"
	  "resume]",
	  "show, send, snooze or pause reminders",
	  NULL, 0, 2, cmd_remind, NULL },
	{ "reload", NULL, "",
	  "make the daemon re-read its config file",
	  NULL, 0, 0, cmd_reload, NULL },
	{ "export", NULL, "[--format json|csv|markdown] [-o FILE]",
	  "write every entry out, by day (JSON, CSV or Markdown)",
	  cmd_export_options, 0, 0, cmd_export, NULL },
	{ "import", NULL, "FILE [--format json|csv] [--dry-run]",
	  "add the entries of a kindlog or jrnl export (FILE - is stdin)",
	  cmd_import_options, 1, 1, cmd_import, NULL },
	{ "sync", NULL, "[status|now]",
	  "share the log with your other devices through a synced folder",
	  NULL, 0, 1, cmd_sync, NULL },
	{ "backup", NULL, "",
	  "copy the database into the backups directory now",
	  NULL, 0, 0, cmd_backup, NULL },
	{ "status", NULL, "",
	  "show what the daemon is doing",
	  NULL, 0, 0, cmd_info_status, NULL },
	{ "version", NULL, "",
	  "show the client's and the daemon's version",
	  NULL, 0, 0, cmd_info_version, NULL },
};
const size_t cmd_table_len = sizeof cmd_table / sizeof cmd_table[0];

const struct cmd_entry cmd_default = {
	NULL, NULL, "",
	"show a summary: today, streak, thanks owed, recent entries",
	NULL, 0, 0, cmd_info_summary, NULL
};

/* Find a command by name or alias. */
const struct cmd_entry *
cmd_find(const char *name)
{
	size_t	i;

	for (i = 0; i < cmd_table_len; i++) {
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
		if (cmd_table[i].alias != NULL &&
		    strcmp(cmd_table[i].alias, name) == 0)
			return &cmd_table[i];
	}
	return NULL;
}

/*
 * The edit distance of a and b, counting a swap of two neighbours as one
 * edit ("lsit" is one from "list"); stops counting past CMD_SUGGEST_MAX.
 */
#define CMD_SUGGEST_MAX 2
static size_t
cmd_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, d[3][33], cost, v;

	if (la > 32 || lb > 32)
		return CMD_SUGGEST_MAX + 1;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		d[i % 3][0] = i;
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] != b[j - 1];
			v = d[(i - 1) % 3][j - 1] + cost;
			if (d[(i - 1) % 3][j] + 1 < v)
				v = d[(i - 1) % 3][j] + 1;
			if (d[i % 3][j - 1] + 1 < v)
				v = d[i % 3][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[(i - 2) % 3][j - 2] + 1 < v)
				v = d[(i - 2) % 3][j - 2] + 1;
			d[i % 3][j] = v;
		}
	}
	return d[la % 3][lb];
}

/* Find the command nearest to a mistyped name: one edit for short names. */
const struct cmd_entry *
cmd_suggest(const char *name)
{
	const struct cmd_entry	*best = NULL;
	size_t			 i, d, best_d, limit;

	limit = strlen(name) <= 3 ? 1 : CMD_SUGGEST_MAX;
	best_d = limit + 1;
	for (i = 0; i < cmd_table_len; i++) {
		d = cmd_distance(name, cmd_table[i].name);
		if (d < best_d) {
			best = &cmd_table[i];
			best_d = d;
		}
	}
	return best;
}

/* The command's options, then the global ones it may be given after it. */
struct args_option *
cmd_options_with_global(const struct cmd_entry *cmd)
{
	struct args_option	*all;
	size_t			 n = 0;

	while (cmd->options != NULL && cmd->options[n].name != NULL)
		n++;
	all = xcalloc(n + CMD_GLOBAL_ANYWHERE + 1, sizeof *all);
	if (n > 0)
		memcpy(all, cmd->options, n * sizeof *all);
	memcpy(all + n, cmd_global_options, CMD_GLOBAL_ANYWHERE * sizeof *all);
	return all;
}

/* What a command's --help says after its options, when it needs more. */
static const struct {
	const char	*name;
	const char	*text;
} cmd_notes[] = {
	{ "remind", "A DURATION is 30m, 1h, 2h30m or 2d; a bare number is "
	  "minutes (90 is 1h30m).\nsnooze without one uses [reminders] snooze "
	  "of kindlog.conf (1h);\npause without one lasts until resume." },
	{ "sync", "Without an action: the folder ([sync] dir of kindlog.conf), "
	  "this device,\nits peers and their last change, changes not written "
	  "yet, files skipped.\nnow: write pending changes to the folder and "
	  "read the peers' now;\nit returns once both are done." },
};

/* Print one command's usage, help and options. */
void
cmd_print_usage(const struct cmd_entry *cmd)
{
	size_t	i;

	printf("Usage: kindlog %s%s%s\n", cmd->name,
	    *cmd->usage != '\0' ? " " : "", cmd->usage);
	printf("%c%s.\n", toupper((unsigned char)cmd->help[0]), cmd->help + 1);
	if (cmd->alias != NULL)
		printf("Alias: %s\n", cmd->alias);
	printf("\nOptions:\n");
	args_print_help(cmd->options, true);
	for (i = 0; i < sizeof cmd_notes / sizeof cmd_notes[0]; i++) {
		if (strcmp(cmd_notes[i].name, cmd->name) == 0)
			printf("\n%s\n", cmd_notes[i].text);
	}
}

/* Print kindlog --help: usage, commands, global options. */
void
cmd_print_overview(void)
{
	const struct cmd_entry	*cmd;
	char			 names[64];
	size_t			 i;

	printf("Usage: kindlog [OPTIONS] [COMMAND [ARGS…]]\n\n"
	    "Notice and appreciate the kind things your partner does.\n"
	    "Without a command, kindlog shows a summary.\n\nCommands:\n");
	for (i = 0; i < cmd_table_len; i++) {
		cmd = &cmd_table[i];
		if (cmd->alias != NULL)
			snprintf(names, sizeof names, "%s, %s", cmd->name,
			    cmd->alias);
		else
			snprintf(names, sizeof names, "%s", cmd->name);
		printf("  %-*s%s\n", CMD_HELP_COLUMN, names, cmd->help);
	}
	printf("\nOptions:\n");
	args_print_help(cmd_global_options, true);
	printf("\n--socket, --json, --no-color and --no-autostart may also "
	    "follow the command.\nRun 'kindlog help COMMAND' for a command's "
	    "options.\n");
}

/* Report a malformed command line; returns exit code 2. */
int
cmd_usage_error(struct client_ctx *ctx, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "kindlog: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (ctx->cmd == NULL || ctx->cmd->name == NULL)
		fprintf(stderr, "\nTry 'kindlog --help'.\n");
	else
		fprintf(stderr, "\nTry 'kindlog %s --help'.\n", ctx->cmd->name);
	return CMD_EXIT_USAGE;
}

/* Look s up among names; a usage error listing them when it is none. */
int
cmd_parse_choice(struct client_ctx *ctx, const char *what, const char *s,
    const char *const *names, size_t n, int *choice)
{
	char	list[128];
	size_t	i, len = 0;

	for (i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0) {
			*choice = (int)i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; i < n && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	return cmd_usage_error(ctx, "unknown %s '%s' (use %s)", what, s,
	    list);
}

/* Parse an entry id, "12" or "#12". */
int
cmd_parse_id(struct client_ctx *ctx, const char *s, int64_t *id)
{
	const char	*digits = s;

	if (*digits == '#')
		digits++;
	if (!parse_int64(digits, 1, INT64_MAX, id))
		return cmd_usage_error(ctx, "invalid entry id '%s'", s);
	return 0;
}

/* Check a DAY expression's syntax against the local clock. */
int
cmd_check_day(struct client_ctx *ctx, const char *day)
{
	const char	*cause;
	kl_day		 out;

	if (day_parse(day, day_today(time(NULL), 0), &out, &cause))
		return 0;
	if (strcmp(cause, "cannot understand day") != 0)
		return cmd_usage_error(ctx, "%s '%s'", cause, day);
	return cmd_usage_error(ctx, "cannot understand day '%s' (try today, "
	    "yesterday, 2026-11-20, 3 days ago, monday)", day);
}

/* Print the error of a request; its exit code. */
int
cmd_error(struct client_ctx *ctx, const struct kl_error *err)
{
	const char	*unsent = ctx->cmd != NULL ? ctx->cmd->unsent : NULL;
	const char	*sep = unsent != NULL ? "; " : "";

	if (unsent == NULL)
		unsent = "";
	switch (err->code) {
	case CONNECTION_ERR_UNREACHABLE:
		fprintf(stderr, "kindlog: cannot reach kindlogd at %s: %s%s%s\n"
		    "Start it with 'kindlogd' or "
		    "'systemctl --user start kindlogd.socket'.\n",
		    ctx->socket_path, err->message, sep, unsent);
		return CMD_EXIT_UNREACHABLE;
	case CONNECTION_ERR_NOT_STARTED:
		fprintf(stderr, "kindlog: kindlogd could not start: %s%s%s\n",
		    err->message, sep, unsent);
		return CMD_EXIT_UNREACHABLE;
	case CONNECTION_ERR_UNSAFE_DIR:
		fprintf(stderr, "kindlog: will not start kindlogd: %s%s%s\n"
		    "The socket directory must be yours alone: fix its owner "
		    "or 'chmod 700' it.\n", err->message, sep, unsent);
		return CMD_EXIT_UNREACHABLE;
	case CONNECTION_ERR_LOST:
		fprintf(stderr, "kindlog: lost connection to kindlogd at %s: "
		    "%s\n", ctx->socket_path, err->message);
		return CMD_EXIT_UNREACHABLE;
	default:
		fprintf(stderr, "kindlog: %s\n", err->message);
		return CMD_EXIT_REFUSED;
	}
}

/* Send one request and wait; print the error if there is one. */
int
cmd_request(struct client_ctx *ctx, const char *method, json_t *params,
    json_t **result)
{
	struct kl_error	err;

	if (connection_request(ctx->conn, method, params, result, &err) == -1)
		return cmd_error(ctx, &err);
	return CMD_EXIT_OK;
}

/* Send one request and print its result, as JSON or through print. */
int
cmd_call(struct client_ctx *ctx, struct args *args, const char *method,
    json_t *params, cmd_print_cb print)
{
	json_t	*result;
	int	 rc;

	if ((rc = cmd_request(ctx, method, params, &result)) != 0)
		return rc;
	if (ctx->json)
		output_json(result);
	else
		print(ctx, args, result);
	json_decref(result);
	return CMD_EXIT_OK;
}
