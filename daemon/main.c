/*
 * kindlogd: options, startup, signals and the event loop. It stays in the
 * foreground; systemd, scripts/run or the client's autostart decide where
 * it runs and where its stderr goes.
 */
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "answer.h"
#include "backup.h"
#include "config.h"
#include "dblock.h"
#include "kindlogd.h"
#include "method.h"
#include "notifier.h"
#include "paths.h"
#include "reminder.h"
#include "server.h"
#include "store.h"
#include "sync.h"
#include "systemd.h"
#include "trim.h"
#include "xmalloc.h"

static const char usage_text[] =
    "usage: kindlogd [-v] [--socket PATH] [--db PATH] [--config PATH]\n"
    "\n"
    "The kindlog daemon: keeps the log of your partner's kind gestures\n"
    "and serves the kindlog client over a Unix socket.\n"
    "\n"
    "  --socket PATH   listen here (default $XDG_RUNTIME_DIR/kindlog/"
    "kindlogd.sock)\n"
    "  --db PATH       database (default $XDG_DATA_HOME/kindlog/kindlog.db)\n"
    "  --config PATH   config file (default $XDG_CONFIG_HOME/kindlog/"
    "kindlog.conf)\n"
    "  -v, --verbose   log debug messages\n"
    "  --version       print the version and exit\n"
    "  -h, --help      print this help and exit\n";

struct options {
	const char	*socket;
	const char	*db;
	const char	*config;
	int		 verbose;
};

/* A malformed command line, in the client's words; exits 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
main_usage_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("kindlogd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'kindlogd --help'.\n", stderr);
	exit(2);
}

/* Parse the command line; exits on --help, --version or a usage error. */
static void
main_parse_options(int argc, char **argv, struct options *opts)
{
	enum { OPT_SOCKET = 256, OPT_DB, OPT_CONFIG, OPT_VERSION };
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "db", required_argument, NULL, OPT_DB },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char	short_opt[3] = "-?", *word;
	int	ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":vh", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_SOCKET:
			opts->socket = optarg;
			break;
		case OPT_DB:
			opts->db = optarg;
			break;
		case OPT_CONFIG:
			opts->config = optarg;
			break;
		case 'v':
			opts->verbose = 1;
			break;
		case OPT_VERSION:
			printf("kindlogd %s\n", KINDLOG_VERSION);
			exit(0);
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			main_usage_error("option '%s' needs an argument",
			    argv[optind - 1]);
		default:
			word = argv[optind - 1];
			if (optopt != 0 && strncmp(word, "--", 2) != 0) {
				short_opt[1] = (char)optopt;
				main_usage_error("unknown option '%s'",
				    short_opt);
			}
			word[strcspn(word, "=")] = '\0';
			if (optopt != 0)
				main_usage_error("option '%s' takes no "
				    "argument", word);
			main_usage_error("unknown option '%s'", word);
		}
	}
	if (optind != argc)
		main_usage_error("unexpected argument '%s'", argv[optind]);
}

/* The database path: --db, or the default under the data directory. */
static char *
main_db_path(const char *option)
{
	struct kl_error	 err;
	char		*dir, *path;

	if (option != NULL) {
		if (option[0] == '\0')
			fatalx("--db must not be empty");
		path = xstrdup(option);
		dir = paths_dirname(path);
	} else {
		dir = paths_data_dir();
		path = xasprintf("%s/kindlog.db", dir);
	}
	if (paths_mkdir_p(dir, 0700, &err) != 0)
		fatalx("%s", err.message);
	free(dir);
	return path;
}

/*
 * systemd integration: readiness notification and socket activation
 * (systemd.c). Both are no-ops when kindlogd was not started by systemd.
 */

/* Tell the service manager about a state change ("READY=1", ...). */
static void
main_notify(const char *state)
{
	struct kl_error	err;

	if (systemd_notify(state, &err) < 0)
		log_warnx("%s", err.message);
}

/* RELOADING=1 with the timestamp newer systemd versions want with it. */
static void
main_notify_reloading(void)
{
	struct kl_error	err;

	if (systemd_notify_reloading(&err) < 0)
		log_warnx("%s", err.message);
}

