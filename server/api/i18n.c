#include "build-config.h"
#include "i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "number.h"
#include "strbuf.h"

/* Output strings never grow past this; more is treated as failure. */
#define RESOLVE_MAX ((size_t)16 << 20)

struct iso_prefix {
	const char *iso;
	const char *prefix;
};

/* ISO language code -> SuperOffice's legacy two-letter language prefix */
static const struct iso_prefix iso_prefixes[] = {
	{ "cs", "CZ" }, { "da", "DA" }, { "de", "GE" }, { "en", "US" },
	{ "es", "SP" }, { "fi", "FI" }, { "fr", "FR" }, { "it", "IT" },
	{ "ja", "JP" }, { "nb", "NO" }, { "nl", "NL" }, { "nn", "NO" },
	{ "no", "NO" }, { "pl", "PL" }, { "ru", "RU" }, { "sv", "SW" },
	{ "zh", "CN" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool is_alpha(char c) {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c) {
	return c >= '0' && c <= '9';
}

static char ascii_upper(char c) {
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* ISO 639-1 code -> SuperOffice prefix ("sv" -> "SW"); NULL if none. */
static const char *prefix_for_iso(const char *iso, size_t n) {
	if (!iso || n != 2) {
		return NULL;
	}
	for (size_t i = 0; i < COUNT(iso_prefixes); i++) {
		if (ascii_casecmp_n(iso, n, iso_prefixes[i].iso)) {
			return iso_prefixes[i].prefix;
		}
	}
	return NULL;
}

/*
 * RFC 4647 §2.1 language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*".
 * Only the first form can name a language.
 */
static bool range_wellformed(const char *s, size_t n) {
	size_t i = 0;
	while (i < n && is_alpha(s[i])) {
		i++;
	}
	if (i == 0 || i > 8) {
		return false;
	}
	while (i < n) {
		if (s[i] != '-') {
			return false;
		}
		size_t start = ++i;
		while (i < n && (is_alpha(s[i]) || is_digit(s[i]))) {
			i++;
		}
		if (i == start || i - start > 8) {
			return false;
		}
	}
	return true;
}

/*
 * Store @s as the applied tag in canonical BCP 47 case (RFC 5646 §2.1.1):
 * primary subtag lower, 2-letter region upper, 4-letter script title,
 * everything else lower. "NB-no" -> "nb-NO", "zh-hant-tw" -> "zh-Hant-TW".
 * A tag too long for the buffer is cut to its primary subtag.
 */
static void store_tag(struct i18n_lang *out, const char *s, size_t n) {
	if (n >= sizeof(out->tag)) {
		n = 0;
		while (s[n] != '-') {
			n++;
		}
	}
	size_t sub_start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '-') {
			continue;
		}
		size_t len = i - sub_start;
		for (size_t k = sub_start; k < i; k++) {
			char c = ascii_lower(s[k]);
			if (sub_start > 0 && len == 2) {
				c = ascii_upper(c);
			} else if (sub_start > 0 && len == 4 && k == sub_start) {
				c = ascii_upper(c);
			}
			out->tag[k] = c;
		}
		if (i < n) {
			out->tag[i] = '-';
		}
		sub_start = i + 1;
	}
	out->tag[n] = '\0';
}

/* The SuperOffice prefix for a language range, or NULL. */
static const char *range_prefix(const char *s, size_t n) {
	if (!range_wellformed(s, n)) {
		return NULL;
	}
	size_t primary = 0;
	while (primary < n && s[primary] != '-') {
		primary++;
	}
	return prefix_for_iso(s, primary);
}

/*
 * Parse one list element "range *( OWS ; OWS param )"; gives the range
 * slice and its weight. false when malformed (the element is skipped).
 */
static bool parse_element(const char *s, size_t n, const char **range,
		size_t *range_len, int *q) {
	size_t semi = 0;
	while (semi < n && s[semi] != ';') {
		semi++;
	}
	*range = s;
	*range_len = semi;
	trim_slice(range, range_len);
	*q = 1000;
	bool have_q = false;
	size_t i = semi;
	while (i < n) {
		size_t start = ++i;
		while (i < n && s[i] != ';') {
			i++;
		}
		const char *p = s + start;
		size_t pn = i - start;
		trim_slice(&p, &pn);
		if (!pn) {
			continue;
		}
		size_t eq = 0;
		while (eq < pn && p[eq] != '=') {
			eq++;
		}
		const char *name = p;
		size_t name_len = eq;
		trim_slice(&name, &name_len);
		if (eq == pn || !name_len) {
			return false;
		}
		if (name_len != 1 || ascii_lower(name[0]) != 'q') {
			continue;       /* other parameters are ignored */
		}
		const char *v = p + eq + 1;
		size_t vn = pn - eq - 1;
		trim_slice(&v, &vn);
		if (have_q || !parse_qvalue(v, vn, q)) {
			return false;
		}
		have_q = true;
	}
	return *range_len > 0;
}

/*
 * The best language in an Accept-Language-style list (RFC 9110 §12.5.4):
 * the highest weight among ranges that map to a prefix, ties to the
 * earlier one; q=0 never chosen. SO-Language goes through here too, so a
 * list there is tolerated.
 */
static bool choose_from_list(const char *s, struct i18n_lang *out) {
	size_t n = strlen(s);
	const char *best = NULL;
	size_t best_len = 0;
	const char *best_prefix = NULL;
	int best_q = 0;
	size_t i = 0;
	while (i < n) {
		size_t start = i;
		while (i < n && s[i] != ',') {
			i++;
		}
		const char *range = NULL;
		size_t range_len = 0;
		int q = 0;
		if (parse_element(s + start, i - start, &range, &range_len, &q)) {
			const char *prefix = range_prefix(range, range_len);
			if (prefix && q > best_q) {
				best = range;
				best_len = range_len;
				best_prefix = prefix;
				best_q = q;
			}
		}
		i++;
	}
	if (!best) {
		return false;
	}
	memcpy(out->prefix, best_prefix, 3);
	store_tag(out, best, best_len);
	return true;
}

static bool is_off_value(const char *s) {
	const char *p = s;
	size_t n = strlen(s);
	trim_slice(&p, &n);
	return n == 1 && (p[0] == '*' || p[0] == 'x' || p[0] == 'X');
}

enum i18n_mode i18n_choose(const char *so_language,
		const char *accept_language, struct i18n_lang *out) {
	struct i18n_lang tmp;
	if (so_language) {
		/* SO-Language "*" or "x" turns translation off */
		if (is_off_value(so_language)) {
			return I18N_OFF;
		}
		if (choose_from_list(so_language, &tmp)) {
			*out = tmp;
			return I18N_ON;
		}
	}
	/* a "*" range maps to no prefix: "Accept-Language: *" is absent */
	if (accept_language && choose_from_list(accept_language, &tmp)) {
		*out = tmp;
		return I18N_ON;
	}
	return I18N_NONE;
}

/* ---- multi-language values ---------------------------------------- */

/* One PREFIX:"value" item found by parse_multi(). */
struct ml_item {
	const char *prefix;     /* 2 bytes */
	const char *body;       /* between the quotes, still escaped */
	size_t body_len;
};

static void skip_space(const char *s, size_t n, size_t *i) {
	while (*i < n && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\r' ||
			s[*i] == '\n')) {
		(*i)++;
	}
}

