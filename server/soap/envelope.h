/*
 * server/soap/envelope.h: reading a SOAP 1.1 request to NetServer's Batch
 * service (document/literal, as the WSDL binds it). The envelope arrives
 * from outside, so it is parsed by xmldoc (no DTD, hence no entity of any
 * kind; bounded depth and size), then checked: the SOAP 1.1 Envelope with
 * at most one Header before exactly one Body, the Body holding exactly one
 * element, an operation of the agents table in the Services88 namespace,
 * the one the HTTP SOAPAction names. The request headers the WSDL declares
 * (ApplicationToken, Credentials, TimeZone) are read into typed values; a
 * header of any other name is ignored unless it carries
 * soap:mustUnderstand="1" (SOAP 1.1 §4.2.3). What the operation's
 * parameters mean is left to the agents module (agent_args_from_xml).
 * Pure functions: thread-safe.
 */
#ifndef SERVER_SOAP_ENVELOPE_H
#define SERVER_SOAP_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

struct agent_op;

#define SOAP_NS_ENVELOPE "http://schemas.xmlsoap.org/soap/envelope/"
#define SOAP_NS_88 "http://www.superoffice.net/ws/crm/NetServer/Services88"
#define SOAP_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
/* SOAPAction of operation Op: this, then "Op" */
#define SOAP_ACTION_BASE \
	"http://www.superoffice.net/ws/crm/NetServer/Services88/Batch/"

/* SOAP 1.1 §4.4.1's fault codes, as a refused envelope gets them. */
enum soap_fault_code {
	SOAP_FAULT_CLIENT,           /* the message was wrong */
	SOAP_FAULT_SERVER,           /* somock failed */
	SOAP_FAULT_VERSION,          /* not the SOAP 1.1 envelope namespace */
	SOAP_FAULT_MUST_UNDERSTAND,  /* a mandatory header not understood */
};

/* A request envelope, read. */
struct soap_envelope {
	xmlDoc *doc;                  /* owned */
	const struct agent_op *op;    /* the operation: a row of agent_ops */
	xmlNode *operation;           /* the Body's element, in @doc */
	char *ticket;                 /* Credentials/Ticket; NULL: none */
	char *app_token;              /* ApplicationToken; NULL: none */
	bool has_time_zone;           /* a TimeZone header, not nil */
	int32_t time_zone_id;         /* its SoTimeZoneId; 0: none */
	char *time_zone_code;         /* its SoTimeZoneLocationCode, or NULL */
};

/*
 * Read the @n bytes at @body as a request whose SOAPAction header is
 * @action (NULL when it was not sent; surrounding quotes are dropped).
 * 0 with @out filled (release with soap_envelope_finish()); or -EINVAL
 * with *code and a message for the client in @why (nothing to release).
 */
int soap_envelope_read(struct soap_envelope *out, const char *body,
	size_t n, const char *action, enum soap_fault_code *code, char *why,
	size_t whylen);

/* Free what @env owns; a zeroed envelope is fine. */
void soap_envelope_finish(struct soap_envelope *env);

#endif
