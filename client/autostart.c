/*
 * Starting kindlogd on demand. The daemon is spawned detached (setsid and
 * a second fork, so it is nobody's child here), its stdio on /dev/null and
 * the log in $XDG_STATE_HOME; the client waits for its socket to answer.
 * When the daemon exits first (a broken config, a database another
 * kindlogd holds), the client quotes the error it wrote to that log
 * instead of waiting out the start-up time.
 */

#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "autostart.h"
#include "connection.h"
#include "paths.h"
#include "xmalloc.h"

/* The prefix of the daemon's own error lines in its log. */
#define AUTOSTART_DAEMON_PREFIX "kindlogd: "
/* The end of the log searched for the daemon's error line. */
#define AUTOSTART_LOG_TAIL 8192

/* What the forked processes tell the client down the report pipe. */
struct autostart_report {
	enum {
		AUTOSTART_REPORT_PID,	/* value: the daemon's pid */
		AUTOSTART_REPORT_ERRNO,	/* value: why it could not start */
	}	kind;
	int	value;
};

/*
 * Connect to the socket at path, waiting at most timeout_ms (0: no limit)
 * for a daemon whose backlog is full. Returns 0 and *fd, or an errno value.
 */
static int
autostart_dial(const char *path, int timeout_ms, int *fd)
{
	struct sockaddr_un	sun;
	struct timeval		tv = { timeout_ms / 1000,
				    (timeout_ms % 1000) * 1000 };
	int			s, error;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path)
		return ENAMETOOLONG;
	strcpy(sun.sun_path, path);

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s == -1)
		return errno;
	/* Linux bounds a Unix socket's connect by the send timeout. */
	if (timeout_ms > 0 && setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv,
	    sizeof tv) == -1) {
		error = errno;
		close(s);
		return error;
	}
	while (connect(s, (struct sockaddr *)&sun, sizeof sun) == -1) {
		if (errno == EINTR)
			continue;
		error = errno;
		close(s);
		return error;
	}
	*fd = s;
	return 0;
}

/* True when autostart is turned off in the environment. */
static bool
autostart_disabled(void)
{
	const char	*s = getenv("KINDLOG_NO_AUTOSTART");

	return s != NULL && *s != '\0' && strcmp(s, "0") != 0;
}

/* Milliseconds on the monotonic clock. */
long long
autostart_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep for ms milliseconds. */
static void
autostart_sleep_ms(long ms)
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
autostart_find_daemons(char *found[2])
{
	char	 self[PATH_MAX], *dir, *candidates[2];
	ssize_t	 len;
	int	 i, n = 0;

	len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len <= 0)
		return 0;
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
	return n;
}

/* Tell the client something from a forked process. */
static void
autostart_report(int fd, int kind, int value)
{
	struct autostart_report	report = { kind, value };

	(void)!write(fd, &report, sizeof report);
}

/*
 * In the forked child: detach, fork again so the daemon is not our child
 * (the intermediate process reports the daemon's pid, exits at once and
 * is reaped by the client), point stdio at /dev/null and the log, and
 * exec kindlogd. If every exec fails, the errno goes down report_fd.
 */
static void __attribute__((noreturn))
autostart_child(char *const *daemons, int ndaemons, char *const *argv,
    int null_fd, int log_fd, int report_fd)
{
	pid_t	pid;
	int	i;

	if (setsid() == -1 || (pid = fork()) == -1) {
		autostart_report(report_fd, AUTOSTART_REPORT_ERRNO, errno);
		_exit(1);
	}
	if (pid != 0) {
		autostart_report(report_fd, AUTOSTART_REPORT_PID, (int)pid);
		_exit(0);
	}

	if (dup2(null_fd, STDIN_FILENO) == -1 ||
	    dup2(log_fd, STDOUT_FILENO) == -1 ||
	    dup2(log_fd, STDERR_FILENO) == -1)
		_exit(1);
	for (i = 0; i < ndaemons; i++)
		execv(daemons[i], argv);
	execvp("kindlogd", argv);
	autostart_report(report_fd, AUTOSTART_REPORT_ERRNO, errno);
	_exit(127);
}

