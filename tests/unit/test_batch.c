/*
 * Group commit through the real server: requests that arrive in one loop
 * iteration, across connections, share one transaction, and no reply goes
 * out before that transaction is on disk. The fault VFS (faultvfs.c)
 * makes the WAL writes of a commit fail on demand, so the failure path is
 * real SQLite behaviour, not a mock.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>
#include <sqlite3.h>

#include "config.h"
#include "daemon_fixture.h"
#include "faultvfs.h"
#include "kindlogd.h"
#include "server.h"
#include "store.h"
#include "wire.h"

#define NPEERS 2

/* Every WAL write fails from the next on, until faultvfs_disarm. */
static const struct faultvfs_fault wal_writes_fail = {
	.file = FAULTVFS_WAL, .op = FAULTVFS_WRITE, .nth = 1,
	.rc = SQLITE_IOERR_WRITE, .persist = true,
};

/* --- a server with NPEERS socketpair clients ------------------------- */

struct fixture {
	struct kindlogd	 d;
	char		 dir[64];
	int		 peer[NPEERS];
};

static int
setup(void **state)
{
	struct fixture	*f = calloc(1, sizeof *f);
	int		 sv[2], i;

	faultvfs_disarm();
	daemon_fixture_create(&f->d, f->dir, "kindlog-batch");
	for (i = 0; i < NPEERS; i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		assert_int_equal(server_connection_add(f->d.server, sv[0]), 0);
		f->peer[i] = sv[1];
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	faultvfs_disarm();
	for (i = 0; i < NPEERS; i++)
		close(f->peer[i]);
	daemon_fixture_destroy(&f->d, f->dir);
	free(f);
	return 0;
}

/* Write a request line to peer i (not yet served). */
static void
send_line(struct fixture *f, int i, const char *line)
{
	size_t	len = strlen(line);

	assert_int_equal(write(f->peer[i], line, len), (ssize_t)len);
}

/* Let the server write what it has queued. */
static void
let_it_write(struct fixture *f)
{
	int	i;

	for (i = 0; i < 10; i++)
		event_base_loop(f->d.base, EVLOOP_NONBLOCK);
}

/* Run one loop iteration (it serves and commits), then let it write. */
static void
serve_one_turn(struct fixture *f)
{
	event_base_loop(f->d.base, EVLOOP_ONCE);
	let_it_write(f);
}

/* Everything peer i has received, waiting briefly for more. */
static void
receive(struct fixture *f, int i, char *buf, size_t size)
{
	struct pollfd	pfd = { .fd = f->peer[i], .events = POLLIN };
	size_t		got = 0;
	ssize_t		n;

	while (got < size - 1 && poll(&pfd, 1, 50) == 1) {
		n = read(f->peer[i], buf + got, size - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
}

/* Occurrences of needle in s. */
static int
count(const char *s, const char *needle)
{
	int	n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* Live entries in the fixture's database, as a fresh connection sees. */
static int64_t
entries_on_disk(struct fixture *f)
{
	return daemon_fixture_entries_in(f->d.db_path);
}

#define ADD(id, text) "{\"jsonrpc\":\"2.0\",\"id\":" #id ",\"method\":\"add\"," \
	"\"params\":{\"text\":\"" text "\"}}\n"

static void
test_two_clients_one_turn_all_acknowledged(void **state)
{
	struct fixture	*f = *state;
	char		 buf[8192];

	send_line(f, 0, ADD(1, "tea") ADD(2, "hug") ADD(3, "note"));
	send_line(f, 1, ADD(7, "walk") ADD(8, "soup"));
	/* One iteration serves both sockets and commits once. */
	serve_one_turn(f);
	receive(f, 0, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\":{\"entry\""), 3);
	assert_true(strstr(buf, "\"id\":1,") < strstr(buf, "\"id\":2,"));
	assert_true(strstr(buf, "\"id\":2,") < strstr(buf, "\"id\":3,"));
	receive(f, 1, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\":{\"entry\""), 2);
	assert_true(strstr(buf, "\"id\":7,") < strstr(buf, "\"id\":8,"));
	assert_int_equal(entries_on_disk(f), 5);
}

/*
 * The first request of an iteration belongs to its batch like the rest:
 * requests that arrive together cost one commit, one WAL sync, whether
 * they came on one connection or on several.
 */
static void
test_one_turn_syncs_once(void **state)
{
	struct fixture	*f = *state;
	char		 buf[8192];

	/* The first commit into a fresh WAL also syncs its header. */
	send_line(f, 0, ADD(1, "tea"));
	serve_one_turn(f);
	receive(f, 0, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\":{\"entry\""), 1);

	faultvfs_arm(NULL);
	send_line(f, 0, ADD(2, "hug") ADD(3, "note"));
	serve_one_turn(f);
	receive(f, 0, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\":{\"entry\""), 2);
	assert_int_equal(faultvfs_calls(FAULTVFS_WAL, FAULTVFS_SYNC), 1);

	faultvfs_arm(NULL);
	send_line(f, 0, ADD(4, "walk") ADD(5, "soup") ADD(6, "call"));
	send_line(f, 1, ADD(7, "card") ADD(8, "cake") ADD(9, "tune"));
	serve_one_turn(f);
	receive(f, 0, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\":{\"entry\""), 3);
	receive(f, 1, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\":{\"entry\""), 3);
	assert_int_equal(faultvfs_calls(FAULTVFS_WAL, FAULTVFS_SYNC), 1);
	assert_int_equal(entries_on_disk(f), 9);
}

