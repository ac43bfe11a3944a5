#include "build-config.h"
#include "api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "agents.h"
#include "ascii.h"
#include "auth.h"
#include "batch.h"
#include "cache.h"
#include "caller.h"
#include "clock.h"
#include "credentials.h"
#include "errors.h"
#include "http.h"
#include "i18n.h"
#include "log.h"
#include "model.h"
#include "negotiate.h"
#include "number.h"
#include "queries.h"
#include "render.h"
#include "resources.h"
#include "route.h"
#include "store.h"
#include "strbuf.h"
#include "task_list.h"
#include "tz.h"
#include "tz_header.h"
#include "utf8.h"
#include "writes.h"

/* Body cap for one answer: 10 000 tasks render to about 8 MB. */
#define BODY_MAX ((size_t)256 * 1024 * 1024)

/* One request in flight through the pipeline. */
struct call {
	const struct api *api;
	struct caller who;            /* the data, its reader, the caller */
	const struct http_request *req;
	struct http_response *resp;
	enum media_type media;
	const struct render_ops *ops;
	struct route_match route;
	const struct tz_zone *zone;
	enum tz_format_flags date_flags;  /* with the zone: how dates look */
	struct i18n_lang lang;
	enum i18n_mode lang_mode;
	const char *culture;
};

/* The NetServer release somock's answers and version document stand for. */
#define API_NETSERVER_VERSION "10.3.0.0"
#define API_NETSERVER_DATE "2024-01-01"

/* --- responses ---------------------------------------------------------- */

/*
 * Headers every API answer carries: content type and no-cache, the zone
 * used in SO-TimeZone, Content-Language when a language was applied.
 */
static void api_headers(struct call *c) {
	struct http_response *r = c->resp;
	api_common_headers(r, c->media);
	if (c->zone) {
		http_response_header(r, "SO-TimeZone", tz_zone_code(c->zone));
	}
	if (c->lang_mode == I18N_ON) {
		http_response_header(r, "Content-Language", c->lang.tag);
	}
}

static void send_error(struct call *c, const struct api_error *err) {
	api_error_write(c->resp, c->media, err);
	if (c->zone) {
		http_response_header(c->resp, "SO-TimeZone",
			tz_zone_code(c->zone));
	}
	if (c->lang_mode == I18N_ON) {
		http_response_header(c->resp, "Content-Language", c->lang.tag);
	}
}

static void bad_request(struct call *c, const char *detail) {
	struct api_error e;
	api_error_bad_request(&e, detail);
	send_error(c, &e);
}

static void bad_header(struct call *c, const char *header, const char *value,
		const char *what) {
	struct api_error e;
	api_error_bad_header(&e, header, value, what);
	send_error(c, &e);
}

static void bad_state(struct call *c) {
	struct api_error e;
	api_error_bad_state(&e);
	send_error(c, &e);
}

static void internal_error(struct call *c, int err) {
	struct api_error e;
	api_error_internal(&e, err);
	send_error(c, &e);
}

static void unauthorized(struct call *c) {
	struct api_error e;
	api_error_unauthorized(&e, c->who.auth.error_type, c->who.auth.message);
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
		c->api->mode == AUTH_MODE_ONLINE ? "Bearer" :
		"Basic realm=\"SuperOffice\"");
}

/* --- request headers -> typed values ------------------------------------- */

