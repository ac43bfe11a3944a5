#include "build-config.h"
#include "agents.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "ascii.h"
#include "errors.h"
#include "http.h"
#include "model.h"
#include "number.h"
#include "xmldoc.h"

#define P(n, t) { (n), AGENT_TYPE_##t }

/* The table: the vendor's operations, parameters and results, once. */
const struct agent_op agent_ops[AGENT_OP_COUNT] = {
	{ AGENT_GET_TASK, "GetBatchTaskInfo",
		"Get a single BatchTaskInfo based on Id.",
		{ P("Id", INT32) }, 1, AGENT_TYPE_CARRIER },
	{ AGENT_BY_STATE, "GetBatchTaskInfosByState",
		"Gets an array of user BatchTaskInfo with state defined by a "
		"BatchTaskState.",
		{ P("State", STATE) }, 1, AGENT_TYPE_CARRIERS },
	{ AGENT_BY_NAME_AND_STATE, "GetBatchTaskInfosByNameAndState",
		"Gets an array of user BatchTaskInfo with state defined by a "
		"BatchTaskState and the batchtask definition name.",
		{ P("Name", STRING), P("State", STATE) }, 2,
		AGENT_TYPE_CARRIERS },
	{ AGENT_ALL_BY_NAME, "GetAllBatchTaskInfosByName",
		"Get an array of system and user BatchTaskInfo for the "
		"provided task name.",
		{ P("TaskName", STRING) }, 1, AGENT_TYPE_CARRIERS },
	{ AGENT_ALL_BY_NAME_AND_STATE, "GetAllBatchTaskInfosByNameAndState",
		"Get an array of system and user BatchTaskInfo for the "
		"provided task name and state.",
		{ P("TaskName", STRING), P("State", STATE) }, 2,
		AGENT_TYPE_CARRIERS },
	{ AGENT_SYSTEM_BY_NAME, "GetSystemBatchTaskInfosByName",
		"Get an array of system BatchTaskInfo for the provided task "
		"name.",
		{ P("TaskName", STRING) }, 1, AGENT_TYPE_CARRIERS },
	{ AGENT_SYSTEM_BY_NAME_AND_STATE,
		"GetSystemBatchTaskInfosByNameAndState",
		"Get an array of system BatchTaskInfo for the provided task "
		"name and state.",
		{ P("TaskName", STRING), P("State", STATE) }, 2,
		AGENT_TYPE_CARRIERS },
	{ AGENT_BY_ASSOCIATES, "GetBatchTaskInfosByAssociates",
		"Get an array of BatchTaskInfo for the provided associate "
		"id's.",
		{ P("AssociateIds", INT32_ARRAY) }, 1, AGENT_TYPE_CARRIERS },
	{ AGENT_BY_ASSOCIATES_AND_STATE,
		"GetBatchTaskInfosByAssociatesAndState",
		"Get an array of BatchTaskInfo for the provided associate "
		"id's and batch task state.",
		{ P("AssociateIds", INT32_ARRAY), P("State", STATE) }, 2,
		AGENT_TYPE_CARRIERS },
	{ AGENT_BY_NAME_AND_ASSOCIATES,
		"GetBatchTaskInfosByNameAndAssociates",
		"Get an array of BatchTaskInfo for the provided associate "
		"id's and batch task definition name.",
		{ P("Name", STRING), P("AssociateIds", INT32_ARRAY) }, 2,
		AGENT_TYPE_CARRIERS },
	{ AGENT_START, "StartBatchJob",
		"Start a batch job based on BatchTaskInfo.",
		{ P("BatchTaskInfo", CARRIER) }, 1, AGENT_TYPE_INT32 },
	{ AGENT_UPDATE, "UpdateBatchTask",
		"Update information about a BatchTask.",
		{ P("BatchTaskInfo", CARRIER) }, 1, AGENT_TYPE_CARRIER },
	{ AGENT_STOP, "StopBatchJob", "Stop a batch job based on Id.",
		{ P("Id", INT32) }, 1, AGENT_TYPE_BOOL },
	{ AGENT_DELETE, "DeleteBatchTask",
		"Delete a batch task from the database.",
		{ P("BatchTaskId", INT32) }, 1, AGENT_TYPE_VOID },
	{ AGENT_DELETE_MANY, "DeleteBatchTasks",
		"Delete batch tasks from the database.",
		{ P("BatchTaskIds", INT32_ARRAY) }, 1, AGENT_TYPE_VOID },
};

