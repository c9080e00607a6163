/*
 * The store: kindlog's SQLite file. Fixed statements are prepared once at
 * open and reused; list queries are built from fixed fragments and cached
 * per filter combination. Writes run inside BEGIN IMMEDIATE ... COMMIT and
 * never leave a transaction open on failure.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "rfc3339.h"
#include "routine.h"
#include "store.h"
#include "uuid.h"
#include "xmalloc.h"

/* PRAGMA application_id: "KLOG". */
#define STORE_APPLICATION_ID 0x4b4c4f47

#define STORE_BUSY_TIMEOUT_MS 5000
/*
 * SQLite's page cache, in KiB. Adds touch only the right edges of a few
 * b-trees and the reads use the aggregate tables, so 256 KiB serves them;
 * SQLite's default (2 MB) is most of a long-running daemon's heap.
 */
#define STORE_CACHE_KIB 256

/*
 * The caches (main and temp) while an import commits: its inserts land
 * all over the routine_counts b-tree, which outgrows a small cache and
 * then costs a page read per row.
 */
#define STORE_IMPORT_CACHE_KIB (64 * 1024)

/* Columns of every entry query, in the order store_entry_from_row reads. */
#define STORE_ENTRY_COLUMNS \
	"e.id, e.uuid, e.day, e.text, e.created_at, e.updated_at, " \
	"e.thanked_at, e.thanked_how"

/*
 * Schema migrations: migration i takes user_version i to i + 1, in one
 * transaction. day_counts is kept by triggers so streaks and totals never
 * scan entries; a day whose count drops to zero is removed.
 */
static const char *const store_migrations[] = {
	"CREATE TABLE entries ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  day TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  thanked_at INTEGER,"
	"  thanked_how TEXT,"
	"  deleted_at INTEGER,"
	"  deleted_seq INTEGER"
	");"
	"CREATE INDEX entries_live_day ON entries(day, id)"
	"  WHERE deleted_at IS NULL;"
	"CREATE INDEX entries_deleted_seq ON entries(deleted_seq)"
	"  WHERE deleted_seq IS NOT NULL;"
	"CREATE TABLE entry_tags ("
	"  entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (entry_id, tag)"
	") WITHOUT ROWID;"
	"CREATE INDEX entry_tags_tag ON entry_tags(tag, entry_id);"
	"CREATE TABLE day_counts ("
	"  day TEXT PRIMARY KEY,"
	"  n INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value"
	");"
	"CREATE TRIGGER entries_count_insert AFTER INSERT ON entries"
	"  WHEN new.deleted_at IS NULL BEGIN"
	"  INSERT INTO day_counts(day, n) VALUES (new.day, 1)"
	"    ON CONFLICT(day) DO UPDATE SET n = n + 1;"
	"END;"
	"CREATE TRIGGER entries_count_delete AFTER DELETE ON entries"
	"  WHEN old.deleted_at IS NULL BEGIN"
	"  UPDATE day_counts SET n = n - 1 WHERE day = old.day;"
	"  DELETE FROM day_counts WHERE day = old.day AND n <= 0;"
	"END;"
	"CREATE TRIGGER entries_count_update"
	"  AFTER UPDATE OF day, deleted_at ON entries BEGIN"
	"  UPDATE day_counts SET n = n - 1"
	"    WHERE day = old.day AND old.deleted_at IS NULL;"
	"  DELETE FROM day_counts WHERE day = old.day AND n <= 0;"
	"  INSERT INTO day_counts(day, n)"
	"    SELECT new.day, 1 WHERE new.deleted_at IS NULL"
	"    ON CONFLICT(day) DO UPDATE SET n = n + 1;"
	"END;"
	"PRAGMA application_id = 1263292231;",	/* STORE_APPLICATION_ID */

	/*
	 * v2: aggregates so that stats over the whole log read small tables:
	 * thanked entries per day, entries per tag and day, and per routine
	 * key (routine_key() of the text, computed in C when text is written)
	 * the count, last day and last thank-you. Triggers keep them. A
	 * maximum is recomputed only when the row that held it went away:
	 * last_day by walking days backwards (the previous time is usually
	 * recent), last_thanked by a scan -- rare, and cheaper than one more
	 * index that every add would have to write.
	 */
	"ALTER TABLE entries ADD COLUMN routine_key TEXT;"
	"UPDATE entries SET routine_key = kindlog_routine_key(text);"
	"ALTER TABLE day_counts ADD COLUMN thanked INTEGER NOT NULL DEFAULT 0;"
	"UPDATE day_counts SET thanked = (SELECT count(*) FROM entries e"
	"  WHERE e.day = day_counts.day AND e.deleted_at IS NULL"
	"  AND e.thanked_at IS NOT NULL);"
	"CREATE TABLE tag_day_counts ("
	"  tag TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  thanked_max INTEGER,"
	"  PRIMARY KEY (tag, day)"
	") WITHOUT ROWID;"
	"INSERT INTO tag_day_counts SELECT t.tag, e.day, count(*),"
	"  max(e.thanked_at) FROM entry_tags t JOIN entries e"
	"  ON e.id = t.entry_id WHERE e.deleted_at IS NULL"
	"  GROUP BY t.tag, e.day;"
	"CREATE TABLE routine_counts ("
	"  key TEXT PRIMARY KEY,"
	"  n INTEGER NOT NULL,"
	"  last_day TEXT NOT NULL,"
	"  last_thanked INTEGER"
	") WITHOUT ROWID;"
	"CREATE INDEX routine_counts_top ON routine_counts(n DESC, key)"
	"  WHERE n >= 2;"
	"INSERT INTO routine_counts SELECT routine_key, count(*), max(day),"
	"  max(thanked_at) FROM entries WHERE deleted_at IS NULL"
	"  AND routine_key <> '' GROUP BY routine_key;"
	"DROP TRIGGER entries_count_insert;"
	"DROP TRIGGER entries_count_delete;"
	"DROP TRIGGER entries_count_update;"
	/* A live entry adds itself to its day and its routine key. */
	"CREATE TRIGGER entries_count_insert AFTER INSERT ON entries"
	"  WHEN new.deleted_at IS NULL BEGIN"
	"  INSERT INTO day_counts(day, n, thanked)"
	"    VALUES (new.day, 1, new.thanked_at IS NOT NULL)"
	"    ON CONFLICT(day) DO UPDATE SET n = n + 1,"
	"    thanked = thanked + excluded.thanked;"
	"  INSERT INTO routine_counts(key, n, last_day, last_thanked)"
	"    SELECT new.routine_key, 1, new.day, new.thanked_at"
	"    WHERE new.routine_key <> ''"
	"    ON CONFLICT(key) DO UPDATE SET n = n + 1,"
	"    last_day = max(last_day, excluded.last_day),"
	"    last_thanked = max(coalesce(last_thanked, excluded.last_thanked),"
	"    coalesce(excluded.last_thanked, last_thanked));"
	"END;"
	/* Hard deletes drop the tags first, while the entry still counts. */
	"CREATE TRIGGER entries_tags_delete BEFORE DELETE ON entries BEGIN"
	"  DELETE FROM entry_tags WHERE entry_id = old.id;"
	"END;"
	"CREATE TRIGGER entries_count_delete AFTER DELETE ON entries"
	"  WHEN old.deleted_at IS NULL BEGIN"
	"  UPDATE day_counts SET n = n - 1,"
	"    thanked = thanked - (old.thanked_at IS NOT NULL)"
	"    WHERE day = old.day;"
	"  DELETE FROM day_counts WHERE day = old.day AND n <= 0;"
	"  UPDATE routine_counts SET n = n - 1 WHERE key = old.routine_key;"
	"  DELETE FROM routine_counts WHERE key = old.routine_key AND n <= 0;"
	"  UPDATE routine_counts SET last_day = (SELECT day FROM entries"
	"    WHERE routine_key = old.routine_key AND deleted_at IS NULL"
	"    ORDER BY day DESC LIMIT 1)"
	"    WHERE key = old.routine_key AND last_day = old.day;"
	"  UPDATE routine_counts SET last_thanked = (SELECT max(thanked_at)"
	"    FROM entries WHERE routine_key = old.routine_key"
	"    AND deleted_at IS NULL)"
	"    WHERE key = old.routine_key AND last_thanked = old.thanked_at;"
	"END;"
	/* An update takes the old row out of every aggregate, then adds the new. */
	"CREATE TRIGGER entries_count_update"
	"  AFTER UPDATE OF day, deleted_at, thanked_at, routine_key ON entries"
	"  WHEN old.day IS NOT new.day OR old.deleted_at IS NOT new.deleted_at"
	"  OR old.thanked_at IS NOT new.thanked_at"
	"  OR old.routine_key IS NOT new.routine_key BEGIN"
	"  UPDATE day_counts SET n = n - 1,"
	"    thanked = thanked - (old.thanked_at IS NOT NULL)"
	"    WHERE day = old.day AND old.deleted_at IS NULL;"
	"  DELETE FROM day_counts WHERE day = old.day AND n <= 0;"
	"  INSERT INTO day_counts(day, n, thanked)"
	"    SELECT new.day, 1, new.thanked_at IS NOT NULL"
	"    WHERE new.deleted_at IS NULL"
	"    ON CONFLICT(day) DO UPDATE SET n = n + 1,"
	"    thanked = thanked + excluded.thanked;"
	"  UPDATE tag_day_counts SET n = n - 1 WHERE old.deleted_at IS NULL"
	"    AND day = old.day"
	"    AND tag IN (SELECT tag FROM entry_tags WHERE entry_id = old.id);"
	"  DELETE FROM tag_day_counts WHERE day = old.day AND n <= 0"
	"    AND tag IN (SELECT tag FROM entry_tags WHERE entry_id = old.id);"
	"  UPDATE tag_day_counts SET thanked_max = (SELECT max(e.thanked_at)"
	"    FROM entries e WHERE e.day = old.day AND e.deleted_at IS NULL"
	"    AND EXISTS (SELECT 1 FROM entry_tags t WHERE t.entry_id = e.id"
	"    AND t.tag = tag_day_counts.tag))"
	"    WHERE old.deleted_at IS NULL AND day = old.day"
	"    AND tag IN (SELECT tag FROM entry_tags WHERE entry_id = old.id);"
	"  INSERT INTO tag_day_counts(tag, day, n, thanked_max)"
	"    SELECT tag, new.day, 1, new.thanked_at FROM entry_tags"
	"    WHERE entry_id = new.id AND new.deleted_at IS NULL"
	"    ON CONFLICT(tag, day) DO UPDATE SET n = n + 1,"
	"    thanked_max = max(coalesce(thanked_max, excluded.thanked_max),"
	"    coalesce(excluded.thanked_max, thanked_max));"
	"  UPDATE routine_counts SET n = n - 1"
	"    WHERE key = old.routine_key AND old.deleted_at IS NULL;"
	"  DELETE FROM routine_counts WHERE key = old.routine_key AND n <= 0;"
	"  UPDATE routine_counts SET last_day = (SELECT day FROM entries"
	"    WHERE routine_key = old.routine_key AND deleted_at IS NULL"
	"    ORDER BY day DESC LIMIT 1)"
	"    WHERE key = old.routine_key AND old.deleted_at IS NULL"
	"    AND last_day = old.day AND NOT (new.deleted_at IS NULL"
	"    AND new.routine_key IS old.routine_key AND new.day >= old.day);"
	"  UPDATE routine_counts SET last_thanked = (SELECT max(thanked_at)"
	"    FROM entries WHERE routine_key = old.routine_key"
	"    AND deleted_at IS NULL)"
	"    WHERE key = old.routine_key AND old.deleted_at IS NULL"
	"    AND last_thanked = old.thanked_at AND NOT (new.deleted_at IS NULL"
	"    AND new.routine_key IS old.routine_key"
	"    AND new.thanked_at >= old.thanked_at);"
	"  INSERT INTO routine_counts(key, n, last_day, last_thanked)"
	"    SELECT new.routine_key, 1, new.day, new.thanked_at"
	"    WHERE new.routine_key <> '' AND new.deleted_at IS NULL"
	"    ON CONFLICT(key) DO UPDATE SET n = n + 1,"
	"    last_day = max(last_day, excluded.last_day),"
	"    last_thanked = max(coalesce(last_thanked, excluded.last_thanked),"
	"    coalesce(excluded.last_thanked, last_thanked));"
	"END;"
	/* A tag of a live entry counts on the entry's day. */
	"CREATE TRIGGER entry_tags_count_insert AFTER INSERT ON entry_tags"
	"  BEGIN"
	"  INSERT INTO tag_day_counts(tag, day, n, thanked_max)"
	"    SELECT new.tag, e.day, 1, e.thanked_at FROM entries e"
	"    WHERE e.id = new.entry_id AND e.deleted_at IS NULL"
	"    ON CONFLICT(tag, day) DO UPDATE SET n = n + 1,"
	"    thanked_max = max(coalesce(thanked_max, excluded.thanked_max),"
	"    coalesce(excluded.thanked_max, thanked_max));"
	"END;"
	"CREATE TRIGGER entry_tags_count_delete AFTER DELETE ON entry_tags"
	"  BEGIN"
	"  UPDATE tag_day_counts SET n = n - 1 WHERE tag = old.tag"
	"    AND day = (SELECT day FROM entries"
	"    WHERE id = old.entry_id AND deleted_at IS NULL);"
	"  DELETE FROM tag_day_counts WHERE tag = old.tag AND n <= 0"
	"    AND day = (SELECT day FROM entries WHERE id = old.entry_id);"
	"  UPDATE tag_day_counts SET thanked_max = (SELECT max(e.thanked_at)"
	"    FROM entries e WHERE e.day = tag_day_counts.day"
	"    AND e.deleted_at IS NULL AND EXISTS (SELECT 1 FROM entry_tags t"
	"    WHERE t.entry_id = e.id AND t.tag = old.tag))"
	"    WHERE tag = old.tag AND day = (SELECT day FROM entries"
	"    WHERE id = old.entry_id AND deleted_at IS NULL);"
	"END;",
};
#define STORE_MIGRATIONS (sizeof store_migrations / sizeof store_migrations[0])

