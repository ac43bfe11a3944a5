/*
 * server/api/render_xml.c: the XML renderer, written the way ASP.NET Web
 * API's XmlMediaTypeFormatter writes a DataContract: no XML declaration
 * (the formatter sets OmitXmlDeclaration), no indentation, default
 * namespace Services88 plus the xmlns:i instance namespace on the root,
 * null as i:nil="true", members in the task table's XML order (the base
 * class's TableRight and FieldProperties first), flag masks as xs:list
 * (space-separated), dictionaries as key/value items.
 * The JSON-valued fields are read back with jansson.
 */
#include "build-config.h"
#include "render.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model.h"
#include "rights.h"
#include "strbuf.h"
#include "tz.h"
#include "tz_format.h"
#include "xml.h"

#define NS_I "http://www.w3.org/2001/XMLSchema-instance"
#define NS_SO "http://www.superoffice.net/ws/crm/NetServer/Services88"
#define NS_ATTRS " xmlns:i=\"" NS_I "\" xmlns=\"" NS_SO "\""

/* ---- elements ------------------------------------------------------- */

static void put_nil(struct strbuf *out, const char *name) {
	strbuf_put_tag(out, "<", name, " i:nil=\"true\"/>");
}

/* <name>text</name>; an empty string is <name></name> as XmlWriter does */
static void put_text(struct strbuf *out, const char *name, const char *s,
		size_t n) {
	strbuf_put_tag(out, "<", name, ">");
	xml_escape(out, s, n);
	strbuf_put_tag(out, "</", name, ">");
}

static void put_string(struct strbuf *out, const char *name, const char *s) {
	if (!s) {
		put_nil(out, name);
		return;
	}
	put_text(out, name, s, strlen(s));
}

static void put_int(struct strbuf *out, const char *name, int64_t v) {
	strbuf_put_tag(out, "<", name, ">");
	strbuf_put_i64(out, v);
	strbuf_put_tag(out, "</", name, ">");
}

static void put_bool(struct strbuf *out, const char *name, bool v) {
	strbuf_put_tag(out, "<", name, ">");
	strbuf_puts(out, v ? "true" : "false");
	strbuf_put_tag(out, "</", name, ">");
}

static void put_date(struct strbuf *out, const struct render_ctx *ctx,
		const char *name, int64_t ticks) {
	char buf[TZ_FORMAT_MAX];
	size_t n = ctx ? tz_format_with(ctx->zone, ticks, ctx->date_flags,
		buf) : tz_format(NULL, ticks, buf);
	put_text(out, name, buf, n);
}

/* An enum by name; an unknown stored number still renders, as in JSON. */
static void put_enum(struct strbuf *out, const char *name, const char *value,
		int number) {
	if (value) {
		put_text(out, name, value, strlen(value));
	} else {
		put_int(out, name, number);
	}
}

/* A JSON string value (may hold NUL: JSON_ALLOW_NUL), or nil. */
static void put_json_string(struct strbuf *out, const char *name,
		const json_t *v) {
	if (json_is_string(v)) {
		put_text(out, name, json_string_value(v), json_string_length(v));
	} else {
		put_nil(out, name);
	}
}

/*
 * A rights mask the way DataContractSerializer writes the XSD's flag list
 * ("Select Update Insert Delete"; an empty element for 0). The data holds
 * .NET's text ("FULL"); a number, or text no mask has, is taken as
 * written by an older somock and read the same way.
 */
static void put_mask(struct strbuf *out, const json_t *mask,
		enum rights_kind kind) {
	uint32_t value = 0;
	if (json_is_integer(mask)) {
		json_int_t n = json_integer_value(mask);
		value = n > 0 && n <= rights_max(kind) ? (uint32_t)n : 0;
	} else if (json_is_string(mask) && !rights_parse(kind,
			json_string_value(mask), json_string_length(mask),
			&value)) {
		value = 0;
	}
	if (!value) {
		/* a flags enum is never null in .NET: 0 is an empty list */
		strbuf_puts(out, "<Mask/>");
		return;
	}
	strbuf_puts(out, "<Mask>");
	rights_put_xsd(out, kind, value);
	strbuf_puts(out, "</Mask>");
}

