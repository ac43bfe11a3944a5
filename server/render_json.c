/*
 * server/render_json.c: the JSON renderer (SPEC §4) with jansson: compact
 * output, members in the documented order (JSON_PRESERVE_ORDER), nulls
 * written, enums as names, UTF-8 unescaped as Json.NET writes it.
 */
#include "build-config.h"
#include "render.h"

#include <string.h>

#include <jansson.h>

#include "model.h"
#include "parse.h"
#include "tz.h"

static json_t *string_or_null(const char *s) {
	return s ? json_string(s) : json_null();
}

/* Stored JSON text back to a value; text we wrote, so failure is OOM. */
static json_t *stored_json(const char *text, json_t *fallback) {
	if (!text) {
		return fallback;
	}
	json_decref(fallback);
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_null();
}

static json_t *date_value(const struct render_ctx *ctx, int64_t ticks) {
	char buf[TZ_FORMAT_MAX];
	size_t n = tz_format(ctx->zone, ticks, buf);
	return json_stringn(buf, n);
}

static json_t *enum_value(const char *name, int value) {
	/* an unknown stored number still renders, as .NET does */
	return name ? json_string(name) : json_integer(value);
}

static json_t *task_object(const struct render_ctx *ctx,
		const struct task *t) {
	json_t *o = json_object();
	if (!o) {
		return NULL;
	}
	int bad = 0;
	bad |= json_object_set_new(o, "Id", json_integer(t->id));
	bad |= json_object_set_new(o, "Name", string_or_null(t->name));
	bad |= json_object_set_new(o, "AssociateId",
		json_integer(t->associate_id));
	bad |= json_object_set_new(o, "DetailsTable",
		json_integer(t->details_table));
	bad |= json_object_set_new(o, "DetailsRecord",
		json_integer(t->details_record));
	bad |= json_object_set_new(o, "IsSystemTask",
		json_boolean(t->is_system_task));
	bad |= json_object_set_new(o, "IsInternalTask",
		json_boolean(t->is_internal_task));
	bad |= json_object_set_new(o, "ParameterObject",
		stored_json(t->parameter_object, json_null()));
	bad |= json_object_set_new(o, "LastStarted",
		date_value(ctx, t->last_started));
	bad |= json_object_set_new(o, "Created", date_value(ctx, t->created));
	bad |= json_object_set_new(o, "StartCount",
		json_integer(t->start_count));
	bad |= json_object_set_new(o, "DatabaseSerialNumber",
		string_or_null(t->database_serial_number));
	bad |= json_object_set_new(o, "Context", string_or_null(t->context));
	bad |= json_object_set_new(o, "Result", string_or_null(t->result));
	bad |= json_object_set_new(o, "State",
		enum_value(task_state_name(t->state), t->state));
	bad |= json_object_set_new(o, "Description",
		string_or_null(t->description));
	bad |= json_object_set_new(o, "Response", string_or_null(t->response));
	bad |= json_object_set_new(o, "Request", string_or_null(t->request));
	bad |= json_object_set_new(o, "ProgressDescription",
		string_or_null(t->progress_description));
	bad |= json_object_set_new(o, "ProgressPercent",
		json_integer(t->progress_percent));
	bad |= json_object_set_new(o, "FileName",
		string_or_null(t->file_name));
	bad |= json_object_set_new(o, "CancellationBehaviour",
		enum_value(task_cancel_name(t->cancellation),
		t->cancellation));
	bad |= json_object_set_new(o, "TableRight",
		stored_json(t->table_right, json_null()));
	bad |= json_object_set_new(o, "FieldProperties",
		stored_json(t->field_properties, json_null()));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
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
	/* one object at a time keeps memory flat for large answers */
	strbuf_putc(out, '[');
	for (size_t i = 0; i < n && strbuf_ok(out); i++) {
		if (i) {
			strbuf_putc(out, ',');
		}
		dump(out, task_object(ctx, &tasks[i]));
	}
	strbuf_putc(out, ']');
}

static void json_task(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *task) {
	if (!task) {
		strbuf_puts(out, "null");
		return;
	}
	dump(out, task_object(ctx, task));
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
