/*
 * server/core/glob.h: the wildcard patterns of fault rules and journal
 * filters. Pure; thread-safe.
 */
#ifndef SERVER_GLOB_H
#define SERVER_GLOB_H

#include <stdbool.h>

/*
 * Glob match, ASCII case-insensitive: '*' matches any run of bytes ('/'
 * included), '?' one byte, everything else itself. Linear in practice
 * (one backtrack point), so hostile patterns cannot blow up.
 */
bool glob_match(const char *pattern, const char *s);

#endif
