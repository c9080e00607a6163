/*
 * Group commit under injected I/O faults (faultvfs.c). A trial runs one
 * batch as the server does -- store_batch_begin, requests through the
 * method table, store_batch_commit, and after a failed commit every
 * result turned into error 2 -- with one fault at a random write, sync or
 * truncate of the -wal or the database file. Then the replies and the
 * file must agree: the batch failed whole and nothing of it is in the
 * file, or every ok reply's change is there; integrity_check passes on
 * the same connection and after reopening. The store syncs (its outbox is
 * never written out here), so each change's sync operations must be in
 * the file exactly when the change is: every entry has its clocks and a
 * create, and its latest clock is its latest operation's.
 *
 * KINDLOG_FAULTS_SEED replays a run (its requests and faults; uuids and
 * the clock differ), KINDLOG_FAULTS_TRIALS runs more or fewer trials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "config.h"
#include "faultvfs.h"
#include "kindlogd.h"
#include "methods.h"
#include "store.h"

#define FAULTS_TRIALS 1000
#define FAULTS_GENERATION 40		/* trials on one database file */
#define FAULTS_SEED_ENTRIES 12
#define FAULTS_MAX_REQUESTS 8
#define FAULTS_SMALL_CACHE "PRAGMA cache_size = 10"	/* pages */
#define FAULTS_MISSING_ID 1000000	/* and above: ids never used */
#define FAULTS_SHOWN 5			/* violations printed in full */

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* --- a seeded generator (splitmix64) --------------------------------- */

static uint64_t	faults_seed;
static uint64_t	faults_rng;

static uint64_t
rng_next(void)
{
	uint64_t	z = (faults_rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static long
rng_below(long n)
{
	return (long)(rng_next() % (uint64_t)n);
}

/*
 * The index of a row drawn from a table of n rows of size bytes, each
 * by its weight: weight points at the first row's, an int field.
 */
static size_t
rng_weighted(const int *weight, size_t n, size_t size)
{
	long	total = 0, k;
	size_t	i;

	for (i = 0; i < n; i++)
		total += *(const int *)((const char *)weight + i * size);
	k = rng_below(total);
	for (i = 0; k >= *(const int *)((const char *)weight + i * size); i++)
		k -= *(const int *)((const char *)weight + i * size);
	return i;
}

/* --- the store's own connection, for pragmas and integrity_check ------ */

static sqlite3	*faults_opened;

/* An auto extension: remember the connection sqlite3_open just made. */
static int
faults_capture(sqlite3 *db, char **errmsg, const sqlite3_api_routines *api)
{
	faults_opened = db;
	return SQLITE_OK;
}

/* Open the store at path on the fault VFS; *db is its connection. */
static int
faults_open(const char *path, struct store **store, sqlite3 **db)
{
	struct kl_error	err;
	char		device[UUID_STR_LEN];
	int64_t		published;

	faults_opened = NULL;
	if (store_open(path, store, &err) != 0) {
		fprintf(stderr, "store_open: %s\n", err.message);
		return -1;
	}
	*db = faults_opened;
	assert_non_null(*db);
	if (store_sync_enable(*store, "faults", device, &published,
	    &err) != 0) {
		fprintf(stderr, "store_sync_enable: %s\n", err.message);
		return -1;
	}
	return 0;
}

/*
 * Entries whose sync operations disagree with them: one without clocks or
 * a create, one whose latest clock (a field's or a tag's) is not its
 * latest operation's, an operation of no entry. 0 when all agree.
 */
static const char faults_sync_sql[] =
	"SELECT (SELECT count(*) FROM entries e WHERE NOT EXISTS"
	" (SELECT 1 FROM sync_entry s WHERE s.entry = e.id) OR NOT EXISTS"
	" (SELECT 1 FROM sync_outbox o WHERE o.entry = e.id AND o.kind = 1))"
	" + (SELECT count(*) FROM sync_entry s WHERE max(s.ch, s.th, s.dh,"
	" s.kh, s.xh, s.uh, coalesce((SELECT max(hlc) FROM sync_tags t"
	" WHERE t.entry = s.entry), 0)) <> (SELECT max(hlc) FROM sync_outbox o"
	" WHERE o.entry = s.entry))"
	" + (SELECT count(*) FROM sync_outbox o WHERE NOT EXISTS"
	" (SELECT 1 FROM entries e WHERE e.id = o.entry))";

static bool
faults_sync_ok(sqlite3 *db)
{
	sqlite3_stmt	*stmt;
	bool		 ok;

	assert_int_equal(sqlite3_prepare_v2(db, faults_sync_sql, -1, &stmt,
	    NULL), SQLITE_OK);
	ok = sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_int64(stmt, 0) == 0;
	if (!ok)
		fprintf(stderr, "sync: %lld entries disagree with their "
		    "operations\n", (long long)sqlite3_column_int64(stmt, 0));
	sqlite3_finalize(stmt);
	return ok;
}

/* PRAGMA integrity_check's verdict: true for ok. */
static bool
faults_integrity_ok(sqlite3 *db)
{
	sqlite3_stmt	*stmt;
	bool		 ok;

	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &stmt, NULL), SQLITE_OK);
	ok = sqlite3_step(stmt) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") == 0;
	if (!ok)
		fprintf(stderr, "integrity_check: %.120s\n",
		    sqlite3_column_text(stmt, 0) != NULL ?
		    (const char *)sqlite3_column_text(stmt, 0) :
		    sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	return ok;
}

/* --- what the file should hold ---------------------------------------- */

struct model_entry {
	json_int_t	 id;
	json_t		*entry;		/* ENTRY as the last ok reply gave it */
	bool		 live;
};

struct model {
	struct model_entry	*v;
	size_t			 n;
	size_t			 alloc;
};

static void
model_clear(struct model *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		json_decref(m->v[i].entry);
	m->n = 0;
}

static void
model_copy(struct model *dst, const struct model *src)
{
	size_t	i;

	model_clear(dst);
	if (dst->alloc < src->n) {
		dst->alloc = src->n;
		dst->v = realloc(dst->v, dst->alloc * sizeof *dst->v);
		assert_non_null(dst->v);
	}
	for (i = 0; i < src->n; i++) {
		dst->v[i] = src->v[i];
		json_incref(dst->v[i].entry);
	}
	dst->n = src->n;
}

static struct model_entry *
model_find(const struct model *m, json_int_t id)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].id == id)
			return &m->v[i];
	}
	return NULL;
}

