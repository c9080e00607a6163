/*
 * Reminders in the event loop. The next due time comes from sched.c; the
 * timerfd is armed at it with TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET,
 * so a clock step (or a resume from suspend past the due time) wakes us
 * and everything is recomputed from scratch. Nothing here polls.
 */
#include <sys/timerfd.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "ask.h"
#include "config.h"
#include "notifier.h"
#include "recap.h"
#include "reminder-text.h"
#include "reminder.h"
#include "rfc3339.h"
#include "schedule.h"
#include "store.h"
#include "strnum.h"
#include "trim.h"
#include "xmalloc.h"

/* At most one warning about failed deliveries per this many seconds. */
#define REMINDER_FAIL_LOG_INTERVAL 3600

#define KEY_SNOOZED "remind.snoozed_until"
#define KEY_PAUSED "remind.paused_until"
#define KEY_SILENCED "remind.silenced_day"
#define KEY_LAST_FIRED "remind.last_fired"
#define KEY_LAST_RECAP "remind.last_recap"

/* What the schedule is computed from, besides the clock. */
struct reminder_inputs {
	bool			 valid;
	const struct config	*config;
	struct schedule_state	 state;
	time_t			 last_recap;
	kl_day			 today;
	bool			 logged;
};

struct reminder {
	struct kindlogd		*d;
	int			 tfd;
	struct event		*timer_ev;
	struct schedule_state	 state;
	time_t			 last_recap;
	time_t			 next;		/* next reminder, 0: none */
	time_t			 next_recap;	/* next weekly recap, 0: none */
	struct reminder_inputs	 armed;		/* what the timer was armed from */

	bool			 has_last;	/* last delivery result */
	time_t			 last_at;
	bool			 last_ok;
	char			 last_error[256];
	time_t			 last_fail_log;
	int			 has_actions;	/* -1: not known yet */
	int			 has_reply;	/* -1: not known yet */
};

/* Read an integer setting (0 when unset or unreadable). */
static time_t
reminder_load_time(struct reminder *r, const char *key)
{
	struct kl_error	 err;
	char		*value = NULL;
	int64_t		 n = 0;

	if (store_setting_get(r->d->store, key, &value, &err) != 0 ||
	    value == NULL)
		return 0;
	if (strcmp(value, "forever") == 0)
		n = SCHEDULE_FOREVER;
	else if (!parse_int64(value, 0, INT64_MAX, &n))
		n = 0;
	free(value);
	return (time_t)n;
}

/* Write an integer setting; 0 removes it. */
static int
reminder_save_time(struct reminder *r, const char *key, time_t t,
    struct kl_error *err)
{
	char	buf[32];

	if (t == 0)
		return store_setting_set(r->d->store, key, NULL, err);
	if (t == SCHEDULE_FOREVER)
		return store_setting_set(r->d->store, key, "forever", err);
	snprintf(buf, sizeof buf, "%" PRId64, (int64_t)t);
	return store_setting_set(r->d->store, key, buf, err);
}

/* Log a failed save once; state in memory still applies until restart. */
static void
reminder_save_warn(int rc, const struct kl_error *err)
{
	if (rc != 0)
		log_warnx("cannot save reminder state: %s", err->message);
}

/*
 * Load snooze, pause, "not today" and the last fired times. On the first
 * start ever nothing has fired yet, and nothing was missed either: the
 * last fired time starts at now, so catch-up cannot reach back before it.
 */
static void
reminder_load(struct reminder *r, time_t now)
{
	struct kl_error	 err;
	char		*day = NULL;

	r->state.snoozed_until = reminder_load_time(r, KEY_SNOOZED);
	r->state.paused_until = reminder_load_time(r, KEY_PAUSED);
	r->state.last_fired = reminder_load_time(r, KEY_LAST_FIRED);
	if (r->state.last_fired == 0) {
		r->state.last_fired = now;
		if (!store_readonly(r->d->store))
			reminder_save_warn(reminder_save_time(r,
			    KEY_LAST_FIRED, now, &err), &err);
	}
	r->last_recap = reminder_load_time(r, KEY_LAST_RECAP);
	r->state.has_silenced_day = false;
	if (store_setting_get(r->d->store, KEY_SILENCED, &day, &err) == 0 &&
	    day != NULL)
		r->state.has_silenced_day = day_parse_iso(day,
		    &r->state.silenced_day);
	free(day);
}

