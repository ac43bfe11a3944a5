#include "build-config.h"
#include "soap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agents.h"
#include "api.h"
#include "ascii.h"
#include "auth.h"
#include "batch.h"
#include "caller.h"
#include "clock.h"
#include "envelope.h"
#include "errors.h"
#include "http.h"
#include "model.h"
#include "render.h"
#include "route.h"
#include "strbuf.h"
#include "task_list.h"
#include "tz.h"
#include "wsdl.h"
#include "xml.h"

/* Cap for one answer: 10 000 tasks render to about 8 MB. */
#define BODY_MAX ((size_t)256 * 1024 * 1024)
#define TEXT_XML "text/xml; charset=utf-8"
#define SOURCE "SuperOffice.Services.Implementation"

/* A service error, as the SoExceptionInfo header reports it. */
struct soap_exception {
	const char *type;       /* ExceptionType, a .NET exception's name */
	const char *message;
};

/* One request in flight. */
struct call {
	const struct soap *soap;
	const struct http_request *req;
	struct http_response *resp;
	struct route_match route;
	struct soap_envelope env;
	struct caller who;
	const struct tz_zone *zone;   /* NULL: UTC, written with "Z" */
};

/* --- writing ------------------------------------------------------------ */

static void put_text(struct strbuf *sb, const char *name, const char *s) {
	if (!s) {
		strbuf_put_tag(sb, "<", name, " i:nil=\"true\"/>");
		return;
	}
	strbuf_put_tag(sb, "<", name, ">");
	xml_escape(sb, s, strlen(s));
	strbuf_put_tag(sb, "</", name, ">");
}

/* SoExceptionInfo's members in the XSD's order, inside @element. */
static void put_exception(struct strbuf *sb, const char *element,
		const struct soap_exception *x) {
	if (!x) {
		strbuf_put_tag(sb, "<", element, " xmlns=\"" SOAP_NS_88
			"\" i:nil=\"true\"/>");
		return;
	}
	strbuf_put_tag(sb, "<", element, " xmlns=\"" SOAP_NS_88 "\">");
	put_text(sb, "Message", x->message);
	put_text(sb, "StackTrace", NULL);
	put_text(sb, "FriendlyText", x->message);
	put_text(sb, "ExceptionType", x->type);
	put_text(sb, "Source", SOURCE);
	put_text(sb, "InnerException", NULL);
	put_text(sb, "Parameters", NULL);
	strbuf_put_tag(sb, "</", element, ">");
}

/* The envelope's start, with the response headers the WSDL declares. */
static void put_head(struct strbuf *sb, const struct call *c,
		const struct soap_exception *x) {
	strbuf_puts(sb, "<s:Envelope xmlns:s=\"" SOAP_NS_ENVELOPE "\" "
		"xmlns:i=\"" SOAP_NS_XSI "\"><s:Header>");
	put_exception(sb, "ExceptionInfo", x);
	/* NetServer's ExtraInfo carries nothing a client relies on */
	strbuf_puts(sb, "<ExtraInfo xmlns=\"" SOAP_NS_88 "\"/>");
	strbuf_puts(sb, "<Succeeded xmlns=\"" SOAP_NS_88 "\">");
	strbuf_puts(sb, x ? "false" : "true");
	strbuf_puts(sb, "</Succeeded>");
	if (!c->env.has_time_zone) {
		strbuf_puts(sb, "<TimeZone xmlns=\"" SOAP_NS_88 "\" "
			"i:nil=\"true\"/>");
	} else {
		/* the zone the dates are in, as the request named it */
		strbuf_puts(sb, "<TimeZone xmlns=\"" SOAP_NS_88 "\">"
			"<SoTimeZoneId>");
		strbuf_put_i64(sb, c->env.time_zone_id);
		strbuf_puts(sb, "</SoTimeZoneId>");
		put_text(sb, "SoTimeZoneLocationCode", c->zone ?
			tz_zone_code(c->zone) : c->env.time_zone_code);
		strbuf_puts(sb, "</TimeZone>");
	}
	strbuf_puts(sb, "</s:Header><s:Body>");
}

