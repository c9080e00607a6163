/*
 * The daemon's root state: one struct owns everything and is passed
 * explicitly, so tests can assemble a daemon (or just its methods and a
 * store) without globals.
 */
#ifndef KINDLOG_KINDLOGD_H
#define KINDLOG_KINDLOGD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct event_base;
struct config;
struct store;
struct server;
struct reminder;
struct notifier;
struct answer;
struct backup;
struct trim;
struct sync;

struct kindlogd {
	struct event_base	*base;
	struct config		*config;
	struct store		*store;
	struct server		*server;	/* NULL in method tests */
	struct reminder		*reminder;	/* NULL in method tests */
	struct notifier		*notifier;	/* NULL in method tests */
	struct answer		*answer;	/* NULL in method tests */
	struct backup		*backup;	/* NULL in method tests */
	struct trim		*trim;		/* NULL in method tests */
	struct sync		*sync;		/* NULL in method tests */
	char			*socket_path;
	char			*db_path;
	char			*config_path;
	bool			 config_explicit;	/* --config given */
	bool			 rearm_pending;	/* a write in this batch */
	size_t			 connections;	/* the server's, for status */
	time_t			 started_at;
};

#endif
