#include "build-config.h"
#include "xmldoc.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "ascii.h"

#define XSI_NS "http://www.w3.org/2001/XMLSchema-instance"

void xmldoc_init(void) {
	xmlInitParser();
}

void xmldoc_cleanup(void) {
	xmlCleanupParser();
}

/* Is there a "<!DOCTYPE" (XML 1.0 §2.8: case-sensitive) anywhere? */
static bool has_doctype(const char *buf, size_t n) {
	static const char tag[] = "<!DOCTYPE";
	size_t tn = sizeof(tag) - 1;
	for (size_t i = 0; i + tn <= n; i++) {
		if (buf[i] == '<' && !memcmp(buf + i, tag, tn)) {
			return true;
		}
	}
	return false;
}

static size_t depth_of(const xmlNode *node, size_t depth) {
	size_t max = depth;
	for (const xmlNode *c = node->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			size_t d = depth_of(c, depth + 1);
			if (d > max) {
				max = d;
			}
			if (max > XMLDOC_MAX_DEPTH) {
				break;
			}
		}
	}
	return max;
}

xmlDoc *xmldoc_parse(const char *buf, size_t n, char *err, size_t errlen) {
	if (n > (size_t)1 << 30) {
		snprintf(err, errlen, "the XML document is too large");
		return NULL;
	}
	if (has_doctype(buf, n)) {
		snprintf(err, errlen, "a document type declaration (DOCTYPE) "
			"is not accepted");
		return NULL;
	}
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* no network, no entity substitution, no errors to stderr */
	xmlDoc *doc = xmlCtxtReadMemory(ctxt, buf, (int)n, NULL, NULL,
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		XML_PARSE_NOCDATA);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[160] = "not well-formed";
		if (e && e->message) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			size_t m = strlen(msg);
			while (m && (msg[m - 1] == '\n' || msg[m - 1] == ' ')) {
				msg[--m] = '\0';
			}
		}
		snprintf(err, errlen, "the body is not well-formed XML: line "
			"%d: %s", e ? e->line : 0, msg);
		xmlFreeParserCtxt(ctxt);
		return NULL;
	}
	xmlFreeParserCtxt(ctxt);
	if (doc->intSubset || doc->extSubset) {
		snprintf(err, errlen, "a document type declaration (DOCTYPE) "
			"is not accepted");
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!root || depth_of(root, 1) > XMLDOC_MAX_DEPTH) {
		snprintf(err, errlen, root ? "the XML nests deeper than %d "
			"elements" : "the XML has no root element",
			XMLDOC_MAX_DEPTH);
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

bool xmldoc_is(const xmlNode *node, const char *name) {
	return node && node->type == XML_ELEMENT_NODE &&
		!ascii_casecmp((const char *)node->name, name);
}

static xmlNode *element_from(xmlNode *n) {
	while (n && n->type != XML_ELEMENT_NODE) {
		n = n->next;
	}
	return n;
}

xmlNode *xmldoc_first(const xmlNode *node) {
	return node ? element_from(node->children) : NULL;
}

xmlNode *xmldoc_next(const xmlNode *node) {
	return node ? element_from(node->next) : NULL;
}

char *xmldoc_text(const xmlNode *node) {
	xmlChar *s = xmlNodeGetContent(node);
	return s ? (char *)s : (char *)xmlStrdup((const xmlChar *)"");
}

bool xmldoc_nil(const xmlNode *node) {
	xmlChar *v = xmlGetNsProp(node, (const xmlChar *)"nil",
		(const xmlChar *)XSI_NS);
	bool nil = v && !strcmp((const char *)v, "true");
	xmlFree(v);
	return nil;
}
