/*
 * server/api/i18n.h: SuperOffice languages. Chooses the language from
 * SO-Language / Accept-Language, resolves multi-language values
 * (US:"Supplier";NO:"Leverandør") and [SR_ID] resource references, and
 * validates SO-Culture. No state of its own; thread-safe.
 */
#ifndef SERVER_I18N_H
#define SERVER_I18N_H

#include <stdbool.h>
#include <stddef.h>

enum i18n_mode {
	I18N_NONE = 0,  /* no usable language header: strings as stored */
	I18N_OFF,       /* '*' or 'x': translation explicitly off */
	I18N_ON,        /* a language is in force */
};

struct i18n_lang {
	char prefix[3];  /* SuperOffice prefix: "US", "NO", "GE", "SW", ... */
	/*
	 * The language range that won, as sent but in canonical BCP 47 case
	 * (RFC 5646 §2.1.1: "sv", "nb-NO", "en-GB", "zh-Hant-TW"), for
	 * Content-Language. Cut to the primary subtag if it does not fit.
	 */
	char tag[36];
};

/*
 * Decide the language: @so_language (may be NULL) overrides
 * @accept_language (may be NULL; q-values honoured). Region subtags map by
 * their primary subtag (nb-NO -> NO, en-GB -> US). A header naming no
 * supported language counts as absent. Fills @out when I18N_ON.
 *
 * Both headers are read as RFC 9110 §12.5.4 lists: the highest-q range
 * whose primary subtag maps wins, ties to the earlier, q=0 never, a
 * malformed element (bad q, "sv_SE") is skipped. SO-Language "*" or "x"
 * (alone, any case) gives I18N_OFF; "*" in Accept-Language maps to no
 * language, so "Accept-Language: *" alone is I18N_NONE. Cannot fail.
 */
enum i18n_mode i18n_choose(const char *so_language,
	const char *accept_language, struct i18n_lang *out);

/*
 * Look a resource up: returns the text of @id (e.g. "SR_BATCH_EXPORT",
 * without brackets; not NUL-terminated, @n bytes) in language @prefix, or
 * NULL. The result is borrowed until the next call on the same @ud.
 */
typedef const char *(*i18n_resource_fn)(void *ud, const char *id, size_t n,
	const char *prefix);

/*
 * Resolve @s for @lang: a multi-language value becomes the text for
 * lang->prefix, else US, else the first value; every [SR_ID] is replaced
 * by its resource in that language, else US, else left as written.
 * Returns an owned string, or NULL when nothing changed (use @s) or on
 * allocation failure (*oom set true).
 */
char *i18n_resolve(const char *s, const struct i18n_lang *lang,
	i18n_resource_fn lookup, void *ud, bool *oom);

/*
 * SO-Culture: true when @culture is a culture tag somock knows: a
 * supported ISO 639-1 language, optionally "-Script" (4 letters) and
 * "-RR" (2 letters) or "-NNN" (3 digits), ASCII case-insensitive,
 * surrounding spaces ignored ("en", "nb-NO", "zh-Hant-TW", "es-419").
 */
bool i18n_culture_valid(const char *culture);

/*
 * SO-Culture applied to a translated string (it only affects numbers and
 * dates inside strings): every stand-alone ISO date yyyy-MM-dd
 * becomes the culture's short date, and every plain decimal number
 * ("12.50", not "1.2.3", "10.0.0.1" or "v1.5") gets the culture's decimal
 * separator. Table in docs/languages.md. Returns an owned string, or NULL
 * when nothing changed or @culture is not valid (use @s) or on allocation
 * failure (*oom set true). Thread-safe.
 */
char *i18n_apply_culture(const char *s, const char *culture, bool *oom);

#endif
