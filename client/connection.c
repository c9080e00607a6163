/*
 * Connecting to kindlogd, starting it on demand, and requests: one at a
 * time, or sent ahead and answered in order.
 */

#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "connection.h"
#include "paths.h"
#include "wire.h"
#include "xmalloc.h"

/* First read buffer size; it doubles as replies need. */
#define CONNECTION_BUFFER 8192

struct connection {
	int		 fd;
	char		*buf;		/* bytes read, not yet consumed */
	size_t		 len;
	size_t		 size;
	json_int_t	 next_id;
};

/* Say the daemon cannot be reached and how to start it; returns 3. */
static int
connection_unreachable(const char *path, const char *reason)
{
	fprintf(stderr, "kindlog: cannot reach kindlogd at %s: %s\n"
	    "Start it with 'kindlogd' or "
	    "'systemctl --user start kindlogd.socket'.\n", path, reason);
	return (CMD_EXIT_UNREACHABLE);
}

/* Connect to the socket at path. Returns 0 and *fd, or an errno value. */
static int
connection_connect(const char *path, int *fd)
{
	struct sockaddr_un	sun;
	int			s, error;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path)
		return (ENAMETOOLONG);
	strcpy(sun.sun_path, path);

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s == -1)
		return (errno);
	while (connect(s, (struct sockaddr *)&sun, sizeof sun) == -1) {
		if (errno == EINTR)
			continue;
		error = errno;
		close(s);
		return (error);
	}
	*fd = s;
	return (0);
}

/* True when autostart is turned off in the environment. */
static bool
connection_autostart_disabled(void)
{
	const char	*s = getenv("KINDLOG_NO_AUTOSTART");

	return (s != NULL && *s != '\0' && strcmp(s, "0") != 0);
}

/* Milliseconds on the monotonic clock. */
static long long
connection_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Sleep for ms milliseconds. */
static void
connection_sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * The kindlogd binaries worth trying before $PATH: beside this client
 * (installed layout) and in ../daemon (build tree: build/client/kindlog and
 * build/daemon/kindlogd). Fills up to two paths; returns how many exist.
 */
static int
connection_find_daemons(char *found[2])
{
	char	 self[PATH_MAX], *dir, *candidates[2];
	ssize_t	 len;
	int	 i, n = 0;

	len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return (0);
	self[len] = '\0';
	dir = paths_dirname(self);
	candidates[0] = xasprintf("%s/kindlogd", dir);
	candidates[1] = xasprintf("%s/../daemon/kindlogd", dir);
	free(dir);
	for (i = 0; i < 2; i++) {
		if (access(candidates[i], X_OK) == 0)
			found[n++] = candidates[i];
		else
			free(candidates[i]);
	}
	return (n);
}

/*
 * In the forked child: detach, fork again so the daemon is not our child
 * (the intermediate process exits at once and is reaped by the client),
 * point stdio at /dev/null and the log, and exec kindlogd. If every exec
 * fails, the errno goes down report_fd.
 */
static void __attribute__((noreturn))
connection_child(char *const *daemons, int ndaemons, char *const *argv,
    int null_fd, int log_fd, int report_fd)
{
	pid_t	pid;
	int	i, error;

	if (setsid() == -1 || (pid = fork()) == -1) {
		error = errno;
		(void)!write(report_fd, &error, sizeof error);
		_exit(1);
	}
	if (pid != 0)
		_exit(0);

	if (dup2(null_fd, STDIN_FILENO) == -1 ||
	    dup2(log_fd, STDOUT_FILENO) == -1 ||
	    dup2(log_fd, STDERR_FILENO) == -1)
		_exit(1);
	for (i = 0; i < ndaemons; i++)
		execv(daemons[i], argv);
	execvp("kindlogd", argv);
	error = errno;
	(void)!write(report_fd, &error, sizeof error);
	_exit(127);
}

/*
 * Start kindlogd for socket_path, its output appended to log_path.
 * Returns 0 once the exec has happened, or the errno that stopped it.
 */