/*
 * Find the end of a quoted value starting after its opening quote. Inside,
 * `""` and `\"` are an escaped quote and `\\` a backslash; a quote
 * followed by anything else closes the value. Returns the index of the
 * closing quote, or n when there is none.
 */
static size_t quoted_end(const char *s, size_t n, size_t i) {
	while (i < n) {
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' ||
				s[i + 1] == '\\')) {
			i += 2;
		} else if (s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
			i += 2;
		} else if (s[i] == '"') {
			return i;
		} else {
			i++;
		}
	}
	return n;
}

/*
 * One of the fifteen SuperOffice prefixes, upper case as SuperOffice
 * writes them: "Re:\"x\"" or "no:\"x\"" is plain text.
 */
static bool known_prefix(const char *p) {
	for (size_t i = 0; i < COUNT(iso_prefixes); i++) {
		if (p[0] == iso_prefixes[i].prefix[0] &&
				p[1] == iso_prefixes[i].prefix[1]) {
			return true;
		}
	}
	return false;
}

/*
 * Parse the whole of @s as  item *( ";" item ) [ ";" ]  where
 * item = PREFIX ":" quoted, whitespace allowed around every token.
 * Sets @chosen to the item for @want, else US, else the first; false
 * when @s is not a multi-language value as a whole.
 */