_Static_assert(STORE_MIGRATIONS == STORE_SCHEMA_VERSION,
    "one migration per schema version");

enum store_stmt_id {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ENTRY_INSERT,
	STMT_ENTRY_SELECT,
	STMT_ENTRY_EDIT,
	STMT_ENTRY_THANK,
	STMT_ENTRY_DELETE,
	STMT_UNDO_PICK,
	STMT_UNDO,
	STMT_TAG_INSERT,
	STMT_TAGS_DELETE,
	STMT_TAGS_SELECT,
	STMT_DAYS,
	STMT_DAY_TOTAL,
	STMT_SETTING_GET,
	STMT_SETTING_SET,
	STMT_SETTING_DELETE,
	STMT_COUNT
};

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
	    "UPDATE entries SET thanked_at = ?2, thanked_how = ?3,"
	    " updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
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
	[STMT_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
	[STMT_SETTING_SET] =
	    "INSERT INTO settings (key, value) VALUES (?1, ?2)"
	    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[STMT_SETTING_DELETE] = "DELETE FROM settings WHERE key = ?1",
};

/* List filters; a combination of these indexes the list statement cache. */
enum {
	STORE_LIST_SINCE = 0x01,
	STORE_LIST_UNTIL = 0x02,
	STORE_LIST_TAG = 0x04,
	STORE_LIST_UNTHANKED = 0x08,
	STORE_LIST_GREP = 0x10,
	STORE_LIST_COMBINATIONS = 0x20
};

/* The two statements of one filter combination (and its number of words). */
struct store_list_cache {
	sqlite3_stmt	*rows;
	sqlite3_stmt	*count;
	size_t		 nwords;
};

/*
 * Group commit: between store_batch_begin and store_batch_commit every
 * write joins one transaction, opened by the first write; each write's own
 * begin/commit/rollback becomes a savepoint so a failed one leaves the
 * others intact. failed: SQLite dropped the whole transaction mid-batch.
 */
struct store_batch {
	bool	 active;
	bool	 open;
	bool	 failed;
};

/*
 * What store_days() returns -- the counted days, ascending, and the live
 * entries -- so that the streak in every add's reply need not walk
 * day_counts. It holds only while SQLite's count of changes made through
 * this connection is still `changes`; besides, every write forgets it when
 * it begins, and every rollback or failed commit (a batch's too) forgets
 * it, so a write that is rolled back can never leave its day behind. A
 * successful add puts its day back into a cache that was fresh before it.
 */
