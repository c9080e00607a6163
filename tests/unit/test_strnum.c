/* Unit tests for common/strnum.c: integers and trimming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "strnum.h"

/* parse_int64 must read s within [min, max] as want. */
static void
assert_int64(const char *s, int64_t min, int64_t max, int64_t want)
{
	int64_t	got = 4242;

	if (!parse_int64(s, min, max, &got))
		fail_msg("'%s' was refused", s);
	assert_true(got == want);
}

/* parse_int64 must refuse s and leave *out alone. */
static void
assert_int64_bad(const char *s, int64_t min, int64_t max)
{
	int64_t	got = 4242;

	if (parse_int64(s, min, max, &got))
		fail_msg("'%s' was accepted", s);
	assert_true(got == 4242);
}

static void
test_parse_int64(void **state)
{
	(void)state;
	assert_int64("0", 0, 10, 0);
	assert_int64("10", 0, 10, 10);
	assert_int64("-10", -10, 10, -10);
	assert_int64("42", INT64_MIN, INT64_MAX, 42);
	assert_int64("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	assert_int64("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	assert_int64("0007", 0, 10, 7);

	assert_int64_bad("11", 0, 10);
	assert_int64_bad("-1", 0, 10);
	assert_int64_bad("-11", -10, 10);
	assert_int64_bad("9223372036854775808", INT64_MIN, INT64_MAX);
	assert_int64_bad("-9223372036854775809", INT64_MIN, INT64_MAX);
	assert_int64_bad("99999999999999999999999", INT64_MIN, INT64_MAX);
	assert_int64_bad("", 0, 10);
	assert_int64_bad(" 5", 0, 10);
	assert_int64_bad("5 ", 0, 10);
	assert_int64_bad("\t5", 0, 10);
	assert_int64_bad("5x", 0, 10);
	assert_int64_bad("x5", 0, 10);
	assert_int64_bad("0x5", 0, 10);
	assert_int64_bad("5.0", 0, 10);
	assert_int64_bad("1e1", 0, 100);
	assert_int64_bad("-", 0, 10);
	assert_int64_bad("--5", -10, 10);
}

/* str_trim of s must give want, in place. */
static void
assert_trim(const char *s, const char *want)
{
	char	buf[64];

	strcpy(buf, s);
	assert_ptr_equal(str_trim(buf), buf);
	assert_string_equal(buf, want);
}

static void
test_str_trim(void **state)
{
	(void)state;
	assert_trim("  a b  ", "a b");
	assert_trim("abc", "abc");
	assert_trim("", "");
	assert_trim("   ", "");
	assert_trim("\t\n x\r\n", "x");
	assert_trim("\v\fx y\f\v", "x y");
	assert_trim("  leading", "leading");
	assert_trim("trailing  ", "trailing");
	assert_trim(" line one\nline two ", "line one\nline two");
	/* Only ASCII whitespace: a UTF-8 no-break space is kept. */
	assert_trim("\xc2\xa0x\xc2\xa0", "\xc2\xa0x\xc2\xa0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_int64),
		cmocka_unit_test(test_str_trim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
