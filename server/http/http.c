#include "build-config.h"
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "ascii.h"
#include "cache.h"
#include "log.h"
#include "strbuf.h"
#include "timer.h"

struct http {
	struct MHD_Daemon *daemon;
	_Atomic long inflight;   /* requests between start and completion */
	_Atomic long pending;    /* connections with a request not yet read */
	_Atomic long adopted;    /* handed to MHD at a stop, not yet started */
	struct http_handler handler;
	unsigned port;
	struct timer *timer;     /* resumes suspended connections */
	pthread_mutex_t lock;    /* guards timer against stopping */
	bool stopping;
	char *tls_cert;          /* owned PEM text */
	char *tls_key;
	/*
	 * libmicrohttpd's first message while the daemon starts (under
	 * lock): why it did not, for the one error http_start() logs
	 */
	bool starting;
	char start_error[256];
};

/*
 * Per connection (libmicrohttpd's socket context): whether a request is
 * arriving on it whose headers are not all read yet (a new connection
 * counts, an idle keep-alive one does not). A stop waits briefly for
 * such connections: a client that connected just before the stop has
 * usually sent its whole request already, still unread in the socket.
 * A client still trickling its headers when the grace ends is closed.
 */
struct conn_state {
	bool pending;
};

/* Per request: the public part first, so handlers see only that. */
struct request {
	struct http_request pub;
	struct strbuf body;
	struct http_response held; /* answered, waiting out its delay */
	bool holding;
	bool started;              /* the access handler has seen it */
	bool counted;              /* in http->inflight */
};

/* A body dripped out in chunks, suspending between them (faults). */
struct drip {
	struct http *http;
	struct MHD_Connection *conn;
	char *data;              /* owned */
	size_t len;
	unsigned chunk;
	unsigned interval_ms;
};

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *http_header(const struct http_request *req, const char *name) {
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

struct form_state {
	json_t *obj;
	struct strbuf value;     /* the field being read, in pieces */
	char key[256];
	bool bad;
};

/* Add the field in @st->value under @st->key to the object. */
static void form_flush(struct form_state *st) {
	if (!st->key[0] && !st->value.len) {
		return;
	}
	json_t *v = strbuf_ok(&st->value) ? json_stringn(st->value.data ?
		st->value.data : "", st->value.len) : NULL;
	json_t *old = json_object_get(st->obj, st->key);
	int rc;
	if (!v) {
		st->bad = true;    /* not UTF-8, or too long */
		rc = 0;
	} else if (!old) {
		rc = json_object_set_new(st->obj, st->key, v);
	} else if (json_is_array(old)) {
		rc = json_array_append_new(old, v);
	} else {
		json_t *arr = json_pack("[OO]", old, v);
		json_decref(v);
		rc = arr ? json_object_set_new(st->obj, st->key, arr) : -1;
	}
	st->bad = st->bad || rc;
	strbuf_finish(&st->value);
	strbuf_init(&st->value, HTTP_MAX_BODY);
	st->key[0] = '\0';
}

static enum MHD_Result form_field(void *cls, enum MHD_ValueKind kind,
		const char *key, const char *filename, const char *content_type,
		const char *transfer_encoding, const char *data, uint64_t off,
		size_t size) {
	struct form_state *st = cls;
	if (off == 0) {
		form_flush(st);
		if (strlen(key) >= sizeof(st->key)) {
			st->bad = true;
			return MHD_NO;
		}
		memcpy(st->key, key, strlen(key) + 1);
	}
	strbuf_append(&st->value, data, size);
	return MHD_YES;
}

json_t *http_form_json(const struct http_request *req) {
	struct form_state st = { .obj = json_object() };
	strbuf_init(&st.value, HTTP_MAX_BODY);
	struct MHD_PostProcessor *pp = st.obj ? MHD_create_post_processor(
		req->conn, 16384, form_field, &st) : NULL;
	bool ok = pp && MHD_post_process(pp, req->body, req->body_len) ==
		MHD_YES;
	if (pp && MHD_destroy_post_processor(pp) != MHD_YES) {
		ok = false;
	}
	form_flush(&st);
	strbuf_finish(&st.value);
	if (!ok || st.bad) {
		json_decref(st.obj);
		return NULL;
	}
	return st.obj;
}

struct header_counter {
	const char *name;
	unsigned n;
};

static enum MHD_Result count_named(void *cls, enum MHD_ValueKind kind,
		const char *key, const char *value) {
	struct header_counter *c = cls;
	c->n += !ascii_casecmp(key, c->name);
	return MHD_YES;
}

unsigned http_header_count(const struct http_request *req, const char *name) {
	struct header_counter c = { name, 0 };
	MHD_get_connection_values(req->conn, MHD_HEADER_KIND, count_named, &c);
	return c.n;
}

const char *http_query(const struct http_request *req, const char *name) {
	return MHD_lookup_connection_value(req->conn,
		MHD_GET_ARGUMENT_KIND, name);
}

bool http_response_header(struct http_response *resp, const char *name,
		const char *value) {
	if (resp->n_headers == HTTP_MAX_HEADERS) {
		return false;
	}
	char *v = strdup(value);
	if (!v) {
		return false;
	}
	resp->headers[resp->n_headers++] = (struct http_header){ name, v };
	return true;
}

void http_response_reason(struct http_response *resp, const char *reason) {
	snprintf(resp->reason, sizeof(resp->reason), "%s", reason);
}

void http_response_json(struct http_response *resp, int status,
		json_t *body) {
	const char *message = json_string_value(json_object_get(body,
		"Message"));
	if (status >= 400 && status < 500 && message) {
		http_response_reason(resp, message);
	}
	char *text = body ? json_dumps(body, JSON_COMPACT |
		JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		JSON_REAL_PRECISION(15)) : NULL;
	json_decref(body);
	if (!text) {
		status = 500;
		text = strdup("{\"Message\":\"out of memory\"}");
	}
	resp->status = status;
	resp->body = text;
	resp->body_len = text ? strlen(text) : 0;
	resp->content_type = "application/json; charset=utf-8";
}

static void response_finish(struct http_response *resp) {
	if (!resp) {
		return;
	}
	free(resp->body);
	cache_entry_unref(resp->shared);
	for (size_t i = 0; i < resp->n_headers; i++) {
		free(resp->headers[i].value);
	}
	*resp = (struct http_response){ 0 };
}

static bool is_loopback(struct MHD_Connection *conn) {
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
		MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr) {
		return false;
	}
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0,
			0, 0, 0, 0, 0xff, 0xff };
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
			(!memcmp(in6->sin6_addr.s6_addr, v4mapped, 12) &&
			in6->sin6_addr.s6_addr[12] == 127);
	}
	return false;
}

