/*
 * The words of a recap (a recap result of doc/protocol.md) that the
 * terminal letter, its Markdown and its HTML page all say the same way.
 *
 * Ownership: json_t arguments are borrowed; every char * returned is a
 * new string the caller frees.
 */
#ifndef KINDLOG_CLIENT_RECAP_TEXT_H
#define KINDLOG_CLIENT_RECAP_TEXT_H

#include <stdbool.h>

#include <jansson.h>

/* "Tue 24 Nov" (and " 2026" with the year) for a YYYY-MM-DD day. */
char	*recap_text_date(const char *iso, bool year);
/* "21 Nov – 27 Nov 2026", the year once unless the period spans two. */
char	*recap_text_range(json_t *recap);
/* "A week of Sam's kindness", or without a name "A week of kindness". */
char	*recap_text_title(json_t *recap);
/* "5 gestures on 4 days, 1 thanked". */
char	*recap_text_counts(json_t *recap);
/* "Things Sam does again and again" (or "they"). */
char	*recap_text_routine_heading(json_t *recap);
/* A routine key as people read it: "#tag" or the normalised text. */
char	*recap_text_routine_label(const char *key);
/* "last thanked Tue 24 Nov 2026" or "not thanked yet" for a group. */
char	*recap_text_routine_thanked(json_t *group);

#endif
