#include "build-config.h"
#include "route.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app.h"
#include "auth.h"
#include "cache.h"
#include "clock.h"
#include "config.h"
#include "control.h"
#include "demo.h"
#include "http.h"
#include "i18n.h"
#include "log.h"
#include "model.h"
#include "negotiate.h"
#include "parse.h"
#include "render.h"
#include "sandbox.h"
#include "store.h"
#include "tz.h"

/* Body cap for one answer: 10 000 tasks render to about 8 MB. */
#define BODY_MAX ((size_t)256 * 1024 * 1024)

enum route_kind {
	ROUTE_NONE = 0,
	ROUTE_API_ROOT,         /* GET /api */
	ROUTE_BATCH_TASK,       /* GET /api/v1/BatchTask/{state|id} */
	ROUTE_AGENT_BY_STATE,   /* POST .../Agents/Batch/GetBatchTaskInfosByState */
	ROUTE_AGENT_BY_ID,      /* POST .../Agents/Batch/GetBatchTaskInfo */
};

#define MAX_SEGMENTS 8

struct segment {
	const char *s;
	size_t n;
};

/* One request in flight through the pipeline. */
struct call {
	const struct app *app;
	struct store *store;          /* the default data or a sandbox's */
	const char *sandbox;          /* X-Somock-Sandbox, or NULL */
	const struct http_request *req;
	struct http_response *resp;
	enum media_type media;
	const struct render_ops *ops;
	char tenant[64];              /* URL prefix CustNNNN, or "" */
	bool has_tenant;
	struct segment prefix;        /* onsite app dir or tenant, or empty */
	struct segment arg;           /* {state}/{id} segment */
	const struct tz_zone *zone;
	struct i18n_lang lang;
	enum i18n_mode lang_mode;
	const char *culture;
	struct store_reader *reader;
	struct auth_result auth;
};

/* --- responses ---------------------------------------------------------- */

static void set_body(struct call *c, struct strbuf *sb) {
	if (!strbuf_ok(sb)) {
		strbuf_finish(sb);
		c->resp->status = 500;
		c->resp->body = strdup("{\"Message\":\"An error has occurred.\"}");
		c->resp->body_len = c->resp->body ? strlen(c->resp->body) : 0;
		c->resp->content_type = "application/json; charset=utf-8";
		return;
	}
	c->resp->body = strbuf_detach(sb, &c->resp->body_len);
}

static const char *const content_types[MEDIA_COUNT] = {
	[MEDIA_JSON] = "application/json; charset=utf-8",
	[MEDIA_TEXT_JSON] = "text/json; charset=utf-8",
	[MEDIA_XML] = "application/xml; charset=utf-8",
	[MEDIA_TEXT_XML] = "text/xml; charset=utf-8",
	[MEDIA_JSON_PATCH] = "application/json-patch+json; charset=utf-8",
	[MEDIA_MERGE_PATCH] = "application/merge-patch+json; charset=utf-8",
};

/* Headers every API answer carries (SPEC §4, §7). */
static void api_headers(struct call *c) {
	struct http_response *r = c->resp;
	r->content_type = content_types[c->media];
	http_response_header(r, "Cache-Control", "no-cache");
	http_response_header(r, "Pragma", "no-cache");
	http_response_header(r, "Expires", "-1");
	http_response_header(r, "Vary", "Accept, Accept-Encoding, "
		"Accept-Language, SO-Language, SO-TimeZone");
	if (c->zone) {
		http_response_header(r, "SO-TimeZone", tz_zone_code(c->zone));
	}
	if (c->lang_mode == I18N_ON) {
		http_response_header(r, "Content-Language", c->lang.tag);
	}
}

static void send_error(struct call *c, const struct api_error *err) {
	struct strbuf sb;
	strbuf_init(&sb, 65536);
	c->ops->error(&sb, err);
	c->resp->status = err->status;
	api_headers(c);
	set_body(c, &sb);
}

#define FIELD_S(k, v) { .key = (k), .kind = API_VALUE_STRING, .str = (v) }

