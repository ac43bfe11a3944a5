/*
 * tests/unit/test-fixtures.c: the fixture loader on its own, over an
 * in-memory database with the bundled schema. Good documents land in the
 * tables as the API will read them; every kind of bad value is refused
 * with the exact message naming file, entry and field; a refused document
 * leaves the database as it was.
 *
 * Documents are written with ' for " so they stay readable here.
 */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fixtures.h"
#include "store.h"
#include "tap.h"

#define NAME "t.json"

static sqlite3 *db;

static sqlite3 *open_db(void) {
	sqlite3 *d = NULL;
	char err[256] = "";
	if (sqlite3_open(":memory:", &d) != SQLITE_OK ||
			store_apply_schema(d, err, sizeof(err))) {
		tap_diag("cannot open a database: %s", err);
		sqlite3_close(d);
		return NULL;
	}
	return d;
}

/* Load @doc (' for ") as NAME; 0 or the loader's error, @err filled. */
static int load(const char *doc, char *err, size_t errlen) {
	char *text = strdup(doc);
	if (!text) {
		return -1;
	}
	for (char *p = text; *p; p++) {
		if (*p == '\'') {
			*p = '"';
		}
	}
	err[0] = '\0';
	int ret = fixtures_load(db, NAME, text, strlen(text), err, errlen);
	free(text);
	return ret;
}

/* The first column of the first row of @sql, as text; "" when none. */
static char *query(const char *sql) {
	static char buf[1024];
	sqlite3_stmt *st = NULL;
	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(buf, sizeof(buf), "error: %s", sqlite3_errmsg(db));
	} else if (sqlite3_step(st) == SQLITE_ROW &&
			sqlite3_column_text(st, 0)) {
		snprintf(buf, sizeof(buf), "%s",
			(const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return buf;
}

/* Every row of every table, as text: equal dumps, equal data. */
static char *dump(void) {
	static const char *const tables[] = { "associate", "ticket", "token",
		"session", "app", "resource", "batchtask" };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY 1, 2",
			tables[i]);
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			fprintf(f, "error: %s\n", sqlite3_errmsg(db));
			continue;
		}
		fprintf(f, "%s:\n", tables[i]);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *v = sqlite3_column_text(st, c);
				fprintf(f, "%s|", v ? (const char *)v : "NULL");
			}
			fputc('\n', f);
		}
		sqlite3_finalize(st);
	}
	fclose(f);
	return out;
}

static const char good[] = "{"
	"'associates': ["
	" {'AssociateId': 53, 'Name': 'tje0', 'Password': 'Tje0',"
	"  'FullName': 'Tje Null'},"
	" {'AssociateId': 54, 'Name': 'cust', 'Tenant': 'Cust12345'}],"
	"'apps': [{'Name': 'Partner', 'AppToken': 'f2398a'}],"
	"'resources': [{'Id': '[SR_BATCH_EXPORT]', 'Language': 'US',"
	" 'Text': 'Export'}],"
	"'tickets': [{'Ticket': '7T:abc', 'AssociateId': 53,"
	" 'Expires': '2030-01-01T00:00:00Z'}],"
	"'tokens': [{'Token': '8A:x', 'AssociateId': 54, 'Expires': null}],"
	"'sessions': [{'SessionId': 's1', 'XsrfToken': 'x1',"
	" 'AssociateId': 53}],"
	"'batchTasks': ["
	" {'Id': 878, 'Name': 'Grimes-Jacobi', 'AssociateId': 53,"
	"  'DetailsTable': 574, 'DetailsRecord': 546, 'IsSystemTask': false,"
	"  'IsInternalTask': true, 'ParameterObject': {'b': '2', 'a': '1'},"
	"  'LastStarted': '2020-01-22T17:54:08.6793184+01:00',"
	"  'Created': null, 'StartCount': 859,"
	"  'DatabaseSerialNumber': '146286', 'Context': null,"
	"  'Result': 'sint', 'State': 'All', 'Description': '',"
	"  'Response': 'a', 'Request': 'rerum',"
	"  'ProgressDescription': 'p', 'ProgressPercent': 32767,"
	"  'FileName': 'f', 'CancellationBehaviour': 'cannotcancel',"
	"  'TableRight': {'Mask': 'FULL', 'Reason': ''},"
	"  'FieldProperties': {'f': {'FieldRight': null,"
	"   'FieldType': 'System.Int32', 'FieldLength': 57}}},"
	" {'Id': 2, 'AssociateId': 54, 'State': 'Failed'},"
	" {'Id': 3, 'AssociateId': 99}]"
	"}";

