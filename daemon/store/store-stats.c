/*
 * Statistics over a range of days, read from the aggregate tables the
 * schema's triggers keep: days and their counts, thank-yous, tags and
 * repeated gestures.
 */
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "xmalloc.h"

/*
 * Prepare a one-off query whose ?1 and ?2 are the ends of range (open ends
 * bound to bounds every YYYY-MM-DD day sorts between).
 */
static int
store_range_prepare(struct store *store, const char *sql,
    const struct store_range *range, sqlite3_stmt **stmt,
    struct kl_error *err)
{
	int	rc = sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL);

	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	store_bind_text(*stmt, 1, "0000-00-00");
	store_bind_text(*stmt, 2, "9999-99-99");
	if (range != NULL && range->has_since)
		store_bind_day(*stmt, 1, range->since);
	if (range != NULL && range->has_until)
		store_bind_day(*stmt, 2, range->until);
	return 0;
}

/* A timestamp column as an RFC 3339 JSON string, or JSON null. */
static json_t *
store_column_thanked(sqlite3_stmt *stmt, int column)
{
	if (sqlite3_column_type(stmt, column) == SQLITE_NULL)
		return json_null();
	return store_column_time(stmt, column);
}

/* The days store_day_counts reads. */
struct store_day_counts {
	struct store_day_count	*days;
	size_t			 ndays;
	size_t			 alloc;
};

/* store_each_row: one day and its count. */
static int
store_day_count_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_day_counts	*r = arg;

	if (r->ndays == r->alloc) {
		r->alloc = r->alloc == 0 ? 64 : r->alloc * 2;
		r->days = xreallocarray(r->days, r->alloc, sizeof *r->days);
	}
	if (store_column_day(stmt, 0, &r->days[r->ndays].day, err) == -1)
		return -1;
	r->days[r->ndays++].count = sqlite3_column_int64(stmt, 1);
	return 0;
}

/* The days in range with live entries, ascending, with counts. */
int
store_day_counts(struct store *store, const struct store_range *range,
    struct store_day_count **days, size_t *ndays, struct kl_error *err)
{
	struct store_day_counts	 r = { 0 };
	sqlite3_stmt		*stmt;

	*days = NULL;
	*ndays = 0;
	if (store_range_prepare(store, "SELECT day, n FROM day_counts"
	    " WHERE day BETWEEN ?1 AND ?2 ORDER BY day", range, &stmt,
	    err) == -1)
		return -1;
	if (store_each_row(store, stmt, STORE_FINALIZE, store_day_count_row,
	    &r, err) == -1) {
		free(r.days);
		return -1;
	}
	*days = r.days;
	*ndays = r.ndays;
	return 0;
}

/* The number of thanked live entries in range. */
int
store_thanked_count(struct store *store, const struct store_range *range,
    int64_t *thanked, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	if (store_range_prepare(store, "SELECT coalesce(sum(thanked), 0)"
	    " FROM day_counts WHERE day BETWEEN ?1 AND ?2", range, &stmt,
	    err) == -1)
		return -1;
	return store_scalar(store, stmt, STORE_FINALIZE, thanked, NULL, err);
}

/* store_each_row: append the row's {"tag", "count"} to the array arg. */
static int
store_tag_count_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	json_array_append_new(arg, json_pack("{s:s, s:I}", "tag",
	    (const char *)sqlite3_column_text(stmt, 0), "count",
	    (json_int_t)sqlite3_column_int64(stmt, 1)));
	return 0;
}

/* The most used tags in range as [{"tag", "count"}]. */
int
store_top_tags(struct store *store, const struct store_range *range,
    int limit, json_t **tags, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	*tags = NULL;
	if (store_range_prepare(store, "SELECT tag, sum(n) AS total"
	    " FROM tag_day_counts WHERE day BETWEEN ?1 AND ?2"
	    " GROUP BY tag ORDER BY total DESC, tag LIMIT ?3", range, &stmt,
	    err) == -1)
		return -1;
	sqlite3_bind_int(stmt, 3, limit);
	*tags = json_array();
	if (store_each_row(store, stmt, STORE_FINALIZE, store_tag_count_row,
	    *tags, err) == -1)
		return store_json_drop(tags);
	return 0;
}

