/*
 * Lists of entries: the filtered, paged list (its SQL built from fixed
 * fragments, its statements cached per filter combination) and the pages
 * of an export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store-int.h"
#include "xmalloc.h"

/* The words of a grep string, pointing into a private copy. */
struct store_words {
	char	 *copy;
	char	**word;
	size_t	  n;
};

/* Split a grep string into whitespace-separated words. */
static void
store_words_split(const char *grep, struct store_words *words)
{
	char	*word, *state = NULL;

	*words = (struct store_words){ 0 };
	if (grep == NULL)
		return;
	words->copy = xstrdup(grep);
	word = strtok_r(words->copy, " \t\n\r\f\v", &state);
	while (word != NULL) {
		words->word = xreallocarray(words->word, words->n + 1,
		    sizeof *words->word);
		words->word[words->n++] = word;
		word = strtok_r(NULL, " \t\n\r\f\v", &state);
	}
}

/* Free the words of a grep string. */
static void
store_words_free(struct store_words *words)
{
	free(words->word);
	free(words->copy);
}

/* The filter combination a query uses. */
static unsigned
store_list_flags(const struct store_query *query,
    const struct store_words *words)
{
	unsigned	flags = 0;

	if (query->has_since)
		flags |= STORE_LIST_SINCE;
	if (query->has_until)
		flags |= STORE_LIST_UNTIL;
	if (query->tag != NULL)
		flags |= STORE_LIST_TAG;
	if (query->unthanked)
		flags |= STORE_LIST_UNTHANKED;
	if (words->n > 0)
		flags |= STORE_LIST_GREP;
	return flags;
}

/* The SQL of a list query: head, then the filter fragments, then tail. */
static char *
store_list_sql(const char *head, unsigned flags, size_t nwords,
    const char *tail)
{
	char	*sql = NULL;
	size_t	 len = 0, i;
	FILE	*f;

	if ((f = open_memstream(&sql, &len)) == NULL)
		fatal("open_memstream");
	fputs(head, f);
	fputs(" FROM entries e WHERE e.deleted_at IS NULL", f);
	if (flags & STORE_LIST_SINCE)
		fputs(" AND e.day >= ?", f);
	if (flags & STORE_LIST_UNTIL)
		fputs(" AND e.day <= ?", f);
	if (flags & STORE_LIST_TAG)
		fputs(" AND e.id IN"
		    " (SELECT entry_id FROM entry_tags WHERE tag = ?)", f);
	if (flags & STORE_LIST_UNTHANKED)
		fputs(" AND e.thanked_at IS NULL", f);
	for (i = 0; i < nwords; i++)
		fputs(" AND instr(lower(e.text), lower(?)) > 0", f);
	fputs(tail, f);
	if (fclose(f) != 0)
		fatal("open_memstream");
	return sql;
}

/* Free the cached statements of one filter combination. */
void
store_list_cache_clear(struct store_list_cache *cache)
{
	sqlite3_finalize(cache->rows);
	sqlite3_finalize(cache->count);
	*cache = (struct store_list_cache){ 0 };
}

/* The cached statements for a filter combination, prepared if needed. */
static int
store_list_prepare(struct store *store, unsigned flags, size_t nwords,
    struct store_list_cache **out, struct kl_error *err)
{
	struct store_list_cache	*cache = &store->list[flags];

	*out = cache;
	if (cache->rows != NULL && cache->nwords == nwords)
		return 0;
	store_list_cache_clear(cache);
	cache->nwords = nwords;
	if (store_prepare(store, store_list_sql("SELECT " STORE_ENTRY_COLUMNS,
	    flags, nwords, " ORDER BY e.day DESC, e.id DESC LIMIT ? OFFSET ?"),
	    &cache->rows, err) == -1 ||
	    store_prepare(store, store_list_sql("SELECT count(*)", flags,
	    nwords, ""), &cache->count, err) == -1) {
		store_list_cache_clear(cache);
		return -1;
	}
	return 0;
}

/* Bind the filter values in fragment order; returns the next index. */
static int
store_list_bind(sqlite3_stmt *stmt, const struct store_query *query,
    const struct store_words *words)
{
	int	index = 1;
	size_t	i;

	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (query->has_since)
		store_bind_day(stmt, index++, query->since);
	if (query->has_until)
		store_bind_day(stmt, index++, query->until);
	if (query->tag != NULL)
		store_bind_text(stmt, index++, query->tag);
	for (i = 0; i < words->n; i++)
		store_bind_text(stmt, index++, words->word[i]);
	return index;
}

/*
 * Count the matches. day_counts answers when only days and "unthanked"
 * filter: it has a row per day with its entries and thanked ones, where
 * counting unthanked entries would visit every row of entries.
 */