static void release_entry(void *cls) {
	cache_entry_unref(cls);
}

/* A response sharing a cache entry's bytes: no copy, one reference. */
static struct MHD_Response *shared_response(struct http_response *resp,
		bool *gzipped) {
	size_t len;
	const char *data = NULL;
	*gzipped = false;
	if (resp->gzip) {
		data = cache_entry_gzip(resp->shared, &len);
		*gzipped = data != NULL;
	}
	if (!data) {
		data = cache_entry_body(resp->shared, &len);
	}
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(len,
		(void *)(uintptr_t)data, release_entry, resp->shared);
	if (r) {
		resp->shared = NULL; /* MHD drops the reference */
	}
	return r;
}

/* Add @resp's headers to @r, queue it, drop our reference to it. */
static enum MHD_Result queue_response(struct MHD_Connection *conn,
		struct http_response *resp, struct MHD_Response *r,
		bool gzipped) {
	enum MHD_Result ret = MHD_YES;
	if (gzipped) {
		ret = MHD_add_response_header(r, "Content-Encoding", "gzip");
	}
	if (ret == MHD_YES && resp->content_type && MHD_add_response_header(r,
			MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type) ==
			MHD_NO) {
		ret = MHD_NO;
	}
	for (size_t i = 0; i < resp->n_headers && ret == MHD_YES; i++) {
		ret = MHD_add_response_header(r, resp->headers[i].name,
			resp->headers[i].value);
	}
	if (ret == MHD_YES) {
		ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	}
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result queue(struct MHD_Connection *conn,
		struct http_response *resp) {
	struct MHD_Response *r;
	bool gzipped = false;
	if (resp->shared) {
		r = shared_response(resp, &gzipped);
	} else {
		r = MHD_create_response_from_buffer(resp->body_len, resp->body,
			MHD_RESPMEM_MUST_FREE);
		if (r) {
			resp->body = NULL; /* MHD owns it now */
		}
	}
	if (!r) {
		return MHD_NO;
	}
	return queue_response(conn, resp, r, gzipped);
}

static void resume(void *arg) {
	MHD_resume_connection(arg);
}

/*
 * Suspend @conn and resume it after @ms on the timer thread; false when
 * the server is stopping (the caller goes on at once instead).
 */
static bool suspend_for(struct http *http, struct MHD_Connection *conn,
		unsigned ms) {
	bool ok = false;
	pthread_mutex_lock(&http->lock);
	if (!http->stopping) {
		MHD_suspend_connection(conn);
		ok = timer_schedule(http->timer, ms, resume, conn);
		if (!ok) {
			MHD_resume_connection(conn);
		}
	}
	pthread_mutex_unlock(&http->lock);
	return ok;
}

static ssize_t drip_read(void *cls, uint64_t pos, char *buf, size_t max) {
	struct drip *d = cls;
	if (pos >= d->len) {
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	size_t n = d->len - (size_t)pos;
	n = n < d->chunk ? n : d->chunk;
	n = n < max ? n : max;
	memcpy(buf, d->data + pos, n);
	if (pos + n < d->len) {
		suspend_for(d->http, d->conn, d->interval_ms);
	}
	return (ssize_t)n;
}

static void drip_free(void *cls) {
	struct drip *d = cls;
	free(d->data);
	free(d);
}

/* Turn the answer into a slow drip of its body (a fault). */
static struct MHD_Response *drip_response(struct http *http,
		struct request *req, struct http_response *resp) {
	struct drip *d = calloc(1, sizeof(*d));
	if (!d) {
		return NULL;
	}
	size_t len = resp->body_len;
	const char *src = resp->body;
	if (resp->shared) {
		src = cache_entry_body(resp->shared, &len);
	}
	d->data = malloc(len ? len : 1);
	if (!d->data) {
		free(d);
		return NULL;
	}
	memcpy(d->data, src, len);
	*d = (struct drip){ .http = http, .conn = req->pub.conn,
		.data = d->data, .len = len, .chunk = resp->drip_bytes,
		.interval_ms = resp->drip_interval_ms };
	struct MHD_Response *r = MHD_create_response_from_callback(len,
		d->chunk, drip_read, d, drip_free);
	if (!r) {
		drip_free(d);
	}
	return r;
}

/* A refusal of the request as HTTP: status and why (static text). */
struct framing {
	int status;
	const char *why;
};

/*
 * Fields that may appear once: RFC 9110 defines no list syntax for them
 * (so two cannot be combined into one), and RFC 6265 §5.4 allows one
 * Cookie line. The first of two silently winning is how credentials get
 * smuggled past a proxy that read the second.
 */
static const char *const singletons[] = { "Authorization",
	"Proxy-Authorization", "Content-Type", "Cookie" };

struct header_scan {
	bool bad_name;
	bool nul;
	unsigned host;
	unsigned content_length;
	const char *first_length;
	bool lengths_differ;
	unsigned transfer_encoding;
	bool te_not_chunked;
	unsigned singleton[sizeof(singletons) / sizeof(singletons[0])];
};

/* Is @v (@n bytes) exactly "chunked", spaces around it aside? */
static bool only_chunked(const char *v, size_t n) {
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
		n--;
	}
	return ascii_casecmp_n(v, n, "chunked");
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
		const char *key, size_t key_size, const char *value,
		size_t value_size) {
	struct header_scan *h = cls;
	/* RFC 9110 §5.1: field-name = token */
	for (size_t i = 0; i < key_size; i++) {
		unsigned char c = (unsigned char)key[i];
		if (c <= ' ' || c >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", c)) {
			h->bad_name = true;
		}
	}
	if (!key_size) {
		h->bad_name = true;
	}
	/* RFC 9110 §5.5: NUL is never allowed in a field value */
	if (value && strlen(value) != value_size) {
		h->nul = true;
	}
	if (!ascii_casecmp(key, "Host")) {
		h->host++;
	} else if (!ascii_casecmp(key, "Content-Length")) {
		if (h->content_length++ && strcmp(h->first_length, value)) {
			h->lengths_differ = true;
		}
		h->first_length = value;
	} else if (!ascii_casecmp(key, "Transfer-Encoding")) {
		h->transfer_encoding++;
		if (!value || !only_chunked(value, value_size)) {
			h->te_not_chunked = true;
		}
	}
	for (size_t i = 0; i < sizeof(singletons) / sizeof(singletons[0]);
			i++) {
		if (!ascii_casecmp(key, singletons[i])) {
			h->singleton[i]++;
		}
	}
	return MHD_YES;
}

/*
 * RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without
 * exactly one Host; §6.3: differing Content-Length values, or both
 * Transfer-Encoding and Content-Length, are unrecoverable framing errors
 * (the request-smuggling pattern), and a transfer coding other than
 * chunked is 501; §5.1: a field name is a token, whitespace before the
 * colon MUST be refused. libmicrohttpd 0.9.75 lets all of these through
 * (an unknown coding then waits for a body it cannot delimit). Also
 * refused: NUL in a field value and repeated singleton fields. status 0
 * when the request is well-framed.
 */
static struct framing framing_error(struct MHD_Connection *conn,
		const char *version) {
	struct header_scan h = { 0 };
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, scan_header, &h);
	if (h.lengths_differ) {
		return (struct framing){ 400, "differing Content-Length "
			"headers" };
	}
	if (h.transfer_encoding && h.content_length) {
		return (struct framing){ 400, "both Transfer-Encoding and "
			"Content-Length" };
	}
	if (h.transfer_encoding > 1 || h.te_not_chunked) {
		return (struct framing){ 501, "a transfer coding other than "
			"chunked is not implemented" };
	}
	if (h.bad_name) {
		return (struct framing){ 400, "a header field name that is not "
			"a token" };
	}
	if (h.nul) {
		return (struct framing){ 400, "a NUL byte in a header value" };
	}
	for (size_t i = 0; i < sizeof(singletons) / sizeof(singletons[0]);
			i++) {
		if (h.singleton[i] > 1) {
			return (struct framing){ 400, "more than one "
				"Authorization, Proxy-Authorization, "
				"Content-Type or Cookie header" };
		}
	}
	if (!strcmp(version, MHD_HTTP_VERSION_1_1) && h.host != 1) {
		return (struct framing){ 400, h.host ? "more than one Host "
			"header" : "no Host header in an HTTP/1.1 request" };
	}
	return (struct framing){ 0, NULL };
}

