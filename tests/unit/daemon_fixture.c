/* The daemon fixture shared by the wire and group-commit tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <event2/event.h>

#include "config.h"
#include "daemon_fixture.h"
#include "server.h"
#include "store.h"

void
daemon_fixture_create(struct kindlogd *d, char dir[64], const char *prefix)
{
	struct kl_error	err;

	snprintf(dir, 64, "/tmp/%s-XXXXXX", prefix);
	assert_non_null(mkdtemp(dir));
	memset(d, 0, sizeof *d);
	d->db_path = malloc(128);
	snprintf(d->db_path, 128, "%s/kindlog.db", dir);
	d->socket_path = strdup("(socketpair)");
	d->config_path = strdup("/nonexistent/kindlog.conf");
	d->config = config_create_default();
	d->started_at = time(NULL);
	assert_int_equal(store_open(d->db_path, &d->store, &err), 0);
	d->base = event_base_new();
	d->server = server_create(d, -1, NULL);
}

void
daemon_fixture_destroy(struct kindlogd *d, const char *dir)
{
	char	cmd[128];

	server_destroy(d->server);
	event_base_free(d->base);
	store_close(d->store);
	config_destroy(d->config);
	free(d->db_path);
	free(d->socket_path);
	free(d->config_path);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int64_t
daemon_fixture_entries_in(const char *path)
{
	struct store	*other;
	struct kl_error	 err;
	kl_day		*days;
	size_t		 ndays;
	int64_t		 entries;

	assert_int_equal(store_open(path, &other, &err), 0);
	assert_int_equal(store_days(other, &days, &ndays, &entries, &err), 0);
	free(days);
	store_close(other);
	return entries;
}
