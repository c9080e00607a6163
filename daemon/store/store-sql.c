/*
 * The store's SQL: the fixed statements, prepared once and reused, and
 * the helpers that prepare, step, bind and read columns, turning what
 * SQLite reports into a kl_error.
 */
#include <stdlib.h>

#include "log.h"
#include "routine.h"
#include "rfc3339.h"
#include "store-int.h"
#include "xmalloc.h"

/* The fixed statements, prepared at open and reused (store_stmt). */
static const char *const store_stmt_sql[STMT_COUNT] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_SAVEPOINT] = "SAVEPOINT kindlog_write",
	[STMT_RELEASE] = "RELEASE kindlog_write",
	[STMT_ENTRY_INSERT] =
	    "INSERT INTO entries (uuid, day, text, created_at, updated_at,"
	    " thanked_at, thanked_how, routine_key)"
	    " VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)",
	[STMT_ENTRY_SELECT] =
	    "SELECT " STORE_ENTRY_COLUMNS " FROM entries e"
	    " WHERE e.id = ?1 AND e.deleted_at IS NULL",
	[STMT_ENTRY_EDIT] =
	    "UPDATE entries SET text = coalesce(?2, text),"
	    " routine_key = coalesce(?5, routine_key),"
	    " day = coalesce(?3, day), updated_at = ?4"
	    " WHERE id = ?1 AND deleted_at IS NULL",
	[STMT_ENTRY_THANK] =
	    "UPDATE entries SET thanked_at = iif(?3 IS NULL, NULL, ?2),"
	    " thanked_how = ?3, updated_at = ?2"
	    " WHERE id = ?1 AND deleted_at IS NULL",
	/* The update trigger keeps a later thank-you, not an earlier one. */
	[STMT_ROUTINE_RETHANKED] =
	    "UPDATE routine_counts SET last_thanked = (SELECT max(thanked_at)"
	    " FROM entries WHERE routine_key = routine_counts.key"
	    " AND deleted_at IS NULL)"
	    " WHERE key = (SELECT routine_key FROM entries WHERE id = ?1)",
	[STMT_ENTRY_DELETE] =
	    "UPDATE entries SET deleted_at = ?2, deleted_seq ="
	    " (SELECT coalesce(max(deleted_seq), 0) + 1 FROM entries"
	    " WHERE deleted_seq IS NOT NULL)"
	    " WHERE id = ?1 AND deleted_at IS NULL",
	[STMT_UNDO_PICK] =
	    "SELECT id FROM entries WHERE deleted_seq IS NOT NULL"
	    " ORDER BY deleted_seq DESC LIMIT 1",
	[STMT_UNDO] =
	    "UPDATE entries SET deleted_at = NULL, deleted_seq = NULL"
	    " WHERE id = ?1",
	[STMT_TAG_INSERT] =
	    "INSERT OR IGNORE INTO entry_tags (entry_id, tag) VALUES (?1, ?2)",
	[STMT_TAGS_DELETE] = "DELETE FROM entry_tags WHERE entry_id = ?1",
	[STMT_TAGS_SELECT] =
	    "SELECT tag FROM entry_tags WHERE entry_id = ?1 ORDER BY tag",
	[STMT_DAYS] = "SELECT day, n FROM day_counts ORDER BY day",
	[STMT_DAY_TOTAL] =
	    "SELECT coalesce(sum(n), 0) FROM day_counts"
	    " WHERE day BETWEEN ?1 AND ?2",
	[STMT_DAY_UNTHANKED] =
	    "SELECT coalesce(sum(n - thanked), 0) FROM day_counts"
	    " WHERE day BETWEEN ?1 AND ?2",
	[STMT_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[STMT_SETTING_SET] =
	    "INSERT INTO settings (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[STMT_SETTING_DELETE] = "DELETE FROM settings WHERE key = ?1",
	/* The look-back picks choose a day from day_counts first: it has a
	 * row per day, not per entry. */
	[STMT_ANNIVERSARY] =
	    "SELECT " STORE_ENTRY_COLUMNS
	    " FROM entries e WHERE e.deleted_at IS NULL AND e.day ="
	    " (SELECT day FROM day_counts WHERE day < ?1"
	    "  AND substr(day, 5) = substr(?1, 5) ORDER BY day DESC LIMIT 1)"
	    " ORDER BY random() LIMIT 1",
	[STMT_RANDOM_BEFORE] =
	    "SELECT " STORE_ENTRY_COLUMNS
	    " FROM entries e WHERE e.deleted_at IS NULL AND e.day ="
	    " (SELECT day FROM day_counts WHERE day < ?1"
	    "  ORDER BY random() LIMIT 1)"
	    " ORDER BY random() LIMIT 1",
	/* Every summary asks for it (reflect.nudge), so it is kept. */
	[STMT_REFLECT_LAST] =
	    "SELECT uuid, day FROM reflections ORDER BY day DESC, id DESC"
	    " LIMIT 1",
	/* Sync (store-sync.c, store-sync-apply.c); ?2 a clock, ?3 a device. */
	[STMT_SYNC_ENTRY_NEW] =
	    "INSERT INTO sync_entry (entry, ch, cd, th, td, dh, dd, kh, kd,"
	    " xh, xd, uh, ud) VALUES (?1, ?2, ?3, ?2, ?3, ?2, ?3, ?2, ?3,"
	    " ?2, ?3, ?2, ?3)",
	[STMT_SYNC_CREATE_TAGS] =
	    "INSERT INTO sync_tags (entry, tag, hlc, dev, present)"
	    " SELECT entry_id, tag, ?2, ?3, 1 FROM entry_tags"
	    " WHERE entry_id = ?1 ON CONFLICT (entry, tag) DO NOTHING",
	[STMT_SYNC_TEXT] =
	    "UPDATE sync_entry SET th = ?2, td = ?3, uh = ?2, ud = ?3"
	    " WHERE entry = ?1",
	[STMT_SYNC_DAY] =
	    "UPDATE sync_entry SET dh = ?2, dd = ?3, uh = ?2, ud = ?3"
	    " WHERE entry = ?1",
	[STMT_SYNC_THANKED] =
	    "UPDATE sync_entry SET kh = ?2, kd = ?3, uh = ?2, ud = ?3"
	    " WHERE entry = ?1",
	[STMT_SYNC_DELETED] =
	    "UPDATE sync_entry SET xh = ?2, xd = ?3 WHERE entry = ?1",
	[STMT_SYNC_TOUCH] =
	    "UPDATE sync_entry SET uh = ?2, ud = ?3 WHERE entry = ?1",
	[STMT_SYNC_TAG_SET] =
	    "INSERT INTO sync_tags (entry, tag, hlc, dev, present)"
	    " VALUES (?1, ?4, ?2, ?3, ?5) ON CONFLICT (entry, tag) DO UPDATE"
	    " SET hlc = excluded.hlc, dev = excluded.dev,"
	    " present = excluded.present",
	[STMT_SYNC_TAG_GET] =
	    "SELECT hlc, dev, present FROM sync_tags"
	    " WHERE entry = ?1 AND tag = ?2",
	[STMT_SYNC_TAG_DROP] =
	    "DELETE FROM entry_tags WHERE entry_id = ?1 AND tag = ?2",
	[STMT_SYNC_OUTBOX_ADD] =
	    "INSERT INTO sync_outbox (entry, kind, hlc, tag)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[STMT_SYNC_OUTBOX_READ] =
	    "SELECT o.seq, o.kind, o.hlc, o.tag, e.uuid, e.day, e.text,"
	    " e.created_at, e.updated_at, e.thanked_at, e.thanked_how,"
	    " e.deleted_at,"
	    " CASE WHEN o.kind = 1 THEN (SELECT json_group_array(tag) FROM"
	    " (SELECT tag FROM entry_tags WHERE entry_id = e.id ORDER BY tag))"
	    " END,"
	    " CASE WHEN o.kind = 4 THEN EXISTS (SELECT 1 FROM entry_tags"
	    " WHERE entry_id = e.id AND tag = o.tag) END"
	    " FROM sync_outbox o JOIN entries e ON e.id = o.entry"
	    " WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
	[STMT_SYNC_OUTBOX_DONE] = "DELETE FROM sync_outbox WHERE seq <= ?1",
	[STMT_SYNC_PENDING] = "SELECT count(*) FROM sync_outbox",
	[STMT_SYNC_LOAD] =
	    "SELECT e.id, e.text, e.day, e.created_at, e.updated_at,"
	    " e.thanked_at, e.thanked_how, e.deleted_at, s.ch, s.cd, s.th,"
	    " s.td, s.dh, s.dd, s.kh, s.kd, s.xh, s.xd, s.uh, s.ud, s.entry"
	    " FROM entries e LEFT JOIN sync_entry s ON s.entry = e.id"
	    " WHERE e.uuid = ?1",
	/* An entry known only from operations on it, not yet created. */
	[STMT_SYNC_GHOST] =
	    "INSERT INTO entries (uuid, day, text, created_at, updated_at,"
	    " deleted_at, routine_key) VALUES (?1, '1970-01-01', '', 0, 0, 0,"
	    " '')",
	[STMT_SYNC_WRITE] =
	    "UPDATE entries SET text = ?2, routine_key = coalesce(?3,"
	    " routine_key), day = ?4, created_at = ?5, updated_at = ?6,"
	    " thanked_at = ?7, thanked_how = ?8, deleted_at = ?9,"
	    " deleted_seq = CASE ?10 WHEN 1 THEN (SELECT coalesce("
	    "max(deleted_seq), 0) + 1 FROM entries WHERE deleted_seq IS NOT"
	    " NULL) WHEN 2 THEN NULL ELSE deleted_seq END WHERE id = ?1",
	[STMT_SYNC_WRITE_CLOCKS] =
	    "REPLACE INTO sync_entry (entry, ch, cd, th, td, dh, dd, kh, kd,"
	    " xh, xd, uh, ud) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13)",
	[STMT_SYNC_FILE_GET] =
	    "SELECT count(*) FROM sync_files WHERE device = ?1 AND name = ?2"
	    " AND size = ?3 AND mtime = ?4",
	[STMT_SYNC_FILE_SET] =
	    "REPLACE INTO sync_files (device, name, size, mtime, error)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_SYNC_DEVICE_GET] = "SELECT id FROM sync_devices WHERE uuid = ?1",
	[STMT_SYNC_DEVICE_ADD] = "INSERT INTO sync_devices (uuid) VALUES (?1)",
	[STMT_SYNC_DEVICE_SEEN] =
	    "UPDATE sync_devices SET name = coalesce(?2, name),"
	    " last_hlc = max(last_hlc, ?3), ops = ops + ?4 WHERE id = ?1",
	[STMT_SYNC_DEVICE_UUID] = "SELECT uuid FROM sync_devices WHERE id = ?1",
	[STMT_SYNC_UNKNOWN] =
	    "INSERT OR IGNORE INTO sync_unknown (device, hlc, line)"
	    " VALUES (?1, ?2, ?3)",
};

