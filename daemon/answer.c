/* From a notification to an entry (answer.h). */
#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "answer.h"
#include "ask.h"
#include "config.h"
#include "log.h"
#include "method.h"
#include "params.h"
#include "prompt.h"
#include "reminder-text.h"
#include "reminder.h"
#include "server.h"
#include "sync.h"
#include "trim.h"
#include "xmalloc.h"

/* A typed line waiting for the server's batch to commit. */
struct answer_line {
	char				*text;
	TAILQ_ENTRY(answer_line)	 entry;
};

struct answer {
	struct kindlogd			*d;
	struct prompt			*prompt;
	struct event			*later_ev;	/* runs the waiting */
	TAILQ_HEAD(, answer_line)	 waiting;
};

/* Say something short in place of the last notification, no actions. */
static void
answer_tell(struct answer *a, const char *summary, const char *body)
{
	struct notifier_message	m = { 0 };
	struct kl_error		err;

	m.summary = summary;
	m.body = body;
	m.actions = NOTIFIER_NO_ACTIONS;
	m.replace = true;
	if (notifier_show(a->d->notifier, &m, &err) == 0)
		log_warnx("cannot confirm: %s", err.message);
}

/* The add params for a typed line: its text and its #tags. */
static json_t *
answer_params(const char *line, struct kl_error *err)
{
	char	*text = xstrdup(line), *tags[TAGS_MAX];
	json_t	*params, *value, *array;
	size_t	 n, i;

	n = ask_split_tags(text, tags, TAGS_MAX);
	value = json_string(text);
	if (value == NULL) {
		free(text);
		kl_error_set(err, KL_ERR_PARAMS, "the text is not UTF-8");
		return NULL;
	}
	params = json_pack("{s:o}", "text", value);
	if (n > 0) {
		array = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(array, json_string(tags[i]));
		json_object_set_new(params, "tags", array);
	}
	free(text);
	return params;
}

/* Add line as today's entry, as the add method would, and confirm it. */
static void
answer_add(struct answer *a, const char *line)
{
	struct kindlogd	*d = a->d;
	struct kl_error	 err;
	json_t		*params, *result = NULL, *entry;
	char		*summary;
	int		 rc = -1;

	params = answer_params(line, &err);
	if (params != NULL)
		rc = method_entry_add(d, params, &result, &err);
	json_decref(params);
	if (rc != 0) {
		log_info("an answer was not logged: %s", err.message);
		answer_tell(a, "Not logged", err.message);
		return;
	}
	if (d->reminder != NULL)
		reminder_rearm(d->reminder);
	sync_changed(d->sync);
	entry = json_object_get(result, "entry");
	log_info("entry #%lld logged from a notification", (long long)
	    json_integer_value(json_object_get(entry, "id")));
	summary = reminder_text_logged(json_integer_value(json_object_get(
	    json_object_get(result, "streak"), "current")));
	answer_tell(a, summary, json_string_value(json_object_get(entry,
	    "text")));
	free(summary);
	json_decref(result);
}

/*
 * An answer to add. While a request's batch is open in this iteration, a
 * write would join it and the confirmation could come before the commit
 * (and be wrong if it failed): wait until the batch is done. Its flush
 * is queued already, so the event activated now runs after it.
 */
static void
answer_line(struct answer *a, const char *line)
{
	struct answer_line	*wait;

	if (a->d->server == NULL || !server_batch_open(a->d->server)) {
		answer_add(a, line);
		return;
	}
	wait = xcalloc(1, sizeof *wait);
	wait->text = xstrdup(line);
	TAILQ_INSERT_TAIL(&a->waiting, wait, entry);
	event_active(a->later_ev, EV_TIMEOUT, 0);
}

/* The loop: add the answers that waited for a batch. */
static void
answer_later(evutil_socket_t fd, short events, void *arg)
{
	struct answer		*a = arg;
	struct answer_line	*wait;

	while ((wait = TAILQ_FIRST(&a->waiting)) != NULL) {
		if (a->d->server != NULL && server_batch_open(a->d->server)) {
			event_active(a->later_ev, EV_TIMEOUT, 0);
			return;
		}
		TAILQ_REMOVE(&a->waiting, wait, entry);
		answer_add(a, wait->text);
		free(wait->text);
		free(wait);
	}
}