/*
 * Read the reports until the pipe closes, which is when the daemon has
 * been exec'd (the pipe is close-on-exec) or has failed. Returns 0 and
 * the daemon's *pid, or the errno that stopped it.
 */
static int
autostart_read_reports(int fd, pid_t *pid)
{
	struct autostart_report	report;
	ssize_t			n;
	int			error = 0;

	for (;;) {
		n = read(fd, &report, sizeof report);
		if (n == -1 && errno == EINTR)
			continue;
		if (n != sizeof report)
			return error;
		if (report.kind == AUTOSTART_REPORT_PID)
			*pid = (pid_t)report.value;
		else
			error = report.value;
	}
}

/*
 * Start kindlogd for socket_path, its output appended to log_fd. Returns
 * 0 and its *pid once the exec has happened, or the errno that stopped it.
 */
static int
autostart_spawn(const char *socket_path, int log_fd, pid_t *daemon_pid)
{
	char	*daemons[2], *argv[4];
	int	 ndaemons, i, null_fd, report[2], error = 0;
	pid_t	 pid;

	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd == -1)
		return errno;
	if (pipe2(report, O_CLOEXEC) == -1) {
		error = errno;
		close(null_fd);
		return error;
	}
	ndaemons = autostart_find_daemons(daemons);
	argv[0] = (char *)"kindlogd";
	argv[1] = (char *)"--socket";
	argv[2] = (char *)socket_path;
	argv[3] = NULL;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0)
		autostart_child(daemons, ndaemons, argv, null_fd, log_fd,
		    report[1]);
	if (pid == -1)
		error = errno;
	close(report[1]);
	if (pid != -1) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		error = autostart_read_reports(report[0], daemon_pid);
	}
	close(report[0]);
	close(null_fd);
	for (i = 0; i < ndaemons; i++)
		free(daemons[i]);
	return error;
}

/* A descriptor that turns readable when process pid ends, or -1. */
static int
autostart_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * Wait ms milliseconds, or less if the daemon ends first. Returns whether
 * it has ended: told by its pidfd, or without one by kill(pid, 0).
 */
static bool
autostart_pause(int pidfd, pid_t pid, long ms)
{
	struct pollfd	pfd = { .fd = pidfd, .events = POLLIN };

	if (pidfd == -1) {
		autostart_sleep_ms(ms);
		return pid > 0 && kill(pid, 0) == -1 && errno == ESRCH;
	}
	if (poll(&pfd, 1, (int)ms) == -1)
		return false;
	return (pfd.revents & POLLIN) != 0;
}

/*
 * Try to connect until the deadline, or until the daemon (pid) has ended
 * and one more try failed: someone else may be serving the socket. Returns
 * 0 and *fd, or an errno: ESRCH when the daemon ended first.
 */
static int
autostart_wait(const char *path, pid_t pid, int *fd)
{
	long long	deadline = autostart_now_ms() + AUTOSTART_WAIT_MS;
	int		pidfd = -1, error;
	bool		gone = false;

	if (pid > 0 && (pidfd = autostart_pidfd(pid)) == -1)
		gone = errno == ESRCH;
	for (;;) {
		error = autostart_dial(path, 0, fd);
		if (error == 0 || gone || autostart_now_ms() >= deadline)
			break;
		gone = autostart_pause(pidfd, pid, AUTOSTART_POLL_MS);
	}
	if (pidfd != -1)
		close(pidfd);
	if (error != 0 && gone)
		return ESRCH;
	return error;
}

/*
 * The log file a started daemon writes to, creating its directory, open
 * for appending (/dev/null when it cannot be). Its name lands in *path.
 */
static int
autostart_open_log(char **path)
{
	struct kl_error	 err;
	char		*dir;
	int		 fd;

	dir = paths_state_dir();
	if (paths_mkdir_p(dir, 0700, &err) == -1)
		*path = xstrdup("/dev/null");
	else
		*path = xasprintf("%s/kindlogd.log", dir);
	free(dir);
	fd = open(*path, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY | O_CLOEXEC,
	    0600);
	if (fd == -1)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	return fd;
}

