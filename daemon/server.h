/*
 * The socket server: the listening socket, connections, line framing,
 * limits, and replies. The only module that touches bufferevents.
 */
#ifndef KINDLOG_SERVER_H
#define KINDLOG_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "kindlogd.h"

#define SERVER_MAX_CONNECTIONS 256
#define SERVER_MAX_QUEUED (1024 * 1024)
#define SERVER_IDLE_TIMEOUT 300

struct server;

/*
 * Create the listening socket at path: check its directory (paths.h),
 * refuse if a live daemon answers there, replace a stale socket, bind
 * under umask 077. Returns the descriptor or -1 with err.
 */
int server_listen(const char *path, struct kl_error *err);

/*
 * Serve on listen_fd (-1 for none, as in tests that add connections by
 * hand). owned_path is the socket file to unlink on destroy if this
 * process created it, or NULL.
 */
struct server *server_create(struct kindlogd *d, int listen_fd,
    const char *owned_path);
/* Close everything, unlinking the socket if we created it. */
void server_destroy(struct server *server);
/* Serve an already connected descriptor (peer uid is checked). */
int server_connection_add(struct server *server, int fd);
size_t server_connection_count(const struct server *server);
/*
 * Stop accepting and stop reading; once every queued reply is flushed (or
 * after a bounded wait) the event loop is asked to exit.
 */
void server_shutdown(struct server *server);
/* Idle timeout in seconds (tests shorten it). */
void server_set_idle_timeout(struct server *server, int seconds);

#endif
