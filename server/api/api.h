/*
 * server/api/api.h: SuperOffice's REST and Agents API over the data: the
 * request pipeline that matches a route, picks the data
 * (default or sandbox), authenticates, negotiates, resolves zone and
 * language, queries, translates and renders, or answers the error. Every
 * path that is not the control API or the demo page comes here.
 * Thread-safe: handlers share only the immutable struct api and the
 * stores' reader pools.
 */
#ifndef SERVER_API_API_H
#define SERVER_API_API_H

#include "auth.h"

struct cache;
struct clock;
struct http_request;
struct http_response;
struct sandboxes;
struct store;
struct tz_db;
struct tz_zone;

/* How dates carry their zone (--dates). */
enum api_dates {
	/* always "Z" or "+hh:mm", as the endpoint's documented sample */
	API_DATES_SAMPLE = 0,
	/*
	 * SuperOffice's written SO-TimeZone rules: a zone asked for without
	 * includeTZOffset comes back as bare local time
	 */
	API_DATES_DOCUMENTED,
};

/* What the API answers from; every pointer borrowed for its life. */
struct api {
	enum auth_mode mode;
	enum api_dates dates;
	const char *cors;                /* allowed origin, "*", or NULL */
	struct store *store;             /* the default (no sandbox) data */
	struct sandboxes *sandboxes;
	struct tz_db *tzdb;
	const struct tz_zone *server_zone;
	struct cache *cache;             /* NULL with --no-cache */
	struct clock *clock;
};

/* Answer @req into @resp (always filled, never fails). */
void api_handle(const struct api *api, const struct http_request *req,
	struct http_response *resp);

#endif
