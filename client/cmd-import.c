/*
 * kindlog import: records from import-read.c (entries, and reflections)
 * sent in batches that fit the request limit, inside one import session
 * (doc/protocol.md, "Import sessions"), so that the import is all or
 * nothing. A few batches stay
 * in flight, so the daemon stages one while the next is read.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "connection.h"
#include "import-read.h"
#include "xmalloc.h"

/* Bytes of records per import.add request, well under WIRE_MAX_LINE. */
#define CMD_IMPORT_BATCH_BYTES (48 * 1024)
/*
 * import.add requests sent ahead of the reply being waited for, so that
 * the daemon stages one batch while we parse the next.
 */
#define CMD_IMPORT_AHEAD 2

enum cmd_import_key {
	CMD_IMPORT_FORMAT = 'f',
	CMD_IMPORT_DRY_RUN = ARGS_LONG_ONLY,
};

const struct args_option cmd_import_options[] = {
	{ "format", CMD_IMPORT_FORMAT, required_argument, "FORMAT",
	  "json or csv (default: from the file name or its content)" },
	{ "dry-run", CMD_IMPORT_DRY_RUN, no_argument, NULL,
	  "report what would be added, change nothing" },
	{ NULL, 0, 0, NULL, NULL }
};

/* The names --format takes, in enum import_format order. */
static const char *const cmd_import_formats[] = { "json", "csv" };

/* A batch sent to the daemon whose reply has not been read yet. */
struct cmd_import_flight {
	json_int_t		 id;
	long long		 first;		/* its first record's number */
	long long		 n;		/* records */
	long			*lines;		/* CSV line of each, or NULL */
};

/*
 * An import in progress: the source, the session, the batch being built
 * and the batches in flight (a ring, oldest at flight[head]).
 */
struct cmd_import {
	struct client_ctx	*ctx;
	const char		*name;		/* file name for messages */
	FILE			*f;
	enum import_format	 format;
	struct import_reader	 reader;
	long long		 sent;		/* records sent before the batch */
	char			*session;
	json_t			*batch;
	const char		*batch_kind;	/* "entries" or "reflections" */
	size_t			 batch_bytes;
	long			*lines;		/* CSV line of each batch record */
	struct cmd_import_flight flight[CMD_IMPORT_AHEAD + 1];
	size_t			 head;
	size_t			 in_flight;
	bool			 failed;	/* a refusal was reported */
	bool			 lost;		/* a broken connection was */
};

static int	cmd_import_land_all(struct cmd_import *);

/*
 * Print why reading stopped: "kindlog: FILE: record N (line L): why;
 * nothing was imported", or "kindlog: FILE: why" about the whole file.
 * A batch sent before may have failed first: that is what is reported.
 */
static int
cmd_import_refuse(struct cmd_import *in, const struct import_error *err)
{
	int	rc;

	if ((rc = cmd_import_land_all(in)) != 0)
		return rc;
	if (err->record == 0) {
		fprintf(stderr, "kindlog: %s: %s\n", in->name, err->message);
		return CMD_EXIT_REFUSED;
	}
	fprintf(stderr, "kindlog: %s: record %lld", in->name, err->record);
	if (err->line > 0)
		fprintf(stderr, " (line %ld)", err->line);
	fprintf(stderr, ": %s; nothing was imported\n", err->message);
	return CMD_EXIT_REFUSED;
}

/*
 * The daemon's "record N: why" for a batch in flight, with the CSV line of
 * record N added when we know it.
 */
static int
cmd_import_refused(struct cmd_import *in, const struct cmd_import_flight *b,
    const struct kl_error *err)
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
cmd_import_lost(struct cmd_import *in, const struct kl_error *err)
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
cmd_import_land(struct cmd_import *in)
{
	struct cmd_import_flight	*b = &in->flight[in->head];
	struct kl_error			 err;
	json_t				*result;

	in->head = (in->head + 1) % (CMD_IMPORT_AHEAD + 1);
	in->in_flight--;
	if (connection_read_reply(in->ctx->conn, b->id, &result, &err) == 0) {
		json_decref(result);
		return 0;
	}
	if (connection_error_is_local(&err))
		return cmd_import_lost(in, &err);
	if (in->failed)
		return CMD_EXIT_REFUSED;
	in->failed = true;
	return cmd_import_refused(in, b, &err);
}

