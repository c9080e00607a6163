/*
 * The schema: one migration per version, each in its own transaction,
 * and the checks that refuse, before anything is written, a file that is
 * not a kindlog database or has a schema newer than this build's.
 */
#include <stdlib.h>

#include "store-int.h"
#include "xmalloc.h"

/* PRAGMA application_id: "KLOG". */
#define STORE_APPLICATION_ID 0x4b4c4f47

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

	/*
	 * v3: reflections, the answers to kindlog reflect's questions. A
	 * reflection is written once and read whole; its answers keep the
	 * order they were asked in.
	 */
	"CREATE TABLE reflections ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  day TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX reflections_day ON reflections(day, id);"
	"CREATE TABLE reflection_answers ("
	"  reflection_id INTEGER NOT NULL"
	"    REFERENCES reflections(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  question TEXT NOT NULL,"
	"  answer TEXT NOT NULL,"
	"  PRIMARY KEY (reflection_id, position)"
	") WITHOUT ROWID;",

	/*
	 * v4: sync between devices (doc/sync.md). Kept compact: entries are
	 * referred to by rowid, devices by a small id, operation kinds are
	 * small integers, clocks one integer each. sync_entry holds, per
	 * entry, the clock and device of the last write of each field
	 * (created, text, day, thanked, deleted, updated); sync_tags the same
	 * per tag, present or removed. sync_outbox holds this device's
	 * operations not yet written to the folder: their values are read
	 * from the entry when they are written. sync_files remembers the
	 * peers' files applied (or skipped, with why); sync_unknown keeps
	 * the lines of operations this version does not know.
	 */
	"CREATE TABLE sync_devices ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  name TEXT,"
	"  last_hlc INTEGER NOT NULL DEFAULT 0,"
	"  ops INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE sync_entry ("
	"  entry INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,"
	"  ch INTEGER, cd INTEGER, th INTEGER, td INTEGER,"
	"  dh INTEGER, dd INTEGER, kh INTEGER, kd INTEGER,"
	"  xh INTEGER, xd INTEGER, uh INTEGER, ud INTEGER"
	");"
	"CREATE TABLE sync_tags ("
	"  entry INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  hlc INTEGER NOT NULL,"
	"  dev INTEGER NOT NULL,"
	"  present INTEGER NOT NULL,"
	"  PRIMARY KEY (entry, tag)"
	") WITHOUT ROWID;"
	"CREATE TABLE sync_outbox ("
	"  seq INTEGER PRIMARY KEY,"
	"  entry INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
	"  kind INTEGER NOT NULL,"
	"  hlc INTEGER NOT NULL,"
	"  tag TEXT"
	");"
	"CREATE TABLE sync_files ("
	"  device INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  mtime INTEGER NOT NULL,"
	"  error TEXT,"
	"  PRIMARY KEY (device, name)"
	") WITHOUT ROWID;"
	"CREATE TABLE sync_unknown ("
	"  device INTEGER NOT NULL,"
	"  hlc INTEGER NOT NULL,"
	"  line TEXT NOT NULL,"
	"  PRIMARY KEY (device, hlc, line)"
	") WITHOUT ROWID;",
};
#define STORE_MIGRATIONS (sizeof store_migrations / sizeof store_migrations[0])

_Static_assert(STORE_MIGRATIONS == STORE_SCHEMA_VERSION,
    "one migration per schema version");

/* What to do about a file we refuse to open (it is never modified). */
#define STORE_DAMAGED_ADVICE "; it was left untouched: restore a backup " \
	"(kindlogd(1), BACKUPS) or move it aside to start a new one"

/* Read one integer with a one-off query during open. */
static int
store_query_int(struct store *store, const char *path, const char *sql,
    int *value, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int64_t		 v;
	bool		 found = false;

	if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
	    store_scalar(store, stmt, STORE_FINALIZE, &v, &found, err) == -1 ||
	    !found)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot open database %s: %s" STORE_DAMAGED_ADVICE, path,
		    sqlite3_errmsg(store->db));
	*value = (int)v;
	return 0;
}

/* Refuse, before writing anything, a file that is not ours to migrate. */
int
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
int
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
