/*
 * Reading the sync folder's files (sync-file.h). Every operation is
 * checked as an import record would be: a uuid, days and times in their
 * formats, text trimmed and at most 4000 bytes, tags of [a-z0-9_-], the
 * manners of thanks. Fields and operations this version does not know are
 * allowed, and their lines kept for a later version.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hlc.h"
#include "params.h"
#include "rfc3339.h"
#include "sync-file.h"
#include "xmalloc.h"

/* The fields each kind of operation carries besides hlc, op, entry, at. */
static const char *const sync_file_fields[][6] = {
	[STORE_OP_CREATE] = { "day", "text", "tags", "created_at", "thanked",
	    NULL },
	[STORE_OP_TEXT] = { "text", NULL },
	[STORE_OP_DAY] = { "day", NULL },
	[STORE_OP_TAG] = { "tag", "present", NULL },
	[STORE_OP_THANKED] = { "thanked", NULL },
	[STORE_OP_DELETED] = { "deleted", NULL },
};

void
sync_limits_now(struct sync_limits *limits)
{
	time_t	now = time(NULL);

	limits->max_day = day_today(now, 0) + 1;
	limits->max_hlc = hlc_make(hlc_wall_ms() + 86400 * 1000, 0);
}

/* A required RFC 3339 time. */
static int
sync_file_time(json_t *obj, const char *name, time_t *out,
    struct kl_error *err)
{
	const char	*s;

	if (param_string(obj, name, true, &s, err) != 0)
		return -1;
	if (!time_parse_rfc3339(s, out))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must be an RFC 3339 time", name);
	return 0;
}

/* A required boolean. */
static int
sync_file_bool(json_t *obj, const char *name, bool *out, struct kl_error *err)
{
	json_t	*v = json_object_get(obj, name);

	if (!json_is_boolean(v))
		return kl_error_set(err, KL_ERR_PARAMS, "%s must be true or "
		    "false", name);
	*out = json_is_true(v);
	return 0;
}

/* The day: YYYY-MM-DD, not after the limit. */
static int
sync_file_day(json_t *obj, const struct sync_limits *limits, kl_day *day,
    struct kl_error *err)
{
	const char	*s;

	if (param_string(obj, "day", true, &s, err) != 0)
		return -1;
	if (!day_parse_iso(s, day) || *day > limits->max_day)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "day '%.16s' is not a date up to tomorrow", s);
	return 0;
}

/* The text: as an add would store it (trimmed already). */
static int
sync_file_text(json_t *obj, const char **text, struct kl_error *err)
{
	char	*trimmed;
	bool	 same;

	if (param_text(obj, true, &trimmed, err) != 0)
		return -1;
	*text = json_string_value(json_object_get(obj, "text"));
	same = strcmp(trimmed, *text) == 0;
	free(trimmed);
	if (!same)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "text has spaces at an end");
	return 0;
}

/* One tag, lowercase and of [a-z0-9_-]{1,32} already. */
static bool
sync_file_tag_ok(json_t *tag)
{
	char	buf[TAG_MAX_BYTES + 1];

	if (!json_is_string(tag) || json_string_length(tag) > TAG_MAX_BYTES ||
	    json_string_length(tag) != strlen(json_string_value(tag)))
		return false;
	strcpy(buf, json_string_value(tag));
	return tag_normalise(buf) && strcmp(buf, json_string_value(tag)) == 0;
}

/* The tags of a create: an array of distinct valid tags. */
static int
sync_file_tags(json_t *obj, json_t **tags, struct kl_error *err)
{
	json_t	*v = json_object_get(obj, "tags"), *tag;
	size_t	 i, j;

	if (!json_is_array(v) || json_array_size(v) > SYNC_TAGS_MAX)
		return kl_error_set(err, KL_ERR_PARAMS, "tags must be an "
		    "array of at most %d tags", SYNC_TAGS_MAX);
	json_array_foreach(v, i, tag) {
		if (!sync_file_tag_ok(tag))
			return kl_error_set(err, KL_ERR_PARAMS, "tags must be "
			    "1 to 32 characters a-z, 0-9, _ or -");
		for (j = 0; j < i; j++) {
			if (json_equal(json_array_get(v, j), tag))
				return kl_error_set(err, KL_ERR_PARAMS,
				    "tag '%s' twice", json_string_value(tag));
		}
	}
	*tags = v;
	return 0;
}