/* Read every reply still due; returns the first failure. */
static int
cmd_import_land_all(struct cmd_import *in)
{
	int	rc = 0, next;

	while (in->in_flight > 0) {
		next = cmd_import_land(in);
		if (rc == 0)
			rc = next;
	}
	return rc;
}

/*
 * Send the batch to the session and start a new one; wait for the oldest
 * reply only once CMD_IMPORT_AHEAD batches are in flight.
 */
static int
cmd_import_flush(struct cmd_import *in)
{
	struct cmd_import_flight	*b;
	struct kl_error			 err;
	long				*lines;
	int				 rc;

	if (json_array_size(in->batch) == 0)
		return 0;
	b = &in->flight[(in->head + in->in_flight) % (CMD_IMPORT_AHEAD + 1)];
	if (connection_send_request(in->ctx->conn, "import.add", json_pack(
	    "{s:s, s:O}", "session", in->session, in->batch_kind, in->batch),
	    &b->id, &err) == -1) {
		in->in_flight = 0;	/* the connection is gone */
		return cmd_import_lost(in, &err);
	}
	b->first = in->sent + 1;
	b->n = (long long)json_array_size(in->batch);
	lines = b->lines;		/* the slot's buffer is free again */
	b->lines = in->lines;
	in->lines = lines;
	if (b->lines != NULL && in->lines == NULL)
		in->lines = xcalloc(CMD_IMPORT_BATCH_BYTES, sizeof *in->lines);
	in->in_flight++;
	in->sent += b->n;
	json_array_clear(in->batch);
	in->batch_bytes = 0;
	if (in->in_flight <= CMD_IMPORT_AHEAD)
		return 0;
	if ((rc = cmd_import_land(in)) != 0)
		(void)cmd_import_land_all(in);
	return rc;
}

/*
 * Add one record (a reference is taken over) to the batch. A batch holds
 * one kind: a reflection (it has answers) after entries starts a new one.
 */
static int
cmd_import_add(struct cmd_import *in, json_t *record, long line)
{
	struct import_error	err;
	const char		*kind;
	size_t			size;
	int			rc;

	kind = json_object_get(record, "answers") != NULL ? "reflections" :
	    "entries";
	if (strcmp(kind, in->batch_kind) != 0) {
		if ((rc = cmd_import_flush(in)) != 0) {
			json_decref(record);
			return rc;
		}
		in->batch_kind = kind;
	}

	size = json_dumpb(record, NULL, 0, JSON_COMPACT) + 1;
	if (size > CMD_IMPORT_BATCH_BYTES) {
		json_decref(record);
		err.record = in->reader.record;
		err.line = line;
		snprintf(err.message, sizeof err.message, "record too large");
		return cmd_import_refuse(in, &err);
	}
	if (in->batch_bytes + size > CMD_IMPORT_BATCH_BYTES &&
	    (rc = cmd_import_flush(in)) != 0) {
		json_decref(record);
		return rc;
	}
	if (in->lines != NULL)
		in->lines[json_array_size(in->batch)] = line;
	json_array_append_new(in->batch, record);
	in->batch_bytes += size;
	return 0;
}

/* Read the whole file into the open session. */
static int
cmd_import_read(struct cmd_import *in)
{
	struct import_error	 err;
	json_t			*record;
	long			 line;
	int			 rc;

	if (in->format == IMPORT_FORMAT_CSV)
		in->lines = xcalloc(CMD_IMPORT_BATCH_BYTES, sizeof *in->lines);
	if (import_reader_open(&in->reader, in->f, in->format, &err) == -1)
		return cmd_import_refuse(in, &err);
	while ((rc = import_reader_next(&in->reader, &record, &line,
	    &err)) == 1) {
		if ((rc = cmd_import_add(in, record, line)) != 0)
			return rc;
	}
	if (rc == -1)
		return cmd_import_refuse(in, &err);
	return 0;
}

/*
 * Print what commit did (or would do); the reflections only when the file
 * held some.
 */
