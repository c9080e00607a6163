/*
 * The method table: every JSON-RPC method by name. Handlers validate
 * their params, act through the store, and return a result or an error;
 * they never touch sockets.
 */
#ifndef KINDLOG_METHODS_H
#define KINDLOG_METHODS_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"
#include "kindlogd.h"
#include "method.h"

extern const struct method *const methods_table[];
extern const size_t methods_count;

/* The method called name, or NULL. */
const struct method *methods_find(const char *name);
/*
 * Call method name with params (an object, borrowed): its param names are
 * checked against the method's own list, then its handler runs. Returns 0
 * and a new reference in *result, or -1 with err filled.
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

#endif
