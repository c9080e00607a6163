/*
 * The counted days: every day with a live entry and the number of live
 * entries, read from day_counts and kept while no write has touched them.
 */
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "xmalloc.h"

/* Forget the cached days; the next store_days() reads day_counts. */
void
store_days_forget(struct store *store)
{
	store->days.valid = false;
}

/* True when the cached days still describe the database. */
bool
store_days_fresh(const struct store *store)
{
	return store->days.valid &&
	    store->days.changes == sqlite3_total_changes64(store->db);
}

/* Where day is, or would go, in the cached days (ascending). */
static size_t
store_days_find(const struct store_days_cache *c, kl_day day)
{
	size_t	lo = 0, hi = c->ndays, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->days[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A live entry was added on day, after a fresh cache: count it there. */
void
store_days_added(struct store *store, kl_day day)
{
	struct store_days_cache	*c = &store->days;
	size_t			 lo = store_days_find(c, day);

	if (lo == c->ndays || c->days[lo] != day) {
		if (c->ndays == c->alloc) {
			c->alloc = c->alloc == 0 ? 64 : c->alloc * 2;
			c->days = xreallocarray(c->days, c->alloc,
			    sizeof *c->days);
		}
		memmove(c->days + lo + 1, c->days + lo,
		    (c->ndays - lo) * sizeof *c->days);
		c->days[lo] = day;
		c->ndays++;
	}
	c->entries++;
	c->changes = sqlite3_total_changes64(store->db);
	c->valid = true;
}

/* The counted days as store_days reads them from day_counts. */
struct store_days_read {
	kl_day	*days;
	size_t	 ndays;
	size_t	 alloc;
	int64_t	 entries;
};

/* store_each_row: one counted day and its live entries. */
static int
store_days_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_days_read	*r = arg;
	kl_day			 day;

	if (store_column_day(stmt, 0, &day, err) == -1)
		return -1;
	if (r->ndays == r->alloc) {
		r->alloc = r->alloc == 0 ? 64 : r->alloc * 2;
		r->days = xreallocarray(r->days, r->alloc, sizeof *r->days);
	}
	r->days[r->ndays++] = day;
	r->entries += sqlite3_column_int64(stmt, 1);
	return 0;
}

/*
 * The counted days in ascending order and the number of live entries:
 * read into the cache unless it is fresh, then copied from it.
 */
int
store_days(struct store *store, kl_day **days, size_t *ndays,
    int64_t *entries, struct kl_error *err)
{
	struct store_days_cache	*c = &store->days;
	struct store_days_read	 r = { 0 };

	*days = NULL;
	*ndays = 0;
	*entries = 0;
	if (!store_days_fresh(store)) {
		if (store_each_row(store, store_stmt(store, STMT_DAYS),
		    STORE_RESET, store_days_row, &r, err) == -1) {
			free(r.days);
			return -1;
		}
		free(c->days);
		c->days = r.days;
		c->ndays = r.ndays;
		c->alloc = r.alloc;
		c->entries = r.entries;
		c->changes = sqlite3_total_changes64(store->db);
		c->valid = true;
	}
	if (c->ndays > 0) {
		*days = xreallocarray(NULL, c->ndays, sizeof **days);
		memcpy(*days, c->days, c->ndays * sizeof **days);
	}
	*ndays = c->ndays;
	*entries = c->entries;
	return 0;
}

bool
store_day_cached(struct store *store, kl_day day, bool *logged)
{
	size_t	i;

	if (!store_days_fresh(store))
		return false;
	i = store_days_find(&store->days, day);
	*logged = i < store->days.ndays && store->days.days[i] == day;
	return true;
}
