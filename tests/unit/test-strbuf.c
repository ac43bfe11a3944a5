#include "build-config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tap.h"

static void test_strbuf(void) {
	struct strbuf sb;
	strbuf_init(&sb, 16);
	strbuf_puts(&sb, "hello");
	strbuf_printf(&sb, " %d", 42);
	tap_ok(strbuf_ok(&sb) && !strcmp(sb.data, "hello 42"), "append");
	strbuf_puts(&sb, "0123456789");
	tap_ok(!strbuf_ok(&sb), "past the cap fails");
	strbuf_puts(&sb, "x");
	tap_int((long long)sb.len, 8, "later appends are no-ops");
	strbuf_finish(&sb);
	strbuf_init(&sb, 1 << 20);
	for (int i = 0; i < 1000; i++) {
		strbuf_printf(&sb, "%0300d", i);
	}
	tap_ok(strbuf_ok(&sb) && sb.len == 300000, "growth, long printf");
	strbuf_finish(&sb);
	strbuf_init(&sb, 256);
	const int64_t nums[] = { 0, 7, -7, 1234567890123, INT64_MAX, INT64_MIN };
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		strbuf_put_i64(&sb, nums[i]);
		strbuf_putc(&sb, ' ');
	}
	tap_str(sb.data, "0 7 -7 1234567890123 9223372036854775807 "
		"-9223372036854775808 ", "strbuf_put_i64, INT64_MIN included");
	strbuf_finish(&sb);
	strbuf_init(&sb, 1 << 20);
	for (int i = 0; i < 1000; i++) {
		strbuf_printf(&sb, "%0300d", i);
	}
	size_t len;
	char *p = strbuf_detach(&sb, &len);
	tap_ok(len == 300000 && !sb.data && !sb.len, "detach");
	free(p);
	p = strbuf_detach(&sb, &len);
	tap_ok(p && !*p && !len, "detach empty gives \"\"");
	free(p);
}

int main(void) {
	test_strbuf();
	return tap_done();
}
