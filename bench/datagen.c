/*
 * Data generator: ENTRIES gestures spread over the last YEARS years with
 * realistic gaps (runs of logged days broken by runs of silence), written
 * either straight into a database that kindlogd created (fast: one
 * transaction; the schema's triggers keep the aggregate tables, and the
 * routine_key column is computed here with daemon/routine.c) or as the
 * CSV that `kindlog import` reads. Deterministic for a given SEED.
 * usage: bench-datagen --db FILE|--csv FILE ENTRIES YEARS [SEED]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "routine.h"

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

/* Insert e with the prepared statements; exits on error. */
static void
datagen_insert(sqlite3 *db, sqlite3_stmt *entry, sqlite3_stmt *tag,
    const struct datagen_entry *e)
{
	sqlite3_int64	id;
	int		i;

	sqlite3_reset(entry);
	sqlite3_bind_text(entry, 1, e->uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(entry, 2, e->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(entry, 3, e->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(entry, 4, e->created);
	if (e->how != NULL) {
		sqlite3_bind_int64(entry, 5, e->created + 3600);
		sqlite3_bind_text(entry, 6, e->how, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(entry, 5);
		sqlite3_bind_null(entry, 6);
	}
	sqlite3_bind_text(entry, 7, routine_key(e->text), -1, free);
	if (sqlite3_step(entry) != SQLITE_DONE) {
		fprintf(stderr, "bench-datagen: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	id = sqlite3_last_insert_rowid(db);
	for (i = 0; i < e->ntags; i++) {
		sqlite3_reset(tag);
		sqlite3_bind_int64(tag, 1, id);
		sqlite3_bind_text(tag, 2, e->tags[i], -1, SQLITE_STATIC);
		if (sqlite3_step(tag) != SQLITE_DONE) {
			fprintf(stderr, "bench-datagen: %s\n",
			    sqlite3_errmsg(db));
			exit(1);
		}
	}
}

/* Open the database kindlogd made and prepare the two inserts. */
static sqlite3 *
datagen_open(const char *path, sqlite3_stmt **entry, sqlite3_stmt **tag)
{
	sqlite3	*db;
	int	 version = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, entry,
	    NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-datagen: %s: %s\n", path,
		    sqlite3_errmsg(db));
		exit(1);
	}
	if (sqlite3_step(*entry) == SQLITE_ROW)
		version = sqlite3_column_int(*entry, 0);
	sqlite3_finalize(*entry);
	if (version < 2) {
		fprintf(stderr, "bench-datagen: %s: start kindlogd on it "
		    "once first, so it has the schema (v2)\n", path);
		exit(1);
	}
	if (sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO entries (uuid, day, text,"
	    " created_at, updated_at, thanked_at, thanked_how, routine_key)"
	    " VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)", -1, entry, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO entry_tags"
	    " (entry_id, tag) VALUES (?1, ?2)", -1, tag, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench-datagen: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	return db;
}

int
main(int argc, char **argv)
{
	struct datagen_entry	 e;
	sqlite3_stmt		*entry = NULL, *tag = NULL;
	sqlite3			*db = NULL;
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
		db = datagen_open(argv[2], &entry, &tag);
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
				datagen_insert(db, entry, tag, &e);
		}
	}
	if (csv != NULL && fclose(csv) != 0) {
		perror(argv[2]);
		return 1;
	}
	if (db != NULL) {
		sqlite3_finalize(entry);
		sqlite3_finalize(tag);
		if (sqlite3_exec(db, "COMMIT;"
		    " PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench-datagen: %s\n",
			    sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_close(db);
	}
	printf("%zu entries on %zu of %zu days\n", serial, nactive, ndays);
	free(active);
	free(per_day);
	free(index);
	return 0;
}
