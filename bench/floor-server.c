/*
 * The floor's server: accept on a Unix socket, echo each line back, one
 * connection at a time. Nothing a real server could do less of.
 * usage: bench-floor-server SOCKET
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Echo complete lines until the peer closes. */
static void
floor_serve(int fd)
{
	char	buf[65536];
	ssize_t	n;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (write(fd, buf, (size_t)n) != n)
			break;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_un	sa = { .sun_family = AF_UNIX };
	int			lfd, fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof sa.sun_path) {
		fprintf(stderr, "usage: bench-floor-server SOCKET\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(lfd, 128) != 0) {
		perror(argv[1]);
		return 1;
	}
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		floor_serve(fd);
		close(fd);
	}
}
