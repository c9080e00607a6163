/* Tables, colour and the human forms of ENTRY and STREAK. */

#include <sys/ioctl.h>

#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "output.h"
#include "rfc3339.h"
#include "strnum.h"
#include "xmalloc.h"

const char *const output_weekdays[7] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};
const char *const output_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/* Space between table columns. */
#define OUTPUT_GAP 2
/* A shrinkable column first gives way down to this many columns ... */
#define OUTPUT_MIN_SHRINK 8
/* ... and, on the narrowest terminals, the last of them this narrow. */
#define OUTPUT_MIN_TINY 4
/* Width when nothing better is known. */
#define OUTPUT_DEFAULT_WIDTH 80

#define OUTPUT_ELLIPSIS "…"

struct output_table {
	const struct output		*out;
	const struct output_column	*columns;
	size_t				 ncolumns;
	char				**cells;	/* nrows * ncolumns */
	size_t				 nrows;
	size_t				 next;		/* next cell in the row */
};

/* Escape sequences for each style, in enum order. */
static const char *const output_styles[] = {
	[OUTPUT_PLAIN] = "",
	[OUTPUT_BOLD] = "\033[1m",
	[OUTPUT_DIM] = "\033[2m",
	[OUTPUT_GREEN] = "\033[32m",
	[OUTPUT_YELLOW] = "\033[33m",
};

/* The terminal width: $COLUMNS, then the tty's size, then 80. */
static int
output_find_width(bool tty)
{
	struct winsize	 ws;
	const char	*columns = getenv("COLUMNS");
	int64_t		 n;

	if (columns != NULL && parse_int64(columns, 1, 10000, &n))
		return (int)n;
	if (tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return OUTPUT_DEFAULT_WIDTH;
}

/* Decide colour and width from the terminal and environment. */
void
output_init(struct output *out, bool no_color)
{
	const char	*no_color_env = getenv("NO_COLOR");

	out->tty = isatty(STDOUT_FILENO);
	out->color = out->tty && !no_color &&
	    (no_color_env == NULL || *no_color_env == '\0');
	out->width = output_find_width(out->tty);
}

/* The escape sequence for a style, if colour is on. */
const char *
output_style(const struct output *out, enum output_style style)
{
	if (!out->color)
		return "";
	return output_styles[style];
}

/* The escape sequence that ends a style, if colour is on. */
const char *
output_reset(const struct output *out)
{
	return out->color ? "\033[0m" : "";
}

/* The mark shown for thanked entries. */
const char *
output_check(const struct output *out)
{
	return out->tty ? "✓" : "yes";
}

/*
 * Decode one UTF-8 sequence at s into *cp and return its length. A byte
 * that does not start a valid sequence is returned alone as U+FFFD.
 */
static size_t
output_utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t	len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		*cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		*cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		*cp = s[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return len;
}

/* True for C0 and C1 control characters and DEL. */
static bool
output_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Columns one code point takes; unknown ones count as one. */
static size_t
output_cp_width(uint32_t cp)
{
	int	w;

	static bool	locale_set;

	if (output_is_control(cp) || cp < 0x80)
		return 1;	/* ASCII needs no locale: most text never loads one */
	if (!locale_set) {
		/* Only wcwidth needs it; most commands never get here. */
		setlocale(LC_CTYPE, "");
		locale_set = true;
	}
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1;
	return (size_t)w;
}

/* Terminal columns a UTF-8 string takes. */
size_t
output_text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 width = 0;

	while (*p != '\0') {
		p += output_utf8_next(p, &cp);
		width += output_cp_width(cp);
	}
	return width;
}

/* The first line of s, blanked and cut to width. */
char *
output_fit(const char *s, size_t width)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*buf;
	size_t			 len = 0, col = 0, cut = 0, n, w;
	uint32_t		 cp;
	bool			 over = false;

	buf = xmalloc(strlen(s) + sizeof OUTPUT_ELLIPSIS);
	while (*p != '\0' && *p != '\n') {
		n = output_utf8_next(p, &cp);
		w = output_cp_width(cp);
		if (col + w > width)
			over = true;
		if (col + w + 1 <= width)
			cut = len + (output_is_control(cp) ? 1 : n);
		if (output_is_control(cp))
			buf[len++] = ' ';
		else {
			memcpy(buf + len, p, n);
			len += n;
		}
		col += w;
		p += n;
	}
	buf[len] = '\0';
	if (*p == '\n' && col + 1 > width)
		over = true;
	if (over) {
		len = cut;
		while (len > 0 && buf[len - 1] == ' ')
			len--;
		buf[len] = '\0';
	}
	if ((over || *p == '\n') && width > 0)
		strcat(buf, OUTPUT_ELLIPSIS);
	return buf;
}

