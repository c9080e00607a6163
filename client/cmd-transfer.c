/*
 * export and import. Export asks the daemon for one page at a time and
 * writes each page out before asking for the next, so the log is never
 * held whole. Import reads the file one record at a time (CSV, our JSON
 * array) or whole (jrnl's JSON object), turns each record into an
 * ENTRY-like object and sends batches that fit the request limit inside
 * one import session (doc/protocol.md, "Import sessions").
 */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "connection.h"
#include "csv.h"
#include "day.h"
#include "paths.h"
#include "util.h"
#include "wire.h"
#include "xmalloc.h"

/* Entries asked for per export page. */
#define CMD_TRANSFER_PAGE 1000
/* Bytes of records per import.add request, well under WIRE_MAX_LINE. */
#define CMD_TRANSFER_BATCH_BYTES (48 * 1024)
/*
 * import.add requests sent ahead of the reply being waited for, so that
 * the daemon stages one batch while we parse the next.
 */
#define CMD_TRANSFER_AHEAD 2

enum cmd_transfer_key {
	CMD_TRANSFER_FORMAT = 'f',
	CMD_TRANSFER_OUTPUT = 'o',
	CMD_TRANSFER_DRY_RUN = ARGS_LONG_ONLY,
};

const struct args_option cmd_export_options[] = {
	{ "format", CMD_TRANSFER_FORMAT, required_argument, "FORMAT",
	  "json (default), csv or markdown" },
	{ "output", CMD_TRANSFER_OUTPUT, required_argument, "FILE",
	  "write to FILE atomically (mode 0600) instead of stdout" },
	{ NULL, 0, 0, NULL, NULL }
};

const struct args_option cmd_import_options[] = {
	{ "format", CMD_TRANSFER_FORMAT, required_argument, "FORMAT",
	  "json or csv (default: from the file name or its content)" },
	{ "dry-run", CMD_TRANSFER_DRY_RUN, no_argument, NULL,
	  "report what would be added, change nothing" },
	{ NULL, 0, 0, NULL, NULL }
};

/* The CSV columns, in export order. */
static const char *const cmd_transfer_columns[] = {
	"uuid", "day", "text", "tags", "created_at", "updated_at",
	"thanked_at", "thanked_how"
};
#define CMD_TRANSFER_NCOLUMNS 8

enum cmd_transfer_format {
	CMD_TRANSFER_JSON,
	CMD_TRANSFER_CSV,
	CMD_TRANSFER_MARKDOWN,
};

/* ------------------------------------------------------------ export */

/* Where export writes and what it has written so far. */
struct cmd_transfer_out {
	enum cmd_transfer_format	 format;
	FILE				*f;
	long long			 count;
	char				 day[DAY_ISO_LEN];	/* markdown */
};

