/*
 * tests/unit/test-route.c: the API's route table (server/api/route.c):
 * which paths match which route, with what prefix, tenant and argument,
 * which methods each route allows, and the request-target forms.
 */
#include "build-config.h"

#include <stdio.h>
#include <string.h>

#include "route.h"
#include "tap.h"

static void expect(const char *path, enum route_id want, const char *arg,
		const char *prefix, const char *tenant) {
	struct route_match m;
	bool ok = route_match(path, &m);
	if (want == ROUTE_NONE) {
		tap_ok(!ok && !m.route, "%s matches nothing", path);
		return;
	}
	if (!tap_ok(ok && m.route && m.route->id == want, "%s matches route %d",
			path, (int)want)) {
		return;
	}
	char got[128];
	snprintf(got, sizeof(got), "%.*s", (int)m.arg.n, m.arg.s ? m.arg.s : "");
	tap_str(got, arg, "%s: argument", path);
	snprintf(got, sizeof(got), "%.*s", (int)m.prefix.n,
		m.prefix.s ? m.prefix.s : "");
	tap_str(got, prefix, "%s: prefix", path);
	tap_str(m.tenant, tenant, "%s: tenant", path);
}

static void test_match(void) {
	expect("/api", ROUTE_API_ROOT, "", "", "");
	expect("/API/", ROUTE_API_ROOT, "", "", "");
	expect("/api/v1/BatchTask/All", ROUTE_BATCH_TASK, "All", "", "");
	expect("/api/v1/batchtask/Failed", ROUTE_BATCH_TASK, "Failed", "", "");
	expect("//api//v1/BatchTask/7/", ROUTE_BATCH_TASK, "7", "", "");
	expect("/SuperOffice/api/v1/BatchTask/New", ROUTE_BATCH_TASK, "New",
		"SuperOffice", "");
	expect("/Cust12345/api/v1/BatchTask/New", ROUTE_BATCH_TASK, "New",
		"Cust12345", "Cust12345");
	expect("/cust1/api/v1/BatchTask/New", ROUTE_BATCH_TASK, "New",
		"cust1", "cust1");
	/* "Cust" without digits, or with letters, is an app folder */
	expect("/Cust/api/v1/BatchTask/New", ROUTE_BATCH_TASK, "New", "Cust",
		"");
	expect("/Cust12a/api/v1/BatchTask/New", ROUTE_BATCH_TASK, "New",
		"Cust12a", "");
	expect("/api/v1/Agents/Batch/GetBatchTaskInfosByState",
		ROUTE_AGENT, "GetBatchTaskInfosByState", "", "");
	expect("/api/v1/agents/batch/getbatchtaskinfo", ROUTE_AGENT,
		"getbatchtaskinfo", "", "");
	expect("/Cust9/api/v1/Agents/Batch/GetBatchTaskInfo",
		ROUTE_AGENT, "GetBatchTaskInfo", "Cust9", "Cust9");

	expect("/Remote/Services88/Batch.svc", ROUTE_SOAP, "", "", "");
	expect("/remote/services88/batch.svc", ROUTE_SOAP, "", "", "");
	expect("/SuperOffice/Remote/Services88/Batch.svc", ROUTE_SOAP, "",
		"SuperOffice", "");
	expect("/Cust12345/Remote/Services88/Batch.svc", ROUTE_SOAP, "",
		"Cust12345", "Cust12345");
	expect("/Remote/Services88/Batch.svc/x", ROUTE_NONE, NULL, NULL, NULL);
	expect("/Remote/Remote/Services88/Batch.svc", ROUTE_NONE, NULL, NULL,
		NULL);
	expect("/a/b/Remote/Services88/Batch.svc", ROUTE_NONE, NULL, NULL,
		NULL);

	expect("/", ROUTE_NONE, NULL, NULL, NULL);
	expect("", ROUTE_NONE, NULL, NULL, NULL);
	expect("/api/v2/BatchTask/All", ROUTE_NONE, NULL, NULL, NULL);
	expect("/api/v1/BatchTask", ROUTE_BATCH_TASKS, "", "", "");
	expect("/api/v1/BatchTask/7/Stop", ROUTE_BATCH_TASK_STOP, "7", "", "");
	expect("/api/v1/BatchTask/7/Start", ROUTE_NONE, NULL, NULL, NULL);
	expect("/api/v1/BatchTask/All/More", ROUTE_NONE, NULL, NULL, NULL);
	expect("/a/b/api/v1/BatchTask/All", ROUTE_NONE, NULL, NULL, NULL);
	expect("/api/v1/Agents/Batch/Get/More", ROUTE_NONE, NULL, NULL, NULL);
	expect("/api/v1/Agents/Batch", ROUTE_NONE, NULL, NULL, NULL);
	/* more segments than any route has */
	expect("/a/b/c/d/e/f/g/h/i/j", ROUTE_NONE, NULL, NULL, NULL);
}

static void test_methods(void) {
	struct route_match m;
	route_match("/api/v1/BatchTask/All", &m);
	tap_ok(route_allows(m.route, "GET"), "BatchTask allows GET");
	tap_ok(route_allows(m.route, "HEAD"), "BatchTask allows HEAD");
	tap_ok(!route_allows(m.route, "POST"), "BatchTask refuses POST");
	tap_ok(!route_allows(m.route, "GE"), "a method prefix is no method");
	tap_ok(!route_allows(m.route, "get"), "methods are case-sensitive");
	tap_str(m.route->methods, "GET, HEAD, PUT, DELETE",
		"BatchTask Allow header");
	route_match("/api/v1/Agents/Batch/GetBatchTaskInfo", &m);
	tap_ok(route_allows(m.route, "POST"), "Agents allows POST");
	tap_ok(route_allows(m.route, "GET"), "Agents allows GET (describes)");
	tap_ok(!route_allows(m.route, "PUT"), "Agents refuses PUT");
	tap_str(m.route->methods, "GET, HEAD, POST", "Agents Allow header");
}

static void test_origin_form(void) {
	tap_str(route_origin_form("/api"), "/api", "origin form");
	tap_str(route_origin_form("http://h:1/api/v1"), "/api/v1",
		"absolute form");
	tap_str(route_origin_form("HTTPS://h/x"), "/x", "scheme any case");
	tap_str(route_origin_form("http://h"), "/", "absolute, no path");
	tap_str(route_origin_form("*"), "*", "asterisk form");
	tap_ok(route_origin_form("api/v1") == NULL, "relative target refused");
	tap_ok(route_origin_form("") == NULL, "empty target refused");
	tap_ok(route_origin_form("ftp://h/x") == NULL, "other scheme refused");
}

int main(void) {
	test_match();
	test_methods();
	test_origin_form();
	return tap_done();
}
