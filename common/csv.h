/*
 * CSV as RFC 4180 describes it: fields separated by commas, records by
 * CRLF (LF alone is accepted when reading), a field that holds a comma,
 * quote, CR or LF is quoted and its quotes doubled. The reader streams:
 * it holds one record at a time and counts lines for error messages.
 */
#ifndef KINDLOG_CSV_H
#define KINDLOG_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* Longest field the reader accepts (bytes). */
#define CSV_FIELD_MAX (1024 * 1024)
/* Most fields in one record. */
#define CSV_FIELDS_MAX 256

/* Write one field, quoted only when it needs to be. */
int	csv_write_field(FILE *out, const char *field);
/* Write n fields and the CRLF that ends the record. Returns 0 or -1. */
int	csv_write_record(FILE *out, const char *const *fields, size_t n);

struct csv_reader {
	FILE	*in;
	long	 line;		/* line the next character is on */
	bool	 started;	/* past a possible byte order mark */
};

struct csv_record {
	char	**fields;	/* NUL-terminated copies */
	size_t	  n;
	long	  line;		/* line the record starts on */
};

void	csv_reader_init(struct csv_reader *reader, FILE *in);
/*
 * Read the next record into rec (freeing what it held). Returns 1 for a
 * record, 0 at the end of input, -1 with err naming the line on a
 * malformed record or a read error. Blank lines are skipped.
 */
int	csv_read_record(struct csv_reader *reader, struct csv_record *rec,
	    struct kl_error *err);
/* Free the fields of rec and empty it. */
void	csv_record_clear(struct csv_record *rec);

#endif
