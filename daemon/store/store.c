/*
 * The store's connection: create the file, open it read-write or
 * read-only, set SQLite up and the connection's pragmas, migrate (through
 * store-schema.c), and give memory back or close.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store-int.h"
#include "xmalloc.h"

#define STORE_BUSY_TIMEOUT_MS 5000

/*
 * Resize SQLite's page cache to kib KiB. Shrinking frees the pages above
 * the new size; malloc_trim gives the freed heap back to the system.
 */
void
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

/* Switch to WAL journaling, checking that SQLite agreed. */
static int
store_wal(struct store *store, const char *path, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	char		*mode = NULL;
	bool		 wal;

	if (sqlite3_prepare_v2(store->db, "PRAGMA journal_mode = WAL", -1,
	    &stmt, NULL) != SQLITE_OK ||
	    store_text(store, stmt, STORE_FINALIZE, &mode, err) == -1)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "cannot open database %s: %s", path,
		    sqlite3_errmsg(store->db));
	wal = mode != NULL && strcmp(mode, "wal") == 0;
	free(mode);
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
	store_sync_finish(store);
	sqlite3_close(store->db);
	free(store);
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
