/*
 * server/soap/soap.h: NetServer's SOAP service Remote/Services88/Batch.svc
 * (SOAP 1.1, document/literal, as its WSDL binds it), over the same data
 * and with the same meaning as the REST and Agents API: the envelope is
 * read (envelope.h), the caller picked and authenticated (api/caller.h)
 * from the Credentials and ApplicationToken headers, the operation's
 * parameters read by the agents module and run by the batch module, and
 * the answer written as <OpResponse><Response>...</Response></OpResponse>
 * with the response headers the WSDL declares. GET ?wsdl answers the WSDL
 * somock writes from its own tables (wsdl.h).
 *
 * How NetServer reports: a refused ticket or a bad argument is HTTP 200
 * with Response nil (or absent, where the XSD does not let it be nil)
 * and the ExceptionInfo header filled; an envelope that cannot be read,
 * an unknown action or one the body disagrees with is a SOAP 1.1 Fault
 * with HTTP 500. Thread-safe: handlers share only the immutable struct
 * soap.
 */
#ifndef SERVER_SOAP_SOAP_H
#define SERVER_SOAP_SOAP_H

#include <stdbool.h>

struct api;
struct http_request;
struct http_response;

/* What the SOAP service answers from; every pointer borrowed for its life. */
struct soap {
	const struct api *api;   /* the data, the caller's checks, the clock */
	bool https;              /* the scheme a WSDL's soap:address names */
};

/*
 * Does @path (origin-form, no query) name the service? The same optional
 * first segment as the REST routes (/SuperOffice/..., /Cust12345/...).
 */
bool soap_path(const char *path);

/* Answer @req, a request on a soap_path(), into @resp; never fails. */
void soap_handle(const struct soap *soap, const struct http_request *req,
	struct http_response *resp);

/*
 * An injected fault (the control API's fault rules) on the service: a
 * SOAP Fault with HTTP @status whose faultstring is @message (or a
 * default) and whose detail names @type (or a default). Never fails.
 */
void soap_fault_injected(const struct soap *soap, struct http_response *resp,
	int status, const char *type, const char *message);

#endif
