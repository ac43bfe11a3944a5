#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include "negotiate.h"
#include "strbuf.h"
#include "tap.h"

static enum media_type neg(const char *accept) {
	return negotiate_accept(accept, accept ? strlen(accept) : 0);
}

/* The types by name, so a failure says which one came back. */
static const char *name(enum media_type type) {
	static const char *const names[MEDIA_COUNT] = {
		[MEDIA_JSON] = "application/json",
		[MEDIA_TEXT_JSON] = "text/json",
		[MEDIA_XML] = "application/xml",
		[MEDIA_TEXT_XML] = "text/xml",
		[MEDIA_JSON_PATCH] = "application/json-patch+json",
		[MEDIA_MERGE_PATCH] = "application/merge-patch+json",
	};
	return (unsigned)type < MEDIA_COUNT ? names[type] : "(out of range)";
}

static void expect(const char *accept, enum media_type want) {
	enum media_type got = neg(accept);
	tap_str(name(got), name(want), "Accept: %s",
		accept ? accept : "(none)");
}

static void test_names(void) {
	tap_ok(media_type_is_xml(MEDIA_XML) && media_type_is_xml(MEDIA_TEXT_XML),
		"xml family");
	tap_ok(!media_type_is_xml(MEDIA_JSON) &&
		!media_type_is_xml(MEDIA_TEXT_JSON) &&
		!media_type_is_xml(MEDIA_JSON_PATCH) &&
		!media_type_is_xml(MEDIA_MERGE_PATCH), "json family");
}

static void test_basic(void) {
	expect(NULL, MEDIA_JSON);
	expect("", MEDIA_JSON);
	expect("   ", MEDIA_JSON);
	expect("application/json", MEDIA_JSON);
	expect("text/json", MEDIA_TEXT_JSON);
	expect("application/xml", MEDIA_XML);
	expect("text/xml", MEDIA_TEXT_XML);
	expect("application/json-patch+json", MEDIA_JSON_PATCH);
	expect("application/merge-patch+json", MEDIA_MERGE_PATCH);
	expect("text/html", MEDIA_JSON);
	expect("image/png, text/plain", MEDIA_JSON);
	/* the seed page's sample request */
	expect("application/json; charset=utf-8", MEDIA_JSON);
}

static void test_browser(void) {
	expect("text/html,application/xhtml+xml,application/xml;q=0.9,"
		"*/*;q=0.8", MEDIA_XML);
	expect("text/html,application/xhtml+xml,application/xml;q=0.9,"
		"image/avif,image/webp,image/apng,*/*;q=0.8,"
		"application/signed-exchange;v=b3;q=0.7", MEDIA_XML);
	expect("text/html,application/xhtml+xml,application/xml;q=0.9,"
		"image/avif,image/webp,*/*;q=0.8", MEDIA_XML);
	expect("*/*", MEDIA_JSON);
	/* curl and requests */
	expect("*/*;q=0.8", MEDIA_JSON);
}

static void test_q(void) {
	expect("application/xml;q=0.5, text/xml;q=0.6", MEDIA_TEXT_XML);
	expect("text/xml;q=0.6, application/xml;q=0.5", MEDIA_TEXT_XML);
	expect("application/json;q=0.1, application/xml", MEDIA_XML);
	expect("application/json;q=0.999, text/json;q=1.000", MEDIA_TEXT_JSON);
	expect("application/json;q=0.001, text/html", MEDIA_JSON);
	expect("text/json;q=0.001, text/html", MEDIA_TEXT_JSON);
	expect("application/xml;q=1, application/json;q=1.0", MEDIA_JSON);
	expect("text/xml;q=0.51, application/xml;q=0.5", MEDIA_TEXT_XML);
	expect("text/xml;q=0.500, application/xml;q=0.5", MEDIA_XML);
	expect("text/xml;q=0., application/xml;q=0.0", MEDIA_JSON);
}

static void test_q_zero(void) {
	expect("application/json;q=0, */*", MEDIA_TEXT_JSON);
	expect("application/json;q=0, text/json;q=0, */*", MEDIA_XML);
	expect("*/*;q=0", MEDIA_JSON);
	expect("application/json;q=0", MEDIA_JSON);
	expect("application/*;q=0, text/xml;q=0.2", MEDIA_TEXT_XML);
	expect("application/*;q=0, text/*;q=0", MEDIA_JSON);
	/* a more specific range lifts the exclusion of its type */
	expect("application/*;q=0, application/xml;q=0.3", MEDIA_XML);
	/* and a more specific q=0 excludes what a wildcard allowed */
	expect("*/*;q=0.9, application/json;q=0, text/json;q=0.0",
		MEDIA_XML);
}

static void test_ties(void) {
	expect("text/xml, application/xml", MEDIA_XML);
	expect("text/json, application/json", MEDIA_JSON);
	expect("application/merge-patch+json, application/json-patch+json",
		MEDIA_JSON_PATCH);
	expect("text/xml, text/json", MEDIA_TEXT_JSON);
	expect("text/*", MEDIA_TEXT_JSON);
	expect("application/*", MEDIA_JSON);
	expect("text/xml;q=0.5, application/*;q=0.5", MEDIA_JSON);
}

