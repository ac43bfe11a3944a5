/*
 * server/http/http.h: the libmicrohttpd daemon and the request/response values
 * route.c works on. One struct http_request per request, allocated on the
 * first callback and freed in MHD_OPTION_NOTIFY_COMPLETED; everything the
 * request allocates hangs off it. The daemon runs a thread pool sized to
 * the cores (epoll), so route handlers run concurrently.
 */
#ifndef SERVER_HTTP_H
#define SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct app;
struct cache_entry;
struct config;
struct http;
struct json_t;

#define HTTP_MAX_HEADERS 12
#define HTTP_MAX_BODY (1024 * 1024)

struct http_request {
	const char *method;       /* borrowed from MHD */
	const char *path;         /* percent-decoded by MHD, no query */
	const char *body;         /* request body (POST), NUL-terminated */
	size_t body_len;
	bool body_too_large;
	bool loopback;            /* client address is 127.0.0.0/8 or ::1 */
	void *conn;               /* struct MHD_Connection */
	int64_t start_ns;         /* monotonic */
};

/* A header of the request (case-insensitive name), or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/* A query-string argument, or NULL. */
const char *http_query(const struct http_request *req, const char *name);

struct http_header {
	const char *name;         /* static */
	char *value;              /* owned */
};

struct http_response {
	int status;
	char *body;               /* owned; NULL: empty */
	size_t body_len;
	/*
	 * When set, the body is this entry's (a reference owned by the
	 * response), gzip-encoded when @gzip and the entry has a gzip form.
	 */
	struct cache_entry *shared;
	bool gzip;
	const char *content_type; /* static, full value with charset */
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t n_headers;
	int64_t associate_id;     /* for the logs; 0 when none */
	const char *scheme;       /* static: "Basic", ... or NULL */
};

/*
 * Make @body (steals it; NULL means it could not be built) the answer:
 * compact JSON, Content-Type application/json; charset=utf-8, @status.
 * When it cannot be written the answer is 500 {"Message":"out of memory"}.
 */
void http_response_json(struct http_response *resp, int status,
	struct json_t *body);

/* Add a header (value copied); false on OOM or when full. */
bool http_response_header(struct http_response *resp, const char *name,
	const char *value);
void http_response_finish(struct http_response *resp);

/*
 * Start the daemon on cfg->listen:cfg->port for @app (borrowed for the
 * daemon's life), with TLS when cfg has a certificate. NULL with a logged
 * error on failure.
 */
struct http *http_start(const struct config *cfg, const struct app *app);
/* The port actually bound. */
unsigned http_port(const struct http *http);
/* Stop accepting, finish requests in flight, free. NULL is fine. */
void http_stop(struct http *http);

#endif