/* A member of an ENTRY as a string, "" when absent or null. */
static const char *
cmd_transfer_str(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

/* The tags of an ENTRY joined with sep; caller frees. */
static char *
cmd_transfer_tags(json_t *entry, const char *sep, const char *prefix)
{
	json_t	*tags = json_object_get(entry, "tags"), *tag;
	size_t	 i, len = 1;
	char	*out;

	json_array_foreach(tags, i, tag)
		len += json_string_length(tag) + strlen(sep) + strlen(prefix);
	out = xmalloc(len);
	out[0] = '\0';
	json_array_foreach(tags, i, tag) {
		if (i > 0)
			strcat(out, sep);
		strcat(out, prefix);
		strcat(out, json_string_value(tag));
	}
	return out;
}

/* One ENTRY as a CSV record. */
static int
cmd_transfer_write_csv(FILE *f, json_t *entry)
{
	json_t		*thanked = json_object_get(entry, "thanked");
	const char	*fields[CMD_TRANSFER_NCOLUMNS];
	char		*tags = cmd_transfer_tags(entry, ";", "");
	int		 rc;

	fields[0] = cmd_transfer_str(entry, "uuid");
	fields[1] = cmd_transfer_str(entry, "day");
	fields[2] = cmd_transfer_str(entry, "text");
	fields[3] = tags;
	fields[4] = cmd_transfer_str(entry, "created_at");
	fields[5] = cmd_transfer_str(entry, "updated_at");
	fields[6] = cmd_transfer_str(thanked, "at");
	fields[7] = cmd_transfer_str(thanked, "how");
	rc = csv_write_record(f, fields, CMD_TRANSFER_NCOLUMNS);
	free(tags);
	return rc;
}

/*
 * One ENTRY as a Markdown list item under its day's "## YYYY-MM-DD"
 * heading: "- text #tag #tag (thanked: said)"; further lines of the text
 * are indented so they stay inside the item.
 */
static int
cmd_transfer_write_markdown(struct cmd_transfer_out *out, json_t *entry)
{
	const char	*day = cmd_transfer_str(entry, "day");
	const char	*text = cmd_transfer_str(entry, "text"), *p;
	json_t		*thanked = json_object_get(entry, "thanked");
	char		*tags;

	if (strcmp(day, out->day) != 0) {
		fprintf(out->f, "%s## %s\n\n", out->count > 0 ? "\n" : "",
		    day);
		snprintf(out->day, sizeof out->day, "%s", day);
	}
	fputs("- ", out->f);
	for (p = text; *p != '\0'; p++) {
		putc(*p, out->f);
		if (*p == '\n')
			fputs("  ", out->f);
	}
	tags = cmd_transfer_tags(entry, " ", "#");
	if (*tags != '\0')
		fprintf(out->f, " %s", tags);
	free(tags);
	if (json_is_object(thanked))
		fprintf(out->f, " (thanked: %s)",
		    cmd_transfer_str(thanked, "how"));
	return putc('\n', out->f) == EOF ? -1 : 0;
}

/* Write one ENTRY in the chosen format. */
static int
cmd_transfer_write(struct cmd_transfer_out *out, json_t *entry)
{
	char	*s;
	int	 rc = 0;

	switch (out->format) {
	case CMD_TRANSFER_JSON:
		s = json_dumps(entry, JSON_COMPACT);
		if (fprintf(out->f, "%s%s", out->count > 0 ? ",\n" : "\n",
		    s) < 0)
			rc = -1;
		free(s);
		break;
	case CMD_TRANSFER_CSV:
		rc = cmd_transfer_write_csv(out->f, entry);
		break;
	case CMD_TRANSFER_MARKDOWN:
		rc = cmd_transfer_write_markdown(out, entry);
		break;
	}
	out->count++;
	return rc;
}

/* What comes before the first entry. */
static void
cmd_transfer_write_head(struct cmd_transfer_out *out)
{
	if (out->format == CMD_TRANSFER_JSON)
		fputs("[", out->f);
	else if (out->format == CMD_TRANSFER_CSV)
		csv_write_record(out->f, cmd_transfer_columns,
		    CMD_TRANSFER_NCOLUMNS);
	else
		fputs("# Kind things\n\n", out->f);
}

/* What comes after the last entry. */
static void
cmd_transfer_write_tail(struct cmd_transfer_out *out)
{
	if (out->format == CMD_TRANSFER_JSON)
		fputs(out->count > 0 ? "\n]\n" : "]\n", out->f);
	else if (out->format == CMD_TRANSFER_MARKDOWN && out->count == 0)
		fputs("Nothing logged yet.\n", out->f);
}

/* Fetch every page and write it out as it arrives. */
static int
cmd_transfer_pages(struct client_ctx *ctx, struct cmd_transfer_out *out)
{
	json_t	*result, *entries, *next, *entry, *cursor = NULL;
	size_t	 i;
	int	 rc;

	cmd_transfer_write_head(out);
	for (;;) {
		rc = cmd_request(ctx, "export", json_pack("{s:i, s:o*}",
		    "limit", CMD_TRANSFER_PAGE, "cursor", cursor), &result);
		if (rc != 0)
			return rc;
		entries = json_object_get(result, "entries");
		json_array_foreach(entries, i, entry) {
			if (cmd_transfer_write(out, entry) == -1)
				break;
		}
		next = json_object_get(result, "next");
		cursor = json_is_string(next) ? json_incref(next) : NULL;
		json_decref(result);
		if (ferror(out->f)) {
			json_decref(cursor);
			break;
		}
		if (cursor == NULL)
			break;
	}
	cmd_transfer_write_tail(out);
	return 0;
}

/* Parse --format; allowed is how many formats (markdown last) it may be. */
static int
cmd_transfer_format(struct client_ctx *ctx, const char *s, int allowed,
    enum cmd_transfer_format *format)
{
	static const char *const names[] = { "json", "csv", "markdown" };
	int	i;

	for (i = 0; i < allowed; i++) {
		if (strcmp(s, names[i]) == 0) {
			*format = (enum cmd_transfer_format)i;
			return 0;
		}
	}
	return cmd_usage_error(ctx, "unknown format '%s' (use %s)", s,
	    allowed == 3 ? "json, csv or markdown" : "json or csv");
}

/* A temp file next to path, open for writing, mode 0600. */
static FILE *
cmd_transfer_temp(const char *path, char **temp)
{
	char	*dir = paths_dirname(path);
	FILE	*f;
	int	 fd;

	*temp = xasprintf("%s/.kindlog-export.XXXXXX", dir);
	free(dir);
	if ((fd = mkstemp(*temp)) == -1) {
		free(*temp);
		*temp = NULL;
		return NULL;
	}
	fchmod(fd, 0600);
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(*temp);
	}
	return f;
}

