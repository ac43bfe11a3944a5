#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "tap.h"

/* ---- choose ---------------------------------------------------------- */

static void choose(const char *so, const char *al, enum i18n_mode want_mode,
		const char *want_prefix, const char *want_tag) {
	struct i18n_lang lang = { .prefix = "??", .tag = "untouched" };
	enum i18n_mode mode = i18n_choose(so, al, &lang);
	tap_int(mode, want_mode, "mode for SO-Language=%s Accept-Language=%s",
		so ? so : "(none)", al ? al : "(none)");
	if (want_mode == I18N_ON) {
		tap_str(lang.prefix, want_prefix, "  prefix");
		tap_str(lang.tag, want_tag, "  tag");
	}
}

static void test_choose(void) {
	choose(NULL, NULL, I18N_NONE, NULL, NULL);
	choose("", "", I18N_NONE, NULL, NULL);
	choose(NULL, "sv", I18N_ON, "SW", "sv");
	choose("fr", "sv", I18N_ON, "FR", "fr");
	choose("nb-no", NULL, I18N_ON, "NO", "nb-NO");
	choose("NB-NO", NULL, I18N_ON, "NO", "nb-NO");
	choose(NULL, "nb-NO", I18N_ON, "NO", "nb-NO");
	choose(NULL, "nn", I18N_ON, "NO", "nn");
	choose(NULL, "no", I18N_ON, "NO", "no");
	choose(NULL, "sv-SE", I18N_ON, "SW", "sv-SE");
	choose(NULL, "en-GB", I18N_ON, "US", "en-GB");
	choose(NULL, "en-us", I18N_ON, "US", "en-US");
	choose(NULL, "zh-hant-tw", I18N_ON, "CN", "zh-Hant-TW");
	choose(NULL, "de", I18N_ON, "GE", "de");
	choose(NULL, "da", I18N_ON, "DA", "da");
	choose(NULL, "nl", I18N_ON, "NL", "nl");
	choose(NULL, "es", I18N_ON, "SP", "es");
	choose(NULL, "it", I18N_ON, "IT", "it");
	choose(NULL, "cs", I18N_ON, "CZ", "cs");
	choose(NULL, "fi", I18N_ON, "FI", "fi");
	choose(NULL, "pl", I18N_ON, "PL", "pl");
	choose(NULL, "ru", I18N_ON, "RU", "ru");
	choose(NULL, "ja", I18N_ON, "JP", "ja");
	choose(NULL, "zh", I18N_ON, "CN", "zh");
	/* SO-Language off switches, whatever Accept-Language says */
	choose("*", "sv", I18N_OFF, NULL, NULL);
	choose("x", "sv", I18N_OFF, NULL, NULL);
	choose(" X ", NULL, I18N_OFF, NULL, NULL);
	/* unsupported SO-Language counts as absent */
	choose("tlh", "de", I18N_ON, "GE", "de");
	choose("klingon-junk!", NULL, I18N_NONE, NULL, NULL);
	/* q-values */
	choose(NULL, "fr;q=0.5, de;q=0.8, sv;q=0.7", I18N_ON, "GE", "de");
	choose(NULL, "tlh, xx;q=0.9, sv;q=0.1", I18N_ON, "SW", "sv");
	choose(NULL, "de;q=0.5, fr;q=0.5", I18N_ON, "GE", "de");
	choose(NULL, "de;q=0, fr;q=0.1", I18N_ON, "FR", "fr");
	choose(NULL, "de;q=0", I18N_NONE, NULL, NULL);
	choose(NULL, "de;q=2, fr;q=0.1", I18N_ON, "FR", "fr");
	choose(NULL, "de;quality=1;q=0.2, fr;q=0.1", I18N_ON, "GE", "de");
	choose(NULL, "de;junk, fr;q=0.1", I18N_ON, "FR", "fr");
	choose(NULL, "  da ; q = 0.9 ,, en-GB;q=0.8", I18N_ON, "DA", "da");
	choose(NULL, "en-US,en;q=0.9,nb;q=0.8", I18N_ON, "US", "en-US");
	choose(NULL, "*", I18N_NONE, NULL, NULL);
	choose(NULL, "*, sv;q=0.5", I18N_ON, "SW", "sv");
	choose(NULL, "swe, sv_SE, s", I18N_NONE, NULL, NULL);
	choose(NULL, "verylongtag-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd",
		I18N_NONE, NULL, NULL);
	choose(NULL, "sv-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd", I18N_ON, "SW",
		"sv");
	/* the ISO 639-1 code is matched case-insensitively, and only it */
	choose(NULL, "SV", I18N_ON, "SW", "sv");
	choose(NULL, "sve", I18N_NONE, NULL, NULL);
}

