/*
 * This device's files (sync-int.h). The outbox goes out as new files in
 * DIR/devices/ID/, each written under a name starting with '.', synced,
 * renamed, and the folder synced: the engine only ever sees whole files
 * that never change. Once there are many, they are compacted: a snapshot
 * holding each field's latest operation is written, then the files it
 * covers are removed -- only ever in this device's own folder.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "sync-file.h"
#include "sync-int.h"
#include "xmalloc.h"

/* fsync a directory, so that a rename in it lasts. */
static int
sync_out_sync_dir(const char *dir, struct kl_error *err)
{
	int	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1 || fsync(fd) != 0) {
		if (fd != -1)
			close(fd);
		return kl_error_set(err, KL_ERR_STORAGE, "cannot sync %s: %s",
		    dir, strerror(errno));
	}
	close(fd);
	return 0;
}

/* Write the header and one line per op to fd. */
static int
sync_out_lines(int fd, const char *header, json_t *ops)
{
	FILE	*f = fdopen(fd, "w");
	json_t	*op;
	size_t	 i;
	int	 rc;

	if (f == NULL) {
		close(fd);
		return -1;
	}
	fprintf(f, "%s\n", header);
	json_array_foreach(ops, i, op) {
		json_dumpf(op, f, JSON_COMPACT);
		fputc('\n', f);
	}
	rc = fflush(f) == 0 && fsync(fd) == 0 && !ferror(f) ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* A name for a new file: name itself, or name-2, -3... if it is taken. */
static char *
sync_out_fresh(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name);
	int	 n;

	for (n = 2; access(path, F_OK) == 0; n++) {
		free(path);
		path = xasprintf("%s/%.*s-%d.jsonl", dir,
		    (int)(strlen(name) - strlen(".jsonl")), name, n);
	}
	return path;
}

