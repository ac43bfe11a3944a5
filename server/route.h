/*
 * server/route.h: the route table and the request pipeline (SPEC §3-§10):
 * match, authenticate, negotiate, resolve zone and language, query,
 * translate, render. The one place that maps internal errors to HTTP
 * statuses and SuperOffice error bodies. Thread-safe: handlers share only
 * the immutable context and the store's reader pool.
 */
#ifndef SERVER_ROUTE_H
#define SERVER_ROUTE_H

#include <stddef.h>

struct config;
struct http_request;
struct http_response;
struct store;
struct tz_db;

struct route_ctx;

/*
 * Create the context; @cfg, @store and @tzdb are borrowed for its life.
 * NULL with a message in @err when the server time zone is unknown.
 */
struct route_ctx *route_create(const struct config *cfg, struct store *store,
	struct tz_db *tzdb, char *err, size_t errlen);
void route_destroy(struct route_ctx *ctx);

/* Answer @req into @resp (always filled, never fails). */
void route_handle(struct route_ctx *ctx, const struct http_request *req,
	struct http_response *resp);

#endif
