#include "build-config.h"
#include "fixtures.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "iso8601.h"
#include "log.h"
#include "model.h"
#include "rights.h"
#include "stmt_cache.h"
#include "strbuf.h"

/* How a fixture value becomes a column value. */
enum field_kind {
	FIELD_INT,          /* .NET int */
	FIELD_INT16,        /* .NET short */
	FIELD_STRING,       /* string or null */
	FIELD_TEXT,         /* non-empty string, never null */
	FIELD_BOOL,
	FIELD_DATE,         /* ISO string -> ticks; null -> 0 (MinValue) */
	FIELD_EXPIRY,       /* ISO string -> ticks; null -> NULL (never) */
	FIELD_STATE,
	FIELD_CANCEL,
	FIELD_STRING_MAP,   /* ParameterObject: {"k":"v"} or null */
	FIELD_TABLE_RIGHT,  /* {"Mask":..,"Reason":..} or null */
	FIELD_FIELD_PROPS,  /* {"name":{FieldRight,FieldType,FieldLength}} */
	FIELD_TENANT,       /* "CustNNNN", "" or null */
	FIELD_RESOURCE_ID,  /* "SR_X" or "[SR_X]" */
	FIELD_LANGUAGE,     /* SuperOffice prefix, two letters */
};

struct field_spec {
	const char *key;     /* JSON key, as the API spells it */
	const char *column;  /* SQL column; from this table only, never input */
	enum field_kind kind;
	bool required;
};

struct kind_spec {
	const char *key;     /* top-level key in the document */
	const char *table;
	const struct field_spec *fields;  /* NULL: the task record's */
	size_t n_fields;
	const char *owner_field;  /* an AssociateId that must exist, or NULL */
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct field_spec associate_fields[] = {
	{ "AssociateId", "associate_id", FIELD_INT, true },
	{ "Name", "name", FIELD_TEXT, true },
	{ "Password", "password", FIELD_STRING, false },
	{ "FullName", "full_name", FIELD_STRING, false },
	{ "Tenant", "tenant", FIELD_TENANT, false },
};

static const struct field_spec ticket_fields[] = {
	{ "Ticket", "ticket", FIELD_TEXT, true },
	{ "AssociateId", "associate_id", FIELD_INT, true },
	{ "Expires", "expires", FIELD_EXPIRY, false },
};

static const struct field_spec token_fields[] = {
	{ "Token", "token", FIELD_TEXT, true },
	{ "AssociateId", "associate_id", FIELD_INT, true },
	{ "Expires", "expires", FIELD_EXPIRY, false },
};

static const struct field_spec session_fields[] = {
	{ "SessionId", "session_id", FIELD_TEXT, true },
	{ "XsrfToken", "xsrf_token", FIELD_TEXT, true },
	{ "AssociateId", "associate_id", FIELD_INT, true },
};

static const struct field_spec app_fields[] = {
	{ "Name", "name", FIELD_STRING, false },
	{ "AppToken", "app_token", FIELD_TEXT, true },
};

static const struct field_spec resource_fields[] = {
	{ "Id", "resource_id", FIELD_RESOURCE_ID, true },
	{ "Language", "language", FIELD_LANGUAGE, true },
	{ "Text", "text", FIELD_TEXT, true },
};

/* Loaded in this order, so references resolve within one document. */
static const struct kind_spec kinds[] = {
	{ "associates", "associate", associate_fields,
		COUNT(associate_fields), NULL },
	{ "apps", "app", app_fields, COUNT(app_fields), NULL },
	{ "resources", "resource", resource_fields, COUNT(resource_fields),
		NULL },
	{ "tickets", "ticket", ticket_fields, COUNT(ticket_fields),
		"AssociateId" },
	{ "tokens", "token", token_fields, COUNT(token_fields),
		"AssociateId" },
	{ "sessions", "session", session_fields, COUNT(session_fields),
		"AssociateId" },
	{ "batchTasks", "batchtask", NULL, TASK_FIELD_COUNT, NULL },
};

/* How a value of a task field is checked and stored. */
static enum field_kind task_kind(enum task_field_kind kind) {
	switch (kind) {
	case TASK_FIELD_INT32:
		return FIELD_INT;
	case TASK_FIELD_INT16:
		return FIELD_INT16;
	case TASK_FIELD_BOOL:
		return FIELD_BOOL;
	case TASK_FIELD_STRING:
		/* every string of the carrier is nillable */
		return FIELD_STRING;
	case TASK_FIELD_DATE:
		return FIELD_DATE;
	case TASK_FIELD_STATE:
		return FIELD_STATE;
	case TASK_FIELD_CANCEL:
		return FIELD_CANCEL;
	case TASK_FIELD_OBJECT:
		return FIELD_STRING_MAP;
	case TASK_FIELD_TABLE_RIGHT:
		return FIELD_TABLE_RIGHT;
	case TASK_FIELD_FIELD_PROPS:
		break;
	}
	return FIELD_FIELD_PROPS;
}

/*
 * A batchTasks entry has the carrier's shape: its keys, checks and columns
 * come from the task record's table.
 */
static void task_specs(struct field_spec out[TASK_FIELD_COUNT]) {
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		const struct task_field *f = &task_fields[i];
		out[i] = (struct field_spec){ .key = f->name,
			.column = f->column, .kind = task_kind(f->kind) };
	}
}

