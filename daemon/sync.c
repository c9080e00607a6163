/*
 * Sync (sync.h): when it runs. A commit arms a debounce timer that writes
 * the outbox out; inotify on the folders and a minute's timer scan the
 * peers. Timers never act while a request batch is open (its transaction
 * is not committed yet): they try again a moment later.
 */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "config.h"
#include "log.h"
#include "paths.h"
#include "rfc3339.h"
#include "store.h"
#include "sync-int.h"
#include "sync.h"
#include "xmalloc.h"

/* How soon a timer that met an open batch tries again. */
#define SYNC_RETRY_MS 50
/* How soon after an inotify event the folders are scanned. */
#define SYNC_EVENT_MS 200

void
sync_set_error(struct sync *sync, const char *message)
{
	if (message != NULL && (sync->error == NULL ||
	    strcmp(sync->error, message) != 0))
		log_warnx("sync: %s", message);
	free(sync->error);
	sync->error = message != NULL ? xstrdup(message) : NULL;
}

bool
sync_busy(struct sync *sync)
{
	return store_batch_active(sync->d->store);
}

/* Arm ev to fire in ms milliseconds. */
static void
sync_arm(struct event *ev, long ms)
{
	struct timeval	tv = { ms / 1000, (ms % 1000) * 1000 };

	event_add(ev, &tv);
}

