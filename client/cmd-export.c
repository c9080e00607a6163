/*
 * kindlog export. It asks the daemon for one page at a time and writes
 * each page out before asking for the next, so the log is never held
 * whole: JSON (an array of ENTRY followed by the REFLECTIONs, what import
 * reads back), CSV (the columns of import-read.h; the reflections, which
 * have other columns, with --reflections) or Markdown (one list per day,
 * the day's reflections under it).
 */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "csv.h"
#include "day.h"
#include "import-read.h"
#include "paths.h"
#include "xmalloc.h"

/* Entries asked for per export page. */
#define CMD_EXPORT_PAGE 1000

enum cmd_export_key {
	CMD_EXPORT_FORMAT = 'f',
	CMD_EXPORT_OUTPUT = 'o',
	CMD_EXPORT_REFLECTIONS = ARGS_LONG_ONLY,
};

const struct args_option cmd_export_options[] = {
	{ "format", CMD_EXPORT_FORMAT, required_argument, "FORMAT",
	  "json (default), csv or markdown" },
	{ "output", CMD_EXPORT_OUTPUT, required_argument, "FILE",
	  "write to FILE atomically (mode 0600) instead of stdout" },
	{ "reflections", CMD_EXPORT_REFLECTIONS, no_argument, NULL,
	  "with --format csv: the reflections, a row per answer, instead" },
	{ NULL, 0, 0, NULL, NULL }
};

/* The formats, in the order of their names. */
enum cmd_export_format {
	CMD_EXPORT_JSON,
	CMD_EXPORT_CSV,
	CMD_EXPORT_MARKDOWN,
};
static const char *const cmd_export_formats[] = { "json", "csv", "markdown" };

/*
 * One kind of record (entries or reflections) fetched a page at a time:
 * the page in hand and where the next begins.
 */
struct cmd_export_pager {
	const char	*what;
	json_t		*page;		/* the current page's result */
	size_t		 next;		/* the next record in it */
	bool		 done;
};

/* Where export writes and what it has written so far. */
struct cmd_export_out {
	enum cmd_export_format	 format;
	bool			 reflections_csv;	/* --reflections */
	FILE			*f;
	long long		 count;			/* entries */
	long long		 reflections;
	bool			 first;		/* json: nothing written yet */
	char			 day[DAY_ISO_LEN];	/* markdown */
	struct cmd_export_pager	 entry_pages;
	struct cmd_export_pager	 reflection_pages;
};

/* The tags of an ENTRY joined with sep; caller frees. */
static char *
cmd_export_tags(json_t *entry, const char *sep, const char *prefix)
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
cmd_export_write_csv(FILE *f, json_t *entry)
{
	json_t		*thanked = json_object_get(entry, "thanked");
	const char	*fields[IMPORT_NCOLUMNS];
	char		*tags = cmd_export_tags(entry, ";", "");
	int		 rc;

	fields[0] = output_get_str(entry, "uuid");
	fields[1] = output_get_str(entry, "day");
	fields[2] = output_get_str(entry, "text");
	fields[3] = tags;
	fields[4] = output_get_str(entry, "created_at");
	fields[5] = output_get_str(entry, "updated_at");
	fields[6] = output_get_str(thanked, "at");
	fields[7] = output_get_str(thanked, "how");
	rc = csv_write_record(f, fields, IMPORT_NCOLUMNS);
	free(tags);
	return rc;
}

/* The "## YYYY-MM-DD" heading, when day starts a new section. */
static void
cmd_export_markdown_day(struct cmd_export_out *out, const char *day)
{
	if (strcmp(day, out->day) == 0)
		return;
	fprintf(out->f, "%s## %s\n\n", out->day[0] != '\0' ? "\n" : "",
	    day);
	snprintf(out->day, sizeof out->day, "%s", day);
}

/*
 * One ENTRY as a Markdown list item under its day's "## YYYY-MM-DD"
 * heading: "- text #tag #tag (thanked: said)"; further lines of the text
 * are indented so they stay inside the item.
 */
