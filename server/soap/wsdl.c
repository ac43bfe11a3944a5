#include "build-config.h"
#include "wsdl.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agents.h"
#include "envelope.h"
#include "model.h"
#include "rights.h"
#include "strbuf.h"
#include "xml.h"

#define NS_SER "http://schemas.microsoft.com/2003/10/Serialization/"
#define NS_ARR "http://schemas.microsoft.com/2003/10/Serialization/Arrays"

/* A member of a sequence: <xs:element minOccurs="0" name= .../> */
static void member(struct strbuf *out, const char *name, bool nillable,
		const char *type) {
	strbuf_puts(out, "<xs:element minOccurs=\"0\" name=\"");
	strbuf_puts(out, name);
	strbuf_puts(out, nillable ? "\" nillable=\"true\" type=\"" :
		"\" type=\"");
	strbuf_puts(out, type);
	strbuf_puts(out, "\" />\n");
}

/* DataContract's annotation for a member whose value is not implied. */
static void enum_value(struct strbuf *out, const char *name, int64_t value,
		bool implied) {
	strbuf_puts(out, "<xs:enumeration value=\"");
	strbuf_puts(out, name);
	if (implied) {
		strbuf_puts(out, "\" />\n");
		return;
	}
	strbuf_puts(out, "\"><xs:annotation><xs:appinfo><EnumerationValue "
		"xmlns=\"" NS_SER "\">");
	strbuf_put_i64(out, value);
	strbuf_puts(out, "</EnumerationValue></xs:appinfo></xs:annotation>"
		"</xs:enumeration>\n");
}

/* A global element of the type of the same name, as WCF adds for each. */
static void global(struct strbuf *out, const char *name) {
	strbuf_puts(out, "<xs:element name=\"");
	strbuf_puts(out, name);
	strbuf_puts(out, "\" nillable=\"true\" type=\"tns:");
	strbuf_puts(out, name);
	strbuf_puts(out, "\" />\n");
}

static void simple_enum(struct strbuf *out, const char *name,
		bool (*next)(size_t, const char **, int *)) {
	const char *n;
	int v;
	strbuf_puts(out, "<xs:simpleType name=\"");
	strbuf_puts(out, name);
	strbuf_puts(out, "\"><xs:restriction base=\"xs:string\">\n");
	for (size_t i = 0; next(i, &n, &v); i++) {
		enum_value(out, n, v, v == (int)i);
	}
	strbuf_puts(out, "</xs:restriction></xs:simpleType>\n");
	global(out, name);
}

/* A flags enum: DataContract's xs:list of its single flags. */
static void flags_enum(struct strbuf *out, const char *name,
		enum rights_kind kind) {
	const char *n;
	uint32_t v;
	strbuf_puts(out, "<xs:simpleType name=\"");
	strbuf_puts(out, name);
	strbuf_puts(out, "\"><xs:list><xs:simpleType><xs:restriction "
		"base=\"xs:string\">\n");
	for (size_t i = 0; rights_xsd_member(kind, i, &n, &v); i++) {
		enum_value(out, n, v, i < 32 && v == UINT32_C(1) << i);
	}
	strbuf_puts(out, "</xs:restriction></xs:simpleType></xs:list>"
		"</xs:simpleType>\n");
	global(out, name);
}

/* A DataContract dictionary: key/value items named @item. */
static void dictionary(struct strbuf *out, const char *name,
		const char *item, const char *value_type) {
	strbuf_puts(out, "<xs:complexType name=\"");
	strbuf_puts(out, name);
	strbuf_puts(out, "\"><xs:annotation><xs:appinfo><IsDictionary xmlns=\""
		NS_SER "\">true</IsDictionary></xs:appinfo></xs:annotation>"
		"<xs:sequence><xs:element minOccurs=\"0\" "
		"maxOccurs=\"unbounded\" name=\"");
	strbuf_puts(out, item);
	strbuf_puts(out, "\"><xs:complexType><xs:sequence><xs:element "
		"name=\"Key\" nillable=\"true\" type=\"xs:string\" />"
		"<xs:element name=\"Value\" nillable=\"true\" type=\"");
	strbuf_puts(out, value_type);
	strbuf_puts(out, "\" /></xs:sequence></xs:complexType></xs:element>"
		"</xs:sequence></xs:complexType>\n");
	global(out, name);
}

