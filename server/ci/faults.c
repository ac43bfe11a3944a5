#include "build-config.h"
#include "faults.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "glob.h"

#define MAX_RULES 256

struct rule {
	char method[12];          /* "" any */
	char path[256];           /* glob */
	unsigned delay_ms;
	unsigned delay_max_ms;    /* > delay_ms: random in between */
	int status;
	char error_type[64];
	char message[256];
	bool drop;
	unsigned drip_bytes;
	unsigned drip_interval_ms;
	long count;               /* remaining; -1: every request */
	unsigned long hits;
};

struct faults {
	pthread_mutex_t lock;
	struct rule rules[MAX_RULES];
	size_t n;
	unsigned seed;            /* for random delays */
};

struct faults *faults_create(void) {
	struct faults *f = calloc(1, sizeof(*f));
	if (f) {
		pthread_mutex_init(&f->lock, NULL);
		f->seed = 0x5eed;
	}
	return f;
}

void faults_destroy(struct faults *f) {
	if (!f) {
		return;
	}
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static int bad(char *err, size_t errlen, size_t i, const char *key,
		const char *what) {
	snprintf(err, errlen, "rule %zu: '%s' %s", i, key, what);
	return -EINVAL;
}

static int get_uint(json_t *v, size_t i, const char *key, long max,
		unsigned *out, char *err, size_t errlen) {
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			json_integer_value(v) > max) {
		char what[64];
		snprintf(what, sizeof(what), "must be an integer in [0, %ld]",
			max);
		return bad(err, errlen, i, key, what);
	}
	*out = (unsigned)json_integer_value(v);
	return 0;
}

