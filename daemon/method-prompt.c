/*
 * prompt.run: open the prompt program from the daemon, as a click on a
 * reminder's "Write it down…" does; the entry it gives is an ordinary
 * add, made when the person has answered.
 */
#include "answer.h"
#include "method.h"

static int
method_prompt_run(struct kindlogd *d, json_t *params, json_t **result,
    struct kl_error *err)
{
	struct kl_error	why;

	if (d->answer == NULL)
		return kl_error_set(err, KL_ERR_INTERNAL,
		    "prompts are not running");
	if (answer_prompt(d->answer, NULL, &why) == 0)
		*result = json_pack("{s:b, s:n}", "started", 1, "why");
	else
		*result = json_pack("{s:b, s:s}", "started", 0, "why",
		    why.message);
	return 0;
}

const struct method method_prompt_run_entry = {
	.name = "prompt.run",
	.params = method_no_params,
	.handler = method_prompt_run,
	.writes = false,
	.summary = "open the prompt program; its answer is added",
};
