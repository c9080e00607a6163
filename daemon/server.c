/*
 * The socket server. Each connection is a bufferevent; complete lines are
 * parsed, dispatched through the method table and answered in order. All
 * limits of doc/protocol.md are enforced here: line length, connection
 * count, queued replies, idle time, and the peer's uid. At the connection
 * limit a new connection evicts the one idle longest, so leaked idle
 * connections never lock the user's own `kindlog add` out.
 *
 * Group commit (ARCHITECTURE.md, the path of one request): the lines that
 * arrive in one loop iteration, across every connection, are handled
 * inside one store batch; their replies are held until a flush event,
 * queued last in the same iteration, has committed that batch. A failed
 * commit turns every result held for it into error 2, so no reply ever
 * acknowledges a change that is not on disk.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "methods.h"
#include "paths.h"
#include "server.h"
#include "wire.h"
#include "xmalloc.h"

#define SERVER_ACCEPT_BATCH 64
#define SERVER_SHUTDOWN_WAIT 2

/* A reply held until the batch it belongs to is committed. */
struct server_reply {
	TAILQ_ENTRY(server_reply)	 entry;
	json_t				*id;	/* set for results only */
	char				*line;
	size_t				 len;
};

struct server_client {
	struct server			*server;
	struct bufferevent		*bev;
	bool				 closing;
	TAILQ_ENTRY(server_client)	 entry;
	TAILQ_HEAD(, server_reply)	 held;
	size_t				 held_bytes;
	bool				 batched;	/* on server->batch */
	TAILQ_ENTRY(server_client)	 batch_entry;
};

struct server {
	struct kindlogd			*d;
	int				 listen_fd;
	struct event			*accept_ev;
	struct event			*backoff_ev;
	struct event			*shutdown_ev;
	char				*owned_path;
	dev_t				 owned_dev;
	ino_t				 owned_ino;
	TAILQ_HEAD(, server_client)	 clients;	/* longest idle first */
	struct event			*flush_ev;
	struct evbuffer			*sendbuf;	/* replies sent at once */
	bool				 batch_active;
	TAILQ_HEAD(, server_client)	 batch;	/* clients holding replies */
	int				 idle_timeout;
	bool				 shutting_down;
	time_t				 last_emfile_log;
};

static void server_client_destroy(struct server_client *c);

/* Probe path: 1 if a live daemon answers, 0 if stale or absent, -1 error. */
static int
server_probe(const char *path, struct kl_error *err)
{
	struct sockaddr_un	 sa = { .sun_family = AF_UNIX };
	int			 fd, rc;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return kl_error_set(err, KL_ERR_INTERNAL, "socket: %s",
		    strerror(errno));
	strcpy(sa.sun_path, path);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	if (rc == 0)
		return 1;
	if (errno == ECONNREFUSED || errno == ENOENT)
		return 0;
	return kl_error_set(err, KL_ERR_INTERNAL, "cannot probe %s: %s",
	    path, strerror(errno));
}

/* Hold a lock next to the socket for the daemon's life. */
static int
server_lock(const char *path, struct kl_error *err)
{
	char	*lock = xasprintf("%s.lock", path);
	int	 fd;

	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		kl_error_set(err, KL_ERR_INTERNAL, "cannot open %s: %s", lock,
		    strerror(errno));
		free(lock);
		return -1;
	}
	free(lock);
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return kl_error_set(err, KL_ERR_CONFLICT,
		    "kindlogd is already running on %s", path);
	}
	return 0;	/* the descriptor stays open until exit */
}

