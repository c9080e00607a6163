/*
 * kindlog recap: a period's gestures as something you could show your
 * partner — day by day, what they do most, and what is still to thank —
 * in the terminal (with your reflections of the period), or as Markdown
 * or a page (recap-html.c) to hand over: those two give no commands and
 * leave the reflections, your own notes, out.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "day.h"
#include "recap-html.h"
#include "recap-text.h"
#include "xmalloc.h"

/* Indent of the gestures under each day. */
#define CMD_RECAP_INDENT 2
/* Longest routine label before it is cut. */
#define CMD_RECAP_ROUTINE_WIDTH 40
/* Columns around a routine label: "  " and "  NNN×  last thanked DAY". */
#define CMD_RECAP_ROUTINE_TAIL 38

enum cmd_recap_key {
	CMD_RECAP_WEEK = ARGS_LONG_ONLY,
	CMD_RECAP_MONTH,
	CMD_RECAP_YEAR,
	CMD_RECAP_MARKDOWN,
	CMD_RECAP_HTML,
};

const struct args_option cmd_recap_options[] = {
	{ "week", CMD_RECAP_WEEK, no_argument, NULL,
	  "the last 7 days, today included (the default)" },
	{ "month", CMD_RECAP_MONTH, no_argument, NULL,
	  "the last 30 days" },
	{ "year", CMD_RECAP_YEAR, no_argument, NULL,
	  "the last 365 days" },
	{ "markdown", CMD_RECAP_MARKDOWN, no_argument, NULL,
	  "print Markdown, ready to paste" },
	{ "html", CMD_RECAP_HTML, no_argument, NULL,
	  "print one self-contained HTML page, to print or hand over" },
	{ NULL, 0, 0, NULL, NULL }
};

/* ------------------------------------------------------------ terminal */

/*
 * One gesture under its day: text, wrapped, then tags and a check, which
 * move to a line of their own rather than run past the width.
 */
static void
cmd_recap_print_entry(struct client_ctx *ctx, json_t *entry)
{
	char		*tags = output_tags(json_object_get(entry, "tags"));
	const char	*check = ctx->out.tty ? "✓" : "(thanked)";
	bool		 thanked;
	int		 col, tail = 0;

	thanked = json_is_object(json_object_get(entry, "thanked"));
	if (tags != NULL)
		tail += 2 + (int)output_text_width(tags);
	if (thanked)
		tail += 2 + (int)output_text_width(check);
	printf("%*s", CMD_RECAP_INDENT, "");
	col = output_wrap_at(output_get_str(entry, "text"),
	    CMD_RECAP_INDENT + 2, CMD_RECAP_INDENT, ctx->out.width);
	if (tail > 0 && col + tail > ctx->out.width)
		printf("\n%*s", CMD_RECAP_INDENT, "");
	if (tags != NULL)
		printf("  %s%s%s", output_style(&ctx->out, OUTPUT_DIM), tags,
		    output_reset(&ctx->out));
	if (thanked)
		printf("  %s%s%s", output_style(&ctx->out, OUTPUT_GREEN), check,
		    output_reset(&ctx->out));
	printf("\n");
	free(tags);
}

/* The gestures, a bold heading per day, oldest day first. */
static void
cmd_recap_print_days(struct client_ctx *ctx, json_t *r)
{
	json_t	*group, *entry;
	size_t	 i, j;
	char	*date;

	json_array_foreach(json_object_get(r, "days"), i, group) {
		date = recap_text_date(output_get_str(group, "day"),
		    strncmp(output_get_str(group, "day"),
		    output_get_str(r, "to"), 4) != 0);
		printf("\n%s%s%s\n", output_style(&ctx->out, OUTPUT_BOLD), date,
		    output_reset(&ctx->out));
		free(date);
		json_array_foreach(json_object_get(group, "entries"), j, entry)
			cmd_recap_print_entry(ctx, entry);
	}
	if (output_get_bool(r, "truncated"))
		printf("\n(older gestures of the period left out: "
		    "kindlog list --since %s --all has them all)\n",
		    output_get_str(r, "from"));
}

