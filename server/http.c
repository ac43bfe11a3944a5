#include "build-config.h"
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "cache.h"
#include "config.h"
#include "log.h"
#include "parse.h"
#include "route.h"

struct http {
	struct MHD_Daemon *daemon;
	_Atomic long inflight;   /* requests between start and completion */
	struct route_ctx *route;
	const struct config *cfg;
	unsigned port;
};

/* Per request: the public part first, so route.c sees only that. */
struct request {
	struct http_request pub;
	struct strbuf body;
};

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *http_header(const struct http_request *req, const char *name) {
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
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

void http_response_finish(struct http_response *resp) {
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

static void access_log(const struct http *http, const struct request *req,
		const struct http_response *resp) {
	if (log_get_level() < LOG_INFO) {
		return;
	}
	double ms = (double)(now_ns() - req->pub.start_ns) / 1e6;
	/* the path only: no query string, no headers, so no secrets */
	if (http->cfg->log_format == CONFIG_LOG_JSON) {
		struct strbuf sb;
		strbuf_init(&sb, 8192);
		strbuf_puts(&sb, "{\"method\":\"");
		strbuf_puts(&sb, req->pub.method);
		strbuf_puts(&sb, "\",\"path\":\"");
		for (const char *p = req->pub.path; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '"' || c == '\\') {
				strbuf_putc(&sb, '\\');
				strbuf_putc(&sb, (char)c);
			} else if (c < 0x20 || c == 0x7f) {
				strbuf_printf(&sb, "\\u%04x", c);
			} else {
				strbuf_putc(&sb, (char)c);
			}
		}
		strbuf_printf(&sb, "\",\"status\":%d,\"ms\":%.3f,"
			"\"associate\":%lld}", resp->status, ms,
			(long long)resp->associate_id);
		if (strbuf_ok(&sb)) {
			log_raw("%s", sb.data);
		}
		strbuf_finish(&sb);
		return;
	}
	log_raw("%s %s %d %.3fms", req->pub.method, req->pub.path,
		resp->status, ms);
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
		const char *url, const char *method, const char *version,
		const char *upload_data, size_t *upload_data_size,
		void **req_cls) {
	struct http *http = cls;
	struct request *req = *req_cls;
	if (!req) {
		req = calloc(1, sizeof(*req));
		if (!req) {
			return MHD_NO;
		}
		req->pub = (struct http_request){
			.method = method,
			.path = url,
			.conn = conn,
			.loopback = is_loopback(conn),
			.start_ns = now_ns(),
		};
		strbuf_init(&req->body, HTTP_MAX_BODY);
		*req_cls = req;
		atomic_fetch_add(&http->inflight, 1);
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* past the cap the rest is read and dropped, then 413 */
		if (!req->pub.body_too_large) {
			strbuf_append(&req->body, upload_data, *upload_data_size);
			req->pub.body_too_large = !strbuf_ok(&req->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	req->pub.body = req->body.data ? req->body.data : "";
	req->pub.body_len = req->body.len;
	struct http_response resp = { 0 };
	route_handle(http->route, &req->pub, &resp);
	enum MHD_Result ret = queue(conn, &resp);
	access_log(http, req, &resp);
	http_response_finish(&resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
		void **req_cls, enum MHD_RequestTerminationCode toe) {
	struct http *http = cls;
	struct request *req = *req_cls;
	if (!req) {
		return;
	}
	atomic_fetch_sub(&http->inflight, 1);
	strbuf_finish(&req->body);
	free(req);
	*req_cls = NULL;
}

static void mhd_logger(void *cls, const char *fmt, va_list ap) {
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) {
		msg[--n] = '\0';
	}
	log_write(LOG_DEBUG, __FILE__, __LINE__, "libmicrohttpd: %s", msg);
}

static unsigned core_count(void) {
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 1;
}

struct http *http_start(const struct config *cfg, struct route_ctx *route) {
	struct http *http = calloc(1, sizeof(*http));
	struct addrinfo *ai = NULL;
	if (!http) {
		log_error("out of memory");
		return NULL;
	}
	http->route = route;
	http->cfg = cfg;
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
		.ai_socktype = SOCK_STREAM,
	};
	char port[16];
	snprintf(port, sizeof(port), "%u", cfg->port);
	int rc = getaddrinfo(cfg->listen, port, &hints, &ai);
	if (rc) {
		log_error("cannot use listen address '%s': %s", cfg->listen,
			gai_strerror(rc));
		goto fail;
	}
	unsigned threads = cfg->threads ? cfg->threads : core_count();
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
	}
	http->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request,
		http,
		MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->connection_memory,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, http,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, http,
		MHD_OPTION_END);
	if (!http->daemon) {
		log_errno("cannot listen on %s port %u", cfg->listen, cfg->port);
		goto fail;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(http->daemon,
		MHD_DAEMON_INFO_BIND_PORT);
	http->port = info ? info->port : cfg->port;
	freeaddrinfo(ai);
	return http;
fail:
	if (ai) {
		freeaddrinfo(ai);
	}
	free(http);
	return NULL;
}

unsigned http_port(const struct http *http) {
	return http->port;
}

void http_stop(struct http *http) {
	if (!http) {
		return;
	}
	/*
	 * Stop accepting, let requests in flight finish (bounded: 10 s);
	 * idle keep-alive connections do not hold the stop up.
	 */
	MHD_socket fd = MHD_quiesce_daemon(http->daemon);
	if (fd != MHD_INVALID_SOCKET) {
		close(fd);
	}
	for (int i = 0; i < 1000 && atomic_load(&http->inflight) > 0; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(http->daemon);
	free(http);
}