/* The XSD type of a carrier member. */
static const char *field_type(enum task_field_kind kind) {
	switch (kind) {
	case TASK_FIELD_INT32:
		return "xs:int";
	case TASK_FIELD_INT16:
		return "xs:short";
	case TASK_FIELD_BOOL:
		return "xs:boolean";
	case TASK_FIELD_STRING:
		return "xs:string";
	case TASK_FIELD_DATE:
		return "xs:dateTime";
	case TASK_FIELD_STATE:
		return "tns:BatchTaskState";
	case TASK_FIELD_CANCEL:
		return "tns:BatchTaskCancellationBehaviour";
	case TASK_FIELD_OBJECT:
		return "tns:StringDictionary";
	case TASK_FIELD_TABLE_RIGHT:
		return "tns:TableRight";
	case TASK_FIELD_FIELD_PROPS:
		return "tns:FieldPropertyDictionary";
	}
	return "xs:string";
}

/* The base class Carrier's members: the rights, not the task's own. */
static bool carrier_member(const struct task_field *f) {
	return f->kind == TASK_FIELD_TABLE_RIGHT ||
		f->kind == TASK_FIELD_FIELD_PROPS;
}

/* BatchTaskInfo (extending Carrier) and Carrier, from the field table. */
static void carrier_types(struct strbuf *out) {
	const struct task_field *order[TASK_FIELD_COUNT];
	task_fields_in_order(TASK_ORDER_XML, order);
	strbuf_puts(out, "<xs:complexType name=\"BatchTaskInfo\">"
		"<xs:complexContent mixed=\"false\"><xs:extension "
		"base=\"tns:Carrier\"><xs:sequence>\n");
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		if (!carrier_member(order[i])) {
			member(out, order[i]->name, order[i]->nullable,
				field_type(order[i]->kind));
		}
	}
	strbuf_puts(out, "</xs:sequence></xs:extension></xs:complexContent>"
		"</xs:complexType>\n");
	global(out, "BatchTaskInfo");
	strbuf_puts(out, "<xs:complexType name=\"Carrier\"><xs:sequence>\n");
	for (size_t i = 0; i < TASK_FIELD_COUNT; i++) {
		if (carrier_member(order[i])) {
			member(out, order[i]->name, order[i]->nullable,
				field_type(order[i]->kind));
		}
	}
	strbuf_puts(out, "</xs:sequence></xs:complexType>\n");
	global(out, "Carrier");
}

/* A parameter or result: its XSD type, and whether it may be nil. */
static const char *param_type(enum agent_type type, bool *nillable) {
	*nillable = true;
	switch (type) {
	case AGENT_TYPE_INT32:
		*nillable = false;
		return "xs:int";
	case AGENT_TYPE_BOOL:
		*nillable = false;
		return "xs:boolean";
	case AGENT_TYPE_STATE:
		*nillable = false;
		return "tns:BatchTaskState";
	case AGENT_TYPE_STRING:
		return "xs:string";
	case AGENT_TYPE_INT32_ARRAY:
		return "arr:ArrayOfint";
	case AGENT_TYPE_CARRIER:
		return "tns:BatchTaskInfo";
	case AGENT_TYPE_CARRIERS:
		return "tns:ArrayOfBatchTaskInfo";
	case AGENT_TYPE_VOID:
		break;
	}
	return NULL;
}

/* The wrapper elements of one operation: its request and response. */
static void operation_elements(struct strbuf *out, const struct agent_op *op) {
	bool nillable;
	strbuf_puts(out, "<xs:element name=\"");
	strbuf_puts(out, op->name);
	strbuf_puts(out, "\"><xs:complexType><xs:sequence>\n");
	for (size_t i = 0; i < op->n_params; i++) {
		const char *t = param_type(op->params[i].type, &nillable);
		member(out, op->params[i].name, nillable, t);
	}
	strbuf_puts(out, "</xs:sequence></xs:complexType></xs:element>\n");
	strbuf_puts(out, "<xs:element name=\"");
	strbuf_puts(out, op->name);
	strbuf_puts(out, "Response\"><xs:complexType>");
	const char *t = param_type(op->result, &nillable);
	if (!t) {
		strbuf_puts(out, "<xs:sequence />");
	} else {
		strbuf_puts(out, "<xs:sequence>\n");
		member(out, "Response", nillable, t);
		strbuf_puts(out, "</xs:sequence>");
	}
	strbuf_puts(out, "</xs:complexType></xs:element>\n");
}