static void send_body(struct http_response *resp, int status,
		struct strbuf *sb) {
	if (!strbuf_ok(sb)) {
		strbuf_finish(sb);
		status = 500;
		strbuf_init(sb, 1024);
		strbuf_puts(sb, "<s:Envelope xmlns:s=\"" SOAP_NS_ENVELOPE "\">"
			"<s:Body><s:Fault><faultcode>s:Server</faultcode>"
			"<faultstring>out of memory</faultstring></s:Fault>"
			"</s:Body></s:Envelope>");
	}
	free(resp->body);
	resp->body = strbuf_detach(sb, &resp->body_len);
	resp->status = resp->body ? status : 500;
	resp->content_type = TEXT_XML;
	http_response_header(resp, "Cache-Control", "private");
}

static const char *fault_code(enum soap_fault_code code) {
	switch (code) {
	case SOAP_FAULT_VERSION:
		return "s:VersionMismatch";
	case SOAP_FAULT_MUST_UNDERSTAND:
		return "s:MustUnderstand";
	case SOAP_FAULT_SERVER:
		return "s:Server";
	case SOAP_FAULT_CLIENT:
		break;
	}
	return "s:Client";
}

/*
 * A SOAP 1.1 Fault (§4.4) with HTTP @status (§6.2: 500), the exception
 * behind it in the detail when there is one.
 */
static void send_fault(struct http_response *resp, int status,
		enum soap_fault_code code, const char *message,
		const struct soap_exception *x) {
	struct strbuf sb;
	strbuf_init(&sb, 65536);
	strbuf_puts(&sb, "<s:Envelope xmlns:s=\"" SOAP_NS_ENVELOPE "\" "
		"xmlns:i=\"" SOAP_NS_XSI "\"><s:Body><s:Fault><faultcode>");
	strbuf_puts(&sb, fault_code(code));
	strbuf_puts(&sb, "</faultcode><faultstring xml:lang=\"en-US\">");
	xml_escape(&sb, message, strlen(message));
	strbuf_puts(&sb, "</faultstring>");
	if (x) {
		strbuf_puts(&sb, "<detail>");
		put_exception(&sb, "ExceptionInfo", x);
		strbuf_puts(&sb, "</detail>");
	}
	strbuf_puts(&sb, "</s:Fault></s:Body></s:Envelope>");
	send_body(resp, status, &sb);
	http_response_reason(resp, message); /* the access log's why */
}

/* An api_error's text and type: what a SOAP client is told. */
static void exception_of(const struct api_error *e,
		struct soap_exception *x) {
	const char *message = NULL, *detail = NULL, *type = NULL;
	for (size_t i = 0; i < e->n && i < API_ERROR_MAX_FIELDS; i++) {
		const struct api_field *f = &e->fields[i];
		if (f->kind != API_VALUE_STRING) {
			continue;
		}
		if (!strcmp(f->key, "MessageDetail")) {
			detail = f->str;
		} else if (!strcmp(f->key, "ErrorType")) {
			type = f->str;
		} else if (!strcmp(f->key, "Message") ||
				!strcmp(f->key, "ErrorMessage")) {
			message = f->str;
		}
	}
	x->message = detail ? detail : message ? message : "";
	x->type = type ? type : e->status < 500 ? "ArgumentException" :
		"Exception";
}

/* An error of the HTTP side (sandboxes, resources): a Fault, its status. */
static void send_api_fault(struct http_response *resp,
		const struct api_error *e) {
	struct soap_exception x;
	exception_of(e, &x);
	send_fault(resp, e->status, e->status < 500 ? SOAP_FAULT_CLIENT :
		SOAP_FAULT_SERVER, x.message, &x);
}

/* The Response element a failed call carries: nil where it may be. */
static void put_failed_response(struct strbuf *sb, enum agent_type result) {
	if (result == AGENT_TYPE_CARRIER || result == AGENT_TYPE_CARRIERS) {
		strbuf_puts(sb, "<Response i:nil=\"true\"/>");
	}
}

