/*
 * server/http/negotiate.h: proactive content negotiation for the six media types
 * the endpoint page lists (RFC 9110 §12.5.1). Pure functions over
 * header bytes: no allocation, thread-safe, never fail (a malformed range is
 * skipped, as ASP.NET does).
 */
#ifndef SERVER_NEGOTIATE_H
#define SERVER_NEGOTIATE_H

#include <stdbool.h>
#include <stddef.h>

/* In the endpoint page's order: ties go to the lower value. */
enum media_type {
	MEDIA_JSON = 0,         /* application/json */
	MEDIA_TEXT_JSON,        /* text/json */
	MEDIA_XML,              /* application/xml */
	MEDIA_TEXT_XML,         /* text/xml */
	MEDIA_JSON_PATCH,       /* application/json-patch+json */
	MEDIA_MERGE_PATCH,      /* application/merge-patch+json */
	MEDIA_COUNT,
};

/* true for the XML family (application/xml, text/xml) */
bool media_type_is_xml(enum media_type type);

/*
 * Choose the response type for an Accept header (@accept may be NULL:
 * no header). Highest q wins, ties by enum order, q=0 excludes, nothing
 * acceptable or no header gives MEDIA_JSON.
 */
enum media_type negotiate_accept(const char *accept, size_t n);

/*
 * Accept-Encoding (RFC 9110 §12.5.3): true when gzip (or x-gzip, or *) is
 * acceptable with q > 0 and not excluded by a more specific q=0.
 */
bool negotiate_gzip(const char *accept_encoding);

#endif
