#include "build-config.h"
#include "negotiate.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "number.h"

/*
 * One left-to-right pass over the header: every byte is looked at a bounded
 * number of times, so 10 000 ranges cost 10 000 times one range and nothing
 * is allocated. For each of the six types we keep the quality of the most
 * specific range seen so far (RFC 9110 §12.5.1: "media ranges can be
 * overridden by more specific media ranges or specific media types").
 */

struct media_name {
	const char *type;
	const char *subtype;
};

/* In enum order (negotiate.h). */
static const struct media_name media_names[MEDIA_COUNT] = {
	{ "application", "json" },
	{ "text", "json" },
	{ "application", "xml" },
	{ "text", "xml" },
	{ "application", "json-patch+json" },
	{ "application", "merge-patch+json" },
};

/* How specific a range is: it overrides every less specific one. */
enum specificity {
	SPEC_NONE = -1,
	SPEC_ANY = 0,           /* star-slash-star */
	SPEC_TYPE = 1,          /* type/star */
	SPEC_EXACT = 2,         /* type/subtype */
};

bool media_type_is_xml(enum media_type type) {
	return type == MEDIA_XML || type == MEDIA_TEXT_XML;
}

/* RFC 9110 §5.6.2: tchar */
static bool is_tchar(char c) {
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9')) {
		return true;
	}
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return true;
	default:
		return false;
	}
}

/* A cursor over the header bytes. */
struct cursor {
	const char *s;
	size_t n;
	size_t i;
};

static bool at_end(const struct cursor *c) {
	return c->i >= c->n;
}

static char peek(const struct cursor *c) {
	return at_end(c) ? '\0' : c->s[c->i];
}

/* RFC 9110 §5.6.3: OWS = *( SP / HTAB ) */
static void skip_ows(struct cursor *c) {
	while (!at_end(c) && ascii_isspace(c->s[c->i])) {
		c->i++;
	}
}

/* Read a token; false (cursor unmoved) when there is none. */
static bool read_token(struct cursor *c, const char **tok, size_t *len) {
	size_t start = c->i;
	while (!at_end(c) && is_tchar(c->s[c->i])) {
		c->i++;
	}
	*tok = c->s + start;
	*len = c->i - start;
	return *len > 0;
}

/*
 * RFC 9110 §5.6.4: quoted-string, with quoted-pair. The cursor is on the
 * opening quote. false when it is not terminated.
 */
static bool skip_quoted(struct cursor *c) {
	c->i++;
	while (!at_end(c)) {
		char ch = c->s[c->i++];
		if (ch == '"') {
			return true;
		}
		if (ch == '\\') {
			if (at_end(c)) {
				return false;
			}
			c->i++;
		}
	}
	return false;
}

/*
 * Skip the rest of a malformed element up to (not past) the next comma
 * outside a quoted string: a broken range costs only itself.
 */
static void skip_element(struct cursor *c) {
	while (!at_end(c) && c->s[c->i] != ',') {
		if (c->s[c->i] == '"') {
			if (!skip_quoted(c)) {
				return;
			}
			continue;
		}
		c->i++;
	}
}

/*
 * Parameters after the subtype: *( OWS ";" OWS [ parameter ] ). Only "q"
 * (case-insensitive, RFC 9110 §12.4.2) means anything here; others such as
 * charset=utf-8 are checked for syntax and ignored. Whitespace around "="
 * is tolerated although the grammar has none, as ASP.NET's parser does.
 * false when the element is malformed; the cursor then stops inside it.
 */
static bool read_params(struct cursor *c, int *q) {
	bool have_q = false;
	for (;;) {
		skip_ows(c);
		if (at_end(c) || peek(c) == ',') {
			return true;
		}
		if (peek(c) != ';') {
			return false;
		}
		c->i++;
		skip_ows(c);
		if (at_end(c) || peek(c) == ',' || peek(c) == ';') {
			continue;       /* empty parameter, e.g. "text/xml;" */
		}
		const char *name = NULL;
		size_t name_len = 0;
		if (!read_token(c, &name, &name_len)) {
			return false;
		}
		skip_ows(c);
		if (peek(c) != '=') {
			return false;
		}
		c->i++;
		skip_ows(c);
		const char *val = c->s + c->i;
		size_t val_len = 0;
		if (peek(c) == '"') {
			if (!skip_quoted(c)) {
				return false;
			}
			val_len = (size_t)(c->s + c->i - val);
		} else if (!read_token(c, &val, &val_len)) {
			return false;
		}
		if (name_len == 1 && ascii_lower(name[0]) == 'q') {
			/* a second weight makes the element ambiguous */
			if (have_q || !parse_qvalue(val, val_len, q)) {
				return false;
			}
			have_q = true;
		}
	}
}

