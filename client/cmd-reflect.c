/*
 * kindlog reflect: the last 7 days' gestures, then three questions to look
 * at them with (reflect.questions), the answers kept (reflect.save). On a
 * terminal it asks line by line; otherwise it reads one answer per line of
 * stdin. An answer left empty is skipped, and with none nothing is saved.
 * --list shows past reflections.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "day.h"
#include "recap-text.h"
#include "strnum.h"
#include "xmalloc.h"

/* Indent of the gestures and the answers. */
#define CMD_REFLECT_INDENT 2
/* Reflections --list shows unless -n or --all says otherwise. */
#define CMD_REFLECT_LIST 20

enum cmd_reflect_key {
	CMD_REFLECT_LIMIT = 'n',
	CMD_REFLECT_LIST_KEY = ARGS_LONG_ONLY,
	CMD_REFLECT_ALL,
};

const struct args_option cmd_reflect_options[] = {
	{ "list", CMD_REFLECT_LIST_KEY, no_argument, NULL,
	  "show past reflections, newest first, instead" },
	{ "limit", CMD_REFLECT_LIMIT, required_argument, "N",
	  "with --list: show at most N (default 20)" },
	{ "all", CMD_REFLECT_ALL, no_argument, NULL,
	  "with --list: show them all" },
	{ NULL, 0, 0, NULL, NULL }
};

/* The week's gestures under a heading per day, oldest first. */
static void
cmd_reflect_print_week(struct client_ctx *ctx, json_t *q)
{
	json_t		*entry;
	const char	*day, *last = "";
	const char	*partner = output_get_str(q, "partner");
	size_t		 i;
	char		*from, *to, *date;

	from = recap_text_date(output_get_str(q, "from"), false);
	to = recap_text_date(output_get_str(q, "to"), false);
	printf("%sThe last 7 days%s%s%s, %s – %s\n", output_style(&ctx->out,
	    OUTPUT_BOLD), *partner != '\0' ? " with " : "", partner,
	    output_reset(&ctx->out), from, to);
	free(from);
	free(to);
	if (json_array_size(json_object_get(q, "entries")) == 0)
		printf("Nothing logged in these days. The questions work for "
		    "what you remember, too.\n");
	json_array_foreach(json_object_get(q, "entries"), i, entry) {
		day = output_get_str(entry, "day");
		if (strcmp(day, last) != 0) {
			date = recap_text_date(day, false);
			printf("\n%s\n", date);
			free(date);
			last = day;
		}
		printf("%*s", CMD_REFLECT_INDENT, "");
		output_wrap_at(output_get_str(entry, "text"),
		    2 * CMD_REFLECT_INDENT, CMD_REFLECT_INDENT, ctx->out.width);
		printf("\n");
	}
	if (output_get_int(q, "total") >
	    (long long)json_array_size(json_object_get(q, "entries")))
		printf("\n(and %lld more)\n", output_get_int(q, "total") -
		    (long long)json_array_size(json_object_get(q, "entries")));
}

