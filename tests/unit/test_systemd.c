/*
 * Unit tests for daemon/systemd.c: readiness datagrams to a path and to an
 * abstract NOTIFY_SOCKET, and the LISTEN_PID/LISTEN_FDS checks.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "systemd.h"

/* A datagram socket bound to NAME ('@' first: abstract); returns its fd. */
static int
bind_datagram(const char *name)
{
	struct sockaddr_un	sa;
	size_t			len = strlen(name);
	int			fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	assert_true(len < sizeof sa.sun_path);
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)), 0);
	return fd;
}

/* The next datagram on FD, NUL-terminated into BUF (fails if none). */
static void
receive(int fd, char *buf, size_t size)
{
	ssize_t	n = recv(fd, buf, size - 1, MSG_DONTWAIT);

	assert_true(n >= 0);
	buf[n] = '\0';
}

static void
test_notify_path(void **state)
{
	char		dir[] = "/tmp/kindlog-systemd-XXXXXX", path[64], buf[256];
	struct kl_error	err;
	int		fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/notify", dir);
	fd = bind_datagram(path);
	setenv("NOTIFY_SOCKET", path, 1);

	assert_int_equal(systemd_notify("READY=1", &err), 1);
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "READY=1");
	assert_int_equal(systemd_notify("STATUS=serving\nSTOPPING=1", &err),
	    1);
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "STATUS=serving\nSTOPPING=1");
	/* The variable stays: READY=1 after a reload goes to the same place. */
	assert_string_equal(getenv("NOTIFY_SOCKET"), path);

	unsetenv("NOTIFY_SOCKET");
	close(fd);
	unlink(path);
	rmdir(dir);
}

/* Bind a fresh abstract datagram socket and name it in NOTIFY_SOCKET. */
static int
notify_listen_abstract(void)
{
	static int	serial;
	char		name[64];
	int		fd;

	snprintf(name, sizeof name, "@kindlog-test-notify-%ld-%d",
	    (long)getpid(), ++serial);
	fd = bind_datagram(name);
	setenv("NOTIFY_SOCKET", name, 1);
	return fd;
}

static void
test_notify_abstract(void **state)
{
	struct kl_error	err;
	char		buf[256];
	int		fd;

	(void)state;
	fd = notify_listen_abstract();
	assert_int_equal(systemd_notify("READY=1", &err), 1);
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "READY=1");

	unsetenv("NOTIFY_SOCKET");
	close(fd);
}

static void
test_notify_reloading(void **state)
{
	char			 buf[256], *end;
	struct kl_error		 err;
	struct timespec		 ts;
	unsigned long long	 usec, now;
	int			 fd;

	(void)state;
	fd = notify_listen_abstract();
	assert_int_equal(systemd_notify_reloading(&err), 1);
	receive(fd, buf, sizeof buf);
	assert_memory_equal(buf, "RELOADING=1\nMONOTONIC_USEC=", 27);
	usec = strtoull(buf + 27, &end, 10);
	assert_int_equal(*end, '\0');
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL;
	assert_true(usec <= now && now - usec < 5000000ULL);

	unsetenv("NOTIFY_SOCKET");
	close(fd);
}

static void
test_notify_without_manager(void **state)
{
	struct kl_error	err;

	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(systemd_notify("READY=1", &err), 0);
	setenv("NOTIFY_SOCKET", "", 1);
	assert_int_equal(systemd_notify("READY=1", &err), 0);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_notify_errors(void **state)
{
	char		long_path[200];
	struct kl_error	err;

	(void)state;
	setenv("NOTIFY_SOCKET", "relative/notify", 1);
	assert_int_equal(systemd_notify("READY=1", &err), -1);
	assert_non_null(strstr(err.message, "relative/notify"));

	setenv("NOTIFY_SOCKET", "/nonexistent/kindlog/notify", 1);
	assert_int_equal(systemd_notify("READY=1", &err), -1);
	assert_non_null(strstr(err.message, "/nonexistent/kindlog/notify"));

	memset(long_path, 'x', sizeof long_path - 1);
	long_path[0] = '/';
	long_path[sizeof long_path - 1] = '\0';
	setenv("NOTIFY_SOCKET", long_path, 1);
	assert_int_equal(systemd_notify("READY=1", &err), -1);
	assert_non_null(strstr(err.message, "too long"));
	unsetenv("NOTIFY_SOCKET");
}

/*
 * systemd_listen_fds() with LISTEN_PID and LISTEN_FDS set to PID and FDS
 * (NULL: unset); checks that the variables are gone afterwards, whatever
 * they said, and returns its result.
 */
static int
listen_fds_with(const char *pid, const char *fds, struct kl_error *err)
{
	int	rc;

	if (pid != NULL)
		setenv("LISTEN_PID", pid, 1);
	else
		unsetenv("LISTEN_PID");
	if (fds != NULL)
		setenv("LISTEN_FDS", fds, 1);
	else
		unsetenv("LISTEN_FDS");
	setenv("LISTEN_FDNAMES", "kindlogd.socket", 1);
	memset(err, 0, sizeof *err);
	rc = systemd_listen_fds(err);
	assert_null(getenv("LISTEN_PID"));
	assert_null(getenv("LISTEN_FDS"));
	assert_null(getenv("LISTEN_FDNAMES"));
	return rc;
}

/* Our own pid as LISTEN_PID wants it. */
static const char *
own_pid(void)
{
	static char	pid[32];

	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	return pid;
}

static void
test_listen_none(void **state)
{
	struct kl_error	err;

	(void)state;
	assert_int_equal(listen_fds_with(NULL, NULL, &err), 0);
	/* LISTEN_FDS without LISTEN_PID is not for us either. */
	assert_int_equal(listen_fds_with(NULL, "1", &err), 0);
	assert_int_equal(listen_fds_with(own_pid(), NULL, &err), 0);
	assert_int_equal(listen_fds_with(own_pid(), "0", &err), 0);
}

static void
test_listen_pid_mismatch(void **state)
{
	struct kl_error	err;
	char		pid[32];

	(void)state;
	/* Meant for our parent (or any other process): not ours. */
	snprintf(pid, sizeof pid, "%ld", (long)getppid());
	assert_int_equal(listen_fds_with(pid, "1", &err), 0);
	assert_int_equal(listen_fds_with("1", "1", &err), 0);
}

static void
test_listen_bad_values(void **state)
{
	static const char	*bad_fds[] = {
		"", "abc", "-1", "+1", " 1", "1 ", "1x", "0x1",
		"2147483647", "99999999999999999999",
	};
	static const char	*bad_pids[] = {
		"", "abc", "-1", "0", " 1", "12x", "99999999999999999999",
	};
	struct kl_error		 err;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof bad_fds / sizeof bad_fds[0]; i++) {
		if (listen_fds_with(own_pid(), bad_fds[i], &err) != -1)
			fail_msg("LISTEN_FDS='%s' was accepted", bad_fds[i]);
		assert_non_null(strstr(err.message, "LISTEN_FDS"));
	}
	for (i = 0; i < sizeof bad_pids / sizeof bad_pids[0]; i++) {
		if (listen_fds_with(bad_pids[i], "1", &err) != -1)
			fail_msg("LISTEN_PID='%s' was accepted", bad_pids[i]);
		assert_non_null(strstr(err.message, "LISTEN_PID"));
	}
}

