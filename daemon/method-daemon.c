/* The daemon's own methods: version, status, reload, backup. */
#include <stdlib.h>
#include <unistd.h>

#include "ask.h"
#include "backup.h"
#include "config.h"
#include "method-remind.h"
#include "method.h"
#include "store.h"

static int
method_version(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	*result = json_pack("{s:s, s:i}", "version", KINDLOG_VERSION,
	    "protocol", KINDLOG_PROTOCOL);
	return 0;
}

/*
 * What kindlog prompt needs to ask as the daemon would: the configured
 * command (null: find one) and the question.
 */
static json_t *
method_daemon_prompt_json(struct kindlogd *d)
{
	json_t	*command = json_null(), *out;
	char	*question = ask_question(d->config->partner);
	size_t	 i;

	if (d->config->prompt_command != NULL) {
		command = json_array();
		for (i = 0; d->config->prompt_command[i] != NULL; i++)
			json_array_append_new(command, json_string(
			    d->config->prompt_command[i]));
	}
	out = json_pack("{s:o, s:s}", "command", command, "question",
	    question);
	free(question);
	return out;
}

static int
method_status(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	time_t		 now = time(NULL);
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries;
	char		 today[DAY_ISO_LEN], clock[8];

	if (store_days(d->store, &days, &ndays, &entries, err) != 0)
		return -1;
	free(days);
	*result = json_pack("{s:s, s:i, s:I, s:I, s:s?, s:s?, s:s?, s:b, "
	    "s:I, s:I, s:s, s:s, s:s?}",
	    "version", KINDLOG_VERSION,
	    "protocol", KINDLOG_PROTOCOL,
	    "pid", (json_int_t)getpid(),
	    "uptime", (json_int_t)(now - d->started_at),
	    "socket", d->socket_path,
	    "database", d->db_path,
	    "config", d->config_path,
	    "readonly", store_readonly(d->store),
	    "connections", (json_int_t)d->connections,
	    "entries", (json_int_t)entries,
	    "today", day_format(config_today(d->config, now), today),
	    "day_starts_at", config_format_clock(d->config->day_starts_at,
	    clock),
	    "partner", d->config->partner);
	if (d->reminder != NULL) {
		json_object_set_new(*result, "notifications",
		    method_remind_notifications(d));
		json_object_set_new(*result, "reminders",
		    method_remind_status_object(d));
	}
	json_object_set_new(*result, "prompt", method_daemon_prompt_json(d));
	return 0;
}

static int
method_reload(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	if (method_reload_config(d, err) != 0)
		return -1;
	*result = json_pack("{s:s}", "config", d->config_path);
	return 0;
}

static int
method_backup(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	char	*path;

	if (backup_now(d, &path, err) != 0)
		return -1;
	*result = json_pack("{s:s}", "path", path);
	free(path);
	return 0;
}

const struct method method_version_entry = {
	.name = "version",
	.params = method_no_params,
	.handler = method_version,
	.writes = false,
	.summary = "daemon and protocol version",
};

const struct method method_status_entry = {
	.name = "status",
	.params = method_no_params,
	.handler = method_status,
	.writes = false,
	.summary = "the daemon's state",
};

const struct method method_reload_entry = {
	.name = "reload",
	.params = method_no_params,
	.handler = method_reload,
	.writes = false,
	.summary = "re-read the config file",
};

const struct method method_backup_entry = {
	.name = "backup",
	.params = method_no_params,
	.handler = method_backup,
	.writes = false,
	.summary = "copy the database into the backups directory now",
};
