/*
 * Sync, the peers' side: a peer's file applied in one transaction. Each
 * field of an entry (created, text, day, thanked, deleted, updated) is a
 * register holding the clock and device of its last write; an operation
 * writes a field only when its (clock, device id) is later. Tags are one
 * register each, present or removed. The registers of an entry are read
 * into a struct, changed in C and written back, so the entries table --
 * and with it the day counts that streaks, stats and reminders read --
 * always holds the merged state.
 *
 * An operation may arrive before its entry's create (three devices, files
 * crossing in any order): the entry is then a ghost -- a row no query
 * sees, with clocks but no created clock, and deleted_at 0 (or when it
 * was deleted) -- until its create arrives.
 */
#include <stdlib.h>
#include <string.h>

#include "routine.h"
#include "store-int.h"
#include "xmalloc.h"

enum store_sync_field {
	FIELD_CREATED,
	FIELD_TEXT,
	FIELD_DAY,
	FIELD_THANKED,
	FIELD_DELETED,
	FIELD_UPDATED,
	FIELD_COUNT
};

/* Who wrote a field last; dev 0: nobody (any write wins). */
struct store_sync_clock {
	int64_t	hlc;
	int64_t	dev;
};

/* One entry's fields and their clocks, as read and as they will be written. */
struct store_sync_state {
	int64_t			 id;
	char			*text;
	bool			 text_changed;
	char			 day[DAY_ISO_LEN];
	time_t			 created_at;
	time_t			 updated_at;
	bool			 thanked;
	bool			 thanked_changed;	/* taken back or earlier */
	time_t			 thanked_at;
	char			 how[8];
	bool			 created;
	bool			 deleted;
	time_t			 deleted_at;
	bool			 was_deleted;	/* created and deleted, at load */
	bool			 changed;
	struct store_sync_clock	 field[FIELD_COUNT];
};

/* Who writes: the operation's clock and device. */
struct store_sync_writer {
	int64_t		 hlc;
	int64_t		 dev;
	const char	*uuid;
};

/* Whether w is later than the clock c (ties broken by device id). */
static bool
store_sync_later(struct store *store, const struct store_sync_writer *w,
    const struct store_sync_clock *c)
{
	if (c->dev == 0)
		return true;
	return hlc_compare(w->hlc, w->uuid, c->hlc,
	    store_sync_device_uuid(store, c->dev)) > 0;
}

/* Take field f for w if w is later; true when it did. */
static bool
store_sync_take(struct store *store, struct store_sync_state *s,
    enum store_sync_field f, const struct store_sync_writer *w)
{
	if (!store_sync_later(store, w, &s->field[f]))
		return false;
	s->field[f].hlc = w->hlc;
	s->field[f].dev = w->dev;
	s->changed = true;
	return true;
}

/* Copy a string column into a fixed buffer ("" for NULL). */
static void
store_sync_copy(char *dst, size_t size, const unsigned char *src)
{
	snprintf(dst, size, "%s", src != NULL ? (const char *)src : "");
}

/* store_each_row: the state of the entry of STMT_SYNC_LOAD's row. */
static int
store_sync_state_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_sync_state	*s = arg;
	bool			 deleted_null, ghost;
	int			 i;

	s->id = sqlite3_column_int64(stmt, 0);
	s->text = xstrdup((const char *)sqlite3_column_text(stmt, 1));
	store_sync_copy(s->day, sizeof s->day, sqlite3_column_text(stmt, 2));
	s->created_at = (time_t)sqlite3_column_int64(stmt, 3);
	s->updated_at = (time_t)sqlite3_column_int64(stmt, 4);
	s->thanked = sqlite3_column_type(stmt, 5) != SQLITE_NULL;
	s->thanked_at = (time_t)sqlite3_column_int64(stmt, 5);
	store_sync_copy(s->how, sizeof s->how, sqlite3_column_text(stmt, 6));
	deleted_null = sqlite3_column_type(stmt, 7) == SQLITE_NULL;
	s->deleted_at = (time_t)sqlite3_column_int64(stmt, 7);
	for (i = 0; i < FIELD_COUNT; i++) {
		s->field[i].hlc = sqlite3_column_int64(stmt, 8 + 2 * i);
		s->field[i].dev = sqlite3_column_int64(stmt, 9 + 2 * i);
	}
	/* A ghost has clocks but no created clock (0 is "before any"). */
	ghost = sqlite3_column_type(stmt, 20) != SQLITE_NULL &&
	    sqlite3_column_type(stmt, 8) == SQLITE_NULL;
	s->created = !ghost;
	s->deleted = ghost ? s->deleted_at != 0 : !deleted_null;
	s->was_deleted = s->created && s->deleted;
	return 1;
}