/* Flush, fsync and close f, then move temp over path. */
static int
cmd_transfer_finish(FILE *f, const char *temp, const char *path)
{
	int	ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;

	if (fclose(f) != 0)
		ok = 0;
	if (ok && rename(temp, path) == 0)
		return 0;
	fprintf(stderr, "kindlog: cannot write %s: %s\n", path,
	    strerror(errno));
	unlink(temp);
	return CMD_EXIT_REFUSED;
}

/* kindlog export: every entry as JSON, CSV or Markdown, to stdout or -o. */
int
cmd_export(struct client_ctx *ctx, struct args *args)
{
	struct cmd_transfer_out	 out = { .format = CMD_TRANSFER_JSON };
	const char		*path = args_get(args, CMD_TRANSFER_OUTPUT);
	const char		*format = args_get(args, CMD_TRANSFER_FORMAT);
	char			*temp = NULL;
	int			 rc;

	if (format != NULL &&
	    (rc = cmd_transfer_format(ctx, format, 3, &out.format)) != 0)
		return rc;
	if (path == NULL || strcmp(path, "-") == 0) {
		out.f = stdout;
		rc = cmd_transfer_pages(ctx, &out);
		if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
			fprintf(stderr, "kindlog: cannot write the export: "
			    "%s\n", strerror(errno));
			rc = CMD_EXIT_REFUSED;
		}
		return rc;
	}
	if ((out.f = cmd_transfer_temp(path, &temp)) == NULL) {
		fprintf(stderr, "kindlog: cannot create a file next to %s: "
		    "%s\n", path, strerror(errno));
		free(temp);
		return CMD_EXIT_REFUSED;
	}
	rc = cmd_transfer_pages(ctx, &out);
	if (rc != 0) {
		fclose(out.f);
		unlink(temp);
	} else
		rc = cmd_transfer_finish(out.f, temp, path);
	free(temp);
	if (rc == 0 && ctx->json)
		output_json(json_pack("{s:I, s:s}", "exported",
		    (json_int_t)out.count, "file", path));
	else if (rc == 0)
		printf("Exported %lld %s to %s.\n", out.count,
		    out.count == 1 ? "entry" : "entries", path);
	return rc;
}

/* ------------------------------------------------------------ import */

/* A batch sent to the daemon whose reply has not been read yet. */
struct cmd_transfer_flight {
	json_int_t		 id;
	long long		 first;		/* its first record's number */
	long long		 n;		/* records */
	long			*lines;		/* CSV line of each, or NULL */
};

/*
 * An import in progress: the source, the session, the batch being built
 * and the batches in flight (a ring, oldest at flight[head]).
 */
struct cmd_transfer_in {
	struct client_ctx	*ctx;
	const char		*name;		/* file name for messages */
	FILE			*f;
	enum cmd_transfer_format format;
	struct csv_reader	 csv;
	long long		 record;	/* records read so far */
	long long		 sent;		/* records sent before the batch */
	char			*session;
	json_t			*batch;
	size_t			 batch_bytes;
	long			*lines;		/* CSV line of each batch record */
	struct cmd_transfer_flight flight[CMD_TRANSFER_AHEAD + 1];
	size_t			 head;
	size_t			 in_flight;
	bool			 failed;	/* a refusal was reported */
	bool			 lost;		/* a broken connection was */
};

