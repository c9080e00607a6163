/* Subcommands that show state: the summary, streak, status, version. */

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "connection.h"
#include "day.h"
#include "xmalloc.h"

/* Width of the labels in the summary and status. */
#define CMD_INFO_LABEL 14
/* Recent entries in the summary. */
#define CMD_INFO_RECENT 3

/* What the summary is made of; each member is a daemon result. */
struct cmd_info_summary {
	json_t	*streak;
	json_t	*status;
	json_t	*recent;	/* list, limit 3 */
	json_t	*unthanked;	/* list --unthanked, limit 1: for "total" */
	json_t	*remind;	/* remind.status, NULL if not supported */
	json_t	*resurface;	/* resurface, NULL if not supported */
	json_t	*nudge;		/* reflect.nudge; NULL likewise */
};

/*
 * Fetch every part of the summary from its own method: queue all the
 * requests, which go out in one write with the first read, then read the
 * replies, which kindlogd sends in order. So the summary costs one round
 * trip and one pass of the daemon's loop instead of one per part. --json
 * shows all of status, and a daemon older than the summary method needs
 * it too. Returns 0 or an exit code.
 */
static int
cmd_info_summary_fetch_parts(struct client_ctx *ctx,
    struct cmd_info_summary *s)
{
	struct {
		const char	 *method;
		json_t		 *params;
		json_t		**result;
		bool		  optional;	/* older daemons do not know it */
	} parts[] = {
		{ "streak", NULL, &s->streak, false },
		{ "status", NULL, &s->status, false },
		{ "list", json_pack("{si}", "limit", CMD_INFO_RECENT),
		  &s->recent, false },
		{ "list", json_pack("{sbsi}", "unthanked", 1, "limit", 1),
		  &s->unthanked, false },
		{ "remind.status", NULL, &s->remind, true },
		{ "resurface", NULL, &s->resurface, true },
		{ "reflect.nudge", json_pack("{sb}", "mark", !ctx->json),
		  &s->nudge, true },
	};
	const size_t	n = sizeof parts / sizeof parts[0];
	struct kl_error	err;
	json_int_t	id[sizeof parts / sizeof parts[0]];
	size_t		i;

	for (i = 0; i < n; i++) {
		if (connection_queue_request(ctx->conn, parts[i].method,
		    parts[i].params, &id[i], &err) == -1) {
			while (++i < n)
				json_decref(parts[i].params);
			return cmd_error(ctx, &err);
		}
	}
	for (i = 0; i < n; i++) {
		if (connection_read_reply(ctx->conn, id[i], parts[i].result,
		    &err) == 0)
			continue;
		if (!parts[i].optional || connection_error_is_local(&err))
			return cmd_error(ctx, &err);
	}
	return 0;
}

/* Release every part of the summary. */
static void
cmd_info_summary_free(struct cmd_info_summary *s)
{
	json_decref(s->streak);
	json_decref(s->status);
	json_decref(s->recent);
	json_decref(s->unthanked);
	json_decref(s->remind);
	json_decref(s->resurface);
	json_decref(s->nudge);
}

/*
 * Fetch the summary in one request (the summary method): its parts are
 * what the parts' methods answer, with only status's partner and the
 * unthanked count, which is all the human summary prints of those two.
 * Returns 0, an exit code, or -1 when the daemon has no summary method.
 */
static int
cmd_info_summary_fetch_one(struct client_ctx *ctx, struct cmd_info_summary *s)
{
	struct kl_error	 err;
	json_t		*r;

	if (connection_request(ctx->conn, "summary",
	    json_pack("{si}", "recent", CMD_INFO_RECENT), &r, &err) != 0) {
		if (err.code == KL_ERR_METHOD)
			return -1;
		return cmd_error(ctx, &err);
	}
	s->streak = json_incref(json_object_get(r, "streak"));
	s->status = json_pack("{sO?}", "partner",
	    json_object_get(r, "partner"));
	s->recent = json_pack("{sO?}", "entries",
	    json_object_get(r, "recent"));
	s->unthanked = json_pack("{sO?}", "total",
	    json_object_get(r, "unthanked"));
	s->remind = json_incref(json_object_get(r, "reminders"));
	s->resurface = json_incref(json_object_get(r, "resurfaced"));
	s->nudge = json_incref(json_object_get(r, "reflect"));
	json_decref(r);
	if (json_is_null(s->remind)) {
		json_decref(s->remind);
		s->remind = NULL;
	}
	return 0;
}

/* The parts of the summary: one request, or one per part. */
static int
cmd_info_summary_fetch(struct client_ctx *ctx, struct cmd_info_summary *s)
{
	int	rc;

	if (!ctx->json && (rc = cmd_info_summary_fetch_one(ctx, s)) != -1)
		return rc;
	return cmd_info_summary_fetch_parts(ctx, s);
}

