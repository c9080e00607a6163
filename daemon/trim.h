/*
 * Giving memory back once the daemon goes quiet. A burst of requests
 * fills SQLite's page cache and leaves freed heap behind, and a
 * notification leaves GDBus's buffers; none of it is needed while
 * nothing happens, which is most of the day. TRIM_DELAY_MS after the
 * last activity the loop empties the page cache and trims the heap,
 * once: the timer is not re-armed until something happens again, so an
 * idle daemon stays small and asleep (no periodic wakeup).
 */
#ifndef KINDLOG_TRIM_H
#define KINDLOG_TRIM_H

#include <stdbool.h>

/*
 * Long enough that a script running kindlog in a loop, or a burst of
 * group commits, keeps its warm cache; short enough that the daemon is
 * small again long before anyone looks.
 */
#define TRIM_DELAY_MS 500

struct kindlogd;
struct trim;

/* A trimmer on d's loop, for d's store; nothing is scheduled yet. */
struct trim *trim_create(struct kindlogd *d);

/* Something happened: trim TRIM_DELAY_MS after the last such call. */
void trim_soon(struct trim *t);

/* Whether a trim is scheduled (it is not once it ran). */
bool trim_pending(const struct trim *t);

/* Release the page cache and trim the heap now. */
void trim_now(struct trim *t);

void trim_destroy(struct trim *t);

#endif
