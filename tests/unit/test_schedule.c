/*
 * Next-due computation, table-driven: each row is a zone, the rules, the
 * stored state and "now" (all instants in UTC), and the expected answer.
 * Expected instants were computed independently with Python's zoneinfo.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "rfc3339.h"
#include "schedule.h"

struct schedule_case {
	const char	*name;
	const char	*tz;
	const char	*times;		/* "HH:MM,HH:MM" */
	unsigned	 days;		/* 0: every day */
	const char	*quiet;		/* "HH:MM-HH:MM" or NULL */
	bool		 no_skip;	/* skip_if_logged = false */
	int		 day_starts_at;
	int64_t		 catch_up;	/* 0: the default 2h */
	bool		 disabled;
	const char	*snoozed_until;
	const char	*paused_until;	/* "forever" for until resume */
	const char	*silenced_day;
	const char	*last_fired;
	const char	*now;
	bool		 today_logged;
	const char	*next;		/* NULL: none */
	const char	*missed;	/* NULL: none */
};

static const struct schedule_case cases[] = {
	{ .name = "later today", .tz = "America/New_York",
	  .times = "12:30,20:30", .now = "2026-11-27T15:00:00Z",
	  .next = "2026-11-27T17:30:00Z" },
	{ .name = "after the last time: tomorrow", .tz = "America/New_York",
	  .times = "12:30,20:30", .now = "2026-11-28T02:00:00Z",
	  .next = "2026-11-28T17:30:00Z", .missed = "2026-11-28T01:30:00Z" },
	{ .name = "mondays only", .tz = "America/New_York",
	  .times = "12:30,20:30", .days = 1, .now = "2026-11-27T15:00:00Z",
	  .next = "2026-11-30T17:30:00Z" },
	{ .name = "quiet hours across midnight", .tz = "America/New_York",
	  .times = "07:30,12:30,20:30", .quiet = "20:00-08:00",
	  .now = "2026-11-27T18:00:00Z", .next = "2026-11-28T17:30:00Z",
	  .missed = "2026-11-27T17:30:00Z" },
	{ .name = "skip once today is logged", .tz = "America/New_York",
	  .times = "12:30,20:30", .now = "2026-11-27T15:00:00Z",
	  .today_logged = true, .next = "2026-11-28T17:30:00Z" },
	{ .name = "skip_if_logged off", .tz = "America/New_York",
	  .times = "12:30,20:30", .no_skip = true,
	  .now = "2026-11-27T15:00:00Z", .today_logged = true,
	  .next = "2026-11-27T17:30:00Z" },
	{ .name = "snooze before the next time", .tz = "America/New_York",
	  .times = "12:30,20:30", .last_fired = "2026-11-27T17:30:00Z",
	  .snoozed_until = "2026-11-27T18:31:00Z",
	  .now = "2026-11-27T17:31:00Z", .next = "2026-11-27T18:31:00Z" },
	{ .name = "a snooze holds back a time before its end",
	  .tz = "America/New_York",
	  .times = "12:30,20:30", .last_fired = "2026-11-27T17:30:00Z",
	  .snoozed_until = "2026-11-28T03:00:00Z",
	  .now = "2026-11-27T17:31:00Z", .next = "2026-11-28T03:00:00Z" },
	/* Snoozed 10 min at 22:02 with times 22:02 and 22:04: only 22:12. */
	{ .name = "snooze 10m at 22:02 holds back 22:04",
	  .tz = "America/New_York", .times = "22:02,22:04",
	  .last_fired = "2026-11-28T03:02:00Z",
	  .snoozed_until = "2026-11-28T03:12:10Z",
	  .now = "2026-11-28T03:02:10Z", .next = "2026-11-28T03:12:10Z" },
	{ .name = "woken during a snooze: the held time is not missed",
	  .tz = "America/New_York", .times = "22:02,22:04",
	  .last_fired = "2026-11-28T03:02:00Z",
	  .snoozed_until = "2026-11-28T03:12:10Z",
	  .now = "2026-11-28T03:05:00Z", .next = "2026-11-28T03:12:10Z" },
	{ .name = "snooze into quiet hours holds back the times before it",
	  .tz = "America/New_York", .times = "12:30,22:00,22:20",
	  .quiet = "22:30-07:30", .last_fired = "2026-11-28T03:00:00Z",
	  .snoozed_until = "2026-11-28T04:00:00Z",
	  .now = "2026-11-28T03:00:05Z", .next = "2026-11-28T17:30:00Z" },
	{ .name = "snooze into quiet hours is dropped",
	  .tz = "America/New_York", .times = "12:30", .quiet = "22:00-07:00",
	  .snoozed_until = "2026-11-28T03:30:00Z",
	  .last_fired = "2026-11-27T17:30:00Z",
	  .now = "2026-11-27T18:00:00Z", .next = "2026-11-28T17:30:00Z" },
	{ .name = "not today silences a pending snooze",
	  .tz = "America/New_York", .times = "12:30,20:30",
	  .last_fired = "2026-11-27T17:30:00Z",
	  .snoozed_until = "2026-11-27T18:31:00Z",
	  .silenced_day = "2026-11-27",
	  .now = "2026-11-27T17:31:00Z", .next = "2026-11-28T17:30:00Z" },
	{ .name = "not today leaves a snooze into tomorrow",
	  .tz = "America/New_York", .times = "12:30",
	  .last_fired = "2026-11-27T17:30:00Z",
	  .snoozed_until = "2026-11-28T14:00:00Z",
	  .silenced_day = "2026-11-27",
	  .now = "2026-11-27T18:00:00Z", .next = "2026-11-28T14:00:00Z" },
	{ .name = "paused for two days", .tz = "America/New_York",
	  .times = "12:30,20:30", .paused_until = "2026-11-29T15:00:00Z",
	  .now = "2026-11-27T15:00:00Z", .next = "2026-11-29T17:30:00Z" },
	{ .name = "paused until resume", .tz = "America/New_York",
	  .times = "12:30,20:30", .paused_until = "forever",
	  .now = "2026-11-27T15:00:00Z", .next = NULL },
	{ .name = "disabled", .tz = "America/New_York", .times = "12:30",
	  .disabled = true, .now = "2026-11-27T15:00:00Z", .next = NULL },
	{ .name = "not today", .tz = "America/New_York",
	  .times = "12:30,20:30", .silenced_day = "2026-11-27",
	  .now = "2026-11-27T15:00:00Z", .next = "2026-11-28T17:30:00Z" },
	{ .name = "New York spring gap: 02:30 fires at 03:00 EDT",
	  .tz = "America/New_York", .times = "02:30",
	  .now = "2026-03-08T05:00:00Z", .next = "2026-03-08T07:00:00Z" },
	{ .name = "New York fall overlap: first 01:30",
	  .tz = "America/New_York", .times = "01:30",
	  .now = "2026-11-01T04:00:00Z", .next = "2026-11-01T05:30:00Z" },
	{ .name = "New York fall overlap: fires once",
	  .tz = "America/New_York", .times = "01:30",
	  .last_fired = "2026-11-01T05:30:00Z",
	  .now = "2026-11-01T05:30:00Z", .next = "2026-11-02T06:30:00Z" },
	{ .name = "Berlin spring gap", .tz = "Europe/Berlin",
	  .times = "02:30", .now = "2026-03-28T23:00:00Z",
	  .next = "2026-03-29T01:00:00Z" },
	{ .name = "Berlin fall overlap: first 02:30", .tz = "Europe/Berlin",
	  .times = "02:30", .now = "2026-10-24T22:00:00Z",
	  .next = "2026-10-25T00:30:00Z" },
	{ .name = "Berlin fall overlap: fires once", .tz = "Europe/Berlin",
	  .times = "02:30", .last_fired = "2026-10-25T00:30:00Z",
	  .now = "2026-10-25T00:30:00Z", .next = "2026-10-26T01:30:00Z" },
	{ .name = "Lord Howe 30-minute gap", .tz = "Australia/Lord_Howe",
	  .times = "02:15", .now = "2026-10-03T13:30:00Z",
	  .next = "2026-10-03T15:30:00Z" },
	{ .name = "Lord Howe 30-minute overlap: first",
	  .tz = "Australia/Lord_Howe", .times = "01:45",
	  .now = "2026-04-04T13:00:00Z", .next = "2026-04-04T14:45:00Z" },
	{ .name = "Lord Howe 30-minute overlap: once",
	  .tz = "Australia/Lord_Howe", .times = "01:45",
	  .last_fired = "2026-04-04T14:45:00Z",
	  .now = "2026-04-04T14:45:00Z", .next = "2026-04-05T15:15:00Z" },
	{ .name = "day_starts_at: 01:00 belongs to the logged day",
	  .tz = "America/New_York", .times = "01:00", .day_starts_at = 180,
	  .now = "2026-11-28T05:30:00Z", .today_logged = true,
	  .next = "2026-11-29T06:00:00Z" },
	{ .name = "day_starts_at: not logged yet",
	  .tz = "America/New_York", .times = "01:00", .day_starts_at = 180,
	  .now = "2026-11-28T05:30:00Z", .next = "2026-11-28T06:00:00Z" },
	{ .name = "catch-up within the window", .tz = "America/New_York",
	  .times = "12:30,20:30", .now = "2026-11-28T02:30:00Z",
	  .next = "2026-11-28T17:30:00Z", .missed = "2026-11-28T01:30:00Z" },
	{ .name = "catch-up window too short", .tz = "America/New_York",
	  .times = "12:30,20:30", .catch_up = 1800,
	  .now = "2026-11-28T02:30:00Z", .next = "2026-11-28T17:30:00Z" },
	{ .name = "catch-up: already fired", .tz = "America/New_York",
	  .times = "12:30,20:30", .last_fired = "2026-11-28T01:30:00Z",
	  .now = "2026-11-28T02:30:00Z", .next = "2026-11-28T17:30:00Z" },
	{ .name = "catch-up: today already logged", .tz = "America/New_York",
	  .times = "12:30,20:30", .today_logged = true,
	  .now = "2026-11-28T02:30:00Z", .next = "2026-11-28T17:30:00Z" },
};

