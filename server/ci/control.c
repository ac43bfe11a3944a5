#include "build-config.h"
#include "control.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "auth.h"
#include "cache.h"
#include "clock.h"
#include "faults.h"
#include "http.h"
#include "iso8601.h"
#include "journal.h"
#include "number.h"
#include "sandbox.h"
#include "secret.h"
#include "simulate.h"
#include "store.h"
#include "ticks.h"
#include "tz.h"
#include "tz_format.h"
#include "watch.h"

#define PREFIX "/__somock"

bool control_path(const char *path) {
	size_t n = strlen(PREFIX);
	return !strncmp(path, PREFIX, n) && (!path[n] || path[n] == '/');
}

/* Answer @body (stolen; NULL means out of memory) with @status. */
static void reply(struct http_response *resp, int status, json_t *body) {
	http_response_json(resp, status, body);
	http_response_header(resp, "Cache-Control", "no-cache");
}

static void reply_error(struct http_response *resp, int status,
		const char *message) {
	reply(resp, status, json_pack("{s:s}", "Message", message));
}

static void reply_no_content(struct http_response *resp) {
	resp->status = 204;
	http_response_header(resp, "Cache-Control", "no-cache");
}

/*
 * A duration in milliseconds as JSON, rounded to the microsecond: the
 * clock's resolution is finer than anything measured here means.
 */
static json_t *ms_value(double ms) {
	return json_real(round(ms * 1000.0) / 1000.0);
}

static json_t *iso_time(const struct control *ctl, int64_t ticks) {
	char buf[TZ_FORMAT_MAX];
	tz_format(tz_db_lookup(ctl->tzdb, "UTC", 3), ticks, buf);
	return json_string(buf);
}

/* The body as JSON, or NULL with a 400 answered. */
static json_t *body_json(const struct http_request *req,
		struct http_response *resp, bool optional) {
	if (req->body_too_large) {
		reply_error(resp, 413, "the body is larger than 1 MiB");
		return NULL;
	}
	if (optional && !req->body_len) {
		return json_object();
	}
	json_error_t jerr;
	json_t *v = json_loadb(req->body, req->body_len,
		JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!v) {
		char msg[300];
		snprintf(msg, sizeof(msg), "the body is not JSON: line %d, "
			"column %d: %s", jerr.line, jerr.column, jerr.text);
		reply_error(resp, 400, msg);
	}
	return v;
}

/* The data this request addresses: a sandbox's or the default. */
struct target {
	struct store *store;
	bool sandbox;
};

static bool target_acquire(const struct control *ctl,
		const struct http_request *req, struct http_response *resp,
		struct target *t) {
	const char *name = http_header(req, "X-Somock-Sandbox");
	*t = (struct target){ .store = ctl->store };
	if (!name) {
		return true;
	}
	if (http_header_count(req, "X-Somock-Sandbox") > 1) {
		reply_error(resp, 400, "more than one X-Somock-Sandbox header");
		return false;
	}
	if (!sandbox_name_valid(name)) {
		reply_error(resp, 400, "X-Somock-Sandbox must be 1-63 of "
			"[A-Za-z0-9._-]");
		return false;
	}
	enum sandbox_refusal why;
	t->store = sandboxes_acquire(ctl->sandboxes, name, true, &why);
	if (!t->store) {
		reply_error(resp, 503, why == SANDBOX_FULL ? "too many "
			"sandboxes (--sandbox-max); drop one with DELETE "
			"/__somock/sandboxes/NAME" : "out of memory");
		return false;
	}
	t->sandbox = true;
	return true;
}

static void target_release(const struct control *ctl, struct target *t) {
	if (t->sandbox) {
		sandboxes_release(ctl->sandboxes, t->store);
	}
}

static int64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void health(const struct control *ctl, struct http_response *resp) {
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:b, s:b}",
		"status", "ok", "version", SOMOCK_VERSION,
		"mode", ctl->mode == AUTH_MODE_ONLINE ? "online" :
		"onsite",
		"uptimeMs", (json_int_t)((now_ns() - ctl->started) / 1000000),
		"dataVersion", (json_int_t)store_version(ctl->store),
		"simulate", ctl->simulator != NULL,
		"watch", ctl->watcher != NULL);
	if (o && ctl->cache) {
		struct cache_stats cs;
		cache_stats(ctl->cache, &cs);
		json_object_set_new(o, "cache", json_pack("{s:I, s:I, s:I, "
			"s:I}", "hits", (json_int_t)cs.hits, "misses",
			(json_int_t)cs.misses, "entries", (json_int_t)cs.entries,
			"bytes", (json_int_t)cs.bytes));
	}
	if (o && ctl->watcher) {
		char err[512];
		uint64_t n = watcher_reloads(ctl->watcher, err, sizeof(err));
		json_object_set_new(o, "reloads", json_integer((json_int_t)n));
		json_object_set_new(o, "lastReloadError", *err ?
			json_string(err) : json_null());
	}
	reply(resp, 200, o);
}

