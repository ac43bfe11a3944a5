#include "build-config.h"
#include "record.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "ascii.h"
#include "curl_api.h"
#include "fixtures.h"
#include "model.h"
#include "number.h"
#include "store.h"
#include "strbuf.h"

/* The biggest answer read: 10 000 tasks are about 8 MB. */
#define ANSWER_MAX ((size_t)256 * 1024 * 1024)

/* --- options: one table ------------------------------------------------- */

struct options {
	const char *from, *out, *user, *password, *ticket, *app_token;
	const char *token, *session, *timezone, *login, *cacert;
	const char *timeout, *retries;
	bool insecure;
};

struct option_row {
	const char *name;
	const char *env;          /* SOMOCK_RECORD_... */
	size_t at;                /* offsetof(struct options, ...) */
	bool secret;              /* never echoed */
	bool flag;
	const char *arg;
	const char *help;
};

#define AT(f) offsetof(struct options, f)

static const struct option_row rows[] = {
	{ "from", "SOMOCK_RECORD_FROM", AT(from), false, false, "URL",
		"base URL of the service (http://host:8080, https://host/Cust1)" },
	{ "out", "SOMOCK_RECORD_OUT", AT(out), false, false, "FILE",
		"the fixture file to write" },
	{ "user", "SOMOCK_RECORD_USER", AT(user), false, false, "NAME",
		"Basic login name (onsite), with --password" },
	{ "password", "SOMOCK_RECORD_PASSWORD", AT(password), true, false,
		"P", "Basic password" },
	{ "ticket", "SOMOCK_RECORD_TICKET", AT(ticket), true, false, "T",
		"SOTicket credential" },
	{ "app-token", "SOMOCK_RECORD_APP_TOKEN", AT(app_token), true, false,
		"A", "SO-AppToken, with --ticket online" },
	{ "token", "SOMOCK_RECORD_TOKEN", AT(token), true, false, "B",
		"Bearer access token (online)" },
	{ "session", "SOMOCK_RECORD_SESSION", AT(session), true, false,
		"ID:XSRF", "web session: ASP.NET_SessionId and its XSRF value" },
	{ "timezone", "SOMOCK_RECORD_TIMEZONE", AT(timezone), false, false,
		"CODE", "SO-TimeZone asked for (default UTC: instants exact)" },
	{ "login", "SOMOCK_RECORD_LOGIN", AT(login), true, false,
		"NAME:PASSWORD", "the offline login written for the caller" },
	{ "cacert", "SOMOCK_RECORD_CACERT", AT(cacert), false, false, "FILE",
		"trust this CA certificate (PEM) too" },
	{ "insecure", "SOMOCK_RECORD_INSECURE", AT(insecure), false, true,
		NULL, "do not verify TLS (a test server only)" },
	{ "timeout", "SOMOCK_RECORD_TIMEOUT", AT(timeout), false, false, "S",
		"seconds one request may take (default 60)" },
	{ "retries", "SOMOCK_RECORD_RETRIES", AT(retries), false, false, "N",
		"retries of a 429 or 503 (default 4)" },
};

#undef AT

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static void usage(FILE *out) {
	fprintf(out, "usage: somock record --from URL (--user NAME --password P "
		"| --ticket T [--app-token A]\n"
		"                      | --token B | --session ID:XSRF) --out FILE "
		"[options]\n\n");
	for (size_t i = 0; i < N_ROWS; i++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", rows[i].name,
			rows[i].arg ? " " : "", rows[i].arg ? rows[i].arg : "");
		fprintf(out, "  %-26s %s\n  %-26s %s%s\n", left, rows[i].help, "",
			rows[i].env, rows[i].secret ? " (never echoed)" : "");
	}
}