/* Parse an RFC 3339 instant of the table. */
static time_t
instant(const char *s)
{
	time_t	t = 0;

	if (s == NULL)
		return 0;
	if (strcmp(s, "forever") == 0)
		return SCHEDULE_FOREVER;
	assert_true(time_parse_rfc3339(s, &t));
	return t;
}

/* Build the config a row describes. */
static struct config *
case_config(const struct schedule_case *c)
{
	struct config	*config = config_create_default();
	char		 times[64], *item, *save = NULL;

	config->ntimes = 0;
	snprintf(times, sizeof times, "%s", c->times);
	for (item = strtok_r(times, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save))
		assert_true(day_parse_clock(item,
		    &config->times[config->ntimes++]));
	if (c->days != 0)
		config->days = c->days;
	if (c->quiet != NULL) {
		char start[6], end[6];
		memcpy(start, c->quiet, 5);
		start[5] = '\0';
		memcpy(end, c->quiet + 6, 5);
		end[5] = '\0';
		config->has_quiet_hours = true;
		assert_true(day_parse_clock(start, &config->quiet_start));
		assert_true(day_parse_clock(end, &config->quiet_end));
	}
	config->skip_if_logged = !c->no_skip;
	config->day_starts_at = c->day_starts_at;
	if (c->catch_up != 0)
		config->catch_up = c->catch_up;
	config->reminders_enabled = !c->disabled;
	return config;
}

