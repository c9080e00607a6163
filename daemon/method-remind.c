/*
 * The remind.* methods: the reminder's state, and the user's say in it.
 * Each one does at most one thing to the reminder and replies with its
 * status, which is built here from what the reminder knows.
 */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "method-remind.h"
#include "method.h"
#include "notifier.h"
#include "params.h"
#include "reminder.h"
#include "rfc3339.h"
#include "schedule.h"

/* RFC 3339 with the local offset ("2026-11-27T20:30:00+01:00"), or null. */
static json_t *
method_remind_local_time(time_t t)
{
	struct tm	tm;
	char		buf[64];
	long		off;

	if (t == 0 || t == SCHEDULE_FOREVER)
		return json_null();
	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60,
	    labs(off) % 60);
	return json_string(buf);
}

/* The configured rule as JSON pieces. */
static void
method_remind_rule_json(const struct config *config, json_t *out)
{
	json_t			*times = json_array(), *days = json_array();
	char			 a[8], b[8], range[16], recap[16];
	size_t			 i;

	for (i = 0; i < config->ntimes; i++)
		json_array_append_new(times, json_string(
		    config_format_clock(config->times[i], a)));
	for (i = 0; i < 7; i++) {
		if (config->days & (1u << i))
			json_array_append_new(days,
			    json_stringn(day_weekday_name((int)i), 3));
	}
	json_object_set_new(out, "times", times);
	json_object_set_new(out, "days", days);
	if (config->has_quiet_hours) {
		snprintf(range, sizeof range, "%s-%s",
		    config_format_clock(config->quiet_start, a),
		    config_format_clock(config->quiet_end, b));
		json_object_set_new(out, "quiet_hours", json_string(range));
	} else
		json_object_set_new(out, "quiet_hours", json_null());
	json_object_set_new(out, "skip_if_logged",
	    json_boolean(config->skip_if_logged));
	if (config->recap_enabled) {
		snprintf(recap, sizeof recap, "%.3s %s",
		    day_weekday_name(config->recap_weekday),
		    config_format_clock(config->recap_time, a));
		json_object_set_new(out, "weekly_recap", json_string(recap));
	} else
		json_object_set_new(out, "weekly_recap", json_null());
}

/* {"at", "ok", "error"} of the last delivery, or null. */
static json_t *
method_remind_last_json(const struct reminder_view *v)
{
	char	at[RFC3339_LEN];

	if (!v->has_last)
		return json_null();
	return json_pack("{s:s, s:b, s:s?}", "at",
	    time_format_utc(v->last_at, at), "ok", v->last_ok,
	    "error", v->last_ok ? NULL : v->last_error);
}

/*
 * The remind.status result. snooze_note says when a snooze ends in quiet
 * hours, and, in the reply to a snooze (snoozed), whenever it will bring
 * no reminder.
 */
static json_t *
method_remind_status_json(struct kindlogd *d, bool snoozed)
{
	const struct config	*config = d->config;
	struct reminder_view	 v;
	enum schedule_snooze	 fate;
	time_t			 now = time(NULL);
	json_t			*out;
	char			 iso[DAY_ISO_LEN], *note = NULL;
	bool			 paused, silenced;

	reminder_view(d->reminder, &v);
	paused = v.state.paused_until != 0 && v.state.paused_until > now;
	silenced = v.state.has_silenced_day &&
	    v.state.silenced_day == config_today(config, now);
	fate = schedule_snooze_fate(config, &v.state, now);
	if (fate == SCHEDULE_SNOOZE_QUIET ||
	    (snoozed && fate == SCHEDULE_SNOOZE_HELD))
		note = reminder_snooze_note(d->reminder);
	out = json_pack("{s:b, s:o, s:o, s:b, s:o, s:b}",
	    "enabled", config->reminders_enabled,
	    "next", method_remind_local_time(v.next),
	    "snoozed_until", method_remind_local_time(
	    fate != SCHEDULE_SNOOZE_NONE ? v.state.snoozed_until : 0),
	    "paused", paused,
	    "paused_until", method_remind_local_time(paused ?
	    v.state.paused_until : 0),
	    "not_today", silenced);
	if (silenced)
		json_object_set_new(out, "not_today_day", json_string(
		    day_format(v.state.silenced_day, iso)));
	if (note != NULL)
		json_object_set_new(out, "snooze_note", json_string(note));
	free(note);
	method_remind_rule_json(config, out);
	json_object_set_new(out, "next_recap",
	    method_remind_local_time(v.next_recap));
	json_object_set_new(out, "last_delivery", method_remind_last_json(&v));
	return out;
}

