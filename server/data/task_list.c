#include "build-config.h"
#include "task_list.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"

/*
 * The strings of one list: blocks of at least 16 KiB, never freed one by
 * one, so copying a row's strings costs no malloc per string.
 */
struct arena_block {
	struct arena_block *next;
	size_t used;
	size_t cap;
	char data[];
};

static char *arena_alloc(struct arena_block **head, size_t n) {
	struct arena_block *b = *head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		b = malloc(sizeof(*b) + cap);
		if (!b) {
			return NULL;
		}
		b->next = *head;
		b->used = 0;
		b->cap = cap;
		*head = b;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

const char *task_list_strdup(struct task_list *list, const char *s) {
	if (!s) {
		return NULL;
	}
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(&list->arena, n);
	if (p) {
		memcpy(p, s, n);
	}
	return p;
}

struct task *task_list_add(struct task_list *list) {
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 16;
		struct task *p = realloc(list->items, cap * sizeof(*p));
		if (!p) {
			return NULL;
		}
		list->items = p;
		list->cap = cap;
	}
	struct task *t = &list->items[list->n++];
	*t = (struct task){ 0 };
	return t;
}

void task_list_finish(struct task_list *list) {
	if (!list) {
		return;
	}
	free(list->items);
	struct arena_block *b = list->arena;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	*list = (struct task_list){ 0 };
}