/* Record entry (borrowed) as what id now holds. */
static void
model_set(struct model *m, json_t *entry, bool live)
{
	json_int_t		 id = json_integer_value(json_object_get(entry,
				    "id"));
	struct model_entry	*e = model_find(m, id);

	if (e == NULL) {
		if (m->n == m->alloc) {
			m->alloc = m->alloc == 0 ? 64 : m->alloc * 2;
			m->v = realloc(m->v, m->alloc * sizeof *m->v);
			assert_non_null(m->v);
		}
		e = &m->v[m->n++];
		e->id = id;
		e->entry = NULL;
	}
	json_decref(e->entry);
	e->entry = json_incref(entry);
	e->live = live;
}

static size_t
model_live(const struct model *m)
{
	size_t	i, n = 0;

	for (i = 0; i < m->n; i++)
		n += m->v[i].live;
	return n;
}

/* The id of a random entry that is (or is not) live, or 0 if none. */
static json_int_t
model_pick(const struct model *m, bool live)
{
	size_t	i, n = 0, k;

	for (i = 0; i < m->n; i++)
		n += m->v[i].live == live;
	if (n == 0)
		return 0;
	k = (size_t)rng_below((long)n);
	for (i = 0; i < m->n; i++) {
		if (m->v[i].live == live && k-- == 0)
			return m->v[i].id;
	}
	return 0;
}

/* Does the store hold exactly what m says? */
static bool
model_matches(const struct model *m, struct store *store)
{
	struct kl_error	 err;
	json_t		*entry;
	kl_day		*days;
	size_t		 i, ndays;
	int64_t		 live;
	int		 rc;

	for (i = 0; i < m->n; i++) {
		entry = NULL;
		rc = store_entry_get(store, m->v[i].id, &entry, &err);
		if (m->v[i].live ? rc != 0 || !json_equal(entry,
		    m->v[i].entry) : rc == 0 || err.code != KL_ERR_NOT_FOUND) {
			fprintf(stderr, "entry #%lld: %s\n",
			    (long long)m->v[i].id, rc != 0 ? err.message :
			    m->v[i].live ? "differs" : "should be gone");
			json_decref(entry);
			return false;
		}
		json_decref(entry);
	}
	if (store_days(store, &days, &ndays, &live, &err) != 0)
		return false;
	free(days);
	if ((size_t)live != model_live(m))
		fprintf(stderr, "%lld live entries, %zu expected\n",
		    (long long)live, model_live(m));
	return (size_t)live == model_live(m);
}