struct store_days_cache {
	bool		 valid;
	int64_t		 changes;
	kl_day		*days;
	size_t		 ndays;
	size_t		 alloc;
	int64_t		 entries;
};

struct store {
	sqlite3			*db;
	bool			 readonly;
	struct store_batch	 batch;
	sqlite3_stmt		*stmt[STMT_COUNT];
	struct store_list_cache	 list[STORE_LIST_COMBINATIONS];
	struct store_days_cache	 days;
};

/* Forget the cached days; the next store_days() reads day_counts. */
static void
store_days_forget(struct store *store)
{
	store->days.valid = false;
}

/* True when the cached days still describe the database. */
static bool
store_days_fresh(const struct store *store)
{
	return store->days.valid &&
	    store->days.changes == sqlite3_total_changes64(store->db);
}

/* Where day is, or would go, in the cached days (ascending). */
static size_t
store_days_find(const struct store_days_cache *c, kl_day day)
{
	size_t	lo = 0, hi = c->ndays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A live entry was added on day, after a fresh cache: count it there. */
static void
store_days_added(struct store *store, kl_day day)
{
	struct store_days_cache	*c = &store->days;
	size_t			 lo = store_days_find(c, day);

	if (lo == c->ndays || c->days[lo] != day) {
		if (c->ndays == c->alloc) {
			c->alloc = c->alloc == 0 ? 64 : c->alloc * 2;
			c->days = xreallocarray(c->days, c->alloc,
			    sizeof *c->days);
		}
		memmove(c->days + lo + 1, c->days + lo,
		    (c->ndays - lo) * sizeof *c->days);
		c->days[lo] = day;
		c->ndays++;
	}
	c->entries++;
	c->changes = sqlite3_total_changes64(store->db);
	c->valid = true;
}

/* The words of a grep string, pointing into a private copy. */
struct store_words {
	char	 *copy;
	char	**word;
	size_t	  n;
};

/* Record the last SQLite error as KL_ERR_STORAGE (or a uuid conflict). */
static int
store_sqlite_error(struct store *store, int rc, struct kl_error *err)
{
	if (rc == SQLITE_CONSTRAINT_UNIQUE ||
	    rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return kl_error_set(err, KL_ERR_CONFLICT,
		    "entry already exists (%s)", sqlite3_errmsg(store->db));
	return kl_error_set(err, KL_ERR_STORAGE, "storage failure: %s",
	    sqlite3_errmsg(store->db));
}

static int store_prepare(struct store *, char *, sqlite3_stmt **,
    struct kl_error *);

/*
 * A fixed statement, reset and with no bindings, ready to bind and step.
 * Prepared again after store_release_memory dropped it: SQL that prepared
 * when the store opened can only fail now for lack of memory.
 */
static sqlite3_stmt *
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
static int
store_run(struct store *store, sqlite3_stmt *stmt, struct kl_error *err)
{
	if (store_step(store, stmt, err) == -1)
		return -1;
	sqlite3_reset(stmt);
	return 0;
}

/* Bind a day as its YYYY-MM-DD text. */
static void
store_bind_day(sqlite3_stmt *stmt, int index, kl_day day)
{
	char	buf[DAY_ISO_LEN];

	sqlite3_bind_text(stmt, index, day_format(day, buf), -1,
	    SQLITE_TRANSIENT);
}

/* Bind a string (NULL binds SQL NULL). */
static void
store_bind_text(sqlite3_stmt *stmt, int index, const char *s)
{
	sqlite3_bind_text(stmt, index, s, -1, SQLITE_TRANSIENT);
}

/* Inside a batch: open its transaction if needed, then a savepoint. */
static int
store_batch_savepoint(struct store *store, struct kl_error *err)
{
	if (store->batch.failed)
		return kl_error_set(err, KL_ERR_STORAGE, "storage failure: "
		    "the transaction of this batch was rolled back");
	if (!store->batch.open) {
		if (store_run(store, store_stmt(store, STMT_BEGIN), err) == -1)
			return -1;
		store->batch.open = true;
	}
	return store_run(store, store_stmt(store, STMT_SAVEPOINT), err);
}

/* Start a write transaction, refusing at once on a read-only database. */
static int
store_begin(struct store *store, struct kl_error *err)
{
	if (store->readonly)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "storage failure: database is read-only");
	store_days_forget(store);
	if (store->batch.active)
		return store_batch_savepoint(store, err);
	return store_run(store, store_stmt(store, STMT_BEGIN), err);
}

/*
 * Resize SQLite's page cache to kib KiB. Shrinking frees the pages above
 * the new size; malloc_trim gives the freed heap back to the system.
 */
static void
store_cache_size(struct store *store, int kib)
{
	char	sql[96];

	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d;"
	    "PRAGMA temp.cache_size = -%d", kib, kib);
	if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return;		/* only speed and memory depend on it */
	if (kib == STORE_CACHE_KIB) {
		sqlite3_db_release_memory(store->db);
		malloc_trim(0);
	}
}

/* Roll back the open transaction, if any; returns -1 for tail calls. */
static int
store_rollback(struct store *store)
{
	store_days_forget(store);
	/* SQLite may already have rolled back (disk full, I/O error). */
	if (store->batch.open && sqlite3_get_autocommit(store->db)) {
		store->batch.open = false;
		store->batch.failed = true;
		return -1;
	}
	if (store->batch.open) {
		sqlite3_exec(store->db, "ROLLBACK TO kindlog_write;"
		    "RELEASE kindlog_write", NULL, NULL, NULL);
		return -1;
	}
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Commit; on failure roll back and drop *entry (if given). */
static int
store_commit(struct store *store, json_t **entry, struct kl_error *err)
{
	enum store_stmt_id	id = store->batch.open ? STMT_RELEASE :
				    STMT_COMMIT;

	if (store_run(store, store_stmt(store, id), err) == 0)
		return 0;
	store_rollback(store);
	if (entry != NULL) {
		json_decref(*entry);
		*entry = NULL;
	}
	return -1;
}

/* Run a one-off SQL script (pragmas, migrations). */
static int
store_exec_sql(struct store *store, const char *sql, struct kl_error *err)
{
	int	rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_error(store, sqlite3_extended_errcode(
		    store->db), err);
	return 0;
}

/* The sorted tags of an entry as a new JSON array. */
static int
store_entry_tags(struct store *store, int64_t id, json_t **tags,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_TAGS_SELECT);
	int		 rc;

	sqlite3_bind_int64(stmt, 1, id);
	*tags = json_array();
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		json_array_append_new(*tags, json_string(
		    (const char *)sqlite3_column_text(stmt, 0)));
	}
	sqlite3_reset(stmt);
	if (rc == -1) {
		json_decref(*tags);
		*tags = NULL;
		return -1;
	}
	return 0;
}

/* An RFC 3339 JSON string of a time. */
static json_t *
store_time_json(time_t t)
{
	char	buf[RFC3339_LEN];

	return json_string(time_format_utc(t, buf));
}

/* A timestamp column as an RFC 3339 JSON string. */
static json_t *
store_column_time(sqlite3_stmt *stmt, int column)
{
	return store_time_json((time_t)sqlite3_column_int64(stmt, column));
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
static int
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

/* The live entry with this id, or KL_ERR_NOT_FOUND. */
static int
store_entry_fetch(struct store *store, int64_t id, json_t **entry,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_ENTRY_SELECT);
	int		 rc;

	*entry = NULL;
	sqlite3_bind_int64(stmt, 1, id);
	rc = store_step(store, stmt, err);
	if (rc == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return kl_error_set(err, KL_ERR_NOT_FOUND, "no entry #%lld",
		    (long long)id);
	}
	rc = store_entry_from_row(store, stmt, entry, err);
	sqlite3_reset(stmt);
	return rc;
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
	    err) == -1))
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

/* Apply the text, day and tag changes of an edit. */
static int
store_entry_change(struct store *store, int64_t id,
    const struct store_entry_change *change, time_t now, struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_ENTRY_EDIT);

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
		return 0;
	stmt = store_stmt(store, STMT_TAGS_DELETE);
	sqlite3_bind_int64(stmt, 1, id);
	if (store_run(store, stmt, err) == -1)
		return -1;
	return store_tags_insert(store, id, change->tags, err);
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

