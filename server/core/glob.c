#include "build-config.h"
#include "glob.h"

#include "ascii.h"

bool glob_match(const char *p, const char *s) {
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p && (*p == '?' || ascii_lower(*p) ==
				ascii_lower(*s))) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*') {
		p++;
	}
	return !*p;
}