/* --- requests ----------------------------------------------------------- */

struct request {
	json_t		*params;
	json_int_t	 target;	/* the entry it names, or 0 */
	int		 expect;	/* 0: ok, or the error code */
};

static const char *const faults_tags[] = { "home", "walk", "tea", "kids",
	"work" };
static const char *const faults_gestures[] = { "made tea", "walked the dog",
	"fixed the bike", "sent a letter", "cooked dinner" };
static const char *const faults_hows[] = { "said", "wrote", "showed",
	"other" };

/* A gesture, now and then padded to a few KiB (more pages to write). */
static json_t *
faults_text(void)
{
	const char	*g = faults_gestures[rng_below(NELEM(faults_gestures))];
	size_t		 len = strlen(g), pad = 0, i;
	char		*s;
	json_t		*text;

	if (rng_below(4) == 0)
		pad = 500 + (size_t)rng_below(3400);
	s = malloc(len + pad + 2);
	assert_non_null(s);
	memcpy(s, g, len);
	if (pad > 0) {
		s[len++] = ' ';
		for (i = 0; i < pad; i++)
			s[len++] = (char)('a' + rng_below(26));
	}
	s[len] = '\0';
	text = json_string(s);
	free(s);
	return text;
}

static json_t *
faults_tag_set(void)
{
	json_t	*tags = json_array();
	long	 i, n = rng_below(4);

	for (i = 0; i < n; i++)
		json_array_append_new(tags, json_string(
		    faults_tags[rng_below(NELEM(faults_tags))]));
	return tags;
}

static void
make_add(const struct model *pre, const struct model *now,
    struct request *r)
{
	char	day[32];

	r->params = json_pack("{s:o}", "text", faults_text());
	if (rng_below(2))
		json_object_set_new(r->params, "tags", faults_tag_set());
	if (rng_below(2)) {
		snprintf(day, sizeof day, "%ld days ago", rng_below(60));
		json_object_set_new(r->params, "day", json_string(day));
	}
	if (rng_below(3) == 0)
		json_object_set_new(r->params, "thanked", json_true());
}

static void
make_add_blank(const struct model *pre, const struct model *now,
    struct request *r)
{
	r->params = json_pack("{s:s}", "text", " \t ");
	r->expect = KL_ERR_PARAMS;
}

/*
 * A request on an entry the client knows: one committed before the batch
 * (a reply in the batch is not out yet), live or deleted then. Its fate
 * follows the batch so far: deleted in it, it is not found.
 */
static void
make_target(const struct model *pre, const struct model *now, bool live,
    struct request *r)
{
	const struct model_entry	*e;

	r->target = model_pick(pre, live);
	e = model_find(now, r->target);
	if (e == NULL || !e->live)
		r->expect = KL_ERR_NOT_FOUND;
	if (r->target == 0)
		r->target = FAULTS_MISSING_ID + rng_below(1000);
}

static void
make_edit(const struct model *pre, const struct model *now,
    struct request *r)
{
	make_target(pre, now, true, r);
	r->params = json_pack("{s:I, s:o}", "id", r->target, "text",
	    faults_text());
	if (rng_below(2))
		json_object_set_new(r->params, "tags", faults_tag_set());
}

static void
make_edit_missing(const struct model *pre, const struct model *now,
    struct request *r)
{
	r->target = FAULTS_MISSING_ID + rng_below(1000);
	r->params = json_pack("{s:I, s:s}", "id", r->target, "text", "gone");
	r->expect = KL_ERR_NOT_FOUND;
}

static void
make_thank(const struct model *pre, const struct model *now,
    struct request *r)
{
	make_target(pre, now, true, r);
	r->params = json_pack("{s:I, s:s}", "id", r->target, "how",
	    faults_hows[rng_below(NELEM(faults_hows))]);
}

/* Just the id of a live entry: a delete or a get. */
static void
make_id(const struct model *pre, const struct model *now,
    struct request *r)
{
	make_target(pre, now, true, r);
	r->params = json_pack("{s:I}", "id", r->target);
}

/* Just the id of an entry deleted before the batch. */
static void
make_id_deleted(const struct model *pre, const struct model *now,
    struct request *r)
{
	make_target(pre, now, false, r);
	r->params = json_pack("{s:I}", "id", r->target);
}

/* An edit with nothing to change. */
static void
make_edit_nothing(const struct model *pre, const struct model *now,
    struct request *r)
{
	make_id(pre, now, r);
	r->expect = KL_ERR_PARAMS;
}