static void good_documents(void) {
	char err[512];
	tap_int(load(good, err, sizeof(err)), 0, "a document with every kind "
		"of entry loads");
	if (err[0]) {
		tap_diag("%s", err);
	}
	tap_str(query("SELECT count(*) FROM associate"), "2", "associates");
	tap_str(query("SELECT password IS NULL FROM associate "
		"WHERE associate_id = 54"), "1", "no Password: NULL");
	tap_str(query("SELECT resource_id FROM resource"), "SR_BATCH_EXPORT",
		"a resource id is stored without brackets");
	tap_str(query("SELECT expires FROM ticket"), "640290528000000000",
		"Expires: ticks");
	tap_str(query("SELECT expires IS NULL FROM token"), "1",
		"Expires null: never");
	tap_str(query("SELECT tenant FROM batchtask WHERE BatchTask_id = 2"),
		"Cust12345", "a task's tenant is its owner's");
	tap_str(query("SELECT tenant FROM batchtask WHERE BatchTask_id = 3"),
		"", "an unknown owner: the default tenant");
	/* a document of tasks alone: each INSERT sets its task's tenant */
	tap_int(load("{'batchTasks': [{'Id': 40, 'AssociateId': 54},"
		" {'Id': 41, 'AssociateId': 53}, {'Id': 42},"
		" {'Id': 43, 'Name': 'x', 'AssociateId': 54, 'State': 'New'}]}",
		err, sizeof(err)), 0, "a document of tasks alone loads");
	tap_str(query("SELECT group_concat(BatchTask_id || '=' || tenant, ' ') "
		"FROM (SELECT * FROM batchtask WHERE BatchTask_id BETWEEN 40 "
		"AND 43 ORDER BY 1)"), "40=Cust12345 41= 42= 43=Cust12345",
		"... each task in its owner's tenant, whatever keys it has");
	tap_int(load("{'batchTasks': [{'Id': 40, 'Name': 'moved'}]}", err,
		sizeof(err)), 0, "a task loaded again without an owner");
	tap_str(query("SELECT tenant FROM batchtask WHERE BatchTask_id = 40"),
		"", "... is in the default tenant again");
	sqlite3_exec(db, "DELETE FROM batchtask WHERE BatchTask_id BETWEEN 40 "
		"AND 43", NULL, NULL, NULL);

	/* each column of the carrier, stored the way the store reads it */
	static const struct {
		const char *column;
		const char *want;
	} cols[] = {
		{ "name", "Grimes-Jacobi" },
		{ "registered_associate_id", "53" },
		{ "detailsTable", "574" },
		{ "detailsRecord", "546" },
		{ "isSystemTask", "0" },
		{ "isInternalTask", "1" },
		{ "parameterObject", "{\"b\":\"2\",\"a\":\"1\"}" },
		{ "lastStarted", "637153088486793184" },
		{ "registered", "0" },
		{ "startCount", "859" },
		{ "dbTag", "146286" },
		{ "coalesce(context, 'NULL')", "NULL" },
		{ "result", "sint" },
		{ "state", "99999" },
		{ "description", "" },
		{ "response", "a" },
		{ "request", "rerum" },
		{ "progressDescription", "p" },
		{ "progressPercent", "32767" },
		{ "FileName", "f" },
		{ "cancellationBehaviour", "2" },
		{ "tableRight", "{\"Mask\":\"FULL\",\"Reason\":\"\"}" },
		{ "fieldProperties", "{\"f\":{\"FieldRight\":null,\"FieldType\":"
			"\"System.Int32\",\"FieldLength\":57}}" },
	};
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		char sql[256];
		snprintf(sql, sizeof(sql), "SELECT %s FROM batchtask "
			"WHERE BatchTask_id = 878", cols[i].column);
		tap_str(query(sql), cols[i].want, "task 878: %s",
			cols[i].column);
	}
	tap_str(query("SELECT fieldProperties || '/' || state || '/' || "
		"registered FROM batchtask WHERE BatchTask_id = 3"), "{}/0/0",
		"missing keys take the column defaults");

	/* a later document layers on top, replacing entries by key */
	tap_int(load("{'batchTasks': [{'Id': 2, 'AssociateId': 54, "
		"'State': 'New', 'Name': 'again'}]}", err, sizeof(err)), 0,
		"a second document loads on top");
	tap_str(query("SELECT name || '/' || state FROM batchtask "
		"WHERE BatchTask_id = 2"), "again/1", "and replaces the entry");
	tap_int(load("{}", err, sizeof(err)), 0, "an empty document loads");

	/* a rights mask in any form is stored as .NET writes it */
	static const struct {
		const char *table, *field, *want_table, *want_field;
	} masks[] = {
		{ "'Select Update Insert Delete'", "'Read Write UIHintMandatory'",
			"FULL", "Update, UIHintMandatory" },
		{ "37", "67", "RI, RestrictedUpdate", "Update, UIHintMandatory" },
		{ "'full'", "'Update,UIHintMandatory'", "FULL",
			"Update, UIHintMandatory" },
		{ "0", "''", "None", "None" },
	};
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		char doc[512], want[128];
		snprintf(doc, sizeof(doc), "{'batchTasks': [{'Id': 9, "
			"'TableRight': {'Mask': %s}, 'FieldProperties': {'f': "
			"{'FieldRight': {'Mask': %s}}}}]}", masks[i].table,
			masks[i].field);
		tap_int(load(doc, err, sizeof(err)), 0, "masks %s / %s load",
			masks[i].table, masks[i].field);
		tap_str(query("SELECT json_extract(tableRight, '$.Mask') FROM "
			"batchtask WHERE BatchTask_id = 9"), masks[i].want_table,
			"TableRight.Mask %s is stored as .NET writes it",
			masks[i].table);
		snprintf(want, sizeof(want), "%s", masks[i].want_field);
		tap_str(query("SELECT json_extract(fieldProperties, "
			"'$.f.FieldRight.Mask') FROM batchtask WHERE "
			"BatchTask_id = 9"), want, "FieldRight.Mask %s is stored "
			"as .NET writes it", masks[i].field);
	}
}

