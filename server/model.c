#include "build-config.h"
#include "model.h"

#include "parse.h"

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
