/*
 * Reaching kindlogd's socket, and starting kindlogd when nothing listens
 * there: find the binary, spawn it detached under a lock in the socket's
 * directory (so that two clients never start two daemons), and wait for
 * its socket to answer, or for it to exit with an error of its own.
 */
#ifndef KINDLOG_CLIENT_AUTOSTART_H
#define KINDLOG_CLIENT_AUTOSTART_H

#include <stdbool.h>

#include "error.h"

/* How long a started daemon gets to answer on its socket. */
#define AUTOSTART_WAIT_MS 2000
/* Pause between connection attempts while it starts. */
#define AUTOSTART_POLL_MS 15

/*
 * Connect to the socket at path. When no daemon listens there and
 * may_start is true (and $KINDLOG_NO_AUTOSTART is not set), start
 * kindlogd for it first. With timeout_ms > 0, connecting gives up after
 * that long (a daemon too busy to accept), and so does every later write
 * on *fd; 0 waits as long as it takes. Returns 0 and the connected *fd;
 * or -1 and err, whose code is CONNECTION_ERR_UNREACHABLE (the message
 * says why), or CONNECTION_ERR_UNSAFE_DIR (the socket directory failed
 * its checks), or CONNECTION_ERR_NOT_STARTED when the daemon it started
 * exited before answering (the message is the daemon's own error line).
 */
int	autostart_connect(const char *path, bool may_start, int timeout_ms,
	    int *fd, struct kl_error *err);
/* Milliseconds on the monotonic clock, for deadlines. */
long long autostart_now_ms(void);

#endif
