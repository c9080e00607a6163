/*
 * Unit tests for client/connection.c against a listening socket the test
 * holds itself (MPD's habit: write the reply bytes, read back the exact
 * request bytes): requests queued ahead go out in one write, replies are
 * matched in order, and every failure is a value with its own code.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "connection.h"

/* A listening socket in a private directory, and the client's side. */
struct fixture {
	char			 dir[64];
	char			 path[96];
	int			 listen_fd;
	int			 peer;		/* the accepted connection */
	struct connection	*conn;
};

static int
setup(void **state)
{
	struct fixture		*f = calloc(1, sizeof *f);
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };

	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/kindlog-conn.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/kindlogd.sock", f->dir);
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", f->path);
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&sun,
	    sizeof sun), 0);
	assert_int_equal(listen(f->listen_fd, 4), 0);
	f->peer = -1;
	f->conn = connection_create(f->path, false);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	connection_destroy(f->conn);
	if (f->peer != -1)
		close(f->peer);
	if (f->listen_fd != -1)
		close(f->listen_fd);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Accept the client's connection (it connects on its first request). */
static void
accept_peer(struct fixture *f)
{
	f->peer = accept(f->listen_fd, NULL, NULL);
	assert_true(f->peer != -1);
	fcntl(f->peer, F_SETFL, O_NONBLOCK);
}

/* Send a request; the first one connects, and the peer is accepted. */
static void
send_request(struct fixture *f, const char *method, json_t *params)
{
	struct kl_error	err;
	json_int_t	id;

	assert_int_equal(connection_send_request(f->conn, method, params, &id,
	    &err), 0);
	if (f->peer == -1)
		accept_peer(f);
}

/* Read the reply to id, expecting an error with code; it lands in *err. */
static void
expect_error(struct fixture *f, json_int_t id, int code,
    struct kl_error *err)
{
	json_t	*result;

	assert_int_equal(connection_read_reply(f->conn, id, &result, err), -1);
	assert_null(result);
	assert_int_equal(err->code, code);
}

/* Write reply lines for the client to read. */
static void
reply(struct fixture *f, const char *lines)
{
	assert_int_equal(write(f->peer, lines, strlen(lines)),
	    (ssize_t)strlen(lines));
}