static void
make_undo(const struct model *pre, const struct model *now,
    struct request *r)
{
	r->params = json_object();
	r->expect = model_pick(now, false) != 0 ? 0 : KL_ERR_NOT_FOUND;
}

static void
make_list(const struct model *pre, const struct model *now,
    struct request *r)
{
	r->params = json_pack("{s:i}", "limit", 0);
}

static void
make_streak(const struct model *pre, const struct model *now,
    struct request *r)
{
	r->params = json_object();
}

/* What an ok reply of a kind of request does to the model. */
enum effect {
	E_NONE,			/* none: the request fails validation */
	E_ADDED,		/* a new entry, live */
	E_CHANGED,		/* the target, live */
	E_DELETED,		/* the target, gone */
	E_RESTORED,		/* an entry deleted before, live again */
	E_READ_ENTRY,		/* reads the target (and all after: reads) */
	E_READ_TOTAL,		/* reads the number of live entries */
	E_READ_STREAK,		/* reads it in the streak */
};

/*
 * Apply an ok reply to the batch's model; false if the request could not
 * have had it. exact: no fault has fired yet, so reads must see the
 * batch's own writes.
 */
static bool
model_apply(struct model *m, enum effect effect, const struct request *r,
    json_t *result, bool exact)
{
	json_t			*entry = json_object_get(result, "entry");
	json_int_t		 id = json_integer_value(json_object_get(entry,
				    "id"));
	json_int_t		 live = (json_int_t)model_live(m);
	struct model_entry	*e = model_find(m, id);

	switch (effect) {
	case E_NONE:
		return true;
	case E_ADDED:
		if (e != NULL)
			return false;	/* an id in use */
		break;
	case E_CHANGED:
	case E_DELETED:
		if (id != r->target)
			return false;
		break;
	case E_RESTORED:
		if (e == NULL || e->live)
			return false;	/* restored what was not deleted */
		break;
	case E_READ_ENTRY:
		return !exact || json_equal(entry, model_find(m,
		    r->target)->entry);
	case E_READ_TOTAL:
		return !exact || json_integer_value(json_object_get(result,
		    "total")) == live;
	case E_READ_STREAK:
		return !exact || json_integer_value(json_object_get(result,
		    "entries")) == live;
	}
	model_set(m, entry, effect != E_DELETED);
	return true;
}

enum { KIND_ADD, KIND_DELETE = 6 };	/* the seeding batches' */

static const struct kind {
	const char	*method;
	int		 weight;
	void		(*make)(const struct model *, const struct model *,
			    struct request *);
	enum effect	 effect;
} faults_kinds[] = {
	[KIND_ADD] = { "add", 10, make_add, E_ADDED },
	{ "add", 1, make_add_blank, E_NONE },
	{ "edit", 4, make_edit, E_CHANGED },
	{ "edit", 1, make_edit_missing, E_NONE },
	{ "edit", 1, make_edit_nothing, E_NONE },
	{ "thank", 3, make_thank, E_CHANGED },
	[KIND_DELETE] = { "delete", 3, make_id, E_DELETED },
	{ "delete", 1, make_id_deleted, E_DELETED },
	{ "undo", 1, make_undo, E_RESTORED },
	{ "get", 1, make_id, E_READ_ENTRY },
	{ "list", 1, make_list, E_READ_TOTAL },
	{ "streak", 1, make_streak, E_READ_STREAK },
};

static const struct kind *
kind_pick(void)
{
	return &faults_kinds[rng_weighted(&faults_kinds[0].weight,
	    NELEM(faults_kinds), sizeof faults_kinds[0])];
}

/* --- faults ------------------------------------------------------------- */

static const struct target {
	const char		*name;
	enum faultvfs_file	 file;
	enum faultvfs_op	 op;
	int			 weight;
	int			 rc[2];
} faults_targets[] = {
	{ "wal write", FAULTVFS_WAL, FAULTVFS_WRITE, 4,
	    { SQLITE_FULL, SQLITE_IOERR_WRITE } },
	{ "wal sync", FAULTVFS_WAL, FAULTVFS_SYNC, 2,
	    { SQLITE_IOERR_FSYNC, SQLITE_IOERR_FSYNC } },
	{ "db write", FAULTVFS_DB, FAULTVFS_WRITE, 2,
	    { SQLITE_FULL, SQLITE_IOERR_WRITE } },
	{ "db sync", FAULTVFS_DB, FAULTVFS_SYNC, 1,
	    { SQLITE_IOERR_FSYNC, SQLITE_IOERR_FSYNC } },
	{ "db truncate", FAULTVFS_DB, FAULTVFS_TRUNCATE, 1,
	    { SQLITE_IOERR_TRUNCATE, SQLITE_IOERR_TRUNCATE } },
};

