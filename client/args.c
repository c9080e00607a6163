/* Table-driven command-line parsing on top of getopt_long. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "xmalloc.h"

/* Column where option help text starts. */
#define ARGS_HELP_COLUMN 24

/* Number of entries in an options table, not counting the terminator. */
static size_t
args_table_size(const struct args_option *options)
{
	size_t	n = 0;

	if (options == NULL)
		return 0;
	while (options[n].name != NULL)
		n++;
	return n;
}

/* Build the getopt_long option array and short option string for a table. */
static void
args_build(const struct args_option *options, bool stop_at_operand,
    struct option **longopts, char **shortopts)
{
	size_t	 n = args_table_size(options), i, len = 0;
	char	*s;

	*longopts = xcalloc(n + 2, sizeof **longopts);
	s = *shortopts = xmalloc(3 * n + 8);
	if (stop_at_operand)
		s[len++] = '+';
	s[len++] = ':';
	s[len++] = 'h';
	for (i = 0; i < n; i++) {
		(*longopts)[i].name = options[i].name;
		(*longopts)[i].has_arg = options[i].has_arg;
		(*longopts)[i].val = options[i].key;
		if (options[i].key >= ARGS_LONG_ONLY)
			continue;
		s[len++] = (char)options[i].key;
		if (options[i].has_arg != no_argument)
			s[len++] = ':';
		if (options[i].has_arg == optional_argument)
			s[len++] = ':';
	}
	s[len] = '\0';
	(*longopts)[n].name = "help";
	(*longopts)[n].val = 'h';
}

/* How to name an option in a message: "--name" or "-x". */
static char *
args_option_name(const struct args_option *options, int key)
{
	const struct args_option	*o = args_find(options, key);

	if (o == NULL)
		return xasprintf("-%c", key);
	return xasprintf("--%s", o->name);
}

/* Explain a '?' from getopt_long: unknown option or unwanted argument. */
static char *
args_unknown(const struct args_option *options, char **argv, int last)
{
	const char	*word = argv[last];
	char		*name, *cause;

	if (optopt != 0 && args_find(options, optopt) != NULL) {
		name = args_option_name(options, optopt);
		cause = xasprintf("option '%s' takes no argument", name);
		free(name);
		return cause;
	}
	if (optopt != 0 && optopt < ARGS_LONG_ONLY)
		return xasprintf("unknown option '-%c'", optopt);
	return xasprintf("unknown option '%.*s'", (int)strcspn(word, "="),
	    word);
}

/* Record one parsed option. */
static void
args_add(struct args *args, int key, const char *value)
{
	args->values = xreallocarray(args->values, args->nvalues + 1,
	    sizeof *args->values);
	args->values[args->nvalues].key = key;
	args->values[args->nvalues].value = value;
	args->nvalues++;
}

/* Parse argv against an options table into values and operands. */
int
args_parse(const struct args_option *options, bool stop_at_operand, int argc,
    char **argv, struct args *args, char **cause)
{
	struct option	*longopts;
	char		*shortopts, *name;
	int		 c;

	memset(args, 0, sizeof *args);
	*cause = NULL;
	args_build(options, stop_at_operand, &longopts, &shortopts);

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			args->help = true;
			continue;
		}
		if (c == ':') {
			name = args_option_name(options, optopt);
			*cause = xasprintf("option '%s' needs an argument",
			    name);
			free(name);
			break;
		}
		if (c == '?') {
			*cause = args_unknown(options, argv, optind - 1);
			break;
		}
		args_add(args, c, optarg);
	}
	free(longopts);
	free(shortopts);
	if (*cause != NULL) {
		args_free(args);
		return -1;
	}
	args->argc = argc - optind;
	args->argv = argv + optind;
	return 0;
}

/* Free the values of a parsed command line. */
void
args_free(struct args *args)
{
	free(args->values);
	args->values = NULL;
	args->nvalues = 0;
}

/* Was the option with key given? */
bool
args_has(const struct args *args, int key)
{
	size_t	i;

	for (i = 0; i < args->nvalues; i++) {
		if (args->values[i].key == key)
			return true;
	}
	return false;
}

/* The last value given for key. */
const char *
args_get(const struct args *args, int key)
{
	size_t	i;

	for (i = args->nvalues; i > 0; i--) {
		if (args->values[i - 1].key == key)
			return args->values[i - 1].value;
	}
	return NULL;
}

/* The next value given for a repeatable option. */
const char *
args_next(const struct args *args, int key, size_t *i)
{
	while (*i < args->nvalues) {
		if (args->values[(*i)++].key == key)
			return args->values[*i - 1].value;
	}
	return NULL;
}

/* Look an option up by key. */
const struct args_option *
args_find(const struct args_option *options, int key)
{
	size_t	i, n = args_table_size(options);

	for (i = 0; i < n; i++) {
		if (options[i].key == key)
			return &options[i];
	}
	return NULL;
}

/* Print one help line: "  -t, --tag TAG       help". */
static void
args_print_line(int key, const char *name, int has_arg, const char *arg,
    const char *help)
{
	char	spec[128];
	int	len;

	if (key < ARGS_LONG_ONLY)
		len = snprintf(spec, sizeof spec, "-%c, --%s", key, name);
	else
		len = snprintf(spec, sizeof spec, "    --%s", name);
	if (arg != NULL && has_arg == required_argument)
		snprintf(spec + len, sizeof spec - len, " %s", arg);
	else if (arg != NULL && has_arg == optional_argument)
		snprintf(spec + len, sizeof spec - len, "[=%s]", arg);
	if (strlen(spec) + 2 >= ARGS_HELP_COLUMN)
		printf("  %s\n  %*s%s\n", spec, ARGS_HELP_COLUMN, "", help);
	else
		printf("  %-*s%s\n", ARGS_HELP_COLUMN, spec, help);
}

/* Print help lines for every visible option. */
void
args_print_help(const struct args_option *options, bool with_help)
{
	size_t	i, n = args_table_size(options);

	for (i = 0; i < n; i++) {
		if (options[i].help == NULL)
			continue;
		args_print_line(options[i].key, options[i].name,
		    options[i].has_arg, options[i].arg, options[i].help);
	}
	if (with_help)
		args_print_line('h', "help", no_argument, NULL,
		    "show this help");
}
