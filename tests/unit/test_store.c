/* Unit tests for the SQLite store, each against a fresh temporary database. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "routine.h"
#include "store.h"
#include "uuid.h"

/* 2026-11-27T07:41:05Z */
#define NOW ((time_t)1795765265)

struct fixture {
	char		 dir[64];
	char		*path;
	struct store	*store;
};

/* Make a temp dir and open a new database in it. */
static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);
	struct kl_error	 err = { 0 };

	strcpy(f->dir, "/tmp/kindlog-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	if (asprintf(&f->path, "%s/kindlog.db", f->dir) == -1)
		return -1;
	if (store_open(f->path, &f->store, &err) == -1) {
		fprintf(stderr, "store_open: %s\n", err.message);
		return -1;
	}
	*state = f;
	return 0;
}

/* Close the database and remove the temp dir. */
static int
teardown(void **state)
{
	struct fixture	*f = *state;
	char		*cmd;

	store_close(f->store);
	if (asprintf(&cmd, "rm -rf '%s'", f->dir) != -1) {
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", f->dir);
		free(cmd);
	}
	free(f->path);
	free(f);
	return 0;
}

/* Add an entry (tags space-separated, or NULL) and return its id. */
static int64_t
add(struct store *store, const char *text, const char *tags, kl_day day,
    const char *how)
{
	struct store_entry_new	 in = { .text = text, .day = day,
	    .thanked_how = how };
	struct kl_error		 err = { 0 };
	json_t			*entry;
	int64_t			 id;
	char			*copy, *tag, *save = NULL;

	if (tags != NULL) {
		in.tags = json_array();
		copy = strdup(tags);
		for (tag = strtok_r(copy, " ", &save); tag != NULL;
		    tag = strtok_r(NULL, " ", &save))
			json_array_append_new(in.tags, json_string(tag));
		free(copy);
	}
	assert_int_equal(store_entry_add(store, &in, NOW, &entry, &err), 0);
	json_decref(in.tags);
	id = json_integer_value(json_object_get(entry, "id"));
	json_decref(entry);
	return id;
}

/*
 * The aggregate tables recomputed from entries and entry_tags; each query
 * lists the rows where the kept table and the recomputation differ.
 */
static const char *const aggregate_checks[] = {
	"SELECT day, n, thanked FROM day_counts EXCEPT SELECT day, count(*),"
	" count(thanked_at) FROM entries WHERE deleted_at IS NULL GROUP BY day",
	"SELECT day, count(*), count(thanked_at) FROM entries"
	" WHERE deleted_at IS NULL GROUP BY day"
	" EXCEPT SELECT day, n, thanked FROM day_counts",
	"SELECT tag, day, n, thanked_max FROM tag_day_counts EXCEPT"
	" SELECT t.tag, e.day, count(*), max(e.thanked_at) FROM entry_tags t"
	" JOIN entries e ON e.id = t.entry_id WHERE e.deleted_at IS NULL"
	" GROUP BY t.tag, e.day",
	"SELECT t.tag, e.day, count(*), max(e.thanked_at) FROM entry_tags t"
	" JOIN entries e ON e.id = t.entry_id WHERE e.deleted_at IS NULL"
	" GROUP BY t.tag, e.day"
	" EXCEPT SELECT tag, day, n, thanked_max FROM tag_day_counts",
	"SELECT key, n, last_day, last_thanked FROM routine_counts EXCEPT"
	" SELECT routine_key, count(*), max(day), max(thanked_at) FROM entries"
	" WHERE deleted_at IS NULL AND routine_key <> '' GROUP BY routine_key",
	"SELECT routine_key, count(*), max(day), max(thanked_at) FROM entries"
	" WHERE deleted_at IS NULL AND routine_key <> '' GROUP BY routine_key"
	" EXCEPT SELECT key, n, last_day, last_thanked FROM routine_counts",
	"SELECT id FROM entries WHERE routine_key IS NOT"
	" kindlog_routine_key(text)",
};

/* The SQL function the store registers, for the checks above. */
static void
sql_routine_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*text = sqlite3_value_text(argv[0]);

	(void)argc;
	if (text == NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, routine_key((const char *)text), -1,
		    free);
}

/* Every aggregate table agrees with the entries it summarises. */
static void
assert_aggregates(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*stmt;
	size_t		 i;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_create_function(db, "kindlog_routine_key", 1,
	    SQLITE_UTF8, NULL, sql_routine_key, NULL, NULL), SQLITE_OK);
	for (i = 0; i < sizeof aggregate_checks / sizeof *aggregate_checks;
	    i++) {
		assert_int_equal(sqlite3_prepare_v2(db, aggregate_checks[i],
		    -1, &stmt, NULL), SQLITE_OK);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			fail_msg("aggregate check %zu differs at %s", i,
			    (const char *)sqlite3_column_text(stmt, 0));
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
}

/* The tags of an entry joined by spaces (static buffer). */
static const char *
tags_of(json_t *entry)
{
	static char	 buf[256];
	json_t		*tag;
	size_t		 i;

	buf[0] = '\0';
	json_array_foreach(json_object_get(entry, "tags"), i, tag) {
		if (i > 0)
			strcat(buf, " ");
		strcat(buf, json_string_value(tag));
	}
	return buf;
}

