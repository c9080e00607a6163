/*
 * Reflections: one row per reflection and one per answer, written once
 * in one transaction and read back whole. They are few (about one a
 * week), so their statements are prepared when used rather than kept,
 * except the newest's, which every summary asks for.
 */
#include <string.h>

#include "store-int.h"

/* Columns of a reflection query, in the order store_reflect_row reads. */
#define STORE_REFLECT_COLUMNS \
	"r.id, r.uuid, r.day, r.created_at, a.question, a.answer"

/* Reflections as store_reflect_row builds them from joined rows. */
struct store_reflect_rows {
	json_t			*reflections;
	json_t			*answers;	/* of the last reflection */
	int64_t			 id;		/* the last reflection's */
	size_t			 bytes;
	size_t			 max_bytes;	/* 0: no limit */
	struct store_cursor	*last;		/* NULL: not a page */
};

/* A REFLECTION without answers yet; NULL if a string is not UTF-8. */
static json_t *
store_reflect_pack(int64_t id, const char *uuid, const char *day,
    time_t created_at)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:[]}", "id", (json_int_t)id,
	    "uuid", uuid, "day", day, "created_at",
	    store_time_json(created_at), "answers");
}

/* An answer object; KL_ERR_STORAGE if a string is not UTF-8. */
static int
store_reflect_answer(json_t *answers, const char *question,
    const char *answer, int64_t id, struct kl_error *err)
{
	json_t	*a;

	a = json_pack("{s:s, s:s}", "question", question, "answer", answer);
	if (a == NULL)
		return kl_error_set(err, KL_ERR_STORAGE, "storage failure: "
		    "reflection #%lld is not valid UTF-8", (long long)id);
	json_array_append_new(answers, a);
	return 0;
}

/*
 * store_each_row: one answer row; the first of a reflection starts it,
 * unless the page is full, which ends the rows at a whole reflection.
 */
static int
store_reflect_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_reflect_rows	*rows = arg;
	int64_t				 id = sqlite3_column_int64(stmt, 0);
	json_t				*r;

	if (rows->answers == NULL || id != rows->id) {
		if (rows->max_bytes > 0 && rows->bytes >= rows->max_bytes)
			return 1;
		r = store_reflect_pack(id,
		    (const char *)sqlite3_column_text(stmt, 1),
		    (const char *)sqlite3_column_text(stmt, 2),
		    (time_t)sqlite3_column_int64(stmt, 3));
		if (r == NULL)
			return kl_error_set(err, KL_ERR_STORAGE,
			    "storage failure: reflection #%lld is not valid "
			    "UTF-8", (long long)id);
		if (rows->last != NULL) {
			if (store_column_day(stmt, 2, &rows->last->day,
			    err) == -1) {
				json_decref(r);
				return -1;
			}
			rows->last->id = id;
		}
		json_array_append_new(rows->reflections, r);
		rows->answers = json_object_get(r, "answers");
		rows->id = id;
		rows->bytes += 128;
	}
	rows->bytes += (size_t)sqlite3_column_bytes(stmt, 4) +
	    (size_t)sqlite3_column_bytes(stmt, 5);
	return store_reflect_answer(rows->answers,
	    (const char *)sqlite3_column_text(stmt, 4),
	    (const char *)sqlite3_column_text(stmt, 5), id, err);
}

/* Prepare a one-off statement. */
static int
store_reflect_prepare(struct store *store, const char *sql,
    sqlite3_stmt **stmt, struct kl_error *err)
{
	int	rc = sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	return 0;
}

/* Run a prepared reflection query into a new array *reflections. */
static int
store_reflect_rows(struct store *store, sqlite3_stmt *stmt,
    struct store_reflect_rows *rows, json_t **reflections,
    struct kl_error *err)
{
	*reflections = rows->reflections = json_array();
	if (store_each_row(store, stmt, STORE_FINALIZE, store_reflect_row,
	    rows, err) == -1)
		return store_json_drop(reflections);
	return 0;
}