/* 0, or 2 with a message (secrets never quoted). */
static int parse_options(struct options *o, int argc, char **argv) {
	struct option longopts[N_ROWS + 2];
	*o = (struct options){ 0 };
	for (size_t i = 0; i < N_ROWS; i++) {
		longopts[i] = (struct option){ rows[i].name, rows[i].flag ?
			no_argument : required_argument, NULL, (int)i + 1 };
		const char *env = getenv(rows[i].env);
		char *field = (char *)o + rows[i].at;
		if (env && rows[i].flag) {
			*(bool *)(void *)field = !strcmp(env, "1") ||
				!ascii_casecmp(env, "true");
		} else if (env) {
			*(const char **)(void *)field = env;
		}
	}
	longopts[N_ROWS] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[N_ROWS + 1] = (struct option){ NULL, 0, NULL, 0 };
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return -1;
		}
		if (c <= 0 || c > (int)N_ROWS) {
			fprintf(stderr, "somock record: unknown option or missing "
				"value: %s\n", argv[optind - 1]);
			return 2;
		}
		const struct option_row *r = &rows[c - 1];
		char *field = (char *)o + r->at;
		if (r->flag) {
			*(bool *)(void *)field = true;
		} else {
			*(const char **)(void *)field = optarg;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "somock record: unexpected argument (options "
			"only; see somock record --help)\n");
		return 2;
	}
	if (!o->from || !o->out) {
		fprintf(stderr, "somock record: --from URL and --out FILE are "
			"needed\n");
		return 2;
	}
	int forms = (o->user || o->password) + !!o->ticket + !!o->token +
		!!o->session;
	if (forms != 1 || (o->user && !o->password) || (o->password &&
			!o->user)) {
		fprintf(stderr, "somock record: give one way to log in: --user "
			"and --password, --ticket, --token or --session\n");
		return 2;
	}
	if (o->session && !strchr(o->session, ':')) {
		fprintf(stderr, "somock record: --session takes ID:XSRF\n");
		return 2;
	}
	if (o->login && !strchr(o->login, ':')) {
		fprintf(stderr, "somock record: --login takes NAME:PASSWORD\n");
		return 2;
	}
	int64_t v;
	if ((o->timeout && !parse_int64(o->timeout, 1, 3600, &v)) ||
			(o->retries && !parse_int64(o->retries, 0, 20, &v))) {
		fprintf(stderr, "somock record: --timeout takes 1-3600 seconds, "
			"--retries 0-20\n");
		return 2;
	}
	return 0;
}

/* Does @s not start with @prefix (ASCII any case)? */
static bool not_prefix(const char *s, const char *prefix) {
	size_t n = strlen(prefix);
	return strlen(s) < n || !ascii_casecmp_n(s, n, prefix);
}

/* --- one recording ------------------------------------------------------ */

struct rec {
	struct options opt;
	char base[2048];          /* --from, no credentials, no trailing / */
	char tenant[64];          /* CustNNNN, or "" */
	struct curl_api api;      /* libcurl, opened for the recording */
	CURL *curl;
	long timeout;
	long retries;
	bool progress;            /* stderr is a terminal */
};

/* Replace every secret in @s by "***" (server messages may echo them). */
static void scrub(const struct rec *r, char *s) {
	const char *secrets[8] = { r->opt.password, r->opt.ticket,
		r->opt.app_token, r->opt.token, r->opt.session, r->opt.login };
	char session_part[512], login_part[512];
	size_t n = 6;
	if (r->opt.session && strchr(r->opt.session, ':')) {
		snprintf(session_part, sizeof(session_part), "%s",
			strchr(r->opt.session, ':') + 1);
		secrets[n++] = session_part;
	}
	if (r->opt.login && strchr(r->opt.login, ':')) {
		snprintf(login_part, sizeof(login_part), "%s",
			strchr(r->opt.login, ':') + 1);
		secrets[n++] = login_part;
	}
	for (size_t i = 0; i < n; i++) {
		const char *sec = secrets[i];
		size_t len = sec ? strlen(sec) : 0;
		char *p;
		if (len < 3) {
			continue;
		}
		while ((p = strstr(s, sec))) {
			memmove(p + 3, p + len, strlen(p + len) + 1);
			memcpy(p, "***", 3);
		}
	}
}

