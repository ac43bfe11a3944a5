/*
 * server/data/writes.h: the Batch service's writes to a store: start a
 * job, update, stop and delete tasks. Each is one transaction on the
 * store's data (the default data or a sandbox's; copy on write over a
 * read-only --db), scoped to the caller's tenant (another tenant's task is
 * invisible to writes as to reads), and marks exactly the answers it makes
 * stale (store_dep_bump): a task's own, its tenant's lists of the states
 * it left and entered, and its tenant's other searches. Writes of one
 * store are serialised by its write lock, so two starts never get one Id.
 * Thread-safe.
 */
#ifndef SERVER_DATA_WRITES_H
#define SERVER_DATA_WRITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct store;

/*
 * Start a job from @carrier (a BatchTaskInfo as JSON names its members;
 * borrowed): a fresh Id above every Id of the data, State New, Created
 * @now, AssociateId @associate_id, StartCount 0, LastStarted
 * DateTime.MinValue, every other member from the carrier. 0 with *id set;
 * -EINVAL with a message naming the member ("BatchTaskInfo.State: ..."),
 * or -EIO.
 */
int store_start_task(struct store *store, json_t *carrier,
	int64_t associate_id, int64_t now, int64_t *id, char *err,
	size_t errlen);

/*
 * Update task @id of @tenant: of @changes, only "State" (a state number),
 * "Description", "Response" and "Request" (strings or null) are applied;
 * members it lacks keep their values. Every member of @carrier (the body
 * the changes came from; may be NULL) must be of its type: -EINVAL with a
 * message naming it otherwise. *found false (and 0) when the tenant has
 * no such task.
 */
int store_update_task(struct store *store, const char *tenant, int64_t id,
	json_t *changes, json_t *carrier, bool *found, char *err,
	size_t errlen);

/*
 * Stop task @id of @tenant: when it is New, Aquired or Started and its
 * CancellationBehaviour is not CannotCancel, it becomes Failed with
 * Result "Stopped" and *stopped is true; otherwise nothing changes and
 * *stopped is false (also for a task that does not exist).
 */
int store_stop_task(struct store *store, const char *tenant, int64_t id,
	bool *stopped, char *err, size_t errlen);

/* Delete the tasks @ids (@n of them) of @tenant; others are ignored. */
int store_delete_tasks(struct store *store, const char *tenant,
	const int64_t *ids, size_t n, char *err, size_t errlen);

#endif