/* State of one document load, for messages. */
struct load {
	sqlite3 *db;
	const char *name;
	const struct kind_spec *kind;
	const struct field_spec *fields;  /* the current kind's */
	struct field_spec tasks[TASK_FIELD_COUNT];
	size_t index;
	const char *field;
	bool single;                      /* one carrier: "Name.Field: why" */
	char *err;
	size_t errlen;
	bool associates;                  /* the document loads associates */
	/*
	 * Statements kept for the whole load (borrowed): entries of a kind
	 * mostly have the same keys, and parsing the INSERT again for each
	 * was most of a load's CPU. A write's single carrier uses the
	 * master's kept statements, which outlive the call; otherwise they
	 * are @own's, cleared by load_finish().
	 */
	struct stmt_cache *cache;
	struct stmt_cache own;
};

/* Start @ld's statements: @cache, or its own when NULL. */
static void load_begin(struct load *ld, struct stmt_cache *cache) {
	ld->cache = cache ? cache : &ld->own;
}

static void load_finish(struct load *ld) {
	stmt_cache_clear(&ld->own);
}

/* The statement for @sql, reset and unbound; NULL on error (errmsg). */
static sqlite3_stmt *kept(struct load *ld, const char *sql) {
	return stmt_cache_get(ld->cache, ld->db, sql);
}

static int fail(struct load *ld, int ret, const char *fmt, ...)
	LOG_PRINTF(3, 4);

static int fail(struct load *ld, int ret, const char *fmt, ...) {
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->single) {
		snprintf(ld->err, ld->errlen, "%s%s%s: %s", ld->name,
			ld->field ? "." : "", ld->field ? ld->field : "", msg);
	} else if (ld->kind && ld->field) {
		snprintf(ld->err, ld->errlen, "%s: %s[%zu].%s: %s", ld->name,
			ld->kind->key, ld->index, ld->field, msg);
	} else if (ld->kind) {
		snprintf(ld->err, ld->errlen, "%s: %s[%zu]: %s", ld->name,
			ld->kind->key, ld->index, msg);
	} else {
		snprintf(ld->err, ld->errlen, "%s: %s", ld->name, msg);
	}
	return ret;
}

/*
 * A rights mask in any form a fixture may write it (a number, .NET names,
 * the XSD's flags) as the one form stored: .NET's text, which the JSON
 * answer carries as it is and the XML writer turns into the XSD's flags.
 * false when it is not a mask of @kind.
 */
static bool normalise_mask(json_t *right, json_t *mask,
		enum rights_kind kind) {
	uint32_t value;
	if (json_is_integer(mask)) {
		json_int_t n = json_integer_value(mask);
		if (n < 0 || n > rights_max(kind)) {
			return false;
		}
		value = (uint32_t)n;
	} else if (!json_is_string(mask) || !rights_parse(kind,
			json_string_value(mask), json_string_length(mask),
			&value)) {
		return false;
	}
	struct strbuf sb;
	strbuf_init(&sb, 1024);
	rights_put_dotnet(&sb, kind, value);
	bool ok = strbuf_ok(&sb) && !json_object_set_new(right, "Mask",
		json_string(sb.data ? sb.data : ""));
	strbuf_finish(&sb);
	return ok;
}

