/*
 * kindlog.conf through GKeyFile. Values may carry an inline comment after
 * whitespace ("times = 12:30, 20:30   # lunch and evening"), as in the
 * documented example, so each value is read raw and the comment cut off.
 * Unknown groups and keys are errors: a typo must not silently disable a
 * reminder.
 */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <glib.h>

#include "config.h"
#include "day.h"
#include "rfc3339.h"
#include "strnum.h"
#include "xmalloc.h"

struct config_reader {
	const char	*path;
	const char	*text;		/* the file's bytes, for line numbers */
	GKeyFile	*keyfile;
	struct config	*config;
	struct kl_error	*err;		/* every error found, "; " between */
	int		 nerrors;
};

typedef int (*config_parse_fn)(struct config_reader *, const char *group,
    const char *key, const char *value);

struct config_key {
	const char	*group;
	const char	*key;
	config_parse_fn	 parse;
};

struct config *
config_create_default(void)
{
	struct config	*config = xcalloc(1, sizeof *config);

	config->day_starts_at = 0;
	config->reminders_enabled = true;
	config->times[0] = 20 * 60 + 30;
	config->ntimes = 1;
	config->days = 0x7f;
	config->skip_if_logged = true;
	config->has_quiet_hours = false;
	config->catch_up = 2 * 3600;
	config->snooze = 3600;
	config->recap_enabled = false;
	config->backups = 7;
	return config;
}

/* Free a NULL-terminated argv. */
static void
config_free_argv(char **argv)
{
	size_t	i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* Drop the loaded prompt lines. */
static void
config_free_prompts(struct config *config)
{
	size_t	i;

	for (i = 0; i < config->nprompts; i++)
		free(config->prompts[i]);
	free(config->prompts);
	config->prompts = NULL;
	config->nprompts = 0;
}

void
config_destroy(struct config *config)
{
	if (config == NULL)
		return;
	free(config->partner);
	free(config->backups_dir);
	free(config->sync_dir);
	free(config->sync_device);
	free(config->prompts_path);
	config_free_prompts(config);
	config_free_argv(config->prompt_command);
	free(config);
}

char *
config_format_clock(int minutes, char *buf)
{
	unsigned	m = (unsigned)minutes % (24 * 60);

	snprintf(buf, 6, "%02u:%02u", m / 60, m % 60);
	return buf;
}

kl_day
config_today(const struct config *config, time_t now)
{
	return day_today(now, config->day_starts_at);
}

/*
 * The 1-based line of key in group (or of the group header), 0 if unknown.
 * GKeyFile keeps the last of repeated keys, so this finds the last one.
 */
static int
config_line_of(const char *text, const char *group, const char *key)
{
	const char	*p = text;
	int		 line = 1, in_group = 0, group_line = 0, key_line = 0;
	size_t		 glen = strlen(group), klen = key ? strlen(key) : 0;

	while (*p != '\0') {
		const char *s = p;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') {
			in_group = strncmp(s + 1, group, glen) == 0 &&
			    s[1 + glen] == ']';
			if (in_group)
				group_line = line;
		} else if (in_group && key != NULL &&
		    strncmp(s, key, klen) == 0 &&
		    (s[klen] == '=' || s[klen] == ' ' || s[klen] == '\t'))
			key_line = line;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
		line++;
	}
	return key_line != 0 ? key_line : group_line;
}

/*
 * The 1-based line GKeyFile refuses, 0 if not found: GKeyFile's own
 * messages quote the line but do not number it. Mirrors its rules: blank
 * and '#' lines, "[group]" headers, and "key=value" only after a group.
 */
