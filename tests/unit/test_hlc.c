/*
 * Unit tests for daemon/hlc.c: the clock never goes back, passes every
 * clock it receives, and equal clocks are ordered by device id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hlc.h"

static void
test_monotonic(void **state)
{
	struct hlc	c = { 0 };
	int64_t		a, b, d;

	a = hlc_tick(&c, 1000);
	assert_int_equal(hlc_ms(a), 1000);
	b = hlc_tick(&c, 1000);
	assert_true(b > a);
	/* The wall clock going back never takes the clock back. */
	d = hlc_tick(&c, 500);
	assert_true(d > b);
	assert_int_equal(hlc_ms(d), 1000);
	/* A later wall clock is taken as it is. */
	assert_int_equal(hlc_tick(&c, 2000), hlc_make(2000, 0));
}

static void
test_receive(void **state)
{
	struct hlc	c = { 0 };
	int64_t		remote = hlc_make(5000, 7), next;

	hlc_tick(&c, 1000);
	hlc_receive(&c, remote);
	next = hlc_tick(&c, 1200);
	assert_true(next > remote);
	/* An older clock received changes nothing. */
	hlc_receive(&c, hlc_make(10, 0));
	assert_true(hlc_tick(&c, 1200) > next);
}

static void
test_tick_n(void **state)
{
	struct hlc	c = { 0 };
	int64_t		first = hlc_tick_n(&c, 1000, 100000);

	/* A bulk reservation runs past the counter into the milliseconds. */
	assert_true(hlc_tick(&c, 1000) == first + 100000);
}

static void
test_tie_break(void **state)
{
	const char	*a = "0190a0b0-0000-7000-8000-000000000001";
	const char	*b = "0190a0b0-0000-7000-8000-000000000002";

	assert_true(hlc_compare(5, a, 5, b) < 0);
	assert_true(hlc_compare(5, b, 5, a) > 0);
	assert_int_equal(hlc_compare(5, a, 5, a), 0);
	assert_true(hlc_compare(6, a, 5, b) > 0);
	assert_true(hlc_compare(4, b, 5, a) < 0);
	/* Nobody is older than anyone. */
	assert_true(hlc_compare(1, a, 0, NULL) > 0);
	assert_true(hlc_compare(0, NULL, 0, a) < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_receive),
		cmocka_unit_test(test_tick_n),
		cmocka_unit_test(test_tie_break),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
