/*
 * Command-line options as data. Each subcommand (and the global level)
 * describes its options with a table of struct args_option; args_parse()
 * turns argv into the values given, in order, and the operands left over.
 * The same tables feed --help and, later, completions and man pages.
 */
#ifndef KINDLOG_CLIENT_ARGS_H
#define KINDLOG_CLIENT_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* Keys for options that have no short letter start here. */
#define ARGS_LONG_ONLY 256

struct args_option {
	const char	*name;		/* long name, without "--" */
	int		 key;		/* short letter, or >= ARGS_LONG_ONLY */
	int		 has_arg;	/* no_argument, required_argument, ... */
	const char	*arg;		/* argument name for help ("DAY") */
	const char	*help;		/* one line; NULL hides the option */
};

struct args_value {
	int		 key;
	const char	*value;		/* NULL for a flag or an absent optional */
};

/*
 * What args_parse found. argv and every value point into the argv that
 * was parsed, which must outlive it; values is freed by args_free.
 */
struct args {
	int			 argc;		/* operands left after the options */
	char			**argv;
	struct args_value	*values;	/* options in command-line order */
	size_t			 nvalues;
	bool			 help;		/* -h or --help was given */
};

/*
 * Parse argv (argv[0] is the program or command name) against options,
 * which ends with a zeroed entry (options may be NULL). With
 * stop_at_operand, parsing stops at the first operand (the subcommand);
 * otherwise options and operands may be mixed. -h/--help is always known.
 * Returns -1 and *cause, which the caller frees, on a malformed command
 * line (args then holds nothing to free).
 */
int	args_parse(const struct args_option *options, bool stop_at_operand,
	    int argc, char **argv, struct args *args, char **cause);
/* Free what args_parse allocated. */
void	args_free(struct args *args);
/* True if the option with key was given at least once. */
bool	args_has(const struct args *args, int key);
/* The value of the last option with key, or NULL. */
const char *args_get(const struct args *args, int key);
/* Each value of a repeatable option: start with *i = 0; NULL at the end. */
const char *args_next(const struct args *args, int key, size_t *i);
/* Find the option with key in a table, or NULL. */
const struct args_option *args_find(const struct args_option *options,
	    int key);
/* Print the options table as aligned help lines. */
void	args_print_help(const struct args_option *options, bool with_help);

#endif
