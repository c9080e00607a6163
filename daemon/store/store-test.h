/*
 * For tests only (the kindlog-store-test library, which kindlogd never
 * links): a connection of its own to a database file, for the checks and
 * set-ups the store has no function for. The fault-injecting VFS is in
 * tests/unit/faultvfs.c.
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

#endif
