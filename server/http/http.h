/*
 * server/http/http.h: the libmicrohttpd daemon and the request/response
 * values the layers above work on. The daemon knows nothing of what it
 * serves: it reads a request, calls the one handler it was started with,
 * and delivers the response that handler filled (now, after a delay, as a
 * slow drip, or not at all). One struct http_request per request,
 * allocated on the first callback and freed in MHD_OPTION_NOTIFY_COMPLETED;
 * everything the request allocates hangs off it. The daemon runs a thread
 * pool sized to the cores (epoll), so handlers run concurrently.
 */
#ifndef SERVER_HTTP_H
#define SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cache_entry;
struct http;
struct json_t;

#define HTTP_MAX_HEADERS 12
#define HTTP_MAX_BODY (1024 * 1024)
/* more query arguments than this are answered 414 */
#define HTTP_MAX_QUERY_ARGS 256
#define HTTP_MAX_QUERY_ARGS_TEXT "256"

struct http_request {
	const char *method;       /* borrowed from MHD */
	const char *path;         /* percent-decoded by MHD, no query */
	const char *body;         /* request body (POST), NUL-terminated */
	size_t body_len;
	bool body_too_large;
	bool loopback;            /* client address is 127.0.0.0/8 or ::1 */
	void *conn;               /* struct MHD_Connection */
	int64_t start_ns;         /* monotonic */
	/*
	 * Set when the request is not acceptable HTTP (why, static text):
	 * the handler must answer malformed_status (400, 414 or 501) with
	 * it; the body is not read and the connection is closed after the
	 * answer.
	 */
	const char *malformed;
	int malformed_status;
};

/* A header of the request (case-insensitive name), or NULL. */
const char *http_header(const struct http_request *req, const char *name);
/*
 * The application/x-www-form-urlencoded body of @req, decoded by
 * libmicrohttpd's post processor, as a JSON object: each name maps to its
 * string, or to an array of strings when the name repeats. Owned by the
 * caller; NULL when the body is not such a form or cannot be decoded.
 */
struct json_t *http_form_json(const struct http_request *req);
/* How many times a header (case-insensitive name) was sent. */
unsigned http_header_count(const struct http_request *req, const char *name);
/* A query-string argument, or NULL. */
const char *http_query(const struct http_request *req, const char *name);
/*
 * The query arguments as "k=v&k2" into @buf (@cap > 0; always
 * NUL-terminated), whole arguments only (decoded, as the handler sees
 * them); the value of each argument for which @redact (may be NULL)
 * returns true is written as "***". Returns the length written.
 */
size_t http_query_text(const struct http_request *req,
	bool (*redact)(const char *key), char *buf, size_t cap);

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
	/*
	 * Why a 4xx refused the request, for the access log: the words of
	 * the body's message. http_response_json() fills it from a body's
	 * "Message"; other bodies set it with http_response_reason().
	 */
	char reason[1024];
	const char *scheme;       /* static: "Basic", ... or NULL */
	/* how to deliver it (fault injection); zero: at once, whole */
	bool drop;                /* close the connection, answer nothing */
	unsigned delay_ms;        /* hold the answer this long first */
	unsigned drip_bytes;      /* send the body in chunks this big ... */
	unsigned drip_interval_ms;/* ... this far apart */
};

/*
 * Make @body (steals it; NULL means it could not be built) the answer:
 * compact JSON, Content-Type application/json; charset=utf-8, @status.
 * Reals are written with 15 significant digits, so 0.006 reads 0.006.
 * A 4xx's "Message" becomes the access log's reason. When the body
 * cannot be written the answer is 500 {"Message":"out of memory"}.
 */
void http_response_json(struct http_response *resp, int status,
	struct json_t *body);

/* Set the access log's reason (copied, cut to fit). Cannot fail. */
void http_response_reason(struct http_response *resp, const char *reason);

/* Add a header (value copied); false on OOM or when full. */
bool http_response_header(struct http_response *resp, const char *name,
	const char *value);

/*
 * What answers: @handle fills the response for every request (the
 * response starts zeroed; a status of 0 after it means 500). @done, when
 * set, is called once the answer has been handed over or dropped, with
 * the time spent including any delay. Both are called on daemon threads,
 * concurrently, with @data.
 */
struct http_handler {
	void (*handle)(void *data, const struct http_request *req,
		struct http_response *resp);
	void (*done)(void *data, const struct http_request *req,
		const struct http_response *resp, double ms);
	void *data;
};

struct http_options {
	const char *listen;           /* numeric address */
	unsigned port;                /* 0 picks a free one */
	unsigned threads;             /* 0: one per core */
	unsigned max_connections;
	unsigned per_ip_connections;
	unsigned connection_timeout;  /* seconds idle */
	size_t connection_memory;     /* bytes per connection */
	const char *tls_cert;         /* PEM files; both or neither */
	const char *tls_key;
};

/*
 * Start the daemon on opt->listen:opt->port (with TLS when opt has a
 * certificate), answering with @handler. @opt and @handler are copied;
 * handler->data is borrowed for the daemon's life. NULL with a logged
 * error on failure.
 */
struct http *http_start(const struct http_options *opt,
	const struct http_handler *handler);
/* The port actually bound. */
unsigned http_port(const struct http *http);
/*
 * Stop accepting (connections already queued in the kernel are taken
 * in), let requests in flight finish (a request is in flight from its
 * last header until its answer is sent) for at most @timeout_s seconds,
 * giving requests still arriving half a second to complete their
 * headers, then close everything and free. Returns how many requests
 * were still unfinished when the time ran out (0: a clean stop). NULL is
 * fine.
 */
unsigned http_stop(struct http *http, unsigned timeout_s);

#endif