/* How trials ended, per fault target. */
struct tally {
	long	trials;
	long	fired;
	long	failed;		/* the batch failed whole */
	long	committed;
};

enum violation {
	V_REPLY,		/* a reply the request could not have had */
	V_FILE,			/* the file disagrees with the replies */
	V_INTEGRITY,		/* integrity_check, same connection */
	V_REOPEN,		/* integrity_check or open after reopening */
	V_SYNC,			/* a change without its operation, or one alone */
	V_COUNT
};

static const char *const faults_violations[V_COUNT] = {
	"reply unlike the request", "file unlike the replies",
	"integrity_check failed", "integrity_check failed after reopening",
	"changes and sync operations disagree",
};

struct faults {
	char		 dir[64];
	char		 path[96];
	struct kindlogd	 d;		/* what the method table needs */
	sqlite3		*db;		/* the store's connection */
	struct store	*holder;	/* keeps the -wal across trials */
	struct model	 model;		/* what the file holds */
	struct model	 pending;	/* and what the batch has done */
	long		 trial;
	long		 calls[NELEM(faults_targets)];
	struct tally	 by[NELEM(faults_targets)];
	long		 alone;		/* requests failing alone, committed */
	long		 violations[V_COUNT];
	bool		 broken;	/* this trial had a violation */
	long		 broken_trials;
	char		 log[8192];	/* this trial's steps */
	size_t		 loglen;
};

