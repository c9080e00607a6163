/*
 * Unit tests for client/output.c and output-calendar.c: widths on a
 * terminal, cutting text to fit, tables that shrink to the width, the
 * words for ENTRY and STREAK, the calendar heatmap and --json, each
 * compared byte for byte with what lands on stdout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "output.h"

static FILE	*saved_stdout;
static char	*captured;
static size_t	 captured_len;

/* Send stdout into a buffer until end_capture(). */
static void
begin_capture(void)
{
	saved_stdout = stdout;
	stdout = open_memstream(&captured, &captured_len);
	assert_non_null(stdout);
}

/* What was printed since begin_capture(); caller frees. */
static char *
end_capture(void)
{
	fclose(stdout);
	stdout = saved_stdout;
	return captured;
}

/* End the capture and check what was printed against want. */
static void
expect_printed(const char *want)
{
	char	*got = end_capture();

	assert_string_equal(got, want);
	free(got);
}

/* A plain output (no tty, no colour) width columns wide. */
static struct output
plain(int width)
{
	struct output	out = { false, false, width };

	return out;
}

/* Check output_fit(s, width) against want. */
static void
expect_fit(const char *s, size_t width, const char *want)
{
	char	*got = output_fit(s, width);

	assert_string_equal(got, want);
	free(got);
}

static void
test_text_width(void **state)
{
	(void)state;
	assert_int_equal(output_text_width("abc"), 3);
	assert_int_equal(output_text_width(""), 0);
	assert_int_equal(output_text_width("café"), 4);
	assert_int_equal(output_text_width("日本"), 4);
	assert_int_equal(output_text_width("a\tb"), 3);
	/* A byte that starts no UTF-8 sequence takes one column. */
	assert_int_equal(output_text_width("a\xff" "b"), 3);
}

static void
test_fit(void **state)
{
	(void)state;
	expect_fit("short", 10, "short");
	expect_fit("hello world", 11, "hello world");
	expect_fit("hello world", 8, "hello w…");
	/* Spaces before the cut go, so "…" follows the last word. */
	expect_fit("ab   cd", 5, "ab…");
	/* Only the first line; the ellipsis says there was more. */
	expect_fit("two\nlines", 20, "two…");
	/* Control characters are blanked, never sent to the terminal. */
	expect_fit("a\033[2Jb", 10, "a [2Jb");
	/* Wide characters are never cut in half. */
	expect_fit("日本語", 5, "日本…");
	expect_fit("日本語", 6, "日本語");
	expect_fit("abc", 0, "");
}

static void
test_sanitize(void **state)
{
	char	*s = output_sanitize("a\033[31mb\nc\td\r");

	(void)state;
	assert_string_equal(s, "a [31mb\nc\td ");
	free(s);
}

static void
test_table_shrinks_to_width(void **state)
{
	static const struct output_column columns[] = {
		{ "ID", true, false, OUTPUT_PLAIN },
		{ "TEXT", false, true, OUTPUT_PLAIN },
		{ "TAGS", false, true, OUTPUT_PLAIN },
	};
	struct output		 out = plain(24);
	struct output_table	*t = output_table_create(&out, columns, 3);

	(void)state;
	output_table_row(t);
	output_table_cell(t, "1");
	output_table_cell(t, "made me a coffee this morning");
	output_table_cell(t, "#a");
	output_table_row(t);
	output_table_cell(t, "12");
	output_table_cell(t, "hug");
	output_table_cell(t, NULL);
	begin_capture();
	output_table_print(t);
	/*
	 * 39 columns wide by nature: TEXT, the only column over its floor,
	 * gives up 15; no row ends in padding.
	 */
	expect_printed("ID  TEXT            TAGS\n"
	    " 1  made me a cof…  #a\n"
	    "12  hug\n");
	output_table_destroy(t);
	output_table_destroy(NULL);
}

