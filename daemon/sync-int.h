/*
 * Inside the sync room (sync.h): the state sync.c, sync-out.c (this
 * device's files) and sync-in.c (the peers') share.
 */
#ifndef KINDLOG_SYNC_INT_H
#define KINDLOG_SYNC_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "error.h"
#include "kindlogd.h"
#include "uuid.h"

/* Operations in one file this device writes. */
#define SYNC_FILE_OPS 50000
/* This device's files past which they are compacted into snapshots. */
#define SYNC_COMPACT_FILES 64

struct event;

struct sync {
	struct kindlogd	*d;
	struct event	*flush_ev;	/* the debounce after a commit */
	struct event	*scan_ev;	/* the next scan of the peers */
	struct event	*inotify_ev;
	int		 inotify_fd;	/* -1: none (scans only) */
	bool		 on;
	char		*dir;		/* [sync] dir */
	char		*own;		/* DIR/devices/ID */
	char		*name;		/* this device's name */
	char		 device[UUID_STR_LEN];
	bool		 folder_ok;	/* DIR is there */
	char		*error;		/* the last failure, or NULL */
	int64_t		 ignored;	/* files of the last scan left alone */
	time_t		 last_scan;
	time_t		 last_write;
};

/* Remember why the last write or scan failed (NULL: it did not). */
void	sync_set_error(struct sync *sync, const char *message);
/* Whether a request batch is open: the store is mid-transaction. */
bool	sync_busy(struct sync *sync);

/* sync-out.c: write the outbox to new files; compact our own files. */
int	sync_out_flush(struct sync *sync, int64_t *written,
	    struct kl_error *err);
int	sync_out_compact(struct sync *sync, struct kl_error *err);
/* Write lines (a header, then each object of ops) as file name of dir. */
int	sync_out_write(const char *dir, const char *name, const char *header,
	    json_t *ops, struct kl_error *err);

/* sync-in.c: scan and apply the peers' folders. */
int	sync_in_scan(struct sync *sync, int64_t *applied,
	    struct kl_error *err);
/* Whether a file name is one kindlog writes (and not an engine's). */
bool	sync_in_wanted(const char *name);
/*
 * The names in dir, sorted, in a new NULL-ended array: with files, the
 * names sync_in_wanted; else the uuids (devices' folders). *ignored
 * counts the others; for sync_in_free_names.
 */
char	**sync_in_names(const char *dir, bool files, int64_t *ignored,
	    size_t *n);
void	sync_in_free_names(char **names, size_t n);
/* The whole of a regular file, at most SYNC_FILE_MAX bytes; caller frees. */
int	sync_in_read(const char *path, char **buf, size_t *len,
	    struct kl_error *err);

#endif