struct query_text {
	char *buf;
	size_t cap;
	size_t len;
	bool (*redact)(const char *key);
};

static enum MHD_Result add_argument(void *cls, enum MHD_ValueKind kind,
		const char *key, const char *value) {
	struct query_text *q = cls;
	if (value && q->redact && q->redact(key)) {
		value = "***";
	}
	int n = snprintf(q->buf + q->len, q->cap - q->len, "%s%s%s%s",
		q->len ? "&" : "", key, value ? "=" : "", value ? value : "");
	if (n < 0 || (size_t)n >= q->cap - q->len) {
		q->buf[q->len] = '\0'; /* whole arguments only */
		return MHD_NO;
	}
	q->len += (size_t)n;
	return MHD_YES;
}

size_t http_query_text(const struct http_request *req,
		bool (*redact)(const char *key), char *buf, size_t cap) {
	struct query_text q = { buf, cap, 0, redact };
	buf[0] = '\0';
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND,
		add_argument, &q);
	return q.len;
}

/* Call the handler; an answer it left without a status is a 500. */
static void handle(struct http *http, const struct request *req,
		struct http_response *resp) {
	http->handler.handle(http->handler.data, &req->pub, resp);
	if ((resp->status < 200 || resp->status > 599) && !resp->drop) {
		/* no status, or a 1xx that is no final answer: a bug above */
		log_error("handler answered status %d; sending 500",
			resp->status);
		response_finish(resp);
		http_response_json(resp, 500, NULL);
	}
	if (resp->status == 204 || resp->status == 304) {
		/* RFC 9110 §15.3.5, §15.4.5: these never carry content */
		free(resp->body);
		resp->body = NULL;
		resp->body_len = 0;
		cache_entry_unref(resp->shared);
		resp->shared = NULL;
		resp->content_type = NULL;
		resp->drip_bytes = 0;
	}
}

