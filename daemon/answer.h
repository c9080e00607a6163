/*
 * What a person does with a notification. Snooze and Not today go to the
 * reminder; "Write it down…" (the default action, a click on the body on
 * most servers) opens the prompt program; an inline reply, or the line
 * the prompt gave, becomes an ordinary add for today, and a confirmation
 * takes the reminder's place. This room sits above the reminder and the
 * add method, as the server does: the notifier calls it back.
 */
#ifndef KINDLOG_ANSWER_H
#define KINDLOG_ANSWER_H

#include "error.h"
#include "kindlogd.h"
#include "notifier.h"

struct answer;

struct answer *answer_create(struct kindlogd *d);
/* Ends a prompt still open. */
void answer_destroy(struct answer *answer);

/* The notifier's callback (arg: the answer); on the loop thread. */
void answer_notified(const struct notifier_event *event, void *arg);

/*
 * Open the prompt program; token (or NULL) is the activation token of
 * the click. -1 with err when one is already open (KL_ERR_CONFLICT), or
 * none is found or it cannot run (KL_ERR_UNAVAILABLE).
 */
int answer_prompt(struct answer *answer, const char *token,
    struct kl_error *err);

#endif
