/*
 * The kindlog subcommands as data. cmd_table is the single source of truth
 * for names, aliases, usage, help and options: --help, --list-commands,
 * shell completions and man pages are all generated from it.
 *
 * Ownership, as everywhere in the client: json_t * arguments are
 * borrowed unless the comment says the reference is taken over (params
 * of a request, so that a json_pack() can be passed as it is); json_t **
 * outputs receive a new reference, or NULL on error; a char * returned
 * is the caller's to free.
 */
#ifndef KINDLOG_CLIENT_COMMANDS_H
#define KINDLOG_CLIENT_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "args.h"
#include "error.h"
#include "output.h"

/* Exit codes (kindlog(1)). */
enum cmd_exit {
	CMD_EXIT_OK = 0,
	CMD_EXIT_REFUSED = 1,		/* the daemon refused the request */
	CMD_EXIT_USAGE = 2,		/* malformed command line */
	CMD_EXIT_UNREACHABLE = 3,	/* cannot reach the daemon */
};

/*
 * Keys of the global options, apart from the commands' own (which start
 * at ARGS_LONG_ONLY): the first CMD_GLOBAL_ANYWHERE of them may also
 * follow the subcommand.
 */
enum cmd_global_key {
	CMD_GLOBAL_SOCKET = ARGS_LONG_ONLY + 512,
	CMD_GLOBAL_JSON,
	CMD_GLOBAL_NO_COLOR,
	CMD_GLOBAL_NO_AUTOSTART,
	CMD_GLOBAL_VERSION,
	CMD_GLOBAL_LIST_COMMANDS,
	CMD_GLOBAL_COMPLETE,
};

struct connection;
struct cmd_entry;

/* Everything one run of the client owns (main.c frees it), passed on. */
struct client_ctx {
	char			*socket_path;
	bool			 json;		/* --json: print results raw */
	struct output		 out;
	struct connection	*conn;		/* connects on the first request */
	const struct cmd_entry	*cmd;		/* the command being run */
};

struct cmd_entry {
	const char			*name;
	const char			*alias;		/* NULL: none */
	const char			*usage;		/* what follows the name */
	const char			*help;		/* one line */
	const struct args_option	*options;	/* NULL: none */
	int				 min_args;	/* operands */
	int				 max_args;	/* -1: no limit */
	int				(*exec)(struct client_ctx *,
					    struct args *);
	/* Said when kindlogd was not reached ("the entry was not stored"). */
	const char			*unsent;
};

/* Every subcommand, in the order --help lists them. */
extern const struct cmd_entry	cmd_table[];
extern const size_t		cmd_table_len;
/* What runs when no subcommand is given (the summary). */
extern const struct cmd_entry	cmd_default;
/* Options accepted before the subcommand. */
extern const struct args_option	cmd_global_options[];
/* How many of them, from the first, may also follow it. */
#define CMD_GLOBAL_ANYWHERE 4

/* The command called name (or by that alias), or NULL. */
const struct cmd_entry *cmd_find(const char *name);
/* The command whose name is a likely typo of name, or NULL. */
const struct cmd_entry *cmd_suggest(const char *name);
/* The options table of cmd followed by the global ones; caller frees. */
struct args_option *cmd_options_with_global(const struct cmd_entry *cmd);