static int
cmd_export_write_markdown(struct cmd_export_out *out, json_t *entry)
{
	const char	*day = output_get_str(entry, "day");
	json_t		*thanked = json_object_get(entry, "thanked");
	char		*tags;

	cmd_export_markdown_day(out, day);
	fputs("- ", out->f);
	output_markdown(out->f, output_get_str(entry, "text"));
	tags = cmd_export_tags(entry, " ", "#");
	if (*tags != '\0')
		fprintf(out->f, " %s", tags);
	free(tags);
	if (json_is_object(thanked))
		fprintf(out->f, " (thanked: %s)",
		    output_get_str(thanked, "how"));
	return putc('\n', out->f) == EOF ? -1 : 0;
}

/*
 * A REFLECTION under its day in Markdown: a "### Reflection" heading,
 * then each question in bold and its answer below.
 */
static int
cmd_export_markdown_reflection(struct cmd_export_out *out, json_t *r)
{
	json_t	*a;
	size_t	 i;

	cmd_export_markdown_day(out, output_get_str(r, "day"));
	fputs(out->count > 0 || out->reflections > 0 ? "\n### Reflection\n" :
	    "### Reflection\n", out->f);
	json_array_foreach(json_object_get(r, "answers"), i, a) {
		fputs("\n**", out->f);
		output_markdown(out->f, output_get_str(a, "question"));
		fputs("**\n", out->f);
		output_markdown(out->f, output_get_str(a, "answer"));
		putc('\n', out->f);
	}
	return ferror(out->f) ? -1 : 0;
}

/* A REFLECTION as CSV records, one per answer. */
static int
cmd_export_reflection_csv(FILE *f, json_t *r)
{
	const char	*fields[IMPORT_REFLECTION_NCOLUMNS];
	json_t		*a;
	size_t		 i;

	fields[0] = output_get_str(r, "uuid");
	fields[1] = output_get_str(r, "day");
	fields[2] = output_get_str(r, "created_at");
	json_array_foreach(json_object_get(r, "answers"), i, a) {
		fields[3] = output_get_str(a, "question");
		fields[4] = output_get_str(a, "answer");
		if (csv_write_record(f, fields, IMPORT_REFLECTION_NCOLUMNS) ==
		    -1)
			return -1;
	}
	return 0;
}

/* A record as one element of the JSON array. */
static int
cmd_export_json(struct cmd_export_out *out, json_t *record)
{
	char	*s = json_dumps(record, JSON_COMPACT);
	int	 rc;

	rc = fprintf(out->f, "%s%s", out->first ? "\n" : ",\n", s) < 0 ?
	    -1 : 0;
	out->first = false;
	free(s);
	return rc;
}

/* Write one ENTRY in the chosen format. */
static int
cmd_export_write(struct cmd_export_out *out, json_t *entry)
{
	int	rc = 0;

	switch (out->format) {
	case CMD_EXPORT_JSON:
		rc = cmd_export_json(out, entry);
		break;
	case CMD_EXPORT_CSV:
		rc = cmd_export_write_csv(out->f, entry);
		break;
	case CMD_EXPORT_MARKDOWN:
		rc = cmd_export_write_markdown(out, entry);
		break;
	}
	out->count++;
	return rc;
}

/* Write one REFLECTION in the chosen format. */
static int
cmd_export_write_reflection(struct cmd_export_out *out, json_t *r)
{
	int	rc = 0;

	switch (out->format) {
	case CMD_EXPORT_JSON:
		rc = cmd_export_json(out, r);
		break;
	case CMD_EXPORT_CSV:
		rc = cmd_export_reflection_csv(out->f, r);
		break;
	case CMD_EXPORT_MARKDOWN:
		rc = cmd_export_markdown_reflection(out, r);
		break;
	}
	out->reflections++;
	return rc;
}

/* What comes before the first record. */
static void
cmd_export_write_head(struct cmd_export_out *out)
{
	out->first = true;
	if (out->format == CMD_EXPORT_JSON)
		fputs("[", out->f);
	else if (out->reflections_csv)
		csv_write_record(out->f, import_reflection_columns,
		    IMPORT_REFLECTION_NCOLUMNS);
	else if (out->format == CMD_EXPORT_CSV)
		csv_write_record(out->f, import_columns,
		    IMPORT_NCOLUMNS);
	else
		fputs("# Kind things\n\n", out->f);
}

/* What comes after the last record. */
static void
cmd_export_write_tail(struct cmd_export_out *out)
{
	if (out->format == CMD_EXPORT_JSON)
		fputs(out->first ? "]\n" : "\n]\n", out->f);
	else if (out->format == CMD_EXPORT_MARKDOWN && out->count == 0 &&
	    out->reflections == 0)
		fputs("Nothing logged yet.\n", out->f);
}