/* thanked: null, or {"at", "how"}. */
static int
sync_file_thanked(json_t *obj, struct store_op *op, struct kl_error *err)
{
	static const char *const allowed[] = { "at", "how", NULL };
	json_t		*v = json_object_get(obj, "thanked");

	op->thanked_how = NULL;
	if (json_is_null(v))
		return 0;
	if (!json_is_object(v) || params_allow(v, allowed, err) != 0 ||
	    sync_file_time(v, "at", &op->thanked_at, err) != 0 ||
	    param_string(v, "how", true, &op->thanked_how, err) != 0)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "thanked must be null or {\"at\", \"how\"}");
	if (!how_valid(op->thanked_how))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "thanked.how must be said, wrote, showed or other");
	return 0;
}

/* The fields of a known kind of operation. */
static int
sync_file_fields_of(json_t *obj, const struct sync_limits *limits,
    struct store_op *op, struct kl_error *err)
{
	switch (op->kind) {
	case STORE_OP_CREATE:
		if (sync_file_day(obj, limits, &op->day, err) != 0 ||
		    sync_file_text(obj, &op->text, err) != 0 ||
		    sync_file_tags(obj, &op->tags, err) != 0 ||
		    sync_file_time(obj, "created_at", &op->created_at,
		    err) != 0)
			return -1;
		return sync_file_thanked(obj, op, err);
	case STORE_OP_TEXT:
		return sync_file_text(obj, &op->text, err);
	case STORE_OP_DAY:
		return sync_file_day(obj, limits, &op->day, err);
	case STORE_OP_TAG:
		if (!sync_file_tag_ok(json_object_get(obj, "tag")))
			return kl_error_set(err, KL_ERR_PARAMS, "tag must be "
			    "1 to 32 characters a-z, 0-9, _ or -");
		op->tag = json_string_value(json_object_get(obj, "tag"));
		return sync_file_bool(obj, "present", &op->on, err);
	case STORE_OP_THANKED:
		return sync_file_thanked(obj, op, err);
	case STORE_OP_DELETED:
		return sync_file_bool(obj, "deleted", &op->on, err);
	default:
		return 0;
	}
}

/* Whether obj has a field that kind does not know. */
static bool
sync_file_has_unknown(json_t *obj, enum store_op_kind kind)
{
	static const char *const common[] = { "hlc", "op", "entry", "at" };
	const char	*key;
	json_t		*v;
	size_t		 i;
	bool		 known;

	json_object_foreach(obj, key, v) {
		known = false;
		for (i = 0; i < 4 && !known; i++)
			known = strcmp(key, common[i]) == 0;
		for (i = 0; !known && sync_file_fields[kind][i] != NULL; i++)
			known = strcmp(key, sync_file_fields[kind][i]) == 0;
		if (!known)
			return true;
	}
	return false;
}

/* The common fields: hlc, op, entry and at. */
static int
sync_file_common(json_t *obj, const struct sync_limits *limits,
    struct store_op *op, struct kl_error *err)
{
	json_t		*hlc = json_object_get(obj, "hlc");
	const char	*name, *entry;
	size_t		 i;

	if (!json_is_integer(hlc) || json_integer_value(hlc) <= 0 ||
	    json_integer_value(hlc) > limits->max_hlc)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "hlc must be a clock no later than a day from now");
	op->hlc = json_integer_value(hlc);
	if (param_string(obj, "op", true, &name, err) != 0)
		return -1;
	op->kind = store_op_kind(name);
	if (op->kind == STORE_OP_UNKNOWN)
		return 0;
	if (param_string(obj, "entry", true, &entry, err) != 0)
		return -1;
	if (!uuid_valid(entry))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "entry '%.40s' is not a UUID", entry);
	for (i = 0; i < UUID_STR_LEN; i++)
		op->entry[i] = (char)tolower((unsigned char)entry[i]);
	return sync_file_time(obj, "at", &op->at, err);
}

/* Keep a line as it is; op->line points at the copy. */
static void
sync_file_keep(struct sync_file *file, const char *line, size_t len,
    struct store_op *op)
{
	file->kept = xreallocarray(file->kept, file->nkept + 1,
	    sizeof *file->kept);
	file->kept[file->nkept] = xmalloc(len + 1);
	memcpy(file->kept[file->nkept], line, len);
	file->kept[file->nkept][len] = '\0';
	op->line = file->kept[file->nkept++];
}

