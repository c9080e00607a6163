/*
 * Statistics over a range of days, read from the aggregate tables the
 * schema's triggers keep: days and their counts, thank-yous, tags and
 * repeated gestures.
 */
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

/* The days in range with live entries, ascending, with counts. */
int
store_day_counts(struct store *store, const struct store_range *range,
    struct store_day_count **days, size_t *ndays, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	size_t		 alloc = 0;
	int		 rc;

	*days = NULL;
	*ndays = 0;
	if (store_range_prepare(store, "SELECT day, n FROM day_counts"
	    " WHERE day BETWEEN ?1 AND ?2 ORDER BY day", range, &stmt,
	    err) == -1)
		return -1;
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		if (*ndays == alloc) {
			alloc = alloc == 0 ? 64 : alloc * 2;
			*days = xreallocarray(*days, alloc, sizeof **days);
		}
		if ((rc = store_column_day(stmt, 0, &(*days)[*ndays].day,
		    err)) == -1)
			break;
		(*days)[(*ndays)++].count = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc == -1) {
		free(*days);
		*days = NULL;
		*ndays = 0;
		return -1;
	}
	return 0;
}

/* The number of thanked live entries in range. */
int
store_thanked_count(struct store *store, const struct store_range *range,
    int64_t *thanked, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	if (store_range_prepare(store, "SELECT coalesce(sum(thanked), 0)"
	    " FROM day_counts WHERE day BETWEEN ?1 AND ?2", range, &stmt,
	    err) == -1)
		return -1;
	rc = store_scalar(store, stmt, thanked, err);
	sqlite3_finalize(stmt);
	return rc;
}

/* The most used tags in range as [{"tag", "count"}]. */
int
store_top_tags(struct store *store, const struct store_range *range,
    int limit, json_t **tags, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	int		 rc;

	*tags = NULL;
	if (store_range_prepare(store, "SELECT tag, sum(n) AS total"
	    " FROM tag_day_counts WHERE day BETWEEN ?1 AND ?2"
	    " GROUP BY tag ORDER BY total DESC, tag LIMIT ?3", range, &stmt,
	    err) == -1)
		return -1;
	sqlite3_bind_int(stmt, 3, limit);
	*tags = json_array();
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW)
		json_array_append_new(*tags, json_pack("{s:s, s:I}", "tag",
		    (const char *)sqlite3_column_text(stmt, 0), "count",
		    (json_int_t)sqlite3_column_int64(stmt, 1)));
	sqlite3_finalize(stmt);
	if (rc == -1) {
		json_decref(*tags);
		*tags = NULL;
		return -1;
	}
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

/* Repeated gestures in range, by tag and by routine_key() of the text. */
int
store_routine(struct store *store, const struct store_range *range,
    int limit, json_t **routine, struct kl_error *err)
{
	sqlite3_stmt	*stmt;
	json_t		*item, *thanked;
	const char	*sql;
	int		 rc;

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
	while ((rc = store_step(store, stmt, err)) == SQLITE_ROW) {
		thanked = sqlite3_column_type(stmt, 3) == SQLITE_NULL ?
		    json_null() : store_column_time(stmt, 3);
		item = json_pack("{s:s, s:I, s:s, s:o}",
		    "key", (const char *)sqlite3_column_text(stmt, 0),
		    "count", (json_int_t)sqlite3_column_int64(stmt, 1),
		    "last_day", (const char *)sqlite3_column_text(stmt, 2),
		    "last_thanked", thanked);
		if (item != NULL)
			json_array_append_new(*routine, item);
	}
	sqlite3_finalize(stmt);
	if (rc == -1) {
		json_decref(*routine);
		*routine = NULL;
		return -1;
	}
	return 0;
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
	rc = store_step(store, stmt, err);
	if (rc == SQLITE_ROW)
		*at = sqlite3_column_type(stmt, 0) == SQLITE_NULL ?
		    json_null() : store_column_time(stmt, 0);
	sqlite3_finalize(stmt);
	return rc == -1 ? -1 : 0;
}
