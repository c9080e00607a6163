/*
 * summary: what the bare kindlog shows, in one request. Each part is
 * what its own method answers (streak, list, remind.status, resurface,
 * reflect.nudge), called here rather than by the client, and only what
 * the summary prints is sent: the partner's name instead of all of
 * status, the count of entries still to thank instead of one of them.
 * The summary is the command people run most, so a reply that carries
 * less is a reply both processes build and read faster.
 */
#include <time.h>

#include "config.h"
#include "method.h"
#include "method-remind.h"
#include "params.h"
#include "store.h"

extern const struct method method_resurface_entry;
extern const struct method method_reflect_nudge_entry;

/* Newest entries the summary may ask for. */
#define SUMMARY_RECENT_MAX 20

/* The newest limit live entries, and the count of those not thanked. */
static int
method_summary_entries(struct kindlogd *d, json_int_t limit,
    json_t **recent, int64_t *unthanked, struct kl_error *err)
{
	struct store_query	 q = { .limit = limit };
	json_t			*none;
	int64_t			 total;

	if (store_entry_list(d->store, &q, recent, &total, err) != 0)
		return -1;
	q = (struct store_query){ .unthanked = true, .limit = 0 };
	if (store_entry_list(d->store, &q, &none, unthanked, err) != 0) {
		json_decref(*recent);
		return -1;
	}
	json_decref(none);
	return 0;
}

static int
method_summary(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	json_t		*streak, *recent, *resurfaced, *reflect, *nudge;
	json_int_t	 limit;
	int64_t		 unthanked;
	bool		 mark = true;

	if (param_int(params, "recent", 0, SUMMARY_RECENT_MAX, 3, &limit,
	    err) != 0 ||
	    (json_object_get(params, "mark") != NULL &&
	    param_bool(params, "mark", &mark, err) != 0))
		return -1;
	if ((streak = method_streak_json(d, time(NULL), err)) == NULL)
		return -1;
	if (method_summary_entries(d, limit, &recent, &unthanked, err) != 0) {
		json_decref(streak);
		return -1;
	}
	nudge = json_pack("{s:b}", "mark", mark);
	if (method_resurface_entry.handler(d, NULL, &resurfaced, err) != 0) {
		resurfaced = NULL;
		reflect = NULL;
	} else if (method_reflect_nudge_entry.handler(d, nudge, &reflect,
	    err) != 0)
		reflect = NULL;
	json_decref(nudge);
	if (reflect == NULL) {
		json_decref(resurfaced);
		json_decref(recent);
		json_decref(streak);
		return -1;
	}
	*result = json_pack("{s:o, s:s?, s:o, s:I, s:o, s:o, s:o}",
	    "streak", streak,
	    "partner", d->config->partner,
	    "recent", recent,
	    "unthanked", (json_int_t)unthanked,
	    "reminders", d->reminder != NULL ?
	    method_remind_status_object(d) : json_null(),
	    "resurfaced", resurfaced,
	    "reflect", reflect);
	return 0;
}

const struct method method_summary_entry = {
	.name = "summary",
	.params = (const char *const[]){ "recent", "mark", NULL },
	.handler = method_summary,
	.writes = true,		/* reflect.nudge remembers what it said */
	.summary = "what the bare kindlog shows, in one reply",
};