/* Format an answer for comparison ("none" for 0). */
static const char *
show(time_t t, char buf[RFC3339_LEN])
{
	return t == 0 ? "none" : time_format_utc(t, buf);
}

/* Compare one answer, printing both on a mismatch; 1 if they differ. */
static int
check(const char *name, const char *what, time_t got, time_t want)
{
	char	a[RFC3339_LEN], b[RFC3339_LEN];

	if (got == want)
		return 0;
	print_error("%s: %s %s, want %s\n", name, what, show(got, a),
	    show(want, b));
	return 1;
}

static void
test_table(void **state)
{
	size_t	i;
	int	failures = 0;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct schedule_case	*c = &cases[i];
		struct config		*config;
		struct schedule_state	 st = { 0 };
		time_t			 now, next, missed;

		setenv("TZ", c->tz, 1);
		tzset();
		config = case_config(c);
		st.snoozed_until = instant(c->snoozed_until);
		st.paused_until = instant(c->paused_until);
		st.last_fired = instant(c->last_fired);
		if (c->silenced_day != NULL) {
			assert_true(day_parse_iso(c->silenced_day,
			    &st.silenced_day));
			st.has_silenced_day = true;
		}
		now = instant(c->now);
		next = schedule_next_due(config, &st, now, c->today_logged);
		missed = schedule_missed(config, &st, now, c->today_logged);
		failures += check(c->name, "next", next, instant(c->next));
		failures += check(c->name, "missed", missed,
		    instant(c->missed));
		config_destroy(config);
	}
	assert_int_equal(failures, 0);
}

