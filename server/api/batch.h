/*
 * server/api/batch.h: what the Batch service's operations mean, apart from
 * how a request arrives (REST, Agents, SOAP) or how an answer is written
 * (JSON, XML, a SOAP envelope). An operation of the agents table with its
 * typed parameters (agent_args_read) is either a read, turned into a
 * batch_query the store answers, or a write, run on the caller's data.
 * Both front ends call these, so the meaning is written once.
 * Thread-safe given a reader per thread.
 */
#ifndef SERVER_API_BATCH_H
#define SERVER_API_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "agents.h"
#include "queries.h"

struct store;
struct store_reader;
struct task_list;

enum batch_answer {
	BATCH_LIST,        /* the tasks of the filter */
	BATCH_ONE,         /* the task by id, or none (404 on REST) */
	BATCH_ONE_NULL,    /* the task by id, or null (Agents, SOAP) */
};

/* A read: which tasks of the caller's tenant. */
struct batch_query {
	enum batch_answer kind;
	int64_t id;                     /* ONE, ONE_NULL */
	struct task_filter filter;      /* LIST; the tenant is the caller's */
	char associates[2048];          /* the filter's JSON array of ids */
};

/*
 * The read @op asks for with @args (typed by agent_args_read); false when
 * @op is a write. @q->filter.name borrows from @args.
 */
bool batch_read_query(const struct agent_op *op, json_t *args,
	struct batch_query *q);

/*
 * Read @q's tasks of @tenant into @out: 0, -ENOENT (ONE/ONE_NULL: no such
 * task), or a negative errno.
 */
int batch_read(struct store_reader *r, const char *tenant,
	const struct batch_query *q, struct task_list *out);

/* Who writes, where, when. */
struct batch_caller {
	struct store *store;            /* the default data or a sandbox's */
	const char *tenant;             /* the caller's; "" the default */
	int64_t associate_id;
	int64_t now;                    /* ticks, the mock clock */
};

/* What a write answers. */
struct batch_outcome {
	enum agent_type result;         /* INT32, BOOL, CARRIER or VOID */
	int64_t value;                  /* INT32: the new Id; BOOL: 0 or 1 */
	int64_t id;                     /* CARRIER: the task to read back */
	bool found;                     /* CARRIER: whether it exists */
};

/*
 * Run the write @op with @args as @who. 0 with @out filled; -EINVAL with
 * a message for the client naming the member ("BatchTaskInfo.State: ...")
 * in @err; another negative errno on failure. For UpdateBatchTask the
 * caller reads the task back (out->id) with a fresh reader: the data
 * changed.
 */
int batch_write(const struct batch_caller *who, const struct agent_op *op,
	json_t *args, struct batch_outcome *out, char *err, size_t errlen);

#endif