static int
connection_spawn(const char *socket_path, const char *log_path)
{
	char	*daemons[2], *argv[4];
	int	 ndaemons, i, null_fd, log_fd, report[2], error = 0;
	pid_t	 pid;

	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd == -1)
		return (errno);
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY |
	    O_CLOEXEC, 0600);
	if (log_fd == -1)
		log_fd = fcntl(null_fd, F_DUPFD_CLOEXEC, 0);
	if (pipe2(report, O_CLOEXEC) == -1) {
		error = errno;
		close(null_fd);
		close(log_fd);
		return (error);
	}
	ndaemons = connection_find_daemons(daemons);
	argv[0] = (char *)"kindlogd";
	argv[1] = (char *)"--socket";
	argv[2] = (char *)socket_path;
	argv[3] = NULL;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0)
		connection_child(daemons, ndaemons, argv, null_fd, log_fd,
		    report[1]);
	if (pid == -1)
		error = errno;
	close(report[1]);
	if (pid != -1) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		if (read(report[0], &error, sizeof error) != sizeof error)
			error = 0;
	}
	close(report[0]);
	close(null_fd);
	close(log_fd);
	for (i = 0; i < ndaemons; i++)
		free(daemons[i]);
	return (error);
}

/* Try to connect until the deadline; returns 0 and *fd or an errno. */
static int
connection_wait(const char *path, int *fd)
{
	long long	deadline;
	int		error;

	deadline = connection_now_ms() + CONNECTION_START_WAIT_MS;
	for (;;) {
		error = connection_connect(path, fd);
		if (error == 0 || connection_now_ms() >= deadline)
			return (error);
		connection_sleep_ms(CONNECTION_START_POLL_MS);
	}
}

/* The log file a started daemon writes to, creating its directory. */
static char *
connection_log_path(void)
{
	struct kl_error	 err;
	char		*dir, *path;

	dir = paths_state_dir();
	if (paths_mkdir_p(dir, 0700, &err) == -1) {
		free(dir);
		return (xstrdup("/dev/null"));
	}
	path = xasprintf("%s/kindlogd.log", dir);
	free(dir);
	return (path);
}

/*
 * With the start lock held: connect if someone else started the daemon
 * meanwhile, else start it and wait for its socket.
 */
static int
connection_start_locked(const char *path, int *fd)
{
	char	*log_path, *reason;
	int	 error, rc;

	if (connection_connect(path, fd) == 0)
		return (0);

	log_path = connection_log_path();
	error = connection_spawn(path, log_path);
	if (error != 0) {
		reason = xasprintf("starting it failed: %s", strerror(error));
		rc = connection_unreachable(path, reason);
		free(reason);
		free(log_path);
		return (rc);
	}
	error = connection_wait(path, fd);
	if (error == 0) {
		free(log_path);
		return (0);
	}
	reason = xasprintf("it was started but did not answer within %d s "
	    "(see %s)", CONNECTION_START_WAIT_MS / 1000, log_path);
	rc = connection_unreachable(path, reason);
	free(reason);
	free(log_path);
	return (rc);
}

/*
 * Start kindlogd under an exclusive lock in the socket directory, so two
 * clients never start two daemons. Returns 0 and *fd, or exit code 3.
 */
static int
connection_autostart(const char *path, int *fd)
{
	struct kl_error	 err;
	char		*dir, *lock_path;
	int		 lock_fd, rc;

	dir = paths_dirname(path);
	if (paths_secure_dir(dir, &err) == -1) {
		free(dir);
		return (connection_unreachable(path, err.message));
	}
	lock_path = xasprintf("%s/kindlogd.lock", dir);
	free(dir);
	lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock_path);
	if (lock_fd == -1)
		return (connection_unreachable(path, strerror(errno)));
	while (flock(lock_fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			rc = connection_unreachable(path, strerror(errno));
			close(lock_fd);
			return (rc);
		}
	}
	rc = connection_start_locked(path, fd);
	close(lock_fd);
	return (rc);
}

/* Connect, starting the daemon if allowed. Returns 0 or exit code 3. */
static int
connection_open(struct client_ctx *ctx)
{
	struct connection	*conn;
	int			 fd, error, rc;

	error = connection_connect(ctx->socket_path, &fd);
	if (error != 0) {
		if ((error != ENOENT && error != ECONNREFUSED) ||
		    !ctx->autostart || connection_autostart_disabled())
			return (connection_unreachable(ctx->socket_path,
			    strerror(error)));
		rc = connection_autostart(ctx->socket_path, &fd);
		if (rc != 0)
			return (rc);
	}
	conn = xcalloc(1, sizeof *conn);
	conn->fd = fd;
	conn->size = CONNECTION_BUFFER;
	conn->buf = xmalloc(conn->size);
	conn->next_id = 1;
	ctx->conn = conn;
	return (0);
}

