/*
 * Readiness notification and socket activation, written from their
 * documentation (sd_notify(3), sd_listen_fds(3)): the protocols are the
 * interface, so kindlogd does not need libsystemd for them.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "systemd.h"

int
systemd_notify(const char *state, struct kl_error *err)
{
	const char		*path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un	 sa;
	size_t			 len, state_len = strlen(state);
	ssize_t			 sent;
	int			 fd, saved_errno;

	if (path == NULL || path[0] == '\0')
		return 0;
	/* "@name" is an abstract socket: the name after a NUL byte. */
	if (path[0] != '/' && path[0] != '@')
		return kl_error_set(err, KL_ERR_INTERNAL, "NOTIFY_SOCKET=%s "
		    "is neither an absolute path nor @abstract", path);
	len = strlen(path);
	if (len >= sizeof sa.sun_path)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "NOTIFY_SOCKET is too long (%zu bytes)", len);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "cannot notify the service manager: socket: %s",
		    strerror(errno));
	/* The exact length: an abstract name must not include padding. */
	sent = sendto(fd, state, state_len, MSG_NOSIGNAL,
	    (struct sockaddr *)&sa,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	saved_errno = errno;
	close(fd);
	if (sent < 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "cannot notify the service manager at %s: %s", path,
		    strerror(saved_errno));
	if ((size_t)sent != state_len)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "cannot notify the service manager at %s: short write",
		    path);
	return 1;
}

int
systemd_notify_reloading(struct kl_error *err)
{
	struct timespec	ts;
	char		state[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(state, sizeof state, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL);
	return systemd_notify(state, err);
}

/* Parse a decimal number in [0, max]: digits only, no sign or spaces. */
static int
systemd_parse_number(const char *text, long max, long *value)
{
	char	*end;

	if (text[0] < '0' || text[0] > '9')
		return -1;
	errno = 0;
	*value = strtol(text, &end, 10);
	if (errno != 0 || *end != '\0' || *value > max)
		return -1;
	return 0;
}

/* Whether the passed sockets are ours: 1 yes, 0 no, -1 malformed. */
static int
systemd_listen_pid_is_ours(struct kl_error *err)
{
	const char	*text = getenv("LISTEN_PID");
	long		 pid;

	if (text == NULL)
		return 0;
	if (systemd_parse_number(text, INT_MAX, &pid) != 0 || pid == 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "LISTEN_PID=%s is not a process id", text);
	return pid == (long)getpid();
}

/* The count in LISTEN_FDS, with each passed descriptor set CLOEXEC. */
static int
systemd_listen_fds_count(struct kl_error *err)
{
	const char	*text = getenv("LISTEN_FDS");
	long		 n, i;
	int		 flags, fd;

	if (text == NULL)
		return 0;
	if (systemd_parse_number(text, INT_MAX - SYSTEMD_LISTEN_FDS_START,
	    &n) != 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "LISTEN_FDS=%s is not a number of descriptors", text);
	for (i = 0; i < n; i++) {
		fd = SYSTEMD_LISTEN_FDS_START + (int)i;
		flags = fcntl(fd, F_GETFD);
		if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
			return kl_error_set(err, KL_ERR_INTERNAL,
			    "LISTEN_FDS=%s, but descriptor %d: %s", text, fd,
			    strerror(errno));
	}
	return (int)n;
}

int
systemd_listen_fds(struct kl_error *err)
{
	int	rc;

	rc = systemd_listen_pid_is_ours(err);
	if (rc == 1)
		rc = systemd_listen_fds_count(err);
	/* Whatever they said, they were for this process only. */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return rc;
}

int
systemd_is_unix_listener(int fd, struct kl_error *err)
{
	struct sockaddr_storage	ss;
	struct stat		sb;
	socklen_t		len;
	int			type, listening;

	if (fstat(fd, &sb) != 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "descriptor %d: %s", fd, strerror(errno));
	if (!S_ISSOCK(sb.st_mode))
		return 0;
	len = sizeof type;
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "descriptor %d: SO_TYPE: %s", fd, strerror(errno));
	len = sizeof listening;
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "descriptor %d: SO_ACCEPTCONN: %s", fd, strerror(errno));
	len = sizeof ss;
	memset(&ss, 0, sizeof ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "descriptor %d: getsockname: %s", fd, strerror(errno));
	return ss.ss_family == AF_UNIX && type == SOCK_STREAM && listening;
}
