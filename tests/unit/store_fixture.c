/* The fixture the store unit tests (test_store_*.c) share. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "store-test.h"
#include "store_fixture.h"

/* Make a temp dir and open a new database in it. */
int
store_fixture_setup(void **state)
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
int
store_fixture_teardown(void **state)
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

/* Tags space-separated as a new JSON array; NULL for NULL. */
json_t *
tags_json(const char *tags)
{
	json_t	*array;
	char	*copy, *tag, *save = NULL;

	if (tags == NULL)
		return NULL;
	array = json_array();
	copy = strdup(tags);
	for (tag = strtok_r(copy, " ", &save); tag != NULL;
	    tag = strtok_r(NULL, " ", &save))
		json_array_append_new(array, json_string(tag));
	free(copy);
	return array;
}

/* Add an entry (tags space-separated, or NULL) and return its id. */
int64_t
add(struct store *store, const char *text, const char *tags, kl_day day,
    const char *how)
{
	struct store_entry_new	 in = { .text = text, .tags = tags_json(tags),
	    .day = day, .thanked_how = how };
	struct kl_error		 err = { 0 };
	json_t			*entry;
	int64_t			 id;

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

/* Every aggregate table agrees with the entries it summarises. */
void
assert_aggregates(const char *path)
{
	struct kl_error	 err = { 0 };
	char		*differs;
	size_t		 i;

	for (i = 0; i < sizeof aggregate_checks / sizeof *aggregate_checks;
	    i++) {
		if (store_test_first(path, aggregate_checks[i], &differs,
		    &err) == -1)
			fail_msg("aggregate check %zu: %s", i, err.message);
		if (differs != NULL)
			fail_msg("aggregate check %zu differs at %s", i,
			    differs);
	}
}

/* The tags of an entry joined by spaces (static buffer). */
const char *
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
const char *
str(json_t *object, const char *key)
{
	return json_string_value(json_object_get(object, key));
}

/* The whole content of a file (malloc'd), and its size. */
char *
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
void
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
void
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

/* Run a list query; return the ids joined by spaces (static buffer). */
const char *
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

/* Close the fixture store and patch its header (offset, value). */
void
close_and_patch(struct fixture *f, off_t offset, uint32_t value)
{
	add(f->store, "an entry", "tag", day_from_ymd(2026, 1, 1), NULL);
	store_close(f->store);
	f->store = NULL;
	patch_header(f->path, offset, value);
}
