/*
 * Method handlers. Each one checks every param (name, type, bounds)
 * before anything acts on it, then asks the store.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "config.h"
#include "insight.h"
#include "methods.h"
#include "params.h"
#include "recap.h"
#include "reminder.h"
#include "store.h"
#include "transfer.h"
#include "trim.h"
#include "streak.h"
#include "util.h"
#include "xmalloc.h"

kl_day
methods_today(struct kindlogd *d, time_t now)
{
	return day_today(now, d->config->day_starts_at);
}

json_t *
methods_streak_json(struct kindlogd *d, time_t now, struct kl_error *err)
{
	struct streak	 streak;
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries;

	if (store_days(d->store, &days, &ndays, &entries, err) != 0)
		return NULL;
	streak_compute(days, ndays, methods_today(d, now), entries, &streak);
	free(days);
	return streak_to_json(&streak);
}

/* Wrap an entry and the streak into {"entry", "streak"}. */
static int
methods_entry_result(struct kindlogd *d, json_t *entry, time_t now,
    json_t **result, struct kl_error *err)
{
	json_t	*streak = methods_streak_json(d, now, err);

	if (streak == NULL) {
		json_decref(entry);
		return -1;
	}
	*result = json_pack("{s:o, s:o}", "entry", entry, "streak", streak);
	return 0;
}

static int
method_version(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };

	if (params_allow(params, allowed, err) != 0)
		return -1;
	*result = json_pack("{s:s, s:i}", "version", KINDLOG_VERSION,
	    "protocol", KINDLOG_PROTOCOL);
	return 0;
}

static int
method_status(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };
	time_t		 now = time(NULL);
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries;
	char		 today[DAY_ISO_LEN], clock[8];

	if (params_allow(params, allowed, err) != 0)
		return -1;
	if (store_days(d->store, &days, &ndays, &entries, err) != 0)
		return -1;
	free(days);
	*result = json_pack("{s:s, s:i, s:I, s:I, s:s?, s:s?, s:b, s:I, "
	    "s:I, s:s, s:s, s:s?}",
	    "version", KINDLOG_VERSION,
	    "protocol", KINDLOG_PROTOCOL,
	    "pid", (json_int_t)getpid(),
	    "uptime", (json_int_t)(now - d->started_at),
	    "socket", d->socket_path,
	    "database", d->db_path,
	    "readonly", store_readonly(d->store),
	    "connections", (json_int_t)d->connections,
	    "entries", (json_int_t)entries,
	    "today", day_format(methods_today(d, now), today),
	    "day_starts_at", config_format_clock(d->config->day_starts_at,
	    clock),
	    "partner", d->config->partner);
	if (d->reminder != NULL)
		json_object_set_new(*result, "notifications",
		    reminder_notifications_status(d->reminder));
	return 0;
}

static int
method_add(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "text", "tags", "day",
	    "thanked", NULL };
	struct store_entry_new	 in = { 0 };
	time_t			 now = time(NULL);
	json_t			*thanked, *entry;
	char			*text = NULL;
	bool			 has_day;
	int			 rc = -1;

	if (params_allow(params, allowed, err) != 0 ||
	    param_text(params, true, &text, err) != 0 ||
	    param_tags(params, &in.tags, err) != 0 ||
	    param_day(d, params, "day", now, &has_day, &in.day, err) != 0)
		goto out;
	if (!has_day)
		in.day = methods_today(d, now);
	thanked = json_object_get(params, "thanked");
	if (json_is_true(thanked))
		in.thanked_how = "said";
	else if (json_is_string(thanked) &&
	    how_valid(json_string_value(thanked)))
		in.thanked_how = json_string_value(thanked);
	else if (thanked != NULL && !json_is_false(thanked)) {
		kl_error_set(err, KL_ERR_PARAMS, "thanked must be true, false, "
		    "or one of said, wrote, showed, other");
		goto out;
	}
	in.text = text;
	if (store_entry_add(d->store, &in, now, &entry, err) != 0)
		goto out;
	if (d->reminder != NULL)
		reminder_entry_added(d->reminder, in.day);
	rc = methods_entry_result(d, entry, now, result, err);
out:
	free(text);
	json_decref(in.tags);
	return rc;
}

static int
method_get(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "id", NULL };
	json_int_t	 id;
	json_t		*entry;

	if (params_allow(params, allowed, err) != 0 ||
	    param_id(params, &id, err) != 0 ||
	    store_entry_get(d->store, id, &entry, err) != 0)
		return -1;
	*result = json_pack("{s:o}", "entry", entry);
	return 0;
}