/* Copy s with control characters blanked. */
char *
output_sanitize(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			*buf;
	size_t			 len = 0, n;
	uint32_t		 cp;

	buf = xmalloc(strlen(s) + 1);
	while (*p != '\0') {
		n = output_utf8_next(p, &cp);
		if (output_is_control(cp) && cp != '\n' && cp != '\t')
			buf[len++] = ' ';
		else {
			memcpy(buf + len, p, n);
			len += n;
		}
		p += n;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * Text as Markdown that renders as itself: the characters Markdown would
 * read as markup are escaped, control characters blanked, and each inner
 * line break becomes a hard break indented under its list item.
 */
void
output_markdown(FILE *f, const char *text)
{
	char		*copy = output_sanitize(text);
	const char	*p;
	bool		 line_start = true;

	for (p = copy; *p != '\0'; p++) {
		if (*p == '\n') {
			fputs("\\\n  ", f);
			line_start = true;
			continue;
		}
		if (strchr("\\`*_[]<>|", *p) != NULL ||
		    (line_start && strchr("#+-=~", *p) != NULL))
			putc('\\', f);
		putc(*p, f);
		line_start = line_start && *p == ' ';
	}
	free(copy);
}

/*
 * Print one line of text (no LF in it) wrapped to width at spaces; a word
 * wider than a line is broken where the line ends.
 */
static void
output_wrap_line(const char *s, size_t width, int indent)
{
	const unsigned char	*p = (const unsigned char *)s, *word;
	uint32_t		 cp;
	size_t			 col = 0, w, n, wlen;

	while (*p != '\0') {
		if (*p == ' ') {
			p++;
			continue;
		}
		for (word = p, w = 0; *p != '\0' && *p != ' '; p += n) {
			n = output_utf8_next(p, &cp);
			w += output_cp_width(cp);
		}
		wlen = (size_t)(p - word);
		if (col > 0 && col + 1 + w > width) {
			printf("\n%*s", indent, "");
			col = 0;
		} else if (col > 0) {
			putchar(' ');
			col++;
		}
		while (wlen > 0) {
			n = output_utf8_next(word, &cp);
			if (col > 0 && col + output_cp_width(cp) > width) {
				printf("\n%*s", indent, "");
				col = 0;
			}
			fwrite(word, 1, n, stdout);
			col += output_cp_width(cp);
			word += n;
			wlen -= n;
		}
	}
	putchar('\n');
}

/* Print text wrapped to width, each of its lines wrapped on its own. */
void
output_wrap(const char *text, size_t width)
{
	char	*copy = output_sanitize(text), *line, *next, *t;

	for (t = copy; *t != '\0'; t++) {
		if (*t == '\t')
			*t = ' ';
	}
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		output_wrap_line(line, width, 0);
	}
	free(copy);
}

/* Create an empty table. */
struct output_table *
output_table_create(const struct output *out,
    const struct output_column *columns, size_t ncolumns)
{
	struct output_table	*table;

	table = xcalloc(1, sizeof *table);
	table->out = out;
	table->columns = columns;
	table->ncolumns = ncolumns;
	return table;
}

/* Start a new row of empty cells. */
void
output_table_row(struct output_table *table)
{
	size_t	i, first = table->nrows * table->ncolumns;

	table->nrows++;
	table->cells = xreallocarray(table->cells, table->nrows,
	    table->ncolumns * sizeof *table->cells);
	for (i = 0; i < table->ncolumns; i++)
		table->cells[first + i] = NULL;
	table->next = 0;
}

/* Fill the next cell of the current row. */
void
output_table_cell(struct output_table *table, const char *text)
{
	size_t	row = table->nrows - 1;

	if (table->nrows == 0 || table->next >= table->ncolumns)
		return;
	if (text != NULL && *text != '\0')
		table->cells[row * table->ncolumns + table->next] =
		    output_fit(text, SIZE_MAX);
	table->next++;
}

/* Natural width of each column: its widest cell or header. */
static void
output_table_measure(struct output_table *table, size_t *widths)
{
	size_t		 row, col, w;
	const char	*cell;

	for (col = 0; col < table->ncolumns; col++) {
		widths[col] = output_text_width(table->columns[col].header);
		for (row = 0; row < table->nrows; row++) {
			cell = table->cells[row * table->ncolumns + col];
			if (cell == NULL)
				continue;
			w = output_text_width(cell);
			if (w > widths[col])
				widths[col] = w;
		}
	}
}

/* Narrowest a column may become. */
static size_t
output_table_min_width(struct output_table *table, size_t col)
{
	size_t	w = output_text_width(table->columns[col].header);

	if (!table->columns[col].shrink)
		return SIZE_MAX;
	return w > OUTPUT_MIN_SHRINK ? w : OUTPUT_MIN_SHRINK;
}

/*
 * Take columns off the widest shrinkable column, down to its floor, while
 * the table is wider than total allows; returns the width left over.
 */
static size_t
output_table_shrink(struct output_table *table, size_t *widths,
    size_t total, size_t floor_max)
{
	size_t	width = (size_t)table->out->width, col, best, min;

	while (total > width) {
		best = SIZE_MAX;
		for (col = 0; col < table->ncolumns; col++) {
			min = output_table_min_width(table, col);
			if (min != SIZE_MAX && min > floor_max)
				min = floor_max;
			if (min == SIZE_MAX || widths[col] <= min)
				continue;
			if (best == SIZE_MAX || widths[col] > widths[best])
				best = col;
		}
		if (best == SIZE_MAX)
			break;
		widths[best]--;
		total--;
	}
	return total;
}

/*
 * Fit the table to the width: the widest shrinkable column gives way
 * first, down to its header or OUTPUT_MIN_SHRINK; on a terminal too narrow
 * for that, the last shrinkable column (TAGS after TEXT) is cut further,
 * then any, header and all, so that no line goes past the edge.
 */
static void
output_table_fit(struct output_table *table, size_t *widths)
{
	size_t	total = 0, width = (size_t)table->out->width, col;

	for (col = 0; col < table->ncolumns; col++)
		total += widths[col] + (col > 0 ? OUTPUT_GAP : 0);
	total = output_table_shrink(table, widths, total, SIZE_MAX);
	for (col = table->ncolumns; col > 0 && total > width; col--) {
		if (!table->columns[col - 1].shrink)
			continue;
		while (total > width && widths[col - 1] > OUTPUT_MIN_TINY) {
			widths[col - 1]--;
			total--;
		}
		break;
	}
	output_table_shrink(table, widths, total, 1);
}

/* Print one row of cells (header when cells is NULL). */
static void
output_table_print_row(struct output_table *table, char **cells,
    const size_t *widths)
{
	const struct output	*out = table->out;
	const char		*text;
	enum output_style	 style;
	char			*fitted;
	size_t			 col, last = 0, pad;

	for (col = 0; col < table->ncolumns; col++) {
		if (cells == NULL || cells[col] != NULL)
			last = col;
	}
	for (col = 0; col <= last; col++) {
		text = cells == NULL ? table->columns[col].header : cells[col];
		if (text == NULL)
			text = "";
		style = cells == NULL ? OUTPUT_BOLD : table->columns[col].style;
		fitted = output_fit(text, widths[col]);
		pad = widths[col] - output_text_width(fitted);
		if (col > 0)
			printf("%*s", OUTPUT_GAP, "");
		if (table->columns[col].right)
			printf("%*s", (int)pad, "");
		if (*fitted != '\0')
			printf("%s%s%s", output_style(out, style), fitted,
			    style == OUTPUT_PLAIN ? "" : output_reset(out));
		if (!table->columns[col].right && col != last)
			printf("%*s", (int)pad, "");
		free(fitted);
	}
	putchar('\n');
}

/* Fit and print the table with its header. */
void
output_table_print(struct output_table *table)
{
	size_t	*widths, row;

	widths = xcalloc(table->ncolumns, sizeof *widths);
	output_table_measure(table, widths);
	output_table_fit(table, widths);
	output_table_print_row(table, NULL, widths);
	for (row = 0; row < table->nrows; row++) {
		output_table_print_row(table,
		    table->cells + row * table->ncolumns, widths);
	}
	free(widths);
}

/* Free a table and its cells. */
void
output_table_destroy(struct output_table *table)
{
	size_t	i;

	if (table == NULL)
		return;
	for (i = 0; i < table->nrows * table->ncolumns; i++)
		free(table->cells[i]);
	free(table->cells);
	free(table);
}

/* Print a result as compact JSON. */
void
output_json(const json_t *result)
{
	json_dumpf(result, stdout, JSON_COMPACT | JSON_ENCODE_ANY);
	putchar('\n');
}

/* A string member, or "". */
const char *
output_get_str(json_t *obj, const char *key)
{
	const char	*s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : "";
}

/* An integer member, or 0. */
long long
output_get_int(json_t *obj, const char *key)
{
	return (long long)json_integer_value(json_object_get(obj, key));
}

/* A boolean member, false when absent. */
bool
output_get_bool(json_t *obj, const char *key)
{
	return json_is_true(json_object_get(obj, key));
}

/* A count with its noun: "1 day", "3 days". */
char *
output_count(long long n, const char *one, const char *many)
{
	return xasprintf("%lld %s", n, n == 1 ? one : many);
}

/* An RFC 3339 timestamp in local time. */
char *
output_local_time(const char *s)
{
	struct tm	tm;
	time_t		t;
	char		buf[64];

	if (!time_parse_rfc3339(s, &t) || localtime_r(&t, &tm) == NULL)
		return xstrdup(s);
	if (strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm) == 0)
		return xstrdup(s);
	return xstrdup(buf);
}

