/*
 * Unit tests for the store's sync (store-sync.c, store-sync-apply.c),
 * through the daemon's file parser (sync-file.c) as the daemon uses them:
 * publishing on enable, a device id per database and machine, the outbox,
 * and the merge -- concurrent edits on two devices, files in any order
 * and any number of times giving the same entries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hlc.h"
#include "store.h"
#include "store_fixture.h"
#include "sync-file.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* The stores peer_open opened, and their files. */
static struct {
	struct store	*store;
	char		 path[128];
} opened[8];
static size_t	nopened;

/* Every aggregate of the store agrees with its entries. */
static void
assert_aggregates_store(struct store *store)
{
	size_t	i, n = nopened < NELEM(opened) ? nopened : NELEM(opened);

	/* Newest first: a pointer may come again after a close. */
	for (i = 0; i < n; i++) {
		if (opened[(nopened - 1 - i) % NELEM(opened)].store == store) {
			assert_aggregates(
			    opened[(nopened - 1 - i) % NELEM(opened)].path);
			return;
		}
	}
	fail_msg("no path for this store");
}

/* A second (third, ...) syncing store in the fixture's directory. */
static struct store *
peer_open(struct fixture *f, const char *name, char device[UUID_STR_LEN])
{
	struct kl_error	 err = { 0 };
	struct store	*store;
	char		*path = opened[nopened % NELEM(opened)].path;
	int64_t		 published;

	snprintf(path, sizeof opened[0].path, "%s/%s.db", f->dir, name);
	assert_int_equal(store_open(path, &store, &err), 0);
	opened[nopened++ % NELEM(opened)].store = store;
	assert_int_equal(store_sync_enable(store, name, device, &published,
	    &err), 0);
	return store;
}

/* Apply the file text (header and lines) of device to store. */
static void
apply_text(struct store *store, const char *text, const char *name)
{
	struct store_sync_file	 file = { .name = name, .size = 1 };
	struct sync_limits	 limits;
	struct sync_file	 parsed;
	struct kl_error		 err = { 0 };
	int64_t			 changed;

	sync_limits_now(&limits);
	if (sync_file_parse(text, strlen(text), &limits, &parsed, &err) != 0)
		fail_msg("parse: %s\n%s", err.message, text);
	file.device = parsed.device;
	file.device_name = parsed.name;
	file.ops = parsed.ops;
	file.nops = parsed.nops;
	if (store_sync_apply(store, &file, &changed, &err) != 0)
		fail_msg("apply: %s", err.message);
	sync_file_finish(&parsed);
}

/* Everything in from's outbox, as one file of device, applied to to. */
static void
exchange(struct store *from, const char *device, struct store *to)
{
	struct kl_error	 err = { 0 };
	json_t		*ops, *op;
	int64_t		 last;
	size_t		 i, len, size = 0;
	char		*text = NULL, *line;
	FILE		*f = open_memstream(&text, &size);

	assert_int_equal(store_sync_outbox(from, 0, 1000000, &ops, &last,
	    &err), 0);
	line = sync_file_header(device, "test");
	fprintf(f, "%s\n", line);
	free(line);
	json_array_foreach(ops, i, op) {
		line = json_dumps(op, JSON_COMPACT);
		len = strlen(line);
		fwrite(line, 1, len, f);
		fputc('\n', f);
		free(line);
	}
	fclose(f);
	json_decref(ops);
	apply_text(to, text, "all.jsonl");
	free(text);
}

