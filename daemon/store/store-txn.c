/*
 * Transactions: every write is one BEGIN IMMEDIATE ... COMMIT, or inside
 * a batch (group commit) a savepoint of the batch's one transaction.
 */
#include "store-int.h"

/*
 * Fail the batch: its transaction is gone, or cannot be trusted. Every
 * later write of the batch is refused and store_batch_commit fails, so
 * the requests before this one get an error too.
 */
static void
store_batch_fail(struct store *store)
{
	store_days_forget(store);
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	store->batch.open = false;
	store->batch.failed = true;
}

/*
 * Whether the batch has failed. SQLite rolls the whole transaction back
 * on an I/O error or a full disk in any statement -- a read that spills
 * the page cache too, where no store function is watching -- so it is
 * asked here, before a savepoint would start a transaction of its own.
 */
static bool
store_batch_failed(struct store *store, struct kl_error *err)
{
	if (store->batch.open && sqlite3_get_autocommit(store->db))
		store_batch_fail(store);
	if (!store->batch.failed)
		return false;
	kl_error_set(err, KL_ERR_STORAGE, "storage failure: "
	    "the transaction of this batch was rolled back");
	return true;
}

/* Inside a batch: open its transaction if needed, then a savepoint. */
static int
store_batch_savepoint(struct store *store, struct kl_error *err)
{
	if (store_batch_failed(store, err))
		return -1;
	if (!store->batch.open) {
		if (store_run(store, store_stmt(store, STMT_BEGIN), err) == -1)
			return -1;
		store->batch.open = true;
	}
	return store_run(store, store_stmt(store, STMT_SAVEPOINT), err);
}

/* Start a write transaction, refusing at once on a read-only database. */
int
store_begin(struct store *store, struct kl_error *err)
{
	if (store->readonly)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "storage failure: database is read-only");
	store_days_forget(store);
	if (store->batch.active)
		return store_batch_savepoint(store, err);
	return store_run(store, store_stmt(store, STMT_BEGIN), err);
}

/* Roll back the open transaction, if any; returns -1 for tail calls. */
int
store_rollback(struct store *store)
{
	store_days_forget(store);
	/*
	 * In a batch, undo this write alone; unless SQLite already rolled
	 * the whole batch back (disk full, I/O error) or cannot undo it.
	 */
	if (store->batch.open) {
		if (sqlite3_get_autocommit(store->db) ||
		    sqlite3_exec(store->db, "ROLLBACK TO kindlog_write;"
		    "RELEASE kindlog_write", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_get_autocommit(store->db))
			store_batch_fail(store);
		return -1;
	}
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Commit; on failure roll back and drop *entry (if given). */
int
store_commit(struct store *store, json_t **entry, struct kl_error *err)
{
	enum store_stmt_id	id = store->batch.open ? STMT_RELEASE :
				    STMT_COMMIT;

	if (store_run(store, store_stmt(store, id), err) == 0)
		return 0;
	store_rollback(store);
	if (entry != NULL) {
		json_decref(*entry);
		*entry = NULL;
	}
	return -1;
}

bool
store_batch_active(const struct store *store)
{
	return store->batch.active;
}

void
store_batch_begin(struct store *store)
{
	store->batch = (struct store_batch){ .active = true };
}

/*
 * Commit the writes a batch has made so far and keep the batch going: the
 * next write opens a new transaction. A failure fails the whole batch.
 */
int
store_batch_sync(struct store *store, struct kl_error *err)
{
	if (!store->batch.active || !store->batch.open)
		return 0;
	store->batch.open = false;
	if (store_run(store, store_stmt(store, STMT_COMMIT), err) == 0)
		return 0;
	store_days_forget(store);
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	store->batch.failed = true;
	return -1;
}

int
store_batch_commit(struct store *store, struct kl_error *err)
{
	bool	failed = store_batch_failed(store, err);
	bool	open = store->batch.open;

	store->batch = (struct store_batch){ 0 };
	if (failed)
		return -1;
	if (!open)
		return 0;
	if (store_run(store, store_stmt(store, STMT_COMMIT), err) == 0)
		return 0;
	return store_rollback(store);
}