/* ASP.NET Web API's stock 400 (SPEC §9). */
static void bad_request(struct call *c, const char *detail) {
	struct api_error e = { .status = 400, .n = 2, .fields = {
		FIELD_S("Message", "The request is invalid."),
		FIELD_S("MessageDetail", detail),
	} };
	send_error(c, &e);
}

static void bad_state(struct call *c) {
	bad_request(c, "The parameters dictionary contains a null entry for "
		"parameter 'state' of non-nullable type "
		"'SuperOffice.Data.BatchTaskState' for method "
		"'SuperOffice.CRM.Services.BatchTaskInfo[] "
		"GetBatchTaskInfosByState(SuperOffice.Data.BatchTaskState)' "
		"in 'SuperOffice.WebApi.Controllers.v1.BatchTaskController'. "
		"An optional parameter must be a reference type, a nullable "
		"type, or be declared as an optional parameter.");
}

/*
 * Copy at most @max bytes of request text into a message, each byte that
 * is not part of valid UTF-8 (or is a control character) as '?': error
 * bodies must stay valid JSON and XML whatever the client sent.
 */
static void quote_input(char *dst, size_t cap, const char *src, size_t max) {
	size_t o = 0;
	for (size_t i = 0; src[i] && i < max && o + 5 < cap;) {
		unsigned char ch = (unsigned char)src[i];
		size_t len = ch < 0x80 ? 1 : ch < 0xe0 ? 2 : ch < 0xf0 ? 3 : 4;
		size_t avail = strnlen(src + i, len);
		if (ch < 0x20 || ch == 0x7f || avail < len ||
				!utf8_valid(src + i, len)) {
			dst[o++] = '?';
			i++;
			continue;
		}
		memcpy(dst + o, src + i, len);
		o += len;
		i += len;
	}
	dst[o] = '\0';
}

static void bad_header(struct call *c, const char *header, const char *value,
		const char *what) {
	char detail[512], quoted[260];
	quote_input(quoted, sizeof(quoted), value, 64);
	snprintf(detail, sizeof(detail), "The %s HTTP header value '%s' is "
		"not %s.", header, quoted, what);
	bad_request(c, detail);
}

static void not_found_route(struct call *c) {
	char msg[2400], host[520], path[1800];
	const char *h = http_header(c->req, "Host");
	quote_input(host, sizeof(host), h ? h : "localhost", 128);
	quote_input(path, sizeof(path), c->req->path, 400);
	snprintf(msg, sizeof(msg), "No HTTP resource was found that matches "
		"the request URI 'http://%s%s'.", host, path);
	struct api_error e = { .status = 404, .n = 1, .fields = {
		FIELD_S("Message", msg),
	} };
	send_error(c, &e);
}

static void not_found_task(struct call *c, int64_t id) {
	char msg[64];
	snprintf(msg, sizeof(msg), "BatchTask id %lld not found",
		(long long)id);
	struct api_error e = { .status = 404, .n = 4, .fields = {
		{ .key = "Error", .kind = API_VALUE_BOOL, .b = true },
		FIELD_S("ErrorType", "SoNotFoundException"),
		FIELD_S("ErrorMessage", msg),
		FIELD_S("ErrorSource", "SuperOffice.Services.Implementation"),
	} };
	send_error(c, &e);
}

static void unauthorized(struct call *c) {
	struct api_error e = { .status = 401, .n = 4, .fields = {
		{ .key = "Error", .kind = API_VALUE_BOOL, .b = true },
		FIELD_S("ErrorType", c->auth.error_type),
		FIELD_S("Message", c->auth.message),
		FIELD_S("ErrorSource", "SuperOffice.Services.WebApi"),
	} };
	send_error(c, &e);
	/*
	 * A web client's session call (X-XSRF-TOKEN, no Authorization) gets
	 * no challenge: a Basic challenge makes a browser hold the answer for
	 * a login dialog instead of handing the 401 to the page's script.
	 */
	if (!http_header(c->req, "Authorization") &&
			http_header(c->req, "X-XSRF-TOKEN")) {
		return;
	}
	http_response_header(c->resp, "WWW-Authenticate",
		c->app->cfg->mode == AUTH_MODE_ONLINE ? "Bearer" :
		"Basic realm=\"SuperOffice\"");
}