/* Note a step of this trial, shown if the trial has a violation. */
static void __attribute__((format(printf, 2, 3)))
faults_log(struct faults *f, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (f->loglen >= sizeof f->log - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(f->log + f->loglen, sizeof f->log - f->loglen, fmt, ap);
	va_end(ap);
	if (n > 0)
		f->loglen += (size_t)n;
	if (f->loglen > sizeof f->log - 1)
		f->loglen = sizeof f->log - 1;
}

/* Count a violation of this trial; the first trials' are shown. */
static void
faults_violation(struct faults *f, enum violation v, const char *what)
{
	if (!f->broken)
		f->broken_trials++;
	f->broken = true;
	f->violations[v]++;
	if (f->broken_trials <= FAULTS_SHOWN)
		fprintf(stderr, "seed %llu trial %ld: %s%s%s\n",
		    (unsigned long long)faults_seed, f->trial,
		    faults_violations[v], what != NULL ? ": " : "",
		    what != NULL ? what : "");
}

/* The connection's knobs, so that faults reach more of SQLite's I/O. */
static void
faults_tune(struct faults *f)
{
	static const int	checkpoint[] = { 4, 32, 1000 };

	/* A small cache spills pages to the -wal before the commit. */
	if (rng_below(2))
		assert_int_equal(sqlite3_exec(f->db, FAULTS_SMALL_CACHE, NULL,
		    NULL, NULL), SQLITE_OK);
	/* A small threshold checkpoints into the database in the batch. */
	sqlite3_wal_autocheckpoint(f->db,
	    checkpoint[rng_below(NELEM(checkpoint))]);
}

static const char *
faults_rc_name(int rc)
{
	switch (rc) {
	case SQLITE_FULL:
		return "SQLITE_FULL";
	case SQLITE_IOERR_WRITE:
		return "SQLITE_IOERR_WRITE";
	case SQLITE_IOERR_FSYNC:
		return "SQLITE_IOERR_FSYNC";
	case SQLITE_IOERR_TRUNCATE:
		return "SQLITE_IOERR_TRUNCATE";
	}
	return "?";
}

/* Pick a target and arm a fault at a random call of the coming batch. */
static const struct target *
faults_arm(struct faults *f)
{
	struct faultvfs_fault	 fault = { 0 };
	size_t			 i = rng_weighted(&faults_targets[0].weight,
				    NELEM(faults_targets),
				    sizeof faults_targets[0]);
	const struct target	*t = &faults_targets[i];

	fault.file = t->file;
	fault.op = t->op;
	/* Calls vary from batch to batch: the last one's count is a guide. */
	fault.nth = 1 + rng_below(f->calls[i] + 1);
	fault.rc = t->rc[rng_below(2)];
	if (t->op == FAULTVFS_WRITE && rng_below(2))
		fault.partial = (int)rng_below(4096);
	faults_log(f, "  fault: %s call %ld fails with %s (%d bytes written)\n",
	    t->name, fault.nth, faults_rc_name(fault.rc), fault.partial);
	faultvfs_arm(&fault);
	return t;
}

/* Remember how many calls of each target the batch made. */
static void
faults_count_calls(struct faults *f)
{
	size_t	i;

	for (i = 0; i < NELEM(faults_targets); i++)
		f->calls[i] = faultvfs_calls(faults_targets[i].file,
		    faults_targets[i].op);
}

/*
 * Run one request inside the batch and check its reply against the
 * request; an ok reply is applied to the batch's model. Returns the
 * reply's error code, 0 for ok (before the commit).
 */
static int
faults_request(struct faults *f, const struct kind *k, struct request *r)
{
	struct kl_error	 err;
	json_t		*result;
	bool		 fired = faultvfs_failed() > 0;
	char		 what[160];

	faults_log(f, "  %s #%lld, expecting %d: ", k->method,
	    (long long)r->target, r->expect);
	if (methods_call(&f->d, k->method, r->params, &result, &err) == 0) {
		faults_log(f, "ok\n");
		/* A read after a fault may see the batch rolled back. */
		if ((r->expect != 0 && !(fired && k->effect >= E_READ_ENTRY)) ||
		    !model_apply(&f->pending, k->effect, r, result, !fired)) {
			snprintf(what, sizeof what, "%s #%lld: ok, expected "
			    "%d", k->method, (long long)r->target, r->expect);
			faults_violation(f, V_REPLY, what);
		}
		json_decref(result);
		return 0;
	}
	faults_log(f, "error %d (%s)%s\n", err.code, err.message,
	    faultvfs_failed() > 0 ? ", after the fault" : "");
	/* After a fault, any request may fail as a storage failure. */
	if (err.code != r->expect && !(err.code == KL_ERR_STORAGE &&
	    faultvfs_failed() > 0)) {
		snprintf(what, sizeof what, "%s #%lld: error %d (%.64s), "
		    "expected %d", k->method, (long long)r->target, err.code,
		    err.message, r->expect);
		faults_violation(f, V_REPLY, what);
	}
	return err.code;
}

/* After a trial: the same connection, then a fresh one, hold the model. */
static void
faults_check_file(struct faults *f)
{
	if (!faults_integrity_ok(f->db))
		faults_violation(f, V_INTEGRITY, NULL);
	if (!model_matches(&f->model, f->d.store))
		faults_violation(f, V_FILE, "same connection");
	if (!faults_sync_ok(f->db))
		faults_violation(f, V_SYNC, "same connection");
	store_close(f->d.store);
	f->d.store = NULL;
	if (faults_open(f->path, &f->d.store, &f->db) != 0) {
		faults_violation(f, V_REOPEN, "cannot open");
		return;
	}
	if (!faults_integrity_ok(f->db))
		faults_violation(f, V_REOPEN, NULL);
	if (!model_matches(&f->model, f->d.store))
		faults_violation(f, V_FILE, "after reopening");
	if (!faults_sync_ok(f->db))
		faults_violation(f, V_SYNC, "after reopening");
}

/*
 * One batch of n requests, of kind only or random ones, as server.c runs
 * it. Returns the commit's result; *alone counts the requests that failed
 * as a storage failure in a batch that committed.
 */
static int
faults_batch(struct faults *f, long n, const struct kind *only, long *alone)
{
	const struct kind	*k;
	struct request		 r;
	struct kl_error		 err;
	long			 i, storage = 0;
	int			 rc;

	model_copy(&f->pending, &f->model);
	store_batch_begin(f->d.store);
	for (i = 0; i < n; i++) {
		k = only != NULL ? only : kind_pick();
		memset(&r, 0, sizeof r);
		k->make(&f->model, &f->pending, &r);
		storage += faults_request(f, k, &r) == KL_ERR_STORAGE;
		json_decref(r.params);
	}
	rc = store_batch_commit(f->d.store, &err);
	faults_log(f, "  commit: %s (fault fired: %s)\n", rc == 0 ? "ok" :
	    err.message, faultvfs_failed() > 0 ? "yes" : "no");
	faultvfs_disarm();
	/* server_flush: a failed commit turns every held result into err. */
	if (rc == 0)
		model_copy(&f->model, &f->pending);
	else if (err.code != KL_ERR_STORAGE)
		faults_violation(f, V_REPLY, "commit failed, not as storage");
	*alone = rc == 0 ? storage : 0;
	return rc;
}

/* A new database file with a few entries, some deleted. */
static void
faults_generation(struct faults *f, bool hold_wal)
{
	char	cmd[400];
	long	alone;
	sqlite3	*db;

	store_close(f->d.store);
	store_close(f->holder);
	f->d.store = f->holder = NULL;
	snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", f->path,
	    f->path, f->path);
	assert_int_equal(system(cmd), 0);
	model_clear(&f->model);
	faultvfs_disarm();
	assert_int_equal(faults_open(f->path, &f->d.store, &f->db), 0);
	/* Another connection keeps the -wal (and its frames) between trials. */
	if (hold_wal)
		assert_int_equal(faults_open(f->path, &f->holder, &db), 0);
	f->broken = false;
	assert_int_equal(faults_batch(f, FAULTS_SEED_ENTRIES,
	    &faults_kinds[KIND_ADD], &alone), 0);
	assert_int_equal(faults_batch(f, FAULTS_SEED_ENTRIES / 4,
	    &faults_kinds[KIND_DELETE], &alone), 0);
	faults_check_file(f);
	assert_false(f->broken);
}

