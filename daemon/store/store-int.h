/*
 * Inside the store; daemon/store.h is its interface. One SQLite
 * connection, used by the loop thread alone. Fixed statements are
 * prepared once at open and reused; list queries are built from fixed
 * fragments and cached per filter combination. Writes run inside BEGIN
 * IMMEDIATE ... COMMIT (or a savepoint of a batch) and never leave a
 * transaction open on failure.
 *
 * The rooms: store.c opens, configures and closes the connection;
 * store-schema.c migrates and refuses files that are not ours;
 * store-sql.c holds the fixed statements and the step, bind and column
 * helpers; store-txn.c transactions and batches; store-entry.c one entry;
 * store-list.c filtered lists and export pages; store-days.c the counted
 * days kept for streaks; store-stats.c the aggregate tables' readers;
 * store-settings.c daemon state; store-reflect.c reflections;
 * store-import.c staged imports; store-backup.c online backups;
 * store-sync.c the operations this device records and its outbox;
 * store-sync-apply.c the peers' operations applied. Only the files of
 * daemon/store/ include sqlite3.h.
 */
#ifndef KINDLOG_STORE_INT_H
#define KINDLOG_STORE_INT_H

#include <sqlite3.h>

#include "hlc.h"
#include "store.h"

/*
 * SQLite's page cache, in KiB. Adds touch only the right edges of a few
 * b-trees and the reads use the aggregate tables, so 256 KiB serves them;
 * SQLite's default (2 MB) is most of a long-running daemon's heap.
 */
#define STORE_CACHE_KIB 256

/* Columns of every entry query, in the order store_entry_from_row reads. */
#define STORE_ENTRY_COLUMNS \
	"e.id, e.uuid, e.day, e.text, e.created_at, e.updated_at, " \
	"e.thanked_at, e.thanked_how"

enum store_stmt_id {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ENTRY_INSERT,
	STMT_ENTRY_SELECT,
	STMT_ENTRY_EDIT,
	STMT_ENTRY_THANK,
	STMT_ROUTINE_RETHANKED,
	STMT_ENTRY_DELETE,
	STMT_UNDO_PICK,
	STMT_UNDO,
	STMT_TAG_INSERT,
	STMT_TAGS_DELETE,
	STMT_TAGS_SELECT,
	STMT_DAYS,
	STMT_DAY_TOTAL,
	STMT_DAY_UNTHANKED,
	STMT_SETTING_GET,
	STMT_SETTING_SET,
	STMT_SETTING_DELETE,
	STMT_ANNIVERSARY,
	STMT_RANDOM_BEFORE,
	STMT_REFLECT_LAST,
	/* From here on prepared on first use: only a syncing store needs them. */
	STMT_SYNC_ENTRY_NEW,
	STMT_SYNC_CREATE_TAGS,
	STMT_SYNC_TEXT,
	STMT_SYNC_DAY,
	STMT_SYNC_THANKED,
	STMT_SYNC_DELETED,
	STMT_SYNC_TOUCH,
	STMT_SYNC_TAG_SET,
	STMT_SYNC_TAG_GET,
	STMT_SYNC_TAG_DROP,
	STMT_SYNC_OUTBOX_ADD,
	STMT_SYNC_OUTBOX_READ,
	STMT_SYNC_OUTBOX_DONE,
	STMT_SYNC_PENDING,
	STMT_SYNC_LOAD,
	STMT_SYNC_GHOST,
	STMT_SYNC_WRITE,
	STMT_SYNC_WRITE_CLOCKS,
	STMT_SYNC_FILE_GET,
	STMT_SYNC_FILE_SET,
	STMT_SYNC_DEVICE_GET,
	STMT_SYNC_DEVICE_ADD,
	STMT_SYNC_DEVICE_SEEN,
	STMT_SYNC_DEVICE_UUID,
	STMT_SYNC_UNKNOWN,
	STMT_COUNT
};

/* The first statement store_prepare_all leaves for its first use. */
#define STMT_LAZY STMT_SYNC_ENTRY_NEW

/* List filters; a combination of these indexes the list statement cache. */
enum {
	STORE_LIST_SINCE = 0x01,
	STORE_LIST_UNTIL = 0x02,
	STORE_LIST_TAG = 0x04,
	STORE_LIST_UNTHANKED = 0x08,
	STORE_LIST_GREP = 0x10,
	STORE_LIST_COMBINATIONS = 0x20
};

/* The two statements of one filter combination (and its number of words). */
struct store_list_cache {
	sqlite3_stmt	*rows;
	sqlite3_stmt	*count;
	size_t		 nwords;
};

/*
 * Group commit: between store_batch_begin and store_batch_commit every
 * write joins one transaction, opened by the first write; each write's own
 * begin/commit/rollback becomes a savepoint so a failed one leaves the
 * others intact. failed: the batch's transaction is gone (SQLite rolled it
 * back) or could not undo a write alone; the whole batch fails.
 */
struct store_batch {
	bool	 active;
	bool	 open;
	bool	 failed;
};

/*
 * What store_days() returns -- the counted days, ascending, and the live
 * entries -- so that the streak in every add's reply need not walk
 * day_counts. It holds only while SQLite's count of changes made through
 * this connection is still `changes`; besides, every write forgets it when
 * it begins, and every rollback or failed commit (a batch's too) forgets
 * it, so a write that is rolled back can never leave its day behind. A
 * successful add puts its day back into a cache that was fresh before it.
 */
