/*
 * The files kindlog import reads, one record at a time and with no I/O to
 * the daemon: kindlog's CSV export; its JSON export, an array of ENTRY
 * parsed element by element so that the file is never held whole; and
 * jrnl's JSON export, an object read whole (jrnl writes nothing to stop
 * at). Every record comes out as an ENTRY-like object for import.add,
 * or as a REFLECTION-like one (it has "answers"): our JSON array holds
 * the reflections after the entries, and a CSV of reflections has its
 * own columns.
 */
#ifndef KINDLOG_CLIENT_IMPORT_READ_H
#define KINDLOG_CLIENT_IMPORT_READ_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "csv.h"

enum import_format {
	IMPORT_FORMAT_JSON,	/* kindlog's array or jrnl's object */
	IMPORT_FORMAT_CSV,
	IMPORT_FORMAT_MARKDOWN,	/* guessed only, to be refused: not readable */
};

/* The CSV columns, in the order kindlog export writes them. */
#define IMPORT_NCOLUMNS 8
extern const char *const import_columns[IMPORT_NCOLUMNS];
/*
 * The columns of a CSV of reflections (export --reflections): one row per
 * answer, the rows of one reflection next to each other with the same
 * uuid, day and created_at. A header naming question or answer makes the
 * file one.
 */
#define IMPORT_REFLECTION_NCOLUMNS 5
extern const char *const
    import_reflection_columns[IMPORT_REFLECTION_NCOLUMNS];

/* Why reading stopped: a record at fault, or the file as a whole. */
struct import_error {
	long long	record;		/* 1 for the first record; 0: the file */
	long		line;		/* the record's CSV line; 0: not known */
	char		message[256];
};

/* A file being read. Its members are the reader's own. */
struct import_reader {
	FILE			*f;
	enum {
		IMPORT_READ_CSV,
		IMPORT_READ_ARRAY,	/* kindlog's JSON */
		IMPORT_READ_JRNL,
	}			 kind;
	long long		 record;	/* records read so far */
	struct csv_reader	 csv;
	struct csv_record	 rec;
	int			 column[IMPORT_NCOLUMNS]; /* -1: absent */
	size_t			 nfields;	/* in the CSV header */
	bool			 reflections;	/* a CSV of reflections */
	json_t			*pending;	/* the reflection being read */
	char			*pending_key;	/* its uuid, day, created_at */
	long			 pending_line;	/* its first row's line */
	bool			 after_record;	/* array: a ',' or ']' is due */
	bool			 done;
	json_t			*root;		/* jrnl's whole object */
	size_t			 next;		/* jrnl: the next entry */
};

/*
 * The format of the file called name: from its extension (.csv, .json,
 * .md), else from its first byte ('#' is Markdown), which stays unread.
 */
enum import_format import_guess(const char *name, FILE *f);
/*
 * Start reading f (borrowed; it must outlive the reader) in format: the
 * CSV header, or which JSON export it is. Returns 0, or -1 and err; the
 * reader is to be closed either way.
 */
int	import_reader_open(struct import_reader *r, FILE *f,
	    enum import_format format, struct import_error *err);
/*
 * The next record: returns 1, a new reference in *record and the CSV line
 * it starts on in *line (0 for JSON); 0 after the last record; or -1 and
 * err. r->record numbers the record returned, or the one at fault.
 */
int	import_reader_next(struct import_reader *r, json_t **record,
	    long *line, struct import_error *err);
/* Free what the reader holds; f stays open. */
void	import_reader_close(struct import_reader *r);

#endif