static void
test_failed_write_inside_batch_is_alone(void **state)
{
	struct fixture	*f = *state;
	char		 buf[8192];

	send_line(f, 0, ADD(1, "tea")
	    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"thank\","
	    "\"params\":{\"id\":99}}\n" ADD(3, "hug"));
	serve_one_turn(f);
	receive(f, 0, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\":{\"entry\""), 2);
	assert_non_null(strstr(buf, "\"id\":2,\"error\":{\"code\":1,"));
	assert_int_equal(entries_on_disk(f), 2);
}

static void
test_failed_commit_fails_every_reply(void **state)
{
	struct fixture	*f = *state;
	char		 buf[8192];

	send_line(f, 0, ADD(1, "tea") ADD(2, "hug"));
	send_line(f, 1, ADD(3, "walk")
	    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"nope\"}\n");
	faultvfs_arm(&wal_writes_fail);
	event_base_loop(f->d.base, EVLOOP_ONCE);
	faultvfs_disarm();
	let_it_write(f);
	assert_true(faultvfs_failed() > 0);

	receive(f, 0, buf, sizeof buf);
	assert_int_equal(count(buf, "\"result\""), 0);
	assert_int_equal(count(buf, "\"error\":{\"code\":2,"), 2);
	assert_true(strstr(buf, "\"id\":1,") < strstr(buf, "\"id\":2,"));
	receive(f, 1, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"id\":3,\"error\":{\"code\":2,"));
	/* An error reply stays what it was. */
	assert_non_null(strstr(buf, "\"id\":4,\"error\":{\"code\":-32601,"));
	assert_int_equal(entries_on_disk(f), 0);

	/* The store carries on with the next batch. */
	send_line(f, 1, ADD(5, "soup"));
	serve_one_turn(f);
	receive(f, 1, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"id\":5,\"result\""));
	assert_int_equal(entries_on_disk(f), 1);
}

/* Add one entry through the store (inside whatever batch is open). */
static int
store_add(struct fixture *f, const char *text)
{
	struct store_entry_new	 in = { .text = text, .day = 20000 };
	struct kl_error		 err;
	json_t			*entry = NULL;
	int			 rc;

	rc = store_entry_add(f->d.store, &in, time(NULL), &entry, &err);
	json_decref(entry);
	return rc;
}

static void
test_backup_inside_batch_copies_only_committed(void **state)
{
	struct fixture		*f = *state;
	struct store_backup	*job;
	struct kl_error		 err;
	char			 path[128];

	snprintf(path, sizeof path, "%s/backup.db", f->dir);
	store_batch_begin(f->d.store);
	assert_int_equal(store_add(f, "tea"), 0);
	/* A backup asked for in the same turn as a write. */
	job = store_backup_start(f->d.store, path, &err);
	assert_non_null(job);
	assert_int_equal(store_backup_step(job, -1, &err), 0);
	store_backup_free(job);
	/* The rest of the batch then fails to commit. */
	faultvfs_arm(&wal_writes_fail);
	store_add(f, "hug");
	store_batch_commit(f->d.store, &err);
	faultvfs_disarm();
	/* The backup never holds what the database does not. */
	assert_int_equal(daemon_fixture_entries_in(path), entries_on_disk(f));
	assert_int_equal(daemon_fixture_entries_in(path), 1);
}

static void
test_reads_alone_commit_nothing(void **state)
{
	struct fixture	*f = *state;
	char		 buf[4096];

	/* With WAL writes failing, a batch of reads must still succeed. */
	faultvfs_arm(&wal_writes_fail);
	send_line(f, 0, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"streak\"}\n");
	send_line(f, 1, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"list\"}\n");
	serve_one_turn(f);
	receive(f, 0, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"id\":1,\"result\""));
	receive(f, 1, buf, sizeof buf);
	assert_non_null(strstr(buf, "\"id\":2,\"result\""));
	assert_int_equal(faultvfs_failed(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_two_clients_one_turn_all_acknowledged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_one_turn_syncs_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_failed_write_inside_batch_is_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_failed_commit_fails_every_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reads_alone_commit_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_backup_inside_batch_copies_only_committed, setup,
		    teardown),
	};

	faultvfs_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
