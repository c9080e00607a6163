/*
 * The database lock (dblock.h). flock(2) rather than a pid file: the
 * kernel drops the lock when its holder dies, however it dies, so a lock
 * file left behind by a killed daemon is simply locked again. The file is
 * never removed: a daemon that unlinked it on exit could leave a second
 * one holding a lock on the old inode while a third creates a new file.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dblock.h"
#include "strnum.h"
#include "xmalloc.h"

/* What the descriptor is open on. */
enum dblock_where {
	DBLOCK_FILE,		/* the lock file, ours to write */
	DBLOCK_FILE_READONLY,	/* the lock file, which we may not write */
	DBLOCK_DATABASE,	/* the database itself: see dblock_open */
};

struct dblock {
	int			fd;
	enum dblock_where	where;
};

/* The errors that mean "not ours to write", as the store reads them. */
static bool
dblock_not_writable(int error)
{
	return error == EACCES || error == EROFS || error == EPERM;
}

/* The lock file's path: the database's real path plus ".lock". */
static char *
dblock_path(const char *db_path)
{
	char	*real, *path;

	/* A database that does not exist yet has no other path. */
	real = realpath(db_path, NULL);
	path = xasprintf("%s.lock", real != NULL ? real : db_path);
	free(real);
	return path;
}

/*
 * Open what to lock: the lock file, created 0600 if missing. One that
 * exists but is not ours to write is locked all the same; we just cannot
 * say who we are in it.
 *
 * A missing lock file that cannot be created means a read-only directory
 * (a read-only mount, a file system the kernel remounted read-only after
 * an error, an archived copy). A read-only database must still start and
 * serve reads (kindlogd(1), EXIT STATUS), and kindlogd must create
 * nothing there, so it locks the database file itself instead: every
 * daemon in that directory does the same, so they still exclude each
 * other, and none can name the one running, as there is nowhere to write
 * it. flock(2) and SQLite's fcntl(2) locks are independent on Linux, but
 * closing any descriptor of a file drops all of this process's fcntl locks
 * on it, SQLite's too: this descriptor stays open until the database is
 * closed. Returns -1 with errno when there is nothing to open.
 */
static int
dblock_open(struct dblock *lock, const char *lock_path, const char *db_path)
{
	int	create_errno;

	lock->where = DBLOCK_FILE;
	lock->fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (lock->fd != -1 || !dblock_not_writable(errno))
		return lock->fd;
	create_errno = errno;
	lock->where = DBLOCK_FILE_READONLY;
	lock->fd = open(lock_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (lock->fd != -1 || errno != ENOENT)
		return lock->fd;
	lock->where = DBLOCK_DATABASE;
	lock->fd = open(db_path, O_RDONLY | O_CLOEXEC);
	if (lock->fd == -1)
		errno = create_errno;	/* why there is no lock file */
	return lock->fd;
}

/* Write "PID\nSOCKET\n" into the lock file we hold. */
static void
dblock_record(const struct dblock *lock, const char *lock_path,
    const char *socket_path)
{
	char	*record;
	size_t	 len;

	record = xasprintf("%ld\n%s\n", (long)getpid(), socket_path);
	len = strlen(record);
	/* Write, then cut: a reader never finds the file empty meanwhile. */
	if (pwrite(lock->fd, record, len, 0) != (ssize_t)len ||
	    ftruncate(lock->fd, (off_t)len) == -1)
		log_warn("cannot record this daemon in %s", lock_path);
	free(record);
}

/*
 * The holder's pid and socket from the lock file (in buf). False if it
 * does not say, or names a process that is gone: a lock file its holder
 * could not write still names the daemon before it.
 */
static bool
dblock_read_record(const struct dblock *lock, char *buf, size_t size,
    int64_t *pid, char **socket)
{
	ssize_t	 n;
	char	*nl;

	if (lock->where == DBLOCK_DATABASE)
		return false;
	n = pread(lock->fd, buf, size - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if ((nl = strchr(buf, '\n')) == NULL)
		return false;
	*nl = '\0';
	*socket = nl + 1;
	if ((nl = strchr(*socket, '\n')) == NULL)
		return false;
	*nl = '\0';
	if (!parse_int64(buf, 1, INT_MAX, pid))
		return false;
	return kill((pid_t)*pid, 0) == 0 || errno == EPERM;
}

/* The refusal: the database is another daemon's. */
static int
dblock_busy(const struct dblock *lock, const char *db_path,
    struct kl_error *err)
{
	char	 buf[PATH_MAX + 32], *socket;
	int64_t	 pid;

	if (dblock_read_record(lock, buf, sizeof buf, &pid, &socket))
		return kl_error_set(err, KL_ERR_CONFLICT, "%s is in use by "
		    "kindlogd (pid %lld, socket %s)", db_path, (long long)pid,
		    socket);
	return kl_error_set(err, KL_ERR_CONFLICT,
	    "%s is in use by another kindlogd", db_path);
}

struct dblock *
dblock_acquire(const char *db_path, const char *socket_path,
    struct kl_error *err)
{
	struct dblock	*lock = xcalloc(1, sizeof *lock);
	char		*lock_path = dblock_path(db_path);

	if (dblock_open(lock, lock_path, db_path) == -1) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot open %s: %s",
		    lock_path, strerror(errno));
		goto fail;
	}
	if (flock(lock->fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			dblock_busy(lock, db_path, err);
		else
			kl_error_set(err, KL_ERR_STORAGE, "cannot lock %s: %s",
			    lock_path, strerror(errno));
		goto fail;
	}
	if (lock->where == DBLOCK_FILE)
		dblock_record(lock, lock_path, socket_path);
	else if (lock->where == DBLOCK_DATABASE)
		log_info("%s cannot be created: locking the database itself",
		    lock_path);
	free(lock_path);
	return lock;

fail:
	free(lock_path);
	dblock_release(lock);
	return NULL;
}

void
dblock_release(struct dblock *lock)
{
	if (lock == NULL)
		return;
	if (lock->fd != -1)
		close(lock->fd);
	free(lock);
}