static void
cmd_import_print(struct client_ctx *ctx, json_t *r, bool dry_run)
{
	json_t		*refl = json_object_get(r, "reflections");
	long long	 added = output_get_int(r, "added");
	long long	 skipped = output_get_int(r, "skipped");
	long long	 radded = output_get_int(refl, "added");
	long long	 rskipped = output_get_int(refl, "skipped");

	if (ctx->json) {
		output_json(r);
		return;
	}
	printf("%s %lld %s, %s %lld already there", dry_run ? "Would add" :
	    "Added", added, added == 1 ? "entry" : "entries", dry_run ?
	    "skip" : "skipped", skipped);
	if (radded + rskipped > 0)
		printf("; %s %lld %s, %s %lld", dry_run ? "would add" :
		    "added", radded, radded == 1 ? "reflection" :
		    "reflections", dry_run ? "skip" : "skipped", rskipped);
	printf("%s.\n", dry_run ? " (dry run: nothing changed)" : "");
}

/* After a failure: read the replies still due, end the session. */
static void
cmd_import_abort(struct cmd_import *in)
{
	struct kl_error	 err;
	json_t		*result;

	/* Replies still due come before the abort's; unreported. */
	in->failed = true;
	(void)cmd_import_land_all(in);
	/* The daemon ends a session on a bad record itself. */
	if (connection_request(in->ctx->conn, "import.abort", json_pack(
	    "{s:s}", "session", in->session), &result, &err) == 0)
		json_decref(result);
	else if (connection_error_is_local(&err))
		(void)cmd_import_lost(in, &err);
}

/* Open the session, read the file into it, commit or abort. */
static int
cmd_import_run(struct cmd_import *in, bool dry_run)
{
	json_t	*result;
	int	 rc;

	if ((rc = cmd_request(in->ctx, "import.begin", NULL, &result)) != 0)
		return rc;
	in->session = xstrdup(output_get_str(result, "session"));
	json_decref(result);
	in->batch = json_array();
	in->batch_kind = "entries";
	rc = cmd_import_read(in);
	if (rc == 0)
		rc = cmd_import_flush(in);
	if (rc == 0)
		rc = cmd_import_land_all(in);
	if (rc != 0) {
		cmd_import_abort(in);
		return rc;
	}
	rc = cmd_request(in->ctx, "import.commit", json_pack("{s:s, s:b}",
	    "session", in->session, "dry_run", dry_run), &result);
	if (rc != 0)
		return rc;
	cmd_import_print(in->ctx, result, dry_run);
	json_decref(result);
	return 0;
}

/* The format from --format, the file name, or the first byte. */
static int
cmd_import_format(struct cmd_import *in, const char *format)
{
	int	choice, rc;

	if (format == NULL)
		in->format = import_guess(in->name, in->f);
	else if (strcmp(format, "markdown") == 0)
		in->format = IMPORT_FORMAT_MARKDOWN;
	if (in->format == IMPORT_FORMAT_MARKDOWN) {
		fprintf(stderr, "kindlog: %s is Markdown, which kindlog cannot "
		    "import: export with --format json or csv to move entries\n",
		    in->name);
		return CMD_EXIT_REFUSED;
	}
	if (format == NULL)
		return 0;
	if ((rc = cmd_parse_choice(in->ctx, "format", format,
	    cmd_import_formats, 2, &choice)) != 0)
		return rc;
	in->format = (enum import_format)choice;
	return 0;
}

/* kindlog import: a kindlog or jrnl export, all or nothing. */
int
cmd_import(struct client_ctx *ctx, struct args *args)
{
	struct cmd_import	 in = { .ctx = ctx };
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
	rc = cmd_import_format(&in, args_get(args, CMD_IMPORT_FORMAT));
	if (rc == 0)
		rc = cmd_import_run(&in, args_has(args, CMD_IMPORT_DRY_RUN));
	if (in.f != stdin)
		fclose(in.f);
	import_reader_close(&in.reader);
	free(in.session);
	free(in.lines);
	for (i = 0; i < CMD_IMPORT_AHEAD + 1; i++)
		free(in.flight[i].lines);
	json_decref(in.batch);
	return rc;
}