/* The client's numeric address into @buf; false when unknown. */
static bool client_address(struct MHD_Connection *conn, char *buf,
		size_t cap) {
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
		MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	socklen_t len = !sa ? 0 : sa->sa_family == AF_INET ?
		sizeof(struct sockaddr_in) : sa->sa_family == AF_INET6 ?
		sizeof(struct sockaddr_in6) : 0;
	return len && !getnameinfo(sa, len, buf, (socklen_t)cap, NULL, 0,
		NI_NUMERICHOST);
}

static void done(struct http *http, const struct request *req,
		const struct http_response *resp) {
	double ms = (double)(now_ns() - req->pub.start_ns) / 1e6;
	if (http->handler.done) {
		http->handler.done(http->handler.data, &req->pub, resp, ms);
	}
	if (!log_enabled(LOG_INFO)) {
		return; /* no access log: spare the address's formatting */
	}
	/* room for an IPv6 address with its zone ("fe80::1%eth0") */
	char client[INET6_ADDRSTRLEN + 16];
	int status = resp->drop ? 0 : resp->status;
	bool refused = status >= 400 && status < 500;
	const struct log_access line = {
		.client = client_address(req->pub.conn, client,
			sizeof(client)) ? client : NULL,
		.method = req->pub.method,
		.path = req->pub.path,
		.status = status,
		.ms = ms,
		.associate = (long long)resp->associate_id,
		/* a 4xx without a message of its own still says what it is */
		.reason = !refused ? NULL : resp->reason[0] ? resp->reason :
			MHD_get_reason_phrase_for((unsigned)status),
	};
	log_access(&line);
}