static int check_right(struct load *ld, json_t *v, const char *what,
		enum rights_kind kind) {
	if (json_is_null(v)) {
		return 0;
	}
	if (!json_is_object(v)) {
		return fail(ld, -EINVAL, "%s must be an object or null", what);
	}
	const char *k;
	json_t *x;
	json_t *mask = NULL;
	json_object_foreach(v, k, x) {
		if (!strcmp(k, "Mask")) {
			mask = x;
		} else if (!strcmp(k, "Reason")) {
			if (!json_is_string(x) && !json_is_null(x)) {
				return fail(ld, -EINVAL, "%s.Reason must be a "
					"string or null", what);
			}
		} else {
			return fail(ld, -EINVAL, "%s: unknown key '%s'", what, k);
		}
	}
	if (mask && !normalise_mask(v, mask, kind)) {
		return fail(ld, -EINVAL, "%s.Mask must be a rights mask: a "
			"number 0-%u, .NET names such as \"FULL\" or \"RI, "
			"RestrictedUpdate\", or the XSD's flags such as \"Select "
			"Update\"", what, (unsigned)rights_max(kind));
	}
	return 0;
}

static int check_field_props(struct load *ld, json_t *v) {
	if (json_is_null(v)) {
		return 0;
	}
	if (!json_is_object(v)) {
		return fail(ld, -EINVAL, "must be an object or null");
	}
	const char *name;
	json_t *fp;
	json_object_foreach(v, name, fp) {
		if (!json_is_object(fp)) {
			return fail(ld, -EINVAL, "'%s' must be an object", name);
		}
		const char *k;
		json_t *x;
		json_object_foreach(fp, k, x) {
			int ret = 0;
			if (!strcmp(k, "FieldRight")) {
				ret = check_right(ld, x, "FieldRight",
					RIGHTS_FIELD);
			} else if (!strcmp(k, "FieldType")) {
				if (!json_is_string(x) && !json_is_null(x)) {
					ret = fail(ld, -EINVAL, "'%s'.FieldType "
						"must be a string or null", name);
				}
			} else if (!strcmp(k, "FieldLength")) {
				if (!json_is_integer(x) ||
						json_integer_value(x) < INT32_MIN ||
						json_integer_value(x) > INT32_MAX) {
					ret = fail(ld, -EINVAL, "'%s'.FieldLength "
						"must be a 32-bit integer", name);
				}
			} else {
				ret = fail(ld, -EINVAL, "'%s': unknown key '%s'",
					name, k);
			}
			if (ret) {
				return ret;
			}
		}
	}
	return 0;
}

static int bind_json_text(struct load *ld, sqlite3_stmt *st, int col,
		json_t *v) {
	if (json_is_null(v)) {
		return sqlite3_bind_null(st, col) == SQLITE_OK ? 0 : -EIO;
	}
	char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text) {
		return fail(ld, -ENOMEM, "out of memory");
	}
	int rc = sqlite3_bind_text(st, col, text, -1, free);
	return rc == SQLITE_OK ? 0 : -EIO;
}

static bool tenant_valid(const char *s) {
	if (!*s) {
		return true;
	}
	if (strlen(s) < 5 || strlen(s) > 40 ||
			(s[0] != 'C' && s[0] != 'c') || (s[1] != 'u' && s[1] != 'U') ||
			(s[2] != 's' && s[2] != 'S') || (s[3] != 't' && s[3] != 'T')) {
		return false;
	}
	for (s += 4; *s; s++) {
		if (*s < '0' || *s > '9') {
			return false;
		}
	}
	return true;
}

