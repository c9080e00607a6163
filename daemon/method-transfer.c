/*
 * Export and import: export hands out the log in pages so no side ever
 * holds all of it, the entries and then the reflections; import stages
 * batches of records of both kinds in a session and applies them in one
 * transaction (doc/protocol.md). Every import record is
 * checked here, field by field, with the same rules as add (params.c); a
 * bad record names its number counted across the whole session and ends the
 * session, so an import is all or nothing even for a client that would
 * commit anyway.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "method.h"
#include "params.h"
#include "rfc3339.h"
#include "store.h"
#include "strnum.h"
#include "uuid.h"
#include "xmalloc.h"

/* Entries per export page: the most a request may ask for. */
#define TRANSFER_PAGE_MAX 1000
/* Stop filling an export page after about this much text. */
#define TRANSFER_PAGE_BYTES (512 * 1024)

/* Parse an export cursor, "YYYY-MM-DD/ID". */
static bool
method_transfer_cursor_parse(const char *s, struct store_cursor *cursor)
{
	char	day[DAY_ISO_LEN];

	if (strlen(s) < DAY_ISO_LEN || s[DAY_ISO_LEN - 1] != '/')
		return false;
	memcpy(day, s, DAY_ISO_LEN - 1);
	day[DAY_ISO_LEN - 1] = '\0';
	return day_parse_iso(day, &cursor->day) &&
	    parse_int64(s + DAY_ISO_LEN, 0, INT64_MAX, &cursor->id);
}

/* The what param of export: entries (the default) or reflections. */
static int
method_transfer_what(json_t *params, bool *reflections, struct kl_error *err)
{
	const char	*what;

	*reflections = false;
	if (param_string(params, "what", false, &what, err) != 0)
		return -1;
	if (what == NULL || strcmp(what, "entries") == 0)
		return 0;
	if (strcmp(what, "reflections") != 0)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "what must be entries or reflections");
	*reflections = true;
	return 0;
}

static int
method_export(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct store_cursor	 after, last;
	const char		*cursor;
	json_int_t		 limit;
	json_t			*page, *next;
	char			 day[DAY_ISO_LEN];
	bool			 reflections;
	int			 rc;

	if (param_string(params, "cursor", false, &cursor, err) != 0 ||
	    param_int(params, "limit", 1, TRANSFER_PAGE_MAX,
	    TRANSFER_PAGE_MAX, &limit, err) != 0 ||
	    method_transfer_what(params, &reflections, err) != 0)
		return -1;
	if (cursor != NULL && !method_transfer_cursor_parse(cursor, &after))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "cursor must be a next value from an earlier page");
	if (reflections)
		rc = store_reflect_page(d->store, cursor != NULL ? &after :
		    NULL, limit, TRANSFER_PAGE_BYTES, &page, &last, err);
	else
		rc = store_entry_page(d->store, cursor != NULL ? &after :
		    NULL, limit, TRANSFER_PAGE_BYTES, &page, &last, err);
	if (rc != 0)
		return -1;
	if (json_array_size(page) == 0)
		next = json_null();
	else
		next = json_sprintf("%s/%" PRId64, day_format(last.day, day),
		    last.id);
	*result = json_pack("{s:o, s:o}", reflections ? "reflections" :
	    "entries", page, "next", next);
	return 0;
}

static int
method_import_begin(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	char	session[UUID_STR_LEN];

	if (store_import_begin(d->store, time(NULL), session, err) != 0)
		return -1;
	*result = json_pack("{s:s, s:i, s:i}", "session", session,
	    "max_records", STORE_IMPORT_MAX_RECORDS,
	    "idle_timeout", STORE_IMPORT_IDLE);
	return 0;
}

/* An optional RFC 3339 field of a record; fallback when absent. */
static int
method_transfer_time(json_t *obj, const char *name, time_t fallback, time_t *out,
    struct kl_error *err)
{
	const char	*s;

	*out = fallback;
	if (param_string(obj, name, false, &s, err) != 0)
		return -1;
	if (s != NULL && !time_parse_rfc3339(s, out))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be an RFC 3339 time like 2026-11-27T07:41:05Z",
		    name);
	return 0;
}

/* The uuid of a record, lowercased, or a new one when absent. */
static int
method_transfer_uuid(json_t *record, char uuid[UUID_STR_LEN], struct kl_error *err)
{
	const char	*s;
	size_t		 i;

	if (param_string(record, "uuid", false, &s, err) != 0)
		return -1;
	if (s == NULL) {
		uuid_generate(uuid);
		return 0;
	}
	if (!uuid_valid(s))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "uuid '%.40s' is not a UUID", s);
	for (i = 0; i < UUID_STR_LEN; i++)
		uuid[i] = (char)tolower((unsigned char)s[i]);
	return 0;
}

/* The day of a record: strict YYYY-MM-DD, not after today. */
static int
method_transfer_day(struct kindlogd *d, json_t *record, time_t now, kl_day *day,
    struct kl_error *err)
{
	const char	*s;
	char		 iso[DAY_ISO_LEN];

