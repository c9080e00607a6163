/* Unit tests for common/ask.c: the question, the prompt program, #tags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ask.h"
#include "xmalloc.h"

/* Split line and compare its text and tags ("a,b"; "" for none). */
static void
assert_split(const char *line, size_t max, const char *text,
    const char *tags)
{
	char	*copy = xstrdup(line), *got_tags[16], joined[256] = "";
	size_t	 n, i;

	n = ask_split_tags(copy, got_tags, max);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(joined, ",");
		strcat(joined, got_tags[i]);
	}
	if (strcmp(copy, text) != 0 || strcmp(joined, tags) != 0)
		fail_msg("'%s': text '%s' tags '%s', want '%s' and '%s'", line,
		    copy, joined, text, tags);
	free(copy);
}

static void
test_split_tags(void **state)
{
	(void)state;
	assert_split("made tea", 16, "made tea", "");
	assert_split("  made tea #Morning  #home ", 16, "made tea",
	    "morning,home");
	assert_split("made tea\t#kitchen", 16, "made tea", "kitchen");
	/* Only the words at the end: an inner #word is text. */
	assert_split("fixed #bike for me #fix-it", 16, "fixed #bike for me",
	    "fix-it");
	/* Not tags: punctuation, a bare #, too long, and "nothing but tags". */
	assert_split("paid, #1!", 16, "paid, #1!", "");
	assert_split("said hi #", 16, "said hi #", "");
	assert_split("x #abcdefghijklmnopqrstuvwxyz0123456789", 16,
	    "x #abcdefghijklmnopqrstuvwxyz0123456789", "");
	assert_split("#just #tags", 16, "#just #tags", "");
	/* At most max, the earlier ones stay in the text. */
	assert_split("a #b #c #d", 2, "a #b", "c,d");
	assert_split("", 16, "", "");
}

static void
test_question(void **state)
{
	char	*q;

	(void)state;
	q = ask_question("Sam");
	assert_string_equal(q, "What did Sam do?");
	free(q);
	q = ask_question(NULL);
	assert_string_equal(q, "What did your partner do?");
	free(q);
}

/* Make an executable stub called name in dir. */
static void
make_stub(const char *dir, const char *name)
{
	char	*path = xasprintf("%s/%s", dir, name);
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs("#!/bin/sh\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
	free(path);
}

/* The configured command wins; else the first usable of the known ones. */
static void
test_argv(void **state)
{
	static const char *const stubs[] = { "dmenu", "fuzzel", "zenity" };
	const char	*command[] = { "my-prompt", "--ask", NULL };
	char		 dir[] = "/tmp/kindlog-ask.XXXXXX", **argv, *path;
	size_t		 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	argv = ask_argv(command, "What did Sam do?");
	assert_string_equal(argv[0], "my-prompt");
	assert_string_equal(argv[1], "--ask");
	assert_string_equal(argv[2], "What did Sam do?");
	assert_null(argv[3]);
	ask_argv_free(argv);

	setenv("PATH", dir, 1);
	unsetenv("WAYLAND_DISPLAY");
	setenv("DISPLAY", ":9", 1);
	assert_null(ask_argv(NULL, "Q?"));
	make_stub(dir, "dmenu");
	make_stub(dir, "fuzzel");
	argv = ask_argv(NULL, "Q?");
	assert_string_equal(argv[0], "dmenu");	/* fuzzel needs Wayland */
	assert_string_equal(argv[2], "Q?");
	ask_argv_free(argv);
	setenv("WAYLAND_DISPLAY", "wayland-9", 1);
	argv = ask_argv(NULL, "Q?");
	assert_string_equal(argv[0], "fuzzel");
	assert_string_equal(argv[3], "Q? ");
	ask_argv_free(argv);
	make_stub(dir, "zenity");
	argv = ask_argv(NULL, "Q?");
	assert_string_equal(argv[0], "zenity");
	assert_string_equal(argv[4], "Q?");
	ask_argv_free(argv);
	/* No display at all: nothing graphical can ask. */
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("DISPLAY");
	assert_null(ask_argv(NULL, "Q?"));

	for (i = 0; i < sizeof stubs / sizeof stubs[0]; i++) {
		path = xasprintf("%s/%s", dir, stubs[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_tags),
		cmocka_unit_test(test_question),
		cmocka_unit_test(test_argv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
