/*
 * server/data/model.h: the BatchTaskInfo carrier, its two enums, and the one
 * table of its fields, as the SuperOffice WebAPI defines them. Pure values
 * and constant tables: nothing allocates, everything is thread-safe.
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
 * The @i-th member of the enum in declaration order (the XSD's), for
 * writers that list them all (the WSDL): false past the last one.
 */
bool task_state_member(size_t i, const char **name, int *value);
bool task_cancel_member(size_t i, const char **name, int *value);

/*
 * One BatchTaskInfo. Strings are borrowed from whoever filled the struct
 * (a store query or a translated view); NULL is JSON null. Dates are .NET
 * ticks (100 ns since 0001-01-01T00:00:00 UTC). The three JSON-valued
 * fields hold JSON text exactly as stored. Which member is which carrier
 * field is said once, in task_fields below.
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

/*
 * What a carrier field holds, which fixes its member's C type, its SQL
 * column type (INTEGER or TEXT) and how each format writes it.
 */
enum task_field_kind {
	TASK_FIELD_INT32,       /* int64_t, .NET int */
	TASK_FIELD_INT16,       /* int64_t, .NET short */
	TASK_FIELD_BOOL,        /* bool */
	TASK_FIELD_STRING,      /* const char *, NULL is null */
	TASK_FIELD_DATE,        /* int64_t ticks */
	TASK_FIELD_STATE,       /* int, BatchTaskState */
	TASK_FIELD_CANCEL,      /* int, BatchTaskCancellationBehaviour */
	TASK_FIELD_OBJECT,      /* const char *, JSON {"key":"text"} */
	TASK_FIELD_TABLE_RIGHT, /* const char *, JSON {"Mask","Reason"} */
	TASK_FIELD_FIELD_PROPS, /* const char *, JSON {"name":FieldProperty} */
};

/* The orders the carrier's members are written in. */
enum task_order {
	/*
	 * Json.NET: the class's own members, then the base class Carrier's
	 * (TableRight, FieldProperties).
	 */
	TASK_ORDER_JSON,
	/* DataContractSerializer: the base class's members first. */
	TASK_ORDER_XML,
	TASK_ORDER_COUNT,
};

/*
 * One member of the carrier: the one description of the task record that
 * the struct's accessors, the store's SELECT and row reader, the fixture
 * loader, the translation and both renderers walk. The schema file keeps
 * its own CREATE TABLE; a unit test compares it with this table.
 */
struct task_field {
	const char *name;       /* as JSON and XML spell it: "Created" */
	const char *column;     /* in table batchtask: "registered" */
	const char *net_type;   /* "System.Int16"; see model.c */
	size_t offset;          /* of the member in struct task */
	size_t size;            /* of the member, so a test can check kinds */
	enum task_field_kind kind;
	unsigned char pos[TASK_ORDER_COUNT];    /* 0-based, per order */
	bool nullable;          /* the XSD's nillable; the column may be NULL */
	bool translated;        /* may hold [SR_...] resource references */
};

/*
 * Rows are in the batchtask table's column order, which is also the JSON
 * order; pos[] gives each format's order.
 */
#define TASK_FIELD_COUNT 24
extern const struct task_field task_fields[TASK_FIELD_COUNT];

/* Whether @kind is held as a const char * (the others are numbers). */
bool task_field_kind_is_text(enum task_field_kind kind);

/*
 * A numeric field's value (INT32, INT16, DATE, BOOL as 0/1, STATE,
 * CANCEL); 0 for a text field.
 */
int64_t task_field_number(const struct task *t, const struct task_field *f);
/* Set a numeric field; BOOL is v != 0. A text field is left alone. */
void task_field_set_number(struct task *t, const struct task_field *f,
	int64_t v);
/* A text field's value; NULL is null (and the answer for a number). */
const char *task_field_text(const struct task *t, const struct task_field *f);
/*
 * Where a text field's pointer lives in @t, to read or replace it; NULL
 * for a numeric field. Valid as long as @t.
 */
const char **task_field_text_ref(struct task *t, const struct task_field *f);

/*
 * Fill @out with the fields in @order: out[f->pos[order]] = f. Cannot
 * fail; thread-safe.
 */
void task_fields_in_order(enum task_order order,
	const struct task_field *out[TASK_FIELD_COUNT]);

#endif