/* NetServer's fixed types: the headers, rights, exceptions, extra info. */
static const char fixed_types[] =
	"<xs:element name=\"ApplicationToken\" nillable=\"true\" "
	"type=\"xs:string\" />\n"
	"<xs:complexType name=\"SoCredentials\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" name=\"Ticket\" nillable=\"true\" "
	"type=\"xs:string\" /></xs:sequence></xs:complexType>\n"
	"<xs:element name=\"SoCredentials\" nillable=\"true\" "
	"type=\"tns:SoCredentials\" />\n"
	"<xs:element name=\"Credentials\" nillable=\"true\" "
	"type=\"tns:SoCredentials\" />\n"
	"<xs:complexType name=\"SoTimeZone\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" name=\"SoTimeZoneId\" type=\"xs:int\" />"
	"<xs:element minOccurs=\"0\" name=\"SoTimeZoneLocationCode\" "
	"nillable=\"true\" type=\"xs:string\" /></xs:sequence>"
	"</xs:complexType>\n"
	"<xs:element name=\"SoTimeZone\" nillable=\"true\" "
	"type=\"tns:SoTimeZone\" />\n"
	"<xs:element name=\"TimeZone\" nillable=\"true\" "
	"type=\"tns:SoTimeZone\" />\n"
	"<xs:complexType name=\"TableRight\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" name=\"Mask\" type=\"tns:ETableRight\" />"
	"<xs:element minOccurs=\"0\" name=\"Reason\" nillable=\"true\" "
	"type=\"xs:string\" /></xs:sequence></xs:complexType>\n"
	"<xs:element name=\"TableRight\" nillable=\"true\" "
	"type=\"tns:TableRight\" />\n"
	"<xs:complexType name=\"FieldProperty\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" name=\"FieldRight\" nillable=\"true\" "
	"type=\"tns:FieldRight\" />"
	"<xs:element minOccurs=\"0\" name=\"FieldType\" nillable=\"true\" "
	"type=\"xs:string\" />"
	"<xs:element minOccurs=\"0\" name=\"FieldLength\" type=\"xs:int\" />"
	"</xs:sequence></xs:complexType>\n"
	"<xs:element name=\"FieldProperty\" nillable=\"true\" "
	"type=\"tns:FieldProperty\" />\n"
	"<xs:complexType name=\"FieldRight\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" name=\"Mask\" type=\"tns:EFieldRight\" />"
	"<xs:element minOccurs=\"0\" name=\"Reason\" nillable=\"true\" "
	"type=\"xs:string\" /></xs:sequence></xs:complexType>\n"
	"<xs:element name=\"FieldRight\" nillable=\"true\" "
	"type=\"tns:FieldRight\" />\n"
	"<xs:complexType name=\"SoExceptionInfo\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" name=\"Message\" nillable=\"true\" "
	"type=\"xs:string\" />"
	"<xs:element minOccurs=\"0\" name=\"StackTrace\" nillable=\"true\" "
	"type=\"xs:string\" />"
	"<xs:element minOccurs=\"0\" name=\"FriendlyText\" nillable=\"true\" "
	"type=\"xs:string\" />"
	"<xs:element minOccurs=\"0\" name=\"ExceptionType\" nillable=\"true\" "
	"type=\"xs:string\" />"
	"<xs:element minOccurs=\"0\" name=\"Source\" nillable=\"true\" "
	"type=\"xs:string\" />"
	"<xs:element minOccurs=\"0\" name=\"InnerException\" "
	"nillable=\"true\" type=\"tns:SoExceptionInfo\" />"
	"<xs:element minOccurs=\"0\" name=\"Parameters\" nillable=\"true\" "
	"type=\"tns:SoExceptionInfoParameters\" />"
	"</xs:sequence></xs:complexType>\n"
	"<xs:element name=\"SoExceptionInfo\" nillable=\"true\" "
	"type=\"tns:SoExceptionInfo\" />\n";

