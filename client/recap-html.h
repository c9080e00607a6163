/*
 * kindlog recap --html: the recap as one self-contained page to hand to
 * one's partner or print. Inline CSS, no script, nothing fetched; the
 * gestures day by day and the period as a small calendar heatmap, laid
 * out to print on a page or two. Reflections stay out: they are one's
 * own notes, not part of the letter.
 *
 * Ownership: json_t arguments are borrowed.
 */
#ifndef KINDLOG_CLIENT_RECAP_HTML_H
#define KINDLOG_CLIENT_RECAP_HTML_H

#include <jansson.h>
#include <stdio.h>

/*
 * Write the page for recap (a recap result) to f, its heatmap from
 * calendar (a calendar result covering the period's weeks; NULL: the
 * recap's own days). Returns 0, or -1 when f reports a write error.
 */
int	recap_html_write(FILE *f, json_t *recap, json_t *calendar);
/* Write s to f with &, <, >, " and ' escaped and line breaks as <br>. */
void	recap_html_text(FILE *f, const char *s);

#endif
