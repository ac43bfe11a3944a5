/*
 * server/api/render_json.c: the JSON renderer: compact output, members in
 * the task table's JSON order, nulls written, enums as names, UTF-8
 * unescaped as Json.NET writes it. Error bodies go through jansson; the
 * task carriers are streamed (see put_string).
 */
#include "build-config.h"
#include "render.h"

#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "json_string.h"
#include "model.h"
#include "strbuf.h"
#include "tz.h"
#include "tz_format.h"

static json_t *string_or_null(const char *s) {
	return s ? json_string(s) : json_null();
}

/*
 * The task array is streamed by hand rather than built as jansson values:
 * building one object per task and re-parsing its stored JSON fields was
 * 78% of an uncached answer's CPU (docs/performance.md). The output is
 * byte for byte what jansson writes with JSON_COMPACT: strings go through
 * json_string_append(), which writes jansson's escapes.
 */
static void put_string(struct strbuf *out, const char *s) {
	json_string_append(out, s, strlen(s));
}

static void put_key(struct strbuf *out, const char *key) {
	/* keys are ours: plain ASCII, no escaping needed */
	strbuf_putc(out, '"');
	strbuf_puts(out, key);
	strbuf_puts(out, "\":");
}

static void put_string_or_null(struct strbuf *out, const char *s) {
	if (s) {
		put_string(out, s);
	} else {
		strbuf_puts(out, "null");
	}
}

static void put_date(struct strbuf *out, const struct render_ctx *ctx,
		int64_t ticks) {
	char buf[TZ_FORMAT_MAX];
	size_t n = tz_format_with(ctx->zone, ticks, ctx->date_flags, buf);
	strbuf_putc(out, '"');
	strbuf_append(out, buf, n);
	strbuf_putc(out, '"');
}

static void put_enum(struct strbuf *out, const char *name, int value) {
	/* an unknown stored number still renders, as .NET does */
	if (name) {
		put_string(out, name);
	} else {
		strbuf_put_i64(out, value);
	}
}

static void put_value(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *t, const struct task_field *f) {
	int64_t v = task_field_number(t, f);
	switch (f->kind) {
	case TASK_FIELD_INT32:
	case TASK_FIELD_INT16:
		strbuf_put_i64(out, v);
		break;
	case TASK_FIELD_BOOL:
		strbuf_puts(out, v ? "true" : "false");
		break;
	case TASK_FIELD_STRING:
		put_string_or_null(out, task_field_text(t, f));
		break;
	case TASK_FIELD_OBJECT:
	case TASK_FIELD_TABLE_RIGHT:
	case TASK_FIELD_FIELD_PROPS: {
		/*
		 * As stored: the loader wrote it with jansson's JSON_COMPACT |
		 * JSON_PRESERVE_ORDER, exactly the form of the answer, so it
		 * needs no re-parse.
		 */
		const char *text = task_field_text(t, f);
		strbuf_puts(out, text ? text : "null");
		break;
	}
	case TASK_FIELD_DATE:
		put_date(out, ctx, v);
		break;
	case TASK_FIELD_STATE:
		put_enum(out, task_state_name((int)v), (int)v);
		break;
	case TASK_FIELD_CANCEL:
		put_enum(out, task_cancel_name((int)v), (int)v);
		break;
	}
}

static void put_task(struct strbuf *out, const struct render_ctx *ctx,
		const struct task_field *const *order, const struct task *t) {
	strbuf_putc(out, '{');
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		if (i) {
			strbuf_putc(out, ',');
		}
		put_key(out, order[i]->name);
		put_value(out, ctx, t, order[i]);
	}
	strbuf_putc(out, '}');
}

static int dump_cb(const char *buf, size_t size, void *data) {
	struct strbuf *out = data;
	strbuf_append(out, buf, size);
	return strbuf_ok(out) ? 0 : -1;
}

static void dump(struct strbuf *out, json_t *v) {
	if (!v || json_dump_callback(v, dump_cb, out, JSON_COMPACT |
			JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)) {
		out->failed = true;
	}
	json_decref(v);
}

static void json_tasks(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *tasks, size_t n) {
	const struct task_field *order[TASK_FIELD_COUNT];
	task_fields_in_order(TASK_ORDER_JSON, order);
	strbuf_putc(out, '[');
	for (size_t i = 0; i < n && strbuf_ok(out); i++) {
		if (i) {
			strbuf_putc(out, ',');
		}
		put_task(out, ctx, order, &tasks[i]);
	}
	strbuf_putc(out, ']');
}

static void json_task(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *task) {
	if (!task) {
		strbuf_puts(out, "null");
		return;
	}
	const struct task_field *order[TASK_FIELD_COUNT];
	task_fields_in_order(TASK_ORDER_JSON, order);
	put_task(out, ctx, order, task);
}

static void json_error(struct strbuf *out, const struct api_error *err) {
	json_t *o = json_object();
	for (size_t i = 0; o && i < err->n; i++) {
		const struct api_field *f = &err->fields[i];
		if (json_object_set_new(o, f->key, f->kind == API_VALUE_BOOL ?
				json_boolean(f->b) : string_or_null(f->str))) {
			json_decref(o);
			o = NULL;
		}
	}
	dump(out, o);
}

const struct render_ops render_json_ops = {
	.tasks = json_tasks,
	.task = json_task,
	.error = json_error,
};
