#include "build-config.h"

#include <stdint.h>
#include <string.h>

#include "model.h"
#include "tap.h"

/* The member's size each kind promises in model.h. */
static size_t kind_size(enum task_field_kind kind) {
	switch (kind) {
	case TASK_FIELD_INT32:
	case TASK_FIELD_INT16:
	case TASK_FIELD_DATE:
		return sizeof(int64_t);
	case TASK_FIELD_BOOL:
		return sizeof(bool);
	case TASK_FIELD_STATE:
	case TASK_FIELD_CANCEL:
		return sizeof(int);
	case TASK_FIELD_STRING:
	case TASK_FIELD_OBJECT:
	case TASK_FIELD_TABLE_RIGHT:
	case TASK_FIELD_FIELD_PROPS:
		return sizeof(const char *);
	}
	return 0;
}

static void check_orders(void) {
	/* the JSON order of the contract; XML puts the base class first */
	static const char *const json[TASK_FIELD_COUNT] = { "Id", "Name",
		"AssociateId", "DetailsTable", "DetailsRecord", "IsSystemTask",
		"IsInternalTask", "ParameterObject", "LastStarted", "Created",
		"StartCount", "DatabaseSerialNumber", "Context", "Result",
		"State", "Description", "Response", "Request",
		"ProgressDescription", "ProgressPercent", "FileName",
		"CancellationBehaviour", "TableRight", "FieldProperties" };
	for (int o = 0; o < TASK_ORDER_COUNT; o++) {
		bool seen[TASK_FIELD_COUNT] = { false };
		bool perm = true;
		for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
			unsigned p = task_fields[i].pos[o];
			perm = perm && p < TASK_FIELD_COUNT && !seen[p];
			if (p < TASK_FIELD_COUNT) {
				seen[p] = true;
			}
		}
		tap_ok(perm, "order %d places every field once", o);
		if (!perm) {
			continue;
		}
		const struct task_field *order[TASK_FIELD_COUNT];
		task_fields_in_order((enum task_order)o, order);
		size_t shift = o == TASK_ORDER_XML ? TASK_FIELD_COUNT - 2 : 0;
		bool same = true;
		for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
			const char *want = json[(i + shift) % TASK_FIELD_COUNT];
			if (strcmp(order[i]->name, want)) {
				tap_diag("order %d, %zu: %s, want %s", o, i,
					order[i]->name, want);
				same = false;
			}
		}
		tap_ok(same, "order %d is the contract's", o);
	}
}

static void check_fields(void) {
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		const struct task_field *f = &task_fields[i];
		bool text = task_field_kind_is_text(f->kind);
		tap_ok(f->size == kind_size(f->kind), "%s: member size fits "
			"its kind", f->name);
		tap_ok(f->name && f->column && f->net_type &&
			(!f->translated || f->kind == TASK_FIELD_STRING) &&
			f->nullable == text, "%s: column %s, %s%s%s", f->name,
			f->column, f->net_type, f->nullable ? ", nillable" : "",
			f->translated ? ", translated" : "");
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(f->name, task_fields[j].name) ||
					!strcmp(f->column, task_fields[j].column)) {
				tap_ok(false, "%s: name and column unique",
					f->name);
			}
		}
	}
	/* the accessors reach the members the table names */
	struct task t = { .id = 7, .name = "n", .is_system_task = true,
		.state = TASK_STATE_FAILED, .progress_percent = 42,
		.field_properties = "{}" };
	tap_int(task_field_number(&t, &task_fields[0]), 7, "Id read");
	tap_str(task_field_text(&t, &task_fields[1]), "n", "Name read");
	tap_int(task_field_number(&t, &task_fields[5]), 1, "bool read");
	tap_int(task_field_number(&t, &task_fields[14]), 5, "state read");
	tap_int(task_field_number(&t, &task_fields[19]), 42, "int16 read");
	tap_ok(!task_field_text(&t, &task_fields[0]) &&
		!task_field_text_ref(&t, &task_fields[0]) &&
		!task_field_number(&t, &task_fields[1]),
		"a number has no text, a text no number");
	task_field_set_number(&t, &task_fields[6], 2);
	task_field_set_number(&t, &task_fields[21], 2);
	task_field_set_number(&t, &task_fields[9], INT64_C(1) << 40);
	*task_field_text_ref(&t, &task_fields[23]) = NULL;
	tap_ok(t.is_internal_task && t.cancellation == 2 &&
		t.created == INT64_C(1) << 40 && !t.field_properties,
		"writes land in the named members");
}

int main(void) {
	check_orders();
	check_fields();
	static const struct {
		const char *name;
		int value;
	} states[] = {
		{ "Unknown", 0 }, { "New", 1 }, { "Aquired", 2 }, { "Started", 3 },
		{ "Succeeded", 4 }, { "Failed", 5 },
		{ "SucceededManualCleanup", 6 }, { "All", 99999 },
	};
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		int v = -1;
		const char *n = states[i].name;
		tap_ok(task_state_parse(n, strlen(n), &v) &&
			v == states[i].value, "state %s = %d", n, states[i].value);
		tap_ok(task_state_name(states[i].value) &&
			!strcmp(task_state_name(states[i].value), n),
			"name of %d", states[i].value);
		const char *mn = NULL;
		int mv = -1;
		tap_ok(task_state_member(i, &mn, &mv) && !strcmp(mn, n) &&
			mv == states[i].value, "member %zu is %s", i, n);
	}
	const char *mn = NULL;
	int mv = -1;
	tap_ok(!task_state_member(sizeof(states) / sizeof(states[0]), &mn,
		&mv), "no state member past All");
	tap_ok(task_cancel_member(2, &mn, &mv) && mv == 2 &&
		!strcmp(mn, "CannotCancel") && !task_cancel_member(3, &mn, &mv),
		"cancellation members in order, three of them");
	const char *spellings[] = { "failed", "FAILED", " Failed ", "\tfailed",
		"fAiLeD  " };
	for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		int v = -1;
		tap_ok(task_state_parse(spellings[i], strlen(spellings[i]), &v) &&
			v == 5, "spelling '%s'", spellings[i]);
	}
	const char *bad[] = { "", " ", "Acquired", "Fail", "Failedx", "5",
		"Failed,Succeeded", "Faile\xc3\xb0", "All ", "Succeeded Failed" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int v = -1;
		bool ok = task_state_parse(bad[i], strlen(bad[i]), &v);
		/* "All " trims to All: the one legal entry in this list */
		tap_ok(ok == !strcmp(bad[i], "All "), "'%s' %s", bad[i],
			ok ? "parses" : "rejected");
	}
	int v = -1;
	tap_ok(!task_state_parse("New", 2, &v) && v == -1,
		"a slice shorter than the name is not the name");
	tap_ok(!task_state_name(7) && !task_state_name(-1),
		"no name for unknown values");
	tap_ok(task_cancel_parse("cancelwithwarning", 17, &v) && v == 1,
		"cancellation names, any case");
	tap_ok(!strcmp(task_cancel_name(2), "CannotCancel"), "CannotCancel");
	tap_ok(!task_cancel_parse("Cancel", 6, &v), "unknown cancellation");
	return tap_done();
}
