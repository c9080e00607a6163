/* Unit tests for the streak arithmetic (daemon/streak.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "streak.h"

#define MAX_DAYS 16

/* One row of the table: counted days relative to today, and the answer. */
struct streak_case {
	const char	*name;
	int		 ndays;
	int		 days[MAX_DAYS];	/* from today, ascending */
	int		 current;
	int		 best;
	int		 best_first;		/* when best > 0 */
	int		 best_last;
	bool		 logged_today;
	bool		 at_risk;
	int64_t		 days_noticed;
};

static const struct streak_case streak_cases[] = {
	{ "empty", 0, { 0 }, 0, 0, 0, 0, false, false, 0 },
	{ "single today", 1, { 0 }, 1, 1, 0, 0, true, false, 1 },
	{ "single yesterday", 1, { -1 }, 1, 1, -1, -1, false, true, 1 },
	{ "two days ago only", 1, { -2 }, 0, 1, -2, -2, false, false, 1 },
	{ "run ending today", 3, { -2, -1, 0 }, 3, 3, -2, 0, true, false, 3 },
	{ "run ending yesterday at risk", 3, { -3, -2, -1 }, 3, 3, -3, -1,
	    false, true, 3 },
	{ "gap resets", 4, { -5, -4, -3, -1 }, 1, 3, -5, -3, false, true, 4 },
	{ "gap then today", 3, { -3, -2, 0 }, 1, 2, -3, -2, true, false, 3 },
	{ "best in the past", 6, { -20, -19, -18, -17, -1, 0 }, 2, 4, -20,
	    -17, true, false, 6 },
	{ "tie picks most recent", 4, { -10, -9, -5, -4 }, 0, 2, -5, -4,
	    false, false, 4 },
	{ "tie with current run", 4, { -10, -9, -1, 0 }, 2, 2, -1, 0, true,
	    false, 4 },
	{ "duplicates", 6, { -2, -2, -1, -1, 0, 0 }, 3, 3, -2, 0, true, false,
	    3 },
	{ "future day not current", 3, { -1, 0, 1 }, 2, 3, -1, 1, true, false,
	    3 },
	{ "only future days", 2, { 2, 3 }, 0, 2, 2, 3, false, false, 2 },
	{ "future after gap", 3, { -1, 2, 3 }, 1, 2, 2, 3, false, true, 3 },
};

/* Every row of the table, with today at an arbitrary day. */
static void
test_streak_table(void **state)
{
	const kl_day	today = day_from_ymd(2026, 11, 27);
	kl_day		days[MAX_DAYS];
	struct streak	s;
	size_t		i;
	int		j;

	(void)state;
	for (i = 0; i < sizeof streak_cases / sizeof streak_cases[0]; i++) {
		const struct streak_case *c = &streak_cases[i];

		print_message("case: %s\n", c->name);
		for (j = 0; j < c->ndays; j++)
			days[j] = today + c->days[j];
		streak_compute(days, (size_t)c->ndays, today, 42, &s);
		assert_int_equal(s.current, c->current);
		assert_int_equal(s.best, c->best);
		if (c->best > 0) {
			assert_int_equal(s.best_first, today + c->best_first);
			assert_int_equal(s.best_last, today + c->best_last);
		}
		assert_int_equal(s.logged_today, c->logged_today);
		assert_int_equal(s.at_risk, c->at_risk);
		assert_int_equal(s.days_noticed, c->days_noticed);
		assert_int_equal(s.today, today);
		assert_int_equal(s.entries, 42);
	}
}

/* The JSON shape of STREAK, with nulls when best is 0. */
static void
test_streak_json(void **state)
{
	const kl_day	 today = day_from_ymd(2026, 11, 27);
	kl_day		 days[] = { today - 2, today - 1 };
	struct streak	 s;
	json_t		*j;

	(void)state;
	streak_compute(days, 2, today, 3, &s);
	j = streak_to_json(&s);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "current")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "best")), 2);
	assert_string_equal(json_string_value(json_object_get(j,
	    "best_first")), "2026-11-25");
	assert_string_equal(json_string_value(json_object_get(j,
	    "best_last")), "2026-11-26");
	assert_string_equal(json_string_value(json_object_get(j, "today")),
	    "2026-11-27");
	assert_true(json_is_false(json_object_get(j, "logged_today")));
	assert_true(json_is_true(json_object_get(j, "at_risk")));
	assert_int_equal(json_integer_value(json_object_get(j,
	    "days_noticed")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "entries")), 3);
	assert_int_equal(json_object_size(j), 9);
	json_decref(j);

	streak_compute(NULL, 0, today, 0, &s);
	j = streak_to_json(&s);
	assert_true(json_is_null(json_object_get(j, "best_first")));
	assert_true(json_is_null(json_object_get(j, "best_last")));
	assert_int_equal(json_integer_value(json_object_get(j, "current")), 0);
	json_decref(j);
}

