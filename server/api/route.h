/*
 * server/api/route.h: the API's route table. Each route is a path pattern
 * under an optional first segment (an onsite application folder such as
 * /SuperOffice, or an online tenant /CustNNNN) and the methods it answers.
 * Adding a route is one row in route.c and one case in api.c. Pure
 * functions over the path: no allocation, thread-safe.
 */
#ifndef SERVER_API_ROUTE_H
#define SERVER_API_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

enum route_id {
	ROUTE_NONE = 0,
	ROUTE_API_ROOT,         /* GET /api */
	ROUTE_BATCH_TASKS,      /* /api/v1/BatchTask: POST starts a job */
	ROUTE_BATCH_TASK,       /* /api/v1/BatchTask/{state|id} */
	ROUTE_BATCH_TASK_STOP,  /* POST /api/v1/BatchTask/{id}/Stop */
	ROUTE_AGENT,            /* POST .../Agents/Batch/{operation} */
	ROUTE_PRINCIPAL,        /* GET /api/v1/User/currentPrincipal */
	ROUTE_SOAP,             /* NetServer's SOAP service (server/soap) */
};

struct route {
	enum route_id id;
	/* segments after the prefix, '/'-separated; "{}" matches any one */
	const char *pattern;
	const char *methods;    /* the Allow header: "GET, HEAD" */
};

/* A slice of the request path (not NUL-terminated). */
struct route_segment {
	const char *s;
	size_t n;
};

struct route_match {
	const struct route *route;     /* NULL when nothing matched */
	struct route_segment prefix;   /* app folder or tenant, or empty */
	char tenant[64];               /* CustNNNN prefix, or "" */
	struct route_segment arg;      /* the "{}" segment, or empty */
};

/*
 * Match the origin-form @path (percent-decoded, no query) against the
 * table; segment names compare ASCII case-insensitively, repeated '/'
 * count as one. The first segment is a prefix unless it is the first
 * segment of a route ("api", "Remote"). false (and out->route NULL) when no route matches.
 */
bool route_match(const char *path, struct route_match *out);

/* Does @route answer @method? (HEAD goes wherever GET does.) */
bool route_allows(const struct route *route, const char *method);

/*
 * RFC 9112 §3.2.2: the path of an absolute-form target
 * ("http://host/path"), an origin-form target itself, or NULL for a target
 * that is neither (which is a bad request). "*" is returned as is.
 */
const char *route_origin_form(const char *target);

#endif
