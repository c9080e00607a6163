/* Unit tests for daemon/store/store-settings.c: the key-value state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"
#include "store_fixture.h"

/* Settings: unset is NULL, set overwrites, NULL removes. */
static void
test_store_settings(void **state)
{
	struct fixture	*f = *state;
	struct kl_error	 err = { 0 };
	char		*value;

	assert_int_equal(store_setting_get(f->store, "snooze", &value, &err),
	    0);
	assert_null(value);
	assert_int_equal(store_setting_set(f->store, "snooze", "1", &err), 0);
	assert_int_equal(store_setting_set(f->store, "snooze", "2", &err), 0);
	assert_int_equal(store_setting_get(f->store, "snooze", &value, &err),
	    0);
	assert_string_equal(value, "2");
	free(value);
	assert_int_equal(store_setting_set(f->store, "snooze", NULL, &err), 0);
	assert_int_equal(store_setting_get(f->store, "snooze", &value, &err),
	    0);
	assert_null(value);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		STORE_TEST(test_store_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
