/*
 * The days a look-back covers, ending today (today included): kindlog
 * recap --week and the weekly recap notification count the same seven.
 */
#ifndef KINDLOG_RECAP_H
#define KINDLOG_RECAP_H

#define RECAP_WEEK_DAYS 7
#define RECAP_MONTH_DAYS 30
#define RECAP_YEAR_DAYS 365

#endif
