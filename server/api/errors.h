/*
 * server/api/errors.h: every error answer somock gives on the API paths,
 * in one place. Each constructor fills a struct api_error with one of the
 * shapes SuperOffice answers with (ASP.NET's stock {Message,
 * MessageDetail}, and the Services' {Error, ErrorType, ..., ErrorSource});
 * api_error_write() renders it in the negotiated format (JSON or
 * DataContract XML) with the API's headers. Request text quoted into a
 * message is made safe first (invalid UTF-8 and control characters become
 * '?'), so a body is always valid JSON and XML.
 *
 * Constructors cannot fail; strings passed in are borrowed until the error
 * is written. Thread-safe.
 */
#ifndef SERVER_API_ERRORS_H
#define SERVER_API_ERRORS_H

#include <stdint.h>

#include "negotiate.h"
#include "render.h"

struct http_request;
struct http_response;

/* 400, ASP.NET Web API's stock body: {Message, MessageDetail}. */
void api_error_bad_request(struct api_error *e, const char *detail);
/*
 * A request refused as HTTP, before any route: 400 in ASP.NET's stock
 * shape, other statuses (414, 501) as {Message}.
 */
void api_error_protocol(struct api_error *e, int status, const char *why);
/* 400 for a {state} segment that names no BatchTaskState. */
void api_error_bad_state(struct api_error *e);
/* 400 naming a request header whose @value is not @what. */
void api_error_bad_header(struct api_error *e, const char *header,
	const char *value, const char *what);
/*
 * 400 for an Agents body without the parameter @param of .NET @type, or
 * with a value that is not one; @example is a JSON value for the hint.
 */
void api_error_bad_agent_body(struct api_error *e, const char *param,
	const char *type, const char *example);
/* 415 for a request body in a media type the route does not read. */
void api_error_media_type(struct api_error *e, const char *content_type);
/* 400 for a $select naming no carrier property. */
void api_error_bad_select(struct api_error *e, const char *name, size_t n);
/* 404 for a path no route matches, quoting Host and the path. */
void api_error_no_route(struct api_error *e, const char *host,
	const char *path);
/* 404 for a task id the caller cannot see. */
void api_error_no_task(struct api_error *e, int64_t id);
/* 401 with the refusal's type and message (no secrets in them). */
void api_error_unauthorized(struct api_error *e, const char *type,
	const char *message);
/* 405 on a route that exists for other methods. */
void api_error_method(struct api_error *e);
/* 501 for a route somock does not serve, saying why and what to use. */
void api_error_not_implemented(struct api_error *e, const char *message);
/* 413 for a body over 1 MiB. */
void api_error_too_large(struct api_error *e);
/* 503 when --sandbox-max sandboxes exist already. */
void api_error_sandbox_full(struct api_error *e);
/* 503 when a new sandbox would pass --sandbox-memory. */
void api_error_sandbox_memory(struct api_error *e);
/* 500/503 for an internal failure -errno @err (logged here). */
void api_error_internal(struct api_error *e, int err);
/*
 * An injected fault's answer: @status with the Services' error shape;
 * @type and @message may be "" for the defaults.
 */
void api_error_fault(struct api_error *e, int status, const char *type,
	const char *message);

/*
 * Add the headers every API answer carries (Content-Type for @media,
 * no-cache, Vary); zone and language headers are the caller's.
 */
void api_common_headers(struct http_response *resp, enum media_type media);

/* Answer @e in @media: status, body and the common headers. */
void api_error_write(struct http_response *resp, enum media_type media,
	const struct api_error *e);
/* The same in the format the request's Accept header negotiates. */
void api_error_answer(const struct http_request *req,
	struct http_response *resp, const struct api_error *e);

#endif
