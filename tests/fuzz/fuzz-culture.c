/*
 * tests/fuzz/fuzz-culture.c: SO-Culture. Input: "culture\ntext". The
 * culture is validated (i18n_culture_valid) and applied to the text
 * (i18n_apply_culture); an invalid culture must change nothing.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *s = fuzz_cstr(data, size);
	const char *text = fuzz_split(s);
	bool valid = i18n_culture_valid(s);
	bool oom = false;
	char *out = i18n_apply_culture(text ? text : "2024-03-31 12.50 v1.5",
		s, &oom);
	FUZZ_CHECK(!oom);
	if (!valid) {
		FUZZ_CHECK(out == NULL);
	}
	free(out);
	free(s);
	return 0;
}
