#include "build-config.h"

#include <stdint.h>
#include <string.h>

#include "model.h"
#include "render.h"
#include "strbuf.h"
#include "tap.h"
#include "xml.h"

#define NS " xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"" \
	" xmlns=\"http://www.superoffice.net/ws/crm/NetServer/Services88\""
#define FFFD "\xef\xbf\xbd"

/* zone NULL is UTC ("Z") in tz_format */
static const struct render_ctx ctx = { .zone = NULL };

/* ---- escaping ------------------------------------------------------ */

static void esc(const char *in, size_t n, bool attr, const char *want,
		const char *what) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 16);
	if (attr) {
		xml_escape_attr(&sb, in, n);
	} else {
		xml_escape(&sb, in, n);
	}
	tap_ok(strbuf_ok(&sb), "%s: buffer ok", what);
	tap_str(sb.data ? sb.data : "", want, "%s", what);
	strbuf_finish(&sb);
}

#define ESC(in, want, what) esc(in, sizeof(in) - 1, false, want, what)
#define ESC_ATTR(in, want, what) esc(in, sizeof(in) - 1, true, want, what)

static void test_escape(void) {
	ESC("", "", "empty");
	ESC("plain text", "plain text", "plain");
	ESC("a<b&c>d", "a&lt;b&amp;c&gt;d", "markup characters");
	ESC("x]]>y", "x]]&gt;y", "CDATA end");
	ESC("&amp;", "&amp;amp;", "entity text is data");
	ESC("\"quoted\" 'single'", "\"quoted\" 'single'", "quotes in text");
	ESC_ATTR("\"quoted\" 'single'", "&quot;quoted&quot; 'single'",
		"quotes in attribute");
	ESC("a\r\nb\tc", "a&#xD;\nb\tc", "CR, LF, tab in text");
	ESC_ATTR("a\r\nb\tc", "a&#xD;&#xA;b&#x9;c", "CR, LF, tab in attribute");
	ESC("\x01" "a\x1f\x7f", FFFD "a" FFFD "\x7f", "C0 controls, DEL kept");
	ESC("a\0b", "a" FFFD "b", "NUL");
	ESC("\x0b\x0c\x1b", FFFD FFFD FFFD, "VT FF ESC");
	ESC("\xf0\x9f\x98\x80 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",
		"\xf0\x9f\x98\x80 \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "emoji");
	ESC("Leverand\xc3\xb8r \xe2\x82\xac", "Leverand\xc3\xb8r \xe2\x82\xac",
		"Latin-1 and euro");
	ESC("\xc2\x85", "\xc2\x85", "C1 NEL allowed");
	ESC("\xef\xbf\xbe|\xef\xbf\xbf|\xef\xbf\xbd",
		FFFD "|" FFFD "|" FFFD, "U+FFFE, U+FFFF; U+FFFD kept");
	ESC("\xed\xa0\x80", FFFD FFFD FFFD, "lone high surrogate");
	ESC("\xed\xbf\xbf", FFFD FFFD FFFD, "lone low surrogate");
	ESC("\xc0\xaf", FFFD FFFD, "overlong slash");
	ESC("\xe0\x80\xaf", FFFD FFFD FFFD, "3-byte overlong");
	ESC("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, "past U+10FFFF");
	ESC("\xff\xfe", FFFD FFFD, "bytes never in UTF-8");
	ESC("a\x80" "b", "a" FFFD "b", "stray continuation");
	ESC("ab\xe2\x82", "ab" FFFD FFFD, "truncated at end");
	ESC("\xe2\x82<", FFFD FFFD "&lt;", "truncated before markup");
	ESC("\xf0\x9f\x98", FFFD FFFD FFFD, "truncated emoji");
	/* only the slice is read */
	struct strbuf sb;
	strbuf_init(&sb, 64);
	xml_escape(&sb, "ab<cd", 3);
	tap_str(sb.data, "ab&lt;", "length bounds the input");
	strbuf_finish(&sb);
	/* past the cap: failure is recorded */
	strbuf_init(&sb, 8);
	xml_escape(&sb, "<<<<<<<<", 8);
	tap_ok(!strbuf_ok(&sb), "cap exceeded is reported");
	strbuf_finish(&sb);
}

/* ---- tasks ----------------------------------------------------------- */

/* The seed page's sample (dates in UTC: somock stores instants). */
static struct task seed_task(void) {
	struct task t = {
		.id = 878,
		.name = "Grimes-Jacobi",
		.associate_id = 53,
		.details_table = 574,
		.details_record = 546,
		.is_system_task = false,
		.is_internal_task = true,
		.parameter_object = "{\"ParameterObject1\": \"quia\", "
			"\"ParameterObject2\": \"et\"}",
		.last_started = 637153088486793184,
		.created = 636133532480000000,
		.start_count = 859,
		.database_serial_number = "146286",
		.context = "sapiente",
		.result = "sint",
		.state = TASK_STATE_ALL,
		.description = "Multi-tiered clear-thinking service-desk",
		.response = "a",
		.request = "rerum",
		.progress_description =
			"Distributed context-sensitive implementation",
		.progress_percent = 416,
		.file_name = "Mayert, Roob and Corkery",
		.cancellation = TASK_CANCEL_CAN_CANCEL,
		.table_right = NULL,
		.field_properties = "{\"fieldName\": {\"FieldRight\": null, "
			"\"FieldType\": \"System.Int32\", \"FieldLength\": 57}}",
	};
	return t;
}

static const char seed_members[] =
	"<TableRight i:nil=\"true\"/>"
	"<FieldProperties><FieldPropertyDictionaryKeyValuePair>"
	"<Key>fieldName</Key><Value><FieldRight i:nil=\"true\"/>"
	"<FieldType>System.Int32</FieldType><FieldLength>57</FieldLength>"
	"</Value></FieldPropertyDictionaryKeyValuePair></FieldProperties>"
	"<Id>878</Id><Name>Grimes-Jacobi</Name><AssociateId>53</AssociateId>"
	"<DetailsTable>574</DetailsTable><DetailsRecord>546</DetailsRecord>"
	"<IsSystemTask>false</IsSystemTask>"
	"<IsInternalTask>true</IsInternalTask>"
	"<ParameterObject><StringKeyValuePair><Key>ParameterObject1</Key>"
	"<Value>quia</Value></StringKeyValuePair><StringKeyValuePair>"
	"<Key>ParameterObject2</Key><Value>et</Value></StringKeyValuePair>"
	"</ParameterObject>"
	"<LastStarted>2020-01-22T16:54:08.6793184Z</LastStarted>"
	"<Created>2016-10-29T15:54:08Z</Created>"
	"<StartCount>859</StartCount>"
	"<DatabaseSerialNumber>146286</DatabaseSerialNumber>"
	"<Context>sapiente</Context><Result>sint</Result><State>All</State>"
	"<Description>Multi-tiered clear-thinking service-desk</Description>"
	"<Response>a</Response><Request>rerum</Request>"
	"<ProgressDescription>Distributed context-sensitive implementation"
	"</ProgressDescription><ProgressPercent>416</ProgressPercent>"
	"<FileName>Mayert, Roob and Corkery</FileName>"
	"<CancellationBehaviour>CanCancel</CancellationBehaviour>";

/* Everything nullable null, a table right, unset dates. */
static struct task null_task(void) {
	struct task t = {
		.id = 7,
		.state = TASK_STATE_FAILED,
		.cancellation = TASK_CANCEL_CANNOT_CANCEL,
		.table_right = "{\"Mask\": \"RI, RestrictedUpdate\", "
			"\"Reason\": \"[SR_ACCESS_ASSOCCONT_DELETE]\"}",
	};
	return t;
}

static const char null_members[] =
	"<TableRight><Mask>Select Insert RestrictedUpdate</Mask>"
	"<Reason>[SR_ACCESS_ASSOCCONT_DELETE]</Reason></TableRight>"
	"<FieldProperties i:nil=\"true\"/>"
	"<Id>7</Id><Name i:nil=\"true\"/><AssociateId>0</AssociateId>"
	"<DetailsTable>0</DetailsTable><DetailsRecord>0</DetailsRecord>"
	"<IsSystemTask>false</IsSystemTask>"
	"<IsInternalTask>false</IsInternalTask>"
	"<ParameterObject i:nil=\"true\"/>"
	"<LastStarted>0001-01-01T00:00:00</LastStarted>"
	"<Created>0001-01-01T00:00:00</Created>"
	"<StartCount>0</StartCount>"
	"<DatabaseSerialNumber i:nil=\"true\"/>"
	"<Context i:nil=\"true\"/><Result i:nil=\"true\"/><State>Failed</State>"
	"<Description i:nil=\"true\"/><Response i:nil=\"true\"/>"
	"<Request i:nil=\"true\"/><ProgressDescription i:nil=\"true\"/>"
	"<ProgressPercent>0</ProgressPercent><FileName i:nil=\"true\"/>"
	"<CancellationBehaviour>CannotCancel</CancellationBehaviour>";

static void check_tasks(const struct task *tasks, size_t n, const char *want,
		const char *what) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	render_xml_ops.tasks(&sb, &ctx, tasks, n);
	tap_ok(strbuf_ok(&sb), "%s: buffer ok", what);
	tap_str(sb.data, want, "%s", what);
	strbuf_finish(&sb);
}

static void check_task(const struct task *task, const char *want,
		const char *what) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	render_xml_ops.task(&sb, &ctx, task);
	tap_ok(strbuf_ok(&sb), "%s: buffer ok", what);
	tap_str(sb.data, want, "%s", what);
	strbuf_finish(&sb);
}

