#include "build-config.h"
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "task_list.h"
#include "writes.h"

bool batch_read_query(const struct agent_op *op, json_t *args,
		struct batch_query *q) {
	*q = (struct batch_query){ .kind = BATCH_LIST, .filter = {
		.kinds = TASKS_ANY, .state = TASK_STATE_ALL } };
	json_t *state = json_object_get(args, "State");
	json_t *name = json_object_get(args, "Name");
	json_t *ids = json_object_get(args, "AssociateIds");
	if (state) {
		q->filter.state = (int)json_integer_value(state);
	}
	if (!name) {
		name = json_object_get(args, "TaskName");
	}
	if (name) {
		q->filter.name = json_string_value(name);
	}
	if (ids) {
		/* integers only (agent_args_read typed them): it fits or is cut
		 * to whole ids */
		size_t used = 0, i;
		json_t *v;
		used += (size_t)snprintf(q->associates, sizeof(q->associates),
			"[");
		json_array_foreach(ids, i, v) {
			int n = snprintf(q->associates + used,
				sizeof(q->associates) - used, "%s%lld", i ? "," :
				"", (long long)json_integer_value(v));
			if (n < 0 || (size_t)n >= sizeof(q->associates) - used -
					1) {
				break;
			}
			used += (size_t)n;
		}
		snprintf(q->associates + used, sizeof(q->associates) - used,
			"]");
		q->filter.associates = q->associates;
	}
	switch (op->id) {
	case AGENT_GET_TASK:
		q->kind = BATCH_ONE_NULL;
		q->id = json_integer_value(json_object_get(args, "Id"));
		return true;
	case AGENT_BY_STATE:
	case AGENT_BY_NAME_AND_STATE:
		q->filter.kinds = TASKS_USER;
		return true;
	case AGENT_SYSTEM_BY_NAME:
	case AGENT_SYSTEM_BY_NAME_AND_STATE:
		q->filter.kinds = TASKS_SYSTEM;
		return true;
	case AGENT_ALL_BY_NAME:
	case AGENT_ALL_BY_NAME_AND_STATE:
	case AGENT_BY_ASSOCIATES:
	case AGENT_BY_ASSOCIATES_AND_STATE:
	case AGENT_BY_NAME_AND_ASSOCIATES:
		return true;
	case AGENT_START:
	case AGENT_UPDATE:
	case AGENT_STOP:
	case AGENT_DELETE:
	case AGENT_DELETE_MANY:
	case AGENT_OP_COUNT:
		break;
	}
	return false;
}

int batch_read(struct store_reader *r, const char *tenant,
		const struct batch_query *q, struct task_list *out) {
	if (q->kind != BATCH_LIST) {
		return store_get_task(r, tenant, q->id, out);
	}
	struct task_filter f = q->filter;
	f.tenant = tenant;
	if (f.kinds == TASKS_USER && !f.name && !f.associates) {
		/* the REST list: its own indexed statements */
		return store_list_tasks(r, f.tenant, f.state, out);
	}
	return store_find_tasks(r, &f, out);
}

/*
 * UpdateBatchTask's changes: of @carrier, State (a name or number, made a
 * number), Description, Response and Request (text or null). NULL with a
 * message when one is not what it must be.
 */
static json_t *update_changes(json_t *carrier, char *err, size_t errlen) {
	static const char *const members[] = { "State", "Description",
		"Response", "Request" };
	json_t *changes = json_object();
	for (size_t i = 0; changes && i < sizeof(members) / sizeof(members[0]);
			i++) {
		json_t *v = json_object_get(carrier, members[i]);
		int state = 0;
		bool ok;
		if (!v) {
			continue;
		}
		if (i == 0) {
			json_int_t n = json_integer_value(v);
			ok = (json_is_string(v) && task_state_parse(
				json_string_value(v), json_string_length(v),
				&state)) || (json_is_integer(v) && n >= 0 &&
				n <= INT32_MAX && task_state_name(state = (int)n));
			ok = ok && !json_object_set_new(changes, members[i],
				json_integer(state));
		} else {
			ok = (json_is_string(v) || json_is_null(v)) &&
				!json_object_set(changes, members[i], v);
		}
		if (!ok) {
			snprintf(err, errlen, "BatchTaskInfo.%s: must be %s",
				members[i], i ? "a string or null" :
				"a BatchTaskState name or number");
			json_decref(changes);
			return NULL;
		}
	}
	return changes;
}

/* The ids of DeleteBatchTask(s): one integer or an array of them. */
static int delete(const struct batch_caller *who, json_t *which, char *err,
		size_t errlen) {
	int64_t ids[1024];
	size_t n = 0;
	if (json_is_integer(which)) {
		ids[n++] = json_integer_value(which);
	} else {
		size_t i;
		json_t *v;
		json_array_foreach(which, i, v) {
			if (n == sizeof(ids) / sizeof(ids[0])) {
				snprintf(err, errlen, "BatchTaskIds: at most 1024 "
					"ids a call");
				return -EINVAL;
			}
			ids[n++] = json_integer_value(v);
		}
	}
	return store_delete_tasks(who->store, who->tenant, ids, n, err, errlen);
}

int batch_write(const struct batch_caller *who, const struct agent_op *op,
		json_t *args, struct batch_outcome *out, char *err,
		size_t errlen) {
	*out = (struct batch_outcome){ .result = op->result };
	switch (op->id) {
	case AGENT_START:
		return store_start_task(who->store, json_object_get(args,
			"BatchTaskInfo"), who->associate_id, who->now,
			&out->value, err, errlen);
	case AGENT_UPDATE: {
		json_t *carrier = json_object_get(args, "BatchTaskInfo");
		json_t *id = json_object_get(carrier, "Id");
		if (!json_is_integer(id)) {
			snprintf(err, errlen, "BatchTaskInfo.Id: must be the "
				"task's Id, an integer");
			return -EINVAL;
		}
		out->id = json_integer_value(id);
		json_t *changes = update_changes(carrier, err, errlen);
		if (!changes) {
			return -EINVAL;
		}
		int ret = store_update_task(who->store, who->tenant, out->id,
			changes, carrier, &out->found, err, errlen);
		json_decref(changes);
		return ret;
	}
	case AGENT_STOP: {
		bool stopped = false;
		int ret = store_stop_task(who->store, who->tenant,
			json_integer_value(json_object_get(args, "Id")), &stopped,
			err, errlen);
		out->value = stopped;
		return ret;
	}
	case AGENT_DELETE:
		return delete(who, json_object_get(args, "BatchTaskId"), err,
			errlen);
	case AGENT_DELETE_MANY:
		return delete(who, json_object_get(args, "BatchTaskIds"), err,
			errlen);
	default:
		snprintf(err, errlen, "%s is not a write", op->name);
		return -EINVAL;
	}
}