/* Load the entry uuid, making a ghost of it when it is not there yet. */
static int
store_sync_load(struct store *store, const char *uuid,
    struct store_sync_state *s, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 pass;

	for (pass = 0; pass < 2; pass++) {
		memset(s, 0, sizeof *s);
		stmt = store_stmt(store, STMT_SYNC_LOAD);
		store_bind_text(stmt, 1, uuid);
		if (store_each_row(store, stmt, STORE_RESET,
		    store_sync_state_row, s, err) == -1)
			return -1;
		if (s->text != NULL)
			return 0;
		stmt = store_stmt(store, STMT_SYNC_GHOST);
		store_bind_text(stmt, 1, uuid);
		if (store_run(store, stmt, err) == -1)
			return -1;
		stmt = store_stmt(store, STMT_SYNC_WRITE_CLOCKS);
		sqlite3_bind_int64(stmt, 1, sqlite3_last_insert_rowid(
		    store->db));
		if (store_run(store, stmt, err) == -1)
			return -1;
	}
	return kl_error_set(err, KL_ERR_INTERNAL, "entry %s not stored", uuid);
}

/* Set the text (the routine key is made again when it is written). */
static void
store_sync_set_text(struct store_sync_state *s, const char *text)
{
	if (strcmp(s->text, text) == 0)
		return;
	free(s->text);
	s->text = xstrdup(text);
	s->text_changed = true;
}

/* Set thanked from an operation: how NULL takes the thank-you back. */
static void
store_sync_set_thanked(struct store_sync_state *s, const struct store_op *op)
{
	/*
	 * The update trigger keeps a later thank-you of the routine group,
	 * not an earlier one: only a thank-you taken back or made earlier
	 * has the group's latest looked for again (a scan of the group).
	 */
	if (s->thanked && (op->thanked_how == NULL ||
	    op->thanked_at < s->thanked_at))
		s->thanked_changed = true;
	s->thanked = op->thanked_how != NULL;
	s->thanked_at = op->thanked_how != NULL ? op->thanked_at : 0;
	store_sync_copy(s->how, sizeof s->how, (const unsigned char *)
	    (op->thanked_how != NULL ? op->thanked_how : ""));
}

/* Apply one tag register: present or removed, if w is later. */
static int
store_sync_tag(struct store *store, struct store_sync_state *s,
    const char *tag, bool present, const struct store_sync_writer *w,
    struct kl_error *err)
{
	struct store_sync_clock	 c = { 0 };
	sqlite3_stmt		*stmt = store_stmt(store, STMT_SYNC_TAG_GET);

	sqlite3_bind_int64(stmt, 1, s->id);
	store_bind_text(stmt, 2, tag);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		c.hlc = sqlite3_column_int64(stmt, 0);
		c.dev = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (!store_sync_later(store, w, &c))
		return 0;
	stmt = store_stmt(store, STMT_SYNC_TAG_SET);
	sqlite3_bind_int64(stmt, 1, s->id);
	sqlite3_bind_int64(stmt, 2, w->hlc);
	sqlite3_bind_int64(stmt, 3, w->dev);
	store_bind_text(stmt, 4, tag);
	sqlite3_bind_int(stmt, 5, present);
	if (store_run(store, stmt, err) == -1)
		return -1;
	stmt = store_stmt(store, present ? STMT_TAG_INSERT : STMT_SYNC_TAG_DROP);
	sqlite3_bind_int64(stmt, 1, s->id);
	store_bind_text(stmt, 2, tag);
	s->changed = true;
	return store_run(store, stmt, err);
}

/* A create: every field it carries, each if it is later, and its tags. */
static int
store_sync_create(struct store *store, struct store_sync_state *s,
    const struct store_op *op, const struct store_sync_writer *w,
    struct kl_error *err)
{
	json_t	*tag;
	size_t	 i;