/* Render one task and compare the members between the item tags. */
static void check_members(const struct task *t, const char *want,
		const char *what) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	render_xml_ops.tasks(&sb, &ctx, t, 1);
	static const char head[] = "<ArrayOfBatchTaskInfo" NS ">"
		"<BatchTaskInfo>";
	static const char tail[] = "</BatchTaskInfo></ArrayOfBatchTaskInfo>";
	bool shape = strbuf_ok(&sb) && sb.len >= sizeof(head) + sizeof(tail) &&
		!memcmp(sb.data, head, sizeof(head) - 1) &&
		!strcmp(sb.data + sb.len - (sizeof(tail) - 1), tail);
	tap_ok(shape, "%s: carrier", what);
	if (shape) {
		sb.data[sb.len - (sizeof(tail) - 1)] = '\0';
		tap_str(sb.data + sizeof(head) - 1, want, "%s", what);
	} else {
		tap_diag("got %s", sb.data ? sb.data : "(null)");
	}
	strbuf_finish(&sb);
}

/* The rendered text contains @needle. */
static void check_contains(const struct task *t, const char *needle,
		const char *what) {
	struct strbuf sb;
	strbuf_init(&sb, 1 << 20);
	render_xml_ops.tasks(&sb, &ctx, t, 1);
	bool ok = strbuf_ok(&sb) && strstr(sb.data, needle);
	if (!tap_ok(ok, "%s", what)) {
		tap_diag("want %s", needle);
		tap_diag("got  %s", sb.data ? sb.data : "(null)");
	}
	strbuf_finish(&sb);
}

