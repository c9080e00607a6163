/*
 * What a reminder says: its summary line, the reflection prompt of the
 * day, "a year ago today", the note about gestures not thanked yet, and
 * the weekly recap. Pure functions of the config and what the store
 * found, so they are tested without a notification server.
 */
#ifndef KINDLOG_REMINDER_TEXT_H
#define KINDLOG_REMINDER_TEXT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include <time.h>

#include "config.h"
#include "day.h"
#include "schedule.h"

/* The summary line, naming the partner when it is set. Caller frees. */
char *reminder_text_summary(const struct config *config);
/*
 * The reflection prompt for a slot (-1: snoozed or by hand) of a day:
 * the configured prompts if any, else the built-in ones (naming the
 * partner when a name is set), rotating. Caller frees.
 */
char *reminder_text_prompt(const struct config *config, kl_day day,
    int slot);
/*
 * "A year ago today: TEXT" ("Two years", "Years") for entry (borrowed), a
 * gesture from an earlier year's same date; NULL if it has no usable day.
 * Caller frees.
 */
char *reminder_text_anniversary(kl_day today, json_t *entry);
/*
 * body, followed by how many of this week's gestures are not thanked yet
 * when there are any. Takes over body; the caller frees the result.
 */
char *reminder_text_unthanked(char *body, int64_t unthanked);
/*
 * The weekly recap's summary and body (the caller frees both); an empty
 * week is worded as an invitation, not a score.
 */
void reminder_text_recap(const struct config *config, int64_t gestures,
    size_t days, int64_t unthanked, char **summary, char **body);
/* The confirmation after an entry from a notification. Caller frees. */
char *reminder_text_logged(int64_t streak);
/* What a click on a reminder says when no prompt program is found. */
char *reminder_text_no_prompt(const struct config *config);
/*
 * Why a snooze until until brings no reminder (fate from
 * schedule_snooze_fate), or NULL when it does. Caller frees.
 */
char *reminder_text_snooze(const struct config *config,
    enum schedule_snooze fate, time_t until);

#endif