static void
test_table_colour(void **state)
{
	static const struct output_column columns[] = {
		{ "DAY", false, false, OUTPUT_DIM },
	};
	struct output		 out = { true, true, 80 };
	struct output_table	*t = output_table_create(&out, columns, 1);

	(void)state;
	output_table_row(t);
	output_table_cell(t, "2026-11-20");
	begin_capture();
	output_table_print(t);
	expect_printed("\033[1mDAY\033[0m\n"
	    "\033[2m2026-11-20\033[0m\n");
	output_table_destroy(t);
}

static void
test_entries(void **state)
{
	struct output	 out = plain(80);
	json_t		*entries;

	(void)state;
	entries = json_pack("[{s:i, s:s, s:s, s:{s:s}, s:[s,s]},"
	    "{s:i, s:s, s:s, s:n, s:[]}]",
	    "id", 3, "day", "2026-11-21", "text", "hug", "thanked", "how",
	    "said", "tags", "home", "evening",
	    "id", 12, "day", "2026-11-22", "text", "made me coffee",
	    "thanked", "tags");
	begin_capture();
	output_entries(&out, entries);
	expect_printed("ID  DAY         THANKED  TEXT            TAGS\n"
	    " 3  2026-11-21  yes      hug             #home #evening\n"
	    "12  2026-11-22           made me coffee\n");
	json_decref(entries);
}

static void
test_json(void **state)
{
	json_t	*v = json_pack("{s:i, s:[b,n], s:s}", "b", 1, "a", 1, "t",
	    "é\n");

	(void)state;
	begin_capture();
	output_json(v);
	/* Compact, in the daemon's order, one line. */
	expect_printed("{\"b\":1,\"a\":[true,null],\"t\":\"é\\n\"}\n");
	json_decref(v);
}

static void
test_words(void **state)
{
	json_t	*tags = json_pack("[i,s,s]", 1, "a", "b");
	char	*s;

	(void)state;
	s = output_count(1, "day", "days");
	assert_string_equal(s, "1 day");
	free(s);
	s = output_count(0, "day", "days");
	assert_string_equal(s, "0 days");
	free(s);
	s = output_tags(tags);
	assert_string_equal(s, "#a #b");
	free(s);
	json_decref(tags);
	tags = json_array();
	assert_null(output_tags(tags));
	json_decref(tags);
	s = output_local_time("2026-11-27T07:41:05Z");
	assert_string_equal(s, "2026-11-27 07:41");
	free(s);
	s = output_local_time("soon");
	assert_string_equal(s, "soon");
	free(s);
}

static void
test_field(void **state)
{

	(void)state;
	begin_capture();
	output_field("Today", 14, "%s, %d", "2026-11-20", 3);
	output_field("Notifications", 14, "working");
	expect_printed("Today:         2026-11-20, 3\n"
	    "Notifications: working\n");
}

static void
test_streak(void **state)
{
	struct output	 out = plain(80), tty = { true, true, 80 };
	json_t		*none = json_pack("{s:i, s:i}", "current", 0, "best", 0);
	json_t		*one = json_pack("{s:i, s:s, s:s}", "best", 1,
	    "best_first", "2026-11-20", "best_last", "2026-11-20");
	json_t		*risk = json_pack("{s:i, s:b, s:i, s:s, s:s, s:i, s:i}",
	    "current", 3, "at_risk", 1, "best", 5, "best_first", "2026-11-01",
	    "best_last", "2026-11-05", "days_noticed", 9, "entries", 1);
	char		*s;

	(void)state;
	s = output_streak_current(&out, none, true);
	assert_string_equal(s, "none yet — log something today to start one");
	free(s);
	s = output_streak_current(&out, none, false);
	assert_string_equal(s, "none yet");
	free(s);
	s = output_streak_current(&out, risk, true);
	assert_string_equal(s, "3 days — log something today to keep it");
	free(s);
	s = output_streak_current(&tty, risk, true);
	assert_string_equal(s, "\033[1m3 days\033[0m \033[33m— log something "
	    "today to keep it\033[0m");
	free(s);
	s = output_streak_current(&out, risk, false);
	assert_string_equal(s, "3 days");
	free(s);
	s = output_streak_best(none);
	assert_string_equal(s, "none yet");
	free(s);
	s = output_streak_best(one);
	assert_string_equal(s, "1 day (2026-11-20)");
	free(s);
	s = output_streak_best(risk);
	assert_string_equal(s, "5 days (2026-11-01 – 2026-11-05)");
	free(s);
	begin_capture();
	output_streak(&out, risk);
	expect_printed("Current:   3 days — log something today to keep it\n"
	    "Best:      5 days (2026-11-01 – 2026-11-05)\n"
	    "Noticed:   9 days, 1 entry\n");
	json_decref(none);
	json_decref(one);
	json_decref(risk);
}