/* The path a listening Unix socket is bound to, or NULL. Caller frees. */
static char *
main_socket_name(int fd)
{
	struct sockaddr_un	sa;
	socklen_t		len = sizeof sa;

	memset(&sa, 0, sizeof sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0 ||
	    len <= offsetof(struct sockaddr_un, sun_path) ||
	    sa.sun_path[0] == '\0')
		return NULL;
	sa.sun_path[sizeof sa.sun_path - 1] = '\0';
	return xstrdup(sa.sun_path);
}

/*
 * The listening socket systemd passed (socket activation), or -1 when none
 * was. Anything but exactly one listening AF_UNIX stream socket is a
 * startup error: serving on the wrong thing would fail in confusing ways.
 */
static int
main_activated_socket(void)
{
	struct kl_error	err;
	int		n, rc;

	n = systemd_listen_fds(&err);
	if (n < 0)
		fatalx("cannot read the sockets systemd passed: %s",
		    err.message);
	if (n == 0)
		return -1;
	if (n != 1)
		fatalx("systemd passed %d sockets; kindlogd.socket must "
		    "listen on exactly one", n);
	rc = systemd_is_unix_listener(SYSTEMD_LISTEN_FDS_START, &err);
	if (rc < 0)
		fatalx("cannot check the socket systemd passed: %s",
		    err.message);
	if (rc == 0)
		fatalx("the socket systemd passed is not a listening Unix "
		    "stream socket (check ListenStream= in kindlogd.socket)");
	return SYSTEMD_LISTEN_FDS_START;
}

/* SIGTERM/SIGINT: stop serving and let the loop end. */
static void
main_signal_stop(evutil_socket_t sig, short events, void *arg)
{
	struct kindlogd	*d = arg;

	log_info("signal %d: shutting down", (int)sig);
	main_notify("STOPPING=1");
	server_shutdown(d->server);
}

/* SIGHUP: reload the config, keeping the old one if the new one is bad. */
static void
main_signal_reload(evutil_socket_t sig, short events, void *arg)
{
	struct kindlogd	*d = arg;
	struct kl_error	 err;

	main_notify_reloading();
	if (method_reload_config(d, &err) != 0)
		log_warnx("reload failed, keeping the old config: %s",
		    err.message);
	else
		log_info("reloaded %s", d->config_path);
	main_notify("READY=1");
}

/* The loop's signal events: stop on SIGTERM and SIGINT, reload on SIGHUP. */
struct main_signals {
	struct event	*term;
	struct event	*intr;
	struct event	*hup;
};

static void
main_signals_init(struct kindlogd *d, struct main_signals *s)
{
	s->term = evsignal_new(d->base, SIGTERM, main_signal_stop, d);
	s->intr = evsignal_new(d->base, SIGINT, main_signal_stop, d);
	s->hup = evsignal_new(d->base, SIGHUP, main_signal_reload, d);
	event_add(s->term, NULL);
	event_add(s->intr, NULL);
	event_add(s->hup, NULL);
}

static void
main_signals_finish(struct main_signals *s)
{
	event_free(s->term);
	event_free(s->intr);
	event_free(s->hup);
}

/*
 * Where things are: the socket (the one systemd passed, if any), the
 * database and the config. Returns the passed socket, or -1.
 */
static int
main_paths(struct kindlogd *d, const struct options *opts)
{
	char	*activated_path;
	int	 fd;

	d->socket_path = paths_socket(opts->socket);
	d->db_path = main_db_path(opts->db);
	d->config_explicit = opts->config != NULL;
	d->config_path = opts->config != NULL ? xstrdup(opts->config) :
	    paths_config_file();
	d->started_at = time(NULL);
	fd = main_activated_socket();
	if (fd >= 0) {
		/* Not ours to unlink: systemd made it and keeps it. */
		activated_path = main_socket_name(fd);
		if (activated_path != NULL) {
			free(d->socket_path);
			d->socket_path = activated_path;
		}
	}
	return fd;
}

/*
 * Load the config, open the store and the loop, and serve on fd (-1:
 * bind the socket ourselves). Any failure ends the process.
 */
