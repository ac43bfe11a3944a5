#include "build-config.h"
#include "curl_api.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Debian's sonames: the GnuTLS build somock is compiled against first */
static const char *const libraries[] = {
	"libcurl-gnutls.so.4",
	"libcurl.so.4",
};

/* Every function, with where it goes in struct curl_api: one table. */
#define FN(name, field) { name, offsetof(struct curl_api, field) }
static const struct {
	const char *name;
	size_t offset;
} functions[] = {
	FN("curl_global_init", global_init),
	FN("curl_global_cleanup", global_cleanup),
	FN("curl_easy_init", easy_init),
	FN("curl_easy_cleanup", easy_cleanup),
	FN("curl_easy_reset", easy_reset),
	FN("curl_easy_setopt", easy_setopt),
	FN("curl_easy_perform", easy_perform),
	FN("curl_easy_getinfo", easy_getinfo),
	FN("curl_easy_strerror", easy_strerror),
	FN("curl_slist_append", slist_append),
	FN("curl_slist_free_all", slist_free_all),
};
#undef FN

int curl_api_load(struct curl_api *api, char *err, size_t errlen) {
	memset(api, 0, sizeof(*api));
	for (size_t i = 0; !api->lib && i < sizeof(libraries) /
			sizeof(libraries[0]); i++) {
		api->lib = dlopen(libraries[i], RTLD_NOW | RTLD_LOCAL);
	}
	if (!api->lib) {
		snprintf(err, errlen, "cannot load libcurl (%s): install "
			"libcurl3-gnutls", dlerror());
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
		void *fn = dlsym(api->lib, functions[i].name);
		if (!fn) {
			snprintf(err, errlen, "libcurl has no %s",
				functions[i].name);
			curl_api_unload(api);
			return -ENOENT;
		}
		/* POSIX: a function pointer is stored like an object one */
		memcpy((char *)api + functions[i].offset, &fn, sizeof(fn));
	}
	return 0;
}

void curl_api_unload(struct curl_api *api) {
	if (api->lib) {
		dlclose(api->lib);
	}
	memset(api, 0, sizeof(*api));
}
