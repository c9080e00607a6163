/*
 * Data generator: ENTRIES gestures spread over the last YEARS years with
 * realistic gaps (runs of logged days broken by runs of silence), written
 * either straight into a database through the store's import (fast: no
 * socket, no JSON, one transaction that adds the aggregates in bulk) or
 * as the CSV that `kindlog import` reads. Deterministic for a given SEED.
 * usage: bench-datagen --db FILE|--csv FILE ENTRIES YEARS [SEED]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

static const char *const datagen_texts[] = {
	"made me coffee before work", "left a note in my bag",
	"picked me up from the station", "cooked dinner when I was tired",
	"listened to me vent about work", "fixed the bike",
	"brought flowers for no reason", "did the dishes without asking",
	"texted to ask how the exam went", "warmed up the car",
	"planned a walk on Sunday", "folded my laundry",
};
static const char *const datagen_tags[] = {
	"morning", "food", "chores", "words", "surprise", "care",
};
static const char *const datagen_hows[] = { "said", "wrote", "showed",
	"other" };
#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static uint64_t datagen_state;

/* xorshift64*: small, fast, reproducible. */
static uint64_t
datagen_random(void)
{
	datagen_state ^= datagen_state >> 12;
	datagen_state ^= datagen_state << 25;
	datagen_state ^= datagen_state >> 27;
	return datagen_state * 2685821657736338717ULL;
}

/* A uniform number in [0, n). */
static size_t
datagen_pick(size_t n)
{
	return (size_t)(datagen_random() % n);
}

/* Which of ndays days are logged: a two-state chain (runs and gaps). */
static size_t
datagen_active_days(char *active, size_t ndays)
{
	size_t	i, count = 0;
	int	on = 1;

	for (i = 0; i < ndays; i++) {
		if (on && datagen_pick(100) < 12)
			on = 0;		/* a run ends after ~8 days */
		else if (!on && datagen_pick(100) < 45)
			on = 1;		/* a gap lasts ~2 days */
		active[i] = (char)on;
		count += (size_t)on;
	}
	count += !active[ndays - 1];
	active[ndays - 1] = 1;		/* yesterday counts: a live streak */
	return count;
}

/* A random RFC 4122 version 4 uuid, lowercase. */
static void
datagen_uuid(char out[37])
{
	uint64_t	a = datagen_random(), b = datagen_random();

	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	    (unsigned)a & 0xfff, (unsigned)(0x8000 | (b >> 48 & 0x3fff)),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

/* One generated entry. */
struct datagen_entry {
	char		 uuid[37];
	char		 day[11];
	char		 text[96];
	const char	*tags[2];
	int		 ntags;
	time_t		 created;
	const char	*how;
};

/* Fill e for a gesture on the day starting at midnight (UTC seconds). */
static void
datagen_entry(struct datagen_entry *e, time_t midnight, size_t serial)
{
	struct tm	tm;

	gmtime_r(&midnight, &tm);
	strftime(e->day, sizeof e->day, "%Y-%m-%d", &tm);
	datagen_uuid(e->uuid);
	snprintf(e->text, sizeof e->text, "%s (%zu)",
	    datagen_texts[datagen_pick(NELEM(datagen_texts))], serial);
	e->ntags = (int)datagen_pick(3);
	e->tags[0] = datagen_tags[datagen_pick(NELEM(datagen_tags))];
	do
		e->tags[1] = datagen_tags[datagen_pick(NELEM(datagen_tags))];
	while (e->ntags == 2 && e->tags[1] == e->tags[0]);
	e->created = midnight + 6 * 3600 + (time_t)datagen_pick(16 * 3600);
	e->how = datagen_pick(10) < 6 ?
	    datagen_hows[datagen_pick(NELEM(datagen_hows))] : NULL;
}

/* Write e as one CSV record (texts hold no commas or quotes). */
static void
datagen_csv(FILE *f, const struct datagen_entry *e)
{
	char	created[32], thanked[32];
	time_t	at = e->created + 3600;

	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ",
	    gmtime(&e->created));
	strftime(thanked, sizeof thanked, "%Y-%m-%dT%H:%M:%SZ", gmtime(&at));
	fprintf(f, "%s,%s,%s,%s%s%s,%s,%s,%s,%s\n", e->uuid, e->day, e->text,
	    e->ntags > 0 ? e->tags[0] : "", e->ntags > 1 ? ";" : "",
	    e->ntags > 1 ? e->tags[1] : "", created, created,
	    e->how != NULL ? thanked : "", e->how != NULL ? e->how : "");
}

/* Records staged at a time, as many as a client's import batch. */
#define DATAGEN_BATCH 2000

/* An import into the database, and the records not staged yet. */
struct datagen_db {
	struct store			*store;
	char				 session[UUID_STR_LEN];
	struct datagen_entry		 entry[DATAGEN_BATCH];
	struct store_import_record	 record[DATAGEN_BATCH];
	size_t				 n;
};