/* The --help text of one command. */
void	cmd_print_usage(const struct cmd_entry *cmd);
/* The --help text of kindlog itself, listing every command. */
void	cmd_print_overview(void);
/* Print "kindlog: <message>" and "Try 'kindlog CMD --help'."; returns 2. */
int	cmd_usage_error(struct client_ctx *ctx, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * The index of s among the n names in *choice; or a usage error, "unknown
 * WHAT 's' (use a, b or c)".
 */
int	cmd_parse_choice(struct client_ctx *ctx, const char *what,
	    const char *s, const char *const *names, size_t n, int *choice);
/* Parse an entry id ("12" or "#12"); a usage error when it is not one. */
int	cmd_parse_id(struct client_ctx *ctx, const char *s, int64_t *id);
/* Check a DAY expression's syntax locally; a usage error when wrong. */
int	cmd_check_day(struct client_ctx *ctx, const char *day);

/*
 * Print the one stderr line for err, the error of a request (the daemon's
 * refusal or connection.h's own), and return its exit code: 1 for a
 * refusal, 3 when kindlogd could not be reached or the connection broke.
 */
int	cmd_error(struct client_ctx *ctx, const struct kl_error *err);
/*
 * connection_request on ctx's connection (params taken over): 0 and a new
 * reference in *result, or the exit code after cmd_error printed why.
 */
int	cmd_request(struct client_ctx *ctx, const char *method, json_t *params,
	    json_t **result);
/* Prints a result (borrowed) in human form. */
typedef void (*cmd_print_cb)(struct client_ctx *, struct args *, json_t *);
/*
 * cmd_request (params taken over), then the result printed as JSON with
 * --json, else by print. Returns 0 or the exit code.
 */
int	cmd_call(struct client_ctx *ctx, struct args *args, const char *method,
	    json_t *params, cmd_print_cb print);

/* cmd-entries.c */
int	cmd_entries_add(struct client_ctx *, struct args *);
int	cmd_entries_list(struct client_ctx *, struct args *);
int	cmd_entries_show(struct client_ctx *, struct args *);
int	cmd_entries_edit(struct client_ctx *, struct args *);
int	cmd_entries_rm(struct client_ctx *, struct args *);
int	cmd_entries_undo(struct client_ctx *, struct args *);
int	cmd_entries_thank(struct client_ctx *, struct args *);
int	cmd_entries_unthank(struct client_ctx *, struct args *);
extern const struct args_option	cmd_entries_add_options[];
extern const struct args_option	cmd_entries_list_options[];
extern const struct args_option	cmd_entries_edit_options[];
extern const struct args_option	cmd_entries_thank_options[];

/* cmd-complete.c */
/*
 * kindlog --complete ids|tags, for the shell completions: the recent
 * entries' ids or the tags in use, "CANDIDATE<TAB>DESCRIPTION" a line.
 * Never starts kindlogd, waits at most 300 ms, prints nothing on failure;
 * returns the exit code.
 */
int	cmd_complete(struct client_ctx *ctx, const struct args *global);

/* cmd-prompt.c */
int	cmd_prompt(struct client_ctx *, struct args *);
/*
 * Ask for add's text on the terminal or, with editor, in $VISUAL or
 * $EDITOR; set "text" in params and add its #tags to "tags".
 */
int	cmd_prompt_text(struct client_ctx *ctx, bool editor, json_t *params);

/* cmd-remind.c */
int	cmd_remind(struct client_ctx *, struct args *);
int	cmd_reload(struct client_ctx *, struct args *);
/*
 * A local time for people: "today 20:30", "Sat 2026-11-28 12:30". Caller
 * frees.
 */
char	*cmd_remind_when(const char *rfc3339);
/* When the next reminder comes, or why none does; caller frees. */
char	*cmd_remind_next_line(json_t *status);

/* cmd-info.c */
int	cmd_info_summary(struct client_ctx *, struct args *);
int	cmd_info_streak(struct client_ctx *, struct args *);
int	cmd_info_status(struct client_ctx *, struct args *);
int	cmd_backup(struct client_ctx *, struct args *);
int	cmd_info_version(struct client_ctx *, struct args *);

/* cmd-insight.c */
int	cmd_insight_stats(struct client_ctx *, struct args *);
int	cmd_insight_calendar(struct client_ctx *, struct args *);
extern const struct args_option	cmd_insight_stats_options[];
extern const struct args_option	cmd_insight_calendar_options[];

/* cmd-export.c */
int	cmd_export(struct client_ctx *, struct args *);
extern const struct args_option	cmd_export_options[];

/* cmd-import.c */
int	cmd_import(struct client_ctx *, struct args *);
extern const struct args_option	cmd_import_options[];

/* cmd-reflect.c */
int	cmd_reflect(struct client_ctx *, struct args *);
/* A reflection's questions (dim) and answers, indented and wrapped. */
void	cmd_reflect_print_answers(struct client_ctx *, json_t *reflection);
extern const struct args_option	cmd_reflect_options[];

/* cmd-sync.c */
int	cmd_sync(struct client_ctx *, struct args *);

/* cmd-recap.c */
int	cmd_recap(struct client_ctx *, struct args *);
extern const struct args_option	cmd_recap_options[];

#endif