	if (param_string(record, "day", true, &s, err) != 0)
		return -1;
	if (!day_parse_iso(s, day))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "day '%.32s' is not a date YYYY-MM-DD", s);
	if (*day > config_today(d->config, now))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "day %s is in the future", day_format(*day, iso));
	return 0;
}

/* thanked: null/absent, or {"at": RFC 3339, "how": said|wrote|...}. */
static int
method_transfer_thanked(json_t *record, struct store_import_record *r,
    struct kl_error *err)
{
	static const char *const allowed[] = { "at", "how", NULL };
	json_t		*thanked = json_object_get(record, "thanked");

	r->thanked_how = NULL;
	if (thanked == NULL || json_is_null(thanked))
		return 0;
	if (!json_is_object(thanked))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "thanked must be null or {\"at\", \"how\"}");
	if (params_allow(thanked, allowed, err) != 0)
		return -1;
	if (json_object_get(thanked, "at") == NULL)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "thanked.at is required");
	if (method_transfer_time(thanked, "at", 0, &r->thanked_at, err) != 0)
		return -1;
	if (param_string(thanked, "how", false, &r->thanked_how, err) != 0 ||
	    r->thanked_how == NULL || !how_valid(r->thanked_how))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "thanked.how must be said, wrote, showed or other");
	return 0;
}

/* Check one record and fill r (text is a new string, tags a new array). */
static int
method_transfer_record(struct kindlogd *d, json_t *record, time_t now,
    struct store_import_record *r, struct kl_error *err)
{
	static const char *const allowed[] = { "id", "uuid", "day", "text",
	    "tags", "created_at", "updated_at", "thanked", NULL };
	char	*text;

	memset(r, 0, sizeof *r);
	if (!json_is_object(record))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "must be an entry object");
	if (params_allow(record, allowed, err) != 0 ||
	    method_transfer_uuid(record, r->uuid, err) != 0 ||
	    method_transfer_day(d, record, now, &r->day, err) != 0 ||
	    param_text(record, true, &text, err) != 0)
		return -1;
	r->text = text;
	if (param_tags(record, &r->tags, err) != 0 ||
	    method_transfer_time(record, "created_at", now, &r->created_at,
	    err) != 0 ||
	    method_transfer_time(record, "updated_at", r->created_at,
	    &r->updated_at, err) != 0 ||
	    method_transfer_thanked(record, r, err) != 0)
		return -1;
	return 0;
}

/* Free what method_transfer_record filled in n records. */
static void
method_transfer_records_free(struct store_import_record *records, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free((char *)records[i].text);
		json_decref(records[i].tags);
	}
	free(records);
}

/* Check every record of a batch; number the failing one across the session. */
static int
method_transfer_records(struct kindlogd *d, json_t *entries, int64_t before,
    struct store_import_record **out, struct kl_error *err)
{
	struct store_import_record	*records;
	struct kl_error			 why;
	size_t				 i, n = json_array_size(entries);
	time_t				 now = time(NULL);

	records = xcalloc(n, sizeof *records);
	for (i = 0; i < n; i++) {
		if (method_transfer_record(d, json_array_get(entries, i), now,
		    &records[i], &why) != 0) {
			method_transfer_records_free(records, i + 1);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "record %" PRId64 ": %s", before + (int64_t)i + 1,
			    why.message);
		}
	}
	*out = records;
	return 0;
}

/* Check and stage a batch of entry records. */
static int
method_import_entries(struct kindlogd *d, const char *session,
    json_t *entries, int64_t before, struct kl_error *err)
{
	struct store_import_record	*records = NULL;
	size_t				 n = json_array_size(entries);
	int				 rc;

	if (method_transfer_records(d, entries, before, &records, err) != 0)
		return -1;
	rc = store_import_stage(d->store, session, records, n, err);
	method_transfer_records_free(records, n);
	return rc;
}

/* Free what method_transfer_reflection filled in n records. */
static void
method_transfer_reflections_free(struct store_import_reflection *records,
    struct method_answers *answers, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		method_answers_free(&answers[i]);
	free(answers);
	free(records);
}

/* Check one reflection record and fill r (its answers into a). */
static int
method_transfer_reflection(struct kindlogd *d, json_t *record, time_t now,
    struct store_import_reflection *r, struct method_answers *a,
    struct kl_error *err)
{
	static const char *const allowed[] = { "id", "uuid", "day",
	    "created_at", "answers", NULL };

	if (!json_is_object(record))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "must be a reflection object");
	if (params_allow(record, allowed, err) != 0 ||
	    method_transfer_uuid(record, r->uuid, err) != 0 ||
	    method_transfer_day(d, record, now, &r->day, err) != 0 ||
	    method_transfer_time(record, "created_at", now, &r->created_at,
	    err) != 0)
		return -1;
	if (json_object_get(record, "answers") == NULL)
		return kl_error_set(err, KL_ERR_PARAMS, "answers is required");
	if (method_answers_parse(json_object_get(record, "answers"), false, a,
	    err) != 0)
		return -1;
	if (a->n == 0)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "a reflection needs at least one answer");
	r->answers = a->answers;
	r->nanswers = a->n;
	return 0;
}