/* Tags as "#a #b". */
char *
output_tags(json_t *tags)
{
	char		*s = NULL, *next;
	const char	*tag;
	size_t		 i;
	json_t		*value;

	json_array_foreach(tags, i, value) {
		tag = json_string_value(value);
		if (tag == NULL)
			continue;
		if (s == NULL)
			next = xasprintf("#%s", tag);
		else
			next = xasprintf("%s #%s", s, tag);
		free(s);
		s = next;
	}
	return s;
}

/* Print one aligned "Label: value" line. */
void
output_field(const char *label, int width, const char *fmt, ...)
{
	va_list	 ap;
	char	*value;
	int	 room = output_find_width(isatty(STDOUT_FILENO)) - width - 1;

	printf("%s:%*s", label, width - (int)strlen(label), "");
	va_start(ap, fmt);
	if (vasprintf(&value, fmt, ap) == -1)
		value = NULL;
	va_end(ap);
	/* On a narrow terminal the value wraps, under itself. */
	if (value != NULL)
		output_wrap_line(value, (size_t)(room < 10 ? 10 : room),
		    width + 1);
	else
		putchar('\n');
	free(value);
}

/* Print entries as a table. */
void
output_entries(const struct output *out, json_t *entries)
{
	static const struct output_column columns[] = {
		{ "ID", true, false, OUTPUT_PLAIN },
		{ "DAY", false, false, OUTPUT_DIM },
		{ "THANKED", false, false, OUTPUT_GREEN },
		{ "TEXT", false, true, OUTPUT_PLAIN },
		{ "TAGS", false, true, OUTPUT_PLAIN },
	};
	struct output_table	*table;
	json_t			*entry;
	size_t			 i;
	char			*id, *tags;

	table = output_table_create(out, columns,
	    sizeof columns / sizeof columns[0]);
	json_array_foreach(entries, i, entry) {
		output_table_row(table);
		id = xasprintf("%lld", output_get_int(entry, "id"));
		output_table_cell(table, id);
		free(id);
		output_table_cell(table, output_get_str(entry, "day"));
		if (json_is_object(json_object_get(entry, "thanked")))
			output_table_cell(table, output_check(out));
		else
			output_table_cell(table, NULL);
		output_table_cell(table, output_get_str(entry, "text"));
		tags = output_tags(json_object_get(entry, "tags"));
		output_table_cell(table, tags);
		free(tags);
	}
	output_table_print(table);
	output_table_destroy(table);
}