static void
main_start(struct kindlogd *d, int fd)
{
	struct kl_error	 err;
	const char	*idle;
	char		*data_dir;

	if (config_load(d->config_path, d->config_explicit, &d->config,
	    &err) != 0)
		fatalx("%s", err.message);
	data_dir = paths_dirname(d->db_path);
	if (config_check_sync_dir(d->config, d->config_path, data_dir,
	    &err) != 0)
		fatalx("%s", err.message);
	free(data_dir);
	if (store_open(d->db_path, &d->store, &err) != 0)
		fatalx("%s", err.message);
	/* The notifier thread wakes the loop with event_active(). */
	if (evthread_use_pthreads() != 0)
		fatalx("cannot enable libevent's thread support");
	d->base = event_base_new();
	if (d->base == NULL)
		fatalx("cannot create the event loop");
	if (fd >= 0) {
		d->server = server_create(d, fd, NULL);
		log_info("serving on the socket passed by systemd");
	} else {
		fd = server_listen(d->socket_path, &err);
		if (fd < 0)
			fatalx("%s", err.message);
		d->server = server_create(d, fd, d->socket_path);
	}
	idle = getenv("KINDLOGD_IDLE_TIMEOUT");
	if (idle != NULL && atoi(idle) > 0)
		server_set_idle_timeout(d->server, atoi(idle));
	log_info("kindlogd %s (libevent %s, SQLite %s)", KINDLOG_VERSION,
	    event_get_version(), store_library_version());
	log_info("socket %s", d->socket_path);
	log_info("database %s%s", d->db_path,
	    store_readonly(d->store) ? " (read-only)" : "");
	log_info("config %s", d->config_path);
}

/* Tear everything down after the loop has ended, then release lock. */
static void
main_stop(struct kindlogd *d, struct main_signals *signals,
    struct dblock *lock)
{
	backup_destroy(d->backup);
	/* First: committing the last batch may still re-arm the reminder. */
	server_destroy(d->server);
	d->server = NULL;
	sync_destroy(d->sync);
	reminder_destroy(d->reminder);
	answer_destroy(d->answer);
	if (!notifier_destroy(d->notifier)) {
		/* The notifier thread is stuck in D-Bus: keep its memory. */
		store_close(d->store);
		log_info("stopped");
		_exit(0);	/* the kernel drops the database lock */
	}
	trim_destroy(d->trim);
	main_signals_finish(signals);
	event_base_free(d->base);
	store_close(d->store);
	dblock_release(lock);
	config_destroy(d->config);
	free(d->socket_path);
	free(d->db_path);
	free(d->config_path);
	log_info("stopped");
}

int
main(int argc, char **argv)
{
	struct options		 opts = { 0 };
	struct kindlogd		 d = { 0 };
	struct main_signals	 signals;
	struct kl_error		 err;
	struct dblock		*lock;
	int			 fd;

	/*
	 * One malloc arena for every thread. The notifier thread and GLib's
	 * gdbus and gmain threads would each get an arena of their own, some
	 * 180 KiB resident for the few allocations a notification makes, and
	 * none of them allocates on a hot path where it could contend.
	 */
	mallopt(M_ARENA_MAX, 1);
	main_parse_options(argc, argv, &opts);
	log_init("kindlogd", opts.verbose);
	signal(SIGPIPE, SIG_IGN);

	fd = main_paths(&d, &opts);
	/* Before the database and the socket: a refusal touches neither. */
	lock = dblock_acquire(d.db_path, d.socket_path, &err);
	if (lock == NULL)
		fatalx("%s", err.message);
	main_start(&d, fd);
	main_signals_init(&d, &signals);

	d.trim = trim_create(&d);
	d.answer = answer_create(&d);
	d.notifier = notifier_create(d.base, answer_notified, d.answer);
	d.reminder = reminder_create(&d);
	d.backup = backup_create(&d);
	d.sync = sync_create(&d);
	main_notify("READY=1");
	event_base_dispatch(d.base);
	main_notify("STOPPING=1");
	main_stop(&d, &signals, lock);
	return 0;
}
