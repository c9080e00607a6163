/* What a reminder says (reminder-text.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reminder-text.h"
#include "xmalloc.h"

/*
 * The built-in reflection prompts. {they}, {them} and {their} name the
 * partner once a name is set ("Did Sam check in on you?"), else "they",
 * "them", "their"; each prompt uses at most one of them, and no verb that
 * would have to agree with it.
 */
static const char *const reminder_text_prompts[] = {
	"What did {they} do today that made your day a little easier?",
	"Think of one small thing {they} did without being asked.",
	"What did it cost {them} (time, sleep, patience) to do it?",
	"How did it feel when {they} did it? Write that down too.",
	"Was there a moment today when {they} looked out for you?",
	"Which chore did {they} quietly take off your plate?",
	"Did {they} listen to you today? What did they remember?",
	"Which of {their} everyday habits would you miss first?",
	"What did {they} make, fix or tidy for you today?",
	"Did {they} say something kind? Note the words.",
	"What did {they} give up so that you could have something?",
	"Did {they} make you laugh today? How?",
	"What did {they} do for someone you love?",
	"What did {they} notice about you today?",
	"Small things count: a cup of tea, a message, a door held open.",
	"What did {they} do today that you might have taken for granted?",
	"When did {they} make room for what you needed today?",
	"Did {they} check in on you? How did that feel?",
	"What would today have been like without {them}?",
	"Which gesture today deserves a thank-you tonight?",
	"What did {they} carry for you today, in any sense?",
	"Did {they} encourage you today? What did they say?",
};

/* A prompt's {they}, {them} or {their}: what it becomes. */
struct reminder_text_mark {
	const char	*mark;
	const char	*pronoun;	/* without a name */
	const char	*suffix;	/* after the name */
};

static const struct reminder_text_mark reminder_text_marks[] = {
	{ "{they}", "they", "" },
	{ "{them}", "them", "" },
	{ "{their}", "their", "'s" },
};

/* A built-in prompt with its mark replaced. Caller frees. */
static char *
reminder_text_fill(const char *prompt, const char *partner)
{
	const struct reminder_text_mark	*m;
	const char			*at;
	size_t				 i;

	for (i = 0; i < sizeof reminder_text_marks /
	    sizeof reminder_text_marks[0]; i++) {
		m = &reminder_text_marks[i];
		if ((at = strstr(prompt, m->mark)) == NULL)
			continue;
		return xasprintf("%.*s%s%s%s", (int)(at - prompt), prompt,
		    partner != NULL ? partner : m->pronoun,
		    partner != NULL ? m->suffix : "", at + strlen(m->mark));
	}
	return xstrdup(prompt);
}

char *
reminder_text_summary(const struct config *config)
{
	if (config->partner != NULL)
		return xasprintf("Did %s do something kind today?",
		    config->partner);
	return xstrdup("Did your partner do something kind today?");
}

char *
reminder_text_prompt(const struct config *config, kl_day day, int slot)
{
	size_t	n = config->nprompts != 0 ? config->nprompts :
	    sizeof reminder_text_prompts / sizeof reminder_text_prompts[0];
	size_t	i = ((size_t)day * 3 + (size_t)(slot < 0 ? 0 : slot)) % n;

	if (config->nprompts != 0)
		return xstrdup(config->prompts[i]);
	return reminder_text_fill(reminder_text_prompts[i], config->partner);
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
	const char	*who = config->partner != NULL ? config->partner :
			    "your partner";
	char		*week;

	*summary = config->partner != NULL ?
	    xasprintf("Your week with %s", config->partner) :
	    xstrdup("Your week of kindness");
	if (gestures <= 0)
		week = xasprintf("Nothing written down these seven days, and "
		    "that happens. What is one small thing %s did today?",
		    who);
	else if (unthanked <= 0)
		week = xasprintf("This week you noticed %" PRId64 " gesture%s "
		    "on %zu day%s, and thanked %s for %s.", gestures,
		    gestures == 1 ? "" : "s", days, days == 1 ? "" : "s", who,
		    gestures == 1 ? "it" : "every one");
	else
		week = xasprintf("This week you noticed %" PRId64 " gesture%s "
		    "on %zu day%s; %" PRId64 " %s not thanked yet.", gestures,
		    gestures == 1 ? "" : "s", days, days == 1 ? "" : "s",
		    unthanked, unthanked == 1 ? "is" : "are");
	/* An empty week has nothing to look back on: no invitation then. */
	if (gestures <= 0) {
		*body = week;
		return;
	}
	*body = xasprintf("%s\n\n%s", week, REMINDER_TEXT_REFLECT);
	free(week);
}

char *
reminder_text_logged(int64_t streak)
{
	return xasprintf("Logged for today — streak %" PRId64 " day%s",
	    streak, streak == 1 ? "" : "s");
}

char *
reminder_text_no_prompt(const struct config *config)
{
	return xasprintf("No prompt program was found. Log it with: kindlog "
	    "add \"what %s did\" — or install zenity, or set [prompt] "
	    "command in kindlog.conf.", config->partner != NULL ?
	    config->partner : "they");
}

char *
reminder_text_snooze(const struct config *config, enum schedule_snooze fate,
    time_t until)
{
	struct tm	tm;
	char		clock[8], a[8], b[8];

	localtime_r(&until, &tm);
	strftime(clock, sizeof clock, "%H:%M", &tm);
	if (fate == SCHEDULE_SNOOZE_QUIET)
		return xasprintf("Snoozed until %s, which is in quiet hours "
		    "(%s-%s): no reminder comes then.", clock,
		    config_format_clock(config->quiet_start, a),
		    config_format_clock(config->quiet_end, b));
	if (fate == SCHEDULE_SNOOZE_HELD)
		return xasprintf("Snoozed until %s, but reminders are off, "
		    "paused or done for that day: no reminder comes then.",
		    clock);
	return NULL;
}
