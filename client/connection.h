/*
 * The client's side of the socket, after libmpdclient's mpd_connection:
 * one object per daemon, connected (starting kindlogd when it is not
 * running, autostart.h) on the first request; requests one at a time, or
 * sent ahead and their replies read in order. Nothing here prints:
 * failures return -1 and a struct kl_error, and the command that asked
 * decides what the user sees (cmd_error in commands.h).
 *
 * tests/fuzz/fuzz-import.c defines every function declared here in place
 * of connection.c (the link fails with "multiple definition" otherwise):
 * a function added here is added there too.
 */
#ifndef KINDLOG_CLIENT_CONNECTION_H
#define KINDLOG_CLIENT_CONNECTION_H

#include <stdbool.h>

#include <jansson.h>

#include "error.h"

/* Longest reply line read before giving up. */
#define CONNECTION_MAX_REPLY (64 * 1024 * 1024)

/*
 * The codes of the errors the client finds itself. They go in struct
 * kl_error beside the daemon's codes (doc/protocol.md: small positive
 * numbers and JSON-RPC's -32768..-32000), which they never equal.
 */
enum connection_error_code {
	/* Nothing was sent: no daemon answers and none could be started. */
	CONNECTION_ERR_UNREACHABLE = -1,
	/* Nothing was sent: the daemon started for it exited at once. */
	CONNECTION_ERR_NOT_STARTED = -2,
	/* The connection broke with a request in flight. */
	CONNECTION_ERR_LOST = -3,
	/* Nothing was sent: the socket directory is not ours alone. */
	CONNECTION_ERR_UNSAFE_DIR = -4,
};

struct connection;

/* True when err is the client's own (above), not the daemon's answer. */
static inline bool
connection_error_is_local(const struct kl_error *err)
{
	return err->code >= CONNECTION_ERR_UNSAFE_DIR &&
	    err->code <= CONNECTION_ERR_UNREACHABLE;
}

/*
 * A connection to the daemon at socket_path (copied), not made yet; with
 * may_start, the first request starts kindlogd when none runs.
 */
struct connection *connection_create(const char *socket_path,
	    bool may_start);
/*
 * Give up once timeout_ms have passed from now, for connecting and for
 * every reply still to come (the completions' quick question): a connect
 * that takes longer fails with CONNECTION_ERR_UNREACHABLE, a reply that
 * is late with CONNECTION_ERR_LOST. Without it, the client waits.
 */
void	connection_set_timeout(struct connection *conn, int timeout_ms);
/* Close the connection if one is open and free it; NULL is ignored. */
void	connection_destroy(struct connection *conn);

/*
 * Send method with params (NULL for none; the reference is taken over,
 * so a json_pack() can be passed as it is) and wait for the reply. Returns 0 and a new reference in *result, or -1, *result NULL
 * and err: the daemon's error, or one of the codes above.
 */
int	connection_request(struct connection *conn, const char *method,
	    json_t *params, json_t **result, struct kl_error *err);
/*
 * connection_request in two halves, so that a client can keep requests in
 * flight: send writes the request (params taken over, as above) and
 * returns its id in *id without waiting, connecting first if need be;
 * read waits for the next reply, which must be the one to id (kindlogd
 * answers in order), and fills *result and err as connection_request
 * does. After CONNECTION_ERR_LOST the connection is closed, and the next
 * request opens a new one.
 */
int	connection_send_request(struct connection *conn, const char *method,
	    json_t *params, json_int_t *id, struct kl_error *err);
int	connection_read_reply(struct connection *conn, json_int_t id,
	    json_t **result, struct kl_error *err);
/*
 * As connection_send_request, but the request is only queued: it goes
 * out with the next send or read, together with every request queued
 * before it, so that the daemon reads them all at once.
 */
int	connection_queue_request(struct connection *conn, const char *method,
	    json_t *params, json_int_t *id, struct kl_error *err);

#endif
