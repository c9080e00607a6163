/*
 * Imports: records staged in temporary tables per session, then added in
 * one transaction with their aggregates in bulk.
 */
#include <stdio.h>
#include <stdlib.h>

#include "store-int.h"
#include "xmalloc.h"

/*
 * The caches (main and temp) while an import commits: its inserts land
 * all over the routine_counts b-tree, which outgrows a small cache and
 * then costs a page read per row.
 */
#define STORE_IMPORT_CACHE_KIB (64 * 1024)

/*
 * Import staging lives in TEMP tables: private to the daemon's single
 * SQLite connection, gone when it closes, and spilled to a temp file by
 * SQLite rather than held in our heap. Nothing here touches the main
 * database until store_import_commit().
 *
 * A staged row names its session by the session's rowid and carries its
 * tags as a JSON array. The table has no index: rows are only appended,
 * in record order, so a batch writes a few pages at the table's end. A
 * uuid index would take every record into a random place of a b-tree
 * larger than any cache we keep; duplicates are settled at commit
 * instead, where the uuid index of main.entries sees them anyway.
 */
static const char store_import_schema[] =
	"CREATE TEMP TABLE IF NOT EXISTS import_sessions ("
	"  id TEXT PRIMARY KEY,"
	"  last_active INTEGER NOT NULL,"
	"  records INTEGER NOT NULL DEFAULT 0,"
	"  reflections INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TEMP TABLE IF NOT EXISTS import_staged ("
	"  session INTEGER NOT NULL,"
	"  uuid TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  thanked_at INTEGER,"
	"  thanked_how TEXT,"
	"  tags TEXT"
	");"
	/* Reflections are few: a unique index keeps a uuid's first record. */
	"CREATE TEMP TABLE IF NOT EXISTS import_reflections ("
	"  session INTEGER NOT NULL,"
	"  uuid TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  answers TEXT NOT NULL,"
	"  UNIQUE (session, uuid)"
	");";

/* The rowid of session ?1, which its staged rows carry. */
#define STORE_IMPORT_KEY \
	"(SELECT rowid FROM temp.import_sessions WHERE id = ?1)"

/* Prepare a one-off sql, binding ?1 to text (unless NULL) and ?2. */
static int
store_import_prepare(struct store *store, const char *sql, const char *text,
    int64_t value, sqlite3_stmt **stmt, struct kl_error *err)
{
	int	rc;

	rc = sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	if (text != NULL)
		store_bind_text(*stmt, 1, text);
	if (sqlite3_bind_parameter_count(*stmt) >= 2)
		sqlite3_bind_int64(*stmt, 2, value);
	return 0;
}

/* Run sql with ?1 bound to a text value and ?2 to an integer. */
static int
store_import_exec(struct store *store, const char *sql, const char *text,
    int64_t value, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (store_import_prepare(store, sql, text, value, &stmt, err) == -1)
		return -1;
	rc = store_run(store, stmt, err);
	sqlite3_finalize(stmt);
	return rc;
}

/* The one value of a single-row, single-column query (?1 text, ?2). */
static int
store_import_scalar(struct store *store, const char *sql, const char *text,
    int64_t arg, int64_t *value, bool *found, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	*found = false;
	*value = 0;
	if (store_import_prepare(store, sql, text, arg, &stmt, err) == -1)
		return -1;
	return store_scalar(store, stmt, STORE_FINALIZE, value, found, err);
}

/*
 * Forget session (its rows too); NULL forgets sessions idle since before.
 * Staged rows have no index, so a session's rows are found by a scan:
 * done only when there is something to drop.
 */