/* A string member of an object. */
static const char *
str(json_t *object, const char *key)
{
	return json_string_value(json_object_get(object, key));
}

/* The whole content of a file (malloc'd), and its size. */
static char *
slurp(const char *path, size_t *size)
{
	char	*buf = NULL;
	FILE	*fp = fopen(path, "rb");
	long	 n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*size = (size_t)n;
	return buf;
}

/* Overwrite a big-endian 32-bit integer of the file at offset. */
static void
patch_header(const char *path, off_t offset, uint32_t value)
{
	unsigned char	b[4] = { value >> 24, value >> 16, value >> 8,
	    value };
	int		fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, b, 4, offset), 4);
	close(fd);
}

/* Open must fail with KL_ERR_STORAGE, leaving the file byte for byte. */
static void
assert_refused(const char *path, const char *message_part)
{
	struct store	*store = NULL;
	struct kl_error	 err = { 0 };
	char		*before, *after;
	size_t		 nbefore, nafter;

	before = slurp(path, &nbefore);
	assert_int_equal(store_open(path, &store, &err), -1);
	assert_null(store);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	print_message("refused: %s\n", err.message);
	assert_non_null(strstr(err.message, message_part));
	after = slurp(path, &nafter);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	free(before);
	free(after);
}

/*
 * Single commits and one batch of 500 adds (more WAL frames than fit in
 * one write) all read back once the database is closed and opened again.
 */
static void
test_store_commits_reopen(void **state)
{
	struct fixture		*f = *state;
	kl_day			 day = day_from_ymd(2026, 11, 27);
	struct store_query	 q = { .limit = -1 };
	struct kl_error		 err = { 0 };
	json_t			*entries;
	int64_t			 total;
	char			 text[64];
	int			 i;

	add(f->store, "warmed the car", "car", day, NULL);
	for (i = 0; i < 20; i++)
		add(f->store, "made me tea", "tea morning", day, NULL);

	store_batch_begin(f->store);
	for (i = 0; i < 500; i++) {
		snprintf(text, sizeof text, "gesture %d of a long batch", i);
		add(f->store, text, "batch", day - i % 30, NULL);
	}
	assert_int_equal(store_batch_commit(f->store, &err), 0);
	store_close(f->store);
	assert_int_equal(store_open(f->path, &f->store, &err), 0);
	assert_int_equal(store_entry_list(f->store, &q, &entries, &total,
	    &err), 0);
	assert_int_equal(total, 521);
	assert_int_equal(json_array_size(entries), 521);
	json_decref(entries);
}

/* A new database file is created 0600, in WAL mode, and reopens. */
static void
test_store_open_create(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	struct stat	 st;
	char		*wal;
	json_t		*entry;
	int64_t		 id;

	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_false(store_readonly(f->store));

	id = add(f->store, "made me coffee", NULL, day_from_ymd(2026, 11, 27),
	    NULL);
	assert_int_equal(id, 1);
	assert_int_equal(asprintf(&wal, "%s-wal", f->path), (int)strlen(f->path)
	    + 4);
	assert_int_equal(stat(wal, &st), 0);	/* journal_mode=WAL */
	assert_int_equal(st.st_mode & 0777, 0600);
	free(wal);

	/* Reopen: the entry is there and the migration is not re-run. */
	store_close(f->store);
	assert_int_equal(store_open(f->path, &f->store, &err), 0);
	assert_int_equal(store_entry_get(f->store, 1, &entry, &err), 0);
	assert_string_equal(str(entry, "text"), "made me coffee");
	json_decref(entry);
}