/* The summary as one JSON document. */
static void
cmd_info_summary_json(struct cmd_info_summary *s)
{
	json_t	*doc, *recent = json_object_get(s->recent, "entries");
	json_t	*last = json_object_get(s->nudge, "last_day");

	doc = json_pack("{sOsOsOsIsOsOsOsb}",
	    "streak", s->streak,
	    "status", s->status,
	    "recent", recent != NULL ? recent : json_null(),
	    "unthanked", (json_int_t)output_get_int(s->unthanked, "total"),
	    "reminders", s->remind != NULL ? s->remind : json_null(),
	    "resurfaced", s->resurface != NULL ? s->resurface : json_null(),
	    "last_reflection", last != NULL ? last : json_null(),
	    "reflect_due", output_get_bool(s->nudge, "due"));
	output_json(doc);
	json_decref(doc);
}

/* The reminder line: next time, paused, or off. */
static void
cmd_info_summary_remind(json_t *remind)
{
	char	*line;

	if (remind == NULL)
		return;
	line = cmd_remind_next_line(remind);
	output_field("Reminder", CMD_INFO_LABEL, "%s", line);
	free(line);
}

/* The "Today" line: logged or not, naming the partner when known. */
static void
cmd_info_summary_today(struct client_ctx *ctx, struct cmd_info_summary *s)
{
	const char	*partner = output_get_str(s->status, "partner");
	const char	*today = output_get_str(s->streak, "today");

	if (output_get_bool(s->streak, "logged_today")) {
		output_field("Today", CMD_INFO_LABEL, "%s, logged%s%s%s",
		    today, output_style(&ctx->out, OUTPUT_GREEN),
		    ctx->out.tty ? " ✓" : "", output_reset(&ctx->out));
	} else if (*partner != '\0') {
		output_field("Today", CMD_INFO_LABEL, "%s, nothing logged yet "
		    "— did %s do something kind?", today, partner);
	} else {
		output_field("Today", CMD_INFO_LABEL,
		    "%s, nothing logged yet", today);
	}
}

/*
 * One past gesture, one line: "A year ago today: …" for an anniversary,
 * "From 2026-09-15: …" for a random older one.
 */
static void
cmd_info_summary_resurface(struct client_ctx *ctx, json_t *resurface,
    json_t *streak)
{
	json_t		*entry = json_object_get(resurface, "entry");
	const char	*day = output_get_str(entry, "day");
	const char	*today = output_get_str(streak, "today");
	char		*lead, *text;
	int		 years;

	if (!json_is_object(entry))
		return;
	if (strcmp(output_get_str(resurface, "reason"), "anniversary") == 0) {
		years = atoi(today) - atoi(day);
		lead = years == 1 ? xstrdup("A year ago today") :
		    xasprintf("%d years ago today", years);
	} else
		lead = xasprintf("From %s", day);
	text = output_fit(output_get_str(entry, "text"),
	    ctx->out.width > (int)strlen(lead) + 12 ?
	    (size_t)ctx->out.width - strlen(lead) - 2 : 10);
	printf("\n%s%s:%s %s\n", output_style(&ctx->out, OUTPUT_BOLD), lead,
	    output_reset(&ctx->out), text);
	free(text);
	free(lead);
}

/*
 * One gentle line, once, when the last reflection is more than a week
 * old (or there is none after a week of days noticed): reflect.nudge
 * says when, and remembers that it was said. Never a count of what was
 * missed.
 */
static void
cmd_info_summary_reflect(struct cmd_info_summary *s)
{
	json_t	*last = json_object_get(s->nudge, "last_day");
	kl_day	 today, day;

	if (!output_get_bool(s->nudge, "due"))
		return;
	if (json_is_string(last) && day_parse_iso(json_string_value(last),
	    &day) && day_parse_iso(output_get_str(s->streak, "today"), &today))
		output_field("Reflect", CMD_INFO_LABEL, "%d days since you "
		    "last looked back: kindlog reflect", today - day);
	else
		output_field("Reflect", CMD_INFO_LABEL, "a week of gestures to "
		    "look back on: kindlog reflect");
}

/* The summary in human form. */
static void
cmd_info_summary_print(struct client_ctx *ctx, struct cmd_info_summary *s)
{
	long long	 unthanked = output_get_int(s->unthanked, "total");
	char		*current, *best, *count;

	cmd_info_summary_today(ctx, s);
	current = output_streak_current(&ctx->out, s->streak, true);
	output_field("Streak", CMD_INFO_LABEL, "%s", current);
	free(current);
	best = output_streak_best(s->streak);
	output_field("Best", CMD_INFO_LABEL, "%s", best);
	free(best);
	if (unthanked > 0) {
		count = output_count(unthanked, "entry", "entries");
		output_field("To thank", CMD_INFO_LABEL,
		    "%s (kindlog list --unthanked)", count);
		free(count);
	}
	cmd_info_summary_remind(s->remind);
	cmd_info_summary_reflect(s);
	cmd_info_summary_resurface(ctx, s->resurface, s->streak);

	if (json_array_size(json_object_get(s->recent, "entries")) == 0) {
		printf("\nNo entries yet. Log one with: kindlog add \"…\"\n");
		return;
	}
	printf("\n");
	output_entries(&ctx->out, json_object_get(s->recent, "entries"));
}