/* Number of entries matching a query (only the total is read). */
static int64_t
reminder_count(struct reminder *r, struct store_query *q)
{
	struct kl_error	 err;
	json_t		*entries;
	int64_t		 total = 0;

	/* No rows: building one entry (and its tags) was a tenth of an add. */
	q->limit = 0;
	if (store_entry_list(r->d->store, q, &entries, &total, &err) != 0)
		return 0;
	json_decref(entries);
	return total;
}

/*
 * Whether the kindlog day of now already has an entry: after an add the
 * store still has the counted days at hand, which saves a read
 * transaction after every batch.
 */
static bool
reminder_today_logged(struct reminder *r, time_t now)
{
	struct store_query	q = { 0 };
	bool			logged;
	kl_day			today = config_today(r->d->config, now);

	if (store_day_cached(r->d->store, today, &logged))
		return logged;
	q.has_since = q.has_until = true;
	q.since = q.until = today;
	return reminder_count(r, &q) > 0;
}

/* The next weekly recap strictly after now and the last one, or 0. */
static time_t
reminder_next_recap(struct reminder *r, time_t now)
{
	const struct config	*config = r->d->config;
	kl_day			 day, first;
	time_t			 t;

	if (!config->recap_enabled)
		return 0;
	first = day_today(now, 0) - 1;
	for (day = first; day < first + 9; day++) {
		if (day_weekday(day) != config->recap_weekday)
			continue;
		t = schedule_local_instant(day, config->recap_time);
		if (t > now && t > r->last_recap)
			return t;
	}
	return 0;
}

/* The schedule's inputs now, with whether today is logged. */
static void
reminder_inputs_get(struct reminder *r, time_t now, bool logged,
    struct reminder_inputs *in)
{
	memset(in, 0, sizeof *in);
	in->valid = true;
	in->config = r->d->config;
	in->state = r->state;
	in->last_recap = r->last_recap;
	in->today = config_today(r->d->config, now);
	in->logged = logged;
}

/* Whether two sets of inputs give the same schedule at the same instant. */
static bool
reminder_inputs_equal(const struct reminder_inputs *a,
    const struct reminder_inputs *b)
{
	return a->valid && b->valid && a->config == b->config &&
	    a->state.snoozed_until == b->state.snoozed_until &&
	    a->state.paused_until == b->state.paused_until &&
	    a->state.silenced_day == b->state.silenced_day &&
	    a->state.has_silenced_day == b->state.has_silenced_day &&
	    a->state.last_fired == b->state.last_fired &&
	    a->last_recap == b->last_recap && a->today == b->today &&
	    a->logged == b->logged;
}

/* Arm the timer for the next reminder or recap computed at now. */
static void
reminder_arm(struct reminder *r, time_t now, bool logged)
{
	struct itimerspec	its = { 0 };
	time_t			due;
	char			buf[RFC3339_LEN];

	reminder_inputs_get(r, now, logged, &r->armed);
	r->next = schedule_next_due(r->d->config, &r->state, now, logged);
	r->next_recap = reminder_next_recap(r, now);
	due = r->next;
	if (r->next_recap != 0 && (due == 0 || r->next_recap < due))
		due = r->next_recap;
	its.it_value.tv_sec = due;
	if (timerfd_settime(r->tfd, TFD_TIMER_ABSTIME |
	    TFD_TIMER_CANCEL_ON_SET, &its, NULL) != 0)
		log_warn("timerfd_settime");
	if (due != 0)
		log_debug("next wakeup %s", time_format_utc(due, buf));
	else
		log_debug("no reminder scheduled");
}

void
reminder_rearm(struct reminder *r)
{
	time_t	now = time(NULL);

	reminder_arm(r, now, reminder_today_logged(r, now));
}

