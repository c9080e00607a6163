/*
 * The store of the harnesses that need one (request, import): the
 * daemon's own store_open on a scratch file, then two things the daemon
 * never does, done from here through SQLite's API so that no line of
 * daemon/ knows about them:
 * - synchronous=OFF: a commit writes the WAL and returns, no fsync;
 * - every table emptied after each input, so an input sees the same
 *   empty store whenever it runs: a crash replays from its file alone,
 *   and the store stays small. A store kept across inputs grew by
 *   thousands of entries a minute and the harness slowed with it.
 * Before emptying a store that an input wrote to, fuzz_store_done checks
 * what no reply shows: that the foreign keys hold and that the aggregate
 * tables the triggers keep equal what the entries say. A mismatch
 * aborts while that input is still running, so libFuzzer saves it like
 * a crash.
 * The handle comes from an auto-extension, which SQLite calls for every
 * connection it opens; it is registered only around the one store_open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fuzz.h"
#include "store.h"

/* Tables to empty: SQLite's own (sqlite_sequence) too, but no schema. */
#define FUZZ_TABLES \
	"SELECT 'main', name FROM main.sqlite_schema WHERE type = 'table'" \
	" UNION ALL " \
	"SELECT 'temp', name FROM temp.sqlite_schema WHERE type = 'table'"
#define FUZZ_TABLES_MAX 32

/* Rows in one query's result and not the other's, either way round. */
#define FUZZ_SAME(a, b) \
	"SELECT (SELECT count(*) FROM (" a " EXCEPT " b ")) +" \
	" (SELECT count(*) FROM (" b " EXCEPT " a "))"
#define FUZZ_LIVE "FROM main.entries WHERE deleted_at IS NULL"

/* Each returns one row, 0 when the store is consistent. */
static const char *const fuzz_check_sql[] = {
	"SELECT count(*) FROM pragma_foreign_key_check",
	FUZZ_SAME("SELECT day, count(*), count(thanked_at) " FUZZ_LIVE
	    " GROUP BY day", "SELECT day, n, thanked FROM main.day_counts"),
	FUZZ_SAME("SELECT t.tag, e.day, count(*), max(e.thanked_at)"
	    " FROM main.entry_tags t JOIN main.entries e ON e.id = t.entry_id"
	    " WHERE e.deleted_at IS NULL GROUP BY t.tag, e.day",
	    "SELECT tag, day, n, thanked_max FROM main.tag_day_counts"),
	FUZZ_SAME("SELECT routine_key, count(*), max(day), max(thanked_at) "
	    FUZZ_LIVE " AND routine_key <> '' GROUP BY routine_key",
	    "SELECT key, n, last_day, last_thanked FROM main.routine_counts"),
	("SELECT count(*) FROM main.entries"
	"  WHERE routine_key IS NOT kindlog_routine_key(text)"),
};
#define FUZZ_NCHECK (sizeof fuzz_check_sql / sizeof fuzz_check_sql[0])
static sqlite3_stmt	*fuzz_check[FUZZ_NCHECK];

static sqlite3		*fuzz_db;
static sqlite3_stmt	*fuzz_tables, *fuzz_begin, *fuzz_commit;
/* sqlite3_total_changes64 after the last reset: no change, no reset. */
static sqlite3_int64	 fuzz_changes = -1;
/* One DELETE per table, prepared once; rebuilt when the tables change. */
static struct {
	char		*name;
	sqlite3_stmt	*stmt;
} fuzz_delete[FUZZ_TABLES_MAX];
static size_t		 fuzz_ndelete;

static int
fuzz_store_capture(sqlite3 *db, char **errmsg,
    const struct sqlite3_api_routines *api)
{
	if (fuzz_db == NULL)
		fuzz_db = db;
	return SQLITE_OK;
}

static void __attribute__((noreturn))
fuzz_store_fail(const char *what)
{
	fuzz_die("%s: %s", what, sqlite3_errmsg(fuzz_db));
}

/* Keep the first n DELETE statements, free the rest. */
static void
fuzz_store_truncate(size_t n)
{
	while (fuzz_ndelete > n) {
		fuzz_ndelete--;
		sqlite3_finalize(fuzz_delete[fuzz_ndelete].stmt);
		free(fuzz_delete[fuzz_ndelete].name);
	}
}

