/*
 * One entry: add, get, edit, thank, delete and undo, the ENTRY object of
 * doc/protocol.md built from a row, and the entries to look back on.
 */
#include <stdlib.h>
#include <string.h>

#include "routine.h"
#include "store-int.h"
#include "xmalloc.h"

/* store_each_row: append the row's tag to the array arg. */
static int
store_tag_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	json_array_append_new(arg, json_string(
	    (const char *)sqlite3_column_text(stmt, 0)));
	return 0;
}

/* The sorted tags of an entry as a new JSON array. */
static int
store_entry_tags(struct store *store, int64_t id, json_t **tags,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_TAGS_SELECT);

	sqlite3_bind_int64(stmt, 1, id);
	*tags = json_array();
	if (store_each_row(store, stmt, STORE_RESET, store_tag_row, *tags,
	    err) == -1)
		return store_json_drop(tags);
	return 0;
}

/* The fields of one ENTRY, as stored. */
struct store_entry_fields {
	int64_t		 id;
	const char	*uuid;
	const char	*day;
	const char	*text;
	json_t		*tags;		/* sorted, no duplicates; stolen */
	time_t		 created_at;
	time_t		 updated_at;
	bool		 thanked;
	time_t		 thanked_at;
	const char	*thanked_how;	/* NULL: "said" */
};

/* The ENTRY object of fields; KL_ERR_STORAGE if a string is not UTF-8. */
static int
store_entry_pack(const struct store_entry_fields *e, json_t **entry,
    struct kl_error *err)
{
	json_t	*thanked = json_null();

	if (e->thanked)
		thanked = json_pack("{s:o, s:s}", "at",
		    store_time_json(e->thanked_at), "how",
		    e->thanked_how != NULL ? e->thanked_how : "said");
	*entry = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)e->id, "uuid", e->uuid, "day", e->day,
	    "text", e->text, "tags", e->tags,
	    "created_at", store_time_json(e->created_at),
	    "updated_at", store_time_json(e->updated_at),
	    "thanked", thanked);
	if (*entry == NULL)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "storage failure: entry #%lld is not valid UTF-8",
		    (long long)e->id);
	return 0;
}

/* The ENTRY object of the current row (STORE_ENTRY_COLUMNS). */
int
store_entry_from_row(struct store *store, sqlite3_stmt *stmt, json_t **entry,
    struct kl_error *err)
{
	struct store_entry_fields e = {
		.id = sqlite3_column_int64(stmt, 0),
		.uuid = (const char *)sqlite3_column_text(stmt, 1),
		.day = (const char *)sqlite3_column_text(stmt, 2),
		.text = (const char *)sqlite3_column_text(stmt, 3),
		.created_at = (time_t)sqlite3_column_int64(stmt, 4),
		.updated_at = (time_t)sqlite3_column_int64(stmt, 5),
		.thanked = sqlite3_column_type(stmt, 6) != SQLITE_NULL,
		.thanked_at = (time_t)sqlite3_column_int64(stmt, 6),
		.thanked_how = (const char *)sqlite3_column_text(stmt, 7),
	};

	if (store_entry_tags(store, e.id, &e.tags, err) == -1)
		return -1;
	return store_entry_pack(&e, entry, err);
}

/* store_each_row: the ENTRY of the one row wanted, into *arg. */
static int
store_entry_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	return store_entry_from_row(store, stmt, arg, err) == -1 ? -1 : 1;
}

/* The live entry with this id, or KL_ERR_NOT_FOUND. */
static int
store_entry_fetch(struct store *store, int64_t id, json_t **entry,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_ENTRY_SELECT);

	*entry = NULL;
	sqlite3_bind_int64(stmt, 1, id);
	if (store_each_row(store, stmt, STORE_RESET, store_entry_row, entry,
	    err) == -1)
		return -1;
	if (*entry == NULL)
		return kl_error_set(err, KL_ERR_NOT_FOUND, "no entry #%lld",
		    (long long)id);
	return 0;
}

/* Add each tag string of the array to an entry. */
static int
store_tags_insert(struct store *store, int64_t id, json_t *tags,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	json_t		*tag;
	size_t		 i;

	json_array_foreach(tags, i, tag) {
		if (!json_is_string(tag))
			return kl_error_set(err, KL_ERR_PARAMS,
			    "tags must be strings");
		stmt = store_stmt(store, STMT_TAG_INSERT);
		sqlite3_bind_int64(stmt, 1, id);
		store_bind_text(stmt, 2, json_string_value(tag));
		if (store_run(store, stmt, err) == -1)
			return -1;
	}
	return 0;
}

