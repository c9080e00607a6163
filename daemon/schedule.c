/*
 * Reminder schedule arithmetic. Reminder times are local wall-clock times
 * on calendar days; mktime() does the zone work, and the DST edge cases
 * are settled here explicitly because mktime() resolves them arbitrarily.
 */
#include <string.h>

#include "schedule.h"

/* Days scanned ahead for the next reminder: a week and a margin. */
#define SCHEDULE_HORIZON_DAYS 9

/* Local wall time of t as seconds since the epoch of the floating calendar. */
static int64_t
schedule_wall(time_t t)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	return (int64_t)day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday) * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec;
}

/* mktime() of a local date and time with the given isdst hint. */
static time_t
schedule_mktime(kl_day day, int minutes, int isdst)
{
	struct tm	tm;
	int		y, m, d;

	day_to_ymd(day, &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	tm.tm_isdst = isdst;
	return mktime(&tm);
}

time_t
schedule_local_instant(kl_day day, int minutes)
{
	int64_t	target = (int64_t)day * 86400 + minutes * 60;
	time_t	t, best = 0, lo, hi, mid;
	bool	found = false;
	int	isdst;

	for (isdst = 0; isdst <= 1; isdst++) {
		t = schedule_mktime(day, minutes, isdst);
		if (t != (time_t)-1 && schedule_wall(t) == target &&
		    (!found || t < best)) {
			best = t;
			found = true;
		}
	}
	if (found)
		return best;
	/* In a gap: the first instant whose wall time is at or past it. */
	t = schedule_mktime(day, minutes, -1);
	lo = t - 6 * 3600;
	hi = t + 6 * 3600;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (schedule_wall(mid) >= target)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* True if wall-clock minutes fall in the configured quiet hours. */
static bool
schedule_quiet(const struct config *config, int minutes)
{
	if (!config->has_quiet_hours)
		return false;
	if (config->quiet_start < config->quiet_end)
		return minutes >= config->quiet_start &&
		    minutes < config->quiet_end;
	return minutes >= config->quiet_start || minutes < config->quiet_end;
}

/* Whether instant t falls in a pause or on a day silenced with "Not today". */
static bool
schedule_held(const struct config *config, const struct schedule_state *state,
    time_t t)
{
	if (state->paused_until != 0 && t < state->paused_until)
		return true;
	return state->has_silenced_day &&
	    day_today(t, config->day_starts_at) == state->silenced_day;
}

/* Whether a reminder at instant t (wall time minutes on day) may fire. */
static bool
schedule_eligible(const struct config *config, const struct schedule_state *state,
    kl_day day, int minutes, time_t t, time_t now, bool today_logged)
{
	if ((config->days & (1u << day_weekday(day))) == 0)
		return false;
	if (schedule_quiet(config, minutes))
		return false;
	if (t <= state->last_fired || schedule_held(config, state, t))
		return false;
	/* A snooze holds back every reminder due before it ends. */
	if (state->snoozed_until > now && t < state->snoozed_until)
		return false;
	if (config->skip_if_logged && today_logged &&
	    day_today(t, config->day_starts_at) ==
	    day_today(now, config->day_starts_at))
		return false;
	return true;
}

/* Minutes after local midnight of instant t. */
static int
schedule_minutes_of(time_t t)
{
	struct tm	tm;

	localtime_r(&t, &tm);
	return tm.tm_hour * 60 + tm.tm_min;
}

enum schedule_snooze
schedule_snooze_fate(const struct config *config,
    const struct schedule_state *state, time_t now)
{
	time_t	t = state->snoozed_until;

	if (t <= now)
		return SCHEDULE_SNOOZE_NONE;
	if (!config->reminders_enabled || config->ntimes == 0 ||
	    schedule_held(config, state, t))
		return SCHEDULE_SNOOZE_HELD;
	if (schedule_quiet(config, schedule_minutes_of(t)))
		return SCHEDULE_SNOOZE_QUIET;
	return SCHEDULE_SNOOZE_FIRES;
}

time_t
schedule_next_due(const struct config *config, const struct schedule_state *state,
    time_t now, bool today_logged)
{
	kl_day	first, day;
	time_t	t, due = 0;
	size_t	i;

	if (!config->reminders_enabled || config->ntimes == 0 ||
	    state->paused_until == SCHEDULE_FOREVER)
		return 0;
	if (schedule_snooze_fate(config, state, now) == SCHEDULE_SNOOZE_FIRES)
		due = state->snoozed_until;
	first = (kl_day)(schedule_wall(now) / 86400) - 1;
	if (state->paused_until != 0 && state->paused_until > now)
		first = (kl_day)(schedule_wall(state->paused_until) / 86400) - 1;
	for (day = first; day < first + SCHEDULE_HORIZON_DAYS; day++) {
		for (i = 0; i < config->ntimes; i++) {
			t = schedule_local_instant(day, config->times[i]);
			if (t <= now || (due != 0 && t >= due))
				continue;
			if (schedule_eligible(config, state, day,
			    config->times[i], t, now, today_logged))
				return t;
		}
	}
	return due;
}

time_t
schedule_missed(const struct config *config, const struct schedule_state *state,
    time_t now, bool today_logged)
{
	kl_day	day, last;
	time_t	t, missed = 0;
	size_t	i;

	if (!config->reminders_enabled || config->catch_up <= 0 ||
	    state->paused_until == SCHEDULE_FOREVER)
		return 0;
	last = (kl_day)(schedule_wall(now) / 86400);
	for (day = last - 1; day <= last; day++) {
		for (i = 0; i < config->ntimes; i++) {
			t = schedule_local_instant(day, config->times[i]);
			if (t > now || t < now - config->catch_up)
				continue;
			if (schedule_eligible(config, state, day,
			    config->times[i], t, now, today_logged) &&
			    t > missed)
				missed = t;
		}
	}
	return missed;
}

time_t
schedule_on_wake(const struct config *config,
    const struct schedule_state *state, time_t due, time_t now,
    bool today_logged)
{
	time_t	missed = 0;

	if (now - due > SCHEDULE_GRACE)
		missed = schedule_missed(config, state, now, today_logged);
	if (missed > due)
		return missed;
	if (now - due <= SCHEDULE_GRACE || now - due <= config->catch_up)
		return due;
	return 0;
}