static const char fixed_headers[] =
	"<xs:element name=\"ExceptionInfo\" nillable=\"true\" "
	"type=\"tns:SoExceptionInfo\" />\n"
	"<xs:element name=\"ExtraInfo\" nillable=\"true\" "
	"type=\"tns:SoExtraInfo\" />\n"
	"<xs:element name=\"Succeeded\" type=\"xs:boolean\" />\n"
	"<xs:complexType name=\"ArrayOfBatchTaskInfo\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" maxOccurs=\"unbounded\" "
	"name=\"BatchTaskInfo\" nillable=\"true\" type=\"tns:BatchTaskInfo\" />"
	"</xs:sequence></xs:complexType>\n"
	"<xs:element name=\"ArrayOfBatchTaskInfo\" nillable=\"true\" "
	"type=\"tns:ArrayOfBatchTaskInfo\" />\n";

/* The two schemas every WCF service imports, as .NET writes them. */
static const char serialization_schemas[] =
	"<xs:schema attributeFormDefault=\"qualified\" "
	"elementFormDefault=\"qualified\" targetNamespace=\"" NS_SER "\" "
	"xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
	"xmlns:tns=\"" NS_SER "\">\n"
	"<xs:element name=\"anyType\" nillable=\"true\" type=\"xs:anyType\" />\n"
	"<xs:element name=\"anyURI\" nillable=\"true\" type=\"xs:anyURI\" />\n"
	"<xs:element name=\"base64Binary\" nillable=\"true\" "
	"type=\"xs:base64Binary\" />\n"
	"<xs:element name=\"boolean\" nillable=\"true\" type=\"xs:boolean\" />\n"
	"<xs:element name=\"byte\" nillable=\"true\" type=\"xs:byte\" />\n"
	"<xs:element name=\"dateTime\" nillable=\"true\" "
	"type=\"xs:dateTime\" />\n"
	"<xs:element name=\"decimal\" nillable=\"true\" type=\"xs:decimal\" />\n"
	"<xs:element name=\"double\" nillable=\"true\" type=\"xs:double\" />\n"
	"<xs:element name=\"float\" nillable=\"true\" type=\"xs:float\" />\n"
	"<xs:element name=\"int\" nillable=\"true\" type=\"xs:int\" />\n"
	"<xs:element name=\"long\" nillable=\"true\" type=\"xs:long\" />\n"
	"<xs:element name=\"QName\" nillable=\"true\" type=\"xs:QName\" />\n"
	"<xs:element name=\"short\" nillable=\"true\" type=\"xs:short\" />\n"
	"<xs:element name=\"string\" nillable=\"true\" type=\"xs:string\" />\n"
	"<xs:element name=\"unsignedByte\" nillable=\"true\" "
	"type=\"xs:unsignedByte\" />\n"
	"<xs:element name=\"unsignedInt\" nillable=\"true\" "
	"type=\"xs:unsignedInt\" />\n"
	"<xs:element name=\"unsignedLong\" nillable=\"true\" "
	"type=\"xs:unsignedLong\" />\n"
	"<xs:element name=\"unsignedShort\" nillable=\"true\" "
	"type=\"xs:unsignedShort\" />\n"
	"<xs:element name=\"char\" nillable=\"true\" type=\"tns:char\" />\n"
	"<xs:simpleType name=\"char\"><xs:restriction base=\"xs:int\" />"
	"</xs:simpleType>\n"
	"<xs:element name=\"duration\" nillable=\"true\" "
	"type=\"tns:duration\" />\n"
	"<xs:simpleType name=\"duration\"><xs:restriction base=\"xs:duration\">"
	"<xs:pattern value=\"\\-?P(\\d*D)?(T(\\d*H)?(\\d*M)?(\\d*(\\.\\d*)?S)?)?\" />"
	"<xs:minInclusive value=\"-P10675199DT2H48M5.4775808S\" />"
	"<xs:maxInclusive value=\"P10675199DT2H48M5.4775807S\" />"
	"</xs:restriction></xs:simpleType>\n"
	"<xs:element name=\"guid\" nillable=\"true\" type=\"tns:guid\" />\n"
	"<xs:simpleType name=\"guid\"><xs:restriction base=\"xs:string\">"
	"<xs:pattern value=\"[\\da-fA-F]{8}-[\\da-fA-F]{4}-[\\da-fA-F]{4}-"
	"[\\da-fA-F]{4}-[\\da-fA-F]{12}\" /></xs:restriction></xs:simpleType>\n"
	"<xs:attribute name=\"FactoryType\" type=\"xs:QName\" />\n"
	"<xs:attribute name=\"Id\" type=\"xs:ID\" />\n"
	"<xs:attribute name=\"Ref\" type=\"xs:IDREF\" />\n"
	"</xs:schema>\n"
	"<xs:schema elementFormDefault=\"qualified\" "
	"targetNamespace=\"" NS_ARR "\" "
	"xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
	"xmlns:tns=\"" NS_ARR "\">\n"
	"<xs:complexType name=\"ArrayOfint\"><xs:sequence>"
	"<xs:element minOccurs=\"0\" maxOccurs=\"unbounded\" name=\"int\" "
	"type=\"xs:int\" /></xs:sequence></xs:complexType>\n"
	"<xs:element name=\"ArrayOfint\" nillable=\"true\" "
	"type=\"tns:ArrayOfint\" />\n"
	"</xs:schema>\n";