/*
 * The daemon's own error: the last "kindlogd: " line of what it wrote to
 * the log after offset. Returns true and fills err with it.
 */
static bool
autostart_daemon_error(const char *log_path, off_t offset,
    struct kl_error *err)
{
	char		 buf[AUTOSTART_LOG_TAIL], *line, *save, *found = NULL;
	size_t		 prefix = strlen(AUTOSTART_DAEMON_PREFIX);
	off_t		 end;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(log_path, O_RDONLY | O_CLOEXEC)) == -1)
		return false;
	end = lseek(fd, 0, SEEK_END);
	if (end - offset > (off_t)sizeof buf - 1)
		offset = end - (off_t)sizeof buf + 1;
	n = offset >= 0 ? pread(fd, buf, sizeof buf - 1, offset) : -1;
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, AUTOSTART_DAEMON_PREFIX, prefix) == 0)
			found = line + prefix;
	}
	if (found == NULL)
		return false;
	kl_error_set(err, CONNECTION_ERR_NOT_STARTED, "%s", found);
	return true;
}

/*
 * With the start lock held: connect if someone else started the daemon
 * meanwhile, else start it and wait for its socket.
 */
static int
autostart_start_locked(const char *path, int *fd, struct kl_error *err)
{
	char	*log_path;
	off_t	 offset;
	pid_t	 pid = 0;
	int	 log_fd, error;

	if (autostart_dial(path, 0, fd) == 0)
		return 0;
	log_fd = autostart_open_log(&log_path);
	offset = lseek(log_fd, 0, SEEK_END);
	error = autostart_spawn(path, log_fd, &pid);
	close(log_fd);
	if (error != 0)
		kl_error_set(err, CONNECTION_ERR_UNREACHABLE,
		    "starting it failed: %s", strerror(error));
	else if ((error = autostart_wait(path, pid, fd)) == 0)
		;
	else if (error != ESRCH)
		kl_error_set(err, CONNECTION_ERR_UNREACHABLE, "it was started "
		    "but did not answer within %d s (see %s)",
		    AUTOSTART_WAIT_MS / 1000, log_path);
	else if (!autostart_daemon_error(log_path, offset, err))
		kl_error_set(err, CONNECTION_ERR_UNREACHABLE, "it was started "
		    "but exited before answering (see %s)", log_path);
	free(log_path);
	return error == 0 ? 0 : -1;
}

/*
 * Start kindlogd under an exclusive lock in the socket directory, so two
 * clients never start two daemons.
 */
static int
autostart_start(const char *path, int *fd, struct kl_error *err)
{
	struct kl_error	 dir_err;
	char		*dir, *lock_path;
	int		 lock_fd, rc;

	dir = paths_dirname(path);
	if (paths_secure_dir(dir, &dir_err) == -1) {
		free(dir);
		return kl_error_set(err, CONNECTION_ERR_UNSAFE_DIR, "%s",
		    dir_err.message);
	}
	lock_path = xasprintf("%s/kindlogd.lock", dir);
	free(dir);
	lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock_path);
	if (lock_fd == -1)
		return kl_error_set(err, CONNECTION_ERR_UNREACHABLE, "%s",
		    strerror(errno));
	while (flock(lock_fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			rc = kl_error_set(err, CONNECTION_ERR_UNREACHABLE,
			    "%s", strerror(errno));
			close(lock_fd);
			return rc;
		}
	}
	rc = autostart_start_locked(path, fd, err);
	close(lock_fd);
	return rc;
}

/* Connect, starting the daemon first if nothing listens and it may. */
int
autostart_connect(const char *path, bool may_start, int timeout_ms, int *fd,
    struct kl_error *err)
{
	int	error;

	error = autostart_dial(path, timeout_ms, fd);
	if (error == 0)
		return 0;
	if ((error != ENOENT && error != ECONNREFUSED) || !may_start ||
	    autostart_disabled())
		return kl_error_set(err, CONNECTION_ERR_UNREACHABLE, "%s",
		    strerror(error));
	return autostart_start(path, fd, err);
}
