/*
 * When is the next reminder due? Pure wall-clock arithmetic over the
 * [reminders] rules and the stored snooze/pause state, in the process's
 * local zone (TZ). No timers here: the caller arms a timerfd at the answer.
 */
#ifndef KINDLOG_SCHEDULE_H
#define KINDLOG_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "day.h"

/* paused_until value meaning "until resume". */
#define SCHEDULE_FOREVER ((time_t)INT64_MAX)
/* A reminder or recap at most this late is on time, whatever catch_up. */
#define SCHEDULE_GRACE 60

struct schedule_state {
	time_t	snoozed_until;	/* 0: not snoozed */
	time_t	paused_until;	/* 0: not paused; SCHEDULE_FOREVER */
	kl_day	silenced_day;	/* "Not today": this kindlog day is quiet */
	bool	has_silenced_day;
	time_t	last_fired;	/* scheduled instant of the last reminder */
};

/*
 * The instant of wall-clock time minutes on local calendar day. A time
 * that does not exist that day (DST gap) gives the first valid instant
 * after it; a time that occurs twice gives its first occurrence.
 */
time_t schedule_local_instant(kl_day day, int minutes);

/*
 * The next instant strictly after now (and after state->last_fired) at
 * which a reminder is due, or 0 when none will be (disabled, paused until
 * resume). today_logged says whether the kindlog day of now has an entry.
 */
time_t schedule_next_due(const struct config *config,
    const struct schedule_state *state, time_t now, bool today_logged);

/* What becomes of the snooze in state at now. */
enum schedule_snooze {
	SCHEDULE_SNOOZE_NONE,	/* none pending */
	SCHEDULE_SNOOZE_FIRES,	/* one reminder comes when it ends */
	SCHEDULE_SNOOZE_QUIET,	/* it ends in quiet hours: none comes */
	SCHEDULE_SNOOZE_HELD,	/* it ends in a pause, on a "Not today" day,
				   or reminders are off: none comes */
};

/*
 * A pending snooze holds back every reminder due before it ends and
 * brings one when it ends, unless that falls in quiet hours or is held.
 */
enum schedule_snooze schedule_snooze_fate(const struct config *config,
    const struct schedule_state *state, time_t now);

/*
 * Catch-up after suspend or at start: the latest reminder that was due in
 * [now - catch_up, now] and has not fired (after state->last_fired), or 0.
 */
time_t schedule_missed(const struct config *config,
    const struct schedule_state *state, time_t now, bool today_logged);

/*
 * The timer armed for due went off at now: the reminder to fire, or 0 to
 * drop it. Woken late (after a suspend), the most recent reminder missed
 * within catch_up stands for every missed one, due included; due itself
 * fires if it is within the grace or catch_up and nothing later was missed.
 */
time_t schedule_on_wake(const struct config *config,
    const struct schedule_state *state, time_t due, time_t now,
    bool today_logged);

#endif