int
server_listen(const char *path, struct kl_error *err)
{
	struct sockaddr_un	 sa = { .sun_family = AF_UNIX };
	struct stat		 sb;
	char			*dir;
	mode_t			 mask;
	int			 fd, live, rc;

	if (strlen(path) > PATHS_SOCKET_MAX || path[0] == '\0')
		return kl_error_set(err, KL_ERR_PARAMS,
		    "socket path is empty or longer than %d bytes",
		    PATHS_SOCKET_MAX);
	dir = paths_dirname(path);
	rc = paths_secure_dir(dir, err);
	free(dir);
	if (rc != 0 || server_lock(path, err) != 0)
		return -1;
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode))
			return kl_error_set(err, KL_ERR_CONFLICT,
			    "%s exists and is not a socket", path);
		live = server_probe(path, err);
		if (live < 0)
			return -1;
		if (live)
			return kl_error_set(err, KL_ERR_CONFLICT,
			    "kindlogd is already running on %s", path);
		log_info("removing stale socket %s", path);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return kl_error_set(err, KL_ERR_INTERNAL, "socket: %s",
		    strerror(errno));
	strcpy(sa.sun_path, path);
	mask = umask(077);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(mask);
	if (rc != 0 || listen(fd, 128) != 0) {
		kl_error_set(err, errno == EADDRINUSE ? KL_ERR_CONFLICT :
		    KL_ERR_INTERNAL, "cannot listen on %s: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Open this iteration's batch, if not yet open, and schedule its flush. */
static void
server_batch_start(struct server *server)
{
	if (server->batch_active)
		return;
	server->batch_active = true;
	methods_batch_begin(server->d);
	event_active(server->flush_ev, EV_TIMEOUT, 0);
}

/* Hold a reply until the batch commits: a result, or err if result is NULL. */
static void
server_client_reply(struct server_client *c, json_t *id, json_t *result,
    const struct kl_error *err)
{
	struct server_reply	*reply = xcalloc(1, sizeof *reply);

	if (result != NULL) {
		reply->line = wire_reply_result(id, result, &reply->len);
		reply->id = json_incref(id != NULL ? id : json_null());
	} else
		reply->line = wire_reply_error(id, err, &reply->len);
	TAILQ_INSERT_TAIL(&c->held, reply, entry);
	c->held_bytes += reply->len;
	if (!c->batched) {
		c->batched = true;
		TAILQ_INSERT_TAIL(&c->server->batch, c, batch_entry);
	}
	server_batch_start(c->server);
}

/* Free the replies a client holds and take it off the batch list. */
static void
server_client_drop_held(struct server_client *c)
{
	struct server_reply	*reply;

	while ((reply = TAILQ_FIRST(&c->held)) != NULL) {
		TAILQ_REMOVE(&c->held, reply, entry);
		json_decref(reply->id);
		free(reply->line);
		free(reply);
	}
	c->held_bytes = 0;
	if (c->batched) {
		TAILQ_REMOVE(&c->server->batch, c, batch_entry);
		c->batched = false;
	}
}

/*
 * Send a client's held replies; after a failed commit results become err.
 * They waited for the commit, not for the socket: when nothing is queued
 * before them they are written now, not after another trip through
 * epoll, and only what the socket does not take is left to the
 * bufferevent (whose output buffer cannot be drained from outside).
 */
static void
server_client_release(struct server_client *c, const struct kl_error *err)
{
	struct evbuffer		*output = bufferevent_get_output(c->bev);
	struct evbuffer		*out = output;
	struct server_reply	*reply;
	char			*line;
	size_t			 len;

	if (evbuffer_get_length(output) == 0)
		out = c->server->sendbuf;
	TAILQ_FOREACH(reply, &c->held, entry) {
		if (err != NULL && reply->id != NULL) {
			line = wire_reply_error(reply->id, err, &len);
			evbuffer_add(out, line, len);
			free(line);
		} else
			evbuffer_add(out, reply->line, reply->len);
	}
	server_client_drop_held(c);
	if (out == output)
		return;
	/* A short write or an error is the bufferevent's to finish or report. */
	(void)evbuffer_write(out, bufferevent_getfd(c->bev));
	if (evbuffer_get_length(out) > 0)
		evbuffer_add_buffer(output, out);
	else if (c->closing)
		server_client_destroy(c);
}

/* End of the iteration: commit the batch, then send what it held. */
static void
server_flush(evutil_socket_t fd, short events, void *arg)
{
	struct server		*server = arg;
	struct server_client	*c;
	struct kl_error		 err;
	int			 rc;

	if (!server->batch_active)
		return;
	server->batch_active = false;
	rc = methods_batch_end(server->d, &err);
	if (rc != 0)
		log_warnx("group commit failed: %s", err.message);
	while ((c = TAILQ_FIRST(&server->batch)) != NULL)
		server_client_release(c, rc != 0 ? &err : NULL);
	methods_batch_done(server->d);
}

/* Stop reading; free the client once its output has been flushed. */
static void
server_client_close(struct server_client *c)
{
	c->closing = true;
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0 &&
	    TAILQ_EMPTY(&c->held))
		server_client_destroy(c);
}

/* Answer an over-long line and close the connection. */
static void
server_client_too_long(struct server_client *c)
{
	struct kl_error	err;

	kl_error_set(&err, KL_ERR_INVALID_REQUEST,
	    "request too long (limit %d bytes)", WIRE_MAX_LINE);
	server_client_reply(c, NULL, NULL, &err);
	server_client_close(c);
}

/* Parse, dispatch and answer one request line. */
static void
server_client_handle(struct server_client *c, const char *line, size_t len)
{
	struct wire_request	 req;
	struct kl_error		 err;
	json_t			*result = NULL;

	/* Before the call, so that the first request joins the batch too. */
	server_batch_start(c->server);
	if (wire_request_parse(line, len, &req, &err) != 0) {
		/* Invalid params in a notification get no reply either. */
		if (err.code != KL_ERR_PARAMS || req.id != NULL)
			server_client_reply(c, req.id, NULL, &err);
		wire_request_free(&req);
		return;
	}
	if (methods_call(c->server->d, req.method, req.params, &result,
	    &err) != 0) {
		log_debug("%s: error %d: %s", req.method, err.code,
		    err.message);
		if (req.id != NULL)
			server_client_reply(c, req.id, NULL, &err);
	} else if (req.id != NULL)
		server_client_reply(c, req.id, result, NULL);
	json_decref(result);
	wire_request_free(&req);
}

/* Read every complete line that has arrived. */
static void
server_client_read(struct bufferevent *bev, void *arg)
{
	struct server_client	*c = arg;
	struct evbuffer		*input = bufferevent_get_input(bev);
	struct evbuffer		*output = bufferevent_get_output(bev);
	struct evbuffer_ptr	 eol;
	size_t			 eol_len;
	char			*line;

	/* The latest to send anything goes to the end of the idle order. */
	TAILQ_REMOVE(&c->server->clients, c, entry);
	TAILQ_INSERT_TAIL(&c->server->clients, c, entry);
	while (!c->closing) {
		eol = evbuffer_search_eol(input, NULL, &eol_len,
		    EVBUFFER_EOL_LF);
		if (eol.pos < 0) {
			if (evbuffer_get_length(input) > WIRE_MAX_LINE)
				server_client_too_long(c);
			return;
		}
		if ((size_t)eol.pos > WIRE_MAX_LINE) {
			server_client_too_long(c);
			return;
		}
		/*
		 * Only a client that asks for more while 1 MiB of replies
		 * waits has stopped reading: one reply may be larger.
		 */
		if (evbuffer_get_length(output) + c->held_bytes >
		    SERVER_MAX_QUEUED) {
			log_debug("dropping a client that does not read");
			server_client_destroy(c);
			return;
		}
		line = (char *)evbuffer_pullup(input, eol.pos + 1);
		server_client_handle(c, line, (size_t)eol.pos);
		evbuffer_drain(input, (size_t)eol.pos + 1);
	}
}

/* Output drained: a closing client can go now. */
static void
server_client_write(struct bufferevent *bev, void *arg)
{
	struct server_client	*c = arg;

	if (c->closing && TAILQ_EMPTY(&c->held))
		server_client_destroy(c);
}

/* EOF, error or timeout on a connection. */
static void
server_client_event(struct bufferevent *bev, short what, void *arg)
{
	struct server_client	*c = arg;

	/*
	 * A client that half-closes after its last request (socat or nc
	 * reading a pipe) still waits for the replies: send them first.
	 */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR)) {
		server_client_close(c);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT)
		log_debug("closing an idle connection");
	server_client_destroy(c);
}

