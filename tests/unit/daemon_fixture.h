/*
 * A daemon for wire tests, without a listening socket: default config, a
 * store in a fresh temporary directory, an event base and a server to
 * which tests add socketpair connections.
 */
#ifndef KINDLOG_TEST_DAEMON_FIXTURE_H
#define KINDLOG_TEST_DAEMON_FIXTURE_H

#include <stdint.h>

#include "kindlogd.h"

/* Build d in a new directory named after prefix (written to dir). */
void	daemon_fixture_create(struct kindlogd *d, char dir[64],
	    const char *prefix);
/* Tear d down and remove dir. */
void	daemon_fixture_destroy(struct kindlogd *d, const char *dir);
/* Live entries in the database file at path, as a fresh connection sees. */
int64_t	daemon_fixture_entries_in(const char *path);

#endif