static void test_wildcards(void) {
	expect("text/*, application/json;q=0.5", MEDIA_TEXT_JSON);
	expect("text/*;q=0.4, application/xml;q=0.5", MEDIA_XML);
	/* most specific wins, even with a lower weight (RFC 9110 §12.5.1) */
	expect("application/json;q=0.5, */*", MEDIA_TEXT_JSON);
	expect("application/*;q=0.2, application/json;q=0.9, text/*;q=0.5",
		MEDIA_JSON);
	expect("text/json;q=0.1, text/*;q=0.9", MEDIA_TEXT_XML);
	/* equally specific duplicates: the higher weight counts */
	expect("application/json;q=0.2, text/json;q=0.5, application/json;q=0.8",
		MEDIA_JSON);
}

static void test_params(void) {
	expect("application/xml; charset=utf-8", MEDIA_XML);
	expect("text/xml;charset=\"utf-8\";q=0.9, text/json;q=0.8",
		MEDIA_TEXT_XML);
	expect("text/xml;charset=\"a,b\";q=0.9, text/json;q=0.8",
		MEDIA_TEXT_XML);
	expect("text/xml;q=0.9;level=1, text/json;q=0.8", MEDIA_TEXT_XML);
	expect("text/xml;odata.metadata=minimal", MEDIA_TEXT_XML);
	expect("text/xml;", MEDIA_TEXT_XML);
	expect("text/xml;;q=0.5;, application/json;q=0.4", MEDIA_TEXT_XML);
	expect("text/xml;Q=0.5, application/json;q=0.4", MEDIA_TEXT_XML);
	expect("text/xml;q = 0.5, application/json;q=0.4", MEDIA_TEXT_XML);
	/* quoted weight is not a qvalue */
	expect("text/xml;q=\"0.5\", application/json;q=0.4", MEDIA_JSON);
}

static void test_case_space(void) {
	expect("APPLICATION/XML", MEDIA_XML);
	expect("Text/Xml", MEDIA_TEXT_XML);
	expect("  \t text/xml \t ;\t q=0.5 \t , application/json;q=0.1 ",
		MEDIA_TEXT_XML);
	expect(",,, ,text/xml,,", MEDIA_TEXT_XML);
	expect(" , ", MEDIA_JSON);
}

static void test_malformed(void) {
	/* a malformed range is skipped, the rest still counts */
	expect("application/xml;q=2, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q=1.001, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q=0.1234, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q=.5, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q=-1, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q=, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q=abc, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q=0.5;q=0.6, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;q, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;=1, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml junk, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("/xml, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("*/xml, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("*, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("appl*/xml, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/x*l, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml/extra, text/xml;q=0.1", MEDIA_TEXT_XML);
	expect("application/xml;a=\"unterminated, text/xml", MEDIA_JSON);
	expect("application/xml;a=\"x\\\"y,z\", text/xml;q=0.5", MEDIA_XML);
	expect("application/xml;q=1.0000", MEDIA_JSON);
	expect("application/xml;q=0.000, text/xml;q=0.001", MEDIA_TEXT_XML);
	/* Java's old default: "*; q=.2" is malformed twice over */
	expect("text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
		MEDIA_JSON);
	/* a NUL inside the slice makes that range malformed */
	static const char nul[] = "application/x\0ml, text/xml;q=0.2";
	tap_int(negotiate_accept(nul, sizeof(nul) - 1), MEDIA_TEXT_XML,
		"embedded NUL");
	/* only the slice is read */
	tap_int(negotiate_accept("text/xml, application/xml", 8),
		MEDIA_TEXT_XML, "length bounds the header");
}

static void test_many(void) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	for (int i = 0; i < 10000; i++) {
		strbuf_printf(&sb, "type%d/sub%d;q=0.%03d, ", i, i, i % 1000);
	}
	strbuf_puts(&sb, "text/xml;q=0.001");
	tap_ok(strbuf_ok(&sb), "built 10 000 ranges");
	tap_int(negotiate_accept(sb.data, sb.len), MEDIA_TEXT_XML,
		"10 000 ranges then text/xml");
	strbuf_finish(&sb);

	strbuf_init(&sb, 1 << 20);
	for (int i = 0; i < 10000; i++) {
		strbuf_puts(&sb, i % 2 ? "text/xml;q=0.5," : "bogus/;;q=9,");
	}
	tap_ok(strbuf_ok(&sb), "built 10 000 mixed ranges");
	tap_int(negotiate_accept(sb.data, sb.len), MEDIA_TEXT_XML,
		"10 000 mixed malformed and good ranges");
	strbuf_finish(&sb);

	/* one huge unterminated quoted parameter */
	size_t big = 200000;
	char *p = malloc(big);
	if (!tap_ok(p != NULL, "allocated")) {
		return;
	}
	memset(p, 'a', big);
	memcpy(p, "text/xml;x=\"", 12);
	tap_int(negotiate_accept(p, big), MEDIA_JSON, "unterminated quote");
	free(p);
}

int main(void) {
	test_names();
	test_basic();
	test_browser();
	test_q();
	test_q_zero();
	test_ties();
	test_wildcards();
	test_params();
	test_case_space();
	test_malformed();
	test_many();
	return tap_done();
}