/* Free a client; during shutdown the last one ends the loop. */
static void
server_client_destroy(struct server_client *c)
{
	struct server	*server = c->server;

	server_client_drop_held(c);
	TAILQ_REMOVE(&server->clients, c, entry);
	server->d->connections--;
	bufferevent_free(c->bev);
	free(c);
	if (server->shutting_down && server->d->connections == 0)
		event_base_loopexit(server->d->base, NULL);
}

/*
 * True when nothing is under way on a connection: no part of a request
 * has arrived, not even into the socket, and no reply waits to be sent.
 */
static bool
server_client_idle(struct server_client *c)
{
	int	pending = 0;

	if (c->closing || !TAILQ_EMPTY(&c->held) ||
	    evbuffer_get_length(bufferevent_get_input(c->bev)) > 0 ||
	    evbuffer_get_length(bufferevent_get_output(c->bev)) > 0)
		return false;
	if (ioctl(bufferevent_getfd(c->bev), FIONREAD, &pending) != 0)
		return false;
	return pending == 0;
}

/* At the limit: close the connection idle longest. False if none is. */
static bool
server_evict_idle(struct server *server)
{
	struct server_client	*c;

	TAILQ_FOREACH(c, &server->clients, entry) {
		if (server_client_idle(c)) {
			log_debug("connection limit reached, closing the "
			    "connection idle longest");
			server_client_destroy(c);
			return true;
		}
	}
	return false;
}

