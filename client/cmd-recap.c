/*
 * kindlog recap: a period's gestures as something you could show your
 * partner — day by day, what they do most, and what is still to thank —
 * in the terminal or as Markdown ready to paste.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "day.h"
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
	{ NULL, 0, 0, NULL, NULL }
};

/* "Tue 24 Nov" (and " 2026" with the year) for a YYYY-MM-DD day. */
static char *
cmd_recap_date(const char *iso, bool year)
{
	kl_day	day;
	int	y, m, d;

	if (!day_parse_iso(iso, &day))
		return (xstrdup(iso));
	day_to_ymd(day, &y, &m, &d);
	if (year)
		return (xasprintf("%s %d %s %d", output_weekdays[
		    day_weekday(day)], d, output_months[m - 1], y));
	return (xasprintf("%s %d %s", output_weekdays[day_weekday(day)], d,
	    output_months[m - 1]));
}

/* The local day of an RFC 3339 time as "Tue 24 Nov 2026". */
static char *
cmd_recap_when(const char *rfc3339)
{
	char	*local = output_local_time(rfc3339), *when;

	local[strcspn(local, " ")] = '\0';
	when = cmd_recap_date(local, true);
	free(local);
	return (when);
}

/* "21 Nov – 27 Nov 2026", the year once unless the period spans two. */
static char *
cmd_recap_range(json_t *r)
{
	const char	*from = output_get_str(r, "from");
	const char	*to = output_get_str(r, "to");
	char		*a, *b, *range;

	a = cmd_recap_date(from, strncmp(from, to, 4) != 0);
	b = cmd_recap_date(to, true);
	range = xasprintf("%s – %s", a, b);
	free(a);
	free(b);
	return (range);
}

/* "A week of Sam's kindness", or without a name "A week of kindness". */
static char *
cmd_recap_title(json_t *r)
{
	const char	*partner = output_get_str(r, "partner");

	if (*partner != '\0')
		return (xasprintf("A %s of %s's kindness",
		    output_get_str(r, "period"), partner));
	return (xasprintf("A %s of kindness", output_get_str(r, "period")));
}

/* "5 gestures on 4 days, 1 thanked". */
static char *
cmd_recap_counts(json_t *r)
{
	char	*gestures, *days, *line;

	gestures = output_count(output_get_int(r, "entries"), "gesture",
	    "gestures");
	days = output_count(output_get_int(r, "days_noticed"), "day", "days");
	line = xasprintf("%s on %s, %lld thanked", gestures, days,
	    output_get_int(r, "thanked"));
	free(gestures);
	free(days);
	return (line);
}

/* Whom the routine heading names: the partner, or "they". */
static char *
cmd_recap_routine_heading(json_t *r)
{
	const char	*partner = output_get_str(r, "partner");

	if (*partner != '\0')
		return (xasprintf("Things %s does again and again", partner));
	return (xstrdup("Things they do again and again"));
}

/* A routine key as people read it: "#tag" or the normalised text. */
static char *
cmd_recap_routine_label(const char *key)
{
	if (strncmp(key, "tag:", 4) == 0)
		return (xasprintf("#%s", key + 4));
	if (strncmp(key, "text:", 5) == 0)
		return (xstrdup(key + 5));
	return (xstrdup(key));
}

/* "last thanked Tue 24 Nov 2026" or "not thanked yet". */
static char *
cmd_recap_routine_thanked(json_t *group)
{
	const char	*at = output_get_str(group, "last_thanked");
	char		*when, *line;

	if (*at == '\0')
		return (xstrdup("not thanked yet"));
	when = cmd_recap_when(at);
	line = xasprintf("last thanked %s", when);
	free(when);
	return (line);
}

/* ------------------------------------------------------------ terminal */

/*
 * Print text word-wrapped to width, every line indented by indent
 * columns; the first line continues after first columns already used.
 * Returns the column where the text ends.
 */