/* One line of stdin without its line end, or NULL at the end of input. */
static char *
cmd_reflect_read_line(void)
{
	char	*line = NULL;
	size_t	 size = 0;

	if (getline(&line, &size, stdin) == -1) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

/*
 * Ask each question on out (NULL: ask silently, for a script) and collect
 * {"question", "answer"} in order; an answer may be empty (the daemon
 * keeps only the others). On a terminal each gets a "> " prompt. Once
 * input ends, the questions left get empty answers.
 */
static json_t *
cmd_reflect_ask(FILE *out, bool tty, json_t *questions)
{
	json_t		*answers = json_array(), *q;
	const char	*question;
	char		*line = NULL;
	bool		 ended = false;
	size_t		 i, n = json_array_size(questions);

	if (tty && out != NULL)
		fprintf(out, "\nThree questions. Answer in a line, or press "
		    "Enter to skip one.\n");
	json_array_foreach(questions, i, q) {
		question = output_get_str(q, "question");
		if (out != NULL)
			fprintf(out, "\n%zu/%zu  %s\n", i + 1, n, question);
		if (!ended && tty && out != NULL) {
			fputs("> ", out);
			fflush(out);
		}
		if (!ended && (line = cmd_reflect_read_line()) == NULL) {
			ended = true;
			if (tty && out != NULL)
				fputs("\n", out);
		}
		json_array_append_new(answers, json_pack("{s:s, s:s}",
		    "question", question, "answer", line != NULL ?
		    str_trim(line) : ""));
		free(line);
		line = NULL;
	}
	return answers;
}

/* What was kept, or that nothing was. */
static void
cmd_reflect_print_saved(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t	*reflection = json_object_get(result, "reflection");
	char	*date;
	size_t	 n;

	if (!json_is_object(reflection)) {
		printf("\nNothing saved: every question was skipped. That is "
		    "fine too.\n");
		return;
	}
	n = json_array_size(json_object_get(reflection, "answers"));
	date = recap_text_date(output_get_str(reflection, "day"), false);
	printf("\nSaved %zu %s for %s. kindlog reflect --list shows it "
	    "again.\n", n, n == 1 ? "answer" : "answers", date);
	free(date);
}

/*
 * Show the week, ask, save. With --json the result of reflect.save is
 * what stdout gets; the questions go to stderr, and only on a terminal.
 */
static int
cmd_reflect_run(struct client_ctx *ctx, struct args *args)
{
	bool	 tty = isatty(STDIN_FILENO);
	FILE	*out = ctx->json ? (tty ? stderr : NULL) : stdout;
	json_t	*q, *answers;
	int	 rc;

	if ((rc = cmd_request(ctx, "reflect.questions", NULL, &q)) != 0)
		return rc;
	if (!ctx->json)
		cmd_reflect_print_week(ctx, q);
	answers = cmd_reflect_ask(out, tty, json_object_get(q, "questions"));
	json_decref(q);
	return cmd_call(ctx, args, "reflect.save", json_pack("{s:o}",
	    "answers", answers), cmd_reflect_print_saved);
}

void
cmd_reflect_print_answers(struct client_ctx *ctx, json_t *reflection)
{
	json_t	*a;
	size_t	 i;

	json_array_foreach(json_object_get(reflection, "answers"), i, a) {
		printf("%*s%s", CMD_REFLECT_INDENT, "",
		    output_style(&ctx->out, OUTPUT_DIM));
		output_wrap_at(output_get_str(a, "question"),
		    CMD_REFLECT_INDENT, CMD_REFLECT_INDENT, ctx->out.width);
		printf("%s\n%*s", output_reset(&ctx->out),
		    2 * CMD_REFLECT_INDENT, "");
		output_wrap_at(output_get_str(a, "answer"),
		    2 * CMD_REFLECT_INDENT, 2 * CMD_REFLECT_INDENT,
		    ctx->out.width);
		printf("\n");
	}
}

/* One past reflection: its day, then each question and its answer. */
static void
cmd_reflect_print_one(struct client_ctx *ctx, json_t *reflection)
{
	char	*date;

	date = recap_text_date(output_get_str(reflection, "day"), true);
	printf("%s%s%s\n", output_style(&ctx->out, OUTPUT_BOLD), date,
	    output_reset(&ctx->out));
	free(date);
	cmd_reflect_print_answers(ctx, reflection);
}

/* Past reflections, newest first, or how to write the first. */
static void
cmd_reflect_print_list(struct client_ctx *ctx, struct args *args,
    json_t *result)
{
	json_t	*list = json_object_get(result, "reflections"), *r;
	size_t	 i;

	if (json_array_size(list) == 0) {
		printf("No reflections yet. kindlog reflect looks back on the "
		    "week with three questions.\n");
		return;
	}
	json_array_foreach(list, i, r) {
		if (i > 0)
			printf("\n");
		cmd_reflect_print_one(ctx, r);
	}
	if (output_get_int(result, "total") > (long long)json_array_size(list))
		printf("\n(%lld older: kindlog reflect --list --all)\n",
		    output_get_int(result, "total") -
		    (long long)json_array_size(list));
}

/* kindlog reflect [--list [-n N | --all]]. */
int
cmd_reflect(struct client_ctx *ctx, struct args *args)
{
	const char	*n = args_get(args, CMD_REFLECT_LIMIT);
	int64_t		 limit = CMD_REFLECT_LIST;

	if (!args_has(args, CMD_REFLECT_LIST_KEY)) {
		if (n != NULL || args_has(args, CMD_REFLECT_ALL))
			return cmd_usage_error(ctx, "-n and --all go with "
			    "--list");
		return cmd_reflect_run(ctx, args);
	}
	if (n != NULL && !parse_int64(n, 1, 1000000, &limit))
		return cmd_usage_error(ctx, "-n wants a number from 1 to "
		    "1000000, not '%s'", n);
	if (args_has(args, CMD_REFLECT_ALL))
		limit = 0;
	return cmd_call(ctx, args, "reflect.list", json_pack("{s:I}",
	    "limit", (json_int_t)limit), cmd_reflect_print_list);
}
