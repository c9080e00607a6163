/* Unit tests for daemon/reminder-text.c: what a reminder says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	const char	*a, *b, *c;

	(void)state;
	a = reminder_text_prompt(config, day, 0);
	b = reminder_text_prompt(config, day + 1, 0);
	c = reminder_text_prompt(config, day, 1);
	assert_non_null(a);
	assert_string_not_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_equal(a, reminder_text_prompt(config, day, 0));
	assert_string_equal(reminder_text_prompt(config, day, -1), a);

	config->prompts = xcalloc(2, sizeof *config->prompts);
	config->prompts[0] = xstrdup("first own prompt");
	config->prompts[1] = xstrdup("second own prompt");
	config->nprompts = 2;
	a = reminder_text_prompt(config, day, 0);
	b = reminder_text_prompt(config, day + 1, 0);
	assert_true(strcmp(a, "first own prompt") == 0 ||
	    strcmp(a, "second own prompt") == 0);
	assert_string_not_equal(a, b);
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
	assert_string_equal(body, "This week you noticed 1 gesture on 1 day; "
	    "0 are not thanked yet.\n\nA quiet moment? Look back on the week "
	    "with three questions: kindlog reflect");
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
	config_destroy(config);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_names_partner),
		cmocka_unit_test(test_prompt_rotates),
		cmocka_unit_test(test_anniversary),
		cmocka_unit_test(test_unthanked_note),
		cmocka_unit_test(test_recap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
