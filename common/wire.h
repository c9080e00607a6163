/*
 * The wire protocol: JSON-RPC 2.0, one JSON object per LF-terminated line.
 * Framing, the request/response envelope and reply formatting live here so
 * that the daemon, the client and the tests agree on every byte.
 */
#ifndef KINDLOG_WIRE_H
#define KINDLOG_WIRE_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

/* Longest request line accepted, without its LF. */
#define WIRE_MAX_LINE (64 * 1024)
/* Longest entry text, in bytes after trimming (checked by both sides). */
#define WIRE_TEXT_MAX 4000

enum wire_frame {
	WIRE_FRAME_INCOMPLETE = 0,	/* no LF yet, keep reading */
	WIRE_FRAME_LINE = 1,		/* a whole line is available */
	WIRE_FRAME_TOO_LONG = -1,	/* over max bytes before the LF */
};

/*
 * Look for the first line in data[0..len). On WIRE_FRAME_LINE, *line_len
 * is the line's length without the LF (the LF is at data[*line_len]).
 */
enum wire_frame wire_frame_find(const char *data, size_t len, size_t max,
    size_t *line_len);

struct wire_request {
	json_t		*root;		/* owns everything below */
	json_t		*id;		/* NULL for a notification */
	const char	*method;
	json_t		*params;	/* always an object ({} when absent) */
};

/*
 * Parse one request line. On failure returns -1 and fills err; req->id is
 * then the request's id if one could be read (NULL otherwise), and
 * wire_request_free() must still be called.
 */
int wire_request_parse(const char *line, size_t len, struct wire_request *req,
    struct kl_error *err);
void wire_request_free(struct wire_request *req);

/* A reply line with trailing LF; id NULL means null. Caller frees. */
char *wire_reply_result(json_t *id, json_t *result, size_t *len);
char *wire_reply_error(json_t *id, const struct kl_error *err, size_t *len);

/* A request line with trailing LF (params may be NULL). Caller frees. */
char *wire_request_format(json_int_t id, const char *method, json_t *params,
    size_t *len);

/*
 * Parse a reply line to a request with id expect_id. Returns 0 and a new
 * reference in *result, or -1 with err filled (the daemon's error code and
 * message, or KL_ERR_PARSE/KL_ERR_INVALID_REQUEST for a malformed reply).
 */
int wire_response_parse(const char *line, size_t len, json_int_t expect_id,
    json_t **result, struct kl_error *err);

#endif