/* "Most often  #morning 3, #hug 1", wrapped under itself. */
static void
cmd_recap_print_tags(struct client_ctx *ctx, json_t *r)
{
	json_t	*tags = json_object_get(r, "top_tags"), *t;
	size_t	 i;
	char	*item;
	int	 col = 12, w;

	if (json_array_size(tags) == 0)
		return;
	printf("\n%sMost often%s  ", output_style(&ctx->out, OUTPUT_BOLD),
	    output_reset(&ctx->out));
	json_array_foreach(tags, i, t) {
		item = xasprintf("#%s %lld", output_get_str(t, "tag"),
		    output_get_int(t, "count"));
		w = (int)output_text_width(item) + (i > 0 ? 2 : 0);
		if (i > 0 && col + w + 1 > ctx->out.width) {
			printf(",\n%12s", "");
			col = 12;
			w -= 2;
		} else if (i > 0)
			printf(", ");
		printf("%s", item);
		col += w;
		free(item);
	}
	printf("\n");
}

/* The routine groups: label, count, when last thanked. */
static void
cmd_recap_print_routine(struct client_ctx *ctx, json_t *r)
{
	json_t	*routine = json_object_get(r, "routine"), *g;
	size_t	 i, width = 0, w, max;
	char	*label, *fit, *thanked;

	if (json_array_size(routine) == 0)
		return;
	label = recap_text_routine_heading(r);
	printf("\n%s%s%s\n", output_style(&ctx->out, OUTPUT_BOLD), label,
	    output_reset(&ctx->out));
	free(label);
	json_array_foreach(routine, i, g) {
		label = recap_text_routine_label(output_get_str(g, "key"));
		w = output_text_width(label);
		width = w > width ? w : width;
		free(label);
	}
	max = ctx->out.width > CMD_RECAP_ROUTINE_TAIL + 12 ?
	    (size_t)ctx->out.width - CMD_RECAP_ROUTINE_TAIL : 12;
	max = max > CMD_RECAP_ROUTINE_WIDTH ? CMD_RECAP_ROUTINE_WIDTH : max;
	width = width > max ? max : width;
	json_array_foreach(routine, i, g) {
		label = recap_text_routine_label(output_get_str(g, "key"));
		fit = output_fit(label, width);
		thanked = recap_text_routine_thanked(g);
		printf("  %s%*s  %3lld×  %s%s%s\n", fit,
		    (int)(width - output_text_width(fit)), "",
		    output_get_int(g, "count"), *output_get_str(g,
		    "last_thanked") == '\0' ? output_style(&ctx->out,
		    OUTPUT_YELLOW) : "", thanked, output_reset(&ctx->out));
		free(thanked);
		free(fit);
		free(label);
	}
}

/* The unthanked gestures with their ids, so thanking is one command. */
static void
cmd_recap_print_unthanked(struct client_ctx *ctx, json_t *r)
{
	json_t		*list = json_object_get(r, "still_to_thank"), *e;
	long long	 total = output_get_int(r, "unthanked");
	size_t		 i;
	int		 idw = 0, w, col;
	char		*date, *id;

	if (total == 0) {
		if (output_get_int(r, "entries") > 0)
			printf("\nAll thanked. %s\n", ctx->out.tty ? "♥" : "");
		return;
	}
	printf("\n%sStill to thank%s (%lld)\n", output_style(&ctx->out,
	    OUTPUT_BOLD), output_reset(&ctx->out), total);
	json_array_foreach(list, i, e) {
		w = snprintf(NULL, 0, "#%lld", output_get_int(e, "id"));
		idw = w > idw ? w : idw;
	}
	json_array_foreach(list, i, e) {
		id = xasprintf("#%lld", output_get_int(e, "id"));
		date = recap_text_date(output_get_str(e, "day"), false);
		printf("  %s%-*s%s  %-10s  ", output_style(&ctx->out,
		    OUTPUT_YELLOW), idw, id, output_reset(&ctx->out), date);
		col = 2 + idw + 2 + 10 + 2;
		output_wrap_at(output_get_str(e, "text"), col, col,
		    ctx->out.width);
		printf("\n");
		free(date);
		free(id);
	}
	if ((size_t)total > json_array_size(list))
		printf("  … and %lld more (kindlog list --unthanked)\n",
		    total - (long long)json_array_size(list));
	printf("%sThanked one? kindlog thank ID%s\n",
	    output_style(&ctx->out, OUTPUT_DIM), output_reset(&ctx->out));
}

