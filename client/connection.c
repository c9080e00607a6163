/*
 * Requests to kindlogd over one connection: one at a time, or sent ahead
 * and answered in order. Connecting (and starting the daemon) is
 * autostart.c's; this file frames lines and turns failures into errors.
 */

#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autostart.h"
#include "connection.h"
#include "wire.h"
#include "xmalloc.h"

/* First read buffer size; it doubles as replies need. */
#define CONNECTION_BUFFER 8192

struct connection {
	char		*socket_path;
	bool		 may_start;	/* may start kindlogd to connect */
	int		 fd;		/* -1 until connected */
	char		*buf;		/* bytes read, not yet consumed */
	size_t		 len;
	size_t		 size;
	char		*queue;		/* requests queued, not yet written */
	size_t		 queue_len;
	json_int_t	 next_id;
	long long	 deadline_ms;	/* autostart_now_ms(); 0: none */
};

/* A connection not made yet. */
struct connection *
connection_create(const char *socket_path, bool may_start)
{
	struct connection	*conn;

	conn = xcalloc(1, sizeof *conn);
	conn->socket_path = xstrdup(socket_path);
	conn->may_start = may_start;
	conn->fd = -1;
	conn->next_id = 1;
	return conn;
}

/* Set a deadline for connecting and for the replies. */
void
connection_set_timeout(struct connection *conn, int timeout_ms)
{
	conn->deadline_ms = autostart_now_ms() + timeout_ms;
}

/* Milliseconds left before the deadline: at least 1, or 0 for none. */
static int
connection_time_left(const struct connection *conn)
{
	long long	left;

	if (conn->deadline_ms == 0)
		return 0;
	left = conn->deadline_ms - autostart_now_ms();
	return left < 1 ? 1 : left > INT_MAX ? INT_MAX : (int)left;
}

/*
 * Wait until the socket has something to read or the deadline passes.
 * Returns 0, or -1 and a static reason.
 */
static int
connection_wait_readable(struct connection *conn, const char **reason)
{
	struct pollfd	pfd = { .fd = conn->fd, .events = POLLIN };
	int		n;

	if (conn->deadline_ms == 0)
		return 0;
	do
		n = poll(&pfd, 1, connection_time_left(conn));
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		*reason = strerror(errno);
		return -1;
	}
	if (n == 0) {
		*reason = "kindlogd did not answer in time";
		return -1;
	}
	return 0;
}

/* Close the socket and drop what was read from it or queued for it. */
static void
connection_close(struct connection *conn)
{
	if (conn->fd != -1)
		close(conn->fd);
	conn->fd = -1;
	conn->len = 0;
	conn->queue_len = 0;
}

/* Close and free. */
void
connection_destroy(struct connection *conn)
{
	if (conn == NULL)
		return;
	connection_close(conn);
	free(conn->buf);
	free(conn->queue);
	free(conn->socket_path);
	free(conn);
}

/* Connect, starting the daemon if allowed. Returns 0 or -1 and err. */
static int
connection_open(struct connection *conn, struct kl_error *err)
{
	if (autostart_connect(conn->socket_path, conn->may_start,
	    connection_time_left(conn), &conn->fd, err) == -1) {
		conn->fd = -1;
		return -1;
	}
	if (conn->buf == NULL) {
		conn->size = CONNECTION_BUFFER;
		conn->buf = xmalloc(conn->size);
	}
	return 0;
}

/* Say the connection broke mid-request, and close it. Returns -1. */
static int
connection_lost(struct connection *conn, const char *reason,
    struct kl_error *err)
{
	kl_error_set(err, CONNECTION_ERR_LOST, "%s", reason);
	connection_close(conn);
	return -1;
}

/* Write all of buf. Returns 0 or an errno value. */
static int
connection_write(struct connection *conn, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = send(conn->fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Drop the first n bytes of the read buffer. */
static void
connection_consume(struct connection *conn, size_t n)
{
	memmove(conn->buf, conn->buf + n, conn->len - n);
	conn->len -= n;
}

/*
 * Read until a whole line is buffered. Returns 0 and the line's length
 * (without the LF), or -1 and a static reason.
 */
static int
connection_read_line(struct connection *conn, size_t *line_len,
    const char **reason)
{
	enum wire_frame	 frame;
	size_t		 scanned = 0;
	ssize_t		 n;

	for (;;) {
		frame = wire_frame_find(conn->buf + scanned,
		    conn->len - scanned, CONNECTION_MAX_REPLY - scanned,
		    line_len);
		if (frame == WIRE_FRAME_LINE) {
			*line_len += scanned;
			return 0;
		}
		if (frame == WIRE_FRAME_TOO_LONG) {
			*reason = "reply too long";
			return -1;
		}
		scanned = conn->len;
		if (conn->len == conn->size) {
			conn->size *= 2;
			conn->buf = xreallocarray(conn->buf, 1, conn->size);
		}
		if (connection_wait_readable(conn, reason) == -1)
			return -1;
		n = read(conn->fd, conn->buf + conn->len,
		    conn->size - conn->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*reason = strerror(errno);
			return -1;
		}
		if (n == 0) {
			*reason = "kindlogd closed the connection";
			return -1;
		}
		conn->len += (size_t)n;
	}
}

/* Queue one request; it is written with the next send or read. */
int
connection_queue_request(struct connection *conn, const char *method,
    json_t *params, json_int_t *id, struct kl_error *err)
{
	char	*line;
	size_t	 len;

	if (conn->fd == -1 && connection_open(conn, err) == -1) {
		json_decref(params);
		return -1;
	}
	*id = conn->next_id++;
	line = wire_request_format(*id, method, params, &len);
	json_decref(params);
	conn->queue = xreallocarray(conn->queue, 1, conn->queue_len + len);
	memcpy(conn->queue + conn->queue_len, line, len);
	conn->queue_len += len;
	free(line);
	return 0;
}

/* Write what is queued, in one go. */
static int
connection_flush(struct connection *conn, struct kl_error *err)
{
	int	error;

	if (conn->queue_len == 0)
		return 0;
	error = connection_write(conn, conn->queue, conn->queue_len);
	conn->queue_len = 0;
	if (error != 0)
		return connection_lost(conn, strerror(error), err);
	return 0;
}

/* Send one request (and any queued before it) without waiting. */
int
connection_send_request(struct connection *conn, const char *method,
    json_t *params, json_int_t *id, struct kl_error *err)
{
	if (connection_queue_request(conn, method, params, id, err) == -1)
		return -1;
	return connection_flush(conn, err);
}

/* Wait for the reply to the request sent with id. */
int
connection_read_reply(struct connection *conn, json_int_t id,
    json_t **result, struct kl_error *err)
{
	const char	*reason;
	size_t		 line_len;
	int		 rc;

	*result = NULL;
	if (conn->fd == -1)
		return kl_error_set(err, CONNECTION_ERR_LOST,
		    "kindlogd closed the connection");
	if (connection_flush(conn, err) == -1)
		return -1;
	if (connection_read_line(conn, &line_len, &reason) == -1)
		return connection_lost(conn, reason, err);
	rc = wire_response_parse(conn->buf, line_len, id, result, err);
	connection_consume(conn, line_len + 1);
	return rc == -1 ? -1 : 0;
}

/* Send one request and wait for its reply. */
int
connection_request(struct connection *conn, const char *method,
    json_t *params, json_t **result, struct kl_error *err)
{
	json_int_t	id;

	*result = NULL;
	if (connection_send_request(conn, method, params, &id, err) == -1)
		return -1;
	return connection_read_reply(conn, id, result, err);
}
