/*
 * server/record/curl_api.h: libcurl, loaded when `somock record` runs.
 *
 * Only `somock record` connects out, and libcurl brings 18 libraries of its
 * own (Kerberos, LDAP, SASL, OpenSSL's libcrypto for SSH, ...) that the
 * server never uses: linked, the dynamic loader mapped and relocated them
 * at every start (most of a spawn's cost) and they took about 5 MB of the
 * server's resident memory. So the binary is compiled against libcurl's
 * header, for the types and the checks, and opens the library itself with
 * dlopen() the first time a recording starts.
 *
 * Ownership: curl_api_load() fills @api with the library's functions and
 * keeps its handle; curl_api_unload() closes it. Not thread-safe; one
 * recording, one thread.
 */
#ifndef SERVER_CURL_API_H
#define SERVER_CURL_API_H

#include <stddef.h>

#include <curl/curl.h>

struct curl_api {
	void *lib;    /* the dlopen() handle; NULL: not loaded */
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_reset) *easy_reset;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
};

/*
 * Open libcurl (libcurl-gnutls.so.4, else libcurl.so.4: the same API) and
 * find every function of @api. 0, or -ENOENT with @err saying what is
 * missing and which Debian package has it.
 */
int curl_api_load(struct curl_api *api, char *err, size_t errlen);
/* Close what curl_api_load() opened; a zeroed @api is fine. */
void curl_api_unload(struct curl_api *api);

#endif
