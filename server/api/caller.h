/*
 * server/api/caller.h: who calls, and on which data. The part of the
 * request pipeline every front end (REST, Agents, SOAP) shares: pick the
 * data a request names (the default, or the sandbox X-Somock-Sandbox
 * names), take a reader of it, authenticate the caller there (a new
 * sandbox is made only once its caller is known, so an anonymous client
 * cannot fill --sandbox-max or the memory with copies), run a write as
 * that caller, and release it all. Thread-safe: each request has its own
 * struct caller; the struct api is shared and immutable.
 */
#ifndef SERVER_API_CALLER_H
#define SERVER_API_CALLER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "auth.h"

struct agent_op;
struct api;
struct api_error;
struct batch_outcome;
struct http_request;
struct store;
struct store_reader;

/* One request's caller; zero it before caller_pick(). */
struct caller {
	struct store *store;          /* the default data or a sandbox's */
	const char *sandbox;          /* X-Somock-Sandbox (borrowed), or NULL */
	bool in_sandbox;              /* store is that sandbox's, released */
	struct store_reader *reader;  /* of store, once authenticated */
	struct auth_result auth;
};

/*
 * Pick the data @req names: the default, or an existing sandbox's (a new
 * one is made by caller_authenticate()). 0; or -EINVAL with @e filled (a
 * name that is no sandbox name).
 */
int caller_pick(struct caller *c, const struct api *api,
	const struct http_request *req, struct api_error *e);

/*
 * Take a reader of the picked data and authenticate @areq there; a
 * sandbox that does not exist yet is made now, and the caller checked
 * again in it. 0; -EACCES with c->auth saying why (@e untouched); or
 * another negative errno with @e filled (the sandboxes' limits, out of
 * memory, the store failing).
 */
int caller_authenticate(struct caller *c, const struct api *api,
	const struct auth_request *areq, struct api_error *e);

/*
 * Run the write @op with @args (typed by the agents module) on the
 * caller's data at the mock clock's now; when its answer is a carrier
 * (to be read), the caller's reader sees the change afterwards; other
 * answers are all in @out, and the reader is left as it was, a copy of
 * the data costing as much as the write. 0 with @out filled; -EINVAL with a message for the
 * client in @err (a bad carrier member); another negative errno.
 */
int caller_write(struct caller *c, const struct api *api,
	const struct agent_op *op, json_t *args, struct batch_outcome *out,
	char *err, size_t errlen);

/* Release the reader and the sandbox. A zeroed caller is fine. */
void caller_finish(struct caller *c, const struct api *api);

#endif
