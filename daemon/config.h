/*
 * kindlog.conf, read with GKeyFile. A config is built whole and only then
 * swapped in, so a broken file never replaces a working one.
 */
#ifndef KINDLOG_CONFIG_H
#define KINDLOG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "day.h"
#include "error.h"

#define CONFIG_MAX_TIMES 24
#define CONFIG_PROMPTS_MAX 200
#define CONFIG_PROMPT_MAX 500
#define CONFIG_PROMPTS_FILE_MAX (256 * 1024)

struct config {
	char		*partner;		/* NULL: no name set */
	int		 day_starts_at;		/* minutes after midnight */

	bool		 reminders_enabled;
	int		 times[CONFIG_MAX_TIMES]; /* minutes, ascending */
	size_t		 ntimes;
	unsigned	 days;			/* bit 0 = Monday .. bit 6 */
	bool		 skip_if_logged;
	bool		 has_quiet_hours;
	int		 quiet_start;		/* minutes */
	int		 quiet_end;
	int64_t		 catch_up;		/* seconds */
	int64_t		 snooze;		/* seconds */
	char		*prompts_path;		/* NULL: built-in prompts */
	char		**prompts;		/* the file's lines */
	size_t		 nprompts;

	bool		 recap_enabled;
	int		 recap_weekday;		/* 0 = Monday */
	int		 recap_time;		/* minutes */

	int		 backups;		/* daily backups kept; 0 = off */
	char		*backups_dir;		/* NULL: the default */

	char		**prompt_command;	/* argv; NULL: find one */

	char		*sync_dir;		/* NULL: sync off; absolute */
	char		*sync_device;		/* NULL: the host name */
};

/* A config holding every default. */
struct config *config_create_default(void);
/*
 * Read path into a new config. A missing file gives the defaults unless
 * must_exist. Errors name the file, the line and the key.
 */
int config_load(const char *path, bool must_exist, struct config **out,
    struct kl_error *err);
void config_destroy(struct config *config);
/*
 * Load path into a new config and, only if it is valid (and, unless
 * data_dir is NULL, its [sync] dir passes config_check_sync_dir), replace
 * *current with it. On failure *current is untouched.
 */
int config_reload(struct config **current, const char *path, bool must_exist,
    const char *data_dir, struct kl_error *err);
/*
 * Refuse a [sync] dir inside data_dir, kindlog's own directory (the
 * database's): the engine would sync the live database. Errors name path.
 */
int config_check_sync_dir(const struct config *config, const char *path,
    const char *data_dir, struct kl_error *err);
/* "HH:MM" of minutes after midnight into buf (6 bytes). */
char *config_format_clock(int minutes, char *buf);
/* Today as this config sees it: the local day of now, from day_starts_at. */
kl_day config_today(const struct config *config, time_t now);

#endif
