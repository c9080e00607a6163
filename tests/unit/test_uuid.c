/* Unit tests for common/uuid.c: time-ordered uuids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "uuid.h"

#define UUIDS 1000

/* qsort comparison of UUID strings. */
static int
compare_uuid(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_uuid_generate(void **state)
{
	static char	uuids[UUIDS][UUID_STR_LEN];
	char		buf[UUID_STR_LEN + 4];
	size_t		i, j;

	(void)state;
	memset(buf, 'X', sizeof buf);
	uuid_generate(buf);
	assert_int_equal(strlen(buf), 36);
	assert_int_equal(buf[UUID_STR_LEN], 'X');
	/* The first 48 bits are the Unix time in milliseconds. */
	buf[8] = buf[13] = '\0';
	assert_true(llabs((long long)(strtoull(buf, NULL, 16) << 16 |
	    strtoull(buf + 9, NULL, 16)) / 1000 - (long long)time(NULL)) < 5);

	for (i = 0; i < UUIDS; i++) {
		char *u = uuids[i];

		uuid_generate(u);
		assert_int_equal(strlen(u), 36);
		assert_true(uuid_valid(u));
		for (j = 0; j < 36; j++) {
			if (j == 8 || j == 13 || j == 18 || j == 23)
				assert_int_equal(u[j], '-');
			else if (strchr("0123456789abcdef", u[j]) == NULL)
				fail_msg("'%s' is not lowercase hex", u);
		}
		assert_int_equal(u[14], '7');			/* version */
		assert_non_null(strchr("89ab", u[19]));		/* variant */
		/* Time-ordered: each id sorts after the one before. */
		if (i > 0 && strcmp(uuids[i - 1], u) >= 0)
			fail_msg("%s does not sort after %s", u,
			    uuids[i - 1]);
	}
	qsort(uuids, UUIDS, sizeof uuids[0], compare_uuid);
	for (i = 1; i < UUIDS; i++) {
		if (strcmp(uuids[i - 1], uuids[i]) == 0)
			fail_msg("duplicate uuid %s", uuids[i]);
	}
	/*
	 * The last 48 bits are random, drawn from a pool refilled every few
	 * dozen ids: no two ids may share them (the counter alone would keep
	 * the ids apart if the pool repeated itself).
	 */
	for (i = 0; i < UUIDS; i++)
		memmove(uuids[i], uuids[i] + 24, 13);
	qsort(uuids, UUIDS, sizeof uuids[0], compare_uuid);
	for (i = 1; i < UUIDS; i++) {
		if (strcmp(uuids[i - 1], uuids[i]) == 0)
			fail_msg("random bits repeated: %s", uuids[i]);
	}
}

static void
test_uuid_valid(void **state)
{
	static const char	*bad[] = {
		"",
		"0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c",		/* short */
		"0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4d",	/* long */
		"0b6f1c2e3d4a-4b5c-8d6e-7f8091a2b3c4d",		/* dash missing */
		"0b6f1c2e-3d4a-4b5c-8d6e_7f8091a2b3c4",
		"0b6f1c2-e3d4a-4b5c-8d6e-7f8091a2b3c4",		/* misplaced */
		"0b6f1c2g-3d4a-4b5c-8d6e-7f8091a2b3c4",		/* not hex */
		"0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c ",
		"{0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3}",
		"------------------------------------",
	};
	size_t			 i;

	(void)state;
	assert_true(uuid_valid("0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4"));
	assert_true(uuid_valid("0B6F1C2E-3D4A-4B5C-8D6E-7F8091A2B3C4"));
	assert_true(uuid_valid("00000000-0000-0000-0000-000000000000"));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (uuid_valid(bad[i]))
			fail_msg("'%s' was accepted", bad[i]);
	}
}

/* time_format_utc of t must be want, with nothing written past RFC3339_LEN. */

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uuid_generate),
		cmocka_unit_test(test_uuid_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
