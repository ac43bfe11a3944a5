#include "build-config.h"
#include "model.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

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

static bool member_at(const struct name_value *t, size_t n, size_t i,
		const char **name, int *value) {
	if (i >= n) {
		return false;
	}
	*name = t[i].name;
	*value = t[i].value;
	return true;
}

bool task_state_member(size_t i, const char **name, int *value) {
	return member_at(states, COUNT(states), i, name, value);
}

bool task_cancel_member(size_t i, const char **name, int *value) {
	return member_at(cancels, COUNT(cancels), i, name, value);
}

#undef COUNT

/*
 * The carrier's members. .NET types: System types as .NET names them; the
 * SuperOffice types by the full name the vendor's OpenAPI or NetServer's
 * own error messages use, and by the XSD's type name where neither says
 * more (StringDictionary, FieldPropertyDictionary). NIL: nillable in the
 * XSD. SR: a string SuperOffice may hold as [SR_...] resource references.
 */
enum { NIL = 1, SR = 2 };

#define F(name, member, kind, column, json, xml, net, flags) { \
	name, column, net, offsetof(struct task, member), \
	sizeof(((struct task *)0)->member), TASK_FIELD_##kind, \
	{ [TASK_ORDER_JSON] = json, [TASK_ORDER_XML] = xml }, \
	((flags) & NIL) != 0, ((flags) & SR) != 0 }

const struct task_field task_fields[TASK_FIELD_COUNT] = {
	F("Id", id, INT32, "BatchTask_id",
		0, 2, "System.Int32", 0),
	F("Name", name, STRING, "name",
		1, 3, "System.String", NIL | SR),
	F("AssociateId", associate_id, INT32, "registered_associate_id",
		2, 4, "System.Int32", 0),
	F("DetailsTable", details_table, INT16, "detailsTable",
		3, 5, "System.Int16", 0),
	F("DetailsRecord", details_record, INT32, "detailsRecord",
		4, 6, "System.Int32", 0),
	F("IsSystemTask", is_system_task, BOOL, "isSystemTask",
		5, 7, "System.Boolean", 0),
	F("IsInternalTask", is_internal_task, BOOL, "isInternalTask",
		6, 8, "System.Boolean", 0),
	F("ParameterObject", parameter_object, OBJECT, "parameterObject",
		7, 9, "StringDictionary", NIL),
	F("LastStarted", last_started, DATE, "lastStarted",
		8, 10, "System.DateTime", 0),
	F("Created", created, DATE, "registered",
		9, 11, "System.DateTime", 0),
	F("StartCount", start_count, INT32, "startCount",
		10, 12, "System.Int32", 0),
	F("DatabaseSerialNumber", database_serial_number, STRING, "dbTag",
		11, 13, "System.String", NIL | SR),
	F("Context", context, STRING, "context",
		12, 14, "System.String", NIL | SR),
	F("Result", result, STRING, "result",
		13, 15, "System.String", NIL | SR),
	F("State", state, STATE, "state",
		14, 16, "SuperOffice.Data.BatchTaskState", 0),
	F("Description", description, STRING, "description",
		15, 17, "System.String", NIL | SR),
	F("Response", response, STRING, "response",
		16, 18, "System.String", NIL | SR),
	F("Request", request, STRING, "request",
		17, 19, "System.String", NIL | SR),
	F("ProgressDescription", progress_description, STRING,
		"progressDescription",
		18, 20, "System.String", NIL | SR),
	F("ProgressPercent", progress_percent, INT16, "progressPercent",
		19, 21, "System.Int16", 0),
	F("FileName", file_name, STRING, "FileName",
		20, 22, "System.String", NIL | SR),
	F("CancellationBehaviour", cancellation, CANCEL,
		"cancellationBehaviour",
		21, 23, "SuperOffice.Data.BatchTaskCancellationBehaviour", 0),
	/* the base class Carrier's members */
	F("TableRight", table_right, TABLE_RIGHT, "tableRight",
		22, 0, "SuperOffice.CRM.Security.TableRight", NIL),
	F("FieldProperties", field_properties, FIELD_PROPS, "fieldProperties",
		23, 1, "FieldPropertyDictionary", NIL),
};

#undef F

bool task_field_kind_is_text(enum task_field_kind kind) {
	switch (kind) {
	case TASK_FIELD_STRING:
	case TASK_FIELD_OBJECT:
	case TASK_FIELD_TABLE_RIGHT:
	case TASK_FIELD_FIELD_PROPS:
		return true;
	case TASK_FIELD_INT32:
	case TASK_FIELD_INT16:
	case TASK_FIELD_BOOL:
	case TASK_FIELD_DATE:
	case TASK_FIELD_STATE:
	case TASK_FIELD_CANCEL:
		break;
	}
	return false;
}

static const void *cmember(const struct task *t, const struct task_field *f) {
	return (const char *)t + f->offset;
}

static void *member(struct task *t, const struct task_field *f) {
	return (char *)t + f->offset;
}

int64_t task_field_number(const struct task *t, const struct task_field *f) {
	const void *p = cmember(t, f);
	switch (f->kind) {
	case TASK_FIELD_INT32:
	case TASK_FIELD_INT16:
	case TASK_FIELD_DATE:
		return *(const int64_t *)p;
	case TASK_FIELD_BOOL:
		return *(const bool *)p;
	case TASK_FIELD_STATE:
	case TASK_FIELD_CANCEL:
		return *(const int *)p;
	case TASK_FIELD_STRING:
	case TASK_FIELD_OBJECT:
	case TASK_FIELD_TABLE_RIGHT:
	case TASK_FIELD_FIELD_PROPS:
		break;
	}
	return 0;
}

void task_field_set_number(struct task *t, const struct task_field *f,
		int64_t v) {
	void *p = member(t, f);
	switch (f->kind) {
	case TASK_FIELD_INT32:
	case TASK_FIELD_INT16:
	case TASK_FIELD_DATE:
		*(int64_t *)p = v;
		break;
	case TASK_FIELD_BOOL:
		*(bool *)p = v != 0;
		break;
	case TASK_FIELD_STATE:
	case TASK_FIELD_CANCEL:
		*(int *)p = (int)v;
		break;
	case TASK_FIELD_STRING:
	case TASK_FIELD_OBJECT:
	case TASK_FIELD_TABLE_RIGHT:
	case TASK_FIELD_FIELD_PROPS:
		break;
	}
}

const char *task_field_text(const struct task *t, const struct task_field *f) {
	if (!task_field_kind_is_text(f->kind)) {
		return NULL;
	}
	return *(const char *const *)cmember(t, f);
}

const char **task_field_text_ref(struct task *t, const struct task_field *f) {
	if (!task_field_kind_is_text(f->kind)) {
		return NULL;
	}
	return (const char **)member(t, f);
}

void task_fields_in_order(enum task_order order,
		const struct task_field *out[TASK_FIELD_COUNT]) {
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		assert(task_fields[i].pos[order] < TASK_FIELD_COUNT);
		out[task_fields[i].pos[order]] = &task_fields[i];
	}
}
