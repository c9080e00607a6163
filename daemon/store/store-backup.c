/*
 * Online backup with SQLite's backup API, a slice of pages at a time,
 * into a temporary file renamed over the backup once complete and synced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store-int.h"
#include "xmalloc.h"

struct store_backup {
	struct store	*store;
	sqlite3		*dest;
	sqlite3_backup	*job;
	char		*path;
	char		*temp;
};

struct store_backup *
store_backup_start(struct store *store, const char *path,
    struct kl_error *err)
{
	struct store_backup	*b = xcalloc(1, sizeof *b);
	int			 fd;

	b->store = store;
	b->path = xstrdup(path);
	b->temp = xasprintf("%s.tmp", path);
	unlink(b->temp);
	/* Created 0600 here, so SQLite never makes it with the umask. */
	fd = open(b->temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot create %s: %s",
		    b->temp, strerror(errno));
		free(b->temp);
		b->temp = NULL;
		store_backup_free(b);
		return NULL;
	}
	close(fd);
	if (sqlite3_open_v2(b->temp, &b->dest, SQLITE_OPEN_READWRITE,
	    NULL) != SQLITE_OK ||
	    (b->job = sqlite3_backup_init(b->dest, "main", store->db,
	    "main")) == NULL) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot back up to %s: %s",
		    b->temp, b->dest != NULL ? sqlite3_errmsg(b->dest) :
		    "out of memory");
		store_backup_free(b);
		return NULL;
	}
	return b;
}

/* Make the finished copy durable and give it its name. */
static int
store_backup_install(struct store_backup *b, struct kl_error *err)
{
	int	fd;

	sqlite3_close(b->dest);
	b->dest = NULL;
	fd = open(b->temp, O_RDONLY | O_CLOEXEC);
	if (fd == -1 || fsync(fd) != 0 || rename(b->temp, b->path) != 0) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot write %s: %s",
		    b->path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	free(b->temp);
	b->temp = NULL;		/* nothing left to remove */
	return 0;
}

int
store_backup_step(struct store_backup *b, int pages, struct kl_error *err)
{
	int	rc;

	/*
	 * The copy must not see uncommitted pages of our own connection
	 * (a group commit batch). A slice waits for the batch; a whole copy
	 * asked for by a request commits the batch's writes so far first,
	 * which is allowed: their replies are still held until the flush.
	 */
	if (!sqlite3_get_autocommit(b->store->db)) {
		if (pages > 0)
			return 1;
		if (store_batch_sync(b->store, err) != 0)
			return -1;
	}
	rc = sqlite3_backup_step(b->job, pages);
	if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return 1;
	sqlite3_backup_finish(b->job);
	b->job = NULL;
	if (rc == SQLITE_DONE)
		return store_backup_install(b, err);
	return kl_error_set(err, KL_ERR_STORAGE, "backup to %s failed: %s",
	    b->path, sqlite3_errstr(rc));
}

void
store_backup_free(struct store_backup *b)
{
	if (b == NULL)
		return;
	if (b->job != NULL)
		sqlite3_backup_finish(b->job);
	if (b->dest != NULL)
		sqlite3_close(b->dest);
	if (b->temp != NULL)
		unlink(b->temp);
	free(b->temp);
	free(b->path);
	free(b);
}
