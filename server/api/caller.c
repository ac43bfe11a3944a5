#include "build-config.h"
#include "caller.h"

#include <errno.h>

#include "api.h"
#include "batch.h"
#include "clock.h"
#include "errors.h"
#include "http.h"
#include "sandbox.h"
#include "store.h"

int caller_pick(struct caller *c, const struct api *api,
		const struct http_request *req, struct api_error *e) {
	c->store = api->store;
	c->sandbox = http_header(req, "X-Somock-Sandbox");
	if (!c->sandbox) {
		return 0;
	}
	if (!sandbox_name_valid(c->sandbox)) {
		api_error_bad_header(e, "X-Somock-Sandbox", c->sandbox,
			"a sandbox name (1-63 of A-Z, a-z, 0-9, '.', '_', '-')");
		c->sandbox = NULL;
		return -EINVAL;
	}
	enum sandbox_refusal why;
	struct store *s = sandboxes_acquire(api->sandboxes, c->sandbox, false,
		&why);
	if (s) {
		c->store = s;
		c->in_sandbox = true;
	}
	return 0;
}

/* A reader of c->store and the caller checked in it: as auth_check(). */
static int check(struct caller *c, const struct auth_request *areq) {
	c->reader = store_reader_acquire(c->store);
	if (!c->reader) {
		return -ENOMEM;
	}
	return auth_check(c->reader, areq, &c->auth);
}

/* Make the sandbox c->sandbox names. 0, or -ENOSPC/-ENOMEM with @e. */
static int make_sandbox(struct caller *c, const struct api *api,
		struct api_error *e) {
	enum sandbox_refusal why;
	struct store *s = sandboxes_acquire(api->sandboxes, c->sandbox, true,
		&why);
	if (s) {
		c->store = s;
		c->in_sandbox = true;
		return 0;
	}
	if (why == SANDBOX_FULL) {
		api_error_sandbox_full(e);
	} else {
		api_error_internal(e, -ENOMEM);
		return -ENOMEM;
	}
	return -ENOSPC;
}

int caller_authenticate(struct caller *c, const struct api *api,
		const struct auth_request *areq, struct api_error *e) {
	int ret = check(c, areq);
	if (!ret && c->sandbox && !c->in_sandbox) {
		/* a new sandbox: made now, and the caller checked in it */
		store_reader_release(c->store, c->reader);
		c->reader = NULL;
		ret = make_sandbox(c, api, e);
		if (ret) {
			return ret;
		}
		ret = check(c, areq);
	}
	if (ret && ret != -EACCES) {
		api_error_internal(e, ret);
	}
	return ret;
}

int caller_write(struct caller *c, const struct api *api,
		const struct agent_op *op, json_t *args,
		struct batch_outcome *out, char *err, size_t errlen) {
	const struct batch_caller who = { .store = c->store,
		.tenant = c->auth.tenant, .associate_id = c->auth.associate_id,
		.now = clock_now(api->clock) };
	int ret = batch_write(&who, op, args, out, err, errlen);
	if (ret) {
		return ret;
	}
	if (out->result != AGENT_TYPE_CARRIER) {
		return 0; /* the answer is in @out: nothing more is read */
	}
	/* the reader held reads the data before the write */
	store_reader_release(c->store, c->reader);
	c->reader = store_reader_acquire(c->store);
	return c->reader ? 0 : -ENOMEM;
}

void caller_finish(struct caller *c, const struct api *api) {
	if (c->reader) {
		store_reader_release(c->store, c->reader);
		c->reader = NULL;
	}
	if (c->in_sandbox) {
		sandboxes_release(api->sandboxes, c->store);
		c->in_sandbox = false;
	}
}