/* What NetServer answers a refused call: 200, ExceptionInfo filled. */
static void send_exception(struct call *c, const char *type,
		const char *message) {
	const struct soap_exception x = { type, message };
	const struct agent_op *op = c->env.op;
	struct strbuf sb;
	strbuf_init(&sb, 65536);
	put_head(&sb, c, &x);
	strbuf_puts(&sb, "<");
	strbuf_puts(&sb, op->name);
	strbuf_puts(&sb, "Response xmlns=\"" SOAP_NS_88 "\">");
	put_failed_response(&sb, op->result);
	strbuf_puts(&sb, "</");
	strbuf_puts(&sb, op->name);
	strbuf_puts(&sb, "Response>");
	strbuf_puts(&sb, "</s:Body></s:Envelope>");
	send_body(c->resp, 200, &sb);
}

/* The answer of a call that worked: its Response as the XSD types it. */
static void send_result(struct call *c, const struct batch_outcome *out,
		const struct task *tasks, size_t n) {
	const struct agent_op *op = c->env.op;
	const struct render_ctx rctx = { .zone = c->zone };
	struct strbuf sb;
	strbuf_init(&sb, BODY_MAX);
	strbuf_reserve(&sb, 2048 + n * 1200);
	put_head(&sb, c, NULL);
	strbuf_puts(&sb, "<");
	strbuf_puts(&sb, op->name);
	strbuf_puts(&sb, "Response xmlns=\"" SOAP_NS_88 "\">");
	switch (op->result) {
	case AGENT_TYPE_CARRIER:
		if (!n) {
			strbuf_puts(&sb, "<Response i:nil=\"true\"/>");
			break;
		}
		strbuf_puts(&sb, "<Response>");
		render_xml_members(&sb, &rctx, &tasks[0]);
		strbuf_puts(&sb, "</Response>");
		break;
	case AGENT_TYPE_CARRIERS:
		strbuf_puts(&sb, "<Response>");
		for (size_t i = 0; i < n; i++) {
			strbuf_puts(&sb, "<BatchTaskInfo>");
			render_xml_members(&sb, &rctx, &tasks[i]);
			strbuf_puts(&sb, "</BatchTaskInfo>");
		}
		strbuf_puts(&sb, "</Response>");
		break;
	case AGENT_TYPE_INT32:
		strbuf_puts(&sb, "<Response>");
		strbuf_put_i64(&sb, out->value);
		strbuf_puts(&sb, "</Response>");
		break;
	case AGENT_TYPE_BOOL:
		strbuf_puts(&sb, "<Response>");
		strbuf_puts(&sb, out->value ? "true" : "false");
		strbuf_puts(&sb, "</Response>");
		break;
	default:
		break;    /* void: the XSD's empty sequence */
	}
	strbuf_puts(&sb, "</");
	strbuf_puts(&sb, op->name);
	strbuf_puts(&sb, "Response></s:Body></s:Envelope>");
	send_body(c->resp, 200, &sb);
}

/* --- running the call ----------------------------------------------------- */

/* The tasks @q reads, answered; a failure is a Fault. */
static void answer_read(struct call *c, const struct batch_query *q,
		const struct batch_outcome *out) {
	struct task_list list = { 0 };
	int ret = batch_read(c->who.reader, c->who.auth.tenant, q, &list);
	if (ret && !(ret == -ENOENT && q->kind != BATCH_LIST)) {
		struct api_error e;
		api_error_internal(&e, ret);
		send_api_fault(c->resp, &e);
	} else {
		send_result(c, out, list.items, ret ? 0 : list.n);
	}
	task_list_finish(&list);
}

static void run_write(struct call *c, json_t *args) {
	struct batch_outcome out;
	char err[512];
	int ret = caller_write(&c->who, c->soap->api, c->env.op, args, &out,
		err, sizeof(err));
	if (ret == -EINVAL) {
		send_exception(c, "ArgumentException", err);
		return;
	}
	if (ret) {
		struct api_error e;
		if (ret == -ENOSPC) {
			/* a sandbox's first change past --sandbox-memory */
			api_error_sandbox_memory(&e);
		} else {
			api_error_internal(&e, ret);
		}
		send_api_fault(c->resp, &e);
		return;
	}
	if (out.result == AGENT_TYPE_CARRIER) {
		const struct batch_query q = { .kind = BATCH_ONE_NULL,
			.id = out.id };
		answer_read(c, &q, &out);
		return;
	}
	send_result(c, &out, NULL, 0);
}

