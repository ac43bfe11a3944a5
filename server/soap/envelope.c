#include "build-config.h"
#include "envelope.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agents.h"
#include "ascii.h"
#include "number.h"
#include "xmldoc.h"

static int refuse(enum soap_fault_code *code, enum soap_fault_code c,
		char *why, size_t whylen, const char *fmt, ...)
		__attribute__((format(printf, 5, 6)));

static int refuse(enum soap_fault_code *code, enum soap_fault_code c,
		char *why, size_t whylen, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	*code = c;
	return -EINVAL;
}

/* Is @node the element {@ns}@name? XML names are case-sensitive. */
static bool is(const xmlNode *node, const char *ns, const char *name) {
	return node && node->type == XML_ELEMENT_NODE &&
		!strcmp((const char *)node->name, name) && node->ns &&
		node->ns->href && !strcmp((const char *)node->ns->href, ns);
}

static const char *ns_of(const xmlNode *node) {
	return node->ns && node->ns->href ? (const char *)node->ns->href : "";
}

/* SOAP 1.1 §4.2.3: mustUnderstand is "1" or "0"; absent is "0". */
static bool must_understand(const xmlNode *node) {
	xmlChar *v = xmlGetNsProp(node, (const xmlChar *)"mustUnderstand",
		(const xmlChar *)SOAP_NS_ENVELOPE);
	bool yes = v && !strcmp((const char *)v, "1");
	xmlFree(v);
	return yes;
}

/* The child element {Services88}@name of @node, or NULL. */
static xmlNode *child(const xmlNode *node, const char *name) {
	for (xmlNode *c = xmldoc_first(node); c; c = xmldoc_next(c)) {
		if (is(c, SOAP_NS_88, name)) {
			return c;
		}
	}
	return NULL;
}

/* @node's text (owned) when it is there and not nil; NULL otherwise. */
static char *text_of(const xmlNode *node) {
	return node && !xmldoc_nil(node) ? xmldoc_text(node) : NULL;
}

static int read_time_zone(struct soap_envelope *out, const xmlNode *h,
		enum soap_fault_code *code, char *why, size_t whylen) {
	if (xmldoc_nil(h)) {
		return 0;
	}
	out->has_time_zone = true;
	xmlNode *id = child(h, "SoTimeZoneId");
	char *s = text_of(id);
	if (s) {
		int64_t v;
		const char *p = s;
		size_t len = strlen(s);
		trim_slice(&p, &len);
		bool ok = parse_int64_n(p, len, INT32_MIN, INT32_MAX, &v);
		xmlFree(s);
		if (!ok) {
			return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
				"The TimeZone header's SoTimeZoneId is not an "
				"xs:int");
		}
		out->time_zone_id = (int32_t)v;
	}
	out->time_zone_code = text_of(child(h, "SoTimeZoneLocationCode"));
	return 0;
}

/* One soap:Header child: one of the WSDL's, or ignored, or refused. */
static int read_header(struct soap_envelope *out, const xmlNode *h,
		enum soap_fault_code *code, char *why, size_t whylen) {
	static const char *const known[] = { "ApplicationToken",
		"Credentials", "TimeZone" };
	size_t which = 0;
	while (which < 3 && !is(h, SOAP_NS_88, known[which])) {
		which++;
	}
	if (which == 3) {
		if (must_understand(h)) {
			return refuse(code, SOAP_FAULT_MUST_UNDERSTAND, why,
				whylen, "The header '{%s}%s' is marked "
				"mustUnderstand and this service does not "
				"understand it", ns_of(h), (const char *)h->name);
		}
		return 0;
	}
	bool twice = which == 0 ? out->app_token != NULL : which == 1 ?
		out->ticket != NULL : out->has_time_zone;
	if (twice) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The header '%s' appears more than once", known[which]);
	}
	switch (which) {
	case 0:
		out->app_token = text_of(h);
		return 0;
	case 1:
		out->ticket = xmldoc_nil(h) ? NULL :
			text_of(child(h, "Ticket"));
		return 0;
	default:
		return read_time_zone(out, h, code, why, whylen);
	}
}