static int
store_import_drop(struct store *store, const char *session, time_t before,
    struct kl_error *err)
{
	static const char *const sql[2][3] = { {
		"DELETE FROM temp.import_staged WHERE session IN (SELECT rowid"
		" FROM temp.import_sessions WHERE last_active < ?2)",
		"DELETE FROM temp.import_reflections WHERE session IN (SELECT"
		" rowid FROM temp.import_sessions WHERE last_active < ?2)",
		"DELETE FROM temp.import_sessions WHERE last_active < ?2",
	}, {
		"DELETE FROM temp.import_staged WHERE session = "
		STORE_IMPORT_KEY,
		"DELETE FROM temp.import_reflections WHERE session = "
		STORE_IMPORT_KEY,
		"DELETE FROM temp.import_sessions WHERE id = ?1",
	} };
	/* The last session empties the tables whole, without a b-tree walk. */
	static const char *const all[3] = {
		"DELETE FROM temp.import_staged",
		"DELETE FROM temp.import_reflections",
		"DELETE FROM temp.import_sessions",
	};
	const char *const	*q = sql[session != NULL];
	int64_t			 idle, others;
	size_t			 i;
	bool			 found;

	if (session == NULL) {
		if (store_import_scalar(store, "SELECT count(*) FROM"
		    " temp.import_sessions WHERE last_active < ?2", NULL,
		    (int64_t)before, &idle, &found, err) == -1)
			return -1;
		if (idle == 0)
			return 0;
	}
	if (store_import_scalar(store, "SELECT count(*) FROM"
	    " temp.import_sessions WHERE ?1 IS NULL AND last_active >= ?2"
	    " OR id <> ?1", session, (int64_t)before, &others, &found,
	    err) == -1)
		return -1;
	if (others == 0)
		q = all;
	for (i = 0; i < 3; i++) {
		if (store_import_exec(store, q[i], session, (int64_t)before,
		    err) == -1)
			return -1;
	}
	return 0;
}

/* Start an import session. */
int
store_import_begin(struct store *store, time_t now,
    char session[UUID_STR_LEN], struct kl_error *err)
{
	int64_t	 open;
	bool	 found;

	if (store_exec_sql(store, store_import_schema, err) == -1 ||
	    store_import_drop(store, NULL, now - STORE_IMPORT_IDLE, err) == -1 ||
	    store_import_scalar(store, "SELECT count(*) FROM"
	    " temp.import_sessions", NULL, 0, &open, &found, err) == -1)
		return -1;
	if (open >= STORE_IMPORT_MAX_SESSIONS)
		return kl_error_set(err, KL_ERR_LIMIT, "too many imports in "
		    "progress (at most %d); abort one or wait %d minutes",
		    STORE_IMPORT_MAX_SESSIONS, STORE_IMPORT_IDLE / 60);
	uuid_generate(session);
	return store_import_exec(store, "INSERT INTO temp.import_sessions"
	    " (id, last_active) VALUES (?1, ?2)", session, (int64_t)now, err);
}

/* Check that session is open and mark it active. */
int
store_import_touch(struct store *store, const char *session, time_t now,
    int64_t *records, struct kl_error *err)
{
	bool	found;

	if (store_exec_sql(store, store_import_schema, err) == -1 ||
	    store_import_drop(store, NULL, now - STORE_IMPORT_IDLE, err) == -1 ||
	    store_import_scalar(store, "SELECT records + reflections FROM"
	    " temp.import_sessions WHERE id = ?1", session, 0, records,
	    &found, err) == -1)
		return -1;
	if (!found)
		return kl_error_set(err, KL_ERR_NOT_FOUND, "no import session "
		    "'%.40s' (it ended, or was idle for over %d minutes)",
		    session, STORE_IMPORT_IDLE / 60);
	return store_import_exec(store, "UPDATE temp.import_sessions SET"
	    " last_active = ?2 WHERE id = ?1", session, (int64_t)now, err);
}

/* Bind one staged row of a kind of record; the session's key is ?1. */
typedef int store_import_bind_fn(sqlite3_stmt *row, const void *record,
    struct kl_error *err);

/* What staging a kind of record needs: its insert and its count column. */
struct store_import_kind {
	const char		*insert;
	const char		*count;
	size_t			 size;
	store_import_bind_fn	*bind;
};

/* Bind one entry record, its tags as a JSON array (NULL when it has none). */
static int
store_import_bind_entry(sqlite3_stmt *row, const void *record,
    struct kl_error *err)
{
	const struct store_import_record *r = record;
	/* At most 16 tags of at most 32 bytes, quoted, with commas. */
	char	tags[16 * 35 + 3];
	size_t	len = 0;

