/*
 * Reading import files into ENTRY-like records (and REFLECTION-like ones):
 * CSV record by record, a CSV of reflections a run of rows at a time, our
 * JSON array element by element (jansson stops right after each object,
 * JSON_DISABLE_EOF_CHECK, and the commas and the closing bracket are read
 * here), jrnl's JSON object whole.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "day.h"
#include "import-read.h"
#include "rfc3339.h"
#include "strnum.h"
#include "uuid.h"
#include "xmalloc.h"

const char *const import_columns[IMPORT_NCOLUMNS] = {
	"uuid", "day", "text", "tags", "created_at", "updated_at",
	"thanked_at", "thanked_how"
};

const char *const import_reflection_columns[IMPORT_REFLECTION_NCOLUMNS] = {
	"uuid", "day", "created_at", "question", "answer"
};

/* Say why reading stopped; returns -1. */
static int
import_error(struct import_error *err, long long record, long line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
import_error(struct import_error *err, long long record, long line,
    const char *fmt, ...)
{
	va_list	ap;

	err->record = record;
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

/* A member as a string, "" when absent or not a string. */
static const char *
import_str(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* The next byte that is not JSON whitespace. */
static int
import_skip_space(FILE *f)
{
	int	c;

	do
		c = getc(f);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	return c;
}

/* The format from the file name, or from the first byte. */
enum import_format
import_guess(const char *name, FILE *f)
{
	const char	*dot = strrchr(name, '.');
	int		 c;

	if (dot != NULL && strcasecmp(dot, ".csv") == 0)
		return IMPORT_FORMAT_CSV;
	if (dot != NULL && strcasecmp(dot, ".json") == 0)
		return IMPORT_FORMAT_JSON;
	if (dot != NULL && (strcasecmp(dot, ".md") == 0 ||
	    strcasecmp(dot, ".markdown") == 0))
		return IMPORT_FORMAT_MARKDOWN;
	c = import_skip_space(f);
	if (c != EOF)
		ungetc(c, f);
	if (c == '#')
		return IMPORT_FORMAT_MARKDOWN;
	return c == '[' || c == '{' ? IMPORT_FORMAT_JSON : IMPORT_FORMAT_CSV;
}

/* ------------------------------------------------------------------ CSV */

/* Set key to a string unless it is empty. */
static void
import_set(json_t *obj, const char *key, const char *value)
{
	if (*value != '\0')
		json_object_set_new(obj, key, json_string(value));
}

/* A CSV record (fields named by the header) as an ENTRY-like object. */
static json_t *
import_csv_record(const struct csv_record *rec, const int *column)
{
	const char	*v[IMPORT_NCOLUMNS];
	json_t		*obj = json_object(), *tags = json_array(), *thanked;
	char		*copy, *tag, *save;
	size_t		 i;

	for (i = 0; i < IMPORT_NCOLUMNS; i++)
		v[i] = column[i] >= 0 ? rec->fields[column[i]] : "";
	import_set(obj, "uuid", v[0]);
	json_object_set_new(obj, "day", json_string(v[1]));
	json_object_set_new(obj, "text", json_string(v[2]));
	copy = xstrdup(v[3]);
	for (tag = strtok_r(copy, ";", &save); tag != NULL;
	    tag = strtok_r(NULL, ";", &save))
		json_array_append_new(tags, json_string(str_trim(tag)));
	free(copy);
	json_object_set_new(obj, "tags", tags);
	import_set(obj, "created_at", v[4]);
	import_set(obj, "updated_at", v[5]);
	if (*v[6] != '\0' || *v[7] != '\0') {
		thanked = json_object();
		import_set(thanked, "at", v[6]);
		import_set(thanked, "how", *v[7] != '\0' ? v[7] : "said");
		json_object_set_new(obj, "thanked", thanked);
	}
	return obj;
}

/* Whether a CSV header names a column of reflections only. */
static bool
import_csv_is_reflections(const struct csv_record *rec)
{
	size_t	i;

	for (i = 0; i < rec->n; i++) {
		if (strcmp(rec->fields[i], "question") == 0 ||
		    strcmp(rec->fields[i], "answer") == 0)
			return true;
	}
	return false;
}

/*
 * Map the header's names to the n columns of names; the columns at need[0]
 * and need[1] are required.
 */
static int
import_csv_header(struct import_reader *r, const char *const *names,
    size_t n, const int need[2], struct import_error *err)
{
	const struct csv_record	*rec = &r->rec;
	size_t			 i, j;

	for (j = 0; j < n; j++)
		r->column[j] = -1;
	for (i = 0; i < rec->n; i++) {
		for (j = 0; j < n; j++) {
			if (strcmp(rec->fields[i], names[j]) == 0)
				break;
		}
		if (j == n || r->column[j] != -1)
			return import_error(err, 0, 0, "line %ld: unknown or "
			    "repeated column '%s' (the header must name "
			    "columns of: %s)", rec->line, rec->fields[i],
			    r->reflections ? "uuid,day,created_at,question,"
			    "answer" : "uuid,day,text,tags,created_at,"
			    "updated_at,thanked_at,thanked_how");
		r->column[j] = (int)i;
	}
	if (r->column[need[0]] == -1 || r->column[need[1]] == -1)
		return import_error(err, 0, 0, "line %ld: the header needs "
		    "%s and %s columns", rec->line, names[need[0]],
		    names[need[1]]);
	r->nfields = rec->n;
	return 0;
}

/* Read the header. */
static int
import_csv_open(struct import_reader *r, struct import_error *err)
{
	struct kl_error	csv_err;
	int		rc;

	r->kind = IMPORT_READ_CSV;
	csv_reader_init(&r->csv, r->f);
	if ((rc = csv_read_record(&r->csv, &r->rec, &csv_err)) <= 0)
		return import_error(err, 0, 0, "%s", rc == 0 ?
		    "empty file, no header" : csv_err.message);
	r->reflections = import_csv_is_reflections(&r->rec);
	if (r->reflections)
		return import_csv_header(r, import_reflection_columns,
		    IMPORT_REFLECTION_NCOLUMNS, (const int[]){ 3, 4 }, err);
	return import_csv_header(r, import_columns, IMPORT_NCOLUMNS,
	    (const int[]){ 1, 2 }, err);
}

/* Read the next CSV row: 1, 0 at the end, or -1 naming record. */
static int
import_csv_row(struct import_reader *r, long long record,
    struct import_error *err)
{
	struct kl_error	csv_err;
	int		rc;

	rc = csv_read_record(&r->csv, &r->rec, &csv_err);
	if (rc == -1)
		return import_error(err, record, 0, "%s", csv_err.message);
	if (rc == 1 && r->rec.n != r->nfields)
		return import_error(err, record, r->rec.line, "%zu fields, "
		    "the header has %zu", r->rec.n, r->nfields);
	return rc;
}

/* The next CSV record. */
static int
import_csv_next(struct import_reader *r, json_t **record, long *line,
    struct import_error *err)
{
	int	rc;

	if ((rc = import_csv_row(r, r->record + 1, err)) != 1) {
		if (rc == -1)
			r->record++;
		return rc;
	}
	r->record++;
	*record = import_csv_record(&r->rec, r->column);
	*line = r->rec.line;
	return 1;
}

/* A field of the current row of a CSV of reflections, "" when absent. */
static const char *
import_csv_field(const struct import_reader *r, int column)
{
	return r->column[column] >= 0 ? r->rec.fields[r->column[column]] :
	    "";
}

/* Start a REFLECTION-like object from the current row. */
static void
import_reflection_start(struct import_reader *r, const char *key)
{
	r->pending = json_object();
	import_set(r->pending, "uuid", import_csv_field(r, 0));
	json_object_set_new(r->pending, "day",
	    json_string(import_csv_field(r, 1)));
	import_set(r->pending, "created_at", import_csv_field(r, 2));
	json_object_set_new(r->pending, "answers", json_array());
	free(r->pending_key);
	r->pending_key = xstrdup(key);
	r->pending_line = r->rec.line;
}

/*
 * The next reflection of a CSV of reflections: its rows, one per answer,
 * are the run of rows with the same uuid, day and created_at, so one is
 * complete when a row of another begins or the file ends.
 */
static int
import_reflection_next(struct import_reader *r, json_t **record, long *line,
    struct import_error *err)
{
	char	*key;
	int	 rc;

	while ((rc = import_csv_row(r, r->record + 1, err)) == 1) {
		key = xasprintf("%s\x1f%s\x1f%s", import_csv_field(r, 0),
		    import_csv_field(r, 1), import_csv_field(r, 2));
		if (r->pending != NULL && strcmp(key, r->pending_key) != 0) {
			*record = r->pending;
			*line = r->pending_line;
			r->record++;
			import_reflection_start(r, key);
		} else if (r->pending == NULL)
			import_reflection_start(r, key);
		free(key);
		json_array_append_new(json_object_get(r->pending, "answers"),
		    json_pack("{s:s, s:s}", "question", import_csv_field(r, 3),
		    "answer", import_csv_field(r, 4)));
		if (*record != NULL)
			return 1;
	}
	if (rc == -1) {
		r->record++;
		return -1;
	}
	if (r->pending == NULL)
		return 0;
	*record = r->pending;
	*line = r->pending_line;
	r->pending = NULL;
	r->record++;
	return 1;
}

/* ------------------------------------------------- kindlog's JSON array */

/* The next element of our JSON export; the '[' has been read. */
static int
import_array_next(struct import_reader *r, json_t **record,
    struct import_error *err)
{
	json_error_t	 jerr;
	int		 c;

	c = import_skip_space(r->f);
	if (r->after_record) {
		if (c == ']')
			goto end;
		if (c != ',')
			return import_error(err, r->record, 0, "expected ',' or "
			    "']' after the record");
		c = import_skip_space(r->f);
	} else if (c == ']')
		goto end;
	r->record++;
	if (c != '{')
		return import_error(err, r->record, 0, "not an entry object");
	ungetc(c, r->f);
	*record = json_loadf(r->f, JSON_DISABLE_EOF_CHECK |
	    JSON_REJECT_DUPLICATES, &jerr);
	if (*record == NULL)
		return import_error(err, r->record, 0, "invalid JSON: %s",
		    jerr.text);
	r->after_record = true;
	return 1;

end:
	r->done = true;
	if (import_skip_space(r->f) != EOF)
		return import_error(err, 0, 0, "text after the closing ']'");
	return 0;
}

/* ----------------------------------------------------------------- jrnl */

/* 64-bit FNV-1a of s (with its NUL) continued from h. */
static uint64_t
import_fnv(uint64_t h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	} while (*s++ != '\0');
	return h;
}

/*
 * A uuid derived from a jrnl entry's date, time, title and body, so that
 * importing the same journal twice adds nothing (jrnl has no ids). Its
 * version nibble is 8 (custom) and its variant is RFC 4122's.
 */
static void
import_jrnl_uuid(json_t *e, char out[UUID_STR_LEN])
{
	static const char *const keys[] = { "date", "time", "title", "body" };
	uint64_t	 a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
	size_t		 i;

	for (i = 0; i < 4; i++) {
		a = import_fnv(a, import_str(e, keys[i]));
		b = import_fnv(b ^ a, import_str(e, keys[i]));
	}
	snprintf(out, UUID_STR_LEN, "%08" PRIx32 "-%04" PRIx32 "-8%03" PRIx32
	    "-%04" PRIx32 "-%012" PRIx64, (uint32_t)(a >> 32),
	    (uint32_t)(a >> 16) & 0xffff, (uint32_t)a & 0xfff,
	    (uint32_t)((b >> 48) & 0x3fff) | 0x8000,
	    (uint64_t)(b & 0xffffffffffffULL));
}

/* date + time of a jrnl entry as local time, in RFC 3339 UTC; or NULL. */
static json_t *
import_jrnl_time(json_t *e)
{
	struct tm	 tm = { 0 };
	kl_day		 day;
	int		 minutes, y, m, d;
	time_t		 t;
	char		 buf[RFC3339_LEN];

	if (!day_parse_iso(import_str(e, "date"), &day) ||
	    !day_parse_clock(import_str(e, "time"), &minutes))
		return NULL;
	day_to_ymd(day, &y, &m, &d);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return NULL;
	return json_string(time_format_utc(t, buf));
}

/* One jrnl entry as an ENTRY-like object, or NULL. */
static json_t *
import_jrnl_entry(json_t *e)
{
	json_t		*obj, *tags, *tag, *created;
	const char	*title = import_str(e, "title");
	const char	*body = import_str(e, "body");
	char		 uuid[UUID_STR_LEN], *text, *s;
	size_t		 i;

	if (!json_is_object(e) || !json_is_string(json_object_get(e, "date")))
		return NULL;
	tags = json_array();
	json_array_foreach(json_object_get(e, "tags"), i, tag) {
		s = xstrdup(json_is_string(tag) ? json_string_value(tag) : "");
		json_array_append_new(tags, json_string(s + (*s == '@')));
		free(s);
	}
	s = str_trim(xstrdup(body));
	text = *s != '\0' ? xasprintf("%s\n%s", title, s) : xstrdup(title);
	free(s);
	import_jrnl_uuid(e, uuid);
	obj = json_pack("{s:s, s:O, s:s, s:o}", "uuid", uuid, "day",
	    json_object_get(e, "date"), "text", text, "tags", tags);
	free(text);
	if ((created = import_jrnl_time(e)) != NULL)
		json_object_set_new(obj, "created_at", created);
	return obj;
}

/* Read jrnl's JSON export ({"tags": {...}, "entries": [...]}) whole. */
static int
import_jrnl_open(struct import_reader *r, struct import_error *err)
{
	json_error_t	jerr;

	r->kind = IMPORT_READ_JRNL;
	r->root = json_loadf(r->f, JSON_REJECT_DUPLICATES, &jerr);
	if (r->root == NULL)
		return import_error(err, 0, 0, "line %d: invalid JSON: %s",
		    jerr.line, jerr.text);
	if (!json_is_array(json_object_get(r->root, "entries")))
		return import_error(err, 0, 0, "not a kindlog export (an "
		    "array) nor a jrnl export (an object with \"entries\")");
	return 0;
}

/* The next jrnl entry. */
static int
import_jrnl_next(struct import_reader *r, json_t **record,
    struct import_error *err)
{
	json_t	*entries = json_object_get(r->root, "entries");

	if (r->next >= json_array_size(entries))
		return 0;
	r->record++;
	*record = import_jrnl_entry(json_array_get(entries, r->next++));
	if (*record == NULL)
		return import_error(err, r->record, 0, "not a jrnl entry with "
		    "a date");
	return 1;
}

/* -------------------------------------------------------------- reader */

/* Start reading: the CSV header, or the JSON's first byte. */
int
import_reader_open(struct import_reader *r, FILE *f,
    enum import_format format, struct import_error *err)
{
	int	c;

	memset(r, 0, sizeof *r);
	r->f = f;
	if (format == IMPORT_FORMAT_CSV)
		return import_csv_open(r, err);
	c = import_skip_space(f);
	if (c == '[') {
		r->kind = IMPORT_READ_ARRAY;
		return 0;
	}
	if (c != EOF)
		ungetc(c, f);
	if (c == '{')
		return import_jrnl_open(r, err);
	r->done = true;
	return import_error(err, 0, 0, "not JSON: expected '[' or '{'");
}

/* The next record, whatever the format. */
int
import_reader_next(struct import_reader *r, json_t **record, long *line,
    struct import_error *err)
{
	*record = NULL;
	*line = 0;
	if (r->done)
		return 0;
	switch (r->kind) {
	case IMPORT_READ_CSV:
		if (r->reflections)
			return import_reflection_next(r, record, line, err);
		return import_csv_next(r, record, line, err);
	case IMPORT_READ_ARRAY:
		return import_array_next(r, record, err);
	case IMPORT_READ_JRNL:
		return import_jrnl_next(r, record, err);
	}
	return 0;
}

/* Free the header record and jrnl's object. */
void
import_reader_close(struct import_reader *r)
{
	csv_record_clear(&r->rec);
	json_decref(r->root);
	r->root = NULL;
	json_decref(r->pending);
	r->pending = NULL;
	free(r->pending_key);
	r->pending_key = NULL;
}