/* add and get return the ENTRY of doc/protocol.md. */
static void
test_store_add_get(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*entry, *thanked;
	const char	*uuid;
	int64_t		 id;

	id = add(f->store, "made me coffee\nbefore my exam", "zeta alpha zeta",
	    day_from_ymd(2026, 11, 26), NULL);
	assert_int_equal(store_entry_get(f->store, id, &entry, &err), 0);
	assert_int_equal(json_object_size(entry), 8);
	assert_int_equal(json_integer_value(json_object_get(entry, "id")), id);
	uuid = str(entry, "uuid");
	assert_non_null(uuid);
	assert_true(uuid_valid(uuid));
	assert_string_equal(str(entry, "day"), "2026-11-26");
	assert_string_equal(str(entry, "text"),
	    "made me coffee\nbefore my exam");
	assert_string_equal(tags_of(entry), "alpha zeta");
	assert_string_equal(str(entry, "created_at"), "2026-11-27T07:41:05Z");
	assert_string_equal(str(entry, "updated_at"), "2026-11-27T07:41:05Z");
	assert_true(json_is_null(json_object_get(entry, "thanked")));
	json_decref(entry);

	id = add(f->store, "fixed my bike", NULL, day_from_ymd(2026, 11, 27),
	    "wrote");
	assert_int_equal(store_entry_get(f->store, id, &entry, &err), 0);
	assert_string_equal(tags_of(entry), "");
	assert_true(json_is_array(json_object_get(entry, "tags")));
	thanked = json_object_get(entry, "thanked");
	assert_string_equal(str(thanked, "at"), "2026-11-27T07:41:05Z");
	assert_string_equal(str(thanked, "how"), "wrote");
	json_decref(entry);

	assert_int_equal(store_entry_get(f->store, 99, &entry, &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no entry #99");
	assert_null(entry);
}

/*
 * The entry an add returns is built from what it stored, not read back:
 * it must equal what get reads, tags sorted bytewise and without
 * duplicates, thanked or not.
 */
static void
test_store_add_returns_stored(void **state)
{
	struct fixture		*f = *state;
	struct store_entry_new	 in = { .day = day_from_ymd(2026, 11, 26),
				    .text = "brought me soup \u00e9 \U0001F372" };
	struct kl_error		 err = { 0 };
	json_t			*added, *got;
	int			 i;

	for (i = 0; i < 3; i++) {
		in.tags = i == 2 ? NULL : json_pack("[s, s, s, s, s, s]",
		    "zeta", "\u00e9mile", "alpha", "zeta", "Zed", "\u00c9mile");
		in.thanked_how = i == 1 ? "showed" : NULL;
		assert_int_equal(store_entry_add(f->store, &in, NOW, &added,
		    &err), 0);
		assert_int_equal(store_entry_get(f->store, json_integer_value(
		    json_object_get(added, "id")), &got, &err), 0);
		if (!json_equal(added, got)) {
			char	*a = json_dumps(added, JSON_SORT_KEYS);
			char	*g = json_dumps(got, JSON_SORT_KEYS);

			fail_msg("add returned %s\nget read %s", a, g);
		}
		if (i < 2)
			assert_string_equal(tags_of(got),
			    "Zed alpha zeta \u00c9mile \u00e9mile");
		json_decref(added);
		json_decref(got);
		json_decref(in.tags);
	}
}

/*
 * store_day_cached answers from the counted days only while no write has
 * touched them: an add keeps them (and counts its day), a delete does not.
 */
static void
test_store_day_cached(void **state)
{
	struct fixture	*f = *state;
	kl_day		 d26 = day_from_ymd(2026, 11, 26);
	kl_day		 d27 = day_from_ymd(2026, 11, 27);
	struct kl_error	 err = { 0 };
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries, id;
	json_t		*entry;
	bool		 logged;

	assert_false(store_day_cached(f->store, d26, &logged));
	add(f->store, "made me coffee", NULL, d26, NULL);
	assert_int_equal(store_days(f->store, &days, &ndays, &entries, &err),
	    0);
	free(days);
	assert_true(store_day_cached(f->store, d26, &logged));
	assert_true(logged);
	assert_true(store_day_cached(f->store, d27, &logged));
	assert_false(logged);
	id = add(f->store, "fixed my bike", NULL, d27, NULL);
	assert_true(store_day_cached(f->store, d27, &logged));
	assert_true(logged);
	assert_int_equal(store_entry_delete(f->store, id, NOW, &entry, &err),
	    0);
	json_decref(entry);
	assert_false(store_day_cached(f->store, d27, &logged));
}

/* edit replaces text, the whole tag set and the day. */
static void
test_store_edit(void **state)
{
	struct fixture			*f = *state;
	struct kl_error			 err = { 0 };
	struct store_entry_change	 change = { 0 };
	json_t				*entry;
	int64_t				 id;

	id = add(f->store, "coffee", "morning", day_from_ymd(2026, 11, 27),
	    NULL);

	change.text = "coffee and toast";
	assert_int_equal(store_entry_edit(f->store, id, &change, NOW + 60,
	    &entry, &err), 0);
	assert_string_equal(str(entry, "text"), "coffee and toast");
	assert_string_equal(tags_of(entry), "morning");
	assert_string_equal(str(entry, "day"), "2026-11-27");
	assert_string_equal(str(entry, "created_at"), "2026-11-27T07:41:05Z");
	assert_string_equal(str(entry, "updated_at"), "2026-11-27T07:42:05Z");
	json_decref(entry);

	change = (struct store_entry_change){ .tags = json_pack("[s,s]",
	    "toast", "breakfast"), .set_day = true,
	    .day = day_from_ymd(2026, 11, 20) };
	assert_int_equal(store_entry_edit(f->store, id, &change, NOW, &entry,
	    &err), 0);
	assert_string_equal(str(entry, "text"), "coffee and toast");
	assert_string_equal(tags_of(entry), "breakfast toast");
	assert_string_equal(str(entry, "day"), "2026-11-20");
	json_decref(entry);
	json_decref(change.tags);

	change = (struct store_entry_change){ .tags = json_array() };
	assert_int_equal(store_entry_edit(f->store, id, &change, NOW, &entry,
	    &err), 0);
	assert_string_equal(tags_of(entry), "");
	json_decref(entry);

	assert_int_equal(store_entry_edit(f->store, id + 1, &change, NOW,
	    &entry, &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no entry #2");
	json_decref(change.tags);
}

/* thank sets thanked, and thanking again updates how and at. */
static void
test_store_thank(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	json_t		*entry, *thanked;
	int64_t		 id;

	id = add(f->store, "coffee", NULL, day_from_ymd(2026, 11, 27), NULL);
	assert_int_equal(store_entry_thank(f->store, id, "said", NOW + 1,
	    &entry, &err), 0);
	thanked = json_object_get(entry, "thanked");
	assert_string_equal(str(thanked, "how"), "said");
	assert_string_equal(str(thanked, "at"), "2026-11-27T07:41:06Z");
	json_decref(entry);

	assert_int_equal(store_entry_thank(f->store, id, "showed", NOW + 2,
	    &entry, &err), 0);
	thanked = json_object_get(entry, "thanked");
	assert_string_equal(str(thanked, "how"), "showed");
	assert_string_equal(str(thanked, "at"), "2026-11-27T07:41:07Z");
	json_decref(entry);

	assert_int_equal(store_entry_thank(f->store, 77, "said", NOW, &entry,
	    &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "no entry #77");
}

/* Expect a call to have failed with not found for id. */
static void
assert_not_found(int rc, json_t **entry, struct kl_error *err, int64_t id)
{
	char	want[64];

	snprintf(want, sizeof want, "no entry #%lld", (long long)id);
	assert_int_equal(rc, -1);
	assert_null(*entry);
	assert_int_equal(err->code, KL_ERR_NOT_FOUND);
	assert_string_equal(err->message, want);
}

/* Soft delete hides an entry; undo restores the newest delete first. */
static void
test_store_delete_undo(void **state)
{
	struct fixture			*f = *state;
	struct kl_error			 err = { 0 };
	struct store_entry_change	 change = { .text = "x" };
	json_t				*entry;
	kl_day				 day = day_from_ymd(2026, 11, 27);
	int64_t				 a, b, c;

	a = add(f->store, "first", "one", day, NULL);
	b = add(f->store, "second", NULL, day, NULL);
	c = add(f->store, "third", NULL, day, NULL);

	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), -1);
	assert_int_equal(err.code, KL_ERR_NOT_FOUND);
	assert_string_equal(err.message, "nothing to undo");

	assert_int_equal(store_entry_delete(f->store, a, NOW, &entry, &err),
	    0);
	assert_string_equal(str(entry, "text"), "first");
	assert_string_equal(tags_of(entry), "one");
	json_decref(entry);
	assert_int_equal(store_entry_delete(f->store, c, NOW, &entry, &err),
	    0);
	json_decref(entry);

	/* A deleted entry is not found to get, edit, thank and delete. */
	assert_not_found(store_entry_get(f->store, a, &entry, &err), &entry,
	    &err, a);
	assert_not_found(store_entry_edit(f->store, a, &change, NOW, &entry,
	    &err), &entry, &err, a);
	assert_not_found(store_entry_thank(f->store, c, "said", NOW, &entry,
	    &err), &entry, &err, c);
	assert_not_found(store_entry_delete(f->store, c, NOW, &entry, &err),
	    &entry, &err, c);

	/* Undo: third (deleted last), then first, then nothing. */
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(entry, "id")), c);
	json_decref(entry);
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(entry, "id")), a);
	assert_string_equal(tags_of(entry), "one");
	json_decref(entry);
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), -1);
	assert_string_equal(err.message, "nothing to undo");

	/* Restored entries are back in full. */
	assert_int_equal(store_entry_get(f->store, c, &entry, &err), 0);
	assert_string_equal(str(entry, "text"), "third");
	json_decref(entry);
	(void)b;
}

