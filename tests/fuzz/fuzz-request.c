/*
 * The request path: bytes from a connection → line framing → JSON-RPC
 * envelope → method dispatch → a real store in a scratch database. Each
 * input is one connection (a socketpair handed to the real server), its
 * bytes followed by EOF; whatever the server replies is read and dropped.
 * Each input starts from an empty store (fuzz-store.c), so what a
 * request finds is what earlier requests of the same input wrote.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "fuzz.h"
#include "kindlogd.h"
#include "log.h"
#include "server.h"
#include "store.h"

static struct kindlogd	fuzz_d;

/* Free the daemon state at exit so LeakSanitizer sees only real leaks. */
static void
fuzz_request_finish(void)
{
	server_destroy(fuzz_d.server);
	event_base_free(fuzz_d.base);
	fuzz_store_close(fuzz_d.store);
	config_destroy(fuzz_d.config);
	free(fuzz_d.db_path);
	free(fuzz_d.socket_path);
	free(fuzz_d.config_path);
}

/* Open the store and the server once per process. */
static void
fuzz_request_init(void)
{
	const char	*dir = fuzz_scratch_dir();

	fuzz_quiet_stderr();
	fuzz_d.db_path = malloc(strlen(dir) + 16);
	sprintf(fuzz_d.db_path, "%s/kindlog.db", dir);
	fuzz_d.socket_path = strdup("(socketpair)");
	fuzz_d.config_path = strdup("/nonexistent/kindlog.conf");
	fuzz_d.config = config_create_default();
	fuzz_d.started_at = time(NULL);
	fuzz_d.store = fuzz_store_open(fuzz_d.db_path);
	fuzz_d.base = event_base_new();
	fuzz_d.server = server_create(&fuzz_d, -1, NULL);
	atexit(fuzz_request_finish);
}

/* Read and drop whatever the server has sent. */
static void
fuzz_request_drain(int fd)
{
	char	buf[65536];

	while (read(fd, buf, sizeof buf) > 0)
		continue;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int	sv[2], i;
	size_t	off = 0;
	ssize_t	n;

	if (fuzz_d.base == NULL)
		fuzz_request_init();
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0)
		abort();
	if (server_connection_add(fuzz_d.server, sv[0]) != 0)
		abort();
	/* Feed the bytes, letting the server run whenever the pipe fills. */
	while (off < size) {
		n = write(sv[1], data + off, size - off);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno != EAGAIN)
			break;
		event_base_loop(fuzz_d.base, EVLOOP_NONBLOCK);
		fuzz_request_drain(sv[1]);
	}
	shutdown(sv[1], SHUT_WR);
	/* Run until the server has seen EOF and freed the connection. */
	for (i = 0; i < 10000 &&
	    server_connection_count(fuzz_d.server) > 0; i++) {
		event_base_loop(fuzz_d.base, EVLOOP_NONBLOCK);
		fuzz_request_drain(sv[1]);
	}
	if (server_connection_count(fuzz_d.server) > 0)
		fuzz_die("the server kept a connection after EOF");
	close(sv[1]);
	fuzz_store_done();
	return 0;
}
