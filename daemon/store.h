/*
 * The store: the only module that speaks SQL. One SQLite file in WAL mode
 * with synchronous=FULL; every write is one transaction, committed before
 * the function returns, so a caller may acknowledge it right away --
 * except inside a batch (store_batch_begin), where it is durable only once
 * store_batch_commit has returned 0.
 *
 * Entries cross this boundary as jansson objects shaped exactly like the
 * ENTRY of doc/protocol.md, so methods can hand them to the wire as is.
 * Inputs are validated by the caller (the methods); the store enforces
 * only what the schema does. Errors: KL_ERR_NOT_FOUND for a missing or
 * deleted entry, KL_ERR_CONFLICT for a duplicate uuid, KL_ERR_STORAGE for
 * anything SQLite reports (disk full, read-only, I/O).
 *
 * Ownership, as everywhere in kindlog: a json_t * argument (or member of
 * an argument struct) is borrowed; a json_t ** output receives a new
 * reference on success and NULL on error; a char * or array output is
 * the caller's to free. A function taking err returns 0 (or what it
 * says), or -1 with err set. The code is in daemon/store/, mapped in
 * store-int.h.
 */
#ifndef KINDLOG_STORE_H
#define KINDLOG_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "day.h"
#include "error.h"
#include "uuid.h"

struct store;

/* Schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 4

/*
 * Open (creating if missing, mode 0600) and migrate the database at path.
 * Refuses, without modifying the file, a file that is not a kindlog
 * database, is corrupt, or has a schema newer than STORE_SCHEMA_VERSION.
 * A read-only file opens read-only: reads work, writes get KL_ERR_STORAGE.
 * *out is the new store (NULL on error), for store_close.
 */
int store_open(const char *path, struct store **out, struct kl_error *err);
/* Finalize every statement and close the database; NULL is a no-op. */
void store_close(struct store *store);
/*
 * Create the database at path, or migrate it, only up to schema version
 * (1..STORE_SCHEMA_VERSION), and close it: migration tests start from it.
 */
int store_create_version(const char *path, int version,
    struct kl_error *err);
/* The SQLite library version (a static string), for the startup log. */
const char *store_library_version(void);
/*
 * Free the page cache's unused pages (the next queries read them again
 * from the file system's cache); for a daemon gone quiet.
 */
void store_release_memory(struct store *store);
/* Bytes the page cache holds now. */
size_t store_cache_used(struct store *store);
/* Bytes the prepared statements hold now. */
size_t store_statements_used(struct store *store);
/*
 * Group commit. After store_batch_begin, writes share one transaction
 * (opened by the first of them) and are not durable until
 * store_batch_commit returns 0; a write that fails inside the batch is
 * undone alone -- unless SQLite rolled the whole transaction back (disk
 * full, I/O error, in any statement of the batch): then every later write
 * of the batch fails and so does the commit. A failed commit
 * (KL_ERR_STORAGE) leaves none of the batch's writes in the database.
 * Without a write the commit is a no-op.
 */
void store_batch_begin(struct store *store);
int store_batch_commit(struct store *store, struct kl_error *err);
/* True between store_batch_begin and store_batch_commit. */
bool store_batch_active(const struct store *store);
/* True when the database could only be opened read-only. */
bool store_readonly(const struct store *store);

/* A new entry; text and tags already trimmed and validated. */
struct store_entry_new {
	const char	*text;
	json_t		*tags;		/* array of tag strings, or NULL */
	kl_day		 day;
	const char	*thanked_how;	/* NULL: not thanked */
};

/*
 * Add an entry at time now, with a new uuid; *entry is the stored ENTRY
 * (a new reference; NULL on error).
 */
int store_entry_add(struct store *store, const struct store_entry_new *in,
    time_t now, json_t **entry, struct kl_error *err);
/*
 * *entry is the ENTRY with this id (a new reference), or NULL with
 * KL_ERR_NOT_FOUND when it is missing or deleted.
 */