/* One trial: a random batch with one fault, then the checks. */
static void
faults_trial(struct faults *f)
{
	const struct target	*t;
	struct tally		*by;
	long			 alone;
	int			 rc;

	f->broken = false;
	f->loglen = 0;
	faults_tune(f);
	t = faults_arm(f);
	by = &f->by[t - faults_targets];
	rc = faults_batch(f, 2 + rng_below(FAULTS_MAX_REQUESTS - 1), NULL,
	    &alone);
	faults_count_calls(f);
	by->trials++;
	if (faultvfs_failed() > 0)
		by->fired++;
	if (rc != 0)
		by->failed++;
	else {
		by->committed++;
		f->alone += alone;
	}
	faults_check_file(f);
	if (f->broken && f->broken_trials <= FAULTS_SHOWN)
		fprintf(stderr, "%.*s", (int)f->loglen, f->log);
}

/* Print the outcomes, per target and in all, and return the latter. */
static struct tally
faults_print(const struct faults *f)
{
	struct tally	all = { 0 };
	size_t		i;
	int		v;

	for (i = 0; i < NELEM(faults_targets); i++) {
		all.trials += f->by[i].trials;
		all.fired += f->by[i].fired;
		all.failed += f->by[i].failed;
		all.committed += f->by[i].committed;
		printf("faults: %-11s %4ld trials, fault fired %4ld, batch "
		    "failed whole %4ld, committed %4ld\n", faults_targets[i].name,
		    f->by[i].trials, f->by[i].fired, f->by[i].failed,
		    f->by[i].committed);
	}
	printf("faults: seed %llu, %ld trials: fault fired %ld, batch failed "
	    "whole %ld, batch committed %ld (%ld requests failed alone)\n",
	    (unsigned long long)faults_seed, all.trials, all.fired, all.failed,
	    all.committed, f->alone);
	printf("faults: trials with a violation: %ld\n", f->broken_trials);
	for (v = 0; v < V_COUNT; v++)
		printf("faults: %s: %ld\n", faults_violations[v],
		    f->violations[v]);
	return all;
}

