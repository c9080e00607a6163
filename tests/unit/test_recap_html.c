/*
 * Unit tests for client/recap-html.c: text is escaped, the heatmap has a
 * cell for every day of its weeks shaded by count, only the period's
 * days are filled, and the page names no command and no reflection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "recap-html.h"

/* What f (an open_memstream) holds now; the caller frees it. */
static char *
page_of(void (*write)(FILE *, void *), void *arg)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	assert_non_null(f);
	write(f, arg);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* How many times needle occurs in s. */
static int
count(const char *s, const char *needle)
{
	int	n = 0;

	for (; (s = strstr(s, needle)) != NULL; s += strlen(needle))
		n++;
	return n;
}

static void
write_text(FILE *f, void *arg)
{
	recap_html_text(f, arg);
}

static void
test_text_escaped(void **state)
{
	char	*s;

	(void)state;
	s = page_of(write_text, "<b>\"Tom & Jerry's\"</b>\nnext\r\tline\x01");
	assert_string_equal(s, "&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;"
	    "&lt;/b&gt;<br>next\tline ");
	free(s);
}

/* The recap and calendar results a week of two days would give. */
static const char recap_json[] =
	"{\"period\":\"week\",\"from\":\"2026-11-21\",\"to\":\"2026-11-27\","
	"\"today\":\"2026-11-27\",\"partner\":\"Sam\",\"entries\":3,"
	"\"days_noticed\":2,\"thanked\":1,\"unthanked\":2,\"truncated\":false,"
	"\"days\":[{\"day\":\"2026-11-24\",\"entries\":[{\"id\":1,\"day\":"
	"\"2026-11-24\",\"text\":\"hugged me <3\",\"tags\":[\"hug\"],"
	"\"thanked\":{\"at\":\"2026-11-24T19:00:00Z\",\"how\":\"said\"}}]},"
	"{\"day\":\"2026-11-27\",\"entries\":[{\"id\":2,\"day\":\"2026-11-27\","
	"\"text\":\"made coffee\",\"tags\":[],\"thanked\":null},{\"id\":3,"
	"\"day\":\"2026-11-27\",\"text\":\"fixed the bike\",\"tags\":[],"
	"\"thanked\":null}]}],\"top_tags\":[{\"tag\":\"hug\",\"count\":1}],"
	"\"routine\":[],\"still_to_thank\":[{\"id\":2,\"day\":\"2026-11-27\","
	"\"text\":\"made coffee\"},{\"id\":3,\"day\":\"2026-11-27\",\"text\":"
	"\"fixed the bike\"}],\"reflections\":[{\"id\":1,\"day\":\"2026-11-27\","
	"\"answers\":[{\"question\":\"Q?\",\"answer\":\"a private note\"}]}]}";
static const char calendar_json[] =
	"{\"from\":\"2026-11-16\",\"to\":\"2026-11-27\",\"today\":\"2026-11-27\","
	"\"days\":[{\"day\":\"2026-11-20\",\"count\":9},{\"day\":\"2026-11-24\","
	"\"count\":1},{\"day\":\"2026-11-27\",\"count\":2}]}";

struct pair {
	json_t	*recap, *calendar;
};

static void
write_page(FILE *f, void *arg)
{
	struct pair	*p = arg;

	assert_int_equal(recap_html_write(f, p->recap, p->calendar), 0);
}

static void
test_page(void **state)
{
	struct pair	 p;
	char		*s;

	(void)state;
	p.recap = json_loads(recap_json, 0, NULL);
	p.calendar = json_loads(calendar_json, 0, NULL);
	assert_non_null(p.recap);
	assert_non_null(p.calendar);
	s = page_of(write_page, &p);
	assert_int_equal(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 32),
	    0);
	assert_non_null(strstr(s, "<title>A week of Sam&#39;s kindness"
	    "</title>"));
	assert_non_null(strstr(s, "<li>hugged me &lt;3 <span class=\"tags\">"
	    "#hug</span> <span class=\"thanked\" title=\"thanked\">✓</span>"
	    "</li>"));
	assert_non_null(strstr(s, "<li>fixed the bike</li>"));
	/* Two weeks from Monday 23 Nov's week back: 14 cells. */
	assert_int_equal(count(s, "<td"), 14);
	/* 16..20 Nov are before the period: blank, whatever their count. */
	assert_int_equal(count(s, "<td class=\"o\">"), 5 + 2);
	assert_int_equal(count(s, "<td class=\"l1\""), 1);
	assert_int_equal(count(s, "<td class=\"l2 t\""), 1);
	assert_int_equal(count(s, "<td class=\"l4"), 0);
	assert_int_equal(count(s, "<td class=\"l0\""), 14 - 7 - 2);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "http"));
	assert_null(strstr(s, "kindlog thank"));
	assert_null(strstr(s, "a private note"));
	assert_int_equal(strcmp(s + strlen(s) - 8, "</html>\n"), 0);
	free(s);
	/* Without a calendar, the recap's own days shade the cells. */
	json_decref(p.calendar);
	p.calendar = NULL;
	s = page_of(write_page, &p);
	assert_int_equal(count(s, "<td"), 14);
	assert_int_equal(count(s, "<td class=\"o\">"), 7);
	assert_int_equal(count(s, "<td class=\"l2 t\""), 1);
	free(s);
	json_decref(p.recap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escaped),
		cmocka_unit_test(test_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
