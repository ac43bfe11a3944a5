#include "build-config.h"
#include "auth.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "base64.h"
#include "credentials.h"
#include "store.h"
#include "utf8.h"

static const char error_source_type[] = "SoAuthenticationException";
static const char missing_xsrf[] =
	"X-XSRF-TOKEN HTTP header missing. Add X-XSRF-TOKEN HTTP header to "
	"use existing session, or provide an Authorization header with "
	"Basic, SOTicket or Bearer credentials.";

/* RFC 9110 §11.4: credentials = auth-scheme [ 1*SP token68 ] */
bool auth_split_scheme(const char *header, const char **scheme,
		size_t *scheme_len, const char **cred, size_t *cred_len) {
	const char *p = header;
	while (*p == ' ' || *p == '\t') {
		p++;
	}
	const char *s = p;
	while (*p && *p != ' ' && *p != '\t') {
		unsigned char c = (unsigned char)*p;
		if (c < 0x21 || c > 0x7e) {
			return false;
		}
		p++;
	}
	if (p == s) {
		return false;
	}
	*scheme = s;
	*scheme_len = (size_t)(p - s);
	while (*p == ' ' || *p == '\t') {
		p++;
	}
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
		n--;
	}
	*cred = p;
	*cred_len = n;
	return true;
}

bool auth_basic_decode(const char *cred, size_t n, char *buf, size_t cap,
		const char **name, size_t *name_len, const char **pass,
		size_t *pass_len) {
	if (!cap) {
		return false;
	}
	long len = base64_decode(cred, n, (unsigned char *)buf, cap - 1);
	if (len <= 0) {
		return false;
	}
	buf[len] = '\0';
	if (strlen(buf) != (size_t)len) {
		return false; /* embedded NUL */
	}
	char *colon = memchr(buf, ':', (size_t)len);
	if (!colon || colon == buf) {
		return false;
	}
	/* the first colon splits: a colon inside the password is legal */
	*name = buf;
	*name_len = (size_t)(colon - buf);
	*pass = colon + 1;
	*pass_len = (size_t)len - *name_len - 1;
	return true;
}

bool auth_cookie_value(const char *cookie, const char *name,
		const char **value, size_t *len) {
	size_t nlen = strlen(name);
	const char *p = cookie;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';') {
			p++;
		}
		const char *end = strchr(p, ';');
		size_t pair = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', pair);
		if (eq) {
			const char *k = p;
			size_t klen = (size_t)(eq - p);
			trim_slice(&k, &klen);
			if (klen == nlen && !memcmp(k, name, nlen)) {
				const char *v = eq + 1;
				size_t vlen = pair - (size_t)(v - p);
				trim_slice(&v, &vlen);
				/* RFC 6265 §4.1.1: cookie-value may be quoted */
				if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
					v++;
					vlen -= 2;
				}
				*value = v;
				*len = vlen;
				return true;
			}
		}
		p = end;
	}
	return false;
}

static int refuse(struct auth_result *out, const char *type,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(struct auth_result *out, const char *type,
		const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->buf, sizeof(out->buf), fmt, ap);
	va_end(ap);
	out->error_type = type;
	out->message = out->buf;
	return -EACCES;
}

/*
 * The checks after a credential matched: the associate's tenant against
 * the URL's. Every refusal names a check; secrets never appear.
 */
static int check_tenant(const struct auth_request *req,
		struct auth_result *out, const struct store_associate *a) {
	out->associate_id = a->id;
	snprintf(out->tenant, sizeof(out->tenant), "%s", a->tenant);
	if (req->tenant && ascii_casecmp(req->tenant, a->tenant)) {
		return refuse(out, error_source_type, "wrong tenant: associate "
			"'%s' belongs to %s%s%s, not to '%s'", a->name,
			*a->tenant ? "tenant '" : "the default tenant",
			a->tenant, *a->tenant ? "'" : "", req->tenant);
	}
	if (!req->tenant && *a->tenant) {
		return refuse(out, error_source_type, "wrong tenant: associate "
			"'%s' belongs to tenant '%s'; call /%s/api/...",
			a->name, a->tenant, a->tenant);
	}
	return 0;
}

/* A ticket, token or session matched @associate_id: look it up, check. */
static int finish(struct store_reader *r, const struct auth_request *req,
		struct auth_result *out, int64_t associate_id) {
	struct store_associate a;
	int ret = store_find_associate(r, associate_id, &a);
	if (ret == -ENOENT) {
		return refuse(out, error_source_type, "the credential belongs "
			"to associate %lld, who does not exist",
			(long long)associate_id);
	}
	return ret ? ret : check_tenant(req, out, &a);
}

static int check_basic(struct store_reader *r,
		const struct auth_request *req, struct auth_result *out,
		const char *cred, size_t n) {
	const char *name, *pass;
	size_t name_len, pass_len;
	out->scheme = AUTH_SCHEME_BASIC;
	if (req->mode == AUTH_MODE_ONLINE) {
		return refuse(out, error_source_type, "scheme not allowed: "
			"Basic authentication is not accepted in online mode; "
			"use Bearer or SOTicket");
	}
	/* as long as the header: no password is cut to fit a buffer */
	size_t cap = n / 4 * 3 + 4;
	char *buf = malloc(cap);
	if (!buf) {
		return -ENOMEM;
	}
	if (!auth_basic_decode(cred, n, buf, cap, &name, &name_len, &pass,
			&pass_len)) {
		free(buf);
		return refuse(out, error_source_type, "malformed Authorization "
			"header: Basic credentials must be base64 of "
			"'name:password'");
	}
	struct store_associate a;
	int ret = store_find_associate_by_name(r, name, name_len, pass,
		pass_len, &a);
	free(buf);
	if (ret == -ENOENT || (!ret && !a.has_password)) {
		return refuse(out, error_source_type, "unknown user: no "
			"associate has this login name");
	}
	if (ret) {
		return ret;
	}
	if (!a.password_ok) {
		return refuse(out, error_source_type, "wrong password for "
			"associate '%s'", a.name);
	}
	/* the associate is at hand: no second look-up */
	return check_tenant(req, out, &a);
}

