/*
 * Wire tests, MPD-style: a real server and store, one end of a socketpair
 * as the client; feed bytes, assert the exact bytes that come back.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "config.h"
#include "daemon_fixture.h"
#include "kindlogd.h"
#include "server.h"
#include "store.h"
#include "wire.h"

struct fixture {
	struct kindlogd	 d;
	char		 dir[64];
	int		 peer;		/* the test's end of the socketpair */
	int		 conn;		/* the server's end */
};

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);
	int		 sv[2];

	daemon_fixture_create(&f->d, f->dir, "kindlog-server");
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(server_connection_add(f->d.server, sv[0]), 0);
	f->peer = sv[1];
	f->conn = sv[0];
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	close(f->peer);
	daemon_fixture_destroy(&f->d, f->dir);
	free(f);
	return 0;
}

/* Write bytes to the server, then run the loop until it goes quiet. */
static void
feed(struct fixture *f, const char *bytes, size_t len)
{
	int	i;

	assert_int_equal(write(f->peer, bytes, len), (ssize_t)len);
	for (i = 0; i < 20; i++)
		event_base_loop(f->d.base, EVLOOP_NONBLOCK);
}

/* Read what the server has sent so far (0 bytes if nothing, -1 on EOF). */
static ssize_t
drain(struct fixture *f, char *buf, size_t size)
{
	struct pollfd	pfd = { .fd = f->peer, .events = POLLIN };
	size_t		got = 0;
	ssize_t		n;

	while (got < size - 1 && poll(&pfd, 1, 50) == 1) {
		n = read(f->peer, buf + got, size - 1 - got);
		if (n <= 0) {
			buf[got] = '\0';
			return got == 0 ? -1 : (ssize_t)got;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

/* Number of LF-terminated lines in s. */
static int
count_lines(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_version_exact_bytes(void **state)
{
	struct fixture	*f = *state;
	const char	*req = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"version\"}\n";
	char		 buf[512];

	feed(f, req, strlen(req));
	drain(f, buf, sizeof buf);
	assert_string_equal(buf, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":"
	    "{\"version\":\"" KINDLOG_VERSION "\",\"protocol\":1}}\n");
}

static void
test_pipelined_in_order(void **state)
{
	struct fixture	*f = *state;
	const char	*req =
	    "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"version\"}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"get\",\"params\":{\"id\":9}}\n";
	char		 buf[1024];

	feed(f, req, strlen(req));
	drain(f, buf, sizeof buf);
	assert_string_equal(buf,
	    "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"result\":{\"version\":\""
	    KINDLOG_VERSION "\",\"protocol\":1}}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32601,"
	    "\"message\":\"unknown method 'nope'\"}}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":1,"
	    "\"message\":\"no entry #9\"}}\n");
}

static void
test_partial_line_waits(void **state)
{
	struct fixture	*f = *state;
	char		 buf[512];

	feed(f, "{\"jsonrpc\":\"2.0\",\"id\":5,", 24);
	assert_int_equal(drain(f, buf, sizeof buf), 0);
	feed(f, "\"method\":\"version\"}\n", 20);
	drain(f, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"id\":5,\"result\""));
}

static void
test_notification_gets_no_reply(void **state)
{
	struct fixture	*f = *state;
	const char	*req =
	    "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":{\"text\":\"hug\"}}\n"
	    "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1]}\n"
	    "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"streak\"}\n";
	char		 buf[1024];

	feed(f, req, strlen(req));
	drain(f, buf, sizeof buf);
	/* Only one reply, and the notification's add took effect. */
	assert_non_null(strstr(buf, "\"id\":8,"));
	assert_int_equal(count_lines(buf), 1);
	assert_non_null(strstr(buf, "\"entries\":1"));
}

static void
test_errors_with_null_id(void **state)
{
	struct fixture	*f = *state;
	char		 buf[1024];

	feed(f, "{not json\n", 10);
	drain(f, buf, sizeof buf);
	assert_non_null(strstr(buf, "{\"jsonrpc\":\"2.0\",\"id\":null,"
	    "\"error\":{\"code\":-32700,"));
	assert_true(buf[0] == '{');
	feed(f, "[1,2]\n", 6);
	drain(f, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"code\":-32600"));
	feed(f, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"add\",\"params\":"
	    "[\"x\"]}\n", 55);
	drain(f, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"id\":4,\"error\":{\"code\":-32602"));
}

static void
test_too_long_line_closes(void **state)
{
	struct fixture	*f = *state;
	size_t		 len = WIRE_MAX_LINE + 100;
	char		*big = malloc(len), buf[512];
	size_t		 off = 0;
	ssize_t		 n;
	int		 i;

	memset(big, 'x', len);
	fcntl(f->peer, F_SETFL, O_NONBLOCK);
	while (off < len) {
		n = write(f->peer, big + off, len - off);
		if (n > 0)
			off += (size_t)n;
		else if (errno != EAGAIN)
			break;
		for (i = 0; i < 5; i++)
			event_base_loop(f->d.base, EVLOOP_NONBLOCK);
	}
	for (i = 0; i < 20; i++)
		event_base_loop(f->d.base, EVLOOP_NONBLOCK);
	free(big);
	fcntl(f->peer, F_SETFL, 0);
	drain(f, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"code\":-32600"));
	assert_non_null(strstr(buf, "request too long"));
	assert_int_equal(drain(f, buf, sizeof buf), -1);	/* closed */
	assert_int_equal(server_connection_count(f->d.server), 0);
}

static void
test_idle_connection_closes(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err;
	char		 buf[64];
	int		 sv[2];
	time_t		 start = time(NULL);

	(void)err;
	server_set_idle_timeout(f->d.server, 1);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(server_connection_add(f->d.server, sv[0]), 0);
	assert_int_equal(server_connection_count(f->d.server), 2);
	while (server_connection_count(f->d.server) == 2 &&
	    time(NULL) - start < 10)
		event_base_loop(f->d.base, EVLOOP_ONCE);
	assert_int_equal(server_connection_count(f->d.server), 1);
	assert_int_equal(read(sv[1], buf, sizeof buf), 0);
	close(sv[1]);
}

static void
test_shutdown_flushes_and_exits(void **state)
{
	struct fixture	*f = *state;
	const char	*req = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"streak\"}\n";
	char		 buf[1024];

	assert_int_equal(write(f->peer, req, strlen(req)), (ssize_t)strlen(req));
	event_base_loop(f->d.base, EVLOOP_NONBLOCK);
	server_shutdown(f->d.server);
	event_base_dispatch(f->d.base);	/* returns once all are flushed */
	drain(f, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"id\":1,\"result\""));
	assert_int_equal(server_connection_count(f->d.server), 0);
}

