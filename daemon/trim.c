/*
 * The quiet-time trim: one timer, re-armed by activity, that releases
 * SQLite's page cache and returns free heap pages to the system.
 */
#include <malloc.h>
#include <stdlib.h>

#include <event2/event.h>

#include "kindlogd.h"
#include "store.h"
#include "trim.h"
#include "xmalloc.h"

struct trim {
	struct kindlogd	*d;
	struct event	*timer;
};

/* The loop has been quiet for TRIM_DELAY_MS. */
static void
trim_timer(evutil_socket_t fd, short events, void *arg)
{
	trim_now(arg);
}

struct trim *
trim_create(struct kindlogd *d)
{
	struct trim	*t = xcalloc(1, sizeof *t);

	t->d = d;
	t->timer = evtimer_new(d->base, trim_timer, t);
	return t;
}

void
trim_soon(struct trim *t)
{
	struct timeval	delay = { 0, TRIM_DELAY_MS * 1000 };

	if (t == NULL)
		return;
	/* Re-adding a pending timer moves it: the countdown starts over. */
	evtimer_add(t->timer, &delay);
}

bool
trim_pending(const struct trim *t)
{
	return evtimer_pending(t->timer, NULL) != 0;
}

void
trim_now(struct trim *t)
{
	evtimer_del(t->timer);
	store_release_memory(t->d->store);
	/* Free pages anywhere in the heap, not only at its top. */
	malloc_trim(0);
}

void
trim_destroy(struct trim *t)
{
	if (t == NULL)
		return;
	event_free(t->timer);
	free(t);
}
