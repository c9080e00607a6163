/* Subcommands about reminders and the daemon's config: remind, reload. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "day.h"
#include "rfc3339.h"
#include "xmalloc.h"

/* Width of the labels in remind status. */
#define CMD_REMIND_LABEL 15

/* One action of kindlog remind. */
struct cmd_remind_action {
	const char	*name;
	const char	*method;
	int		 min_args;	/* after the action name */
	int		 max_args;
};

static const struct cmd_remind_action cmd_remind_actions[] = {
	{ "status", "remind.status", 0, 0 },
	{ "next", "remind.status", 0, 0 },
	{ "now", "remind.now", 0, 0 },
	{ "snooze", "remind.snooze", 0, 1 },
	{ "pause", "remind.pause", 0, 1 },
	{ "resume", "remind.resume", 0, 0 },
};

/* A local time for people: "today 20:30", "Sat 2026-11-28 12:30". */
char *
cmd_remind_when(const char *rfc3339)
{
	struct tm	then, now;
	time_t		t, n = time(NULL);
	char		clock[16], date[32];
	kl_day		day, today;

	if (!time_parse_rfc3339(rfc3339, &t) || localtime_r(&t, &then) == NULL)
		return (xstrdup(rfc3339));
	localtime_r(&n, &now);
	day = day_from_ymd(then.tm_year + 1900, then.tm_mon + 1, then.tm_mday);
	today = day_from_ymd(now.tm_year + 1900, now.tm_mon + 1, now.tm_mday);
	strftime(clock, sizeof clock, "%H:%M", &then);
	if (day == today)
		return (xasprintf("today %s", clock));
	if (day == today + 1)
		return (xasprintf("tomorrow %s", clock));
	strftime(date, sizeof date, "%a %Y-%m-%d", &then);
	return (xasprintf("%s %s", date, clock));
}

/* One line about when the next reminder comes, or why none does. */
char *
cmd_remind_next_line(json_t *status)
{
	const char	*next = output_get_str(status, "next");
	const char	*paused = output_get_str(status, "paused_until");
	char		*when, *line;

	if (!output_get_bool(status, "enabled"))
		return (xstrdup("off"));
	if (output_get_bool(status, "paused") && *paused == '\0')
		return (xstrdup("paused until 'kindlog remind resume'"));
	if (*next == '\0')
		return (xstrdup("none scheduled"));
	when = cmd_remind_when(next);
	if (output_get_bool(status, "paused")) {
		char *until = cmd_remind_when(paused);
		line = xasprintf("%s (paused until %s)", when, until);
		free(until);
	} else
		line = xstrdup(when);
	free(when);
	return (line);
}

/* Join a JSON array of strings with ", ". */
static char *
cmd_remind_join(json_t *array)
{
	json_t	*item;
	size_t	 i, len = 0;
	char	*out = xstrdup("");

	json_array_foreach(array, i, item) {
		const char *s = json_string_value(item);
		if (s == NULL)
			continue;
		out = xreallocarray(out, 1, len + strlen(s) + 3);
		len += (size_t)sprintf(out + len, "%s%s", i > 0 ? ", " : "", s);
	}
	return (out);
}

