/*
 * Sync, this device's side: its id, the operations every write records
 * (in the write's own transaction), the bulk publish of the entries there
 * were before, and the outbox the daemon writes to the folder. The
 * outbox stores only which field of which entry changed and when; the
 * values are read from the entry as it is when the line is written. That
 * is safe: a field's value now was written by an operation at least as
 * late as the one in the outbox, so the line never wins where the value's
 * own operation would not (doc/sync.md).
 */
#include <stdlib.h>
#include <string.h>

#include "rfc3339.h"
#include "store-int.h"
#include "strnum.h"
#include "xmalloc.h"

/* The operations' names in the files, by kind. */
static const char *const store_op_names[] = {
	[STORE_OP_UNKNOWN] = NULL,
	[STORE_OP_CREATE] = "create",
	[STORE_OP_TEXT] = "text",
	[STORE_OP_DAY] = "day",
	[STORE_OP_TAG] = "tag",
	[STORE_OP_THANKED] = "thanked",
	[STORE_OP_DELETED] = "deleted",
};

const char *
store_op_name(enum store_op_kind kind)
{
	if ((size_t)kind >= sizeof store_op_names / sizeof store_op_names[0])
		return NULL;
	return store_op_names[kind];
}

enum store_op_kind
store_op_kind(const char *name)
{
	size_t	i;

	for (i = 1; i < sizeof store_op_names / sizeof store_op_names[0];
	    i++) {
		if (strcmp(store_op_names[i], name) == 0)
			return (enum store_op_kind)i;
	}
	return STORE_OP_UNKNOWN;
}

/* The statement that moves the clocks of the fields an operation writes. */
static enum store_stmt_id
store_sync_clock_stmt(enum store_op_kind kind)
{
	switch (kind) {
	case STORE_OP_CREATE:
		return STMT_SYNC_ENTRY_NEW;
	case STORE_OP_TEXT:
		return STMT_SYNC_TEXT;
	case STORE_OP_DAY:
		return STMT_SYNC_DAY;
	case STORE_OP_THANKED:
		return STMT_SYNC_THANKED;
	case STORE_OP_DELETED:
		return STMT_SYNC_DELETED;
	default:
		return STMT_SYNC_TOUCH;
	}
}

/* Record one operation of this device on entry, with a new clock. */
int
store_sync_note(struct store *store, int64_t entry, enum store_op_kind kind,
    const char *tag, bool present, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int64_t		 clock;

	if (!store->sync.on)
		return 0;
	clock = hlc_tick(&store->sync.clock, hlc_wall_ms());
	stmt = store_stmt(store, store_sync_clock_stmt(kind));
	sqlite3_bind_int64(stmt, 1, entry);
	sqlite3_bind_int64(stmt, 2, clock);
	sqlite3_bind_int64(stmt, 3, store->sync.self);
	if (store_run(store, stmt, err) == -1)
		return -1;
	if (kind == STORE_OP_CREATE) {
		stmt = store_stmt(store, STMT_SYNC_CREATE_TAGS);
		sqlite3_bind_int64(stmt, 1, entry);
		sqlite3_bind_int64(stmt, 2, clock);
		sqlite3_bind_int64(stmt, 3, store->sync.self);
		if (store_run(store, stmt, err) == -1)
			return -1;
	}
	if (kind == STORE_OP_TAG) {
		stmt = store_stmt(store, STMT_SYNC_TAG_SET);
		sqlite3_bind_int64(stmt, 1, entry);
		sqlite3_bind_int64(stmt, 2, clock);
		sqlite3_bind_int64(stmt, 3, store->sync.self);
		store_bind_text(stmt, 4, tag);
		sqlite3_bind_int(stmt, 5, present);
		if (store_run(store, stmt, err) == -1)
			return -1;
	}
	stmt = store_stmt(store, STMT_SYNC_OUTBOX_ADD);
	sqlite3_bind_int64(stmt, 1, entry);
	sqlite3_bind_int(stmt, 2, (int)kind);
	sqlite3_bind_int64(stmt, 3, clock);
	store_bind_text(stmt, 4, tag);
	return store_run(store, stmt, err);
}