/* Print what failed and exit. */
static void
datagen_fail(const char *what, const struct kl_error *err)
{
	fprintf(stderr, "bench-datagen: %s: %s\n", what, err->message);
	exit(1);
}

/* Open (creating) the database at path and begin an import session. */
static struct datagen_db *
datagen_open(const char *path)
{
	struct datagen_db	*db = calloc(1, sizeof *db);
	struct kl_error		 err;

	if (db == NULL) {
		perror("bench-datagen");
		exit(1);
	}
	if (store_open(path, &db->store, &err) == -1)
		datagen_fail(path, &err);
	if (store_import_begin(db->store, time(NULL), db->session, &err) == -1)
		datagen_fail("import", &err);
	return db;
}

/* Stage the records gathered so far. */
static void
datagen_flush(struct datagen_db *db)
{
	struct kl_error	err;
	size_t		i;

	if (store_import_stage(db->store, db->session, db->record, db->n,
	    &err) == -1)
		datagen_fail("import", &err);
	for (i = 0; i < db->n; i++)
		json_decref(db->record[i].tags);
	db->n = 0;
}

/* Add e to the import, staging a full batch. */
static void
datagen_insert(struct datagen_db *db, const struct datagen_entry *e)
{
	struct datagen_entry		*copy = &db->entry[db->n];
	struct store_import_record	*r = &db->record[db->n];
	int				 i;

	*copy = *e;
	*r = (struct store_import_record){ .text = copy->text,
	    .created_at = e->created, .updated_at = e->created,
	    .thanked_how = e->how, .thanked_at = e->created + 3600 };
	memcpy(r->uuid, e->uuid, sizeof r->uuid);
	if (!day_parse_iso(e->day, &r->day)) {
		fprintf(stderr, "bench-datagen: bad day %s\n", e->day);
		exit(1);
	}
	if (e->ntags > 0)
		r->tags = json_array();
	for (i = 0; i < e->ntags; i++)
		json_array_append_new(r->tags, json_string(e->tags[i]));
	if (++db->n == DATAGEN_BATCH)
		datagen_flush(db);
}

/* Commit the import and close the database. */
static void
datagen_close(struct datagen_db *db)
{
	struct kl_error	err;
	int64_t		added, skipped;

	datagen_flush(db);
	if (store_import_commit(db->store, db->session, false, &added,
	    &skipped, &err) == -1)
		datagen_fail("import", &err);
	store_close(db->store);
	free(db);
}

int
main(int argc, char **argv)
{
	struct datagen_entry	 e;
	struct datagen_db	*db = NULL;
	FILE			*csv = NULL;
	char			*active;
	size_t			 total, years, ndays, nactive, i, k, serial = 0;
	size_t			*per_day, *index;
	time_t			 today;

	if (argc < 5 || (strcmp(argv[1], "--db") != 0 &&
	    strcmp(argv[1], "--csv") != 0)) {
		fprintf(stderr, "usage: bench-datagen --db FILE|--csv FILE "
		    "ENTRIES YEARS [SEED]\n");
		return 2;
	}
	total = strtoul(argv[3], NULL, 10);
	years = strtoul(argv[4], NULL, 10);
	datagen_state = argc > 5 ? strtoull(argv[5], NULL, 10) : 42;
	datagen_state += !datagen_state;
	ndays = years * 365 + years / 4;
	if (ndays == 0)
		ndays = 1;
	active = calloc(ndays, 1);
	per_day = calloc(ndays, sizeof *per_day);
	nactive = datagen_active_days(active, ndays);
	index = calloc(nactive, sizeof *index);
	for (i = k = 0; i < ndays; i++) {
		if (active[i])
			index[k++] = i;
	}
	for (i = 0; i < total; i++)
		per_day[index[datagen_pick(nactive)]]++;

	if (strcmp(argv[1], "--db") == 0)
		db = datagen_open(argv[2]);
	else if ((csv = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return 1;
	} else
		fputs("uuid,day,text,tags,created_at,updated_at,thanked_at,"
		    "thanked_how\n", csv);

	/* Days end yesterday, so today is left for the user. */
	today = time(NULL) / 86400 * 86400;
	for (i = 0; i < ndays; i++) {
		for (k = 0; k < per_day[i]; k++) {
			datagen_entry(&e, today - (time_t)(ndays - i) * 86400,
			    ++serial);
			if (csv != NULL)
				datagen_csv(csv, &e);
			else
				datagen_insert(db, &e);
		}
	}
	if (csv != NULL && fclose(csv) != 0) {
		perror(argv[2]);
		return 1;
	}
	if (db != NULL)
		datagen_close(db);
	printf("%zu entries on %zu of %zu days\n", serial, nactive, ndays);
	free(active);
	free(per_day);
	free(index);
	return 0;
}
