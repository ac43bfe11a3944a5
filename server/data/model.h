/*
 * server/data/model.h: the BatchTaskInfo carrier and its two enums, as the
 * SuperOffice WebAPI defines them (reference §1, §2). Pure values: no
 * allocation, thread-safe.
 */
#ifndef SERVER_MODEL_H
#define SERVER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum task_state {
	TASK_STATE_UNKNOWN = 0,
	TASK_STATE_NEW = 1,
	TASK_STATE_AQUIRED = 2, /* sic: the real identifier */
	TASK_STATE_STARTED = 3,
	TASK_STATE_SUCCEEDED = 4,
	TASK_STATE_FAILED = 5,
	TASK_STATE_SUCCEEDED_MANUAL_CLEANUP = 6,
	TASK_STATE_ALL = 99999,
};

enum task_cancel {
	TASK_CANCEL_CAN_CANCEL = 0,
	TASK_CANCEL_WITH_WARNING = 1,
	TASK_CANCEL_CANNOT_CANCEL = 2,
};

/* Name of a state or cancellation value; NULL when it has none. */
const char *task_state_name(int state);
const char *task_cancel_name(int cancel);
/*
 * Parse a BatchTaskState name: ASCII case-insensitive, surrounding spaces
 * and tabs trimmed, `All` included. Numbers are not names. false when the
 * slice names no state.
 */
bool task_state_parse(const char *s, size_t n, int *out);
bool task_cancel_parse(const char *s, size_t n, int *out);

/*
 * One BatchTaskInfo. Strings are borrowed from whoever filled the struct
 * (a store query or a translated view); NULL is JSON null. Dates are .NET
 * ticks (100 ns since 0001-01-01T00:00:00 UTC). The three JSON-valued
 * fields hold JSON text exactly as stored.
 */
struct task {
	int64_t id;
	const char *name;
	int64_t associate_id;
	int64_t details_table;
	int64_t details_record;
	bool is_system_task;
	bool is_internal_task;
	const char *parameter_object;   /* JSON object text, or NULL */
	int64_t last_started;
	int64_t created;
	int64_t start_count;
	const char *database_serial_number;
	const char *context;
	const char *result;
	int state;
	const char *description;
	const char *response;
	const char *request;
	const char *progress_description;
	int64_t progress_percent;
	const char *file_name;
	int cancellation;
	const char *table_right;        /* JSON {"Mask","Reason"}, or NULL */
	const char *field_properties;   /* JSON object text, or NULL */
};

/* How a carrier field is written. */
enum task_field_kind {
	TASK_FIELD_INT,       /* int64_t */
	TASK_FIELD_BOOL,      /* bool */
	TASK_FIELD_STRING,    /* const char *, NULL is null */
	TASK_FIELD_DATE,      /* int64_t ticks */
	TASK_FIELD_STATE,     /* int, BatchTaskState */
	TASK_FIELD_CANCEL,    /* int, BatchTaskCancellationBehaviour */
	TASK_FIELD_OBJECT,    /* const char * JSON object text (ParameterObject) */
};

/*
 * The 22 BatchTaskInfo members in contract order (SPEC §4: Id ...
 * CancellationBehaviour; TableRight and FieldProperties, the base class's
 * members, are placed by each renderer). The one list both renderers
 * walk, so the order is written once.
 */
struct task_field {
	const char *name;
	enum task_field_kind kind;
	size_t offset;        /* in struct task */
};

#define TASK_FIELD_COUNT 22
extern const struct task_field task_fields[TASK_FIELD_COUNT];

/* A numeric field's value (INT, DATE, BOOL as 0/1, STATE, CANCEL). */
int64_t task_field_number(const struct task *t, const struct task_field *f);
/* A text field's value (STRING, OBJECT); NULL is null. */
const char *task_field_text(const struct task *t, const struct task_field *f);

#endif
