/*
 * Human output: colour only on a tty, aligned tables that fit the terminal,
 * ENTRY, STREAK and the calendar in words; and --json passthrough.
 *
 * Ownership: json_t arguments are borrowed; every char * returned is a
 * new string the caller frees; const char * returns are static or point
 * into the json_t they were read from, and live as long as it does.
 */
#ifndef KINDLOG_CLIENT_OUTPUT_H
#define KINDLOG_CLIENT_OUTPUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct output {
	bool	tty;		/* stdout is a terminal */
	bool	color;		/* tty, no --no-color, no NO_COLOR */
	int	width;		/* columns to fit in */
};

enum output_style {
	OUTPUT_PLAIN,
	OUTPUT_BOLD,
	OUTPUT_DIM,
	OUTPUT_GREEN,
	OUTPUT_YELLOW,
};

struct output_column {
	const char		*header;
	bool			 right;		/* right-aligned (numbers) */
	bool			 shrink;	/* may be truncated to fit */
	enum output_style	 style;
};

struct output_table;

/* English short names, Monday first (day_weekday order), January first. */
extern const char *const output_weekdays[7];
extern const char *const output_months[12];

/* Decide colour and width for stdout. */
void	output_init(struct output *out, bool no_color);
/* Escape sequence that starts style, or "" without colour. */
const char *output_style(const struct output *out, enum output_style style);
/* Escape sequence that ends a style, or "" without colour. */
const char *output_reset(const struct output *out);
/* The check mark for thanked entries: "✓" on a tty, "yes" otherwise. */
const char *output_check(const struct output *out);

/* Columns s takes on a terminal. */
size_t	output_text_width(const char *s);
/*
 * The first line of s, control characters blanked, cut to width with "…"
 * (also when a further line was left out). Caller frees.
 */
char	*output_fit(const char *s, size_t width);

/* A table with the given columns; rows are added cell by cell. */
struct output_table *output_table_create(const struct output *out,
	    const struct output_column *columns, size_t ncolumns);
/* Start a new row. */
void	output_table_row(struct output_table *table);
/* Append a cell (copied) to the current row; NULL is an empty cell. */
void	output_table_cell(struct output_table *table, const char *text);
/* Print the table, shrinking columns to fit the width. */
void	output_table_print(struct output_table *table);
/* Free the table and its cells; NULL is ignored. */
void	output_table_destroy(struct output_table *table);

/* Print result as one compact JSON document and a newline. */
void	output_json(const json_t *result);
/* A table of ENTRY objects (ID, DAY, THANKED, TEXT, TAGS). */
void	output_entries(const struct output *out, json_t *entries);
/* Every field of one ENTRY, for "show". */
void	output_entry_detail(const struct output *out, json_t *entry);
/* "Streak: 3 days" and, if wanted, the at-risk advice; one line. */
void	output_streak_line(const struct output *out, json_t *streak,
	    bool advise);
/*
 * The current streak in words ("3 days", "none yet"), maybe advising.
 * Caller frees (as every char * below).
 */
char	*output_streak_current(const struct output *out, json_t *streak,
	    bool advise);
/* The best streak in words: "5 days (2026-10-01 – 2026-10-05)". */
char	*output_streak_best(json_t *streak);
/* Current, best and totals of a STREAK, a few lines. */
void	output_streak(const struct output *out, json_t *streak);
/* "N day(s)" style counts. */
char	*output_count(long long n, const char *one, const char *many);
/* An RFC 3339 timestamp as local "YYYY-MM-DD HH:MM" (or s unchanged). */
char	*output_local_time(const char *s);
/* "#a #b" from a tags array, or NULL when there are none. */
char	*output_tags(json_t *tags);
/* Print "Label:    value" with labels aligned to width columns. */
void	output_field(const char *label, int width, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Columns before the first week of the calendar: "Mon ". */
#define OUTPUT_CALENDAR_GUTTER 4
/*
 * Print the heatmap of a calendar result (from, to, today, days), in
 * colour and Unicode or plain ASCII. Returns -1, printing nothing, when
 * the result lacks its days.
 */
int	output_calendar(json_t *calendar, bool color);
/* Text with terminal control characters blanked (newlines kept). */
char	*output_sanitize(const char *s);
/*
 * Write text to f as Markdown that renders as itself (markup escaped, an
 * inner line break a hard break indented under its list item).
 */
void	output_markdown(FILE *f, const char *text);
/* Print text wrapped to width at word boundaries, each line ended. */
void	output_wrap(const char *text, size_t width);
/*
 * Print text (sanitized) word-wrapped to width, every line after the
 * first indented by indent columns; the first continues after first
 * columns already used. Returns the column where the text ends.
 */
int	output_wrap_at(const char *text, int indent, int first, int width);

/* Member key of obj as a string, or "" when absent or not a string. */
const char *output_get_str(json_t *obj, const char *key);
/* Member key of obj as an integer, or 0. */
long long output_get_int(json_t *obj, const char *key);
/* Member key of obj as a boolean, false when absent. */
bool	output_get_bool(json_t *obj, const char *key);

#endif
