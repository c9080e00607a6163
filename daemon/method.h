/*
 * One JSON-RPC method, as the method-*.c files define them (tmux's
 * cmd_entry): its name, the params it accepts, its handler, whether it
 * writes. methods.c collects them into the table and checks the params'
 * names once, before any handler runs; a handler checks their types and
 * bounds, acts through the store and returns a result or an error. It
 * never touches a socket.
 *
 * Also here: what more than one group of handlers needs.
 */
#ifndef KINDLOG_METHOD_H
#define KINDLOG_METHOD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"
#include "kindlogd.h"

/*
 * A handler: params is borrowed (an object whose names the method
 * accepts); on 0, *result holds a new reference; on -1, err is set.
 */
typedef int method_handler(struct kindlogd *d, json_t *params,
    json_t **result, struct kl_error *err);

struct method {
	const char		*name;
	const char *const	*params;	/* accepted names, NULL-ended */
	method_handler		*handler;
	bool			 writes;	/* changes the database */
	const char		*summary;	/* one line for docs and tests */
};

/* No params at all. */
extern const char *const method_no_params[];

/* The STREAK of the whole log as of now, a new object; NULL with err. */
json_t *method_streak_json(struct kindlogd *d, time_t now,
    struct kl_error *err);
/*
 * {"entry": entry, "streak": STREAK} in *result. Takes over the reference
 * to entry, also on error.
 */
int method_entry_result(struct kindlogd *d, json_t *entry, time_t now,
    json_t **result, struct kl_error *err);
/*
 * The add method's handler, for whoever else adds an entry (an answer to
 * a notification): the same checks, the same store call, the same reply.
 * The caller re-arms the reminder (methods_call does for the table).
 */
int method_entry_add(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err);
/*
 * A new array holding array's members (borrowed) in reverse order: a
 * newest-first list told oldest first.
 */
json_t *method_reversed(json_t *array);

/* A reflection's answers: at most this many, questions this long. */
#define REFLECT_ANSWERS_MAX 10
#define REFLECT_QUESTION_MAX 500

struct store_answer;

/* Trimmed copies of a reflection's answers, for method_answers_free. */
struct method_answers {
	struct store_answer	*answers;
	size_t			 n;
};

/*
 * Check an array of {"question", "answer"} (reflect.save, import
 * records): both strings, trimmed, the question 1..500 bytes and the
 * answer at most 4000, at most REFLECT_ANSWERS_MAX of them. An answer
 * empty after trimming is left out when drop_empty, else refused; out->n
 * may be 0.
 */
int method_answers_parse(json_t *array, bool drop_empty,
    struct method_answers *out, struct kl_error *err);
void method_answers_free(struct method_answers *answers);

/*
 * Re-read the config file (the reload method and SIGHUP): the new config
 * replaces the old one only if it is valid; reminders are re-armed.
 */
int method_reload_config(struct kindlogd *d, struct kl_error *err);

#endif