/*
 * After a batch of writes. The next due instant is the first one after
 * the time it was computed at, so while none has passed and no input
 * changed, computing it again (mktime and localtime per configured time
 * and day) would give the same answer.
 */
void
reminder_writes_done(struct reminder *r)
{
	struct reminder_inputs	in;
	time_t			now = time(NULL);

	reminder_inputs_get(r, now, reminder_today_logged(r, now), &in);
	if (reminder_inputs_equal(&in, &r->armed) &&
	    (r->next == 0 || now < r->next) &&
	    (r->next_recap == 0 || now < r->next_recap))
		return;
	reminder_arm(r, now, in.logged);
}

/* Index of the configured time at wall-clock minutes, or -1. */
static int
reminder_slot(const struct config *config, time_t due)
{
	struct tm	tm;
	size_t		i;

	localtime_r(&due, &tm);
	for (i = 0; i < config->ntimes; i++) {
		if (config->times[i] == tm.tm_hour * 60 + tm.tm_min)
			return (int)i;
	}
	return -1;
}

/* Remember how the last delivery went; failures are logged rate-limited. */
static void
reminder_record(struct reminder *r, bool ok, const char *error)
{
	r->has_last = true;
	r->last_at = time(NULL);
	r->last_ok = ok;
	snprintf(r->last_error, sizeof r->last_error, "%s", ok ? "" : error);
	if (ok || r->last_at - r->last_fail_log < REMINDER_FAIL_LOG_INTERVAL)
		return;
	log_warnx("cannot show a reminder: %s", error);
	r->last_fail_log = r->last_at;
}

void
reminder_delivered(struct reminder *r, const struct notifier_event *event)
{
	if (event->result == NOTIFIER_FAILED) {
		reminder_record(r, false, event->error);
		return;
	}
	reminder_record(r, true, NULL);
	r->has_actions = event->has_actions;
	r->has_reply = event->has_reply;
	log_debug("notification shown");
}

/* Send a notification; a failure to even queue it is recorded. */
static int
reminder_send(struct reminder *r, const struct notifier_message *message,
    struct kl_error *err)
{
	if (notifier_show(r->d->notifier, message, err) != 0)
		return 0;
	reminder_record(r, false, err->message);
	return -1;
}

/* "A year ago today: …" from the store's one rule, or NULL. */
static char *
reminder_anniversary(struct reminder *r, kl_day today)
{
	struct kl_error	 err;
	json_t		*entry;
	char		*text;

	if (store_entry_anniversary(r->d->store, today, &entry, &err) != 0 ||
	    entry == NULL)
		return NULL;
	text = reminder_text_anniversary(today, entry);
	json_decref(entry);
	return text;
}

/* The week a recap counts, ending today: the same days as kindlog recap. */
static void
reminder_week(kl_day today, struct store_query *q)
{
	q->has_since = q->has_until = true;
	q->since = today - (RECAP_WEEK_DAYS - 1);
	q->until = today;
}

/* Build and send the reminder due at due (slot -1: snoozed or by hand). */
static int
reminder_deliver(struct reminder *r, time_t due, int slot,
    struct kl_error *err)
{
	const struct config	*config = r->d->config;
	struct notifier_message	 m = { 0 };
	struct store_query	 q = { 0 };
	kl_day			 today = config_today(config, due);
	char			*summary, *body = NULL, *question;
	int			 rc;

	summary = reminder_text_summary(config);
	question = ask_question(config->partner);
	if (slot == 0)
		body = reminder_anniversary(r, today);
	if (body == NULL)
		body = reminder_text_prompt(config, today, slot);
	if (slot >= 0 && (size_t)slot + 1 == config->ntimes) {
		reminder_week(today, &q);
		q.unthanked = true;
		body = reminder_text_unthanked(body, reminder_count(r, &q));
	}
	m.summary = summary;
	m.body = body;
	m.actions = NOTIFIER_REMINDER;
	m.reply_placeholder = question;
	rc = reminder_send(r, &m, err);
	free(summary);
	free(body);
	free(question);
	return rc;
}