/* A client that half-closes after its request still gets all of the reply. */
static void
test_half_close_gets_whole_reply(void **state)
{
	struct fixture	*f = *state;
	const char	*list = "{\"jsonrpc\":\"2.0\",\"id\":9,"
	    "\"method\":\"list\",\"params\":{\"limit\":0}}\n";
	size_t		 size = 1 << 20, got = 0;
	char		*add = malloc(5000), *buf = malloc(size), text[4001];
	ssize_t		 n;
	int		 i;

	/* Ten 4000-byte entries: the reply is larger than one write. */
	memset(text, 'k', 4000);
	text[4000] = '\0';
	n = snprintf(add, 5000, "{\"jsonrpc\":\"2.0\",\"method\":\"add\","
	    "\"params\":{\"text\":\"%s\"}}\n", text);
	for (i = 0; i < 10; i++)
		feed(f, add, (size_t)n);
	assert_int_equal(write(f->peer, list, strlen(list)),
	    (ssize_t)strlen(list));
	assert_int_equal(shutdown(f->peer, SHUT_WR), 0);
	fcntl(f->peer, F_SETFL, O_NONBLOCK);
	for (i = 0; i < 1000; i++) {
		event_base_loop(f->d.base, EVLOOP_NONBLOCK);
		n = read(f->peer, buf + got, size - 1 - got);
		if (n == 0)
			break;
		if (n > 0)
			got += (size_t)n;
	}
	buf[got] = '\0';
	assert_true(got > 40000);
	assert_int_equal(count_lines(buf), 1);
	assert_non_null(strstr(buf, "\"total\":10}}\n"));
	assert_int_equal(server_connection_count(f->d.server), 0);
	free(add);
	free(buf);
}