/* One operation line. */
static int
sync_file_op(struct sync_file *file, const char *line, size_t len,
    const struct sync_limits *limits, struct kl_error *err)
{
	struct store_op	*op;
	json_error_t	 jerr;
	json_t		*obj;

	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(obj)) {
		json_decref(obj);
		return kl_error_set(err, KL_ERR_PARAMS, "not a JSON object");
	}
	json_array_append_new(file->lines, obj);
	file->ops = xreallocarray(file->ops, file->nops + 1,
	    sizeof *file->ops);
	op = &file->ops[file->nops++];
	memset(op, 0, sizeof *op);
	if (sync_file_common(obj, limits, op, err) != 0 ||
	    sync_file_fields_of(obj, limits, op, err) != 0)
		return -1;
	if (op->kind == STORE_OP_UNKNOWN ||
	    sync_file_has_unknown(obj, op->kind))
		sync_file_keep(file, line, len, op);
	return 0;
}

/* The header line: the format, its version, the device and its name. */
static int
sync_file_head(struct sync_file *file, const char *line, size_t len,
    struct kl_error *err)
{
	const char	*format, *device, *name = NULL;
	json_t		*obj, *version;
	size_t		 i;
	int		 rc = -1;

	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(obj) ||
	    param_string(obj, "kindlog", true, &format, err) != 0 ||
	    strcmp(format, SYNC_FORMAT) != 0)
		kl_error_set(err, KL_ERR_PARAMS, "not a kindlog sync file");
	else if (!json_is_integer(version = json_object_get(obj, "version")) ||
	    json_integer_value(version) != SYNC_VERSION)
		kl_error_set(err, KL_ERR_PARAMS, "format version is not %d",
		    SYNC_VERSION);
	else if (param_string(obj, "device", true, &device, err) != 0 ||
	    !uuid_valid(device))
		kl_error_set(err, KL_ERR_PARAMS, "device is not a UUID");
	else if ((!json_is_null(json_object_get(obj, "name")) &&
	    param_string(obj, "name", false, &name, err) != 0) ||
	    (name != NULL && strlen(name) > SYNC_NAME_MAX))
		kl_error_set(err, KL_ERR_PARAMS, "name is not a short string");
	else {
		for (i = 0; i < UUID_STR_LEN; i++)
			file->device[i] = (char)tolower((unsigned char)device[i]);
		file->name = name != NULL ? xstrdup(name) : NULL;
		rc = 0;
	}
	json_decref(obj);
	return rc;
}

/* Prefix err's message with the line it is about. */
static int
sync_file_at_line(size_t n, struct kl_error *err)
{
	char	message[sizeof err->message];

	memcpy(message, err->message, sizeof message);
	message[sizeof message - 32] = '\0';
	return kl_error_set(err, KL_ERR_PARAMS, "line %zu: %s", n, message);
}

/* Parse a whole file: every line ends in a newline, none is too long. */
int
sync_file_parse(const char *buf, size_t len, const struct sync_limits *limits,
    struct sync_file *out, struct kl_error *err)
{
	const char	*p = buf, *end = buf + len, *nl;
	size_t		 n = 0;

	memset(out, 0, sizeof *out);
	out->lines = json_array();
	if (len > SYNC_FILE_MAX)
		return kl_error_set(err, KL_ERR_LIMIT, "file is larger than "
		    "%d bytes", SYNC_FILE_MAX);
	if (len == 0)
		return kl_error_set(err, KL_ERR_PARAMS, "file is empty");
	while (p < end) {
		n++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			kl_error_set(err, KL_ERR_PARAMS,
			    "no newline: the file is cut short");
			return sync_file_at_line(n, err);
		}
		if ((size_t)(nl - p) > SYNC_LINE_MAX)
			return kl_error_set(err, KL_ERR_LIMIT, "line %zu is "
			    "longer than %d bytes", n, SYNC_LINE_MAX);
		if ((n == 1 ? sync_file_head(out, p, (size_t)(nl - p), err) :
		    sync_file_op(out, p, (size_t)(nl - p), limits, err)) != 0)
			return sync_file_at_line(n, err);
		p = nl + 1;
	}
	return 0;
}

void
sync_file_finish(struct sync_file *file)
{
	size_t	i;

	free(file->name);
	free(file->ops);
	json_decref(file->lines);
	for (i = 0; i < file->nkept; i++)
		free(file->kept[i]);
	free(file->kept);
	memset(file, 0, sizeof *file);
}

char *
sync_file_header(const char *device, const char *name)
{
	json_t	*h;
	char	*line;

	h = json_pack("{s:s, s:i, s:s, s:s*}", "kindlog", SYNC_FORMAT,
	    "version", SYNC_VERSION, "device", device, "name", name);
	if (h == NULL)
		h = json_pack("{s:s, s:i, s:s}", "kindlog", SYNC_FORMAT,
		    "version", SYNC_VERSION, "device", device);
	line = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(h);
	return line;
}
