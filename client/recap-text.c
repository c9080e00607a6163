/*
 * The words every form of a recap shares (recap-text.h): the terminal
 * letter, its Markdown and its page.
 */

#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "output.h"
#include "recap-text.h"
#include "xmalloc.h"

/* "Tue 24 Nov" (and " 2026" with the year) for a YYYY-MM-DD day. */
char *
recap_text_date(const char *iso, bool year)
{
	kl_day	day;
	int	y, m, d;

	if (!day_parse_iso(iso, &day))
		return xstrdup(iso);
	day_to_ymd(day, &y, &m, &d);
	if (year)
		return xasprintf("%s %d %s %d", output_weekdays[
		    day_weekday(day)], d, output_months[m - 1], y);
	return xasprintf("%s %d %s", output_weekdays[day_weekday(day)], d,
	    output_months[m - 1]);
}

/* The local day of an RFC 3339 time as "Tue 24 Nov 2026". */
static char *
recap_text_when(const char *rfc3339)
{
	char	*local = output_local_time(rfc3339), *when;

	local[strcspn(local, " ")] = '\0';
	when = recap_text_date(local, true);
	free(local);
	return when;
}

/* "21 Nov – 27 Nov 2026", the year once unless the period spans two. */
char *
recap_text_range(json_t *r)
{
	const char	*from = output_get_str(r, "from");
	const char	*to = output_get_str(r, "to");
	char		*a, *b, *range;

	a = recap_text_date(from, strncmp(from, to, 4) != 0);
	b = recap_text_date(to, true);
	range = xasprintf("%s – %s", a, b);
	free(a);
	free(b);
	return range;
}

/* "A week of Sam's kindness", or without a name "A week of kindness". */
char *
recap_text_title(json_t *r)
{
	const char	*partner = output_get_str(r, "partner");

	if (*partner != '\0')
		return xasprintf("A %s of %s's kindness",
		    output_get_str(r, "period"), partner);
	return xasprintf("A %s of kindness", output_get_str(r, "period"));
}

/* "5 gestures on 4 days, 1 thanked". */
char *
recap_text_counts(json_t *r)
{
	char	*gestures, *days, *line;

	gestures = output_count(output_get_int(r, "entries"), "gesture",
	    "gestures");
	days = output_count(output_get_int(r, "days_noticed"), "day", "days");
	line = xasprintf("%s on %s, %lld thanked", gestures, days,
	    output_get_int(r, "thanked"));
	free(gestures);
	free(days);
	return line;
}

/* Whom the routine heading names: the partner, or "they". */
char *
recap_text_routine_heading(json_t *r)
{
	const char	*partner = output_get_str(r, "partner");

	if (*partner != '\0')
		return xasprintf("Things %s does again and again", partner);
	return xstrdup("Things they do again and again");
}

/* A routine key as people read it: "#tag" or the normalised text. */
char *
recap_text_routine_label(const char *key)
{
	if (strncmp(key, "tag:", 4) == 0)
		return xasprintf("#%s", key + 4);
	if (strncmp(key, "text:", 5) == 0)
		return xstrdup(key + 5);
	return xstrdup(key);
}

/* "last thanked Tue 24 Nov 2026" or "not thanked yet". */
char *
recap_text_routine_thanked(json_t *group)
{
	const char	*at = output_get_str(group, "last_thanked");
	char		*when, *line;

	if (*at == '\0')
		return xstrdup("not thanked yet");
	when = recap_text_when(at);
	line = xasprintf("last thanked %s", when);
	free(when);
	return line;
}
