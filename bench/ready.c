/*
 * Daemon start-to-first-reply: start the daemon, connect as soon as its
 * socket exists, send "version", and time until the reply has arrived;
 * then stop the daemon (SIGTERM) and wait for it. Prints milliseconds.
 * usage: bench-ready SOCKET DAEMON ARGS...
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char ready_request[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"version\"}\n";

/* Milliseconds on the monotonic clock. */
static double
ready_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One attempt: 1 once a reply line came back, 0 if not yet. */
static int
ready_try(const char *path)
{
	struct sockaddr_un	sa = { .sun_family = AF_UNIX };
	char			buf[512];
	ssize_t			n;
	int			fd, ok = 0;

	strncpy(sa.sun_path, path, sizeof sa.sun_path - 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    write(fd, ready_request, sizeof ready_request - 1) ==
	    (ssize_t)(sizeof ready_request - 1)) {
		while ((n = read(fd, buf, sizeof buf)) > 0) {
			if (memchr(buf, '\n', (size_t)n) != NULL) {
				ok = 1;
				break;
			}
		}
	}
	close(fd);
	return ok;
}

int
main(int argc, char **argv)
{
	posix_spawn_file_actions_t	fa;
	double				start, ms = -1;
	pid_t				pid;
	int				status;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-ready SOCKET DAEMON ARGS...\n");
		return 2;
	}
	unlink(argv[1]);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	start = ready_now();
	if (posix_spawnp(&pid, argv[2], &fa, NULL, &argv[2], environ) != 0) {
		perror(argv[2]);
		return 1;
	}
	posix_spawn_file_actions_destroy(&fa);
	while (ready_now() - start < 10000) {
		if (ready_try(argv[1])) {
			ms = ready_now() - start;
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "bench-ready: the daemon exited\n");
			return 1;
		}
		usleep(100);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
	if (ms < 0) {
		fprintf(stderr, "bench-ready: no reply within 10 s\n");
		return 1;
	}
	printf("%.3f\n", ms);
	return 0;
}
