/*
 * tests/fuzz/fuzz-state.c: the {state} path segment (task_state_parse).
 * The input is the segment as route.c hands it over: any bytes, not
 * NUL-terminated. A parsed state must be one with a name.
 */
#include "fuzz.h"

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *s = fuzz_dup(data, size);
	int state = -1;
	if (task_state_parse(s, size, &state)) {
		FUZZ_CHECK(task_state_name(state) != NULL);
	}
	int cancel = -1;
	if (task_cancel_parse(s, size, &cancel)) {
		FUZZ_CHECK(task_cancel_name(cancel) != NULL);
	}
	free(s);
	return 0;
}
