/*
 * server/app.h: the parts of a running server, for the modules that answer
 * requests (route.c, control.c, demo.c, http.c). A plain value built once
 * in main.c; every pointer is borrowed for the server's life, and the
 * optional ones are NULL when their feature is off.
 */
#ifndef SERVER_APP_H
#define SERVER_APP_H

#include <stdint.h>

struct cache;
struct clock;
struct config;
struct faults;
struct journal;
struct sandboxes;
struct simulator;
struct store;
struct timer;
struct tz_db;
struct tz_zone;
struct watcher;

struct app {
	const struct config *cfg;
	struct store *store;             /* the default (no sandbox) data */
	struct tz_db *tzdb;
	const struct tz_zone *server_zone;
	struct cache *cache;             /* NULL with --no-cache */
	struct clock *clock;
	struct journal *journal;
	struct faults *faults;
	struct sandboxes *sandboxes;
	struct simulator *simulator;     /* NULL without --simulate */
	struct watcher *watcher;         /* NULL without --watch */
	int64_t started;                 /* monotonic ns at start */
};

#endif