/* Build and send the weekly recap for the week ending at due. */
static void
reminder_deliver_recap(struct reminder *r, time_t due)
{
	struct notifier_message	 m = { 0 };
	struct store_query	 q = { 0 };
	struct store_range	 range = { 0 };
	struct store_day_count	*days;
	struct kl_error		 err;
	kl_day			 today = config_today(r->d->config, due);
	size_t			 noticed = 0;
	int64_t			 gestures, unthanked;
	char			*summary, *body;

	reminder_week(today, &q);
	gestures = reminder_count(r, &q);
	q.unthanked = true;
	unthanked = reminder_count(r, &q);
	range.has_since = range.has_until = true;
	range.since = q.since;
	range.until = q.until;
	if (store_day_counts(r->d->store, &range, &days, &noticed,
	    &err) == 0)
		free(days);
	else
		noticed = 0;
	reminder_text_recap(r->d->config, gestures, noticed, unthanked,
	    &summary, &body);
	m.summary = summary;
	m.body = body;
	m.actions = NOTIFIER_OPEN;
	reminder_send(r, &m, &err);
	free(summary);
	free(body);
}

/* Mark due as fired (and a snooze that ended as used up). */
static void
reminder_mark_fired(struct reminder *r, time_t due, time_t now)
{
	struct kl_error	err;

	r->state.last_fired = due;
	reminder_save_warn(reminder_save_time(r, KEY_LAST_FIRED, due, &err),
	    &err);
	if (r->state.snoozed_until != 0 && r->state.snoozed_until <= now) {
		r->state.snoozed_until = 0;
		reminder_save_warn(reminder_save_time(r, KEY_SNOOZED, 0,
		    &err), &err);
	}
}

/* Fire a reminder missed while asleep or before start, if recent enough. */
static void
reminder_catch_up(struct reminder *r, time_t now)
{
	struct kl_error	err;
	time_t		missed;
	char		buf[RFC3339_LEN];

	missed = schedule_missed(r->d->config, &r->state, now,
	    reminder_today_logged(r, now));
	if (missed == 0)
		return;
	log_info("catching up on the reminder due at %s",
	    time_format_utc(missed, buf));
	reminder_deliver(r, missed, reminder_slot(r->d->config, missed),
	    &err);
	reminder_mark_fired(r, missed, now);
}

/* The timerfd woke us: a reminder is due, or the clock was set. */
static void
reminder_timer(evutil_socket_t fd, short events, void *arg)
{
	struct reminder	*r = arg;
	struct kl_error	 err;
	uint64_t	 expirations;
	time_t		 now = time(NULL), due;
	char		 buf[RFC3339_LEN];

	if (read(fd, &expirations, sizeof expirations) < 0 &&
	    errno == ECANCELED) {
		log_debug("the clock was set; recomputing");
		reminder_catch_up(r, now);
		reminder_rearm(r);
		return;
	}
	if (r->next != 0 && now >= r->next) {
		due = schedule_on_wake(r->d->config, &r->state, r->next, now,
		    reminder_today_logged(r, now));
		if (due != 0)
			reminder_deliver(r, due,
			    r->state.snoozed_until == due ? -1 :
			    reminder_slot(r->d->config, due), &err);
		else
			log_info("dropping the reminder due at %s: %lld s late",
			    time_format_utc(r->next, buf),
			    (long long)(now - r->next));
		reminder_mark_fired(r, due != 0 ? due : r->next, now);
	}
	if (r->next_recap != 0 && now >= r->next_recap) {
		if (now - r->next_recap <= SCHEDULE_GRACE ||
		    now - r->next_recap <= r->d->config->catch_up)
			reminder_deliver_recap(r, r->next_recap);
		r->last_recap = r->next_recap;
		reminder_save_warn(reminder_save_time(r, KEY_LAST_RECAP,
		    r->last_recap, &err), &err);
	}
	reminder_rearm(r);
}