static void types(struct strbuf *out) {
	strbuf_puts(out, "<wsdl:types>\n<xs:schema elementFormDefault="
		"\"qualified\" targetNamespace=\"" SOAP_NS_88 "\" "
		"xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
		"xmlns:arr=\"" NS_ARR "\">\n"
		"<xs:import namespace=\"" NS_SER "\" />\n"
		"<xs:import namespace=\"" NS_ARR "\" />\n");
	for (size_t i = 0; i < AGENT_OP_COUNT; i++) {
		operation_elements(out, &agent_ops[i]);
	}
	strbuf_puts(out, fixed_types);
	carrier_types(out);
	flags_enum(out, "ETableRight", RIGHTS_TABLE);
	dictionary(out, "FieldPropertyDictionary",
		"FieldPropertyDictionaryKeyValuePair", "tns:FieldProperty");
	flags_enum(out, "EFieldRight", RIGHTS_FIELD);
	dictionary(out, "StringDictionary", "StringKeyValuePair", "xs:string");
	simple_enum(out, "BatchTaskState", task_state_member);
	simple_enum(out, "BatchTaskCancellationBehaviour", task_cancel_member);
	dictionary(out, "SoExceptionInfoParameters",
		"SoExceptionInfoParametersKeyValuePair", "xs:string");
	dictionary(out, "SoExtraInfo", "ExtraInfoNameValuePair", "xs:string");
	strbuf_puts(out, fixed_headers);
	strbuf_puts(out, "</xs:schema>\n");
	strbuf_puts(out, serialization_schemas);
	strbuf_puts(out, "</wsdl:types>\n");
}

static void part(struct strbuf *out, const char *name, const char *element) {
	strbuf_puts(out, "<wsdl:part name=\"");
	strbuf_puts(out, name);
	strbuf_puts(out, "\" element=\"tns:");
	strbuf_puts(out, element);
	strbuf_puts(out, "\" />\n");
}

/* Request and response headers, in the order WCF lists them. */
static const char *const in_headers[] = { "ApplicationToken", "Credentials",
	"TimeZone" };
static const char *const out_headers[] = { "ExceptionInfo", "ExtraInfo",
	"Succeeded", "TimeZone" };
#define N_IN (sizeof(in_headers) / sizeof(in_headers[0]))
#define N_OUT (sizeof(out_headers) / sizeof(out_headers[0]))

static void message(struct strbuf *out, const char *op, const char *suffix,
		const char *element, const char *const *headers, size_t n) {
	strbuf_puts(out, "<wsdl:message name=\"");
	strbuf_puts(out, op);
	strbuf_puts(out, suffix);
	strbuf_puts(out, "\">\n");
	part(out, "parameters", element);
	strbuf_puts(out, "</wsdl:message>\n<wsdl:message name=\"");
	strbuf_puts(out, op);
	strbuf_puts(out, suffix);
	strbuf_puts(out, "_Headers\">\n");
	for (size_t i = 0; i < n; i++) {
		part(out, headers[i], headers[i]);
	}
	strbuf_puts(out, "</wsdl:message>\n");
}

static void messages(struct strbuf *out) {
	char response[96];
	for (size_t i = 0; i < AGENT_OP_COUNT; i++) {
		const char *op = agent_ops[i].name;
		message(out, op, "Request", op, in_headers, N_IN);
		snprintf(response, sizeof(response), "%sResponse", op);
		message(out, op, "Response", response, out_headers, N_OUT);
	}
}

