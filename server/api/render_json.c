/*
 * server/api/render_json.c: the JSON renderer (SPEC §4): compact output,
 * members in the documented order, nulls written, enums as names, UTF-8
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

static void field_string(struct strbuf *out, const char *key,
		const char *s) {
	strbuf_putc(out, ',');
	put_key(out, key);
	if (s) {
		put_string(out, s);
	} else {
		strbuf_puts(out, "null");
	}
}

static void field_int(struct strbuf *out, const char *key, int64_t v) {
	strbuf_putc(out, ',');
	put_key(out, key);
	strbuf_put_i64(out, v);
}

static void field_bool(struct strbuf *out, const char *key, bool v) {
	strbuf_putc(out, ',');
	put_key(out, key);
	strbuf_puts(out, v ? "true" : "false");
}

/*
 * A stored JSON field, written as stored: the loader wrote it with
 * jansson's JSON_COMPACT | JSON_PRESERVE_ORDER, exactly the form of the
 * answer, so it needs no re-parse.
 */
static void field_json(struct strbuf *out, const char *key,
		const char *text) {
	strbuf_putc(out, ',');
	put_key(out, key);
	strbuf_puts(out, text ? text : "null");
}

static void field_date(struct strbuf *out, const struct render_ctx *ctx,
		const char *key, int64_t ticks) {
	char buf[TZ_FORMAT_MAX];
	size_t n = tz_format(ctx->zone, ticks, buf);
	strbuf_putc(out, ',');
	put_key(out, key);
	strbuf_putc(out, '"');
	strbuf_append(out, buf, n);
	strbuf_putc(out, '"');
}

static void field_enum(struct strbuf *out, const char *key,
		const char *name, int value) {
	/* an unknown stored number still renders, as .NET does */
	if (name) {
		field_string(out, key, name);
	} else {
		field_int(out, key, value);
	}
}

static void put_task(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *t) {
	/* "Id" first without the comma every other member starts with */
	strbuf_puts(out, "{\"Id\":");
	strbuf_put_i64(out, t->id);
	for (size_t i = 1; i < TASK_FIELD_COUNT; i++) {
		const struct task_field *f = &task_fields[i];
		int64_t v = task_field_number(t, f);
		switch (f->kind) {
		case TASK_FIELD_INT:
			field_int(out, f->name, v);
			break;
		case TASK_FIELD_BOOL:
			field_bool(out, f->name, v);
			break;
		case TASK_FIELD_STRING:
			field_string(out, f->name, task_field_text(t, f));
			break;
		case TASK_FIELD_OBJECT:
			field_json(out, f->name, task_field_text(t, f));
			break;
		case TASK_FIELD_DATE:
			field_date(out, ctx, f->name, v);
			break;
		case TASK_FIELD_STATE:
			field_enum(out, f->name, task_state_name((int)v), (int)v);
			break;
		case TASK_FIELD_CANCEL:
			field_enum(out, f->name, task_cancel_name((int)v), (int)v);
			break;
		}
	}
	field_json(out, "TableRight", t->table_right);
	field_json(out, "FieldProperties", t->field_properties);
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
	strbuf_putc(out, '[');
	for (size_t i = 0; i < n && strbuf_ok(out); i++) {
		if (i) {
			strbuf_putc(out, ',');
		}
		put_task(out, ctx, &tasks[i]);
	}
	strbuf_putc(out, ']');
}

static void json_task(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *task) {
	if (!task) {
		strbuf_puts(out, "null");
		return;
	}
	put_task(out, ctx, task);
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
