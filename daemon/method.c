/* What more than one group of method handlers needs. */
#include <stdlib.h>

#include "config.h"
#include "method.h"
#include "paths.h"
#include "reminder.h"
#include "store.h"
#include "streak.h"
#include "sync.h"

const char *const method_no_params[] = { NULL };

json_t *
method_streak_json(struct kindlogd *d, time_t now, struct kl_error *err)
{
	struct streak	 streak;
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries;

	if (store_days(d->store, &days, &ndays, &entries, err) != 0)
		return NULL;
	streak_compute(days, ndays, config_today(d->config, now), entries,
	    &streak);
	free(days);
	return streak_to_json(&streak);
}

int
method_entry_result(struct kindlogd *d, json_t *entry, time_t now,
    json_t **result, struct kl_error *err)
{
	json_t	*streak = method_streak_json(d, now, err);

	if (streak == NULL) {
		json_decref(entry);
		return -1;
	}
	*result = json_pack("{s:o, s:o}", "entry", entry, "streak", streak);
	return 0;
}

json_t *
method_reversed(json_t *array)
{
	json_t	*out = json_array();
	size_t	 i;

	for (i = json_array_size(array); i-- > 0;)
		json_array_append(out, json_array_get(array, i));
	return out;
}

int
method_reload_config(struct kindlogd *d, struct kl_error *err)
{
	char	*data_dir = paths_dirname(d->db_path);
	int	 rc;

	rc = config_reload(&d->config, d->config_path, d->config_explicit,
	    data_dir, err);
	free(data_dir);
	if (rc != 0)
		return -1;
	if (d->reminder != NULL)
		reminder_rearm(d->reminder);
	sync_reconfigure(d->sync);
	return 0;
}
