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
#include <gio/gio.h>
#include <glib.h>
#include <libnotify/notify.h>

#include "log.h"
#include "notifier.h"
#include "xmalloc.h"

#define NOTIFIER_JOIN_WAIT 2	/* seconds to wait for the thread at exit */

#define NOTIFIER_BUS_NAME "org.freedesktop.Notifications"
#define NOTIFIER_BUS_PATH "/org/freedesktop/Notifications"
/* How long to wait for the bus when checking who sent a reply. */
#define NOTIFIER_OWNER_TIMEOUT_MS 2000

struct notifier_item {
	struct notifier_event		event;
	char				*action;
	char				*token;
	char				*text;
	char				*error;
	TAILQ_ENTRY(notifier_item)	entry;
};

struct notifier_request {
	struct notifier		*notifier;
	uint64_t		 id;
	char			*summary;
	char			*body;
	char			*placeholder;
	enum notifier_actions	 actions;
	bool			 replace;
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
	NotifyNotification		*current;	/* the last one shown */
	uint64_t			 current_request;
	GDBusConnection			*bus;		/* libnotify's, shared */
	guint				 reply_watch;	/* NotificationReplied */
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

/* Free a queued event and its strings. */
static void
notifier_item_free(struct notifier_item *item)
{
	free(item->action);
	free(item->token);
	free(item->text);
	free(item->error);
	free(item);
}

/*
 * Queue an event for the loop thread and wake it (any thread). The
 * event's strings are copied.
 */
static void
notifier_post(struct notifier *n, const struct notifier_event *event)
{
	struct notifier_item	*item = xcalloc(1, sizeof *item);

	item->event = *event;
	if (event->action != NULL)
		item->event.action = item->action = xstrdup(event->action);
	if (event->token != NULL)
		item->event.token = item->token = xstrdup(event->token);
	if (event->text != NULL)
		item->event.text = item->text = xstrdup(event->text);
	if (event->error != NULL)
		item->event.error = item->error = xstrdup(event->error);
	pthread_mutex_lock(&n->lock);
	TAILQ_INSERT_TAIL(&n->queue, item, entry);
	pthread_mutex_unlock(&n->lock);
	event_active(n->wake, EV_READ, 0);
}

/* Queue the outcome of showing request id (notifier thread). */
static void
notifier_post_result(struct notifier *n, uint64_t id, const char *error,
    bool has_actions, bool has_reply)
{
	struct notifier_event	event = { 0 };

	event.result = error != NULL ? NOTIFIER_FAILED : NOTIFIER_SHOWN;
	event.request = id;
	event.error = error;
	event.has_actions = has_actions;
	event.has_reply = has_reply;
	notifier_post(n, &event);
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
		notifier_item_free(item);
	}
}

/* Notifier thread: an action was clicked. */
static void
notifier_on_action(NotifyNotification *notification, char *action,
    gpointer data)
{
	struct notifier		*n = data;
	struct notifier_event	 event = { 0 };

	event.result = NOTIFIER_ACTION;
	event.request = n->current_request;
	event.action = action;
	/* Valid during the callback only; the prompt needs it for focus. */
	event.token = notify_notification_get_activation_token(notification);
	event.has_actions = true;
	notifier_post(n, &event);
}

/*
 * Notifier thread: whether sender is the current owner of the
 * notifications name. A signal is a message anyone on the bus can send
 * to us; only the server's own count.
 */
static bool
notifier_from_server(struct notifier *n, const char *sender)
{
	GVariant	*reply;
	const char	*owner;
	bool		 same;

	reply = g_dbus_connection_call_sync(n->bus, "org.freedesktop.DBus",
	    "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetNameOwner",
	    g_variant_new("(s)", NOTIFIER_BUS_NAME), G_VARIANT_TYPE("(s)"),
	    G_DBUS_CALL_FLAGS_NONE, NOTIFIER_OWNER_TIMEOUT_MS, NULL, NULL);
	if (reply == NULL)
		return false;
	g_variant_get(reply, "(&s)", &owner);
	same = sender != NULL && strcmp(owner, sender) == 0;
	g_variant_unref(reply);
	return same;
}

/* Notifier thread: NotificationReplied(id, text) arrived. */
static void
notifier_on_reply(GDBusConnection *bus, const char *sender,
    const char *path, const char *interface, const char *signal,
    GVariant *params, gpointer data)
{
	struct notifier		*n = data;
	struct notifier_event	 event = { 0 };
	const char		*text;
	guint32			 id, ours = 0;

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(us)")))
		return;
	g_variant_get(params, "(u&s)", &id, &text);
	if (n->current != NULL)
		g_object_get(n->current, "id", &ours, NULL);
	if (ours == 0 || id != ours) {
		log_debug("ignoring a reply to notification %u", id);
		return;
	}
	if (!notifier_from_server(n, sender)) {
		log_warnx("ignoring a reply from %s: not the notification "
		    "server", sender != NULL ? sender : "?");
		return;
	}
	event.result = NOTIFIER_REPLY;
	event.request = n->current_request;
	event.text = text;
	event.has_actions = event.has_reply = true;
	notifier_post(n, &event);
}