/* The reflections written in the period, question and answer. */
static void
cmd_recap_print_reflections(struct client_ctx *ctx, json_t *r)
{
	json_t	*reflection;
	size_t	 i;
	char	*date;

	if (json_array_size(json_object_get(r, "reflections")) == 0)
		return;
	printf("\n%sYour reflections%s\n", output_style(&ctx->out,
	    OUTPUT_BOLD), output_reset(&ctx->out));
	json_array_foreach(json_object_get(r, "reflections"), i, reflection) {
		date = recap_text_date(output_get_str(reflection, "day"),
		    strncmp(output_get_str(reflection, "day"),
		    output_get_str(r, "to"), 4) != 0);
		printf("%s%s\n", i > 0 ? "\n" : "", date);
		free(date);
		cmd_reflect_print_answers(ctx, reflection);
	}
}

/* The recap in the terminal. */
static void
cmd_recap_print(struct client_ctx *ctx, json_t *r)
{
	char	*title = recap_text_title(r), *range = recap_text_range(r);
	char	*counts = recap_text_counts(r);

	printf("%s%s%s, %s\n", output_style(&ctx->out, OUTPUT_BOLD), title,
	    output_reset(&ctx->out), range);
	if (output_get_int(r, "entries") == 0)
		printf("Nothing logged in these days yet. "
		    "Log one with: kindlog add \"…\"\n");
	else
		printf("%s\n", counts);
	free(title);
	free(range);
	free(counts);
	cmd_recap_print_days(ctx, r);
	cmd_recap_print_tags(ctx, r);
	cmd_recap_print_routine(ctx, r);
	cmd_recap_print_reflections(ctx, r);
	cmd_recap_print_unthanked(ctx, r);
}

/* ------------------------------------------------------------ markdown */

/* The gestures, one "## day" section each. */
static void
cmd_recap_md_days(json_t *r)
{
	json_t	*group, *entry;
	size_t	 i, j;
	char	*date, *tags;

	json_array_foreach(json_object_get(r, "days"), i, group) {
		date = recap_text_date(output_get_str(group, "day"), true);
		printf("\n## %s\n\n", date);
		free(date);
		json_array_foreach(json_object_get(group, "entries"), j,
		    entry) {
			printf("- ");
			output_markdown(stdout, output_get_str(entry, "text"));
			tags = output_tags(json_object_get(entry, "tags"));
			if (tags != NULL)
				printf(" *%s*", tags);
			if (json_is_object(json_object_get(entry, "thanked")))
				printf(" ✓");
			printf("\n");
			free(tags);
		}
	}
}

/* Top tags and routine groups. */
static void
cmd_recap_md_kinds(json_t *r)
{
	json_t	*g;
	size_t	 i;
	char	*label, *thanked;

	if (json_array_size(json_object_get(r, "top_tags")) > 0) {
		printf("\n## Most often\n\n");
		json_array_foreach(json_object_get(r, "top_tags"), i, g)
			printf("- *#%s* — %lld×\n", output_get_str(g, "tag"),
			    output_get_int(g, "count"));
	}
	if (json_array_size(json_object_get(r, "routine")) == 0)
		return;
	label = recap_text_routine_heading(r);
	printf("\n## %s\n\n", label);
	free(label);
	json_array_foreach(json_object_get(r, "routine"), i, g) {
		label = recap_text_routine_label(output_get_str(g, "key"));
		thanked = recap_text_routine_thanked(g);
		printf("- ");
		if (*label == '#')
			printf("*%s*", label);
		else
			output_markdown(stdout, label);
		printf(" — %lld×, %s\n", output_get_int(g, "count"), thanked);
		free(thanked);
		free(label);
	}
}