static void reset(const struct control *ctl, const struct http_request *req,
		struct http_response *resp) {
	json_t *opts = body_json(req, resp, true);
	struct target t;
	if (!opts) {
		return;
	}
	if (!json_is_object(opts)) {
		json_decref(opts);
		reply_error(resp, 400, "send an object, e.g. {\"journal\":true}");
		return;
	}
	if (!target_acquire(ctl, req, resp, &t)) {
		json_decref(opts);
		return;
	}
	int64_t start = now_ns();
	store_reset(t.store);
	if (json_is_true(json_object_get(opts, "journal"))) {
		journal_clear(ctl->journal);
	}
	if (json_is_true(json_object_get(opts, "faults"))) {
		faults_clear(ctl->faults);
	}
	target_release(ctl, &t);
	json_decref(opts);
	reply(resp, 200, json_pack("{s:b, s:o, s:I}", "reset", 1, "ms",
		ms_value((double)(now_ns() - start) / 1e6), "dataVersion",
		(json_int_t)store_version(ctl->store)));
}

static void load_fixtures(const struct control *ctl,
		const struct http_request *req, struct http_response *resp) {
	struct target t;
	char err[1024];
	if (req->body_too_large) {
		reply_error(resp, 413, "the body is larger than 1 MiB");
		return;
	}
	if (!target_acquire(ctl, req, resp, &t)) {
		return;
	}
	int ret = store_load_fixture(t.store, "request body", req->body,
		req->body_len, err, sizeof(err));
	target_release(ctl, &t);
	if (ret == -ENOSPC) {
		reply_error(resp, 503, "the sandboxes' memory limit "
			"(--sandbox-memory) is reached; drop one with DELETE "
			"/__somock/sandboxes/NAME");
		return;
	}
	if (ret) {
		reply(resp, 400, json_pack("{s:s, s:s}", "Message",
			"The fixture document was not loaded.",
			"MessageDetail", err));
		return;
	}
	reply(resp, 200, json_pack("{s:b}", "loaded", 1));
}

/* journal filters from the query string; false with a 400 answered */
static bool read_filter(const struct http_request *req,
		struct http_response *resp, struct journal_filter *f,
		int64_t *limit) {
	int64_t v;
	const char *s;
	*f = (struct journal_filter){
		.path = http_query(req, "path"),
		.method = http_query(req, "method"),
		.sandbox = http_query(req, "sandbox"),
	};
	*limit = 0;
	if ((s = http_query(req, "status"))) {
		if (!parse_int64(s, 100, 599, &v)) {
			reply_error(resp, 400, "status must be 100-599");
			return false;
		}
		f->status = (int)v;
	}
	if ((s = http_query(req, "associate"))) {
		if (!parse_int64(s, 1, INT32_MAX, &v)) {
			reply_error(resp, 400, "associate must be an id");
			return false;
		}
		f->associate_id = v;
	}
	if ((s = http_query(req, "limit"))) {
		if (!parse_int64(s, 1, 1000000, limit)) {
			reply_error(resp, 400, "limit must be 1-1000000");
			return false;
		}
	}
	return true;
}

struct collect {
	const struct control *ctl;
	json_t *arr;
};

static void collect_entry(void *ud, const struct journal_entry *e) {
	struct collect *c = ud;
	json_t *o = json_pack("{s:I, s:o, s:s, s:s, s:s, s:i, s:I, s:s, s:s, "
		"s:s, s:s, s:s, s:o}",
		"seq", (json_int_t)e->seq, "time", iso_time(c->ctl, e->time),
		"method", e->method, "path", e->path, "query", e->query,
		"status", e->status, "associateId", (json_int_t)e->associate_id,
		"scheme", e->scheme, "sandbox", e->sandbox, "accept", e->accept,
		"language", e->language, "timeZone", e->timezone, "ms",
		ms_value(e->ms));
	if (!o || json_array_append_new(c->arr, o)) {
		json_decref(c->arr);
		c->arr = NULL;
	}
}

