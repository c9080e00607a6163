/*
 * Reminders: keeps the next due time armed as an absolute CLOCK_REALTIME
 * timerfd (TFD_TIMER_CANCEL_ON_SET) in the event loop, and turns a due
 * time into a notification. Between reminders it costs no wakeups.
 * Snooze, pause and "not today" live in the database's settings table, so
 * they survive restarts.
 */
#ifndef KINDLOG_REMINDER_H
#define KINDLOG_REMINDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "error.h"
#include "kindlogd.h"
#include "notifier.h"
#include "schedule.h"

struct reminder;

/*
 * Load state, fire a missed reminder (catch-up) and arm the timer. It
 * shows notifications through d->notifier.
 */
struct reminder *reminder_create(struct kindlogd *d);
void reminder_destroy(struct reminder *r);

/* Recompute the next due time from scratch and re-arm the timer. */
void reminder_rearm(struct reminder *r);
/* Re-arm after a batch of writes, if they changed what the timer waits for. */
void reminder_writes_done(struct reminder *r);
/* An entry was logged for day: clears a snooze if that is today (re-arm after). */
void reminder_entry_added(struct reminder *r, kl_day day);

/* What the reminder knows, for its status (method-remind.c). */
struct reminder_view {
	time_t			 next;		/* next reminder, 0: none */
	time_t			 next_recap;	/* next weekly recap, 0: none */
	struct schedule_state	 state;		/* snooze, pause, not today */
	bool			 has_last;	/* a delivery was tried */
	time_t			 last_at;
	bool			 last_ok;
	const char		*last_error;	/* borrowed; "" when ok */
	int			 has_actions;	/* -1: not known yet */
	int			 has_reply;	/* inline replies; -1: not
						   known yet */
};

/* Fill view with the reminder's state now. */
void reminder_view(const struct reminder *r, struct reminder_view *view);
/* Send a reminder now; -1 with err when notifications are unavailable. */
int reminder_now(struct reminder *r, struct kl_error *err);
/* A notification was shown or failed (NOTIFIER_SHOWN or _FAILED). */
void reminder_delivered(struct reminder *r,
    const struct notifier_event *event);
/* Snooze for seconds from now. */
int reminder_snooze(struct reminder *r, int64_t seconds,
    struct kl_error *err);
/*
 * Why the pending snooze brings no reminder (it ends in quiet hours, a
 * pause, a "Not today"), or NULL when it does or none is pending. Caller
 * frees.
 */
char *reminder_snooze_note(const struct reminder *r);
/* "Not today": no more reminders this kindlog day. */
int reminder_not_today(struct reminder *r, struct kl_error *err);
/* Pause for seconds from now, or until resume when seconds is 0. */
int reminder_pause(struct reminder *r, int64_t seconds,
    struct kl_error *err);
/* Clear pause, snooze and "not today". */
int reminder_resume(struct reminder *r, struct kl_error *err);

#endif