/* Run a list query; return the ids joined by spaces (static buffer). */
static const char *
list_ids(struct store *store, const struct store_query *q, int64_t *total)
{
	static char	 buf[512];
	struct kl_error	 err = { 0 };
	json_t		*entries, *entry;
	size_t		 i;
	char		 num[32];

	if (store_entry_list(store, q, &entries, total, &err) == -1)
		fail_msg("store_entry_list: %s", err.message);
	buf[0] = '\0';
	json_array_foreach(entries, i, entry) {
		snprintf(num, sizeof num, "%s%lld", i > 0 ? " " : "",
		    (long long)json_integer_value(json_object_get(entry,
		    "id")));
		strcat(buf, num);
	}
	json_decref(entries);
	return buf;
}

/* List filters, order, limit, offset and total. */
static void
test_store_list(void **state)
{
	struct fixture		*f = *state;
	struct store_query	 q = { .limit = -1 };
	struct kl_error		 err = { 0 };
	json_t			*entry;
	kl_day			 d = day_from_ymd(2026, 11, 20);
	int64_t			 total;

	/* Ids 1 to 6. */
	add(f->store, "Made me Coffee", "morning", d, NULL);
	add(f->store, "cooked dinner", "evening food", d + 1, "said");
	add(f->store, "coffee in bed", "morning", d + 1, NULL);
	add(f->store, "100% patient_ok", NULL, d + 3, NULL);
	add(f->store, "walked the dog", "morning", d + 2, NULL);
	add(f->store, "deleted coffee", "morning", d + 3, NULL);
	assert_int_equal(store_entry_delete(f->store, 6, NOW, &entry, &err),
	    0);
	json_decref(entry);

	/* No filter: newest day first, newest id first within a day. */
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 2 1");
	assert_int_equal(total, 5);

	q.limit = 2;
	assert_string_equal(list_ids(f->store, &q, &total), "4 5");
	assert_int_equal(total, 5);
	q.offset = 2;
	assert_string_equal(list_ids(f->store, &q, &total), "3 2");
	assert_int_equal(total, 5);
	q.offset = 4;
	assert_string_equal(list_ids(f->store, &q, &total), "1");
	q.offset = 10;
	assert_string_equal(list_ids(f->store, &q, &total), "");
	assert_int_equal(total, 5);
	q.limit = 0;
	q.offset = 0;
	assert_string_equal(list_ids(f->store, &q, &total), "");
	assert_int_equal(total, 5);

	q = (struct store_query){ .limit = -1, .has_since = true,
	    .since = d + 1, .has_until = true, .until = d + 2 };
	assert_string_equal(list_ids(f->store, &q, &total), "5 3 2");
	assert_int_equal(total, 3);
	q.has_until = false;
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 2");
	assert_int_equal(total, 4);

	q = (struct store_query){ .limit = -1, .tag = "morning" };
	assert_string_equal(list_ids(f->store, &q, &total), "5 3 1");
	assert_int_equal(total, 3);
	q.limit = 1;
	q.offset = 1;
	assert_string_equal(list_ids(f->store, &q, &total), "3");
	assert_int_equal(total, 3);

	q = (struct store_query){ .limit = -1, .grep = "COFFEE" };
	assert_string_equal(list_ids(f->store, &q, &total), "3 1");
	assert_int_equal(total, 2);
	q.grep = "  bed\tcoffee ";
	assert_string_equal(list_ids(f->store, &q, &total), "3");
	q.grep = "coffee dinner";
	assert_string_equal(list_ids(f->store, &q, &total), "");
	assert_int_equal(total, 0);
	q.grep = "%";
	assert_string_equal(list_ids(f->store, &q, &total), "4");
	q.grep = "100_";	/* neither LIKE wildcard is one */
	assert_string_equal(list_ids(f->store, &q, &total), "");
	q.grep = "1%p";
	assert_string_equal(list_ids(f->store, &q, &total), "");
	q.grep = "t_ok";
	assert_string_equal(list_ids(f->store, &q, &total), "4");
	q.grep = "   ";
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 2 1");

	q = (struct store_query){ .limit = -1, .unthanked = true };
	assert_string_equal(list_ids(f->store, &q, &total), "4 5 3 1");
	assert_int_equal(total, 4);

	/* Everything at once. */
	q = (struct store_query){ .limit = -1, .unthanked = true,
	    .tag = "morning", .grep = "coffee", .has_since = true,
	    .since = d + 1, .has_until = true, .until = d + 3 };
	assert_string_equal(list_ids(f->store, &q, &total), "3");
	assert_int_equal(total, 1);

	/* Entries in a list carry their tags. */
	q = (struct store_query){ .limit = 1, .offset = 3 };
	assert_int_equal(store_entry_list(f->store, &q, &entry, &total, &err),
	    0);
	assert_string_equal(tags_of(json_array_get(entry, 0)), "evening food");
	json_decref(entry);
}