/* Bind one value of field @f to parameter @col; 0 or a negative errno. */
static int bind_value(struct load *ld, sqlite3_stmt *st, int col,
		const struct field_spec *f, json_t *v) {
	int rc = SQLITE_OK;
	int64_t ticks;
	int e;
	switch (f->kind) {
	case FIELD_INT:
	case FIELD_INT16: {
		bool narrow = f->kind == FIELD_INT16;
		if (!json_is_integer(v)) {
			return fail(ld, -EINVAL, "must be an integer");
		}
		json_int_t n = json_integer_value(v);
		if (n < (narrow ? INT16_MIN : INT32_MIN) ||
				n > (narrow ? INT16_MAX : INT32_MAX)) {
			return fail(ld, -EINVAL, "%" JSON_INTEGER_FORMAT
				" is out of the %s range", n,
				narrow ? "int16" : "int32");
		}
		rc = sqlite3_bind_int64(st, col, n);
		break;
	}
	case FIELD_STRING:
		if (json_is_null(v)) {
			rc = sqlite3_bind_null(st, col);
			break;
		}
		if (!json_is_string(v)) {
			return fail(ld, -EINVAL, "must be a string or null");
		}
		rc = sqlite3_bind_text(st, col, json_string_value(v),
			(int)json_string_length(v), SQLITE_TRANSIENT);
		break;
	case FIELD_TEXT:
		if (!json_is_string(v) || !json_string_length(v)) {
			return fail(ld, -EINVAL, "must be a non-empty string");
		}
		rc = sqlite3_bind_text(st, col, json_string_value(v),
			(int)json_string_length(v), SQLITE_TRANSIENT);
		break;
	case FIELD_BOOL:
		if (!json_is_boolean(v)) {
			return fail(ld, -EINVAL, "must be true or false");
		}
		rc = sqlite3_bind_int(st, col, json_is_true(v));
		break;
	case FIELD_DATE:
	case FIELD_EXPIRY:
		if (json_is_null(v)) {
			rc = f->kind == FIELD_DATE ? sqlite3_bind_int64(st, col, 0) :
				sqlite3_bind_null(st, col);
			break;
		}
		if (!json_is_string(v) || !tz_parse_iso(json_string_value(v),
				json_string_length(v), &ticks)) {
			return fail(ld, -EINVAL, "must be a date such as "
				"\"2020-01-22T17:54:08.6793184+01:00\"");
		}
		rc = sqlite3_bind_int64(st, col, ticks);
		break;
	case FIELD_STATE:
	case FIELD_CANCEL:
		if (!json_is_string(v)) {
			return fail(ld, -EINVAL, "must be a name string");
		}
		if (f->kind == FIELD_STATE ? !task_state_parse(
				json_string_value(v), json_string_length(v), &e) :
				!task_cancel_parse(json_string_value(v),
				json_string_length(v), &e)) {
			return fail(ld, -EINVAL, "unknown %s '%s'",
				f->kind == FIELD_STATE ? "state" :
				"cancellation behaviour", json_string_value(v));
		}
		rc = sqlite3_bind_int(st, col, e);
		break;
	case FIELD_STRING_MAP: {
		if (!json_is_null(v) && !json_is_object(v)) {
			return fail(ld, -EINVAL, "must be an object or null");
		}
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) {
			if (!json_is_string(x)) {
				return fail(ld, -EINVAL, "value of '%s' must be "
					"a string", k);
			}
		}
		return bind_json_text(ld, st, col, v);
	}
	case FIELD_TABLE_RIGHT:
		e = check_right(ld, v, f->key, RIGHTS_TABLE);
		return e ? e : bind_json_text(ld, st, col, v);
	case FIELD_FIELD_PROPS:
		e = check_field_props(ld, v);
		return e ? e : bind_json_text(ld, st, col, v);
	case FIELD_TENANT:
		if (json_is_null(v)) {
			rc = sqlite3_bind_text(st, col, "", 0, SQLITE_STATIC);
			break;
		}
		if (!json_is_string(v) || !tenant_valid(json_string_value(v))) {
			return fail(ld, -EINVAL, "must be \"Cust\" followed by "
				"digits, or null");
		}
		rc = sqlite3_bind_text(st, col, json_string_value(v), -1,
			SQLITE_TRANSIENT);
		break;
	case FIELD_RESOURCE_ID: {
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		size_t n = s ? json_string_length(v) : 0;
		if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
			s++;
			n -= 2;
		}
		bool ok = n > 3 && !strncmp(s, "SR_", 3);
		for (size_t i = 0; ok && i < n; i++) {
			ok = (s[i] >= 'A' && s[i] <= 'Z') ||
				(s[i] >= '0' && s[i] <= '9') || s[i] == '_';
		}
		if (!ok) {
			return fail(ld, -EINVAL, "must be a resource id such "
				"as \"SR_BATCH_EXPORT\"");
		}
		rc = sqlite3_bind_text(st, col, s, (int)n, SQLITE_TRANSIENT);
		break;
	}
	case FIELD_LANGUAGE: {
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		if (strlen(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' ||
				s[1] > 'Z') {
			return fail(ld, -EINVAL, "must be a SuperOffice language "
				"prefix such as \"US\" or \"NO\"");
		}
		rc = sqlite3_bind_text(st, col, s, 2, SQLITE_TRANSIENT);
		break;
	}
	}
	if (rc != SQLITE_OK) {
		return fail(ld, -EIO, "%s", sqlite3_errmsg(ld->db));
	}
	return 0;
}