/* The SOAPAction value without surrounding quotes, as a slice. */
static void unquote(const char **s, size_t *n) {
	trim_slice(s, n);
	if (*n >= 2 && (*s)[0] == '"' && (*s)[*n - 1] == '"') {
		(*s)++;
		*n -= 2;
	}
}

/* The Body's one element as an operation agreeing with @action. */
static int read_body(struct soap_envelope *out, const xmlNode *body,
		const char *action, enum soap_fault_code *code, char *why,
		size_t whylen) {
	xmlNode *op = xmldoc_first(body);
	if (!op || xmldoc_next(op)) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The soap:Body must hold exactly one element, the "
			"operation");
	}
	const char *name = (const char *)op->name;
	out->op = agent_op_find(name, strlen(name));
	if (!out->op || strcmp(out->op->name, name) ||
			strcmp(ns_of(op), SOAP_NS_88)) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The body element '{%s}%s' is no operation of this "
			"service (operations are in the namespace '%s')",
			ns_of(op), name, SOAP_NS_88);
	}
	out->operation = op;
	if (!action) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The SOAPAction HTTP header is missing: SOAP 1.1 over "
			"HTTP names the operation in it, here '%s%s'",
			SOAP_ACTION_BASE, name);
	}
	const char *a = action;
	size_t alen = strlen(action);
	size_t blen = strlen(SOAP_ACTION_BASE);
	unquote(&a, &alen);
	if (alen <= blen || memcmp(a, SOAP_ACTION_BASE, blen)) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The SOAPAction '%.*s' names no operation of this "
			"service (they are '%s<Operation>')",
			(int)(alen > 200 ? 200 : alen), a, SOAP_ACTION_BASE);
	}
	if (alen - blen != strlen(name) || memcmp(a + blen, name,
			alen - blen)) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The SOAPAction names the operation '%.*s' but the "
			"body is '%s': they must agree",
			(int)(alen - blen > 100 ? 100 : alen - blen), a + blen,
			name);
	}
	return 0;
}

static int read_envelope(struct soap_envelope *out, const char *action,
		enum soap_fault_code *code, char *why, size_t whylen) {
	xmlNode *root = xmlDocGetRootElement(out->doc);
	if (!root || strcmp((const char *)root->name, "Envelope")) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The document is not a SOAP envelope");
	}
	if (strcmp(ns_of(root), SOAP_NS_ENVELOPE)) {
		return refuse(code, SOAP_FAULT_VERSION, why, whylen,
			"The envelope's namespace '%s' is not SOAP 1.1's '%s'",
			ns_of(root), SOAP_NS_ENVELOPE);
	}
	xmlNode *c = xmldoc_first(root);
	if (is(c, SOAP_NS_ENVELOPE, "Header")) {
		for (xmlNode *h = xmldoc_first(c); h; h = xmldoc_next(h)) {
			int ret = read_header(out, h, code, why, whylen);
			if (ret) {
				return ret;
			}
		}
		c = xmldoc_next(c);
	}
	if (!is(c, SOAP_NS_ENVELOPE, "Body") || xmldoc_next(c)) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The envelope must hold an optional soap:Header, then "
			"one soap:Body and nothing else");
	}
	return read_body(out, c, action, code, why, whylen);
}

int soap_envelope_read(struct soap_envelope *out, const char *body,
		size_t n, const char *action, enum soap_fault_code *code,
		char *why, size_t whylen) {
	char err[256];
	*out = (struct soap_envelope){ 0 };
	out->doc = xmldoc_parse(body, n, err, sizeof(err));
	if (!out->doc) {
		return refuse(code, SOAP_FAULT_CLIENT, why, whylen,
			"The envelope cannot be read: %s", err);
	}
	int ret = read_envelope(out, action, code, why, whylen);
	if (ret) {
		soap_envelope_finish(out);
	}
	return ret;
}

void soap_envelope_finish(struct soap_envelope *env) {
	xmlFree(env->ticket);
	xmlFree(env->app_token);
	xmlFree(env->time_zone_code);
	xmlFreeDoc(env->doc);
	*env = (struct soap_envelope){ 0 };
}