static bool parse_multi(const char *s, size_t n, const char *want,
		struct ml_item *chosen) {
	bool have_want = false;
	bool have_us = false;
	bool have_any = false;
	struct ml_item us = { 0 };
	size_t i = 0;
	skip_space(s, n, &i);
	while (i < n) {
		if (n - i < 3 || !known_prefix(s + i)) {
			return false;
		}
		struct ml_item item = { .prefix = s + i };
		i += 2;
		skip_space(s, n, &i);
		if (i >= n || s[i] != ':') {
			return false;
		}
		i++;
		skip_space(s, n, &i);
		if (i >= n || s[i] != '"') {
			return false;
		}
		i++;
		size_t end = quoted_end(s, n, i);
		if (end >= n) {
			return false;
		}
		item.body = s + i;
		item.body_len = end - i;
		i = end + 1;
		skip_space(s, n, &i);
		if (i < n) {
			if (s[i] != ';') {
				return false;
			}
			i++;
			skip_space(s, n, &i);
		}
		if (!have_any) {
			*chosen = item;
			have_any = true;
		}
		if (!have_want && want &&
				ascii_casecmp_n(item.prefix, 2, want)) {
			have_want = true;
			*chosen = item;
		}
		if (!have_us && ascii_casecmp_n(item.prefix, 2, "US")) {
			have_us = true;
			us = item;
		}
	}
	if (!have_any) {
		return false;
	}
	if (!have_want && have_us) {
		*chosen = us;
	}
	return true;
}

/* Append an item's body with its escapes undone. */
static void unescape_body(struct strbuf *out, const char *s, size_t n) {
	size_t i = 0;
	while (i < n) {
		if ((s[i] == '\\' || s[i] == '"') && i + 1 < n &&
				(s[i + 1] == '"' || (s[i] == '\\' &&
				s[i + 1] == '\\'))) {
			strbuf_putc(out, s[i + 1]);
			i += 2;
			continue;
		}
		strbuf_putc(out, s[i]);
		i++;
	}
}