/*
 * The zone the TimeZone header names: its location code, else its id;
 * NULL (UTC) without one. false with the exception sent for a zone
 * somock does not know.
 */
static bool resolve_zone(struct call *c) {
	const struct soap_envelope *env = &c->env;
	const char *code = env->time_zone_code;
	char id[16];
	c->zone = NULL;
	if (!env->has_time_zone) {
		return true;
	}
	if (!code || !*code) {
		if (!env->time_zone_id) {
			return true;
		}
		snprintf(id, sizeof(id), "%d", (int)env->time_zone_id);
		code = id;
	}
	c->zone = tz_db_lookup(c->soap->api->tzdb, code, strlen(code));
	if (!c->zone) {
		send_exception(c, "ArgumentException", "The TimeZone header "
			"names no known time zone: SoTimeZoneLocationCode is a "
			"SuperOffice location code such as 'NO' or 'US-NY', "
			"SoTimeZoneId one of their ids");
		return false;
	}
	return true;
}

/* Authenticate the Credentials header's ticket: false with an answer. */
static bool authenticate(struct call *c) {
	const struct api *api = c->soap->api;
	const char *ticket = c->env.ticket;
	if (!ticket || !*ticket) {
		send_exception(c, "SoAuthenticationException", "no ticket: "
			"send the Credentials header with the Ticket of a "
			"logged-in user");
		return false;
	}
	if (api->mode == AUTH_MODE_ONLINE && !c->env.app_token) {
		send_exception(c, "SoAuthenticationException", "no "
			"ApplicationToken: online mode requires the "
			"ApplicationToken header with the ticket");
		return false;
	}
	struct strbuf auth;
	strbuf_init(&auth, 8192);
	strbuf_puts(&auth, "SOTicket ");
	strbuf_puts(&auth, ticket);
	struct auth_request areq = {
		.authorization = strbuf_ok(&auth) ? auth.data : "SOTicket -",
		.app_token = c->env.app_token,
		.app_token_from = "ApplicationToken",
		.tenant = c->route.tenant[0] ? c->route.tenant : NULL,
		.mode = api->mode,
		.now = clock_now(api->clock),
	};
	struct api_error e;
	int ret = caller_authenticate(&c->who, api, &areq, &e);
	strbuf_finish(&auth);
	c->resp->scheme = auth_scheme_name(c->who.auth.scheme);
	if (ret == -EACCES) {
		send_exception(c, c->who.auth.error_type, c->who.auth.message);
		return false;
	}
	if (ret) {
		send_api_fault(c->resp, &e);
		return false;
	}
	c->resp->associate_id = c->who.auth.associate_id;
	return true;
}

static void run(struct call *c) {
	if (!authenticate(c) || !resolve_zone(c)) {
		return;
	}
	json_t *args = NULL;
	struct api_error e;
	if (agent_args_from_xml(c->env.op, c->env.operation, &args, &e)) {
		struct soap_exception x;
		exception_of(&e, &x);
		send_exception(c, x.type, x.message);
		return;
	}
	struct batch_query q;
	if (batch_read_query(c->env.op, args, &q)) {
		const struct batch_outcome none = { .result = c->env.op->result };
		answer_read(c, &q, &none);
	} else {
		run_write(c, args);
	}
	json_decref(args);
}

/* --- the HTTP side ---------------------------------------------------- */

/* Is the media type of Content-Type text/xml (SOAP 1.1 §6.1.1)? */
static bool text_xml(const char *ctype) {
	const char *p = ctype ? ctype : "";
	size_t n = 0;
	while (p[n] && p[n] != ';') {
		n++;
	}
	trim_slice(&p, &n);
	return ascii_casecmp_n(p, n, "text/xml");
}

