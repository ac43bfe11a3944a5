#include "build-config.h"
#include "route.h"

#include <stdio.h>
#include <string.h>

#include "ascii.h"

/* The table: the one place a route's path and methods are written. */
static const struct route routes[] = {
	{ ROUTE_API_ROOT, "api", "GET, HEAD" },
	/* GET is the OData archive list: answered 501 */
	{ ROUTE_BATCH_TASKS, "api/v1/BatchTask", "GET, HEAD, POST" },
	/* PUT and DELETE take an id; GET a state or an id */
	{ ROUTE_BATCH_TASK, "api/v1/BatchTask/{}", "GET, HEAD, PUT, DELETE" },
	{ ROUTE_BATCH_TASK_STOP, "api/v1/BatchTask/{}/Stop", "POST" },
	/* who the caller is: what `somock record` asks first */
	{ ROUTE_PRINCIPAL, "api/v1/User/currentPrincipal", "GET, HEAD" },
	/* the operation is the argument: see agents.c; GET describes it */
	{ ROUTE_AGENT, "api/v1/Agents/Batch/{}", "GET, HEAD, POST" },
	/* POST a SOAP envelope; GET ?wsdl the description */
	{ ROUTE_SOAP, "Remote/Services88/Batch.svc", "GET, HEAD, POST" },
};

#define MAX_SEGMENTS 8

static size_t split_path(const char *path, struct route_segment *seg,
		size_t max) {
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
		seg[n++] = (struct route_segment){ s, (size_t)(p - s) };
	}
	return n;
}

static bool seg_is(const struct route_segment *s, const char *word) {
	return ascii_casecmp_n(s->s, s->n, word);
}

static bool is_tenant(const struct route_segment *s) {
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

static bool slice_casecmp(const struct route_segment *s, const char *p,
		size_t len) {
	if (s->n != len) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (ascii_lower(s->s[i]) != ascii_lower(p[i])) {
			return false;
		}
	}
	return true;
}

/* Does @pattern match @seg[0..n) exactly? Sets *arg for "{}". */
static bool pattern_matches(const char *pattern,
		const struct route_segment *seg, size_t n,
		struct route_segment *arg) {
	const char *p = pattern;
	for (size_t i = 0; i < n; i++) {
		if (!*p) {
			return false;
		}
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && !strncmp(p, "{}", 2)) {
			*arg = seg[i];
		} else if (!slice_casecmp(&seg[i], p, len)) {
			return false;
		}
		p = end ? end + 1 : p + len;
	}
	return !*p;
}

bool route_match(const char *path, struct route_match *out) {
	struct route_segment seg[MAX_SEGMENTS];
	*out = (struct route_match){ 0 };
	size_t n = split_path(path, seg, MAX_SEGMENTS);
	if (n > MAX_SEGMENTS || !n) {
		return false;
	}
	struct route_segment *s = seg;
	if (!seg_is(&s[0], "api") && !seg_is(&s[0], "Remote")) {
		out->prefix = s[0];
		if (is_tenant(&s[0])) {
			snprintf(out->tenant, sizeof(out->tenant), "%.*s",
				(int)s[0].n, s[0].s);
		}
		s++;
		n--;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		struct route_segment arg = { 0 };
		if (pattern_matches(routes[i].pattern, s, n, &arg)) {
			out->route = &routes[i];
			out->arg = arg;
			return true;
		}
	}
	return false;
}

bool route_allows(const struct route *route, const char *method) {
	size_t n = strlen(method);
	for (const char *p = route->methods; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !strncmp(p, method, n)) {
			return true;
		}
		p = end ? end + 2 : p + len;
	}
	return false;
}

const char *route_origin_form(const char *target) {
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