static int get_str(json_t *v, size_t i, const char *key, char *out,
		size_t cap, char *err, size_t errlen) {
	if (!json_is_string(v) || json_string_length(v) >= cap) {
		return bad(err, errlen, i, key, "must be a short string");
	}
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int parse_rule(json_t *o, size_t i, struct rule *r, char *err,
		size_t errlen) {
	*r = (struct rule){ .count = -1 };
	snprintf(r->path, sizeof(r->path), "*");
	if (!json_is_object(o)) {
		snprintf(err, errlen, "rule %zu: must be an object", i);
		return -EINVAL;
	}
	const char *k;
	json_t *v;
	int ret = 0;
	unsigned u;
	json_object_foreach(o, k, v) {
		if (!strcmp(k, "method")) {
			ret = get_str(v, i, k, r->method, sizeof(r->method), err,
				errlen);
			if (!ret && !strcmp(r->method, "*")) {
				r->method[0] = '\0';
			}
		} else if (!strcmp(k, "path")) {
			ret = get_str(v, i, k, r->path, sizeof(r->path), err,
				errlen);
		} else if (!strcmp(k, "delayMs")) {
			ret = get_uint(v, i, k, 600000, &r->delay_ms, err,
				errlen);
		} else if (!strcmp(k, "delayMaxMs")) {
			ret = get_uint(v, i, k, 600000, &r->delay_max_ms, err,
				errlen);
		} else if (!strcmp(k, "status")) {
			ret = get_uint(v, i, k, 599, &u, err, errlen);
			if (!ret && u < 200) {
				ret = bad(err, errlen, i, k, "must be 200-599 "
					"(a 1xx status is not an answer)");
			}
			r->status = (int)u;
		} else if (!strcmp(k, "errorType")) {
			ret = get_str(v, i, k, r->error_type,
				sizeof(r->error_type), err, errlen);
		} else if (!strcmp(k, "message")) {
			ret = get_str(v, i, k, r->message, sizeof(r->message),
				err, errlen);
		} else if (!strcmp(k, "drop")) {
			if (!json_is_boolean(v)) {
				ret = bad(err, errlen, i, k, "must be a boolean");
			}
			r->drop = json_is_true(v);
		} else if (!strcmp(k, "dripBytes")) {
			ret = get_uint(v, i, k, 1 << 20, &r->drip_bytes, err,
				errlen);
		} else if (!strcmp(k, "dripIntervalMs")) {
			ret = get_uint(v, i, k, 60000, &r->drip_interval_ms,
				err, errlen);
		} else if (!strcmp(k, "count")) {
			ret = get_uint(v, i, k, 1000000000, &u, err, errlen);
			if (!ret && !u) {
				ret = bad(err, errlen, i, k, "must be at least 1 "
					"(leave it out for every request)");
			}
			r->count = u;
		} else {
			ret = bad(err, errlen, i, k, "is not a rule key (method, "
				"path, delayMs, delayMaxMs, status, errorType, "
				"message, drop, dripBytes, dripIntervalMs, count)");
		}
		if (ret) {
			return ret;
		}
	}
	if (r->delay_max_ms && r->delay_max_ms < r->delay_ms) {
		return bad(err, errlen, i, "delayMaxMs", "must not be below "
			"delayMs");
	}
	if (r->drip_interval_ms && !r->drip_bytes) {
		r->drip_bytes = 16;
	}
	if (r->drip_bytes && !r->drip_interval_ms) {
		r->drip_interval_ms = 100;
	}
	if (!r->delay_ms && !r->delay_max_ms && !r->status && !r->drop &&
			!r->drip_bytes) {
		snprintf(err, errlen, "rule %zu: does nothing (give delayMs, "
			"status, drop or dripBytes)", i);
		return -EINVAL;
	}
	return 0;
}

int faults_set(struct faults *f, json_t *rules, bool append, char *err,
		size_t errlen) {
	size_t n = 0;
	int ret = -EINVAL;
	struct rule *parsed = calloc(MAX_RULES, sizeof(*parsed));
	if (!parsed) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (json_is_object(rules)) {
		if (parse_rule(rules, 0, &parsed[0], err, errlen)) {
			goto out;
		}
		n = 1;
	} else if (json_is_array(rules)) {
		if (json_array_size(rules) > MAX_RULES) {
			snprintf(err, errlen, "at most %d rules", MAX_RULES);
			goto out;
		}
		size_t i;
		json_t *o;
		json_array_foreach(rules, i, o) {
			if (parse_rule(o, i, &parsed[n++], err, errlen)) {
				goto out;
			}
		}
	} else {
		snprintf(err, errlen, "send a rule object or an array of them");
		goto out;
	}
	pthread_mutex_lock(&f->lock);
	size_t base = append ? f->n : 0;
	if (base + n > MAX_RULES) {
		pthread_mutex_unlock(&f->lock);
		snprintf(err, errlen, "at most %d rules", MAX_RULES);
		goto out;
	}
	memcpy(&f->rules[base], parsed, n * sizeof(parsed[0]));
	f->n = base + n;
	pthread_mutex_unlock(&f->lock);
	ret = 0;
out:
	free(parsed);
	return ret;
}

void faults_clear(struct faults *f) {
	pthread_mutex_lock(&f->lock);
	f->n = 0;
	pthread_mutex_unlock(&f->lock);
}

json_t *faults_to_json(struct faults *f) {
	json_t *arr = json_array();
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; arr && i < f->n; i++) {
		const struct rule *r = &f->rules[i];
		json_t *o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:s, s:s, "
			"s:b, s:i, s:i, s:o, s:i}",
			"method", r->method[0] ? r->method : "*",
			"path", r->path, "delayMs", (int)r->delay_ms,
			"delayMaxMs", (int)r->delay_max_ms, "status", r->status,
			"errorType", r->error_type, "message", r->message,
			"drop", r->drop, "dripBytes", (int)r->drip_bytes,
			"dripIntervalMs", (int)r->drip_interval_ms,
			"count", r->count < 0 ? json_null() :
			json_integer(r->count), "hits", (int)r->hits);
		if (!o || json_array_append_new(arr, o)) {
			json_decref(arr);
			arr = NULL;
		}
	}
	pthread_mutex_unlock(&f->lock);
	return arr;
}

void faults_match(struct faults *f, const char *method, const char *path,
		struct fault_action *out) {
	*out = (struct fault_action){ 0 };
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->n; i++) {
		struct rule *r = &f->rules[i];
		if ((r->method[0] && ascii_casecmp(r->method, method)) ||
				!glob_match(r->path, path)) {
			continue;
		}
		out->matched = true;
		out->delay_ms = r->delay_ms;
		if (r->delay_max_ms > r->delay_ms) {
			out->delay_ms += (unsigned)rand_r(&f->seed) %
				(r->delay_max_ms - r->delay_ms + 1);
		}
		out->status = r->status;
		memcpy(out->error_type, r->error_type, sizeof(out->error_type));
		memcpy(out->message, r->message, sizeof(out->message));
		out->drop = r->drop;
		out->drip_bytes = r->drip_bytes;
		out->drip_interval_ms = r->drip_interval_ms;
		r->hits++;
		if (r->count > 0 && !--r->count) {
			memmove(r, r + 1, (f->n - i - 1) * sizeof(*r));
			f->n--;
		}
		break;
	}
	pthread_mutex_unlock(&f->lock);
}
