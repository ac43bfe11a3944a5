#include "build-config.h"
#include "rights.h"

#include "ascii.h"
#include "number.h"
#include "strbuf.h"

struct right_name {
	const char *name;
	uint32_t value;
};

/*
 * .NET's members in declaration order (the WebApi reference): where two
 * names share a value, the first is the one written. "FULL" on EFieldRight
 * is CRMScript's alias of Update: read, never written.
 */
static const struct right_name table_dotnet[] = {
	{ "None", 0 }, { "Select", 1 }, { "R", 1 }, { "Update", 2 },
	{ "UR", 3 }, { "Insert", 4 }, { "RI", 5 }, { "URI", 7 },
	{ "Delete", 8 }, { "UDR", 11 }, { "FULL", 15 }, { "Filtering", 16 },
	{ "F", 16 }, { "RF", 17 }, { "FI", 20 }, { "RestrictedUpdate", 32 },
	{ "Unused1", 64 }, { "Uninitialized", 128 },
};

static const struct right_name field_dotnet[] = {
	{ "None", 0 }, { "Read", 1 }, { "Write", 2 }, { "Update", 3 },
	{ "Unused1", 4 }, { "Unused2", 8 }, { "Unused3", 16 },
	{ "Unused4", 32 }, { "Nullable", 32 }, { "UIHintMandatory", 64 },
	{ "UIHintReadOnly", 128 }, { "UIHints", 192 },
	{ "UndefinedValue256", 256 }, { "FULL", 3 },
};

/* The vendor XSD's xs:list members, in its order, with their values. */
static const struct right_name table_xsd[] = {
	{ "Select", 1 }, { "Update", 2 }, { "Insert", 4 }, { "Delete", 8 },
	{ "Filtering", 16 }, { "RestrictedUpdate", 32 }, { "Unused1", 64 },
	{ "Uninitialized", 128 }, { "R", 1 }, { "F", 16 },
};

static const struct right_name field_xsd[] = {
	{ "Read", 1 }, { "Write", 2 }, { "Unused1", 4 }, { "Unused2", 8 },
	{ "Unused3", 16 }, { "Unused4", 32 }, { "UIHintMandatory", 64 },
	{ "UIHintReadOnly", 128 }, { "UndefinedValue256", 256 },
	{ "Nullable", 32 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct rights_enum {
	const struct right_name *dotnet;
	size_t n_dotnet;
	size_t n_written;       /* dotnet members that ToString() uses */
	const struct right_name *xsd;
	size_t n_xsd;
	uint32_t max;
};

static const struct rights_enum enums[] = {
	[RIGHTS_TABLE] = { table_dotnet, COUNT(table_dotnet),
		COUNT(table_dotnet), table_xsd, COUNT(table_xsd), 255 },
	[RIGHTS_FIELD] = { field_dotnet, COUNT(field_dotnet),
		COUNT(field_dotnet) - 1, field_xsd, COUNT(field_xsd), 511 },
};

uint32_t rights_max(enum rights_kind kind) {
	return enums[kind].max;
}

static bool name_value(const struct right_name *t, size_t n, const char *s,
		size_t len, uint32_t *out) {
	for (size_t i = 0; i < n; i++) {
		if (ascii_casecmp_n(s, len, t[i].name)) {
			*out = t[i].value;
			return true;
		}
	}
	return false;
}

bool rights_parse(enum rights_kind kind, const char *s, size_t n,
		uint32_t *out) {
	const struct rights_enum *e = &enums[kind];
	uint32_t value = 0;
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ',' || ascii_isspace(s[i]) ||
				s[i] == '\n' || s[i] == '\r')) {
			i++;
		}
		size_t start = i;
		while (i < n && s[i] != ',' && !ascii_isspace(s[i]) &&
				s[i] != '\n' && s[i] != '\r') {
			i++;
		}
		if (i == start) {
			break;
		}
		uint32_t v;
		int64_t num;
		if (parse_int64_n(s + start, i - start, 0, e->max, &num)) {
			v = (uint32_t)num;
		} else if (!name_value(e->dotnet, e->n_dotnet, s + start,
				i - start, &v) && !name_value(e->xsd, e->n_xsd,
				s + start, i - start, &v)) {
			return false;
		}
		value |= v;
	}
	if (value > e->max) {
		return false;
	}
	*out = value;
	return true;
}

/*
 * Enum.ToString() of a [Flags] enum: the one name equal to the value;
 * else, from the largest value down, every name whose bits are all still
 * left, taken away as found, written smallest first; "None" for 0.
 */
void rights_put_dotnet(struct strbuf *out, enum rights_kind kind,
		uint32_t value) {
	const struct rights_enum *e = &enums[kind];
	for (size_t i = 0; i < e->n_written; i++) {
		if (e->dotnet[i].value == value) {
			strbuf_puts(out, e->dotnet[i].name);
			return;
		}
	}
	/* the members by value, largest first; among equals the first */
	size_t found[32];
	size_t n_found = 0;
	uint32_t left = value;
	uint32_t ceiling = UINT32_MAX;
	while (left) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < e->n_written; i++) {
			uint32_t v = e->dotnet[i].value;
			if (v && v < ceiling && (best == SIZE_MAX ||
					v > e->dotnet[best].value)) {
				best = i;
			}
		}
		if (best == SIZE_MAX) {
			break;
		}
		uint32_t v = e->dotnet[best].value;
		ceiling = v;
		if ((left & v) == v && n_found < COUNT(found)) {
			found[n_found++] = best;
			left &= ~v;
		}
	}
	if (left) {
		/* no names make it up: .NET writes the number */
		strbuf_put_i64(out, value);
		return;
	}
	for (size_t k = n_found; k-- > 0;) {
		strbuf_puts(out, e->dotnet[found[k]].name);
		if (k) {
			strbuf_puts(out, ", ");
		}
	}
}

bool rights_xsd_member(enum rights_kind kind, size_t i, const char **name,
		uint32_t *value) {
	const struct rights_enum *e = &enums[kind];
	if (i >= e->n_xsd) {
		return false;
	}
	*name = e->xsd[i].name;
	*value = e->xsd[i].value;
	return true;
}

void rights_put_xsd(struct strbuf *out, enum rights_kind kind,
		uint32_t value) {
	const struct rights_enum *e = &enums[kind];
	if (!value) {
		return;
	}
	for (size_t i = 0; i < e->n_xsd; i++) {
		if (e->xsd[i].value == value) {
			strbuf_puts(out, e->xsd[i].name);
			return;
		}
	}
	bool first = true;
	for (size_t i = 0; i < e->n_xsd && value; i++) {
		uint32_t v = e->xsd[i].value;
		if ((value & v) == v) {
			if (!first) {
				strbuf_putc(out, ' ');
			}
			strbuf_puts(out, e->xsd[i].name);
			first = false;
			value &= ~v;
		}
	}
}
