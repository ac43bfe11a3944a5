#include "build-config.h"
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "store.h"

struct watcher {
	struct store *store;
	struct sandboxes *sandboxes;
	const struct store_options *opt;
	int fd;                  /* inotify */
	int stop[2];             /* pipe: a byte stops the thread */
	pthread_t thread;
	pthread_mutex_t lock;
	uint64_t reloads;
	char last_error[512];
};

static const char *base_name(const char *path) {
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Does an event name one of the fixture files? */
static bool is_fixture(const struct watcher *w, const char *name) {
	for (size_t i = 0; i < w->opt->n_fixtures; i++) {
		if (!strcmp(base_name(w->opt->fixtures[i]), name)) {
			return true;
		}
	}
	return false;
}

static void reload(struct watcher *w) {
	char err[512] = "";
	int ret = store_rebuild(w->store, w->opt, err, sizeof(err));
	pthread_mutex_lock(&w->lock);
	if (ret) {
		snprintf(w->last_error, sizeof(w->last_error), "%s", err);
	} else {
		w->reloads++;
		w->last_error[0] = '\0';
	}
	pthread_mutex_unlock(&w->lock);
	if (ret) {
		log_error("cannot reload the fixtures, keeping the old data: %s",
			err);
		return;
	}
	sandboxes_drop_all(w->sandboxes);
	log_info("fixtures reloaded");
}

static void *run(void *arg) {
	struct watcher *w = arg;
	/* the union aligns the buffer for struct inotify_event */
	union {
		struct inotify_event ev;
		char bytes[4096];
	} u;
	char *buf = u.bytes;
	for (;;) {
		struct pollfd fds[2] = { { w->fd, POLLIN, 0 },
			{ w->stop[0], POLLIN, 0 } };
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR) {
				continue;
			}
			break;
		}
		if (fds[1].revents) {
			break;
		}
		bool changed = false;
		for (;;) {
			ssize_t n = read(w->fd, buf, sizeof(u));
			if (n <= 0) {
				break;
			}
			for (char *p = buf; p < buf + n;) {
				const struct inotify_event *ev = (const void *)p;
				if (ev->len && is_fixture(w, ev->name)) {
					changed = true;
				}
				p += sizeof(*ev) + ev->len;
			}
		}
		if (changed) {
			/* let a save that writes in several steps settle */
			poll(NULL, 0, 100);
			while (read(w->fd, buf, sizeof(u)) > 0) {
			}
			reload(w);
		}
	}
	return NULL;
}

struct watcher *watcher_create(struct store *store,
		struct sandboxes *sandboxes, const struct store_options *opt) {
	struct watcher *w = calloc(1, sizeof(*w));
	if (!w) {
		return NULL;
	}
	*w = (struct watcher){ .store = store, .sandboxes = sandboxes,
		.opt = opt, .fd = -1, .stop = { -1, -1 } };
	pthread_mutex_init(&w->lock, NULL);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0 || pipe(w->stop)) {
		goto fail;
	}
	for (size_t i = 0; i < opt->n_fixtures; i++) {
		char dir[PATH_MAX];
		const char *path = opt->fixtures[i];
		const char *slash = strrchr(path, '/');
		if (slash) {
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path +
				(slash == path)), path);
		} else {
			snprintf(dir, sizeof(dir), ".");
		}
		if (inotify_add_watch(w->fd, dir, IN_CLOSE_WRITE |
				IN_MOVED_TO | IN_CREATE) < 0) {
			log_errno("cannot watch '%s'", dir);
			goto fail;
		}
	}
	if (pthread_create(&w->thread, NULL, run, w)) {
		goto fail;
	}
	return w;
fail:
	if (w->fd >= 0) {
		close(w->fd);
	}
	if (w->stop[0] >= 0) {
		close(w->stop[0]);
		close(w->stop[1]);
	}
	pthread_mutex_destroy(&w->lock);
	free(w);
	return NULL;
}

void watcher_destroy(struct watcher *w) {
	if (!w) {
		return;
	}
	if (write(w->stop[1], "x", 1) != 1) {
		log_errno("cannot stop the watcher");
	}
	pthread_join(w->thread, NULL);
	close(w->fd);
	close(w->stop[0]);
	close(w->stop[1]);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

uint64_t watcher_reloads(struct watcher *w, char *last_error, size_t cap) {
	pthread_mutex_lock(&w->lock);
	uint64_t n = w->reloads;
	snprintf(last_error, cap, "%s", w->last_error);
	pthread_mutex_unlock(&w->lock);
	return n;
}
