/*
 * The letter-like look-backs: recap (a digest of a week, month or year)
 * and resurface (one past gesture for the summary). Handlers have the
 * signature of struct method (methods.h) and are listed in methods_table[].
 */
#ifndef KINDLOG_RECAP_H
#define KINDLOG_RECAP_H

#include <jansson.h>

#include "error.h"
#include "kindlogd.h"

/* Days a period covers, ending today: week 7, month 30, year 365. */
#define RECAP_WEEK_DAYS 7
#define RECAP_MONTH_DAYS 30
#define RECAP_YEAR_DAYS 365
/* A random resurfaced gesture is older than this many days. */
#define RECAP_RESURFACE_AGE 7

/* The gestures of a period by day, top kinds, routine, still to thank. */
int	recap_recap(struct kindlogd *, json_t *params, json_t **result,
	    struct kl_error *);
/* One past gesture: an anniversary of today, else a random older one. */
int	recap_resurface(struct kindlogd *, json_t *params, json_t **result,
	    struct kl_error *);

#endif
