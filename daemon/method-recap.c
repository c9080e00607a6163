/*
 * The letter-like look-backs: recap (a digest of a week, month or year,
 * with the reflections written in it) and resurface (one past gesture for
 * the summary). Everything here is assembled from store queries that
 * already exist for list, stats and reflect; the only new arithmetic is
 * the period and the grouping of a newest-first list into days, oldest
 * first, which is the order a letter tells things in.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "method.h"
#include "params.h"
#include "recap.h"
#include "store.h"

/* A random resurfaced gesture is older than this many days. */
#define RECAP_RESURFACE_AGE 7
/* Gestures a recap lists at most (a year of a busy log stays readable). */
#define RECAP_MAX_ENTRIES 1000
/* Reflections a recap holds at most (the newest; about one a week). */
#define RECAP_MAX_REFLECTIONS 100
/* Unthanked gestures listed at most. */
#define RECAP_MAX_UNTHANKED 50
#define RECAP_TOP_TAGS 5
#define RECAP_ROUTINE 5

/* A period's name and its length in days. */
struct method_recap_period {
	const char	*name;
	int		 days;
};

static const struct method_recap_period method_recap_periods[] = {
	{ "week", RECAP_WEEK_DAYS },
	{ "month", RECAP_MONTH_DAYS },
	{ "year", RECAP_YEAR_DAYS },
};

/* The period param (default week). */
static int
method_recap_period(json_t *params, const struct method_recap_period **period,
    struct kl_error *err)
{
	const char	*name;
	size_t		 i;

	*period = &method_recap_periods[0];
	if (param_string(params, "period", false, &name, err) != 0)
		return -1;
	if (name == NULL)
		return 0;
	for (i = 0; i < sizeof method_recap_periods / sizeof method_recap_periods[0]; i++) {
		if (strcmp(method_recap_periods[i].name, name) == 0) {
			*period = &method_recap_periods[i];
			return 0;
		}
	}
	return kl_error_set(err, KL_ERR_PARAMS,
	    "period must be week, month or year");
}

/* A newest-first entry array as [{"day", "entries"}], oldest first. */
static json_t *
method_recap_by_day(json_t *entries)
{
	json_t		*days = json_array(), *group = NULL, *entry;
	const char	*day, *last = NULL;
	size_t		 i;

	for (i = json_array_size(entries); i-- > 0;) {
		entry = json_array_get(entries, i);
		day = json_string_value(json_object_get(entry, "day"));
		if (day == NULL)
			continue;
		if (last == NULL || strcmp(day, last) != 0) {
			group = json_array();
			json_array_append_new(days, json_pack("{s:s, s:o}",
			    "day", day, "entries", group));
			last = day;
		}
		json_array_append(group, entry);
	}
	return days;
}

/* Replace each routine group's last_thanked with the latest ever. */
static int
method_recap_routine_thanked(struct kindlogd *d, json_t *routine,
    struct kl_error *err)
{
	json_t	*group, *at;
	size_t	 i;

	json_array_foreach(routine, i, group) {
		if (store_routine_thanked(d->store, json_string_value(
		    json_object_get(group, "key")), &at, err) != 0)
			return -1;
		json_object_set_new(group, "last_thanked", at);
	}
	return 0;
}

/* The live entries of the range, newest first, and their total. */
static int
method_recap_entries(struct kindlogd *d, const struct store_range *range,
    bool unthanked, int64_t limit, json_t **entries, int64_t *total,
    struct kl_error *err)
{
	struct store_query	q = { 0 };

	q.has_since = q.has_until = true;
	q.since = range->since;
	q.until = range->until;
	q.unthanked = unthanked;
	q.limit = limit;
	return store_entry_list(d->store, &q, entries, total, err);
}

/* What recap gathers before it is packed into a result. */
struct method_recap_parts {
	json_t	*entries, *unthanked, *tags, *routine, *streak, *reflections;
	int64_t	 total, unthanked_total, reflections_total;
};

/* Release whatever of parts was gathered. */
static void
method_recap_parts_free(struct method_recap_parts *p)
{
	json_decref(p->entries);
	json_decref(p->unthanked);
	json_decref(p->tags);
	json_decref(p->routine);
	json_decref(p->streak);
	json_decref(p->reflections);
}