/* Check store_days against an expected list of days and entry count. */
static void
assert_days(struct store *store, const kl_day *want, size_t nwant,
    int64_t want_entries)
{
	struct kl_error	 err = { 0 };
	kl_day		*days;
	size_t		 ndays, i;
	int64_t		 entries;

	assert_int_equal(store_days(store, &days, &ndays, &entries, &err), 0);
	assert_int_equal(ndays, nwant);
	for (i = 0; i < nwant; i++)
		assert_int_equal(days[i], want[i]);
	assert_int_equal(entries, want_entries);
	free(days);
}

/* day_counts follows add, edit of the day, delete and undo. */
static void
test_store_days(void **state)
{
	struct fixture			*f = *state;
	struct kl_error			 err = { 0 };
	struct store_entry_change	 change = { .set_day = true };
	kl_day				 d = day_from_ymd(2026, 3, 7);
	json_t				*entry;
	int64_t				 a, b, c;

	assert_days(f->store, NULL, 0, 0);
	c = add(f->store, "c", NULL, d + 5, NULL);
	a = add(f->store, "a", NULL, d, NULL);
	b = add(f->store, "b", NULL, d, NULL);
	assert_days(f->store, (kl_day[]){ d, d + 5 }, 2, 3);

	/* Moving one of two entries keeps the day; moving both empties it. */
	change.day = d + 1;
	assert_int_equal(store_entry_edit(f->store, a, &change, NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d, d + 1, d + 5 }, 3, 3);
	assert_int_equal(store_entry_edit(f->store, b, &change, NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1, d + 5 }, 2, 3);

	/* Editing text only leaves the counts alone. */
	change = (struct store_entry_change){ .text = "c2" };
	assert_int_equal(store_entry_edit(f->store, c, &change, NOW, &entry,
	    &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1, d + 5 }, 2, 3);

	assert_int_equal(store_entry_delete(f->store, c, NOW, &entry, &err),
	    0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1 }, 1, 2);
	assert_int_equal(store_entry_delete(f->store, a, NOW, &entry, &err),
	    0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1 }, 1, 1);

	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1 }, 1, 2);
	assert_int_equal(store_entry_undo(f->store, NOW, &entry, &err), 0);
	json_decref(entry);
	assert_days(f->store, (kl_day[]){ d + 1, d + 5 }, 2, 3);
}

