/* Small daemon state (snooze, pause) in the settings table. */
#include "store-int.h"

/* The value stored under key, or NULL; *value is a new string. */
int
store_setting_get(struct store *store, const char *key, char **value,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_SETTING_GET);

	store_bind_text(stmt, 1, key);
	return store_text(store, stmt, STORE_RESET, value, err);
}

/* Store value under key (NULL removes it) in its own transaction. */
int
store_setting_set(struct store *store, const char *key, const char *value,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	if (store_begin(store, err) == -1)
		return -1;
	if (value == NULL) {
		stmt = store_stmt(store, STMT_SETTING_DELETE);
		store_bind_text(stmt, 1, key);
	} else {
		stmt = store_stmt(store, STMT_SETTING_SET);
		store_bind_text(stmt, 1, key);
		store_bind_text(stmt, 2, value);
	}
	if (store_run(store, stmt, err) == -1)
		return store_rollback(store);
	return store_commit(store, NULL, err);
}