/* The live entries of store without their ids, by uuid, canonical JSON. */
static char *
export_of(struct store *store)
{
	struct kl_error	 err = { 0 };
	struct store_cursor last, *after = NULL;
	json_t		*all = json_object(), *page, *e;
	size_t		 i;
	char		*s;

	for (;;) {
		assert_int_equal(store_entry_page(store, after, 100, 1 << 20,
		    &page, &last, &err), 0);
		if (json_array_size(page) == 0) {
			json_decref(page);
			break;
		}
		json_array_foreach(page, i, e) {
			json_object_del(e, "id");
			json_object_set(all, str(e, "uuid"), e);
		}
		json_decref(page);
		after = &last;
	}
	s = json_dumps(all, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(all);
	return s;
}

static void
assert_same(struct store *a, struct store *b)
{
	char	*x = export_of(a), *y = export_of(b);
	FILE	*f;

	if (strcmp(x, y) != 0 && (f = fopen("/tmp/kl-sync-diff", "w")) != NULL) {
		fprintf(f, "%s\n%s\n", x, y);
		fclose(f);
	}
	assert_string_equal(x, y);
	free(x);
	free(y);
}

/* The only entry of store (live), a new reference. */
static json_t *
only_entry(struct store *store)
{
	struct store_query	 q = { .limit = -1 };
	struct kl_error		 err = { 0 };
	json_t			*list, *e;
	int64_t			 total;

	assert_int_equal(store_entry_list(store, &q, &list, &total, &err), 0);
	assert_int_equal(total, 1);
	e = json_incref(json_array_get(list, 0));
	json_decref(list);
	return e;
}

static int64_t
id_of(json_t *entry)
{
	return json_integer_value(json_object_get(entry, "id"));
}

static void
test_enable_publishes(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	char		 dev[UUID_STR_LEN], again[UUID_STR_LEN];
	int64_t		 published, pending, id;
	json_t		*e;

	add(f->store, "made tea", "home", day_today(NOW, 0), NULL);
	add(f->store, "walked the dog", NULL, day_today(NOW, 0), "said");
	id = add(f->store, "fixed the bike", NULL, day_today(NOW, 0), NULL);
	assert_int_equal(store_entry_delete(f->store, id, NOW, &e, &err), 0);
	json_decref(e);
	assert_int_equal(store_sync_pending(f->store, &pending, &err), 0);
	assert_int_equal(pending, 0);
	assert_int_equal(store_sync_enable(f->store, "m1", dev, &published,
	    &err), 0);
	assert_int_equal(published, 3);
	assert_int_equal(store_sync_pending(f->store, &pending, &err), 0);
	assert_int_equal(pending, 4);	/* three creates and a delete */
	/* The same machine keeps its id and publishes nothing again. */
	assert_int_equal(store_sync_enable(f->store, "m1", again, &published,
	    &err), 0);
	assert_string_equal(dev, again);
	assert_int_equal(published, 0);
	/* Another machine makes a new id. */
	assert_int_equal(store_sync_enable(f->store, "m2", again, &published,
	    &err), 0);
	assert_string_not_equal(dev, again);
	assert_int_equal(published, 0);
	/* Every change records an operation. */
	add(f->store, "cooked", NULL, day_today(NOW, 0), NULL);
	assert_int_equal(store_sync_pending(f->store, &pending, &err), 0);
	assert_int_equal(pending, 5);
}

static void
test_outbox_sent(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	char		 dev[UUID_STR_LEN];
	int64_t		 published, pending, last, id;
	json_t		*ops, *e;

	assert_int_equal(store_sync_enable(f->store, "m1", dev, &published,
	    &err), 0);
	id = add(f->store, "made tea", "home", day_today(NOW, 0), NULL);
	assert_int_equal(store_entry_thank(f->store, id, "wrote", NOW, &e,
	    &err), 0);
	json_decref(e);
	assert_int_equal(store_sync_outbox(f->store, 0, 10, &ops, &last,
	    &err), 0);
	assert_int_equal(json_array_size(ops), 2);
	assert_string_equal(str(json_array_get(ops, 0), "op"), "create");
	assert_string_equal(str(json_array_get(ops, 0), "text"), "made tea");
	assert_string_equal(str(json_array_get(ops, 1), "op"), "thanked");
	json_decref(ops);
	assert_int_equal(store_sync_sent(f->store, last, &err), 0);
	assert_int_equal(store_sync_pending(f->store, &pending, &err), 0);
	assert_int_equal(pending, 0);
}

/* Two devices: A adds, B learns of it; then both change it at once. */
struct pair {
	struct store	*a, *b;
	char		 da[UUID_STR_LEN], db[UUID_STR_LEN];
	int64_t		 ida, idb;
};

static void
pair_start(struct fixture *f, struct pair *p, const char *tags)
{
	json_t	*e;

	p->a = peer_open(f, "a", p->da);
	p->b = peer_open(f, "b", p->db);
	p->ida = add(p->a, "made tea", tags, day_today(NOW, 0) - 1, NULL);
	exchange(p->a, p->da, p->b);
	e = only_entry(p->b);
	p->idb = id_of(e);
	json_decref(e);
}

/* Exchange both ways, in both orders and twice, and compare. */
static void
pair_merge(struct pair *p)
{
	exchange(p->a, p->da, p->b);
	exchange(p->b, p->db, p->a);
	exchange(p->a, p->da, p->b);
	exchange(p->b, p->db, p->a);
	assert_same(p->a, p->b);
	assert_aggregates_store(p->a);
}

static void
pair_end(struct pair *p)
{
	store_close(p->a);
	store_close(p->b);
}

static void
test_delete_vs_edit(void **state)
{
	struct store_entry_change change = { .text = "made green tea" };
	struct kl_error	 err = { 0 };
	struct pair	 p;
	json_t		*e;
	char		*export_text;

	pair_start(*state, &p, NULL);
	assert_int_equal(store_entry_delete(p.a, p.ida, NOW, &e, &err), 0);
	json_decref(e);
	assert_int_equal(store_entry_edit(p.b, p.idb, &change, NOW, &e,
	    &err), 0);
	json_decref(e);
	pair_merge(&p);
	export_text = export_of(p.a);
	/* The delete is a field of its own: it stands, with B's text. */
	assert_string_equal(export_text, "{}");
	assert_int_equal(store_entry_undo(p.a, NOW, &e, &err), 0);
	assert_string_equal(str(e, "text"), "made green tea");
	json_decref(e);
	free(export_text);
	pair_end(&p);
}

static void
test_tag_add_vs_add(void **state)
{
	struct store_entry_change ca = { 0 }, cb = { 0 };
	struct kl_error	 err = { 0 };
	struct pair	 p;
	json_t		*e;

	pair_start(*state, &p, "home");
	ca.tags = tags_json("home x");
	cb.tags = tags_json("home y");
	assert_int_equal(store_entry_edit(p.a, p.ida, &ca, NOW, &e, &err), 0);
	json_decref(e);
	assert_int_equal(store_entry_edit(p.b, p.idb, &cb, NOW, &e, &err), 0);
	json_decref(e);
	pair_merge(&p);
	e = only_entry(p.a);
	assert_string_equal(tags_of(e), "home x y");
	json_decref(e);
	/* One side removes a tag the other kept: it goes. */
	json_decref(ca.tags);
	ca.tags = tags_json("x y");
	assert_int_equal(store_entry_edit(p.a, p.ida, &ca, NOW, &e, &err), 0);
	json_decref(e);
	pair_merge(&p);
	e = only_entry(p.b);
	assert_string_equal(tags_of(e), "x y");
	json_decref(e);
	json_decref(ca.tags);
	json_decref(cb.tags);
	pair_end(&p);
}

static void
test_thank_vs_edit(void **state)
{
	struct store_entry_change change = { .text = "made mint tea" };
	struct kl_error	 err = { 0 };
	struct pair	 p;
	json_t		*e;

	pair_start(*state, &p, NULL);
	assert_int_equal(store_entry_thank(p.a, p.ida, "showed", NOW, &e,
	    &err), 0);
	json_decref(e);
	assert_int_equal(store_entry_edit(p.b, p.idb, &change, NOW, &e,
	    &err), 0);
	json_decref(e);
	pair_merge(&p);
	e = only_entry(p.b);
	assert_string_equal(str(e, "text"), "made mint tea");
	assert_string_equal(str(json_object_get(e, "thanked"), "how"),
	    "showed");
	json_decref(e);
	pair_end(&p);
}

/* C hears of B's edit before A's create: it shows once the create comes. */
static void
test_edit_before_create(void **state)
{
	struct store_entry_change change = { .text = "made black tea" };
	struct kl_error	 err = { 0 };
	struct pair	 p;
	struct store	*c;
	char		 dc[UUID_STR_LEN], *text;
	json_t		*e;

	pair_start(*state, &p, NULL);
	c = peer_open(*state, "c", dc);
	assert_int_equal(store_entry_edit(p.b, p.idb, &change, NOW, &e,
	    &err), 0);
	json_decref(e);
	exchange(p.b, p.db, c);
	text = export_of(c);
	assert_string_equal(text, "{}");
	free(text);
	exchange(p.a, p.da, c);
	e = only_entry(c);
	assert_string_equal(str(e, "text"), "made black tea");
	json_decref(e);
	exchange(p.b, p.db, p.a);
	assert_same(p.a, c);
	assert_aggregates_store(c);
	store_close(c);
	pair_end(&p);
}

/* Unknown operations and fields are taken in, not refused. */
static void
test_unknown_kept(void **state)
{
	struct pair	 p;
	char		 text[1024], *head;
	json_t		*e;

	pair_start(*state, &p, NULL);
	e = only_entry(p.b);
	head = sync_file_header(p.da, "a");
	snprintf(text, sizeof text, "%s\n"
	    "{\"hlc\":%lld,\"op\":\"colour\",\"entry\":\"%s\",\"colour\":1}\n"
	    "{\"hlc\":%lld,\"op\":\"text\",\"entry\":\"%s\","
	    "\"at\":\"2026-11-27T08:00:00Z\",\"text\":\"made hot tea\","
	    "\"mood\":\"warm\"}\n",
	    head, (long long)hlc_make(hlc_wall_ms(), 0),
	    str(e, "uuid"), (long long)hlc_make(hlc_wall_ms(), 1),
	    str(e, "uuid"));
	json_decref(e);
	free(head);
	apply_text(p.b, text, "new.jsonl");
	e = only_entry(p.b);
	assert_string_equal(str(e, "text"), "made hot tea");
	json_decref(e);
	pair_end(&p);
}

/* --- random operations in random orders -------------------------------- */

#define RANDOM_OPS 1000
#define RANDOM_ENTRIES 12

static uint64_t	rng = 12345;

static uint64_t
rng_next(void)
{
	uint64_t	z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
below(size_t n)
{
	return (size_t)(rng_next() % n);
}

/* A random operation of the i-th clock as a file of its device. */
static char *
random_op(size_t i, char devices[][UUID_STR_LEN], char entries[][UUID_STR_LEN])
{
	static const char *const kinds[] = { "create", "text", "day", "tag",
	    "thanked", "deleted" };
	static const char *const words[] = { "tea", "dog", "bike", "letter" };
	static const char *const days[] = { "2026-11-20", "2026-11-21",
	    "2026-11-22" };
	const char	*dev = devices[i % 3], *kind = kinds[below(6)];
	char		*head = sync_file_header(dev, NULL), *text;
	char		 fields[256];
	/* Every two operations share a clock: ties between devices. */
	long long	 hlc = (long long)hlc_make(1795765265000LL, 0) +
			    (long long)(i / 2);

	if (strcmp(kind, "create") == 0)
		snprintf(fields, sizeof fields, "\"day\":\"%s\",\"text\":\"made"
		    " %s\",\"tags\":[\"%s\"],\"created_at\":"
		    "\"2026-11-20T10:00:00Z\",\"thanked\":null",
		    days[below(3)], words[below(4)], words[below(4)]);
	else if (strcmp(kind, "text") == 0)
		snprintf(fields, sizeof fields, "\"text\":\"fixed %s\"",
		    words[below(4)]);
	else if (strcmp(kind, "day") == 0)
		snprintf(fields, sizeof fields, "\"day\":\"%s\"", days[below(3)]);
	else if (strcmp(kind, "tag") == 0)
		snprintf(fields, sizeof fields, "\"tag\":\"%s\",\"present\":%s",
		    words[below(4)], below(2) ? "true" : "false");
	else if (strcmp(kind, "thanked") == 0)
		snprintf(fields, sizeof fields, "\"thanked\":%s", below(2) ?
		    "null" : "{\"at\":\"2026-11-21T10:00:00Z\",\"how\":\"wrote\"}");
	else
		snprintf(fields, sizeof fields, "\"deleted\":%s",
		    below(3) == 0 ? "true" : "false");
	if (asprintf(&text, "%s\n{\"hlc\":%lld,\"op\":\"%s\",\"entry\":\"%s\","
	    "\"at\":\"2026-11-2%zuT10:00:00Z\",%s}\n", head, hlc, kind,
	    entries[below(RANDOM_ENTRIES)], 1 + below(5), fields) == -1)
		fail();
	free(head);
	return text;
}

static void
test_random_orders(void **state)
{
	struct fixture	*f = *state;
	char		 devices[3][UUID_STR_LEN], entries[RANDOM_ENTRIES][UUID_STR_LEN];
	char		 dev[UUID_STR_LEN], *ops[RANDOM_OPS];
	struct store	*s[3];
	size_t		 i, j, k, t, order[RANDOM_OPS];
	char		 name[32];

	for (i = 0; i < 3; i++)
		uuid_generate(devices[i]);
	for (i = 0; i < RANDOM_ENTRIES; i++)
		uuid_generate(entries[i]);
	for (i = 0; i < RANDOM_OPS; i++)
		ops[i] = random_op(i, devices, entries);
	for (k = 0; k < 3; k++) {
		snprintf(name, sizeof name, "r%zu", k);
		s[k] = peer_open(f, name, dev);
		for (i = 0; i < RANDOM_OPS; i++)
			order[i] = k == 1 ? RANDOM_OPS - 1 - i : i;
		for (i = RANDOM_OPS; k == 2 && i > 1; i--) {
			j = below(i);
			t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		for (i = 0; i < RANDOM_OPS; i++) {
			apply_text(s[k], ops[order[i]], "op.jsonl");
			/* Now and then a file comes twice. */
			if (k == 2 && below(4) == 0)
				apply_text(s[k], ops[order[below(i + 1)]],
				    "again.jsonl");
		}
	}
	assert_same(s[0], s[1]);
	assert_same(s[0], s[2]);
	for (k = 0; k < 3; k++) {
		assert_aggregates_store(s[k]);
		store_close(s[k]);
	}
	for (i = 0; i < RANDOM_OPS; i++)
		free(ops[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_enable_publishes),
		STORE_TEST(test_outbox_sent),
		STORE_TEST(test_delete_vs_edit),
		STORE_TEST(test_tag_add_vs_add),
		STORE_TEST(test_thank_vs_edit),
		STORE_TEST(test_edit_before_create),
		STORE_TEST(test_unknown_kept),
		STORE_TEST(test_random_orders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
