/*
 * Unit tests for daemon/reflect-text.c: the question sets are full,
 * distinct and kind; a week asks what the week before did not; the
 * partner's name goes where it belongs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reflect-text.h"

/* Words that would turn a question into a reproach. */
static const char *const reproaches[] = {
	"fail", "fault", "blame", "should have", "didn't", "did not even",
	"never", "always", "lazy", "owe", "deserve", "score", NULL
};

/* Every set holds at least 8 distinct questions, each asking one thing. */
static void
test_sets_full_and_kind(void **state)
{
	enum reflect_set	 set;
	size_t			 i, j, k, n;
	char			*q, *other;

	(void)state;
	for (set = 0; set < REFLECT_SETS; set++) {
		n = reflect_text_count(set);
		assert_true(n >= 8);
		assert_non_null(reflect_text_set_name(set));
		for (i = 0; i < n; i++) {
			q = reflect_text_question(set, i, NULL);
			assert_true(strlen(q) > 10);
			assert_int_equal(q[strlen(q) - 1], '?');
			assert_true(q[0] >= 'A' && q[0] <= 'Z');
			for (k = 0; reproaches[k] != NULL; k++) {
				if (strstr(q, reproaches[k]) != NULL)
					fail_msg("\"%s\" has \"%s\"", q,
					    reproaches[k]);
			}
			for (j = 0; j < i; j++) {
				other = reflect_text_question(set, j, NULL);
				assert_string_not_equal(q, other);
				free(other);
			}
			free(q);
		}
	}
	assert_string_equal(reflect_text_set_name(REFLECT_NOTICING),
	    "noticing");
	assert_string_equal(reflect_text_set_name(REFLECT_THEIR_VIEW),
	    "their_view");
	assert_string_equal(reflect_text_set_name(REFLECT_EXPECTATIONS),
	    "expectations");
}

/*
 * One pick a week (Monday to Sunday), never the last week's, and every
 * question of a set before any comes back; before 1970 too.
 */
static void
test_rotation_by_week(void **state)
{
	kl_day			 monday = day_from_ymd(2026, 11, 23);
	kl_day			 starts[] = { monday, day_from_ymd(1969, 12, 1),
	    day_from_ymd(1970, 1, 5) };
	enum reflect_set	 set;
	size_t			 s, w, d, n, pick, seen;

	(void)state;
	assert_int_equal(day_weekday(monday), 0);
	for (s = 0; s < sizeof starts / sizeof starts[0]; s++) {
		assert_int_equal(day_weekday(starts[s]), 0);
		for (set = 0; set < REFLECT_SETS; set++) {
			n = reflect_text_count(set);
			seen = 0;
			for (w = 0; w < n; w++) {
				pick = reflect_text_pick(set,
				    starts[s] + (kl_day)(7 * w));
				assert_true(pick < n);
				for (d = 1; d < 7; d++)
					assert_int_equal(reflect_text_pick(set,
					    starts[s] + (kl_day)(7 * w + d)),
					    pick);
				assert_int_not_equal(pick, reflect_text_pick(
				    set, starts[s] + (kl_day)(7 * w + 7)));
				assert_false(seen & (1u << pick));
				seen |= 1u << pick;
			}
			assert_int_equal(seen, (1u << n) - 1);
		}
	}
	/* The three sets do not start on their first questions together. */
	assert_int_not_equal(reflect_text_pick(REFLECT_NOTICING, monday),
	    reflect_text_pick(REFLECT_THEIR_VIEW, monday));
}

/* The partner's name where {name} stands, "your partner" without one. */
static void
test_partner_name(void **state)
{
	char	*q;

	(void)state;
	q = reflect_text_question(REFLECT_THEIR_VIEW, 0, "Sam");
	assert_string_equal(q, "What might it have cost Sam to do this?");
	free(q);
	q = reflect_text_question(REFLECT_THEIR_VIEW, 0, NULL);
	assert_string_equal(q,
	    "What might it have cost your partner to do this?");
	free(q);
	q = reflect_text_question(REFLECT_THEIR_VIEW, 3, "Sam");
	assert_string_equal(q, "What was Sam's week like? How might that "
	    "have shaped what they did for you?");
	free(q);
	/* A name is text, never a template or a format. */
	q = reflect_text_question(REFLECT_THEIR_VIEW, 0, "{name} %s%n");
	assert_string_equal(q,
	    "What might it have cost {name} %s%n to do this?");
	free(q);
	q = reflect_text_question(REFLECT_NOTICING, 0, "Sam");
	assert_string_equal(q, "Which of these did you almost not notice?");
	free(q);
	q = reflect_text_question(REFLECT_EXPECTATIONS, 0, "Sam");
	assert_string_equal(q, "Was there something you expected and did "
	    "not get? Was it fair to expect it?");
	free(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets_full_and_kind),
		cmocka_unit_test(test_rotation_by_week),
		cmocka_unit_test(test_partner_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