/* Settings: unset is NULL, set overwrites, NULL removes. */
static void
test_store_settings(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	char		*value;

	assert_int_equal(store_setting_get(f->store, "snooze", &value, &err),
	    0);
	assert_null(value);
	assert_int_equal(store_setting_set(f->store, "snooze", "1", &err), 0);
	assert_int_equal(store_setting_set(f->store, "snooze", "2", &err), 0);
	assert_int_equal(store_setting_get(f->store, "snooze", &value, &err),
	    0);
	assert_string_equal(value, "2");
	free(value);
	assert_int_equal(store_setting_set(f->store, "snooze", NULL, &err), 0);
	assert_int_equal(store_setting_get(f->store, "snooze", &value, &err),
	    0);
	assert_null(value);
}

/* A file that is not SQLite at all is refused and left alone. */
static void
test_store_refuse_garbage(void **state)
{
	struct fixture	*f = *state;
	char		*path;
	FILE		*fp;
	int		 i;

	assert_int_equal(asprintf(&path, "%s/garbage.db", f->dir),
	    (int)strlen(f->dir) + 11);
	fp = fopen(path, "wb");
	for (i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, fp);
	fclose(fp);
	assert_refused(path, "file is not a database");
	free(path);
}

/* Close the fixture store and patch its header (offset, value). */
static void
close_and_patch(struct fixture *f, off_t offset, uint32_t value)
{
	add(f->store, "an entry", "tag", day_from_ymd(2026, 1, 1), NULL);
	store_close(f->store);
	f->store = NULL;
	patch_header(f->path, offset, value);
}

/* A schema newer than ours is refused and left alone. */
static void
test_store_refuse_newer(void **state)
{
	struct fixture	*f = *state;

	/* Offset 60 of the header is user_version. */
	close_and_patch(f, 60, STORE_SCHEMA_VERSION + 1);
	assert_refused(f->path, "database schema version 3 is newer than "
	    "this kindlogd supports (2); upgrade kindlog");
}

/* A database whose schema page is damaged is refused and left alone. */
static void
test_store_refuse_corrupt(void **state)
{
	struct fixture	*f = *state;
	off_t		 offset;

	close_and_patch(f, 60, STORE_SCHEMA_VERSION);	/* unchanged */
	for (offset = 100; offset < 200; offset += 4)
		patch_header(f->path, offset, 0xffffffff);
	assert_refused(f->path, "malformed");
}

/* Another application's database is refused and left alone. */
static void
test_store_refuse_foreign(void **state)
{
	struct fixture	*f = *state;

	close_and_patch(f, 68, 0x12345678);	/* application_id */
	assert_refused(f->path, "not a kindlog database");
	/* Tables but neither user_version nor application_id. */
	patch_header(f->path, 68, 0);
	patch_header(f->path, 60, 0);
	assert_refused(f->path, "not a kindlog database");
}

/* Checks for the read-only test; returns an exit status (0 = all passed). */
static int
readonly_checks(const char *path)
{
	struct store_entry_new	 in = { .text = "x", .day = 1 };
	struct store		*store;
	struct kl_error		 err = { 0 };
	json_t			*entry;
	kl_day			*days;
	size_t			 ndays;
	int64_t			 n;

	if (store_open(path, &store, &err) == -1) {
		fprintf(stderr, "readonly open: %s\n", err.message);
		return 10;
	}
	if (!store_readonly(store))
		return 11;
	if (store_entry_get(store, 1, &entry, &err) == -1)
		return 12;
	json_decref(entry);
	if (store_days(store, &days, &ndays, &n, &err) == -1 || n != 1)
		return 13;
	free(days);
	if (store_entry_add(store, &in, NOW, &entry, &err) != -1 ||
	    err.code != KL_ERR_STORAGE ||
	    strstr(err.message, "read-only") == NULL)
		return 14;
	if (store_entry_delete(store, 1, NOW, &entry, &err) != -1 ||
	    err.code != KL_ERR_STORAGE)
		return 15;
	store_close(store);
	return 0;
}

/*
 * Run the read-only checks on path. Tests often run as root, which
 * ignores file modes, so then they run in a child that drops to nobody,
 * for whom a 0444 file really is unwritable.
 */
static int
readonly_run(const char *path)
{
	pid_t	pid;
	int	status;

	if (geteuid() != 0)
		return readonly_checks(path);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgid(65534) == -1 || setuid(65534) == -1)
			_exit(99);
		if (open(path, O_RDWR) != -1 || errno != EACCES)
			_exit(98);
		_exit(readonly_checks(path));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/*
 * A database we cannot write opens read-only, in a directory we can
 * write and in one we cannot, and nothing is created or changed there.
 */
