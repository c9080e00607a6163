/*
 * The peers' files (sync-int.h): every folder DIR/devices/ID/ but ours,
 * read only. A file is applied once, as it is (its name, size and mtime
 * are remembered by the store), in one transaction; one that cannot be
 * read whole is skipped, named in status, and tried again when it
 * changes. Dot-files, the engine's temporary files and its conflict
 * copies are left alone and counted.
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "reminder.h"
#include "store.h"
#include "sync-file.h"
#include "sync-int.h"
#include "xmalloc.h"

/* What a watched folder reports: a file arrived, left, or it went. */
#define SYNC_WATCH (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | \
	IN_DELETE_SELF | IN_MOVE_SELF)

bool
sync_in_wanted(const char *name)
{
	size_t	len = strlen(name);

	return name[0] != '.' && strncmp(name, "~syncthing~", 11) != 0 &&
	    strstr(name, ".sync-conflict-") == NULL && len > 6 &&
	    strcmp(name + len - 6, ".jsonl") == 0;
}

int
sync_in_read(const char *path, char **buf, size_t *len, struct kl_error *err)
{
	struct stat	 sb;
	ssize_t		 n;
	size_t		 got = 0;
	int		 fd;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd != -1)
			close(fd);
		return kl_error_set(err, KL_ERR_PARAMS, "cannot read %s: %s",
		    path, fd == -1 ? strerror(errno) : "not a regular file");
	}
	if (sb.st_size > SYNC_FILE_MAX) {
		close(fd);
		return kl_error_set(err, KL_ERR_LIMIT, "file is larger than "
		    "%d bytes", SYNC_FILE_MAX);
	}
	*buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size &&
	    (n = read(fd, *buf + got, (size_t)sb.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	*len = got;
	return 0;
}

/* strcmp for qsort over an array of names. */
static int
sync_in_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of dir, sorted, NULL-ended; *ignored counts those left alone. */
char **
sync_in_names(const char *dir, bool files, int64_t *ignored, size_t *n)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	char		**names = xcalloc(1, sizeof *names);

	*n = 0;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (files ? !sync_in_wanted(e->d_name) :
		    !uuid_valid(e->d_name)) {
			*ignored += 1;
			continue;
		}
		names = xreallocarray(names, *n + 2, sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
		names[*n] = NULL;
	}
	if (d != NULL)
		closedir(d);
	qsort(names, *n, sizeof *names, sync_in_compare);
	return names;
}

void
sync_in_free_names(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Watch a folder for new files (nothing when inotify is missing). */
static void
sync_in_watch(struct sync *sync, const char *dir)
{
	if (sync->inotify_fd != -1)
		inotify_add_watch(sync->inotify_fd, dir, SYNC_WATCH);
}

/*
 * Read and check one file; in *error, why it is skipped (a new string),
 * or NULL with parsed filled for the store.
 */
static void
sync_in_parse(const char *device, const char *path, struct sync_file *parsed,
    char **error)
{
	struct sync_limits	 limits;
	struct kl_error		 err;
	char			*buf;
	size_t			 len;

	*error = NULL;
	memset(parsed, 0, sizeof *parsed);
	sync_limits_now(&limits);
	if (sync_in_read(path, &buf, &len, &err) != 0 ||
	    sync_file_parse(buf, len, &limits, parsed, &err) != 0)
		*error = xstrdup(err.message);
	else if (strcmp(parsed->device, device) != 0)
		*error = xasprintf("written by device %s, not %s",
		    parsed->device, device);
	free(buf);
}

/* Apply one file of device, unless it was applied as it is. */
static int
sync_in_file(struct sync *sync, const char *device, const char *dir,
    const char *name, int64_t *applied, struct kl_error *err)
{
	struct store_sync_file	 file = { .device = device, .name = name };
	struct sync_file	 parsed;
	struct stat		 sb;
	char			*path = xasprintf("%s/%s", dir, name), *error;
	bool			 seen;
	int64_t			 changed = 0;
	int			 rc = 0;

	if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		goto out;
	file.size = (int64_t)sb.st_size;
	file.mtime = (int64_t)sb.st_mtime;
	if ((rc = store_sync_file_seen(sync->d->store, device, name,
	    file.size, file.mtime, &seen, err)) != 0 || seen)
		goto out;
	sync_in_parse(device, path, &parsed, &error);
	file.error = error;
	file.device_name = parsed.name;
	file.ops = parsed.ops;
	file.nops = error == NULL ? parsed.nops : 0;
	rc = store_sync_apply(sync->d->store, &file, &changed, err);
	if (rc == 0 && error != NULL)
		log_warnx("sync: skipped %s: %s", path, error);
	*applied += changed;
	sync_file_finish(&parsed);
	free(error);
out:
	free(path);
	return rc;
}

/* Apply the new files of one peer's folder and forget the removed ones. */
static int
sync_in_device(struct sync *sync, const char *devices, const char *device,
    int64_t *applied, struct kl_error *err)
{
	char	*dir = xasprintf("%s/%s", devices, device), **names;
	size_t	 n, i;
	int	 rc = 0;

	sync_in_watch(sync, dir);
	names = sync_in_names(dir, true, &sync->ignored, &n);
	for (i = 0; i < n && rc == 0; i++)
		rc = sync_in_file(sync, device, dir, names[i], applied, err);
	if (rc == 0)
		rc = store_sync_files_prune(sync->d->store, device,
		    (const char *const *)names, err);
	sync_in_free_names(names, n);
	free(dir);
	return rc;
}

int
sync_in_scan(struct sync *sync, int64_t *applied, struct kl_error *err)
{
	struct stat	 sb;
	char		*devices, **names;
	size_t		 n, i;
	int		 rc = 0;

	*applied = 0;
	if (!sync->on)
		return 0;
	sync->folder_ok = stat(sync->dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (!sync->folder_ok) {
		sync_set_error(sync, "the folder is not there (not mounted?); "
		    "sync resumes when it is back");
		return 0;
	}
	devices = xasprintf("%s/devices", sync->dir);
	sync_in_watch(sync, sync->dir);
	sync_in_watch(sync, devices);
	sync->ignored = 0;
	names = sync_in_names(devices, false, &sync->ignored, &n);
	for (i = 0; i < n && rc == 0; i++) {
		if (strcmp(names[i], sync->device) != 0)
			rc = sync_in_device(sync, devices, names[i], applied,
			    err);
	}
	sync_in_free_names(names, n);
	free(devices);
	sync->last_scan = time(NULL);
	if (*applied > 0 && sync->d->reminder != NULL)
		reminder_rearm(sync->d->reminder);
	if (rc == 0 && sync->error != NULL &&
	    strncmp(sync->error, "the folder", 10) == 0)
		sync_set_error(sync, NULL);
	return rc;
}