/*
 * Check and stage a batch of reflection records, numbered after the
 * batch's entries (before counts the records of earlier batches).
 */
static int
method_import_reflections(struct kindlogd *d, const char *session,
    json_t *list, int64_t before, struct kl_error *err)
{
	struct store_import_reflection	*records;
	struct method_answers		*answers;
	struct kl_error			 why;
	size_t				 i, n = json_array_size(list);
	time_t				 now = time(NULL);
	int				 rc;

	records = xcalloc(n, sizeof *records);
	answers = xcalloc(n, sizeof *answers);
	for (i = 0; i < n; i++) {
		if (method_transfer_reflection(d, json_array_get(list, i), now,
		    &records[i], &answers[i], &why) != 0) {
			method_transfer_reflections_free(records, answers, n);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "record %" PRId64 ": %s", before + (int64_t)i + 1,
			    why.message);
		}
	}
	rc = store_import_stage_reflections(d->store, session, records, n,
	    err);
	method_transfer_reflections_free(records, answers, n);
	return rc;
}

static int
method_import_add(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct kl_error	 ignored;
	const char	*session;
	json_t		*entries = json_object_get(params, "entries");
	json_t		*reflections = json_object_get(params, "reflections");
	int64_t		 before;
	size_t		 n;

	if (param_string(params, "session", true, &session, err) != 0)
		return -1;
	if ((entries != NULL || reflections == NULL) &&
	    !json_is_array(entries))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "entries must be an array of entry objects");
	if (reflections != NULL && !json_is_array(reflections))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "reflections must be an array of reflection objects");
	if (store_import_touch(d->store, session, time(NULL), &before,
	    err) != 0)
		return -1;
	n = json_array_size(entries) + json_array_size(reflections);
	if (before + (int64_t)n > STORE_IMPORT_MAX_RECORDS) {
		store_import_abort(d->store, session, &ignored);
		return kl_error_set(err, KL_ERR_LIMIT, "an import holds at most "
		    "%d records; the import was abandoned",
		    STORE_IMPORT_MAX_RECORDS);
	}
	if ((json_array_size(entries) > 0 && method_import_entries(d,
	    session, entries, before, err) != 0) ||
	    (json_array_size(reflections) > 0 && method_import_reflections(d,
	    session, reflections, before + (int64_t)json_array_size(entries),
	    err) != 0)) {
		store_import_abort(d->store, session, &ignored);
		return -1;
	}
	*result = json_pack("{s:I}", "records", (json_int_t)(before + n));
	return 0;
}

static int
method_import_commit(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	const char	*session;
	bool		 dry_run;
	int64_t		 records, added, skipped, staged, fresh;

	if (param_string(params, "session", true, &session, err) != 0 ||
	    param_bool(params, "dry_run", &dry_run, err) != 0 ||
	    store_import_touch(d->store, session, time(NULL), &records,
	    err) != 0 ||
	    store_import_reflections(d->store, session, &staged, &fresh,
	    err) != 0 ||
	    store_import_commit(d->store, session, dry_run, &added, &skipped,
	    err) != 0)
		return -1;
	*result = json_pack("{s:I, s:I, s:I, s:b, s:{s:I, s:I}}",
	    "added", (json_int_t)added,
	    "skipped", (json_int_t)skipped,
	    "records", (json_int_t)records,
	    "dry_run", dry_run,
	    "reflections",
	    "added", (json_int_t)fresh,
	    "skipped", (json_int_t)(staged - fresh));
	return 0;
}

static int
method_import_abort(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	const char	*session;
	int64_t		 records;

	if (param_string(params, "session", true, &session, err) != 0 ||
	    store_import_touch(d->store, session, time(NULL), &records,
	    err) != 0 ||
	    store_import_abort(d->store, session, err) != 0)
		return -1;
	*result = json_pack("{s:I}", "discarded", (json_int_t)records);
	return 0;
}

const struct method method_export_entry = {
	.name = "export",
	.params = (const char *const[]){ "cursor", "limit", "what", NULL },
	.handler = method_export,
	.writes = false,
	.summary = "one page of every entry or reflection, by day",
};

const struct method method_import_begin_entry = {
	.name = "import.begin",
	.params = method_no_params,
	.handler = method_import_begin,
	.writes = false,
	.summary = "open an import session",
};

const struct method method_import_add_entry = {
	.name = "import.add",
	.params = (const char *const[]){ "session", "entries", "reflections",
	    NULL },
	.handler = method_import_add,
	.writes = false,
	.summary = "check and stage import records",
};

const struct method method_import_commit_entry = {
	.name = "import.commit",
	.params = (const char *const[]){ "session", "dry_run", NULL },
	.handler = method_import_commit,
	.writes = true,
	.summary = "add what an import staged",
};

const struct method method_import_abort_entry = {
	.name = "import.abort",
	.params = (const char *const[]){ "session", NULL },
	.handler = method_import_abort,
	.writes = false,
	.summary = "drop an import session",
};
