/*
 * Reflection (doc/protocol.md): the week's gestures and three questions
 * to look at them with, the answers kept, and the reflections listed.
 * The questions themselves are reflect-text.c's; an answer left empty is
 * simply not kept, and a reflection with no answer at all is not saved.
 * reflect.nudge tells the summary, once per gap, that the last
 * reflection is over a week old.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "method.h"
#include "params.h"
#include "reflect-text.h"
#include "store.h"
#include "strnum.h"
#include "xmalloc.h"

/* The days reflect looks back on, today included. */
#define REFLECT_DAYS 7
/* Days after the last reflection before reflect.nudge says so. */
#define REFLECT_NUDGE_DAYS 7
/* The setting that remembers which lapse was mentioned. */
#define REFLECT_NUDGED_KEY "reflect.nudged"
/* The week's gestures handed out at most (the newest of them). */
#define REFLECT_MAX_ENTRIES 200

/* The questions of the week holding today, one from each set. */
static json_t *
method_reflect_questions_json(struct kindlogd *d, kl_day today)
{
	json_t			*questions = json_array();
	enum reflect_set	 set;
	char			*q;

	for (set = 0; set < REFLECT_SETS; set++) {
		q = reflect_text_question(set, reflect_text_pick(set, today),
		    d->config->partner);
		json_array_append_new(questions, json_pack("{s:s, s:s}",
		    "set", reflect_text_set_name(set), "question", q));
		free(q);
	}
	return questions;
}

static int
method_reflect_questions(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct store_query	 q = { 0 };
	kl_day			 today = config_today(d->config, time(NULL));
	json_t			*entries;
	int64_t			 total;
	char			 from[DAY_ISO_LEN], to[DAY_ISO_LEN];

	q.has_since = q.has_until = true;
	q.since = today - (REFLECT_DAYS - 1);
	q.until = today;
	q.limit = REFLECT_MAX_ENTRIES;
	if (store_entry_list(d->store, &q, &entries, &total, err) != 0)
		return -1;
	*result = json_pack("{s:o, s:o, s:I, s:s, s:s, s:s?}",
	    "questions", method_reflect_questions_json(d, today),
	    "entries", method_reversed(entries),
	    "total", (json_int_t)total,
	    "from", day_format(q.since, from),
	    "to", day_format(today, to),
	    "partner", d->config->partner);
	json_decref(entries);
	return 0;
}

/* A trimmed copy of a string member of an answer, within max bytes. */
static int
method_reflect_field(json_t *answer, const char *name, size_t max,
    char **out, struct kl_error *err)
{
	json_t	*value = json_object_get(answer, name);

	*out = NULL;
	if (!json_is_string(value))
		return kl_error_set(err, KL_ERR_PARAMS, "each answer needs "
		    "a \"%s\" string", name);
	if (json_string_length(value) != strlen(json_string_value(value)))
		return kl_error_set(err, KL_ERR_PARAMS,
		    "%s must not contain NUL bytes", name);
	*out = str_trim(xstrdup(json_string_value(value)));
	if (strlen(*out) <= max)
		return 0;
	free(*out);
	*out = NULL;
	return kl_error_set(err, KL_ERR_PARAMS, "%s is longer than %zu bytes",
	    name, max);
}

/* Check one {"question", "answer"}: both copied into a, trimmed. */
static int
method_reflect_answer(json_t *answer, struct store_answer *a,
    struct kl_error *err)
{
	static const char *const allowed[] = { "question", "answer", NULL };
	char	*question, *text;

	if (!json_is_object(answer))
		return kl_error_set(err, KL_ERR_PARAMS, "answers must be "
		    "{\"question\", \"answer\"} objects");
	if (params_allow(answer, allowed, err) != 0 ||
	    method_reflect_field(answer, "question", REFLECT_QUESTION_MAX,
	    &question, err) != 0)
		return -1;
	if (*question == '\0') {
		free(question);
		return kl_error_set(err, KL_ERR_PARAMS,
		    "question must not be empty");
	}
	if (method_reflect_field(answer, "answer", TEXT_MAX_BYTES, &text,
	    err) != 0) {
		free(question);
		return -1;
	}
	a->question = question;
	a->answer = text;
	return 0;
}

int
method_answers_parse(json_t *array, bool drop_empty,
    struct method_answers *out, struct kl_error *err)
{
	struct store_answer	a;
	json_t			*answer;
	size_t			 i;

	memset(out, 0, sizeof *out);
	if (!json_is_array(array))
		return kl_error_set(err, KL_ERR_PARAMS, "answers must be an "
		    "array of {\"question\", \"answer\"} objects");
	if (json_array_size(array) > REFLECT_ANSWERS_MAX)
		return kl_error_set(err, KL_ERR_PARAMS,
		    "at most %d answers in a reflection", REFLECT_ANSWERS_MAX);
	out->answers = xcalloc(REFLECT_ANSWERS_MAX, sizeof *out->answers);
	json_array_foreach(array, i, answer) {
		if (method_reflect_answer(answer, &a, err) != 0) {
			method_answers_free(out);
			return -1;
		}
		if (*a.answer != '\0') {
			out->answers[out->n++] = a;
			continue;
		}
		free((char *)a.question);
		free((char *)a.answer);
		if (!drop_empty) {
			method_answers_free(out);
			return kl_error_set(err, KL_ERR_PARAMS,
			    "answer must not be empty");
		}
	}
	return 0;
}

