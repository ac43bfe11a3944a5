/*
 * tests/fuzz/fuzz-soap-envelope.c: the SOAP service's envelope reader
 * (soap_envelope_read) and the parameter reader behind it
 * (agent_args_from_xml) on any bytes. The input's first line is the
 * SOAPAction header ("-" for none), the rest the envelope. Neither may
 * crash or leak; an envelope read names an operation of the agents table
 * and its body element, and one refused says why.
 */
#include "fuzz.h"

#include <jansson.h>

#include "agents.h"
#include "envelope.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *text = fuzz_dup(data, size);
	const char *nl = memchr(text, '\n', size);
	size_t head = nl ? (size_t)(nl - text) : size;
	char *action = fuzz_cstr((const uint8_t *)text, head);
	const char *body = nl ? nl + 1 : text + size;
	size_t body_len = size - (size_t)(body - text);
	struct soap_envelope env;
	enum soap_fault_code code;
	char why[512] = "";
	int ret = soap_envelope_read(&env, body, body_len,
		strcmp(action, "-") ? action : NULL, &code, why, sizeof(why));
	if (!ret) {
		FUZZ_CHECK(env.op != NULL && env.operation != NULL);
		FUZZ_CHECK(env.op >= agent_ops &&
			env.op < agent_ops + AGENT_OP_COUNT);
		json_t *args = NULL;
		struct api_error e;
		if (!agent_args_from_xml(env.op, env.operation, &args, &e)) {
			FUZZ_CHECK(json_is_object(args));
		}
		json_decref(args);
		soap_envelope_finish(&env);
	} else {
		FUZZ_CHECK(why[0] != '\0');
	}
	free(action);
	free(text);
	return 0;
}