static int
config_syntax_line(const char *text)
{
	const char	*p = text, *s, *end, *close;
	int		 line = 1, in_group = 0;

	while (*p != '\0') {
		s = p;
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		while (s < end && isspace((unsigned char)*s))
			s++;
		if (s < end && *s == '[') {
			close = memchr(s, ']', (size_t)(end - s));
			if (close == NULL)
				return line;
			close++;
			while (close < end && isspace((unsigned char)*close))
				close++;
			if (close != end)
				return line;
			in_group = 1;
		} else if (s < end && *s != '#') {
			if (!in_group || *s == '=' ||
			    memchr(s, '=', (size_t)(end - s)) == NULL)
				return line;
		}
		if (*end == '\0')
			break;
		p = end + 1;
		line++;
	}
	return 0;
}

/* Room config_reload keeps at the end of a message for its words. */
#define CONFIG_RELOAD_ROOM 40

/*
 * Add the error at line to those of the file, so that all of them are
 * reported at once: "path:2: what; line 5: what"; the message ends in "…"
 * when they do not all fit.
 */
static int
config_add_error(struct config_reader *r, int line, const char *what)
{
	char	*m = r->err->message, next[sizeof r->err->message];
	size_t	 len = strlen(m);
	size_t	 room = sizeof r->err->message - CONFIG_RELOAD_ROOM;

	if (r->nerrors++ == 0)
		return kl_error_set(r->err, KL_ERR_PARAMS, "%s:%d: %s",
		    r->path, line, what);
	snprintf(next, sizeof next, "; line %d: %s", line, what);
	if (len + strlen(next) < room)
		memcpy(m + len, next, strlen(next) + 1);
	else if (len + sizeof "; …" <= room && strstr(m, "; …") == NULL)
		memcpy(m + len, "; …", sizeof "; …");
	return -1;
}

/* Record an error naming file, line, group and key. */
static int KL_PRINTF(4, 5)
config_fail(struct config_reader *r, const char *group, const char *key,
    const char *fmt, ...)
{
	char	what[160], error[sizeof r->err->message];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(error, sizeof error, "[%s] %s: %s", group, key, what);
	return config_add_error(r, config_line_of(r->text, group, key),
	    error);
}

/* Split a comma-separated value into trimmed, non-empty items. */
static char **
config_split(const char *value)
{
	char	**items = g_strsplit(value, ",", -1);
	size_t	  i, j = 0;

	for (i = 0; items[i] != NULL; i++) {
		g_strstrip(items[i]);
		if (items[i][0] == '\0') {
			g_free(items[i]);
			continue;
		}
		items[j++] = items[i];
	}
	items[j] = NULL;
	return items;
}

