/*
 * Unit tests for daemon/sync-file.c: a peer's file is read whole or
 * refused whole -- garbage, a cut line, a bad header, an invalid
 * operation -- and the refusal names the line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sync-file.h"

#define HEAD "{\"kindlog\":\"kindlog-sync\",\"version\":1," \
	"\"device\":\"0190a0b0-0000-7000-8000-000000000001\",\"name\":\"x\"}\n"
#define UUID "0190a0b0-0000-7000-8000-0000000000aa"
#define OP(fields) "{\"hlc\":1000,\"op\":" fields "}\n"

static int
parse(const char *text, struct sync_file *file, struct kl_error *err)
{
	struct sync_limits	limits;

	sync_limits_now(&limits);
	return sync_file_parse(text, strlen(text), &limits, file, err);
}

static void
assert_refused(const char *text, const char *why)
{
	struct sync_file	file;
	struct kl_error		err = { 0 };

	assert_int_equal(parse(text, &file, &err), -1);
	if (strstr(err.message, why) == NULL)
		fail_msg("'%s' does not say '%s'", err.message, why);
	sync_file_finish(&file);
}

static void
test_good(void **state)
{
	struct sync_file	file;
	struct kl_error		err = { 0 };

	assert_int_equal(parse(HEAD
	    OP("\"create\",\"entry\":\"" UUID "\",\"at\":\"2026-11-20T10:00:00Z\","
	    "\"day\":\"2026-11-20\",\"text\":\"made tea\",\"tags\":[\"home\"],"
	    "\"created_at\":\"2026-11-20T10:00:00Z\",\"thanked\":null")
	    OP("\"tag\",\"entry\":\"" UUID "\",\"at\":\"2026-11-20T10:00:00Z\","
	    "\"tag\":\"x\",\"present\":false")
	    OP("\"future\",\"what\":1"), &file, &err), 0);
	assert_string_equal(file.device, "0190a0b0-0000-7000-8000-000000000001");
	assert_string_equal(file.name, "x");
	assert_int_equal(file.nops, 3);
	assert_int_equal(file.ops[0].kind, STORE_OP_CREATE);
	assert_string_equal(file.ops[0].text, "made tea");
	assert_int_equal(file.ops[1].kind, STORE_OP_TAG);
	assert_false(file.ops[1].on);
	assert_null(file.ops[1].line);
	assert_int_equal(file.ops[2].kind, STORE_OP_UNKNOWN);
	assert_non_null(file.ops[2].line);
	sync_file_finish(&file);
}

static void
test_refused(void **state)
{
	assert_refused("garbage\n", "line 1: not a kindlog sync file");
	assert_refused("", "empty");
	assert_refused(HEAD "{\"hlc\":1000,\"op\":\"text\"", "line 2: no newline");
	assert_refused(HEAD "{not json}\n", "line 2: not a JSON object");
	assert_refused(HEAD OP("\"text\",\"entry\":\"nope\",\"at\":"
	    "\"2026-11-20T10:00:00Z\",\"text\":\"x\""), "not a UUID");
	assert_refused(HEAD OP("\"text\",\"entry\":\"" UUID "\",\"at\":"
	    "\"2026-11-20T10:00:00Z\",\"text\":\" x \""), "spaces");
	assert_refused(HEAD OP("\"day\",\"entry\":\"" UUID "\",\"at\":"
	    "\"2026-11-20T10:00:00Z\",\"day\":\"2999-01-01\""), "up to tomorrow");
	assert_refused(HEAD OP("\"tag\",\"entry\":\"" UUID "\",\"at\":"
	    "\"2026-11-20T10:00:00Z\",\"tag\":\"A B\",\"present\":true"), "tag");
	assert_refused(HEAD OP("\"thanked\",\"entry\":\"" UUID "\",\"at\":"
	    "\"2026-11-20T10:00:00Z\",\"thanked\":{\"at\":\"2026-11-20T10:00:00Z\","
	    "\"how\":\"sang\"}"), "thanked.how");
	assert_refused(HEAD "{\"hlc\":999999999999999999,\"op\":\"x\"}\n", "hlc");
	assert_refused("{\"kindlog\":\"kindlog-sync\",\"version\":2,"
	    "\"device\":\"" UUID "\"}\n", "version");
}

static void
test_long_line(void **state)
{
	size_t	n = SYNC_LINE_MAX + 10;
	char	*text = malloc(strlen(HEAD) + n + 2);

	strcpy(text, HEAD);
	memset(text + strlen(HEAD), 'x', n);
	strcpy(text + strlen(HEAD) + n, "\n");
	assert_refused(text, "longer than");
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