/* What the client has written so far, in one read (NULL: nothing). */
static char *
received(struct fixture *f)
{
	static char	buf[4096];
	ssize_t		n = read(f->peer, buf, sizeof buf - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

static void
test_request(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	json_t		*result;

	send_request(f, "version", NULL);
	assert_string_equal(received(f),
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"version\"}\n");
	reply(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocol\":1}}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"entries\":[]}}\n");
	assert_int_equal(connection_read_reply(f->conn, 1, &result, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(result,
	    "protocol")), 1);
	json_decref(result);
	/* The next reply was read with the first and waits in the buffer. */
	assert_int_equal(connection_request(f->conn, "list", json_pack("{s:i}",
	    "limit", 3), &result, &err), 0);
	assert_true(json_is_array(json_object_get(result, "entries")));
	json_decref(result);
	assert_string_equal(received(f), "{\"jsonrpc\":\"2.0\",\"id\":2,"
	    "\"method\":\"list\",\"params\":{\"limit\":3}}\n");
}

static void
test_queued_go_out_in_one_write(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	json_int_t	 id[3];
	json_t		*result;
	int		 i;

	assert_int_equal(connection_queue_request(f->conn, "streak", NULL,
	    &id[0], &err), 0);
	accept_peer(f);
	assert_int_equal(connection_queue_request(f->conn, "status", NULL,
	    &id[1], &err), 0);
	assert_int_equal(connection_queue_request(f->conn, "list",
	    json_pack("{s:b}", "unthanked", 1), &id[2], &err), 0);
	/* Queued: nothing is written until the client waits for a reply. */
	assert_null(received(f));
	assert_int_equal(id[0], 1);
	assert_int_equal(id[2], 3);
	reply(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"n\":1}}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"n\":2}}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"n\":3}}\n");
	for (i = 0; i < 3; i++) {
		assert_int_equal(connection_read_reply(f->conn, id[i], &result,
		    &err), 0);
		assert_int_equal(json_integer_value(json_object_get(result,
		    "n")), i + 1);
		json_decref(result);
	}
	/* All three requests arrive together, in order. */
	assert_string_equal(received(f),
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"streak\"}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"status\"}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"list\","
	    "\"params\":{\"unthanked\":true}}\n");
}

static void
test_refusal_is_the_daemons(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;

	send_request(f, "get", json_pack("{s:i}", "id", 9));
	reply(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,"
	    "\"message\":\"no entry #9\"}}\n");
	expect_error(f, 1, 1, &err);
	assert_string_equal(err.message, "no entry #9");
	assert_false(connection_error_is_local(&err));
}

static void
test_lost(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;

	send_request(f, "version", NULL);
	assert_non_null(received(f));
	reply(f, "{\"jsonrpc\":\"2.0\",\"id\":1,\"res");
	close(f->peer);
	f->peer = -1;
	/* Half a line, then the end: the connection broke. */
	expect_error(f, 1, CONNECTION_ERR_LOST, &err);
	assert_string_equal(err.message, "kindlogd closed the connection");
	assert_true(connection_error_is_local(&err));
	/* Closed now: reading again says so without touching a socket. */
	expect_error(f, 2, CONNECTION_ERR_LOST, &err);
	/* The next request opens a new connection. */
	send_request(f, "version", NULL);
	assert_string_equal(received(f),
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"version\"}\n");
}

static void
test_unreachable(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	json_t		*result;

	close(f->listen_fd);
	unlink(f->path);
	f->listen_fd = -1;
	/* No daemon and no autostart: nothing was sent. */
	assert_int_equal(connection_request(f->conn, "add", json_pack("{s:s}",
	    "text", "x"), &result, &err), -1);
	assert_null(result);
	assert_int_equal(err.code, CONNECTION_ERR_UNREACHABLE);
	assert_string_equal(err.message, strerror(ENOENT));
	assert_true(connection_error_is_local(&err));
}

static void
test_mismatched_reply(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;

	send_request(f, "version", NULL);
	reply(f, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}\n");
	expect_error(f, 1, KL_ERR_INVALID_REQUEST, &err);
	assert_false(connection_error_is_local(&err));
}

static void
test_timeout_on_a_silent_daemon(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	json_t		*result;

	/* Connected (the backlog takes it) but never answered. */
	connection_set_timeout(f->conn, 50);
	assert_int_equal(connection_request(f->conn, "tags", NULL, &result,
	    &err), -1);
	assert_null(result);
	assert_int_equal(err.code, CONNECTION_ERR_LOST);
	assert_string_equal(err.message, "kindlogd did not answer in time");
	assert_true(connection_error_is_local(&err));
	/* The request itself went out. */
	accept_peer(f);
	assert_string_equal(received(f),
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tags\"}\n");
}

static void
test_timeout_on_a_full_backlog(void **state)
{
	struct fixture		*f = *state;
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	struct kl_error		 err;
	json_t			*result;
	int			 fds[16], n, i;

	/* Fill the listener's backlog: a connect would wait for a slot. */
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", f->path);
	for (n = 0; n < 16; n++) {
		fds[n] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (connect(fds[n], (struct sockaddr *)&sun,
		    sizeof sun) == -1) {
			assert_int_equal(errno, EAGAIN);
			close(fds[n]);
			break;
		}
	}
	assert_true(n < 16);
	connection_set_timeout(f->conn, 50);
	assert_int_equal(connection_request(f->conn, "tags", NULL, &result,
	    &err), -1);
	assert_null(result);
	assert_int_equal(err.code, CONNECTION_ERR_UNREACHABLE);
	for (i = 0; i < n; i++)
		close(fds[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queued_go_out_in_one_write,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusal_is_the_daemons,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreachable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mismatched_reply, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeout_on_a_silent_daemon,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_on_a_full_backlog,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
