/*
 * The remind.* methods: the reminder's state, and the user's say in it.
 * Each one does at most one thing to the reminder and replies with its
 * status.
 */
#include "config.h"
#include "method.h"
#include "params.h"
#include "reminder.h"
#include "rfc3339.h"

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

/* Run action (if any) on the running reminder; reply with its status. */
static int
method_remind_run(struct kindlogd *d, json_t *params,
    method_remind_action *action, json_t **result, struct kl_error *err)
{
	int64_t	seconds;

	if (d->reminder == NULL)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "reminders are not running");
	if (param_duration(params, &seconds, err) != 0)
		return -1;
	if (action != NULL && action(d, d->reminder, seconds, err) != 0)
		return -1;
	*result = reminder_status(d->reminder);
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
	return method_remind_run(d, params, NULL, result, err);
}

static int
method_remind_now(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_now, result, err);
}

static int
method_remind_snooze(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_snooze, result,
	    err);
}

static int
method_remind_pause(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_pause, result,
	    err);
}

static int
method_remind_resume(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return method_remind_run(d, params, method_remind_act_resume, result,
	    err);
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
