/*
 * Unit tests for client/args.c: option tables turned into values and
 * operands, the one-line causes of a malformed command line, and the
 * --help lines the same tables print.
 */
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

enum {
	KEY_SINCE = ARGS_LONG_ONLY,
	KEY_ALL,
	KEY_THANKED,
	KEY_LONG,
};

static const struct args_option options[] = {
	{ "tag", 't', required_argument, "TAG", "add a tag (repeatable)" },
	{ "day", 'd', required_argument, "DAY", "the day it happened" },
	{ "since", KEY_SINCE, required_argument, "DAY", "entries from DAY on" },
	{ "all", KEY_ALL, no_argument, NULL, "show every entry" },
	{ "thanked", KEY_THANKED, optional_argument, "HOW", "already thanked" },
	{ "secret", 's', no_argument, NULL, NULL },
	{ "a-rather-long-option", KEY_LONG, required_argument, "SOMETHING",
	  "wraps its help" },
	{ NULL, 0, 0, NULL, NULL }
};

/* Parse a NULL-terminated argv (copied: getopt permutes it). */
static int
parse(bool stop, struct args *args, char **cause, char **argv)
{
	int	argc = 0;

	while (argv[argc] != NULL)
		argc++;
	return args_parse(options, stop, argc, argv, args, cause);
}