/* errno -> status, the one mapping table (STYLE §3) */
static void internal_error(struct call *c, int err) {
	static const struct {
		int err;
		int status;
		const char *type;
	} map[] = {
		{ -ENOMEM, 503, "OutOfMemoryException" },
		{ -EIO, 500, "SoDatabaseException" },
	};
	int status = 500;
	const char *type = "Exception";
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].err == err) {
			status = map[i].status;
			type = map[i].type;
		}
	}
	log_error("request failed: %s", strerror(-err));
	struct api_error e = { .status = status, .n = 4, .fields = {
		{ .key = "Error", .kind = API_VALUE_BOOL, .b = true },
		FIELD_S("ErrorType", type),
		FIELD_S("ErrorMessage", "somock could not answer this request"),
		FIELD_S("ErrorSource", "SuperOffice.Services.Implementation"),
	} };
	send_error(c, &e);
}

#undef FIELD_S

/* --- matching ------------------------------------------------------------ */

static size_t split_path(const char *path, struct segment *seg, size_t max) {
	size_t n = 0;
	const char *p = path;
	while (*p) {
		while (*p == '/') {
			p++;
		}
		if (!*p) {
			break;
		}
		const char *s = p;
		while (*p && *p != '/') {
			p++;
		}
		if (n == max) {
			return max + 1;
		}
		seg[n++] = (struct segment){ s, (size_t)(p - s) };
	}
	return n;
}

static bool seg_is(const struct segment *s, const char *word) {
	return ascii_casecmp_n(s->s, s->n, word);
}

static bool is_tenant(const struct segment *s) {
	if (s->n < 5 || s->n > 40 || !ascii_casecmp_n(s->s, 4, "cust")) {
		return false;
	}
	for (size_t i = 4; i < s->n; i++) {
		if (s->s[i] < '0' || s->s[i] > '9') {
			return false;
		}
	}
	return true;
}

/*
 * RFC 9112 §3.2.2: a server must accept the absolute form of a target
 * (http://host/path); the path is what routes. NULL for a target that is
 * neither absolute nor origin form ("api/v1/..."), which is a bad request.
 */
static const char *origin_form(const char *target) {
	for (const char *scheme = "http://"; ; scheme = "https://") {
		size_t n = strlen(scheme);
		if (!strncmp(target, scheme, n) || (strlen(target) >= n &&
				ascii_casecmp_n(target, n, scheme))) {
			const char *p = strchr(target + n, '/');
			return p ? p : "/";
		}
		if (scheme[4] == 's') {
			break;
		}
	}
	/* "*" (OPTIONS *) is a valid form that names no resource here */
	return target[0] == '/' || !strcmp(target, "*") ? target : NULL;
}

static enum route_kind match(struct call *c, const char *path) {
	struct segment seg[MAX_SEGMENTS];
	size_t n = split_path(path, seg, MAX_SEGMENTS);
	if (n > MAX_SEGMENTS || !n) {
		return ROUTE_NONE;
	}
	struct segment *s = seg;
	if (!seg_is(&s[0], "api")) {
		c->prefix = s[0];
		if (is_tenant(&s[0])) {
			snprintf(c->tenant, sizeof(c->tenant), "%.*s",
				(int)s[0].n, s[0].s);
			c->has_tenant = true;
		}
		s++;
		n--;
	}
	if (!n || !seg_is(&s[0], "api")) {
		return ROUTE_NONE;
	}
	if (n == 1) {
		return ROUTE_API_ROOT;
	}
	if (!seg_is(&s[1], "v1")) {
		return ROUTE_NONE;
	}
	if (n == 4 && seg_is(&s[2], "BatchTask")) {
		c->arg = s[3];
		return ROUTE_BATCH_TASK;
	}
	if (n == 5 && seg_is(&s[2], "Agents") && seg_is(&s[3], "Batch")) {
		if (seg_is(&s[4], "GetBatchTaskInfosByState")) {
			return ROUTE_AGENT_BY_STATE;
		}
		if (seg_is(&s[4], "GetBatchTaskInfo")) {
			return ROUTE_AGENT_BY_ID;
		}
	}
	return ROUTE_NONE;
}