static int	cmd_transfer_land_all(struct cmd_transfer_in *);

/* Print "kindlog: FILE: message" for a record the client refuses. */
static int
cmd_transfer_refuse(struct cmd_transfer_in *in, long line, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static int
cmd_transfer_refuse(struct cmd_transfer_in *in, long line, const char *fmt,
    ...)
{
	va_list	ap;
	int	rc;

	/* A batch sent before this record may have failed first. */
	if ((rc = cmd_transfer_land_all(in)) != 0)
		return rc;
	fprintf(stderr, "kindlog: %s: record %lld", in->name, in->record);
	if (line > 0)
		fprintf(stderr, " (line %ld)", line);
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; nothing was imported\n", stderr);
	return CMD_EXIT_REFUSED;
}

/*
 * The daemon's "record N: why" for a batch in flight, with the CSV line of
 * record N added when we know it.
 */
static int
cmd_transfer_refused(struct cmd_transfer_in *in,
    const struct cmd_transfer_flight *b, const struct kl_error *err)
{
	long long	 n;
	int		 used = 0;

	if (b->lines != NULL && sscanf(err->message, "record %lld: %n", &n,
	    &used) == 1 && used > 0 && n >= b->first && n < b->first + b->n)
		fprintf(stderr, "kindlog: %s: record %lld (line %ld): %s; "
		    "nothing was imported\n", in->name, n,
		    b->lines[n - b->first], err->message + used);
	else
		fprintf(stderr, "kindlog: %s: %s; nothing was imported\n",
		    in->name, err->message);
	return CMD_EXIT_REFUSED;
}

/* Report the first failure of the connection; the exit code. */
static int
cmd_transfer_lost(struct cmd_transfer_in *in, const struct kl_error *err)
{
	if (in->lost)
		return CMD_EXIT_UNREACHABLE;
	in->lost = true;
	return cmd_error(in->ctx, err);
}

/*
 * Read the reply to the oldest batch in flight. Only the first refusal is
 * reported: the daemon ends the session on a bad record, so the batches
 * sent after it are refused too.
 */
static int
cmd_transfer_land(struct cmd_transfer_in *in)
{
	struct cmd_transfer_flight	*b = &in->flight[in->head];
	struct kl_error			 err;
	json_t				*result;

	in->head = (in->head + 1) % (CMD_TRANSFER_AHEAD + 1);
	in->in_flight--;
	if (connection_read_reply(in->ctx->conn, b->id, &result, &err) == 0) {
		json_decref(result);
		return 0;
	}
	if (connection_error_is_local(&err))
		return cmd_transfer_lost(in, &err);
	if (in->failed)
		return CMD_EXIT_REFUSED;
	in->failed = true;
	return cmd_transfer_refused(in, b, &err);
}

/* Read every reply still due; returns the first failure. */
static int
cmd_transfer_land_all(struct cmd_transfer_in *in)
{
	int	rc = 0, next;

	while (in->in_flight > 0) {
		next = cmd_transfer_land(in);
		if (rc == 0)
			rc = next;
	}
	return rc;
}

/*
 * Send the batch to the session and start a new one; wait for the oldest
 * reply only once CMD_TRANSFER_AHEAD batches are in flight.
 */
static int
cmd_transfer_flush(struct cmd_transfer_in *in)
{
	struct cmd_transfer_flight	*b;
	struct kl_error			 err;
	long				*lines;
	int				 rc;

	if (json_array_size(in->batch) == 0)
		return 0;
	b = &in->flight[(in->head + in->in_flight) %
	    (CMD_TRANSFER_AHEAD + 1)];
	if (connection_send_request(in->ctx->conn, "import.add", json_pack(
	    "{s:s, s:O}", "session", in->session, "entries", in->batch),
	    &b->id, &err) == -1) {
		in->in_flight = 0;	/* the connection is gone */
		return cmd_transfer_lost(in, &err);
	}
	b->first = in->sent + 1;
	b->n = (long long)json_array_size(in->batch);
	lines = b->lines;		/* the slot's buffer is free again */
	b->lines = in->lines;
	in->lines = lines;
	if (b->lines != NULL && in->lines == NULL)
		in->lines = xcalloc(CMD_TRANSFER_BATCH_BYTES,
		    sizeof *in->lines);
	in->in_flight++;
	in->sent += b->n;
	json_array_clear(in->batch);
	in->batch_bytes = 0;
	if (in->in_flight <= CMD_TRANSFER_AHEAD)
		return 0;
	if ((rc = cmd_transfer_land(in)) != 0)
		(void)cmd_transfer_land_all(in);
	return rc;
}

/* Add one record (a reference is taken over) to the batch. */
static int
cmd_transfer_add(struct cmd_transfer_in *in, json_t *record, long line)
{
	size_t	size = json_dumpb(record, NULL, 0, JSON_COMPACT) + 1;
	int	rc;

	if (size > CMD_TRANSFER_BATCH_BYTES) {
		json_decref(record);
		return cmd_transfer_refuse(in, line, "record too large");
	}
	if (in->batch_bytes + size > CMD_TRANSFER_BATCH_BYTES &&
	    (rc = cmd_transfer_flush(in)) != 0) {
		json_decref(record);
		return rc;
	}
	if (in->lines != NULL)
		in->lines[json_array_size(in->batch)] = line;
	json_array_append_new(in->batch, record);
	in->batch_bytes += size;
	return 0;
}

/* Set key to a string unless it is empty. */
static void
cmd_transfer_set(json_t *obj, const char *key, const char *value)
{
	if (*value != '\0')
		json_object_set_new(obj, key, json_string(value));
}

/* A CSV record (fields named by the header) as an ENTRY-like object. */
static json_t *
cmd_transfer_csv_record(const struct csv_record *rec, const int *column)
{
	const char	*v[CMD_TRANSFER_NCOLUMNS];
	json_t		*obj = json_object(), *tags = json_array(), *thanked;
	char		*copy, *tag, *save;
	size_t		 i;

	for (i = 0; i < CMD_TRANSFER_NCOLUMNS; i++)
		v[i] = column[i] >= 0 ? rec->fields[column[i]] : "";
	cmd_transfer_set(obj, "uuid", v[0]);
	json_object_set_new(obj, "day", json_string(v[1]));
	json_object_set_new(obj, "text", json_string(v[2]));
	copy = xstrdup(v[3]);
	for (tag = strtok_r(copy, ";", &save); tag != NULL;
	    tag = strtok_r(NULL, ";", &save))
		json_array_append_new(tags, json_string(str_trim(tag)));
	free(copy);
	json_object_set_new(obj, "tags", tags);
	cmd_transfer_set(obj, "created_at", v[4]);
	cmd_transfer_set(obj, "updated_at", v[5]);
	if (*v[6] != '\0' || *v[7] != '\0') {
		thanked = json_object();
		cmd_transfer_set(thanked, "at", v[6]);
		cmd_transfer_set(thanked, "how", *v[7] != '\0' ? v[7] :
		    "said");
		json_object_set_new(obj, "thanked", thanked);
	}
	return obj;
}

/* Map the header's names to our columns; day and text are required. */
static int
cmd_transfer_csv_header(struct cmd_transfer_in *in,
    const struct csv_record *rec, int *column)
{
	size_t	i, j;

	for (j = 0; j < CMD_TRANSFER_NCOLUMNS; j++)
		column[j] = -1;
	for (i = 0; i < rec->n; i++) {
		for (j = 0; j < CMD_TRANSFER_NCOLUMNS; j++) {
			if (strcmp(rec->fields[i], cmd_transfer_columns[j]) == 0)
				break;
		}
		if (j == CMD_TRANSFER_NCOLUMNS || column[j] != -1) {
			fprintf(stderr, "kindlog: %s: line %ld: unknown or "
			    "repeated column '%s' (the header must name "
			    "columns of: uuid,day,text,tags,created_at,"
			    "updated_at,thanked_at,thanked_how)\n", in->name,
			    rec->line, rec->fields[i]);
			return CMD_EXIT_REFUSED;
		}
		column[j] = (int)i;
	}
	if (column[1] == -1 || column[2] == -1) {
		fprintf(stderr, "kindlog: %s: line %ld: the header needs day "
		    "and text columns\n", in->name, rec->line);
		return CMD_EXIT_REFUSED;
	}
	return 0;
}

/* Read a CSV file record by record into the session. */
static int
cmd_transfer_read_csv(struct cmd_transfer_in *in)
{
	struct csv_record	 rec = { 0 };
	struct kl_error		 err;
	int			 column[CMD_TRANSFER_NCOLUMNS], rc;
	size_t			 header;

	csv_reader_init(&in->csv, in->f);
	if ((rc = csv_read_record(&in->csv, &rec, &err)) <= 0) {
		fprintf(stderr, "kindlog: %s: %s\n", in->name, rc == 0 ?
		    "empty file, no header" : err.message);
		return CMD_EXIT_REFUSED;
	}
	if ((rc = cmd_transfer_csv_header(in, &rec, column)) != 0)
		goto out;
	header = rec.n;
	while ((rc = csv_read_record(&in->csv, &rec, &err)) == 1) {
		in->record++;
		if (rec.n != header) {
			rc = cmd_transfer_refuse(in, rec.line, "%zu fields, "
			    "the header has %zu", rec.n, header);
			goto out;
		}
		if ((rc = cmd_transfer_add(in, cmd_transfer_csv_record(&rec,
		    column), rec.line)) != 0)
			goto out;
	}
	if (rc == -1) {
		in->record++;
		rc = cmd_transfer_refuse(in, 0, "%s", err.message);
	}
out:
	csv_record_clear(&rec);
	return rc;
}

/* The next byte that is not JSON whitespace. */
static int
cmd_transfer_skip_space(FILE *f)
{
	int	c;

	do
		c = getc(f);
	while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
	return c;
}

/*
 * Read our JSON export, an array of ENTRY, one element at a time: jansson
 * stops right after each object (JSON_DISABLE_EOF_CHECK), and the commas
 * and the closing bracket are read here.
 */
static int
cmd_transfer_read_array(struct cmd_transfer_in *in)
{
	json_error_t	 jerr;
	json_t		*record;
	int		 c, rc;

	c = cmd_transfer_skip_space(in->f);	/* the '[' */
	c = cmd_transfer_skip_space(in->f);
	if (c == ']')
		goto end;
	for (;;) {
		in->record++;
		if (c != '{')
			return cmd_transfer_refuse(in, 0, "not an entry object");
		ungetc(c, in->f);
		record = json_loadf(in->f, JSON_DISABLE_EOF_CHECK |
		    JSON_REJECT_DUPLICATES, &jerr);
		if (record == NULL)
			return cmd_transfer_refuse(in, 0, "invalid JSON: %s",
			    jerr.text);
		if ((rc = cmd_transfer_add(in, record, 0)) != 0)
			return rc;
		c = cmd_transfer_skip_space(in->f);
		if (c == ']')
			break;
		if (c != ',')
			return cmd_transfer_refuse(in, 0, "expected ',' or ']' "
			    "after the record");
		c = cmd_transfer_skip_space(in->f);
	}
end:
	if (cmd_transfer_skip_space(in->f) != EOF) {
		if ((rc = cmd_transfer_land_all(in)) != 0)
			return rc;
		fprintf(stderr, "kindlog: %s: text after the closing ']'\n",
		    in->name);
		return CMD_EXIT_REFUSED;
	}
	return 0;
}

/* 64-bit FNV-1a of s (with its NUL) continued from h. */
static uint64_t
cmd_transfer_fnv(uint64_t h, const char *s)
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
cmd_transfer_jrnl_uuid(json_t *e, char out[UUID_STR_LEN])
{
	static const char *const keys[] = { "date", "time", "title", "body" };
	uint64_t	 a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
	size_t		 i;

	for (i = 0; i < 4; i++) {
		a = cmd_transfer_fnv(a, cmd_transfer_str(e, keys[i]));
		b = cmd_transfer_fnv(b ^ a, cmd_transfer_str(e, keys[i]));
	}
	snprintf(out, UUID_STR_LEN, "%08" PRIx32 "-%04" PRIx32 "-8%03" PRIx32
	    "-%04" PRIx32 "-%012" PRIx64, (uint32_t)(a >> 32),
	    (uint32_t)(a >> 16) & 0xffff, (uint32_t)a & 0xfff,
	    (uint32_t)((b >> 48) & 0x3fff) | 0x8000,
	    (uint64_t)(b & 0xffffffffffffULL));
}

/* date + time of a jrnl entry as local time, in RFC 3339 UTC; or NULL. */
static json_t *
cmd_transfer_jrnl_time(json_t *e)
{
	struct tm	 tm = { 0 };
	kl_day		 day;
	int		 minutes, y, m, d;
	time_t		 t;
	char		 buf[RFC3339_LEN];

	if (!day_parse_iso(cmd_transfer_str(e, "date"), &day) ||
	    !day_parse_clock(cmd_transfer_str(e, "time"), &minutes))
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

/* One jrnl entry as an ENTRY-like object, or NULL with *why. */
static json_t *
cmd_transfer_jrnl_entry(json_t *e, const char **why)
{
	json_t		*obj, *tags, *tag, *created;
	const char	*title = cmd_transfer_str(e, "title");
	const char	*body = cmd_transfer_str(e, "body");
	char		 uuid[UUID_STR_LEN], *text, *s;
	size_t		 i;

	if (!json_is_object(e) || !json_is_string(json_object_get(e,
	    "date"))) {
		*why = "not a jrnl entry with a date";
		return NULL;
	}
	tags = json_array();
	json_array_foreach(json_object_get(e, "tags"), i, tag) {
		s = xstrdup(json_is_string(tag) ? json_string_value(tag) : "");
		json_array_append_new(tags, json_string(s + (*s == '@')));
		free(s);
	}
	s = str_trim(xstrdup(body));
	text = *s != '\0' ? xasprintf("%s\n%s", title, s) : xstrdup(title);
	free(s);
	cmd_transfer_jrnl_uuid(e, uuid);
	obj = json_pack("{s:s, s:O, s:s, s:o}", "uuid", uuid, "day",
	    json_object_get(e, "date"), "text", text, "tags", tags);
	free(text);
	if ((created = cmd_transfer_jrnl_time(e)) != NULL)
		json_object_set_new(obj, "created_at", created);
	return obj;
}

/*
 * Read jrnl's JSON export ({"tags": {...}, "entries": [...]}), whole:
 * jrnl writes it as one object, so there is no record to stop at.
 */
static int
cmd_transfer_read_jrnl(struct cmd_transfer_in *in)
{
	json_error_t	 jerr;
	json_t		*root, *entries, *e, *record;
	const char	*why;
	size_t		 i;
	int		 rc = 0;

	if ((root = json_loadf(in->f, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		fprintf(stderr, "kindlog: %s: line %d: invalid JSON: %s\n",
		    in->name, jerr.line, jerr.text);
		return CMD_EXIT_REFUSED;
	}
	entries = json_object_get(root, "entries");
	if (!json_is_array(entries)) {
		fprintf(stderr, "kindlog: %s: not a kindlog export (an array) "
		    "nor a jrnl export (an object with \"entries\")\n",
		    in->name);
		json_decref(root);
		return CMD_EXIT_REFUSED;
	}
	json_array_foreach(entries, i, e) {
		in->record++;
		if ((record = cmd_transfer_jrnl_entry(e, &why)) == NULL) {
			rc = cmd_transfer_refuse(in, 0, "%s", why);
			break;
		}
		if ((rc = cmd_transfer_add(in, record, 0)) != 0)
			break;
	}
	json_decref(root);
	return rc;
}

/* The format from --format, the file name, or the first byte. */
static int
cmd_transfer_guess(struct cmd_transfer_in *in, const char *format)
{
	const char	*dot = strrchr(in->name, '.');
	int		 c;

	if (format != NULL)
		return cmd_transfer_format(in->ctx, format, 2, &in->format);
	if (dot != NULL && strcasecmp(dot, ".csv") == 0)
		in->format = CMD_TRANSFER_CSV;
	else if (dot != NULL && strcasecmp(dot, ".json") == 0)
		in->format = CMD_TRANSFER_JSON;
	else {
		c = cmd_transfer_skip_space(in->f);
		in->format = c == '[' || c == '{' ? CMD_TRANSFER_JSON :
		    CMD_TRANSFER_CSV;
		if (c != EOF)
			ungetc(c, in->f);
	}
	return 0;
}

/* Read the whole file into the open session. */
static int
cmd_transfer_read(struct cmd_transfer_in *in)
{
	int	c;

	if (in->format == CMD_TRANSFER_CSV) {
		in->lines = xcalloc(CMD_TRANSFER_BATCH_BYTES,
		    sizeof *in->lines);
		return cmd_transfer_read_csv(in);
	}
	c = cmd_transfer_skip_space(in->f);
	if (c != EOF)
		ungetc(c, in->f);
	if (c == '[')
		return cmd_transfer_read_array(in);
	if (c == '{')
		return cmd_transfer_read_jrnl(in);
	fprintf(stderr, "kindlog: %s: not JSON: expected '[' or '{'\n",
	    in->name);
	return CMD_EXIT_REFUSED;
}

/* Print what commit did (or would do). */
static void
cmd_transfer_print_import(struct client_ctx *ctx, json_t *r, bool dry_run)
{
	long long	added = output_get_int(r, "added");
	long long	skipped = output_get_int(r, "skipped");

	if (ctx->json)
		output_json(r);
	else if (dry_run)
		printf("Would add %lld %s, skip %lld already there "
		    "(dry run: nothing changed).\n", added,
		    added == 1 ? "entry" : "entries", skipped);
	else
		printf("Added %lld %s, skipped %lld already there.\n", added,
		    added == 1 ? "entry" : "entries", skipped);
}

/* Open the session, read the file into it, commit or abort. */
static int
cmd_transfer_import_run(struct cmd_transfer_in *in, bool dry_run)
{
	struct kl_error	 err;
	json_t		*result;
	int		 rc;

	if ((rc = cmd_request(in->ctx, "import.begin", NULL, &result)) != 0)
		return rc;
	in->session = xstrdup(output_get_str(result, "session"));
	json_decref(result);
	in->batch = json_array();
	rc = cmd_transfer_read(in);
	if (rc == 0)
		rc = cmd_transfer_flush(in);
	if (rc == 0)
		rc = cmd_transfer_land_all(in);
	if (rc != 0) {
		/* Replies still due come before the abort's; unreported. */
		in->failed = true;
		(void)cmd_transfer_land_all(in);
		/* The daemon ends a session on a bad record itself. */
		if (connection_request(in->ctx->conn, "import.abort", json_pack(
		    "{s:s}", "session", in->session), &result, &err) == 0)
			json_decref(result);
		else if (connection_error_is_local(&err))
			(void)cmd_transfer_lost(in, &err);
		return rc;
	}
	rc = cmd_request(in->ctx, "import.commit", json_pack("{s:s, s:b}",
	    "session", in->session, "dry_run", dry_run), &result);
	if (rc != 0)
		return rc;
	cmd_transfer_print_import(in->ctx, result, dry_run);
	json_decref(result);
	return 0;
}

/* kindlog import: a kindlog or jrnl export, all or nothing. */
int
cmd_import(struct client_ctx *ctx, struct args *args)
{
	struct cmd_transfer_in	 in = { .ctx = ctx };
	size_t			 i;
	int			 rc;

	in.name = args->argv[0];
	if (strcmp(in.name, "-") == 0) {
		in.f = stdin;
		in.name = "stdin";
	} else if ((in.f = fopen(in.name, "r")) == NULL) {
		fprintf(stderr, "kindlog: cannot open %s: %s\n", in.name,
		    strerror(errno));
		return CMD_EXIT_REFUSED;
	}
	rc = cmd_transfer_guess(&in, args_get(args, CMD_TRANSFER_FORMAT));
	if (rc == 0)
		rc = cmd_transfer_import_run(&in, args_has(args,
		    CMD_TRANSFER_DRY_RUN));
	if (in.f != stdin)
		fclose(in.f);
	free(in.session);
	free(in.lines);
	for (i = 0; i <= CMD_TRANSFER_AHEAD; i++)
		free(in.flight[i].lines);
	json_decref(in.batch);
	return rc;
}
