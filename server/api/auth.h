/*
 * server/api/auth.h: SuperOffice authentication. Turns the
 * Authorization, Cookie, X-XSRF-TOKEN and SO-AppToken headers into an
 * authenticated associate, or a refusal whose message names the failed
 * check. Secrets are compared in constant time and never copied into
 * messages. Thread-safe given a reader per thread.
 */
#ifndef SERVER_AUTH_H
#define SERVER_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store_reader;

/* Where the mock is: onsite (Basic, SOTicket) or online (Bearer, tenants). */
enum auth_mode {
	AUTH_MODE_ONSITE = 0,
	AUTH_MODE_ONLINE,
};

struct auth_request {
	const char *authorization;   /* header value or NULL; borrowed */
	const char *cookie;          /* Cookie header or NULL */
	const char *xsrf;            /* X-XSRF-TOKEN or NULL */
	const char *app_token;       /* SO-AppToken or NULL */
	const char *app_token_from;  /* its header, for messages; NULL: "SO-AppToken" */
	const char *tenant;          /* URL's CustNNNN prefix, or NULL */
	enum auth_mode mode;
	int64_t now;                 /* ticks, for expiry */
};

enum auth_scheme {
	AUTH_SCHEME_NONE = 0,
	AUTH_SCHEME_BASIC,
	AUTH_SCHEME_SOTICKET,
	AUTH_SCHEME_BEARER,
	AUTH_SCHEME_SESSION,
};

struct auth_result {
	enum auth_scheme scheme;
	int64_t associate_id;
	char tenant[64];             /* the associate's tenant, "" default */
	/* on refusal: static strings or text in @buf */
	const char *error_type;
	const char *message;
	char buf[256];
};

/* The scheme's name for logs and the journal ("SOTicket"; "" for none). */
const char *auth_scheme_name(enum auth_scheme scheme);

/*
 * Authenticate. 0 with @out filled on success; -EACCES with
 * out->error_type/message on refusal; -EIO when the store fails.
 */
int auth_check(struct store_reader *r, const struct auth_request *req,
	struct auth_result *out);

/*
 * Parse pieces, exposed for unit tests and fuzzing. auth_split_scheme:
 * the scheme name and the credentials after it (one or more spaces);
 * false when there is no scheme token. auth_basic_decode: strict base64
 * of "name:password" into @buf; false if malformed. auth_cookie_value:
 * the value of cookie @name in a Cookie header (quotes removed).
 */
bool auth_split_scheme(const char *header, const char **scheme,
	size_t *scheme_len, const char **cred, size_t *cred_len);
bool auth_basic_decode(const char *cred, size_t n, char *buf, size_t cap,
	const char **name, size_t *name_len, const char **pass,
	size_t *pass_len);
bool auth_cookie_value(const char *cookie, const char *name,
	const char **value, size_t *len);

#endif