static void
test_store_readonly(void **state)
{
	struct fixture	*f = *state;
	const mode_t	 modes[] = { 01777, 0755 };
	char		*before, *after, *wal;
	size_t		 nbefore, nafter, i;
	int		 rc;

	close_and_patch(f, 60, STORE_SCHEMA_VERSION);	/* unchanged */
	assert_int_equal(chmod(f->path, 0444), 0);
	before = slurp(f->path, &nbefore);
	wal = NULL;
	assert_true(asprintf(&wal, "%s-wal", f->path) > 0);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (geteuid() != 0 && i > 0)
			break;	/* only root can give the dir away */
		assert_int_equal(chmod(f->dir, modes[i]), 0);
		print_message("directory mode %o\n", (unsigned)modes[i]);
		rc = readonly_run(f->path);
		if (rc == 99)
			skip();	/* cannot drop privileges here */
		assert_int_equal(rc, 0);
		assert_int_equal(access(wal, F_OK), -1);
	}
	after = slurp(f->path, &nafter);
	assert_int_equal(nbefore, nafter);
	assert_memory_equal(before, after, nbefore);
	free(before);
	free(after);
	free(wal);
}

/*
 * A write that fails in SQLite (here: file size limit, as when the disk
 * is full) is a storage failure, rolled back, and the store stays usable.
 */