	sqlite3_bind_text(row, 2, r->uuid, -1, SQLITE_STATIC);
	store_bind_day(row, 3, r->day);
	sqlite3_bind_text(row, 4, r->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(row, 5, (int64_t)r->created_at);
	sqlite3_bind_int64(row, 6, (int64_t)r->updated_at);
	if (r->thanked_how != NULL)
		sqlite3_bind_int64(row, 7, (int64_t)r->thanked_at);
	else
		sqlite3_bind_null(row, 7);
	sqlite3_bind_text(row, 8, r->thanked_how, -1, SQLITE_STATIC);
	if (json_array_size(r->tags) > 0)
		len = json_dumpb(r->tags, tags, sizeof tags, JSON_COMPACT);
	if (len > sizeof tags)
		return kl_error_set(err, KL_ERR_INTERNAL, "too many tags");
	if (len > 0)
		sqlite3_bind_text(row, 9, tags, (int)len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(row, 9);
	return 0;
}

/* Bind one reflection record, its answers as a JSON array. */
static int
store_import_bind_reflection(sqlite3_stmt *row, const void *record,
    struct kl_error *err)
{
	const struct store_import_reflection *r = record;
	json_t	*answers = json_array(), *a;
	size_t	 i;

	for (i = 0; i < r->nanswers; i++) {
		a = json_pack("{s:s, s:s}", "question", r->answers[i].question,
		    "answer", r->answers[i].answer);
		if (a == NULL) {
			json_decref(answers);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "answers must be UTF-8 text");
		}
		json_array_append_new(answers, a);
	}
	sqlite3_bind_text(row, 2, r->uuid, -1, SQLITE_STATIC);
	store_bind_day(row, 3, r->day);
	sqlite3_bind_int64(row, 4, (int64_t)r->created_at);
	sqlite3_bind_text(row, 5, json_dumps(answers, JSON_COMPACT), -1, free);
	json_decref(answers);
	return 0;
}

static const struct store_import_kind store_import_entries = {
	.insert = "INSERT INTO temp.import_staged (session, uuid, day, text,"
	    " created_at, updated_at, thanked_at, thanked_how, tags)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	.count = "UPDATE temp.import_sessions SET records = records + ?2"
	    " WHERE id = ?1",
	.size = sizeof (struct store_import_record),
	.bind = store_import_bind_entry,
};

static const struct store_import_kind store_import_reflections_kind = {
	.insert = "INSERT OR IGNORE INTO temp.import_reflections (session,"
	    " uuid, day, created_at, answers) VALUES (?1, ?2, ?3, ?4, ?5)",
	.count = "UPDATE temp.import_sessions SET reflections ="
	    " reflections + ?2 WHERE id = ?1",
	.size = sizeof (struct store_import_reflection),
	.bind = store_import_bind_reflection,
};

/* Stage one record with the kind's insert statement row. */
static int
store_import_stage_one(struct store *store, sqlite3_stmt *row, int64_t key,
    const struct store_import_kind *kind, const void *record,
    struct kl_error *err)
{
	sqlite3_reset(row);
	sqlite3_clear_bindings(row);
	sqlite3_bind_int64(row, 1, key);
	if (kind->bind(row, record, err) == -1)
		return -1;
	return store_run(store, row, err);
}

/* Stage n validated records of a kind in session (one temp-only transaction). */
static int
store_import_stage_kind(struct store *store, const char *session,
    const struct store_import_kind *kind, const void *records, size_t n,
    struct kl_error *err)
{
	const char	*record = records;
	sqlite3_stmt	*row = NULL;
	int64_t		 key;
	size_t		 i;
	bool		 found;
	int		 rc = -1;

