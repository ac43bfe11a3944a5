/*
 * server/ci/faults.h: fault injection rules (PUT /__somock/faults). A rule
 * matches by method and path glob and says what to do to the answer:
 * delay it (fixed or random), replace it with a status and a SuperOffice
 * error body, drop the connection, or drip the body slowly. A rule may
 * apply to the next N requests only. Thread-safe.
 */
#ifndef SERVER_FAULTS_H
#define SERVER_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct faults;

struct fault_action {
	bool matched;
	unsigned delay_ms;        /* already drawn when random */
	int status;               /* 0: the normal answer */
	char error_type[64];
	char message[256];
	bool drop;
	unsigned drip_bytes;      /* 0: no drip */
	unsigned drip_interval_ms;
};

struct faults *faults_create(void);   /* NULL on OOM */
void faults_destroy(struct faults *faults);

/*
 * Replace every rule (@append false) or add to them, from a JSON array of
 * rule objects (or one object). 0, or -EINVAL with a message naming the
 * rule and key in @err; on error nothing changes.
 */
int faults_set(struct faults *faults, json_t *rules, bool append,
	char *err, size_t errlen);
void faults_clear(struct faults *faults);
/* The rules with their remaining counts and hits (owned). */
json_t *faults_to_json(struct faults *faults);

/*
 * The first rule matching @method and @path; consumes one of its count
 * (a rule whose count reaches 0 is removed). out->matched false when none.
 */
void faults_match(struct faults *faults, const char *method,
	const char *path, struct fault_action *out);

#endif
