/*
 * kindlog export. It asks the daemon for one page at a time and writes
 * each page out before asking for the next, so the log is never held
 * whole: JSON (an array of ENTRY, what import reads back), CSV (the
 * columns of import-read.h) or Markdown (one list per day).
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
};

const struct args_option cmd_export_options[] = {
	{ "format", CMD_EXPORT_FORMAT, required_argument, "FORMAT",
	  "json (default), csv or markdown" },
	{ "output", CMD_EXPORT_OUTPUT, required_argument, "FILE",
	  "write to FILE atomically (mode 0600) instead of stdout" },
	{ NULL, 0, 0, NULL, NULL }
};

/* The formats, in the order of their names. */
enum cmd_export_format {
	CMD_EXPORT_JSON,
	CMD_EXPORT_CSV,
	CMD_EXPORT_MARKDOWN,
};
static const char *const cmd_export_formats[] = { "json", "csv", "markdown" };

/* Where export writes and what it has written so far. */
struct cmd_export_out {
	enum cmd_export_format	 format;
	FILE				*f;
	long long			 count;
	char				 day[DAY_ISO_LEN];	/* markdown */
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
	return (out);
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
	return (rc);
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
	const char	*text = output_get_str(entry, "text"), *p;
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
	tags = cmd_export_tags(entry, " ", "#");
	if (*tags != '\0')
		fprintf(out->f, " %s", tags);
	free(tags);
	if (json_is_object(thanked))
		fprintf(out->f, " (thanked: %s)",
		    output_get_str(thanked, "how"));
	return (putc('\n', out->f) == EOF ? -1 : 0);
}

/* Write one ENTRY in the chosen format. */
static int
cmd_export_write(struct cmd_export_out *out, json_t *entry)
{
	char	*s;
	int	 rc = 0;

	switch (out->format) {
	case CMD_EXPORT_JSON:
		s = json_dumps(entry, JSON_COMPACT);
		if (fprintf(out->f, "%s%s", out->count > 0 ? ",\n" : "\n",
		    s) < 0)
			rc = -1;
		free(s);
		break;
	case CMD_EXPORT_CSV:
		rc = cmd_export_write_csv(out->f, entry);
		break;
	case CMD_EXPORT_MARKDOWN:
		rc = cmd_export_write_markdown(out, entry);
		break;
	}
	out->count++;
	return (rc);
}

/* What comes before the first entry. */
static void
cmd_export_write_head(struct cmd_export_out *out)
{
	if (out->format == CMD_EXPORT_JSON)
		fputs("[", out->f);
	else if (out->format == CMD_EXPORT_CSV)
		csv_write_record(out->f, import_columns,
		    IMPORT_NCOLUMNS);
	else
		fputs("# Kind things\n\n", out->f);
}

/* What comes after the last entry. */
static void
cmd_export_write_tail(struct cmd_export_out *out)
{
	if (out->format == CMD_EXPORT_JSON)
		fputs(out->count > 0 ? "\n]\n" : "]\n", out->f);
	else if (out->format == CMD_EXPORT_MARKDOWN && out->count == 0)
		fputs("Nothing logged yet.\n", out->f);
}

/* Fetch every page and write it out as it arrives. */
static int
cmd_export_pages(struct client_ctx *ctx, struct cmd_export_out *out)
{
	json_t	*result, *entries, *next, *entry, *cursor = NULL;
	size_t	 i;
	int	 rc;

	cmd_export_write_head(out);
	for (;;) {
		rc = cmd_request(ctx, "export", json_pack("{s:i, s:o*}",
		    "limit", CMD_EXPORT_PAGE, "cursor", cursor), &result);
		if (rc != 0)
			return (rc);
		entries = json_object_get(result, "entries");
		json_array_foreach(entries, i, entry) {
			if (cmd_export_write(out, entry) == -1)
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
	cmd_export_write_tail(out);
	return (0);
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
		return (NULL);
	}
	fchmod(fd, 0600);
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(*temp);
	}
	return (f);
}

/* Flush, fsync and close f, then move temp over path. */
static int
cmd_export_finish(FILE *f, const char *temp, const char *path)
{
	int	ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;

	if (fclose(f) != 0)
		ok = 0;
	if (ok && rename(temp, path) == 0)
		return (0);
	fprintf(stderr, "kindlog: cannot write %s: %s\n", path,
	    strerror(errno));
	unlink(temp);
	return (CMD_EXIT_REFUSED);
}

/* Say what went into the file. */
static void
cmd_export_print(struct client_ctx *ctx, long long count, const char *path)
{
	json_t	*result;

	if (!ctx->json) {
		printf("Exported %lld %s to %s.\n", count,
		    count == 1 ? "entry" : "entries", path);
		return;
	}
	result = json_pack("{s:I, s:s}", "exported", (json_int_t)count,
	    "file", path);
	output_json(result);
	json_decref(result);
}

/* kindlog export: every entry as JSON, CSV or Markdown, to stdout or -o. */
int
cmd_export(struct client_ctx *ctx, struct args *args)
{
	struct cmd_export_out	 out = { .format = CMD_EXPORT_JSON };
	const char		*path = args_get(args, CMD_EXPORT_OUTPUT);
	const char		*format = args_get(args, CMD_EXPORT_FORMAT);
	char			*temp = NULL;
	int			 rc, choice;

	if (format != NULL && (rc = cmd_parse_choice(ctx, "format", format,
	    cmd_export_formats, 3, &choice)) != 0)
		return (rc);
	if (format != NULL)
		out.format = (enum cmd_export_format)choice;
	if (path == NULL || strcmp(path, "-") == 0) {
		out.f = stdout;
		rc = cmd_export_pages(ctx, &out);
		if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
			fprintf(stderr, "kindlog: cannot write the export: "
			    "%s\n", strerror(errno));
			rc = CMD_EXIT_REFUSED;
		}
		return (rc);
	}
	if ((out.f = cmd_export_temp(path, &temp)) == NULL) {
		fprintf(stderr, "kindlog: cannot create a file next to %s: "
		    "%s\n", path, strerror(errno));
		free(temp);
		return (CMD_EXIT_REFUSED);
	}
	rc = cmd_export_pages(ctx, &out);
	if (rc != 0) {
		fclose(out.f);
		unlink(temp);
	} else
		rc = cmd_export_finish(out.f, temp, path);
	free(temp);
	if (rc == 0)
		cmd_export_print(ctx, out.count, path);
	return (rc);
}

