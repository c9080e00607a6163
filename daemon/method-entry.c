/*
 * The entry methods: add, get, list, edit, delete, undo, thank, and the
 * streak they reply with.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "method.h"
#include "params.h"
#include "reminder.h"
#include "store.h"

int
method_entry_add(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct store_entry_new	 in = { 0 };
	time_t			 now = time(NULL);
	kl_day			 today = config_today(d->config, now);
	json_t			*thanked, *entry;
	char			*text = NULL;
	bool			 has_day;
	int			 rc = -1;

	if (param_text(params, true, &text, err) != 0 ||
	    param_tags(params, &in.tags, err) != 0 ||
	    param_day(params, "day", today, &has_day, &in.day, err) != 0)
		goto out;
	if (!has_day)
		in.day = today;
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
	rc = method_entry_result(d, entry, now, result, err);
out:
	free(text);
	json_decref(in.tags);
	return rc;
}

static int
method_get(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	json_int_t	 id;
	json_t		*entry;

	if (param_id(params, &id, err) != 0 ||
	    store_entry_get(d->store, id, &entry, err) != 0)
		return -1;
	*result = json_pack("{s:o}", "entry", entry);
	return 0;
}

static int
method_list(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct store_query	 q = { 0 };
	kl_day			 today = config_today(d->config, time(NULL));
	json_int_t		 limit, offset;
	json_t			*entries;
	int64_t			 total;
	char			 tag[TAG_MAX_BYTES + 1];

	if (param_day_range(params, today, &q.has_since, &q.since,
	    &q.has_until, &q.until, err) != 0 ||
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
	struct store_entry_change	 change = { 0 };
	time_t				 now = time(NULL);
	kl_day				 today = config_today(d->config, now);
	json_int_t			 id;
	json_t				*entry;
	char				*text = NULL;
	int				 rc = -1;

	if (param_id(params, &id, err) != 0 ||
	    param_text(params, false, &text, err) != 0 ||
	    param_tags(params, &change.tags, err) != 0 ||
	    param_day(params, "day", today, &change.set_day, &change.day,
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
	rc = method_entry_result(d, entry, now, result, err);
out:
	free(text);
	json_decref(change.tags);
	return rc;
}

static int
method_delete(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	time_t		 now = time(NULL);
	json_int_t	 id;
	json_t		*entry;

	if (param_id(params, &id, err) != 0 ||
	    store_entry_delete(d->store, id, now, &entry, err) != 0)
		return -1;
	return method_entry_result(d, entry, now, result, err);
}

static int
method_undo(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	time_t		 now = time(NULL);
	json_t		*entry;

	if (store_entry_undo(d->store, now, &entry, err) != 0)
		return -1;
	return method_entry_result(d, entry, now, result, err);
}

/*
 * Thank for entry id (how NULL: take it back); the result also says how
 * it was thanked before, as was_thanked.
 */
static int
method_thank_how(struct kindlogd *d, json_int_t id, const char *how,
    json_t **result, struct kl_error *err)
{
	time_t	 now = time(NULL);
	json_t	*before, *was, *entry;

	if (store_entry_get(d->store, id, &before, err) != 0)
		return -1;
	was = json_incref(json_object_get(before, "thanked"));
	json_decref(before);
	if (how == NULL && json_is_null(was)) {
		json_decref(was);
		return kl_error_set(err, KL_ERR_CONFLICT,
		    "entry #%lld is not thanked", (long long)id);
	}
	if (store_entry_thank(d->store, id, how, now, &entry, err) != 0 ||
	    method_entry_result(d, entry, now, result, err) != 0) {
		json_decref(was);
		return -1;
	}
	json_object_set_new(*result, "was_thanked", was);
	return 0;
}

static int
method_thank(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	json_int_t	 id;
	const char	*how;

	if (param_id(params, &id, err) != 0 ||
	    param_how(params, &how, err) != 0)
		return -1;
	return method_thank_how(d, id, how, result, err);
}

static int
method_unthank(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	json_int_t	 id;

	if (param_id(params, &id, err) != 0)
		return -1;
	return method_thank_how(d, id, NULL, result, err);
}

static int
method_streak(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	*result = method_streak_json(d, time(NULL), err);
	return *result != NULL ? 0 : -1;
}

const struct method method_add_entry = {
	.name = "add",
	.params = (const char *const[]){ "text", "tags", "day", "thanked", NULL },
	.handler = method_entry_add,
	.writes = true,
	.summary = "log a gesture",
};

const struct method method_get_entry = {
	.name = "get",
	.params = (const char *const[]){ "id", NULL },
	.handler = method_get,
	.writes = false,
	.summary = "one entry by id",
};

const struct method method_list_entry = {
	.name = "list",
	.params = (const char *const[]){ "since", "until", "tag", "grep", "unthanked", "limit", "offset", NULL },
	.handler = method_list,
	.writes = false,
	.summary = "entries, newest first, filtered",
};

const struct method method_edit_entry = {
	.name = "edit",
	.params = (const char *const[]){ "id", "text", "tags", "day", NULL },
	.handler = method_edit,
	.writes = true,
	.summary = "change an entry's text, tags or day",
};

const struct method method_delete_entry = {
	.name = "delete",
	.params = (const char *const[]){ "id", NULL },
	.handler = method_delete,
	.writes = true,
	.summary = "soft-delete an entry",
};

const struct method method_undo_entry = {
	.name = "undo",
	.params = method_no_params,
	.handler = method_undo,
	.writes = true,
	.summary = "restore the most recent delete",
};

const struct method method_thank_entry = {
	.name = "thank",
	.params = (const char *const[]){ "id", "how", NULL },
	.handler = method_thank,
	.writes = true,
	.summary = "record that you said thank you",
};

const struct method method_unthank_entry = {
	.name = "unthank",
	.params = (const char *const[]){ "id", NULL },
	.handler = method_unthank,
	.writes = true,
	.summary = "take a thank-you back",
};

const struct method method_streak_entry = {
	.name = "streak",
	.params = method_no_params,
	.handler = method_streak,
	.writes = false,
	.summary = "current and best streak",
};
