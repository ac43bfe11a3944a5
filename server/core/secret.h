/*
 * server/core/secret.h: comparing credentials (passwords, tickets, session
 * ids, tokens) without telling an attacker, through the time it takes,
 * how much of a guess was right. Thread-safe.
 */
#ifndef SERVER_SECRET_H
#define SERVER_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether the @an bytes at @a (the input) equal the @bn bytes at @b (the
 * stored secret), in time that depends only on @bn.
 */
bool secret_equal(const char *a, size_t an, const char *b, size_t bn);

#endif