/* Mark a live entry thanked (or update how). */
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
	    store_entry_fetch(store, id, entry, err) == -1)
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
	if (store_update_live(store, stmt, id, err) == -1) {
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
	sqlite3_stmt	*stmt = store_stmt(store, STMT_UNDO_PICK);
	int		 rc;

	rc = store_step(store, stmt, err);
	if (rc == -1)
		return -1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(stmt);
		return kl_error_set(err, KL_ERR_NOT_FOUND, "nothing to undo");
	}
	*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
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
	    store_entry_fetch(store, id, entry, err) == -1)
		return store_rollback(store);
	return store_commit(store, entry, err);
}

/* Split a grep string into whitespace-separated words. */
static void
store_words_split(const char *grep, struct store_words *words)
{
	char	*word, *state = NULL;

	*words = (struct store_words){ 0 };
	if (grep == NULL)
		return;
	words->copy = xstrdup(grep);
	word = strtok_r(words->copy, " \t\n\r\f\v", &state);
	while (word != NULL) {
		words->word = xreallocarray(words->word, words->n + 1,
		    sizeof *words->word);
		words->word[words->n++] = word;
		word = strtok_r(NULL, " \t\n\r\f\v", &state);
	}
}

/* Free the words of a grep string. */
static void
store_words_free(struct store_words *words)
{
	free(words->word);
	free(words->copy);
}

/* The filter combination a query uses. */
static unsigned
store_list_flags(const struct store_query *query,
    const struct store_words *words)
{
	unsigned	flags = 0;

	if (query->has_since)
		flags |= STORE_LIST_SINCE;
	if (query->has_until)
		flags |= STORE_LIST_UNTIL;
	if (query->tag != NULL)
		flags |= STORE_LIST_TAG;
	if (query->unthanked)
		flags |= STORE_LIST_UNTHANKED;
	if (words->n > 0)
		flags |= STORE_LIST_GREP;
	return flags;
}

/* The SQL of a list query: head, then the filter fragments, then tail. */
static char *
store_list_sql(const char *head, unsigned flags, size_t nwords,
    const char *tail)
{
	char	*sql = NULL;
	size_t	 len = 0, i;
	FILE	*f;

	if ((f = open_memstream(&sql, &len)) == NULL)
		fatal("open_memstream");
	fputs(head, f);
	fputs(" FROM entries e WHERE e.deleted_at IS NULL", f);
	if (flags & STORE_LIST_SINCE)
		fputs(" AND e.day >= ?", f);
	if (flags & STORE_LIST_UNTIL)
		fputs(" AND e.day <= ?", f);
	if (flags & STORE_LIST_TAG)
		fputs(" AND e.id IN"
		    " (SELECT entry_id FROM entry_tags WHERE tag = ?)", f);
	if (flags & STORE_LIST_UNTHANKED)
		fputs(" AND e.thanked_at IS NULL", f);
	for (i = 0; i < nwords; i++)
		fputs(" AND instr(lower(e.text), lower(?)) > 0", f);
	fputs(tail, f);
	if (fclose(f) != 0)
		fatal("open_memstream");
	return sql;
}

/* Prepare one persistent statement from SQL built on demand. */
static int
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

/* Free the cached statements of one filter combination. */
static void
store_list_cache_clear(struct store_list_cache *cache)
{
	sqlite3_finalize(cache->rows);
	sqlite3_finalize(cache->count);
	*cache = (struct store_list_cache){ 0 };
}

/* The cached statements for a filter combination, prepared if needed. */
static int
store_list_prepare(struct store *store, unsigned flags, size_t nwords,
    struct store_list_cache **out, struct kl_error *err)
{
	struct store_list_cache	*cache = &store->list[flags];

	*out = cache;
	if (cache->rows != NULL && cache->nwords == nwords)
		return 0;
	store_list_cache_clear(cache);
	cache->nwords = nwords;
	if (store_prepare(store, store_list_sql("SELECT " STORE_ENTRY_COLUMNS,
	    flags, nwords, " ORDER BY e.day DESC, e.id DESC LIMIT ? OFFSET ?"),
	    &cache->rows, err) == -1 ||
	    store_prepare(store, store_list_sql("SELECT count(*)", flags,
	    nwords, ""), &cache->count, err) == -1) {
		store_list_cache_clear(cache);
		return -1;
	}
	return 0;
}

/* Bind the filter values in fragment order; returns the next index. */
static int
store_list_bind(sqlite3_stmt *stmt, const struct store_query *query,
    const struct store_words *words)
{
	int	index = 1;
	size_t	i;

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (query->has_since)
		store_bind_day(stmt, index++, query->since);
	if (query->has_until)
		store_bind_day(stmt, index++, query->until);
	if (query->tag != NULL)
		store_bind_text(stmt, index++, query->tag);
	for (i = 0; i < words->n; i++)
		store_bind_text(stmt, index++, words->word[i]);
	return index;
}

/* Read one integer from a statement that returns one row. */
static int
store_scalar(struct store *store, sqlite3_stmt *stmt, int64_t *value,
    struct kl_error *err)
{
	int	rc = store_step(store, stmt, err);

	if (rc == -1)
		return -1;
	*value = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	return 0;
}

/* Count the matches; day_counts answers when only days filter. */
static int
store_list_total(struct store *store, const struct store_query *query,
    unsigned flags, const struct store_words *words,
    struct store_list_cache *cache, int64_t *total, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	if ((flags & ~(unsigned)(STORE_LIST_SINCE | STORE_LIST_UNTIL)) != 0) {
		store_list_bind(cache->count, query, words);
		return store_scalar(store, cache->count, total, err);
	}
	stmt = store_stmt(store, STMT_DAY_TOTAL);
	store_bind_text(stmt, 1, "0000-00-00");
	store_bind_text(stmt, 2, "9999-99-99");
	if (query->has_since)
		store_bind_day(stmt, 1, query->since);
	if (query->has_until)
		store_bind_day(stmt, 2, query->until);
	return store_scalar(store, stmt, total, err);
}

/* Append the ENTRY of every row of a bound statement to array. */
static int
store_list_rows(struct store *store, sqlite3_stmt *stmt, json_t *array,
    struct kl_error *err)
{
	json_t	*entry;
	int	 rc;

	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		if (store_entry_from_row(store, stmt, &entry, err) == -1) {
			sqlite3_reset(stmt);
			return -1;
		}
		json_array_append_new(array, entry);
	}
	sqlite3_reset(stmt);
	return rc == -1 ? -1 : 0;
}

/* Run a list query with its cached statements. */
static int
store_list_run(struct store *store, const struct store_query *query,
    const struct store_words *words, json_t *array, int64_t *total,
    struct kl_error *err)
{
	struct store_list_cache	*cache;
	unsigned		 flags = store_list_flags(query, words);
	int			 index;

	if (store_list_prepare(store, flags, words->n, &cache, err) == -1)
		return -1;
	if (store_list_total(store, query, flags, words, cache, total,
	    err) == -1)
		return -1;
	index = store_list_bind(cache->rows, query, words);
	sqlite3_bind_int64(cache->rows, index, query->limit < 0 ? -1 :
	    query->limit);
	sqlite3_bind_int64(cache->rows, index + 1, query->offset < 0 ? 0 :
	    query->offset);
	return store_list_rows(store, cache->rows, array, err);
}

/* Entries matching query, newest day first, and the number of matches. */
int
store_entry_list(struct store *store, const struct store_query *query,
    json_t **entries, int64_t *total, struct kl_error *err)
{
	struct store_words	words;
	int			rc;

	*entries = json_array();
	*total = 0;
	store_words_split(query->grep, &words);
	rc = store_list_run(store, query, &words, *entries, total, err);
	store_words_free(&words);
	if (rc == -1) {
		json_decref(*entries);
		*entries = NULL;
	}
	return rc;
}

/* The day a column holds, or KL_ERR_STORAGE if it holds none. */
static int
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

/* Append one counted day of the current row to a growing array. */
static int
store_days_append(sqlite3_stmt *stmt, kl_day **days, size_t *ndays,
    size_t *alloc, struct kl_error *err)
{
	kl_day	day;

	if (store_column_day(stmt, 0, &day, err) == -1)
		return -1;
	if (*ndays == *alloc) {
		*alloc = *alloc == 0 ? 64 : *alloc * 2;
		*days = xreallocarray(*days, *alloc, sizeof **days);
	}
	(*days)[(*ndays)++] = day;
	return 0;
}