struct store *
fuzz_store_open(const char *path)
{
	struct store	*store;
	struct kl_error	 err;
	size_t		 i;

	sqlite3_auto_extension((void (*)(void))fuzz_store_capture);
	if (store_open(path, &store, &err) != 0)
		fuzz_die("%s", err.message);
	sqlite3_cancel_auto_extension((void (*)(void))fuzz_store_capture);
	if (fuzz_db == NULL)
		fuzz_die("store_open opened no connection");
	if (sqlite3_exec(fuzz_db, "PRAGMA synchronous = OFF", NULL, NULL,
	    NULL) != SQLITE_OK)
		fuzz_store_fail("synchronous = OFF");
	if (sqlite3_prepare_v2(fuzz_db, FUZZ_TABLES, -1, &fuzz_tables,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(fuzz_db, "BEGIN", -1, &fuzz_begin,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(fuzz_db, "COMMIT", -1, &fuzz_commit,
	    NULL) != SQLITE_OK)
		fuzz_store_fail("prepare");
	for (i = 0; i < FUZZ_NCHECK; i++) {
		if (sqlite3_prepare_v2(fuzz_db, fuzz_check_sql[i], -1,
		    &fuzz_check[i], NULL) != SQLITE_OK)
			fuzz_store_fail(fuzz_check_sql[i]);
	}
	fuzz_store_done();
	return store;
}

void
fuzz_store_close(struct store *store)
{
	size_t	i;

	for (i = 0; i < FUZZ_NCHECK; i++) {
		sqlite3_finalize(fuzz_check[i]);
		fuzz_check[i] = NULL;
	}
	fuzz_store_truncate(0);
	sqlite3_finalize(fuzz_tables);
	sqlite3_finalize(fuzz_begin);
	sqlite3_finalize(fuzz_commit);
	fuzz_tables = fuzz_begin = fuzz_commit = NULL;
	store_close(store);
	fuzz_db = NULL;
	fuzz_changes = -1;
}

/* Make sure fuzz_delete holds one statement per table, in order. */
static void
fuzz_store_tables(void)
{
	const char	*schema, *name;
	char		*sql, full[160];
	size_t		 n = 0;

	while (sqlite3_step(fuzz_tables) == SQLITE_ROW) {
		schema = (const char *)sqlite3_column_text(fuzz_tables, 0);
		name = (const char *)sqlite3_column_text(fuzz_tables, 1);
		snprintf(full, sizeof full, "%s.%s", schema, name);
		if (n < fuzz_ndelete && strcmp(fuzz_delete[n].name, full) == 0) {
			n++;
			continue;
		}
		fuzz_store_truncate(n);
		if (n == FUZZ_TABLES_MAX)
			fuzz_store_fail("too many tables");
		sql = sqlite3_mprintf("DELETE FROM \"%w\".\"%w\"", schema,
		    name);
		if (sqlite3_prepare_v2(fuzz_db, sql, -1, &fuzz_delete[n].stmt,
		    NULL) != SQLITE_OK)
			fuzz_store_fail(sql);
		sqlite3_free(sql);
		fuzz_delete[n].name = strdup(full);
		fuzz_ndelete = ++n;
	}
	if (sqlite3_reset(fuzz_tables) != SQLITE_OK)
		fuzz_store_fail("list tables");
	fuzz_store_truncate(n);
}

/* Run a statement that returns no rows. */
static void
fuzz_store_step(sqlite3_stmt *stmt, const char *what)
{
	if (sqlite3_step(stmt) != SQLITE_DONE ||
	    sqlite3_reset(stmt) != SQLITE_OK)
		fuzz_store_fail(what);
}

/* Abort unless every check of fuzz_check_sql passes. */
static void
fuzz_store_verify(void)
{
	const char	*v;
	size_t		 i;

	for (i = 0; i < FUZZ_NCHECK; i++) {
		if (sqlite3_step(fuzz_check[i]) != SQLITE_ROW)
			fuzz_store_fail(fuzz_check_sql[i]);
		v = (const char *)sqlite3_column_text(fuzz_check[i], 0);
		if (v == NULL || strcmp(v, "0") != 0)
			fuzz_die("the store is inconsistent: %s gave %s",
			    fuzz_check_sql[i], v);
		sqlite3_reset(fuzz_check[i]);
	}
}

void
fuzz_store_done(void)
{
	size_t	i;

	if (!sqlite3_get_autocommit(fuzz_db))
		fuzz_die("the store left a transaction open");
	/* Counts every row written, by triggers too, even if rolled back. */
	if (sqlite3_total_changes64(fuzz_db) == fuzz_changes)
		return;
	fuzz_store_verify();
	fuzz_store_tables();
	fuzz_store_step(fuzz_begin, "BEGIN");
	for (i = 0; i < fuzz_ndelete; i++)
		fuzz_store_step(fuzz_delete[i].stmt, fuzz_delete[i].name);
	fuzz_store_step(fuzz_commit, "COMMIT");
	fuzz_changes = sqlite3_total_changes64(fuzz_db);
}
