/*
 * Backups (kindlogd(1) BACKUPS): once a day a copy of the
 * database, made with SQLite's online backup API a few pages per turn of
 * the event loop, lands in the backups directory as kindlog-YYYY-MM-DD.db
 * (0600); the newest [storage] backups of them are kept. The backup
 * method makes one at once.
 */
#ifndef KINDLOG_BACKUP_H
#define KINDLOG_BACKUP_H

#include "error.h"
#include "kindlogd.h"

/* Pages copied per turn of the event loop. */
#define BACKUP_PAGES_PER_STEP 16
/* How often to look whether today's backup is due. */
#define BACKUP_CHECK_SECONDS 3600

struct backup;

/* Start the daily schedule; the first check runs right away. */
struct backup *backup_create(struct kindlogd *d);
/* Stop; a backup in progress is abandoned (its temporary file removed). */
void backup_destroy(struct backup *backup);
/*
 * Back the database up into today's file now, whole (fast for a journal's
 * size; the daily one is the sliced one), and prune the old ones. On 0,
 * *path is the file written, the caller's to free.
 */
int backup_now(struct kindlogd *d, char **path, struct kl_error *err);

#endif