/* The counted days in ascending order and the number of live entries. */
int
store_days(struct store *store, kl_day **days, size_t *ndays,
    int64_t *entries, struct kl_error *err)
{
	struct store_days_cache	*c = &store->days;
	sqlite3_stmt		*stmt;
	size_t			 alloc = 0;
	int			 rc;

	*days = NULL;
	*ndays = 0;
	*entries = 0;
	if (store_days_fresh(store)) {
		if (c->ndays > 0) {
			*days = xreallocarray(NULL, c->ndays, sizeof **days);
			memcpy(*days, c->days, c->ndays * sizeof **days);
		}
		*ndays = c->ndays;
		*entries = c->entries;
		return 0;
	}
	stmt = store_stmt(store, STMT_DAYS);
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		if (store_days_append(stmt, days, ndays, &alloc, err) == -1) {
			rc = -1;
			break;
		}
		*entries += sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc == -1) {
		free(*days);
		*days = NULL;
		*ndays = 0;
		return -1;
	}
	free(c->days);
	c->days = NULL;
	if (*ndays > 0) {
		c->days = xreallocarray(NULL, *ndays, sizeof *c->days);
		memcpy(c->days, *days, *ndays * sizeof *c->days);
	}
	c->ndays = c->alloc = *ndays;
	c->entries = *entries;
	c->changes = sqlite3_total_changes64(store->db);
	c->valid = true;
	return 0;
}

bool
store_day_cached(struct store *store, kl_day day, bool *logged)
{
	size_t	i;

	if (!store_days_fresh(store))
		return false;
	i = store_days_find(&store->days, day);
	*logged = i < store->days.ndays && store->days.days[i] == day;
	return true;
}

/* The value stored under key, or NULL; *value is a new string. */
int
store_setting_get(struct store *store, const char *key, char **value,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_SETTING_GET);
	const char	*text;
	int		 rc;

	*value = NULL;
	store_bind_text(stmt, 1, key);
	rc = store_step(store, stmt, err);
	if (rc == -1)
		return -1;
	if (rc == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(stmt, 0);
		if (text != NULL)
			*value = xstrdup(text);
	}
	sqlite3_reset(stmt);
	return 0;
}

/* Store value under key (NULL removes it) in its own transaction. */
int
store_setting_set(struct store *store, const char *key, const char *value,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	if (store_begin(store, err) == -1)
		return -1;
	if (value == NULL) {
		stmt = store_stmt(store, STMT_SETTING_DELETE);
		store_bind_text(stmt, 1, key);
	} else {
		stmt = store_stmt(store, STMT_SETTING_SET);
		store_bind_text(stmt, 1, key);
		store_bind_text(stmt, 2, value);
	}
	if (store_run(store, stmt, err) == -1)
		return store_rollback(store);
	return store_commit(store, NULL, err);
}

/* Create the file 0600 if missing; find out whether we may write it. */
static int
store_create_file(const char *path, bool *readonly, struct kl_error *err)
{
	int	fd;

	*readonly = false;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1 && (errno == EACCES || errno == EROFS ||
	    errno == EPERM)) {
		*readonly = true;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd == -1)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot open database %s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

/* What to do about a file we refuse to open (it is never modified). */
#define STORE_DAMAGED_ADVICE "; it was left untouched: restore a backup " \
	"(kindlogd(1), BACKUPS) or move it aside to start a new one"

/* Read one integer with a one-off query during open. */
static int
store_query_int(struct store *store, const char *path, const char *sql,
    int *value, struct kl_error *err)
{
	sqlite3_stmt	*stmt = NULL;
	int		 rc;

	rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*value = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot open database %s: %s" STORE_DAMAGED_ADVICE, path,
		    sqlite3_errmsg(store->db));
	return 0;
}

/* Refuse, before writing anything, a file that is not ours to migrate. */
static int
store_check(struct store *store, const char *path, int *version,
    struct kl_error *err)
{
	int	app, objects;

	if (store_query_int(store, path, "PRAGMA user_version", version,
	    err) == -1 ||
	    store_query_int(store, path, "PRAGMA application_id", &app,
	    err) == -1 ||
	    store_query_int(store, path, "SELECT count(*) FROM sqlite_schema",
	    &objects, err) == -1)
		return -1;
	if (*version > STORE_SCHEMA_VERSION)
		return kl_error_set(err, KL_ERR_STORAGE, "database schema "
		    "version %d is newer than this kindlogd supports (%d); "
		    "upgrade kindlog", *version, STORE_SCHEMA_VERSION);
	if ((app != 0 && app != STORE_APPLICATION_ID) ||
	    (*version == 0 && objects > 0) ||
	    (*version > 0 && app != STORE_APPLICATION_ID))
		return kl_error_set(err, KL_ERR_STORAGE,
		    "%s is not a kindlog database" STORE_DAMAGED_ADVICE, path);
	if (store->readonly && *version < STORE_SCHEMA_VERSION)
		return kl_error_set(err, KL_ERR_STORAGE, "database %s is "
		    "read-only and needs schema version %d", path,
		    STORE_SCHEMA_VERSION);
	return 0;
}

/* Switch to WAL journaling, checking that SQLite agreed. */
static int
store_wal(struct store *store, const char *path, struct kl_error *err)
{
	sqlite3_stmt	*stmt = NULL;
	const char	*mode = NULL;
	int		 rc, wal = 0;

	rc = sqlite3_prepare_v2(store->db, "PRAGMA journal_mode = WAL", -1,
	    &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		mode = (const char *)sqlite3_column_text(stmt, 0);
		wal = mode != NULL && strcmp(mode, "wal") == 0;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot open database %s: %s", path,
		    sqlite3_errmsg(store->db));
	if (!wal)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot open database %s: cannot use WAL journal mode",
		    path);
	return 0;
}

/* Set the connection pragmas; WAL only when we may write. */
static int
store_configure(struct store *store, const char *path, struct kl_error *err)
{
	char	 sql[192];

	/*
	 * Imports stage into temp tables; a rollback journal on disk for
	 * them doubled every staged page's writes, and they die with the
	 * connection anyway.
	 */
	snprintf(sql, sizeof sql, "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -%d;"
	    "PRAGMA mmap_size = 0; PRAGMA temp.journal_mode = MEMORY;",
	    STORE_CACHE_KIB);
	if (store_exec_sql(store, sql, err) == -1)
		return -1;
	if (store->readonly)
		return 0;
	return store_wal(store, path, err);
}

/*
 * Apply the next migration, if any, in one transaction. The version is
 * read again under the write lock in case another process migrated first.
 */
static int
store_migrate_next(struct store *store, const char *path, int target,
    bool *done, struct kl_error *err)
{
	char	*sql;
	int	 version, rc;

	if (store_exec_sql(store, "BEGIN IMMEDIATE", err) == -1)
		return -1;
	if (store_query_int(store, path, "PRAGMA user_version", &version,
	    err) == -1)
		return store_rollback(store);
	*done = version >= target;
	if (*done)
		return store_exec_sql(store, "COMMIT", err);
	sql = xasprintf("%s; PRAGMA user_version = %d; COMMIT;",
	    store_migrations[version], version + 1);
	rc = store_exec_sql(store, sql, err);
	free(sql);
	if (rc == -1)
		return store_rollback(store);
	return 0;
}

/* Bring the schema up to version target. */
static int
store_migrate(struct store *store, const char *path, int version,
    int target, struct kl_error *err)
{
	bool	done = version >= target;

	while (!done) {
		if (store_migrate_next(store, path, target, &done, err) == -1)
			return -1;
	}
	return 0;
}

/* Prepare every fixed statement once for the life of the store. */
static int
store_prepare_all(struct store *store, struct kl_error *err)
{
	int	i;

	for (i = 0; i < STMT_COUNT; i++) {
		if (store_prepare(store, xstrdup(store_stmt_sql[i]),
		    &store->stmt[i], err) == -1)
			return -1;
	}
	return 0;
}

static void store_sql_routine_key(sqlite3_context *, int, sqlite3_value **);

