/*
 * Local calendar days. A day is a count of days since 1970-01-01 in the
 * proleptic Gregorian calendar: a floating date with no zone, so an entry's
 * day never moves when the clock, zone or DST changes.
 */
#ifndef KINDLOG_DAY_H
#define KINDLOG_DAY_H

#include <stdbool.h>
#include <time.h>

typedef int kl_day;

#define DAY_ISO_LEN 11 /* "YYYY-MM-DD" and NUL */

/* Day number of a civil date; no range check (see day_from_ymd_checked). */
kl_day day_from_ymd(int year, int month, int mday);
/* Civil date of a day number. */
void day_to_ymd(kl_day day, int *year, int *month, int *mday);
/* Weekday of a day: 0 = Monday .. 6 = Sunday (ISO order). */
int day_weekday(kl_day day);
/*
 * Index 0..6 (Monday..Sunday) of a weekday name ("monday") or its three
 * letter abbreviation ("mon"), in any case; -1 for anything else.
 */
int day_weekday_parse(const char *s);
/* The lowercase English name of weekday 0..6 ("monday"); its first three
 * letters are the abbreviation config files and the protocol use. */
const char *day_weekday_name(int weekday);
/* Format as YYYY-MM-DD into buf (DAY_ISO_LEN bytes). Returns buf. */
char *day_format(kl_day day, char *buf);
/* Parse a strict YYYY-MM-DD (years 1900..9999, real dates only). */
bool day_parse_iso(const char *s, kl_day *out);

/*
 * The local day of instant now, shifted by day_starts_at minutes after
 * local midnight: with 180 (03:00), 01:30 still belongs to the day before.
 */
kl_day day_today(time_t now, int day_starts_at);

/*
 * Resolve a DAY expression relative to today: "today", "yesterday",
 * "tomorrow" (which callers refuse as a future day), "YYYY-MM-DD", "N days ago", "N day ago", a weekday name or its three
 * letter abbreviation (the most recent such day strictly before today).
 * Case-insensitive, surrounding spaces ignored. Returns false and sets
 * *cause (static string: "cannot understand day", "no such date" for
 * 2026-02-30, "no day before 1900") when the expression is not understood.
 */
bool day_parse(const char *s, kl_day today, kl_day *out, const char **cause);

/* Parse "HH:MM" (00:00..23:59) into minutes after midnight. */
bool day_parse_clock(const char *s, int *minutes);

#endif
