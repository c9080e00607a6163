/* The remind.* methods (method-remind.c), and what status shows of them. */
#ifndef KINDLOG_METHOD_REMIND_H
#define KINDLOG_METHOD_REMIND_H

#include <jansson.h>

#include "kindlogd.h"

/*
 * The "notifications" part of status ({"available", "reason", "actions",
 * "last_delivery"}), a new object; d->reminder must be running.
 */
json_t *method_remind_notifications(struct kindlogd *d);
/* The remind.status result (a new object); d->reminder must be running. */
json_t *method_remind_status_object(struct kindlogd *d);

#endif