static int check_owner(struct load *ld, json_t *entry) {
	json_t *v = json_object_get(entry, ld->kind->owner_field);
	int ret = 0;
	sqlite3_stmt *st = kept(ld, "SELECT 1 FROM associate WHERE "
		"associate_id = ?");
	if (!st) {
		return fail(ld, -EIO, "%s", sqlite3_errmsg(ld->db));
	}
	sqlite3_bind_int64(st, 1, json_integer_value(v));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		ld->field = ld->kind->owner_field;
		ret = fail(ld, -EINVAL, "unknown associate %" JSON_INTEGER_FORMAT,
			json_integer_value(v));
	} else if (rc != SQLITE_ROW) {
		ret = fail(ld, -EIO, "%s", sqlite3_errmsg(ld->db));
	}
	sqlite3_reset(st);
	return ret;
}

/* A login may not be used by two associates (auth looks names up). */
static int check_login(struct load *ld, json_t *entry) {
	sqlite3_stmt *st = NULL;
	int ret = 0;
	if (sqlite3_prepare_v2(ld->db, "SELECT associate_id FROM associate "
			"WHERE name = ? AND associate_id <> ?", -1, &st,
			NULL) != SQLITE_OK) {
		return fail(ld, -EIO, "%s", sqlite3_errmsg(ld->db));
	}
	json_t *name = json_object_get(entry, "Name");
	sqlite3_bind_text(st, 1, json_string_value(name), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2,
		json_integer_value(json_object_get(entry, "AssociateId")));
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ld->field = "Name";
		ret = fail(ld, -EINVAL, "duplicate login '%s' (associate %lld "
			"has it)", json_string_value(name),
			(long long)sqlite3_column_int64(st, 0));
	} else if (rc != SQLITE_DONE) {
		ret = fail(ld, -EIO, "%s", sqlite3_errmsg(ld->db));
	}
	sqlite3_finalize(st);
	return ret;
}

/*
 * A task's tenant is its owner's; no owner: the default tenant. Set by
 * each task's INSERT, unless the document loads associates: then for
 * every task at the end, since a task loaded before may belong to one.
 */
#define TENANT_OF_OWNER "UPDATE batchtask SET tenant = coalesce((SELECT " \
	"a.tenant FROM associate a WHERE a.associate_id = " \
	"batchtask.registered_associate_id), '')"