/* Whether the array of strings holds s. */
static bool
store_sync_has(json_t *array, const char *s)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(array, i, v) {
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	}
	return false;
}

/* A tag operation for each tag of from that is not in to, present or not. */
static int
store_sync_tags_diff(struct store *store, int64_t entry, json_t *from,
    json_t *to, bool present, struct kl_error *err)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(from, i, v) {
		if (!json_is_string(v) || store_sync_has(to, json_string_value(v)))
			continue;
		if (store_sync_note(store, entry, STORE_OP_TAG,
		    json_string_value(v), present, err) == -1)
			return -1;
	}
	return 0;
}

/* The tags added and removed, against the set this device knew. */
int
store_sync_note_tags(struct store *store, int64_t entry, json_t *before,
    json_t *after, struct kl_error *err)
{
	if (!store->sync.on)
		return 0;
	if (store_sync_tags_diff(store, entry, after, before, true, err) == -1)
		return -1;
	return store_sync_tags_diff(store, entry, before, after, false, err);
}

/* Run a one-off statement with ?1 .. ?3 bound to integers. */
static int
store_sync_exec(struct store *store, const char *sql, int64_t a, int64_t b,
    int64_t c, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	sqlite3_bind_int64(stmt, 1, a);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqlite3_bind_int64(stmt, 2, b);
	if (sqlite3_bind_parameter_count(stmt) >= 3)
		sqlite3_bind_int64(stmt, 3, c);
	rc = store_run(store, stmt, err);
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * The bulk publish, in four statements over the entries above ?1 that
 * have no clocks yet: entry n (counting from 0) gets clock ?2 + 2n for
 * its create and, if deleted, ?2 + 2n + 1 for its delete.
 */
static const char *const store_sync_publish_sql[] = {
	"INSERT INTO sync_entry (entry, ch, cd, th, td, dh, dd, kh, kd,"
	" xh, xd, uh, ud) SELECT id, h, ?3, h, ?3, h, ?3, h, ?3,"
	" h + (deleted_at IS NOT NULL), ?3, h, ?3 FROM (SELECT e.id AS id,"
	" e.deleted_at AS deleted_at,"
	" ?2 + 2 * (row_number() OVER (ORDER BY e.id) - 1) AS h"
	" FROM entries e WHERE e.id > ?1 AND NOT EXISTS (SELECT 1 FROM"
	" sync_entry s WHERE s.entry = e.id)) ORDER BY id",
	"INSERT INTO sync_tags (entry, tag, hlc, dev, present)"
	" SELECT t.entry_id, t.tag, s.ch, ?3, 1 FROM entry_tags t"
	" JOIN sync_entry s ON s.entry = t.entry_id"
	" WHERE t.entry_id > ?1 AND s.ch >= ?2"
	" ON CONFLICT (entry, tag) DO NOTHING",
	"INSERT INTO sync_outbox (entry, kind, hlc) SELECT entry, 1, ch"
	" FROM sync_entry WHERE entry > ?1 AND ch >= ?2 ORDER BY entry",
	"INSERT INTO sync_outbox (entry, kind, hlc) SELECT entry, 6, xh"
	" FROM sync_entry WHERE entry > ?1 AND ch >= ?2 AND xh = ch + 1"
	" ORDER BY entry",
};

/* Publish every entry above after_id that has no clocks yet. */
int
store_sync_publish(struct store *store, int64_t after_id, int64_t *published,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int64_t		 n, base;
	size_t		 i;
	int		 rc;

	*published = 0;
	if (!store->sync.on)
		return 0;
	rc = sqlite3_prepare_v2(store->db, "SELECT count(*) FROM entries e"
	    " WHERE e.id > ?1 AND NOT EXISTS (SELECT 1 FROM sync_entry s"
	    " WHERE s.entry = e.id)", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	sqlite3_bind_int64(stmt, 1, after_id);
	if (store_scalar(store, stmt, STORE_FINALIZE, &n, NULL, err) == -1)
		return -1;
	if (n == 0)
		return 0;
	base = hlc_tick_n(&store->sync.clock, hlc_wall_ms(), 2 * n);
	for (i = 0; i < sizeof store_sync_publish_sql /
	    sizeof store_sync_publish_sql[0]; i++) {
		if (store_sync_exec(store, store_sync_publish_sql[i], after_id,
		    base, store->sync.self, err) == -1)
			return -1;
	}
	*published = n;
	return 0;
}

/* The small id of the device uuid, added if new (inside a transaction). */
int
store_sync_device_id(struct store *store, const char *uuid, int64_t *id,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_SYNC_DEVICE_GET);
	bool		 found;

	store_bind_text(stmt, 1, uuid);
	if (store_scalar(store, stmt, STORE_RESET, id, &found, err) == -1)
		return -1;
	if (found)
		return 0;
	stmt = store_stmt(store, STMT_SYNC_DEVICE_ADD);
	store_bind_text(stmt, 1, uuid);
	if (store_run(store, stmt, err) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(store->db);
	return 0;
}

/* The uuid of device id (cached), or NULL when there is none. */
const char *
store_sync_device_uuid(struct store *store, int64_t id)
{
	struct store_sync	*sync = &store->sync;
	struct kl_error		 err;
	sqlite3_stmt		*stmt;
	char			*uuid = NULL;
	size_t			 i;

	for (i = 0; i < sync->ndevices; i++) {
		if (sync->devices[i].id == id)
			return sync->devices[i].uuid;
	}
	stmt = store_stmt(store, STMT_SYNC_DEVICE_UUID);
	sqlite3_bind_int64(stmt, 1, id);
	if (store_text(store, stmt, STORE_RESET, &uuid, &err) == -1 ||
	    uuid == NULL || strlen(uuid) >= UUID_STR_LEN) {
		free(uuid);
		return NULL;
	}
	sync->devices = xreallocarray(sync->devices, sync->ndevices + 1,
	    sizeof *sync->devices);
	sync->devices[sync->ndevices].id = id;
	memcpy(sync->devices[sync->ndevices].uuid, uuid, strlen(uuid) + 1);
	free(uuid);
	return sync->devices[sync->ndevices++].uuid;
}

/* Set a setting inside the open transaction. */
static int
store_sync_setting(struct store *store, const char *key, const char *value,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_SETTING_SET);

	store_bind_text(stmt, 1, key);
	store_bind_text(stmt, 2, value);
	return store_run(store, stmt, err);
}

/* Keep the clock, so that it never goes back across a restart. */
int
store_sync_save_clock(struct store *store, struct kl_error *err)
{
	char	buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)store->sync.clock.last);
	return store_sync_setting(store, "sync.clock", buf, err);
}

