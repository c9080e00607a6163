/*
 * The fixture of the store unit tests (test_store_*.c): each test gets a
 * new database in a fresh temporary directory, and these helpers.
 */
#ifndef KINDLOG_TEST_STORE_FIXTURE_H
#define KINDLOG_TEST_STORE_FIXTURE_H

#include <sys/types.h>

#include <stdint.h>

#include "store.h"

/* 2026-11-27T07:41:05Z */
#define NOW ((time_t)1795765265)

struct fixture {
	char		 dir[64];
	char		*path;
	struct store	*store;
};

/* Make a temp dir and open a new database in it; close and remove it. */
int	 store_fixture_setup(void **state);
int	 store_fixture_teardown(void **state);
#define STORE_TEST(test) \
	cmocka_unit_test_setup_teardown(test, store_fixture_setup, \
	    store_fixture_teardown)

/* Tags space-separated as a new JSON array; NULL for NULL. */
json_t	*tags_json(const char *tags);
/* Add an entry (tags space-separated, or NULL) and return its id. */
int64_t	 add(struct store *store, const char *text, const char *tags,
	    kl_day day, const char *how);
/* Every aggregate table agrees with the entries it summarises. */
void	 assert_aggregates(const char *path);
/* The tags of an entry joined by spaces (static buffer). */
const char *tags_of(json_t *entry);
/* A string member of an object. */
const char *str(json_t *object, const char *key);
/* The whole content of a file (malloc'd), and its size. */
char	*slurp(const char *path, size_t *size);
/* Overwrite a big-endian 32-bit integer of the file at offset. */
void	 patch_header(const char *path, off_t offset, uint32_t value);
/* Open must fail with KL_ERR_STORAGE, leaving the file byte for byte. */
void	 assert_refused(const char *path, const char *message_part);
/* Run a list query; return the ids joined by spaces (static buffer). */
const char *list_ids(struct store *store, const struct store_query *q,
	    int64_t *total);
/* Close the fixture store and patch its header (offset, value). */
void	 close_and_patch(struct fixture *f, off_t offset, uint32_t value);

#endif