int store_entry_get(struct store *store, int64_t id, json_t **entry,
    struct kl_error *err);

/* What an edit changes; fields left NULL/false are kept. */
struct store_entry_change {
	const char	*text;
	json_t		*tags;		/* replaces the whole tag set */
	bool		 set_day;
	kl_day		 day;
};

/*
 * The next four change one live entry in one transaction (KL_ERR_NOT_FOUND
 * when it is missing or deleted) and set *entry to a new reference, or
 * NULL on error.
 *
 * edit: apply change at time now; *entry is the entry as edited.
 */
int store_entry_edit(struct store *store, int64_t id,
    const struct store_entry_change *change, time_t now, json_t **entry,
    struct kl_error *err);
/*
 * thank: mark thanked at now, or update how and when; how is one of
 * said/wrote/showed/other, or NULL to take the thank-you back. *entry is
 * the entry as thanked (or unthanked).
 */
int store_entry_thank(struct store *store, int64_t id, const char *how,
    time_t now, json_t **entry, struct kl_error *err);
/* delete: soft delete at now; *entry is the entry as it was. */
int store_entry_delete(struct store *store, int64_t id, time_t now,
    json_t **entry, struct kl_error *err);
/*
 * undo: restore the most recently deleted entry as it was (KL_ERR_NOT_FOUND
 * when nothing is deleted); *entry is the entry restored.
 */
int store_entry_undo(struct store *store, time_t now, json_t **entry,
    struct kl_error *err);

struct store_query {
	bool		 has_since;
	kl_day		 since;
	bool		 has_until;
	kl_day		 until;
	const char	*tag;		/* NULL: any */
	const char	*grep;		/* NULL: any; words all must appear */
	bool		 unthanked;
	int64_t		 limit;		/* < 0: no limit */
	int64_t		 offset;
};

/*
 * Entries matching query, newest day first (then newest id first): *entries
 * is a new array of ENTRY (NULL on error); *total counts all matches
 * ignoring limit and offset.
 */
int store_entry_list(struct store *store, const struct store_query *query,
    json_t **entries, int64_t *total, struct kl_error *err);

/*
 * The days that count (at least one live entry), ascending, in a new
 * array the caller frees (NULL when there are none, and on error);
 * *entries is the number of live entries.
 */
int store_days(struct store *store, kl_day **days, size_t *ndays,
    int64_t *entries, struct kl_error *err);
/*
 * Whether day has a live entry, answered from the counted days kept since
 * the last store_days() when no write has touched them since: true with
 * *logged set, or false (ask the database) when they are not at hand.
 */
bool store_day_cached(struct store *store, kl_day day, bool *logged);

/*
 * Small daemon state (snooze, pause) in the settings table. get: *value is
 * a new string the caller frees, or NULL when the key is unset. set: NULL
 * removes the key; committed before returning.
 */
int store_setting_get(struct store *store, const char *key, char **value,
    struct kl_error *err);
int store_setting_set(struct store *store, const char *key,
    const char *value, struct kl_error *err);

/* An inclusive range of days; an end that is not set is open. */
struct store_range {
	bool		 has_since;
	kl_day		 since;
	bool		 has_until;
	kl_day		 until;
};

/* Live entries on one day. */
struct store_day_count {
	kl_day		 day;
	int64_t		 count;
};

/*
 * The days in range that have live entries, ascending, with their counts,
 * in a new array the caller frees (NULL when there are none, and on error).
 */
int store_day_counts(struct store *store, const struct store_range *range,
    struct store_day_count **days, size_t *ndays, struct kl_error *err);
/* The number of live entries in range that were thanked. */
int store_thanked_count(struct store *store, const struct store_range *range,
    int64_t *thanked, struct kl_error *err);
/*
 * The limit most used tags of live entries in range as a new array of
 * {"tag", "count"}, most used first (ties by name). range NULL: all days;
 * limit < 0: every tag.
 */
