/*
 * The files of the sync folder (doc/sync.md): one JSON object per line, a
 * header naming the device, then one operation per line. Peers' files
 * are untrusted: sync_file_parse checks sizes, every line, and every
 * operation the way an import record is checked, and refuses the whole
 * file for one bad line. Pure (jansson and params.c), so it is fuzzed.
 */
#ifndef KINDLOG_SYNC_FILE_H
#define KINDLOG_SYNC_FILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "day.h"
#include "error.h"
#include "store.h"

#define SYNC_FILE_MAX (64 * 1024 * 1024)	/* bytes of one file */
#define SYNC_LINE_MAX (64 * 1024)		/* bytes of one line */
#define SYNC_TAGS_MAX 256			/* tags of a merged entry */
#define SYNC_NAME_MAX 64			/* bytes of a device name */
#define SYNC_FORMAT "kindlog-sync"
#define SYNC_VERSION 1

/* A parsed file: its header and its operations. */
struct sync_file {
	char		 device[UUID_STR_LEN];
	char		*name;		/* the device's name, or NULL */
	struct store_op	*ops;
	size_t		 nops;
	json_t		*lines;		/* the parsed lines: own the ops' strings */
	char		**kept;		/* lines kept as they are */
	size_t		 nkept;
};

/* What a file may hold: days up to max_day, clocks up to max_hlc. */
struct sync_limits {
	kl_day		 max_day;
	int64_t		 max_hlc;
};

/*
 * Parse the len bytes of a file into out (for sync_file_finish, also on
 * error); -1 with err naming the line when any of it is refused.
 */
int	sync_file_parse(const char *buf, size_t len,
	    const struct sync_limits *limits, struct sync_file *out,
	    struct kl_error *err);
void	sync_file_finish(struct sync_file *file);
/* The header line of device's files (a new string, no newline). */
char	*sync_file_header(const char *device, const char *name);
/* The limits of now: days up to tomorrow, clocks up to a day ahead. */
void	sync_limits_now(struct sync_limits *limits);

#endif