/*
 * A reply is written in the loop iteration whose commit released it, not
 * one epoll round later: one pass of the loop answers a durable add.
 */
static void
test_reply_written_in_same_iteration(void **state)
{
	struct fixture	*f = *state;
	const char	*add = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\","
	    "\"params\":{\"text\":\"made me tea\"}}\n";
	struct pollfd	 pfd = { .fd = f->peer, .events = POLLIN };
	char		 buf[2048];
	ssize_t		 n;

	assert_int_equal(write(f->peer, add, strlen(add)), (ssize_t)strlen(add));
	assert_int_equal(event_base_loop(f->d.base, EVLOOP_ONCE), 0);
	assert_int_equal(poll(&pfd, 1, 0), 1);
	n = read(f->peer, buf, sizeof buf - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_int_equal(count_lines(buf), 1);
	assert_non_null(strstr(buf, "\"text\":\"made me tea\""));
	assert_int_equal(daemon_fixture_entries_in(f->d.db_path), 1);
}

/*
 * What a full socket does not take at once is queued and sent as the
 * client reads, in order, and the connection goes on working.
 */
static void
test_short_write_finishes_later(void **state)
{
	struct fixture	*f = *state;
	const char	*version = "{\"jsonrpc\":\"2.0\",\"id\":7,"
	    "\"method\":\"version\"}\n";
	size_t		 size = 1 << 20, got = 0, req_len = 0;
	char		*req = malloc(size), *buf = malloc(size);
	int		 sndbuf = 4096, i, lines;
	ssize_t		 n;

	assert_int_equal(setsockopt(f->conn, SOL_SOCKET, SO_SNDBUF, &sndbuf,
	    sizeof sndbuf), 0);
	/* 400 adds in one write: ~170 KiB of replies in one commit. */
	for (i = 0; i < 400; i++)
		req_len += (size_t)snprintf(req + req_len, size - req_len,
		    "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"add\","
		    "\"params\":{\"text\":\"gesture %d\"}}\n", i, i);
	assert_int_equal(write(f->peer, req, req_len), (ssize_t)req_len);
	fcntl(f->peer, F_SETFL, O_NONBLOCK);
	for (i = 0, lines = 0; i < 100000 && lines < 400; i++) {
		event_base_loop(f->d.base, EVLOOP_NONBLOCK);
		n = read(f->peer, buf + got, size - 1 - got);
		if (n > 0) {
			buf[got + (size_t)n] = '\0';
			lines += count_lines(buf + got);
			got += (size_t)n;
		}
	}
	assert_int_equal(lines, 400);
	assert_true(got > 4 * (size_t)sndbuf);
	for (i = 0; i < 400; i++) {
		char	id[32];

		snprintf(id, sizeof id, "{\"jsonrpc\":\"2.0\",\"id\":%d,", i);
		assert_non_null(strstr(buf, id));
		if (i > 0)
			assert_true(strstr(buf, id) > strstr(buf,
			    "{\"jsonrpc\":\"2.0\",\"id\":0,"));
	}
	fcntl(f->peer, F_SETFL, 0);
	feed(f, version, strlen(version));
	drain(f, buf, size);
	assert_string_equal(buf, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":"
	    "{\"version\":\"" KINDLOG_VERSION "\",\"protocol\":1}}\n");
	free(req);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_reply_written_in_same_iteration, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_write_finishes_later,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_exact_bytes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_in_order,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_line_waits,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_notification_gets_no_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_with_null_id,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_long_line_closes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_connection_closes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shutdown_flushes_and_exits, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_half_close_gets_whole_reply, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