/* false when an answer (400) was sent */
static bool resolve_zone(struct call *c) {
	const char *h = http_header(c->req, "SO-TimeZone");
	c->zone = c->api->server_zone;
	if (!h) {
		return true;
	}
	struct tz_header th;
	if (!tz_parse_header(h, strlen(h), &th)) {
		bad_header(c, "SO-TimeZone", h, "a time zone code, optionally "
			"followed by ',includeTZOffset'");
		return false;
	}
	/* documented: a zone without includeTZOffset is bare local time */
	if (c->api->dates == API_DATES_DOCUMENTED && th.code_len &&
			!th.include_offset) {
		c->date_flags = TZ_FORMAT_NO_DESIGNATOR;
	}
	if (th.code_len) {
		const struct tz_zone *z = tz_db_lookup(c->api->tzdb, th.code,
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
	/* SO-Culture is ignored when no language is in force */
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
	char *s = i18n_resolve(*field, &c->lang, store_resource, c->who.reader,
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
		for (size_t k = 0; k < TASK_FIELD_COUNT; k++) {
			const struct task_field *f = &task_fields[k];
			if (!f->translated) {
				continue;
			}
			int ret = translate_field(c, list,
				task_field_text_ref(t, f));
			if (ret) {
				return ret;
			}
		}
	}
	return 0;
}

/* --- handlers ------------------------------------------------------------ */

/* What an answer holds: the tasks it reads, and the fields it keeps. */
struct query {
	struct batch_query bq;
	uint32_t select;            /* bit i: task_fields[i]; 0: every one */
};

/*
 * The cache key: everything the answer depends on. The tenant is the
 * authenticated associate's, so credentials of one tenant share answers
 * and no answer crosses tenants. 0 when it does not fit: not cached.
 */
static size_t cache_key(const struct call *c, const struct query *q,
		char *buf, size_t cap, int64_t *version) {
	const struct task_filter *f = &q->bq.filter;
	/*
	 * The rows it read, by what a write marks stale (data/writes.h):
	 * one task, a state's list, or every task of the tenant.
	 */
	char dep[160];
	if (q->bq.kind != BATCH_LIST) {
		snprintf(dep, sizeof(dep), "I|%s|%lld", c->who.auth.tenant,
			(long long)q->bq.id);
	} else if (f->kinds == TASKS_USER && !f->name && !f->associates &&
			f->state != TASK_STATE_ALL) {
		snprintf(dep, sizeof(dep), "S|%s|%d", c->who.auth.tenant, f->state);
	} else {
		snprintf(dep, sizeof(dep), "T|%s", c->who.auth.tenant);
	}
	/*
	 * The epoch names the data itself, unique across the store and its
	 * sandboxes: sandboxes that changed nothing read the same data and
	 * share their answers. The rows' version is the entry's, not the
	 * key's: a write makes the key's one entry stale, and the next
	 * answer replaces it rather than piling up beside it.
	 */
	*version = store_reader_dep(c->who.reader, dep);
	int n = snprintf(buf, cap, "%llu|%s|%d|%lld|%d|%d|%s|%s|%08x|"
		"%d|%d|%s|%s|%s|%s|%d",
		(unsigned long long)store_reader_epoch(c->who.reader),
		c->who.auth.tenant, (int)q->bq.kind, (long long)q->bq.id,
		(int)f->kinds,
		f->state, f->name ? f->name : "\x01",
		f->associates ? f->associates : "\x01", (unsigned)q->select,
		(int)c->media, (int)c->lang_mode, c->lang.prefix, c->lang.tag,
		c->culture ? c->culture : "", tz_zone_code(c->zone),
		(int)c->date_flags);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/*
 * Whether to keep the answer: not when it comes from a sandbox's own data,
 * which one test reads and which its entries would outlive (a CI suite
 * makes thousands of sandboxes; their answers filled the cache's 256 MB
 * and crowded out the start-up data's). They render in microseconds.
 */
static bool cacheable(const struct call *c) {
	return c->api->cache && !store_reader_private(c->who.reader);
}

/* $select: the fields not kept take .NET's default (null, 0, MinValue). */
static void apply_select(struct task_list *list, uint32_t select) {
	if (!select) {
		return;
	}
	for (size_t i = 0; i < list->n; i++) {
		for (size_t k = 0; k < TASK_FIELD_COUNT; k++) {
			const struct task_field *f = &task_fields[k];
			if (select & (UINT32_C(1) << k)) {
				continue;
			}
			const char **text = task_field_text_ref(&list->items[i],
				f);
			if (text) {
				*text = NULL;
			} else {
				task_field_set_number(&list->items[i], f, 0);
			}
		}
	}
}

/* Render the answer afresh; NULL with an error answer sent. */
static char *render_answer(struct call *c, const struct query *q,
		size_t *len) {
	struct task_list list = { 0 };
	char *body = NULL;
	int ret = batch_read(c->who.reader, c->who.auth.tenant, &q->bq, &list);
	if (ret == -ENOENT && q->bq.kind == BATCH_ONE) {
		struct api_error e;
		api_error_no_task(&e, q->bq.id);
		send_error(c, &e);
		goto out;
	}
	if (!ret || ret == -ENOENT) {
		apply_select(&list, q->select);
		ret = translate(c, &list);
	}
	if (ret) {
		internal_error(c, ret);
		goto out;
	}
	struct render_ctx rctx = { .zone = c->zone,
		.date_flags = c->date_flags };
	struct strbuf sb;
	strbuf_init(&sb, BODY_MAX);
	/* a generous first guess avoids most regrowth */
	strbuf_reserve(&sb, 1024 + list.n * 900);
	if (q->bq.kind == BATCH_LIST) {
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

/* The shared back half of every task route: one code path. */
static void answer_tasks(struct call *c, const struct query *q) {
	char key[2048];
	int64_t version = 0;
	size_t key_len = cache_key(c, q, key, sizeof(key), &version);
	struct cache_entry *entry = NULL;
	bool keep = cacheable(c) && key_len;
	if (keep) {
		entry = cache_get(c->api->cache, key, key_len, version);
	}
	if (!entry) {
		size_t len;
		char *body = render_answer(c, q, &len);
		if (!body) {
			return;
		}
		entry = keep ? cache_put(c->api->cache,
			key, key_len, version, body, len) : cache_entry_create(key,
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

/* --- writes ------------------------------------------------------------ */

/*
 * An Int32 or Boolean answer: JSON's number or literal, or the
 * DataContract form (<int xmlns="...Serialization/">5</int>).
 */
static void send_scalar(struct call *c, bool boolean, int64_t v) {
	struct strbuf sb;
	strbuf_init(&sb, 256);
	if (media_type_is_xml(c->media)) {
		strbuf_puts(&sb, boolean ? "<boolean" : "<int");
		strbuf_puts(&sb, " xmlns=\"http://schemas.microsoft.com/2003/10/"
			"Serialization/\">");
	}
	if (boolean) {
		strbuf_puts(&sb, v ? "true" : "false");
	} else {
		strbuf_put_i64(&sb, v);
	}
	if (media_type_is_xml(c->media)) {
		strbuf_puts(&sb, boolean ? "</boolean>" : "</int>");
	}
	if (!strbuf_ok(&sb)) {
		strbuf_finish(&sb);
		internal_error(c, -ENOMEM);
		return;
	}
	c->resp->status = 200;
	c->resp->body = strbuf_detach(&sb, &c->resp->body_len);
	api_headers(c);
}

/* A write failed: 400 naming the member for a bad carrier, else 5xx. */
static void write_failed(struct call *c, int ret, const char *why) {
	if (ret == -EINVAL) {
		bad_request(c, why);
	} else if (ret == -ENOSPC) {
		struct api_error e;
		api_error_sandbox_memory(&e);
		send_error(c, &e);
	} else {
		internal_error(c, ret);
	}
}

/*
 * Run the write @op with @args on the caller's data and answer what it
 * answers: the new Id, whether it stopped, 204, or the updated task (one
 * that does not exist: null, or 404 when @missing is BATCH_ONE).
 */
static void run_write(struct call *c, const struct agent_op *op,
		json_t *args, enum batch_answer missing) {
	struct batch_outcome out;
	char err[512];
	int ret = caller_write(&c->who, c->api, op, args, &out, err,
		sizeof(err));
	if (ret) {
		write_failed(c, ret, err);
		return;
	}
	switch (out.result) {
	case AGENT_TYPE_INT32:
	case AGENT_TYPE_BOOL:
		send_scalar(c, out.result == AGENT_TYPE_BOOL, out.value);
		return;
	case AGENT_TYPE_CARRIER: {
		struct query q = { .bq = { .kind = missing, .id = out.id } };
		answer_tasks(c, &q);
		return;
	}
	default:
		c->resp->status = 204;
		api_headers(c);
		return;
	}
}

/* A write of the REST routes: @op with one parameter @name = @v (stolen). */
static void run_rest_write(struct call *c, enum agent_op_id op,
		const char *name, json_t *v, enum batch_answer missing) {
	json_t *args = json_object();
	if (!v || !args || json_object_set_new(args, name, v)) {
		json_decref(args);
		internal_error(c, -ENOMEM);
		return;
	}
	run_write(c, &agent_ops[op], args, missing);
	json_decref(args);
}

/* The {id} segment, when it is one: all digits, within Int32. */
static bool arg_id(const struct call *c, int64_t *id) {
	const struct route_segment *arg = &c->route.arg;
	bool digits = arg->n > 0;
	for (size_t i = 0; i < arg->n; i++) {
		digits = digits && arg->s[i] >= '0' && arg->s[i] <= '9';
	}
	return digits && parse_int64_n(arg->s, arg->n, 0, INT32_MAX, id);
}

static bool arg_digits(const struct call *c) {
	const struct route_segment *arg = &c->route.arg;
	bool digits = arg->n > 0;
	for (size_t i = 0; i < arg->n; i++) {
		digits = digits && arg->s[i] >= '0' && arg->s[i] <= '9';
	}
	return digits;
}

/* 405 with the methods a route on {state} (not {id}) answers. */
static void state_route_method(struct call *c) {
	struct api_error e;
	api_error_method(&e);
	send_error(c, &e);
	http_response_header(c->resp, "Allow", "GET, HEAD");
}

static void handle_batch_task(struct call *c) {
	int64_t id;
	int state;
	const struct route_segment *arg = &c->route.arg;
	const char *m = c->req->method;
	bool read = !strcmp(m, "GET") || !strcmp(m, "HEAD");
	if (arg_digits(c)) {
		/* /api/v1/BatchTask/{id}: the int-constrained sibling */
		if (!arg_id(c, &id)) {
			bad_state(c);
			return;
		}
		if (!strcmp(m, "DELETE")) {
			run_rest_write(c, AGENT_DELETE, "BatchTaskId",
				json_integer(id), BATCH_ONE);
			return;
		}
		if (!strcmp(m, "PUT")) {
			json_t *carrier;
			struct api_error e;
			if (agent_carrier_read(c->req, &carrier, &e)) {
				send_error(c, &e);
				return;
			}
			/* the URL's id, whatever the body says */
			json_object_set_new(carrier, "Id", json_integer(id));
			run_rest_write(c, AGENT_UPDATE, "BatchTaskInfo", carrier,
				BATCH_ONE);
			return;
		}
		struct query q = { .bq = { .kind = BATCH_ONE, .id = id } };
		answer_tasks(c, &q);
		return;
	}
	if (!read) {
		/* PUT and DELETE exist only on {id} */
		state_route_method(c);
		return;
	}
	if (!utf8_valid(arg->s, arg->n) ||
			!task_state_parse(arg->s, arg->n, &state)) {
		bad_state(c);
		return;
	}
	struct query q = { .bq = { .kind = BATCH_LIST, .filter = {
		.kinds = TASKS_USER, .state = state } } };
	answer_tasks(c, &q);
}

/*
 * GET /api/v1/User/currentPrincipal: who the caller is, as
 * SuperOffice's SoPrincipalCarrier names it (the members somock knows;
 * the rest keep .NET's defaults).
 */
static void handle_principal(struct call *c) {
	struct store_associate a;
	int ret = store_find_associate(c->who.reader, c->who.auth.associate_id, &a);
	if (ret) {
		internal_error(c, ret == -ENOENT ? -EIO : ret);
		return;
	}
	json_t *o = json_pack("{s:s, s:s, s:I, s:b, s:I, s:s, s:s, s:s}",
		"UserType", "InternalAssociate", "Associate", a.name,
		"AssociateId", (json_int_t)a.id, "IsPerson", 1, "PersonId",
		(json_int_t)0, "FullName", a.full_name, "EMailAddress", "",
		"DatabaseContextIdentifier", a.tenant);
	c->media = MEDIA_JSON;
	http_response_json(c->resp, 200, o);
	api_headers(c);
}

/* /api/v1/BatchTask: POST starts a job; GET is the OData archive list. */
static void handle_batch_tasks(struct call *c) {
	struct api_error e;
	if (strcmp(c->req->method, "POST")) {
		api_error_not_implemented(&e, "The OData archive list of batch "
			"tasks is not served: SuperOffice does not publish its "
			"archive columns. Use GET /api/v1/BatchTask/{state} or "
			"the Agents API.");
		send_error(c, &e);
		return;
	}
	json_t *carrier;
	if (agent_carrier_read(c->req, &carrier, &e)) {
		send_error(c, &e);
		return;
	}
	run_rest_write(c, AGENT_START, "BatchTaskInfo", carrier, BATCH_ONE);
}

/* POST /api/v1/BatchTask/{id}/Stop */
static void handle_batch_task_stop(struct call *c) {
	int64_t id;
	if (!arg_id(c, &id)) {
		struct api_error e;
		api_error_no_route(&e, http_header(c->req, "Host"),
			c->req->path);
		send_error(c, &e);
		return;
	}
	run_rest_write(c, AGENT_STOP, "Id", json_integer(id), BATCH_ONE);
}

/*
 * $select=Name,State: the carrier properties whose values are kept, as a
 * bit mask of task_fields (0: every one). false with a 400 sent.
 */
static bool read_select(struct call *c, uint32_t *mask) {
	const char *s = http_query(c->req, "$select");
	*mask = 0;
	if (!s) {
		return true;
	}
	while (*s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		const char *name = s;
		size_t len = n;
		trim_slice(&name, &len);
		bool found = false;
		for (size_t k = 0; len && k < TASK_FIELD_COUNT; k++) {
			if (ascii_casecmp_n(name, len, task_fields[k].name)) {
				*mask |= UINT32_C(1) << k;
				found = true;
			}
		}
		if (len && !found) {
			struct api_error e;
			api_error_bad_select(&e, name, len);
			send_error(c, &e);
			return false;
		}
		s = end ? end + 1 : s + n;
	}
	return true;
}

/* GET on an Agents URL: what the call is (the real API answers so). */
static void describe_agent(struct call *c, const struct agent_op *op) {
	json_t *o = agent_op_describe(op, c->req->path);
	c->media = MEDIA_JSON;
	http_response_json(c->resp, 200, o);
	api_headers(c);
}

static void handle_agent(struct call *c) {
	const struct route_segment *arg = &c->route.arg;
	const struct agent_op *op = agent_op_find(arg->s, arg->n);
	struct api_error e;
	if (!op) {
		api_error_no_route(&e, http_header(c->req, "Host"), c->req->path);
		send_error(c, &e);
		return;
	}
	if (strcmp(c->req->method, "POST")) {
		describe_agent(c, op);
		return;
	}
	json_t *args;
	if (agent_args_read(op, c->req, &args, &e)) {
		send_error(c, &e);
		return;
	}
	struct query q;
	if (!batch_read_query(op, args, &q.bq)) {
		run_write(c, op, args, BATCH_ONE_NULL);
		goto out;
	}
	if (!read_select(c, &q.select)) {
		goto out;
	}
	answer_tasks(c, &q);
out:
	json_decref(args);
}

static void handle_api_root(struct call *c) {
	const char *host = http_header(c->req, "Host");
	char base[512];
	snprintf(base, sizeof(base), "http://%.128s%s%.*s/api/v1/",
		host ? host : "localhost", c->route.prefix.n ? "/" : "",
		(int)c->route.prefix.n, c->route.prefix.s);
	/*
	 * The keys of NetServer's own version document, in its order; the
	 * values are somock's (the NetServer it stands in for, and itself).
	 */
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		"v1", base, "Version", "v1",
		"NetServerVersion", API_NETSERVER_VERSION,
		"NetServerAssembly", API_NETSERVER_VERSION,
		"NetServerDate", API_NETSERVER_DATE,
		"NetServer", "somock " SOMOCK_VERSION ", a mock of SuperOffice "
		"NetServer " API_NETSERVER_VERSION,
		"NetServerLabel", "somock-" SOMOCK_VERSION,
		"Services", "Services87", "ServicesCurrent", "Services88");
	c->media = MEDIA_JSON;
	http_response_json(c->resp, 200, o);
	http_response_header(c->resp, "Cache-Control", "no-cache");
	http_response_header(c->resp, "Pragma", "no-cache");
	http_response_header(c->resp, "Expires", "-1");
}

/* CORS (--cors ORIGIN), like SuperOffice onsite's CORSEnable/CORSOrigin */
static bool cors_origin(const struct call *c, const char **origin) {
	const char *allowed = c->api->cors;
	*origin = http_header(c->req, "Origin");
	return allowed && *origin && (!strcmp(allowed, "*") ||
		!strcmp(allowed, *origin));
}

static void cors_headers(struct call *c) {
	const char *origin;
	const char *allowed = c->api->cors;
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
		"GET, HEAD, POST, PUT, DELETE, OPTIONS");
	http_response_header(c->resp, "Access-Control-Allow-Headers",
		"Authorization, Content-Type, Accept, Accept-Language, "
		"SO-Language, SO-Culture, SO-TimeZone, SO-AppToken, "
		"X-XSRF-TOKEN, X-Somock-Sandbox");
	http_response_header(c->resp, "Access-Control-Max-Age", "600");
	return true;
}

/*
 * Authenticate the caller in the data it names: 0, -EACCES (c->who.auth
 * says why), or another negative errno with an answer sent.
 */
static int authenticate(struct call *c) {
	const struct http_request *req = c->req;
	struct auth_request areq = {
		.authorization = http_header(req, "Authorization"),
		.cookie = http_header(req, "Cookie"),
		.xsrf = http_header(req, "X-XSRF-TOKEN"),
		.app_token = http_header(req, "SO-AppToken"),
		.tenant = c->route.tenant[0] ? c->route.tenant : NULL,
		.mode = c->api->mode,
		.now = clock_now(c->api->clock),
	};
	struct api_error e;
	int ret = caller_authenticate(&c->who, c->api, &areq, &e);
	c->resp->scheme = auth_scheme_name(c->who.auth.scheme);
	if (ret && ret != -EACCES) {
		send_error(c, &e);
	}
	return ret;
}

static void answer(struct call *c, enum route_id kind) {
	if (kind == ROUTE_API_ROOT) {
		handle_api_root(c);
		return;
	}
	int ret = authenticate(c);
	if (ret == -EACCES) {
		unauthorized(c);
		return;
	}
	if (ret) {
		return;
	}
	c->resp->associate_id = c->who.auth.associate_id;
	if (!resolve_zone(c) || !resolve_language(c)) {
		return;
	}
	switch (kind) {
	case ROUTE_BATCH_TASK:
		handle_batch_task(c);
		break;
	case ROUTE_BATCH_TASKS:
		handle_batch_tasks(c);
		break;
	case ROUTE_BATCH_TASK_STOP:
		handle_batch_task_stop(c);
		break;
	case ROUTE_AGENT:
		handle_agent(c);
		break;
	case ROUTE_PRINCIPAL:
		handle_principal(c);
		break;
	case ROUTE_API_ROOT:
	case ROUTE_SOAP:
	case ROUTE_NONE:
		break;
	}
}

void api_handle(const struct api *api, const struct http_request *req,
		struct http_response *resp) {
	struct call c = { .api = api, .req = req, .resp = resp,
		.zone = api->server_zone };
	const char *accept = http_header(req, "Accept");
	c.media = negotiate_accept(accept, accept ? strlen(accept) : 0);
	c.ops = media_type_is_xml(c.media) ? &render_xml_ops :
		&render_json_ops;
	const char *path = route_origin_form(req->path);
	if (!path) {
		bad_request(&c, "The request target must start with '/'.");
		return;
	}
	/* one value each: which of two would win is how tests go wrong */
	static const char *const singletons[] = { "SO-TimeZone",
		"SO-Language", "SO-Culture", "SO-AppToken", "X-XSRF-TOKEN",
		"X-Somock-Sandbox" };
	for (size_t i = 0; i < sizeof(singletons) / sizeof(singletons[0]);
			i++) {
		if (http_header_count(req, singletons[i]) > 1) {
			char detail[96];
			snprintf(detail, sizeof(detail), "More than one %s "
				"header.", singletons[i]);
			bad_request(&c, detail);
			return;
		}
	}
	/* the SOAP service is server/soap's: the front door sends it there */
	if (!route_match(path, &c.route) || c.route.route->id == ROUTE_SOAP) {
		struct api_error e;
		api_error_no_route(&e, http_header(req, "Host"), req->path);
		send_error(&c, &e);
		return;
	}
	if (!strcmp(req->method, "OPTIONS") && preflight(&c)) {
		return;
	}
	const struct route *route = c.route.route;
	/* a {state} segment has no PUT or DELETE: those need an {id} */
	const char *methods = route->id == ROUTE_BATCH_TASK && !arg_digits(&c) ?
		"GET, HEAD" : route->methods;
	if (!route_allows(route, req->method) || (methods != route->methods &&
			strcmp(req->method, "GET") && strcmp(req->method, "HEAD") &&
			strcmp(req->method, "OPTIONS"))) {
		struct api_error e;
		api_error_method(&e);
		send_error(&c, &e);
		http_response_header(resp, "Allow", methods);
		return;
	}
	struct api_error e;
	if (caller_pick(&c.who, api, req, &e)) {
		send_error(&c, &e);
	} else {
		answer(&c, route->id);
	}
	cors_headers(&c);
	caller_finish(&c.who, api);
}
