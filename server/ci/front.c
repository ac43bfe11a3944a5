#include "build-config.h"
#include "front.h"

#include <stdio.h>
#include <string.h>

#include "api.h"
#include "clock.h"
#include "control.h"
#include "demo.h"
#include "errors.h"
#include "faults.h"
#include "journal.h"
#include "route.h"
#include "soap.h"
#include "ascii.h"

static void copy_header(char *dst, size_t cap, const struct http_request *req,
		const char *name) {
	const char *v = http_header(req, name);
	snprintf(dst, cap, "%s", v ? v : "");
}

static void front_handle(void *data, const struct http_request *req,
		struct http_response *resp) {
	const struct front *front = data;
	struct api_error e;
	if (req->malformed) {
		api_error_protocol(&e, req->malformed_status, req->malformed);
		api_error_answer(req, resp, &e);
		return;
	}
	/*
	 * Everything routes on the path an absolute-form target
	 * (GET http://host/path) names, fault rules and control paths too.
	 */
	struct http_request r = *req;
	const char *path = route_origin_form(req->path);
	r.path = path ? path : req->path;
	if (control_path(r.path)) {
		control_handle(front->control, &r, resp);
		return;
	}
	struct fault_action f;
	faults_match(front->faults, r.method, r.path, &f);
	if (f.drop) {
		resp->drop = true;
		return;
	}
	bool soap = soap_path(r.path);
	if (f.status && soap) {
		/* a SOAP client reads faults, not the REST error bodies */
		soap_fault_injected(front->soap, resp, f.status, f.error_type,
			f.message);
	} else if (f.status) {
		api_error_fault(&e, f.status, f.error_type, f.message);
		api_error_answer(&r, resp, &e);
	} else if (soap) {
		soap_handle(front->soap, &r, resp);
	} else if (demo_path(r.path)) {
		demo_handle(front->store, front->api->mode, &r, resp);
	} else {
		api_handle(front->api, req, resp);
	}
	resp->delay_ms = f.delay_ms;
	resp->drip_bytes = f.drip_bytes;
	resp->drip_interval_ms = f.drip_interval_ms;
}

/*
 * Query parameters whose value may be a credential: any name containing
 * one of these (ASCII case-insensitive). Their values never reach the
 * journal.
 */
static bool secret_parameter(const char *key) {
	static const char *const words[] = { "ticket", "pass", "pwd",
		"token", "secret", "auth", "key", "session", "cookie", "xsrf",
		"cred", "sig", "code" };
	char lower[64];
	size_t n = 0;
	for (; key[n] && n < sizeof(lower) - 1; n++) {
		lower[n] = ascii_lower(key[n]);
	}
	lower[n] = '\0';
	if (key[n]) {
		return true; /* a name this long is nobody's filter: hide it */
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strstr(lower, words[i])) {
			return true;
		}
	}
	return false;
}

/* Journal every request but the control API's and malformed ones. */
static void front_done(void *data, const struct http_request *req,
		const struct http_response *resp, double ms) {
	const struct front *front = data;
	const char *path = route_origin_form(req->path);
	if (req->malformed || control_path(path ? path : req->path)) {
		return;
	}
	struct journal_entry e = {
		.time = clock_real_now(),
		.status = resp->drop ? 0 : resp->status,
		.associate_id = resp->associate_id,
		.ms = ms,
	};
	snprintf(e.method, sizeof(e.method), "%s", req->method);
	snprintf(e.path, sizeof(e.path), "%s", req->path);
	http_query_text(req, secret_parameter, e.query, sizeof(e.query));
	snprintf(e.scheme, sizeof(e.scheme), "%s",
		resp->scheme ? resp->scheme : "");
	copy_header(e.sandbox, sizeof(e.sandbox), req, "X-Somock-Sandbox");
	copy_header(e.accept, sizeof(e.accept), req, "Accept");
	copy_header(e.language, sizeof(e.language), req, "SO-Language");
	if (!e.language[0]) {
		copy_header(e.language, sizeof(e.language), req,
			"Accept-Language");
	}
	copy_header(e.timezone, sizeof(e.timezone), req, "SO-TimeZone");
	journal_record(front->journal, &e);
}

struct http_handler front_handler(const struct front *front) {
	return (struct http_handler){ .handle = front_handle,
		.done = front_done, .data = (void *)front };
}
