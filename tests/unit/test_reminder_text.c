/* Unit tests for daemon/reminder-text.c: what a reminder says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "reminder-text.h"
#include "xmalloc.h"

/* An entry as the store returns it, with just the fields used here. */
static json_t *
entry_on(const char *day, const char *text)
{
	return json_pack("{s:s, s:s}", "day", day, "text", text);
}

static void
test_summary_names_partner(void **state)
{
	struct config	*config = config_create_default();
	char		*s;

	(void)state;
	s = reminder_text_summary(config);
	assert_string_equal(s, "Did your partner do something kind today?");
	free(s);
	config->partner = xstrdup("Sam");
	s = reminder_text_summary(config);
	assert_string_equal(s, "Did Sam do something kind today?");
	free(s);
	config_destroy(config);
}

/* The built-in prompts rotate by day and slot; configured ones replace them. */
static void
test_prompt_rotates(void **state)
{
	struct config	*config = config_create_default();
	kl_day		 day = day_from_ymd(2026, 11, 27);
	char		*a, *b, *c, *again;

	(void)state;
	a = reminder_text_prompt(config, day, 0);
	b = reminder_text_prompt(config, day + 1, 0);
	c = reminder_text_prompt(config, day, 1);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
	again = reminder_text_prompt(config, day, 0);
	assert_string_equal(a, again);
	free(again);
	again = reminder_text_prompt(config, day, -1);
	assert_string_equal(a, again);
	free(again);
	free(a);
	free(b);
	free(c);

	config->prompts = xcalloc(2, sizeof *config->prompts);
	config->prompts[0] = xstrdup("first own prompt");
	config->prompts[1] = xstrdup("second own prompt");
	config->nprompts = 2;
	a = reminder_text_prompt(config, day, 0);
	b = reminder_text_prompt(config, day + 1, 0);
	assert_true(strcmp(a, "first own prompt") == 0 ||
	    strcmp(a, "second own prompt") == 0);
	assert_string_not_equal(a, b);
	free(a);
	free(b);
	config_destroy(config);
}

/*
 * With a partner's name, the built-in prompts use it ("Did Sam check in
 * on you?", not "Did they" under "Did Sam do something kind today?");
 * without one they say "they". Every prompt, every day of a month.
 */
static void
test_prompt_names_partner(void **state)
{
	struct config	*config = config_create_default();
	kl_day		 day, first = day_from_ymd(2026, 11, 1);
	char		*p;
	bool		 seen_check_in = false;
	int		 named = 0;

	(void)state;
	config->partner = xstrdup("Sam");
	for (day = first; day < first + 30; day++) {
		p = reminder_text_prompt(config, day, 0);
		assert_null(strchr(p, '{'));
		if (strstr(p, "Did they") != NULL ||
		    strstr(p, "did they do") != NULL ||
		    strncmp(p, "They", 4) == 0)
			fail_msg("'%s' does not name Sam", p);
		named += strstr(p, "Sam") != NULL;
		seen_check_in |= strcmp(p, "Did Sam check in on you? How did "
		    "that feel?") == 0;
		free(p);
	}
	assert_true(seen_check_in);
	assert_true(named >= 25);
	p = NULL;
	for (day = first; day < first + 30 && p == NULL; day++) {
		p = reminder_text_prompt(config, day, 0);
		if (strstr(p, "Sam's") == NULL) {
			free(p);
			p = NULL;
		}
	}
	assert_non_null(p);
	assert_non_null(strstr(p, "Which of Sam's everyday habits"));
	free(p);
	free(config->partner);
	config->partner = NULL;
	for (day = first; day < first + 30; day++) {
		p = reminder_text_prompt(config, day, 0);
		assert_null(strchr(p, '{'));
		assert_null(strstr(p, "Sam"));
		free(p);
	}
	config_destroy(config);
}

