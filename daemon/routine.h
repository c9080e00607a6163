/*
 * The routine-kindness finder's text key: two gestures are "the same
 * thing again" when their texts are equal after lowercasing, dropping
 * punctuation and squeezing whitespace. Pure, so it is unit tested.
 */
#ifndef KINDLOG_ROUTINE_H
#define KINDLOG_ROUTINE_H

/*
 * The normalised key of text as a new string: ASCII letters lowercased,
 * ASCII punctuation removed, runs of whitespace turned into one space,
 * no space at either end. Bytes of multibyte UTF-8 characters are kept
 * as they are. "" when nothing is left.
 */
char	*routine_key(const char *text);

#endif