/* A rights object's members, each NULL when absent. */
static void put_right_members(struct strbuf *out, const char *name,
		const json_t *mask, const json_t *reason, enum rights_kind kind) {
	strbuf_put_tag(out, "<", name, ">");
	put_mask(out, mask, kind);
	put_json_string(out, "Reason", reason);
	strbuf_put_tag(out, "</", name, ">");
}

/* TableRight / FieldRight: {"Mask": ..., "Reason": ...} or nil. */
static void put_right(struct strbuf *out, const char *name, const json_t *v,
		enum rights_kind kind) {
	if (!json_is_object(v)) {
		put_nil(out, name);
		return;
	}
	put_right_members(out, name, json_object_get(v, "Mask"),
		json_object_get(v, "Reason"), kind);
}

static json_t *load(const char *text) {
	if (!text) {
		return NULL;
	}
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (v && !json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/*
 * Whether the stored text is the empty object: most tasks' FieldProperties
 * are, and parsing it with jansson for nothing was a tenth of an uncached
 * XML answer.
 */
static bool empty_object(const char *text) {
	return text && text[0] == '{' && text[1] == '}' && !text[2];
}

static void put_table_right(struct strbuf *out, const char *name,
		const char *text) {
	if (empty_object(text)) {
		put_right_members(out, name, NULL, NULL, RIGHTS_TABLE);
		return;
	}
	json_t *v = load(text);
	put_right(out, name, v, RIGHTS_TABLE);
	json_decref(v);
}

static void put_field_properties(struct strbuf *out, const char *name,
		const char *text) {
	if (empty_object(text)) {
		strbuf_put_tag(out, "<", name, "/>");
		return;
	}
	json_t *v = load(text);
	if (!v) {
		put_nil(out, name);
		goto out;
	}
	if (!json_object_size(v)) {
		strbuf_put_tag(out, "<", name, "/>");
		goto out;
	}
	strbuf_put_tag(out, "<", name, ">");
	const char *key = NULL;
	json_t *val = NULL;
	json_object_foreach(v, key, val) {
		strbuf_puts(out, "<FieldPropertyDictionaryKeyValuePair><Key>");
		xml_escape(out, key, strlen(key));
		strbuf_puts(out, "</Key>");
		if (!json_is_object(val)) {
			put_nil(out, "Value");
		} else {
			json_t *len = json_object_get(val, "FieldLength");
			strbuf_puts(out, "<Value>");
			put_right(out, "FieldRight",
				json_object_get(val, "FieldRight"), RIGHTS_FIELD);
			put_json_string(out, "FieldType",
				json_object_get(val, "FieldType"));
			put_int(out, "FieldLength", json_is_integer(len) ?
				json_integer_value(len) : 0);
			strbuf_puts(out, "</Value>");
		}
		strbuf_puts(out, "</FieldPropertyDictionaryKeyValuePair>");
	}
	strbuf_put_tag(out, "</", name, ">");
out:
	json_decref(v);
}

/* ParameterObject (StringDictionary): StringKeyValuePair items or nil. */
static void put_parameters(struct strbuf *out, const char *name,
		const char *text) {
	if (empty_object(text)) {
		strbuf_put_tag(out, "<", name, "/>");
		return;
	}
	json_t *v = load(text);
	if (!v) {
		put_nil(out, name);
		goto out;
	}
	if (!json_object_size(v)) {
		strbuf_put_tag(out, "<", name, "/>");
		goto out;
	}
	strbuf_put_tag(out, "<", name, ">");
	const char *key = NULL;
	json_t *val = NULL;
	json_object_foreach(v, key, val) {
		strbuf_puts(out, "<StringKeyValuePair><Key>");
		xml_escape(out, key, strlen(key));
		strbuf_puts(out, "</Key>");
		if (json_is_string(val) || json_is_null(val)) {
			put_json_string(out, "Value", val);
		} else {
			/* a non-string value is shown as its JSON text */
			char *s = json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY);
			if (!s) {
				out->failed = true;
			} else {
				put_text(out, "Value", s, strlen(s));
			}
			free(s);
		}
		strbuf_puts(out, "</StringKeyValuePair>");
	}
	strbuf_put_tag(out, "</", name, ">");
out:
	json_decref(v);
}

static void put_member(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *t, const struct task_field *f) {
	int64_t v = task_field_number(t, f);
	switch (f->kind) {
	case TASK_FIELD_INT32:
	case TASK_FIELD_INT16:
		put_int(out, f->name, v);
		break;
	case TASK_FIELD_BOOL:
		put_bool(out, f->name, v);
		break;
	case TASK_FIELD_STRING:
		put_string(out, f->name, task_field_text(t, f));
		break;
	case TASK_FIELD_OBJECT:
		put_parameters(out, f->name, task_field_text(t, f));
		break;
	case TASK_FIELD_TABLE_RIGHT:
		put_table_right(out, f->name, task_field_text(t, f));
		break;
	case TASK_FIELD_FIELD_PROPS:
		put_field_properties(out, f->name, task_field_text(t, f));
		break;
	case TASK_FIELD_DATE:
		put_date(out, ctx, f->name, v);
		break;
	case TASK_FIELD_STATE:
		put_enum(out, f->name, task_state_name((int)v), (int)v);
		break;
	case TASK_FIELD_CANCEL:
		put_enum(out, f->name, task_cancel_name((int)v), (int)v);
		break;
	}
}

/* The members of one BatchTaskInfo, in DataContract order. */
static void put_members(struct strbuf *out, const struct render_ctx *ctx,
		const struct task_field *const *order, const struct task *t) {
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		put_member(out, ctx, t, order[i]);
	}
}