static void fail_msg(const struct rec *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail_msg(const struct rec *r, const char *fmt, ...) {
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	scrub(r, msg);
	if (r->progress) {
		fputc('\n', stderr);
	}
	fprintf(stderr, "somock record: %s\n", msg);
}

/* The --from URL without user:password@ or a query, for file and log. */
static bool clean_base(const char *from, char *out, size_t cap) {
	const char *p = strstr(from, "://");
	if (!p || (strncmp(from, "http://", 7) && strncmp(from, "https://",
			8))) {
		return false;
	}
	size_t scheme = (size_t)(p + 3 - from);
	const char *host = p + 3;
	const char *slash = strchr(host, '/');
	const char *at = strchr(host, '@');
	if (at && (!slash || at < slash)) {
		host = at + 1;
	}
	int n = snprintf(out, cap, "%.*s%s", (int)scheme, from, host);
	if (n < 0 || (size_t)n >= cap) {
		return false;
	}
	char *q = strpbrk(out + scheme, "?#");
	if (q) {
		*q = '\0';
	}
	size_t len = strlen(out);
	while (len > scheme && out[len - 1] == '/') {
		out[--len] = '\0';
	}
	return len > scheme;
}

/* The CustNNNN a base URL's last segment names, if any. */
static void tenant_of_url(const char *base, char *out, size_t cap) {
	const char *last = strrchr(base, '/');
	out[0] = '\0';
	if (!last || not_prefix(last + 1, "cust")) {
		return;
	}
	const char *d = last + 5;
	bool digits = *d != '\0';
	for (const char *x = d; *x; x++) {
		digits = digits && *x >= '0' && *x <= '9';
	}
	if (digits && strlen(last + 1) < cap) {
		snprintf(out, cap, "%s", last + 1);
	}
}

static size_t on_body(char *data, size_t size, size_t n, void *ud) {
	struct strbuf *sb = ud;
	strbuf_append(sb, data, size * n);
	return strbuf_ok(sb) ? size * n : 0;
}

struct answer {
	long status;
	char content_type[128];
	char location[512];
	long retry_after;
	struct strbuf body;
};

/*
 * One request: @method on base + @path (@body JSON for a POST). 0 with
 * @a filled, or -EIO with a message naming the URL and libcurl's cause.
 */
static int fetch_once(struct rec *r, const char *method, const char *path,
		const char *body, struct answer *a) {
	char url[4096];
	snprintf(url, sizeof(url), "%s%s", r->base, path);
	CURL *c = r->curl;
	r->api.easy_reset(c);
	struct curl_slist *h = NULL;
	char line[4096];
	h = r->api.slist_append(h, "Accept: application/json");
	snprintf(line, sizeof(line), "SO-TimeZone: %s", r->opt.timezone ?
		r->opt.timezone : "UTC");
	h = r->api.slist_append(h, line);
	if (body) {
		h = r->api.slist_append(h, "Content-Type: application/json");
	}
	if (r->opt.ticket) {
		snprintf(line, sizeof(line), "Authorization: SOTicket %s",
			r->opt.ticket);
		h = r->api.slist_append(h, line);
	}
	if (r->opt.app_token) {
		snprintf(line, sizeof(line), "SO-AppToken: %s", r->opt.app_token);
		h = r->api.slist_append(h, line);
	}
	if (r->opt.token) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s",
			r->opt.token);
		h = r->api.slist_append(h, line);
	}
	if (r->opt.session) {
		const char *colon = strchr(r->opt.session, ':');
		snprintf(line, sizeof(line), "Cookie: ASP.NET_SessionId=%.*s",
			(int)(colon - r->opt.session), r->opt.session);
		h = r->api.slist_append(h, line);
		snprintf(line, sizeof(line), "X-XSRF-TOKEN: %s", colon + 1);
		h = r->api.slist_append(h, line);
	}
	if (r->opt.user) {
		r->api.easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		r->api.easy_setopt(c, CURLOPT_USERNAME, r->opt.user);
		r->api.easy_setopt(c, CURLOPT_PASSWORD, r->opt.password);
	}
	r->api.easy_setopt(c, CURLOPT_URL, url);
	r->api.easy_setopt(c, CURLOPT_HTTPHEADER, h);
	r->api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	r->api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	r->api.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");   /* gzip, deflate */
	r->api.easy_setopt(c, CURLOPT_TIMEOUT, r->timeout);
	r->api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, r->timeout < 20 ?
		r->timeout : 20L);
	r->api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	r->api.easy_setopt(c, CURLOPT_USERAGENT, "somock-record/" SOMOCK_VERSION);
	if (r->opt.insecure) {
		r->api.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		r->api.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (r->opt.cacert) {
		r->api.easy_setopt(c, CURLOPT_CAINFO, r->opt.cacert);
	}
	if (body) {
		r->api.easy_setopt(c, CURLOPT_POSTFIELDS, body);
	} else if (strcmp(method, "GET")) {
		r->api.easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	strbuf_init(&a->body, ANSWER_MAX);
	r->api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	r->api.easy_setopt(c, CURLOPT_WRITEDATA, &a->body);
	CURLcode rc = r->api.easy_perform(c);
	r->api.slist_free_all(h);
	if (rc != CURLE_OK) {
		const char *why = rc == CURLE_WRITE_ERROR ? "the answer is "
			"larger than 256 MiB" : rc == CURLE_PEER_FAILED_VERIFICATION ?
			"the server's TLS certificate is not trusted (--cacert "
			"FILE trusts a CA; --insecure a test server)" :
			rc == CURLE_OPERATION_TIMEDOUT ?
			"no complete answer in time (--timeout)" :
			rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR ||
			rc == CURLE_GOT_NOTHING ? "the connection was cut before "
			"the answer was complete" : r->api.easy_strerror(rc);
		fail_msg(r, "%s %s%s: %s (%s)", method, r->base, path, why,
			r->api.easy_strerror(rc));
		strbuf_finish(&a->body);
		return -EIO;
	}
	char *ct = NULL, *loc = NULL;
	curl_off_t retry = 0;
	r->api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	r->api.easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	r->api.easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
	r->api.easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry);
	snprintf(a->content_type, sizeof(a->content_type), "%s", ct ? ct : "");
	/* libcurl puts the login into the URL it would go to: leave it out */
	const char *at = loc ? strchr(loc, '@') : NULL;
	const char *host = loc ? strstr(loc, "://") : NULL;
	if (at && host && at > host && !memchr(host + 3, '/',
			(size_t)(at - host - 3))) {
		snprintf(a->location, sizeof(a->location), "%.*s%s",
			(int)(host + 3 - loc), loc, at + 1);
	} else {
		snprintf(a->location, sizeof(a->location), "%s", loc ? loc : "");
	}
	a->retry_after = (long)retry;
	return 0;
}