/* The seed: KINDLOG_FAULTS_SEED, or a new one (printed to replay it). */
static void
faults_seed_init(void)
{
	const char	*s = getenv("KINDLOG_FAULTS_SEED");

	faults_seed = s != NULL && *s != '\0' ? strtoull(s, NULL, 10) :
	    (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	faults_rng = faults_seed;
	printf("faults: seed %llu (KINDLOG_FAULTS_SEED to replay)\n",
	    (unsigned long long)faults_seed);
}

static void
test_batches_under_faults(void **state)
{
	struct faults	*f = *state;
	const char	*s = getenv("KINDLOG_FAULTS_TRIALS");
	long		 trials = s != NULL && *s != '\0' ? atol(s) :
			    FAULTS_TRIALS;
	struct tally	 all;

	for (f->trial = 0; f->trial < trials; f->trial++) {
		if (f->trial % FAULTS_GENERATION == 0 || f->broken)
			faults_generation(f, (f->trial / FAULTS_GENERATION) %
			    2 == 1);
		faults_trial(f);
	}
	all = faults_print(f);
	assert_int_equal(f->broken_trials, 0);
	/* Faults fired, and both outcomes were put to the test. */
	assert_true(all.fired > 0 && all.failed > 0 && all.committed > 0);
}

/* Add an entry of n bytes of text through the store; its result. */
static int
faults_store_add(struct store *store, size_t n, struct kl_error *err)
{
	struct store_entry_new	 in = { .day = 20000 };
	json_t			*entry = NULL;
	char			*text = malloc(n + 1);
	int			 rc;

	assert_non_null(text);
	memset(text, 'x', n);
	text[n] = '\0';
	in.text = text;
	rc = store_entry_add(store, &in, time(NULL), &entry, err);
	json_decref(entry);
	free(text);
	return rc;
}

static int64_t
faults_entries(struct store *store)
{
	struct kl_error	 err;
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries;

	assert_int_equal(store_days(store, &days, &ndays, &entries, &err), 0);
	free(days);
	return entries;
}

/*
 * A read that fails in a batch can take the batch with it: SQLite rolls
 * the whole transaction back when spilling a dirty page to make room
 * fails (here a list over more pages than the small cache holds, the
 * batch's writes dirty in it). The writes after it must be refused -- a
 * savepoint would otherwise begin a transaction of its own and commit
 * alone -- and the commit must fail, so the writes before it get an error.
 */
static void
test_read_fault_fails_the_batch(void **state)
{
	struct faults		*f = *state;
	struct faultvfs_fault	 fault = { .file = FAULTVFS_WAL,
				    .op = FAULTVFS_WRITE, .nth = 1,
				    .rc = SQLITE_IOERR_WRITE };
	struct store_query	 q = { .limit = -1 };
	struct kl_error		 err;
	json_t			*entries;
	int64_t			 total;
	int			 i;

	assert_int_equal(faults_open(f->path, &f->d.store, &f->db), 0);
	store_batch_begin(f->d.store);
	for (i = 0; i < 200; i++)
		assert_int_equal(faults_store_add(f->d.store, 2000, &err), 0);
	assert_int_equal(store_batch_commit(f->d.store, &err), 0);

	assert_int_equal(sqlite3_exec(f->db, FAULTS_SMALL_CACHE, NULL, NULL,
	    NULL), SQLITE_OK);
	store_batch_begin(f->d.store);
	for (i = 0; i < 20; i++)
		assert_int_equal(faults_store_add(f->d.store, 2000, &err), 0);
	faultvfs_arm(&fault);
	assert_int_equal(store_entry_list(f->d.store, &q, &entries, &total,
	    &err), -1);
	faultvfs_disarm();
	assert_int_equal(faultvfs_failed(), 1);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	/* The premise: SQLite left the batch's transaction. */
	assert_true(sqlite3_get_autocommit(f->db));

	assert_int_equal(faults_store_add(f->d.store, 10, &err), -1);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	assert_int_equal(store_batch_commit(f->d.store, &err), -1);
	assert_int_equal(err.code, KL_ERR_STORAGE);
	assert_int_equal(faults_entries(f->d.store), 200);

	store_close(f->d.store);
	assert_int_equal(faults_open(f->path, &f->d.store, &f->db), 0);
	assert_true(faults_integrity_ok(f->db));
	assert_int_equal(faults_entries(f->d.store), 200);
	/* The store carries on with the next batch. */
	store_batch_begin(f->d.store);
	assert_int_equal(faults_store_add(f->d.store, 10, &err), 0);
	assert_int_equal(store_batch_commit(f->d.store, &err), 0);
	assert_int_equal(faults_entries(f->d.store), 201);
}

static int
setup(void **state)
{
	struct faults	*f = calloc(1, sizeof *f);

	assert_non_null(f);
	strcpy(f->dir, "/tmp/kindlog-faults-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/kindlog.db", f->dir);
	f->d.config = config_create_default();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct faults	*f = *state;
	char		 cmd[96];

	faultvfs_disarm();
	store_close(f->d.store);
	store_close(f->holder);
	config_destroy(f->d.config);
	model_clear(&f->model);
	model_clear(&f->pending);
	free(f->model.v);
	free(f->pending.v);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read_fault_fails_the_batch,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches_under_faults,
		    setup, teardown),
	};

	faultvfs_install();
	faultvfs_fake_syncs(true);
	assert_int_equal(sqlite3_auto_extension((void (*)(void))
	    faults_capture), SQLITE_OK);
	faults_seed_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