static void
test_local_instant_plain_day(void **state)
{
	char	buf[RFC3339_LEN];
	kl_day	day;

	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	assert_true(day_parse_iso("2026-07-01", &day));
	assert_string_equal(time_format_utc(schedule_local_instant(day, 20 * 60),
	    buf), "2026-07-01T18:00:00Z");
}

/* Woken late after a suspend: the latest missed reminder, if recent. */
static void
test_on_wake(void **state)
{
	static const struct {
		const char	*due, *now, *fire;
	} rows[] = {
		/* On time. */
		{ "2026-11-27T17:30:00Z", "2026-11-27T17:30:30Z",
		  "2026-11-27T17:30:00Z" },
		/* 1.5 h late, within catch_up, nothing later missed. */
		{ "2026-11-27T17:30:00Z", "2026-11-27T19:00:00Z",
		  "2026-11-27T17:30:00Z" },
		/* 12:30 missed by hours, 20:30 by half an hour: 20:30. */
		{ "2026-11-27T17:30:00Z", "2026-11-28T02:00:00Z",
		  "2026-11-28T01:30:00Z" },
		/* Both missed by more than catch_up: nothing. */
		{ "2026-11-27T17:30:00Z", "2026-11-28T05:00:00Z", NULL },
	};
	struct schedule_case	 c = { .name = "wake", .tz = "America/New_York",
	    .times = "12:30,20:30" };
	struct schedule_state	 st = { 0 };
	struct config		*config;
	size_t			 i;
	int			 failures = 0;

	setenv("TZ", c.tz, 1);
	tzset();
	config = case_config(&c);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		failures += check(rows[i].now, "fire", schedule_on_wake(config,
		    &st, instant(rows[i].due), instant(rows[i].now), false),
		    instant(rows[i].fire));
	config_destroy(config);
	assert_int_equal(failures, 0);
}

/* What becomes of a snooze: it fires, ends in quiet hours, or is held. */
static void
test_snooze_fate(void **state)
{
	static const struct {
		const char		*until, *silenced;
		enum schedule_snooze	 fate;
	} rows[] = {
		{ NULL, NULL, SCHEDULE_SNOOZE_NONE },
		{ "2026-11-28T01:00:00Z", NULL, SCHEDULE_SNOOZE_NONE },
		{ "2026-11-28T03:20:00Z", NULL, SCHEDULE_SNOOZE_FIRES },
		/* 22:00 + 1h = 23:00, in quiet hours from 22:30. */
		{ "2026-11-28T04:00:00Z", NULL, SCHEDULE_SNOOZE_QUIET },
		{ "2026-11-28T03:20:00Z", "2026-11-27", SCHEDULE_SNOOZE_HELD },
	};
	struct schedule_case	 c = { .name = "fate", .tz = "America/New_York",
	    .times = "12:30,20:30", .quiet = "22:30-07:30" };
	struct schedule_state	 st = { 0 };
	struct config		*config;
	size_t			 i;

	setenv("TZ", c.tz, 1);
	tzset();
	config = case_config(&c);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&st, 0, sizeof st);
		st.snoozed_until = instant(rows[i].until);
		if (rows[i].silenced != NULL) {
			assert_true(day_parse_iso(rows[i].silenced,
			    &st.silenced_day));
			st.has_silenced_day = true;
		}
		assert_int_equal(schedule_snooze_fate(config, &st,
		    instant("2026-11-28T03:00:00Z")), rows[i].fate);
	}
	config_destroy(config);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_local_instant_plain_day),
		cmocka_unit_test(test_on_wake),
		cmocka_unit_test(test_snooze_fate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