#undef P

const struct agent_op *agent_op_find(const char *name, size_t n) {
	for (size_t i = 0; i < AGENT_OP_COUNT; i++) {
		if (ascii_casecmp_n(name, n, agent_ops[i].name)) {
			return &agent_ops[i];
		}
	}
	return NULL;
}

const char *agent_type_name(enum agent_type type) {
	static const char *const names[] = {
		[AGENT_TYPE_INT32] = "System.Int32",
		[AGENT_TYPE_STATE] = "SuperOffice.Data.BatchTaskState",
		[AGENT_TYPE_STRING] = "System.String",
		[AGENT_TYPE_INT32_ARRAY] = "System.Int32[]",
		[AGENT_TYPE_CARRIER] = "SuperOffice.CRM.Services.BatchTaskInfo",
		[AGENT_TYPE_CARRIERS] =
			"SuperOffice.CRM.Services.BatchTaskInfo[]",
		[AGENT_TYPE_BOOL] = "System.Boolean",
		[AGENT_TYPE_VOID] = "System.Void",
	};
	return names[type];
}

json_t *agent_op_describe(const struct agent_op *op, const char *route) {
	json_t *params = json_array();
	for (size_t i = 0; params && i < op->n_params; i++) {
		if (json_array_append_new(params, json_pack("{s:s, s:s}",
				"Name", op->params[i].name, "Type",
				agent_type_name(op->params[i].type)))) {
			json_decref(params);
			params = NULL;
		}
	}
	if (!params) {
		return NULL;
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "Method", "POST",
		"Route", route, "Operation", op->name, "Parameters", params,
		"Returns", agent_type_name(op->result), "Description",
		op->summary);
}

/* --- reading the parameters ------------------------------------------ */

/* An example value of @type for the 400 message. */
static const char *example(enum agent_type type) {
	switch (type) {
	case AGENT_TYPE_INT32:
		return "7";
	case AGENT_TYPE_STATE:
		return "\"Failed\"";
	case AGENT_TYPE_STRING:
		return "\"Export\"";
	case AGENT_TYPE_INT32_ARRAY:
		return "[53]";
	default:
		return "{\"Name\":\"Export\"}";
	}
}

static int bad_param(struct api_error *e, const struct agent_param *p) {
	api_error_bad_agent_body(e, p->name, agent_type_name(p->type),
		example(p->type));
	return -EINVAL;
}

/* The member @name of a JSON object, names compared case-insensitively. */
static json_t *member(json_t *obj, const char *name) {
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		if (!ascii_casecmp(k, name)) {
			return v;
		}
	}
	return NULL;
}

static bool int32_from_text(const char *s, size_t n, json_int_t *out) {
	int64_t v;
	const char *p = s;
	size_t len = n;
	trim_slice(&p, &len);
	if (!parse_int64_n(p, len, INT32_MIN, INT32_MAX, &v)) {
		return false;
	}
	*out = v;
	return true;
}

/*
 * A carrier as JSON.NET reads one: members matched to the carrier's by
 * name, ASCII any case, under the carrier's spelling; members the carrier
 * does not have are ignored. NULL on OOM.
 */
/*
 * @obj with the members named in @names renamed to that spelling when they
 * match in any case, the rest as they are (a new reference; NULL on OOM).
 */
