#include "build-config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "base64.h"
#include "secret.h"
#include "tap.h"

/* ------------------------------------------------------ auth_split_scheme */

static void split_ok(const char *header, const char *scheme,
		const char *cred) {
	const char *s = NULL, *c = NULL;
	size_t sn = 0, cn = 0;
	bool ok = auth_split_scheme(header, &s, &sn, &c, &cn);
	char got_s[128] = "", got_c[128] = "";
	if (ok) {
		snprintf(got_s, sizeof(got_s), "%.*s", (int)sn, s);
		snprintf(got_c, sizeof(got_c), "%.*s", (int)cn, c);
	}
	tap_ok(ok, "split %.40s: has a scheme", header);
	tap_str(got_s, scheme, "split %.40s: scheme", header);
	tap_str(got_c, cred, "split %.40s: credentials", header);
}

static void split_fails(const char *header, const char *what) {
	const char *s = NULL, *c = NULL;
	size_t sn = 0, cn = 0;
	tap_ok(!auth_split_scheme(header, &s, &sn, &c, &cn),
		"split refuses %s", what);
}

static void test_split(void) {
	split_ok("Basic dGplMDpUamUw", "Basic", "dGplMDpUamUw");
	split_ok("basic dGplMDpUamUw", "basic", "dGplMDpUamUw");
	split_ok("SOTicket 7T:abc+/=", "SOTicket", "7T:abc+/=");
	split_ok("Bearer 8A:Cust12345.x", "Bearer", "8A:Cust12345.x");
	split_ok("Basic  two-spaces", "Basic", "two-spaces");
	split_ok("  Basic x  ", "Basic", "x");
	split_ok("Basic\tx", "Basic", "x");
	split_ok("Basic", "Basic", "");
	split_ok("Basic   ", "Basic", "");
	split_ok("Bearer a b", "Bearer", "a b");
	split_ok("Negotiate abc", "Negotiate", "abc");
	split_ok("Basic=abc", "Basic=abc", "");
	split_fails("", "the empty string");
	split_fails("   ", "spaces only");
	split_fails("\t \t", "blanks only");
	split_fails("Bas\x01ic x", "a control character in the scheme");
	split_fails("Bas\x7f x", "DEL in the scheme");
	split_fails("\xc3\xa9t\xc3\xa9 x", "a non-ASCII scheme");
	split_fails("\xff", "a high byte");

	/* the credentials slice points into the header, no copy */
	const char *h = "Bearer tok", *s, *c;
	size_t sn, cn;
	tap_ok(auth_split_scheme(h, &s, &sn, &c, &cn) && s == h &&
		c == h + 7 && cn == 3, "split: slices of the header");
}

/* ------------------------------------------------------ auth_basic_decode */

static bool decode(const char *b64, char *buf, size_t cap, char *name,
		char *pass) {
	const char *n, *p;
	size_t nl, pl;
	if (!auth_basic_decode(b64, strlen(b64), buf, cap, &n, &nl, &p, &pl)) {
		return false;
	}
	snprintf(name, 128, "%.*s", (int)nl, n);
	snprintf(pass, 128, "%.*s", (int)pl, p);
	return true;
}

static void basic_ok(const char *b64, const char *name, const char *pass,
		const char *what) {
	char buf[256], n[128] = "", p[128] = "";
	tap_ok(decode(b64, buf, sizeof(buf), n, p), "basic %s: decodes", what);
	tap_str(n, name, "basic %s: name", what);
	tap_str(p, pass, "basic %s: password", what);
}

static void basic_bad(const char *b64, const char *what) {
	char buf[256], n[128], p[128];
	tap_ok(!decode(b64, buf, sizeof(buf), n, p), "basic refuses %s", what);
}

