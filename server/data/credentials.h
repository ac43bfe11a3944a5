/*
 * server/data/credentials.h: the look-ups authentication makes through a
 * store reader: associates by login name or id, and the stored secrets
 * (tickets, tokens, sessions, app tokens). A secret is compared in
 * constant time against every stored row, with no early exit and no index
 * on the secret, so timing tells nothing about which row or how much of a
 * secret matched. Each call uses one reader, on the thread holding it.
 */
#ifndef SERVER_DATA_CREDENTIALS_H
#define SERVER_DATA_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sqlite3;
struct sqlite3_stmt;
struct store_reader;

/*
 * An associate as authentication sees it. The name fields are cut to fit
 * (a fixture's names are no longer: the loader refuses longer ones); the
 * password does not leave the store (but for the demo page's cards,
 * store_logins_foreach): it is compared there, whole.
 */
struct store_associate {
	int64_t id;
	char name[128];
	char full_name[128];
	char tenant[64];      /* "" for the default tenant */
	bool has_password;
	bool password_ok;     /* the password given matched, whole */
};

/*
 * Each returns 0, -ENOENT when nothing matches, or -EIO.
 * store_find_associate_by_name also compares @password (@pass_len bytes;
 * NULL: no comparison) with the associate's in constant time, setting
 * out->password_ok; with no such associate it still does a comparison of
 * the same length, so timing does not tell whether the login exists.
 */
int store_find_associate_by_name(struct store_reader *r, const char *name,
	size_t n, const char *password, size_t pass_len,
	struct store_associate *out);
int store_find_associate(struct store_reader *r, int64_t id,
	struct store_associate *out);
/* *expires is ticks, or INT64_MAX for never. */
int store_match_ticket(struct store_reader *r, const char *ticket, size_t n,
	int64_t *associate_id, int64_t *expires);
int store_match_token(struct store_reader *r, const char *token, size_t n,
	int64_t *associate_id, int64_t *expires);
/*
 * The session's associate; *xsrf_ok says whether @xsrf (@xn bytes) equals
 * the session's stored XSRF value, compared whole in constant time.
 */
int store_match_session(struct store_reader *r, const char *session_id,
	size_t sn, const char *xsrf, size_t xn, int64_t *associate_id,
	bool *xsrf_ok);
bool store_app_token_known(struct store_reader *r, const char *token,
	size_t n);

/*
 * A login the demo page offers: an associate that has a password. The
 * strings are borrowed until the callback returns; tenant is "" for the
 * default tenant.
 */
struct store_login {
	int64_t id;
	const char *name;
	const char *password;
	const char *full_name;
	const char *tenant;
};

typedef bool (*store_login_fn)(void *ud, const struct store_login *login);

/*
 * Calls @fn for each associate with a password, the default tenant's
 * first, then by tenant and AssociateId; stops early when @fn returns
 * false. This is the one place a password leaves the store, for the
 * demo page's login cards: fixture passwords are test data. 0 or -EIO.
 */
int store_logins_foreach(struct store_reader *r, store_login_fn fn,
	void *ud);
/*
 * How many associates the data holds (*all) and how many of them have a
 * password (*with_password). 0 or -EIO.
 */
int store_count_associates(struct store_reader *r, int64_t *all,
	int64_t *with_password);

/* --- for store.c: the statements a reader keeps for these look-ups --- */

enum credential_query {
	CREDENTIAL_ASSOC_BY_NAME,
	CREDENTIAL_ASSOC_BY_ID,
	CREDENTIAL_TICKETS,
	CREDENTIAL_TOKENS,
	CREDENTIAL_SESSIONS,
	CREDENTIAL_APPS,
	CREDENTIAL_QUERY_COUNT,
};

struct credential_queries {
	struct sqlite3_stmt *st[CREDENTIAL_QUERY_COUNT];    /* owned */
};

/* Finalize them; a zeroed struct is fine. Cannot fail. */
void credential_queries_finish(struct credential_queries *q);

#endif