/* The reminder state in human form. */
static void
cmd_remind_print_status(json_t *status)
{
	json_t		*last = json_object_get(status, "last_delivery");
	const char	*quiet = output_get_str(status, "quiet_hours");
	const char	*recap = output_get_str(status, "weekly_recap");
	const char	*snoozed = output_get_str(status, "snoozed_until");
	char		*s;

	s = cmd_remind_next_line(status);
	output_field("Next reminder", CMD_REMIND_LABEL, "%s", s);
	free(s);
	s = cmd_remind_join(json_object_get(status, "times"));
	output_field("Times", CMD_REMIND_LABEL, "%s", s);
	free(s);
	s = cmd_remind_join(json_object_get(status, "days"));
	output_field("Days", CMD_REMIND_LABEL, "%s", s);
	free(s);
	output_field("Quiet hours", CMD_REMIND_LABEL, "%s",
	    *quiet != '\0' ? quiet : "none");
	output_field("Skip if logged", CMD_REMIND_LABEL, "%s",
	    output_get_bool(status, "skip_if_logged") ? "yes" : "no");
	if (*snoozed != '\0') {
		s = cmd_remind_when(snoozed);
		output_field("Snoozed until", CMD_REMIND_LABEL, "%s", s);
		free(s);
	}
	if (output_get_bool(status, "not_today"))
		output_field("Not today", CMD_REMIND_LABEL,
		    "no more reminders today");
	output_field("Weekly recap", CMD_REMIND_LABEL, "%s",
	    *recap != '\0' ? recap : "off");
	if (json_is_object(last)) {
		s = cmd_remind_when(output_get_str(last, "at"));
		if (output_get_bool(last, "ok"))
			output_field("Last delivery", CMD_REMIND_LABEL,
			    "%s, shown", s);
		else
			output_field("Last delivery", CMD_REMIND_LABEL,
			    "%s, failed: %s", s, output_get_str(last, "error"));
		free(s);
	}
}

/* The params of a remind action: {"duration"} when one was given. */
static int
cmd_remind_params(struct client_ctx *ctx, struct args *args,
    json_t **params)
{
	int64_t	seconds;

	*params = NULL;
	if (args->argc < 2)
		return (0);
	if (!duration_parse(args->argv[1], &seconds) || seconds <= 0)
		return (cmd_usage_error(ctx, "invalid duration '%s' (try 30m, "
		    "1h, 2h30m or 3d)", args->argv[1]));
	*params = json_pack("{s:s}", "duration", args->argv[1]);
	return (0);
}

/* The result of a remind action: the state, or what comes next. */
static void
cmd_remind_print(struct client_ctx *ctx, struct args *args, json_t *result)
{
	const char	*name = args->argc > 0 ? args->argv[0] : "status";
	char		*line;

	if (strcmp(name, "status") == 0) {
		cmd_remind_print_status(result);
		return;
	}
	if (strcmp(name, "now") == 0)
		printf("Sent a reminder to the notification server.\n");
	line = cmd_remind_next_line(result);
	printf("Next reminder: %s\n", line);
	free(line);
}

/* kindlog remind [status|next|now|snooze [D]|pause [D]|resume]. */
int
cmd_remind(struct client_ctx *ctx, struct args *args)
{
	const struct cmd_remind_action	*action = NULL;
	const char			*name = args->argc > 0 ?
					    args->argv[0] : "status";
	json_t				*params;
	size_t				 i;
	int				 rc, extra = args->argc - 1;

	for (i = 0; i < sizeof cmd_remind_actions /
	    sizeof cmd_remind_actions[0]; i++) {
		if (strcmp(cmd_remind_actions[i].name, name) == 0)
			action = &cmd_remind_actions[i];
	}
	if (action == NULL)
		return (cmd_usage_error(ctx, "unknown remind action '%s'",
		    name));
	if (extra < 0)
		extra = 0;
	if (extra < action->min_args || extra > action->max_args)
		return (cmd_usage_error(ctx, "wrong number of arguments for "
		    "'remind %s'", name));
	if ((rc = cmd_remind_params(ctx, args, &params)) != 0)
		return (rc);
	return (cmd_call(ctx, args, action->method, params, cmd_remind_print));
}

/* "Reloaded PATH". */
static void
cmd_reload_print(struct client_ctx *ctx, struct args *args, json_t *result)
{
	printf("Reloaded %s\n", output_get_str(result, "config"));
}

/* kindlog reload: make the daemon re-read its config file. */
int
cmd_reload(struct client_ctx *ctx, struct args *args)
{
	return (cmd_call(ctx, args, "reload", NULL, cmd_reload_print));
}