	if (store_import_scalar(store, "SELECT rowid FROM"
	    " temp.import_sessions WHERE id = ?1", session, 0, &key, &found,
	    err) == -1)
		return -1;
	if (!found)
		return kl_error_set(err, KL_ERR_NOT_FOUND, "no import session "
		    "'%.40s'", session);
	if (sqlite3_prepare_v2(store->db, kind->insert, -1, &row,
	    NULL) != SQLITE_OK) {
		store_sqlite_error(store, sqlite3_extended_errcode(store->db),
		    err);
		goto out;
	}
	if (store_begin(store, err) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (store_import_stage_one(store, row, key, kind,
		    record + i * kind->size, err) == -1) {
			store_rollback(store);
			goto out;
		}
	}
	if (store_import_exec(store, kind->count, session, (int64_t)n,
	    err) == -1 || store_commit(store, NULL, err) == -1) {
		store_rollback(store);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(row);
	return rc;
}

/* Stage n validated entry records in session. */
int
store_import_stage(struct store *store, const char *session,
    const struct store_import_record *records, size_t n,
    struct kl_error *err)
{
	return store_import_stage_kind(store, session, &store_import_entries,
	    records, n, err);
}

/* Stage n validated reflections in session. */
int
store_import_stage_reflections(struct store *store, const char *session,
    const struct store_import_reflection *records, size_t n,
    struct kl_error *err)
{
	return store_import_stage_kind(store, session,
	    &store_import_reflections_kind, records, n, err);
}

/* How many reflections session staged, and how many are not stored yet. */
int
store_import_reflections(struct store *store, const char *session,
    int64_t *staged, int64_t *fresh, struct kl_error *err)
{
	bool	found;

	if (store_import_scalar(store, "SELECT reflections FROM"
	    " temp.import_sessions WHERE id = ?1", session, 0, staged,
	    &found, err) == -1)
		return -1;
	if (!found)
		return kl_error_set(err, KL_ERR_NOT_FOUND, "no import session "
		    "'%.40s'", session);
	return store_import_scalar(store, "SELECT count(*) FROM"
	    " temp.import_reflections s WHERE s.session = " STORE_IMPORT_KEY
	    " AND NOT EXISTS (SELECT 1 FROM main.reflections r"
	    " WHERE r.uuid = s.uuid)", session, 0, fresh, &found, err);
}

/*
 * The triggers an import's inserts would fire, row by row. With a million
 * distinct texts, their upserts land all over routine_counts; the import
 * drops them inside its transaction, adds its rows' aggregates with one
 * sorted INSERT ... SELECT ... GROUP BY per table, and creates them again
 * from their own stored SQL before it commits (a rollback restores them).
 */
static const char *const store_import_triggers[] = {
	"entries_count_insert",
	"entry_tags_count_insert",
};
#define STORE_IMPORT_TRIGGERS \
	(sizeof store_import_triggers / sizeof store_import_triggers[0])

/* What entries_count_insert and entry_tags_count_insert add, for id > ?2. */
static const char *const store_import_aggregates[] = {
	"INSERT INTO main.day_counts (day, n, thanked)"
	" SELECT day, count(*), count(thanked_at) FROM main.entries"
	" WHERE id > ?2 AND deleted_at IS NULL GROUP BY day"
	" ON CONFLICT(day) DO UPDATE SET n = n + excluded.n,"
	" thanked = thanked + excluded.thanked",
	"INSERT INTO main.routine_counts (key, n, last_day, last_thanked)"
	" SELECT routine_key, count(*), max(day), max(thanked_at)"
	" FROM main.entries WHERE id > ?2 AND deleted_at IS NULL"
	" AND routine_key <> '' GROUP BY routine_key"
	" ON CONFLICT(key) DO UPDATE SET n = n + excluded.n,"
	" last_day = max(last_day, excluded.last_day),"
	" last_thanked = max(coalesce(last_thanked, excluded.last_thanked),"
	" coalesce(excluded.last_thanked, last_thanked))",
	"INSERT INTO main.tag_day_counts (tag, day, n, thanked_max)"
	" SELECT t.tag, e.day, count(*), max(e.thanked_at)"
	" FROM main.entry_tags t JOIN main.entries e ON e.id = t.entry_id"
	" WHERE t.entry_id > ?2 AND e.deleted_at IS NULL"
	" GROUP BY t.tag, e.day"
	" ON CONFLICT(tag, day) DO UPDATE SET n = n + excluded.n,"
	" thanked_max = max(coalesce(thanked_max, excluded.thanked_max),"
	" coalesce(excluded.thanked_max, thanked_max))",
};
#define STORE_IMPORT_AGGREGATES \
	(sizeof store_import_aggregates / sizeof store_import_aggregates[0])

/* Read each trigger's SQL into sql[] and drop it (inside a transaction). */
static int
store_import_triggers_drop(struct store *store, char *sql[], struct
    kl_error *err)
{
	sqlite3_stmt	*stmt;
	char		 drop[128];
	size_t		 i;

	for (i = 0; i < STORE_IMPORT_TRIGGERS; i++) {
		if (store_import_prepare(store, "SELECT sql FROM"
		    " main.sqlite_master WHERE type = 'trigger' AND name = ?1",
		    store_import_triggers[i], 0, &stmt, err) == -1 ||
		    store_text(store, stmt, STORE_FINALIZE, &sql[i],
		    err) == -1)
			return -1;
		if (sql[i] == NULL)
			return kl_error_set(err, KL_ERR_INTERNAL, "trigger %s "
			    "is missing", store_import_triggers[i]);
		snprintf(drop, sizeof drop, "DROP TRIGGER main.%s",
		    store_import_triggers[i]);
		if (store_exec_sql(store, drop, err) == -1)
			return -1;
	}
	return 0;
}

/*
 * Copy the staged entries that are new, in record order, with their tags.
 * The uuid index of main.entries settles duplicates as the rows go in: a
 * uuid already stored, or inserted by an earlier record of this import,
 * is skipped (ON CONFLICT DO NOTHING), so the first record wins. Each new
 * entry takes the next id, so walking the staged rows in order, the one
 * that added an entry is the first whose entry id exceeds every id seen
 * before it; a later record with the same uuid meets an id already seen.
 * When every record added an entry (the usual import into a log that
 * does not hold them yet), the n-th record's entry is simply id
 * max_id + n, with no uuid lookup at all.
 */
static const char *const store_import_tags[2] = {
	"INSERT OR IGNORE INTO main.entry_tags (entry_id, tag)"
	" SELECT x.id, j.value FROM (SELECT e.id AS id, s.tags AS tags,"
	" max(e.id) OVER (ORDER BY s.rowid ROWS BETWEEN UNBOUNDED PRECEDING"
	" AND 1 PRECEDING) AS before FROM temp.import_staged s"
	" JOIN main.entries e ON e.uuid = s.uuid"
	" WHERE s.session = " STORE_IMPORT_KEY " AND e.id > ?2) x,"
	" json_each(x.tags) j WHERE x.id > coalesce(x.before, 0)",
	"INSERT OR IGNORE INTO main.entry_tags (entry_id, tag)"
	" SELECT ?2 + x.n, j.value FROM (SELECT row_number() OVER"
	" (ORDER BY s.rowid) AS n, s.tags AS tags FROM temp.import_staged s"
	" WHERE s.session = " STORE_IMPORT_KEY ") x, json_each(x.tags) j",
};

/*
 * Copy the staged reflections that are new, then the answers of those
 * just added: the ones whose id is above every id there was before.
 */
static int
store_import_apply_reflections(struct store *store, const char *session,
    struct kl_error *err)
{
	int64_t	max_id;
	bool	found;