static int check_secret(struct store_reader *r,
		const struct auth_request *req, struct auth_result *out,
		const char *cred, size_t n, bool ticket) {
	int64_t associate_id, expires;
	const char *what = ticket ? "ticket" : "token";
	out->scheme = ticket ? AUTH_SCHEME_SOTICKET : AUTH_SCHEME_BEARER;
	if (!n || n > 4096 || memchr(cred, ' ', n) || !utf8_valid(cred, n)) {
		return refuse(out, error_source_type, "malformed Authorization "
			"header: %s takes one %s", ticket ? "SOTicket" :
			"Bearer", what);
	}
	if (ticket && req->mode == AUTH_MODE_ONLINE) {
		const char *from = req->app_token_from ? req->app_token_from :
			"SO-AppToken";
		if (!req->app_token) {
			return refuse(out, error_source_type, "%s HTTP "
				"header missing: online mode requires the "
				"application token with SOTicket", from);
		}
		if (!store_app_token_known(r, req->app_token,
				strlen(req->app_token))) {
			return refuse(out, error_source_type, "wrong "
				"%s: no registered application has "
				"this token", from);
		}
	}
	int ret = ticket ? store_match_ticket(r, cred, n, &associate_id,
		&expires) : store_match_token(r, cred, n, &associate_id,
		&expires);
	if (ret == -ENOENT) {
		return refuse(out, error_source_type, "unknown %s", what);
	}
	if (ret) {
		return ret;
	}
	if (req->now >= expires) {
		return refuse(out, error_source_type, "expired %s: log in "
			"again for a new one", what);
	}
	return finish(r, req, out, associate_id);
}

static int check_session(struct store_reader *r,
		const struct auth_request *req, struct auth_result *out) {
	const char *sid = NULL;
	size_t sid_len = 0;
	int64_t associate_id;
	bool xsrf_ok;
	out->scheme = AUTH_SCHEME_SESSION;
	if (!req->xsrf) {
		out->error_type = "ArgumentException";
		out->message = missing_xsrf;
		return -EACCES;
	}
	if (!req->cookie || !auth_cookie_value(req->cookie,
			"ASP.NET_SessionId", &sid, &sid_len) || !sid_len) {
		return refuse(out, error_source_type, "no session: the "
			"ASP.NET_SessionId cookie is missing");
	}
	int ret = store_match_session(r, sid, sid_len, req->xsrf,
		strlen(req->xsrf), &associate_id, &xsrf_ok);
	if (ret == -ENOENT) {
		return refuse(out, error_source_type, "unknown session: the "
			"ASP.NET_SessionId cookie names no session");
	}
	if (ret) {
		return ret;
	}
	/*
	 * The header must carry the value stored for the session; a
	 * XSRF-TOKEN cookie that merely equals the header proves nothing
	 * (double-submit forgery).
	 */
	if (!xsrf_ok) {
		return refuse(out, error_source_type, "X-XSRF-TOKEN does not "
			"match the session's XSRF value");
	}
	return finish(r, req, out, associate_id);
}

const char *auth_scheme_name(enum auth_scheme scheme) {
	static const char *const names[] = {
		[AUTH_SCHEME_NONE] = "",
		[AUTH_SCHEME_BASIC] = "Basic",
		[AUTH_SCHEME_SOTICKET] = "SOTicket",
		[AUTH_SCHEME_BEARER] = "Bearer",
		[AUTH_SCHEME_SESSION] = "Session",
	};
	return (size_t)scheme < sizeof(names) / sizeof(names[0]) ?
		names[scheme] : "";
}

int auth_check(struct store_reader *r, const struct auth_request *req,
		struct auth_result *out) {
	*out = (struct auth_result){ 0 };
	if (req->mode == AUTH_MODE_ONLINE && !req->tenant) {
		return refuse(out, error_source_type, "wrong tenant: online "
			"mode requires a /CustNNNN/ tenant prefix in the URL");
	}
	if (!req->authorization) {
		return check_session(r, req, out);
	}
	const char *scheme, *cred;
	size_t scheme_len, cred_len;
	if (!auth_split_scheme(req->authorization, &scheme, &scheme_len,
			&cred, &cred_len)) {
		return refuse(out, error_source_type, "malformed Authorization "
			"header: no scheme");
	}
	if (ascii_casecmp_n(scheme, scheme_len, "Basic")) {
		return check_basic(r, req, out, cred, cred_len);
	}
	if (ascii_casecmp_n(scheme, scheme_len, "SOTicket")) {
		return check_secret(r, req, out, cred, cred_len, true);
	}
	if (ascii_casecmp_n(scheme, scheme_len, "Bearer")) {
		return check_secret(r, req, out, cred, cred_len, false);
	}
	/* the scheme is not echoed: a misplaced secret could stand there */
	return refuse(out, error_source_type, "scheme not allowed: the "
		"Authorization scheme is not Basic, SOTicket or Bearer");
}