void
method_answers_free(struct method_answers *answers)
{
	size_t	i;

	for (i = 0; i < answers->n; i++) {
		free((char *)answers->answers[i].question);
		free((char *)answers->answers[i].answer);
	}
	free(answers->answers);
	memset(answers, 0, sizeof *answers);
}

static int
method_reflect_save(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct method_answers	 answers;
	time_t			 now = time(NULL);
	json_t			*reflection = NULL;
	int			 rc = 0;

	if (json_object_get(params, "answers") == NULL)
		return kl_error_set(err, KL_ERR_PARAMS, "answers is required");
	if (method_answers_parse(json_object_get(params, "answers"), true,
	    &answers, err) != 0)
		return -1;
	if (answers.n > 0)
		rc = store_reflect_add(d->store, config_today(d->config, now),
		    answers.answers, answers.n, now, &reflection, err);
	method_answers_free(&answers);
	if (rc != 0)
		return -1;
	*result = json_pack("{s:o}", "reflection",
	    reflection != NULL ? reflection : json_null());
	return 0;
}

static int
method_reflect_list(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct store_range	 range = { 0 };
	kl_day			 today = config_today(d->config, time(NULL));
	json_int_t		 limit, offset;
	json_t			*reflections;
	int64_t			 total;

	if (param_day(params, "since", today, &range.has_since, &range.since,
	    err) != 0 ||
	    param_day(params, "until", today, &range.has_until, &range.until,
	    err) != 0 ||
	    param_int(params, "limit", 0, 1000000000, 20, &limit, err) != 0 ||
	    param_int(params, "offset", 0, 1000000000, 0, &offset, err) != 0)
		return -1;
	if (store_reflect_list(d->store, &range, limit == 0 ? -1 : limit,
	    offset, &reflections, &total, err) != 0)
		return -1;
	*result = json_pack("{s:o, s:I}", "reflections", reflections,
	    "total", (json_int_t)total);
	return 0;
}

/*
 * Whether a long gap since the last reflection is worth a word: more than
 * REFLECT_NUDGE_DAYS days since it, or none yet after that many days
 * noticed. *key names the gap (the last reflection's uuid, or "none"),
 * so that it is mentioned once; *last is the last reflection's day or
 * JSON null.
 */
static int
method_reflect_gap(struct kindlogd *d, kl_day today, bool *gap, char **key,
    json_t **last, struct kl_error *err)
{
	char	 uuid[UUID_STR_LEN], iso[DAY_ISO_LEN];
	kl_day	*days, day;
	size_t	 ndays;
	int64_t	 entries;
	bool	 found;

	*gap = false;
	*last = json_null();
	if (store_reflect_last(d->store, uuid, &day, &found, err) != 0)
		return -1;
	if (found) {
		*key = xstrdup(uuid);
		*last = json_string(day_format(day, iso));
		*gap = today - day > REFLECT_NUDGE_DAYS;
		return 0;
	}
	*key = xstrdup("none");
	if (store_days(d->store, &days, &ndays, &entries, err) != 0) {
		free(*key);
		return -1;
	}
	free(days);
	*gap = ndays >= REFLECT_NUDGE_DAYS;
	return 0;
}

/*
 * Say a long gap once: due only if this gap was not mentioned before,
 * and, when mark, remember that it now was. A read-only database cannot
 * remember, so there it is said each time.
 */
static int
method_reflect_nudge(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	kl_day	 today = config_today(d->config, time(NULL));
	json_t	*last;
	char	*key, *said = NULL;
	bool	 gap, mark;
	int	 rc = 0;

	if (json_object_get(params, "mark") == NULL)
		mark = true;
	else if (param_bool(params, "mark", &mark, err) != 0)
		return -1;
	if (method_reflect_gap(d, today, &gap, &key, &last, err) != 0)
		return -1;
	if (gap)
		rc = store_setting_get(d->store, REFLECT_NUDGED_KEY, &said,
		    err);
	gap = gap && rc == 0 && (said == NULL || strcmp(said, key) != 0);
	if (gap && mark && !store_readonly(d->store))
		rc = store_setting_set(d->store, REFLECT_NUDGED_KEY, key, err);
	free(said);
	free(key);
	if (rc != 0) {
		json_decref(last);
		return -1;
	}
	*result = json_pack("{s:b, s:o}", "due", gap, "last_day", last);
	return 0;
}

const struct method method_reflect_questions_entry = {
	.name = "reflect.questions",
	.params = method_no_params,
	.handler = method_reflect_questions,
	.writes = false,
	.summary = "this week's gestures and three questions",
};

const struct method method_reflect_save_entry = {
	.name = "reflect.save",
	.params = (const char *const[]){ "answers", NULL },
	.handler = method_reflect_save,
	.writes = true,
	.summary = "keep the answers of a reflection",
};

const struct method method_reflect_list_entry = {
	.name = "reflect.list",
	.params = (const char *const[]){ "since", "until", "limit", "offset",
	    NULL },
	.handler = method_reflect_list,
	.writes = false,
	.summary = "past reflections, newest first",
};

const struct method method_reflect_nudge_entry = {
	.name = "reflect.nudge",
	.params = (const char *const[]){ "mark", NULL },
	.handler = method_reflect_nudge,
	.writes = true,
	.summary = "whether to mention, once, a long gap since reflecting",
};
