/*
 * The look-back methods. The store answers with small aggregates (days
 * and their counts, tag counts, repeated gestures); the arithmetic that
 * turns them into the result lives here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "method.h"
#include "params.h"
#include "store.h"
#include "streak.h"
#include "xmalloc.h"

#define INSIGHT_TOP_TAGS 10
#define INSIGHT_ROUTINE 10
#define INSIGHT_WEEKS_DEFAULT 26
#define INSIGHT_WEEKS_MAX 520

/* The since/until params as a store range. */
static int
method_stats_range(struct kindlogd *d, json_t *params, time_t now,
    struct store_range *range, struct kl_error *err)
{
	kl_day	today = config_today(d->config, now);

	return param_day_range(params, today, &range->has_since,
	    &range->since, &range->has_until, &range->until, err);
}

/* Entries per weekday, Monday first. */
static json_t *
method_stats_by_weekday(const struct store_day_count *days, size_t ndays)
{
	json_int_t	 counts[7] = { 0 };
	json_t		*array = json_array();
	size_t		 i;

	for (i = 0; i < ndays; i++)
		counts[day_weekday(days[i].day)] += days[i].count;
	for (i = 0; i < 7; i++)
		json_array_append_new(array, json_integer(counts[i]));
	return array;
}

/* Entries per month from the first month with entries to the last. */
static json_t *
method_stats_by_month(const struct store_day_count *days, size_t ndays)
{
	json_t	*array = json_array();
	int	 year, month, mday, last_year, last_month;
	int64_t	 n;
	size_t	 i = 0;
	char	 label[32];

	if (ndays == 0)
		return array;
	day_to_ymd(days[0].day, &year, &month, &mday);
	day_to_ymd(days[ndays - 1].day, &last_year, &last_month, &mday);
	for (;;) {
		n = 0;
		while (i < ndays && days[i].day <
		    day_from_ymd(month == 12 ? year + 1 : year,
		    month == 12 ? 1 : month + 1, 1))
			n += days[i++].count;
		snprintf(label, sizeof label, "%04d-%02d", year, month);
		json_array_append_new(array, json_pack("{s:s, s:I}", "month",
		    label, "entries", (json_int_t)n));
		if (year == last_year && month == last_month)
			break;
		if (++month == 13) {
			month = 1;
			year++;
		}
	}
	return array;
}

/* The longest run of empty days between two noticed days, or null. */
static json_t *
method_stats_longest_gap(const struct store_day_count *days, size_t ndays)
{
	kl_day	from = 0, to = 0;
	int	best = 0, gap;
	size_t	i;

	for (i = 1; i < ndays; i++) {
		gap = days[i].day - days[i - 1].day - 1;
		if (gap > 0 && gap >= best) {
			best = gap;
			from = days[i - 1].day + 1;
			to = days[i].day - 1;
		}
	}
	if (best == 0)
		return json_null();
	return json_pack("{s:i, s:o, s:o}", "days", best, "from",
	    streak_day_json(from), "to", streak_day_json(to));
}

/* The streak fields over the days of the range. */
static void
method_stats_streak(const struct store_day_count *days, size_t ndays,
    kl_day today, int64_t entries, struct streak *streak)
{
	kl_day	*plain = xreallocarray(NULL, ndays + 1, sizeof *plain);
	size_t	 i;

	for (i = 0; i < ndays; i++)
		plain[i] = days[i].day;
	streak_compute(plain, ndays, today, entries, streak);
	free(plain);
}

static int
method_stats(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct store_range	 range = { 0 };
	struct store_day_count	*days = NULL;
	struct streak		 streak;
	time_t			 now = time(NULL);
	size_t			 ndays, i;
	int64_t			 entries = 0, thanked;
	json_t			*tags = NULL, *routine = NULL;

	if (method_stats_range(d, params, now, &range, err) != 0 ||
	    store_day_counts(d->store, &range, &days, &ndays, err) != 0)
		return -1;
	if (store_thanked_count(d->store, &range, &thanked, err) != 0 ||
	    store_top_tags(d->store, &range, INSIGHT_TOP_TAGS, &tags,
	    err) != 0 ||
	    store_routine(d->store, &range, INSIGHT_ROUTINE, &routine,
	    err) != 0) {
		free(days);
		json_decref(tags);
		return -1;
	}
	for (i = 0; i < ndays; i++)
		entries += days[i].count;
	method_stats_streak(days, ndays, config_today(d->config, now), entries, &streak);
	*result = json_pack("{s:I, s:I, s:i, s:i, s:o, s:o, s:I, s:I, s:o, "
	    "s:o, s:o, s:o, s:o}",
	    "entries", (json_int_t)entries,
	    "days_noticed", (json_int_t)ndays,
	    "current", streak.current,
	    "best", streak.best,
	    "best_first", streak.best > 0 ?
	    streak_day_json(streak.best_first) : json_null(),
	    "best_last", streak.best > 0 ?
	    streak_day_json(streak.best_last) : json_null(),
	    "thanked", (json_int_t)thanked,
	    "unthanked", (json_int_t)(entries - thanked),
	    "by_weekday", method_stats_by_weekday(days, ndays),
	    "by_month", method_stats_by_month(days, ndays),
	    "top_tags", tags,
	    "longest_gap", method_stats_longest_gap(days, ndays),
	    "routine", routine);
	free(days);
	return 0;
}

static int
method_calendar(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct store_range	 range = { 0 };
	struct store_day_count	*days;
	time_t			 now = time(NULL);
	kl_day			 today = config_today(d->config, now);
	json_int_t		 weeks;
	json_t			*array;
	size_t			 ndays, i;

	if (param_int(params, "weeks", 1, INSIGHT_WEEKS_MAX,
	    INSIGHT_WEEKS_DEFAULT, &weeks, err) != 0 ||
	    param_day(params, "until", today, &range.has_until, &range.until,
	    err) != 0)
		return -1;
	if (!range.has_until)
		range.until = today;
	range.has_until = range.has_since = true;
	range.since = range.until - day_weekday(range.until) -
	    7 * (int)(weeks - 1);
	if (store_day_counts(d->store, &range, &days, &ndays, err) != 0)
		return -1;
	array = json_array();
	for (i = 0; i < ndays; i++)
		json_array_append_new(array, json_pack("{s:o, s:I}", "day",
		    streak_day_json(days[i].day), "count",
		    (json_int_t)days[i].count));
	free(days);
	*result = json_pack("{s:o, s:o, s:o, s:o}",
	    "from", streak_day_json(range.since),
	    "to", streak_day_json(range.until),
	    "today", streak_day_json(today),
	    "days", array);
	return 0;
}

/* Every tag of the live entries, for the completions and scripts. */
static int
method_tags(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	json_t	*tags;

	if (store_top_tags(d->store, NULL, -1, &tags, err) != 0)
		return -1;
	*result = json_pack("{s:o}", "tags", tags);
	return 0;
}

const struct method method_stats_entry = {
	.name = "stats",
	.params = (const char *const[]){ "since", "until", NULL },
	.handler = method_stats,
	.writes = false,
	.summary = "counts, streaks, tags, repeats",
};

const struct method method_calendar_entry = {
	.name = "calendar",
	.params = (const char *const[]){ "weeks", "until", NULL },
	.handler = method_calendar,
	.writes = false,
	.summary = "entries per day for a heatmap",
};

const struct method method_tags_entry = {
	.name = "tags",
	.params = method_no_params,
	.handler = method_tags,
	.writes = false,
	.summary = "every tag in use, with its count",
};