static int
method_list(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "since", "until", "tag",
	    "grep", "unthanked", "limit", "offset", NULL };
	struct store_query	 q = { 0 };
	time_t			 now = time(NULL);
	json_int_t		 limit, offset;
	json_t			*entries;
	int64_t			 total;
	char			 tag[TAG_MAX_BYTES + 1];

	if (params_allow(params, allowed, err) != 0 ||
	    param_day(d, params, "since", now, &q.has_since, &q.since,
	    err) != 0 ||
	    param_day(d, params, "until", now, &q.has_until, &q.until,
	    err) != 0 ||
	    param_string(params, "tag", false, &q.tag, err) != 0 ||
	    param_string(params, "grep", false, &q.grep, err) != 0 ||
	    param_bool(params, "unthanked", &q.unthanked, err) != 0 ||
	    param_int(params, "limit", 0, 1000000000, 20, &limit, err) != 0 ||
	    param_int(params, "offset", 0, 1000000000, 0, &offset, err) != 0)
		return -1;
	if (q.tag != NULL) {
		if (strlen(q.tag) > TAG_MAX_BYTES)
			return kl_error_set(err, KL_ERR_PARAMS, "invalid tag");
		strcpy(tag, q.tag);
		if (!tag_normalise(tag))
			return kl_error_set(err, KL_ERR_PARAMS,
			    "invalid tag '%.32s'", q.tag);
		q.tag = tag;
	}
	if (q.grep != NULL && strlen(q.grep) > GREP_MAX_BYTES)
		return kl_error_set(err, KL_ERR_PARAMS, "grep is too long");
	q.limit = limit == 0 ? -1 : limit;
	q.offset = offset;
	if (store_entry_list(d->store, &q, &entries, &total, err) != 0)
		return -1;
	*result = json_pack("{s:o, s:I}", "entries", entries, "total",
	    (json_int_t)total);
	return 0;
}

static int
method_edit(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "id", "text", "tags", "day",
	    NULL };
	struct store_entry_change	 change = { 0 };
	time_t				 now = time(NULL);
	json_int_t			 id;
	json_t				*entry;
	char				*text = NULL;
	int				 rc = -1;

	if (params_allow(params, allowed, err) != 0 ||
	    param_id(params, &id, err) != 0 ||
	    param_text(params, false, &text, err) != 0 ||
	    param_tags(params, &change.tags, err) != 0 ||
	    param_day(d, params, "day", now, &change.set_day, &change.day,
	    err) != 0)
		goto out;
	if (text == NULL && change.tags == NULL && !change.set_day) {
		kl_error_set(err, KL_ERR_PARAMS,
		    "nothing to change: give text, tags or day");
		goto out;
	}
	change.text = text;
	if (store_entry_edit(d->store, id, &change, now, &entry, err) != 0)
		goto out;
	rc = methods_entry_result(d, entry, now, result, err);
out:
	free(text);
	json_decref(change.tags);
	return rc;
}

static int
method_delete(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "id", NULL };
	time_t		 now = time(NULL);
	json_int_t	 id;
	json_t		*entry;

	if (params_allow(params, allowed, err) != 0 ||
	    param_id(params, &id, err) != 0 ||
	    store_entry_delete(d->store, id, now, &entry, err) != 0)
		return -1;
	return methods_entry_result(d, entry, now, result, err);
}

static int
method_undo(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };
	time_t		 now = time(NULL);
	json_t		*entry;

	if (params_allow(params, allowed, err) != 0 ||
	    store_entry_undo(d->store, now, &entry, err) != 0)
		return -1;
	return methods_entry_result(d, entry, now, result, err);
}

static int
method_thank(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "id", "how", NULL };
	time_t		 now = time(NULL);
	json_int_t	 id;
	const char	*how;
	json_t		*entry;

	if (params_allow(params, allowed, err) != 0 ||
	    param_id(params, &id, err) != 0 ||
	    param_how(params, &how, err) != 0 ||
	    store_entry_thank(d->store, id, how, now, &entry, err) != 0)
		return -1;
	return methods_entry_result(d, entry, now, result, err);
}

static int
method_streak(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };

	if (params_allow(params, allowed, err) != 0)
		return -1;
	*result = methods_streak_json(d, time(NULL), err);
	return *result != NULL ? 0 : -1;
}

int
methods_reload(struct kindlogd *d, struct kl_error *err)
{
	if (config_reload(&d->config, d->config_path, d->config_explicit,
	    err) != 0)
		return -1;
	if (d->reminder != NULL)
		reminder_rearm(d->reminder);
	return 0;
}

static int
method_reload(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };

	if (params_allow(params, allowed, err) != 0 ||
	    methods_reload(d, err) != 0)
		return -1;
	*result = json_pack("{s:s}", "config", d->config_path);
	return 0;
}

/* The reminder module, or an error when it is not running (tests). */
static struct reminder *
methods_reminder(struct kindlogd *d, struct kl_error *err)
{
	if (d->reminder == NULL)
		kl_error_set(err, KL_ERR_INTERNAL, "reminders are not running");
	return d->reminder;
}

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

static int
method_remind_status(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };
	struct reminder		*r = methods_reminder(d, err);

	if (r == NULL || params_allow(params, allowed, err) != 0)
		return -1;
	*result = reminder_status(r);
	return 0;
}