/* The "Message" (or ErrorMessage) of a SuperOffice error body, or "". */
static void error_message(const struct answer *a, char *out, size_t cap) {
	json_t *j = json_loadb(a->body.data ? a->body.data : "", a->body.len,
		0, NULL);
	json_t *m = json_object_get(j, "Message");
	if (!json_is_string(m)) {
		m = json_object_get(j, "ErrorMessage");
	}
	snprintf(out, cap, "%s", json_is_string(m) ? json_string_value(m) :
		"");
	json_decref(j);
}

/*
 * A request that must answer 200 with JSON: retried on 429 and 503
 * (Retry-After honoured, else 1, 2, 4, ... s, at most --retries times).
 * The parsed JSON (owned), or NULL with the cause printed.
 */
static json_t *fetch_json(struct rec *r, const char *method, const char *path,
		const char *body) {
	for (long attempt = 0;; attempt++) {
		struct answer a = { 0 };
		if (fetch_once(r, method, path, body, &a)) {
			return NULL;
		}
		char msg[512];
		error_message(&a, msg, sizeof(msg));
		if ((a.status == 429 || a.status == 503) &&
				attempt < r->retries) {
			long wait = a.retry_after > 0 ? a.retry_after : 1L <<
				attempt;
			wait = wait > 30 ? 30 : wait;
			fprintf(stderr, "somock record: %s%s answered %ld; trying "
				"again in %ld s\n", r->base, path, a.status, wait);
			strbuf_finish(&a.body);
			sleep((unsigned)wait);
			continue;
		}
		json_t *j = NULL;
		if (a.status >= 300 && a.status < 400) {
			fail_msg(r, "%s %s%s was redirected (%ld) to %s: a login "
				"page? Check --from and the credentials", method,
				r->base, path, a.status, a.location[0] ? a.location :
				"another page");
		} else if (a.status == 401 || a.status == 403) {
			fail_msg(r, "%s %s%s was refused (%ld)%s%s", method, r->base,
				path, a.status, msg[0] ? ": " : "", msg);
		} else if (a.status != 200) {
			fail_msg(r, "%s %s%s answered %ld%s%s%s", method, r->base,
				path, a.status, msg[0] ? ": " : "", msg,
				a.status == 429 || a.status == 503 ? " (gave up after "
				"--retries)" : "");
		} else if (not_prefix(a.content_type,
				"application/json") && not_prefix(
				a.content_type, "text/json")) {
			fail_msg(r, "%s %s%s answered 200 with %s, not the Batch "
				"service's JSON (an error page?)", method, r->base,
				path, a.content_type[0] ? a.content_type :
				"no Content-Type");
		} else {
			json_error_t jerr;
			j = json_loadb(a.body.data ? a.body.data : "", a.body.len,
				JSON_DECODE_ANY, &jerr);
			if (!j) {
				fail_msg(r, "%s %s%s answered JSON that cannot be "
					"read: line %d: %s", method, r->base, path,
					jerr.line, jerr.text);
			}
		}
		strbuf_finish(&a.body);
		return j;
	}
}