static void
test_store_write_failure(void **state)
{
	struct fixture		*f = *state;
	struct kl_error		 err = { 0 };
	struct store_entry_new	 in = { .day = 20000 };
	struct rlimit		 old, tiny;
	json_t			*entry;
	char			*text;
	int64_t			 total;
	int			 i, rc = 0;
	struct store_query	 q = { .limit = -1 };

	text = malloc(3001);
	memset(text, 'k', 3000);
	text[3000] = '\0';
	in.text = text;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny = old;
	tiny.rlim_cur = 64 * 1024;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	for (i = 0; i < 100 && rc == 0; i++) {
		rc = store_entry_add(f->store, &in, NOW, &entry, &err);
		json_decref(entry);
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(rc, -1);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	print_message("write failure: %s\n", err.message);
	assert_non_null(strstr(err.message, "storage failure: "));

	/* No transaction was left open: the next write works. */
	assert_int_equal(store_entry_add(f->store, &in, NOW, &entry, &err), 0);
	json_decref(entry);
	list_ids(f->store, &q, &total);
	/* i - 1 adds before the failure, plus this one. */
	assert_int_equal(total, i);
	free(text);
}

/* Edit the text, tags (space-separated, or NULL) and day of an entry. */
static void
edit(struct store *store, int64_t id, const char *text, const char *tags,
    kl_day day)
{
	struct store_entry_change	 change = { .text = text,
	    .set_day = day != 0, .day = day };
	struct kl_error			 err = { 0 };
	json_t				*entry;
	char				*copy, *tag, *save = NULL;

	if (tags != NULL) {
		change.tags = json_array();
		copy = strdup(tags);
		for (tag = strtok_r(copy, " ", &save); tag != NULL;
		    tag = strtok_r(NULL, " ", &save))
			json_array_append_new(change.tags, json_string(tag));
		free(copy);
	}
	assert_int_equal(store_entry_edit(store, id, &change, NOW + 60,
	    &entry, &err), 0);
	json_decref(change.tags);
	json_decref(entry);
}

/* Every kind of write keeps the v2 aggregate tables exact. */
static void
test_store_aggregates(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	kl_day		 d1 = day_from_ymd(2026, 11, 20);
	kl_day		 d2 = day_from_ymd(2026, 11, 21);
	json_t		*entry, *routine;
	int64_t		 a, b, c, thanked;

	a = add(f->store, "Made me coffee!", "morning food", d1, NULL);
	b = add(f->store, "made me   coffee", "morning", d1, "said");
	c = add(f->store, "fixed the bike", NULL, d2, NULL);
	add(f->store, "...", "care", d2, "wrote");
	assert_aggregates(f->path);

	assert_int_equal(store_entry_thank(f->store, a, "showed", NOW + 30,
	    &entry, &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	edit(f->store, b, "fixed the bike", "care food", d2);
	assert_aggregates(f->path);
	edit(f->store, a, NULL, NULL, d2);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_delete(f->store, c, NOW + 90, &entry,
	    &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_undo(f->store, NOW + 120, &entry, &err),
	    0);
	json_decref(entry);
	assert_aggregates(f->path);

	/* The latest of a repeated gesture goes: the maxima step back. */
	a = add(f->store, "walked the dog", NULL, d1, "said");
	b = add(f->store, "Walked the dog", NULL, d2, NULL);
	assert_int_equal(store_entry_thank(f->store, b, "said", NOW + 150,
	    &entry, &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_delete(f->store, b, NOW + 180, &entry,
	    &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);
	assert_int_equal(store_entry_delete(f->store, a, NOW + 190, &entry,
	    &err), 0);
	json_decref(entry);
	assert_aggregates(f->path);

	/* care and food twice each, then "fixed the bike" (b and c). */
	assert_int_equal(store_routine(f->store, NULL, 10, &routine, &err), 0);
	assert_int_equal(json_array_size(routine), 3);
	assert_string_equal(str(json_array_get(routine, 0), "key"),
	    "tag:care");
	assert_string_equal(str(json_array_get(routine, 1), "key"),
	    "tag:food");
	assert_string_equal(str(json_array_get(routine, 2), "key"),
	    "text:fixed the bike");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(routine, 2), "count")), 2);
	json_decref(routine);
	assert_int_equal(store_thanked_count(f->store, NULL, &thanked, &err),
	    0);
	assert_int_equal(thanked, 3);

	/*
	 * An import adds its aggregates in bulk: onto existing days, routine
	 * keys and tags, with a uuid staged twice and one already stored;
	 * the triggers are back for the writes after it.
	 */
	{
		struct store_import_record	 r[5] = {
			{ .uuid = "00000000-0000-4000-8000-000000000001",
			  .day = d1, .text = "made me coffee",
			  .created_at = NOW, .updated_at = NOW,
			  .thanked_how = "said", .thanked_at = NOW + 400 },
			{ .uuid = "00000000-0000-4000-8000-000000000002",
			  .day = d2 + 1, .text = "fixed the bike",
			  .created_at = NOW, .updated_at = NOW },
			{ .uuid = "00000000-0000-4000-8000-000000000001",
			  .day = d2, .text = "staged twice",
			  .created_at = NOW, .updated_at = NOW },
			{ .uuid = "00000000-0000-4000-8000-000000000003",
			  .day = d2, .text = "a new one",
			  .created_at = NOW, .updated_at = NOW },
			{ .uuid = "00000000-0000-4000-8000-000000000003",
			  .day = d1, .text = "a new one again",
			  .created_at = NOW, .updated_at = NOW },
		};
		char	 session[UUID_STR_LEN];
		int64_t	 added, skipped;

		r[0].tags = json_pack("[ss]", "morning", "care");
		r[1].tags = json_pack("[s]", "care");
		r[2].tags = json_pack("[s]", "ignored");
		assert_int_equal(store_import_begin(f->store, NOW, session,
		    &err), 0);
		assert_int_equal(store_import_stage(f->store, session, r, 3,
		    &err), 0);
		assert_int_equal(store_import_commit(f->store, session, false,
		    &added, &skipped, &err), 0);
		assert_int_equal(added, 2);
		assert_int_equal(skipped, 1);
		assert_aggregates(f->path);
		assert_int_equal(store_import_begin(f->store, NOW, session,
		    &err), 0);
		assert_int_equal(store_import_stage(f->store, session, r, 5,
		    &err), 0);
		assert_int_equal(store_import_commit(f->store, session, false,
		    &added, &skipped, &err), 0);
		assert_int_equal(added, 1);
		assert_aggregates(f->path);
		json_decref(r[0].tags);
		json_decref(r[1].tags);
		json_decref(r[2].tags);
		add(f->store, "made me coffee", "morning", d2, "said");
		assert_aggregates(f->path);
	}
}

/* A version 1 database with data migrates to v2 with exact aggregates. */
static void
test_store_migrate_v1(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	sqlite3		*db;
	json_t		*tags, *routine;
	int64_t		 thanked;
	char		*path;

	assert_int_equal(asprintf(&path, "%s/v1.db", f->dir),
	    (int)strlen(f->dir) + 6);
	assert_int_equal(store_create_version(path, 1, &err), 0);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA foreign_keys = ON;"
	    "INSERT INTO entries (uuid, day, text, created_at, updated_at,"
	    " thanked_at, thanked_how, deleted_at, deleted_seq) VALUES"
	    " ('u1', '2026-11-20', 'Made me coffee', 1, 1, 5, 'said', NULL,"
	    "  NULL),"
	    " ('u2', '2026-11-21', 'made me coffee.', 2, 2, NULL, NULL, NULL,"
	    "  NULL),"
	    " ('u3', '2026-11-21', 'made me coffee', 3, 3, 9, 'said', 4, 1),"
	    " ('u4', '2026-11-22', 'fixed the bike', 4, 4, 7, 'wrote', NULL,"
	    "  NULL);"
	    "INSERT INTO entry_tags VALUES (1, 'morning'), (2, 'morning'),"
	    " (3, 'morning'), (4, 'care');"
	    "PRAGMA user_version", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	store_close(f->store);
	assert_int_equal(store_open(path, &f->store, &err), 0);
	assert_aggregates(path);
	assert_int_equal(store_thanked_count(f->store, NULL, &thanked, &err),
	    0);
	assert_int_equal(thanked, 2);
	assert_int_equal(store_top_tags(f->store, NULL, 10, &tags, &err), 0);
	assert_string_equal(str(json_array_get(tags, 0), "tag"), "morning");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(tags, 0), "count")), 2);
	json_decref(tags);
	assert_int_equal(store_routine(f->store, NULL, 10, &routine, &err), 0);
	assert_int_equal(json_array_size(routine), 2);
	assert_string_equal(str(json_array_get(routine, 0), "key"),
	    "tag:morning");
	assert_string_equal(str(json_array_get(routine, 1), "key"),
	    "text:made me coffee");
	assert_string_equal(str(json_array_get(routine, 1), "last_day"),
	    "2026-11-21");
	json_decref(routine);

	/* The migrated database keeps its aggregates on new writes. */
	add(f->store, "Made me coffee", "morning", day_from_ymd(2026, 11, 23),
	    "said");
	assert_aggregates(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_store_commits_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_add_returns_stored,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_day_cached, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_open_create, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_add_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_edit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_thank, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_delete_undo, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_list, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_days, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_settings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_refuse_garbage,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_refuse_newer, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_refuse_corrupt,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_refuse_foreign,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_readonly, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_write_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_aggregates, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_migrate_v1, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
