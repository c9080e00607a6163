/* What a reminder says (reminder-text.h). */
#include <inttypes.h>
#include <stdlib.h>

#include "reminder-text.h"
#include "xmalloc.h"

static const char *const reminder_text_prompts[] = {
	"What did they do today that made your day a little easier?",
	"Think of one small thing they did without being asked.",
	"What did it cost them (time, sleep, patience) to do it?",
	"How did it feel when they did it? Write that down too.",
	"Was there a moment today when they looked out for you?",
	"Which chore did they quietly take off your plate?",
	"Did they listen to you today? What did they remember?",
	"Which of their everyday habits would you miss first?",
	"What did they make, fix or tidy for you today?",
	"Did they say something kind? Note the words.",
	"What did they give up so that you could have something?",
	"Did they make you laugh today? How?",
	"What did they do for someone you love?",
	"What did they notice about you today?",
	"Small things count: a cup of tea, a message, a door held open.",
	"What do they do so often that you have stopped noticing it?",
	"When did they make room for what you needed today?",
	"Did they check in on you? How did that feel?",
	"What would today have been like without them?",
	"Which gesture today deserves a thank-you tonight?",
	"What did they carry for you today, in any sense?",
	"Did they encourage you today? What did they say?",
};

char *
reminder_text_summary(const struct config *config)
{
	if (config->partner != NULL)
		return xasprintf("Did %s do something kind today?",
		    config->partner);
	return xstrdup("Did your partner do something kind today?");
}

const char *
reminder_text_prompt(const struct config *config, kl_day day, int slot)
{
	size_t	n = config->nprompts != 0 ? config->nprompts :
	    sizeof reminder_text_prompts / sizeof reminder_text_prompts[0];
	size_t	i = ((size_t)day * 3 + (size_t)(slot < 0 ? 0 : slot)) % n;

	return config->nprompts != 0 ? config->prompts[i] :
	    reminder_text_prompts[i];
}

char *
reminder_text_anniversary(kl_day today, json_t *entry)
{
	const char	*text = json_string_value(json_object_get(entry, "text"));
	const char	*iso = json_string_value(json_object_get(entry, "day"));
	kl_day		 day;
	int		 y, then, m, d, years;

	if (text == NULL || iso == NULL || !day_parse_iso(iso, &day) ||
	    day >= today)
		return NULL;
	day_to_ymd(today, &y, &m, &d);
	day_to_ymd(day, &then, &m, &d);
	years = y - then;
	return xasprintf("%s ago today: %s", years <= 1 ? "A year" :
	    (years == 2 ? "Two years" : "Years"), text);
}

char *
reminder_text_unthanked(char *body, int64_t unthanked)
{
	char	*out;

	if (unthanked <= 0)
		return body;
	out = xasprintf("%s\n\n%" PRId64 " of this week's gestures %s not "
	    "thanked yet.", body, unthanked, unthanked == 1 ? "is" : "are");
	free(body);
	return out;
}

/* The recap's invitation to look back with kindlog reflect. */
#define REMINDER_TEXT_REFLECT "A quiet moment? Look back on the week " \
	"with three questions: kindlog reflect"

void
reminder_text_recap(const struct config *config, int64_t gestures,
    size_t days, int64_t unthanked, char **summary, char **body)
{
	*summary = config->partner != NULL ?
	    xasprintf("Your week with %s", config->partner) :
	    xstrdup("Your week of kindness");
	*body = xasprintf("This week you noticed %" PRId64 " gesture%s on "
	    "%zu day%s; %" PRId64 " %s not thanked yet.\n\n%s", gestures,
	    gestures == 1 ? "" : "s", days, days == 1 ? "" : "s",
	    unthanked, unthanked == 1 ? "is" : "are", REMINDER_TEXT_REFLECT);
}
