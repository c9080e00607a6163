/*
 * Asking for an entry outside a terminal: the question ("What did Sam
 * do?"), the prompt program that asks it, and how its answer reads
 * (#tag words at the end of the line are tags). Shared by the daemon,
 * which runs the prompt when a reminder is clicked, and by kindlog
 * prompt, which runs it for a window-manager keybinding.
 */
#ifndef KINDLOG_ASK_H
#define KINDLOG_ASK_H

#include <stddef.h>

/* "What did Sam do?", or "What did your partner do?" without a name. */
char *ask_question(const char *partner);

/*
 * The prompt program's argv (NULL-terminated; free with ask_argv_free):
 * command (a configured argv) with the question appended, or when command
 * is NULL the first of zenity, kdialog, then with WAYLAND_DISPLAY set
 * fuzzel, wofi, bemenu, then with DISPLAY set rofi, dmenu, found on
 * $PATH. NULL when none is found (no display, nothing installed).
 */
char **ask_argv(const char *const *command, const char *question);
void ask_argv_free(char **argv);

/*
 * The answer's tags: the #words at the end of line ("made tea #morning
 * #home" → "made tea", morning and home), at most max, lowercased in
 * place and pointed to from tags[]. line is trimmed, and cut before its
 * tags; a line of nothing but #words keeps them all as its text.
 * Returns how many tags were found.
 */
size_t ask_split_tags(char *line, char **tags, size_t max);

#endif