/* Hand @resp to libmicrohttpd, whole or as a drip. */
static enum MHD_Result deliver(struct http *http, struct request *req,
		struct http_response *resp) {
	enum MHD_Result ret;
	struct MHD_Connection *conn = req->pub.conn;
	if (resp->drip_bytes) {
		struct MHD_Response *r = drip_response(http, req, resp);
		ret = r ? queue_response(conn, resp, r, false) : MHD_NO;
	} else {
		ret = queue(conn, resp);
	}
	done(http, req, resp);
	response_finish(resp);
	return ret;
}

/* Is there a "%00" (either case) in @s? */
static bool has_encoded_nul(const char *s) {
	for (const char *p = strchr(s, '%'); p; p = strchr(p + 1, '%')) {
		if (p[1] == '0' && p[2] == '0') {
			return true;
		}
	}
	return false;
}

/* Mark the request arriving on @conn as (not) pending, for a stop. */
static void set_pending(struct http *http, struct MHD_Connection *conn,
		bool pending) {
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn,
		MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_state *cs = ci ? ci->socket_context : NULL;
	if (cs && cs->pending != pending) {
		cs->pending = pending;
		atomic_fetch_add(&http->pending, pending ? 1 : -1);
	}
}

/*
 * Called with the raw request target as soon as the request line is read,
 * before headers.
 * A target with more than HTTP_MAX_QUERY_ARGS arguments is cut after the
 * last one allowed, in libmicrohttpd's own buffer, before it parses them:
 * past a few hundred its per-connection memory runs out and 0.9.75 then
 * neither answers nor closes. The request is answered 414 instead.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
	struct http *http = cls;
	struct request *req = calloc(1, sizeof(*req));
	if (!req) {
		return NULL; /* on_request makes one, or answers nothing */
	}
	strbuf_init(&req->body, HTTP_MAX_BODY);
	set_pending(http, conn, true);
	if (has_encoded_nul(uri)) {
		req->pub.malformed = "a NUL byte (%00) in the request target";
		req->pub.malformed_status = 400;
	}
	char *q = strchr(uri, '?');
	for (unsigned n = 1; q && (q = strchr(q + 1, '&')); n++) {
		if (n == HTTP_MAX_QUERY_ARGS) {
			*q = '\0'; /* the buffer is the connection's, writable */
			req->pub.malformed = "more than "
				HTTP_MAX_QUERY_ARGS_TEXT " query parameters";
			req->pub.malformed_status = 414;
			break;
		}
	}
	return req;
}

/* Fill in the request on the handler's first call; false on OOM. */
static struct request *request_start(struct http *http, struct request *req,
		struct MHD_Connection *conn, const char *url, const char *method) {
	if (!req) {
		req = calloc(1, sizeof(*req));
		if (!req) {
			return NULL;
		}
		strbuf_init(&req->body, HTTP_MAX_BODY);
	}
	req->started = true;
	req->pub.method = method;
	req->pub.path = url;
	req->pub.conn = conn;
	req->pub.loopback = is_loopback(conn);
	req->pub.start_ns = now_ns();
	/* from here on the request is in flight: a stop waits for it */
	atomic_fetch_add(&http->inflight, 1);
	req->counted = true;
	set_pending(http, conn, false);
	return req;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
		const char *url, const char *method, const char *version,
		const char *upload_data, size_t *upload_data_size,
		void **req_cls) {
	struct http *http = cls;
	struct request *req = *req_cls;
	if (!req || !req->started) {
		req = request_start(http, req, conn, url, method);
		if (!req) {
			return MHD_NO;
		}
		*req_cls = req;
		if (!req->pub.malformed) {
			struct framing f = framing_error(conn, version);
			req->pub.malformed = f.why;
			req->pub.malformed_status = f.status;
		}
		if (req->pub.malformed) {
			/* answer at once and close: the body cannot be trusted */
			struct http_response resp = { 0 };
			handle(http, req, &resp);
			http_response_header(&resp, "Connection", "close");
			resp.drop = false;
			resp.delay_ms = 0;
			resp.drip_bytes = 0;
			return deliver(http, req, &resp);
		}
		return MHD_YES;
	}
	if (req->pub.malformed) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* past the cap the rest is read and dropped, then answered */
		if (!req->pub.body_too_large) {
			strbuf_append(&req->body, upload_data, *upload_data_size);
			req->pub.body_too_large = !strbuf_ok(&req->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->holding) {
		/* resumed after the answer's delay */
		req->holding = false;
		struct http_response resp = req->held;
		req->held = (struct http_response){ 0 };
		return deliver(http, req, &resp);
	}
	req->pub.body = req->body.data ? req->body.data : "";
	req->pub.body_len = req->body.len;
	struct http_response resp = { 0 };
	handle(http, req, &resp);
	if (resp.drop) {
		done(http, req, &resp);
		response_finish(&resp);
		return MHD_NO; /* close the connection, answer nothing */
	}
	if (resp.delay_ms) {
		req->held = resp;
		req->holding = true;
		if (suspend_for(http, conn, resp.delay_ms)) {
			return MHD_YES; /* called again when resumed */
		}
		req->holding = false;
		req->held = (struct http_response){ 0 };
	}
	return deliver(http, req, &resp);
}

static void on_connection(void *cls, struct MHD_Connection *conn,
		void **socket_context, enum MHD_ConnectionNotificationCode code) {
	struct http *http = cls;
	struct conn_state *cs = *socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		/* an adopted connection is now counted as pending */
		long a = atomic_load(&http->adopted);
		while (a > 0 && !atomic_compare_exchange_weak(&http->adopted,
				&a, a - 1)) {
		}
		cs = calloc(1, sizeof(*cs));
		if (cs) {
			cs->pending = true;
			atomic_fetch_add(&http->pending, 1);
		}
		*socket_context = cs;
		return;
	}
	if (cs && cs->pending) {
		atomic_fetch_sub(&http->pending, 1);
	}
	free(cs);
	*socket_context = NULL;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
		void **req_cls, enum MHD_RequestTerminationCode toe) {
	struct http *http = cls;
	struct request *req = *req_cls;
	if (!req) {
		return;
	}
	if (req->counted) {
		atomic_fetch_sub(&http->inflight, 1);
	}
	response_finish(&req->held);
	strbuf_finish(&req->body);
	free(req);
	*req_cls = NULL;
}