static void test_tasks(void) {
	check_tasks(NULL, 0, "<ArrayOfBatchTaskInfo" NS "/>", "empty array");
	struct task seed = seed_task();
	check_tasks(&seed, 1, "<ArrayOfBatchTaskInfo" NS "><BatchTaskInfo>"
		"<TableRight i:nil=\"true\"/>"
		"<FieldProperties><FieldPropertyDictionaryKeyValuePair>"
		"<Key>fieldName</Key><Value><FieldRight i:nil=\"true\"/>"
		"<FieldType>System.Int32</FieldType>"
		"<FieldLength>57</FieldLength></Value>"
		"</FieldPropertyDictionaryKeyValuePair></FieldProperties>"
		"<Id>878</Id><Name>Grimes-Jacobi</Name>"
		"<AssociateId>53</AssociateId><DetailsTable>574</DetailsTable>"
		"<DetailsRecord>546</DetailsRecord>"
		"<IsSystemTask>false</IsSystemTask>"
		"<IsInternalTask>true</IsInternalTask><ParameterObject>"
		"<StringKeyValuePair><Key>ParameterObject1</Key>"
		"<Value>quia</Value></StringKeyValuePair><StringKeyValuePair>"
		"<Key>ParameterObject2</Key><Value>et</Value>"
		"</StringKeyValuePair></ParameterObject>"
		"<LastStarted>2020-01-22T16:54:08.6793184Z</LastStarted>"
		"<Created>2016-10-29T15:54:08Z</Created>"
		"<StartCount>859</StartCount>"
		"<DatabaseSerialNumber>146286</DatabaseSerialNumber>"
		"<Context>sapiente</Context><Result>sint</Result>"
		"<State>All</State>"
		"<Description>Multi-tiered clear-thinking service-desk"
		"</Description><Response>a</Response><Request>rerum</Request>"
		"<ProgressDescription>Distributed context-sensitive "
		"implementation</ProgressDescription>"
		"<ProgressPercent>416</ProgressPercent>"
		"<FileName>Mayert, Roob and Corkery</FileName>"
		"<CancellationBehaviour>CanCancel</CancellationBehaviour>"
		"</BatchTaskInfo></ArrayOfBatchTaskInfo>", "seed sample");
	check_members(&seed, seed_members, "seed members");
	struct task nul = null_task();
	check_members(&nul, null_members, "null members");
	struct task two[2] = { seed_task(), null_task() };
	struct strbuf want;
	strbuf_init(&want, 1 << 16);
	strbuf_puts(&want, "<ArrayOfBatchTaskInfo" NS "><BatchTaskInfo>");
	strbuf_puts(&want, seed_members);
	strbuf_puts(&want, "</BatchTaskInfo><BatchTaskInfo>");
	strbuf_puts(&want, null_members);
	strbuf_puts(&want, "</BatchTaskInfo></ArrayOfBatchTaskInfo>");
	check_tasks(two, 2, want.data, "two tasks in order");
	strbuf_finish(&want);

	/* the single-carrier op */
	strbuf_init(&want, 1 << 16);
	strbuf_puts(&want, "<BatchTaskInfo" NS ">");
	strbuf_puts(&want, null_members);
	strbuf_puts(&want, "</BatchTaskInfo>");
	check_task(&nul, want.data, "one task");
	strbuf_finish(&want);
	check_task(NULL, "<BatchTaskInfo i:nil=\"true\"" NS "/>", "null task");
}