/* --- request headers -> typed values ------------------------------------- */

/* false when an answer (400) was sent */
static bool resolve_zone(struct call *c) {
	const char *h = http_header(c->req, "SO-TimeZone");
	c->zone = c->app->server_zone;
	if (!h) {
		return true;
	}
	struct tz_header th;
	if (!tz_parse_header(h, strlen(h), &th)) {
		bad_header(c, "SO-TimeZone", h, "a time zone code, optionally "
			"followed by ',includeTZOffset'");
		return false;
	}
	if (th.code_len) {
		const struct tz_zone *z = tz_db_lookup(c->app->tzdb, th.code,
			th.code_len);
		if (!z) {
			bad_header(c, "SO-TimeZone", h, "a known time zone "
				"code, id or IANA name");
			return false;
		}
		c->zone = z;
	}
	return true;
}

static bool resolve_language(struct call *c) {
	c->lang_mode = i18n_choose(http_header(c->req, "SO-Language"),
		http_header(c->req, "Accept-Language"), &c->lang);
	const char *culture = http_header(c->req, "SO-Culture");
	/* SO-Culture is ignored when no language is in force (SPEC §8) */
	if (c->lang_mode == I18N_ON && culture) {
		if (!i18n_culture_valid(culture)) {
			bad_header(c, "SO-Culture", culture, "a known culture "
				"code such as 'en-US' or 'nb-NO'");
			return false;
		}
		c->culture = culture;
	}
	return true;
}

/* --- translation --------------------------------------------------------- */

static int translate_field(struct call *c, struct task_list *list,
		const char **field) {
	bool oom = false;
	if (!*field) {
		return 0;
	}
	char *s = i18n_resolve(*field, &c->lang, store_resource, c->reader,
		&oom);
	if (oom) {
		return -ENOMEM;
	}
	if (c->culture) {
		char *t = i18n_apply_culture(s ? s : *field, c->culture, &oom);
		if (oom) {
			free(s);
			return -ENOMEM;
		}
		if (t) {
			free(s);
			s = t;
		}
	}
	if (s) {
		*field = task_list_strdup(list, s);
		free(s);
		if (!*field) {
			return -ENOMEM;
		}
	}
	return 0;
}

static int translate(struct call *c, struct task_list *list) {
	if (c->lang_mode != I18N_ON) {
		return 0;
	}
	for (size_t i = 0; i < list->n; i++) {
		struct task *t = &list->items[i];
		const char **fields[] = { &t->name, &t->database_serial_number,
			&t->context, &t->result, &t->description, &t->response,
			&t->request, &t->progress_description, &t->file_name };
		for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			int ret = translate_field(c, list, fields[k]);
			if (ret) {
				return ret;
			}
		}
	}
	return 0;
}

/* --- handlers ------------------------------------------------------------ */

enum answer_kind {
	ANSWER_LIST,
	ANSWER_ONE,      /* one task, or 404 */
	ANSWER_ONE_NULL, /* one task, or null (Agents) */
};

/*
 * The cache key: everything the answer depends on (issue 5). The tenant
 * is the authenticated associate's, so credentials of one tenant share
 * answers and no answer crosses tenants.
 */
