/*
 * One daemon per database (kindlogd(1) DATABASE LOCK): kindlogd holds an
 * exclusive flock(2) on the lock file next to its database, the database's path
 * (symlinks followed) plus ".lock", from before it opens the database or
 * binds its socket until it has closed the database. The lock file says
 * who holds it (pid and socket), so a second daemon, whatever its
 * socket, can refuse with a message naming the first.
 */
#ifndef KINDLOG_DBLOCK_H
#define KINDLOG_DBLOCK_H

#include "error.h"

struct dblock;

/*
 * Take the lock for the database at db_path and record our pid and
 * socket_path in it. Returns the lock, or NULL with err when another
 * kindlogd holds it (the message names the database and that daemon) or
 * the lock file cannot be opened or locked.
 */
struct dblock *dblock_acquire(const char *db_path, const char *socket_path,
    struct kl_error *err);

/* Give the lock up; only after the database has been closed. */
void dblock_release(struct dblock *lock);

#endif