/* The clock as it was left: the saved one, or a later one in the outbox. */
static int
store_sync_load_clock(struct store *store, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	char		*saved = NULL;
	int64_t		 v = 0;

	if (store_setting_get(store, "sync.clock", &saved, err) == -1)
		return -1;
	if (saved != NULL && parse_int64(saved, 0, INT64_MAX, &v))
		hlc_receive(&store->sync.clock, v);
	free(saved);
	if (sqlite3_prepare_v2(store->db, "SELECT coalesce(max(hlc), 0) FROM"
	    " sync_outbox", -1, &stmt, NULL) != SQLITE_OK)
		return store_sqlite_error(store, sqlite3_extended_errcode(
		    store->db), err);
	if (store_scalar(store, stmt, STORE_FINALIZE, &v, NULL, err) == -1)
		return -1;
	hlc_receive(&store->sync.clock, v);
	return 0;
}

/* This device's id: the one kept, unless the machine is another. */
static int
store_sync_identify(struct store *store, const char *machine, bool *fresh,
    struct kl_error *err)
{
	char	*device = NULL, *known = NULL;
	int	 rc = -1;

	if (store_setting_get(store, "sync.device", &device, err) == -1 ||
	    store_setting_get(store, "sync.machine", &known, err) == -1)
		goto out;
	*fresh = device == NULL;
	if (device == NULL || !uuid_valid(device) || known == NULL ||
	    strcmp(known, machine) != 0) {
		free(device);
		device = xmalloc(UUID_STR_LEN);
		uuid_generate(device);
		if (store_sync_setting(store, "sync.device", device,
		    err) == -1 ||
		    store_sync_setting(store, "sync.machine", machine,
		    err) == -1)
			goto out;
	}
	memcpy(store->sync.device, device, UUID_STR_LEN - 1);
	store->sync.device[UUID_STR_LEN - 1] = '\0';
	rc = store_sync_device_id(store, store->sync.device, &store->sync.self,
	    err);
out:
	free(device);
	free(known);
	return rc;
}

