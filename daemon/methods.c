/*
 * Method handlers. Each one checks every param (name, type, bounds)
 * before anything acts on it, then asks the store.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "methods.h"
#include "server.h"
#include "store.h"
#include "streak.h"
#include "util.h"
#include "xmalloc.h"

#define TEXT_MAX_BYTES 4000
#define TAGS_MAX 16
#define TAG_MAX_BYTES 32
#define GREP_MAX_BYTES 4000

/* Refuse any param whose name is not in allowed (NULL-terminated). */
static int
params_allow(json_t *params, const char *const *allowed,
    struct kl_error *err)
{
	const char	*key;
	json_t		*value;
	size_t		 i;

	json_object_foreach(params, key, value) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL)
			return kl_error_set(err, KL_ERR_PARAMS,
			    "unknown param '%.64s'", key);
	}
	return 0;
}

/* A string param; *out stays NULL when absent and not required. */
static int
param_string(json_t *params, const char *name, bool required,
    const char **out, struct kl_error *err)
{
	json_t	*value = json_object_get(params, name);

	*out = NULL;
	if (value == NULL) {
		if (required)
			return kl_error_set(err, KL_ERR_PARAMS,
			    "%s is required", name);
		return 0;
	}
	if (!json_is_string(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be a string", name);
	*out = json_string_value(value);
	return 0;
}

/* An integer param in [min, max], or fallback when absent. */
static int
param_int(json_t *params, const char *name, json_int_t min, json_int_t max,
    json_int_t fallback, json_int_t *out, struct kl_error *err)
{
	json_t	*value = json_object_get(params, name);

	*out = fallback;
	if (value == NULL)
		return 0;
	if (!json_is_integer(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be an integer", name);
	*out = json_integer_value(value);
	if (*out < min || *out > max)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be between %lld and %lld", name, (long long)min,
		    (long long)max);
	return 0;
}

/* The required entry id. */
static int
param_id(json_t *params, json_int_t *id, struct kl_error *err)
{
	if (json_object_get(params, "id") == NULL)
		return kl_error_set(err, KL_ERR_PARAMS, "id is required");
	return param_int(params, "id", 1, INT64_MAX, 0, id, err);
}

/* A boolean param, false when absent. */
static int
param_bool(json_t *params, const char *name, bool *out,
    struct kl_error *err)
{
	json_t	*value = json_object_get(params, name);

	*out = false;
	if (value == NULL)
		return 0;
	if (!json_is_boolean(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be true or false", name);
	*out = json_is_true(value);
	return 0;
}

kl_day
methods_today(struct kindlogd *d, time_t now)
{
	return day_today(now, d->config->day_starts_at);
}

/* A DAY param resolved against today; future days are refused. */
static int
param_day(struct kindlogd *d, json_t *params, const char *name, time_t now,
    bool *has, kl_day *out, struct kl_error *err)
{
	const char	*value, *cause;
	kl_day		 today = methods_today(d, now);
	char		 iso[DAY_ISO_LEN];

	*has = false;
	if (param_string(params, name, false, &value, err) != 0)
		return -1;
	if (value == NULL)
		return 0;
	if (!day_parse(value, today, out, &cause))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s: cannot understand day '%.64s'", name, value);
	if (*out > today)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s: %s is in the future", name, day_format(*out, iso));
	*has = true;
	return 0;
}

/* The trimmed text param (1..4000 bytes); caller frees *out. */
static int
param_text(json_t *params, bool required, char **out, struct kl_error *err)
{
	const char	*value;
	json_t		*json = json_object_get(params, "text");

	*out = NULL;
	if (param_string(params, "text", required, &value, err) != 0)
		return -1;
	if (value == NULL)
		return 0;
	if (json_string_length(json) != strlen(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "text must not contain NUL bytes");
	*out = str_trim(xstrdup(value));
	if ((*out)[0] != '\0' && strlen(*out) <= TEXT_MAX_BYTES)
		return 0;
	free(*out);
	*out = NULL;
	if (strlen(value) > TEXT_MAX_BYTES)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "text is longer than %d bytes", TEXT_MAX_BYTES);
	return kl_error_set(err, KL_ERR_PARAMS, "text must not be empty");
}

/* Lowercase tag in place and check it against [a-z0-9_-]{1,32}. */
static bool
tag_normalise(char *tag)
{
	size_t	len = strlen(tag), i;

	if (len == 0 || len > TAG_MAX_BYTES)
		return false;
	for (i = 0; i < len; i++) {
		tag[i] = (char)tolower((unsigned char)tag[i]);
		if (!islower((unsigned char)tag[i]) &&
		    !isdigit((unsigned char)tag[i]) && tag[i] != '_' &&
		    tag[i] != '-')
			return false;
	}
	return true;
}

/* The tags param as a new array of normalised, distinct tags. */
static int
param_tags(json_t *params, json_t **out, struct kl_error *err)
{
	json_t	*value = json_object_get(params, "tags"), *tag, *tags;
	size_t	 i, j;
	char	 buf[TAG_MAX_BYTES + 1];
	bool	 seen;

	*out = NULL;
	if (value == NULL)
		return 0;
	if (!json_is_array(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "tags must be an array of strings");
	if (json_array_size(value) > TAGS_MAX)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "at most %d tags per entry", TAGS_MAX);
	tags = json_array();
	json_array_foreach(value, i, tag) {
		if (!json_is_string(tag) ||
		    json_string_length(tag) > TAG_MAX_BYTES ||
		    json_string_length(tag) != strlen(json_string_value(tag))) {
			json_decref(tags);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "tags must be strings of 1 to 32 characters "
			    "a-z, 0-9, _ or -");
		}
		strcpy(buf, json_string_value(tag));
		if (!tag_normalise(buf)) {
			json_decref(tags);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "invalid tag '%.32s': use 1 to 32 of a-z, 0-9, "
			    "_ and -", json_string_value(tag));
		}
		seen = false;
		for (j = 0; j < json_array_size(tags); j++)
			seen |= strcmp(json_string_value(
			    json_array_get(tags, j)), buf) == 0;
		if (!seen)
			json_array_append_new(tags, json_string(buf));
	}
	*out = tags;
	return 0;
}

/* Check a thank-you manner: said, wrote, showed or other. */
static bool
how_valid(const char *how)
{
	static const char	*hows[] = { "said", "wrote", "showed",
	    "other" };
	size_t			 i;

	for (i = 0; i < sizeof hows / sizeof hows[0]; i++) {
		if (strcmp(how, hows[i]) == 0)
			return true;
	}
	return false;
}

/* The how param (default "said"). */
static int
param_how(json_t *params, const char **how, struct kl_error *err)
{
	if (param_string(params, "how", false, how, err) != 0)
		return -1;
	if (*how == NULL)
		*how = "said";
	if (!how_valid(*how))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "how must be said, wrote, showed or other");
	return 0;
}

/* The current STREAK as a new JSON object, or NULL with err. */
static json_t *
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
	    "connections", (json_int_t)(d->server != NULL ?
	    server_connection_count(d->server) : 0),
	    "entries", (json_int_t)entries,
	    "today", day_format(methods_today(d, now), today),
	    "day_starts_at", config_format_clock(d->config->day_starts_at,
	    clock),
	    "partner", d->config->partner);
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

static int
method_reload(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	static const char *const allowed[] = { NULL };

	if (params_allow(params, allowed, err) != 0 ||
	    config_reload(&d->config, d->config_path, d->config_explicit,
	    err) != 0)
		return -1;
	*result = json_pack("{s:s}", "config", d->config_path);
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
	return method->handler(d, params, result, err);
}
