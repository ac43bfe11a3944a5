#include "build-config.h"
#include "credentials.h"

#include <errno.h>
#include <stdio.h>

#include <sqlite3.h>

#include "secret.h"
#include "reader.h"

/* Column 0 of each secret's query is the secret: see match_secret. */
static const char *const credential_sql[CREDENTIAL_QUERY_COUNT] = {
	[CREDENTIAL_ASSOC_BY_NAME] = "SELECT associate_id, name, tenant, "
		"password, full_name FROM associate WHERE name = ?1",
	[CREDENTIAL_ASSOC_BY_ID] = "SELECT associate_id, name, tenant, "
		"password, full_name FROM associate WHERE associate_id = ?1",
	[CREDENTIAL_TICKETS] = "SELECT ticket, associate_id, expires "
		"FROM ticket",
	[CREDENTIAL_TOKENS] = "SELECT token, associate_id, expires FROM token",
	[CREDENTIAL_SESSIONS] = "SELECT session_id, associate_id, xsrf_token "
		"FROM session",
	[CREDENTIAL_APPS] = "SELECT app_token FROM app",
};

/* Query @i of @r, prepared on first use; NULL (logged) on error. */
static sqlite3_stmt *cred_stmt(struct store_reader *r,
		enum credential_query i) {
	return reader_stmt(r->db, &r->creds.st[i], credential_sql[i]);
}

void credential_queries_finish(struct credential_queries *q) {
	reader_finalize(q->st, CREDENTIAL_QUERY_COUNT);
}

static void copy_col(char *dst, size_t cap, sqlite3_stmt *st, int i) {
	const char *s = (const char *)sqlite3_column_text(st, i);
	snprintf(dst, cap, "%s", s ? s : "");
}

static int read_associate(sqlite3_stmt *st, const char *password,
		size_t pass_len, struct store_associate *out) {
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? -ENOENT : -EIO;
	*out = (struct store_associate){ 0 };
	if (!ret) {
		out->id = sqlite3_column_int64(st, 0);
		copy_col(out->name, sizeof(out->name), st, 1);
		copy_col(out->tenant, sizeof(out->tenant), st, 2);
		out->has_password = sqlite3_column_type(st, 3) != SQLITE_NULL;
		copy_col(out->full_name, sizeof(out->full_name), st, 4);
		if (password) {
			const char *p = (const char *)sqlite3_column_text(st, 3);
			size_t pn = (size_t)sqlite3_column_bytes(st, 3);
			out->password_ok = secret_equal(password, pass_len,
				p ? p : "", p ? pn : 0) && out->has_password;
		}
	} else if (password) {
		/* the same work as a real comparison, so timing is equal */
		secret_equal(password, pass_len, password, pass_len);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

int store_find_associate_by_name(struct store_reader *r, const char *name,
		size_t n, const char *password, size_t pass_len,
		struct store_associate *out) {
	sqlite3_stmt *st = cred_stmt(r, CREDENTIAL_ASSOC_BY_NAME);
	if (!st) {
		*out = (struct store_associate){ 0 };
		return -EIO;
	}
	sqlite3_bind_text(st, 1, name, (int)n, SQLITE_STATIC);
	return read_associate(st, password, pass_len, out);
}

int store_find_associate(struct store_reader *r, int64_t id,
		struct store_associate *out) {
	sqlite3_stmt *st = cred_stmt(r, CREDENTIAL_ASSOC_BY_ID);
	if (!st) {
		*out = (struct store_associate){ 0 };
		return -EIO;
	}
	sqlite3_bind_int64(st, 1, id);
	return read_associate(st, NULL, 0, out);
}

/*
 * Scan every row of a credential table, comparing column 0 with @secret in
 * constant time and without stopping at a match, so timing tells nothing
 * about which or how much of a secret matched.
 */
static int match_secret(sqlite3_stmt *st, const char *secret, size_t n,
		int64_t *associate_id, int64_t *expires, const char *xsrf,
		size_t xn, bool *xsrf_ok) {
	int ret = -ENOENT;
	int rc;
	if (!st) {
		return -EIO;    /* not prepared (logged) */
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		size_t sn = (size_t)sqlite3_column_bytes(st, 0);
		if (secret_equal(secret, n, s ? s : "", s ? sn : 0) &&
				ret == -ENOENT) {
			ret = 0;
			if (associate_id) {
				*associate_id = sqlite3_column_int64(st, 1);
			}
			if (expires) {
				*expires = sqlite3_column_type(st, 2) ==
					SQLITE_NULL ? INT64_MAX :
					sqlite3_column_int64(st, 2);
			}
			if (xsrf) {
				const char *v = (const char *)
					sqlite3_column_text(st, 2);
				size_t vn = (size_t)sqlite3_column_bytes(st, 2);
				*xsrf_ok = secret_equal(xsrf, xn, v ? v : "",
					v ? vn : 0);
			}
		}
	}
	if (rc != SQLITE_DONE) {
		ret = -EIO;
	}
	sqlite3_reset(st);
	return ret;
}

int store_match_ticket(struct store_reader *r, const char *ticket, size_t n,
		int64_t *associate_id, int64_t *expires) {
	return match_secret(cred_stmt(r, CREDENTIAL_TICKETS), ticket, n,
		associate_id, expires, NULL, 0, NULL);
}

int store_match_token(struct store_reader *r, const char *token, size_t n,
		int64_t *associate_id, int64_t *expires) {
	return match_secret(cred_stmt(r, CREDENTIAL_TOKENS), token, n,
		associate_id, expires, NULL, 0, NULL);
}

int store_match_session(struct store_reader *r, const char *session_id,
		size_t sn, const char *xsrf, size_t xn, int64_t *associate_id,
		bool *xsrf_ok) {
	*xsrf_ok = false;
	return match_secret(cred_stmt(r, CREDENTIAL_SESSIONS), session_id, sn,
		associate_id, NULL, xsrf, xn, xsrf_ok);
}

bool store_app_token_known(struct store_reader *r, const char *token,
		size_t n) {
	return !match_secret(cred_stmt(r, CREDENTIAL_APPS), token, n, NULL, NULL,
		NULL, 0, NULL);
}

/* Column @i as text: "" for NULL. */
static const char *text_col(sqlite3_stmt *st, int i) {
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

int store_logins_foreach(struct store_reader *r, store_login_fn fn,
		void *ud) {
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(r->db, "SELECT associate_id, name, password, "
			"full_name, coalesce(tenant, '') AS t FROM associate "
			"WHERE password IS NOT NULL ORDER BY t <> '', t, "
			"associate_id", -1, &st, NULL) != SQLITE_OK) {
		return -EIO;
	}
	int rc = sqlite3_step(st);
	for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		const struct store_login login = {
			.id = sqlite3_column_int64(st, 0),
			.name = text_col(st, 1),
			.password = text_col(st, 2),
			.full_name = text_col(st, 3),
			.tenant = text_col(st, 4),
		};
		if (!fn(ud, &login)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

int store_count_associates(struct store_reader *r, int64_t *all,
		int64_t *with_password) {
	sqlite3_stmt *st = NULL;
	int ret = -EIO;
	if (sqlite3_prepare_v2(r->db, "SELECT count(*), count(password) "
			"FROM associate", -1, &st, NULL) == SQLITE_OK &&
			sqlite3_step(st) == SQLITE_ROW) {
		*all = sqlite3_column_int64(st, 0);
		*with_password = sqlite3_column_int64(st, 1);
		ret = 0;
	}
	sqlite3_finalize(st);
	return ret;
}