/* Record the last SQLite error as KL_ERR_STORAGE (or a uuid conflict). */
int
store_sqlite_error(struct store *store, int rc, struct kl_error *err)
{
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return kl_error_set(err, KL_ERR_CONFLICT,
		    "entry already exists (%s)", sqlite3_errmsg(store->db));
	return kl_error_set(err, KL_ERR_STORAGE, "storage failure: %s",
	    sqlite3_errmsg(store->db));
}

/*
 * A fixed statement, reset and with no bindings, ready to bind and step.
 * Prepared again after store_release_memory dropped it: SQL that prepared
 * when the store opened can only fail now for lack of memory.
 */
sqlite3_stmt *
store_stmt(struct store *store, enum store_stmt_id id)
{
	sqlite3_stmt	*stmt = store->stmt[id];
	struct kl_error	 err;

	if (stmt == NULL) {
		if (store_prepare(store, xstrdup(store_stmt_sql[id]),
		    &store->stmt[id], &err) == -1)
			fatalx("%s", err.message);
		stmt = store->stmt[id];
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return stmt;
}

/* Step stmt: SQLITE_ROW or SQLITE_DONE, or -1 (stmt reset, err set). */
static int
store_step(struct store *store, sqlite3_stmt *stmt, struct kl_error *err)
{
	int	rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	rc = sqlite3_extended_errcode(store->db);
	store_sqlite_error(store, rc, err);
	sqlite3_reset(stmt);
	return -1;
}

/* Run a statement that returns no rows, then reset it. */
int
store_run(struct store *store, sqlite3_stmt *stmt, struct kl_error *err)
{
	if (store_step(store, stmt, err) == -1)
		return -1;
	sqlite3_reset(stmt);
	return 0;
}

/*
 * Step stmt through its rows, handing each to fn, then reset or finalize
 * it as end says. 0 once the rows end or fn stops them; -1 with err when
 * a step or fn fails.
 */
int
store_each_row(struct store *store, sqlite3_stmt *stmt,
    enum store_rows_end end, store_row_fn *fn, void *arg,
    struct kl_error *err)
{
	int	rc;

	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW &&
	    (rc = fn(store, stmt, arg, err)) == 0)
		;
	if (end == STORE_FINALIZE)
		sqlite3_finalize(stmt);
	else
		sqlite3_reset(stmt);
	return rc == -1 ? -1 : 0;
}