/* Write all of buf. Returns 0 or an errno value. */
static int
connection_send(struct connection *conn, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = send(conn->fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (errno);
		buf += n;
		len -= (size_t)n;
	}
	return (0);
}

/* Drop the first n bytes of the read buffer. */
static void
connection_consume(struct connection *conn, size_t n)
{
	memmove(conn->buf, conn->buf + n, conn->len - n);
	conn->len -= n;
}

/*
 * Read until a whole line is buffered. Returns 0 and the line's length
 * (without the LF), or -1 and a static reason.
 */
static int
connection_read_line(struct connection *conn, size_t *line_len,
    const char **reason)
{
	enum wire_frame	 frame;
	size_t		 scanned = 0;
	ssize_t		 n;

	for (;;) {
		frame = wire_frame_find(conn->buf + scanned,
		    conn->len - scanned, CONNECTION_MAX_REPLY - scanned,
		    line_len);
		if (frame == WIRE_FRAME_LINE) {
			*line_len += scanned;
			return (0);
		}
		if (frame == WIRE_FRAME_TOO_LONG) {
			*reason = "reply too long";
			return (-1);
		}
		scanned = conn->len;
		if (conn->len == conn->size) {
			conn->size *= 2;
			conn->buf = xreallocarray(conn->buf, 1, conn->size);
		}
		n = read(conn->fd, conn->buf + conn->len,
		    conn->size - conn->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*reason = strerror(errno);
			return (-1);
		}
		if (n == 0) {
			*reason = "kindlogd closed the connection";
			return (-1);
		}
		conn->len += (size_t)n;
	}
}

/* Say the connection broke mid-request; returns 3. */
static int
connection_lost(struct client_ctx *ctx, const char *reason)
{
	fprintf(stderr, "kindlog: lost connection to kindlogd at %s: %s\n",
	    ctx->socket_path, reason);
	connection_close(ctx);
	return (CMD_EXIT_UNREACHABLE);
}

/* Send one request without waiting; its id lands in *id. */
int
connection_send_request(struct client_ctx *ctx, const char *method,
    json_t *params, json_int_t *id)
{
	struct connection	*conn;
	char			*line;
	size_t			 len;
	int			 error, rc;

	if (ctx->conn == NULL && (rc = connection_open(ctx)) != 0) {
		json_decref(params);
		return (rc);
	}
	conn = ctx->conn;
	*id = conn->next_id++;
	line = wire_request_format(*id, method, params, &len);
	json_decref(params);
	error = connection_send(conn, line, len);
	free(line);
	if (error != 0)
		return (connection_lost(ctx, strerror(error)));
	return (0);
}

/* Wait for the reply to the request sent with id. */
int
connection_read_reply(struct client_ctx *ctx, json_int_t id,
    json_t **result, struct kl_error *err)
{
	struct connection	*conn = ctx->conn;
	const char		*reason;
	size_t			 line_len;
	int			 rc;

	*result = NULL;
	if (conn == NULL)
		return (CMD_EXIT_UNREACHABLE);
	if (connection_read_line(conn, &line_len, &reason) == -1)
		return (connection_lost(ctx, reason));
	rc = wire_response_parse(conn->buf, line_len, id, result, err);
	connection_consume(conn, line_len + 1);
	if (rc == -1)
		return (CMD_EXIT_REFUSED);
	return (0);
}

/* Send one request and wait for its reply. */
int
connection_request(struct client_ctx *ctx, const char *method,
    json_t *params, json_t **result, struct kl_error *err)
{
	json_int_t	id;
	int		rc;

	*result = NULL;
	if ((rc = connection_send_request(ctx, method, params, &id)) != 0)
		return (rc);
	return (connection_read_reply(ctx, id, result, err));
}

/* Send one request; print the refusal if the daemon says no. */
int
connection_call(struct client_ctx *ctx, const char *method, json_t *params,
    json_t **result)
{
	struct kl_error	err;
	int		rc;

	memset(&err, 0, sizeof err);
	rc = connection_request(ctx, method, params, result, &err);
	if (rc == CMD_EXIT_REFUSED)
		fprintf(stderr, "kindlog: %s\n", err.message);
	return (rc);
}

/* Close the connection and free it. */
void
connection_close(struct client_ctx *ctx)
{
	struct connection	*conn = ctx->conn;

	if (conn == NULL)
		return;
	close(conn->fd);
	free(conn->buf);
	free(conn);
	ctx->conn = NULL;
}
