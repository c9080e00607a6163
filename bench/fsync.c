/*
 * The disk's floor for a durable commit: append 4 KiB to a file and
 * fdatasync it, ROUNDS times; prints the median in milliseconds. One
 * connection with one request outstanding can never beat 1/this.
 * usage: bench-fsync FILE ROUNDS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int
fsync_compare(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	struct timespec	 a, b;
	static char	 page[4096];
	double		*ms;
	int		 fd, rounds, i;

	if (argc != 3 || (rounds = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: bench-fsync FILE ROUNDS\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	ms = calloc((size_t)rounds, sizeof *ms);
	memset(page, 'k', sizeof page);
	for (i = 0; i < rounds; i++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (write(fd, page, sizeof page) != (ssize_t)sizeof page ||
		    fdatasync(fd) != 0) {
			perror(argv[1]);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
		    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	}
	close(fd);
	unlink(argv[1]);
	qsort(ms, (size_t)rounds, sizeof *ms, fsync_compare);
	printf("%.3f\n", ms[rounds / 2]);
	free(ms);
	return 0;
}