/*
 * The next record of a pager, left in hand (p->next++ takes it; it is
 * borrowed until then), asking for the next page when the one in hand
 * is used up: 0 and *record, NULL once there are no more; or the exit
 * code.
 */
static int
cmd_export_peek(struct client_ctx *ctx, struct cmd_export_pager *p,
    json_t **record)
{
	json_t	*next, *cursor;
	int	 rc;

	while (!p->done && p->next >= json_array_size(json_object_get(p->page,
	    p->what))) {
		next = json_object_get(p->page, "next");
		if (p->page != NULL && !json_is_string(next)) {
			p->done = true;
			break;
		}
		cursor = json_is_string(next) ? json_incref(next) : NULL;
		json_decref(p->page);
		p->page = NULL;
		p->next = 0;
		rc = cmd_request(ctx, "export", json_pack("{s:i, s:o*, s:s}",
		    "limit", CMD_EXPORT_PAGE, "cursor", cursor, "what",
		    p->what), &p->page);
		if (rc != 0) {
			p->done = true;
			*record = NULL;
			return rc;
		}
	}
	*record = p->done ? NULL : json_array_get(json_object_get(p->page,
	    p->what), p->next);
	return 0;
}

/*
 * Write the reflections whose day comes before day (NULL: all that are
 * left), so that in Markdown each follows the gestures of its day.
 */
static int
cmd_export_reflections_before(struct client_ctx *ctx,
    struct cmd_export_out *out, const char *day)
{
	struct cmd_export_pager	*p = &out->reflection_pages;
	json_t			*r;
	int			 rc;

	while (!ferror(out->f)) {
		if ((rc = cmd_export_peek(ctx, p, &r)) != 0 || r == NULL)
			return rc;
		if (day != NULL && strcmp(output_get_str(r, "day"), day) >= 0)
			break;
		p->next++;
		cmd_export_write_reflection(out, r);
	}
	return 0;
}

/* Whether the log holds a reflection (for the note about CSV). */
static int
cmd_export_has_reflections(struct client_ctx *ctx, bool *has)
{
	json_t	*result;
	int	 rc;

	rc = cmd_request(ctx, "export", json_pack("{s:i, s:s}", "limit", 1,
	    "what", "reflections"), &result);
	*has = rc == 0 && json_array_size(json_object_get(result,
	    "reflections")) > 0;
	json_decref(result);
	return rc;
}

/*
 * Fetch every page and write it out as it arrives: the entries, then the
 * reflections (in Markdown each day's after its gestures); a CSV holds
 * one kind.
 */
static int
cmd_export_pages(struct client_ctx *ctx, struct cmd_export_out *out)
{
	json_t	*entry;
	bool	 markdown = out->format == CMD_EXPORT_MARKDOWN;
	int	 rc = 0;

	out->entry_pages.what = "entries";
	out->reflection_pages.what = "reflections";
	cmd_export_write_head(out);
	while (!out->reflections_csv && !ferror(out->f)) {
		if ((rc = cmd_export_peek(ctx, &out->entry_pages,
		    &entry)) != 0 || entry == NULL)
			break;
		out->entry_pages.next++;
		if (markdown && strcmp(output_get_str(entry, "day"),
		    out->day) != 0)
			rc = cmd_export_reflections_before(ctx, out,
			    output_get_str(entry, "day"));
		if (rc != 0)
			break;
		cmd_export_write(out, entry);
	}
	if (rc == 0 && !ferror(out->f) && (out->format != CMD_EXPORT_CSV ||
	    out->reflections_csv))
		rc = cmd_export_reflections_before(ctx, out, NULL);
	json_decref(out->entry_pages.page);
	json_decref(out->reflection_pages.page);
	if (rc != 0)
		return rc;
	cmd_export_write_tail(out);
	return 0;
}

/* Why no temp file could be made next to path, in the user's terms. */
static void
cmd_export_temp_error(const char *path)
{
	char	*dir;

	if (errno != ENOENT && errno != ENOTDIR) {
		fprintf(stderr, "kindlog: cannot write %s: %s\n", path,
		    strerror(errno));
		return;
	}
	dir = paths_dirname(path);
	fprintf(stderr, "kindlog: cannot write %s: the directory %s does not "
	    "exist\n", path, dir);
	free(dir);
}

