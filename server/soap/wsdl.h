/*
 * server/soap/wsdl.h: the WSDL of NetServer's Batch service, as somock
 * writes it from its own tables: the operations, their parameters and
 * results from the agents table (api/agents.h), BatchTaskInfo's members,
 * their order, types and nillability from the task field table
 * (data/model.h), the enums' members from model.h and rights.h. The rest
 * (the SOAP headers' types, SoExceptionInfo, the dictionaries, the two
 * Microsoft serialization schemas) is NetServer's fixed text. Messages,
 * port type, binding and headers follow WCF's BasicHttpBinding shape,
 * element for element as NetServer publishes it. Pure: thread-safe.
 */
#ifndef SERVER_SOAP_WSDL_H
#define SERVER_SOAP_WSDL_H

struct strbuf;

/*
 * Append the WSDL whose soap:address is @address (the URL the client
 * asked for; escaped here). Failure is recorded in @out.
 */
void wsdl_write(struct strbuf *out, const char *address);

#endif