/* Insert the entries row; *id is its new id, uuid its new uuid. */
static int
store_entry_insert(struct store *store, const struct store_entry_new *in,
    time_t now, char uuid[UUID_STR_LEN], int64_t *id, struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_ENTRY_INSERT);
	char		*key;

	uuid_generate(uuid);
	store_bind_text(stmt, 1, uuid);
	store_bind_day(stmt, 2, in->day);
	store_bind_text(stmt, 3, in->text);
	sqlite3_bind_int64(stmt, 4, now);
	if (in->thanked_how != NULL) {
		sqlite3_bind_int64(stmt, 5, now);
		store_bind_text(stmt, 6, in->thanked_how);
	}
	key = routine_key(in->text);
	sqlite3_bind_text(stmt, 7, key, -1, free);
	if (store_run(store, stmt, err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(store->db);
	return 0;
}

/* strcmp for qsort over an array of strings. */
static int
store_compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The tags as an entry shows them: sorted bytewise (SQLite's BINARY
 * order, which ORDER BY tag uses) without duplicates (the primary key of
 * entry_tags drops them). Non-strings are left to store_tags_insert.
 */
static json_t *
store_tags_sorted(json_t *tags)
{
	json_t		*out = json_array(), *tag;
	const char	**s;
	size_t		 i, n = 0;

	s = xreallocarray(NULL, json_array_size(tags) + 1, sizeof *s);
	json_array_foreach(tags, i, tag) {
		if (json_is_string(tag))
			s[n++] = json_string_value(tag);
	}
	qsort(s, n, sizeof *s, store_compare_strings);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(s[i - 1], s[i]) != 0)
			json_array_append_new(out, json_string(s[i]));
	}
	free(s);
	return out;
}

/*
 * Add an entry at time now; *entry is the stored ENTRY, built from what
 * was just stored rather than read back (a tenth of an add's work).
 */
int
store_entry_add(struct store *store, const struct store_entry_new *in,
    time_t now, json_t **entry, struct kl_error *err)
{
	char			 uuid[UUID_STR_LEN], day[DAY_ISO_LEN];
	struct store_entry_fields e = {
		.uuid = uuid,
		.day = day_format(in->day, day),
		.text = in->text,
		.created_at = now,
		.updated_at = now,
		.thanked = in->thanked_how != NULL,
		.thanked_at = now,
		.thanked_how = in->thanked_how,
	};
	bool			 fresh = store_days_fresh(store);

	*entry = NULL;
	if (store_begin(store, err) == -1)
		return -1;
	if (store_entry_insert(store, in, now, uuid, &e.id, err) == -1 ||
	    (in->tags != NULL && store_tags_insert(store, e.id, in->tags,
	    err) == -1) ||
	    store_sync_note(store, e.id, STORE_OP_CREATE, NULL, false,
	    err) == -1)
		return store_rollback(store);
	e.tags = in->tags != NULL ? store_tags_sorted(in->tags) : json_array();
	if (store_entry_pack(&e, entry, err) == -1)
		return store_rollback(store);
	if (store_commit(store, entry, err) == -1)
		return -1;
	if (fresh)
		store_days_added(store, in->day);
	return 0;
}

/* The entry with this id, unless missing or deleted. */
int
store_entry_get(struct store *store, int64_t id, json_t **entry,
    struct kl_error *err)
{
	return store_entry_fetch(store, id, entry, err);
}

/* Run an UPDATE bound to a live entry; KL_ERR_NOT_FOUND if none changed. */
static int
store_update_live(struct store *store, sqlite3_stmt *stmt, int64_t id,
    struct kl_error *err)
{
	if (store_run(store, stmt, err) == -1)
		return -1;
	if (sqlite3_changes(store->db) == 0)
		return kl_error_set(err, KL_ERR_NOT_FOUND, "no entry #%lld",
		    (long long)id);
	return 0;
}

/* The operations of an edit, when sync is on; before: the tags it had. */
static int
store_entry_change_sync(struct store *store, int64_t id,
    const struct store_entry_change *change, json_t *before,
    struct kl_error *err)
{
	if (!store->sync.on)
		return 0;
	if ((change->text != NULL && store_sync_note(store, id, STORE_OP_TEXT,
	    NULL, false, err) == -1) ||
	    (change->set_day && store_sync_note(store, id, STORE_OP_DAY, NULL,
	    false, err) == -1))
		return -1;
	if (change->tags == NULL)
		return 0;
	return store_sync_note_tags(store, id, before, change->tags, err);
}

/* Apply the text, day and tag changes of an edit. */
static int
store_entry_change(struct store *store, int64_t id,
    const struct store_entry_change *change, time_t now, struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_ENTRY_EDIT);
	json_t		*before = NULL;
	int		 rc;

	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, change->text);
	if (change->text != NULL)
		sqlite3_bind_text(stmt, 5, routine_key(change->text), -1,
		    free);
	if (change->set_day)
		store_bind_day(stmt, 3, change->day);
	sqlite3_bind_int64(stmt, 4, now);
	if (store_update_live(store, stmt, id, err) == -1)
		return -1;
	if (change->tags == NULL)
		return store_entry_change_sync(store, id, change, NULL, err);
	if (store->sync.on && store_entry_tags(store, id, &before, err) == -1)
		return -1;
	stmt = store_stmt(store, STMT_TAGS_DELETE);
	sqlite3_bind_int64(stmt, 1, id);
	rc = store_run(store, stmt, err);
	if (rc == 0)
		rc = store_tags_insert(store, id, change->tags, err);
	if (rc == 0)
		rc = store_entry_change_sync(store, id, change, before, err);
	json_decref(before);
	return rc;
}

