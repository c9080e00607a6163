/* Subcommands that look back: stats and the calendar heatmap. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "day.h"
#include "strnum.h"
#include "xmalloc.h"

/* Width of the labels in stats. */
#define CMD_INSIGHT_LABEL 14
/* Longest bar in stats. */
#define CMD_INSIGHT_BAR 24
/* Weeks the calendar shows when --weeks is not given (and it fits). */
#define CMD_INSIGHT_WEEKS 52
/* Columns after a routine label: "  NNN×  last DAY, thanked DAY". */
#define CMD_INSIGHT_ROUTINE_TAIL 45

enum cmd_insight_key {
	CMD_INSIGHT_SINCE = ARGS_LONG_ONLY,
	CMD_INSIGHT_UNTIL,
	CMD_INSIGHT_WEEKS_KEY,
};

const struct args_option cmd_insight_stats_options[] = {
	{ "since", CMD_INSIGHT_SINCE, required_argument, "DAY",
	  "count from DAY on" },
	{ "until", CMD_INSIGHT_UNTIL, required_argument, "DAY",
	  "count up to DAY" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct args_option cmd_insight_calendar_options[] = {
	{ "weeks", CMD_INSIGHT_WEEKS_KEY, required_argument, "N",
	  "show N weeks (default: 52, fewer if the terminal is narrow)" },
	{ "until", CMD_INSIGHT_UNTIL, required_argument, "DAY",
	  "end the calendar at DAY (default: today)" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Add a checked DAY option to params. Returns 0 or an exit code. */
static int
cmd_insight_day(struct client_ctx *ctx, json_t *params, const char *name,
    const char *day)
{
	int	rc;

	if (day == NULL)
		return (0);
	if ((rc = cmd_check_day(ctx, day)) != 0)
		return (rc);
	json_object_set_new(params, name, json_string(day));
	return (0);
}

/* A bar of n out of max, CMD_INSIGHT_BAR long at most. */
static char *
cmd_insight_bar(struct client_ctx *ctx, long long n, long long max)
{
	const char	*block = ctx->out.tty ? "█" : "#";
	size_t		 len = 0, i;
	char		*bar;

	if (max > 0 && n > 0)
		len = (size_t)((n * CMD_INSIGHT_BAR + max - 1) / max);
	bar = xmalloc(len * strlen(block) + 1);
	bar[0] = '\0';
	for (i = 0; i < len; i++)
		strcat(bar, block);
	return (bar);
}

/* "label  bar  n" lines for an array of counts. */
static void
cmd_insight_bars(struct client_ctx *ctx, const char *const *labels,
    const long long *counts, size_t n, int label_width)
{
	long long	 max = 0;
	size_t		 i;
	char		*bar;

	for (i = 0; i < n; i++)
		max = counts[i] > max ? counts[i] : max;
	for (i = 0; i < n; i++) {
		bar = cmd_insight_bar(ctx, counts[i], max);
		printf("  %-*s %s%s%s%s%lld\n", label_width, labels[i],
		    output_style(&ctx->out, OUTPUT_GREEN), bar,
		    output_reset(&ctx->out), *bar != '\0' ? " " : "",
		    counts[i]);
		free(bar);
	}
}

/* The totals block of stats: entries, streaks, thanks, gap. */
static void
cmd_insight_stats_totals(json_t *r)
{
	long long	 entries = output_get_int(r, "entries");
	long long	 thanked = output_get_int(r, "thanked");
	json_t		*gap = json_object_get(r, "longest_gap");
	char		*a, *b;

	a = output_count(entries, "entry", "entries");
	b = output_count(output_get_int(r, "days_noticed"), "day", "days");
	output_field("Noticed", CMD_INSIGHT_LABEL, "%s on %s", a, b);
	free(a);
	free(b);
	a = output_count(output_get_int(r, "current"), "day", "days");
	output_field("Streak", CMD_INSIGHT_LABEL, "%s now", a);
	free(a);
	a = output_count(output_get_int(r, "best"), "day", "days");
	if (output_get_int(r, "best") > 0)
		output_field("Best streak", CMD_INSIGHT_LABEL, "%s (%s – %s)",
		    a, output_get_str(r, "best_first"),
		    output_get_str(r, "best_last"));
	free(a);
	if (entries > 0)
		output_field("Thanked", CMD_INSIGHT_LABEL,
		    "%lld of %lld (%lld%%), %lld still to thank", thanked,
		    entries, thanked * 100 / entries,
		    output_get_int(r, "unthanked"));
	if (json_is_object(gap)) {
		a = output_count(output_get_int(gap, "days"), "day", "days");
		output_field("Longest gap", CMD_INSIGHT_LABEL, "%s (%s – %s)",
		    a, output_get_str(gap, "from"), output_get_str(gap, "to"));
		free(a);
	}
}

/* Entries by weekday and by month as bars. */
static void
cmd_insight_stats_bars(struct client_ctx *ctx, json_t *r)
{
	json_t		*weekdays = json_object_get(r, "by_weekday");
	json_t		*months = json_object_get(r, "by_month"), *m;
	long long	 counts[7], *mcounts;
	const char	**labels;
	size_t		 i, n = json_array_size(months);

	for (i = 0; i < 7; i++)
		counts[i] = json_integer_value(json_array_get(weekdays, i));
	printf("\nBy weekday\n");
	cmd_insight_bars(ctx, output_weekdays, counts, 7, 7);
	if (n == 0)
		return;
	mcounts = xreallocarray(NULL, n, sizeof *mcounts);
	labels = xreallocarray(NULL, n, sizeof *labels);
	json_array_foreach(months, i, m) {
		labels[i] = output_get_str(m, "month");
		mcounts[i] = output_get_int(m, "entries");
	}
	printf("\nBy month\n");
	cmd_insight_bars(ctx, labels, mcounts, n, 7);
	free(mcounts);
	free(labels);
}

/* The top tags as "#tag  count" lines. */
static void
cmd_insight_stats_tags(struct client_ctx *ctx, json_t *r)
{
	json_t	*tags = json_object_get(r, "top_tags"), *t;
	size_t	 i, width = 0;
	char	*label;

	if (json_array_size(tags) == 0)
		return;
	json_array_foreach(tags, i, t) {
		if (strlen(output_get_str(t, "tag")) + 1 > width)
			width = strlen(output_get_str(t, "tag")) + 1;
	}
	printf("\nTop tags\n");
	json_array_foreach(tags, i, t) {
		label = xasprintf("#%s", output_get_str(t, "tag"));
		printf("  %s%-*s%s  %lld\n", output_style(&ctx->out,
		    OUTPUT_BOLD), (int)width, label, output_reset(&ctx->out),
		    output_get_int(t, "count"));
		free(label);
	}
}

/*
 * The routine gestures: what they do again and again, last thanked. The
 * label column gives way so that a line fits the terminal: what follows
 * it takes CMD_INSIGHT_ROUTINE_TAIL columns.
 */
static void
cmd_insight_stats_routine(struct client_ctx *ctx, json_t *r)
{
	json_t		*routine = json_object_get(r, "routine"), *g;
	const char	*key, *thanked;
	size_t		 i, width = 0, w, max;
	char		*raw, *label, *when;

	if (json_array_size(routine) == 0)
		return;
	json_array_foreach(routine, i, g) {
		key = output_get_str(g, "key");
		w = output_text_width(strchr(key, ':') != NULL ?
		    strchr(key, ':') + 1 : key) + 1;
		width = w > width ? w : width;
	}
	max = ctx->out.width > CMD_INSIGHT_ROUTINE_TAIL + 12 ?
	    (size_t)ctx->out.width - CMD_INSIGHT_ROUTINE_TAIL : 12;
	max = max > 40 ? 40 : max;
	width = width > max ? max : width;
	printf("\nThings they do again and again\n");
	json_array_foreach(routine, i, g) {
		key = output_get_str(g, "key");
		if (strncmp(key, "tag:", 4) == 0)
			raw = xasprintf("#%s", key + 4);
		else
			raw = xstrdup(strncmp(key, "text:", 5) == 0 ?
			    key + 5 : key);
		label = output_fit(raw, width);
		free(raw);
		thanked = output_get_str(g, "last_thanked");
		when = *thanked != '\0' ? output_local_time(thanked) : NULL;
		if (when != NULL)
			when[strcspn(when, " ")] = '\0';
		printf("  %s%*s  %3lld×  last %s, %s%s%s\n", label,
		    (int)(width - output_text_width(label)), "",
		    output_get_int(g, "count"), output_get_str(g, "last_day"),
		    when == NULL ? output_style(&ctx->out, OUTPUT_YELLOW) : "",
		    when == NULL ? "not thanked yet" : "thanked ",
		    when == NULL ? output_reset(&ctx->out) : when);
		free(when);
		free(label);
	}
}

/* The stats in human form. */
static void
cmd_insight_stats_print(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	if (output_get_int(result, "entries") == 0) {
		printf("Nothing logged in this period yet.\n");
		return;
	}
	cmd_insight_stats_totals(result);
	cmd_insight_stats_bars(ctx, result);
	cmd_insight_stats_tags(ctx, result);
	cmd_insight_stats_routine(ctx, result);
}

/* kindlog stats: counts, streaks, weekdays, months, tags, repeats. */
int
cmd_insight_stats(struct client_ctx *ctx, struct args *args)
{
	json_t	*params = json_object();
	int	 rc;

	if ((rc = cmd_insight_day(ctx, params, "since",
	    args_get(args, CMD_INSIGHT_SINCE))) != 0 ||
	    (rc = cmd_insight_day(ctx, params, "until",
	    args_get(args, CMD_INSIGHT_UNTIL))) != 0) {
		json_decref(params);
		return (rc);
	}
	return (cmd_call(ctx, args, "stats", params, cmd_insight_stats_print));
}

/* ------------------------------------------------------------ calendar */

/* Colour is on for a tty without --no-color/NO_COLOR, or forced. */
static bool
cmd_insight_color(struct client_ctx *ctx)
{
	const char	*force = getenv("KINDLOG_COLOR");

	if (force != NULL && strcmp(force, "always") == 0)
		return (true);
	if (force != NULL && strcmp(force, "never") == 0)
		return (false);
	return (ctx->out.color);
}

/* Draw the heatmap of a calendar result. */
static void
cmd_insight_heatmap(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	if (output_calendar(result, cmd_insight_color(ctx)) == -1)
		fprintf(stderr, "kindlog: the daemon sent a bad calendar\n");
}

/* kindlog calendar: a heatmap of the weeks that fit the terminal. */
int
cmd_insight_calendar(struct client_ctx *ctx, struct args *args)
{
	const char	*weeks_arg = args_get(args, CMD_INSIGHT_WEEKS_KEY);
	json_t		*params = json_object();
	int64_t		 weeks = CMD_INSIGHT_WEEKS, fit;
	int		 rc;

	if (weeks_arg != NULL && !parse_int64(weeks_arg, 1, 520, &weeks)) {
		json_decref(params);
		return (cmd_usage_error(ctx, "--weeks wants a number from 1 "
		    "to 520, not '%s'", weeks_arg));
	}
	if ((rc = cmd_insight_day(ctx, params, "until",
	    args_get(args, CMD_INSIGHT_UNTIL))) != 0) {
		json_decref(params);
		return (rc);
	}
	/* Each week takes two columns after the weekday labels. */
	fit = (ctx->out.width - OUTPUT_CALENDAR_GUTTER + 1) / 2;
	if (!ctx->json && weeks > fit)
		weeks = fit < 1 ? 1 : fit;
	json_object_set_new(params, "weeks", json_integer(weeks));
	return (cmd_call(ctx, args, "calendar", params, cmd_insight_heatmap));
}
