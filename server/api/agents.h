/*
 * server/api/agents.h: the Batch agent's operations, as SuperOffice's
 * Agents API and NetServer's SOAP service define them: one table, each
 * row an operation with its parameters (name and .NET type) and its
 * result, walked by the Agents route (reading a request's parameters, the
 * description a GET answers) and by the SOAP service. The body of a
 * request is read into the parameters by agent_args_read(), whatever its
 * format. Pure tables and functions: thread-safe.
 */
#ifndef SERVER_API_AGENTS_H
#define SERVER_API_AGENTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct api_error;
struct http_request;

enum agent_op_id {
	AGENT_GET_TASK,                    /* GetBatchTaskInfo */
	AGENT_BY_STATE,                    /* GetBatchTaskInfosByState */
	AGENT_BY_NAME_AND_STATE,           /* ...ByNameAndState (user) */
	AGENT_ALL_BY_NAME,                 /* GetAllBatchTaskInfosByName */
	AGENT_ALL_BY_NAME_AND_STATE,
	AGENT_SYSTEM_BY_NAME,              /* GetSystemBatchTaskInfosByName */
	AGENT_SYSTEM_BY_NAME_AND_STATE,
	AGENT_BY_ASSOCIATES,               /* GetBatchTaskInfosByAssociates */
	AGENT_BY_ASSOCIATES_AND_STATE,
	AGENT_BY_NAME_AND_ASSOCIATES,
	AGENT_START,                       /* StartBatchJob */
	AGENT_UPDATE,                      /* UpdateBatchTask */
	AGENT_STOP,                        /* StopBatchJob */
	AGENT_DELETE,                      /* DeleteBatchTask */
	AGENT_DELETE_MANY,                 /* DeleteBatchTasks */
	AGENT_OP_COUNT,
};

enum agent_type {
	AGENT_TYPE_INT32,        /* System.Int32 */
	AGENT_TYPE_STATE,        /* SuperOffice.Data.BatchTaskState */
	AGENT_TYPE_STRING,       /* System.String */
	AGENT_TYPE_INT32_ARRAY,  /* System.Int32[] */
	AGENT_TYPE_CARRIER,      /* SuperOffice.CRM.Services.BatchTaskInfo */
	AGENT_TYPE_CARRIERS,     /* ...BatchTaskInfo[] (results only) */
	AGENT_TYPE_BOOL,         /* System.Boolean (results only) */
	AGENT_TYPE_VOID,         /* no content (results only) */
};

#define AGENT_MAX_PARAMS 2

struct agent_param {
	const char *name;        /* as the vendor spells it: "AssociateIds" */
	enum agent_type type;
};

struct agent_op {
	enum agent_op_id id;
	const char *name;        /* "GetBatchTaskInfosByState" */
	const char *summary;     /* the vendor's one line */
	struct agent_param params[AGENT_MAX_PARAMS];
	size_t n_params;
	enum agent_type result;
};

extern const struct agent_op agent_ops[AGENT_OP_COUNT];

/* The operation named @name (@n bytes, ASCII any case), or NULL. */
const struct agent_op *agent_op_find(const char *name, size_t n);
/* The .NET name of @type ("System.Int32[]"). */
const char *agent_type_name(enum agent_type type);

/*
 * What GET on an Agents URL answers: the call's method, route,
 * parameters with their .NET types, result type and summary (owned JSON;
 * NULL on OOM). @route is the path asked, as the client wrote it.
 */
json_t *agent_op_describe(const struct agent_op *op, const char *route);

/*
 * Read the parameters of @op from @req's body, whatever its format: JSON
 * (application/json, text/json and the patch types; also the default
 * when no Content-Type is sent), XML (application/xml, text/xml: a root
 * element named after the vendor's request type, "<Op>Request", in any
 * namespace, the parameters as child elements, arrays as repeated
 * children) or application/x-www-form-urlencoded (arrays as repeated
 * names or comma lists). Names compare ASCII case-insensitively.
 *
 * On success *out is a JSON object (owned) with every parameter under
 * its vendor name, typed: INT32 an integer, STATE the state's number,
 * STRING a string, INT32_ARRAY an array of integers, CARRIER an object
 * (as JSON names it). Returns 0; or -EINVAL with @e filled (400 in
 * ASP.NET's shape naming the parameter, 413 for a body over the cap, 415
 * for a media type the route does not read).
 */
int agent_args_read(const struct agent_op *op, const struct http_request *req,
	json_t **out, struct api_error *e);

/*
 * A REST body that is one carrier (POST and PUT /api/v1/BatchTask): JSON,
 * XML with a BatchTaskInfo root, or a form, read as agent_args_read()
 * reads a CARRIER parameter. 0 with *out (owned), or -EINVAL with @e.
 */
int agent_carrier_read(const struct http_request *req, json_t **out,
	struct api_error *e);

/*
 * A BatchTaskInfo element as the carrier's JSON (numbers, booleans,
 * dictionaries as objects, nil as null; unknown members ignored). Owned;
 * NULL on OOM.
 */
struct _xmlNode;
json_t *agent_carrier_from_xml(const struct _xmlNode *node);

/*
 * The parameters of @op from the child elements of @element (an Agents
 * XML body's root, or a SOAP body's operation element): names ASCII any
 * case, arrays as repeated children, a carrier as agent_carrier_from_xml
 * reads it, typed as agent_args_read() types them. 0 with *out (owned),
 * or -EINVAL with @e naming the parameter.
 */
int agent_args_from_xml(const struct agent_op *op,
	const struct _xmlNode *element, json_t **out, struct api_error *e);

#endif
