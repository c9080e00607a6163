/*
 * Param checks shared by every group of method handlers: names, types,
 * bounds, and the entry fields (text, tags, day, how) of doc/protocol.md.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "strnum.h"
#include "xmalloc.h"

/* Refuse any param whose name is not in allowed (NULL-terminated). */
int
params_allow(json_t *params, const char *const *allowed,
    struct kl_error *err)
{
	const char	*key;
	json_t		*value;
	size_t		 i;

	json_object_foreach(params, key, value) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0)
				break;
		}
		if (allowed[i] == NULL)
			return kl_error_set(err, KL_ERR_PARAMS,
			    "unknown param '%.64s'", key);
	}
	return 0;
}

/* A string param; *out stays NULL when absent and not required. */
int
param_string(json_t *params, const char *name, bool required,
    const char **out, struct kl_error *err)
{
	json_t	*value = json_object_get(params, name);

	*out = NULL;
	if (value == NULL) {
		if (required)
			return kl_error_set(err, KL_ERR_PARAMS,
			    "%s is required", name);
		return 0;
	}
	if (!json_is_string(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be a string", name);
	*out = json_string_value(value);
	return 0;
}

/* An integer param in [min, max], or fallback when absent. */
int
param_int(json_t *params, const char *name, json_int_t min, json_int_t max,
    json_int_t fallback, json_int_t *out, struct kl_error *err)
{
	json_t	*value = json_object_get(params, name);

	*out = fallback;
	if (value == NULL)
		return 0;
	if (!json_is_integer(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be an integer", name);
	*out = json_integer_value(value);
	if (*out < min || *out > max)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be between %lld and %lld", name, (long long)min,
		    (long long)max);
	return 0;
}

/* The required entry id. */
int
param_id(json_t *params, json_int_t *id, struct kl_error *err)
{
	if (json_object_get(params, "id") == NULL)
		return kl_error_set(err, KL_ERR_PARAMS, "id is required");
	return param_int(params, "id", 1, INT64_MAX, 0, id, err);
}

/* A boolean param, false when absent. */
int
param_bool(json_t *params, const char *name, bool *out,
    struct kl_error *err)
{
	json_t	*value = json_object_get(params, name);

	*out = false;
	if (value == NULL)
		return 0;
	if (!json_is_boolean(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be true or false", name);
	*out = json_is_true(value);
	return 0;
}

/* A DAY param resolved against today; future days are refused. */
int
param_day(json_t *params, const char *name, kl_day today, bool *has,
    kl_day *out, struct kl_error *err)
{
	const char	*value, *cause;
	char		 iso[DAY_ISO_LEN];

	*has = false;
	if (param_string(params, name, false, &value, err) != 0)
		return -1;
	if (value == NULL)
		return 0;
	if (!day_parse(value, today, out, &cause))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s: cannot understand day '%.64s'", name, value);
	if (*out > today)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s: %s is in the future", name, day_format(*out, iso));
	*has = true;
	return 0;
}

/* The trimmed text param (1..4000 bytes); caller frees *out. */
int
param_text(json_t *params, bool required, char **out, struct kl_error *err)
{
	const char	*value;
	json_t		*json = json_object_get(params, "text");

	*out = NULL;
	if (param_string(params, "text", required, &value, err) != 0)
		return -1;
	if (value == NULL)
		return 0;
	if (json_string_length(json) != strlen(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "text must not contain NUL bytes");
	*out = str_trim(xstrdup(value));
	if ((*out)[0] != '\0' && strlen(*out) <= TEXT_MAX_BYTES)
		return 0;
	free(*out);
	*out = NULL;
	if (strlen(value) > TEXT_MAX_BYTES)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "text is longer than %d bytes", TEXT_MAX_BYTES);
	return kl_error_set(err, KL_ERR_PARAMS, "text must not be empty");
}

/* Lowercase tag in place and check it against [a-z0-9_-]{1,32}. */
bool
tag_normalise(char *tag)
{
	size_t	len = strlen(tag), i;

	if (len == 0 || len > TAG_MAX_BYTES)
		return false;
	for (i = 0; i < len; i++) {
		tag[i] = (char)tolower((unsigned char)tag[i]);
		if (!islower((unsigned char)tag[i]) &&
		    !isdigit((unsigned char)tag[i]) && tag[i] != '_' &&
		    tag[i] != '-')
			return false;
	}
	return true;
}

/* The tags param as a new array of normalised, distinct tags. */
int
param_tags(json_t *params, json_t **out, struct kl_error *err)
{
	json_t	*value = json_object_get(params, "tags"), *tag, *tags;
	size_t	 i, j;
	char	 buf[TAG_MAX_BYTES + 1];
	bool	 seen;

	*out = NULL;
	if (value == NULL)
		return 0;
	if (!json_is_array(value))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "tags must be an array of strings");
	if (json_array_size(value) > TAGS_MAX)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "at most %d tags per entry", TAGS_MAX);
	tags = json_array();
	json_array_foreach(value, i, tag) {
		if (!json_is_string(tag) ||
		    json_string_length(tag) > TAG_MAX_BYTES ||
		    json_string_length(tag) != strlen(json_string_value(tag))) {
			json_decref(tags);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "tags must be strings of 1 to 32 characters "
			    "a-z, 0-9, _ or -");
		}
		strcpy(buf, json_string_value(tag));
		if (!tag_normalise(buf)) {
			json_decref(tags);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "invalid tag '%.32s': use 1 to 32 of a-z, 0-9, "
			    "_ and -", json_string_value(tag));
		}
		seen = false;
		for (j = 0; j < json_array_size(tags); j++)
			seen |= strcmp(json_string_value(
			    json_array_get(tags, j)), buf) == 0;
		if (!seen)
			json_array_append_new(tags, json_string(buf));
	}
	*out = tags;
	return 0;
}

/* Check a thank-you manner: said, wrote, showed or other. */
bool
how_valid(const char *how)
{
	static const char	*hows[] = { "said", "wrote", "showed",
	    "other" };
	size_t			 i;

	for (i = 0; i < sizeof hows / sizeof hows[0]; i++) {
		if (strcmp(how, hows[i]) == 0)
			return true;
	}
	return false;
}

/* The how param (default "said"). */
int
param_how(json_t *params, const char **how, struct kl_error *err)
{
	if (param_string(params, "how", false, how, err) != 0)
		return -1;
	if (*how == NULL)
		*how = "said";
	if (!how_valid(*how))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "how must be said, wrote, showed or other");
	return 0;
}
