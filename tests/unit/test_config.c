/* Unit tests for daemon/config.c: kindlog.conf values, defaults and errors. */
#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "xmalloc.h"

/* The example from kindlog.conf(5), inline comments included. */
static const char example[] =
    "[partner]\n"
    "name = Sam\n"
    "\n"
    "[days]\n"
    "day_starts_at = 00:00         # e.g. 03:00: a gesture logged at 01:30 "
    "belongs to the previous day\n"
    "\n"
    "[reminders]\n"
    "enabled = true\n"
    "times = 12:30, 20:30          # one or more local times\n"
    "days = mon,tue,wed,thu,fri,sat,sun\n"
    "skip_if_logged = true         # no reminder once today has an entry\n"
    "quiet_hours = 22:30-07:30\n"
    "catch_up = 2h                 # after suspend, a missed reminder fires "
    "on wake if at most this late\n"
    "snooze = 1h                   # default snooze\n"
    "\n"
    "[recap]\n"
    "weekly = sun 19:00            # weekly recap notification; empty = off\n";

struct fixture {
	char	 dir[64];
	char	*path;		/* dir/kindlog.conf */
};

static int
setup(void **state)
{
	struct fixture	*f = xcalloc(1, sizeof *f);

	strcpy(f->dir, "/tmp/kindlog-test-config-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->path = xasprintf("%s/kindlog.conf", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* Replace the fixture's file with len bytes of text. */
static void
write_bytes(struct fixture *f, const char *text, size_t len)
{
	FILE	*fp = fopen(f->path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Replace the fixture's file with text. */
static void
write_text(struct fixture *f, const char *text)
{
	write_bytes(f, text, strlen(text));
}

/* Load text, which must parse; caller destroys the result. */
static struct config *
load_ok(struct fixture *f, const char *text)
{
	struct config	*config = NULL;
	struct kl_error	 err;

	write_text(f, text);
	memset(&err, 0, sizeof err);
	if (config_load(f->path, true, &config, &err) != 0)
		fail_msg("refused: %s\n--\n%s", err.message, text);
	assert_non_null(config);
	return config;
}

/*
 * Load text, which must be refused with a message that starts with
 * "path:line:" (line > 0) and mentions word.
 */
static void
load_bad(struct fixture *f, const char *text, int line, const char *word)
{
	struct config	*config = (struct config *)1;
	struct kl_error	 err;
	char		*prefix;

	write_text(f, text);
	memset(&err, 0, sizeof err);
	if (config_load(f->path, true, &config, &err) == 0)
		fail_msg("accepted:\n%s", text);
	assert_null(config);
	assert_int_equal(err.code, KL_ERR_PARAMS);
	if (line > 0)
		prefix = xasprintf("%s:%d:", f->path, line);
	else
		prefix = xasprintf("%s:", f->path);
	if (strncmp(err.message, prefix, strlen(prefix)) != 0)
		fail_msg("'%s' does not start with '%s'", err.message, prefix);
	if (word != NULL && strstr(err.message, word) == NULL)
		fail_msg("'%s' does not mention '%s'", err.message, word);
	free(prefix);
}

/* A prompts file: its lines are the prompts; devices and bad files fail. */
static void
test_prompts(void **state)
{
	struct fixture	*f = *state;
	struct config	*config;
	char		*prompts = xasprintf("%s.prompts", f->path);
	char		*text = xasprintf("[reminders]\nprompts = %s\n", prompts);
	FILE		*fp = fopen(prompts, "w");

	assert_non_null(fp);
	fputs("# mine\nWhat made you smile?\n\n  Who helped you?  \n", fp);
	assert_int_equal(fclose(fp), 0);
	config = load_ok(f, text);
	assert_int_equal(config->nprompts, 2);
	assert_string_equal(config->prompts[0], "What made you smile?");
	assert_string_equal(config->prompts[1], "Who helped you?");
	config_destroy(config);
	load_bad(f, "[reminders]\nprompts = /dev/zero\n", 2, "regular file");
	load_bad(f, "[reminders]\nprompts = prompts.txt\n", 2, "absolute");
	unlink(prompts);
	load_bad(f, text, 2, "prompts");
	free(text);
	free(prompts);
}

/* [prompt] command is split like a shell would; empty means "find one". */
static void
test_prompt_command(void **state)
{
	struct fixture	*f = *state;
	struct config	*config;

	config = load_ok(f, "[prompt]\ncommand = rofi -dmenu -p\n");
	assert_non_null(config->prompt_command);
	assert_string_equal(config->prompt_command[0], "rofi");
	assert_string_equal(config->prompt_command[2], "-p");
	assert_null(config->prompt_command[3]);
	config_destroy(config);
	config = load_ok(f, "[prompt]\ncommand = '/opt/my prompt' "
	    "--title \"kind log\"\n");
	assert_string_equal(config->prompt_command[0], "/opt/my prompt");
	assert_string_equal(config->prompt_command[2], "kind log");
	assert_null(config->prompt_command[3]);
	config_destroy(config);
	config = load_ok(f, "[prompt]\ncommand =\n");
	assert_null(config->prompt_command);
	config_destroy(config);
	load_bad(f, "[reminders]\ntimes = 20:30\n[prompt]\n"
	    "command = zenity 'unclosed\n", 4, "command");
}

/* Every field of config has its default value. */
static void
assert_defaults(const struct config *config)
{
	assert_null(config->partner);
	assert_int_equal(config->day_starts_at, 0);
	assert_true(config->reminders_enabled);
	assert_int_equal(config->ntimes, 1);
	assert_int_equal(config->times[0], 20 * 60 + 30);
	assert_int_equal(config->days, 0x7f);
	assert_true(config->skip_if_logged);
	assert_false(config->has_quiet_hours);
	assert_int_equal(config->catch_up, 7200);
	assert_int_equal(config->snooze, 3600);
	assert_false(config->recap_enabled);
	assert_int_equal(config->backups, 7);
	assert_null(config->backups_dir);
}

static void
test_defaults(void **state)
{
	struct config	*config = config_create_default();

	(void)state;
	assert_defaults(config);
	config_destroy(config);
	config_destroy(NULL);
}

static void
test_missing_file(void **state)
{
	struct fixture	*f = *state;
	struct config	*config = NULL;
	struct kl_error	 err;

	assert_int_equal(config_load(f->path, false, &config, &err), 0);
	assert_non_null(config);
	assert_defaults(config);
	config_destroy(config);

	config = (struct config *)1;
	memset(&err, 0, sizeof err);
	assert_int_equal(config_load(f->path, true, &config, &err), -1);
	assert_null(config);
	assert_non_null(strstr(err.message, f->path));

	/* A directory is not a config file, even when optional. */
	config = (struct config *)1;
	assert_int_equal(config_load(f->dir, false, &config, &err), -1);
	assert_null(config);
	assert_non_null(strstr(err.message, f->dir));
}

static void
test_empty_file(void **state)
{
	struct config	*config = load_ok(*state, "");

	assert_defaults(config);
	config_destroy(config);
	config = load_ok(*state, "# nothing but a comment\n\n");
	assert_defaults(config);
	config_destroy(config);
}

static void
test_example(void **state)
{
	struct config	*config = load_ok(*state, example);

	assert_non_null(config->partner);
	assert_string_equal(config->partner, "Sam");
	assert_int_equal(config->day_starts_at, 0);
	assert_true(config->reminders_enabled);
	assert_int_equal(config->ntimes, 2);
	assert_int_equal(config->times[0], 12 * 60 + 30);
	assert_int_equal(config->times[1], 20 * 60 + 30);
	assert_int_equal(config->days, 0x7f);
	assert_true(config->skip_if_logged);
	assert_true(config->has_quiet_hours);
	assert_int_equal(config->quiet_start, 22 * 60 + 30);
	assert_int_equal(config->quiet_end, 7 * 60 + 30);
	assert_int_equal(config->catch_up, 7200);
	assert_int_equal(config->snooze, 3600);
	assert_true(config->recap_enabled);
	assert_int_equal(config->recap_weekday, 6);
	assert_int_equal(config->recap_time, 19 * 60);
	assert_int_equal(config->backups, 7);
	assert_null(config->backups_dir);
	config_destroy(config);
}

static void
test_values(void **state)
{
	struct config	*config;

	config = load_ok(*state,
	    "[partner]\n"
	    "name = Alex Kim   # inline comment\n"
	    "[days]\n"
	    "day_starts_at = 03:00\n"
	    "[reminders]\n"
	    "enabled = no\n"
	    "times = 20:30,07:00 , 12:30\n"
	    "days = mon, Wed, FRIDAY\n"
	    "skip_if_logged = off\n"
	    "quiet_hours = 23:00 - 06:15\n"
	    "catch_up = 90\n"
	    "snooze = 1h30m\n"
	    "[recap]\n"
	    "weekly = Monday 08:05\n"
	    "[storage]\n"
	    "backups = 0\n"
	    "backups_dir = /srv/kindlog backups\n");
	assert_string_equal(config->partner, "Alex Kim");
	assert_int_equal(config->day_starts_at, 180);
	assert_false(config->reminders_enabled);
	/* Times come out sorted. */
	assert_int_equal(config->ntimes, 3);
	assert_int_equal(config->times[0], 7 * 60);
	assert_int_equal(config->times[1], 12 * 60 + 30);
	assert_int_equal(config->times[2], 20 * 60 + 30);
	assert_int_equal(config->days, 0x1 | 0x4 | 0x10);
	assert_false(config->skip_if_logged);
	assert_true(config->has_quiet_hours);
	assert_int_equal(config->quiet_start, 23 * 60);
	assert_int_equal(config->quiet_end, 6 * 60 + 15);
	assert_int_equal(config->catch_up, 5400);
	assert_int_equal(config->snooze, 5400);
	assert_true(config->recap_enabled);
	assert_int_equal(config->recap_weekday, 0);
	assert_int_equal(config->recap_time, 8 * 60 + 5);
	assert_int_equal(config->backups, 0);
	assert_string_equal(config->backups_dir, "/srv/kindlog backups");
	config_destroy(config);

	config = load_ok(*state,
	    "[reminders]\n"
	    "enabled = 0\n"
	    "skip_if_logged = YES\n"
	    "days = sat,sun\n"
	    "times = 09:00\n");
	assert_false(config->reminders_enabled);
	assert_true(config->skip_if_logged);
	assert_int_equal(config->days, 0x60);
	assert_int_equal(config->ntimes, 1);
	assert_int_equal(config->times[0], 540);
	/* Keys not given keep their defaults. */
	assert_null(config->partner);
	assert_int_equal(config->snooze, 3600);
	config_destroy(config);

	/* A '#' that is not after a space is part of the value. */
	config = load_ok(*state, "[partner]\nname = Sam#1\n");
	assert_string_equal(config->partner, "Sam#1");
	config_destroy(config);
	/* UTF-8 names are fine. */
	config = load_ok(*state, "[partner]\nname = Zo\xc3\xab\n");
	assert_string_equal(config->partner, "Zo\xc3\xab");
	config_destroy(config);
}

static void
test_empty_values(void **state)
{
	struct config	*config;

	config = load_ok(*state,
	    "[partner]\n"
	    "name =\n"
	    "[reminders]\n"
	    "quiet_hours =\n"
	    "[recap]\n"
	    "weekly =      # off\n");
	assert_null(config->partner);
	assert_false(config->has_quiet_hours);
	assert_false(config->recap_enabled);
	config_destroy(config);
}

static void
test_error_names_file_line_key(void **state)
{
	struct fixture	*f = *state;
	struct config	*config = NULL;
	struct kl_error	 err;
	char		*want;

	write_text(f,
	    "[partner]\n"
	    "name = Sam\n"
	    "[reminders]\n"
	    "times = 25:00\n");
	assert_int_equal(config_load(f->path, true, &config, &err), -1);
	assert_null(config);
	want = xasprintf("%s:4: [reminders] times: '25:00' is not a time "
	    "(HH:MM)", f->path);
	assert_string_equal(err.message, want);
	free(want);

	load_bad(f, "[reminders]\n\n# comment\n  times=12:30,7:00\n", 4,
	    "times");
}

static void
test_bad_values(void **state)
{
	struct fixture	*f = *state;
	char		 many[512];
	int		 i;

	load_bad(f, "[days]\nday_starts_at = 12:00\n", 2, "day_starts_at");
	load_bad(f, "[days]\nday_starts_at = 3\n", 2, "day_starts_at");
	load_bad(f, "[reminders]\nenabled = maybe\n", 2, "enabled");
	load_bad(f, "[reminders]\nskip_if_logged = \n", 2, "skip_if_logged");
	load_bad(f, "[reminders]\ntimes =\n", 2, "times");
	load_bad(f, "[reminders]\ntimes = 12:30 20:30\n", 2, "times");
	load_bad(f, "[reminders]\ndays = mon,funday\n", 2, "funday");
	load_bad(f, "[reminders]\ndays = mo\n", 2, "days");
	load_bad(f, "[reminders]\ndays =\n", 2, "days");
	load_bad(f, "[reminders]\nquiet_hours = 22:30\n", 2, "quiet_hours");
	load_bad(f, "[reminders]\nquiet_hours = 22:30-22:30\n", 2,
	    "quiet_hours");
	load_bad(f, "[reminders]\nquiet_hours = 22:30-25:00\n", 2,
	    "quiet_hours");
	load_bad(f, "[reminders]\nquiet_hours = 22:30-07:30 weekdays\n", 2,
	    "quiet_hours");
	load_bad(f, "[reminders]\nquiet_hours = 22:30-07:30-09:00\n", 2,
	    "quiet_hours");
	load_bad(f, "[reminders]\ncatch_up = soon\n", 2, "catch_up");
	load_bad(f, "[reminders]\ncatch_up = -1h\n", 2, "catch_up");
	load_bad(f, "[reminders]\nsnooze = 30s\n", 2, "snooze");
	load_bad(f, "[reminders]\nsnooze = 0\n", 2, "snooze");
	load_bad(f, "[recap]\nweekly = sun\n", 2, "weekly");
	load_bad(f, "[recap]\nweekly = someday 19:00\n", 2, "weekly");
	load_bad(f, "[recap]\nweekly = sun 19:00 sharp\n", 2, "weekly");
	load_bad(f, "[recap]\nweekly = sun 7pm\n", 2, "weekly");
	load_bad(f, "[storage]\nbackups = 366\n", 2, "backups");
	load_bad(f, "[storage]\nbackups = -1\n", 2, "backups");
	load_bad(f, "[storage]\nbackups = many\n", 2, "backups");
	load_bad(f, "[storage]\nbackups_dir = backups\n", 2, "backups_dir");
	load_bad(f, "[partner]\nname = Sam\tKim\n", 2, "name");

	/* 25 times is one too many. */
	strcpy(many, "[reminders]\ntimes = ");
	for (i = 0; i < 25; i++)
		sprintf(many + strlen(many), "%s%02d:00", i ? "," : "", i % 24);
	strcat(many, "\n");
	load_bad(f, many, 2, "times");
	/* 24 is fine. */
	many[strlen(many) - 7] = '\n';
	many[strlen(many) - 6] = '\0';
	config_destroy(load_ok(f, many));

	/* A name longer than 64 bytes. */
	strcpy(many, "[partner]\nname = ");
	memset(many + strlen(many), 'x', 65);
	strcpy(many + 17 + 65, "\n");
	load_bad(f, many, 2, "name");
}

static void
test_unknown_key_and_section(void **state)
{
	struct fixture	*f = *state;

	load_bad(f, "[reminders]\nenabled = true\nfrequency = 3\n", 3,
	    "frequency");
	load_bad(f, "[reminders]\nenabled = true\ntime = 12:30\n", 3, "time");
	/* A key from another section is unknown here. */
	load_bad(f, "[partner]\nname = Sam\nweekly = sun 19:00\n", 3,
	    "weekly");
	load_bad(f, "[partner]\nname = Sam\n\n[remindres]\ntimes = 12:30\n", 4,
	    "remindres");
	load_bad(f, "[Partner]\nname = Sam\n", 1, "Partner");
}

static void
test_syntax_errors(void **state)
{
	struct fixture	*f = *state;

	/* GKeyFile refuses these; the message names file and line. */
	load_bad(f, "name = Sam\n", 1, NULL);
	load_bad(f, "# about\n\nname = Sam\n[partner]\n", 3, NULL);
	load_bad(f, "[partner]\nname Sam\n", 2, "name Sam");
	load_bad(f, "[partner\nname = Sam\n", 1, "[partner");
	load_bad(f, "[partner] x\nname = Sam\n", 1, NULL);
	load_bad(f, "[partner]\n\n  # note\n=Sam\n", 4, NULL);
	/* A byte order mark is not part of GKeyFile's syntax. */
	load_bad(f, "\xef\xbb\xbf[partner]\nname = Sam\n", 1, NULL);
}

/* GKeyFile keeps the last of repeated keys; the error points at it. */
static void
test_repeated_keys(void **state)
{
	struct fixture	*f = *state;
	struct config	*config;

	load_bad(f, "[reminders]\ntimes = 12:30\ntimes = 25:00\n", 3,
	    "25:00");
	load_bad(f, "[reminders]\ntimes = 12:30\n[partner]\nname = Sam\n"
	    "[reminders]\ntimes = 25:00\n", 6, "25:00");
	config = load_ok(f, "[reminders]\ntimes = 12:30\ntimes = 08:00\n");
	assert_int_equal(config->ntimes, 1);
	assert_int_equal(config->times[0], 480);
	config_destroy(config);
}

static void
test_not_utf8(void **state)
{
	static const char	latin1[] = "[partner]\nname = Zo\xeb\n";
	static const char	nul[] = "[partner]\nname = Sam\0\n";
	struct fixture		*f = *state;
	struct config		*config = (struct config *)1;
	struct kl_error		 err;

	write_bytes(f, latin1, sizeof latin1 - 1);
	assert_int_equal(config_load(f->path, true, &config, &err), -1);
	assert_null(config);
	assert_non_null(strstr(err.message, f->path));
	assert_non_null(strstr(err.message, "UTF-8"));

	config = (struct config *)1;
	write_bytes(f, nul, sizeof nul - 1);
	assert_int_equal(config_load(f->path, true, &config, &err), -1);
	assert_null(config);
	assert_non_null(strstr(err.message, f->path));
}

static void
test_reload(void **state)
{
	struct fixture	*f = *state;
	struct config	*current, *before;
	struct kl_error	 err;

	current = load_ok(f, example);
	before = current;

	/* A broken file leaves the running config alone. */
	write_text(f, "[partner]\nname = Robin\n[reminders]\ntimes = 25:00\n");
	memset(&err, 0, sizeof err);
	assert_int_equal(config_reload(&current, f->path, true, NULL, &err), -1);
	assert_ptr_equal(current, before);
	assert_string_equal(current->partner, "Sam");
	assert_int_equal(current->ntimes, 2);
	assert_int_equal(current->times[0], 750);
	assert_non_null(strstr(err.message, "times"));
	assert_non_null(strstr(err.message, "(the old settings stay in use)"));

	/* Every error of the file, not only the first, in one line. */
	write_text(f, "[reminders]\ntimes = 8pm\ndays = someday\n"
	    "[nosuch]\nx = 1\n");
	memset(&err, 0, sizeof err);
	assert_int_equal(config_reload(&current, f->path, true, NULL, &err), -1);
	assert_ptr_equal(current, before);
	assert_non_null(strstr(err.message, ":2: [reminders] times"));
	assert_non_null(strstr(err.message, "; line 3: [reminders] days"));
	assert_non_null(strstr(err.message,
	    "; line 4: unknown section [nosuch]"));
	assert_null(strchr(err.message, '\n'));

	/* So does a missing file when one is required. */
	unlink(f->path);
	assert_int_equal(config_reload(&current, f->path, true, NULL, &err), -1);
	assert_ptr_equal(current, before);
	assert_string_equal(current->partner, "Sam");

	/* A good file replaces it whole: unset keys return to defaults. */
	write_text(f, "[partner]\nname = Robin\n");
	assert_int_equal(config_reload(&current, f->path, true, NULL, &err), 0);
	assert_non_null(current);
	assert_string_equal(current->partner, "Robin");
	assert_int_equal(current->ntimes, 1);
	assert_int_equal(current->times[0], 1230);
	assert_false(current->has_quiet_hours);
	assert_false(current->recap_enabled);

	/* An optional file that went away means defaults. */
	unlink(f->path);
	assert_int_equal(config_reload(&current, f->path, false, NULL, &err), 0);
	assert_defaults(current);
	config_destroy(current);
}

static void
test_format_clock(void **state)
{
	char	buf[8];

	(void)state;
	memset(buf, 'X', sizeof buf);
	assert_string_equal(config_format_clock(0, buf), "00:00");
	assert_int_equal(buf[6], 'X');
	assert_string_equal(config_format_clock(750, buf), "12:30");
	assert_string_equal(config_format_clock(1439, buf), "23:59");
	assert_string_equal(config_format_clock(1140, buf), "19:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_empty_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_example, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_error_names_file_line_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_key_and_section,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_repeated_keys, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_utf8, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prompts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prompt_command, setup,
		    teardown),
		cmocka_unit_test(test_format_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