/* Width of the labels in key/value blocks. */
#define OUTPUT_LABEL 10

/* Print every field of one entry. */
void
output_entry_detail(const struct output *out, json_t *entry)
{
	json_t		*thanked = json_object_get(entry, "thanked");
	const char	*created = output_get_str(entry, "created_at");
	const char	*updated = output_get_str(entry, "updated_at");
	char		*tags, *when;

	printf("%s#%lld%s  %s%s%s\n", output_style(out, OUTPUT_BOLD),
	    output_get_int(entry, "id"), output_reset(out),
	    output_style(out, OUTPUT_DIM), output_get_str(entry, "day"),
	    output_reset(out));
	output_wrap(output_get_str(entry, "text"), (size_t)out->width);
	putchar('\n');

	tags = output_tags(json_object_get(entry, "tags"));
	output_field("Tags", OUTPUT_LABEL, "%s", tags != NULL ? tags : "-");
	free(tags);
	if (json_is_object(thanked)) {
		when = output_local_time(output_get_str(thanked, "at"));
		output_field("Thanked", OUTPUT_LABEL, "%s%s%s, %s",
		    output_style(out, OUTPUT_GREEN),
		    output_get_str(thanked, "how"), output_reset(out), when);
		free(when);
	} else {
		output_field("Thanked", OUTPUT_LABEL, "not yet (kindlog thank "
		    "%lld)", output_get_int(entry, "id"));
	}
	when = output_local_time(created);
	output_field("Created", OUTPUT_LABEL, "%s", when);
	free(when);
	if (*updated != '\0' && strcmp(updated, created) != 0) {
		when = output_local_time(updated);
		output_field("Updated", OUTPUT_LABEL, "%s", when);
		free(when);
	}
}