static bool is_sr_char(char c) {
	return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

/*
 * Length of the [SR_ID] reference at s[0] ('['), brackets included, or 0
 * when there is none.
 */
static size_t sr_ref_len(const char *s, size_t n) {
	if (n < 6 || memcmp(s, "[SR_", 4)) {
		return 0;
	}
	size_t i = 4;
	while (i < n && is_sr_char(s[i])) {
		i++;
	}
	if (i == 4 || i >= n || s[i] != ']') {
		return 0;
	}
	return i + 1;
}

/*
 * Append @s with its references replaced. Returns whether anything was
 * replaced.
 */
static bool replace_refs(struct strbuf *out, const char *s, size_t n,
		const char *prefix, i18n_resource_fn lookup, void *ud) {
	bool changed = false;
	size_t plain = 0;
	size_t i = 0;
	while (i < n) {
		size_t len = s[i] == '[' ? sr_ref_len(s + i, n - i) : 0;
		if (!len) {
			i++;
			continue;
		}
		const char *id = s + i + 1;
		size_t id_len = len - 2;
		const char *text = lookup ? lookup(ud, id, id_len, prefix) : NULL;
		if (!text && lookup && strcmp(prefix, "US")) {
			text = lookup(ud, id, id_len, "US");
		}
		if (text) {
			strbuf_append(out, s + plain, i - plain);
			strbuf_puts(out, text);
			plain = i + len;
			changed = true;
		}
		i += len;
	}
	strbuf_append(out, s + plain, n - plain);
	return changed;
}

char *i18n_resolve(const char *s, const struct i18n_lang *lang,
		i18n_resource_fn lookup, void *ud, bool *oom) {
	char *result = NULL;
	struct strbuf text;
	struct strbuf out;
	strbuf_init(&text, RESOLVE_MAX);
	strbuf_init(&out, RESOLVE_MAX);
	*oom = false;
	if (!s) {
		goto out;
	}
	const char *prefix = lang && lang->prefix[0] ? lang->prefix : "US";
	size_t n = strlen(s);
	bool changed = false;
	struct ml_item item = { 0 };
	if (parse_multi(s, n, prefix, &item)) {
		unescape_body(&text, item.body, item.body_len);
		s = text.data ? text.data : "";
		n = text.len;
		changed = true;
	}
	if (!strbuf_ok(&text)) {
		*oom = true;
		goto out;
	}
	if (replace_refs(&out, s, n, prefix, lookup, ud)) {
		changed = true;
	}
	if (!strbuf_ok(&out)) {
		*oom = true;
		goto out;
	}
	if (changed) {
		result = strbuf_detach(&out, NULL);
	}
out:
	strbuf_finish(&text);
	strbuf_finish(&out);
	return result;
}

/* ---- cultures ------------------------------------------------------- */

/*
 * Short date pattern and decimal separator per culture, after .NET
 * Framework's culture data (docs/languages.md). A row with a region
 * applies to that region only; the region-less row of the same language
 * is the default for every other region.
 */
struct culture_fmt {
	const char *tag;        /* "en", "en-GB" (lower/upper as canonical) */
	const char *date;       /* d, dd, M, MM, yyyy and literal separators */
	char decimal;
};

static const struct culture_fmt cultures[] = {
	{ "cs", "dd.MM.yyyy", ',' },
	{ "da", "dd-MM-yyyy", ',' },
	{ "de", "dd.MM.yyyy", ',' },
	{ "en", "M/d/yyyy", '.' },
	{ "en-AU", "d/MM/yyyy", '.' },
	{ "en-GB", "dd/MM/yyyy", '.' },
	{ "en-IE", "dd/MM/yyyy", '.' },
	{ "en-NZ", "d/MM/yyyy", '.' },
	{ "es", "dd/MM/yyyy", ',' },
	{ "fi", "d.M.yyyy", ',' },
	{ "fr", "dd/MM/yyyy", ',' },
	{ "fr-CA", "yyyy-MM-dd", ',' },
	{ "it", "dd/MM/yyyy", ',' },
	{ "ja", "yyyy/MM/dd", '.' },
	{ "nb", "dd.MM.yyyy", ',' },
	{ "nl", "d-M-yyyy", ',' },
	{ "nn", "dd.MM.yyyy", ',' },
	{ "no", "dd.MM.yyyy", ',' },
	{ "pl", "dd.MM.yyyy", ',' },
	{ "ru", "dd.MM.yyyy", ',' },
	{ "sv", "yyyy-MM-dd", ',' },
	{ "zh", "yyyy/M/d", '.' },
};

/*
 * Split a culture name into language (2 letters) and an optional region
 * (2 letters or 3 digits), with an optional 4-letter script between them
 * (RFC 5646 §2.1: language ["-" script] ["-" region]). false on anything
 * else or an unsupported language.
 */
static bool culture_split(const char *s, size_t n, const char **region,
		size_t *region_len) {
	*region = NULL;
	*region_len = 0;
	if (n < 2 || !is_alpha(s[0]) || !is_alpha(s[1]) ||
			!prefix_for_iso(s, 2)) {
		return false;
	}
	size_t i = 2;
	if (i == n) {
		return true;
	}
	if (s[i] != '-') {
		return false;
	}
	i++;
	size_t start = i;
	while (i < n && s[i] != '-') {
		i++;
	}
	size_t len = i - start;
	bool alpha = true;
	bool digit = true;
	for (size_t k = start; k < i; k++) {
		alpha = alpha && is_alpha(s[k]);
		digit = digit && is_digit(s[k]);
	}
	if (len == 4 && alpha) {
		if (i == n) {
			return true;
		}
		i++;
		start = i;
		while (i < n && s[i] != '-') {
			i++;
		}
		len = i - start;
		alpha = true;
		digit = true;
		for (size_t k = start; k < i; k++) {
			alpha = alpha && is_alpha(s[k]);
			digit = digit && is_digit(s[k]);
		}
	}
	if (i != n || !((len == 2 && alpha) || (len == 3 && digit))) {
		return false;
	}
	*region = s + start;
	*region_len = len;
	return true;
}

/* A SO-Culture value, trimmed and split; false when it is no culture. */
static bool culture_parse(const char *culture, const char **s,
		const char **region, size_t *region_len) {
	if (!culture) {
		return false;
	}
	size_t n = strlen(culture);
	*s = culture;
	trim_slice(s, &n);
	*region = NULL;
	*region_len = 0;
	return culture_split(*s, n, region, region_len);
}

bool i18n_culture_valid(const char *culture) {
	const char *s, *region;
	size_t region_len;
	return culture_parse(culture, &s, &region, &region_len);
}

static const struct culture_fmt *culture_find(const char *culture) {
	const char *s, *region;
	size_t region_len;
	if (!culture_parse(culture, &s, &region, &region_len)) {
		return NULL;
	}
	const struct culture_fmt *lang = NULL;
	for (size_t i = 0; i < COUNT(cultures); i++) {
		const char *t = cultures[i].tag;
		if (ascii_lower(t[0]) != ascii_lower(s[0]) ||
				ascii_lower(t[1]) != ascii_lower(s[1])) {
			continue;
		}
		if (!t[2]) {
			lang = &cultures[i];
		} else if (region && ascii_casecmp_n(region, region_len, t + 3)) {
			return &cultures[i];
		}
	}
	return lang;
}

static bool is_alnum(char c) {
	return is_alpha(c) || is_digit(c);
}

static bool all_digits(const char *s, size_t n) {
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			return false;
		}
	}
	return true;
}

