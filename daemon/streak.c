/* Streak arithmetic over counted days (ARCHITECTURE.md, Invariants). */
#include <jansson.h>

#include "streak.h"

/* Fold one run of consecutive days [first, last] into the streak. */
static void
streak_add_run(struct streak *out, kl_day first, kl_day last)
{
	int	length = last - first + 1;
	kl_day	today = out->today;

	/* Ascending input: on a tie the later run replaces the earlier one. */
	if (length >= out->best) {
		out->best = length;
		out->best_first = first;
		out->best_last = last;
	}

	/* Days after today never count toward the current run. */
	if (first <= today && today <= last) {
		out->current = today - first + 1;
		out->logged_today = true;
		out->at_risk = false;
		return;
	}
	if (last == today - 1 && !out->logged_today) {
		out->current = last - first + 1;
		out->at_risk = true;
	}
}

/* Compute the streak from ascending counted days (duplicates allowed). */
void
streak_compute(const kl_day *days, size_t ndays, kl_day today,
    int64_t entries, struct streak *out)
{
	size_t	i;
	kl_day	first, last;

	*out = (struct streak){ .today = today, .entries = entries };
	if (ndays == 0)
		return;

	first = last = days[0];
	out->days_noticed = 1;
	for (i = 1; i < ndays; i++) {
		if (days[i] <= last)
			continue;	/* duplicate */
		out->days_noticed++;
		if (days[i] == last + 1) {
			last = days[i];
			continue;
		}
		streak_add_run(out, first, last);
		first = last = days[i];
	}
	streak_add_run(out, first, last);
}

/* A day as a JSON string "YYYY-MM-DD". */
json_t *
streak_day_json(kl_day day)
{
	char	buf[DAY_ISO_LEN];

	return json_string(day_format(day, buf));
}

/* The STREAK object of doc/protocol.md (new reference). */
json_t *
streak_to_json(const struct streak *streak)
{
	json_t	*first = json_null(), *last = json_null();

	if (streak->best > 0) {
		first = streak_day_json(streak->best_first);
		last = streak_day_json(streak->best_last);
	}
	return json_pack("{s:i, s:i, s:o, s:o, s:o, s:b, s:b, s:I, s:I}",
	    "current", streak->current,
	    "best", streak->best,
	    "best_first", first,
	    "best_last", last,
	    "today", streak_day_json(streak->today),
	    "logged_today", streak->logged_today,
	    "at_risk", streak->at_risk,
	    "days_noticed", (json_int_t)streak->days_noticed,
	    "entries", (json_int_t)streak->entries);
}
