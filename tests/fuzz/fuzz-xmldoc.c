/*
 * tests/fuzz/fuzz-xmldoc.c: the reader of XML request bodies and SOAP
 * envelopes (xmldoc_parse) on any bytes. It must never crash or leak;
 * a document it accepts has no DTD, a root element, and nests no deeper
 * than XMLDOC_MAX_DEPTH; one it refuses says why.
 */
#include "fuzz.h"

#include <string.h>

#include "xmldoc.h"

static size_t depth(const xmlNode *n) {
	size_t max = 0;
	for (const xmlNode *c = xmldoc_first(n); c; c = xmldoc_next(c)) {
		size_t d = depth(c);
		max = d > max ? d : max;
	}
	return max + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char err[256] = "";
	xmlDoc *doc = xmldoc_parse((const char *)data, size, err, sizeof(err));
	if (doc) {
		xmlNode *root = xmlDocGetRootElement(doc);
		FUZZ_CHECK(root != NULL);
		FUZZ_CHECK(!doc->intSubset && !doc->extSubset);
		FUZZ_CHECK(depth(root) <= XMLDOC_MAX_DEPTH);
		char *text = xmldoc_text(root);
		FUZZ_CHECK(text != NULL);
		xmlFree(text);
		xmlFreeDoc(doc);
	} else {
		FUZZ_CHECK(err[0] != '\0');
	}
	return 0;
}
