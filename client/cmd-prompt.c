/*
 * Asking for the text instead of taking it from the command line:
 * kindlog prompt runs the prompt program in the user's session (for a
 * window-manager keybinding), kindlog add without TEXT asks on the
 * terminal, kindlog add -e opens $VISUAL or $EDITOR. Whatever is typed,
 * #tag words at its end become tags, and the entry is an ordinary add.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ask.h"
#include "commands.h"
#include "strnum.h"
#include "xmalloc.h"

/* Most tags an entry has (the daemon refuses more). */
#define CMD_PROMPT_TAGS 16
/* Longest answer read from a prompt program or an editor's file. */
#define CMD_PROMPT_MAX (1024 * 1024)

/* What the daemon says a prompt should ask, and with what command. */
struct cmd_prompt_ask {
	char	 *question;
	char	**command;	/* [prompt] command; NULL: find one */
};

static void
cmd_prompt_ask_free(struct cmd_prompt_ask *ask)
{
	free(ask->question);
	ask_argv_free(ask->command);
}

/* Fill ask from the daemon's status (its "prompt", or its partner). */
static int
cmd_prompt_ask_get(struct client_ctx *ctx, struct cmd_prompt_ask *ask)
{
	json_t		*status, *prompt, *command;
	const char	*question;
	size_t		 i;
	int		 rc;

	memset(ask, 0, sizeof *ask);
	if ((rc = cmd_request(ctx, "status", NULL, &status)) != 0)
		return rc;
	prompt = json_object_get(status, "prompt");
	question = json_string_value(json_object_get(prompt, "question"));
	ask->question = question != NULL ? xstrdup(question) :
	    ask_question(json_string_value(json_object_get(status,
	    "partner")));
	command = json_object_get(prompt, "command");
	if (json_is_array(command) && json_array_size(command) > 0) {
		ask->command = xcalloc(json_array_size(command) + 1,
		    sizeof *ask->command);
		for (i = 0; i < json_array_size(command); i++)
			ask->command[i] = xstrdup(json_string_value(
			    json_array_get(command, i)) != NULL ?
			    json_string_value(json_array_get(command, i)) : "");
	}
	json_decref(status);
	return 0;
}

/* "kindlog: nothing logged: WHY" on stderr; exit 1. */
static int
cmd_prompt_nothing(const char *why)
{
	fprintf(stderr, "kindlog: nothing logged: %s\n", why);
	return CMD_EXIT_REFUSED;
}