static void
test_anniversary(void **state)
{
	kl_day	 today = day_from_ymd(2026, 11, 27);
	json_t	*e;
	char	*s;

	(void)state;
	e = entry_on("2025-11-27", "made me coffee");
	s = reminder_text_anniversary(today, e);
	assert_string_equal(s, "A year ago today: made me coffee");
	free(s);
	json_decref(e);
	e = entry_on("2024-11-27", "fixed the bike");
	s = reminder_text_anniversary(today, e);
	assert_string_equal(s, "Two years ago today: fixed the bike");
	free(s);
	json_decref(e);
	e = entry_on("2019-11-27", "wrote me a letter");
	s = reminder_text_anniversary(today, e);
	assert_string_equal(s, "Years ago today: wrote me a letter");
	free(s);
	json_decref(e);
	/* Nothing usable: no day, a malformed one, today or later. */
	e = json_pack("{s:s}", "text", "no day");
	assert_null(reminder_text_anniversary(today, e));
	json_decref(e);
	e = entry_on("2025-13-27", "bad day");
	assert_null(reminder_text_anniversary(today, e));
	json_decref(e);
	e = entry_on("2026-11-27", "today");
	assert_null(reminder_text_anniversary(today, e));
	json_decref(e);
}

static void
test_unthanked_note(void **state)
{
	char	*s;

	(void)state;
	s = reminder_text_unthanked(xstrdup("Prompt."), 0);
	assert_string_equal(s, "Prompt.");
	free(s);
	s = reminder_text_unthanked(xstrdup("Prompt."), 1);
	assert_string_equal(s, "Prompt.\n\n1 of this week's gestures is not "
	    "thanked yet.");
	free(s);
	s = reminder_text_unthanked(xstrdup("Prompt."), 3);
	assert_string_equal(s, "Prompt.\n\n3 of this week's gestures are not "
	    "thanked yet.");
	free(s);
}

static void
test_recap(void **state)
{
	struct config	*config = config_create_default();
	char		*summary, *body;

	(void)state;
	reminder_text_recap(config, 1, 1, 0, &summary, &body);
	assert_string_equal(summary, "Your week of kindness");
	assert_string_equal(body, "This week you noticed 1 gesture on 1 day, "
	    "and thanked your partner for it.\n\nA quiet moment? Look back on "
	    "the week with three questions: kindlog reflect");
	free(summary);
	free(body);
	config->partner = xstrdup("Sam");
	reminder_text_recap(config, 5, 4, 1, &summary, &body);
	assert_string_equal(summary, "Your week with Sam");
	assert_string_equal(body, "This week you noticed 5 gestures on 4 "
	    "days; 1 is not thanked yet.\n\nA quiet moment? Look back on "
	    "the week with three questions: kindlog reflect");
	free(summary);
	free(body);
	/* An empty week is an invitation, not "0 gestures on 0 days". */
	reminder_text_recap(config, 0, 0, 0, &summary, &body);
	assert_string_equal(summary, "Your week with Sam");
	assert_null(strstr(body, "0 gesture"));
	assert_string_equal(body, "Nothing written down these seven days, "
	    "and that happens. What is one small thing Sam did today?");
	free(summary);
	free(body);
	config_destroy(config);
}

/* The confirmation after an entry from a notification. */
static void
test_logged(void **state)
{
	char	*s;

	(void)state;
	s = reminder_text_logged(1);
	assert_string_equal(s, "Logged for today — streak 1 day");
	free(s);
	s = reminder_text_logged(12);
	assert_string_equal(s, "Logged for today — streak 12 days");
	free(s);
}

/* A snooze into quiet hours or a held day says so; one that fires, not. */
static void
test_snooze_note(void **state)
{
	struct config	*config = config_create_default();
	struct tm	 tm = { .tm_year = 126, .tm_mon = 10, .tm_mday = 27,
			    .tm_hour = 23, .tm_isdst = -1 };
	time_t		 until;
	char		*s;

	(void)state;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	until = mktime(&tm);
	config->has_quiet_hours = true;
	config->quiet_start = 22 * 60 + 30;
	config->quiet_end = 7 * 60 + 30;
	assert_null(reminder_text_snooze(config, SCHEDULE_SNOOZE_FIRES, until));
	s = reminder_text_snooze(config, SCHEDULE_SNOOZE_QUIET, until);
	assert_string_equal(s, "Snoozed until 23:00, which is in quiet hours "
	    "(22:30-07:30): no reminder comes then.");
	free(s);
	s = reminder_text_snooze(config, SCHEDULE_SNOOZE_HELD, until);
	assert_non_null(strstr(s, "no reminder comes then"));
	free(s);
	config_destroy(config);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_names_partner),
		cmocka_unit_test(test_prompt_rotates),
		cmocka_unit_test(test_prompt_names_partner),
		cmocka_unit_test(test_anniversary),
		cmocka_unit_test(test_unthanked_note),
		cmocka_unit_test(test_recap),
		cmocka_unit_test(test_logged),
		cmocka_unit_test(test_snooze_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