/*
 * How a libmicrohttpd message is logged, by how it starts. Its own
 * remarks on its set-up and internals (socket options, clock jumps, a
 * delayed push) tell a user nothing and are dropped; a refused
 * connection (limits, memory, threads) is a warning, since a client
 * sees a failure; the rest (a client that went away, a TLS handshake
 * that failed) is debug.
 */
static const struct {
	const char *prefix;
	enum log_level level;   /* LOG_SILENT: dropped */
} mhd_messages[] = {
	{ "MHD_OPTION_EXTERNAL_LOGGER is not the first", LOG_SILENT },
	{ "Warning: ", LOG_SILENT },
	{ "WARNING: ", LOG_SILENT },
	{ "Setting ", LOG_SILENT },  /* a TCP option could not be set */
	{ "Failed to push the data", LOG_SILENT },
	{ "Detected system clock", LOG_SILENT },
	{ "Detected too large system clock", LOG_SILENT },
	{ "Daemon will not process newly added", LOG_SILENT },
	{ "MHD_stop_daemon() called while", LOG_SILENT },
	{ "Resumed connection was already", LOG_SILENT },
	{ "Failed to set noninheritable", LOG_SILENT },
	{ "Server reached connection limit", LOG_WARN },
	{ "Hit process or system resource limit", LOG_WARN },
	{ "Failed to create a new", LOG_WARN },
	{ "Error accepting connection", LOG_WARN },
	{ "Closing connection (out of memory)", LOG_WARN },
	{ "Not enough memory", LOG_WARN },
};

static enum log_level mhd_level(const char *msg) {
	for (size_t i = 0; i < sizeof(mhd_messages) / sizeof(mhd_messages[0]);
			i++) {
		const char *p = mhd_messages[i].prefix;
		if (!strncmp(msg, p, strlen(p))) {
			return mhd_messages[i].level;
		}
	}
	return LOG_DEBUG;
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
	LOG_PRINTF(2, 0);

static void mhd_logger(void *cls, const char *fmt, va_list ap) {
	struct http *http = cls;
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r' ||
			msg[n - 1] == '.')) {
		msg[--n] = '\0';
	}
	enum log_level level = mhd_level(msg);
	if (level == LOG_SILENT) {
		return;
	}
	pthread_mutex_lock(&http->lock);
	if (http->starting && !http->start_error[0]) {
		/* cut to fit: a start-up reason is a line */
		size_t len = strnlen(msg, sizeof(http->start_error) - 1);
		memcpy(http->start_error, msg, len);
		http->start_error[len] = '\0';
	}
	pthread_mutex_unlock(&http->lock);
	log_write(level, __FILE__, __LINE__, "libmicrohttpd: %s", msg);
}

static unsigned core_count(void) {
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 1;
}

/*
 * Read the PEM file of option @opt for TLS (owned text), or NULL with a
 * logged error naming the file and why.
 */
