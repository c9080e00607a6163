/*
 * The heatmap of a calendar result: a row per weekday, a column per week,
 * month names above, a legend and a total under it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "output.h"
#include "xmalloc.h"

/* How the heatmap draws: glyphs and colours for shades 0..4 and today. */
struct output_calendar_palette {
	bool		 color;
	const char	*cell[5];
	const char	*today;
};

static const struct output_calendar_palette output_calendar_plain = {
	false, { ".", "-", "+", "*", "#" }, "@"
};
/* 256-colour greens, darkest for none; ■ keeps cells square-ish. */
static const char *const output_calendar_shades[5] = {
	"\033[38;5;238m", "\033[38;5;22m", "\033[38;5;28m", "\033[38;5;34m",
	"\033[38;5;46m"
};
static const struct output_calendar_palette output_calendar_unicode = {
	true, { "■", "■", "■", "■", "■" }, "◆"
};

/* The shade of a count: 0, 1, 2, 3, 4 and more. */
static int
output_calendar_shade(long long count)
{
	return (count >= 4 ? 4 : (int)count);
}

/* One cell, with its colour when the palette has colour. */
static void
output_calendar_cell(const struct output_calendar_palette *p, long long count,
    bool today)
{
	int	shade = output_calendar_shade(count);

	if (p->color)
		printf("%s%s%s\033[0m", today ? "\033[1m" : "",
		    output_calendar_shades[shade], today ? p->today :
		    p->cell[shade]);
	else
		printf("%s", today ? p->today : p->cell[shade]);
}

/* Month names above the first week that holds the month's 1st. */
static void
output_calendar_months(kl_day from, int weeks)
{
	size_t	 len = OUTPUT_CALENDAR_GUTTER + 2 * (size_t)weeks, pos, end = 0;
	char	*line = xmalloc(len + 4);
	int	 w, y, m, d, next;

	memset(line, ' ', len + 3);
	for (w = 0; w < weeks; w++) {
		day_to_ymd(from + 7 * w + 6, &y, &m, &d);
		if (d > 7 && w > 0)
			continue;
		if (w == 0 && d > 7) {
			/* The first column's month, only if there is room. */
			for (next = 1; next < weeks; next++) {
				day_to_ymd(from + 7 * next + 6, &y, &d, &d);
				if (d <= 7)
					break;
			}
			day_to_ymd(from, &y, &m, &d);
			if (next < 3)
				continue;
		}
		pos = OUTPUT_CALENDAR_GUTTER + 2 * (size_t)w;
		if ((end > 0 && pos <= end) || pos + 3 > len)
			continue;
		memcpy(line + pos, output_months[m - 1], 3);
		end = pos + 3;
	}
	line[end] = '\0';
	printf("%s\n", line);
	free(line);
}

/* The count of each day from from on, from the calendar result. */
static long long *
output_calendar_counts(json_t *result, kl_day from, int ndays)
{
	long long	*counts = xcalloc((size_t)ndays, sizeof *counts);
	json_t		*day;
	kl_day		 d;
	size_t		 i;

	json_array_foreach(json_object_get(result, "days"), i, day) {
		if (!day_parse_iso(output_get_str(day, "day"), &d) ||
		    d < from || d >= from + ndays)
			continue;
		counts[d - from] = output_get_int(day, "count");
	}
	return (counts);
}

/* The legend and a one-line total under the heatmap. */
static void
output_calendar_legend(const struct output_calendar_palette *p, json_t *result,
    const long long *counts, int ndays)
{
	long long	total = 0, days = 0;
	int		i;

	for (i = 0; i < ndays; i++) {
		total += counts[i];
		days += counts[i] > 0;
	}
	printf("\n%*sLess ", OUTPUT_CALENDAR_GUTTER, "");
	for (i = 0; i < 5; i++) {
		output_calendar_cell(p, i, false);
		printf(" ");
	}
	printf("More   ");
	output_calendar_cell(p, 0, true);
	printf(" today\n");
	printf("%*s%lld %s on %lld %s, %s – %s\n", OUTPUT_CALENDAR_GUTTER, "",
	    total, total == 1 ? "entry" : "entries", days,
	    days == 1 ? "day" : "days", output_get_str(result, "from"),
	    output_get_str(result, "to"));
}

/* Draw the heatmap. */
int
output_calendar(json_t *calendar, bool color)
{
	const struct output_calendar_palette *p = color ?
	    &output_calendar_unicode : &output_calendar_plain;
	kl_day		 from, to, today;
	long long	*counts;
	int		 weeks, row, w, ndays;

	if (!day_parse_iso(output_get_str(calendar, "from"), &from) ||
	    !day_parse_iso(output_get_str(calendar, "to"), &to) ||
	    !day_parse_iso(output_get_str(calendar, "today"), &today) ||
	    to < from)
		return (-1);
	weeks = (to - from) / 7 + 1;
	ndays = to - from + 1;
	counts = output_calendar_counts(calendar, from, ndays);
	output_calendar_months(from, weeks);
	for (row = 0; row < 7; row++) {
		printf("%-*s", OUTPUT_CALENDAR_GUTTER, output_weekdays[row]);
		for (w = 0; w < weeks; w++) {
			if (from + 7 * w + row > to)
				break;
			if (w > 0)
				printf(" ");
			output_calendar_cell(p, counts[7 * w + row],
			    from + 7 * w + row == today);
		}
		printf("\n");
	}
	output_calendar_legend(p, calendar, counts, ndays);
	free(counts);
	return (0);
}