static void port_type(struct strbuf *out) {
	strbuf_puts(out, "<wsdl:portType name=\"Batch\">\n");
	for (size_t i = 0; i < AGENT_OP_COUNT; i++) {
		const char *op = agent_ops[i].name;
		strbuf_puts(out, "<wsdl:operation name=\"");
		strbuf_puts(out, op);
		strbuf_puts(out, "\">\n<wsdl:input wsaw:Action=\""
			SOAP_ACTION_BASE);
		strbuf_puts(out, op);
		strbuf_puts(out, "\" name=\"");
		strbuf_puts(out, op);
		strbuf_puts(out, "Request\" message=\"tns:");
		strbuf_puts(out, op);
		strbuf_puts(out, "Request\" />\n<wsdl:output wsaw:Action=\""
			SOAP_ACTION_BASE);
		strbuf_puts(out, op);
		strbuf_puts(out, "Response\" name=\"");
		strbuf_puts(out, op);
		strbuf_puts(out, "Response\" message=\"tns:");
		strbuf_puts(out, op);
		strbuf_puts(out, "Response\" />\n</wsdl:operation>\n");
	}
	strbuf_puts(out, "</wsdl:portType>\n");
}

static void binding_io(struct strbuf *out, const char *io, const char *op,
		const char *suffix, const char *const *headers, size_t n) {
	strbuf_puts(out, "<wsdl:");
	strbuf_puts(out, io);
	strbuf_puts(out, " name=\"");
	strbuf_puts(out, op);
	strbuf_puts(out, suffix);
	strbuf_puts(out, "\">\n");
	for (size_t i = 0; i < n; i++) {
		strbuf_puts(out, "<soap:header message=\"tns:");
		strbuf_puts(out, op);
		strbuf_puts(out, suffix);
		strbuf_puts(out, "_Headers\" part=\"");
		strbuf_puts(out, headers[i]);
		strbuf_puts(out, "\" use=\"literal\" />\n");
	}
	strbuf_puts(out, "<soap:body use=\"literal\" />\n</wsdl:");
	strbuf_puts(out, io);
	strbuf_puts(out, ">\n");
}

static void binding(struct strbuf *out) {
	strbuf_puts(out, "<wsdl:binding name=\"BasicHttpBinding_Batch\" "
		"type=\"tns:Batch\">\n<soap:binding "
		"transport=\"http://schemas.xmlsoap.org/soap/http\" />\n");
	for (size_t i = 0; i < AGENT_OP_COUNT; i++) {
		const char *op = agent_ops[i].name;
		strbuf_puts(out, "<wsdl:operation name=\"");
		strbuf_puts(out, op);
		strbuf_puts(out, "\">\n<soap:operation soapAction=\""
			SOAP_ACTION_BASE);
		strbuf_puts(out, op);
		strbuf_puts(out, "\" style=\"document\" />\n");
		binding_io(out, "input", op, "Request", in_headers, N_IN);
		binding_io(out, "output", op, "Response", out_headers, N_OUT);
		strbuf_puts(out, "</wsdl:operation>\n");
	}
	strbuf_puts(out, "</wsdl:binding>\n");
}

void wsdl_write(struct strbuf *out, const char *address) {
	strbuf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		"<wsdl:definitions name=\"WcfBatchService\" "
		"targetNamespace=\"" SOAP_NS_88 "\" "
		"xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" "
		"xmlns:tns=\"" SOAP_NS_88 "\" "
		"xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\" "
		"xmlns:wsaw=\"http://www.w3.org/2006/05/addressing/wsdl\" "
		"xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n");
	types(out);
	messages(out);
	port_type(out);
	binding(out);
	strbuf_puts(out, "<wsdl:service name=\"WcfBatchService\">\n"
		"<wsdl:port name=\"BasicHttpBinding_Batch\" "
		"binding=\"tns:BasicHttpBinding_Batch\">\n"
		"<soap:address location=\"");
	xml_escape_attr(out, address, strlen(address));
	strbuf_puts(out, "\" />\n</wsdl:port>\n</wsdl:service>\n"
		"</wsdl:definitions>\n");
}

#undef N_IN
#undef N_OUT
#undef NS_ARR
#undef NS_SER