static unsigned two_digits(const char *s) {
	return (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
}

static bool valid_date(unsigned y, unsigned m, unsigned d) {
	static const unsigned char mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) {
		return false;
	}
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m != 2 || d < 29 || leap;
}

/*
 * An ISO date yyyy-MM-dd at s[i] that stands alone: no letter, digit, '-'
 * or '.' right before or after it (so "2020-01-22T17:54" and "1-2020-01-01"
 * are left alone).
 */
static bool iso_date_at(const char *s, size_t n, size_t i, unsigned *y,
		unsigned *m, unsigned *d) {
	if (n - i < 10 || (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '-' ||
			s[i - 1] == '.'))) {
		return false;
	}
	const char *p = s + i;
	if (!all_digits(p, 4) || p[4] != '-' || !all_digits(p + 5, 2) ||
			p[7] != '-' || !all_digits(p + 8, 2)) {
		return false;
	}
	if (n - i > 10 && (is_alnum(p[10]) || p[10] == '-' ||
			(p[10] == '.' && n - i > 11 && is_digit(p[11])))) {
		return false;
	}
	*y = two_digits(p) * 100 + two_digits(p + 2);
	*m = two_digits(p + 5);
	*d = two_digits(p + 8);
	return valid_date(*y, *m, *d);
}

