/*
 * The method table: every JSON-RPC method by name. The methods themselves
 * live in method-*.c, one file for each group, and each is a const struct
 * method (method.h) that says which params it accepts; methods_call
 * checks those names once, then the handler checks their values.
 */
#include <string.h>

#include "method.h"
#include "methods.h"
#include "params.h"
#include "reminder.h"
#include "store.h"
#include "sync.h"
#include "trim.h"

extern const struct method method_version_entry;
extern const struct method method_status_entry;
extern const struct method method_add_entry;
extern const struct method method_get_entry;
extern const struct method method_list_entry;
extern const struct method method_edit_entry;
extern const struct method method_delete_entry;
extern const struct method method_undo_entry;
extern const struct method method_thank_entry;
extern const struct method method_unthank_entry;
extern const struct method method_streak_entry;
extern const struct method method_reload_entry;
extern const struct method method_remind_status_entry;
extern const struct method method_remind_now_entry;
extern const struct method method_remind_snooze_entry;
extern const struct method method_remind_pause_entry;
extern const struct method method_remind_resume_entry;
extern const struct method method_stats_entry;
extern const struct method method_calendar_entry;
extern const struct method method_tags_entry;
extern const struct method method_export_entry;
extern const struct method method_import_begin_entry;
extern const struct method method_import_add_entry;
extern const struct method method_import_commit_entry;
extern const struct method method_import_abort_entry;
extern const struct method method_backup_entry;
extern const struct method method_recap_entry;
extern const struct method method_resurface_entry;
extern const struct method method_prompt_run_entry;
extern const struct method method_reflect_questions_entry;
extern const struct method method_reflect_save_entry;
extern const struct method method_reflect_list_entry;
extern const struct method method_reflect_nudge_entry;
extern const struct method method_summary_entry;
extern const struct method method_sync_status_entry;
extern const struct method method_sync_now_entry;

const struct method *const methods_table[] = {
	&method_version_entry,
	&method_status_entry,
	&method_add_entry,
	&method_get_entry,
	&method_list_entry,
	&method_edit_entry,
	&method_delete_entry,
	&method_undo_entry,
	&method_thank_entry,
	&method_unthank_entry,
	&method_streak_entry,
	&method_reload_entry,
	&method_remind_status_entry,
	&method_remind_now_entry,
	&method_remind_snooze_entry,
	&method_remind_pause_entry,
	&method_remind_resume_entry,
	&method_stats_entry,
	&method_calendar_entry,
	&method_tags_entry,
	&method_export_entry,
	&method_import_begin_entry,
	&method_import_add_entry,
	&method_import_commit_entry,
	&method_import_abort_entry,
	&method_backup_entry,
	&method_recap_entry,
	&method_resurface_entry,
	&method_prompt_run_entry,
	&method_reflect_questions_entry,
	&method_reflect_save_entry,
	&method_reflect_list_entry,
	&method_reflect_nudge_entry,
	&method_summary_entry,
	&method_sync_status_entry,
	&method_sync_now_entry,
};
const size_t methods_count = sizeof methods_table / sizeof methods_table[0];

const struct method *
methods_find(const char *name)
{
	size_t	i;

	for (i = 0; i < methods_count; i++) {
		if (strcmp(methods_table[i]->name, name) == 0)
			return methods_table[i];
	}
	return NULL;
}

int
methods_call(struct kindlogd *d, const char *name, json_t *params,
    json_t **result, struct kl_error *err)
{
	const struct method	*method = methods_find(name);

	*result = NULL;
	if (method == NULL)
		return kl_error_set(err, KL_ERR_METHOD,
		    "unknown method '%.64s'", name);
	if (params_allow(params, method->params, err) != 0 ||
	    method->handler(d, params, result, err) != 0)
		return -1;
	/*
	 * Today's entries decide whether a reminder is still due. The server
	 * batches writes and re-arms once per batch (methods_batch_done):
	 * computing the schedule costs more than the write itself.
	 */
	if (method->writes)
		sync_changed(d->sync);
	if (method->writes && d->reminder != NULL) {
		if (d->server != NULL)
			d->rearm_pending = true;
		else
			reminder_rearm(d->reminder);
	}
	return 0;
}

void
methods_batch_begin(struct kindlogd *d)
{
	store_batch_begin(d->store);
}

int
methods_batch_end(struct kindlogd *d, struct kl_error *err)
{
	return store_batch_commit(d->store, err);
}

void
methods_batch_done(struct kindlogd *d)
{
	if (d->rearm_pending && d->reminder != NULL)
		reminder_writes_done(d->reminder);
	d->rearm_pending = false;
	trim_soon(d->trim);
}
