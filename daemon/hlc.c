/* The hybrid logical clock of sync operations (hlc.h). */
#include <string.h>
#include <time.h>

#include "hlc.h"

int64_t
hlc_make(int64_t ms, unsigned n)
{
	return (int64_t)((uint64_t)ms << HLC_COUNTER_BITS) |
	    (int64_t)(n & ((1u << HLC_COUNTER_BITS) - 1));
}

int64_t
hlc_ms(int64_t clock)
{
	return clock >> HLC_COUNTER_BITS;
}

int64_t
hlc_tick(struct hlc *hlc, int64_t now_ms)
{
	return hlc_tick_n(hlc, now_ms, 1);
}

/*
 * The counter may run into the milliseconds: the clock then runs a
 * little ahead of the wall, which only ever makes it later, never equal.
 */
int64_t
hlc_tick_n(struct hlc *hlc, int64_t now_ms, int64_t n)
{
	int64_t	wall = hlc_make(now_ms, 0), first;

	first = hlc->last + 1 > wall ? hlc->last + 1 : wall;
	hlc->last = first + (n > 0 ? n - 1 : 0);
	return first;
}

void
hlc_receive(struct hlc *hlc, int64_t remote)
{
	if (remote > hlc->last)
		hlc->last = remote;
}

int
hlc_compare(int64_t a, const char *a_device, int64_t b, const char *b_device)
{
	int	c;

	if (a != b)
		return a < b ? -1 : 1;
	if (a_device == NULL || b_device == NULL)
		return (a_device != NULL) - (b_device != NULL);
	c = strcmp(a_device, b_device);
	return (c > 0) - (c < 0);
}

int64_t
hlc_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