/* The still-to-thank list, with the day of each. */
static void
cmd_recap_md_unthanked(json_t *r)
{
	json_t	*e;
	size_t	 i;
	char	*date;

	if (output_get_int(r, "unthanked") == 0)
		return;
	printf("\n## Still to thank\n\n");
	json_array_foreach(json_object_get(r, "still_to_thank"), i, e) {
		date = recap_text_date(output_get_str(e, "day"), false);
		printf("- ");
		output_markdown(stdout, output_get_str(e, "text"));
		printf(" (%s)\n", date);
		free(date);
	}
	if (output_get_int(r, "unthanked") >
	    (long long)json_array_size(json_object_get(r, "still_to_thank")))
		printf("- … and %lld more\n", output_get_int(r, "unthanked") -
		    (long long)json_array_size(json_object_get(r,
		    "still_to_thank")));
}

/* The recap as Markdown. */
static void
cmd_recap_markdown(json_t *r)
{
	char	*title = recap_text_title(r), *range = recap_text_range(r);
	char	*counts = recap_text_counts(r);

	printf("# %s\n\n*%s · %s*\n", title, range,
	    output_get_int(r, "entries") > 0 ? counts : "nothing logged yet");
	free(title);
	free(range);
	free(counts);
	cmd_recap_md_days(r);
	cmd_recap_md_kinds(r);
	cmd_recap_md_unthanked(r);
}

/* The period the options ask for; a usage error for more than one. */
static int
cmd_recap_period(struct client_ctx *ctx, struct args *args,
    const char **period)
{
	int	n = 0;

	*period = "week";
	if (args_has(args, CMD_RECAP_WEEK))
		n++;
	if (args_has(args, CMD_RECAP_MONTH)) {
		*period = "month";
		n++;
	}
	if (args_has(args, CMD_RECAP_YEAR)) {
		*period = "year";
		n++;
	}
	if (n > 1)
		return cmd_usage_error(ctx, "choose one of --week, --month "
		    "and --year");
	if (args_has(args, CMD_RECAP_MARKDOWN) && args_has(args,
	    CMD_RECAP_HTML))
		return cmd_usage_error(ctx, "choose one of --markdown and "
		    "--html");
	return 0;
}

/* The recap as Markdown or for the terminal. */
static void
cmd_recap_show(struct client_ctx *ctx, struct args *args, json_t *result)
{
	if (args_has(args, CMD_RECAP_MARKDOWN))
		cmd_recap_markdown(result);
	else
		cmd_recap_print(ctx, result);
}

/*
 * The page: the recap, then the calendar of the weeks it covers for the
 * heatmap (the recap's own days stop at its 1000 newest gestures).
 */
static int
cmd_recap_html(struct client_ctx *ctx, const char *period)
{
	json_t	*recap, *calendar = NULL;
	kl_day	 from, to;
	int	 rc;

	if ((rc = cmd_request(ctx, "recap", json_pack("{s:s}", "period",
	    period), &recap)) != 0)
		return rc;
	if (day_parse_iso(output_get_str(recap, "from"), &from) &&
	    day_parse_iso(output_get_str(recap, "to"), &to) &&
	    (rc = cmd_request(ctx, "calendar", json_pack("{s:i, s:s}",
	    "weeks", (to - (from - day_weekday(from))) / 7 + 1, "until",
	    output_get_str(recap, "to")), &calendar)) != 0) {
		json_decref(recap);
		return rc;
	}
	if (recap_html_write(stdout, recap, calendar) == -1 ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "kindlog: cannot write the page\n");
		rc = CMD_EXIT_REFUSED;
	}
	json_decref(calendar);
	json_decref(recap);
	return rc;
}

/* kindlog recap: a week, month or year of kindness, to read or share. */
int
cmd_recap(struct client_ctx *ctx, struct args *args)
{
	const char	*period;
	int		 rc;

	if ((rc = cmd_recap_period(ctx, args, &period)) != 0)
		return rc;
	if (args_has(args, CMD_RECAP_HTML) && !ctx->json)
		return cmd_recap_html(ctx, period);
	return cmd_call(ctx, args, "recap", json_pack("{s:s}", "period",
	    period), cmd_recap_show);
}
