/* RFC 4180 CSV: a quoting writer and a streaming, line-counting reader. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "xmalloc.h"

/* Write one field, quoted only when it needs to be. */
int
csv_write_field(FILE *out, const char *field)
{
	const char	*p;

	if (strpbrk(field, ",\"\r\n") == NULL)
		return fputs(field, out) == EOF ? -1 : 0;
	if (putc('"', out) == EOF)
		return -1;
	for (p = field; *p != '\0'; p++) {
		if (*p == '"' && putc('"', out) == EOF)
			return -1;
		if (putc(*p, out) == EOF)
			return -1;
	}
	return putc('"', out) == EOF ? -1 : 0;
}

/* Write n fields and the CRLF that ends the record. */
int
csv_write_record(FILE *out, const char *const *fields, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0 && putc(',', out) == EOF)
			return -1;
		if (csv_write_field(out, fields[i]) == -1)
			return -1;
	}
	return fputs("\r\n", out) == EOF ? -1 : 0;
}

void
csv_reader_init(struct csv_reader *reader, FILE *in)
{
	reader->in = in;
	reader->line = 1;
	reader->started = false;
}

void
csv_record_clear(struct csv_record *rec)
{
	size_t	i;

	for (i = 0; i < rec->n; i++)
		free(rec->fields[i]);
	free(rec->fields);
	rec->fields = NULL;
	rec->n = 0;
}

/* A growing field buffer. */
struct csv_buf {
	char	*data;
	size_t	 len;
	size_t	 alloc;
};

static int
csv_buf_add(struct csv_buf *buf, int c)
{
	if (buf->len + 1 >= CSV_FIELD_MAX)
		return -1;
	if (buf->len + 1 >= buf->alloc) {
		buf->alloc = buf->alloc == 0 ? 64 : buf->alloc * 2;
		buf->data = xreallocarray(buf->data, buf->alloc, 1);
	}
	buf->data[buf->len++] = (char)c;
	return 0;
}

/* Move the buffer's text into the record as its next field. */
static int
csv_field_end(struct csv_record *rec, struct csv_buf *buf)
{
	if (rec->n == CSV_FIELDS_MAX)
		return -1;
	rec->fields = xreallocarray(rec->fields, rec->n + 1,
	    sizeof *rec->fields);
	rec->fields[rec->n++] = xstrndup(buf->data != NULL ? buf->data : "",
	    buf->len);
	buf->len = 0;
	return 0;
}

/* The next character, counting lines; a UTF-8 BOM at the start is skipped. */
static int
csv_getc(struct csv_reader *reader)
{
	int	c = getc(reader->in);

	if (!reader->started) {
		reader->started = true;
		if (c == 0xef) {
			if (getc(reader->in) == 0xbb &&
			    getc(reader->in) == 0xbf)
				return csv_getc(reader);
			return -2;
		}
	}
	if (c == '\n')
		reader->line++;
	return c;
}

/* Read one quoted field's content (the opening quote is consumed). */
static int
csv_read_quoted(struct csv_reader *reader, struct csv_buf *buf, int *next,
    struct kl_error *err)
{
	long	start = reader->line;
	int	c;

	for (;;) {
		c = csv_getc(reader);
		if (c == EOF)
			return kl_error_set(err, KL_ERR_PARAMS, "line %ld: "
			    "quoted field never ends", start);
		if (c == '"') {
			c = csv_getc(reader);
			if (c != '"') {
				*next = c;
				return 0;
			}
		}
		if (csv_buf_add(buf, c) == -1)
			return kl_error_set(err, KL_ERR_LIMIT, "line %ld: "
			    "field longer than %d bytes", start,
			    CSV_FIELD_MAX);
	}
}

/* Read one field; *next is the character after it (',', LF, CR, EOF). */
static int
csv_read_field(struct csv_reader *reader, int c, struct csv_buf *buf,
    int *next, struct kl_error *err)
{
	if (c == '"') {
		if (csv_read_quoted(reader, buf, &c, err) == -1)
			return -1;
		if (c != ',' && c != '\n' && c != '\r' && c != EOF)
			return kl_error_set(err, KL_ERR_PARAMS, "line %ld: "
			    "text after a closing quote", reader->line);
		*next = c;
		return 0;
	}
	while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
		if (c == '"')
			return kl_error_set(err, KL_ERR_PARAMS, "line %ld: "
			    "quote inside an unquoted field", reader->line);
		if (c == -2 || csv_buf_add(buf, c) == -1)
			return kl_error_set(err, KL_ERR_PARAMS, "line %ld: "
			    "field too long or not text", reader->line);
		c = csv_getc(reader);
	}
	*next = c;
	return 0;
}

/* Read the next record; 1, 0 at the end, -1 with err. */
int
csv_read_record(struct csv_reader *reader, struct csv_record *rec,
    struct kl_error *err)
{
	struct csv_buf	buf = { 0 };
	int		c, rc = 1;

	csv_record_clear(rec);
	do {
		rec->line = reader->line;
		c = csv_getc(reader);
		if (c == '\r')
			c = csv_getc(reader);
	} while (c == '\n');
	if (c == EOF) {
		if (ferror(reader->in))
			return kl_error_set(err, KL_ERR_STORAGE,
			    "line %ld: read error", reader->line);
		return 0;
	}
	for (;;) {
		if (csv_read_field(reader, c, &buf, &c, err) == -1) {
			rc = -1;
			break;
		}
		if (csv_field_end(rec, &buf) == -1) {
			rc = kl_error_set(err, KL_ERR_PARAMS, "line %ld: more "
			    "than %d fields", rec->line, CSV_FIELDS_MAX);
			break;
		}
		if (c == '\r') {
			c = csv_getc(reader);
			if (c != '\n' && c != EOF) {
				rc = kl_error_set(err, KL_ERR_PARAMS,
				    "line %ld: CR without LF", reader->line);
				break;
			}
		}
		if (c != ',')
			break;
		c = csv_getc(reader);
	}
	free(buf.data);
	if (rc == -1)
		csv_record_clear(rec);
	else if (ferror(reader->in))
		rc = kl_error_set(err, KL_ERR_STORAGE, "line %ld: read error",
		    reader->line);
	return rc;
}
