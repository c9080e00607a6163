/*
 * The floor's client: connect to a Unix socket, write one request line,
 * read one reply line, exit. What any thin client must at least cost.
 * usage: bench-floor-client SOCKET
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char floor_request[] =
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"add\","
    "\"params\":{\"text\":\"made me coffee\"}}\n";

int
main(int argc, char **argv)
{
	struct sockaddr_un	sa = { .sun_family = AF_UNIX };
	char			buf[4096];
	ssize_t			n;
	int			fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof sa.sun_path) {
		fprintf(stderr, "usage: bench-floor-client SOCKET\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		perror(argv[1]);
		return 3;
	}
	if (write(fd, floor_request, sizeof floor_request - 1) !=
	    (ssize_t)(sizeof floor_request - 1))
		return 1;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (memchr(buf, '\n', (size_t)n) != NULL)
			return 0;
	}
	return 1;
}