/* Is @v a BatchTaskInfo array as the contract has it? Names a bad one. */
static bool carriers_ok(struct rec *r, const char *path, json_t *v) {
	size_t i;
	json_t *t;
	if (!json_is_array(v)) {
		fail_msg(r, "%s%s did not answer an array of BatchTaskInfo",
			r->base, path);
		return false;
	}
	json_array_foreach(v, i, t) {
		for (size_t k = 0; k < TASK_FIELD_COUNT; k++) {
			json_t *m = json_is_object(t) ? json_object_get(t,
				task_fields[k].name) : NULL;
			if (!m || (json_is_null(m) && !task_fields[k].nullable)) {
				fail_msg(r, "%s%s: item %zu is not a BatchTaskInfo "
					"(member %s %s)", r->base, path, i,
					task_fields[k].name, m ? "is null" : "is missing");
				return false;
			}
		}
		if (!json_is_integer(json_object_get(t, "Id"))) {
			fail_msg(r, "%s%s: item %zu has no integer Id", r->base,
				path, i);
			return false;
		}
	}
	return true;
}

/* Add the tasks of @v to @tasks (keyed by Id; first answer wins). */
static int merge(json_t *tasks, json_t *v) {
	size_t i;
	json_t *t;
	json_array_foreach(v, i, t) {
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(
			json_object_get(t, "Id")));
		if (!json_object_get(tasks, key) &&
				json_object_set(tasks, key, t)) {
			return -ENOMEM;
		}
	}
	return 0;
}

static void progress(const struct rec *r, const char *what, size_t n) {
	if (r->progress) {
		fprintf(stderr, "\rsomock record: %s, %zu tasks so far   ", what,
			n);
	}
}