int store_top_tags(struct store *store, const struct store_range *range,
    int limit, json_t **tags, struct kl_error *err);
/*
 * Gestures that repeat in range: each tag on two or more live entries
 * ("tag:NAME") and each routine_key() shared by two or more ("text:KEY"),
 * as a new array of {"key", "count", "last_day", "last_thanked"} (the
 * latest thank-you of the group, RFC 3339, or null), most frequent first.
 */
int store_routine(struct store *store, const struct store_range *range,
    int limit, json_t **routine, struct kl_error *err);

/* Where an export page ends: the last entry's day and id. */
struct store_cursor {
	kl_day		 day;
	int64_t		 id;
};

/*
 * The next page of an export: up to limit live entries after the cursor
 * (NULL: from the start), ordered by day then id, stopping early once
 * about max_bytes of text are in the page. *entries is a new array of
 * ENTRY (NULL on error); *last is the cursor of its last entry (unset
 * when empty).
 */
int store_entry_page(struct store *store, const struct store_cursor *after,
    int64_t limit, size_t max_bytes, json_t **entries,
    struct store_cursor *last, struct kl_error *err);

/* Import sessions: at most this many open, records each, idle seconds. */
#define STORE_IMPORT_MAX_SESSIONS 4
#define STORE_IMPORT_MAX_RECORDS 2000000
#define STORE_IMPORT_IDLE 600

/* One validated import record (text trimmed, tags normalised). */
struct store_import_record {
	char		 uuid[UUID_STR_LEN];	/* lowercase */
	kl_day		 day;
	const char	*text;
	json_t		*tags;		/* array of tag strings, or NULL */
	time_t		 created_at;
	time_t		 updated_at;
	const char	*thanked_how;	/* NULL: not thanked */
	time_t		 thanked_at;
};

/*
 * An import is staged in temporary tables and applied in one transaction.
 * begin opens a session (KL_ERR_LIMIT when too many are open) and writes
 * its random id into session. touch checks that a session exists
 * (KL_ERR_NOT_FOUND otherwise, also once idle over STORE_IMPORT_IDLE
 * seconds), marks it active and reports how many records it holds. stage
 * adds records (a uuid staged twice keeps the first). commit adds every
 * staged record whose uuid is not in the database yet (deleted entries
 * included), or with dry_run only counts them, and ends the session:
 * *skipped = records - *added. abort ends a session, adding nothing.
 */
int store_import_begin(struct store *store, time_t now,
    char session[UUID_STR_LEN], struct kl_error *err);
int store_import_touch(struct store *store, const char *session, time_t now,
    int64_t *records, struct kl_error *err);
int store_import_stage(struct store *store, const char *session,
    const struct store_import_record *records, size_t n,
    struct kl_error *err);
int store_import_commit(struct store *store, const char *session,
    bool dry_run, int64_t *added, int64_t *skipped, struct kl_error *err);
int store_import_abort(struct store *store, const char *session,
    struct kl_error *err);

/* One validated reflection of an import (answers trimmed, at least one). */
struct store_import_reflection {
	char			 uuid[UUID_STR_LEN];	/* lowercase */
	kl_day			 day;
	time_t			 created_at;
	const struct store_answer *answers;
	size_t			 nanswers;
};

/*
 * Reflections ride in the same session as entries and are added by the
 * same store_import_commit, all or nothing. stage adds them (a uuid
 * staged twice keeps the first); touch's *records counts them too, but
 * commit's *added and *skipped count entries only. reflections reports
 * how many reflections session holds and how many of them a commit now
 * would add (their uuid is not in the database yet): ask it just before
 * committing.
 */
int store_import_stage_reflections(struct store *store, const char *session,
    const struct store_import_reflection *records, size_t n,
    struct kl_error *err);
int store_import_reflections(struct store *store, const char *session,
    int64_t *staged, int64_t *fresh, struct kl_error *err);

