/*
 * The hybrid logical clock that orders sync operations (doc/sync.md): a
 * 64-bit integer, wall-clock milliseconds shifted left by HLC_COUNTER_BITS
 * with a counter in the low bits. A device's clock never goes back and
 * always passes every clock it has received, so a change made after
 * seeing another is ordered after it even when the wall clocks disagree.
 * Equal clocks of two devices are ordered by the devices' ids. Pure.
 */
#ifndef KINDLOG_HLC_H
#define KINDLOG_HLC_H

#include <stdbool.h>
#include <stdint.h>

#define HLC_COUNTER_BITS 16

struct hlc {
	int64_t	last;	/* the latest clock issued or received */
};

/* The clock of wall-clock milliseconds ms and counter n. */
int64_t	hlc_make(int64_t ms, unsigned n);
/* The milliseconds part of a clock. */
int64_t	hlc_ms(int64_t clock);
/*
 * A new clock for a local event at wall time now_ms: after every clock
 * issued or received so far, and not before now_ms.
 */
int64_t	hlc_tick(struct hlc *hlc, int64_t now_ms);
/*
 * Reserve n clocks for local events at once (a bulk publish); returns the
 * first, the others follow it by one.
 */
int64_t	hlc_tick_n(struct hlc *hlc, int64_t now_ms, int64_t n);
/* Take in a clock received from another device. */
void	hlc_receive(struct hlc *hlc, int64_t remote);
/*
 * Order two stamps (clock, device id); a NULL device is older than any:
 * < 0, 0 or > 0 as a is before, the same as, or after b.
 */
int	hlc_compare(int64_t a, const char *a_device, int64_t b,
	    const char *b_device);
/* The wall-clock milliseconds of now. */
int64_t	hlc_wall_ms(void);

#endif