static void requests(const struct control *ctl, const struct http_request *req,
		struct http_response *resp, bool count_only) {
	struct journal_filter f;
	int64_t limit;
	if (!read_filter(req, resp, &f, &limit)) {
		return;
	}
	if (count_only) {
		size_t n = journal_query(ctl->journal, &f, NULL, NULL);
		reply(resp, 200, json_pack("{s:I}", "count", (json_int_t)n));
		return;
	}
	struct collect c = { ctl, json_array() };
	size_t n = journal_query(ctl->journal, &f, collect_entry, &c);
	if (c.arr && limit && (size_t)limit < json_array_size(c.arr)) {
		/* the newest @limit */
		json_t *tail = json_array();
		for (size_t i = json_array_size(c.arr) - (size_t)limit;
				tail && i < json_array_size(c.arr); i++) {
			json_array_append(tail, json_array_get(c.arr, i));
		}
		json_decref(c.arr);
		c.arr = tail;
	}
	reply(resp, 200, c.arr ? json_pack("{s:I, s:o}", "count",
		(json_int_t)n, "requests", c.arr) : NULL);
}

static void faults(const struct control *ctl, const struct http_request *req,
		struct http_response *resp) {
	const char *m = req->method;
	if (!strcmp(m, "GET")) {
		reply(resp, 200, faults_to_json(ctl->faults));
		return;
	}
	if (!strcmp(m, "DELETE")) {
		faults_clear(ctl->faults);
		reply_no_content(resp);
		return;
	}
	json_t *rules = body_json(req, resp, false);
	char err[300];
	if (!rules) {
		return;
	}
	int ret = faults_set(ctl->faults, rules, !strcmp(m, "POST"), err,
		sizeof(err));
	json_decref(rules);
	if (ret) {
		reply_error(resp, 400, err);
		return;
	}
	reply(resp, 200, faults_to_json(ctl->faults));
}

static void clock_state(const struct control *ctl, struct http_response *resp) {
	json_t *o = json_pack("{s:o, s:b}", "now",
		iso_time(ctl, clock_now(ctl->clock)), "frozen",
		clock_frozen(ctl->clock));
	if (o && ctl->simulator) {
		json_object_set_new(o, "ticks", json_integer((json_int_t)
			simulator_ticks(ctl->simulator)));
	}
	reply(resp, 200, o);
}

/*
 * @s seconds as ticks, when finite and no more than the span a DateTime
 * holds (so the product cannot overflow); false otherwise.
 */
static bool seconds_to_ticks(double s, int64_t *out) {
	double max = (double)(TICKS_MAX / TICKS_PER_SECOND);
	if (!isfinite(s) || s > max || s < -max) {
		return false;
	}
	*out = llround(s * (double)TICKS_PER_SECOND);
	return true;
}

static void clock_change(const struct control *ctl,
		const struct http_request *req, struct http_response *resp) {
	json_t *o = body_json(req, resp, false);
	if (!o) {
		return;
	}
	json_t *freeze = json_object_get(o, "freeze");
	json_t *set = json_object_get(o, "set");
	json_t *adv = json_object_get(o, "advanceSeconds");
	int64_t ticks = 0;
	const char *bad = NULL;
	const char *k;
	json_t *v;
	if (!json_is_object(o)) {
		bad = "send an object: {\"freeze\":true}, {\"set\":\"2030-01-01"
			"T00:00:00Z\"}, {\"advanceSeconds\":60}";
	}
	json_object_foreach(o, k, v) {
		if (strcmp(k, "freeze") && strcmp(k, "set") &&
				strcmp(k, "advanceSeconds")) {
			bad = "keys are freeze, set and advanceSeconds";
		}
	}
	if (!bad && freeze && !json_is_boolean(freeze)) {
		bad = "freeze must be true or false";
	}
	if (!bad && set && (!json_is_string(set) || !tz_parse_iso(
			json_string_value(set), json_string_length(set),
			&ticks))) {
		bad = "set must be a date such as 2030-01-01T00:00:00Z";
	}
	int64_t adv_ticks = 0;
	if (!bad && adv && (!json_is_number(adv) ||
			!seconds_to_ticks(json_number_value(adv), &adv_ticks))) {
		bad = "advanceSeconds must be a number of seconds within "
			"+/-315537897600 (the span of 0001-01-01..9999-12-31)";
	}
	if (!bad && adv) {
		int64_t base = set ? ticks : clock_now(ctl->clock);
		int64_t to = base + adv_ticks; /* both bounded: no overflow */
		if (to < 0 || to > TICKS_MAX) {
			bad = "advanceSeconds would move the clock outside "
				"0001-01-01T00:00:00Z..9999-12-31T23:59:59Z";
		}
	}
	if (bad) {
		json_decref(o);
		reply_error(resp, 400, bad);
		return;
	}
	if (freeze) {
		clock_freeze(ctl->clock, json_is_true(freeze));
	}
	if (set && ctl->simulator) {
		simulator_set_clock(ctl->simulator, ticks);
	} else if (set) {
		clock_set(ctl->clock, ticks);
	}
	if (adv && !clock_advance(ctl->clock, adv_ticks)) {
		/* the clock moved meanwhile (a running clock near the end) */
		json_decref(o);
		reply_error(resp, 400, "advanceSeconds would move the clock "
			"outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59Z");
		return;
	}
	json_decref(o);
	if (ctl->simulator) {
		simulator_sync(ctl->simulator);
	}
	clock_state(ctl, resp);
}

