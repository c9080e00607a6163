/*
 * Load generator speaking kindlog's protocol: N connections, each keeping
 * exactly one "add" outstanding; counts replies that acknowledge an add.
 * Stops after SECONDS, or once MAX adds are acknowledged (0: no limit).
 * Prints: ACKED_PER_SECOND ACKED ERRORS SECONDS.
 * usage: bench-load SOCKET CONNECTIONS SECONDS [MAX]
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOAD_MAX_CONNECTIONS 256

struct load_conn {
	int	fd;
	char	buf[65536];
	size_t	len;
	long	next_id;
};

/* Seconds on the monotonic clock. */
static double
load_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Connect to the daemon's socket or exit. */
static int
load_connect(const char *path)
{
	struct sockaddr_un	sa = { .sun_family = AF_UNIX };
	int			fd;

	strncpy(sa.sun_path, path, sizeof sa.sun_path - 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		perror(path);
		exit(3);
	}
	return fd;
}

/* Send the next add on a connection. */
static void
load_send(struct load_conn *c, int index)
{
	char	line[256];
	int	n;

	n = snprintf(line, sizeof line, "{\"jsonrpc\":\"2.0\",\"id\":%ld,"
	    "\"method\":\"add\",\"params\":{\"text\":\"bench gesture %d\","
	    "\"tags\":[\"bench\"]}}\n", c->next_id++, index);
	if (write(c->fd, line, (size_t)n) != n) {
		perror("write");
		exit(1);
	}
}

/* Read replies; count complete lines as acked or errors. Returns lines. */
static int
load_read(struct load_conn *c, long *acked, long *errors)
{
	char	*nl, *start;
	ssize_t	 n;
	int	 lines = 0;

	n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len - 1);
	if (n <= 0) {
		fprintf(stderr, "bench-load: daemon closed a connection\n");
		exit(1);
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	start = c->buf;
	while ((nl = strchr(start, '\n')) != NULL) {
		*nl = '\0';
		if (strstr(start, "\"result\":") != NULL)
			(*acked)++;
		else
			(*errors)++;
		lines++;
		start = nl + 1;
	}
	c->len -= (size_t)(start - c->buf);
	memmove(c->buf, start, c->len);
	return lines;
}

int
main(int argc, char **argv)
{
	static struct load_conn	conns[LOAD_MAX_CONNECTIONS];
	struct pollfd		pfd[LOAD_MAX_CONNECTIONS];
	double			seconds, start, end;
	long			acked = 0, errors = 0, sent = 0, max;
	int			n, i, j, lines;

	if (argc < 4 || (n = atoi(argv[2])) < 1 ||
	    n > LOAD_MAX_CONNECTIONS || (seconds = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: bench-load SOCKET CONNECTIONS "
		    "SECONDS [MAX]\n");
		return 2;
	}
	max = argc > 4 ? atol(argv[4]) : 0;
	for (i = 0; i < n; i++) {
		conns[i].fd = load_connect(argv[1]);
		conns[i].next_id = 1;
		pfd[i] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
	}
	start = load_now();
	for (i = 0; i < n && (max == 0 || sent < max); i++, sent++)
		load_send(&conns[i], i);
	while ((end = load_now()) - start < seconds &&
	    acked + errors < sent) {
		if (poll(pfd, (nfds_t)n, 1000) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			lines = load_read(&conns[i], &acked, &errors);
			for (j = 0; j < lines && (max == 0 || sent < max);
			    j++, sent++)
				load_send(&conns[i], i);
		}
	}
	end = load_now();
	printf("%.0f %ld %ld %.3f\n", (double)acked / (end - start), acked,
	    errors, end - start);
	return errors > 0 ? 1 : 0;
}
