#include "build-config.h"
#include "sandbox.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"

struct sandbox {
	struct sandbox *next;
	char name[64];
	struct store *store;
	unsigned users;
	int64_t last_used;       /* monotonic ms */
};

struct sandboxes {
	pthread_mutex_t lock;
	struct store *base;
	struct sandbox *list;
	struct sandbox *dropped;  /* dropped while in use: freed on release */
	unsigned count;
	unsigned max;
	struct store_budget budget; /* the bytes their own copies take */
	unsigned idle_seconds;
};


/*
 * Monotonic milliseconds: whole seconds would evict a sandbox used at
 * x.999 s as soon as x+1 s with --sandbox-idle 1.
 */
static int64_t now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool sandbox_name_valid(const char *name) {
	size_t n = strlen(name);
	if (!n || n > 63) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || c == '.' || c == '_' ||
				c == '-')) {
			return false;
		}
	}
	return true;
}

struct sandboxes *sandboxes_create(struct store *base, unsigned max,
		size_t max_bytes, unsigned idle_seconds) {
	struct sandboxes *sb = calloc(1, sizeof(*sb));
	if (!sb) {
		return NULL;
	}
	pthread_mutex_init(&sb->lock, NULL);
	sb->base = base;
	sb->max = max;
	atomic_init(&sb->budget.used, 0);
	sb->budget.max = max_bytes;
	sb->idle_seconds = idle_seconds;
	return sb;
}

static void sandbox_free(struct sandbox *s) {
	store_destroy(s->store);
	free(s);
}

/* Unlink @s (lock held); it is freed now, or by its last user. */
static void drop_locked(struct sandboxes *sb, struct sandbox **link) {
	struct sandbox *s = *link;
	*link = s->next;
	sb->count--;
	if (s->users) {
		s->next = sb->dropped;
		sb->dropped = s;
	} else {
		sandbox_free(s);
	}
}

static void sweep_locked(struct sandboxes *sb) {
	int64_t now = now_ms();
	struct sandbox **p = &sb->list;
	while (*p) {
		if (!(*p)->users && now - (*p)->last_used >=
				(int64_t)sb->idle_seconds * 1000) {
			drop_locked(sb, p);
		} else {
			p = &(*p)->next;
		}
	}
}

void sandboxes_destroy(struct sandboxes *sb) {
	if (!sb) {
		return;
	}
	sandboxes_drop_all(sb);
	while (sb->dropped) {
		struct sandbox *s = sb->dropped;
		sb->dropped = s->next;
		sandbox_free(s);
	}
	pthread_mutex_destroy(&sb->lock);
	free(sb);
}

struct store *sandboxes_acquire(struct sandboxes *sb, const char *name,
		bool create, enum sandbox_refusal *why) {
	struct store *store = NULL;
	*why = SANDBOX_OK;
	pthread_mutex_lock(&sb->lock);
	sweep_locked(sb);
	struct sandbox *s = sb->list;
	while (s && strcmp(s->name, name)) {
		s = s->next;
	}
	if (!s) {
		if (!create) {
			*why = SANDBOX_ABSENT;
			goto out;
		}
		if (sb->count >= sb->max) {
			*why = SANDBOX_FULL;
			goto out;
		}
		/* a new sandbox copies nothing until it changes */
		s = calloc(1, sizeof(*s));
		if (!s || !(s->store = store_clone(sb->base,
				&sb->budget))) {
			free(s);
			*why = SANDBOX_NOMEM;
			goto out;
		}
		memcpy(s->name, name, strlen(name) + 1);
		s->next = sb->list;
		sb->list = s;
		sb->count++;
	}
	s->users++;
	s->last_used = now_ms();
	store = s->store;
out:
	pthread_mutex_unlock(&sb->lock);
	return store;
}

void sandboxes_release(struct sandboxes *sb, struct store *store) {
	if (!store) {
		return;
	}
	pthread_mutex_lock(&sb->lock);
	for (struct sandbox *s = sb->list; s; s = s->next) {
		if (s->store == store) {
			s->users--;
			s->last_used = now_ms();
			goto out;
		}
	}
	for (struct sandbox **p = &sb->dropped; *p; p = &(*p)->next) {
		struct sandbox *s = *p;
		if (s->store == store) {
			if (!--s->users) {
				*p = s->next;
				sandbox_free(s);
			}
			break;
		}
	}
out:
	pthread_mutex_unlock(&sb->lock);
}

bool sandboxes_drop(struct sandboxes *sb, const char *name) {
	bool found = false;
	pthread_mutex_lock(&sb->lock);
	for (struct sandbox **p = &sb->list; *p; p = &(*p)->next) {
		if (!strcmp((*p)->name, name)) {
			drop_locked(sb, p);
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&sb->lock);
	return found;
}

void sandboxes_drop_all(struct sandboxes *sb) {
	pthread_mutex_lock(&sb->lock);
	while (sb->list) {
		drop_locked(sb, &sb->list);
	}
	pthread_mutex_unlock(&sb->lock);
}

void sandboxes_foreach(struct sandboxes *sb,
		void (*fn)(void *ud, struct store *store), void *ud) {
	pthread_mutex_lock(&sb->lock);
	for (struct sandbox *s = sb->list; s; s = s->next) {
		fn(ud, s->store);
	}
	pthread_mutex_unlock(&sb->lock);
}

size_t sandboxes_bytes(struct sandboxes *sb) {
	return atomic_load(&sb->budget.used);
}

json_t *sandboxes_to_json(struct sandboxes *sb) {
	json_t *arr = json_array();
	pthread_mutex_lock(&sb->lock);
	/* list only the live ones: evict the idle first */
	sweep_locked(sb);
	int64_t now = now_ms();
	for (struct sandbox *s = sb->list; arr && s; s = s->next) {
		json_t *o = json_pack("{s:s, s:I, s:i, s:I}", "name", s->name,
			"idleSeconds", (json_int_t)((now - s->last_used) / 1000),
			"inUse", (int)s->users, "bytes",
			(json_int_t)store_own_bytes(s->store));
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	pthread_mutex_unlock(&sb->lock);
	return arr;
}
