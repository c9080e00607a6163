/* The routine-kindness text key (see routine.h). */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "routine.h"
#include "xmalloc.h"

char *
routine_key(const char *text)
{
	char		*key = xmalloc(strlen(text) + 1), *p = key;
	unsigned char	 c;
	bool		 space = false;

	for (; *text != '\0'; text++) {
		c = (unsigned char)*text;
		if (c < 0x80 && isspace(c)) {
			space = p != key;
			continue;
		}
		if (c < 0x80 && (ispunct(c) || iscntrl(c)))
			continue;
		if (space)
			*p++ = ' ';
		space = false;
		*p++ = c < 0x80 ? (char)tolower(c) : (char)c;
	}
	*p = '\0';
	return key;
}