static void test_rights(void) {
	struct task t = null_task();
	t.table_right = "{\"Mask\": \"FULL\", \"Reason\": null}";
	check_contains(&t, "<TableRight><Mask>Select Update Insert Delete</Mask>"
		"<Reason i:nil=\"true\"/></TableRight><FieldProperties",
		"FULL, nil reason");
	t.table_right = "{\"Mask\":\"Delete,  Filtering,Insert ,Select\","
		"\"Reason\":\"\"}";
	check_contains(&t, "<TableRight><Mask>Select Insert Delete Filtering"
		"</Mask><Reason></Reason></TableRight>", "mask list, empty reason");
	t.table_right = "{\"Reason\": \"x\"}";
	check_contains(&t, "<TableRight><Mask/><Reason>x</Reason>",
		"a missing mask is 0: an empty list");
	t.table_right = "{\"Mask\": 5, \"Reason\": \"x\"}";
	check_contains(&t, "<TableRight><Mask>Select Insert</Mask>",
		"a numeric mask (an older file) as the XSD's flags");
	t.table_right = "{}";
	check_contains(&t, "<TableRight><Mask/><Reason i:nil=\"true\"/>"
		"</TableRight>", "an empty object: no mask, no reason");
	t.table_right = "{ }";
	check_contains(&t, "<TableRight><Mask/><Reason i:nil=\"true\"/>"
		"</TableRight>", "the same, not in the stored form");
	t.table_right = "null";
	check_contains(&t, "<TableRight i:nil=\"true\"/>", "JSON null");
	t.table_right = "not json";
	check_contains(&t, "<TableRight i:nil=\"true\"/>", "bad JSON is nil");
	t.table_right = NULL;

	t.field_properties = "{}";
	check_contains(&t, "<TableRight i:nil=\"true\"/><FieldProperties/>"
		"<Id>", "empty FieldProperties");
	t.field_properties = "{\"Name\": {\"FieldRight\": {\"Mask\": "
		"\"Update, UIHintMandatory\", \"Reason\": "
		"\"[SR_MANDATORY_FIELD_2817]\"}, \"FieldType\": null, "
		"\"FieldLength\": -1}, \"a<b\": {\"FieldRight\": null, "
		"\"FieldType\": \"SuperOffice.CRM.Services.ProjectMember[]\", "
		"\"FieldLength\": 0}, \"z\": null}";
	check_contains(&t, "<FieldProperties>"
		"<FieldPropertyDictionaryKeyValuePair><Key>Name</Key><Value>"
		"<FieldRight><Mask>Read Write UIHintMandatory</Mask>"
		"<Reason>[SR_MANDATORY_FIELD_2817]</Reason></FieldRight>"
		"<FieldType i:nil=\"true\"/><FieldLength>-1</FieldLength>"
		"</Value></FieldPropertyDictionaryKeyValuePair>"
		"<FieldPropertyDictionaryKeyValuePair><Key>a&lt;b</Key><Value>"
		"<FieldRight i:nil=\"true\"/>"
		"<FieldType>SuperOffice.CRM.Services.ProjectMember[]</FieldType>"
		"<FieldLength>0</FieldLength></Value>"
		"</FieldPropertyDictionaryKeyValuePair>"
		"<FieldPropertyDictionaryKeyValuePair><Key>z</Key>"
		"<Value i:nil=\"true\"/></FieldPropertyDictionaryKeyValuePair>"
		"</FieldProperties><Id>", "field properties in stored order");
	t.field_properties = "{ }";
	check_contains(&t, "<FieldProperties/>", "empty FieldProperties, "
		"not in the stored form");
	t.field_properties = "[1]";
	check_contains(&t, "<FieldProperties i:nil=\"true\"/>",
		"array is nil");
}