	if (store_import_scalar(store, "SELECT coalesce(max(id), 0) FROM"
	    " main.reflections", NULL, 0, &max_id, &found, err) == -1 ||
	    store_import_exec(store, "INSERT INTO main.reflections (uuid, day,"
	    " created_at) SELECT s.uuid, s.day, s.created_at"
	    " FROM temp.import_reflections s WHERE s.session = "
	    STORE_IMPORT_KEY " ORDER BY s.rowid ON CONFLICT (uuid) DO NOTHING",
	    session, 0, err) == -1)
		return -1;
	return store_import_exec(store, "INSERT INTO main.reflection_answers"
	    " (reflection_id, position, question, answer)"
	    " SELECT r.id, j.key, json_extract(j.value, '$.question'),"
	    " json_extract(j.value, '$.answer')"
	    " FROM temp.import_reflections s"
	    " JOIN main.reflections r ON r.uuid = s.uuid, json_each(s.answers) j"
	    " WHERE s.session = " STORE_IMPORT_KEY " AND r.id > ?2",
	    session, max_id, err);
}

static int
store_import_apply(struct store *store, const char *session,
    int64_t records, int64_t *added, struct kl_error *err)
{
	char	*trigger[STORE_IMPORT_TRIGGERS] = { NULL };
	int64_t	 max_id, published;
	size_t	 i;
	bool	 found;
	int	 rc = -1;

	if (store_import_scalar(store, "SELECT coalesce(max(id), 0) FROM"
	    " main.entries", NULL, 0, &max_id, &found, err) == -1 ||
	    store_import_triggers_drop(store, trigger, err) == -1 ||
	    store_import_exec(store, "INSERT INTO main.entries (uuid, day,"
	    " text, created_at, updated_at, thanked_at, thanked_how,"
	    " routine_key) SELECT s.uuid, s.day, s.text, s.created_at,"
	    " s.updated_at, s.thanked_at, s.thanked_how,"
	    " kindlog_routine_key(s.text) FROM temp.import_staged s"
	    " WHERE s.session = " STORE_IMPORT_KEY " ORDER BY s.rowid"
	    " ON CONFLICT (uuid) DO NOTHING", session, 0, err) == -1)
		goto out;
	*added = sqlite3_changes(store->db);
	if (store_import_exec(store, store_import_tags[*added == records],
	    session, max_id, err) == -1)
		goto out;
	for (i = 0; i < STORE_IMPORT_AGGREGATES; i++) {
		if (store_import_exec(store, store_import_aggregates[i], NULL,
		    max_id, err) == -1)
			goto out;
	}
	for (i = 0; i < STORE_IMPORT_TRIGGERS; i++) {
		if (store_exec_sql(store, trigger[i], err) == -1)
			goto out;
	}
	if (store_import_apply_reflections(store, session, err) == -1 ||
	    store_sync_publish(store, max_id, &published, err) == -1)
		goto out;
	rc = 0;
out:
	for (i = 0; i < STORE_IMPORT_TRIGGERS; i++)
		free(trigger[i]);
	return rc;
}

/* Add (or with dry_run only count) what session staged, then end it. */
int
store_import_commit(struct store *store, const char *session, bool dry_run,
    int64_t *added, int64_t *skipped, struct kl_error *err)
{
	int64_t	 records;
	bool	 found;
	int	 rc;

	*added = *skipped = 0;
	if (store_import_scalar(store, "SELECT records FROM"
	    " temp.import_sessions WHERE id = ?1", session, 0, &records,
	    &found, err) == -1)
		return -1;
	if (dry_run) {
		if (store_import_scalar(store, "SELECT count(DISTINCT s.uuid)"
		    " FROM temp.import_staged s WHERE s.session = "
		    STORE_IMPORT_KEY " AND NOT EXISTS (SELECT 1 FROM"
		    " main.entries e WHERE e.uuid = s.uuid)", session, 0,
		    added, &found, err) == -1)
			return -1;
	} else {
		store_cache_size(store, STORE_IMPORT_CACHE_KIB);
		if (store_begin(store, err) == -1)
			goto fail;
		if (store_import_apply(store, session, records, added,
		    err) == -1 ||
		    store_commit(store, NULL, err) == -1) {
			store_rollback(store);
			goto fail;
		}
	}
	*skipped = records - *added;
	rc = store_import_drop(store, session, 0, err);
	if (!dry_run)
		store_cache_size(store, STORE_CACHE_KIB);
	return rc;
fail:
	store_cache_size(store, STORE_CACHE_KIB);
	return -1;
}

/* Forget session and everything it staged. */
int
store_import_abort(struct store *store, const char *session,
    struct kl_error *err)
{
	return store_import_drop(store, session, 0, err);
}