/* Insert (or replace, so fixtures layer) one entry of the current kind. */
static int load_entry(struct load *ld, json_t *entry) {
	const struct kind_spec *k = ld->kind;
	const struct field_spec *fields = ld->fields;
	json_t *values[TASK_FIELD_COUNT] = { 0 };   /* the widest entry */
	char sql[1024];
	size_t used = 0, n = 0;
	int ret;
	ld->field = NULL;
	if (!json_is_object(entry)) {
		return fail(ld, -EINVAL, "must be an object");
	}
	const char *key;
	json_t *v;
	json_object_foreach(entry, key, v) {
		size_t i = 0;
		while (i < k->n_fields && strcmp(fields[i].key, key)) {
			i++;
		}
		if (i == k->n_fields) {
			ld->field = key;
			return fail(ld, -EINVAL, "unknown key");
		}
		values[i] = v;
	}
	for (size_t i = 0; i < k->n_fields; i++) {
		if (fields[i].required && !values[i]) {
			ld->field = fields[i].key;
			return fail(ld, -EINVAL, "missing");
		}
	}
	if (k->owner_field) {
		/* validated as an integer below; check the type first */
		json_t *owner = json_object_get(entry, k->owner_field);
		if (!json_is_integer(owner)) {
			ld->field = k->owner_field;
			return fail(ld, -EINVAL, "must be an integer");
		}
		ret = check_owner(ld, entry);
		if (ret) {
			return ret;
		}
	}
	used = (size_t)snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO %s (",
		k->table);
	for (size_t i = 0; i < k->n_fields; i++) {
		if (values[i]) {
			used += (size_t)snprintf(sql + used, sizeof(sql) - used,
				"%s%s", n++ ? ", " : "", fields[i].column);
		}
	}
	/*
	 * A task's tenant is its owner's, set by the INSERT itself when the
	 * document loads no associates (else for every task at the end):
	 * the parameter of its AssociateId, if it has one, numbered as the
	 * values are.
	 */
	size_t owner = 0;
	if (fields == ld->tasks && !ld->associates) {
		for (size_t i = 0, p = 0; i < k->n_fields && !owner; i++) {
			p += values[i] != NULL;
			if (values[i] && !strcmp(fields[i].column,
					"registered_associate_id")) {
				owner = p;
			}
		}
	}
	if (owner) {
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
			", tenant");
	}
	if (!n) {
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
			") DEFAULT VALUES");
	} else {
		used += (size_t)snprintf(sql + used, sizeof(sql) - used,
			") VALUES (");
		for (size_t i = 0; i < n; i++) {
			used += (size_t)snprintf(sql + used, sizeof(sql) - used,
				"%s?%zu", i ? ", " : "", i + 1);
		}
		if (owner) {
			used += (size_t)snprintf(sql + used, sizeof(sql) - used,
				", coalesce((SELECT a.tenant FROM associate a "
				"WHERE a.associate_id = ?%zu), '')", owner);
		}
		snprintf(sql + used, sizeof(sql) - used, ")");
	}
	if (fields == associate_fields) {
		json_t *name = json_object_get(entry, "Name");
		json_t *id = json_object_get(entry, "AssociateId");
		if (json_is_string(name) && json_is_integer(id)) {
			ret = check_login(ld, entry);
			if (ret) {
				return ret;
			}
		}
	}
	sqlite3_stmt *st = kept(ld, sql);
	if (!st) {
		return fail(ld, -EIO, "%s", sqlite3_errmsg(ld->db));
	}
	int col = 1;
	ret = 0;
	for (size_t i = 0; i < k->n_fields && !ret; i++) {
		if (values[i]) {
			ld->field = fields[i].key;
			ret = bind_value(ld, st, col++, &fields[i], values[i]);
		}
	}
	if (!ret) {
		ld->field = NULL;
		if (sqlite3_step(st) != SQLITE_DONE) {
			ret = fail(ld, -EINVAL, "%s", sqlite3_errmsg(ld->db));
		}
	}
	sqlite3_reset(st);
	return ret;
}

static int exec(struct load *ld, const char *sql) {
	char *msg = NULL;
	if (sqlite3_exec(ld->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int ret = fail(ld, -EIO, "%s", msg ? msg : "database error");
		sqlite3_free(msg);
		return ret;
	}
	return 0;
}

static int load_document(struct load *ld, json_t *root) {
	if (!json_is_object(root)) {
		return fail(ld, -EINVAL, "a fixture document is a JSON object");
	}
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		size_t i = 0;
		if (!strcmp(key, "recorded")) {
			/* metadata `somock record` writes: not loaded */
			if (!json_is_object(v)) {
				return fail(ld, -EINVAL, "'recorded' must be an "
					"object");
			}
			continue;
		}
		while (i < COUNT(kinds) && strcmp(kinds[i].key, key)) {
			i++;
		}
		if (i == COUNT(kinds)) {
			return fail(ld, -EINVAL, "unknown key '%s' (known: "
				"associates, tickets, tokens, sessions, apps, "
				"resources, batchTasks, recorded)", key);
		}
		if (!json_is_array(v)) {
			return fail(ld, -EINVAL, "'%s' must be an array", key);
		}
	}
	ld->associates = json_array_size(json_object_get(root, "associates"));
	for (size_t i = 0; i < COUNT(kinds); i++) {
		json_t *arr = json_object_get(root, kinds[i].key);
		assert(kinds[i].n_fields <= TASK_FIELD_COUNT);
		ld->kind = &kinds[i];
		ld->fields = kinds[i].fields ? kinds[i].fields : ld->tasks;
		size_t idx;
		json_t *entry;
		json_array_foreach(arr, idx, entry) {
			ld->index = idx;
			int ret = load_entry(ld, entry);
			if (ret) {
				return ret;
			}
		}
	}
	ld->kind = NULL;
	return ld->associates ? exec(ld, TENANT_OF_OWNER) : 0;
}

