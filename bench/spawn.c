/*
 * Time whole processes, interleaved: every round runs each command once,
 * in order, so drift and noise hit all of them alike. Prints one line per
 * command: NAME MEDIAN_MS MIN_MS FAILURES.
 * usage: bench-spawn ROUNDS NAME ARGV... ';;' NAME ARGV... ';;' ...
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct spawn_cmd {
	const char	 *name;
	char		**argv;
	double		 *ms;
	int		  failures;
};

/* Run argv once with stdout and stderr on /dev/null; milliseconds taken. */
static double
spawn_once(struct spawn_cmd *cmd)
{
	posix_spawn_file_actions_t	fa;
	struct timespec			a, b;
	pid_t				pid;
	int				status;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	if (posix_spawnp(&pid, cmd->argv[0], &fa, NULL, cmd->argv,
	    environ) != 0) {
		perror(cmd->argv[0]);
		exit(1);
	}
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	posix_spawn_file_actions_destroy(&fa);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		cmd->failures++;
	return (double)(b.tv_sec - a.tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static int
spawn_compare(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	struct spawn_cmd	cmds[32];
	int			ncmds = 0, rounds, i, r;

	if (argc < 3 || (rounds = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: bench-spawn ROUNDS NAME ARGV... ';;' ...\n");
		return 2;
	}
	for (i = 2; i < argc && ncmds < 32; ) {
		cmds[ncmds] = (struct spawn_cmd){ .name = argv[i++],
		    .argv = &argv[i] };
		while (i < argc && strcmp(argv[i], ";;") != 0)
			i++;
		if (i < argc)
			argv[i++] = NULL;
		cmds[ncmds].ms = calloc((size_t)rounds + 1, sizeof(double));
		ncmds++;
	}
	for (i = 0; i < ncmds; i++)	/* warm up caches */
		spawn_once(&cmds[i]);
	for (i = 0; i < ncmds; i++)
		cmds[i].failures = 0;
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < ncmds; i++)
			cmds[i].ms[r] = spawn_once(&cmds[i]);
	}
	for (i = 0; i < ncmds; i++) {
		qsort(cmds[i].ms, (size_t)rounds, sizeof(double),
		    spawn_compare);
		printf("%s %.3f %.3f %d\n", cmds[i].name,
		    cmds[i].ms[rounds / 2], cmds[i].ms[0], cmds[i].failures);
		free(cmds[i].ms);
	}
	return 0;
}