/* kindlog with no command: the one-screen summary. */
int
cmd_info_summary(struct client_ctx *ctx, struct args *args)
{
	struct cmd_info_summary	s;
	int			rc;

	memset(&s, 0, sizeof s);
	rc = cmd_info_summary_fetch(ctx, &s);
	if (rc == 0 && ctx->json)
		cmd_info_summary_json(&s);
	else if (rc == 0)
		cmd_info_summary_print(ctx, &s);
	cmd_info_summary_free(&s);
	return rc;
}

/* The streak in human form. */
static void
cmd_info_streak_print(struct client_ctx *ctx, struct args *args,
    json_t *streak)
{
	output_streak(&ctx->out, streak);
}

/* kindlog streak: current and best streak. */
int
cmd_info_streak(struct client_ctx *ctx, struct args *args)
{
	return cmd_call(ctx, args, "streak", NULL, cmd_info_streak_print);
}

/* Seconds as "3 d 4 h", "2 h 5 min", "40 s". */
static char *
cmd_info_duration(long long seconds)
{
	if (seconds >= 86400)
		return xasprintf("%lld d %lld h", seconds / 86400,
		    seconds % 86400 / 3600);
	if (seconds >= 3600)
		return xasprintf("%lld h %lld min", seconds / 3600,
		    seconds % 3600 / 60);
	if (seconds >= 60)
		return xasprintf("%lld min", seconds / 60);
	return xasprintf("%lld s", seconds);
}

/* Whether notifications work, and why not. */
static void
cmd_info_status_notifications(json_t *n)
{
	if (!json_is_object(n))
		return;
	if (output_get_bool(n, "available"))
		output_field("Notifications", CMD_INFO_LABEL, "working");
	else
		output_field("Notifications", CMD_INFO_LABEL, "unavailable: %s",
		    output_get_str(n, "reason"));
}

/* The config file, and whether there is one (same uid, same machine). */
static void
cmd_info_status_config(const char *path)
{
	struct stat	sb;

	if (*path == '\0')
		return;
	output_field("Config", CMD_INFO_LABEL, "%s%s", path,
	    stat(path, &sb) == 0 ? "" : " (none: the defaults are in use)");
}

/* The daemon's state in human form. */
static void
cmd_info_status_print(struct client_ctx *ctx, struct args *args,
    json_t *status)
{
	const char	*partner = output_get_str(status, "partner");
	char		*uptime;

	uptime = cmd_info_duration(output_get_int(status, "uptime"));
	printf("%skindlogd %s%s (protocol %lld), pid %lld, up %s\n",
	    output_style(&ctx->out, OUTPUT_BOLD),
	    output_get_str(status, "version"), output_reset(&ctx->out),
	    output_get_int(status, "protocol"), output_get_int(status, "pid"),
	    uptime);
	free(uptime);
	output_field("Socket", CMD_INFO_LABEL, "%s",
	    output_get_str(status, "socket"));
	output_field("Database", CMD_INFO_LABEL, "%s%s",
	    output_get_str(status, "database"),
	    output_get_bool(status, "readonly") ? " (read-only)" : "");
	output_field("Entries", CMD_INFO_LABEL, "%lld",
	    output_get_int(status, "entries"));
	output_field("Today", CMD_INFO_LABEL, "%s (days start at %s)",
	    output_get_str(status, "today"),
	    output_get_str(status, "day_starts_at"));
	output_field("Partner", CMD_INFO_LABEL, "%s",
	    *partner != '\0' ? partner : "not set");
	cmd_info_status_config(output_get_str(status, "config"));
	output_field("Connections", CMD_INFO_LABEL, "%lld",
	    output_get_int(status, "connections"));
	cmd_info_summary_remind(json_object_get(status, "reminders"));
	cmd_info_status_notifications(json_object_get(status,
	    "notifications"));
}

/* kindlog status: the daemon's state. */
int
cmd_info_status(struct client_ctx *ctx, struct args *args)
{
	return cmd_call(ctx, args, "status", NULL, cmd_info_status_print);
}

/* The daemon's version, under the client's printed before the call. */
static void
cmd_info_version_print(struct client_ctx *ctx, struct args *args,
    json_t *version)
{
	printf("kindlogd %s (protocol %lld)\n",
	    output_get_str(version, "version"),
	    output_get_int(version, "protocol"));
}

/* kindlog version: client and daemon versions. */
int
cmd_info_version(struct client_ctx *ctx, struct args *args)
{
	if (!ctx->json) {
		printf("kindlog %s\n", KINDLOG_VERSION);
		fflush(stdout);
	}
	return cmd_call(ctx, args, "version", NULL, cmd_info_version_print);
}