/* The prompt ended. */
static void
answer_prompted(const char *line, const char *why, void *arg)
{
	struct answer	*a = arg;

	if (line == NULL) {
		log_info("prompt: %s; nothing logged", why);
		return;
	}
	answer_line(a, line);
	trim_soon(a->d->trim);
}

int
answer_prompt(struct answer *a, const char *token, struct kl_error *err)
{
	const struct config	*config = a->d->config;
	char			*question, **argv;
	int			 rc;

	if (prompt_running(a->prompt))
		return kl_error_set(err, KL_ERR_CONFLICT,
		    "a prompt is already open");
	question = ask_question(config->partner);
	argv = ask_argv((const char *const *)config->prompt_command,
	    question);
	free(question);
	if (argv == NULL)
		return kl_error_set(err, KL_ERR_UNAVAILABLE, "no prompt "
		    "program found: set [prompt] command, or install zenity "
		    "or kdialog");
	rc = prompt_start(a->prompt, argv, token, err);
	ask_argv_free(argv);
	return rc;
}

/* "Write it down…" was clicked: open the prompt, or say how else. */
static void
answer_write(struct answer *a, const char *token)
{
	struct kl_error	 err;
	char		*body;

	if (answer_prompt(a, token, &err) == 0)
		return;
	log_info("no prompt: %s", err.message);
	if (err.code == KL_ERR_CONFLICT)
		return;
	if (a->d->config->prompt_command != NULL)
		answer_tell(a, "Cannot open the prompt", err.message);
	else {
		body = reminder_text_no_prompt(a->d->config);
		answer_tell(a, "Write it down", body);
		free(body);
	}
}

/* Snooze from the notification: say so when it will bring nothing. */
static void
answer_snooze(struct answer *a)
{
	struct reminder	*r = a->d->reminder;
	struct kl_error	 err;
	char		*note;

	if (reminder_snooze(r, a->d->config->snooze, &err) != 0) {
		log_warnx("cannot snooze: %s", err.message);
		return;
	}
	if ((note = reminder_snooze_note(r)) != NULL) {
		answer_tell(a, "Snoozed", note);
		free(note);
	}
}

/* An action was picked on one of our notifications. */
static void
answer_action(struct answer *a, const struct notifier_event *event)
{
	struct kl_error	err;

	log_info("notification action: %s", event->action);
	if (strcmp(event->action, "default") == 0)
		answer_write(a, event->token);
	else if (a->d->reminder == NULL)
		return;
	else if (strcmp(event->action, "snooze") == 0)
		answer_snooze(a);
	else if (strcmp(event->action, "not-today") == 0 &&
	    reminder_not_today(a->d->reminder, &err) != 0)
		log_warnx("cannot save 'not today': %s", err.message);
}

void
answer_notified(const struct notifier_event *event, void *arg)
{
	struct answer	*a = arg;

	switch (event->result) {
	case NOTIFIER_SHOWN:
	case NOTIFIER_FAILED:
		if (a->d->reminder != NULL)
			reminder_delivered(a->d->reminder, event);
		break;
	case NOTIFIER_ACTION:
		answer_action(a, event);
		break;
	case NOTIFIER_REPLY:
		log_info("inline reply to a notification");
		answer_line(a, event->text);
		break;
	}
	/* GDBus's buffers and the store's pages are not needed after this. */
	trim_soon(a->d->trim);
}

struct answer *
answer_create(struct kindlogd *d)
{
	struct answer	*a = xcalloc(1, sizeof *a);

	a->d = d;
	a->prompt = prompt_create(d->base, answer_prompted, a);
	a->later_ev = event_new(d->base, -1, 0, answer_later, a);
	TAILQ_INIT(&a->waiting);
	return a;
}

void
answer_destroy(struct answer *a)
{
	struct answer_line	*wait;

	if (a == NULL)
		return;
	while ((wait = TAILQ_FIRST(&a->waiting)) != NULL) {
		TAILQ_REMOVE(&a->waiting, wait, entry);
		free(wait->text);
		free(wait);
	}
	event_free(a->later_ev);
	prompt_destroy(a->prompt);
	free(a);
}
