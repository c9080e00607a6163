/*
 * Export and import (design §12): export hands out the log in pages so
 * no side ever holds all of it; import stages batches of records in a
 * session and applies them in one transaction. Handlers have the
 * signature of struct method (methods.h) and are listed in
 * methods_table[]; doc/protocol.md describes the session protocol.
 */
#ifndef KINDLOG_TRANSFER_H
#define KINDLOG_TRANSFER_H

#include <jansson.h>

#include "error.h"
#include "kindlogd.h"

/* Entries per export page: the most a request may ask for. */
#define TRANSFER_PAGE_MAX 1000
/* Stop filling an export page after about this much text. */
#define TRANSFER_PAGE_BYTES (512 * 1024)

/* One page of live entries, by day then id, and the cursor after it. */
int	transfer_export(struct kindlogd *, json_t *params, json_t **result,
	    struct kl_error *);
/* Open an import session: {"session": ID}. */
int	transfer_import_begin(struct kindlogd *, json_t *params,
	    json_t **result, struct kl_error *);
/* Validate and stage a batch of records in a session. */
int	transfer_import_add(struct kindlogd *, json_t *params,
	    json_t **result, struct kl_error *);
/* Apply (or with dry_run count) a session in one transaction. */
int	transfer_import_commit(struct kindlogd *, json_t *params,
	    json_t **result, struct kl_error *);
/* Drop a session and what it staged. */
int	transfer_import_abort(struct kindlogd *, json_t *params,
	    json_t **result, struct kl_error *);

#endif
