/* The fault-injecting VFS (see faultvfs.h). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "faultvfs.h"

/* A file of the shim: which kind it is, and the real file after it. */
struct faultvfs_handle {
	sqlite3_file	 base;
	sqlite3_file	*real;
	int		 kind;		/* enum faultvfs_file, or -1: other */
};

#define FAULTVFS_HANDLE_SIZE \
	((sizeof(struct faultvfs_handle) + 7) & ~(size_t)7)
#define REAL(f) (((struct faultvfs_handle *)(f))->real)

static sqlite3_vfs		*faultvfs_real;
static sqlite3_vfs		 faultvfs_vfs;
static struct faultvfs_fault	 faultvfs_armed;
static bool			 faultvfs_is_armed;
static long			 faultvfs_count[FAULTVFS_FILES][FAULTVFS_OPS];
static long			 faultvfs_failures;
static bool			 faultvfs_syncs_faked;

/* Count a call of op on f; the fault's code if it is the one to fail. */
static int
faultvfs_check(sqlite3_file *f, enum faultvfs_op op)
{
	const struct faultvfs_fault	*a = &faultvfs_armed;
	int				 kind = ((struct faultvfs_handle *)f)->kind;
	long				 n;

	if (kind < 0)
		return SQLITE_OK;
	n = ++faultvfs_count[kind][op];
	if (!faultvfs_is_armed || (int)a->file != kind || a->op != op ||
	    n < a->nth || (n > a->nth && !a->persist))
		return SQLITE_OK;
	faultvfs_failures++;
	return a->rc;
}

static int
faultvfs_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int
faultvfs_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

/* A failing write may still write a prefix, as a short write does. */
static int
faultvfs_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	int	rc = faultvfs_check(f, FAULTVFS_WRITE);
	int	part = faultvfs_armed.partial;

	if (rc == SQLITE_OK)
		return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
	if (part > 0)
		(void)REAL(f)->pMethods->xWrite(REAL(f), buf, part < n ? part :
		    n, off);
	return rc;
}

static int
faultvfs_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int	rc = faultvfs_check(f, FAULTVFS_TRUNCATE);

	if (rc != SQLITE_OK)
		return rc;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
faultvfs_sync(sqlite3_file *f, int flags)
{
	int	rc = faultvfs_check(f, FAULTVFS_SYNC);

	if (rc != SQLITE_OK || faultvfs_syncs_faked)
		return rc;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
faultvfs_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
faultvfs_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int
faultvfs_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int
faultvfs_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
faultvfs_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
faultvfs_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
faultvfs_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
faultvfs_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
    void volatile **p)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, p);
}

static int
faultvfs_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void
faultvfs_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
faultvfs_shm_unmap(sqlite3_file *f, int delete)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), delete);
}

static int
faultvfs_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, p);
}

static int
faultvfs_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods faultvfs_io = {
	3, faultvfs_close, faultvfs_read, faultvfs_write, faultvfs_truncate,
	faultvfs_sync, faultvfs_size, faultvfs_lock, faultvfs_unlock,
	faultvfs_check_lock, faultvfs_control, faultvfs_sector,
	faultvfs_device, faultvfs_shm_map, faultvfs_shm_lock,
	faultvfs_shm_barrier, faultvfs_shm_unmap, faultvfs_fetch,
	faultvfs_unfetch,
};

/* Open the real file behind the shim's handle, noting its kind. */
static int
faultvfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f,
    int flags, int *out_flags)
{
	struct faultvfs_handle	*h = (struct faultvfs_handle *)f;
	int			 rc;

	h->real = (sqlite3_file *)((char *)f + FAULTVFS_HANDLE_SIZE);
	h->kind = (flags & SQLITE_OPEN_MAIN_DB) ? FAULTVFS_DB :
	    (flags & SQLITE_OPEN_WAL) ? FAULTVFS_WAL : -1;
	rc = faultvfs_real->xOpen(faultvfs_real, name, h->real, flags,
	    out_flags);
	f->pMethods = h->real->pMethods != NULL ? &faultvfs_io : NULL;
	return rc;
}

void
faultvfs_install(void)
{
	if (faultvfs_real != NULL)
		return;
	faultvfs_real = sqlite3_vfs_find(NULL);
	if (faultvfs_real == NULL)
		abort();
	/* Only xOpen is the shim's; the other methods are the real VFS's. */
	faultvfs_vfs = *faultvfs_real;
	faultvfs_vfs.pNext = NULL;
	faultvfs_vfs.zName = "kindlog-fault";
	faultvfs_vfs.szOsFile = (int)FAULTVFS_HANDLE_SIZE +
	    faultvfs_real->szOsFile;
	faultvfs_vfs.xOpen = faultvfs_open;
	if (sqlite3_vfs_register(&faultvfs_vfs, 1) != SQLITE_OK)
		abort();
}

void
faultvfs_arm(const struct faultvfs_fault *fault)
{
	faultvfs_is_armed = fault != NULL;
	if (fault != NULL)
		faultvfs_armed = *fault;
	faultvfs_failures = 0;
	memset(faultvfs_count, 0, sizeof faultvfs_count);
}

void
faultvfs_disarm(void)
{
	faultvfs_is_armed = false;
}

void
faultvfs_fake_syncs(bool fake)
{
	faultvfs_syncs_faked = fake;
}

long
faultvfs_calls(enum faultvfs_file file, enum faultvfs_op op)
{
	return faultvfs_count[file][op];
}

long
faultvfs_failed(void)
{
	return faultvfs_failures;
}