json_t *
method_remind_status_object(struct kindlogd *d)
{
	return method_remind_status_json(d, false);
}

json_t *
method_remind_notifications(struct kindlogd *d)
{
	struct reminder_view	 v;
	const char		*reason = NULL;
	bool			 available = notifier_available(&reason);

	reminder_view(d->reminder, &v);
	if (available && v.has_last && !v.last_ok)
		reason = v.last_error;
	return json_pack("{s:b, s:s?, s:o, s:o, s:o}",
	    "available", available && (!v.has_last || v.last_ok),
	    "reason", reason,
	    "actions", v.has_actions < 0 ? json_null() :
	    json_boolean(v.has_actions),
	    "inline_reply", v.has_reply < 0 ? json_null() :
	    json_boolean(v.has_reply),
	    "last_delivery", method_remind_last_json(&v));
}

/* One remind.* method's action, with its duration in seconds (0: none). */
typedef int method_remind_action(struct kindlogd *d, struct reminder *r,
    int64_t seconds, struct kl_error *err);

/* The optional duration param in seconds (0 when absent). */
static int
param_duration(json_t *params, int64_t *seconds, struct kl_error *err)
{
	const char	*value;

	*seconds = 0;
	if (param_string(params, "duration", false, &value, err) != 0)
		return -1;
	if (value == NULL)
		return 0;
	if (!duration_parse(value, seconds) || *seconds <= 0)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "duration: '%.32s' is not a duration like 30m, 1h or 2d",
		    value);
	return 0;
}

/*
 * Run action (if any) on the running reminder; reply with its status
 * (snoozing: the action was a snooze, whose reply says if it brings no
 * reminder).
 */
static int
method_remind_run(struct kindlogd *d, json_t *params,
    method_remind_action *action, bool snoozing, json_t **result,
    struct kl_error *err)
{
	int64_t	seconds;

	if (d->reminder == NULL)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "reminders are not running");
	if (param_duration(params, &seconds, err) != 0)
		return -1;
	if (action != NULL && action(d, d->reminder, seconds, err) != 0)
		return -1;
	*result = method_remind_status_json(d, snoozing);
	return 0;
}

static int
method_remind_act_now(struct kindlogd *d, struct reminder *r,
    int64_t seconds, struct kl_error *err)
{
	if (reminder_now(r, err) == 0)
		return 0;
	err->code = KL_ERR_UNAVAILABLE;
	return -1;
}

static int
method_remind_act_snooze(struct kindlogd *d, struct reminder *r,
    int64_t seconds, struct kl_error *err)
{
	return reminder_snooze(r, seconds != 0 ? seconds : d->config->snooze,
	    err);
}

static int
method_remind_act_pause(struct kindlogd *d, struct reminder *r,
    int64_t seconds, struct kl_error *err)
{
	return reminder_pause(r, seconds, err);
}

static int
method_remind_act_resume(struct kindlogd *d, struct reminder *r,
    int64_t seconds, struct kl_error *err)
{
	return reminder_resume(r, err);
}

static int
method_remind_status(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, NULL, false, result, err);
}

static int
method_remind_now(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_now, false,
	    result, err);
}

static int
method_remind_snooze(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_snooze, true,
	    result, err);
}

static int
method_remind_pause(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_pause, false,
	    result, err);
}

static int
method_remind_resume(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_resume, false,
	    result, err);
}

const struct method method_remind_status_entry = {
	.name = "remind.status",
	.params = method_no_params,
	.handler = method_remind_status,
	.writes = false,
	.summary = "next reminder, the rule in force, the last delivery",
};

const struct method method_remind_now_entry = {
	.name = "remind.now",
	.params = method_no_params,
	.handler = method_remind_now,
	.writes = false,
	.summary = "send a reminder now",
};

const struct method method_remind_snooze_entry = {
	.name = "remind.snooze",
	.params = (const char *const[]){ "duration", NULL },
	.handler = method_remind_snooze,
	.writes = false,
	.summary = "no reminder until DURATION from now",
};

const struct method method_remind_pause_entry = {
	.name = "remind.pause",
	.params = (const char *const[]){ "duration", NULL },
	.handler = method_remind_pause,
	.writes = false,
	.summary = "pause reminders for a while or until resume",
};

const struct method method_remind_resume_entry = {
	.name = "remind.resume",
	.params = method_no_params,
	.handler = method_remind_resume,
	.writes = false,
	.summary = "end a pause, a snooze and 'not today'",
};