/* A file: URI for path with the query appended, escaping %, ? and #. */
static char *
store_uri(const char *path, const char *query)
{
	char	*uri = NULL;
	size_t	 len = 0;
	FILE	*f;

	if ((f = open_memstream(&uri, &len)) == NULL)
		fatal("open_memstream");
	fputs("file:", f);
	for (; *path != '\0'; path++) {
		if (*path == '%' || *path == '?' || *path == '#')
			fprintf(f, "%%%02X", (unsigned char)*path);
		else
			fputc(*path, f);
	}
	fprintf(f, "?%s", query);
	if (fclose(f) != 0)
		fatal("open_memstream");
	return uri;
}

/*
 * The name to give sqlite3_open_v2. A read-only WAL database needs a
 * -shm file we cannot create, so unless a -wal file shows a writer may be
 * around, open it immutable: nothing is locked, created or written.
 */
static char *
store_open_name(const struct store *store, const char *path)
{
	char	*wal;
	bool	 has_wal;

	if (!store->readonly)
		return xstrdup(path);
	wal = xasprintf("%s-wal", path);
	has_wal = access(wal, F_OK) == 0;
	free(wal);
	if (has_wal)
		return xstrdup(path);
	return store_uri(path, "immutable=1");
}

/*
 * Process-wide SQLite settings, before its first use:
 * - only the loop thread uses SQLite, so connections need no mutexes,
 *   and kindlog never asks for SQLite's memory statistics, whose
 *   bookkeeping took a global mutex on every allocation;
 * - no up-front block of 20 pages per page cache: SQLite allocated one
 *   for the main and one for the temp database (~85 KiB each, all of it
 *   resident), and store_release_memory cannot give such a block back.
 *   Pages are allocated one by one as the cache fills instead.
 * A larger statement-journal spill threshold (SQLITE_CONFIG_STMTJRNL_SPILL)
 * would keep each request's savepoint undo images off the disk, but with
 * it SQLite 3.40 failed the commit of a 1,000,000-entry import with
 * SQLITE_FULL and no failed system call.
 */
static void
store_configure_sqlite(void)
{
	static bool	done;

	if (done)
		return;
	done = true;
	/* SQLITE_MISUSE if SQLite is already initialised: keep its defaults. */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, 0);
}

/* Open the SQLite connection itself, read-write or read-only. */
static int
store_connect(struct store *store, const char *path, struct kl_error *err)
{
	char	*name = store_open_name(store, path);
	int	 flags, rc;

	store_configure_sqlite();
	flags = store->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	rc = sqlite3_open_v2(name, &store->db, flags | SQLITE_OPEN_NOMUTEX |
	    SQLITE_OPEN_URI, NULL);
	free(name);
	if (rc != SQLITE_OK)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot open database %s: %s", path, store->db != NULL ?
		    sqlite3_errmsg(store->db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(store->db, 1);
	sqlite3_busy_timeout(store->db, STORE_BUSY_TIMEOUT_MS);
	/* Migrations and imports need it, so before either. */
	if (sqlite3_create_function(store->db, "kindlog_routine_key", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, store_sql_routine_key,
	    NULL, NULL) != SQLITE_OK)
		return store_sqlite_error(store, sqlite3_extended_errcode(
		    store->db), err);
	return 0;
}

/* Open (creating 0600 if missing) and migrate the database at path. */
int
store_open(const char *path, struct store **out, struct kl_error *err)
{
	struct store	*store = xcalloc(1, sizeof *store);
	int		 version;

	*out = NULL;
	if (store_create_file(path, &store->readonly, err) == -1 ||
	    store_connect(store, path, err) == -1 ||
	    store_check(store, path, &version, err) == -1 ||
	    store_configure(store, path, err) == -1 ||
	    store_migrate(store, path, version, STORE_SCHEMA_VERSION,
	    err) == -1 ||
	    store_prepare_all(store, err) == -1) {
		store_close(store);
		return -1;
	}
	*out = store;
	return 0;
}

/* Create (or migrate) the database at path only up to schema version. */
int
store_create_version(const char *path, int version, struct kl_error *err)
{
	struct store	*store = xcalloc(1, sizeof *store);
	int		 current, rc = -1;

	if (version < 1 || version > STORE_SCHEMA_VERSION)
		kl_error_set(err, KL_ERR_INTERNAL, "no schema version %d",
		    version);
	else if (store_create_file(path, &store->readonly, err) == 0 &&
	    store_connect(store, path, err) == 0 &&
	    store_check(store, path, &current, err) == 0 &&
	    store_configure(store, path, err) == 0)
		rc = store_migrate(store, path, current, version, err);
	store_close(store);
	return rc;
}

/* Finalize every statement and close the database. */
void
store_close(struct store *store)
{
	size_t	i;

	if (store == NULL)
		return;
	for (i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(store->stmt[i]);
	for (i = 0; i < STORE_LIST_COMBINATIONS; i++)
		store_list_cache_clear(&store->list[i]);
	free(store->days.days);
	sqlite3_close(store->db);
	free(store);
}

void
store_batch_begin(struct store *store)
{
	store->batch = (struct store_batch){ .active = true };
}

/*
 * Commit the writes a batch has made so far and keep the batch going: the
 * next write opens a new transaction. A failure fails the whole batch.
 */
static int
store_batch_sync(struct store *store, struct kl_error *err)
{
	if (!store->batch.active || !store->batch.open)
		return 0;
	store->batch.open = false;
	if (store_run(store, store_stmt(store, STMT_COMMIT), err) == 0)
		return 0;
	store_days_forget(store);
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	store->batch.failed = true;
	return -1;
}

int
store_batch_commit(struct store *store, struct kl_error *err)
{
	struct store_batch	batch = store->batch;

	store->batch = (struct store_batch){ 0 };
	if (batch.failed) {
		store_days_forget(store);
		return kl_error_set(err, KL_ERR_STORAGE, "storage failure: "
		    "the transaction of this batch was rolled back");
	}
	if (!batch.open)
		return 0;
	if (store_run(store, store_stmt(store, STMT_COMMIT), err) == 0)
		return 0;
	return store_rollback(store);
}

/* True when the database could only be opened read-only. */
bool
store_readonly(const struct store *store)
{
	return store->readonly;
}

const char *
store_library_version(void)
{
	return sqlite3_libversion();
}

/*
 * Give back what SQLite holds for speed alone: the page cache and the
 * prepared statements (~150 KiB after adds, most of it the insert with
 * its trigger programs), prepared again on their next use.
 */
void
store_release_memory(struct store *store)
{
	size_t	i;

	for (i = 0; i < STMT_COUNT; i++) {
		sqlite3_finalize(store->stmt[i]);
		store->stmt[i] = NULL;
	}
	for (i = 0; i < STORE_LIST_COMBINATIONS; i++)
		store_list_cache_clear(&store->list[i]);
	sqlite3_db_release_memory(store->db);
}

/* One of SQLite's per-connection memory figures, in bytes. */
static size_t
store_db_status(struct store *store, int op)
{
	int	used = 0, highwater;

	sqlite3_db_status(store->db, op, &used, &highwater, 0);
	return used > 0 ? (size_t)used : 0;
}

size_t
store_cache_used(struct store *store)
{
	return store_db_status(store, SQLITE_DBSTATUS_CACHE_USED);
}

size_t
store_statements_used(struct store *store)
{
	return store_db_status(store, SQLITE_DBSTATUS_STMT_USED);
}

/* The SQL function kindlog_routine_key(text): routine_key() for grouping. */
static void
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

/*
 * Prepare a one-off query whose ?1 and ?2 are the ends of range (open ends
 * bound to bounds every YYYY-MM-DD day sorts between).
 */
static int
store_range_prepare(struct store *store, const char *sql,
    const struct store_range *range, sqlite3_stmt **stmt,
    struct kl_error *err)
{
	int	rc = sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	store_bind_text(*stmt, 1, "0000-00-00");
	store_bind_text(*stmt, 2, "9999-99-99");
	if (range != NULL && range->has_since)
		store_bind_day(*stmt, 1, range->since);
	if (range != NULL && range->has_until)
		store_bind_day(*stmt, 2, range->until);
	return 0;
}

/* The days in range with live entries, ascending, with counts. */
int
store_day_counts(struct store *store, const struct store_range *range,
    struct store_day_count **days, size_t *ndays, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	size_t		 alloc = 0;
	int		 rc;

	*days = NULL;
	*ndays = 0;
	if (store_range_prepare(store, "SELECT day, n FROM day_counts"
	    " WHERE day BETWEEN ?1 AND ?2 ORDER BY day", range, &stmt,
	    err) == -1)
		return -1;
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		if (*ndays == alloc) {
			alloc = alloc == 0 ? 64 : alloc * 2;
			*days = xreallocarray(*days, alloc, sizeof **days);
		}
		if ((rc = store_column_day(stmt, 0, &(*days)[*ndays].day,
		    err)) == -1)
			break;
		(*days)[(*ndays)++].count = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc == -1) {
		free(*days);
		*days = NULL;
		*ndays = 0;
		return -1;
	}
	return 0;
}

/* The number of thanked live entries in range. */
int
store_thanked_count(struct store *store, const struct store_range *range,
    int64_t *thanked, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (store_range_prepare(store, "SELECT coalesce(sum(thanked), 0)"
	    " FROM day_counts WHERE day BETWEEN ?1 AND ?2", range, &stmt,
	    err) == -1)
		return -1;
	rc = store_scalar(store, stmt, thanked, err);
	sqlite3_finalize(stmt);
	return rc;
}

/* The most used tags in range as [{"tag", "count"}]. */
int
store_top_tags(struct store *store, const struct store_range *range,
    int limit, json_t **tags, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*tags = NULL;
	if (store_range_prepare(store, "SELECT tag, sum(n) AS total"
	    " FROM tag_day_counts WHERE day BETWEEN ?1 AND ?2"
	    " GROUP BY tag ORDER BY total DESC, tag LIMIT ?3", range, &stmt,
	    err) == -1)
		return -1;
	sqlite3_bind_int(stmt, 3, limit);
	*tags = json_array();
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW)
		json_array_append_new(*tags, json_pack("{s:s, s:I}", "tag",
		    (const char *)sqlite3_column_text(stmt, 0), "count",
		    (json_int_t)sqlite3_column_int64(stmt, 1)));
	sqlite3_finalize(stmt);
	if (rc == -1) {
		json_decref(*tags);
		*tags = NULL;
		return -1;
	}
	return 0;
}

