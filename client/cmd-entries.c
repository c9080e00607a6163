/* Subcommands that work on entries: add, list, show, edit, rm, undo, thank. */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "strnum.h"
#include "xmalloc.h"

/* Longest text read from stdin; the daemon's own limit is far lower. */
#define CMD_ENTRIES_STDIN_MAX (1024 * 1024)
/* The text in a one-line confirmation is never cut shorter than this. */
#define CMD_ENTRIES_MIN_TEXT 20

enum cmd_entries_key {
	CMD_ENTRIES_SINCE = ARGS_LONG_ONLY,
	CMD_ENTRIES_UNTIL,
	CMD_ENTRIES_GREP,
	CMD_ENTRIES_UNTHANKED,
	CMD_ENTRIES_ALL,
	CMD_ENTRIES_THANKED,
	CMD_ENTRIES_HOW,
};

const struct args_option cmd_entries_add_options[] = {
	{ "tag", 't', required_argument, "TAG", "add a tag (repeatable)" },
	{ "day", 'd', required_argument, "DAY",
	  "the day it happened (default: today)" },
	{ "thanked", CMD_ENTRIES_THANKED, optional_argument, "HOW",
	  "already thanked: said (default), wrote, showed, other" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct args_option cmd_entries_list_options[] = {
	{ "since", CMD_ENTRIES_SINCE, required_argument, "DAY",
	  "entries from DAY on" },
	{ "until", CMD_ENTRIES_UNTIL, required_argument, "DAY",
	  "entries up to DAY" },
	{ "tag", 't', required_argument, "TAG", "entries with this tag" },
	{ "grep", CMD_ENTRIES_GREP, required_argument, "WORDS",
	  "entries whose text contains every word" },
	{ "unthanked", CMD_ENTRIES_UNTHANKED, no_argument, NULL,
	  "entries not thanked yet" },
	{ "limit", 'n', required_argument, "N",
	  "show at most N entries (default: 20)" },
	{ "all", CMD_ENTRIES_ALL, no_argument, NULL, "show every entry" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct args_option cmd_entries_edit_options[] = {
	{ "tag", 't', required_argument, "TAG",
	  "set the tags (repeatable; replaces them all)" },
	{ "day", 'd', required_argument, "DAY", "move it to another day" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct args_option cmd_entries_thank_options[] = {
	{ "how", CMD_ENTRIES_HOW, required_argument, "HOW",
	  "said (default), wrote, showed or other" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Ways of saying thank you the daemon knows. */
static const char *const cmd_entries_hows[] = {
	"said", "wrote", "showed", "other"
};

/* Set a string member; a usage error when value is not valid UTF-8. */
static int
cmd_entries_set(struct client_ctx *ctx, json_t *params, const char *key,
    const char *value)
{
	json_t	*string = json_string(value);

	if (string == NULL)
		return (cmd_usage_error(ctx, "%s is not valid UTF-8", key));
	json_object_set_new(params, key, string);
	return (0);
}

/* Set a DAY member after checking its syntax; sent as given. */
static int
cmd_entries_set_day(struct client_ctx *ctx, json_t *params, const char *key,
    const char *day)
{
	if (day == NULL)
		return (0);
	if (cmd_check_day(ctx, day) != 0)
		return (CMD_EXIT_USAGE);
	return (cmd_entries_set(ctx, params, key, day));
}

/* Set "tags" from every -t given. */
static int
cmd_entries_set_tags(struct client_ctx *ctx, struct args *args,
    json_t *params)
{
	json_t		*tags = json_array(), *tag;
	const char	*value;
	size_t		 i = 0;

	while ((value = args_next(args, 't', &i)) != NULL) {
		if ((tag = json_string(value)) == NULL) {
			json_decref(tags);
			return (cmd_usage_error(ctx, "tag is not valid UTF-8"));
		}
		json_array_append_new(tags, tag);
	}
	json_object_set_new(params, "tags", tags);
	return (0);
}

/* Check a way of thanking against the known ones. */
static int
cmd_entries_check_how(struct client_ctx *ctx, const char *option,
    const char *how)
{
	size_t	i;

	for (i = 0; i < sizeof cmd_entries_hows / sizeof *cmd_entries_hows;
	    i++) {
		if (strcmp(how, cmd_entries_hows[i]) == 0)
			return (0);
	}
	return (cmd_usage_error(ctx, "%s must be said, wrote, showed or other, "
	    "not '%s'", option, how));
}

/* Read all of stdin as the text; a NUL byte would silently cut it. */
static int
cmd_entries_read_stdin(struct client_ctx *ctx, char **text)
{
	char	*buf = NULL;
	size_t	 len = 0, size = 0;
	ssize_t	 n;

	for (;;) {
		if (len + 1 >= size) {
			size = size == 0 ? 4096 : size * 2;
			buf = xreallocarray(buf, 1, size);
		}
		n = read(STDIN_FILENO, buf + len, size - len - 1);
		if (n == 0)
			break;
		if (n == -1) {
			free(buf);
			return (cmd_usage_error(ctx, "cannot read text from "
			    "stdin: %s", strerror(errno)));
		}
		len += (size_t)n;
		if (len > CMD_ENTRIES_STDIN_MAX) {
			free(buf);
			return (cmd_usage_error(ctx, "text on stdin is too "
			    "long"));
		}
	}
	if (memchr(buf, '\0', len) != NULL) {
		free(buf);
		return (cmd_usage_error(ctx, "text on stdin contains a NUL "
		    "byte"));
	}
	buf[len] = '\0';
	*text = buf;
	return (0);
}

/* The text from the operands from first on: "-" reads stdin, words join. */
static int
cmd_entries_text(struct client_ctx *ctx, struct args *args, int first,
    char **text)
{
	size_t	len = 1;
	int	i;

	if (args->argc - first == 1 && strcmp(args->argv[first], "-") == 0)
		return (cmd_entries_read_stdin(ctx, text));
	for (i = first; i < args->argc; i++)
		len += strlen(args->argv[i]) + 1;
	*text = xcalloc(1, len);
	for (i = first; i < args->argc; i++) {
		if (i > first)
			strcat(*text, " ");
		strcat(*text, args->argv[i]);
	}
	return (0);
}

/* Set "text" from the operands from first on. */
static int
cmd_entries_set_text(struct client_ctx *ctx, struct args *args, int first,
    json_t *params)
{
	char	*text = NULL;
	int	 rc;

	if ((rc = cmd_entries_text(ctx, args, first, &text)) != 0)
		return (rc);
	rc = cmd_entries_set(ctx, params, "text", text);
	free(text);
	return (rc);
}

/* Print prefix and then as much of the entry's first line as fits. */
static void
cmd_entries_say(struct client_ctx *ctx, const char *prefix, json_t *entry)
{
	size_t	 used = output_text_width(prefix), room;
	char	*text;

	room = CMD_ENTRIES_MIN_TEXT;
	if ((size_t)ctx->out.width > used + room)
		room = (size_t)ctx->out.width - used;
	text = output_fit(output_get_str(entry, "text"), room);
	printf("%s%s\n", prefix, text);
	free(text);
}

/* "Logged #12 for 2026-11-27: made me coffee" and the streak. */
static void
cmd_entries_print_add(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t	*entry = json_object_get(result, "entry");
	char	*prefix;

	prefix = xasprintf("Logged #%lld for %s: ",
	    output_get_int(entry, "id"), output_get_str(entry, "day"));
	cmd_entries_say(ctx, prefix, entry);
	free(prefix);
	if (json_is_object(json_object_get(result, "streak")))
		output_streak_line(&ctx->out, json_object_get(result, "streak"),
		    false);
}

/* kindlog add: log a gesture. */
int
cmd_entries_add(struct client_ctx *ctx, struct args *args)
{
	json_t		*params = json_object();
	const char	*how = args_get(args, CMD_ENTRIES_THANKED);
	int		 rc;

	if ((rc = cmd_entries_set_text(ctx, args, 0, params)) != 0)
		goto fail;
	if (args_has(args, 't') &&
	    (rc = cmd_entries_set_tags(ctx, args, params)) != 0)
		goto fail;
	if ((rc = cmd_entries_set_day(ctx, params, "day",
	    args_get(args, 'd'))) != 0)
		goto fail;
	if (how != NULL && (rc = cmd_entries_check_how(ctx, "--thanked",
	    how)) != 0)
		goto fail;
	if (how != NULL)
		json_object_set_new(params, "thanked", json_string(how));
	else if (args_has(args, CMD_ENTRIES_THANKED))
		json_object_set_new(params, "thanked", json_true());
	return (cmd_call(ctx, args, "add", params,
	    cmd_entries_print_add));

fail:
	json_decref(params);
	return (rc);
}

/* True when list was asked to filter (so "no entries" means no matches). */
static bool
cmd_entries_filtered(struct args *args)
{
	return (args_has(args, CMD_ENTRIES_SINCE) ||
	    args_has(args, CMD_ENTRIES_UNTIL) || args_has(args, 't') ||
	    args_has(args, CMD_ENTRIES_GREP) ||
	    args_has(args, CMD_ENTRIES_UNTHANKED));
}

/* The entries as a table, with "N of TOTAL shown" when some are left. */
static void
cmd_entries_print_list(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t		*entries = json_object_get(result, "entries");
	long long	 total = output_get_int(result, "total");
	long long	 shown = (long long)json_array_size(entries);

	if (shown == 0 && cmd_entries_filtered(args)) {
		printf("No matching entries.\n");
		return;
	}
	if (shown == 0) {
		printf("No entries yet. Log one with: kindlog add \"…\"\n");
		return;
	}
	output_entries(&ctx->out, entries);
	if (total > shown) {
		printf("%s%lld of %lld shown%s\n",
		    output_style(&ctx->out, OUTPUT_DIM), shown, total,
		    output_reset(&ctx->out));
	}
}

/* Set "limit" from -n N or --all; absent means the daemon's default. */
static int
cmd_entries_set_limit(struct client_ctx *ctx, struct args *args,
    json_t *params)
{
	const char	*n = args_get(args, 'n');
	int64_t		 limit;

	if (args_has(args, CMD_ENTRIES_ALL)) {
		json_object_set_new(params, "limit", json_integer(0));
		return (0);
	}
	if (n == NULL)
		return (0);
	if (!parse_int64(n, 0, INT32_MAX, &limit))
		return (cmd_usage_error(ctx, "invalid number '%s' for -n", n));
	json_object_set_new(params, "limit", json_integer(limit));
	return (0);
}

/* kindlog list: the entries that match, newest first. */
int
cmd_entries_list(struct client_ctx *ctx, struct args *args)
{
	json_t		*params = json_object();
	const char	*tag = args_get(args, 't');
	const char	*grep = args_get(args, CMD_ENTRIES_GREP);
	size_t		 i = 0;
	int		 rc;

	args_next(args, 't', &i);
	if (args_next(args, 't', &i) != NULL) {
		rc = cmd_usage_error(ctx, "list takes one -t TAG");
		goto fail;
	}
	if ((rc = cmd_entries_set_day(ctx, params, "since",
	    args_get(args, CMD_ENTRIES_SINCE))) != 0 ||
	    (rc = cmd_entries_set_day(ctx, params, "until",
	    args_get(args, CMD_ENTRIES_UNTIL))) != 0)
		goto fail;
	if (tag != NULL && (rc = cmd_entries_set(ctx, params, "tag", tag)) != 0)
		goto fail;
	if (grep != NULL &&
	    (rc = cmd_entries_set(ctx, params, "grep", grep)) != 0)
		goto fail;
	if (args_has(args, CMD_ENTRIES_UNTHANKED))
		json_object_set_new(params, "unthanked", json_true());
	if ((rc = cmd_entries_set_limit(ctx, args, params)) != 0)
		goto fail;
	return (cmd_call(ctx, args, "list", params,
	    cmd_entries_print_list));

fail:
	json_decref(params);
	return (rc);
}

/* A params object holding the entry id from the first operand. */
static int
cmd_entries_id_params(struct client_ctx *ctx, struct args *args,
    json_t **params)
{
	int64_t	id;
	int	rc;

	if ((rc = cmd_parse_id(ctx, args->argv[0], &id)) != 0)
		return (rc);
	*params = json_pack("{sI}", "id", (json_int_t)id);
	return (0);
}

/* Every field of the entry. */
static void
cmd_entries_print_show(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	output_entry_detail(&ctx->out, json_object_get(result, "entry"));
}

/* Call method with just the ID argument, print with print. */
static int
cmd_entries_run_by_id(struct client_ctx *ctx, struct args *args,
    const char *method, cmd_print_cb print)
{
	json_t	*params;
	int	 rc;

	if ((rc = cmd_entries_id_params(ctx, args, &params)) != 0)
		return (rc);
	return (cmd_call(ctx, args, method, params, print));
}

/* kindlog show: one entry in full. */
int
cmd_entries_show(struct client_ctx *ctx, struct args *args)
{
	return (cmd_entries_run_by_id(ctx, args, "get",
	    cmd_entries_print_show));
}

/* "Updated #12 for 2026-11-27: made me coffee". */
static void
cmd_entries_print_edit(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t	*entry = json_object_get(result, "entry");
	char	*prefix, *tags;

	prefix = xasprintf("Updated #%lld for %s: ",
	    output_get_int(entry, "id"), output_get_str(entry, "day"));
	cmd_entries_say(ctx, prefix, entry);
	free(prefix);
	tags = output_tags(json_object_get(entry, "tags"));
	if (tags != NULL)
		printf("Tags: %s\n", tags);
	free(tags);
}

/* kindlog edit: change text, tags or day. */
int
cmd_entries_edit(struct client_ctx *ctx, struct args *args)
{
	json_t	*params;
	int	 rc;

	if (args->argc == 1 && !args_has(args, 't') && !args_has(args, 'd'))
		return (cmd_usage_error(ctx, "nothing to change (give TEXT, "
		    "-t TAG or -d DAY)"));
	if ((rc = cmd_entries_id_params(ctx, args, &params)) != 0)
		return (rc);
	if (args->argc > 1 &&
	    (rc = cmd_entries_set_text(ctx, args, 1, params)) != 0)
		goto fail;
	if (args_has(args, 't') &&
	    (rc = cmd_entries_set_tags(ctx, args, params)) != 0)
		goto fail;
	if ((rc = cmd_entries_set_day(ctx, params, "day",
	    args_get(args, 'd'))) != 0)
		goto fail;
	return (cmd_call(ctx, args, "edit", params,
	    cmd_entries_print_edit));

fail:
	json_decref(params);
	return (rc);
}

/* "Deleted #12 (kindlog undo brings it back)". */
static void
cmd_entries_print_rm(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t	*entry = json_object_get(result, "entry");

	printf("Deleted #%lld (kindlog undo brings it back)\n",
	    output_get_int(entry, "id"));
}

/* kindlog rm: soft-delete an entry. */
int
cmd_entries_rm(struct client_ctx *ctx, struct args *args)
{
	return (cmd_entries_run_by_id(ctx, args, "delete",
	    cmd_entries_print_rm));
}

/* "Restored #12: made me coffee". */
static void
cmd_entries_print_undo(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t	*entry = json_object_get(result, "entry");
	char	*prefix;

	prefix = xasprintf("Restored #%lld: ", output_get_int(entry, "id"));
	cmd_entries_say(ctx, prefix, entry);
	free(prefix);
}

/* kindlog undo: restore the last deleted entry. */
int
cmd_entries_undo(struct client_ctx *ctx, struct args *args)
{
	return (cmd_call(ctx, args, "undo", NULL,
	    cmd_entries_print_undo));
}

/* "Thanked #12 (said): made me coffee". */
static void
cmd_entries_print_thank(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t	*entry = json_object_get(result, "entry");
	json_t	*thanked = json_object_get(entry, "thanked");
	char	*prefix;

	prefix = xasprintf("Thanked #%lld (%s): ", output_get_int(entry, "id"),
	    output_get_str(thanked, "how"));
	cmd_entries_say(ctx, prefix, entry);
	free(prefix);
}

/* kindlog thank: record a thank-you. */
int
cmd_entries_thank(struct client_ctx *ctx, struct args *args)
{
	const char	*how = args_get(args, CMD_ENTRIES_HOW);
	json_t		*params;
	int		 rc;

	if (how != NULL && (rc = cmd_entries_check_how(ctx, "--how", how)) != 0)
		return (rc);
	if ((rc = cmd_entries_id_params(ctx, args, &params)) != 0)
		return (rc);
	if (how != NULL)
		json_object_set_new(params, "how", json_string(how));
	return (cmd_call(ctx, args, "thank", params,
	    cmd_entries_print_thank));
}