static void test_parameters(void) {
	struct task t = null_task();
	t.parameter_object = "{}";
	check_contains(&t, "<ParameterObject/>", "empty ParameterObject");
	t.parameter_object = "{\"k&\": \"v<\\u0000>\", \"n\": null, "
		"\"i\": 42, \"o\": {\"a\": [1, true]}}";
	check_contains(&t, "<ParameterObject>"
		"<StringKeyValuePair><Key>k&amp;</Key><Value>v&lt;" FFFD "&gt;"
		"</Value></StringKeyValuePair>"
		"<StringKeyValuePair><Key>n</Key><Value i:nil=\"true\"/>"
		"</StringKeyValuePair>"
		"<StringKeyValuePair><Key>i</Key><Value>42</Value>"
		"</StringKeyValuePair>"
		"<StringKeyValuePair><Key>o</Key><Value>{\"a\":[1,true]}</Value>"
		"</StringKeyValuePair></ParameterObject>",
		"ParameterObject values: escaped, NUL, null, number, object");
}

static void test_fields(void) {
	struct task t = null_task();
	t.name = "Tom & Jerry <b>\"bold\"</b> ]]> \r\n\x01 "
		"\xf0\x9f\x98\x80 \xc3\x28";
	check_contains(&t, "<Name>Tom &amp; Jerry &lt;b&gt;\"bold\"&lt;/b&gt;"
		" ]]&gt; &#xD;\n" FFFD " \xf0\x9f\x98\x80 " FFFD "(</Name>",
		"escaping in a field");
	t.name = "";
	check_contains(&t, "<Name></Name>", "empty string is not nil");
	t.state = 42;
	t.cancellation = -1;
	check_contains(&t, "<State>42</State>", "unknown state as number");
	check_contains(&t, "<CancellationBehaviour>-1</CancellationBehaviour>",
		"unknown cancellation as number");
	t.state = TASK_STATE_AQUIRED;
	t.cancellation = TASK_CANCEL_WITH_WARNING;
	check_contains(&t, "<State>Aquired</State>", "state name");
	check_contains(&t, "<CancellationBehaviour>CancelWithWarning"
		"</CancellationBehaviour>", "cancellation name");
	t.id = INT64_C(2147483647);
	t.associate_id = -1;
	check_contains(&t, "<Id>2147483647</Id><Name></Name>"
		"<AssociateId>-1</AssociateId>", "integers");
	t.is_system_task = true;
	check_contains(&t, "<IsSystemTask>true</IsSystemTask>", "bool true");
	t.created = 3155378975999999999;
	check_contains(&t, "<Created>9999-12-31T23:59:59.9999999Z</Created>",
		"max date");
}