static int
method_remind_now(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };
	struct reminder		*r = methods_reminder(d, err);

	if (r == NULL || params_allow(params, allowed, err) != 0)
		return -1;
	if (reminder_now(r, err) != 0) {
		err->code = KL_ERR_UNAVAILABLE;
		return -1;
	}
	*result = reminder_status(r);
	return 0;
}

static int
method_remind_snooze(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "duration", NULL };
	struct reminder		*r = methods_reminder(d, err);
	int64_t			 seconds;

	if (r == NULL || params_allow(params, allowed, err) != 0 ||
	    param_duration(params, &seconds, err) != 0)
		return -1;
	if (seconds == 0)
		seconds = d->config->snooze;
	if (reminder_snooze(r, seconds, err) != 0)
		return -1;
	*result = reminder_status(r);
	return 0;
}

static int
method_remind_pause(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { "duration", NULL };
	struct reminder		*r = methods_reminder(d, err);
	int64_t			 seconds;

	if (r == NULL || params_allow(params, allowed, err) != 0 ||
	    param_duration(params, &seconds, err) != 0 ||
	    reminder_pause(r, seconds, err) != 0)
		return -1;
	*result = reminder_status(r);
	return 0;
}

static int
method_remind_resume(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };
	struct reminder		*r = methods_reminder(d, err);

	if (r == NULL || params_allow(params, allowed, err) != 0 ||
	    reminder_resume(r, err) != 0)
		return -1;
	*result = reminder_status(r);
	return 0;
}

const struct method methods_table[] = {
	{ "version", method_version, false, "daemon and protocol version" },
	{ "status", method_status, false, "the daemon's state" },
	{ "add", method_add, true, "log a gesture" },
	{ "get", method_get, false, "one entry by id" },
	{ "list", method_list, false, "entries, newest first, filtered" },
	{ "edit", method_edit, true, "change an entry's text, tags or day" },
	{ "delete", method_delete, true, "soft-delete an entry" },
	{ "undo", method_undo, true, "restore the most recent delete" },
	{ "thank", method_thank, true, "record that you said thank you" },
	{ "streak", method_streak, false, "current and best streak" },
	{ "reload", method_reload, false, "re-read the config file" },
	{ "remind.status", method_remind_status, false,
	  "next reminder, the rule in force, the last delivery" },
	{ "remind.now", method_remind_now, false, "send a reminder now" },
	{ "remind.snooze", method_remind_snooze, false,
	  "no reminder until DURATION from now" },
	{ "remind.pause", method_remind_pause, false,
	  "pause reminders for a while or until resume" },
	{ "remind.resume", method_remind_resume, false,
	  "end a pause, a snooze and 'not today'" },
	{ "stats", insight_stats, false, "counts, streaks, tags, repeats" },
	{ "calendar", insight_calendar, false, "entries per day for a heatmap" },
	{ "export", transfer_export, false, "one page of every entry, by day" },
	{ "import.begin", transfer_import_begin, false, "open an import session" },
	{ "import.add", transfer_import_add, false, "check and stage import records" },
	{ "import.commit", transfer_import_commit, true, "add what an import staged" },
	{ "import.abort", transfer_import_abort, false, "drop an import session" },
	{ "backup", backup_method, false, "copy the database into the backups directory now" },
	{ "recap", recap_recap, false, "a week, month or year as a letter" },
	{ "resurface", recap_resurface, false, "one past gesture to look back on" },
};
const size_t methods_count = sizeof methods_table / sizeof methods_table[0];

const struct method *
methods_find(const char *name)
{
	size_t	i;

	for (i = 0; i < methods_count; i++) {
		if (strcmp(methods_table[i].name, name) == 0)
			return &methods_table[i];
	}
	return NULL;
}

int
methods_call(struct kindlogd *d, const char *name, json_t *params,
    json_t **result, struct kl_error *err)
{
	const struct method	*method = methods_find(name);

	*result = NULL;
	if (method == NULL)
		return kl_error_set(err, KL_ERR_METHOD,
		    "unknown method '%.64s'", name);
	if (method->handler(d, params, result, err) != 0)
		return -1;
	/*
	 * Today's entries decide whether a reminder is still due. The server
	 * batches writes and re-arms once per batch (methods_batch_done):
	 * computing the schedule costs more than the write itself.
	 */
	if (method->writes && d->reminder != NULL) {
		if (d->server != NULL)
			d->rearm_pending = true;
		else
			reminder_rearm(d->reminder);
	}
	return 0;
}

void
methods_batch_begin(struct kindlogd *d)
{
	store_batch_begin(d->store);
}

int
methods_batch_end(struct kindlogd *d, struct kl_error *err)
{
	return store_batch_commit(d->store, err);
}

void
methods_batch_done(struct kindlogd *d)
{
	if (d->rearm_pending && d->reminder != NULL)
		reminder_writes_done(d->reminder);
	d->rearm_pending = false;
	trim_soon(d->trim);
}