/*
 * Repeated tags from the per-tag-day counts, then repeated texts: over the
 * whole log from routine_counts, over a range by grouping its entries.
 */
#define STORE_ROUTINE_TAGS \
	"SELECT 'tag:' || tag AS key, sum(n) AS n, max(day),"		\
	"  max(thanked_max) FROM tag_day_counts"			\
	" WHERE day BETWEEN ?1 AND ?2 GROUP BY tag HAVING sum(n) >= 2"	\
	" UNION ALL "
#define STORE_ROUTINE_ORDER " ORDER BY 2 DESC, 1 LIMIT ?3"

/* Repeated gestures in range, by tag and by routine_key() of the text. */
int
store_routine(struct store *store, const struct store_range *range,
    int limit, json_t **routine, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	json_t		*item, *thanked;
	const char	*sql;
	int		 rc;

	*routine = NULL;
	if (range == NULL || (!range->has_since && !range->has_until))
		sql = STORE_ROUTINE_TAGS
		    "SELECT * FROM (SELECT 'text:' || key, n, last_day,"
		    "  last_thanked FROM routine_counts WHERE n >= 2"
		    "  ORDER BY n DESC, key LIMIT ?3)" STORE_ROUTINE_ORDER;
	else
		sql = STORE_ROUTINE_TAGS
		    "SELECT 'text:' || routine_key, count(*), max(day),"
		    "  max(thanked_at) FROM entries"
		    "  WHERE deleted_at IS NULL AND day BETWEEN ?1 AND ?2"
		    "  GROUP BY routine_key"
		    "  HAVING count(*) >= 2 AND routine_key <> ''"
		    STORE_ROUTINE_ORDER;
	if (store_range_prepare(store, sql, range, &stmt, err) == -1)
		return -1;
	sqlite3_bind_int(stmt, 3, limit);
	*routine = json_array();
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		thanked = sqlite3_column_type(stmt, 3) == SQLITE_NULL ?
		    json_null() : store_column_time(stmt, 3);
		item = json_pack("{s:s, s:I, s:s, s:o}",
		    "key", (const char *)sqlite3_column_text(stmt, 0),
		    "count", (json_int_t)sqlite3_column_int64(stmt, 1),
		    "last_day", (const char *)sqlite3_column_text(stmt, 2),
		    "last_thanked", thanked);
		if (item != NULL)
			json_array_append_new(*routine, item);
	}
	sqlite3_finalize(stmt);
	if (rc == -1) {
		json_decref(*routine);
		*routine = NULL;
		return -1;
	}
	return 0;
}