int fixtures_load(sqlite3 *db, const char *name, const char *text,
		size_t len, char *err, size_t errlen) {
	struct load ld = { .db = db, .name = name, .err = err,
		.errlen = errlen };
	load_begin(&ld, NULL);
	task_specs(ld.tasks);
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		return fail(&ld, -EINVAL, "line %d, column %d: %s", jerr.line,
			jerr.column, jerr.text);
	}
	int ret = exec(&ld, "SAVEPOINT fixture");
	if (ret) {
		goto out;
	}
	ret = load_document(&ld, root);
	load_finish(&ld);
	if (ret) {
		char ignored[8];
		struct load rb = { .db = db, .name = name, .err = ignored,
			.errlen = sizeof(ignored) };
		exec(&rb, "ROLLBACK TO fixture");
		exec(&rb, "RELEASE fixture");
		goto out;
	}
	ret = exec(&ld, "RELEASE fixture");
out:
	load_finish(&ld);
	json_decref(root);
	return ret;
}

int fixtures_insert_task(sqlite3 *db, struct stmt_cache *cache,
		const char *what, json_t *carrier, char *err, size_t errlen) {
	struct load ld = { .db = db, .name = what, .single = true,
		.err = err, .errlen = errlen };
	load_begin(&ld, cache);
	task_specs(ld.tasks);
	ld.kind = &kinds[COUNT(kinds) - 1];
	ld.fields = ld.tasks;
	/* inserts the task and sets its tenant from its owner */
	int ret = load_entry(&ld, carrier);
	load_finish(&ld);
	return ret;
}

int fixtures_check_task_members(sqlite3 *db, struct stmt_cache *cache,
		const char *what, json_t *carrier, const char *skip, char *err,
		size_t errlen) {
	struct load ld = { .db = db, .name = what, .single = true,
		.err = err, .errlen = errlen };
	int ret = 0;
	load_begin(&ld, cache);
	task_specs(ld.tasks);
	sqlite3_stmt *st = kept(&ld, "SELECT ?");
	if (!st) {
		ret = fail(&ld, -EIO, "%s", sqlite3_errmsg(db));
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(carrier, key, v) {
		size_t i = 0;
		while (i < TASK_FIELD_COUNT && strcmp(ld.tasks[i].key, key)) {
			i++;
		}
		if (i == TASK_FIELD_COUNT || (skip && !strcmp(key, skip))) {
			continue; /* not the record's: JSON.NET ignores it */
		}
		ld.field = key;
		ret = bind_value(&ld, st, 1, &ld.tasks[i], v);
		if (ret) {
			break;
		}
		sqlite3_clear_bindings(st);
	}
	sqlite3_reset(st);
out:
	load_finish(&ld);
	return ret;
}

int fixtures_load_file(sqlite3 *db, const char *path, char *err,
		size_t errlen) {
	int ret = 0;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "cannot open fixture '%s': %s", path,
			strerror(errno));
		return ret;
	}
	size_t cap = 0, len = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > (size_t)1 << 30) {
				ret = -EFBIG;
				snprintf(err, errlen, "fixture '%s' is larger than "
					"1 GiB", path);
				goto out;
			}
			char *p = realloc(buf, cap);
			if (!p) {
				ret = -ENOMEM;
				snprintf(err, errlen, "out of memory reading '%s'",
					path);
				goto out;
			}
			buf = p;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			break;
		}
	}
	if (ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "cannot read fixture '%s'", path);
		goto out;
	}
	ret = fixtures_load(db, path, buf ? buf : "", len, err, errlen);
out:
	free(buf);
	fclose(f);
	return ret;
}

#undef COUNT
