/*
 * The recap as a page (recap-html.h). Every element is closed and every
 * text escaped, so a strict parser reads it; the style sheet is inline
 * and print-minded: serif text, two columns of days on paper, the
 * heatmap's colours kept when printed.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "output.h"
#include "recap-html.h"
#include "recap-text.h"
#include "xmalloc.h"

/* Shades of the heatmap: 0, 1, 2, 3 and 4 or more gestures a day. */
#define RECAP_HTML_LEVELS 5

static const char recap_html_style[] =
	":root{color-scheme:light}"
	"body{font:11pt/1.45 Georgia,'DejaVu Serif',serif;color:#2b2522;"
	"background:#fffdf9;max-width:46em;margin:2em auto;padding:0 1.5em}"
	"h1{font-size:1.7em;font-weight:normal;margin:0 0 .15em;"
	"color:#8a3324}"
	"h2{font-size:.95em;text-transform:uppercase;letter-spacing:.08em;"
	"color:#8a3324;border-bottom:1px solid #eadbd3;padding-bottom:.2em;"
	"margin:1.5em 0 .6em}"
	"h3{font-size:1em;margin:0 0 .15em}"
	".sub{color:#6b5f59;margin:0}"
	"ul{margin:0;padding-left:1.2em}"
	"li{margin:.1em 0}"
	".day{break-inside:avoid;margin:0 0 .8em}"
	".tags{color:#8c7f78;font-size:.9em}"
	".thanked{color:#4f7d4a}"
	".note{color:#6b5f59;font-style:italic}"
	".heat{border-collapse:separate;border-spacing:2px;"
	"font:7.5pt sans-serif;color:#8c7f78}"
	".heat th{font-weight:normal;text-align:left;white-space:nowrap;"
	"padding:0 .4em 0 0;height:11px;line-height:11px}"
	".heat thead th{padding:0}"
	".heat td{width:11px;height:11px;padding:0;border-radius:2px;"
	"background:#efe7e2}"
	".heat td.o{background:none}"
	".heat td.l1{background:#f6cdbf}"
	".heat td.l2{background:#ee9f88}"
	".heat td.l3{background:#dc6a50}"
	".heat td.l4{background:#b03a26}"
	".heat td.t{outline:1.5px solid #2b2522}"
	".legend{font:7.5pt sans-serif;color:#8c7f78;margin:.3em 0 0}"
	".legend span{display:inline-block;width:9px;height:9px;"
	"border-radius:2px;margin:0 1px;vertical-align:-1px}"
	"footer{margin-top:2em;color:#8c7f78;font-size:.85em}"
	"@media (min-width:52em){.days{columns:2;column-gap:2.5em}}"
	"@page{size:A4;margin:1.5cm}"
	"@media print{body{margin:0;max-width:none;background:#fff;"
	"font-size:10pt}.days,.still{columns:2;column-gap:2em}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/* The legend's colours, level 0 first, as the style sheet has them. */
static const char *const recap_html_shades[RECAP_HTML_LEVELS] = {
	"#efe7e2", "#f6cdbf", "#ee9f88", "#dc6a50", "#b03a26"
};

void
recap_html_text(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\n':
			fputs("<br>", f);
			break;
		case '\r':
			break;
		default:
			/* Other control characters have no place in a page. */
			putc((unsigned char)*s < 0x20 && *s != '\t' ? ' ' : *s,
			    f);
		}
	}
}

/* Write s escaped, then free it. */
static void
recap_html_text_free(FILE *f, char *s)
{
	recap_html_text(f, s);
	free(s);
}

/* The head: title, character set and the style sheet. */
static void
recap_html_head(FILE *f, json_t *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>", f);
	recap_html_text_free(f, recap_text_title(r));
	fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n",
	    recap_html_style);
}

/* The title and what the period holds. */
static void
recap_html_header(FILE *f, json_t *r)
{
	fputs("<header>\n<h1>", f);
	recap_html_text_free(f, recap_text_title(r));
	fputs("</h1>\n<p class=\"sub\">", f);
	recap_html_text_free(f, recap_text_range(r));
	fputs(" · ", f);
	if (output_get_int(r, "entries") > 0)
		recap_html_text_free(f, recap_text_counts(r));
	else
		fputs("nothing written down in these days yet", f);
	fputs("</p>\n</header>\n", f);
}