static size_t cache_key(const struct call *c, enum answer_kind kind,
		int state, int64_t id, char *buf, size_t cap) {
	int n = snprintf(buf, cap, "%s|%llu|%s|%d|%d|%lld|%d|%d|%s|%s|%s|%s",
		c->sandbox ? c->sandbox : "",
		(unsigned long long)store_reader_version(c->reader),
		c->auth.tenant, (int)kind, state, (long long)id, (int)c->media,
		(int)c->lang_mode, c->lang.prefix, c->lang.tag,
		c->culture ? c->culture : "", tz_zone_code(c->zone));
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* Render the answer afresh; NULL with an error answer sent. */
static char *render_answer(struct call *c, enum answer_kind kind, int state,
		int64_t id, size_t *len) {
	struct task_list list = { 0 };
	char *body = NULL;
	int ret;
	if (kind == ANSWER_LIST) {
		ret = store_list_tasks(c->reader, c->auth.tenant, state, &list);
	} else {
		ret = store_get_task(c->reader, c->auth.tenant, id, &list);
	}
	if (ret == -ENOENT && kind == ANSWER_ONE) {
		not_found_task(c, id);
		goto out;
	}
	if (!ret || ret == -ENOENT) {
		ret = translate(c, &list);
	}
	if (ret) {
		internal_error(c, ret);
		goto out;
	}
	struct render_ctx rctx = { .zone = c->zone };
	struct strbuf sb;
	strbuf_init(&sb, BODY_MAX);
	/* a generous first guess avoids most regrowth */
	strbuf_reserve(&sb, 1024 + list.n * 900);
	if (kind == ANSWER_LIST) {
		c->ops->tasks(&sb, &rctx, list.items, list.n);
	} else {
		c->ops->task(&sb, &rctx, list.n ? &list.items[0] : NULL);
	}
	if (!strbuf_ok(&sb)) {
		strbuf_finish(&sb);
		internal_error(c, -ENOMEM);
		goto out;
	}
	body = strbuf_detach(&sb, len);
out:
	task_list_finish(&list);
	return body;
}

/* The shared back half of every task route: one code path (SPEC §10). */
static void answer_tasks(struct call *c, enum answer_kind kind, int state,
		int64_t id) {
	char key[512];
	size_t key_len = cache_key(c, kind, state, id, key, sizeof(key));
	struct cache_entry *entry = NULL;
	if (c->app->cache && key_len) {
		entry = cache_get(c->app->cache, key, key_len);
	}
	if (!entry) {
		size_t len;
		char *body = render_answer(c, kind, state, id, &len);
		if (!body) {
			return;
		}
		entry = c->app->cache && key_len ? cache_put(c->app->cache,
			key, key_len, body, len) : cache_entry_create(key,
			key_len, body, len);
		if (!entry) {
			internal_error(c, -ENOMEM);
			return;
		}
	}
	c->resp->status = 200;
	c->resp->shared = entry;
	c->resp->gzip = negotiate_gzip(http_header(c->req, "Accept-Encoding"));
	api_headers(c);
}

static void handle_batch_task(struct call *c) {
	int64_t id;
	int state;
	bool digits = c->arg.n > 0;
	for (size_t i = 0; i < c->arg.n; i++) {
		digits = digits && c->arg.s[i] >= '0' && c->arg.s[i] <= '9';
	}
	if (digits) {
		/* GET /api/v1/BatchTask/{id}: the int-constrained sibling */
		if (!parse_int64_n(c->arg.s, c->arg.n, 0, INT32_MAX, &id)) {
			bad_state(c);
			return;
		}
		answer_tasks(c, ANSWER_ONE, 0, id);
		return;
	}
	if (!utf8_valid(c->arg.s, c->arg.n) ||
			!task_state_parse(c->arg.s, c->arg.n, &state)) {
		bad_state(c);
		return;
	}
	answer_tasks(c, ANSWER_LIST, state, 0);
}

/* The member @name of a JSON object, names compared case-insensitively. */
static json_t *member(json_t *obj, const char *name) {
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		if (!ascii_casecmp(k, name)) {
			return v;
		}
	}
	return NULL;
}

static void bad_agent_body(struct call *c, const char *param,
		const char *type) {
	char detail[512];
	snprintf(detail, sizeof(detail), "The parameters dictionary contains "
		"a null entry for parameter '%s' of non-nullable type '%s'. "
		"Send a JSON object such as {\"%s\":%s}.", param, type, param,
		!strcmp(param, "state") ? "\"Failed\"" : "7");
	bad_request(c, detail);
}