static void test_basic(void) {
	basic_ok("dGplMDpUamUw", "tje0", "Tje0", "tje0:Tje0");
	/* "jgreen:p@ss:word 1": only the first colon splits */
	basic_ok("amdyZWVuOnBAc3M6d29yZCAx", "jgreen", "p@ss:word 1",
		"a colon in the password");
	basic_ok("YTo=", "a", "", "an empty password");              /* a: */
	basic_ok("YTo6", "a", ":", "a password that is a colon");     /* a:: */
	basic_ok("YWI6Yw==", "ab", "c", "two pad characters");        /* ab:c */
	basic_ok("YWJjOmQ=", "abc", "d", "one pad character");        /* abc:d */
	basic_ok("YWJjOmRl", "abc", "de", "no padding");              /* abc:de */
	/* "j\xc3\xbcrgen:p\xc3\xa4ss": UTF-8 passes through untouched */
	basic_ok("asO8cmdlbjpww6Rzcw==", "j\xc3\xbcrgen", "p\xc3\xa4ss",
		"UTF-8 name and password");
	/* "~~~" "???" ">>>" in base64 uses '+' and '/' */
	basic_ok("czp+fn4/Pz8+Pj4=", "s", "~~~?\?\?>>>", "+ and / in base64");

	basic_bad("", "empty input");
	basic_bad("!!!!", "bad characters");
	basic_bad("dGplMDpUamU", "a length not a multiple of 4");
	basic_bad("dGplMDpUamU==", "too much padding");
	basic_bad("dGplMDpUamUw====", "a whole quantum of padding");
	basic_bad("YQ==dGplMDpUamUw", "data after padding");
	basic_bad("Y===", "three pad characters");
	basic_bad("=GplMDpUamUw", "padding first");
	basic_bad("YWI6Yx==", "non-zero pad bits (two pad characters)");
	basic_bad("YWJjOmR=", "non-zero pad bits (one pad character)");
	basic_bad("dGpl MDpUamUw", "a space inside");
	basic_bad("dGpl\tMDpUamUw", "a tab inside");
	basic_bad("dGplMDpUamUw\n", "a trailing newline");
	basic_bad("czp-fn4_Pz8-Pj4=", "the url-safe alphabet");
	basic_bad("dGplMFRqZTA=", "no colon (tje0Tje0)");
	basic_bad("OlRqZTA=", "an empty name (:Tje0)");
	basic_bad("Og==", "a lone colon");
	basic_bad("YQBiOmM=", "a NUL in the name (a\\0b:c)");
	basic_bad("dGplMDpUamUwAA==", "a NUL in the password");
	basic_bad("AHRqZTA6VGplMA==", "a leading NUL");

	/* capacity: the decoded text and its NUL must fit */
	char buf[16], n[128], p[128];
	tap_ok(decode("dGplMDpUamUw", buf, 10, n, p), "basic: 9 bytes fit "
		"in 10");
	tap_ok(!decode("dGplMDpUamUw", buf, 9, n, p), "basic: 9 bytes and a "
		"NUL do not fit in 9");
	tap_ok(!decode("dGplMDpUamUw", buf, 0, n, p), "basic: capacity 0");

	/* a long input is refused rather than overflowing */
	static char big[4096 + 1];
	memset(big, 'A', 4096);
	big[4096] = '\0';
	char small[1024];
	tap_ok(!decode(big, small, sizeof(small), n, p),
		"basic: 3 KiB of decoded data does not fit in 1 KiB");

	/* slices point into the caller's buffer */
	const char *nm, *pw;
	size_t nl, pl;
	char b2[32];
	tap_ok(auth_basic_decode("dGplMDpUamUw", 12, b2, sizeof(b2), &nm, &nl,
		&pw, &pl) && nm == b2 && nl == 4 && pw == b2 + 5 && pl == 4,
		"basic: slices of the buffer");
	/* only @n bytes are read */
	tap_ok(auth_basic_decode("dGplMDpUamUwGARBAGE", 12, b2, sizeof(b2),
		&nm, &nl, &pw, &pl) && pl == 4, "basic: reads only n bytes");
}

/* ------------------------------------------------------ base64_decode */

static void test_base64(void) {
	unsigned char out[16];
	tap_int(base64_decode("", 0, out, sizeof(out)), 0, "b64: empty is 0");
	tap_int(base64_decode("QQ==", 4, out, sizeof(out)), 1, "b64: QQ==");
	tap_int(out[0], 'A', "b64: QQ== is A");
	tap_int(base64_decode("QR==", 4, out, sizeof(out)), -1,
		"b64: QR== has non-zero pad bits");
	tap_int(base64_decode("QUI=", 4, out, sizeof(out)), 2, "b64: QUI=");
	tap_int(base64_decode("QUJ=", 4, out, sizeof(out)), -1,
		"b64: QUJ= has non-zero pad bits");
	tap_int(base64_decode("QUJD", 4, out, sizeof(out)), 3, "b64: QUJD");
	tap_int(base64_decode("AA==", 4, out, sizeof(out)), 1,
		"b64: a NUL decodes (auth refuses it)");
	tap_int(base64_decode("+/+/", 4, out, sizeof(out)), 3, "b64: + and /");
	tap_int(base64_decode("-_-_", 4, out, sizeof(out)), -1,
		"b64: - and _ are not standard");
	tap_int(base64_decode("QUJD", 4, out, 2), -1, "b64: past capacity");
	tap_int(base64_decode("QUJD\0\0\0\0", 8, out, sizeof(out)), -1,
		"b64: NUL characters in the input");
	tap_int(base64_decode("Q\x80JD", 4, out, sizeof(out)), -1,
		"b64: a high byte");
}

/* ------------------------------------------------------ auth_cookie_value */