/*
 * Repeated tags from the per-tag-day counts, then repeated texts: over the
 * whole log from routine_counts, over a range by grouping its entries.
 */
#define STORE_ROUTINE_TAGS \
	"SELECT 'tag:' || tag AS key, sum(n) AS n, max(day),"		\
	"  max(thanked_max) FROM tag_day_counts"			\
	" WHERE day BETWEEN ?1 AND ?2 GROUP BY tag HAVING sum(n) >= 2"	\
	" UNION ALL "
#define STORE_ROUTINE_ORDER " ORDER BY 2 DESC, 1 LIMIT ?3"

/* store_each_row: append the row's routine item to the array arg. */
static int
store_routine_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	json_t	*item;

	item = json_pack("{s:s, s:I, s:s, s:o}",
	    "key", (const char *)sqlite3_column_text(stmt, 0),
	    "count", (json_int_t)sqlite3_column_int64(stmt, 1),
	    "last_day", (const char *)sqlite3_column_text(stmt, 2),
	    "last_thanked", store_column_thanked(stmt, 3));
	if (item != NULL)
		json_array_append_new(arg, item);
	return 0;
}

/* Repeated gestures in range, by tag and by routine_key() of the text. */
int
store_routine(struct store *store, const struct store_range *range,
    int limit, json_t **routine, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	const char	*sql;

	*routine = NULL;
	if (range == NULL || (!range->has_since && !range->has_until))
		sql = STORE_ROUTINE_TAGS
		    "SELECT * FROM (SELECT 'text:' || key, n, last_day,"
		    "  last_thanked FROM routine_counts WHERE n >= 2"
		    "  ORDER BY n DESC, key LIMIT ?3)" STORE_ROUTINE_ORDER;
	else
		sql = STORE_ROUTINE_TAGS
		    "SELECT 'text:' || routine_key, count(*), max(day),"
		    "  max(thanked_at) FROM entries"
		    "  WHERE deleted_at IS NULL AND day BETWEEN ?1 AND ?2"
		    "  GROUP BY routine_key"
		    "  HAVING count(*) >= 2 AND routine_key <> ''"
		    STORE_ROUTINE_ORDER;
	if (store_range_prepare(store, sql, range, &stmt, err) == -1)
		return -1;
	sqlite3_bind_int(stmt, 3, limit);
	*routine = json_array();
	if (store_each_row(store, stmt, STORE_FINALIZE, store_routine_row,
	    *routine, err) == -1)
		return store_json_drop(routine);
	return 0;
}

/* store_each_row: the row's thank-you time (or null) into *arg. */
static int
store_thanked_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	*(json_t **)arg = store_column_thanked(stmt, 0);
	return 1;
}

/* The latest thank-you of a routine group over the whole log, or null. */
int
store_routine_thanked(struct store *store, const char *key, json_t **at,
    struct kl_error *err)
{
	const char	*sql, *value;
	sqlite3_stmt	*stmt;
	int		 rc;

	*at = NULL;
	if (strncmp(key, "tag:", 4) == 0) {
		sql = "SELECT max(thanked_max) FROM tag_day_counts"
		    " WHERE tag = ?1";
		value = key + 4;
	} else if (strncmp(key, "text:", 5) == 0) {
		sql = "SELECT (SELECT last_thanked FROM routine_counts"
		    " WHERE key = ?1)";
		value = key + 5;
	} else
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "not a routine key: %.64s", key);
	rc = sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	store_bind_text(stmt, 1, value);
	return store_each_row(store, stmt, STORE_FINALIZE, store_thanked_row,
	    at, err);
}
