/*
 * Sync between devices through a folder a file-sync engine keeps in step
 * (doc/sync.md, design §14). This device writes its operations, as new
 * files only, to DIR/devices/ID/ (debounced after each commit) and reads
 * every other device's folder: at start, on inotify events, once a
 * minute, and on sync.now. The store (store.h) records and merges the
 * operations; this room owns the files, the timers and inotify, and
 * never touches SQL.
 */
#ifndef KINDLOG_SYNC_H
#define KINDLOG_SYNC_H

#include <jansson.h>

#include "error.h"
#include "kindlogd.h"

/* A change is in the folder this long after its commit, at most 2 s. */
#define SYNC_DEBOUNCE_MS 1000
/* How often the peers' folders are scanned without an inotify event. */
#define SYNC_SCAN_SECONDS 60

struct sync;

/* Start syncing as the config says (nothing while [sync] dir is empty). */
struct sync *sync_create(struct kindlogd *d);
/* Write out what is pending, if it can, and stop. NULL is a no-op. */
void sync_destroy(struct sync *sync);
/* The config was reloaded: start, stop or move to another folder. */
void sync_reconfigure(struct sync *sync);
/* A batch wrote: have its operations written out soon. NULL is a no-op. */
void sync_changed(struct sync *sync);
/*
 * Write out every pending operation and scan the peers' folders now;
 * *result is {"written", "applied", "pending"}.
 */
int sync_now(struct sync *sync, json_t **result, struct kl_error *err);
/* The sync.status result (doc/protocol.md), a new object. */
int sync_status(struct sync *sync, json_t **result, struct kl_error *err);

#endif