/* The fixture document of a finished recording (owned), or NULL. */
static json_t *build_document(struct rec *r, json_t *principal,
		json_t *tasks) {
	json_t *doc = json_object();
	json_t *assocs = json_array();
	json_t *list = json_array();
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_int_t me = json_integer_value(json_object_get(principal,
		"AssociateId"));
	json_t *caller = json_pack("{s:I, s:s}", "AssociateId", me, "Name",
		json_string_value(json_object_get(principal, "Associate")) ?
		json_string_value(json_object_get(principal, "Associate")) :
		"recorded");
	json_t *full = json_object_get(principal, "FullName");
	if (caller && json_is_string(full) && json_string_length(full)) {
		json_object_set(caller, "FullName", full);
	}
	if (caller && r->tenant[0]) {
		json_object_set_new(caller, "Tenant", json_string(r->tenant));
	}
	if (caller && r->opt.login) {
		const char *colon = strchr(r->opt.login, ':');
		json_object_set_new(caller, "Name", json_stringn(r->opt.login,
			(size_t)(colon - r->opt.login)));
		json_object_set_new(caller, "Password", json_string(colon + 1));
	}
	if (!doc || !assocs || !list || !caller ||
			json_array_append_new(assocs, caller)) {
		goto fail;
	}
	/* every owner, so its tasks stay in the recorded tenant */
	const char *k;
	json_t *t;
	json_t *seen = json_object();
	json_object_foreach(tasks, k, t) {
		json_int_t owner = json_integer_value(json_object_get(t,
			"AssociateId"));
		char key[32];
		snprintf(key, sizeof(key), "%lld", (long long)owner);
		if (owner == me || json_object_get(seen, key) ||
				(!owner && !r->tenant[0])) {
			json_array_append(list, t);
			continue;
		}
		json_object_set_new(seen, key, json_true());
		char name[64];
		snprintf(name, sizeof(name), "recorded-%lld", (long long)owner);
		json_t *a = json_pack("{s:I, s:s}", "AssociateId", owner, "Name",
			name);
		if (a && r->tenant[0]) {
			json_object_set_new(a, "Tenant", json_string(r->tenant));
		}
		json_array_append_new(assocs, a);
		json_array_append(list, t);
	}
	json_decref(seen);
	json_t *meta = json_pack("{s:s, s:s, s:s}", "from", r->base, "at", when,
		"by", "somock " SOMOCK_VERSION);
	if (!meta || json_object_set_new(doc, "recorded", meta) ||
			json_object_set_new(doc, "associates", assocs) ||
			json_object_set_new(doc, "batchTasks", list)) {
		json_decref(doc);
		return NULL;
	}
	return doc;
fail:
	json_decref(doc);
	json_decref(assocs);
	json_decref(list);
	json_decref(caller);
	return NULL;
}

/*
 * Write @doc to @path through a temporary file next to it, checked by
 * loading it as a fixture; nothing is left when anything fails.
 */
static int write_document(struct rec *r, json_t *doc) {
	char tmp[4096];
	int n = snprintf(tmp, sizeof(tmp), "%s.recording-XXXXXX", r->opt.out);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fail_msg(r, "--out names too long a path");
		return -EINVAL;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fail_msg(r, "cannot write next to %s: %s", r->opt.out,
			strerror(errno));
		return -EIO;
	}
	FILE *f = fdopen(fd, "w");
	int ret = -EIO;
	sqlite3 *db = NULL;
	char err[1024];
	if (!f) {
		close(fd);
		goto out;
	}
	if (json_dumpf(doc, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) ||
			fputc('\n', f) == EOF || fflush(f) || fsync(fileno(f))) {
		fail_msg(r, "cannot write %s: %s", tmp, strerror(errno));
		fclose(f);
		goto out;
	}
	if (fclose(f)) {
		fail_msg(r, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	/* what `somock check` does: the file must load */
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) !=
			SQLITE_OK || store_apply_schema(db, err, sizeof(err)) ||
			fixtures_load_file(db, tmp, err, sizeof(err))) {
		fail_msg(r, "the recording does not load as a fixture: %s", err);
		goto out;
	}
	if (rename(tmp, r->opt.out)) {
		fail_msg(r, "cannot rename the recording to %s: %s", r->opt.out,
			strerror(errno));
		goto out;
	}
	ret = 0;
out:
	sqlite3_close(db);
	if (ret) {
		unlink(tmp);
	}
	return ret;
}

