/*
 * tests/fuzz/fuzz-language.c: SO-Language and Accept-Language (i18n_choose).
 * Input: "SO-Language\nAccept-Language"; without a newline the input is
 * tried as each header alone. A chosen language has a known prefix and a
 * terminated tag.
 */
#include "fuzz.h"

#include "i18n.h"

static void check(const char *so, const char *al) {
	struct i18n_lang lang;
	memset(&lang, 0x5a, sizeof(lang));
	enum i18n_mode mode = i18n_choose(so, al, &lang);
	FUZZ_CHECK(mode == I18N_NONE || mode == I18N_OFF || mode == I18N_ON);
	if (mode == I18N_ON) {
		FUZZ_CHECK(memchr(lang.prefix, '\0', sizeof(lang.prefix)));
		FUZZ_CHECK(strlen(lang.prefix) == 2);
		FUZZ_CHECK(memchr(lang.tag, '\0', sizeof(lang.tag)));
		FUZZ_CHECK(lang.tag[0] != '\0');
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *s = fuzz_cstr(data, size);
	const char *second = fuzz_split(s);
	if (second) {
		check(s, second);
	} else {
		check(s, NULL);
		check(NULL, s);
	}
	free(s);
	return 0;
}
