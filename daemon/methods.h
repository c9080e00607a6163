/*
 * The method table: every JSON-RPC method by name with its handler.
 * Handlers validate their params, act through the store, and return a
 * result or an error; they never touch sockets.
 */
#ifndef KINDLOG_METHODS_H
#define KINDLOG_METHODS_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "day.h"
#include "error.h"
#include "kindlogd.h"

struct method {
	const char	*name;
	int		(*handler)(struct kindlogd *, json_t *params,
			    json_t **result, struct kl_error *);
	bool		 writes;	/* changes the database */
	const char	*summary;	/* one line for docs and tests */
};

extern const struct method methods_table[];
extern const size_t methods_count;

/* The method called name, or NULL. */
const struct method *methods_find(const char *name);
/*
 * Call method name with params (an object). Returns 0 and a new reference
 * in *result, or -1 with err filled.
 */
int methods_call(struct kindlogd *d, const char *name, json_t *params,
    json_t **result, struct kl_error *err);
/*
 * Group commit: the calls between methods_batch_begin and methods_batch_end
 * share one transaction, durable only once methods_batch_end has returned
 * 0; on -1 (err filled) none of their writes is in the database.
 */
void methods_batch_begin(struct kindlogd *d);
int methods_batch_end(struct kindlogd *d, struct kl_error *err);
/*
 * After the server has sent a batch's replies: re-arm the reminder once
 * if any call in it wrote (methods_call defers that while a server is
 * running).
 */
void methods_batch_done(struct kindlogd *d);
/*
 * Re-read the config file (reload method and SIGHUP): the new config
 * replaces the old one only if it is valid; reminders are re-armed.
 */
int methods_reload(struct kindlogd *d, struct kl_error *err);
/* Today as the daemon sees it: its clock, zone and day_starts_at. */
kl_day methods_today(struct kindlogd *d, time_t now);
/* The STREAK of the whole log as of now, a new object; NULL with err. */
json_t *methods_streak_json(struct kindlogd *d, time_t now,
    struct kl_error *err);

#endif