static void
test_calendar(void **state)
{
	json_t	*cal = json_pack("{s:s, s:s, s:s, s:[{s:s,s:i},{s:s,s:i},"
	    "{s:s,s:i},{s:s,s:i}]}", "from", "2026-10-05", "to", "2026-11-08",
	    "today", "2026-11-04", "days",
	    "day", "2026-10-06", "count", 2,
	    "day", "2026-11-03", "count", 1,
	    "day", "2026-11-04", "count", 4,
	    "day", "2027-01-01", "count", 9);
	char	*got;

	(void)state;
	begin_capture();
	assert_int_equal(output_calendar(cal, false), 0);
	/*
	 * Five weeks from Monday 5 October: "Oct" over the first column
	 * (three weeks follow before November), "Nov" over the week that
	 * holds the 1st; a day outside the range is not drawn or counted.
	 */
	expect_printed("    Oct   Nov\n"
	    "Mon . . . . .\n"
	    "Tue + . . . -\n"
	    "Wed . . . . @\n"
	    "Thu . . . . .\n"
	    "Fri . . . . .\n"
	    "Sat . . . . .\n"
	    "Sun . . . . .\n"
	    "\n"
	    "    Less . - + * # More   @ today\n"
	    "    7 entries on 3 days, 2026-10-05 – 2026-11-08\n");

	begin_capture();
	assert_int_equal(output_calendar(cal, true), 0);
	got = end_capture();
	/* Today in bold, in the brightest green for four and more. */
	assert_non_null(strstr(got, "\033[1m\033[38;5;46m◆\033[0m"));
	assert_null(strchr(got, '@'));
	free(got);

	json_object_del(cal, "today");
	begin_capture();
	assert_int_equal(output_calendar(cal, false), -1);
	expect_printed("");
	json_decref(cal);
}

static void
test_init(void **state)
{
	struct output	out;
	int		saved = dup(STDOUT_FILENO);
	int		null = open("/dev/null", O_WRONLY);

	(void)state;
	/* Not a terminal: no colour, and the width from $COLUMNS or 80. */
	assert_true(saved != -1 && null != -1);
	assert_int_equal(dup2(null, STDOUT_FILENO), STDOUT_FILENO);
	setenv("COLUMNS", "33", 1);
	output_init(&out, false);
	assert_false(out.tty);
	assert_false(out.color);
	assert_int_equal(out.width, 33);
	setenv("COLUMNS", "zero", 1);
	output_init(&out, false);
	assert_int_equal(out.width, 80);
	unsetenv("COLUMNS");
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(null);
	assert_string_equal(output_style(&out, OUTPUT_BOLD), "");
	assert_string_equal(output_check(&out), "yes");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_table_shrinks_to_width),
		cmocka_unit_test(test_table_colour),
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_streak),
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_init),
	};

	/* wcwidth needs a UTF-8 locale; output.c sets LC_CTYPE from it. */
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TZ", "UTC", 1);
	tzset();
	json_object_seed(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