static void post(const struct soap *soap, const struct http_request *req,
		struct http_response *resp, const struct route_match *m) {
	struct call c = { .soap = soap, .req = req, .resp = resp,
		.route = *m };
	enum soap_fault_code code;
	char why[512];
	struct api_error e;
	if (req->body_too_large) {
		send_fault(resp, 413, SOAP_FAULT_CLIENT, "The envelope is "
			"larger than 1 MiB", NULL);
		return;
	}
	if (!text_xml(http_header(req, "Content-Type"))) {
		send_fault(resp, 415, SOAP_FAULT_CLIENT, "This service speaks "
			"SOAP 1.1, whose envelopes are sent as 'text/xml; "
			"charset=utf-8' (application/soap+xml is SOAP 1.2)",
			NULL);
		return;
	}
	if (http_header_count(req, "SOAPAction") > 1) {
		send_fault(resp, 500, SOAP_FAULT_CLIENT, "More than one "
			"SOAPAction HTTP header", NULL);
		return;
	}
	if (soap_envelope_read(&c.env, req->body ? req->body : "",
			req->body_len, http_header(req, "SOAPAction"), &code,
			why, sizeof(why))) {
		send_fault(resp, 500, code, why, NULL);
		return;
	}
	if (caller_pick(&c.who, soap->api, req, &e)) {
		send_api_fault(resp, &e);
	} else {
		run(&c);
	}
	caller_finish(&c.who, soap->api);
	soap_envelope_finish(&c.env);
}

/* Does the query ask for the WSDL ("?wsdl", "?singleWsdl", any case)? */
static bool wants_wsdl(const struct http_request *req) {
	char q[512];
	http_query_text(req, NULL, q, sizeof(q));
	for (const char *p = q; *p;) {
		size_t n = strcspn(p, "&=");
		if (ascii_casecmp_n(p, n, "wsdl") ||
				ascii_casecmp_n(p, n, "singleWsdl")) {
			return true;
		}
		p += strcspn(p, "&");
		p += *p == '&';
	}
	return false;
}

static void get(const struct soap *soap, const struct http_request *req,
		struct http_response *resp) {
	struct strbuf sb;
	strbuf_init(&sb, 1024 * 1024);
	if (!wants_wsdl(req)) {
		/* WCF answers a help page; this one says where the WSDL is */
		strbuf_puts(&sb, "<!DOCTYPE html><html><head><title>Batch "
			"service</title></head><body><p>somock's Batch service "
			"(SOAP 1.1). Its description: <a href=\"?wsdl\">?wsdl"
			"</a></p></body></html>");
		resp->body = strbuf_detach(&sb, &resp->body_len);
		resp->status = resp->body ? 200 : 500;
		resp->content_type = "text/html; charset=utf-8";
		return;
	}
	const char *host = http_header(req, "Host");
	struct strbuf url;
	strbuf_init(&url, 8192);
	strbuf_puts(&url, soap->https ? "https://" : "http://");
	strbuf_puts(&url, host ? host : "localhost");
	strbuf_puts(&url, route_origin_form(req->path));
	wsdl_write(&sb, strbuf_ok(&url) ? url.data : "");
	strbuf_finish(&url);
	send_body(resp, 200, &sb);
}

bool soap_path(const char *path) {
	struct route_match m;
	return route_match(path, &m) && m.route->id == ROUTE_SOAP;
}

void soap_handle(const struct soap *soap, const struct http_request *req,
		struct http_response *resp) {
	struct route_match m;
	const char *path = route_origin_form(req->path);
	if (!path || !route_match(path, &m) || m.route->id != ROUTE_SOAP) {
		send_fault(resp, 404, SOAP_FAULT_CLIENT, "No service at this "
			"address", NULL);
		return;
	}
	if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) {
		get(soap, req, resp);
		return;
	}
	if (strcmp(req->method, "POST")) {
		send_fault(resp, 405, SOAP_FAULT_CLIENT, "The service takes "
			"POST (an envelope) and GET (?wsdl)", NULL);
		http_response_header(resp, "Allow", m.route->methods);
		return;
	}
	post(soap, req, resp, &m);
}

void soap_fault_injected(const struct soap *soap, struct http_response *resp,
		int status, const char *type, const char *message) {
	const struct soap_exception x = {
		type && *type ? type : "SoFaultInjectedException",
		message && *message ? message : "fault injected by somock",
	};
	send_fault(resp, status, status < 500 ? SOAP_FAULT_CLIENT :
		SOAP_FAULT_SERVER, x.message, &x);
}
