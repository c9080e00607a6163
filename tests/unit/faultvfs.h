/*
 * A fault-injecting VFS for tests: a shim over SQLite's default VFS,
 * registered as the new default, so a store opened after faultvfs_install
 * runs on it unchanged. Armed, it fails the nth xWrite, xSync or
 * xTruncate of a database's main file or its -wal file with the code the
 * unix VFS would return (SQLITE_FULL for ENOSPC, SQLITE_IOERR_WRITE,
 * SQLITE_IOERR_FSYNC, SQLITE_IOERR_TRUNCATE); every other call, and every
 * other file (journals, temp files, -shm), goes straight through.
 * The pattern is SQLite's own test VFS (src/test_vfs.c): a countdown per
 * method, one fault or a persistent one.
 */
#ifndef KINDLOG_TEST_FAULTVFS_H
#define KINDLOG_TEST_FAULTVFS_H

#include <stdbool.h>

enum faultvfs_file {
	FAULTVFS_DB,			/* the main database file */
	FAULTVFS_WAL,			/* its write-ahead log */
	FAULTVFS_FILES
};

enum faultvfs_op {
	FAULTVFS_WRITE,
	FAULTVFS_SYNC,
	FAULTVFS_TRUNCATE,
	FAULTVFS_OPS
};

struct faultvfs_fault {
	enum faultvfs_file	 file;
	enum faultvfs_op	 op;
	long			 nth;		/* 1: the next such call */
	int			 rc;		/* what the failing call returns */
	int			 partial;	/* bytes a failing write writes */
	bool			 persist;	/* every later call fails too */
};

/* Register the shim over the default VFS as the new default (once). */
void	faultvfs_install(void);
/*
 * Arm fault (NULL: none) and count calls afresh; calls before it are
 * forgotten.
 */
void	faultvfs_arm(const struct faultvfs_fault *fault);
/* No more faults; the counts go on. */
void	faultvfs_disarm(void);
/*
 * With fake set, xSync succeeds (or fails as armed) without reaching the
 * disk: for tests of error paths, not of power cuts, that would otherwise
 * spend their time waiting for it.
 */
void	faultvfs_fake_syncs(bool fake);
/* Calls of op on file since the last arm (failed ones included). */
long	faultvfs_calls(enum faultvfs_file file, enum faultvfs_op op);
/* Calls the armed fault failed since the last arm. */
long	faultvfs_failed(void);

#endif
