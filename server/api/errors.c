#include "build-config.h"
#include "errors.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "strbuf.h"
#include "utf8.h"

#define FIELD_S(k, v) { .key = (k), .kind = API_VALUE_STRING, .str = (v) }
#define FIELD_TRUE(k) { .key = (k), .kind = API_VALUE_BOOL, .b = true }

/*
 * Copy at most @max bytes of request text into a message, each byte that
 * is not part of valid UTF-8 (or is a control character) as '?': error
 * bodies must stay valid JSON and XML whatever the client sent.
 */
static void quote_input(char *dst, size_t cap, const char *src, size_t max) {
	/* the last character may run up to 3 bytes past @max */
	size_t n = strnlen(src, max + 3);
	size_t o = 0;
	for (size_t i = 0; i < n && i < max && o + 5 < cap;) {
		uint32_t cp = 0;
		size_t len = utf8_decode(src + i, n - i, &cp);
		if (!len || cp < 0x20 || cp == 0x7f) {
			dst[o++] = '?';
			i++;
			continue;
		}
		memcpy(dst + o, src + i, len);
		o += len;
		i += len;
	}
	dst[o] = '\0';
}

void api_error_bad_request(struct api_error *e, const char *detail) {
	*e = (struct api_error){ .status = 400, .n = 2, .fields = {
		FIELD_S("Message", "The request is invalid."),
		FIELD_S("MessageDetail", detail),
	} };
}

void api_error_protocol(struct api_error *e, int status, const char *why) {
	if (status == 400) {
		api_error_bad_request(e, why);
		return;
	}
	*e = (struct api_error){ .status = status, .n = 1, .fields = {
		FIELD_S("Message", e->text),
	} };
	snprintf(e->text, sizeof(e->text), "The request was refused: %s.",
		why);
}

void api_error_bad_state(struct api_error *e) {
	api_error_bad_request(e, "The parameters dictionary contains a null "
		"entry for parameter 'state' of non-nullable type "
		"'SuperOffice.Data.BatchTaskState' for method "
		"'SuperOffice.CRM.Services.BatchTaskInfo[] "
		"GetBatchTaskInfosByState(SuperOffice.Data.BatchTaskState)' "
		"in 'SuperOffice.WebApi.Controllers.v1.BatchTaskController'. "
		"An optional parameter must be a reference type, a nullable "
		"type, or be declared as an optional parameter.");
}

void api_error_bad_header(struct api_error *e, const char *header,
		const char *value, const char *what) {
	char quoted[260];
	quote_input(quoted, sizeof(quoted), value, 64);
	api_error_bad_request(e, e->text);
	snprintf(e->text, sizeof(e->text), "The %s HTTP header value '%s' is "
		"not %s.", header, quoted, what);
}

void api_error_bad_agent_body(struct api_error *e, const char *param,
		const char *type, const char *example) {
	api_error_bad_request(e, e->text);
	snprintf(e->text, sizeof(e->text), "The parameters dictionary "
		"contains a null entry for parameter '%s' of non-nullable type "
		"'%s'. Send it in the body, such as {\"%s\":%s}.", param, type,
		param, example);
}

void api_error_media_type(struct api_error *e, const char *content_type) {
	char quoted[200];
	quote_input(quoted, sizeof(quoted), content_type ? content_type : "",
		64);
	*e = (struct api_error){ .status = 415, .n = 1, .fields = {
		FIELD_S("Message", e->text),
	} };
	snprintf(e->text, sizeof(e->text), "The request entity's media type "
		"'%s' is not supported for this resource. Send "
		"application/json, application/xml or "
		"application/x-www-form-urlencoded.", quoted);
}

void api_error_bad_select(struct api_error *e, const char *name, size_t n) {
	char quoted[200];
	char raw[80];
	snprintf(raw, sizeof(raw), "%.*s", (int)(n < 64 ? n : 64), name);
	quote_input(quoted, sizeof(quoted), raw, 64);
	api_error_bad_request(e, e->text);
	snprintf(e->text, sizeof(e->text), "Could not find a property named "
		"'%s' on type 'SuperOffice.CRM.Services.BatchTaskInfo' "
		"($select).", quoted);
}

void api_error_no_route(struct api_error *e, const char *host,
		const char *path) {
	char h[520], p[1800];
	quote_input(h, sizeof(h), host ? host : "localhost", 128);
	quote_input(p, sizeof(p), path, 400);
	*e = (struct api_error){ .status = 404, .n = 1, .fields = {
		FIELD_S("Message", e->text),
	} };
	snprintf(e->text, sizeof(e->text), "No HTTP resource was found that "
		"matches the request URI 'http://%s%s'.", h, p);
}

void api_error_no_task(struct api_error *e, int64_t id) {
	*e = (struct api_error){ .status = 404, .n = 4, .fields = {
		FIELD_TRUE("Error"),
		FIELD_S("ErrorType", "SoNotFoundException"),
		FIELD_S("ErrorMessage", e->text),
		FIELD_S("ErrorSource", "SuperOffice.Services.Implementation"),
	} };
	snprintf(e->text, sizeof(e->text), "BatchTask id %lld not found",
		(long long)id);
}

void api_error_unauthorized(struct api_error *e, const char *type,
		const char *message) {
	*e = (struct api_error){ .status = 401, .n = 4, .fields = {
		FIELD_TRUE("Error"),
		FIELD_S("ErrorType", type),
		FIELD_S("Message", message),
		FIELD_S("ErrorSource", "SuperOffice.Services.WebApi"),
	} };
}

