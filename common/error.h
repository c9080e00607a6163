/*
 * Error values: a stable number for programs and a message for people.
 * Functions that can fail return -1 and fill a struct kl_error; whoever
 * sits at the edge (server reply, client stderr) decides what to show.
 */
#ifndef KINDLOG_ERROR_H
#define KINDLOG_ERROR_H

#include "log.h"

enum kl_error_code {
	KL_OK = 0,
	/* Application codes, documented in doc/protocol.md. */
	KL_ERR_NOT_FOUND = 1,
	KL_ERR_STORAGE = 2,
	KL_ERR_CONFLICT = 3,
	KL_ERR_LIMIT = 4,
	KL_ERR_UNAVAILABLE = 5,	/* e.g. no notification server */
	/* JSON-RPC 2.0 standard codes. */
	KL_ERR_PARSE = -32700,
	KL_ERR_INVALID_REQUEST = -32600,
	KL_ERR_METHOD = -32601,
	KL_ERR_PARAMS = -32602,
	KL_ERR_INTERNAL = -32603,
};

struct kl_error {
	int code;
	char message[256];
};

/* Record an error code and formatted message; returns -1 for tail calls. */
int kl_error_set(struct kl_error *err, int code, const char *fmt, ...)
    KL_PRINTF(3, 4);

#endif
