/*
 * server/demo/demo.h: the demo page at / and /demo, and the session login it
 * uses (POST /demo/login, /demo/logout): a login creates a session row
 * and sets the ASP.NET_SessionId and XSRF-TOKEN cookies, the same flow a
 * SuperOffice web client uses, after which the page calls the real API
 * with X-XSRF-TOKEN. Thread-safe.
 */
#ifndef SERVER_DEMO_H
#define SERVER_DEMO_H

#include <stdbool.h>

struct http_request;
struct http_response;

struct store;

/* Is @path the demo page or its login (/, /demo, /demo/...)? */
bool demo_path(const char *path);
/* Answer a demo request; @store (borrowed) is the default data. */
void demo_handle(struct store *store, const struct http_request *req,
	struct http_response *resp);

#endif