void api_error_method(struct api_error *e) {
	*e = (struct api_error){ .status = 405, .n = 1, .fields = {
		FIELD_S("Message", "The requested resource does not support "
			"this HTTP method."),
	} };
}

void api_error_not_implemented(struct api_error *e, const char *message) {
	*e = (struct api_error){ .status = 501, .n = 4, .fields = {
		FIELD_TRUE("Error"),
		FIELD_S("ErrorType", "NotImplementedException"),
		FIELD_S("Message", message),
		FIELD_S("ErrorSource", "SuperOffice.Services.WebApi"),
	} };
}

void api_error_too_large(struct api_error *e) {
	*e = (struct api_error){ .status = 413, .n = 1, .fields = {
		FIELD_S("Message", "The request body is larger than 1 MiB."),
	} };
}

void api_error_sandbox_full(struct api_error *e) {
	*e = (struct api_error){ .status = 503, .n = 1, .fields = {
		FIELD_S("Message", "Too many sandboxes (--sandbox-max); drop "
			"one with DELETE /__somock/sandboxes/NAME."),
	} };
}

void api_error_sandbox_memory(struct api_error *e) {
	*e = (struct api_error){ .status = 503, .n = 1, .fields = {
		FIELD_S("Message", "The sandboxes' memory limit "
			"(--sandbox-memory) is reached; drop one with DELETE "
			"/__somock/sandboxes/NAME."),
	} };
}

/* errno -> status: the one table where internal errors become statuses */
void api_error_internal(struct api_error *e, int err) {
	static const struct {
		int err;
		int status;
		const char *type;
	} map[] = {
		{ -ENOMEM, 503, "OutOfMemoryException" },
		{ -EIO, 500, "SoDatabaseException" },
	};
	int status = 500;
	const char *type = "Exception";
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].err == err) {
			status = map[i].status;
			type = map[i].type;
		}
	}
	log_error("request failed: %s", strerror(-err));
	*e = (struct api_error){ .status = status, .n = 4, .fields = {
		FIELD_TRUE("Error"),
		FIELD_S("ErrorType", type),
		FIELD_S("ErrorMessage", "somock could not answer this request"),
		FIELD_S("ErrorSource", "SuperOffice.Services.Implementation"),
	} };
}

void api_error_fault(struct api_error *e, int status, const char *type,
		const char *message) {
	*e = (struct api_error){ .status = status, .n = 4, .fields = {
		FIELD_TRUE("Error"),
		FIELD_S("ErrorType", type && *type ? type :
			"SoFaultInjectedException"),
		FIELD_S("Message", message && *message ? message :
			"fault injected by somock"),
		FIELD_S("ErrorSource", "SuperOffice.Services.WebApi"),
	} };
}

#undef FIELD_S
#undef FIELD_TRUE

static const char *const content_types[MEDIA_COUNT] = {
	[MEDIA_JSON] = "application/json; charset=utf-8",
	[MEDIA_TEXT_JSON] = "text/json; charset=utf-8",
	[MEDIA_XML] = "application/xml; charset=utf-8",
	[MEDIA_TEXT_XML] = "text/xml; charset=utf-8",
	[MEDIA_JSON_PATCH] = "application/json-patch+json; charset=utf-8",
	[MEDIA_MERGE_PATCH] = "application/merge-patch+json; charset=utf-8",
};

static const char *media_content_type(enum media_type media) {
	return content_types[media < MEDIA_COUNT ? media : MEDIA_JSON];
}

void api_common_headers(struct http_response *resp, enum media_type media) {
	resp->content_type = media_content_type(media);
	http_response_header(resp, "Cache-Control", "no-cache");
	http_response_header(resp, "Pragma", "no-cache");
	http_response_header(resp, "Expires", "-1");
	http_response_header(resp, "Vary", "Accept, Accept-Encoding, "
		"Accept-Language, SO-Language, SO-TimeZone");
}

/*
 * The access log's reason: the body's message (Message, or ErrorMessage
 * in the Services' shape), and MessageDetail.
 */
static void set_reason(struct http_response *resp, const struct api_error *e) {
	const char *message = NULL, *detail = NULL;
	for (size_t i = 0; i < e->n; i++) {
		const struct api_field *f = &e->fields[i];
		if (f->kind != API_VALUE_STRING || !f->str) {
			continue;
		}
		if (!strcmp(f->key, "Message") ||
				!strcmp(f->key, "ErrorMessage")) {
			message = f->str;
		} else if (!strcmp(f->key, "MessageDetail")) {
			detail = f->str;
		}
	}
	if (message) {
		snprintf(resp->reason, sizeof(resp->reason), "%s%s%s", message,
			detail ? " " : "", detail ? detail : "");
	}
}

void api_error_write(struct http_response *resp, enum media_type media,
		const struct api_error *e) {
	const struct render_ops *ops = media_type_is_xml(media) ?
		&render_xml_ops : &render_json_ops;
	struct strbuf sb;
	strbuf_init(&sb, 65536);
	ops->error(&sb, e);
	if (!strbuf_ok(&sb)) {
		strbuf_finish(&sb);
		http_response_json(resp, 500, NULL);
		return;
	}
	free(resp->body);
	resp->body = strbuf_detach(&sb, &resp->body_len);
	resp->status = e->status;
	api_common_headers(resp, media);
	set_reason(resp, e);
}

void api_error_answer(const struct http_request *req,
		struct http_response *resp, const struct api_error *e) {
	const char *accept = http_header(req, "Accept");
	api_error_write(resp, negotiate_accept(accept, accept ?
		strlen(accept) : 0), e);
}
