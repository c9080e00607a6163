/*
 * A stand-in for libFuzzer's main() in builds without -Dfuzz=true (gcc
 * included): run LLVMFuzzerTestOneInput once over every file named on the
 * command line or found in a directory named there. The normal and the
 * sanitizer builds replay the checked-in corpora this way, so a crash
 * fixed once stays fixed whatever the compiler.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Run the harness over one file. Returns 0, or -1 if it is unreadable. */
static int
replay_file(const char *path)
{
	FILE	*f = fopen(path, "rb");
	uint8_t	*buf;
	long	 len;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (buf == NULL || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		perror(path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

/* Run every regular file in a directory (not recursive). */
static int
replay_dir(const char *path, int *count)
{
	struct dirent	**names;
	char		 *file;
	int		  n, i, rc = 0;

	if ((n = scandir(path, &names, NULL, alphasort)) < 0) {
		perror(path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			file = malloc(strlen(path) + strlen(names[i]->d_name) + 2);
			sprintf(file, "%s/%s", path, names[i]->d_name);
			if (replay_file(file) != 0)
				rc = -1;
			else
				(*count)++;
			free(file);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat	sb;
	int		i, count = 0, rc = 0;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;	/* a libFuzzer flag: ignored here */
		if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			rc |= replay_dir(argv[i], &count);
		else if (replay_file(argv[i]) == 0)
			count++;
		else
			rc = -1;
	}
	printf("replayed %d inputs\n", count);
	return rc == 0 ? 0 : 1;
}