static void put_date(struct strbuf *out, const char *pat, unsigned y,
		unsigned m, unsigned d) {
	for (const char *p = pat; *p;) {
		if (!strncmp(p, "yyyy", 4)) {
			strbuf_printf(out, "%04u", y);
			p += 4;
		} else if (!strncmp(p, "MM", 2)) {
			strbuf_printf(out, "%02u", m);
			p += 2;
		} else if (!strncmp(p, "dd", 2)) {
			strbuf_printf(out, "%02u", d);
			p += 2;
		} else if (*p == 'M') {
			strbuf_printf(out, "%u", m);
			p++;
		} else if (*p == 'd') {
			strbuf_printf(out, "%u", d);
			p++;
		} else {
			strbuf_putc(out, *p);
			p++;
		}
	}
}

/*
 * A plain decimal number digits "." digits at s[i]: not part of a word,
 * a longer dotted sequence (versions, addresses) or a date. Returns the
 * offset of its '.' from i, or 0.
 */
static size_t decimal_at(const char *s, size_t n, size_t i) {
	if (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '.' ||
			s[i - 1] == ',' || (s[i - 1] == '-' && i > 1 &&
			is_digit(s[i - 2])))) {
		return 0;
	}
	size_t k = i;
	while (k < n && is_digit(s[k])) {
		k++;
	}
	if (k == i || k >= n || s[k] != '.') {
		return 0;
	}
	size_t dot = k++;
	size_t frac = k;
	while (k < n && is_digit(s[k])) {
		k++;
	}
	if (k == frac) {
		return 0;
	}
	if (k < n && (is_alpha(s[k]) || s[k] == '_' || s[k] == ',' ||
			((s[k] == '.' || s[k] == '-') && k + 1 < n &&
			is_digit(s[k + 1])))) {
		return 0;
	}
	return dot - i;
}

char *i18n_apply_culture(const char *s, const char *culture, bool *oom) {
	*oom = false;
	const struct culture_fmt *fmt = culture_find(culture);
	if (!s || !fmt) {
		return NULL;
	}
	bool iso_dates = !strcmp(fmt->date, "yyyy-MM-dd");
	if (iso_dates && fmt->decimal == '.') {
		return NULL;
	}
	struct strbuf out;
	strbuf_init(&out, RESOLVE_MAX);
	size_t n = strlen(s);
	size_t plain = 0;
	bool changed = false;
	size_t i = 0;
	while (i < n) {
		unsigned y = 0;
		unsigned m = 0;
		unsigned d = 0;
		if (!is_digit(s[i])) {
			i++;
			continue;
		}
		if (iso_date_at(s, n, i, &y, &m, &d)) {
			if (!iso_dates) {
				strbuf_append(&out, s + plain, i - plain);
				put_date(&out, fmt->date, y, m, d);
				plain = i + 10;
				changed = true;
			}
			i += 10;
			continue;
		}
		size_t dot = decimal_at(s, n, i);
		if (dot && fmt->decimal != '.') {
			strbuf_append(&out, s + plain, i + dot - plain);
			strbuf_putc(&out, fmt->decimal);
			plain = i + dot + 1;
			changed = true;
		}
		/* skip the rest of this run of digits and dots */
		while (i < n && (is_digit(s[i]) || s[i] == '.')) {
			i++;
		}
	}
	strbuf_append(&out, s + plain, n - plain);
	char *result = NULL;
	if (!strbuf_ok(&out)) {
		*oom = true;
	} else if (changed) {
		result = strbuf_detach(&out, NULL);
	}
	strbuf_finish(&out);
	return result;
}

#undef COUNT