/* A day's count, found in a {"day", "count"} array (or a recap's days). */
static long long
recap_html_count(json_t *days, const char *iso)
{
	json_t	*d;
	size_t	 i;

	json_array_foreach(days, i, d) {
		if (strcmp(output_get_str(d, "day"), iso) != 0)
			continue;
		if (json_object_get(d, "count") != NULL)
			return output_get_int(d, "count");
		return (long long)json_array_size(json_object_get(d,
		    "entries"));
	}
	return 0;
}

/* The heatmap's bounds: from a Monday to the period's last day. */
struct recap_html_span {
	kl_day	 first;		/* a Monday */
	kl_day	 since, until;	/* the period */
	kl_day	 today;
	int	 weeks;
	json_t	*days;		/* counts, borrowed */
};

/* The span of the heatmap, from calendar when given, else the recap. */
static bool
recap_html_span(json_t *r, json_t *calendar, struct recap_html_span *s)
{
	kl_day	from;

	if (!day_parse_iso(output_get_str(r, "from"), &s->since) ||
	    !day_parse_iso(output_get_str(r, "to"), &s->until))
		return false;
	if (!day_parse_iso(output_get_str(r, "today"), &s->today))
		s->today = s->until;
	from = s->since;
	s->days = json_object_get(r, "days");
	if (calendar != NULL && day_parse_iso(output_get_str(calendar,
	    "from"), &from) && from <= s->since)
		s->days = json_object_get(calendar, "days");
	else
		from = s->since;
	s->first = from - day_weekday(from);
	s->weeks = (s->until - s->first) / 7 + 1;
	return true;
}

/*
 * The month a week column is labelled with: the month of its Sunday when
 * the week holds a 1st (*starts), else the month of its Monday.
 */
static int
recap_html_month(kl_day monday, bool *starts)
{
	int	y, m, d;

	day_to_ymd(monday + 6, &y, &m, &d);
	*starts = d <= 7;
	if (!*starts)
		day_to_ymd(monday, &y, &m, &d);
	return m - 1;
}

/* The month names above the weeks, each over its weeks in the span. */
static void
recap_html_months(FILE *f, const struct recap_html_span *s)
{
	int	w, next, month;
	bool	starts;

	fputs("<thead><tr><th></th>", f);
	for (w = 0; w < s->weeks; w = next) {
		month = recap_html_month(s->first + 7 * w, &starts);
		for (next = w + 1; next < s->weeks; next++) {
			recap_html_month(s->first + 7 * next, &starts);
			if (starts)
				break;
		}
		/* A label wider than its one column would run into the next. */
		fprintf(f, "<th colspan=\"%d\">%s</th>", next - w,
		    next - w >= 2 || s->weeks == 1 ? output_months[month] : "");
	}
	fputs("</tr></thead>\n", f);
}

/* One cell of the heatmap. */
static void
recap_html_cell(FILE *f, const struct recap_html_span *s, kl_day day)
{
	char		 iso[DAY_ISO_LEN], *date;
	long long	 n;
	int		 level;

	if (day < s->since || day > s->until) {
		fputs("<td class=\"o\"></td>", f);
		return;
	}
	n = recap_html_count(s->days, day_format(day, iso));
	level = n >= RECAP_HTML_LEVELS - 1 ? RECAP_HTML_LEVELS - 1 : (int)n;
	fprintf(f, "<td class=\"l%d%s\" title=\"", level,
	    day == s->today ? " t" : "");
	date = recap_text_date(iso, true);
	recap_html_text_free(f, date);
	fprintf(f, ": %lld\"></td>", n);
}

/* The period as a heatmap: a row per weekday, a column per week. */
static void
recap_html_calendar(FILE *f, json_t *r, json_t *calendar)
{
	struct recap_html_span	 s;
	int			 w, row, level;

	if (!recap_html_span(r, calendar, &s))
		return;
	fputs("<section class=\"calendar\">\n<h2>Days noticed</h2>\n"
	    "<table class=\"heat\">\n", f);
	recap_html_months(f, &s);
	fputs("<tbody>\n", f);
	for (row = 0; row < 7; row++) {
		fprintf(f, "<tr><th>%s</th>", row % 2 == 0 ?
		    output_weekdays[row] : "");
		for (w = 0; w < s.weeks; w++)
			recap_html_cell(f, &s, s.first + 7 * w + row);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n<p class=\"legend\">0 ", f);
	for (level = 0; level < RECAP_HTML_LEVELS; level++)
		fprintf(f, "<span style=\"background:%s\"></span>",
		    recap_html_shades[level]);
	fputs(" 4+ gestures a day</p>\n</section>\n", f);
}