/* Insert the reflection's rows; *id is its new id. */
static int
store_reflect_insert(struct store *store, const char *uuid, kl_day day,
    const struct store_answer *answers, size_t nanswers, time_t now,
    int64_t *id, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	size_t		 i;
	int		 rc;

	if (store_reflect_prepare(store, "INSERT INTO reflections"
	    " (uuid, day, created_at) VALUES (?1, ?2, ?3)", &stmt, err) == -1)
		return -1;
	store_bind_text(stmt, 1, uuid);
	store_bind_day(stmt, 2, day);
	sqlite3_bind_int64(stmt, 3, now);
	rc = store_run(store, stmt, err);
	sqlite3_finalize(stmt);
	if (rc == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(store->db);
	if (store_reflect_prepare(store, "INSERT INTO reflection_answers"
	    " (reflection_id, position, question, answer)"
	    " VALUES (?1, ?2, ?3, ?4)", &stmt, err) == -1)
		return -1;
	for (i = 0; i < nanswers && rc == 0; i++) {
		sqlite3_bind_int64(stmt, 1, *id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
		store_bind_text(stmt, 3, answers[i].question);
		store_bind_text(stmt, 4, answers[i].answer);
		rc = store_run(store, stmt, err);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Add a reflection at time now; *reflection is built from what was
 * stored rather than read back.
 */
int
store_reflect_add(struct store *store, kl_day day,
    const struct store_answer *answers, size_t nanswers, time_t now,
    json_t **reflection, struct kl_error *err)
{
	char	uuid[UUID_STR_LEN], iso[DAY_ISO_LEN];
	int64_t	id;
	size_t	i;

	*reflection = NULL;
	if (nanswers == 0)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "a reflection needs at least one answer");
	uuid_generate(uuid);
	if (store_begin(store, err) == -1)
		return -1;
	if (store_reflect_insert(store, uuid, day, answers, nanswers, now,
	    &id, err) == -1)
		return store_rollback(store);
	*reflection = store_reflect_pack(id, uuid, day_format(day, iso), now);
	if (*reflection == NULL) {
		kl_error_set(err, KL_ERR_STORAGE,
		    "storage failure: reflection is not valid UTF-8");
		return store_rollback(store);
	}
	for (i = 0; i < nanswers; i++) {
		if (store_reflect_answer(json_object_get(*reflection,
		    "answers"), answers[i].question, answers[i].answer, id,
		    err) == -1) {
			store_json_drop(reflection);
			return store_rollback(store);
		}
	}
	return store_commit(store, reflection, err);
}

/* Bind a range's ends as ?1 and ?2, an open end as the widest. */
static void
store_reflect_bind_range(sqlite3_stmt *stmt, const struct store_range *range)
{
	if (range != NULL && range->has_since)
		store_bind_day(stmt, 1, range->since);
	else
		sqlite3_bind_text(stmt, 1, "", -1, SQLITE_STATIC);
	if (range != NULL && range->has_until)
		store_bind_day(stmt, 2, range->until);
	else
		sqlite3_bind_text(stmt, 2, "9999-12-31", -1, SQLITE_STATIC);
}

/* The number of reflections in range. */
static int
store_reflect_count(struct store *store, const struct store_range *range,
    int64_t *total, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	if (store_reflect_prepare(store, "SELECT count(*) FROM reflections"
	    " WHERE day >= ?1 AND day <= ?2", &stmt, err) == -1)
		return -1;
	store_reflect_bind_range(stmt, range);
	return store_scalar(store, stmt, STORE_FINALIZE, total, NULL, err);
}

/* Reflections of range, newest first, and how many range holds. */
int
store_reflect_list(struct store *store, const struct store_range *range,
    int64_t limit, int64_t offset, json_t **reflections, int64_t *total,
    struct kl_error *err)
{
	struct store_reflect_rows	 rows = { 0 };
	sqlite3_stmt			*stmt;

	*reflections = NULL;
	*total = 0;
	if (store_reflect_count(store, range, total, err) == -1 ||
	    store_reflect_prepare(store, "SELECT " STORE_REFLECT_COLUMNS
	    " FROM (SELECT id, uuid, day, created_at FROM reflections"
	    "  WHERE day >= ?1 AND day <= ?2"
	    "  ORDER BY day DESC, id DESC LIMIT ?3 OFFSET ?4) r"
	    " JOIN reflection_answers a ON a.reflection_id = r.id"
	    " ORDER BY r.day DESC, r.id DESC, a.position", &stmt, err) == -1)
		return -1;
	store_reflect_bind_range(stmt, range);
	sqlite3_bind_int64(stmt, 3, limit < 0 ? -1 : limit);
	sqlite3_bind_int64(stmt, 4, offset < 0 ? 0 : offset);
	return store_reflect_rows(store, stmt, &rows, reflections, err);
}

/* The newest reflection, as store_reflect_last_row reads it. */
struct store_reflect_last {
	char	*uuid;
	kl_day	*day;
	bool	 found;
};

/* store_reflect_last's row: the uuid and day of the newest reflection. */
static int
store_reflect_last_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_reflect_last	*last = arg;
	const char			*uuid;

	uuid = (const char *)sqlite3_column_text(stmt, 0);
	if (uuid == NULL || strlen(uuid) >= UUID_STR_LEN)
		return kl_error_set(err, KL_ERR_STORAGE,
		    "storage failure: bad reflection uuid in database");
	if (store_column_day(stmt, 1, last->day, err) == -1)
		return -1;
	memcpy(last->uuid, uuid, strlen(uuid) + 1);
	last->found = true;
	return 1;
}

int
store_reflect_last(struct store *store, char *uuid, kl_day *day,
    bool *found, struct kl_error *err)
{
	struct store_reflect_last	last = { uuid, day, false };
	int				rc;

	*uuid = '\0';
	rc = store_each_row(store, store_stmt(store, STMT_REFLECT_LAST),
	    STORE_RESET, store_reflect_last_row, &last, err);
	*found = rc == 0 && last.found;
	return rc;
}

/* One page of an export: reflections after the cursor, by day then id. */
int
store_reflect_page(struct store *store, const struct store_cursor *after,
    int64_t limit, size_t max_bytes, json_t **reflections,
    struct store_cursor *last, struct kl_error *err)
{
	struct store_reflect_rows	 rows = { .max_bytes = max_bytes,
					    .last = last };
	sqlite3_stmt			*stmt;

	*reflections = NULL;
	if (store_reflect_prepare(store, "SELECT " STORE_REFLECT_COLUMNS
	    " FROM (SELECT id, uuid, day, created_at FROM reflections"
	    "  WHERE (day, id) > (?1, ?2) ORDER BY day, id LIMIT ?3) r"
	    " JOIN reflection_answers a ON a.reflection_id = r.id"
	    " ORDER BY r.day, r.id, a.position", &stmt, err) == -1)
		return -1;
	store_bind_cursor(stmt, after);
	sqlite3_bind_int64(stmt, 3, limit);
	return store_reflect_rows(store, stmt, &rows, reflections, err);
}