static int record(struct rec *r) {
	json_t *principal = NULL, *all = NULL, *tasks = json_object();
	json_t *doc = NULL;
	int ret = 1;
	if (!tasks) {
		goto out;
	}
	progress(r, "who am I", 0);
	principal = fetch_json(r, "GET", "/api/v1/User/currentPrincipal", NULL);
	if (!principal) {
		goto out;
	}
	if (!json_is_integer(json_object_get(principal, "AssociateId"))) {
		fail_msg(r, "%s/api/v1/User/currentPrincipal did not answer a "
			"principal with an AssociateId", r->base);
		goto out;
	}
	json_t *ctx = json_object_get(principal, "DatabaseContextIdentifier");
	if (!r->tenant[0] && json_is_string(ctx) && !not_prefix(
			json_string_value(ctx), "cust")) {
		snprintf(r->tenant, sizeof(r->tenant), "%s",
			json_string_value(ctx));
	}
	progress(r, "user tasks", 0);
	all = fetch_json(r, "GET", "/api/v1/BatchTask/All", NULL);
	if (!all || !carriers_ok(r, "/api/v1/BatchTask/All", all) ||
			merge(tasks, all)) {
		goto out;
	}
	/* system tasks: by every name seen */
	json_t *names = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(all, i, t) {
		json_t *name = json_object_get(t, "Name");
		if (json_is_string(name)) {
			json_object_set(names, json_string_value(name), name);
		}
	}
	const char *k;
	json_t *name;
	json_object_foreach(names, k, name) {
		static const char path[] =
			"/api/v1/Agents/Batch/GetAllBatchTaskInfosByName";
		json_t *arg = json_pack("{s:O}", "TaskName", name);
		char *body = arg ? json_dumps(arg, JSON_COMPACT) : NULL;
		json_decref(arg);
		json_t *found = body ? fetch_json(r, "POST", path, body) : NULL;
		free(body);
		if (!found || !carriers_ok(r, path, found) ||
				merge(tasks, found)) {
			json_decref(found);
			json_decref(names);
			goto out;
		}
		json_decref(found);
		progress(r, "system tasks", json_object_size(tasks));
	}
	json_decref(names);
	doc = build_document(r, principal, tasks);
	if (!doc) {
		fail_msg(r, "out of memory");
		goto out;
	}
	if (write_document(r, doc)) {
		goto out;
	}
	if (r->progress) {
		fputc('\n', stderr);
	}
	fprintf(stderr, "somock record: %zu tasks of %s written to %s\n",
		json_object_size(tasks), r->base, r->opt.out);
	ret = 0;
out:
	json_decref(principal);
	json_decref(all);
	json_decref(tasks);
	json_decref(doc);
	return ret;
}

int record_main(int argc, char **argv) {
	struct rec r = { 0 };
	int ret = parse_options(&r.opt, argc, argv);
	if (ret) {
		return ret < 0 ? 0 : ret;
	}
	if (!clean_base(r.opt.from, r.base, sizeof(r.base))) {
		fprintf(stderr, "somock record: --from must be an http:// or "
			"https:// URL\n");
		return 2;
	}
	if (strcmp(r.base, r.opt.from) && strchr(r.opt.from, '@')) {
		fprintf(stderr, "somock record: credentials in --from are not "
			"used; give them with --user/--password or the others\n");
		return 2;
	}
	if (r.opt.insecure) {
		fprintf(stderr, "somock record: warning: --insecure: the "
			"server's certificate is not checked\n");
	}
	int64_t v = 60;
	r.timeout = r.opt.timeout && parse_int64(r.opt.timeout, 1, 3600, &v) ?
		(long)v : 60;
	v = 4;
	r.retries = r.opt.retries && parse_int64(r.opt.retries, 0, 20, &v) ?
		(long)v : 4;
	r.progress = isatty(STDERR_FILENO);
	tenant_of_url(r.base, r.tenant, sizeof(r.tenant));
	char err[256];
	if (curl_api_load(&r.api, err, sizeof(err))) {
		fprintf(stderr, "somock record: %s\n", err);
		return 1;
	}
	if (r.api.global_init(CURL_GLOBAL_DEFAULT)) {
		curl_api_unload(&r.api);
		fprintf(stderr, "somock record: cannot start libcurl\n");
		return 1;
	}
	r.curl = r.api.easy_init();
	ret = r.curl ? record(&r) : 1;
	r.api.easy_cleanup(r.curl);
	r.api.global_cleanup();
	curl_api_unload(&r.api);
	return ret;
}
