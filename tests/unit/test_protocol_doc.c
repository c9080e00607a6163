/*
 * doc/protocol.md is the interface people read: every method of the
 * daemon's table must have a "### " section there, so the two cannot
 * drift. The document's path is the first argument.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "methods.h"

static const char *doc_path;

/* True if a "### " heading line of doc names method as a whole word. */
static int
doc_has_section(const char *doc, const char *method)
{
	const char	*line, *end, *hit;
	size_t		 len = strlen(method);

	for (line = doc; *line != '\0'; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (end == NULL)
			end = line + strlen(line);
		if (strncmp(line, "### ", 4) != 0)
			continue;
		for (hit = line; (hit = strstr(hit, method)) != NULL &&
		    hit < end; hit++) {
			char before = hit[-1], after = hit[len];
			if ((before == ' ' || before == ',') &&
			    (after == '\n' || after == ',' || after == ' ' ||
			    after == '\0'))
				return 1;
		}
	}
	return 0;
}

static void
test_every_method_documented(void **state)
{
	FILE	*f = fopen(doc_path, "r");
	char	*doc;
	long	 size;
	size_t	 i;
	int	 missing = 0;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	doc = calloc(1, (size_t)size + 1);
	assert_int_equal(fread(doc, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (i = 0; i < methods_count; i++) {
		if (!doc_has_section(doc, methods_table[i]->name)) {
			print_error("doc/protocol.md has no section for %s\n",
			    methods_table[i]->name);
			missing++;
		}
	}
	free(doc);
	assert_int_equal(missing, 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_method_documented),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_protocol_doc doc/protocol.md\n");
		return 2;
	}
	doc_path = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