static int
cmd_recap_wrap(const char *text, int indent, int first, int width)
{
	char	*copy = output_sanitize(text), *line, *word, *save_l, *save_w;
	int	 col = first, w, room = width > indent + 20 ? width : indent + 20;
	bool	 start = true;

	for (line = strtok_r(copy, "\n", &save_l); line != NULL;
	    line = strtok_r(NULL, "\n", &save_l)) {
		if (!start) {
			printf("\n%*s", indent, "");
			col = indent;
		}
		start = true;
		for (word = strtok_r(line, " \t", &save_w); word != NULL;
		    word = strtok_r(NULL, " \t", &save_w)) {
			w = (int)output_text_width(word);
			if (!start && col + 1 + w > room) {
				printf("\n%*s", indent, "");
				col = indent;
				start = true;
			}
			printf("%s%s", start ? "" : " ", word);
			col += w + (start ? 0 : 1);
			start = false;
		}
	}
	free(copy);
	return (col);
}

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
	col = cmd_recap_wrap(output_get_str(entry, "text"),
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
		date = cmd_recap_date(output_get_str(group, "day"),
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
	label = cmd_recap_routine_heading(r);
	printf("\n%s%s%s\n", output_style(&ctx->out, OUTPUT_BOLD), label,
	    output_reset(&ctx->out));
	free(label);
	json_array_foreach(routine, i, g) {
		label = cmd_recap_routine_label(output_get_str(g, "key"));
		w = output_text_width(label);
		width = w > width ? w : width;
		free(label);
	}
	max = ctx->out.width > CMD_RECAP_ROUTINE_TAIL + 12 ?
	    (size_t)ctx->out.width - CMD_RECAP_ROUTINE_TAIL : 12;
	max = max > CMD_RECAP_ROUTINE_WIDTH ? CMD_RECAP_ROUTINE_WIDTH : max;
	width = width > max ? max : width;
	json_array_foreach(routine, i, g) {
		label = cmd_recap_routine_label(output_get_str(g, "key"));
		fit = output_fit(label, width);
		thanked = cmd_recap_routine_thanked(g);
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
		date = cmd_recap_date(output_get_str(e, "day"), false);
		printf("  %s%-*s%s  %-10s  ", output_style(&ctx->out,
		    OUTPUT_YELLOW), idw, id, output_reset(&ctx->out), date);
		col = 2 + idw + 2 + 10 + 2;
		cmd_recap_wrap(output_get_str(e, "text"), col, col,
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

/* The recap in the terminal. */
static void
cmd_recap_print(struct client_ctx *ctx, json_t *r)
{
	char	*title = cmd_recap_title(r), *range = cmd_recap_range(r);
	char	*counts = cmd_recap_counts(r);

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
	cmd_recap_print_unthanked(ctx, r);
}

/* ------------------------------------------------------------ markdown */

/*
 * Text as Markdown that renders as itself: the characters Markdown would
 * read as markup are escaped, control characters blanked, and each inner
 * line break becomes a hard break indented under its list item.
 */
static void
cmd_recap_md_text(const char *text)
{
	char		*copy = output_sanitize(text);
	const char	*p;
	bool		 line_start = true;

	for (p = copy; *p != '\0'; p++) {
		if (*p == '\n') {
			printf("\\\n  ");
			line_start = true;
			continue;
		}
		if (strchr("\\`*_[]<>|", *p) != NULL ||
		    (line_start && strchr("#+-=~", *p) != NULL))
			putchar('\\');
		putchar(*p);
		line_start = line_start && *p == ' ';
	}
	free(copy);
}

/* The gestures, one "## day" section each. */
static void
cmd_recap_md_days(json_t *r)
{
	json_t	*group, *entry;
	size_t	 i, j;
	char	*date, *tags;

	json_array_foreach(json_object_get(r, "days"), i, group) {
		date = cmd_recap_date(output_get_str(group, "day"), true);
		printf("\n## %s\n\n", date);
		free(date);
		json_array_foreach(json_object_get(group, "entries"), j,
		    entry) {
			printf("- ");
			cmd_recap_md_text(output_get_str(entry, "text"));
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
	label = cmd_recap_routine_heading(r);
	printf("\n## %s\n\n", label);
	free(label);
	json_array_foreach(json_object_get(r, "routine"), i, g) {
		label = cmd_recap_routine_label(output_get_str(g, "key"));
		thanked = cmd_recap_routine_thanked(g);
		printf("- ");
		if (*label == '#')
			printf("*%s*", label);
		else
			cmd_recap_md_text(label);
		printf(" — %lld×, %s\n", output_get_int(g, "count"), thanked);
		free(thanked);
		free(label);
	}
}

/* The still-to-thank list, each with the command that thanks it. */
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
		date = cmd_recap_date(output_get_str(e, "day"), false);
		printf("- ");
		cmd_recap_md_text(output_get_str(e, "text"));
		printf(" (%s, `kindlog thank %lld`)\n", date,
		    output_get_int(e, "id"));
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
	char	*title = cmd_recap_title(r), *range = cmd_recap_range(r);
	char	*counts = cmd_recap_counts(r);

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
		return (cmd_usage_error(ctx, "choose one of --week, --month "
		    "and --year"));
	return (0);
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

/* kindlog recap: a week, month or year of kindness, to read or share. */
int
cmd_recap(struct client_ctx *ctx, struct args *args)
{
	const char	*period;
	int		 rc;

	if ((rc = cmd_recap_period(ctx, args, &period)) != 0)
		return (rc);
	return (cmd_call(ctx, args, "recap", json_pack("{s:s}", "period",
	    period), cmd_recap_show));
}
