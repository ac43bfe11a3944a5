/*
 * server/ci/front.h: the front door. The HTTP layer hands every request
 * here (struct http_handler); the front door sends control paths
 * (/__somock/) to the control API, the demo page to demo, the SOAP
 * service's address to soap, and everything else through the fault rules
 * to the API, then records the request in
 * the journal once its answer is delivered. A fault decides how the
 * answer is delivered (delay, drip, dropped connection) or replaces it
 * with an error status in the SuperOffice shape. Thread-safe.
 */
#ifndef SERVER_CI_FRONT_H
#define SERVER_CI_FRONT_H

#include "http.h"

struct api;
struct control;
struct faults;
struct journal;
struct soap;
struct store;

/* Everything the front door dispatches to; all borrowed. */
struct front {
	const struct control *control;
	const struct api *api;
	const struct soap *soap;    /* Remote/Services88/Batch.svc */
	struct store *store;        /* the default data, for the demo */
	struct faults *faults;
	struct journal *journal;
};

/* The HTTP handler for @front (borrowed for the daemon's life). */
struct http_handler front_handler(const struct front *front);

#endif