int
sync_out_write(const char *dir, const char *name, const char *header,
    json_t *ops, struct kl_error *err)
{
	char	*tmp = xasprintf("%s/.%s.tmp", dir, name), *path;
	int	 fd, rc = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	path = sync_out_fresh(dir, name);
	if (fd == -1 || sync_out_lines(fd, header, ops) != 0 ||
	    rename(tmp, path) != 0)
		kl_error_set(err, KL_ERR_STORAGE, "cannot write %s: %s", path,
		    strerror(errno));
	else
		rc = sync_out_sync_dir(dir, err);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

/*
 * Whether the folder is there; then make our own folder in it. A folder
 * that is missing (unmounted) is not made: the changes wait for it.
 */
static bool
sync_out_ready(struct sync *sync, struct kl_error *err)
{
	struct stat	 sb;
	char		*devices;
	bool		 ok;

	sync->folder_ok = stat(sync->dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (!sync->folder_ok) {
		kl_error_set(err, KL_ERR_STORAGE, "the folder %s is not there "
		    "(not mounted?); changes wait for it", sync->dir);
		sync_set_error(sync, err->message);
		return false;
	}
	devices = xasprintf("%s/devices", sync->dir);
	ok = (mkdir(devices, 0700) == 0 || errno == EEXIST) &&
	    (mkdir(sync->own, 0700) == 0 || errno == EEXIST);
	if (!ok) {
		kl_error_set(err, KL_ERR_STORAGE, "cannot make %s: %s",
		    sync->own, strerror(errno));
		sync_set_error(sync, err->message);
	}
	free(devices);
	return ok;
}

/* Write one page of the outbox as a file; *n counts its operations. */
static int
sync_out_page(struct sync *sync, json_t *ops, struct kl_error *err)
{
	char	 name[64], *header;
	int	 rc;

	snprintf(name, sizeof name, "ops-%016llx.jsonl", (unsigned long long)
	    json_integer_value(json_object_get(json_array_get(ops, 0),
	    "hlc")));
	header = sync_file_header(sync->device, sync->name);
	rc = sync_out_write(sync->own, name, header, ops, err);
	free(header);
	return rc;
}

int
sync_out_flush(struct sync *sync, int64_t *written, struct kl_error *err)
{
	struct store	*store = sync->d->store;
	json_t		*ops;
	int64_t		 after = 0, last;

	*written = 0;
	if (!sync->on || !sync_out_ready(sync, err))
		return 0;
	for (;;) {
		if (store_sync_outbox(store, after, SYNC_FILE_OPS, &ops, &last,
		    err) != 0)
			return -1;
		if (last == after) {
			json_decref(ops);
			break;
		}
		if (json_array_size(ops) > 0 &&
		    sync_out_page(sync, ops, err) != 0) {
			json_decref(ops);
			return -1;
		}
		*written += (int64_t)json_array_size(ops);
		json_decref(ops);
		if (store_sync_sent(store, last, err) != 0)
			return -1;
		after = last;
	}
	if (*written > 0)
		sync->last_write = time(NULL);
	if (sync->error != NULL && strncmp(sync->error, "the folder", 10) == 0)
		sync_set_error(sync, NULL);
	return 0;
}

/* Keep op (borrowed) in out unless a later one of its field is there. */
static void
sync_out_keep(json_t *out, json_t *slots, json_t *op)
{
	char		 key[128];
	const char	*kind = json_string_value(json_object_get(op, "op"));
	json_t		*slot, *had;

	if (store_op_kind(kind != NULL ? kind : "") == STORE_OP_UNKNOWN) {
		json_array_append(out, op);
		return;
	}
	snprintf(key, sizeof key, "%s/%s/%s",
	    json_string_value(json_object_get(op, "entry")), kind,
	    json_string_value(json_object_get(op, "tag")) != NULL ?
	    json_string_value(json_object_get(op, "tag")) : "");
	slot = json_object_get(slots, key);
	if (slot == NULL) {
		json_object_set_new(slots, key,
		    json_integer((json_int_t)json_array_size(out)));
		json_array_append(out, op);
		return;
	}
	had = json_array_get(out, (size_t)json_integer_value(slot));
	if (json_integer_value(json_object_get(op, "hlc")) >
	    json_integer_value(json_object_get(had, "hlc")))
		json_array_set(out, (size_t)json_integer_value(slot), op);
}

/* Read our own files into out, each field's latest operation once. */
static int
sync_out_gather(struct sync *sync, char **names, size_t n, json_t *out,
    int64_t *max_hlc, struct kl_error *err)
{
	struct sync_limits	 limits = { .max_day = INT32_MAX,
				    .max_hlc = INT64_MAX };
	struct sync_file	 file;
	json_t			*slots = json_object(), *op;
	char			*path, *buf;
	size_t			 i, j, len;
	int			 rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		memset(&file, 0, sizeof file);
		buf = NULL;
		path = xasprintf("%s/%s", sync->own, names[i]);
		rc = sync_in_read(path, &buf, &len, err);
		if (rc == 0)
			rc = sync_file_parse(buf, len, &limits, &file, err);
		json_array_foreach(file.lines, j, op) {
			if (rc == 0)
				sync_out_keep(out, slots, op);
			if (json_integer_value(json_object_get(op, "hlc")) >
			    *max_hlc)
				*max_hlc = json_integer_value(json_object_get(
				    op, "hlc"));
		}
		sync_file_finish(&file);
		free(buf);
		free(path);
	}
	json_decref(slots);
	return rc;
}

/* Write out as snapshot files of at most SYNC_FILE_OPS lines each. */
static int
sync_out_snapshots(struct sync *sync, json_t *out, int64_t max_hlc,
    struct kl_error *err)
{
	json_t	*part;
	char	 name[64], *header = sync_file_header(sync->device, sync->name);
	size_t	 i, j, n = json_array_size(out);
	int	 rc = 0;

	for (i = 0; i < n && rc == 0; i += SYNC_FILE_OPS) {
		part = json_array();
		for (j = i; j < n && j < i + SYNC_FILE_OPS; j++)
			json_array_append(part, json_array_get(out, j));
		snprintf(name, sizeof name, "snap-%016llx-%zu.jsonl",
		    (unsigned long long)max_hlc, i / SYNC_FILE_OPS);
		rc = sync_out_write(sync->own, name, header, part, err);
		json_decref(part);
	}
	free(header);
	return rc;
}

int
sync_out_compact(struct sync *sync, struct kl_error *err)
{
	size_t	 n, i;
	int64_t	 ignored = 0;
	char	**names = sync_in_names(sync->own, true, &ignored, &n), *path;
	json_t	*out = json_array();
	int64_t	 max_hlc = 0;
	int	 rc = 0;

	if (n > SYNC_COMPACT_FILES) {
		rc = sync_out_gather(sync, names, n, out, &max_hlc, err);
		if (rc == 0)
			rc = sync_out_snapshots(sync, out, max_hlc, err);
		for (i = 0; i < n && rc == 0; i++) {
			path = xasprintf("%s/%s", sync->own, names[i]);
			unlink(path);
			free(path);
		}
		if (rc == 0)
			rc = sync_out_sync_dir(sync->own, err);
	}
	json_decref(out);
	sync_in_free_names(names, n);
	return rc;
}