/* Give the database a device id, or check it; the first publishes all. */
int
store_sync_enable(struct store *store, const char *machine,
    char device[UUID_STR_LEN], int64_t *published, struct kl_error *err)
{
	struct store_sync	 saved = store->sync;
	bool			 fresh = false;

	*published = 0;
	if (store_begin(store, err) == -1)
		return -1;
	if (store_sync_identify(store, machine, &fresh, err) == -1 ||
	    store_sync_load_clock(store, err) == -1)
		goto fail;
	store->sync.on = true;
	if (fresh && store_sync_publish(store, 0, published, err) == -1)
		goto fail;
	if (store_sync_save_clock(store, err) == -1 ||
	    store_commit(store, NULL, err) == -1) {
		store->sync = saved;
		return -1;
	}
	memcpy(device, store->sync.device, UUID_STR_LEN);
	return 0;
fail:
	store->sync = saved;
	return store_rollback(store);
}

/* The "at" of an outbox row: when its entry was deleted, or updated. */
static json_t *
store_sync_row_at(sqlite3_stmt *stmt, int kind)
{
	if (kind == STORE_OP_DELETED && sqlite3_column_type(stmt, 11) !=
	    SQLITE_NULL)
		return store_column_time(stmt, 11);
	return store_column_time(stmt, 8);
}

/* The thanked value of an outbox row: null or {"at", "how"}. */
static json_t *
store_sync_row_thanked(sqlite3_stmt *stmt)
{
	const char	*how = (const char *)sqlite3_column_text(stmt, 10);

	if (sqlite3_column_type(stmt, 9) == SQLITE_NULL)
		return json_null();
	return json_pack("{s:o, s:s}", "at", store_column_time(stmt, 9),
	    "how", how != NULL ? how : "said");
}