/* Expect argv to be refused with exactly the cause want. */
static void
expect_refused(const char *want, char **argv)
{
	struct args	 args;
	char		*cause;

	assert_int_equal(parse(false, &args, &cause, argv), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	assert_null(args.values);
	free(cause);
}

static void
test_values_and_operands(void **state)
{
	char		*argv[] = { "add", "made", "-t", "a", "coffee",
	    "--tag=b", "-tc", "--since", "monday", "--all", NULL };
	struct args	 args;
	const char	*v;
	char		*cause;
	size_t		 i = 0;

	(void)state;
	assert_int_equal(parse(false, &args, &cause, argv), 0);
	assert_null(cause);
	assert_false(args.help);
	/* Options and operands mix; the operands keep their order. */
	assert_int_equal(args.argc, 2);
	assert_string_equal(args.argv[0], "made");
	assert_string_equal(args.argv[1], "coffee");
	/* A repeated option keeps every value, in command-line order. */
	assert_string_equal(args_next(&args, 't', &i), "a");
	assert_string_equal(args_next(&args, 't', &i), "b");
	assert_string_equal(args_next(&args, 't', &i), "c");
	assert_null(args_next(&args, 't', &i));
	/* args_get gives the last one. */
	assert_string_equal(args_get(&args, 't'), "c");
	assert_string_equal(args_get(&args, KEY_SINCE), "monday");
	assert_true(args_has(&args, KEY_ALL));
	assert_null(args_get(&args, KEY_ALL));
	assert_false(args_has(&args, 'd'));
	assert_null(args_get(&args, 'd'));
	assert_int_equal(args.nvalues, 5);
	v = args_get(&args, 'x');
	assert_null(v);
	args_free(&args);
	assert_null(args.values);
	assert_int_equal(args.nvalues, 0);
}

static void
test_stop_at_operand(void **state)
{
	char		*argv[] = { "kindlog", "-s", "list", "-t", "x", NULL };
	struct args	 args;
	char		*cause;

	(void)state;
	/* The global level: options up to the subcommand, the rest left. */
	assert_int_equal(parse(true, &args, &cause, argv), 0);
	assert_true(args_has(&args, 's'));
	assert_false(args_has(&args, 't'));
	assert_int_equal(args.argc, 3);
	assert_string_equal(args.argv[0], "list");
	assert_string_equal(args.argv[1], "-t");
	assert_string_equal(args.argv[2], "x");
	args_free(&args);
}

static void
test_double_dash_and_help(void **state)
{
	char		*dash[] = { "add", "--", "-t", "x", NULL };
	char		*help[] = { "add", "--help", "-d", "today", NULL };
	char		*h[] = { "add", "-h", NULL };
	struct args	 args;
	char		*cause;

	(void)state;
	assert_int_equal(parse(false, &args, &cause, dash), 0);
	assert_int_equal(args.nvalues, 0);
	assert_int_equal(args.argc, 2);
	assert_string_equal(args.argv[0], "-t");
	args_free(&args);
	/* -h and --help are known to every table, and recorded apart. */
	assert_int_equal(parse(false, &args, &cause, help), 0);
	assert_true(args.help);
	assert_string_equal(args_get(&args, 'd'), "today");
	assert_false(args_has(&args, 'h'));
	args_free(&args);
	assert_int_equal(parse(false, &args, &cause, h), 0);
	assert_true(args.help);
	args_free(&args);
}

static void
test_optional_argument(void **state)
{
	char		*bare[] = { "add", "--thanked", "wrote", NULL };
	char		*given[] = { "add", "--thanked=wrote", NULL };
	struct args	 args;
	char		*cause;

	(void)state;
	/* An optional argument only comes with '='. */
	assert_int_equal(parse(false, &args, &cause, bare), 0);
	assert_true(args_has(&args, KEY_THANKED));
	assert_null(args_get(&args, KEY_THANKED));
	assert_int_equal(args.argc, 1);
	assert_string_equal(args.argv[0], "wrote");
	args_free(&args);
	assert_int_equal(parse(false, &args, &cause, given), 0);
	assert_string_equal(args_get(&args, KEY_THANKED), "wrote");
	assert_int_equal(args.argc, 0);
	args_free(&args);
}

static void
test_refusals(void **state)
{
	char	*a[] = { "add", "--frob", NULL };
	char	*b[] = { "add", "--frob=1", NULL };
	char	*c[] = { "add", "-x", NULL };
	char	*d[] = { "add", "-t", NULL };
	char	*e[] = { "add", "--since", NULL };
	char	*f[] = { "add", "--all=yes", NULL };
	char	*g[] = { "add", "ok", "-d", "x", "--day", NULL };

	(void)state;
	expect_refused("unknown option '--frob'", a);
	expect_refused("unknown option '--frob'", b);
	expect_refused("unknown option '-x'", c);
	/* An option is named by its long name, however it was given. */
	expect_refused("option '--tag' needs an argument", d);
	expect_refused("option '--since' needs an argument", e);
	expect_refused("option '--all' takes no argument", f);
	expect_refused("option '--day' needs an argument", g);
}

static void
test_find(void **state)
{
	(void)state;
	assert_ptr_equal(args_find(options, 'd'), &options[1]);
	assert_ptr_equal(args_find(options, KEY_ALL), &options[3]);
	assert_null(args_find(options, 'z'));
	assert_null(args_find(NULL, 'd'));
}

static void
test_help_lines(void **state)
{
	FILE	*saved = stdout;
	char	*got = NULL;
	size_t	 len = 0;

	(void)state;
	stdout = open_memstream(&got, &len);
	assert_non_null(stdout);
	args_print_help(options, true);
	args_print_help(NULL, false);
	fclose(stdout);
	stdout = saved;
	/* Hidden options (no help) are left out; a long one wraps. */
	assert_string_equal(got,
	    "  -t, --tag TAG           add a tag (repeatable)\n"
	    "  -d, --day DAY           the day it happened\n"
	    "      --since DAY         entries from DAY on\n"
	    "      --all               show every entry\n"
	    "      --thanked[=HOW]     already thanked\n"
	    "      --a-rather-long-option SOMETHING\n"
	    "                          wraps its help\n"
	    "  -h, --help              show this help\n");
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_and_operands),
		cmocka_unit_test(test_stop_at_operand),
		cmocka_unit_test(test_double_dash_and_help),
		cmocka_unit_test(test_optional_argument),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_help_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