	if (store_sync_take(store, s, FIELD_CREATED, w)) {
		s->created = true;
		s->created_at = op->created_at;
	}
	if (store_sync_take(store, s, FIELD_TEXT, w))
		store_sync_set_text(s, op->text);
	if (store_sync_take(store, s, FIELD_DAY, w))
		day_format(op->day, s->day);
	if (store_sync_take(store, s, FIELD_THANKED, w))
		store_sync_set_thanked(s, op);
	json_array_foreach(op->tags, i, tag) {
		if (json_is_string(tag) && store_sync_tag(store, s,
		    json_string_value(tag), true, w, err) == -1)
			return -1;
	}
	return 0;
}

/* Apply one operation to the entry's state. */
static int
store_sync_op(struct store *store, struct store_sync_state *s,
    const struct store_op *op, const struct store_sync_writer *w,
    struct kl_error *err)
{
	switch (op->kind) {
	case STORE_OP_CREATE:
		if (store_sync_create(store, s, op, w, err) == -1)
			return -1;
		break;
	case STORE_OP_TEXT:
		if (store_sync_take(store, s, FIELD_TEXT, w))
			store_sync_set_text(s, op->text);
		break;
	case STORE_OP_DAY:
		if (store_sync_take(store, s, FIELD_DAY, w))
			day_format(op->day, s->day);
		break;
	case STORE_OP_TAG:
		if (store_sync_tag(store, s, op->tag, op->on, w, err) == -1)
			return -1;
		break;
	case STORE_OP_THANKED:
		if (store_sync_take(store, s, FIELD_THANKED, w))
			store_sync_set_thanked(s, op);
		break;
	case STORE_OP_DELETED:
		if (store_sync_take(store, s, FIELD_DELETED, w)) {
			s->deleted = op->on;
			s->deleted_at = op->at > 0 ? op->at : 1;
		}
		return 0;	/* a delete is not an update */
	default:
		return 0;
	}
	if (store_sync_take(store, s, FIELD_UPDATED, w))
		s->updated_at = op->at;
	return 0;
}

/* Write the entry's fields back; the triggers keep the aggregates. */
static int
store_sync_write(struct store *store, struct store_sync_state *s,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_SYNC_WRITE);
	bool		 deleted = s->created && s->deleted;
	int		 i;

	sqlite3_bind_int64(stmt, 1, s->id);
	store_bind_text(stmt, 2, s->text);
	if (s->text_changed)
		sqlite3_bind_text(stmt, 3, routine_key(s->text), -1, free);
	store_bind_text(stmt, 4, s->day);
	sqlite3_bind_int64(stmt, 5, s->created_at);
	sqlite3_bind_int64(stmt, 6, s->updated_at);
	if (s->thanked) {
		sqlite3_bind_int64(stmt, 7, s->thanked_at);
		store_bind_text(stmt, 8, s->how);
	}
	if (!s->created)
		sqlite3_bind_int64(stmt, 9, s->deleted ? s->deleted_at : 0);
	else if (deleted)
		sqlite3_bind_int64(stmt, 9, s->deleted_at);
	sqlite3_bind_int(stmt, 10, deleted == s->was_deleted ? 0 :
	    deleted ? 1 : 2);
	if (store_run(store, stmt, err) == -1)
		return -1;
	if (s->thanked_changed) {
		stmt = store_stmt(store, STMT_ROUTINE_RETHANKED);
		sqlite3_bind_int64(stmt, 1, s->id);
		if (store_run(store, stmt, err) == -1)
			return -1;
	}
	stmt = store_stmt(store, STMT_SYNC_WRITE_CLOCKS);
	sqlite3_bind_int64(stmt, 1, s->id);
	for (i = 0; i < FIELD_COUNT; i++) {
		/* A created entry's created clock is never NULL. */
		if (s->field[i].dev == 0 && (i != FIELD_CREATED ||
		    !s->created))
			continue;
		sqlite3_bind_int64(stmt, 2 + 2 * i, s->field[i].hlc);
		sqlite3_bind_int64(stmt, 3 + 2 * i, s->field[i].dev);
	}
	return store_run(store, stmt, err);
}

/* Keep the line of an operation this version does not fully know. */
static int
store_sync_keep(struct store *store, const struct store_op *op, int64_t dev,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_SYNC_UNKNOWN);

	sqlite3_bind_int64(stmt, 1, dev);
	sqlite3_bind_int64(stmt, 2, op->hlc);
	store_bind_text(stmt, 3, op->line);
	return store_run(store, stmt, err);
}