/*
 * The latest thank-you (RFC 3339) of the routine group key ("tag:NAME" or
 * "text:KEY", as store_routine names them) over the whole log: *at is a
 * new JSON string, or JSON null when there is none (NULL on error).
 */
int store_routine_thanked(struct store *store, const char *key, json_t **at,
    struct kl_error *err);
/*
 * Gestures to look back on. anniversary: a live entry on today's month and
 * day in the most recent earlier year that has one. random_before: a live
 * entry from a random day before day. *entry is a new reference, or NULL
 * when there is none (returning 0) and on error.
 */
int store_entry_anniversary(struct store *store, kl_day today,
    json_t **entry, struct kl_error *err);
int store_entry_random_before(struct store *store, kl_day day,
    json_t **entry, struct kl_error *err);

/* One question of a reflection and the answer given, both trimmed. */
struct store_answer {
	const char	*question;
	const char	*answer;
};

/*
 * Reflections: what was answered to kindlog reflect's questions, as the
 * REFLECTION of doc/protocol.md ({"id", "uuid", "day", "created_at",
 * "answers": [{"question", "answer"}...]}), answers in the order asked.
 * Written once, never edited. The caller validates the answers (at least
 * one).
 *
 * add: store one on day at time now with a new uuid; *reflection is the
 * stored REFLECTION.
 */
int store_reflect_add(struct store *store, kl_day day,
    const struct store_answer *answers, size_t nanswers, time_t now,
    json_t **reflection, struct kl_error *err);
/*
 * The reflections of range (NULL: all), newest day first (then newest
 * id), at most limit (< 0: no limit) after skipping offset: *reflections
 * is a new array of REFLECTION; *total counts all of range.
 */
int store_reflect_list(struct store *store, const struct store_range *range,
    int64_t limit, int64_t offset, json_t **reflections, int64_t *total,
    struct kl_error *err);
/*
 * The newest reflection's uuid (into uuid, UUID_STR_LEN bytes) and day;
 * *found is false when there is none.
 */
int store_reflect_last(struct store *store, char *uuid, kl_day *day,
    bool *found, struct kl_error *err);
/*
 * The next page of an export, as store_entry_page: up to limit
 * reflections after the cursor (NULL: from the start) by day then id,
 * stopping early once about max_bytes of text are in the page.
 */
int store_reflect_page(struct store *store, const struct store_cursor *after,
    int64_t limit, size_t max_bytes, json_t **reflections,
    struct store_cursor *last, struct kl_error *err);

/*
 * Sync between devices (doc/sync.md). Once this database has a device id
 * (store_sync_enable), every change of an entry -- add, edit, thank,
 * delete, undo, import -- records its operations in the same
 * transaction, stamped with the device's hybrid logical clock (hlc.h);
 * they wait in an outbox until the daemon has written them to the sync
 * folder (store_sync_outbox, store_sync_sent). Peers' operations are
 * applied per field, the last writer by (clock, device id) winning, tags
 * per tag (store_sync_apply).
 */

/* The kinds of operation, as the outbox stores them. */
enum store_op_kind {
	STORE_OP_UNKNOWN = 0,	/* from a newer kindlog: kept, not applied */
	STORE_OP_CREATE = 1,
	STORE_OP_TEXT = 2,
	STORE_OP_DAY = 3,
	STORE_OP_TAG = 4,
	STORE_OP_THANKED = 5,
	STORE_OP_DELETED = 6,
};

/* The name of an operation in the files ("create"), NULL for unknown. */
const char *store_op_name(enum store_op_kind kind);
/* The kind of an operation named so, STORE_OP_UNKNOWN if none. */
enum store_op_kind store_op_kind(const char *name);

