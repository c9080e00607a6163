/*
 * Methods that look back over the log: stats and calendar. Handlers
 * have the signature of struct method (methods.h) and are listed in
 * methods_table[].
 */
#ifndef KINDLOG_INSIGHT_H
#define KINDLOG_INSIGHT_H

#include <jansson.h>

#include "error.h"
#include "kindlogd.h"

/* Counts, streaks, weekdays, months, tags, gaps and routine gestures. */
int	insight_stats(struct kindlogd *, json_t *params, json_t **result,
	    struct kl_error *);
/* Per-day counts for a heatmap of the last N weeks. */
int	insight_calendar(struct kindlogd *, json_t *params, json_t **result,
	    struct kl_error *);

#endif
