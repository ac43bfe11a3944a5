#include "build-config.h"
#include "secret.h"

bool secret_equal(const char *a, size_t an, const char *b, size_t bn) {
	/* walk the stored secret's length whatever the input is */
	unsigned char diff = an != bn;
	for (size_t i = 0; i < bn; i++) {
		unsigned char ca = i < an ? (unsigned char)a[i] : 0;
		diff |= (unsigned char)(ca ^ (unsigned char)b[i]);
	}
	return !diff;
}