/* One validated operation of a peer's file. */
struct store_op {
	enum store_op_kind	 kind;
	char			 entry[UUID_STR_LEN];	/* lowercase */
	int64_t			 hlc;
	time_t			 at;		/* when the change was made */
	const char		*text;		/* create, text */
	kl_day			 day;		/* create, day */
	json_t			*tags;		/* create: array of tags */
	time_t			 created_at;	/* create */
	const char		*tag;		/* tag */
	bool			 on;		/* tag: present; deleted */
	const char		*thanked_how;	/* create, thanked: NULL none */
	time_t			 thanked_at;
	const char		*line;		/* kept when not all known */
};

/*
 * Give this database a device id, or check the one it has: *device is
 * it. machine names the machine (its machine id): a database that finds
 * itself on another machine than the one that made its id makes a new
 * one. The first id publishes every entry (one create operation each, a
 * delete for those deleted) in one transaction; *published counts them.
 */
int store_sync_enable(struct store *store, const char *machine,
    char device[UUID_STR_LEN], int64_t *published, struct kl_error *err);
/*
 * The next operations of the outbox after seq after (0: from the first),
 * at most limit, as a new array of objects shaped like the lines of
 * doc/sync.md (their values as the entry holds them now); *last is the
 * seq of the last one (after when none). Inside a batch, the batch's
 * writes so far are committed first: only committed changes leave.
 */
int store_sync_outbox(struct store *store, int64_t after, int64_t limit,
    json_t **ops, int64_t *last, struct kl_error *err);
/* The outbox operations up to seq last are in the folder: forget them. */
int store_sync_sent(struct store *store, int64_t last, struct kl_error *err);
/* How many operations wait in the outbox. */
int store_sync_pending(struct store *store, int64_t *pending,
    struct kl_error *err);

/* A peer's file, parsed and validated (or not: error says why). */
struct store_sync_file {
	const char		*device;	/* the peer's id */
	const char		*device_name;	/* NULL: not known */
	const char		*name;		/* the file's name */
	int64_t			 size;
	int64_t			 mtime;
	const struct store_op	*ops;
	size_t			 nops;
	const char		*error;		/* non-NULL: skipped, why */
};

/*
 * Whether the file name of device, with this size and mtime, was applied
 * (or skipped) already: nothing to do with it until it changes.
 */
int store_sync_file_seen(struct store *store, const char *device,
    const char *name, int64_t size, int64_t mtime, bool *seen,
    struct kl_error *err);
/*
 * Apply every operation of a peer's file and remember the file, in one
 * transaction; a file with an error is only remembered (as skipped).
 * *changed counts the entries whose state changed.
 */
int store_sync_apply(struct store *store, const struct store_sync_file *file,
    int64_t *changed, struct kl_error *err);
/*
 * Forget the files of device that are no longer in its folder: names is
 * the NULL-ended list of those there (a compaction removed the others).
 */
int store_sync_files_prune(struct store *store, const char *device,
    const char *const *names, struct kl_error *err);
/*
 * The peers: a new array of {"device", "name", "last_change" (RFC 3339 of
 * its latest clock, or null), "operations", "files"}, and a new array of
 * the files skipped {"device", "file", "error"}.
 */
int store_sync_peers(struct store *store, json_t **peers, json_t **skipped,
    struct kl_error *err);

/*
 * Online backup: copy the database into path with SQLite's backup API, a
 * slice of pages at a time. The copy is written to path.tmp (0600) and
 * renamed over path only once complete and synced, so path is always a
 * whole database. Writes between slices are fine: SQLite carries them
 * into the copy. start returns a new backup for store_backup_free, or
 * NULL with err.
 */
struct store_backup;
struct store_backup *store_backup_start(struct store *store,
    const char *path, struct kl_error *err);
/*
 * Copy up to pages more (-1: all that is left). Returns 1 while there is
 * more to copy, 0 when path is in place, -1 with err (the temporary file
 * is removed). After 0 or -1, only store_backup_free is allowed.
 */
int store_backup_step(struct store_backup *backup, int pages,
    struct kl_error *err);
/* Free a backup; an unfinished one is abandoned and its file removed. */
void store_backup_free(struct store_backup *backup);

#endif
