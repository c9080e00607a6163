/*
 * The questions kindlog reflect asks: three sets, one question from each
 * a week. Noticing (what was almost taken for granted), their view (what
 * it took, what it may have meant) and expectations (what was hoped for,
 * and whether that was fair). Pure data and a rotation by week, so they
 * are tested without a daemon.
 */
#ifndef KINDLOG_REFLECT_TEXT_H
#define KINDLOG_REFLECT_TEXT_H

#include <stddef.h>

#include "day.h"

enum reflect_set {
	REFLECT_NOTICING,
	REFLECT_THEIR_VIEW,
	REFLECT_EXPECTATIONS,
	REFLECT_SETS
};

/* The set's name in the protocol: noticing, their_view, expectations. */
const char *reflect_text_set_name(enum reflect_set set);
/* How many questions the set holds (at least 8). */
size_t reflect_text_count(enum reflect_set set);
/*
 * Which question of the set the week holding day asks (weeks start on
 * Monday). A week never asks what the week before it asked, and a set's
 * questions all come round before any comes back.
 */
size_t reflect_text_pick(enum reflect_set set, kl_day day);
/*
 * Question i of the set, naming partner (NULL: "your partner"). The
 * caller frees it.
 */
char *reflect_text_question(enum reflect_set set, size_t i,
    const char *partner);

#endif