static char *read_pem(const char *opt, const char *path) {
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	if (!f) {
		log_errno("cannot open %s '%s'", opt, path);
		return NULL;
	}
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		strbuf_append(&sb, buf, n);
	}
	bool bad = ferror(f) || !strbuf_ok(&sb) || !sb.len;
	fclose(f);
	if (bad) {
		log_error("cannot read %s '%s' (empty, unreadable or over "
			"1 MiB)", opt, path);
		strbuf_finish(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * The mistakes GnuTLS reports least clearly, told before it sees the
 * files: a certificate file with no certificate, a key file with no
 * private key, and the two given the wrong way round. True when both
 * look right; otherwise the error is logged.
 */
static bool pem_kinds_ok(const struct http_options *opt, const char *cert,
		const char *key) {
	bool cert_has_key = strstr(cert, "PRIVATE KEY-----") != NULL;
	bool key_has_cert = strstr(key, "-----BEGIN CERTIFICATE-----") != NULL;
	bool swapped = cert_has_key && key_has_cert;
	if (!strstr(cert, "-----BEGIN CERTIFICATE-----")) {
		log_error("--tls-cert '%s' holds no PEM certificate (no "
			"'-----BEGIN CERTIFICATE-----' line)%s", opt->tls_cert,
			swapped ? "; it holds a private key: are --tls-cert "
			"and --tls-key the wrong way round?" : "");
		return false;
	}
	if (!strstr(key, "PRIVATE KEY-----")) {
		log_error("--tls-key '%s' holds no PEM private key (no "
			"'-----BEGIN ... PRIVATE KEY-----' line)%s",
			opt->tls_key, key_has_cert ? "; it holds a "
			"certificate" : "");
		return false;
	}
	return true;
}

/* Why MHD_start_daemon() failed, logged once, with what to do. */
static void start_failed(struct http *http, const struct http_options *opt,
		int err) {
	const char *why = http->start_error;
	if (opt->tls_cert && strstr(why, "TLS")) {
		/* GnuTLS's words: a bad key, a mismatch, an encrypted key */
		log_error("cannot start TLS with --tls-cert '%s' and --tls-key "
			"'%s': %s", opt->tls_cert, opt->tls_key, why);
		return;
	}
	/* its "Failed to bind to port 0: ..." names the port it was not given */
	const char *colon = strstr(why, ": ");
	if (!strncmp(why, "Failed to bind", 14) && colon) {
		why = colon + 2;
	}
	char buf[128] = "";
	if (!why[0] && strerror_r(err, buf, sizeof(buf))) {
		snprintf(buf, sizeof(buf), "error %d", err);
	}
	log_error("cannot listen on %s port %u: %s%s", opt->listen, opt->port,
		why[0] ? why : buf, err == EADDRINUSE ? "; another program "
		"has that port: choose another with --port, or --port 0 for "
		"a free one" : "");
}

static void http_free(struct http *http) {
	timer_destroy(http->timer);
	pthread_mutex_destroy(&http->lock);
	free(http->tls_cert);
	free(http->tls_key);
	free(http);
}

struct http *http_start(const struct http_options *opt,
		const struct http_handler *handler) {
	struct http *http = calloc(1, sizeof(*http));
	struct addrinfo *ai = NULL;
	if (!http) {
		log_error("out of memory");
		return NULL;
	}
	http->handler = *handler;
	pthread_mutex_init(&http->lock, NULL);
	http->timer = timer_create_thread();
	if (!http->timer) {
		log_error("cannot start the timer thread");
		goto fail;
	}
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
		.ai_socktype = SOCK_STREAM,
	};
	char port[16];
	snprintf(port, sizeof(port), "%u", opt->port);
	int rc = getaddrinfo(opt->listen, port, &hints, &ai);
	if (rc) {
		log_error("cannot use listen address '%s': %s", opt->listen,
			gai_strerror(rc));
		goto fail;
	}
	unsigned threads = opt->threads ? opt->threads : core_count();
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (ai->ai_family == AF_INET6) {
		/* the any-address "::" takes IPv4 too, where the OS allows */
		const struct sockaddr_in6 *in6 = (const void *)ai->ai_addr;
		flags |= IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) ?
			MHD_USE_DUAL_STACK : MHD_USE_IPv6;
	}
	struct MHD_OptionItem opts[] = {
		/* first, or messages about the options go to stderr */
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_logger, http },
		{ MHD_OPTION_SOCK_ADDR, 0, ai->ai_addr },
		{ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, opt->max_connections, NULL },
		{ MHD_OPTION_PER_IP_CONNECTION_LIMIT, opt->per_ip_connections,
			NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, opt->connection_timeout, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			(intptr_t)opt->connection_memory, NULL },
		{ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, http },
		{ MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, http },
		{ MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, http },
		/* room for the two TLS options, then the end */
		{ MHD_OPTION_END, 0, NULL },
		{ MHD_OPTION_END, 0, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	size_t n = sizeof(opts) / sizeof(opts[0]) - 3;
	/*
	 * MHD_OPTION_STRICT_FOR_CLIENT 1 was tried: it closes the connection
	 * on an oversized Cookie header instead of answering 431, so framing
	 * is checked in framing_error() instead.
	 */
	if (opt->tls_cert) {
		http->tls_cert = read_pem("--tls-cert", opt->tls_cert);
		http->tls_key = http->tls_cert ? read_pem("--tls-key",
			opt->tls_key) : NULL;
		if (!http->tls_key || !pem_kinds_ok(opt, http->tls_cert,
				http->tls_key)) {
			goto fail;
		}
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT,
			0, http->tls_cert };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY,
			0, http->tls_key };
	}
	pthread_mutex_lock(&http->lock);
	http->starting = true;
	pthread_mutex_unlock(&http->lock);
	errno = 0;
	http->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request,
		http, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	int err = errno;
	pthread_mutex_lock(&http->lock);
	http->starting = false;
	pthread_mutex_unlock(&http->lock);
	if (!http->daemon) {
		start_failed(http, opt, err);
		goto fail;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(http->daemon,
		MHD_DAEMON_INFO_BIND_PORT);
	http->port = info ? info->port : opt->port;
	freeaddrinfo(ai);
	return http;
fail:
	if (ai) {
		freeaddrinfo(ai);
	}
	http_free(http);
	return NULL;
}

