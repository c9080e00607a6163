/*
 * Test support (store-test.h): a connection of its own to a database
 * file, and a VFS that wraps SQLite's default one and fails WAL writes
 * on demand.
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

/* The failing VFS: SQLite's default one, and whether WAL writes fail. */
static struct {
	sqlite3_vfs	 vfs;
	sqlite3_vfs	*real;
	bool		 fail_wal;
	int		 wal_failures;
	int		 wal_syncs;	/* one per durable commit */
} fault;

struct fault_file {
	sqlite3_file	 base;
	sqlite3_file	*real;
	bool		 wal;
};

#define REAL(f) (((struct fault_file *)(f))->real)

static int
fault_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int
fault_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int
fault_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (((struct fault_file *)f)->wal && fault.fail_wal) {
		fault.wal_failures++;
		return SQLITE_IOERR_WRITE;
	}
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int
fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
fault_sync(sqlite3_file *f, int flags)
{
	if (((struct fault_file *)f)->wal)
		fault.wal_syncs++;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
fault_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
fault_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int
fault_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int
fault_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
fault_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
fault_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
fault_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
fault_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
    void volatile **p)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, p);
}

static int
fault_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void
fault_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
fault_shm_unmap(sqlite3_file *f, int delete)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete);
}

static int
fault_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}

static int
fault_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fault_io = {
	3, fault_close, fault_read, fault_write, fault_truncate, fault_sync,
	fault_size, fault_lock, fault_unlock, fault_check_lock, fault_control,
	fault_sector, fault_device, fault_shm_map, fault_shm_lock,
	fault_shm_barrier, fault_shm_unmap, fault_fetch, fault_unfetch,
};

static int
fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct fault_file	*ff = (struct fault_file *)f;
	int			 rc;

	ff->real = (sqlite3_file *)(ff + 1);
	ff->wal = (flags & SQLITE_OPEN_WAL) != 0;
	rc = fault.real->xOpen(fault.real, name, ff->real, flags, out_flags);
	f->pMethods = ff->real->pMethods != NULL ? &fault_io : NULL;
	return rc;
}


int
store_test_fault_install(void)
{
	fault.real = sqlite3_vfs_find(NULL);
	fault.vfs = *fault.real;
	fault.vfs.zName = "kindlog-fault";
	fault.vfs.szOsFile = (int)sizeof(struct fault_file) +
	    fault.real->szOsFile;
	fault.vfs.xOpen = fault_open;
	return sqlite3_vfs_register(&fault.vfs, 1) == SQLITE_OK ? 0 : -1;
}

void
store_test_fail_wal(bool fail)
{
	if (fail && !fault.fail_wal)
		fault.wal_failures = 0;
	fault.fail_wal = fail;
}

int
store_test_wal_failures(void)
{
	return fault.wal_failures;
}

int
store_test_wal_syncs(bool restart)
{
	int	n = fault.wal_syncs;

	if (restart)
		fault.wal_syncs = 0;
	return n;
}
