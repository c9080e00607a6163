/*
 * The prompt child (prompt.h). It gets a pipe for stdout and a pidfd for
 * its exit, both in the event loop; the answer is read when it has
 * exited, from what the pipe holds by then, so a grandchild that keeps
 * the pipe open cannot hold the answer back.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "log.h"
#include "prompt.h"
#include "strnum.h"
#include "xmalloc.h"

#define PROMPT_TIMEOUT (10 * 60)	/* seconds a prompt may stay open */
#define PROMPT_KILL_GRACE 5		/* seconds from SIGTERM to SIGKILL */
#define PROMPT_READ_MAX (64 * 1024)	/* stdout kept; the rest is read
					   and dropped */

extern char **environ;

struct prompt {
	struct event_base	*base;
	prompt_cb		 cb;
	void			*arg;
	int			 timeout;	/* seconds */

	pid_t			 pid;		/* 0: none open */
	int			 out;		/* its stdout, read end */
	int			 pidfd;
	struct event		*out_ev;
	struct event		*exit_ev;
	struct event		*timer_ev;
	bool			 expired;	/* SIGTERM sent at the timeout */
	char			*buf;
	size_t			 len;
};

struct prompt *
prompt_create(struct event_base *base, prompt_cb cb, void *arg)
{
	struct prompt	*p = xcalloc(1, sizeof *p);
	const char	*env = getenv("KINDLOGD_PROMPT_TIMEOUT");
	int64_t		 seconds;

	p->base = base;
	p->cb = cb;
	p->arg = arg;
	p->timeout = PROMPT_TIMEOUT;
	if (env != NULL && parse_int64(env, 1, PROMPT_TIMEOUT, &seconds))
		p->timeout = (int)seconds;
	p->out = p->pidfd = -1;
	return p;
}

/* Close the pipe, the pidfd and their events (the child is reaped). */
static void
prompt_clear(struct prompt *p)
{
	if (p->out_ev != NULL)
		event_free(p->out_ev);
	if (p->exit_ev != NULL)
		event_free(p->exit_ev);
	if (p->timer_ev != NULL)
		event_free(p->timer_ev);
	p->out_ev = p->exit_ev = p->timer_ev = NULL;
	if (p->out >= 0)
		close(p->out);
	if (p->pidfd >= 0)
		close(p->pidfd);
	p->out = p->pidfd = -1;
	free(p->buf);
	p->buf = NULL;
	p->len = 0;
	p->pid = 0;
	p->expired = false;
}

