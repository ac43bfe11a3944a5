#include "build-config.h"
#include "model.h"

#include <stddef.h>

#include "ascii.h"

struct name_value {
	const char *name;
	int value;
};

static const struct name_value states[] = {
	{ "Unknown", TASK_STATE_UNKNOWN },
	{ "New", TASK_STATE_NEW },
	{ "Aquired", TASK_STATE_AQUIRED },
	{ "Started", TASK_STATE_STARTED },
	{ "Succeeded", TASK_STATE_SUCCEEDED },
	{ "Failed", TASK_STATE_FAILED },
	{ "SucceededManualCleanup", TASK_STATE_SUCCEEDED_MANUAL_CLEANUP },
	{ "All", TASK_STATE_ALL },
};

static const struct name_value cancels[] = {
	{ "CanCancel", TASK_CANCEL_CAN_CANCEL },
	{ "CancelWithWarning", TASK_CANCEL_WITH_WARNING },
	{ "CannotCancel", TASK_CANCEL_CANNOT_CANCEL },
};

static const char *lookup_name(const struct name_value *t, size_t n, int v) {
	for (size_t i = 0; i < n; i++) {
		if (t[i].value == v) {
			return t[i].name;
		}
	}
	return NULL;
}

static bool lookup_value(const struct name_value *t, size_t n,
		const char *s, size_t len, int *out) {
	if (!s) {
		return false;
	}
	trim_slice(&s, &len);
	for (size_t i = 0; i < n; i++) {
		if (ascii_casecmp_n(s, len, t[i].name)) {
			*out = t[i].value;
			return true;
		}
	}
	return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *task_state_name(int state) {
	return lookup_name(states, COUNT(states), state);
}

const char *task_cancel_name(int cancel) {
	return lookup_name(cancels, COUNT(cancels), cancel);
}

bool task_state_parse(const char *s, size_t n, int *out) {
	return lookup_value(states, COUNT(states), s, n, out);
}

bool task_cancel_parse(const char *s, size_t n, int *out) {
	return lookup_value(cancels, COUNT(cancels), s, n, out);
}

#undef COUNT

#define F(name, kind, member) { name, kind, offsetof(struct task, member) }

const struct task_field task_fields[TASK_FIELD_COUNT] = {
	F("Id", TASK_FIELD_INT, id),
	F("Name", TASK_FIELD_STRING, name),
	F("AssociateId", TASK_FIELD_INT, associate_id),
	F("DetailsTable", TASK_FIELD_INT, details_table),
	F("DetailsRecord", TASK_FIELD_INT, details_record),
	F("IsSystemTask", TASK_FIELD_BOOL, is_system_task),
	F("IsInternalTask", TASK_FIELD_BOOL, is_internal_task),
	F("ParameterObject", TASK_FIELD_OBJECT, parameter_object),
	F("LastStarted", TASK_FIELD_DATE, last_started),
	F("Created", TASK_FIELD_DATE, created),
	F("StartCount", TASK_FIELD_INT, start_count),
	F("DatabaseSerialNumber", TASK_FIELD_STRING, database_serial_number),
	F("Context", TASK_FIELD_STRING, context),
	F("Result", TASK_FIELD_STRING, result),
	F("State", TASK_FIELD_STATE, state),
	F("Description", TASK_FIELD_STRING, description),
	F("Response", TASK_FIELD_STRING, response),
	F("Request", TASK_FIELD_STRING, request),
	F("ProgressDescription", TASK_FIELD_STRING, progress_description),
	F("ProgressPercent", TASK_FIELD_INT, progress_percent),
	F("FileName", TASK_FIELD_STRING, file_name),
	F("CancellationBehaviour", TASK_FIELD_CANCEL, cancellation),
};

#undef F

int64_t task_field_number(const struct task *t, const struct task_field *f) {
	const char *p = (const char *)t + f->offset;
	switch (f->kind) {
	case TASK_FIELD_INT:
	case TASK_FIELD_DATE:
		return *(const int64_t *)(const void *)p;
	case TASK_FIELD_BOOL:
		return *(const bool *)(const void *)p;
	case TASK_FIELD_STATE:
	case TASK_FIELD_CANCEL:
		return *(const int *)(const void *)p;
	case TASK_FIELD_STRING:
	case TASK_FIELD_OBJECT:
		break;
	}
	return 0;
}

const char *task_field_text(const struct task *t, const struct task_field *f) {
	return *(const char *const *)(const void *)((const char *)t + f->offset);
}
