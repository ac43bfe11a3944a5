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

struct app;
struct http_request;
struct http_response;

bool demo_path(const char *path);
void demo_handle(const struct app *app, const struct http_request *req,
	struct http_response *resp);

#endif
