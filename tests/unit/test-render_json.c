#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model.h"
#include "render.h"
#include "strbuf.h"
#include "tap.h"
#include "ticks.h"
#include "tz.h"

static char *render_tasks(const struct render_ctx *ctx,
		const struct task *t, size_t n) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	render_json_ops.tasks(&sb, ctx, t, n);
	return strbuf_ok(&sb) ? strbuf_detach(&sb, NULL) : NULL;
}

int main(void) {
	struct tz_db *db = tz_db_create(NULL);
	const struct tz_zone *utc = tz_db_lookup(db, "UTC", 3);
	const struct tz_zone *oslo = tz_db_lookup(db, "NO", 2);
	tap_ok(db && utc && oslo, "zones");
	struct render_ctx ctx = { .zone = utc };
	/* 2020-01-22T16:54:08.6793184Z */
	int64_t t1 = TICKS_UNIX_EPOCH + INT64_C(1579712048) *
		TICKS_PER_SECOND + 6793184;
	struct task t = {
		.id = 878, .name = "Grimes-Jacobi", .associate_id = 53,
		.details_table = 574, .details_record = 546,
		.is_internal_task = true,
		.parameter_object = "{\"b\":\"2\",\"a\":\"1\"}",
		.last_started = t1, .created = 0, .start_count = 859,
		.database_serial_number = "146286", .context = NULL,
		.result = "quote \" backslash \\ tab \t ctl \x01 ø 😀",
		.state = TASK_STATE_ALL, .description = "",
		.progress_percent = 416, .cancellation = 2,
		.table_right = "{\"Mask\":\"FULL\",\"Reason\":\"\"}",
		.field_properties = "{}",
	};
	char *got = render_tasks(&ctx, &t, 1);
	tap_str(got, "[{\"Id\":878,\"Name\":\"Grimes-Jacobi\",\"AssociateId\":53,"
		"\"DetailsTable\":574,\"DetailsRecord\":546,\"IsSystemTask\":false,"
		"\"IsInternalTask\":true,\"ParameterObject\":{\"b\":\"2\",\"a\":\"1\"},"
		"\"LastStarted\":\"2020-01-22T16:54:08.6793184Z\","
		"\"Created\":\"0001-01-01T00:00:00\",\"StartCount\":859,"
		"\"DatabaseSerialNumber\":\"146286\",\"Context\":null,"
		"\"Result\":\"quote \\\" backslash \\\\ tab \\t ctl \\u0001 ø 😀\","
		"\"State\":\"All\",\"Description\":\"\",\"Response\":null,"
		"\"Request\":null,\"ProgressDescription\":null,"
		"\"ProgressPercent\":416,\"FileName\":null,"
		"\"CancellationBehaviour\":\"CannotCancel\","
		"\"TableRight\":{\"Mask\":\"FULL\",\"Reason\":\"\"},"
		"\"FieldProperties\":{}}]",
		"one task, every field, compact, in order, escaped");
	free(got);

	ctx.zone = oslo;
	t.state = 77;
	t.cancellation = 9;
	t.parameter_object = NULL;
	t.field_properties = NULL;
	got = render_tasks(&ctx, &t, 1);
	json_t *v = got ? json_loads(got, 0, NULL) : NULL;
	json_t *o = json_array_get(v, 0);
	tap_str(json_string_value(json_object_get(o, "LastStarted")),
		"2020-01-22T17:54:08.6793184+01:00", "dates in the zone");
	tap_ok(json_integer_value(json_object_get(o, "State")) == 77,
		"a state with no name renders as its number");
	tap_ok(json_integer_value(json_object_get(o, "CancellationBehaviour")) ==
		9, "likewise the cancellation behaviour");
	tap_ok(json_is_null(json_object_get(o, "ParameterObject")) &&
		json_is_null(json_object_get(o, "FieldProperties")),
		"stored nulls stay null");
	json_decref(v);
	free(got);

	/* escapes as jansson writes them; bytes that are not UTF-8 (only a
	 * foreign --db can hold them) become U+FFFD so the JSON stays valid */
	struct task odd = { .id = 1, .name = "\x1f\x7f\xe2\x80\xa8/\xff\xc3",
		.state = 1 };
	got = render_tasks(&ctx, &odd, 1);
	v = got ? json_loads(got, 0, NULL) : NULL;
	tap_ok(v != NULL, "output with odd bytes is valid JSON");
	tap_ok(got && strstr(got, "\"Name\":\"\\u001F\x7f\xe2\x80\xa8/"
		"\xef\xbf\xbd\xef\xbf\xbd\""), "\\u001F upper case, DEL and "
		"U+2028 raw, each bad byte U+FFFD");
	json_t *jv = json_string("\x1f\x7f\xe2\x80\xa8/");
	char *jd = json_dumps(jv, JSON_ENCODE_ANY | JSON_COMPACT);
	if (jd) {
		jd[strlen(jd) - 1] = '\0'; /* the valid part: no closing quote */
	}
	tap_ok(got && jd && strstr(got, jd),
		"the same escapes as jansson's own output");
	free(jd);
	json_decref(jv);
	json_decref(v);
	free(got);

	got = render_tasks(&ctx, NULL, 0);
	tap_str(got, "[]", "no tasks: []");
	free(got);

	struct task many[3] = { t, t, t };
	many[1].id = 879;
	many[2].id = 880;
	got = render_tasks(&ctx, many, 3);
	v = got ? json_loads(got, 0, NULL) : NULL;
	tap_ok(json_array_size(v) == 3 && json_integer_value(json_object_get(
		json_array_get(v, 2), "Id")) == 880, "three tasks in order");
	json_decref(v);
	free(got);

	struct strbuf sb;
	strbuf_init(&sb, 4096);
	render_json_ops.task(&sb, &ctx, NULL);
	tap_str(sb.data, "null", "a missing single task is null (Agents)");
	strbuf_finish(&sb);

	struct api_error e = { .status = 404, .n = 4, .fields = {
		{ "Error", API_VALUE_BOOL, NULL, true },
		{ "ErrorType", API_VALUE_STRING, "SoNotFoundException", false },
		{ "ErrorMessage", API_VALUE_STRING, "BatchTask id 7 not found",
			false },
		{ "ErrorSource", API_VALUE_STRING,
			"SuperOffice.Services.Implementation", false },
	} };
	strbuf_init(&sb, 4096);
	render_json_ops.error(&sb, &e);
	tap_str(sb.data, "{\"Error\":true,\"ErrorType\":\"SoNotFoundException\","
		"\"ErrorMessage\":\"BatchTask id 7 not found\","
		"\"ErrorSource\":\"SuperOffice.Services.Implementation\"}",
		"the SuperOffice error shape");
	strbuf_finish(&sb);

	strbuf_init(&sb, 64);
	render_json_ops.tasks(&sb, &ctx, many, 3);
	tap_ok(!strbuf_ok(&sb), "a body past the buffer cap fails cleanly");
	strbuf_finish(&sb);
	tz_db_destroy(db);
	return tap_done();
}