/* Read fd to its end, keeping at most CMD_PROMPT_MAX bytes. */
static char *
cmd_prompt_slurp(int fd)
{
	char	*buf = xmalloc(CMD_PROMPT_MAX + 1), scratch[4096];
	size_t	 len = 0;
	ssize_t	 n;

	for (;;) {
		if (len < CMD_PROMPT_MAX)
			n = read(fd, buf + len, CMD_PROMPT_MAX - len);
		else
			n = read(fd, scratch, sizeof scratch);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < CMD_PROMPT_MAX)
			len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/*
 * Run the prompt program argv with stdin from /dev/null; its first line
 * of output, trimmed, in *line. A why on failure.
 */
static const char *
cmd_prompt_run(char **argv, char **line)
{
	char	*out, *nl;
	pid_t	 pid;
	int	 fds[2], status, null;

	*line = NULL;
	if (pipe(fds) != 0)
		return "cannot make a pipe";
	if ((pid = fork()) == -1)
		return "cannot fork";
	if (pid == 0) {
		null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0)
			_exit(127);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "kindlog: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	out = cmd_prompt_slurp(fds[0]);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(out);
		return WIFEXITED(status) && WEXITSTATUS(status) == 127 ?
		    "the prompt program could not be run" :
		    "the prompt was cancelled";
	}
	if ((nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	*line = str_trim(out);
	return NULL;
}

/* Ask on the terminal: the question on stderr, one line from stdin. */
static const char *
cmd_prompt_terminal(const char *question, char **line)
{
	size_t	cap = 0;

	*line = NULL;
	fprintf(stderr, "%s ", question);
	fflush(stderr);
	if (getline(line, &cap, stdin) < 0) {
		fputc('\n', stderr);
		free(*line);
		*line = NULL;
		return "no text was typed";
	}
	str_trim(*line);
	return NULL;
}

/* Drop the editor file's comment lines ("#" alone, or "# …"). */
static void
cmd_prompt_uncomment(char *text)
{
	char	*in = text, *out = text, *eol;
	size_t	 len;

	while (*in != '\0') {
		eol = strchr(in, '\n');
		len = eol != NULL ? (size_t)(eol - in) + 1 : strlen(in);
		if (!(in[0] == '#' && (len == 1 || in[1] == ' ' ||
		    in[1] == '\n' || in[1] == '\0'))) {
			memmove(out, in, len);
			out += len;
		}
		in += len;
	}
	*out = '\0';
	str_trim(text);
}

/* Write the editor's starting file: a blank line and the question. */
static int
cmd_prompt_template(int fd, const char *question)
{
	FILE	*f = fdopen(fd, "w");
	int	 rc;

	if (f == NULL)
		return -1;
	fprintf(f, "\n# %s\n# Write it above. Lines starting with '# ' are "
	    "left out;\n# #tag words at the end become tags. Leave it empty "
	    "to log nothing.\n", question);
	rc = ferror(f) ? -1 : 0;
	return fclose(f) == 0 ? rc : -1;
}

/* Open $VISUAL or $EDITOR (else vi) on a temporary file; its text. */
static const char *
cmd_prompt_editor(const char *question, char **text)
{
	const char	*editor = getenv("VISUAL"), *tmp = getenv("TMPDIR");
	char		*path, *script;
	pid_t		 pid;
	int		 fd, status;

	*text = NULL;
	if (editor == NULL || *editor == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || *editor == '\0')
		editor = "vi";
	path = xasprintf("%s/kindlog-XXXXXX.txt", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp");
	if ((fd = mkstemps(path, 4)) < 0 ||
	    cmd_prompt_template(fd, question) != 0) {
		free(path);
		return "cannot write a temporary file for the editor";
	}
	/* As git does: the editor may carry arguments ("code --wait"). */
	script = xasprintf("%s \"$@\"", editor);
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", script, editor, path,
		    (char *)NULL);
		_exit(127);
	}
	free(script);
	while (pid > 0 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(path);
		free(path);
		return "the editor did not exit cleanly";
	}
	if ((fd = open(path, O_RDONLY)) >= 0) {
		*text = cmd_prompt_slurp(fd);
		close(fd);
	}
	unlink(path);
	free(path);
	if (*text == NULL)
		return "cannot read the editor's file";
	cmd_prompt_uncomment(*text);
	return NULL;
}

/*
 * Set "text" and append the #tags of what was typed to "tags" (after
 * any -t). Takes over text.
 */
static int
cmd_prompt_set(struct client_ctx *ctx, char *text, json_t *params)
{
	char	*tags[CMD_PROMPT_TAGS];
	json_t	*array = json_object_get(params, "tags"), *value;
	size_t	 n, i;

	n = ask_split_tags(text, tags, CMD_PROMPT_TAGS);
	if (text[0] == '\0') {
		free(text);
		return cmd_prompt_nothing("the text is empty");
	}
	if ((value = json_string(text)) == NULL) {
		free(text);
		return cmd_usage_error(ctx, "text is not valid UTF-8");
	}
	json_object_set_new(params, "text", value);
	if (n > 0 && !json_is_array(array)) {
		array = json_array();
		json_object_set_new(params, "tags", array);
	}
	for (i = 0; i < n; i++)
		json_array_append_new(array, json_string(tags[i]));
	free(text);
	return 0;
}

int
cmd_prompt_text(struct client_ctx *ctx, bool editor, json_t *params)
{
	struct cmd_prompt_ask	 ask;
	const char		*why;
	char			*text;
	int			 rc;

	if (!editor && !isatty(STDIN_FILENO))
		return cmd_usage_error(ctx, "missing argument for 'add': give "
		    "TEXT (or - for stdin), or -e for an editor");
	if ((rc = cmd_prompt_ask_get(ctx, &ask)) != 0)
		return rc;
	why = editor ? cmd_prompt_editor(ask.question, &text) :
	    cmd_prompt_terminal(ask.question, &text);
	cmd_prompt_ask_free(&ask);
	if (why != NULL)
		return cmd_prompt_nothing(why);
	return cmd_prompt_set(ctx, text, params);
}

/* kindlog prompt: ask with the prompt program, then add like kindlog add. */
int
cmd_prompt(struct client_ctx *ctx, struct args *args)
{
	struct cmd_prompt_ask	 ask;
	struct args		 add = { 0 };
	struct args_value	 values[CMD_PROMPT_TAGS];
	const char		*why;
	char			**argv, *line, *tags[CMD_PROMPT_TAGS];
	size_t			 n, i;
	int			 rc;

	if ((rc = cmd_prompt_ask_get(ctx, &ask)) != 0)
		return rc;
	argv = ask_argv((const char *const *)ask.command, ask.question);
	cmd_prompt_ask_free(&ask);
	if (argv == NULL) {
		fprintf(stderr, "kindlog: no prompt program found: set "
		    "[prompt] command in kindlog.conf, or install zenity, "
		    "kdialog, fuzzel, wofi, bemenu, rofi or dmenu\n");
		return CMD_EXIT_REFUSED;
	}
	why = cmd_prompt_run(argv, &line);
	ask_argv_free(argv);
	if (why == NULL && line[0] == '\0')
		why = "nothing was typed";
	if (why != NULL) {
		free(line);
		return cmd_prompt_nothing(why);
	}
	/* The rest is kindlog add LINE -t TAG…, output and --json alike. */
	n = ask_split_tags(line, tags, CMD_PROMPT_TAGS);
	for (i = 0; i < n; i++) {
		values[i].key = 't';
		values[i].value = tags[i];
	}
	add.argc = 1;
	add.argv = &line;
	add.values = values;
	add.nvalues = n;
	rc = cmd_entries_add(ctx, &add);
	free(line);
	return rc;
}