/* A UTC instant from its civil fields. */
static time_t
utc(int y, int mo, int d, int h, int mi)
{
	return (time_t)day_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* Days logged through a DST change stay one run (America/New_York). */
static void
test_streak_dst(void **state)
{
	struct {
		time_t	now;
		int	y, m, d;
	} spring[] = {
		/* 2026-03-07 23:30 EST */
		{ utc(2026, 3, 8, 4, 30), 2026, 3, 7 },
		/* 2026-03-08 01:59 EST, a minute before the jump */
		{ utc(2026, 3, 8, 6, 59), 2026, 3, 8 },
		/* 2026-03-08 03:00 EDT, right after it */
		{ utc(2026, 3, 8, 7, 0), 2026, 3, 8 },
		/* 2026-03-08 23:59 EDT */
		{ utc(2026, 3, 9, 3, 59), 2026, 3, 8 },
		/* 2026-03-09 00:00 EDT */
		{ utc(2026, 3, 9, 4, 0), 2026, 3, 9 },
	}, autumn[] = {
		/* 2026-11-01 01:30 EDT, first time */
		{ utc(2026, 11, 1, 5, 30), 2026, 11, 1 },
		/* 2026-11-01 01:30 EST, second time */
		{ utc(2026, 11, 1, 6, 30), 2026, 11, 1 },
		/* 2026-11-01 23:59 EST */
		{ utc(2026, 11, 2, 4, 59), 2026, 11, 1 },
		/* 2026-11-02 00:00 EST */
		{ utc(2026, 11, 2, 5, 0), 2026, 11, 2 },
	};
	kl_day		days[8];
	struct streak	s;
	size_t		i, n = 0;
	kl_day		today;

	(void)state;
	setenv("TZ", "America/New_York", 1);
	tzset();

	for (i = 0; i < sizeof spring / sizeof spring[0]; i++) {
		today = day_today(spring[i].now, 0);
		assert_int_equal(today, day_from_ymd(spring[i].y, spring[i].m,
		    spring[i].d));
		if (n == 0 || days[n - 1] != today)
			days[n++] = today;
	}
	/* Mar 7, 8, 9: one run of three across the short day. */
	streak_compute(days, n, today, 5, &s);
	assert_int_equal(n, 3);
	assert_int_equal(s.current, 3);
	assert_true(s.logged_today);

	/* 01:30 on Mar 9 with day_starts_at 03:00 is still Mar 8: at risk. */
	today = day_today(utc(2026, 3, 9, 5, 30), 180);
	assert_int_equal(today, day_from_ymd(2026, 3, 8));
	streak_compute(days, 2, today, 2, &s);
	assert_int_equal(s.current, 2);
	assert_true(s.logged_today);

	n = 0;
	for (i = 0; i < sizeof autumn / sizeof autumn[0]; i++) {
		today = day_today(autumn[i].now, 0);
		assert_int_equal(today, day_from_ymd(autumn[i].y, autumn[i].m,
		    autumn[i].d));
		if (n == 0 || days[n - 1] != today)
			days[n++] = today;
	}
	/* The long day counts once; the next day continues the run. */
	assert_int_equal(n, 2);
	streak_compute(days, n, today, 4, &s);
	assert_int_equal(s.current, 2);
	assert_int_equal(s.days_noticed, 2);

	/* The day after, nothing logged yet: at risk, not zero. */
	today = day_today(utc(2026, 11, 3, 17, 0), 0);
	streak_compute(days, n, today, 4, &s);
	assert_int_equal(s.current, 2);
	assert_true(s.at_risk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_streak_table),
		cmocka_unit_test(test_streak_json),
		cmocka_unit_test(test_streak_dst),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
