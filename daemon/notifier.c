/*
 * The notifier thread. Everything GLib and libnotify happens on it; the
 * loop thread only queues requests (g_main_context_invoke is thread-safe)
 * and reads results from a mutex-protected queue after event_active().
 */
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <glib.h>
#include <libnotify/notify.h>

#include "log.h"
#include "notifier.h"
#include "xmalloc.h"

#define NOTIFIER_JOIN_WAIT 2	/* seconds to wait for the thread at exit */

struct notifier_item {
	struct notifier_event		event;
	char				*action;
	char				*error;
	TAILQ_ENTRY(notifier_item)	entry;
};

struct notifier_request {
	struct notifier		*notifier;
	uint64_t		 id;
	char			*summary;
	char			*body;
	bool			 actions;
};

struct notifier {
	notifier_cb			 cb;
	void				*arg;
	struct event			*wake;
	pthread_mutex_t			 lock;
	TAILQ_HEAD(, notifier_item)	 queue;
	uint64_t			 next_id;

	/* Owned by the notifier thread once started. */
	bool				 started;
	pthread_t			 thread;
	GMainContext			*context;
	GMainLoop			*loop;
	NotifyNotification		*current;
	pthread_mutex_t			 ready_lock;
	pthread_cond_t			 ready_cond;
	bool				 ready;
	bool				 done;
};

bool
notifier_available(const char **reason)
{
	const char	*address = getenv("DBUS_SESSION_BUS_ADDRESS");
	const char	*runtime = getenv("XDG_RUNTIME_DIR");
	struct stat	 sb;
	char		*bus;
	bool		 found;

	if (address != NULL && address[0] != '\0')
		return true;
	if (runtime != NULL && runtime[0] == '/') {
		bus = xasprintf("%s/bus", runtime);
		found = stat(bus, &sb) == 0 && S_ISSOCK(sb.st_mode);
		free(bus);
		if (found)
			return true;
	}
	*reason = "no session bus (DBUS_SESSION_BUS_ADDRESS is unset and "
	    "$XDG_RUNTIME_DIR/bus does not exist)";
	return false;
}

/* Queue an event for the loop thread and wake it (any thread). */
static void
notifier_post(struct notifier *n, enum notifier_result result, uint64_t id,
    const char *action, const char *error, bool has_actions)
{
	struct notifier_item	*item = xcalloc(1, sizeof *item);

	item->event.result = result;
	item->event.request = id;
	item->event.has_actions = has_actions;
	if (action != NULL)
		item->event.action = item->action = xstrdup(action);
	if (error != NULL)
		item->event.error = item->error = xstrdup(error);
	pthread_mutex_lock(&n->lock);
	TAILQ_INSERT_TAIL(&n->queue, item, entry);
	pthread_mutex_unlock(&n->lock);
	event_active(n->wake, EV_READ, 0);
}

/* On the loop thread: hand every queued event to the callback. */
static void
notifier_wake(evutil_socket_t fd, short events, void *arg)
{
	struct notifier		*n = arg;
	struct notifier_item	*item;

	for (;;) {
		pthread_mutex_lock(&n->lock);
		item = TAILQ_FIRST(&n->queue);
		if (item != NULL)
			TAILQ_REMOVE(&n->queue, item, entry);
		pthread_mutex_unlock(&n->lock);
		if (item == NULL)
			break;
		n->cb(&item->event, n->arg);
		free(item->action);
		free(item->error);
		free(item);
	}
}

/* Notifier thread: an action was clicked. */
static void
notifier_on_action(NotifyNotification *notification, char *action,
    gpointer data)
{
	struct notifier	*n = data;

	notifier_post(n, NOTIFIER_ACTION, 0, action, NULL, true);
}

/* Notifier thread: whether the server advertises actions. */
static bool
notifier_server_has_actions(void)
{
	GList	*caps = notify_get_server_caps(), *l;
	bool	 found = false;

	for (l = caps; l != NULL; l = l->next)
		found |= strcmp(l->data, "actions") == 0;
	g_list_free_full(caps, g_free);
	return found;
}

/* Notifier thread: show one notification. */
static gboolean
notifier_do_show(gpointer data)
{
	struct notifier_request	*req = data;
	struct notifier		*n = req->notifier;
	NotifyNotification	*notification;
	GError			*error = NULL;
	bool			 has_actions = false;

	if (!notify_is_initted() && !notify_init("kindlog")) {
		notifier_post(n, NOTIFIER_FAILED, req->id, NULL,
		    "cannot initialise libnotify", false);
		return G_SOURCE_REMOVE;
	}
	if (req->actions)
		has_actions = notifier_server_has_actions();
	notification = notify_notification_new(req->summary, req->body,
	    "emblem-favorite");
	notify_notification_set_category(notification, "reminder");
	if (has_actions) {
		notify_notification_add_action(notification, "snooze",
		    "Snooze", notifier_on_action, n, NULL);
		notify_notification_add_action(notification, "not-today",
		    "Not today", notifier_on_action, n, NULL);
	}
	if (!notify_notification_show(notification, &error)) {
		notifier_post(n, NOTIFIER_FAILED, req->id, NULL,
		    error->message, has_actions);
		g_error_free(error);
		g_object_unref(notification);
		return G_SOURCE_REMOVE;
	}
	/* Keep the latest one alive so its action clicks reach us. */
	if (n->current != NULL)
		g_object_unref(n->current);
	n->current = notification;
	notifier_post(n, NOTIFIER_SHOWN, req->id, NULL, NULL, has_actions);
	return G_SOURCE_REMOVE;
}