/* Edit text, tags (replacing the set) and day of a live entry. */
int
store_entry_edit(struct store *store, int64_t id,
    const struct store_entry_change *change, time_t now, json_t **entry,
    struct kl_error *err)
{
	*entry = NULL;
	if (store_begin(store, err) == -1)
		return -1;
	if (store_entry_change(store, id, change, now, err) == -1 ||
	    store_entry_fetch(store, id, entry, err) == -1)
		return store_rollback(store);
	return store_commit(store, entry, err);
}

/* Mark a live entry thanked (or update how); how NULL takes it back. */
int
store_entry_thank(struct store *store, int64_t id, const char *how,
    time_t now, json_t **entry, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	*entry = NULL;
	if (store_begin(store, err) == -1)
		return -1;
	stmt = store_stmt(store, STMT_ENTRY_THANK);
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	store_bind_text(stmt, 3, how);
	if (store_update_live(store, stmt, id, err) == -1 ||
	    store_sync_note(store, id, STORE_OP_THANKED, NULL, false,
	    err) == -1)
		return store_rollback(store);
	if (how == NULL) {
		stmt = store_stmt(store, STMT_ROUTINE_RETHANKED);
		sqlite3_bind_int64(stmt, 1, id);
		if (store_run(store, stmt, err) == -1)
			return store_rollback(store);
	}
	if (store_entry_fetch(store, id, entry, err) == -1)
		return store_rollback(store);
	return store_commit(store, entry, err);
}

/* Soft delete a live entry; *entry is the entry as it was. */
int
store_entry_delete(struct store *store, int64_t id, time_t now,
    json_t **entry, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	*entry = NULL;
	if (store_begin(store, err) == -1)
		return -1;
	if (store_entry_fetch(store, id, entry, err) == -1)
		return store_rollback(store);
	stmt = store_stmt(store, STMT_ENTRY_DELETE);
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, now);
	if (store_update_live(store, stmt, id, err) == -1 ||
	    store_sync_note(store, id, STORE_OP_DELETED, NULL, true,
	    err) == -1) {
		json_decref(*entry);
		*entry = NULL;
		return store_rollback(store);
	}
	return store_commit(store, entry, err);
}

/* The id of the most recently deleted entry, or KL_ERR_NOT_FOUND. */
static int
store_undo_pick(struct store *store, int64_t *id, struct kl_error *err)
{
	bool	found;

	if (store_scalar(store, store_stmt(store, STMT_UNDO_PICK),
	    STORE_RESET, id, &found, err) == -1)
		return -1;
	if (!found)
		return kl_error_set(err, KL_ERR_NOT_FOUND, "nothing to undo");
	return 0;
}

/* Restore the most recently deleted entry, unchanged otherwise. */
int
store_entry_undo(struct store *store, time_t now, json_t **entry,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int64_t		 id = 0;

	*entry = NULL;
	if (store_begin(store, err) == -1)
		return -1;
	if (store_undo_pick(store, &id, err) == -1)
		return store_rollback(store);
	stmt = store_stmt(store, STMT_UNDO);
	sqlite3_bind_int64(stmt, 1, id);
	if (store_run(store, stmt, err) == -1 ||
	    store_sync_note(store, id, STORE_OP_DELETED, NULL, false,
	    err) == -1 ||
	    store_entry_fetch(store, id, entry, err) == -1)
		return store_rollback(store);
	return store_commit(store, entry, err);
}

/* The one entry (or none) the look-back statement id finds before day. */
static int
store_entry_pick(struct store *store, enum store_stmt_id id, kl_day day,
    json_t **entry, struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, id);

	*entry = NULL;
	store_bind_day(stmt, 1, day);
	return store_each_row(store, stmt, STORE_RESET, store_entry_row,
	    entry, err);
}

/* A live entry from the most recent earlier year on today's month and day. */
int
store_entry_anniversary(struct store *store, kl_day today, json_t **entry,
    struct kl_error *err)
{
	return store_entry_pick(store, STMT_ANNIVERSARY, today, entry, err);
}

/* A live entry from a random day before day, or none. */
int
store_entry_random_before(struct store *store, kl_day day, json_t **entry,
    struct kl_error *err)
{
	return store_entry_pick(store, STMT_RANDOM_BEFORE, day, entry, err);
}