/* Apply one operation of device dev; *changed when an entry changed. */
static int
store_sync_apply_op(struct store *store, const struct store_op *op,
    const struct store_sync_writer *w, bool *changed, struct kl_error *err)
{
	struct store_sync_state	s;
	int			rc = 0;

	*changed = false;
	hlc_receive(&store->sync.clock, op->hlc);
	if (op->line != NULL && store_sync_keep(store, op, w->dev, err) == -1)
		return -1;
	if (op->kind == STORE_OP_UNKNOWN)
		return 0;
	if (store_sync_load(store, op->entry, &s, err) == -1)
		return -1;
	if (store_sync_op(store, &s, op, w, err) == -1)
		rc = -1;
	else if (s.changed)
		rc = store_sync_write(store, &s, err);
	*changed = s.changed;
	free(s.text);
	return rc;
}

/* Apply the operations of a file of device dev. */
static int
store_sync_apply_ops(struct store *store, const struct store_sync_file *file,
    int64_t dev, int64_t *changed, struct kl_error *err)
{
	struct store_sync_writer w = { .dev = dev, .uuid = file->device };
	sqlite3_stmt		*stmt;
	int64_t			 last = 0;
	size_t			 i;
	bool			 one;

	for (i = 0; i < file->nops; i++) {
		w.hlc = file->ops[i].hlc;
		if (store_sync_apply_op(store, &file->ops[i], &w, &one,
		    err) == -1)
			return -1;
		*changed += one;
		if (w.hlc > last)
			last = w.hlc;
	}
	stmt = store_stmt(store, STMT_SYNC_DEVICE_SEEN);
	sqlite3_bind_int64(stmt, 1, dev);
	store_bind_text(stmt, 2, file->device_name);
	sqlite3_bind_int64(stmt, 3, last);
	sqlite3_bind_int64(stmt, 4, (int64_t)file->nops);
	return store_run(store, stmt, err);
}

/* Apply a peer's file and remember it, in one transaction. */
int
store_sync_apply(struct store *store, const struct store_sync_file *file,
    int64_t *changed, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int64_t		 dev;

	*changed = 0;
	if (!store->sync.on)
		return kl_error_set(err, KL_ERR_INTERNAL, "sync is off");
	if (store_begin(store, err) == -1)
		return -1;
	if (store_sync_device_id(store, file->device, &dev, err) == -1 ||
	    (file->error == NULL && store_sync_apply_ops(store, file, dev,
	    changed, err) == -1))
		return store_rollback(store);
	stmt = store_stmt(store, STMT_SYNC_FILE_SET);
	sqlite3_bind_int64(stmt, 1, dev);
	store_bind_text(stmt, 2, file->name);
	sqlite3_bind_int64(stmt, 3, file->size);
	sqlite3_bind_int64(stmt, 4, file->mtime);
	store_bind_text(stmt, 5, file->error);
	if (store_run(store, stmt, err) == -1 ||
	    store_sync_save_clock(store, err) == -1)
		return store_rollback(store);
	return store_commit(store, NULL, err);
}

/* Whether this file, as it is now, was applied or skipped before. */
int
store_sync_file_seen(struct store *store, const char *device,
    const char *name, int64_t size, int64_t mtime, bool *seen,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt = store_stmt(store, STMT_SYNC_DEVICE_GET);
	int64_t		 dev, n;
	bool		 found;

	*seen = false;
	store_bind_text(stmt, 1, device);
	if (store_scalar(store, stmt, STORE_RESET, &dev, &found, err) == -1)
		return -1;
	if (!found)
		return 0;
	stmt = store_stmt(store, STMT_SYNC_FILE_GET);
	sqlite3_bind_int64(stmt, 1, dev);
	store_bind_text(stmt, 2, name);
	sqlite3_bind_int64(stmt, 3, size);
	sqlite3_bind_int64(stmt, 4, mtime);
	if (store_scalar(store, stmt, STORE_RESET, &n, NULL, err) == -1)
		return -1;
	*seen = n > 0;
	return 0;
}

/* Prepare a one-off statement with ?1 bound to text. */
static int
store_sync_prepare(struct store *store, const char *sql, const char *text,
    sqlite3_stmt **stmt, struct kl_error *err)
{
	int	rc = sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	if (text != NULL)
		store_bind_text(*stmt, 1, text);
	return 0;
}

/* store_each_row: the row's name, unless names (arg) holds it, into gone. */
struct store_sync_prune {
	const char *const	*names;
	char			**gone;
	size_t			 ngone;
};

