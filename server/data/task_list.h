/*
 * server/data/task_list.h: a growable list of tasks whose strings live in
 * the list's own arena, so a query's answer outlives the reader it came
 * from and is freed in one call. Not thread-safe: one list, one thread.
 */
#ifndef SERVER_DATA_TASK_LIST_H
#define SERVER_DATA_TASK_LIST_H

#include <stddef.h>

struct arena_block;
struct task;

/*
 * Owned by whoever declared it (start it as { 0 }); release with
 * task_list_finish(). items[0..n) are the tasks, their strings borrowed
 * from the arena until then.
 */
struct task_list {
	struct task *items;
	size_t n;
	size_t cap;
	struct arena_block *arena;
};

/* Free the items and the arena and zero the list; NULL is fine. */
void task_list_finish(struct task_list *list);
/*
 * A new zeroed task at the end of the list, valid until the next call
 * (the items may move); NULL on OOM, the list unchanged.
 */
struct task *task_list_add(struct task_list *list);
/* Copy @s (may be NULL) into the list's arena; NULL on OOM or NULL input. */
const char *task_list_strdup(struct task_list *list, const char *s);

#endif