/* One page of an export: live entries after the cursor, by day then id. */
int
store_entry_page(struct store *store, const struct store_cursor *after,
    int64_t limit, size_t max_bytes, json_t **entries,
    struct store_cursor *last, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	json_t		*entry;
	size_t		 bytes = 0;
	int		 rc;

	*entries = NULL;
	rc = sqlite3_prepare_v2(store->db, "SELECT " STORE_ENTRY_COLUMNS
	    " FROM entries e WHERE e.deleted_at IS NULL"
	    " AND (e.day, e.id) > (?1, ?2) ORDER BY e.day, e.id LIMIT ?3",
	    -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	if (after != NULL)
		store_bind_day(stmt, 1, after->day);
	else
		sqlite3_bind_text(stmt, 1, "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, after != NULL ? after->id : 0);
	sqlite3_bind_int64(stmt, 3, limit);
	*entries = json_array();
	while (bytes < max_bytes &&
	    (rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		bytes += (size_t)sqlite3_column_bytes(stmt, 3) + 256;
		if ((rc = store_column_day(stmt, 2, &last->day, err)) == -1)
			break;
		last->id = sqlite3_column_int64(stmt, 0);
		if ((rc = store_entry_from_row(store, stmt, &entry, err)) == -1)
			break;
		json_array_append_new(*entries, entry);
	}
	sqlite3_finalize(stmt);
	if (rc == -1) {
		json_decref(*entries);
		*entries = NULL;
		return -1;
	}
	return 0;
}

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
	"  records INTEGER NOT NULL DEFAULT 0"
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
	");";

/* The rowid of session ?1, which its staged rows carry. */
#define STORE_IMPORT_KEY \
	"(SELECT rowid FROM temp.import_sessions WHERE id = ?1)"

/* Run sql with ?1 bound to a text value and ?2 to an integer. */
static int
store_import_exec(struct store *store, const char *sql, const char *text,
    int64_t value, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	if (text != NULL)
		store_bind_text(stmt, 1, text);
	sqlite3_bind_int64(stmt, 2, value);
	rc = store_step(store, stmt, err);
	sqlite3_finalize(stmt);
	return rc == -1 ? -1 : 0;
}

/* The one value of a single-row, single-column query (?1 text, ?2). */
static int
store_import_scalar(struct store *store, const char *sql, const char *text,
    int64_t arg, int64_t *value, bool *found, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*found = false;
	*value = 0;
	rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	if (text != NULL)
		store_bind_text(stmt, 1, text);
	if (sqlite3_bind_parameter_count(stmt) >= 2)
		sqlite3_bind_int64(stmt, 2, arg);
	rc = store_step(store, stmt, err);
	if (rc == SQLITE_ROW) {
		*found = true;
		*value = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return rc == -1 ? -1 : 0;
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
	static const char *const sql[2][2] = { {
		"DELETE FROM temp.import_staged WHERE session IN (SELECT rowid"
		" FROM temp.import_sessions WHERE last_active < ?2)",
		"DELETE FROM temp.import_sessions WHERE last_active < ?2",
	}, {
		"DELETE FROM temp.import_staged WHERE session = "
		STORE_IMPORT_KEY,
		"DELETE FROM temp.import_sessions WHERE id = ?1",
	} };
	/* The last session empties the tables whole, without a b-tree walk. */
	static const char *const all[2] = {
		"DELETE FROM temp.import_staged",
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
	for (i = 0; i < 2; i++) {
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
	    store_import_scalar(store, "SELECT records FROM"
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

/* Stage one record, its tags as a JSON array (NULL when it has none). */
static int
store_import_stage_one(struct store *store, sqlite3_stmt *row, int64_t key,
    const struct store_import_record *r, struct kl_error *err)
{
	/* At most 16 tags of at most 32 bytes, quoted, with commas. */
	char	tags[16 * 35 + 3];
	size_t	len = 0;

	sqlite3_reset(row);
	sqlite3_bind_int64(row, 1, key);
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
		sqlite3_bind_text(row, 9, tags, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_null(row, 9);
	return store_run(store, row, err);
}

/* Stage n validated records in session (one temp-only transaction). */
int
store_import_stage(struct store *store, const char *session,
    const struct store_import_record *records, size_t n,
    struct kl_error *err)
{
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
	if (sqlite3_prepare_v2(store->db, "INSERT INTO temp.import_staged"
	    " (session, uuid, day, text, created_at, updated_at, thanked_at,"
	    " thanked_how, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    -1, &row, NULL) != SQLITE_OK) {
		store_sqlite_error(store, sqlite3_extended_errcode(store->db),
		    err);
		goto out;
	}
	if (store_begin(store, err) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (store_import_stage_one(store, row, key, &records[i],
		    err) == -1) {
			store_rollback(store);
			goto out;
		}
	}
	if (store_import_exec(store, "UPDATE temp.import_sessions SET"
	    " records = records + ?2 WHERE id = ?1", session, (int64_t)n,
	    err) == -1 || store_commit(store, NULL, err) == -1) {
		store_rollback(store);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(row);
	return rc;
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
	int		 rc;

	for (i = 0; i < STORE_IMPORT_TRIGGERS; i++) {
		rc = sqlite3_prepare_v2(store->db, "SELECT sql FROM"
		    " main.sqlite_master WHERE type = 'trigger' AND name = ?1",
		    -1, &stmt, NULL);
		if (rc != SQLITE_OK)
			return store_sqlite_error(store, rc, err);
		store_bind_text(stmt, 1, store_import_triggers[i]);
		rc = store_step(store, stmt, err);
		if (rc == SQLITE_ROW)
			sql[i] = xstrdup((const char *)
			    sqlite3_column_text(stmt, 0));
		sqlite3_finalize(stmt);
		if (rc == -1)
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

static int
store_import_apply(struct store *store, const char *session,
    int64_t records, int64_t *added, struct kl_error *err)
{
	char	*trigger[STORE_IMPORT_TRIGGERS] = { NULL };
	int64_t	 max_id;
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

/* The latest thank-you of a routine group over the whole log, or null. */
int
store_routine_thanked(struct store *store, const char *key, json_t **at,
    struct kl_error *err)
{
	const char	*sql, *value;
	sqlite3_stmt	*stmt;
	int		 rc;

	*at = NULL;
	if (strncmp(key, "tag:", 4) == 0) {
		sql = "SELECT max(thanked_max) FROM tag_day_counts"
		    " WHERE tag = ?1";
		value = key + 4;
	} else if (strncmp(key, "text:", 5) == 0) {
		sql = "SELECT (SELECT last_thanked FROM routine_counts"
		    " WHERE key = ?1)";
		value = key + 5;
	} else
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "not a routine key: %.64s", key);
	rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	store_bind_text(stmt, 1, value);
	rc = store_step(store, stmt, err);
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_type(stmt, 0) == SQLITE_NULL ?
		    json_null() : store_column_time(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == -1 ? -1 : 0;
}

/* The one entry (or none) a one-row entry query finds. */
static int
store_entry_pick(struct store *store, sqlite3_stmt *stmt, json_t **entry,
    struct kl_error *err)
{
	int	rc = store_step(store, stmt, err);

	*entry = NULL;
	if (rc == SQLITE_ROW)
		rc = store_entry_from_row(store, stmt, entry, err);
	sqlite3_finalize(stmt);
	return rc == -1 ? -1 : 0;
}

/*
 * A live entry from the most recent earlier year on today's month and day.
 * day_counts is searched first: it has a row per day, not per entry.
 */
int
store_entry_anniversary(struct store *store, kl_day today, json_t **entry,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	char		 buf[DAY_ISO_LEN];
	int		 rc;

	*entry = NULL;
	rc = sqlite3_prepare_v2(store->db, "SELECT " STORE_ENTRY_COLUMNS
	    " FROM entries e WHERE e.deleted_at IS NULL AND e.day ="
	    " (SELECT day FROM day_counts WHERE day < ?1"
	    "  AND substr(day, 5) = substr(?1, 5) ORDER BY day DESC LIMIT 1)"
	    " ORDER BY random() LIMIT 1", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	sqlite3_bind_text(stmt, 1, day_format(today, buf), -1,
	    SQLITE_TRANSIENT);
	return store_entry_pick(store, stmt, entry, err);
}

/* A live entry from a random day before day, or none. */
int
store_entry_random_before(struct store *store, kl_day day, json_t **entry,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*entry = NULL;
	rc = sqlite3_prepare_v2(store->db, "SELECT " STORE_ENTRY_COLUMNS
	    " FROM entries e WHERE e.deleted_at IS NULL AND e.day ="
	    " (SELECT day FROM day_counts WHERE day < ?1"
	    "  ORDER BY random() LIMIT 1)"
	    " ORDER BY random() LIMIT 1", -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	store_bind_day(stmt, 1, day);
	return store_entry_pick(store, stmt, entry, err);
}

/* ------------------------------------------------------------- backup */

struct store_backup {
	struct store	*store;
	sqlite3		*dest;
	sqlite3_backup	*job;
	char		*path;
	char		*temp;
};

struct store_backup *
store_backup_start(struct store *store, const char *path,
    struct kl_error *err)
{
	struct store_backup	*b = xcalloc(1, sizeof *b);
	int			 fd;

	b->store = store;
	b->path = xstrdup(path);
	b->temp = xasprintf("%s.tmp", path);
	unlink(b->temp);
	/* Created 0600 here, so SQLite never makes it with the umask. */
	fd = open(b->temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot create %s: %s",
		    b->temp, strerror(errno));
		free(b->temp);
		b->temp = NULL;
		store_backup_free(b);
		return NULL;
	}
	close(fd);
	if (sqlite3_open_v2(b->temp, &b->dest, SQLITE_OPEN_READWRITE,
	    NULL) != SQLITE_OK ||
	    (b->job = sqlite3_backup_init(b->dest, "main", store->db,
	    "main")) == NULL) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot back up to %s: %s",
		    b->temp, b->dest != NULL ? sqlite3_errmsg(b->dest) :
		    "out of memory");
		store_backup_free(b);
		return NULL;
	}
	return b;
}

/* Make the finished copy durable and give it its name. */
static int
store_backup_install(struct store_backup *b, struct kl_error *err)
{
	int	fd;

	sqlite3_close(b->dest);
	b->dest = NULL;
	fd = open(b->temp, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fsync(fd) != 0 || rename(b->temp, b->path) != 0) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot write %s: %s",
		    b->path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	free(b->temp);
	b->temp = NULL;		/* nothing left to remove */
	return 0;
}

int
store_backup_step(struct store_backup *b, int pages, struct kl_error *err)
{
	int	rc;

	/*
	 * The copy must not see uncommitted pages of our own connection
	 * (a group commit batch). A slice waits for the batch; a whole copy
	 * asked for by a request commits the batch's writes so far first,
	 * which is allowed: their replies are still held until the flush.
	 */
	if (!sqlite3_get_autocommit(b->store->db)) {
		if (pages > 0)
			return 1;
		if (store_batch_sync(b->store, err) != 0)
			return -1;
	}
	rc = sqlite3_backup_step(b->job, pages);
	if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return 1;
	sqlite3_backup_finish(b->job);
	b->job = NULL;
	if (rc == SQLITE_DONE)
		return store_backup_install(b, err);
	return kl_error_set(err, KL_ERR_STORAGE, "backup to %s failed: %s",
	    b->path, sqlite3_errstr(rc));
}

void
store_backup_free(struct store_backup *b)
{
	if (b == NULL)
		return;
	if (b->job != NULL)
		sqlite3_backup_finish(b->job);
	if (b->dest != NULL)
		sqlite3_close(b->dest);
	if (b->temp != NULL)
		unlink(b->temp);
	free(b->temp);
	free(b->path);
	free(b);
}
