/* Asking for an entry outside a terminal (ask.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ask.h"
#include "strnum.h"
#include "xmalloc.h"

#define ASK_TAG_MAX 32		/* as the daemon's tags: [a-z0-9_-]{1,32} */
#define ASK_MAX_ARGS 64

/* A known prompt program: how to ask QUESTION with it. */
struct ask_program {
	const char	*name;
	const char	*display;	/* the variable it needs, NULL: any */
	const char	*argv[6];	/* "%q" is the question */
};

static const struct ask_program ask_programs[] = {
	{ "zenity", NULL,
	  { "zenity", "--entry", "--title=kindlog", "--text", "%q", NULL } },
	{ "kdialog", NULL,
	  { "kdialog", "--title", "kindlog", "--inputbox", "%q", NULL } },
	{ "fuzzel", "WAYLAND_DISPLAY",
	  { "fuzzel", "--dmenu", "--prompt", "%q ", NULL } },
	{ "wofi", "WAYLAND_DISPLAY",
	  { "wofi", "--dmenu", "--prompt", "%q", NULL } },
	{ "bemenu", "WAYLAND_DISPLAY", { "bemenu", "--prompt", "%q", NULL } },
	{ "rofi", "DISPLAY", { "rofi", "-dmenu", "-p", "%q", NULL } },
	{ "dmenu", "DISPLAY", { "dmenu", "-p", "%q", NULL } },
};

char *
ask_question(const char *partner)
{
	return xasprintf("What did %s do?", partner != NULL ? partner :
	    "your partner");
}

/* Whether the environment variable name is set and not empty. */
static bool
ask_env_set(const char *name)
{
	const char	*value = getenv(name);

	return value != NULL && value[0] != '\0';
}

/* Whether an executable called name is on $PATH. */
static bool
ask_on_path(const char *name)
{
	const char	*path = getenv("PATH");
	char		*copy, *dir, *save = NULL, *file;
	bool		 found = false;

	if (path == NULL || path[0] == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir != NULL && !found;
	    dir = strtok_r(NULL, ":", &save)) {
		file = xasprintf("%s/%s", dir, name);
		found = access(file, X_OK) == 0;
		free(file);
	}
	free(copy);
	return found;
}

/* Whether a known program can ask in this session. */
static bool
ask_usable(const struct ask_program *p)
{
	if (p->display != NULL && !ask_env_set(p->display))
		return false;
	if (p->display == NULL && !ask_env_set("WAYLAND_DISPLAY") &&
	    !ask_env_set("DISPLAY"))
		return false;
	return ask_on_path(p->name);
}

/* A known program's argv for question. */
static char **
ask_program_argv(const struct ask_program *p, const char *question)
{
	char	**argv = xcalloc(6, sizeof *argv);
	size_t	  i;

	for (i = 0; p->argv[i] != NULL; i++) {
		if (strncmp(p->argv[i], "%q", 2) == 0)
			argv[i] = xasprintf("%s%s", question, p->argv[i] + 2);
		else
			argv[i] = xstrdup(p->argv[i]);
	}
	return argv;
}

char **
ask_argv(const char *const *command, const char *question)
{
	char	**argv;
	size_t	  i, n;

	if (command != NULL) {
		for (n = 0; command[n] != NULL && n < ASK_MAX_ARGS; n++)
			;
		argv = xcalloc(n + 2, sizeof *argv);
		for (i = 0; i < n; i++)
			argv[i] = xstrdup(command[i]);
		argv[n] = xstrdup(question);
		return argv;
	}
	for (i = 0; i < sizeof ask_programs / sizeof ask_programs[0]; i++) {
		if (ask_usable(&ask_programs[i]))
			return ask_program_argv(&ask_programs[i], question);
	}
	return NULL;
}

void
ask_argv_free(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* Whether the word from word to end is a #tag. */
static bool
ask_is_tag(const char *word, const char *end)
{
	const char	*p;

	if (word[0] != '#' || end - word < 2 || end - word > ASK_TAG_MAX + 1)
		return false;
	for (p = word + 1; p < end; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
	}
	return true;
}

size_t
ask_split_tags(char *line, char **tags, size_t max)
{
	char	*end, *word, *ends[ASK_MAX_ARGS], *p;
	size_t	 n = 0, i;

	str_trim(line);
	end = line + strlen(line);
	if (max > ASK_MAX_ARGS)
		max = ASK_MAX_ARGS;
	while (n < max) {
		for (word = end; word > line &&
		    !isspace((unsigned char)word[-1]); word--)
			;
		if (!ask_is_tag(word, end))
			break;
		if (word == line)
			return 0;	/* nothing but tags: all text */
		tags[n] = word + 1;
		ends[n++] = end;
		for (end = word; isspace((unsigned char)end[-1]); end--)
			;
	}
	*end = '\0';
	for (i = 0; i < n; i++) {
		*ends[i] = '\0';
		for (p = tags[i]; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	/* Back in the order they were typed. */
	for (i = 0; i < n / 2; i++) {
		p = tags[i];
		tags[i] = tags[n - 1 - i];
		tags[n - 1 - i] = p;
	}
	return n;
}