static bool allowed(const struct control *ctl, const struct http_request *req) {
	if (req->loopback) {
		return true;
	}
	const char *want = ctl->admin_token;
	const char *got = http_header(req, "X-Somock-Admin-Token");
	if (http_header_count(req, "X-Somock-Admin-Token") > 1) {
		return false;
	}
	return want && got && secret_equal(got, strlen(got), want,
		strlen(want));
}

struct control_route {
	const char *path;       /* after /__somock */
	const char *methods;    /* for Allow */
};

static const struct control_route routes[] = {
	{ "/health", "GET, HEAD" },
	{ "/reset", "POST" },
	{ "/fixtures", "POST" },
	{ "/requests", "GET, DELETE" },
	{ "/requests/count", "GET" },
	{ "/faults", "GET, PUT, POST, DELETE" },
	{ "/clock", "GET, POST" },
	{ "/sandboxes", "GET" },
};

static bool method_in(const char *method, const char *list) {
	size_t n = strlen(method);
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, method, n)) {
			return true;
		}
		p = end ? end + 2 : p + len;
	}
	return false;
}

void control_handle(const struct control *ctl, const struct http_request *req,
		struct http_response *resp) {
	const char *sub = req->path + strlen(PREFIX);
	const char *m = req->method;
	const struct control_route *r = NULL;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!strcmp(sub, routes[i].path)) {
			r = &routes[i];
		}
	}
	bool sandbox_item = !strncmp(sub, "/sandboxes/", 11) && sub[11];
	if (!r && !sandbox_item) {
		reply_error(resp, 404, "no such control endpoint; see "
			"docs/control-api.md");
		return;
	}
	const char *methods = r ? r->methods : "DELETE";
	if (!method_in(m, methods)) {
		reply_error(resp, 405, "method not allowed here");
		http_response_header(resp, "Allow", methods);
		return;
	}
	if (r && !strcmp(r->path, "/health")) {
		health(ctl, resp);
		return;
	}
	if (!allowed(ctl, req)) {
		reply_error(resp, 403, "the control API answers loopback "
			"clients, or X-Somock-Admin-Token equal to --admin-token");
		return;
	}
	if (sandbox_item) {
		if (sandboxes_drop(ctl->sandboxes, sub + 11)) {
			reply_no_content(resp);
		} else {
			reply_error(resp, 404, "no such sandbox");
		}
	} else if (!strcmp(r->path, "/reset")) {
		reset(ctl, req, resp);
	} else if (!strcmp(r->path, "/fixtures")) {
		load_fixtures(ctl, req, resp);
	} else if (!strcmp(r->path, "/requests")) {
		if (!strcmp(m, "DELETE")) {
			journal_clear(ctl->journal);
			reply_no_content(resp);
		} else {
			requests(ctl, req, resp, false);
		}
	} else if (!strcmp(r->path, "/requests/count")) {
		requests(ctl, req, resp, true);
	} else if (!strcmp(r->path, "/faults")) {
		faults(ctl, req, resp);
	} else if (!strcmp(r->path, "/clock")) {
		if (!strcmp(m, "GET")) {
			clock_state(ctl, resp);
		} else {
			clock_change(ctl, req, resp);
		}
	} else {
		reply(resp, 200, sandboxes_to_json(ctl->sandboxes));
	}
}