/* Drop *json and set it to NULL; returns -1 for tail calls. */
int
store_json_drop(json_t **json)
{
	json_decref(*json);
	*json = NULL;
	return -1;
}

/* Bind a day as its YYYY-MM-DD text. */
void
store_bind_day(sqlite3_stmt *stmt, int index, kl_day day)
{
	char	buf[DAY_ISO_LEN];

	sqlite3_bind_text(stmt, index, day_format(day, buf), -1,
	    SQLITE_TRANSIENT);
}

/* Bind an export cursor as ?1 (day) and ?2 (id); NULL: before the first. */
void
store_bind_cursor(sqlite3_stmt *stmt, const struct store_cursor *after)
{
	if (after != NULL)
		store_bind_day(stmt, 1, after->day);
	else
		sqlite3_bind_text(stmt, 1, "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, after != NULL ? after->id : 0);
}

/* Bind a string (NULL binds SQL NULL). */
void
store_bind_text(sqlite3_stmt *stmt, int index, const char *s)
{
	sqlite3_bind_text(stmt, index, s, -1, SQLITE_TRANSIENT);
}

/* Run a one-off SQL script (pragmas, migrations). */
int
store_exec_sql(struct store *store, const char *sql, struct kl_error *err)
{
	int	rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_error(store, sqlite3_extended_errcode(
		    store->db), err);
	return 0;
}

/* An RFC 3339 JSON string of a time. */
json_t *
store_time_json(time_t t)
{
	char	buf[RFC3339_LEN];

	return json_string(time_format_utc(t, buf));
}

/* A timestamp column as an RFC 3339 JSON string. */
json_t *
store_column_time(sqlite3_stmt *stmt, int column)
{
	return store_time_json((time_t)sqlite3_column_int64(stmt, column));
}

/* Prepare one persistent statement from SQL built on demand. */
int
store_prepare(struct store *store, char *sql, sqlite3_stmt **stmt,
    struct kl_error *err)
{
	int	rc;

	rc = sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    stmt, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	return 0;
}

/* The first value of a statement, as store_scalar and store_text read it. */
struct store_first {
	bool	 found;
	int64_t	 value;
	char	*text;
};

/* store_scalar's row: the integer in its first column. */
static int
store_scalar_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_first	*first = arg;

	first->found = true;
	first->value = sqlite3_column_int64(stmt, 0);
	return 1;
}

