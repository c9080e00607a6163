/*
 * The questions of kindlog reflect (reflect-text.h). They ask about what
 * happened, never about what the partner failed to do: the practice is
 * noticing and fairness, not a verdict. "{name}" stands for the partner
 * and never opens a sentence, so "your partner" reads as well.
 */
#include <stdlib.h>
#include <string.h>

#include "reflect-text.h"
#include "xmalloc.h"

static const char *const reflect_text_noticing[] = {
	"Which of these did you almost not notice?",
	"Which of these would you miss first if it stopped happening?",
	"What does {name} do so often that it has started to feel like the "
	    "way things simply are?",
	"Which of these made your day easier in a way you only saw later?",
	"Was there a kindness this week that is not in the log yet? What "
	    "was it?",
	"Which of these happened without you having to ask?",
	"What would this week have felt like without {name}'s small "
	    "gestures?",
	"Which of these do you remember feeling, not just seeing? What was "
	    "the feeling?",
	"Which small thing here took the longest to notice, and what helped "
	    "you see it?",
	"Which moment of this week would you like to remember a year from "
	    "now?",
};

static const char *const reflect_text_their_view[] = {
	"What might it have cost {name} to do this?",
	"What did {name} set aside (time, rest, plans of their own) for one "
	    "of these?",
	"What do you think {name} hoped you would feel?",
	"What was {name}'s week like? How might that have shaped what they "
	    "did for you?",
	"Which of these might {name} not think of as special at all? Why "
	    "might it still matter?",
	"If {name} told the story of one of these gestures, how would they "
	    "tell it?",
	"What might {name} have meant by one of these, beyond the thing "
	    "itself?",
	"Which of these needed planning or remembering on {name}'s part?",
	"What would help {name} know that you saw it?",
	"Was {name} tired, busy or worried when doing one of these? What "
	    "does that tell you?",
};

static const char *const reflect_text_expectations[] = {
	"Was there something you expected and did not get? Was it fair to "
	    "expect it?",
	"Did you hope for something this week that {name} could not have "
	    "known you wanted?",
	"Which of your expectations this week were spoken out loud, and "
	    "which stayed silent?",
	"Was there a moment you felt let down? Looking back, what else "
	    "might have been going on?",
	"Is there something you could ask {name} for plainly, instead of "
	    "hoping it happens?",
	"Which of these did you once expect, and could now receive as a "
	    "gift?",
	"Is there an expectation you would like to set down for a while? "
	    "What would change?",
	"If a friend told you about an expectation like yours, what would "
	    "you gently say to them?",
	"Which of your expectations grew from a habit of {name}'s rather "
	    "than a promise?",
	"What did you need this week that you could also give yourself?",
};

#define NQUESTIONS(a) (sizeof (a) / sizeof (a)[0])

static const struct {
	const char		*name;
	const char *const	*questions;
	size_t			 count;
} reflect_text_sets[REFLECT_SETS] = {
	[REFLECT_NOTICING] = { "noticing", reflect_text_noticing,
	    NQUESTIONS(reflect_text_noticing) },
	[REFLECT_THEIR_VIEW] = { "their_view", reflect_text_their_view,
	    NQUESTIONS(reflect_text_their_view) },
	[REFLECT_EXPECTATIONS] = { "expectations", reflect_text_expectations,
	    NQUESTIONS(reflect_text_expectations) },
};

_Static_assert(NQUESTIONS(reflect_text_noticing) >= 8 &&
    NQUESTIONS(reflect_text_their_view) >= 8 &&
    NQUESTIONS(reflect_text_expectations) >= 8,
    "at least 8 questions in every set");

#define REFLECT_TEXT_NAME "{name}"

const char *
reflect_text_set_name(enum reflect_set set)
{
	return reflect_text_sets[set].name;
}

size_t
reflect_text_count(enum reflect_set set)
{
	return reflect_text_sets[set].count;
}

/*
 * Weeks counted from the Monday before day 0 (a Thursday), rounding
 * down for days before it too; each set starts at its own question so
 * the three do not all begin at their first.
 */
size_t
reflect_text_pick(enum reflect_set set, kl_day day)
{
	long	week = ((long)day + 3 >= 0) ? ((long)day + 3) / 7 :
	    -(((-(long)day - 3) + 6) / 7);
	long	n = (long)reflect_text_sets[set].count;

	return (size_t)((((week + 3 * (long)set) % n) + n) % n);
}

char *
reflect_text_question(enum reflect_set set, size_t i, const char *partner)
{
	const char	*q = reflect_text_sets[set].questions[i];
	const char	*name = partner != NULL ? partner : "your partner";
	const char	*hit;
	char		*out = xstrdup(""), *next;

	while ((hit = strstr(q, REFLECT_TEXT_NAME)) != NULL) {
		next = xasprintf("%s%.*s%s", out, (int)(hit - q), q, name);
		free(out);
		out = next;
		q = hit + strlen(REFLECT_TEXT_NAME);
	}
	next = xasprintf("%s%s", out, q);
	free(out);
	return next;
}