/* A temp file next to path, open for writing, mode 0600. */
static FILE *
cmd_export_temp(const char *path, char **temp)
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
cmd_export_finish(FILE *f, const char *temp, const char *path)
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

/* Say what went into the file. */
static void
cmd_export_print(struct client_ctx *ctx, const struct cmd_export_out *out,
    const char *path)
{
	json_t	*result;

	if (!ctx->json) {
		if (out->reflections_csv)
			printf("Exported %lld %s to %s.\n", out->reflections,
			    out->reflections == 1 ? "reflection" :
			    "reflections", path);
		else if (out->reflections > 0)
			printf("Exported %lld %s and %lld %s to %s.\n",
			    out->count, out->count == 1 ? "entry" : "entries",
			    out->reflections, out->reflections == 1 ?
			    "reflection" : "reflections", path);
		else
			printf("Exported %lld %s to %s.\n", out->count,
			    out->count == 1 ? "entry" : "entries", path);
		return;
	}
	result = json_pack("{s:I, s:I, s:s}", "exported",
	    (json_int_t)out->count, "reflections",
	    (json_int_t)out->reflections, "file", path);
	output_json(result);
	json_decref(result);
}

/* A CSV of entries leaves the reflections out: say how to have them. */
static int
cmd_export_csv_note(struct client_ctx *ctx, const struct cmd_export_out *out)
{
	bool	has;
	int	rc;

	if (out->format != CMD_EXPORT_CSV || out->reflections_csv)
		return 0;
	if ((rc = cmd_export_has_reflections(ctx, &has)) != 0 || !has)
		return rc;
	fprintf(stderr, "kindlog: the reflections are not in this CSV; "
	    "kindlog export --format csv --reflections writes them\n");
	return 0;
}

/* Write the export to stdout. */
static int
cmd_export_stdout(struct client_ctx *ctx, struct cmd_export_out *out)
{
	int	rc;

	out->f = stdout;
	rc = cmd_export_pages(ctx, out);
	if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		fprintf(stderr, "kindlog: cannot write the export: %s\n",
		    strerror(errno));
		rc = CMD_EXIT_REFUSED;
	}
	return rc;
}

/* Write the export to path, atomically. */
static int
cmd_export_file(struct client_ctx *ctx, struct cmd_export_out *out,
    const char *path)
{
	char	*temp = NULL;
	int	 rc;

	if ((out->f = cmd_export_temp(path, &temp)) == NULL) {
		cmd_export_temp_error(path);
		free(temp);
		return CMD_EXIT_REFUSED;
	}
	rc = cmd_export_pages(ctx, out);
	if (rc != 0) {
		fclose(out->f);
		unlink(temp);
	} else
		rc = cmd_export_finish(out->f, temp, path);
	free(temp);
	if (rc == 0)
		cmd_export_print(ctx, out, path);
	return rc;
}

/*
 * kindlog export: every entry and reflection as JSON, CSV or Markdown, to
 * stdout or -o.
 */
int
cmd_export(struct client_ctx *ctx, struct args *args)
{
	struct cmd_export_out	 out = { .format = CMD_EXPORT_JSON };
	const char		*path = args_get(args, CMD_EXPORT_OUTPUT);
	const char		*format = args_get(args, CMD_EXPORT_FORMAT);
	int			 rc, choice;

	if (format != NULL && (rc = cmd_parse_choice(ctx, "format", format,
	    cmd_export_formats, 3, &choice)) != 0)
		return rc;
	if (format != NULL)
		out.format = (enum cmd_export_format)choice;
	out.reflections_csv = args_has(args, CMD_EXPORT_REFLECTIONS);
	if (out.reflections_csv && out.format != CMD_EXPORT_CSV)
		return cmd_usage_error(ctx, "--reflections goes with "
		    "--format csv (JSON and Markdown hold them anyway)");
	if (path == NULL || strcmp(path, "-") == 0)
		rc = cmd_export_stdout(ctx, &out);
	else
		rc = cmd_export_file(ctx, &out, path);
	if (rc == 0)
		rc = cmd_export_csv_note(ctx, &out);
	return rc;
}