static int
config_parse_bool(const char *value, bool *out)
{
	static const char	*yes[] = { "true", "yes", "on", "1" };
	static const char	*no[] = { "false", "no", "off", "0" };
	size_t			 i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* A name for people (the partner's, a device's): short, no controls. */
static int
config_name_at(struct config_reader *r, const char *group, const char *key,
    const char *value, char **field)
{
	const char	*p;

	if (strlen(value) > 64)
		return config_fail(r, group, key, "%s",
		    "name is longer than 64 bytes");
	for (p = value; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return config_fail(r, group, key, "%s",
			    "name contains control characters");
	}
	free(*field);
	*field = value[0] != '\0' ? xstrdup(value) : NULL;
	return 0;
}

static int
config_partner_name(struct config_reader *r, const char *group,
    const char *key, const char *value)
{
	return config_name_at(r, group, key, value, &r->config->partner);
}

static int
config_day_starts_at(struct config_reader *r, const char *group,
    const char *key, const char *value)
{
	int	minutes;

	if (!day_parse_clock(value, &minutes) || minutes >= 12 * 60)
		return config_fail(r, group, key,
		    "'%s' is not a time between 00:00 and 11:59", value);
	r->config->day_starts_at = minutes;
	return 0;
}

/* Parse a boolean key into the bool at offset within struct config. */
static int
config_bool_at(struct config_reader *r, const char *group, const char *key,
    const char *value, bool *field)
{
	if (config_parse_bool(value, field) != 0)
		return config_fail(r, group, key,
		    "'%s' is not true or false", value);
	return 0;
}

static int
config_enabled(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	return config_bool_at(r, group, key, value,
	    &r->config->reminders_enabled);
}

static int
config_skip_if_logged(struct config_reader *r, const char *group,
    const char *key, const char *value)
{
	return config_bool_at(r, group, key, value,
	    &r->config->skip_if_logged);
}

/* Ascending order for qsort of minutes. */
static int
config_compare_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int
config_times(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	char	**items = config_split(value);
	size_t	  i, n = 0;
	int	  minutes, rc = 0;

	for (i = 0; items[i] != NULL && rc == 0; i++) {
		if (n == CONFIG_MAX_TIMES)
			rc = config_fail(r, group, key, "%s",
			    "more than 24 times");
		else if (!day_parse_clock(items[i], &minutes))
			rc = config_fail(r, group, key,
			    "'%s' is not a time (HH:MM)", items[i]);
		else
			r->config->times[n++] = minutes;
	}
	g_strfreev(items);
	if (rc != 0)
		return rc;
	if (n == 0)
		return config_fail(r, group, key, "%s",
		    "at least one time is needed (or set enabled = false)");
	qsort(r->config->times, n, sizeof r->config->times[0],
	    config_compare_int);
	r->config->ntimes = n;
	return 0;
}

static int
config_days(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	char		**items = config_split(value);
	unsigned	  days = 0;
	int		  i, weekday, rc = 0;

	for (i = 0; items[i] != NULL && rc == 0; i++) {
		weekday = day_weekday_parse(items[i]);
		if (weekday < 0)
			rc = config_fail(r, group, key,
			    "'%s' is not a weekday (mon..sun)", items[i]);
		else
			days |= 1u << weekday;
	}
	g_strfreev(items);
	if (rc != 0)
		return rc;
	if (days == 0)
		return config_fail(r, group, key, "%s",
		    "at least one day is needed (or set enabled = false)");
	r->config->days = days;
	return 0;
}

static int
config_quiet_hours(struct config_reader *r, const char *group,
    const char *key, const char *value)
{
	char	start[16], end[16];
	int	s, e, used = -1;

	if (value[0] == '\0') {
		r->config->has_quiet_hours = false;
		return 0;
	}
	/* %n: "22:30-07:30 weekdays" must not pass as 22:30-07:30. */
	if (sscanf(value, "%15[0-9:] - %15[0-9:]%n", start, end, &used) != 2 ||
	    used < 0 || value[used] != '\0' ||
	    !day_parse_clock(start, &s) || !day_parse_clock(end, &e) ||
	    s == e)
		return config_fail(r, group, key,
		    "'%s' is not a range like 22:30-07:30", value);
	r->config->has_quiet_hours = true;
	r->config->quiet_start = s;
	r->config->quiet_end = e;
	return 0;
}

/* Parse a duration key into the seconds field. */
static int
config_duration_at(struct config_reader *r, const char *group,
    const char *key, const char *value, int64_t *field)
{
	if (!duration_parse(value, field))
		return config_fail(r, group, key,
		    "'%s' is not a duration like 30m, 1h or 2h30m", value);
	return 0;
}

static int
config_catch_up(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	return config_duration_at(r, group, key, value, &r->config->catch_up);
}

static int
config_snooze(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	if (config_duration_at(r, group, key, value, &r->config->snooze) != 0)
		return -1;
	if (r->config->snooze < 60)
		return config_fail(r, group, key, "%s",
		    "snooze must be at least one minute");
	return 0;
}

static int
config_weekly(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	char	day[16], clock[16], extra[2];
	int	weekday, minutes;

	if (value[0] == '\0') {
		r->config->recap_enabled = false;
		return 0;
	}
	if (sscanf(value, "%15s %15s %1s", day, clock, extra) != 2 ||
	    (weekday = day_weekday_parse(day)) < 0 ||
	    !day_parse_clock(clock, &minutes))
		return config_fail(r, group, key,
		    "'%s' is not a weekday and time like 'sun 19:00'", value);
	r->config->recap_enabled = true;
	r->config->recap_weekday = weekday;
	r->config->recap_time = minutes;
	return 0;
}

static int
config_backups(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	int64_t	n;

	if (!parse_int64(value, 0, 365, &n))
		return config_fail(r, group, key,
		    "'%s' is not a number from 0 to 365", value);
	r->config->backups = (int)n;
	return 0;
}

static int
config_backups_dir(struct config_reader *r, const char *group,
    const char *key, const char *value)
{
	if (value[0] != '/')
		return config_fail(r, group, key,
		    "'%s' is not an absolute path", value);
	free(r->config->backups_dir);
	r->config->backups_dir = xstrdup(value);
	return 0;
}

static int
config_prompts(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	struct config	*config = r->config;
	GError		*gerr = NULL;
	gchar		*text, **lines;
	struct stat	 sb;
	size_t		 i;
	int		 rc = 0;

	if (value[0] != '/')
		return config_fail(r, group, key,
		    "'%s' is not an absolute path", value);
	/* A device or a huge file would be read whole: refuse it first. */
	if (stat(value, &sb) == 0 && (!S_ISREG(sb.st_mode) ||
	    sb.st_size > CONFIG_PROMPTS_FILE_MAX))
		return config_fail(r, group, key, "%s is not a regular file "
		    "of at most %d bytes", value, CONFIG_PROMPTS_FILE_MAX);
	if (!g_file_get_contents(value, &text, NULL, &gerr)) {
		rc = config_fail(r, group, key, "%s", gerr->message);
		g_error_free(gerr);
		return rc;
	}
	config_free_prompts(config);
	if (!g_utf8_validate(text, -1, NULL)) {
		g_free(text);
		return config_fail(r, group, key, "%s is not UTF-8 text",
		    value);
	}
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	for (i = 0; lines[i] != NULL && rc == 0; i++) {
		g_strstrip(lines[i]);
		if (lines[i][0] == '\0' || lines[i][0] == '#')
			continue;
		if (strlen(lines[i]) > CONFIG_PROMPT_MAX || config->nprompts ==
		    CONFIG_PROMPTS_MAX)
			rc = config_fail(r, group, key, "%s: line %zu is "
			    "longer than %d bytes or past %d prompts", value,
			    i + 1, CONFIG_PROMPT_MAX, CONFIG_PROMPTS_MAX);
		else {
			config->prompts = xreallocarray(config->prompts,
			    config->nprompts + 1, sizeof *config->prompts);
			config->prompts[config->nprompts++] =
			    xstrdup(lines[i]);
		}
	}
	g_strfreev(lines);
	if (rc == 0 && config->nprompts == 0)
		rc = config_fail(r, group, key, "%s has no prompts", value);
	if (rc != 0)
		return rc;
	free(config->prompts_path);
	config->prompts_path = xstrdup(value);
	return 0;
}

static int
config_prompt_command(struct config_reader *r, const char *group,
    const char *key, const char *value)
{
	GError	*gerr = NULL;
	gchar	**argv;
	gint	  argc, i;
	int	  rc;

	config_free_argv(r->config->prompt_command);
	r->config->prompt_command = NULL;
	if (value[0] == '\0')
		return 0;
	if (!g_shell_parse_argv(value, &argc, &argv, &gerr)) {
		rc = config_fail(r, group, key, "%s", gerr->message);
		g_error_free(gerr);
		return rc;
	}
	r->config->prompt_command = xcalloc((size_t)argc + 1, sizeof(char *));
	for (i = 0; i < argc; i++)
		r->config->prompt_command[i] = xstrdup(argv[i]);
	g_strfreev(argv);
	return 0;
}

/* [sync] dir: ~ is the home directory; empty turns sync off. */
static int
config_sync_dir(struct config_reader *r, const char *group, const char *key,
    const char *value)
{
	const char	*home = getenv("HOME");
	char		*dir;

	free(r->config->sync_dir);
	r->config->sync_dir = NULL;
	if (value[0] == '\0')
		return 0;
	if ((value[0] == '~' && (value[1] == '/' || value[1] == '\0')) &&
	    (home == NULL || home[0] != '/'))
		return config_fail(r, group, key, "%s",
		    "~ needs HOME to be set");
	if (value[0] == '~' && (value[1] == '/' || value[1] == '\0'))
		dir = xasprintf("%s%s", home, value + 1);
	else
		dir = xstrdup(value);
	if (dir[0] != '/') {
		free(dir);
		return config_fail(r, group, key,
		    "'%s' is not an absolute path (or one under ~/)", value);
	}
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	r->config->sync_dir = dir;
	return 0;
}

/* [sync] device: a name for people, like the partner's. */
static int
config_sync_device(struct config_reader *r, const char *group,
    const char *key, const char *value)
{
	return config_name_at(r, group, key, value, &r->config->sync_device);
}

/* Whether path is dir or inside it, comparing whole components. */
static bool
config_path_within(const char *path, const char *dir)
{
	size_t	len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	return strncmp(path, dir, len) == 0 &&
	    (path[len] == '\0' || path[len] == '/' || len == 1);
}

int
config_check_sync_dir(const struct config *config, const char *path,
    const char *data_dir, struct kl_error *err)
{
	char	*real_data, *real_sync;
	bool	 inside;

	if (config->sync_dir == NULL)
		return 0;
	real_data = realpath(data_dir, NULL);
	real_sync = realpath(config->sync_dir, NULL);
	inside = config_path_within(config->sync_dir, data_dir) ||
	    (real_data != NULL && config_path_within(config->sync_dir,
	    real_data)) || (real_data != NULL && real_sync != NULL &&
	    config_path_within(real_sync, real_data));
	free(real_data);
	free(real_sync);
	if (inside)
		return kl_error_set(err, KL_ERR_PARAMS, "%s: [sync] dir: %s is "
		    "inside kindlog's data directory %s; the engine would "
		    "copy the live database: choose a folder of its own", path,
		    config->sync_dir, data_dir);
	return 0;
}

static const struct config_key config_keys[] = {
	{ "partner", "name", config_partner_name },
	{ "days", "day_starts_at", config_day_starts_at },
	{ "reminders", "enabled", config_enabled },
	{ "reminders", "times", config_times },
	{ "reminders", "days", config_days },
	{ "reminders", "skip_if_logged", config_skip_if_logged },
	{ "reminders", "quiet_hours", config_quiet_hours },
	{ "reminders", "catch_up", config_catch_up },
	{ "reminders", "snooze", config_snooze },
	{ "reminders", "prompts", config_prompts },
	{ "recap", "weekly", config_weekly },
	{ "storage", "backups", config_backups },
	{ "storage", "backups_dir", config_backups_dir },
	{ "prompt", "command", config_prompt_command },
	{ "sync", "dir", config_sync_dir },
	{ "sync", "device", config_sync_device },
};

/* The known key of group, or NULL. */
static const struct config_key *
config_find_key(const char *group, const char *key)
{
	size_t	i;

	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		if (strcmp(config_keys[i].group, group) == 0 &&
		    strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	}
	return NULL;
}

/* A raw value with any inline " # comment" removed and spaces trimmed. */
static char *
config_clean_value(const char *raw)
{
	char	*value = xstrdup(raw), *p;

	for (p = value; *p != '\0'; p++) {
		if (*p == '#' && (p == value || isspace((unsigned char)p[-1]))) {
			*p = '\0';
			break;
		}
	}
	return str_trim(value);
}

/* Apply every key of one group. */
static int
config_read_group(struct config_reader *r, const char *group)
{
	gchar			**keys;
	const struct config_key	 *known;
	char			 *value;
	gchar			 *raw;
	size_t			  i;
	int			  rc = 0;

	keys = g_key_file_get_keys(r->keyfile, group, NULL, NULL);
	for (i = 0; keys != NULL && keys[i] != NULL; i++) {
		known = config_find_key(group, keys[i]);
		if (known == NULL) {
			rc = config_fail(r, group, keys[i], "%s",
			    "unknown key");
			continue;
		}
		raw = g_key_file_get_value(r->keyfile, group, keys[i], NULL);
		value = config_clean_value(raw != NULL ? raw : "");
		if (known->parse(r, group, keys[i], value) != 0)
			rc = -1;
		free(value);
		g_free(raw);
	}
	g_strfreev(keys);
	return rc;
}

/* Check groups against the known ones and apply their keys. */
static int
config_read(struct config_reader *r)
{
	gchar	**groups = g_key_file_get_groups(r->keyfile, NULL);
	char	  what[sizeof r->err->message];
	size_t	  i, j;
	int	  rc = 0, known;

	for (i = 0; groups[i] != NULL; i++) {
		known = 0;
		for (j = 0; j < sizeof config_keys / sizeof config_keys[0]; j++)
			known |= strcmp(config_keys[j].group, groups[i]) == 0;
		if (!known) {
			snprintf(what, sizeof what, "unknown section [%s]",
			    groups[i]);
			rc = config_add_error(r,
			    config_line_of(r->text, groups[i], NULL), what);
			continue;
		}
		if (config_read_group(r, groups[i]) != 0)
			rc = -1;
	}
	g_strfreev(groups);
	return rc;
}

int
config_load(const char *path, bool must_exist, struct config **out,
    struct kl_error *err)
{
	struct config_reader	 r = { .path = path, .err = err };
	GError			*gerr = NULL;
	gchar			*text = NULL;
	gsize			 len;
	int			 rc, line;

	*out = NULL;
	if (!g_file_get_contents(path, &text, &len, &gerr)) {
		if (g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT) &&
		    !must_exist) {
			g_error_free(gerr);
			*out = config_create_default();
			return 0;
		}
		rc = kl_error_set(err, KL_ERR_PARAMS, "%s: %s", path,
		    gerr->message);
		g_error_free(gerr);
		return rc;
	}
	if (strlen(text) != len || !g_utf8_validate(text, (gssize)len, NULL)) {
		g_free(text);
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s: not a UTF-8 text file", path);
	}
	r.text = text;
	r.keyfile = g_key_file_new();
	r.config = config_create_default();
	if (!g_key_file_load_from_data(r.keyfile, text, len,
	    G_KEY_FILE_NONE, &gerr)) {
		line = config_syntax_line(text);
		if (line > 0)
			rc = kl_error_set(err, KL_ERR_PARAMS, "%s:%d: %s", path,
			    line, gerr->message);
		else
			rc = kl_error_set(err, KL_ERR_PARAMS, "%s: %s", path,
			    gerr->message);
		g_error_free(gerr);
	} else
		rc = config_read(&r);
	g_key_file_free(r.keyfile);
	g_free(text);
	if (rc != 0) {
		config_destroy(r.config);
		return -1;
	}
	*out = r.config;
	return 0;
}

int
config_reload(struct config **current, const char *path, bool must_exist,
    const char *data_dir, struct kl_error *err)
{
	struct config	*fresh;
	size_t		 len;

	if (config_load(path, must_exist, &fresh, err) == 0 &&
	    data_dir != NULL &&
	    config_check_sync_dir(fresh, path, data_dir, err) != 0) {
		config_destroy(fresh);
		fresh = NULL;
	}
	if (fresh == NULL) {
		len = strlen(err->message);
		snprintf(err->message + len, sizeof err->message - len,
		    " (the old settings stay in use)");
		return -1;
	}
	config_destroy(*current);
	*current = fresh;
	return 0;
}