/* Notifier thread: listen for inline replies on libnotify's connection. */
static void
notifier_watch_replies(struct notifier *n)
{
	GError	*error = NULL;

	if (n->bus != NULL)
		return;
	n->bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, &error);
	if (n->bus == NULL) {
		log_warnx("cannot listen for inline replies: %s",
		    error->message);
		g_error_free(error);
		return;
	}
	n->reply_watch = g_dbus_connection_signal_subscribe(n->bus,
	    NOTIFIER_BUS_NAME, NOTIFIER_BUS_NAME, "NotificationReplied",
	    NOTIFIER_BUS_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
	    notifier_on_reply, n, NULL);
}

/* Notifier thread: what the server offers (GetCapabilities). */
static void
notifier_server_caps(bool *has_actions, bool *has_reply)
{
	GList	*caps = notify_get_server_caps(), *l;

	*has_actions = *has_reply = false;
	for (l = caps; l != NULL; l = l->next) {
		*has_actions |= strcmp(l->data, "actions") == 0;
		*has_reply |= strcmp(l->data, "inline-reply") == 0;
	}
	g_list_free_full(caps, g_free);
	*has_reply &= *has_actions;
}

/* Notifier thread: the notification to show, new or the last one reused. */
static NotifyNotification *
notifier_prepare(struct notifier *n, const struct notifier_request *req)
{
	NotifyNotification	*notification;

	if (req->replace && n->current != NULL) {
		notification = g_object_ref(n->current);
		/* Hints first: update sets the icon's hint again. */
		notify_notification_clear_hints(notification);
		notify_notification_clear_actions(notification);
		notify_notification_update(notification, req->summary,
		    req->body, "emblem-favorite");
	} else
		notification = notify_notification_new(req->summary,
		    req->body, "emblem-favorite");
	notify_notification_set_category(notification, "reminder");
	return notification;
}

/* Notifier thread: add what req asks for and the server offers. */
static void
notifier_add_actions(struct notifier *n, NotifyNotification *notification,
    const struct notifier_request *req, bool has_reply)
{
	if (req->actions == NOTIFIER_NO_ACTIONS)
		return;
	notify_notification_add_action(notification, "default",
	    "Write it down…", notifier_on_action, n, NULL);
	if (req->actions != NOTIFIER_REMINDER)
		return;
	notify_notification_add_action(notification, "snooze", "Snooze",
	    notifier_on_action, n, NULL);
	notify_notification_add_action(notification, "not-today",
	    "Not today", notifier_on_action, n, NULL);
	if (!has_reply)
		return;
	notify_notification_add_action(notification, "inline-reply",
	    "Reply", notifier_on_action, n, NULL);
	if (req->placeholder != NULL)
		notify_notification_set_hint_string(notification,
		    "x-kde-reply-placeholder-text", req->placeholder);
}

/* Notifier thread: show one notification. */
static gboolean
notifier_do_show(gpointer data)
{
	struct notifier_request	*req = data;
	struct notifier		*n = req->notifier;
	NotifyNotification	*notification;
	GError			*error = NULL;
	bool			 has_actions = false, has_reply = false;

	if (!notify_is_initted() && !notify_init("kindlog")) {
		notifier_post_result(n, req->id, "cannot initialise libnotify",
		    false, false);
		return G_SOURCE_REMOVE;
	}
	if (req->actions != NOTIFIER_NO_ACTIONS)
		notifier_server_caps(&has_actions, &has_reply);
	if (has_reply)
		notifier_watch_replies(n);
	notification = notifier_prepare(n, req);
	if (has_actions)
		notifier_add_actions(n, notification, req, has_reply);
	if (!notify_notification_show(notification, &error)) {
		notifier_post_result(n, req->id, error->message, has_actions,
		    has_reply);
		g_error_free(error);
		g_object_unref(notification);
		return G_SOURCE_REMOVE;
	}
	/* Keep the latest one alive so its action clicks reach us. */
	if (n->current != NULL)
		g_object_unref(n->current);
	n->current = notification;
	n->current_request = req->id;
	notifier_post_result(n, req->id, NULL, has_actions, has_reply);
	return G_SOURCE_REMOVE;
}

/* Free a request after it ran (notifier thread). */
static void
notifier_request_free(gpointer data)
{
	struct notifier_request	*req = data;

	free(req->summary);
	free(req->body);
	free(req->placeholder);
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
	if (n->bus != NULL) {
		g_dbus_connection_signal_unsubscribe(n->bus, n->reply_watch);
		g_object_unref(n->bus);
		n->bus = NULL;
	}
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
notifier_show(struct notifier *n, const struct notifier_message *message,
    struct kl_error *err)
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
	req->summary = xstrdup(message->summary);
	req->body = xstrdup(message->body);
	if (message->reply_placeholder != NULL)
		req->placeholder = xstrdup(message->reply_placeholder);
	req->actions = message->actions;
	req->replace = message->replace;
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
		notifier_item_free(item);
	}
	event_free(n->wake);
	pthread_mutex_destroy(&n->lock);
	pthread_mutex_destroy(&n->ready_lock);
	pthread_cond_destroy(&n->ready_cond);
	free(n);
	return true;
}
