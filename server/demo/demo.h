/*
 * server/demo/demo.h: the demo page at / and /demo, the logins it offers
 * (GET /demo/logins: the associates of the data served that can sign in
 * in the current mode) and the session login it uses (POST /demo/login,
 * /demo/logout): a login creates a session row and sets the
 * ASP.NET_SessionId and XSRF-TOKEN cookies, the same flow a SuperOffice
 * web client uses, after which the page calls the real API with
 * X-XSRF-TOKEN. Thread-safe.
 */
#ifndef SERVER_DEMO_H
#define SERVER_DEMO_H

#include <stdbool.h>

#include "auth.h"

struct http_request;
struct http_response;

struct store;

/* Is @path the demo page or its login (/, /demo, /demo/...)? */
bool demo_path(const char *path);
/*
 * Answer a demo request; @store (borrowed) is the default data, @mode the
 * installation type, which decides who can sign in.
 */
void demo_handle(struct store *store, enum auth_mode mode,
	const struct http_request *req, struct http_response *resp);

#endif