static void test_error(void) {
	struct api_error err = {
		.status = 404,
		.n = 5,
		.fields = {
			{ .key = "Error", .kind = API_VALUE_BOOL, .b = true },
			{ .key = "ErrorType", .kind = API_VALUE_STRING,
				.str = "SoNotFoundException" },
			{ .key = "ErrorMessage", .kind = API_VALUE_STRING,
				.str = "BatchTask id <7> & \"more\"" },
			{ .key = "ErrorSource", .kind = API_VALUE_STRING,
				.str = NULL },
			{ .key = "Flag", .kind = API_VALUE_BOOL, .b = false },
		},
	};
	struct strbuf sb;
	strbuf_init(&sb, 1 << 16);
	render_xml_ops.error(&sb, &err);
	tap_str(sb.data, "<Error xmlns:i=\"http://www.w3.org/2001/"
		"XMLSchema-instance\"><Error>true</Error>"
		"<ErrorType>SoNotFoundException</ErrorType>"
		"<ErrorMessage>BatchTask id &lt;7&gt; &amp; \"more\"</ErrorMessage>"
		"<ErrorSource i:nil=\"true\"/><Flag>false</Flag></Error>",
		"error body");
	strbuf_finish(&sb);

	struct api_error bad = {
		.status = 400,
		.n = 2,
		.fields = {
			{ .key = "Message", .kind = API_VALUE_STRING,
				.str = "The request is invalid." },
			{ .key = "bad name", .kind = API_VALUE_STRING, .str = "x" },
		},
	};
	strbuf_init(&sb, 1 << 16);
	render_xml_ops.error(&sb, &bad);
	tap_str(sb.data, "<Error xmlns:i=\"http://www.w3.org/2001/"
		"XMLSchema-instance\"><Message>The request is invalid.</Message>"
		"</Error>", "invalid element names are skipped");
	strbuf_finish(&sb);
}

static void test_cap(void) {
	struct task seed = seed_task();
	struct strbuf sb;
	strbuf_init(&sb, 100);
	render_xml_ops.tasks(&sb, &ctx, &seed, 1);
	tap_ok(!strbuf_ok(&sb), "cap failure reported");
	strbuf_finish(&sb);
}

int main(void) {
	test_escape();
	test_tasks();
	test_rights();
	test_parameters();
	test_fields();
	test_error();
	test_cap();
	return tap_done();
}