struct reminder *
reminder_create(struct kindlogd *d)
{
	struct reminder	*r = xcalloc(1, sizeof *r);

	r->d = d;
	r->has_actions = r->has_reply = -1;
	r->tfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->tfd < 0)
		fatal("timerfd_create");
	r->timer_ev = event_new(d->base, r->tfd, EV_READ | EV_PERSIST,
	    reminder_timer, r);
	event_add(r->timer_ev, NULL);
	reminder_load(r, time(NULL));
	if (d->config->reminders_enabled)
		reminder_catch_up(r, time(NULL));
	reminder_rearm(r);
	return r;
}

void
reminder_destroy(struct reminder *r)
{
	if (r == NULL)
		return;
	event_free(r->timer_ev);
	close(r->tfd);
	free(r);
}

void
reminder_entry_added(struct reminder *r, kl_day day)
{
	struct kl_error	err;

	if (r->d->config->skip_if_logged && r->state.snoozed_until != 0 &&
	    day == config_today(r->d->config, time(NULL))) {
		r->state.snoozed_until = 0;
		reminder_save_warn(reminder_save_time(r, KEY_SNOOZED, 0,
		    &err), &err);
	}
}

void
reminder_view(const struct reminder *r, struct reminder_view *view)
{
	view->next = r->next;
	view->next_recap = r->next_recap;
	view->state = r->state;
	view->has_last = r->has_last;
	view->last_at = r->last_at;
	view->last_ok = r->last_ok;
	view->last_error = r->last_error;
	view->has_actions = r->has_actions;
	view->has_reply = r->has_reply;
}

int
reminder_now(struct reminder *r, struct kl_error *err)
{
	return reminder_deliver(r, time(NULL), -1, err);
}

int
reminder_snooze(struct reminder *r, int64_t seconds, struct kl_error *err)
{
	time_t	until = time(NULL) + seconds;

	if (reminder_save_time(r, KEY_SNOOZED, until, err) != 0)
		return -1;
	r->state.snoozed_until = until;
	reminder_rearm(r);
	return 0;
}

char *
reminder_snooze_note(const struct reminder *r)
{
	time_t	now = time(NULL);

	return reminder_text_snooze(r->d->config, schedule_snooze_fate(
	    r->d->config, &r->state, now), r->state.snoozed_until);
}

/*
 * "Not today" silences the rest of the day, a snooze that ends today
 * included: it is used up, not left to show as pending. One that ends
 * on a later day stays.
 */
int
reminder_not_today(struct reminder *r, struct kl_error *err)
{
	kl_day	today = config_today(r->d->config, time(NULL));
	char	iso[DAY_ISO_LEN];
	bool	ends_today = r->state.snoozed_until != 0 &&
	    config_today(r->d->config, r->state.snoozed_until) == today;

	if (store_setting_set(r->d->store, KEY_SILENCED, day_format(today,
	    iso), err) != 0 ||
	    (ends_today && reminder_save_time(r, KEY_SNOOZED, 0, err) != 0))
		return -1;
	r->state.silenced_day = today;
	r->state.has_silenced_day = true;
	if (ends_today)
		r->state.snoozed_until = 0;
	reminder_rearm(r);
	return 0;
}

int
reminder_pause(struct reminder *r, int64_t seconds, struct kl_error *err)
{
	time_t	until = seconds == 0 ? SCHEDULE_FOREVER : time(NULL) + seconds;

	if (reminder_save_time(r, KEY_PAUSED, until, err) != 0)
		return -1;
	r->state.paused_until = until;
	reminder_rearm(r);
	return 0;
}

int
reminder_resume(struct reminder *r, struct kl_error *err)
{
	if (reminder_save_time(r, KEY_PAUSED, 0, err) != 0 ||
	    reminder_save_time(r, KEY_SNOOZED, 0, err) != 0 ||
	    store_setting_set(r->d->store, KEY_SILENCED, NULL, err) != 0)
		return -1;
	r->state.paused_until = 0;
	r->state.snoozed_until = 0;
	r->state.has_silenced_day = false;
	reminder_rearm(r);
	return 0;
}