/* ---- resolve --------------------------------------------------------- */

struct res {
	const char *id;
	const char *prefix;
	const char *text;
};

static const struct res resources[] = {
	{ "SR_BATCH_EXPORT", "US", "Export" },
	{ "SR_BATCH_EXPORT", "SW", "Exportera" },
	{ "SR_ONLY_US", "US", "Only English" },
	{ "SR_NO_1", "NO", "Norsk [SR_BATCH_EXPORT]" },
};

static int lookups;

static const char *fake_lookup(void *ud, const char *id, size_t n,
		const char *prefix) {
	(void)ud;
	lookups++;
	for (size_t i = 0; i < sizeof(resources) / sizeof(resources[0]); i++) {
		if (strlen(resources[i].id) == n &&
				!memcmp(resources[i].id, id, n) &&
				!strcmp(resources[i].prefix, prefix)) {
			return resources[i].text;
		}
	}
	return NULL;
}

static void resolve(const char *prefix, const char *in, const char *want) {
	struct i18n_lang lang = { .tag = "x" };
	memcpy(lang.prefix, prefix, 3);
	bool oom = true;
	char *got = i18n_resolve(in, &lang, fake_lookup, NULL, &oom);
	tap_ok(!oom, "no oom for %s", in);
	if (!want) {
		tap_ok(!got, "  %s: %s unchanged (NULL)", prefix, in);
	} else {
		tap_str(got, want, "  %s: %s", prefix, in);
	}
	free(got);
}

static void test_resolve(void) {
	const char *sup = "US:\"Supplier\";NO:\"Leverand\xc3\xb8r\"";
	resolve("NO", sup, "Leverand\xc3\xb8r");
	resolve("US", sup, "Supplier");
	resolve("GE", sup, "Supplier");
	resolve("GE", "NO:\"Leverand\xc3\xb8r\";SW:\"Leverant\xc3\xb6r\"",
		"Leverand\xc3\xb8r");
	resolve("GE", "US:\"Location and size\";GE:\"Position und "
		"Gr\xc3\xb6\xc3\x9f" "e\";NO:\"Posisjon og st\xc3\xb8rrelse\"",
		"Position und Gr\xc3\xb6\xc3\x9f" "e");
	resolve("NO", "US:\"Legal\";NO:\"Lovlig\";", "Lovlig");
	resolve("NO", "  US : \"Legal\" ;  NO : \"Lovlig\" ; ", "Lovlig");
	resolve("US", "US:\"\";NO:\"x\"", "");
	/* quotes and semicolons inside values */
	resolve("US", "US:\"say \"\"hi\"\"; ok\";NO:\"x\"", "say \"hi\"; ok");
	resolve("US", "US:\"say \\\"hi\\\"\";NO:\"x\"", "say \"hi\"");
	resolve("US", "US:\"a\\\\b\"", "a\\b");
	resolve("US", "US:\"a\\nb\"", "a\\nb");
	resolve("NO", "US:\"a;NO:\"\"b\"\"\"", "a;NO:\"b\"");
	/* duplicate prefixes: the first wins */
	resolve("NO", "NO:\"one\";NO:\"two\"", "one");
	/* not multi-language as a whole: left as is */
	resolve("NO", "Supplier", NULL);
	resolve("NO", "US:\"Supplier\" trailing", NULL);
	resolve("NO", "US:\"Supplier\";;NO:\"x\"", NULL);
	resolve("NO", "US:\"unterminated", NULL);
	resolve("NO", "US:Supplier", NULL);
	resolve("NO", "Re:\"hello\"", NULL);
	resolve("NO", "us:\"Supplier\"", NULL);
	resolve("NO", "XX:\"Supplier\"", NULL);
	resolve("NO", "", NULL);
	resolve("NO", ";", NULL);
	/* resource references */
	resolve("SW", "[SR_BATCH_EXPORT]", "Exportera");
	resolve("GE", "[SR_BATCH_EXPORT]", "Export");
	resolve("SW", "Do [SR_BATCH_EXPORT] now: [SR_ONLY_US]!",
		"Do Exportera now: Only English!");
	resolve("SW", "[SR_MISSING] and [SR_BATCH_EXPORT]",
		"[SR_MISSING] and Exportera");
	resolve("SW", "[SR_MISSING]", NULL);
	resolve("SW", "[sr_batch_export] [SR_batch] [SR_] [SR_X", NULL);
	resolve("SW", "[[SR_BATCH_EXPORT]]", "[Exportera]");
	/* no recursion into resource text */
	resolve("NO", "[SR_NO_1]", "Norsk [SR_BATCH_EXPORT]");
	/* references inside the chosen multi-language value */
	resolve("SW", "US:\"[SR_BATCH_EXPORT] all\";NO:\"x\"",
		"Exportera all");
	bool oom = true;
	tap_ok(!i18n_resolve(NULL, NULL, fake_lookup, NULL, &oom) && !oom,
		"NULL string");
	char *got = i18n_resolve("[SR_BATCH_EXPORT]", NULL, fake_lookup, NULL,
		&oom);
	tap_str(got, "Export", "NULL lang means US");
	free(got);
	tap_ok(!i18n_resolve("[SR_BATCH_EXPORT]", NULL, NULL, NULL, &oom) &&
		!oom, "no lookup function");
	lookups = 0;
	got = i18n_resolve("[SR_MISSING]", NULL, fake_lookup, NULL, &oom);
	tap_ok(!got && lookups == 1, "US is looked up once for US");
	free(got);
}

