/*
 * Daily backups. A check timer looks every hour whether today's file
 * exists; if not, a job starts and a zero-timeout timer copies
 * BACKUP_PAGES_PER_STEP pages per loop turn until it is done, so requests
 * are served in between. Then the oldest files beyond the configured
 * number are removed.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "backup.h"
#include "config.h"
#include "day.h"
#include "log.h"
#include "paths.h"
#include "store.h"
#include "xmalloc.h"

struct backup {
	struct kindlogd		*d;
	struct event		*check_ev;
	struct event		*step_ev;
	struct store_backup	*job;
	char			*path;		/* the job's file */
};

/* The backups directory: [storage] backups_dir, else beside the database. */
static char *
backup_dir(struct kindlogd *d)
{
	char	*dir, *path;

	if (d->config->backups_dir != NULL)
		return xstrdup(d->config->backups_dir);
	dir = paths_dirname(d->db_path);
	path = xasprintf("%s/backups", dir);
	free(dir);
	return path;
}

/* Today's backup file in dir (created 0700 if missing), or NULL with err. */
static char *
backup_path_today(struct kindlogd *d, struct kl_error *err)
{
	char	*dir = backup_dir(d), *path, day[DAY_ISO_LEN];

	if (paths_mkdir_p(dir, 0700, err) != 0) {
		free(dir);
		return NULL;
	}
	day_format(config_today(d->config, time(NULL)), day);
	path = xasprintf("%s/kindlog-%s.db", dir, day);
	free(dir);
	return path;
}

/* True for the names backups get: kindlog-YYYY-MM-DD.db. */
static int
backup_is_ours(const struct dirent *e)
{
	kl_day	day;
	char	iso[DAY_ISO_LEN];

	if (strlen(e->d_name) != strlen("kindlog-YYYY-MM-DD.db") ||
	    strncmp(e->d_name, "kindlog-", 8) != 0 ||
	    strcmp(e->d_name + 18, ".db") != 0)
		return 0;
	memcpy(iso, e->d_name + 8, DAY_ISO_LEN - 1);
	iso[DAY_ISO_LEN - 1] = '\0';
	return day_parse_iso(iso, &day);
}

/* Remove all but the newest keep backups (names sort by date). */
static void
backup_prune(struct kindlogd *d)
{
	struct dirent	**names;
	char		 *dir = backup_dir(d), *path;
	int		  n, i, keep = d->config->backups;

	if (keep < 1)
		keep = 1;	/* never the one just made */
	n = scandir(dir, &names, backup_is_ours, alphasort);
	for (i = 0; i < n; i++) {
		if (i < n - keep) {
			path = xasprintf("%s/%s", dir, names[i]->d_name);
			if (unlink(path) != 0)
				log_warn("cannot remove old backup %s", path);
			free(path);
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	free(dir);
}

/* End the running job, if any. */
static void
backup_job_end(struct backup *b)
{
	event_del(b->step_ev);
	store_backup_free(b->job);
	b->job = NULL;
	free(b->path);
	b->path = NULL;
}

/* Copy the next slice; go on next turn, or finish. */
static void
backup_step(evutil_socket_t fd, short events, void *arg)
{
	struct backup	*b = arg;
	struct timeval	 now = { 0, 0 };
	struct kl_error	 err;
	int		 rc;

	rc = store_backup_step(b->job, BACKUP_PAGES_PER_STEP, &err);
	if (rc == 1) {
		evtimer_add(b->step_ev, &now);
		return;
	}
	if (rc == 0) {
		log_info("backup %s", b->path);
		backup_prune(b->d);
	} else
		log_warnx("daily backup: %s", err.message);
	backup_job_end(b);
}

/* Start today's backup unless it exists, is running, or backups are off. */
static void
backup_check(evutil_socket_t fd, short events, void *arg)
{
	struct backup	*b = arg;
	struct timeval	 now = { 0, 0 };
	struct kl_error	 err;
	struct stat	 sb;
	char		*path;

	if (b->job != NULL || b->d->config->backups <= 0)
		return;
	if ((path = backup_path_today(b->d, &err)) == NULL) {
		log_warnx("daily backup: %s", err.message);
		return;
	}
	if (stat(path, &sb) == 0) {
		free(path);
		return;
	}
	b->job = store_backup_start(b->d->store, path, &err);
	if (b->job == NULL) {
		log_warnx("daily backup: %s", err.message);
		free(path);
		return;
	}
	b->path = path;
	evtimer_add(b->step_ev, &now);
}

struct backup *
backup_create(struct kindlogd *d)
{
	struct backup	*b = xcalloc(1, sizeof *b);
	struct timeval	 hourly = { BACKUP_CHECK_SECONDS, 0 };

	b->d = d;
	b->step_ev = evtimer_new(d->base, backup_step, b);
	b->check_ev = event_new(d->base, -1, EV_PERSIST, backup_check, b);
	event_add(b->check_ev, &hourly);
	event_active(b->check_ev, EV_TIMEOUT, 0);
	return b;
}

void
backup_destroy(struct backup *b)
{
	if (b == NULL)
		return;
	backup_job_end(b);
	event_free(b->step_ev);
	event_free(b->check_ev);
	free(b);
}

int
backup_now(struct kindlogd *d, char **path, struct kl_error *err)
{
	struct store_backup	*job;
	int			 rc;

	if ((*path = backup_path_today(d, err)) == NULL)
		return -1;
	/* A daily job writing the same file gives way. */
	if (d->backup != NULL && d->backup->path != NULL &&
	    strcmp(d->backup->path, *path) == 0)
		backup_job_end(d->backup);
	if ((job = store_backup_start(d->store, *path, err)) == NULL) {
		free(*path);
		*path = NULL;
		return -1;
	}
	rc = store_backup_step(job, -1, err);
	store_backup_free(job);
	if (rc != 0) {
		free(*path);
		*path = NULL;
		return -1;
	}
	log_info("backup %s (asked for)", *path);
	backup_prune(d);
	return 0;
}