/* A listening Unix stream socket under DIR; returns its fd. */
static int
listening_socket(const char *dir)
{
	struct sockaddr_un	sa;
	int			fd;

	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s/listen", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

static void
test_listen_passed_socket(void **state)
{
	char		dir[] = "/tmp/kindlog-systemd-XXXXXX", path[64];
	struct kl_error	err;
	int		fd, saved, start = SYSTEMD_LISTEN_FDS_START;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* Keep whatever the test runner has at descriptor 3. */
	saved = fcntl(start, F_DUPFD_CLOEXEC, 10);
	fd = listening_socket(dir);
	if (fd != start) {
		assert_int_equal(dup2(fd, start), start);
		close(fd);
	}
	assert_int_equal(fcntl(start, F_GETFD) & FD_CLOEXEC, 0);

	assert_int_equal(listen_fds_with(own_pid(), "1", &err), 1);
	assert_true(fcntl(start, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(systemd_is_unix_listener(start, &err), 1);

	/* Two announced, one open: the second is an error, not a guess. */
	if (fcntl(start + 1, F_GETFD) < 0) {
		assert_int_equal(listen_fds_with(own_pid(), "2", &err), -1);
		assert_non_null(strstr(err.message, "descriptor 4"));
	}

	close(start);
	if (saved >= 0) {
		dup2(saved, start);
		close(saved);
	}
	snprintf(path, sizeof path, "%s/listen", dir);
	unlink(path);
	rmdir(dir);
}

static void
test_unix_listener_refuses_others(void **state)
{
	char		dir[] = "/tmp/kindlog-systemd-XXXXXX", path[64];
	struct kl_error	err;
	int		pipefd[2], pair[2], fd, listener;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(systemd_is_unix_listener(pipefd[0], &err), 0);
	close(pipefd[0]);
	close(pipefd[1]);

	snprintf(path, sizeof path, "%s/file", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(systemd_is_unix_listener(fd, &err), 0);
	close(fd);
	unlink(path);

	/* A connected stream socket is not listening. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
	assert_int_equal(systemd_is_unix_listener(pair[0], &err), 0);
	close(pair[0]);
	close(pair[1]);

	snprintf(path, sizeof path, "%s/dgram", dir);
	fd = bind_datagram(path);
	assert_int_equal(systemd_is_unix_listener(fd, &err), 0);
	close(fd);
	unlink(path);

	listener = listening_socket(dir);
	assert_int_equal(systemd_is_unix_listener(listener, &err), 1);
	close(listener);
	/* A closed descriptor cannot be asked at all. */
	assert_int_equal(systemd_is_unix_listener(listener, &err), -1);

	snprintf(path, sizeof path, "%s/listen", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify_path),
		cmocka_unit_test(test_notify_abstract),
		cmocka_unit_test(test_notify_reloading),
		cmocka_unit_test(test_notify_without_manager),
		cmocka_unit_test(test_notify_errors),
		cmocka_unit_test(test_listen_none),
		cmocka_unit_test(test_listen_pid_mismatch),
		cmocka_unit_test(test_listen_bad_values),
		cmocka_unit_test(test_listen_passed_socket),
		cmocka_unit_test(test_unix_listener_refuses_others),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
