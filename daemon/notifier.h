/*
 * Desktop notifications through libnotify, on a thread of their own.
 *
 * libnotify's calls are synchronous D-Bus calls that can block for 25 s
 * when the notification server hangs, so they never run on the event
 * loop: requests are handed to the notifier thread (a private
 * GMainContext pushed as its thread-default), and results and action
 * clicks come back through a queue and event_active(). The thread starts
 * at the first notification, so an idle daemon carries no GLib main loop.
 */
#ifndef KINDLOG_NOTIFIER_H
#define KINDLOG_NOTIFIER_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct event_base;
struct notifier;

enum notifier_result {
	NOTIFIER_SHOWN,		/* the server accepted the notification */
	NOTIFIER_FAILED,	/* no server, or it refused or timed out */
	NOTIFIER_ACTION,	/* the user picked an action */
	NOTIFIER_REPLY,		/* the user typed an inline reply */
};

struct notifier_event {
	enum notifier_result	 result;
	uint64_t		 request;	/* from notifier_show(); for
						   ACTION and REPLY the
						   notification acted on */
	const char		*action;	/* ACTION: its key */
	const char		*token;		/* ACTION: the activation
						   token, or NULL */
	const char		*text;		/* REPLY: what was typed */
	const char		*error;		/* FAILED: why */
	bool			 has_actions;	/* server supports actions */
	bool			 has_reply;	/* ... and inline replies */
};

/*
 * What a notification offers, where the server supports actions at all:
 * "default" is what a click on its body invokes on most servers.
 */
enum notifier_actions {
	NOTIFIER_NO_ACTIONS,	/* a confirmation */
	NOTIFIER_OPEN,		/* "default" ("Write it down…") only */
	NOTIFIER_REMINDER,	/* "default", "snooze", "not-today", and an
				   inline reply where the server offers one */
};

struct notifier_message {
	const char		*summary;
	const char		*body;
	enum notifier_actions	 actions;
	const char		*reply_placeholder;	/* the reply field's
							   hint, or NULL */
	bool			 replace;	/* in place of the last one */
};

typedef void (*notifier_cb)(const struct notifier_event *event, void *arg);

/* A notifier delivering events to cb on base's loop thread. */
struct notifier *notifier_create(struct event_base *base, notifier_cb cb,
    void *arg);
/*
 * Wait a bounded time for the thread to finish. Returns false if it did
 * not (a hung server): the caller should then exit without further
 * cleanup, since the thread may still hold GLib state.
 */
bool notifier_destroy(struct notifier *notifier);

/*
 * Whether notifications can be tried at all: a session bus must be
 * known (DBUS_SESSION_BUS_ADDRESS or $XDG_RUNTIME_DIR/bus); otherwise
 * GLib might autolaunch a private bus through X11. *reason is static.
 */
bool notifier_available(const char **reason);

/*
 * Queue a notification; never blocks. An inline reply is asked for only
 * when the server advertises "inline-reply" (KDE Plasma): elsewhere the
 * action would show as a useless button. A NotificationReplied signal
 * counts only for the last notification shown and only from the current
 * owner of org.freedesktop.Notifications. Returns a request number, or 0
 * with err when notifications are unavailable.
 */
uint64_t notifier_show(struct notifier *notifier,
    const struct notifier_message *message, struct kl_error *err);

#endif