/* ---- cultures -------------------------------------------------------- */

static void test_culture_valid(void) {
	static const char *good[] = {
		"en", "en-US", "en-us", "EN-GB", "nb-NO", "nb", "nn-NO", "no",
		"sv", "sv-SE", "de-DE", "de-AT", "fr-FR", "fr-CA", "da-DK",
		"nl-NL", "es-ES", "es-419", "it-IT", "cs-CZ", "fi-FI", "pl-PL",
		"ru-RU", "ja-JP", "zh-CN", "zh-Hans", "zh-Hant-TW", " de ",
	};
	static const char *bad[] = {
		"", "e", "eng", "en_US", "en-", "-en", "en-USA", "en-U1",
		"xx", "xx-XX", "tlh", "en-US-x", "en--US", "de-DE;q=1", "*",
		"en US", "en-1234", "zh-Hans-", "12", "en-12",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		tap_ok(i18n_culture_valid(good[i]), "culture '%s' valid",
			good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tap_ok(!i18n_culture_valid(bad[i]), "culture '%s' invalid",
			bad[i]);
	}
	tap_ok(!i18n_culture_valid(NULL), "culture NULL invalid");
}

static void culture(const char *c, const char *in, const char *want) {
	bool oom = true;
	char *got = i18n_apply_culture(in, c, &oom);
	tap_ok(!oom, "no oom");
	if (!want) {
		tap_ok(!got, "  %s: '%s' unchanged", c, in);
	} else {
		tap_str(got, want, "  %s: '%s'", c, in);
	}
	free(got);
}

static void test_culture_apply(void) {
	const char *s = "Due 2020-01-22, cost 12.50 (v1.2.3 at 10.0.0.1)";
	culture("en", s, "Due 1/22/2020, cost 12.50 (v1.2.3 at 10.0.0.1)");
	culture("sv", "2020-01-22 and 7", NULL);
	culture("en-US", s, "Due 1/22/2020, cost 12.50 (v1.2.3 at 10.0.0.1)");
	culture("en-GB", s, "Due 22/01/2020, cost 12.50 (v1.2.3 at 10.0.0.1)");
	culture("nb-NO", s, "Due 22.01.2020, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("de", s, "Due 22.01.2020, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("sv-SE", s, "Due 2020-01-22, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("fr", s, "Due 22/01/2020, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("fr-CA", s, "Due 2020-01-22, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("da", s, "Due 22-01-2020, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("nl", s, "Due 22-1-2020, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("fi", s, "Due 22.1.2020, cost 12,50 (v1.2.3 at 10.0.0.1)");
	culture("ja", s, "Due 2020/01/22, cost 12.50 (v1.2.3 at 10.0.0.1)");
	culture("zh", s, "Due 2020/1/22, cost 12.50 (v1.2.3 at 10.0.0.1)");
	culture("sv", "-3.5 and 0.25%", "-3,5 and 0,25%");
	culture("sv", "1,234.5", NULL);
	culture("de", "2020-02-30 and 2020-13-01", NULL);
	culture("de", "2020-02-29", "29.02.2020");
	culture("de", "1900-02-29", NULL);
	culture("de", "2020-01-22T17:54:08", NULL);
	culture("de", "x2020-01-22", NULL);
	culture("de", "2020-01-22.5", NULL);
	culture("de", "3.14abc and a3.14", NULL);
	culture("de", "no numbers", NULL);
	culture("de", "42", NULL);
	culture("de", "", NULL);
	culture("xx", "1.5", NULL);
	culture(NULL, "1.5", NULL);
	culture("de", "1.5", "1,5");
	culture("de", "(1.5)", "(1,5)");
	culture("de", "1.", NULL);
	culture("de", ".5", NULL);
	culture("de", "1.5-2.5", NULL);
}

int main(void) {
	test_choose();
	test_resolve();
	test_culture_valid();
	test_culture_apply();
	return tap_done();
}