static void handle_agent(struct call *c, enum route_kind kind) {
	bool by_state = kind == ROUTE_AGENT_BY_STATE;
	const char *param = by_state ? "state" : "id";
	const char *type = by_state ? "SuperOffice.Data.BatchTaskState" :
		"System.Int32";
	if (c->req->body_too_large) {
		struct api_error e = { .status = 413, .n = 1, .fields = {
			{ .key = "Message", .kind = API_VALUE_STRING,
			.str = "The request body is larger than 1 MiB." } } };
		send_error(c, &e);
		return;
	}
	json_t *root = json_loadb(c->req->body, c->req->body_len, 0, NULL);
	json_t *v = json_is_object(root) ? member(root, param) : NULL;
	int state = 0;
	json_int_t id = 0;
	bool ok = false;
	if (by_state && json_is_string(v)) {
		ok = task_state_parse(json_string_value(v),
			json_string_length(v), &state);
	} else if (by_state && json_is_integer(v)) {
		state = (int)json_integer_value(v);
		ok = json_integer_value(v) == state && task_state_name(state);
	} else if (!by_state && json_is_integer(v)) {
		id = json_integer_value(v);
		ok = id >= INT32_MIN && id <= INT32_MAX;
	}
	json_decref(root);
	if (!ok) {
		bad_agent_body(c, param, type);
		return;
	}
	answer_tasks(c, by_state ? ANSWER_LIST : ANSWER_ONE_NULL, state, id);
}

static void handle_api_root(struct call *c) {
	const char *host = http_header(c->req, "Host");
	char base[512];
	snprintf(base, sizeof(base), "http://%.128s%s%.*s/api/v1/",
		host ? host : "localhost", c->prefix.n ? "/" : "",
		(int)c->prefix.n, c->prefix.s);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "v1", base,
		"Version", "v1", "NetServerVersion", "10.3.0.0",
		"Services", "Services87", "ServicesCurrent", "Services88",
		"Server", "somock " SOMOCK_VERSION);
	c->media = MEDIA_JSON;
	http_response_json(c->resp, 200, o);
	http_response_header(c->resp, "Cache-Control", "no-cache");
}

/* CORS (--cors ORIGIN), like SuperOffice onsite's CORSEnable/CORSOrigin */
static bool cors_origin(const struct call *c, const char **origin) {
	const char *allowed = c->app->cfg->cors;
	*origin = http_header(c->req, "Origin");
	return allowed && *origin && (!strcmp(allowed, "*") ||
		!strcmp(allowed, *origin));
}

static void cors_headers(struct call *c) {
	const char *origin;
	const char *allowed = c->app->cfg->cors;
	bool any = allowed && !strcmp(allowed, "*");
	if (allowed && !any) {
		/* the answer depends on Origin, matched or not */
		http_response_header(c->resp, "Vary", "Origin");
	}
	if (!cors_origin(c, &origin)) {
		return;
	}
	http_response_header(c->resp, "Access-Control-Allow-Origin",
		any ? "*" : origin);
	if (!any) {
		http_response_header(c->resp, "Access-Control-Allow-Credentials",
			"true");
	}
	http_response_header(c->resp, "Access-Control-Expose-Headers",
		"SO-TimeZone, Content-Language, WWW-Authenticate");
}

/* A preflight (Fetch §3.2.2): 204 with what may follow, or 405 without CORS */
static bool preflight(struct call *c) {
	const char *origin;
	if (!cors_origin(c, &origin) ||
			!http_header(c->req, "Access-Control-Request-Method")) {
		return false;
	}
	c->resp->status = 204;
	cors_headers(c);
	http_response_header(c->resp, "Access-Control-Allow-Methods",
		"GET, HEAD, POST, OPTIONS");
	http_response_header(c->resp, "Access-Control-Allow-Headers",
		"Authorization, Content-Type, Accept, Accept-Language, "
		"SO-Language, SO-Culture, SO-TimeZone, SO-AppToken, "
		"X-XSRF-TOKEN, X-Somock-Sandbox");
	http_response_header(c->resp, "Access-Control-Max-Age", "600");
	return true;
}

