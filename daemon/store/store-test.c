/*
 * Test support (store-test.h): a connection of its own to a database
 * file.
 */
#include <stdlib.h>

#include "store-int.h"
#include "store-test.h"
#include "xmalloc.h"

/* Open path with flags; on failure err says why and *db is closed. */
static int
store_test_open(const char *path, int flags, sqlite3 **db,
    struct kl_error *err)
{
	if (sqlite3_open_v2(path, db, flags, NULL) == SQLITE_OK)
		return 0;
	kl_error_set(err, KL_ERR_STORAGE, "cannot open %s: %s", path,
	    *db != NULL ? sqlite3_errmsg(*db) : "out of memory");
	sqlite3_close(*db);
	*db = NULL;
	return -1;
}

int
store_test_exec(const char *path, const char *sql, struct kl_error *err)
{
	sqlite3	*db;
	int	 rc = 0;

	if (store_test_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    &db, err) == -1)
		return -1;
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		rc = kl_error_set(err, KL_ERR_STORAGE, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc;
}

int
store_test_first(const char *path, const char *sql, char **text,
    struct kl_error *err)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt = NULL;
	const char	*value;
	int		 rc;

	*text = NULL;
	if (store_test_open(path, SQLITE_OPEN_READONLY, &db, err) == -1)
		return -1;
	rc = sqlite3_create_function(db, "kindlog_routine_key", 1,
	    SQLITE_UTF8, NULL, store_sql_routine_key, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		value = (const char *)sqlite3_column_text(stmt, 0);
		*text = xstrdup(value != NULL ? value : "NULL");
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		kl_error_set(err, KL_ERR_STORAGE, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}
