/*
 * Streak arithmetic, pure: given the days that count and today, how long
 * is the current run, and what was the best one.
 */
#ifndef KINDLOG_STREAK_H
#define KINDLOG_STREAK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "day.h"

struct streak {
	int		current;	/* run ending today, or yesterday if at risk */
	int		best;		/* longest run ever */
	kl_day		best_first;	/* valid when best > 0 */
	kl_day		best_last;
	kl_day		today;
	bool		logged_today;
	bool		at_risk;	/* today empty, yesterday's run alive */
	int64_t		days_noticed;	/* number of counted days */
	int64_t		entries;	/* live entries (passed through) */
};

/*
 * Compute the streak from counted days in ascending order (duplicates
 * allowed). Days after today (possible after a zone change) count toward
 * best and days_noticed but never toward current. The most recent of two
 * equally long best runs wins.
 */
void streak_compute(const kl_day *days, size_t ndays, kl_day today,
    int64_t entries, struct streak *out);
/* The STREAK object of doc/protocol.md (new reference). */
json_t *streak_to_json(const struct streak *streak);
/* A day as a new JSON string "YYYY-MM-DD" (for any reply that names one). */
json_t *streak_day_json(kl_day day);

#endif
