/*
 * For tests only (the kindlog-store-test library, which kindlogd never
 * links): what a test needs of SQLite itself, so that nothing outside
 * daemon/store/ includes sqlite3.h. A connection of its own to a database
 * file, for the checks and set-ups the store has no function for, and a
 * VFS in front of SQLite's default one that fails WAL writes on demand,
 * so that failure paths are SQLite's real behaviour, not a mock.
 */
#ifndef KINDLOG_STORE_TEST_H
#define KINDLOG_STORE_TEST_H

#include <stdbool.h>

#include "error.h"

/* Run the SQL script sql on the database at path (created if missing). */
int	store_test_exec(const char *path, const char *sql,
	    struct kl_error *err);
/*
 * Run the query sql on the database at path, read-only and with the
 * store's SQL function kindlog_routine_key. *text is the first column of
 * its first row as a new string the caller frees ("NULL" for SQL NULL),
 * or NULL when it returns no row.
 */
int	store_test_first(const char *path, const char *sql, char **text,
	    struct kl_error *err);

/* Make the failing VFS SQLite's default, before the first store opens. */
int	store_test_fault_install(void);
/*
 * While fail is set, every write to a -wal file fails with
 * SQLITE_IOERR_WRITE, as on a full disk. Setting it starts the count of
 * failed writes again.
 */
void	store_test_fail_wal(bool fail);
/* The WAL writes failed since store_test_fail_wal(true). */
int	store_test_wal_failures(void);
/* The syncs of a -wal file so far; restart sets the count back to 0. */
int	store_test_wal_syncs(bool restart);

#endif