struct store_days_cache {
	bool		 valid;
	int64_t		 changes;
	kl_day		*days;
	size_t		 ndays;
	size_t		 alloc;
	int64_t		 entries;
};

/* A device known to this database: its small id and its uuid. */
struct store_sync_device {
	int64_t		 id;
	char		 uuid[UUID_STR_LEN];
};

/*
 * Sync (store-sync.c): on once the database has a device id; then every
 * write records its operations. self is this device's row of
 * sync_devices; devices caches the rows looked up, for tie-breaks.
 */
struct store_sync {
	bool				 on;
	int64_t				 self;
	char				 device[UUID_STR_LEN];
	struct hlc			 clock;
	struct store_sync_device	*devices;
	size_t				 ndevices;
};

struct store {
	sqlite3			*db;
	bool			 readonly;
	struct store_batch	 batch;
	sqlite3_stmt		*stmt[STMT_COUNT];
	struct store_list_cache	 list[STORE_LIST_COMBINATIONS];
	struct store_days_cache	 days;
	struct store_sync	 sync;
};

/*
 * What store_each_row does with a statement once its rows end: reset a
 * fixed one (store_stmt, the list cache) for its next use, or finalize a
 * one-off.
 */
enum store_rows_end {
	STORE_RESET,
	STORE_FINALIZE
};

/* One row for store_each_row: 0 for the next, 1 to stop, -1 with err. */
typedef int store_row_fn(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err);

/* store.c */
void	 store_cache_size(struct store *store, int kib);

/* store-schema.c */
int	 store_check(struct store *store, const char *path, int *version,
	    struct kl_error *err);
int	 store_migrate(struct store *store, const char *path, int version,
	    int target, struct kl_error *err);

/* store-sql.c */
int	 store_sqlite_error(struct store *store, int rc,
	    struct kl_error *err);
int	 store_prepare(struct store *store, char *sql, sqlite3_stmt **stmt,
	    struct kl_error *err);
int	 store_prepare_all(struct store *store, struct kl_error *err);
sqlite3_stmt *store_stmt(struct store *store, enum store_stmt_id id);
int	 store_run(struct store *store, sqlite3_stmt *stmt,
	    struct kl_error *err);
int	 store_exec_sql(struct store *store, const char *sql,
	    struct kl_error *err);
int	 store_each_row(struct store *store, sqlite3_stmt *stmt,
	    enum store_rows_end end, store_row_fn *fn, void *arg,
	    struct kl_error *err);
int	 store_scalar(struct store *store, sqlite3_stmt *stmt,
	    enum store_rows_end end, int64_t *value, bool *found,
	    struct kl_error *err);
int	 store_text(struct store *store, sqlite3_stmt *stmt,
	    enum store_rows_end end, char **text, struct kl_error *err);
int	 store_json_drop(json_t **json);
void	 store_bind_day(sqlite3_stmt *stmt, int index, kl_day day);
void	 store_bind_cursor(sqlite3_stmt *stmt,
	    const struct store_cursor *after);
void	 store_bind_text(sqlite3_stmt *stmt, int index, const char *s);
json_t	*store_time_json(time_t t);
json_t	*store_column_time(sqlite3_stmt *stmt, int column);
int	 store_column_day(sqlite3_stmt *stmt, int column, kl_day *day,
	    struct kl_error *err);
void	 store_sql_routine_key(sqlite3_context *ctx, int argc,
	    sqlite3_value **argv);

/* store-txn.c */
int	 store_begin(struct store *store, struct kl_error *err);
int	 store_commit(struct store *store, json_t **entry,
	    struct kl_error *err);
int	 store_rollback(struct store *store);
int	 store_batch_sync(struct store *store, struct kl_error *err);

/* store-days.c */
void	 store_days_forget(struct store *store);
bool	 store_days_fresh(const struct store *store);
void	 store_days_added(struct store *store, kl_day day);

/* store-entry.c */
int	 store_entry_from_row(struct store *store, sqlite3_stmt *stmt,
	    json_t **entry, struct kl_error *err);

/* store-list.c */
void	 store_list_cache_clear(struct store_list_cache *cache);

/*
 * store-sync.c: what every write records when sync is on (a no-op when
 * it is off), inside the write's transaction. note: one operation of
 * kind on entry (tag and present for STORE_OP_TAG). note_tags: the tag
 * operations that take an entry from the tags before to the tags after
 * (arrays of strings). publish: a create (and a delete) for every entry
 * above after_id that has none yet, in bulk.
 */
int	 store_sync_note(struct store *store, int64_t entry,
	    enum store_op_kind kind, const char *tag, bool present,
	    struct kl_error *err);
int	 store_sync_note_tags(struct store *store, int64_t entry,
	    json_t *before, json_t *after, struct kl_error *err);
int	 store_sync_publish(struct store *store, int64_t after_id,
	    int64_t *published, struct kl_error *err);
int	 store_sync_device_id(struct store *store, const char *uuid,
	    int64_t *id, struct kl_error *err);
const char *store_sync_device_uuid(struct store *store, int64_t id);
int	 store_sync_save_clock(struct store *store, struct kl_error *err);
void	 store_sync_finish(struct store *store);

#endif