void
prompt_destroy(struct prompt *p)
{
	if (p == NULL)
		return;
	if (p->pid > 0) {
		kill(-p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	prompt_clear(p);
	free(p);
}

bool
prompt_running(const struct prompt *p)
{
	return p->pid > 0;
}

/* Read what the pipe holds now; at end of file stop watching it. */
static void
prompt_drain(struct prompt *p)
{
	char	scratch[4096];
	ssize_t	n;

	while (p->out >= 0) {
		if (p->len < PROMPT_READ_MAX)
			n = read(p->out, p->buf + p->len,
			    PROMPT_READ_MAX - p->len);
		else
			n = read(p->out, scratch, sizeof scratch);
		if (n > 0 && p->len < PROMPT_READ_MAX)
			p->len += (size_t)n;
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN) {
			event_del(p->out_ev);
			close(p->out);
			p->out = -1;
		}
		break;
	}
}

/* The loop: the prompt wrote something. */
static void
prompt_readable(evutil_socket_t fd, short events, void *arg)
{
	prompt_drain(arg);
}

/* The first line of what the prompt wrote, trimmed. Caller frees. */
static char *
prompt_first_line(const struct prompt *p)
{
	const char	*nl = memchr(p->buf, '\n', p->len);

	return str_trim(xstrndup(p->buf, nl != NULL ?
	    (size_t)(nl - p->buf) : p->len));
}

/* The loop: the prompt exited. */
static void
prompt_exited(evutil_socket_t fd, short events, void *arg)
{
	struct prompt	*p = arg;
	const char	*why = NULL;
	char		*line;
	int		 status = 0;
	bool		 expired = p->expired;

	switch (waitpid(p->pid, &status, WNOHANG)) {
	case 0:		/* not yet, after all */
		event_add(p->exit_ev, NULL);
		return;
	case -1:	/* not ours to reap: count it as failed */
		status = 1 << 8;
		break;
	}
	prompt_drain(p);
	line = prompt_first_line(p);
	if (expired)
		why = "no answer within the time allowed";
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		why = "cancelled";
	else if (line[0] == '\0')
		why = "nothing was typed";
	prompt_clear(p);
	p->cb(why == NULL ? line : NULL, why, p->arg);
	free(line);
}

/* The loop: the prompt is open too long; end it, then make sure. */
static void
prompt_expire(evutil_socket_t fd, short events, void *arg)
{
	struct prompt	*p = arg;
	struct timeval	 grace = { PROMPT_KILL_GRACE, 0 };

	if (p->expired) {
		log_warnx("the prompt (pid %ld) ignored SIGTERM; killing it",
		    (long)p->pid);
		kill(-p->pid, SIGKILL);
		return;
	}
	log_info("the prompt was open for %d s; ending it", p->timeout);
	p->expired = true;
	kill(-p->pid, SIGTERM);
	evtimer_add(p->timer_ev, &grace);
}

/*
 * The daemon's environment for the child, with the activation token set
 * (or a stale one dropped). The strings are borrowed from environ except
 * those from (*owned) on, which the caller frees with the array.
 */
static char **
prompt_environment(const char *token, size_t *owned)
{
	char	**env;
	size_t	  n = 0, i, j = 0;

	while (environ[n] != NULL)
		n++;
	env = xcalloc(n + 3, sizeof *env);
	for (i = 0; i < n; i++) {
		if (strncmp(environ[i], "XDG_ACTIVATION_TOKEN=", 21) == 0 ||
		    strncmp(environ[i], "DESKTOP_STARTUP_ID=", 19) == 0)
			continue;
		env[j++] = environ[i];
	}
	*owned = j;
	if (token != NULL && token[0] != '\0') {
		env[j++] = xasprintf("XDG_ACTIVATION_TOKEN=%s", token);
		env[j++] = xasprintf("DESKTOP_STARTUP_ID=%s", token);
	}
	return env;
}

/* posix_spawnp argv with a fresh process group and default signals. */
static int
prompt_spawn(char *const argv[], const char *token, int out, pid_t *pid)
{
	posix_spawn_file_actions_t	 actions;
	posix_spawnattr_t		 attr;
	sigset_t			 none, reset;
	char				**env;
	size_t				 first, i;
	int				 rc;

	sigemptyset(&none);
	sigemptyset(&reset);
	sigaddset(&reset, SIGPIPE);
	sigaddset(&reset, SIGTERM);
	sigaddset(&reset, SIGINT);
	sigaddset(&reset, SIGHUP);
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY,
	    0);
	posix_spawn_file_actions_adddup2(&actions, out, 1);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &reset);
	env = prompt_environment(token, &first);
	rc = posix_spawnp(pid, argv[0], &actions, &attr, argv, env);
	for (i = first; env[i] != NULL; i++)
		free(env[i]);
	free(env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&actions);
	return rc;
}

int
prompt_start(struct prompt *p, char *const argv[], const char *token,
    struct kl_error *err)
{
	struct timeval	timeout = { p->timeout, 0 };
	int		fds[2], rc;

	if (p->pid > 0)
		return kl_error_set(err, KL_ERR_CONFLICT,
		    "a prompt is already open");
	if (pipe2(fds, O_CLOEXEC) != 0)
		return kl_error_set(err, KL_ERR_INTERNAL, "pipe: %s",
		    strerror(errno));
	rc = prompt_spawn(argv, token, fds[1], &p->pid);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		p->pid = 0;
		return kl_error_set(err, KL_ERR_UNAVAILABLE,
		    "cannot run '%.64s': %s", argv[0], strerror(rc));
	}
	p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (p->pidfd < 0) {
		rc = errno;
		kill(-p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
		close(fds[0]);
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "cannot watch the prompt: pidfd_open: %s", strerror(rc));
	}
	p->out = fds[0];
	evutil_make_socket_nonblocking(p->out);
	p->buf = xmalloc(PROMPT_READ_MAX);
	p->out_ev = event_new(p->base, p->out, EV_READ | EV_PERSIST,
	    prompt_readable, p);
	p->exit_ev = event_new(p->base, p->pidfd, EV_READ, prompt_exited, p);
	p->timer_ev = evtimer_new(p->base, prompt_expire, p);
	event_add(p->out_ev, NULL);
	event_add(p->exit_ev, NULL);
	evtimer_add(p->timer_ev, &timeout);
	log_info("prompt started: %s (pid %ld)", argv[0], (long)p->pid);
	return 0;
}