int
server_connection_add(struct server *server, int fd)
{
	struct server_client	*c;
	struct ucred		 cred;
	socklen_t		 len = sizeof cred;
	struct timeval		 tv = { .tv_sec = server->idle_timeout };

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
		log_warn("refused a connection: SO_PEERCRED");
		close(fd);
		return -1;
	}
	if (cred.uid != geteuid()) {
		log_warnx("refused a connection from uid %ld",
		    (long)cred.uid);
		close(fd);
		return -1;
	}
	if (server->d->connections >= SERVER_MAX_CONNECTIONS &&
	    !server_evict_idle(server)) {
		log_debug("connection limit reached and none idle, "
		    "refusing one");
		close(fd);
		return -1;
	}
	evutil_make_socket_nonblocking(fd);
	c = xcalloc(1, sizeof *c);
	c->server = server;
	TAILQ_INIT(&c->held);
	c->bev = bufferevent_socket_new(server->d->base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		close(fd);
		free(c);
		return -1;
	}
	bufferevent_setcb(c->bev, server_client_read, server_client_write,
	    server_client_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, WIRE_MAX_LINE + 2);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&server->clients, c, entry);
	server->d->connections++;
	return 0;
}

/* Out of descriptors: pause accepting for a second instead of spinning. */
static void
server_accept_backoff(struct server *server)
{
	struct timeval	tv = { .tv_sec = 1 };
	time_t		now = time(NULL);

	if (now - server->last_emfile_log >= 60) {
		log_warn("accept (pausing for a second)");
		server->last_emfile_log = now;
	}
	event_del(server->accept_ev);
	evtimer_add(server->backoff_ev, &tv);
}

/* Accept pending connections, up to a batch per wakeup. */
static void
server_accept(evutil_socket_t fd, short events, void *arg)
{
	struct server	*server = arg;
	int		 cfd, i;

	for (i = 0; i < SERVER_ACCEPT_BATCH; i++) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				server_accept_backoff(server);
			else if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("accept");
			return;
		}
		server_connection_add(server, cfd);
	}
}

