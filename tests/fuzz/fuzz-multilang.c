/*
 * tests/fuzz/fuzz-multilang.c: multi-language values and [SR_ID]
 * references (i18n_resolve) with a fake resource table. Input:
 * "XX\nvalue" where XX is the language prefix; otherwise the whole input
 * is the value, resolved for US and SW. The fake table answers some ids
 * with text that itself holds references and multi-language syntax, so a
 * resolver that re-expanded its output would loop.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "i18n.h"

static const char *lookup(void *ud, const char *id, size_t n,
		const char *prefix) {
	(*(unsigned *)ud)++;
	if (!n) {
		return NULL;
	}
	switch ((unsigned char)id[n - 1] % 5) {
	case 0:
		return NULL;
	case 1:
		return strcmp(prefix, "US") ? NULL : "Export";
	case 2:
		return "[SR_AGAIN] & <x>";
	case 3:
		return "US:\"a\";NO:\"b\"";
	default:
		return "";
	}
}

static void resolve(const char *s, const char *prefix) {
	struct i18n_lang lang = { 0 };
	snprintf(lang.prefix, sizeof(lang.prefix), "%s", prefix);
	snprintf(lang.tag, sizeof(lang.tag), "xx");
	unsigned calls = 0;
	bool oom = true;
	char *out = i18n_resolve(s, &lang, lookup, &calls, &oom);
	FUZZ_CHECK(!oom);
	FUZZ_CHECK(calls <= strlen(s) + 1);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *s = fuzz_cstr(data, size);
	const char *value = fuzz_split(s);
	if (value && strlen(s) == 2) {
		resolve(value, s);
	} else {
		resolve(value ? value : s, "US");
		resolve(s, "SW");
	}
	bool oom = true;
	FUZZ_CHECK(i18n_resolve(NULL, NULL, lookup, &(unsigned){ 0 },
		&oom) == NULL && !oom);
	free(s);
	return 0;
}