/* Fold one well-formed range into the per-type best values. */
static void apply_range(const char *type, size_t tn, const char *sub,
		size_t sn, int q, int best_spec[], int best_q[]) {
	bool type_any = tn == 1 && type[0] == '*';
	bool sub_any = sn == 1 && sub[0] == '*';
	for (int m = 0; m < MEDIA_COUNT; m++) {
		int spec = 0;
		if (type_any) {
			spec = SPEC_ANY;
		} else if (!ascii_casecmp_n(type, tn, media_names[m].type)) {
			continue;
		} else if (sub_any) {
			spec = SPEC_TYPE;
		} else if (ascii_casecmp_n(sub, sn, media_names[m].subtype)) {
			spec = SPEC_EXACT;
		} else {
			continue;
		}
		/*
		 * A more specific range overrides; among equally specific
		 * ranges for the same type the highest weight counts (the order
		 * ASP.NET sorts ranges in before matching).
		 */
		if (spec > best_spec[m] ||
				(spec == best_spec[m] && q > best_q[m])) {
			best_spec[m] = spec;
			best_q[m] = q;
		}
	}
}

/*
 * One element: media-range = ( "*" "/" "*" / type "/" "*" / type "/"
 * subtype ) parameters (RFC 9110 §12.5.1). false when malformed.
 */
static bool read_range(struct cursor *c, int best_spec[], int best_q[]) {
	const char *type = NULL;
	const char *sub = NULL;
	size_t tn = 0;
	size_t sn = 0;
	if (!read_token(c, &type, &tn) || peek(c) != '/') {
		return false;
	}
	c->i++;
	if (!read_token(c, &sub, &sn)) {
		return false;
	}
	/* "*" is a tchar: reject "a*", and a wildcard type before a subtype */
	bool type_star = tn == 1 && type[0] == '*';
	bool sub_star = sn == 1 && sub[0] == '*';
	for (size_t k = 0; k < tn; k++) {
		if (type[k] == '*' && !type_star) {
			return false;
		}
	}
	for (size_t k = 0; k < sn; k++) {
		if (sub[k] == '*' && !sub_star) {
			return false;
		}
	}
	if (type_star && !sub_star) {
		return false;
	}
	int q = 1000;   /* RFC 9110 §12.4.2: default weight is 1 */
	if (!read_params(c, &q)) {
		return false;
	}
	apply_range(type, tn, sub, sn, q, best_spec, best_q);
	return true;
}

enum media_type negotiate_accept(const char *accept, size_t n) {
	if (!accept) {
		return MEDIA_JSON;
	}
	int best_spec[MEDIA_COUNT];
	int best_q[MEDIA_COUNT];
	for (int m = 0; m < MEDIA_COUNT; m++) {
		best_spec[m] = SPEC_NONE;
		best_q[m] = 0;
	}
	struct cursor c = { .s = accept, .n = n, .i = 0 };
	while (!at_end(&c)) {
		/* RFC 9110 §5.6.1: empty list elements are ignored */
		skip_ows(&c);
		if (peek(&c) == ',') {
			c.i++;
			continue;
		}
		if (at_end(&c)) {
			break;
		}
		size_t before = c.i;
		if (!read_range(&c, best_spec, best_q)) {
			skip_element(&c);
		}
		if (c.i == before) {
			c.i++;  /* cannot happen, but never loop in place */
		}
	}
	/* RFC 9110 §12.4.2: q=0 means "not acceptable" */
	enum media_type best = MEDIA_JSON;
	int top = 0;
	for (int m = 0; m < MEDIA_COUNT; m++) {
		if (best_spec[m] != SPEC_NONE && best_q[m] > top) {
			top = best_q[m];
			best = (enum media_type)m;
		}
	}
	return best;
}

/*
 * RFC 9110 §12.5.3: Accept-Encoding = #( codings [ weight ] ). A coding
 * not listed is not acceptable unless "*" covers it; an explicit entry
 * wins over "*".
 */
bool negotiate_gzip(const char *accept_encoding) {
	if (!accept_encoding) {
		return false;
	}
	struct cursor c = { accept_encoding, strlen(accept_encoding), 0 };
	int gzip_q = -1, star_q = -1;
	while (!at_end(&c)) {
		skip_ows(&c);
		const char *tok;
		size_t len;
		int q = 1000;
		if (!read_token(&c, &tok, &len) || !read_params(&c, &q)) {
			skip_element(&c);
		} else if (ascii_casecmp_n(tok, len, "gzip") ||
				ascii_casecmp_n(tok, len, "x-gzip")) {
			gzip_q = q > gzip_q ? q : gzip_q;
		} else if (len == 1 && tok[0] == '*') {
			star_q = q;
		}
		while (!at_end(&c) && peek(&c) != ',') {
			c.i++;
		}
		if (!at_end(&c)) {
			c.i++;
		}
	}
	return gzip_q >= 0 ? gzip_q > 0 : star_q > 0;
}