/* The backoff is over: accept again. */
static void
server_accept_resume(evutil_socket_t fd, short events, void *arg)
{
	struct server	*server = arg;

	if (!server->shutting_down)
		event_add(server->accept_ev, NULL);
}

/* Shutdown took too long: leave anyway. */
static void
server_shutdown_timeout(evutil_socket_t fd, short events, void *arg)
{
	struct server	*server = arg;

	log_warnx("%zu connections still busy at shutdown, leaving",
	    server->d->connections);
	event_base_loopexit(server->d->base, NULL);
}

struct server *
server_create(struct kindlogd *d, int listen_fd, const char *owned_path)
{
	struct server	*server = xcalloc(1, sizeof *server);
	struct stat	 sb;

	server->d = d;
	server->listen_fd = listen_fd;
	server->idle_timeout = SERVER_IDLE_TIMEOUT;
	TAILQ_INIT(&server->clients);
	TAILQ_INIT(&server->batch);
	server->flush_ev = event_new(d->base, -1, 0, server_flush, server);
	server->sendbuf = evbuffer_new();
	if (owned_path != NULL && stat(owned_path, &sb) == 0) {
		server->owned_path = xstrdup(owned_path);
		server->owned_dev = sb.st_dev;
		server->owned_ino = sb.st_ino;
	}
	server->backoff_ev = evtimer_new(d->base, server_accept_resume,
	    server);
	server->shutdown_ev = evtimer_new(d->base, server_shutdown_timeout,
	    server);
	if (listen_fd >= 0) {
		evutil_make_socket_nonblocking(listen_fd);
		server->accept_ev = event_new(d->base, listen_fd,
		    EV_READ | EV_PERSIST, server_accept, server);
		event_add(server->accept_ev, NULL);
	}
	return server;
}

void
server_set_idle_timeout(struct server *server, int seconds)
{
	server->idle_timeout = seconds;
}

size_t
server_connection_count(const struct server *server)
{
	return server->d->connections;
}

/* Close the listening socket and remove the file if it is still ours. */
static void
server_close_listener(struct server *server)
{
	struct stat	sb;

	if (server->accept_ev != NULL) {
		event_free(server->accept_ev);
		server->accept_ev = NULL;
	}
	if (server->listen_fd >= 0) {
		close(server->listen_fd);
		server->listen_fd = -1;
	}
	if (server->owned_path != NULL) {
		if (lstat(server->owned_path, &sb) == 0 &&
		    sb.st_dev == server->owned_dev &&
		    sb.st_ino == server->owned_ino)
			unlink(server->owned_path);
		free(server->owned_path);
		server->owned_path = NULL;
	}
}

void
server_shutdown(struct server *server)
{
	struct server_client	*c, *next;
	struct timeval		 tv = { .tv_sec = SERVER_SHUTDOWN_WAIT };

	if (server->shutting_down)
		return;
	server->shutting_down = true;
	event_del(server->backoff_ev);
	server_close_listener(server);
	if (server->d->connections == 0) {
		event_base_loopexit(server->d->base, NULL);
		return;
	}
	evtimer_add(server->shutdown_ev, &tv);
	for (c = TAILQ_FIRST(&server->clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		server_client_close(c);
	}
}

void
server_destroy(struct server *server)
{
	struct server_client	*c;

	if (server == NULL)
		return;
	server->shutting_down = false;	/* no loopexit from here on */
	server_flush(-1, 0, server);	/* commit what the loop left behind */
	while ((c = TAILQ_FIRST(&server->clients)) != NULL)
		server_client_destroy(c);
	server_close_listener(server);
	event_free(server->backoff_ev);
	event_free(server->shutdown_ev);
	event_free(server->flush_ev);
	evbuffer_free(server->sendbuf);
	free(server);
}