/*
 * The integer in the first column of stmt's first row, or 0 when it
 * returns no row; *found (unless NULL) says which.
 */
int
store_scalar(struct store *store, sqlite3_stmt *stmt,
    enum store_rows_end end, int64_t *value, bool *found,
    struct kl_error *err)
{
	struct store_first	first = { 0 };
	int			rc;

	rc = store_each_row(store, stmt, end, store_scalar_row, &first, err);
	*value = first.value;
	if (found != NULL)
		*found = first.found;
	return rc;
}

/* store_text's row: a copy of the text in its first column. */
static int
store_text_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_first	*first = arg;
	const char		*text;

	text = (const char *)sqlite3_column_text(stmt, 0);
	if (text != NULL)
		first->text = xstrdup(text);
	return 1;
}

/*
 * The text in the first column of stmt's first row as a new string, or
 * NULL when it returns no row or NULL there.
 */
int
store_text(struct store *store, sqlite3_stmt *stmt, enum store_rows_end end,
    char **text, struct kl_error *err)
{
	struct store_first	first = { 0 };
	int			rc;

	rc = store_each_row(store, stmt, end, store_text_row, &first, err);
	*text = first.text;
	return rc;
}

/* The day a column holds, or KL_ERR_STORAGE if it holds none. */
int
store_column_day(sqlite3_stmt *stmt, int column, kl_day *day,
    struct kl_error *err)
{
	const char	*text = (const char *)sqlite3_column_text(stmt, column);

	if (text == NULL || !day_parse_iso(text, day))
		return kl_error_set(err, KL_ERR_STORAGE,
		    "storage failure: bad day \"%s\" in database",
		    text != NULL ? text : "");
	return 0;
}

/* Prepare every fixed statement once for the life of the store. */
int
store_prepare_all(struct store *store, struct kl_error *err)
{
	int	i;

	for (i = 0; i < STMT_LAZY; i++) {
		if (store_prepare(store, xstrdup(store_stmt_sql[i]),
		    &store->stmt[i], err) == -1)
			return -1;
	}
	return 0;
}

/* The SQL function kindlog_routine_key(text): routine_key() for grouping. */
void
store_sql_routine_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*text = sqlite3_value_text(argv[0]);

	(void)argc;
	if (text == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, routine_key((const char *)text), -1, free);
}
