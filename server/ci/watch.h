/*
 * server/ci/watch.h: hot reload (--watch). inotify watches the folders of
 * the fixture files (editors replace files rather than write them), and a
 * change to one of them rebuilds the start-up data. A rebuild that fails
 * keeps the old data and logs why. Sandboxes are dropped on a reload, as
 * they were copies of the old data. Runs its own thread.
 */
#ifndef SERVER_WATCH_H
#define SERVER_WATCH_H

#include <stddef.h>
#include <stdint.h>

struct sandboxes;
struct store;
struct store_options;
struct watcher;

/* Watch @opt's fixture files (all borrowed); NULL with errno set. */
struct watcher *watcher_create(struct store *store,
	struct sandboxes *sandboxes, const struct store_options *opt);
void watcher_destroy(struct watcher *w);

/* Reloads done, and the last failure's message ("" if none). */
uint64_t watcher_reloads(struct watcher *w, char *last_error, size_t cap);

#endif
