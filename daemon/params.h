/*
 * Param checks shared by the method handlers (methods.c, insight.c).
 * Each returns 0, or -1 with err set to KL_ERR_PARAMS and a message that
 * names the param; nothing acts on a request before its params pass.
 */
#ifndef KINDLOG_PARAMS_H
#define KINDLOG_PARAMS_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "day.h"
#include "error.h"
#include "wire.h"

#define TEXT_MAX_BYTES WIRE_TEXT_MAX
#define TAGS_MAX 16
#define TAG_MAX_BYTES 32
#define GREP_MAX_BYTES 4000

/* Refuse any param whose name is not in allowed (NULL-terminated). */
int	params_allow(json_t *params, const char *const *allowed,
	    struct kl_error *err);
/* A string param; *out stays NULL when absent and not required. */
int	param_string(json_t *params, const char *name, bool required,
	    const char **out, struct kl_error *err);
/* An integer param in [min, max], or fallback when absent. */
int	param_int(json_t *params, const char *name, json_int_t min,
	    json_int_t max, json_int_t fallback, json_int_t *out,
	    struct kl_error *err);
/* The required entry id. */
int	param_id(json_t *params, json_int_t *id, struct kl_error *err);
/* A boolean param, false when absent. */
int	param_bool(json_t *params, const char *name, bool *out,
	    struct kl_error *err);
/* A DAY param resolved against today; future days are refused. */
/*
 * The since and until DAY params; refused when since is after until (the
 * range would be empty).
 */
int	param_day_range(json_t *params, kl_day today, bool *has_since,
	    kl_day *since, bool *has_until, kl_day *until,
	    struct kl_error *err);
int	param_day(json_t *params, const char *name, kl_day today, bool *has,
	    kl_day *out, struct kl_error *err);
/* The trimmed text param (1..4000 bytes); caller frees *out. */
int	param_text(json_t *params, bool required, char **out,
	    struct kl_error *err);
/* Lowercase tag in place and check it against [a-z0-9_-]{1,32}. */
bool	tag_normalise(char *tag);
/* The tags param as a new array of normalised, distinct tags. */
int	param_tags(json_t *params, json_t **out, struct kl_error *err);
/* Check a thank-you manner: said, wrote, showed or other. */
bool	how_valid(const char *how);
/* The how param (default "said"). */
int	param_how(json_t *params, const char **how, struct kl_error *err);

#endif
