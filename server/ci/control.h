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
#include <stdint.h>

#include "auth.h"

struct cache;
struct clock;
struct faults;
struct http_request;
struct http_response;
struct journal;
struct sandboxes;
struct simulator;
struct store;
struct tz_db;
struct watcher;

/* What the control API acts on; every pointer borrowed for its life. */
struct control {
	const char *admin_token;       /* NULL: loopback clients only */
	enum auth_mode mode;           /* shown by /health */
	int64_t started;               /* monotonic ns at start */
	struct tz_db *tzdb;
	struct store *store;           /* the default data */
	struct sandboxes *sandboxes;
	struct journal *journal;
	struct faults *faults;
	struct clock *clock;
	struct simulator *simulator;   /* NULL without --simulate */
	struct watcher *watcher;       /* NULL without --watch */
	struct cache *cache;           /* NULL with --no-cache */
};

/* Is @path a control path (/__somock or below)? */
bool control_path(const char *path);
/* Answer a control request. */
void control_handle(const struct control *ctl,
	const struct http_request *req,
	struct http_response *resp);

#endif