static void cookie_is(const char *cookie, const char *name,
		const char *want) {
	const char *v = NULL;
	size_t n = 0;
	char got[128];
	bool found = auth_cookie_value(cookie, name, &v, &n);
	if (found) {
		snprintf(got, sizeof(got), "%.*s", (int)n, v);
	}
	tap_str(found ? got : NULL, want, "cookie %s in '%s'", name, cookie);
}

static void test_cookie(void) {
	const char *sid = "ASP.NET_SessionId";
	cookie_is("ASP.NET_SessionId=abc", sid, "abc");
	cookie_is("ASP.NET_SessionId=\"abc\"", sid, "abc");
	cookie_is("ASP.NET_SessionId=\"\"", sid, "");
	cookie_is("ASP.NET_SessionId=\"", sid, "\"");
	cookie_is("ASP.NET_SessionId=\"abc", sid, "\"abc");
	cookie_is("ASP.NET_SessionId=", sid, "");
	cookie_is("  ASP.NET_SessionId = abc ; x=y", sid, "abc");
	cookie_is("a=1; ASP.NET_SessionId=abc; XSRF-TOKEN=evil", sid, "abc");
	cookie_is("a=1; ASP.NET_SessionId=abc; XSRF-TOKEN=evil", "XSRF-TOKEN",
		"evil");
	cookie_is("a=1;ASP.NET_SessionId=abc;b=2", sid, "abc");
	cookie_is(";;; ASP.NET_SessionId=abc;;", sid, "abc");
	cookie_is("XASP.NET_SessionId=evil", sid, NULL);
	cookie_is("XASP.NET_SessionId=evil; ASP.NET_SessionId=good", sid,
		"good");
	cookie_is("ASP.NET_SessionIdX=evil", sid, NULL);
	cookie_is("ASP.NET_SessionIdX=evil; ASP.NET_SessionId=good", sid,
		"good");
	cookie_is("asp.net_sessionid=abc", sid, NULL);
	cookie_is("ASP.NET_SessionId", sid, NULL);
	cookie_is("ASP.NET_SessionId; x=ASP.NET_SessionId=abc", sid, NULL);
	cookie_is("x=ASP.NET_SessionId=abc", sid, NULL);
	cookie_is("ASP.NET_SessionId=a=b", sid, "a=b");
	cookie_is("ASP.NET_SessionId=first; ASP.NET_SessionId=second", sid,
		"first");
	cookie_is("", sid, NULL);
	cookie_is(" ; ", sid, NULL);
	cookie_is("x=1", sid, NULL);
	cookie_is("ASP.NET_SessionId=a b", sid, "a b");
	cookie_is("ASP.NET_SessionId=\t abc \t", sid, "abc");
}

/* ------------------------------------------------------ secret_equal */

static void test_secret(void) {
	tap_ok(secret_equal("abc", 3, "abc", 3), "secret: equal");
	tap_ok(!secret_equal("abd", 3, "abc", 3), "secret: last byte differs");
	tap_ok(!secret_equal("xbc", 3, "abc", 3), "secret: first byte "
		"differs");
	tap_ok(!secret_equal("ab", 2, "abc", 3), "secret: a prefix");
	tap_ok(!secret_equal("abcd", 4, "abc", 3), "secret: one byte more");
	tap_ok(!secret_equal("abc\0", 4, "abc", 3), "secret: a trailing NUL");
	tap_ok(!secret_equal("", 0, "abc", 3), "secret: empty input");
	tap_ok(!secret_equal("abc", 3, "", 0), "secret: empty stored");
	tap_ok(secret_equal("", 0, "", 0), "secret: both empty");
	tap_ok(secret_equal("a\0c", 3, "a\0c", 3), "secret: NULs compared "
		"by length");
	tap_ok(!secret_equal("a\0c", 3, "a\0d", 3), "secret: bytes after a "
		"NUL count");
	tap_ok(!secret_equal("ABC", 3, "abc", 3), "secret: case-sensitive");
	tap_ok(!secret_equal("\x80", 1, "\x00", 1), "secret: high bit");
	/* the input is shorter than the stored secret: no over-read */
	char one[1] = { 'a' };
	tap_ok(!secret_equal(one, 1, "aaaaaaaa", 8), "secret: a short input "
		"is not read past its end");
	char big[300];
	memset(big, 'z', sizeof(big));
	tap_ok(secret_equal(big, sizeof(big), big, sizeof(big)),
		"secret: long equal");
	char big2[300];
	memcpy(big2, big, sizeof(big));
	big2[299] = 'y';
	tap_ok(!secret_equal(big, sizeof(big), big2, sizeof(big2)),
		"secret: long, last byte differs");
}

int main(void) {
	test_split();
	test_basic();
	test_base64();
	test_cookie();
	test_secret();
	return tap_done();
}
