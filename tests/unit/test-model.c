#include "build-config.h"

#include <string.h>

#include "model.h"
#include "tap.h"

int main(void) {
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
	}
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