/* The current streak in words. */
char *
output_streak_current(const struct output *out, json_t *streak, bool advise)
{
	long long	 current = output_get_int(streak, "current");
	char		*days, *s;

	if (current == 0) {
		if (advise)
			return xstrdup("none yet — log something today to "
			    "start one");
		return xstrdup("none yet");
	}
	days = output_count(current, "day", "days");
	if (advise && output_get_bool(streak, "at_risk")) {
		s = xasprintf("%s%s%s %s— log something today to keep it%s",
		    output_style(out, OUTPUT_BOLD), days, output_reset(out),
		    output_style(out, OUTPUT_YELLOW), output_reset(out));
	} else {
		s = xasprintf("%s%s%s", output_style(out, OUTPUT_BOLD), days,
		    output_reset(out));
	}
	free(days);
	return s;
}

/* Print "Streak: ..." on one line. */
void
output_streak_line(const struct output *out, json_t *streak, bool advise)
{
	char	*current = output_streak_current(out, streak, advise);

	printf("Streak: %s\n", current);
	free(current);
}

/* The best streak with its first and last day. */
char *
output_streak_best(json_t *streak)
{
	long long	 best = output_get_int(streak, "best");
	const char	*first = output_get_str(streak, "best_first");
	const char	*last = output_get_str(streak, "best_last");
	char		*days, *s;

	if (best == 0)
		return xstrdup("none yet");
	days = output_count(best, "day", "days");
	if (best == 1 || strcmp(first, last) == 0)
		s = xasprintf("%s (%s)", days, first);
	else
		s = xasprintf("%s (%s – %s)", days, first, last);
	free(days);
	return s;
}

/* Print current, best and totals of a streak. */
void
output_streak(const struct output *out, json_t *streak)
{
	char	*current, *best, *days, *entries;

	current = output_streak_current(out, streak, true);
	output_field("Current", OUTPUT_LABEL, "%s", current);
	free(current);
	best = output_streak_best(streak);
	output_field("Best", OUTPUT_LABEL, "%s", best);
	free(best);
	days = output_count(output_get_int(streak, "days_noticed"), "day",
	    "days");
	entries = output_count(output_get_int(streak, "entries"), "entry",
	    "entries");
	output_field("Noticed", OUTPUT_LABEL, "%s, %s", days, entries);
	free(days);
	free(entries);
}

/* Print text word-wrapped to width, indented (output.h). */
int
output_wrap_at(const char *text, int indent, int first, int width)
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
	return col;
}
