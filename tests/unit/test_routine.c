/* Unit tests for the routine-kindness text key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routine.h"

static const struct {
	const char	*text;
	const char	*key;
} routine_cases[] = {
	{ "made me coffee", "made me coffee" },
	{ "Made me coffee!", "made me coffee" },
	{ "  made   me\tcoffee.  ", "made me coffee" },
	{ "made me, coffee\nbefore work", "made me coffee before work" },
	{ "Don't worry", "dont worry" },
	{ "...!?", "" },
	{ "", "" },
	{ "Café au lait ☕", "café au lait ☕" },
	{ "ÉCOLE", "École" },	/* only ASCII letters are lowercased */
};

static void
test_routine_key(void **state)
{
	size_t	 i;
	char	*key;

	(void)state;
	for (i = 0; i < sizeof routine_cases / sizeof routine_cases[0]; i++) {
		key = routine_key(routine_cases[i].text);
		assert_string_equal(key, routine_cases[i].key);
		free(key);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routine_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
