/*
 * server/api/render.h: the response body renderers, one module per format
 * (render_json.c, render_xml.c) behind one ops struct. Renderers only
 * format: strings arrive already translated, dates as ticks to be shown in
 * ctx->zone the way ctx->date_flags says. They append to a strbuf and report failure (out of memory,
 * past the buffer cap) through strbuf_ok(); they never touch the store.
 * Thread-safe.
 */
#ifndef SERVER_RENDER_H
#define SERVER_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "tz_format.h"

struct strbuf;
struct task;
struct tz_zone;

struct render_ctx {
	const struct tz_zone *zone;  /* borrowed; dates are shown in it */
	enum tz_format_flags date_flags;  /* how, for tz_format_with() */
};

/* One member of a SuperOffice error body, in order. */
enum api_value_kind {
	API_VALUE_STRING,
	API_VALUE_BOOL,
};

struct api_field {
	const char *key;
	enum api_value_kind kind;
	const char *str;   /* API_VALUE_STRING; borrowed */
	bool b;            /* API_VALUE_BOOL */
};

#define API_ERROR_MAX_FIELDS 6

/* Built by the constructors in errors.h, the one place that says them. */
struct api_error {
	int status;
	size_t n;
	struct api_field fields[API_ERROR_MAX_FIELDS];
	char text[2400];   /* room for the one formatted field, if any */
};

struct render_ops {
	/* the whole array carrier (ArrayOfBatchTaskInfo) */
	void (*tasks)(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *tasks, size_t n);
	/* one carrier; @task NULL renders the null value (Agents) */
	void (*task)(struct strbuf *out, const struct render_ctx *ctx,
		const struct task *task);
	/* an error body in SuperOffice's shapes */
	void (*error)(struct strbuf *out, const struct api_error *err);
};

extern const struct render_ops render_json_ops;

/*
 * The members of one carrier in DataContract XML order (TableRight,
 * FieldProperties, Id, ... CancellationBehaviour), with no element around
 * them and no namespace declarations: for a wrapper of the caller's (a
 * SOAP <Response>). The Services88 namespace must be the default there.
 */
void render_xml_members(struct strbuf *out, const struct render_ctx *ctx,
	const struct task *task);
extern const struct render_ops render_xml_ops;

#endif
