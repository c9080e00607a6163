/*
 * The two service-manager protocols kindlogd speaks, implemented here
 * rather than through libsystemd: readiness notification (one datagram to
 * $NOTIFY_SOCKET, sd_notify(3)) and socket activation ($LISTEN_PID and
 * $LISTEN_FDS, descriptors from 3, sd_listen_fds(3)). Both are documented,
 * stable interfaces; linking libsystemd for them cost ~1 MiB of resident
 * memory (it pulls in libgcrypt, liblzma, libzstd, liblz4, libcap), about
 * an eighth of the daemon's budget.
 */
#ifndef KINDLOG_SYSTEMD_H
#define KINDLOG_SYSTEMD_H

#include "error.h"

/* The first passed descriptor; the others follow it. */
#define SYSTEMD_LISTEN_FDS_START 3

/*
 * Send STATE ("READY=1", "STOPPING=1", "STATUS=...", lines joined by
 * newlines) to the service manager. Returns 1 when sent, 0 when nobody
 * listens ($NOTIFY_SOCKET unset or empty), -1 with err on failure.
 */
int systemd_notify(const char *state, struct kl_error *err);

/* "RELOADING=1" with the MONOTONIC_USEC= newer systemd versions want. */
int systemd_notify_reloading(struct kl_error *err);

/*
 * How many sockets were passed to this process: 0 when none were or they
 * were meant for another one ($LISTEN_PID), -1 with err when the variables
 * are malformed. The passed descriptors get FD_CLOEXEC, and LISTEN_PID,
 * LISTEN_FDS and LISTEN_FDNAMES are unset so no child inherits them.
 */
int systemd_listen_fds(struct kl_error *err);

/*
 * 1 when FD is a listening AF_UNIX stream socket, 0 when it is anything
 * else (including no socket at all), -1 with err when it cannot be asked.
 */
int systemd_is_unix_listener(int fd, struct kl_error *err);

#endif
