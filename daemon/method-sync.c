/* Sync between devices: sync.status and sync.now (sync.h, doc/sync.md). */
#include "method.h"
#include "sync.h"

static int
method_sync_status(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	if (d->sync == NULL)
		return kl_error_set(err, KL_ERR_INTERNAL, "no sync here");
	return sync_status(d->sync, result, err);
}

static int
method_sync_now(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	return sync_now(d->sync, result, err);
}

const struct method method_sync_status_entry = {
	.name = "sync.status",
	.params = method_no_params,
	.handler = method_sync_status,
	.writes = false,
	.summary = "the sync folder, this device, its peers and what waits",
};

const struct method method_sync_now_entry = {
	.name = "sync.now",
	.params = method_no_params,
	.handler = method_sync_now,
	.writes = true,
	.summary = "write pending changes to the sync folder and read the peers'",
};