/* Free a request after it ran (notifier thread). */
static void
notifier_request_free(gpointer data)
{
	struct notifier_request	*req = data;

	free(req->summary);
	free(req->body);
	free(req);
}

/* Notifier thread: leave the main loop. */
static gboolean
notifier_do_quit(gpointer data)
{
	struct notifier	*n = data;

	g_main_loop_quit(n->loop);
	return G_SOURCE_REMOVE;
}

/* The notifier thread's body. */
static void *
notifier_main(void *arg)
{
	struct notifier	*n = arg;

	g_main_context_push_thread_default(n->context);
	pthread_mutex_lock(&n->ready_lock);
	n->ready = true;
	pthread_cond_signal(&n->ready_cond);
	pthread_mutex_unlock(&n->ready_lock);

	g_main_loop_run(n->loop);

	if (n->current != NULL)
		g_object_unref(n->current);
	n->current = NULL;
	if (notify_is_initted())
		notify_uninit();
	/*
	 * GDBus frees a proxy's signal subscriptions from idle callbacks on
	 * the context they were made on, ours: run them before leaving, or
	 * they leak.
	 */
	while (g_main_context_iteration(n->context, FALSE))
		;
	g_main_context_pop_thread_default(n->context);
	pthread_mutex_lock(&n->ready_lock);
	n->done = true;
	pthread_cond_signal(&n->ready_cond);
	pthread_mutex_unlock(&n->ready_lock);
	return NULL;
}

/* Start the thread on first use. */
static int
notifier_start(struct notifier *n, struct kl_error *err)
{
	if (n->started)
		return 0;
	n->context = g_main_context_new();
	n->loop = g_main_loop_new(n->context, FALSE);
	if (pthread_create(&n->thread, NULL, notifier_main, n) != 0) {
		g_main_loop_unref(n->loop);
		g_main_context_unref(n->context);
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "cannot start the notifier thread");
	}
	pthread_mutex_lock(&n->ready_lock);
	while (!n->ready)
		pthread_cond_wait(&n->ready_cond, &n->ready_lock);
	pthread_mutex_unlock(&n->ready_lock);
	n->started = true;
	return 0;
}

struct notifier *
notifier_create(struct event_base *base, notifier_cb cb, void *arg)
{
	struct notifier		*n = xcalloc(1, sizeof *n);
	pthread_condattr_t	 attr;

	n->cb = cb;
	n->arg = arg;
	n->wake = event_new(base, -1, 0, notifier_wake, n);
	pthread_mutex_init(&n->lock, NULL);
	pthread_mutex_init(&n->ready_lock, NULL);
	/* The shutdown wait must not stretch or shrink with clock steps. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&n->ready_cond, &attr);
	pthread_condattr_destroy(&attr);
	TAILQ_INIT(&n->queue);
	return n;
}

uint64_t
notifier_show(struct notifier *n, const char *summary, const char *body,
    bool actions, struct kl_error *err)
{
	struct notifier_request	*req;
	const char		*reason;
	uint64_t		 id;

	if (!notifier_available(&reason)) {
		kl_error_set(err, KL_ERR_INTERNAL, "%s", reason);
		return 0;
	}
	if (notifier_start(n, err) != 0)
		return 0;
	req = xcalloc(1, sizeof *req);
	req->notifier = n;
	req->id = id = ++n->next_id;
	req->summary = xstrdup(summary);
	req->body = xstrdup(body);
	req->actions = actions;
	/* From here req belongs to the notifier thread, which frees it. */
	g_main_context_invoke_full(n->context, G_PRIORITY_DEFAULT,
	    notifier_do_show, req, notifier_request_free);
	return id;
}

/* Wait until the thread is done or the deadline passes. */
static bool
notifier_wait_done(struct notifier *n)
{
	struct timespec	deadline;
	bool		done;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += NOTIFIER_JOIN_WAIT;
	pthread_mutex_lock(&n->ready_lock);
	while (!n->done) {
		if (pthread_cond_timedwait(&n->ready_cond, &n->ready_lock,
		    &deadline) == ETIMEDOUT)
			break;
	}
	done = n->done;
	pthread_mutex_unlock(&n->ready_lock);
	return done;
}

bool
notifier_destroy(struct notifier *n)
{
	struct notifier_item	*item;

	if (n == NULL)
		return true;
	if (n->started) {
		g_main_context_invoke(n->context, notifier_do_quit, n);
		if (!notifier_wait_done(n)) {
			log_warnx("the notification server is not answering; "
			    "leaving without waiting for it");
			return false;
		}
		pthread_join(n->thread, NULL);
		g_main_loop_unref(n->loop);
		g_main_context_unref(n->context);
	}
	while ((item = TAILQ_FIRST(&n->queue)) != NULL) {
		TAILQ_REMOVE(&n->queue, item, entry);
		free(item->action);
		free(item->error);
		free(item);
	}
	event_free(n->wake);
	pthread_mutex_destroy(&n->lock);
	pthread_mutex_destroy(&n->ready_lock);
	pthread_cond_destroy(&n->ready_cond);
	free(n);
	return true;
}
