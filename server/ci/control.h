/*
 * server/ci/control.h: the control API under /__somock/ (docs/control-api.md)
 * for CI suites: health, reset, fixture loads, the request journal, fault
 * rules, the clock and sandboxes. JSON in and out. Refused (403) unless
 * the client is on loopback or sends X-Somock-Admin-Token equal to
 * --admin-token; /__somock/health is always open. Thread-safe.
 */
#ifndef SERVER_CONTROL_H
#define SERVER_CONTROL_H

#include <stdbool.h>

struct app;
struct http_request;
struct http_response;

/* Is @path a control path (/__somock or below)? */
bool control_path(const char *path);
/* Answer a control request. */
void control_handle(const struct app *app, const struct http_request *req,
	struct http_response *resp);

#endif