static void bad_documents(void) {
	static const struct {
		const char *doc;
		const char *message;
	} bad[] = {
		/* the document */
		{ "[]", NAME ": a fixture document is a JSON object" },
		{ "{'batchtasks': []}", NAME ": unknown key 'batchtasks' "
			"(known: associates, tickets, tokens, sessions, apps, "
			"resources, batchTasks, recorded)" },
		{ "{'batchTasks': {}}", NAME ": 'batchTasks' must be an array" },
		/* an entry */
		{ "{'batchTasks': [{'Id': 1}, 'task']}",
			NAME ": batchTasks[1]: must be an object" },
		{ "{'batchTasks': [{'Id': 1, 'Bogus': 1}]}",
			NAME ": batchTasks[0].Bogus: unknown key" },
		{ "{'associates': [{'AssociateId': 1}]}",
			NAME ": associates[0].Name: missing" },
		{ "{'apps': [{'Name': 'x'}]}",
			NAME ": apps[0].AppToken: missing" },
		/* each kind of task field */
		{ "{'batchTasks': [{'Id': 'x'}]}",
			NAME ": batchTasks[0].Id: must be an integer" },
		{ "{'batchTasks': [{'Id': 1.5}]}",
			NAME ": batchTasks[0].Id: must be an integer" },
		{ "{'batchTasks': [{'StartCount': 2147483648}]}",
			NAME ": batchTasks[0].StartCount: 2147483648 is out of "
			"the int32 range" },
		{ "{'batchTasks': [{'AssociateId': -2147483649}]}",
			NAME ": batchTasks[0].AssociateId: -2147483649 is out "
			"of the int32 range" },
		{ "{'batchTasks': [{'DetailsTable': 32768}]}",
			NAME ": batchTasks[0].DetailsTable: 32768 is out of the "
			"int16 range" },
		{ "{'batchTasks': [{'ProgressPercent': -32769}]}",
			NAME ": batchTasks[0].ProgressPercent: -32769 is out of "
			"the int16 range" },
		{ "{'batchTasks': [{'IsSystemTask': 'no'}]}",
			NAME ": batchTasks[0].IsSystemTask: must be true or "
			"false" },
		{ "{'batchTasks': [{'Name': 5}]}",
			NAME ": batchTasks[0].Name: must be a string or null" },
		{ "{'batchTasks': [{'Created': '2020-13-01T00:00:00'}]}",
			NAME ": batchTasks[0].Created: must be a date such as "
			"\"2020-01-22T17:54:08.6793184+01:00\"" },
		{ "{'batchTasks': [{'LastStarted': 5}]}",
			NAME ": batchTasks[0].LastStarted: must be a date such "
			"as \"2020-01-22T17:54:08.6793184+01:00\"" },
		{ "{'batchTasks': [{'State': 4}]}",
			NAME ": batchTasks[0].State: must be a name string" },
		{ "{'batchTasks': [{'State': 'Done'}]}",
			NAME ": batchTasks[0].State: unknown state 'Done'" },
		{ "{'batchTasks': [{'CancellationBehaviour': 'Maybe'}]}",
			NAME ": batchTasks[0].CancellationBehaviour: unknown "
			"cancellation behaviour 'Maybe'" },
		{ "{'batchTasks': [{'ParameterObject': []}]}",
			NAME ": batchTasks[0].ParameterObject: must be an object "
			"or null" },
		{ "{'batchTasks': [{'ParameterObject': {'a': 1}}]}",
			NAME ": batchTasks[0].ParameterObject: value of 'a' "
			"must be a string" },
		{ "{'batchTasks': [{'TableRight': 'FULL'}]}",
			NAME ": batchTasks[0].TableRight: TableRight must be an "
			"object or null" },
		{ "{'batchTasks': [{'TableRight': {'Mask': 'a|b'}}]}",
			NAME ": batchTasks[0].TableRight: TableRight.Mask must "
			"be a rights mask: a number 0-255, .NET names such as "
			"\"FULL\" or \"RI, RestrictedUpdate\", or the XSD's "
			"flags such as \"Select Update\"" },
		{ "{'batchTasks': [{'TableRight': {'Mask': 256}}]}",
			NAME ": batchTasks[0].TableRight: TableRight.Mask must "
			"be a rights mask: a number 0-255, .NET names such as "
			"\"FULL\" or \"RI, RestrictedUpdate\", or the XSD's "
			"flags such as \"Select Update\"" },
		{ "{'batchTasks': [{'TableRight': {'Mask': 'Read'}}]}",
			NAME ": batchTasks[0].TableRight: TableRight.Mask must "
			"be a rights mask: a number 0-255, .NET names such as "
			"\"FULL\" or \"RI, RestrictedUpdate\", or the XSD's "
			"flags such as \"Select Update\"" },
		{ "{'batchTasks': [{'TableRight': {'Reason': 1}}]}",
			NAME ": batchTasks[0].TableRight: TableRight.Reason must "
			"be a string or null" },
		{ "{'batchTasks': [{'TableRight': {'Mask': 'FULL', 'X': 1}}]}",
			NAME ": batchTasks[0].TableRight: TableRight: unknown "
			"key 'X'" },
		{ "{'batchTasks': [{'FieldProperties': 1}]}",
			NAME ": batchTasks[0].FieldProperties: must be an object "
			"or null" },
		{ "{'batchTasks': [{'FieldProperties': {'f': 1}}]}",
			NAME ": batchTasks[0].FieldProperties: 'f' must be an "
			"object" },
		{ "{'batchTasks': [{'FieldProperties': {'f': "
			"{'FieldLength': 'long'}}}]}",
			NAME ": batchTasks[0].FieldProperties: 'f'.FieldLength "
			"must be a 32-bit integer" },
		{ "{'batchTasks': [{'FieldProperties': {'f': "
			"{'FieldType': 1}}}]}",
			NAME ": batchTasks[0].FieldProperties: 'f'.FieldType "
			"must be a string or null" },
		{ "{'batchTasks': [{'FieldProperties': {'f': "
			"{'FieldRight': {'Mask': 512}}}}]}",
			NAME ": batchTasks[0].FieldProperties: FieldRight.Mask "
			"must be a rights mask: a number 0-511, .NET names such "
			"as \"FULL\" or \"RI, RestrictedUpdate\", or the XSD's "
			"flags such as \"Select Update\"" },
		{ "{'batchTasks': [{'FieldProperties': {'f': "
			"{'FieldLength': 2147483648}}}]}",
			NAME ": batchTasks[0].FieldProperties: 'f'.FieldLength "
			"must be a 32-bit integer" },
		{ "{'batchTasks': [{'FieldProperties': {'f': {'Size': 1}}}]}",
			NAME ": batchTasks[0].FieldProperties: 'f': unknown key "
			"'Size'" },
		/* the other kinds of entry */
		{ "{'associates': [{'AssociateId': 1, 'Name': ''}]}",
			NAME ": associates[0].Name: must be a non-empty string" },
		{ "{'associates': [{'AssociateId': 1, 'Name': 'a', "
			"'Tenant': 'Acme'}]}",
			NAME ": associates[0].Tenant: must be \"Cust\" followed "
			"by digits, or null" },
		{ "{'associates': [{'AssociateId': 1, 'Name': 'a'}, "
			"{'AssociateId': 2, 'Name': 'A'}]}",
			NAME ": associates[1].Name: duplicate login 'A' "
			"(associate 1 has it)" },
		{ "{'tickets': [{'Ticket': '7T:x', 'AssociateId': '1'}]}",
			NAME ": tickets[0].AssociateId: must be an integer" },
		{ "{'tickets': [{'Ticket': '7T:x', 'AssociateId': 99}]}",
			NAME ": tickets[0].AssociateId: unknown associate 99" },
		{ "{'associates': [{'AssociateId': 1, 'Name': 'a'}], "
			"'tickets': [{'Ticket': '7T:x', 'AssociateId': 1, "
			"'Expires': 'soon'}]}",
			NAME ": tickets[0].Expires: must be a date such as "
			"\"2020-01-22T17:54:08.6793184+01:00\"" },
		{ "{'associates': [{'AssociateId': 1, 'Name': 'a'}], "
			"'tokens': [{'Token': '', 'AssociateId': 1}]}",
			NAME ": tokens[0].Token: must be a non-empty string" },
		{ "{'sessions': [{'SessionId': 's', 'XsrfToken': 'x', "
			"'AssociateId': 7}]}",
			NAME ": sessions[0].AssociateId: unknown associate 7" },
		{ "{'resources': [{'Id': 'BATCH', 'Language': 'US', "
			"'Text': 'x'}]}",
			NAME ": resources[0].Id: must be a resource id such as "
			"\"SR_BATCH_EXPORT\"" },
		{ "{'resources': [{'Id': 'SR_X', 'Language': 'us', "
			"'Text': 'x'}]}",
			NAME ": resources[0].Language: must be a SuperOffice "
			"language prefix such as \"US\" or \"NO\"" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[512];
		char *before = dump();
		int ret = load(bad[i].doc, err, sizeof(err));
		char *after = dump();
		tap_str(err, bad[i].message, "refused: %s", bad[i].message +
			strlen(NAME ": "));
		tap_ok(ret < 0 && before && after && !strcmp(before, after),
			"  ... and nothing of it loaded");
		free(before);
		free(after);
	}

	char err[512];
	int ret = load("{'batchTasks': [", err, sizeof(err));
	tap_ok(ret == -EINVAL && !strncmp(err, NAME ": line 1, column 16: ",
		strlen(NAME ": line 1, column 16: ")),
		"invalid JSON: file, line and column (%s)", err);
	ret = load("{'batchTasks': [{'Id': 1}], 'batchTasks': []}", err,
		sizeof(err));
	tap_ok(ret == -EINVAL && strstr(err, "duplicate"), "a key twice: refused "
		"(%s)", err);
}

/* A bad entry late in a document undoes the good ones before it. */
static void all_or_nothing(void) {
	char err[512];
	char *before = dump();
	int ret = load("{'associates': [{'AssociateId': 60, 'Name': 'new'}], "
		"'batchTasks': [{'Id': 878, 'Name': 'changed'}, "
		"{'Id': 900, 'AssociateId': 60}, {'Id': 901, 'State': 'Nope'}]}",
		err, sizeof(err));
	char *after = dump();
	tap_str(err, NAME ": batchTasks[2].State: unknown state 'Nope'",
		"the third task is refused");
	tap_ok(ret < 0 && before && after && !strcmp(before, after),
		"the associate and the two good tasks before it are not kept");
	tap_str(query("SELECT name FROM batchtask WHERE BatchTask_id = 878"),
		"Grimes-Jacobi", "a replaced entry is back as it was");
	free(before);
	free(after);

	/* and inside the caller's transaction, only the document goes */
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3_exec(db, "DELETE FROM app", NULL, NULL, NULL);
	ret = load("{'apps': [{'AppToken': 'z'}, {'Name': 'no token'}]}", err,
		sizeof(err));
	tap_ok(ret < 0 && !strcmp(query("SELECT count(*) FROM app"), "0"),
		"a refused document inside a transaction leaves the "
		"transaction's own changes");
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	tap_str(query("SELECT count(*) FROM app"), "1", "which the caller "
		"can still roll back");
}

static void load_file(void) {
	char err[512];
	char path[] = "/tmp/somock-test-fixtures-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		tap_ok(false, "cannot make a temporary file");
		return;
	}
	fputs("{\"batchTasks\": [{\"Id\": 5, \"Name\": \"from a file\"}]}", f);
	fclose(f);
	tap_int(fixtures_load_file(db, path, err, sizeof(err)), 0,
		"a file loads");
	tap_str(query("SELECT name FROM batchtask WHERE BatchTask_id = 5"),
		"from a file", "with its entries");
	unlink(path);
	tap_ok(fixtures_load_file(db, path, err, sizeof(err)) < 0 &&
		!strncmp(err, "cannot open fixture '", 21),
		"a missing file: '%s'", err);
}

int main(void) {
	db = open_db();
	if (!db) {
		tap_ok(false, "an in-memory database with the schema");
		return tap_done();
	}
	good_documents();
	bad_documents();
	all_or_nothing();
	load_file();
	sqlite3_close(db);
	return tap_done();
}