static json_t *rename_members(json_t *obj, const char *const *names,
		size_t n) {
	if (!json_is_object(obj)) {
		return json_incref(obj);
	}
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		const char *name = k;
		for (size_t i = 0; i < n; i++) {
			if (!ascii_casecmp(k, names[i])) {
				name = names[i];
			}
		}
		if (out && json_object_set(out, name, v)) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

/* A rights object ({Mask, Reason}) with its members spelt as .NET's. */
static json_t *right_normalise(json_t *v) {
	static const char *const names[] = { "Mask", "Reason" };
	return rename_members(v, names, 2);
}

/* FieldProperties: each entry's members, and its FieldRight's, spelt. */
static json_t *field_props_normalise(json_t *v) {
	static const char *const names[] = { "FieldRight", "FieldType",
		"FieldLength" };
	if (!json_is_object(v)) {
		return json_incref(v);
	}
	json_t *out = json_object();
	const char *k;
	json_t *entry;
	json_object_foreach(v, k, entry) {
		json_t *e = rename_members(entry, names, 3);
		json_t *fr = json_object_get(e, "FieldRight");
		if (fr && json_object_set_new(e, "FieldRight",
				right_normalise(fr))) {
			json_decref(e);
			e = NULL;
		}
		if (!e || !out || json_object_set_new(out, k, e)) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

static json_t *carrier_normalise(json_t *in) {
	json_t *out = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		for (size_t i = 0; out && i < TASK_FIELD_COUNT; i++) {
			const struct task_field *f = &task_fields[i];
			if (ascii_casecmp(k, f->name)) {
				continue;
			}
			/* the client writes nested members in camelCase too */
			json_t *x = f->kind == TASK_FIELD_TABLE_RIGHT ?
				right_normalise(v) : f->kind ==
				TASK_FIELD_FIELD_PROPS ? field_props_normalise(v) :
				json_incref(v);
			if (!x || json_object_set_new(out, f->name, x)) {
				json_decref(out);
				out = NULL;
			}
		}
	}
	return out;
}

/*
 * @v (as the body's format gave it: from XML and forms always text) as
 * @p's type, or NULL when it is not one.
 */
static json_t *typed(const struct agent_param *p, json_t *v) {
	json_int_t n;
	int state;
	switch (p->type) {
	case AGENT_TYPE_INT32:
		if (json_is_integer(v)) {
			n = json_integer_value(v);
			return n >= INT32_MIN && n <= INT32_MAX ?
				json_integer(n) : NULL;
		}
		return json_is_string(v) && int32_from_text(
			json_string_value(v), json_string_length(v), &n) ?
			json_integer(n) : NULL;
	case AGENT_TYPE_STATE:
		if (json_is_integer(v)) {
			n = json_integer_value(v);
			return n >= 0 && n <= INT32_MAX &&
				task_state_name((int)n) ? json_integer(n) : NULL;
		}
		if (!json_is_string(v)) {
			return NULL;
		}
		if (task_state_parse(json_string_value(v),
				json_string_length(v), &state)) {
			return json_integer(state);
		}
		return int32_from_text(json_string_value(v),
			json_string_length(v), &n) && task_state_name((int)n) ?
			json_integer(n) : NULL;
	case AGENT_TYPE_STRING:
		return json_is_string(v) ? json_incref(v) : NULL;
	case AGENT_TYPE_INT32_ARRAY: {
		json_t *arr = json_array();
		size_t i;
		json_t *x;
		struct agent_param one = { p->name, AGENT_TYPE_INT32 };
		if (!json_is_array(v)) {
			json_decref(arr);
			return NULL;
		}
		json_array_foreach(v, i, x) {
			json_t *t = typed(&one, x);
			if (!t || json_array_append_new(arr, t)) {
				json_decref(arr);
				return NULL;
			}
		}
		return arr;
	}
	case AGENT_TYPE_CARRIER:
		return json_is_object(v) ? carrier_normalise(v) : NULL;
	default:
		return NULL;
	}
}

/* Type every parameter of @op found in @in (by name) into a new object. */
static int type_all(const struct agent_op *op, json_t *in, json_t **out,
		struct api_error *e) {
	json_t *args = json_object();
	if (!args) {
		api_error_internal(e, -ENOMEM);
		return -ENOMEM;
	}
	for (size_t i = 0; i < op->n_params; i++) {
		const struct agent_param *p = &op->params[i];
		json_t *v = json_is_object(in) ? member(in, p->name) : NULL;
		json_t *t = v ? typed(p, v) : NULL;
		if (!t || json_object_set_new(args, p->name, t)) {
			json_decref(args);
			return bad_param(e, p);
		}
	}
	*out = args;
	return 0;
}

/* A form's values are text, arrays repeated names or comma lists. */
static json_t *form_value(const struct agent_param *p, json_t *v) {
	if (p->type != AGENT_TYPE_INT32_ARRAY || json_is_array(v)) {
		return json_incref(v);
	}
	json_t *arr = json_array();
	const char *s = json_string_value(v);
	while (arr && s && *s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (json_array_append_new(arr, json_stringn(s, n))) {
			json_decref(arr);
			arr = NULL;
		}
		s = end ? end + 1 : s + n;
	}
	return arr;
}

static int read_form(const struct agent_op *op, const struct http_request *req,
		json_t **out, struct api_error *e) {
	json_t *form = http_form_json(req);
	if (!form) {
		api_error_bad_request(e, "The form body cannot be read: it is "
			"not application/x-www-form-urlencoded text in UTF-8.");
		return -EINVAL;
	}
	json_t *in = json_object();
	for (size_t i = 0; in && i < op->n_params; i++) {
		const struct agent_param *p = &op->params[i];
		json_t *v = member(form, p->name);
		if (!v) {
			/* "AssociateIds[]" as PHP and jQuery write arrays */
			char alt[64];
			snprintf(alt, sizeof(alt), "%s[]", p->name);
			v = member(form, alt);
		}
		if (v && json_object_set_new(in, p->name, form_value(p, v))) {
			json_decref(in);
			in = NULL;
		}
	}
	json_decref(form);
	if (!in) {
		api_error_internal(e, -ENOMEM);
		return -ENOMEM;
	}
	int ret = type_all(op, in, out, e);
	json_decref(in);
	return ret;
}

/* An XML element as JSON: text, or an object of its children. */
static json_t *xml_value(const xmlNode *node, bool array) {
	if (xmldoc_nil(node)) {
		return json_null();
	}
	xmlNode *child = xmldoc_first(node);
	if (array) {
		json_t *arr = json_array();
		for (; arr && child; child = xmldoc_next(child)) {
			if (json_array_append_new(arr, xml_value(child, false))) {
				json_decref(arr);
				arr = NULL;
			}
		}
		return arr;
	}
	if (!child) {
		char *text = xmldoc_text(node);
		json_t *v = text ? json_string(text) : NULL;
		xmlFree(text);
		return v;
	}
	json_t *obj = json_object();
	for (; obj && child; child = xmldoc_next(child)) {
		if (json_object_set_new(obj, (const char *)child->name,
				xml_value(child, false))) {
			json_decref(obj);
			obj = NULL;
		}
	}
	return obj;
}

/* A rights element ({Mask, Reason}) as JSON. */
static json_t *xml_right(const xmlNode *node) {
	if (xmldoc_nil(node)) {
		return json_null();
	}
	json_t *o = json_object();
	for (xmlNode *c = xmldoc_first(node); o && c; c = xmldoc_next(c)) {
		json_object_set_new(o, (const char *)c->name, xml_value(c,
			false));
	}
	return o;
}

/*
 * A BatchTaskInfo element as the carrier's JSON: numbers and booleans as
 * JSON's, dictionaries (StringKeyValuePair, FieldPropertyDictionary
 * items) as objects, nil as null. NULL on OOM.
 */
json_t *agent_carrier_from_xml(const xmlNode *node) {
	json_t *out = json_object();
	for (xmlNode *c = xmldoc_first(node); out && c; c = xmldoc_next(c)) {
		const struct task_field *f = NULL;
		for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
			if (xmldoc_is(c, task_fields[i].name)) {
				f = &task_fields[i];
			}
		}
		if (!f) {
			continue;    /* as JSON.NET ignores unknown members */
		}
		json_t *v = NULL;
		char *text = NULL;
		if (xmldoc_nil(c)) {
			v = json_null();
		} else if (f->kind == TASK_FIELD_OBJECT ||
				f->kind == TASK_FIELD_FIELD_PROPS) {
			v = json_object();
			for (xmlNode *p = xmldoc_first(c); v && p;
					p = xmldoc_next(p)) {
				xmlNode *key = xmldoc_first(p);
				xmlNode *val = xmldoc_next(key);
				char *k = key ? xmldoc_text(key) : NULL;
				json_t *x = val ? xml_value(val, false) :
					json_null();
				if (f->kind == TASK_FIELD_FIELD_PROPS &&
						json_is_object(x)) {
					json_t *fr = json_object_get(x,
						"FieldRight");
					json_t *fl = json_object_get(x,
						"FieldLength");
					json_int_t n;
					if (fr && !json_is_object(fr)) {
						json_object_set_new(x,
							"FieldRight", json_null());
					}
					if (json_is_string(fl) && int32_from_text(
							json_string_value(fl),
							json_string_length(fl), &n)) {
						json_object_set_new(x,
							"FieldLength", json_integer(n));
					}
				}
				if (k && x) {
					json_object_set_new(v, k, x);
				} else {
					json_decref(x);
				}
				xmlFree(k);
			}
		} else if (f->kind == TASK_FIELD_TABLE_RIGHT) {
			v = xml_right(c);
		} else if ((text = xmldoc_text(c))) {
			json_int_t n;
			if (f->kind == TASK_FIELD_INT32 ||
					f->kind == TASK_FIELD_INT16) {
				v = int32_from_text(text, strlen(text), &n) ?
					json_integer(n) : json_string(text);
			} else if (f->kind == TASK_FIELD_BOOL) {
				v = !strcmp(text, "true") ? json_true() :
					!strcmp(text, "false") ? json_false() :
					json_string(text);
			} else {
				v = json_string(text);
			}
		}
		xmlFree(text);
		if (!v || json_object_set_new(out, f->name, v)) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

int agent_args_from_xml(const struct agent_op *op, const xmlNode *element,
		json_t **out, struct api_error *e) {
	json_t *in = json_object();
	for (size_t i = 0; in && i < op->n_params; i++) {
		const struct agent_param *p = &op->params[i];
		for (xmlNode *c = xmldoc_first(element); c;
				c = xmldoc_next(c)) {
			if (xmldoc_is(c, p->name)) {
				json_object_set_new(in, p->name, p->type ==
					AGENT_TYPE_CARRIER ?
					agent_carrier_from_xml(c) : xml_value(c,
					p->type == AGENT_TYPE_INT32_ARRAY));
				break;
			}
		}
	}
	if (!in) {
		api_error_internal(e, -ENOMEM);
		return -ENOMEM;
	}
	int ret = type_all(op, in, out, e);
	json_decref(in);
	return ret;
}

static int read_xml(const struct agent_op *op, const struct http_request *req,
		json_t **out, struct api_error *e) {
	char why[256];
	xmlDoc *doc = xmldoc_parse(req->body, req->body_len, why, sizeof(why));
	if (!doc) {
		api_error_bad_request(e, e->text);
		snprintf(e->text, sizeof(e->text), "The XML body cannot be "
			"read: %s.", why);
		return -EINVAL;
	}
	char want[96];
	snprintf(want, sizeof(want), "%sRequest", op->name);
	xmlNode *root = xmlDocGetRootElement(doc);
	if (!xmldoc_is(root, want)) {
		xmlFreeDoc(doc);
		api_error_bad_request(e, e->text);
		snprintf(e->text, sizeof(e->text), "The XML body's root "
			"element must be %s.", want);
		return -EINVAL;
	}
	int ret = agent_args_from_xml(op, root, out, e);
	xmlFreeDoc(doc);
	return ret;
}

static int read_json(const struct agent_op *op, const struct http_request *req,
		json_t **out, struct api_error *e) {
	json_t *in = json_loadb(req->body, req->body_len, JSON_DECODE_ANY,
		NULL);
	int ret = type_all(op, in, out, e);
	json_decref(in);
	return ret;
}

/* The media type of Content-Type, lower-case, without parameters. */
static void media_of(const char *ctype, char *buf, size_t cap) {
	size_t n = 0;
	const char *p = ctype ? ctype : "";
	while (*p == ' ' || *p == '\t') {
		p++;
	}
	for (; *p && *p != ';' && *p != ' ' && n + 1 < cap; p++) {
		buf[n++] = ascii_lower(*p);
	}
	buf[n] = '\0';
}

int agent_args_read(const struct agent_op *op, const struct http_request *req,
		json_t **out, struct api_error *e) {
	static const char *const json_types[] = { "", "application/json",
		"text/json", "application/json-patch+json",
		"application/merge-patch+json" };
	char media[128];
	*out = NULL;
	if (req->body_too_large) {
		api_error_too_large(e);
		return -EINVAL;
	}
	media_of(http_header(req, "Content-Type"), media, sizeof(media));
	for (size_t i = 0; i < sizeof(json_types) / sizeof(json_types[0]);
			i++) {
		if (!strcmp(media, json_types[i])) {
			return read_json(op, req, out, e);
		}
	}
	if (!strcmp(media, "application/xml") || !strcmp(media, "text/xml")) {
		return read_xml(op, req, out, e);
	}
	if (!strcmp(media, "application/x-www-form-urlencoded")) {
		return read_form(op, req, out, e);
	}
	api_error_media_type(e, http_header(req, "Content-Type"));
	return -EINVAL;
}

/* A form's carrier: text made numbers and booleans where the carrier has. */
static json_t *carrier_from_form(json_t *form) {
	json_t *out = json_object();
	for (size_t i = 0; out && i < TASK_FIELD_COUNT; i++) {
		const struct task_field *f = &task_fields[i];
		json_t *v = member(form, f->name);
		json_int_t n;
		if (!json_is_string(v)) {
			continue;
		}
		const char *s = json_string_value(v);
		json_t *t = NULL;
		if ((f->kind == TASK_FIELD_INT32 || f->kind == TASK_FIELD_INT16) &&
				int32_from_text(s, strlen(s), &n)) {
			t = json_integer(n);
		} else if (f->kind == TASK_FIELD_BOOL && (!ascii_casecmp(s,
				"true") || !ascii_casecmp(s, "false"))) {
			t = json_boolean(!ascii_casecmp(s, "true"));
		} else {
			t = json_incref(v);
		}
		if (json_object_set_new(out, f->name, t)) {
			json_decref(out);
			out = NULL;
		}
	}
	return out;
}

int agent_carrier_read(const struct http_request *req, json_t **out,
		struct api_error *e) {
	static const struct agent_param carrier = { "BatchTaskInfo",
		AGENT_TYPE_CARRIER };
	char media[128];
	json_t *v = NULL;
	*out = NULL;
	if (req->body_too_large) {
		api_error_too_large(e);
		return -EINVAL;
	}
	media_of(http_header(req, "Content-Type"), media, sizeof(media));
	if (!strcmp(media, "application/xml") || !strcmp(media, "text/xml")) {
		char why[256];
		xmlDoc *doc = xmldoc_parse(req->body, req->body_len, why,
			sizeof(why));
		xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
		if (!doc || !xmldoc_is(root, "BatchTaskInfo")) {
			api_error_bad_request(e, e->text);
			snprintf(e->text, sizeof(e->text), "The XML body cannot "
				"be read: %s.", doc ? "its root element must be "
				"BatchTaskInfo" : why);
			xmlFreeDoc(doc);
			return -EINVAL;
		}
		v = agent_carrier_from_xml(root);
		xmlFreeDoc(doc);
	} else if (!strcmp(media, "application/x-www-form-urlencoded")) {
		json_t *form = http_form_json(req);
		v = form ? carrier_from_form(form) : NULL;
		json_decref(form);
	} else if (!*media || strstr(media, "json")) {
		json_t *in = json_loadb(req->body, req->body_len,
			JSON_DECODE_ANY, NULL);
		v = json_is_object(in) ? carrier_normalise(in) : NULL;
		json_decref(in);
	} else {
		api_error_media_type(e, http_header(req, "Content-Type"));
		return -EINVAL;
	}
	if (!v) {
		return bad_param(e, &carrier);
	}
	*out = v;
	return 0;
}