static int
store_list_total(struct store *store, const struct store_query *query,
    unsigned flags, const struct store_words *words,
    struct store_list_cache *cache, int64_t *total, struct kl_error *err)
{
	sqlite3_stmt	*stmt;

	if ((flags & ~(unsigned)(STORE_LIST_SINCE | STORE_LIST_UNTIL |
	    STORE_LIST_UNTHANKED)) != 0) {
		store_list_bind(cache->count, query, words);
		return store_scalar(store, cache->count, STORE_RESET, total,
		    NULL, err);
	}
	stmt = store_stmt(store, (flags & STORE_LIST_UNTHANKED) ?
	    STMT_DAY_UNTHANKED : STMT_DAY_TOTAL);
	store_bind_text(stmt, 1, "0000-00-00");
	store_bind_text(stmt, 2, "9999-99-99");
	if (query->has_since)
		store_bind_day(stmt, 1, query->since);
	if (query->has_until)
		store_bind_day(stmt, 2, query->until);
	return store_scalar(store, stmt, STORE_RESET, total, NULL, err);
}

/* store_each_row: append the row's ENTRY to the array arg. */
static int
store_list_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	json_t	*entry;

	if (store_entry_from_row(store, stmt, &entry, err) == -1)
		return -1;
	json_array_append_new(arg, entry);
	return 0;
}

/* Run a list query with its cached statements. */
static int
store_list_run(struct store *store, const struct store_query *query,
    const struct store_words *words, json_t *array, int64_t *total,
    struct kl_error *err)
{
	struct store_list_cache	*cache;
	unsigned		 flags = store_list_flags(query, words);
	int			 index;

	if (store_list_prepare(store, flags, words->n, &cache, err) == -1)
		return -1;
	if (store_list_total(store, query, flags, words, cache, total,
	    err) == -1)
		return -1;
	index = store_list_bind(cache->rows, query, words);
	sqlite3_bind_int64(cache->rows, index, query->limit < 0 ? -1 :
	    query->limit);
	sqlite3_bind_int64(cache->rows, index + 1, query->offset < 0 ? 0 :
	    query->offset);
	return store_each_row(store, cache->rows, STORE_RESET, store_list_row,
	    array, err);
}

/* Entries matching query, newest day first, and the number of matches. */
int
store_entry_list(struct store *store, const struct store_query *query,
    json_t **entries, int64_t *total, struct kl_error *err)
{
	struct store_words	words;
	int			rc;

	*entries = json_array();
	*total = 0;
	store_words_split(query->grep, &words);
	rc = store_list_run(store, query, &words, *entries, total, err);
	store_words_free(&words);
	if (rc == -1)
		return store_json_drop(entries);
	return 0;
}

/* An export page as it fills. */
struct store_page {
	json_t			*entries;
	struct store_cursor	*last;
	size_t			 bytes;
	size_t			 max_bytes;
};

/* store_each_row: the row's ENTRY joins the page, unless it is full. */
static int
store_page_row(struct store *store, sqlite3_stmt *stmt, void *arg,
    struct kl_error *err)
{
	struct store_page	*page = arg;
	json_t			*entry;

	if (page->bytes >= page->max_bytes)
		return 1;	/* this row starts the next page */
	page->bytes += (size_t)sqlite3_column_bytes(stmt, 3) + 256;
	if (store_column_day(stmt, 2, &page->last->day, err) == -1)
		return -1;
	page->last->id = sqlite3_column_int64(stmt, 0);
	if (store_entry_from_row(store, stmt, &entry, err) == -1)
		return -1;
	json_array_append_new(page->entries, entry);
	return 0;
}

/* One page of an export: live entries after the cursor, by day then id. */
int
store_entry_page(struct store *store, const struct store_cursor *after,
    int64_t limit, size_t max_bytes, json_t **entries,
    struct store_cursor *last, struct kl_error *err)
{
	struct store_page	 page = { .last = last, .max_bytes = max_bytes };
	sqlite3_stmt		*stmt;
	int			 rc;

	*entries = NULL;
	rc = sqlite3_prepare_v2(store->db, "SELECT " STORE_ENTRY_COLUMNS
	    " FROM entries e WHERE e.deleted_at IS NULL"
	    " AND (e.day, e.id) > (?1, ?2) ORDER BY e.day, e.id LIMIT ?3",
	    -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_error(store, rc, err);
	store_bind_cursor(stmt, after);
	sqlite3_bind_int64(stmt, 3, limit);
	*entries = page.entries = json_array();
	if (store_each_row(store, stmt, STORE_FINALIZE, store_page_row, &page,
	    err) == -1)
		return store_json_drop(entries);
	return 0;
}