/* What names this machine: its machine id, or else its host name. */
static char *
sync_machine(void)
{
	char	 buf[256] = "";
	FILE	*f = fopen("/etc/machine-id", "re");

	if (f != NULL) {
		if (fgets(buf, sizeof buf, f) == NULL)
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	if (buf[0] == '\0' && gethostname(buf, sizeof buf - 1) != 0)
		snprintf(buf, sizeof buf, "unknown");
	return xstrdup(buf);
}

/* This device's name: [sync] device, or the host name. */
static char *
sync_device_name(const struct config *config)
{
	char	buf[65] = "";

	if (config->sync_device != NULL)
		return xstrdup(config->sync_device);
	if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0')
		return xstrdup("kindlog");
	return xstrdup(buf);
}

/* Write out what is pending; the folder may be missing. */
static void
sync_flush_now(struct sync *sync)
{
	struct kl_error	err;
	int64_t		written;

	if (sync_out_flush(sync, &written, &err) != 0)
		sync_set_error(sync, err.message);
	else if (written > 0 && sync_out_compact(sync, &err) != 0)
		sync_set_error(sync, err.message);
}

static void
sync_flush_cb(evutil_socket_t fd, short events, void *arg)
{
	struct sync	*sync = arg;

	if (sync_busy(sync)) {
		sync_arm(sync->flush_ev, SYNC_RETRY_MS);
		return;
	}
	sync_flush_now(sync);
}

/* Scan the peers, write out what waits, and come back in a minute. */
static void
sync_scan_cb(evutil_socket_t fd, short events, void *arg)
{
	struct sync	*sync = arg;
	struct kl_error	 err;
	int64_t		 applied;

	if (sync_busy(sync)) {
		sync_arm(sync->scan_ev, SYNC_RETRY_MS);
		return;
	}
	if (sync->on) {
		if (sync_in_scan(sync, &applied, &err) != 0)
			sync_set_error(sync, err.message);
		sync_flush_now(sync);
	}
	sync_arm(sync->scan_ev, SYNC_SCAN_SECONDS * 1000);
}

/* Something changed in a watched folder: scan soon. */
static void
sync_inotify_cb(evutil_socket_t fd, short events, void *arg)
{
	struct sync	*sync = arg;
	char		 buf[4096];

	while (read(fd, buf, sizeof buf) > 0)
		;
	if (sync->on)
		sync_arm(sync->scan_ev, SYNC_EVENT_MS);
}

/* Stop syncing (the config has no dir); the operations keep waiting. */
static void
sync_stop(struct sync *sync)
{
	sync->on = false;
	free(sync->dir);
	free(sync->own);
	sync->dir = sync->own = NULL;
	sync_set_error(sync, NULL);
}

/* Start syncing into dir: the device id (and a publish) first. */
static void
sync_start(struct sync *sync, const char *dir)
{
	struct kl_error	 err;
	int64_t		 published;
	char		*machine = sync_machine();

	if (store_sync_enable(sync->d->store, machine, sync->device,
	    &published, &err) != 0) {
		free(machine);
		sync_set_error(sync, err.message);
		return;
	}
	free(machine);
	if (published > 0)
		log_info("sync: %lld entries to publish",
		    (long long)published);
	sync->on = true;
	sync->dir = xstrdup(dir);
	sync->own = xasprintf("%s/devices/%s", dir, sync->device);
	log_info("sync: folder %s, device %s", dir, sync->device);
	sync_arm(sync->scan_ev, 0);
}

void
sync_reconfigure(struct sync *sync)
{
	const char	*dir;

	if (sync == NULL)
		return;
	dir = sync->d->config->sync_dir;
	free(sync->name);
	sync->name = sync_device_name(sync->d->config);
	if (sync->on && dir != NULL && strcmp(dir, sync->dir) == 0)
		return;
	if (sync->on)
		sync_stop(sync);
	if (dir != NULL && !store_readonly(sync->d->store))
		sync_start(sync, dir);
}

struct sync *
sync_create(struct kindlogd *d)
{
	struct sync	*sync = xcalloc(1, sizeof *sync);

	sync->d = d;
	sync->flush_ev = evtimer_new(d->base, sync_flush_cb, sync);
	sync->scan_ev = evtimer_new(d->base, sync_scan_cb, sync);
	sync->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (sync->inotify_fd == -1)
		log_warn("sync: inotify (scanning once a minute instead)");
	else {
		sync->inotify_ev = event_new(d->base, sync->inotify_fd,
		    EV_READ | EV_PERSIST, sync_inotify_cb, sync);
		event_add(sync->inotify_ev, NULL);
	}
	sync_reconfigure(sync);
	return sync;
}

void
sync_destroy(struct sync *sync)
{
	if (sync == NULL)
		return;
	if (sync->on && !sync_busy(sync))
		sync_flush_now(sync);
	sync_stop(sync);
	event_free(sync->flush_ev);
	event_free(sync->scan_ev);
	if (sync->inotify_ev != NULL)
		event_free(sync->inotify_ev);
	if (sync->inotify_fd != -1)
		close(sync->inotify_fd);
	free(sync->name);
	free(sync->error);
	free(sync);
}

void
sync_changed(struct sync *sync)
{
	if (sync == NULL || !sync->on ||
	    event_pending(sync->flush_ev, EV_TIMEOUT, NULL))
		return;
	sync_arm(sync->flush_ev, SYNC_DEBOUNCE_MS);
}

int
sync_now(struct sync *sync, json_t **result, struct kl_error *err)
{
	int64_t	written = 0, applied = 0, pending = 0;

	*result = NULL;
	if (sync == NULL || !sync->on)
		return kl_error_set(err, KL_ERR_PARAMS, "sync is off: set "
		    "[sync] dir in kindlog.conf (kindlog.conf(5))");
	if (sync_out_flush(sync, &written, err) != 0 ||
	    sync_in_scan(sync, &applied, err) != 0 ||
	    store_sync_pending(sync->d->store, &pending, err) != 0) {
		sync_set_error(sync, err->message);
		return -1;
	}
	sync_set_error(sync, NULL);
	*result = json_pack("{s:I, s:I, s:I}", "written", (json_int_t)written,
	    "applied", (json_int_t)applied, "pending", (json_int_t)pending);
	return 0;
}

/* A time for status: RFC 3339, or null when it never happened. */
static json_t *
sync_time_json(time_t t)
{
	char	buf[RFC3339_LEN];

	return t == 0 ? json_null() : json_string(time_format_utc(t, buf));
}

int
sync_status(struct sync *sync, json_t **result, struct kl_error *err)
{
	json_t	*peers = json_array(), *skipped = json_array();
	int64_t	 pending = 0;

	*result = NULL;
	if (sync->device[0] != '\0') {
		json_decref(peers);
		json_decref(skipped);
		if (store_sync_pending(sync->d->store, &pending, err) != 0 ||
		    store_sync_peers(sync->d->store, &peers, &skipped,
		    err) != 0)
			return -1;
	}
	*result = json_pack("{s:b, s:s?, s:s?, s:{s:s?, s:s?}, s:I, s:o, "
	    "s:o, s:I, s:o, s:o, s:s?}",
	    "enabled", sync->on,
	    "dir", sync->dir,
	    "folder", !sync->on ? NULL : sync->folder_ok ? "ok" : "missing",
	    "device", "id", sync->device[0] != '\0' ? sync->device : NULL,
	    "name", sync->name,
	    "pending", (json_int_t)pending,
	    "peers", peers,
	    "skipped", skipped,
	    "ignored", (json_int_t)sync->ignored,
	    "last_scan", sync_time_json(sync->last_scan),
	    "last_write", sync_time_json(sync->last_write),
	    "error", sync->error);
	return *result != NULL ? 0 : kl_error_set(err, KL_ERR_INTERNAL,
	    "sync status is not valid UTF-8");
}