/* The fields an outbox row's kind carries, added to op. */
static int
store_sync_row_fields(sqlite3_stmt *stmt, int kind, json_t *op)
{
	const char	*tags = (const char *)sqlite3_column_text(stmt, 12);
	json_t		*v = NULL;

	switch (kind) {
	case STORE_OP_CREATE:
		json_object_set_new(op, "day", json_string(
		    (const char *)sqlite3_column_text(stmt, 5)));
		json_object_set_new(op, "created_at",
		    store_column_time(stmt, 7));
		json_object_set_new(op, "thanked",
		    store_sync_row_thanked(stmt));
		v = tags != NULL ? json_loads(tags, 0, NULL) : json_array();
		json_object_set_new(op, "tags", v != NULL ? v : json_array());
		/* FALLTHROUGH */
	case STORE_OP_TEXT:
		v = json_string((const char *)sqlite3_column_text(stmt, 6));
		if (v == NULL)
			return -1;
		json_object_set_new(op, "text", v);
		break;
	case STORE_OP_DAY:
		json_object_set_new(op, "day", json_string(
		    (const char *)sqlite3_column_text(stmt, 5)));
		break;
	case STORE_OP_TAG:
		json_object_set_new(op, "tag", json_string(
		    (const char *)sqlite3_column_text(stmt, 3)));
		json_object_set_new(op, "present", json_boolean(
		    sqlite3_column_int(stmt, 13)));
		break;
	case STORE_OP_THANKED:
		json_object_set_new(op, "thanked",
		    store_sync_row_thanked(stmt));
		break;
	case STORE_OP_DELETED:
		json_object_set_new(op, "deleted", json_boolean(
		    sqlite3_column_type(stmt, 11) != SQLITE_NULL));
		break;
	}
	return 0;
}

/* What store_sync_outbox collects. */
struct store_sync_rows {
	json_t	*ops;
	int64_t	 last;
};

/* store_each_row: one outbox row as the line it becomes. */
static int
store_sync_outbox_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_sync_rows	*rows = arg;
	int			 kind = sqlite3_column_int(stmt, 1);
	const char		*name = store_op_name((enum store_op_kind)kind);
	json_t			*op;

	rows->last = sqlite3_column_int64(stmt, 0);
	if (name == NULL)
		return 0;
	op = json_pack("{s:I, s:s, s:s, s:o}", "hlc",
	    (json_int_t)sqlite3_column_int64(stmt, 2), "op", name, "entry",
	    (const char *)sqlite3_column_text(stmt, 4), "at",
	    store_sync_row_at(stmt, kind));
	if (op == NULL || store_sync_row_fields(stmt, kind, op) == -1) {
		json_decref(op);
		return kl_error_set(err, KL_ERR_STORAGE, "storage failure: "
		    "an entry to sync is not valid UTF-8");
	}
	json_array_append_new(rows->ops, op);
	return 0;
}

/* The next operations of the outbox, as lines to write. */
int
store_sync_outbox(struct store *store, int64_t after, int64_t limit,
    json_t **ops, int64_t *last, struct kl_error *err)
{
	struct store_sync_rows	 rows = { .last = after };
	sqlite3_stmt		*stmt;

	*ops = NULL;
	*last = after;
	if (!sqlite3_get_autocommit(store->db) &&
	    store_batch_sync(store, err) == -1)
		return -1;
	rows.ops = json_array();
	stmt = store_stmt(store, STMT_SYNC_OUTBOX_READ);
	sqlite3_bind_int64(stmt, 1, after);
	sqlite3_bind_int64(stmt, 2, limit);
	if (store_each_row(store, stmt, STORE_RESET, store_sync_outbox_row,
	    &rows, err) == -1) {
		json_decref(rows.ops);
		return -1;
	}
	*ops = rows.ops;
	*last = rows.last;
	return 0;
}

/* Forget the outbox up to last, and keep the clock. */
int
store_sync_sent(struct store *store, int64_t last, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	if (store_begin(store, err) == -1)
		return -1;
	stmt = store_stmt(store, STMT_SYNC_OUTBOX_DONE);
	sqlite3_bind_int64(stmt, 1, last);
	if (store_run(store, stmt, err) == -1 ||
	    store_sync_save_clock(store, err) == -1)
		return store_rollback(store);
	return store_commit(store, NULL, err);
}

int
store_sync_pending(struct store *store, int64_t *pending,
    struct kl_error *err)
{
	return store_scalar(store, store_stmt(store, STMT_SYNC_PENDING),
	    STORE_RESET, pending, NULL, err);
}

void
store_sync_finish(struct store *store)
{
	free(store->sync.devices);
	store->sync.devices = NULL;
	store->sync.ndevices = 0;
}