unsigned http_port(const struct http *http) {
	return http->port;
}

/*
 * How long a stop waits for connections that have not sent a request,
 * counted from the last time one of them did: on a busy machine the
 * requests of a backlog arrive one by one, and each one read restarts the
 * wait, while clients that never send anything hold the stop up by this
 * much only.
 */
#define STOP_PENDING_GRACE_NS (INT64_C(1000) * 1000 * 1000)

/*
 * Connections the kernel accepted but libmicrohttpd did not yet: hand
 * them over rather than let closing the listening socket reset them;
 * their requests were sent before the stop.
 */
static void adopt_backlog(struct http *http, MHD_socket fd) {
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		return;
	}
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof(addr);
		int c = accept(fd, (struct sockaddr *)&addr, &len);
		if (c < 0) {
			return; /* EAGAIN: the queue is empty */
		}
		/*
		 * MHD starts it on its own thread, maybe after the stop
		 * looked: count it until then. MHD closes the socket itself
		 * if it cannot take it (the count then runs out with the
		 * grace).
		 */
		atomic_fetch_add(&http->adopted, 1);
		if (MHD_add_connection(http->daemon, c, (struct sockaddr *)&addr,
				len) != MHD_YES) {
			atomic_fetch_sub(&http->adopted, 1);
		}
	}
}

unsigned http_stop(struct http *http, unsigned timeout_s) {
	if (!http) {
		return 0;
	}
	/*
	 * Stop accepting; resume every suspended connection at once (no new
	 * suspensions from here); let requests in flight finish, for at most
	 * @timeout_s; idle keep-alive connections do not hold the stop up.
	 */
	MHD_socket fd = MHD_quiesce_daemon(http->daemon);
	if (fd != MHD_INVALID_SOCKET) {
		adopt_backlog(http, fd);
		/*
		 * Stop listening, but keep the descriptor open until MHD has
		 * stopped: its polling thread takes the socket out of its
		 * epoll set on its own time, and aborts the process ("Failed
		 * to remove listen FD from epoll set") if it is closed by then.
		 */
		shutdown(fd, SHUT_RDWR);
	}
	pthread_mutex_lock(&http->lock);
	http->stopping = true;
	pthread_mutex_unlock(&http->lock);
	timer_destroy(http->timer);
	http->timer = NULL;
	int64_t start = now_ns();
	int64_t deadline = start + (int64_t)timeout_s * 1000000000;
	int64_t pending_deadline = start + STOP_PENDING_GRACE_NS;
	long pending = atomic_load(&http->pending) +
		atomic_load(&http->adopted);
	for (;;) {
		int64_t now = now_ns();
		long p = atomic_load(&http->pending) +
			atomic_load(&http->adopted);
		if (p < pending) {
			pending_deadline = now + STOP_PENDING_GRACE_NS;
		}
		pending = p;
		if (now >= deadline || (atomic_load(&http->inflight) <= 0 &&
				(p <= 0 || now >= pending_deadline))) {
			break;
		}
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	long left = atomic_load(&http->inflight);
	MHD_stop_daemon(http->daemon);
	if (fd != MHD_INVALID_SOCKET) {
		close(fd);
	}
	http_free(http);
	return left > 0 ? (unsigned)left : 0;
}