static int
store_sync_prune_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_sync_prune	*p = arg;
	const char		*name = (const char *)sqlite3_column_text(stmt, 0);
	size_t			 i;

	for (i = 0; p->names[i] != NULL; i++) {
		if (strcmp(p->names[i], name) == 0)
			return 0;
	}
	p->gone = xreallocarray(p->gone, p->ngone + 1, sizeof *p->gone);
	p->gone[p->ngone++] = xstrdup(name);
	return 0;
}

/* Forget the files of device no longer in its folder. */
int
store_sync_files_prune(struct store *store, const char *device,
    const char *const *names, struct kl_error *err)
{
	struct store_sync_prune	 p = { .names = names };
	sqlite3_stmt		*stmt;
	size_t			 i;
	int			 rc = -1;

	if (store_sync_prepare(store, "SELECT f.name FROM sync_files f JOIN"
	    " sync_devices d ON d.id = f.device WHERE d.uuid = ?1", device,
	    &stmt, err) == -1 ||
	    store_each_row(store, stmt, STORE_FINALIZE, store_sync_prune_row,
	    &p, err) == -1)
		goto out;
	rc = 0;
	if (p.ngone == 0 || store_begin(store, err) == -1) {
		rc = p.ngone == 0 ? 0 : -1;
		goto out;
	}
	for (i = 0; i < p.ngone && rc == 0; i++) {
		rc = store_sync_prepare(store, "DELETE FROM sync_files WHERE"
		    " name = ?1 AND device = (SELECT id FROM sync_devices"
		    " WHERE uuid = ?2)", p.gone[i], &stmt, err);
		if (rc == 0) {
			store_bind_text(stmt, 2, device);
			rc = store_run(store, stmt, err);
			sqlite3_finalize(stmt);
		}
	}
	rc = rc == 0 ? store_commit(store, NULL, err) : store_rollback(store);
out:
	for (i = 0; i < p.ngone; i++)
		free(p.gone[i]);
	free(p.gone);
	return rc;
}

/* store_each_row: one peer. */
static int
store_sync_peer_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	int64_t	last = sqlite3_column_int64(stmt, 2);
	json_t	*name = json_null(), *peer;

	if (sqlite3_column_type(stmt, 1) != SQLITE_NULL)
		name = json_string((const char *)sqlite3_column_text(stmt, 1));
	peer = json_pack("{s:s, s:o, s:o, s:I, s:I}", "device",
	    (const char *)sqlite3_column_text(stmt, 0), "name",
	    name != NULL ? name : json_null(), "last_change", last > 0 ?
	    store_time_json((time_t)(hlc_ms(last) / 1000)) : json_null(),
	    "operations", (json_int_t)sqlite3_column_int64(stmt, 3),
	    "files", (json_int_t)sqlite3_column_int64(stmt, 4));
	if (peer != NULL)
		json_array_append_new(arg, peer);
	return 0;
}

/* store_each_row: one skipped file. */
static int
store_sync_skipped_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	json_t	*file;

	file = json_pack("{s:s, s:s, s:s}", "device",
	    (const char *)sqlite3_column_text(stmt, 0), "file",
	    (const char *)sqlite3_column_text(stmt, 1), "error",
	    (const char *)sqlite3_column_text(stmt, 2));
	if (file != NULL)
		json_array_append_new(arg, file);
	return 0;
}

/* The peers, and the files skipped. */
int
store_sync_peers(struct store *store, json_t **peers, json_t **skipped,
    struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	*peers = json_array();
	*skipped = json_array();
	if (store_sync_prepare(store, "SELECT d.uuid, d.name, d.last_hlc,"
	    " d.ops, (SELECT count(*) FROM sync_files f WHERE f.device = d.id"
	    " AND f.error IS NULL) FROM sync_devices d WHERE d.uuid <> ?1"
	    " ORDER BY d.uuid", store->sync.device, &stmt, err) == -1 ||
	    store_each_row(store, stmt, STORE_FINALIZE, store_sync_peer_row,
	    *peers, err) == -1 ||
	    store_sync_prepare(store, "SELECT d.uuid, f.name, f.error FROM"
	    " sync_files f JOIN sync_devices d ON d.id = f.device"
	    " WHERE f.error IS NOT NULL ORDER BY d.uuid, f.name", NULL, &stmt,
	    err) == -1 ||
	    store_each_row(store, stmt, STORE_FINALIZE,
	    store_sync_skipped_row, *skipped, err) == -1) {
		json_decref(*skipped);
		*skipped = NULL;
		return store_json_drop(peers);
	}
	return 0;
}