/* Ask the store for every part of a recap of range. */
static int
method_recap_gather(struct kindlogd *d, const struct store_range *range,
    time_t now, struct method_recap_parts *p, struct kl_error *err)
{
	if (method_recap_entries(d, range, false, RECAP_MAX_ENTRIES, &p->entries,
	    &p->total, err) != 0 ||
	    method_recap_entries(d, range, true, RECAP_MAX_UNTHANKED, &p->unthanked,
	    &p->unthanked_total, err) != 0 ||
	    store_top_tags(d->store, range, RECAP_TOP_TAGS, &p->tags,
	    err) != 0 ||
	    store_routine(d->store, range, RECAP_ROUTINE, &p->routine,
	    err) != 0 ||
	    method_recap_routine_thanked(d, p->routine, err) != 0 ||
	    store_reflect_list(d->store, range, RECAP_MAX_REFLECTIONS, 0,
	    &p->reflections, &p->reflections_total, err) != 0)
		return -1;
	p->streak = method_streak_json(d, now, err);
	return p->streak != NULL ? 0 : -1;
}

/* The number of days in range with live entries. */
static int
method_recap_days_noticed(struct kindlogd *d, const struct store_range *range,
    json_int_t *n, struct kl_error *err)
{
	struct store_day_count	*days;
	size_t			 ndays;

	if (store_day_counts(d->store, range, &days, &ndays, err) != 0)
		return -1;
	free(days);
	*n = (json_int_t)ndays;
	return 0;
}

static int
method_recap(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	const struct method_recap_period	*period;
	struct method_recap_parts		 p = { 0 };
	struct store_range		 range = { 0 };
	time_t				 now = time(NULL);
	kl_day				 today = config_today(d->config, now);
	json_t				*days;
	json_int_t			 noticed;
	char				 from[DAY_ISO_LEN], to[DAY_ISO_LEN];
	char				 today_iso[DAY_ISO_LEN];

	if (method_recap_period(params, &period, err) != 0 ||
	    param_day(params, "until", today, &range.has_until,
	    &range.until, err) != 0)
		return -1;
	if (!range.has_until)
		range.until = today;
	range.has_until = range.has_since = true;
	range.since = range.until - (period->days - 1);
	if (method_recap_gather(d, &range, now, &p, err) != 0 ||
	    method_recap_days_noticed(d, &range, &noticed, err) != 0) {
		method_recap_parts_free(&p);
		return -1;
	}
	days = method_recap_by_day(p.entries);
	*result = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:I, s:I, s:I, s:b, "
	    "s:o, s:O, s:O, s:I, s:o, s:O, s:o}",
	    "period", period->name,
	    "from", day_format(range.since, from),
	    "to", day_format(range.until, to),
	    "today", day_format(today, today_iso),
	    "partner", d->config->partner,
	    "entries", (json_int_t)p.total,
	    "days_noticed", noticed,
	    "thanked", (json_int_t)(p.total - p.unthanked_total),
	    "truncated", p.total > (int64_t)json_array_size(p.entries),
	    "days", days,
	    "top_tags", p.tags,
	    "routine", p.routine,
	    "unthanked", (json_int_t)p.unthanked_total,
	    "still_to_thank", method_reversed(p.unthanked),
	    "streak", p.streak,
	    "reflections", method_reversed(p.reflections));
	method_recap_parts_free(&p);
	return 0;
}

static int
method_resurface(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	kl_day		 today = config_today(d->config, time(NULL));
	const char	*reason = "anniversary";
	json_t		*entry;

	if (store_entry_anniversary(d->store, today, &entry, err) != 0)
		return -1;
	if (entry == NULL) {
		reason = "random";
		if (store_entry_random_before(d->store,
		    today - RECAP_RESURFACE_AGE, &entry, err) != 0)
			return -1;
	}
	if (entry == NULL)
		*result = json_pack("{s:n, s:n}", "entry", "reason");
	else
		*result = json_pack("{s:o, s:s}", "entry", entry, "reason",
		    reason);
	return 0;
}

const struct method method_recap_entry = {
	.name = "recap",
	.params = (const char *const[]){ "period", "until", NULL },
	.handler = method_recap,
	.writes = false,
	.summary = "a week, month or year as a letter",
};

const struct method method_resurface_entry = {
	.name = "resurface",
	.params = method_no_params,
	.handler = method_resurface,
	.writes = false,
	.summary = "one past gesture to look back on",
};
