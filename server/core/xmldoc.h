/*
 * server/core/xmldoc.h: reading XML that arrives from outside (request
 * bodies, SOAP envelopes) with libxml2, safely. A document is refused
 * before libxml2 sees it when it has a document type declaration (so no
 * entity of any kind, internal or external, can be declared: no billion
 * laughs, no file or network reads), and after parsing when it nests
 * deeper than XMLDOC_MAX_DEPTH. libxml2 runs with no network access and
 * its own size limits. Thread-safe: each call uses its own parser
 * context.
 */
#ifndef SERVER_CORE_XMLDOC_H
#define SERVER_CORE_XMLDOC_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#define XMLDOC_MAX_DEPTH 32

/*
 * libxml2's process-wide set-up and tear-down: call xmldoc_init() once
 * before threads start, xmldoc_cleanup() once after they end.
 */
void xmldoc_init(void);
void xmldoc_cleanup(void);

/*
 * Parse the @n bytes at @buf as one XML document. The result is owned by
 * the caller (xmlFreeDoc). NULL with a message for the client in @err
 * (what was wrong, and where when libxml2 says) when the bytes are not
 * well-formed XML, declare a DTD, or nest too deep.
 */
xmlDoc *xmldoc_parse(const char *buf, size_t n, char *err, size_t errlen);

/* Is @node an element named @name (any namespace, ASCII any case)? */
bool xmldoc_is(const xmlNode *node, const char *name);
/* The first child element of @node, or the next element sibling; NULL. */
xmlNode *xmldoc_first(const xmlNode *node);
xmlNode *xmldoc_next(const xmlNode *node);
/* The element's text (owned, xmlFree), "" when empty; NULL on OOM. */
char *xmldoc_text(const xmlNode *node);
/* Does the element carry xsi:nil="true"? */
bool xmldoc_nil(const xmlNode *node);

#endif
