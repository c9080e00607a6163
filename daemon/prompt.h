/*
 * The prompt program as a child of the daemon: started when a reminder's
 * "Write it down…" is clicked (or prompt.run asks), and watched by the
 * event loop — its stdout through a pipe, its exit through a pidfd — so
 * the loop never waits for a person to type. At most one runs at a time;
 * one still open after ten minutes is ended.
 */
#ifndef KINDLOG_PROMPT_H
#define KINDLOG_PROMPT_H

#include <stdbool.h>

#include "error.h"

struct event_base;
struct prompt;

/*
 * The prompt ended: line is the first line of its stdout, trimmed, when
 * it exited 0 and the line is not empty; otherwise line is NULL and why
 * says what happened ("cancelled", "nothing was typed", ...).
 */
typedef void (*prompt_cb)(const char *line, const char *why, void *arg);

/*
 * A prompt runner on base's loop. KINDLOGD_PROMPT_TIMEOUT (seconds)
 * shortens the ten minutes, for tests.
 */
struct prompt *prompt_create(struct event_base *base, prompt_cb cb,
    void *arg);
/* Ends a prompt still open, without calling back. */
void prompt_destroy(struct prompt *prompt);

/*
 * Run argv (argv[0] looked up on $PATH) with stdin from /dev/null, in a
 * process group of its own, with the daemon's environment (DISPLAY,
 * WAYLAND_DISPLAY) and token, when not NULL, as XDG_ACTIVATION_TOKEN and
 * DESKTOP_STARTUP_ID so its window may take focus. -1 with err when one
 * is already open or it cannot be started.
 */
int prompt_start(struct prompt *prompt, char *const argv[],
    const char *token, struct kl_error *err);
/* Whether a prompt is open. */
bool prompt_running(const struct prompt *prompt);

#endif