/* The sandbox the request names; false with an answer sent. */
static bool pick_store(struct call *c) {
	c->store = c->app->store;
	c->sandbox = http_header(c->req, "X-Somock-Sandbox");
	if (!c->sandbox) {
		return true;
	}
	if (!sandbox_name_valid(c->sandbox)) {
		bad_header(c, "X-Somock-Sandbox", c->sandbox, "a sandbox name "
			"(1-63 of A-Z, a-z, 0-9, '.', '_', '-')");
		c->sandbox = NULL;
		return false;
	}
	bool full;
	c->store = sandboxes_acquire(c->app->sandboxes, c->sandbox, &full);
	if (!c->store) {
		c->sandbox = NULL;
		c->store = c->app->store;
		if (!full) {
			internal_error(c, -ENOMEM);
			return false;
		}
		struct api_error e = { .status = 503, .n = 1, .fields = {
			{ .key = "Message", .kind = API_VALUE_STRING,
			.str = "Too many sandboxes (--sandbox-max); drop one "
			"with DELETE /__somock/sandboxes/NAME." } } };
		send_error(c, &e);
		return false;
	}
	return true;
}

static void api(struct call *c, enum route_kind kind) {
	const struct http_request *req = c->req;
	if (kind == ROUTE_API_ROOT) {
		handle_api_root(c);
		return;
	}
	c->reader = store_reader_acquire(c->store);
	if (!c->reader) {
		internal_error(c, -ENOMEM);
		return;
	}
	struct auth_request areq = {
		.authorization = http_header(req, "Authorization"),
		.cookie = http_header(req, "Cookie"),
		.xsrf = http_header(req, "X-XSRF-TOKEN"),
		.app_token = http_header(req, "SO-AppToken"),
		.tenant = c->has_tenant ? c->tenant : NULL,
		.mode = c->app->cfg->mode,
		.now = clock_now(c->app->clock),
	};
	int ret = auth_check(c->reader, &areq, &c->auth);
	static const char *const schemes[] = { "", "Basic", "SOTicket",
		"Bearer", "Session" };
	c->resp->scheme = schemes[c->auth.scheme];
	if (ret == -EACCES) {
		unauthorized(c);
		goto out;
	}
	if (ret) {
		internal_error(c, ret);
		goto out;
	}
	c->resp->associate_id = c->auth.associate_id;
	if (!resolve_zone(c) || !resolve_language(c)) {
		goto out;
	}
	if (kind == ROUTE_BATCH_TASK) {
		handle_batch_task(c);
	} else {
		handle_agent(c, kind);
	}
out:
	store_reader_release(c->store, c->reader);
}

void route_handle(const struct app *app, const struct http_request *req,
		struct http_response *resp) {
	if (control_path(req->path)) {
		control_handle(app, req, resp);
		return;
	}
	if (demo_path(req->path)) {
		demo_handle(app, req, resp);
		return;
	}
	struct call c = { .app = app, .req = req, .resp = resp,
		.zone = app->server_zone, .store = app->store };
	const char *accept = http_header(req, "Accept");
	c.media = negotiate_accept(accept, accept ? strlen(accept) : 0);
	c.ops = media_type_is_xml(c.media) ? &render_xml_ops :
		&render_json_ops;
	const char *path = origin_form(req->path);
	if (!path) {
		bad_request(&c, "The request target must start with '/'.");
		return;
	}
	enum route_kind kind = match(&c, path);
	bool get = !strcmp(req->method, "GET") || !strcmp(req->method, "HEAD");
	bool post = !strcmp(req->method, "POST");
	if (kind == ROUTE_NONE) {
		not_found_route(&c);
		return;
	}
	if (!strcmp(req->method, "OPTIONS") && preflight(&c)) {
		return;
	}
	bool agent = kind == ROUTE_AGENT_BY_STATE || kind == ROUTE_AGENT_BY_ID;
	if (agent ? !post : !get) {
		struct api_error e = { .status = 405, .n = 1, .fields = {
			{ .key = "Message", .kind = API_VALUE_STRING,
			.str = "The requested resource does not support "
			"this HTTP method." } } };
		send_error(&c, &e);
		http_response_header(resp, "Allow", agent ? "POST" :
			"GET, HEAD");
		return;
	}
	if (pick_store(&c)) {
		api(&c, kind);
	}
	cors_headers(&c);
	if (c.sandbox) {
		sandboxes_release(app->sandboxes, c.store);
	}
}
