/*
 * server/api/route.h: the route table and the request pipeline (SPEC §3-§10):
 * match, authenticate, negotiate, resolve zone and language, query,
 * translate, render; control (/__somock/) and demo (/, /demo) requests go
 * to their modules. The one place that maps internal errors to HTTP
 * statuses and SuperOffice error bodies. Thread-safe: handlers share only
 * the immutable app and the stores' reader pools.
 */
#ifndef SERVER_ROUTE_H
#define SERVER_ROUTE_H

struct app;
struct http_request;
struct http_response;

/* Answer @req into @resp (always filled, never fails). */
void route_handle(const struct app *app, const struct http_request *req,
	struct http_response *resp);

#endif