/* One gesture: its text, tags, and a check when thanked. */
static void
recap_html_entry(FILE *f, json_t *entry)
{
	char	*tags = output_tags(json_object_get(entry, "tags"));

	fputs("<li>", f);
	recap_html_text(f, output_get_str(entry, "text"));
	if (tags != NULL) {
		fputs(" <span class=\"tags\">", f);
		recap_html_text_free(f, tags);
		fputs("</span>", f);
	}
	if (json_is_object(json_object_get(entry, "thanked")))
		fputs(" <span class=\"thanked\" title=\"thanked\">✓</span>", f);
	fputs("</li>\n", f);
}

/* The gestures, a heading per day, oldest day first. */
static void
recap_html_days(FILE *f, json_t *r)
{
	json_t	*group, *entry;
	size_t	 i, j;

	if (json_array_size(json_object_get(r, "days")) == 0)
		return;
	fputs("<h2>Day by day</h2>\n<section class=\"days\">\n", f);
	json_array_foreach(json_object_get(r, "days"), i, group) {
		fputs("<div class=\"day\">\n<h3>", f);
		recap_html_text_free(f, recap_text_date(output_get_str(group,
		    "day"), strncmp(output_get_str(group, "day"),
		    output_get_str(r, "to"), 4) != 0));
		fputs("</h3>\n<ul>\n", f);
		json_array_foreach(json_object_get(group, "entries"), j, entry)
			recap_html_entry(f, entry);
		fputs("</ul>\n</div>\n", f);
	}
	fputs("</section>\n", f);
	if (output_get_bool(r, "truncated"))
		fputs("<p class=\"note\">Older gestures of the period are left "
		    "out here.</p>\n", f);
}

/* Most used tags and the gestures that come again and again. */
static void
recap_html_kinds(FILE *f, json_t *r)
{
	json_t	*g;
	size_t	 i;

	if (json_array_size(json_object_get(r, "top_tags")) > 0) {
		fputs("<h2>Most often</h2>\n<p>", f);
		json_array_foreach(json_object_get(r, "top_tags"), i, g) {
			fputs(i > 0 ? ", " : "", f);
			fputs("<span class=\"tags\">#", f);
			recap_html_text(f, output_get_str(g, "tag"));
			fprintf(f, "</span> %lld×", output_get_int(g, "count"));
		}
		fputs("</p>\n", f);
	}
	if (json_array_size(json_object_get(r, "routine")) == 0)
		return;
	fputs("<h2>", f);
	recap_html_text_free(f, recap_text_routine_heading(r));
	fputs("</h2>\n<ul>\n", f);
	json_array_foreach(json_object_get(r, "routine"), i, g) {
		fputs("<li>", f);
		recap_html_text_free(f, recap_text_routine_label(
		    output_get_str(g, "key")));
		fprintf(f, " — %lld×, ", output_get_int(g, "count"));
		recap_html_text_free(f, recap_text_routine_thanked(g));
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
}

/* What is still to thank, without the commands that would do it. */
static void
recap_html_unthanked(FILE *f, json_t *r)
{
	json_t		*list = json_object_get(r, "still_to_thank"), *e;
	long long	 total = output_get_int(r, "unthanked");
	size_t		 i;

	if (total == 0)
		return;
	fputs("<h2>Still to thank</h2>\n<ul class=\"still\">\n", f);
	json_array_foreach(list, i, e) {
		fputs("<li>", f);
		recap_html_text(f, output_get_str(e, "text"));
		fputs(" <span class=\"tags\">(", f);
		recap_html_text_free(f, recap_text_date(output_get_str(e,
		    "day"), false));
		fputs(")</span></li>\n", f);
	}
	if (total > (long long)json_array_size(list))
		fprintf(f, "<li>… and %lld more</li>\n",
		    total - (long long)json_array_size(list));
	fputs("</ul>\n", f);
}

int
recap_html_write(FILE *f, json_t *recap, json_t *calendar)
{
	recap_html_head(f, recap);
	recap_html_header(f, recap);
	recap_html_calendar(f, recap, calendar);
	recap_html_days(f, recap);
	recap_html_kinds(f, recap);
	recap_html_unthanked(f, recap);
	fputs("<footer>Noticed and written down with kindlog.</footer>\n"
	    "</body>\n</html>\n", f);
	return ferror(f) ? -1 : 0;
}