static void xml_tasks(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *tasks, size_t n) {
	if (!n) {
		strbuf_puts(out, "<ArrayOfBatchTaskInfo" NS_ATTRS "/>");
		return;
	}
	const struct task_field *order[TASK_FIELD_COUNT];
	task_fields_in_order(TASK_ORDER_XML, order);
	strbuf_puts(out, "<ArrayOfBatchTaskInfo" NS_ATTRS ">");
	for (size_t i = 0; i < n; i++) {
		strbuf_puts(out, "<BatchTaskInfo>");
		put_members(out, ctx, order, &tasks[i]);
		strbuf_puts(out, "</BatchTaskInfo>");
	}
	strbuf_puts(out, "</ArrayOfBatchTaskInfo>");
}

static void xml_task(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *task) {
	if (!task) {
		/* DataContractSerializer's null root */
		strbuf_puts(out, "<BatchTaskInfo i:nil=\"true\"" NS_ATTRS "/>");
		return;
	}
	const struct task_field *order[TASK_FIELD_COUNT];
	task_fields_in_order(TASK_ORDER_XML, order);
	strbuf_puts(out, "<BatchTaskInfo" NS_ATTRS ">");
	put_members(out, ctx, order, task);
	strbuf_puts(out, "</BatchTaskInfo>");
}

/*
 * Field names come from code; anything that is not a simple XML name is
 * a programmer error, and skipping it keeps the body well-formed.
 */
static bool simple_name(const char *s) {
	if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			*s == '_')) {
		return false;
	}
	for (s++; *s; s++) {
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
				(*s >= '0' && *s <= '9') || *s == '_')) {
			return false;
		}
	}
	return true;
}

/*
 * The same members as the JSON body, as children of <Error>.
 * Like ASP.NET's HttpError the element has no default namespace; xmlns:i
 * is there for nil members.
 */
static void xml_error(struct strbuf *out, const struct api_error *err) {
	strbuf_puts(out, "<Error xmlns:i=\"" NS_I "\">");
	size_t n = err->n < API_ERROR_MAX_FIELDS ? err->n : API_ERROR_MAX_FIELDS;
	for (size_t i = 0; i < n; i++) {
		const struct api_field *f = &err->fields[i];
		if (!simple_name(f->key)) {
			continue;
		}
		if (f->kind == API_VALUE_BOOL) {
			put_bool(out, f->key, f->b);
		} else {
			put_string(out, f->key, f->str);
		}
	}
	strbuf_puts(out, "</Error>");
}

void render_xml_members(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *task) {
	const struct task_field *order[TASK_FIELD_COUNT];
	task_fields_in_order(TASK_ORDER_XML, order);
	put_members(out, ctx, order, task);
}

const struct render_ops render_xml_ops = {
	.tasks = xml_tasks,
	.task = xml_task,
	.error = xml_error,
};

#undef NS_ATTRS
#undef NS_SO
#undef NS_I
