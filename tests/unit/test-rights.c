/*
 * tests/unit/test-rights.c: the rights masks (server/data/rights.c) over
 * every value 0-511 of both enums: each form reads back as the value it
 * was written from, the XML form uses single XSD flags only, each once,
 * and the documented examples come out as SuperOffice writes them.
 */
#include "build-config.h"

#include <stdio.h>
#include <string.h>

#include "rights.h"
#include "strbuf.h"
#include "tap.h"

static const char *const table_flags[] = { "Select", "Update", "Insert",
	"Delete", "Filtering", "RestrictedUpdate", "Unused1", "Uninitialized",
	"R", "F", NULL };
static const char *const field_flags[] = { "Read", "Write", "Unused1",
	"Unused2", "Unused3", "Unused4", "UIHintMandatory", "UIHintReadOnly",
	"UndefinedValue256", "Nullable", NULL };

static void text(enum rights_kind kind, uint32_t v, bool xsd, char *buf,
		size_t cap) {
	struct strbuf sb;
	strbuf_init(&sb, 4096);
	if (xsd) {
		rights_put_xsd(&sb, kind, v);
	} else {
		rights_put_dotnet(&sb, kind, v);
	}
	snprintf(buf, cap, "%s", sb.data ? sb.data : "");
	strbuf_finish(&sb);
}

/* Every space-separated token is a single XSD flag, none twice. */
static bool xsd_tokens_ok(const char *s, const char *const *flags) {
	char copy[512];
	char *seen[32];
	size_t n_seen = 0;
	snprintf(copy, sizeof(copy), "%s", s);
	if (copy[0] == ' ' || (copy[0] && copy[strlen(copy) - 1] == ' ') ||
			strstr(copy, "  ")) {
		return false;
	}
	for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok;
			tok = strtok_r(NULL, " ", &save)) {
		bool known = false;
		for (size_t i = 0; flags[i]; i++) {
			known = known || !strcmp(tok, flags[i]);
		}
		for (size_t i = 0; i < n_seen; i++) {
			if (!strcmp(seen[i], tok)) {
				return false;
			}
		}
		if (!known || n_seen == 32) {
			return false;
		}
		seen[n_seen++] = tok;
	}
	return true;
}

static void every_value(enum rights_kind kind, const char *what,
		const char *const *flags) {
	unsigned bad_xsd = 0, bad_round = 0, bad_refuse = 0;
	char buf[512], num[16];
	for (uint32_t v = 0; v < 512; v++) {
		uint32_t back;
		snprintf(num, sizeof(num), "%u", v);
		if (v > rights_max(kind)) {
			bad_refuse += rights_parse(kind, num, strlen(num), &back);
			continue;
		}
		text(kind, v, true, buf, sizeof(buf));
		bad_xsd += !xsd_tokens_ok(buf, flags);
		bad_round += !rights_parse(kind, buf, strlen(buf), &back) ||
			back != v;
		text(kind, v, false, buf, sizeof(buf));
		bad_round += !rights_parse(kind, buf, strlen(buf), &back) ||
			back != v;
		bad_round += !rights_parse(kind, num, strlen(num), &back) ||
			back != v;
	}
	tap_int(bad_xsd, 0, "%s 0-%u: XML text is single XSD flags, each once",
		what, rights_max(kind));
	tap_int(bad_round, 0, "%s 0-%u: XML, .NET and number forms read back",
		what, rights_max(kind));
	tap_int(bad_refuse, 0, "%s %u-511: refused (no XSD flag holds them)",
		what, rights_max(kind) + 1);
}

static void expect(enum rights_kind kind, uint32_t v, const char *dotnet,
		const char *xsd) {
	char buf[512];
	text(kind, v, false, buf, sizeof(buf));
	tap_str(buf, dotnet, "%s %u as .NET writes it",
		kind == RIGHTS_TABLE ? "ETableRight" : "EFieldRight", v);
	text(kind, v, true, buf, sizeof(buf));
	tap_str(buf, xsd, "%s %u as DataContract writes it",
		kind == RIGHTS_TABLE ? "ETableRight" : "EFieldRight", v);
}

static void parse_forms(void) {
	uint32_t v = 0;
	tap_ok(rights_parse(RIGHTS_TABLE, "FULL", 4, &v) && v == 15, "FULL");
	tap_ok(rights_parse(RIGHTS_TABLE, "full", 4, &v) && v == 15,
		"names are case-insensitive");
	tap_ok(rights_parse(RIGHTS_TABLE, "RI, RestrictedUpdate", 20, &v) &&
		v == 37, ".NET list");
	tap_ok(rights_parse(RIGHTS_TABLE, "Select Update Insert Delete", 27,
		&v) && v == 15, "XSD list");
	tap_ok(rights_parse(RIGHTS_TABLE, "", 0, &v) && v == 0, "empty is 0");
	tap_ok(rights_parse(RIGHTS_TABLE, "None", 4, &v) && v == 0, "None");
	tap_ok(rights_parse(RIGHTS_FIELD, "FULL", 4, &v) && v == 3,
		"EFieldRight FULL is CRMScript's Update");
	tap_ok(!rights_parse(RIGHTS_TABLE, "Read", 4, &v),
		"Read is no ETableRight member");
	tap_ok(!rights_parse(RIGHTS_TABLE, "Select,Bogus", 12, &v),
		"an unknown name is refused");
	tap_ok(!rights_parse(RIGHTS_TABLE, "256", 3, &v), "256 is refused");
	tap_ok(!rights_parse(RIGHTS_TABLE, "-1", 2, &v), "-1 is refused");
}

int main(void) {
	every_value(RIGHTS_TABLE, "ETableRight", table_flags);
	every_value(RIGHTS_FIELD, "EFieldRight", field_flags);
	expect(RIGHTS_TABLE, 0, "None", "");
	expect(RIGHTS_TABLE, 1, "Select", "Select");
	expect(RIGHTS_TABLE, 15, "FULL", "Select Update Insert Delete");
	expect(RIGHTS_TABLE, 16, "Filtering", "Filtering");
	expect(RIGHTS_TABLE, 37, "RI, RestrictedUpdate",
		"Select Insert RestrictedUpdate");
	/* .NET takes the largest names first: FI (20) before FULL (15) */
	expect(RIGHTS_TABLE, 255, "UDR, FI, RestrictedUpdate, Unused1, "
		"Uninitialized", "Select Update Insert Delete "
		"Filtering RestrictedUpdate Unused1 Uninitialized");
	expect(RIGHTS_FIELD, 0, "None", "");
	expect(RIGHTS_FIELD, 3, "Update", "Read Write");
	expect(RIGHTS_FIELD, 67, "Update, UIHintMandatory",
		"Read Write UIHintMandatory");
	expect(RIGHTS_FIELD, 192, "UIHints", "UIHintMandatory UIHintReadOnly");
	expect(RIGHTS_FIELD, 32, "Unused4", "Unused4");
	parse_forms();
	const char *name = NULL;
	uint32_t value = 0;
	tap_ok(rights_xsd_member(RIGHTS_TABLE, 8, &name, &value) &&
		!strcmp(name, "R") && value == 1 &&
		!rights_xsd_member(RIGHTS_TABLE, 10, &name, &value),
		"ETableRight's XSD members: R is the ninth, ten in all");
	tap_ok(rights_xsd_member(RIGHTS_FIELD, 9, &name, &value) &&
		!strcmp(name, "Nullable") && value == 32 &&
		!rights_xsd_member(RIGHTS_FIELD, 10, &name, &value),
		"EFieldRight's XSD members: Nullable is the tenth, the last");
	return tap_done();
}
