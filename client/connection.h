/*
 * The client's side of the socket: connect (starting kindlogd when it is
 * not running), send one request at a time and wait for its reply, or
 * send several ahead and read their replies in order.
 */
#ifndef KINDLOG_CLIENT_CONNECTION_H
#define KINDLOG_CLIENT_CONNECTION_H

#include <jansson.h>

#include "error.h"

struct client_ctx;

/* Longest reply line read before giving up. */
#define CONNECTION_MAX_REPLY (64 * 1024 * 1024)
/* How long an autostarted daemon gets to create its socket. */
#define CONNECTION_START_WAIT_MS 2000
/* Pause between connection attempts while it starts. */
#define CONNECTION_START_POLL_MS 15

/*
 * Send method with params (a reference is taken over; NULL for none) and
 * wait for the reply. Returns 0 and a new reference in *result; or
 * CMD_EXIT_REFUSED with the daemon's error in *err, printing nothing; or
 * CMD_EXIT_UNREACHABLE after printing why the daemon cannot be reached.
 * Connects on first use.
 */
int	connection_request(struct client_ctx *ctx, const char *method,
	    json_t *params, json_t **result, struct kl_error *err);
/*
 * connection_request in two halves, so that a client can keep requests in
 * flight: send returns the request's id in *id without waiting; read waits
 * for the next reply, which must be the one to id (kindlogd answers in
 * order). Return values as for connection_request.
 */
int	connection_send_request(struct client_ctx *ctx, const char *method,
	    json_t *params, json_int_t *id);
int	connection_read_reply(struct client_ctx *ctx, json_int_t id,
	    json_t **result, struct kl_error *err);
/* As connection_request, but prints a refusal too: "kindlog: <message>". */
int	connection_call(struct client_ctx *ctx, const char *method,
	    json_t *params, json_t **result);
/* Close the connection if one is open. */
void	connection_close(struct client_ctx *ctx);

#endif
