#include "build-config.h"
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "iso8601.h"
#include "number.h"
#include "tz.h"

/* How a row's value is parsed and stored. */
enum kind {
	KIND_STRING,   /* const char *, borrowed from argv or environ */
	KIND_TOKEN,    /* const char *; the empty string means none (NULL) */
	KIND_UINT,     /* unsigned in [min, max] */
	KIND_SIZE,     /* size_t in [min, max] */
	KIND_ENUM,     /* an int-sized enum: one of .choices, by name */
	KIND_TIME,     /* const char *: "now" or an ISO 8601 date and time */
	KIND_FILES,    /* repeatable list of paths; the variable splits at ':' */
	KIND_FLAG,     /* bool, no argument; "", "0", "false" in the variable */
	KIND_COUNT,    /* int, no argument, repeatable; the variable: a count */
	KIND_HELP,     /* print the usage, exit 0 */
	KIND_VERSION,  /* print the version, exit 0 */
};

struct choice {
	const char *name;
	int value;
};

struct opt {
	const char *name;       /* --NAME */
	char short_name;        /* -X, or 0 */
	const char *env;        /* SOMOCK_ variable, or NULL */
	const char *arg;        /* placeholder; KIND_ENUM lists its choices */
	const char *def;        /* default, parsed as a value; NULL: zero */
	const char *def_doc;    /* --help's words for a NULL default */
	enum kind kind;
	size_t at;              /* offsetof(struct config, the field) */
	size_t count_at;        /* KIND_FILES: offsetof the count */
	int64_t min, max;       /* KIND_UINT, KIND_SIZE, KIND_COUNT; KIND_FILES */
	const struct choice *choices; /* KIND_ENUM, ends with a NULL name */
	const char *help;
};

/* KIND_ENUM stores through an int */
_Static_assert(sizeof(enum auth_mode) == sizeof(int), "auth_mode is an int");
_Static_assert(sizeof(enum config_log_format) == sizeof(int),
	"config_log_format is an int");
_Static_assert(sizeof(enum api_dates) == sizeof(int), "api_dates is an int");

static const struct choice mode_choices[] = {
	{ "onsite", AUTH_MODE_ONSITE },
	{ "online", AUTH_MODE_ONLINE },
	{ NULL, 0 },
};

static const struct choice dates_choices[] = {
	{ "sample", API_DATES_SAMPLE },
	{ "documented", API_DATES_DOCUMENTED },
	{ NULL, 0 },
};

static const struct choice log_format_choices[] = {
	{ "text", CONFIG_LOG_TEXT },
	{ "json", CONFIG_LOG_JSON },
	{ NULL, 0 },
};

/*
 * A row's field: its offset in struct config, plus zero times a _Generic
 * that only compiles when the field has type T, so a row cannot store the
 * wrong type. Arrays are seen as pointers to their first element.
 */
#define FIELD(f, T) (offsetof(struct config, f) + \
	0 * sizeof(_Generic(((struct config *)0)->f, T: 1)))
#define STRING(f) .kind = KIND_STRING, .at = FIELD(f, const char *)
#define TOKEN(f) .kind = KIND_TOKEN, .at = FIELD(f, const char *)
#define TIME(f) .kind = KIND_TIME, .at = FIELD(f, const char *)
#define UINT(f, lo, hi) .kind = KIND_UINT, .at = FIELD(f, unsigned), \
	.min = (lo), .max = (hi)
#define SIZE(f, lo, hi) .kind = KIND_SIZE, .at = FIELD(f, size_t), \
	.min = (lo), .max = (hi)
#define ENUM(f, T, c) .kind = KIND_ENUM, .at = FIELD(f, T), .choices = (c)
#define FLAG(f) .kind = KIND_FLAG, .at = FIELD(f, bool)
#define COUNT(f, lo, hi) .kind = KIND_COUNT, .at = FIELD(f, int), \
	.min = (lo), .max = (hi)
#define FILES(f, n) .kind = KIND_FILES, .at = FIELD(f, const char **), \
	.count_at = FIELD(n, size_t), \
	.max = sizeof(((struct config *)0)->f) / \
		sizeof(((struct config *)0)->f[0])

/*
 * The `serve` options, each declared once: getopt's tables, --help, the
 * SOMOCK_ variables and the defaults are all read from here. The order
 * is --help's. README.md lists the same options; tests/integration
 * compares the two.
 */
static const struct opt opts[] = {
	{
		.name = "db", .env = "SOMOCK_DB", .arg = "PATH",
		.def_doc = "in memory", STRING(db_path),
		.help = "SQLite database made by init-db, opened read-only",
	}, {
		.name = "fixtures", .env = "SOMOCK_FIXTURES", .arg = "FILE",
		.def_doc = "the bundled demo", FILES(fixtures, n_fixtures),
		.help = "serve these fixtures, over --db's data if given",
	}, {
		.name = "listen", .env = "SOMOCK_LISTEN", .arg = "ADDR",
		.def = "127.0.0.1", STRING(listen),
		.help = "address to bind (IPv4 or IPv6)",
	}, {
		.name = "port", .env = "SOMOCK_PORT", .arg = "N",
		.def = "8080", UINT(port, 0, 65535),
		.help = "port; 0 picks a free one",
	}, {
		.name = "mode", .env = "SOMOCK_MODE",
		.def = "onsite", ENUM(mode, enum auth_mode, mode_choices),
		.help = "installation type",
	}, {
		/* checked against the zone database when serving starts */
		.name = "timezone", .env = "SOMOCK_TIMEZONE", .arg = "CODE",
		.def = "UTC", STRING(timezone),
		.help = "server zone: a SuperOffice code (NO), id or IANA name",
	}, {
		.name = "dates", .env = "SOMOCK_DATES",
		.def = "sample", ENUM(dates, enum api_dates, dates_choices),
		.help = "sample: every date carries Z or its offset; "
			"documented: SO-TimeZone without includeTZOffset gives "
			"bare local time",
	}, {
		.name = "threads", .env = "SOMOCK_THREADS", .arg = "N",
		.def_doc = "one per core", UINT(threads, 1, 256),
		.help = "worker threads",
	}, {
		.name = "max-connections", .env = "SOMOCK_MAX_CONNECTIONS",
		.arg = "N", .def = "1024", UINT(max_connections, 1, 65536),
		.help = "concurrent connections",
	}, {
		.name = "per-ip-connections",
		.env = "SOMOCK_PER_IP_CONNECTIONS", .arg = "N",
		.def = "512", UINT(per_ip_connections, 1, 65536),
		.help = "connections per client address",
	}, {
		.name = "connection-timeout",
		.env = "SOMOCK_CONNECTION_TIMEOUT", .arg = "S",
		.def = "30", UINT(connection_timeout, 1, 86400),
		.help = "idle seconds before a connection is closed",
	}, {
		.name = "connection-memory",
		.env = "SOMOCK_CONNECTION_MEMORY", .arg = "B",
		.def = "65536", SIZE(connection_memory, 4096, 16777216),
		.help = "memory per connection (caps request headers)",
	}, {
		.name = "stop-timeout", .env = "SOMOCK_STOP_TIMEOUT",
		.arg = "S", .def = "30", UINT(stop_timeout, 1, 3600),
		.help = "on SIGTERM, wait this long for requests in flight",
	}, {
		.name = "log-format", .env = "SOMOCK_LOG_FORMAT",
		.def = "text",
		ENUM(log_format, enum config_log_format, log_format_choices),
		.help = "log format; json: every line is JSON",
	}, {
		.name = "no-cache", .env = "SOMOCK_NO_CACHE",
		.def_doc = "off", FLAG(no_cache),
		.help = "render every answer afresh",
	}, {
		.name = "admin-token", .env = "SOMOCK_ADMIN_TOKEN", .arg = "T",
		.def_doc = "none", TOKEN(admin_token),
		.help = "non-loopback clients may use /__somock/ with "
			"X-Somock-Admin-Token: T",
	}, {
		.name = "journal-size", .env = "SOMOCK_JOURNAL_SIZE",
		.arg = "N", .def = "1000", UINT(journal_size, 1, 1000000),
		.help = "requests kept for GET /__somock/requests",
	}, {
		.name = "sandbox-max", .env = "SOMOCK_SANDBOX_MAX", .arg = "N",
		.def = "64", UINT(sandbox_max, 1, 4096),
		.help = "sandboxes (X-Somock-Sandbox) at once",
	}, {
		.name = "sandbox-memory", .env = "SOMOCK_SANDBOX_MEMORY",
		.arg = "B", .def = "536870912",
		SIZE(sandbox_memory, 1048576, 1099511627776),
		.help = "bytes the sandboxes' copies of the data may take",
	}, {
		.name = "sandbox-idle", .env = "SOMOCK_SANDBOX_IDLE",
		.arg = "S", .def = "300", UINT(sandbox_idle, 1, 86400),
		.help = "drop a sandbox unused this many seconds",
	}, {
		.name = "simulate", .env = "SOMOCK_SIMULATE",
		.def_doc = "off", FLAG(simulate),
		.help = "tasks advance like real batch tasks (mock clock)",
	}, {
		.name = "freeze-clock", .env = "SOMOCK_FREEZE_CLOCK",
		.arg = "TIME", .def_doc = "running", TIME(freeze_clock),
		.help = "start the mock clock frozen at TIME (ISO 8601) or "
			"'now'; /__somock/clock moves it",
	}, {
		.name = "watch", .env = "SOMOCK_WATCH",
		.def_doc = "off", FLAG(watch),
		.help = "reload the --fixtures files when they change",
	}, {
		.name = "tls-cert", .env = "SOMOCK_TLS_CERT", .arg = "FILE",
		.def_doc = "plain HTTP", STRING(tls_cert),
		.help = "serve HTTPS: this PEM certificate, with --tls-key",
	}, {
		.name = "tls-key", .env = "SOMOCK_TLS_KEY", .arg = "FILE",
		.def_doc = "plain HTTP", STRING(tls_key),
		.help = "... and this PEM key",
	}, {
		.name = "cors", .env = "SOMOCK_CORS", .arg = "ORIGIN",
		.def_doc = "off", STRING(cors),
		.help = "allow cross-origin calls from ORIGIN (or *)",
	}, {
		.name = "verbose", .short_name = 'v', .env = "SOMOCK_VERBOSE",
		.def_doc = "errors and warnings", COUNT(verbose, 0, 3),
		.help = "-v access log, -vv debug, -vvv with source locations",
	}, {
		.name = "help", .short_name = 'h', .kind = KIND_HELP,
		.help = "print this and exit",
	}, {
		.name = "version", .kind = KIND_VERSION,
		.help = "print the version and exit",
	},
};

#undef FILES
#undef COUNT
#undef FLAG
#undef ENUM
#undef SIZE
#undef UINT
#undef TIME
#undef TOKEN
#undef STRING
#undef FIELD

enum {
	N_OPTS = sizeof(opts) / sizeof(opts[0]),
	/* getopt's value for a row without a short name: LONG_VAL + index */
	LONG_VAL = 256,
	HELP_COL = 27,  /* where --help's descriptions start */
	HELP_END = 79,  /* the last column --help writes */
};

static bool takes_arg(const struct opt *o) {
	return o->kind != KIND_FLAG && o->kind != KIND_COUNT &&
		o->kind != KIND_HELP && o->kind != KIND_VERSION;
}

static bool repeatable(const struct opt *o) {
	return o->kind == KIND_FILES || o->kind == KIND_COUNT;
}

/*
 * Write "-v, --verbose", "--port N" or "--mode onsite|online"; returns
 * the columns written.
 */
static int put_spec(FILE *out, const struct opt *o) {
	int n = 0;
	if (o->short_name) {
		n += fprintf(out, "-%c, ", o->short_name);
	}
	n += fprintf(out, "--%s", o->name);
	for (const struct choice *c = o->choices; c && c->name; c++) {
		n += fprintf(out, "%c%s", c == o->choices ? ' ' : '|', c->name);
	}
	if (o->arg) {
		n += fprintf(out, " %s", o->arg);
	}
	return n;
}

/*
 * Write @text's words from column @col on, breaking lines before
 * HELP_END and going on at HELP_COL; ends the line.
 */
static void put_words(FILE *out, size_t col, const char *text) {
	bool first = true;
	for (const char *p = text; *p; ) {
		size_t n = strcspn(p, " ");
		if (!first && col + 1 + n > HELP_END) {
			fprintf(out, "\n%*s", HELP_COL, "");
			col = HELP_COL;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += n;
		p += n;
		p += strspn(p, " ");
		first = false;
	}
	fputc('\n', out);
}

static void usage_option(FILE *out, const struct opt *o) {
	fputs("  ", out);
	int col = 2 + put_spec(out, o);
	if (col > HELP_COL - 2) {
		fputc('\n', out);
		col = 0;
	}
	fprintf(out, "%*s", HELP_COL - col, "");
	char buf[256];
	snprintf(buf, sizeof(buf), "%s%s", o->help,
		repeatable(o) ? " (repeatable)" : "");
	put_words(out, HELP_COL, buf);
	if (!o->env) {
		return;
	}
	const char *how = o->kind == KIND_FILES ? " (':'-separated)" : "";
	char range[64] = "";
	if (o->kind == KIND_COUNT) {
		snprintf(range, sizeof(range), " (%lld-%lld)",
			(long long)o->min, (long long)o->max);
	}
	snprintf(buf, sizeof(buf), "%s%s%s; default: %s", o->env, how, range,
		o->def ? o->def : o->def_doc);
	fprintf(out, "%*s", HELP_COL, "");
	put_words(out, HELP_COL, buf);
}

void config_usage(FILE *out) {
	fputs("usage: somock serve [options]\n"
		"\n"
		"Serve the mock over HTTP until SIGINT or SIGTERM; SIGHUP reloads\n"
		"the data. Options, each with the environment variable that also\n"
		"sets it (the command line wins) and its default:\n", out);
	for (size_t i = 0; i < N_OPTS; i++) {
		usage_option(out, &opts[i]);
	}
	fputs("\nExit status: 0 after a clean stop, 1 when serving fails or a\n"
		"stop cuts requests short, 2 for a usage error. More: somock(1).\n",
		out);
}

static void *field(struct config *cfg, size_t at) {
	return (char *)cfg + at;
}

static bool set_number(const struct opt *o, const char *v, int64_t *n) {
	if (parse_int64(v, o->min, o->max, n)) {
		return true;
	}
	fprintf(stderr, "somock: --%s: '%s' is not a number in [%lld, %lld]\n",
		o->name, v, (long long)o->min, (long long)o->max);
	return false;
}

static bool set_enum(const struct opt *o, const char *v, int *out) {
	for (const struct choice *c = o->choices; c->name; c++) {
		if (!ascii_casecmp(v, c->name)) {
			*out = c->value;
			return true;
		}
	}
	fprintf(stderr, "somock: --%s: '%s' is not ", o->name, v);
	for (const struct choice *c = o->choices; c->name; c++) {
		fprintf(stderr, "%s%s", c == o->choices ? "" :
			c[1].name ? ", " : " or ", c->name);
	}
	fputc('\n', stderr);
	return false;
}

static bool add_file(struct config *cfg, const struct opt *o,
		const char *path) {
	const char **list = field(cfg, o->at);
	size_t *n = field(cfg, o->count_at);
	if (*n == (size_t)o->max) {
		fprintf(stderr, "somock: at most %lld --%s files\n",
			(long long)o->max, o->name);
		return false;
	}
	list[(*n)++] = path;
	return true;
}

/* A flag from the command line (NULL) or the environment ("0" is off). */
static bool flag_value(const char *v) {
	return !v || (*v && strcmp(v, "0") && ascii_casecmp(v, "false"));
}

/*
 * Store one value of @o (NULL for an option without argument on the
 * command line); false, with the message printed, when it is not valid.
 */
static bool set(struct config *cfg, const struct opt *o, const char *v) {
	void *p = field(cfg, o->at);
	int64_t n;
	switch (o->kind) {
	case KIND_STRING:
		*(const char **)p = v;
		return true;
	case KIND_TOKEN:
		*(const char **)p = *v ? v : NULL;
		return true;
	case KIND_UINT:
		if (!set_number(o, v, &n)) {
			return false;
		}
		*(unsigned *)p = (unsigned)n;
		return true;
	case KIND_SIZE:
		if (!set_number(o, v, &n)) {
			return false;
		}
		*(size_t *)p = (size_t)n;
		return true;
	case KIND_ENUM:
		return set_enum(o, v, p);
	case KIND_TIME:
		if (strcmp(v, "now") && !tz_parse_iso(v, strlen(v), &n)) {
			fprintf(stderr, "somock: --%s: '%s' is not 'now' or a "
				"date such as 2030-01-01T00:00:00Z\n", o->name, v);
			return false;
		}
		*(const char **)p = v;
		return true;
	case KIND_FILES:
		return add_file(cfg, o, v);
	case KIND_FLAG:
		*(bool *)p = flag_value(v);
		return true;
	case KIND_COUNT:
		(*(int *)p)++;
		return true;
	case KIND_HELP:
	case KIND_VERSION:
		return true;
	}
	return false;
}

/*
 * The variable's form, where it differs from the option's: a list split
 * at ':' in place, skipping empty parts, and a count given as a number in
 * [min, max].
 */
static bool set_from_env(struct config *cfg, const struct opt *o, char *v) {
	if (o->kind == KIND_FILES) {
		for (char *s = v, *p = v; ; p++) {
			if (*p != ':' && *p) {
				continue;
			}
			bool end = !*p;
			*p = '\0';
			if (*s && !add_file(cfg, o, s)) {
				return false;
			}
			if (end) {
				return true;
			}
			s = p + 1;
		}
	}
	if (o->kind == KIND_COUNT) {
		int64_t n;
		if (!set_number(o, v, &n)) {
			return false;
		}
		*(int *)field(cfg, o->at) = (int)n;
		return true;
	}
	return set(cfg, o, v);
}

/* The command line's first -v or --fixtures replaces the variable's. */
static void clear(struct config *cfg, const struct opt *o) {
	if (o->kind == KIND_FILES) {
		*(size_t *)field(cfg, o->count_at) = 0;
	} else if (o->kind == KIND_COUNT) {
		*(int *)field(cfg, o->at) = 0;
	}
}

static bool set_defaults(struct config *cfg) {
	*cfg = (struct config){ 0 };
	for (size_t i = 0; i < N_OPTS; i++) {
		if (opts[i].def && !set(cfg, &opts[i], opts[i].def)) {
			return false;
		}
	}
	return true;
}

static bool set_env(struct config *cfg) {
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct opt *o = &opts[i];
		char *v = o->env ? getenv(o->env) : NULL;
		if (v && !set_from_env(cfg, o, v)) {
			fprintf(stderr, "somock: (from %s)\n", o->env);
			return false;
		}
	}
	return true;
}

/* getopt_long's tables, from opts[] */
static void getopt_tables(struct option *longs, char *shorts) {
	size_t n = 0;
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct opt *o = &opts[i];
		longs[i] = (struct option){ o->name,
			takes_arg(o) ? required_argument : no_argument, NULL,
			o->short_name ? o->short_name : LONG_VAL + (int)i };
		if (o->short_name) {
			shorts[n++] = o->short_name;
			if (takes_arg(o)) {
				shorts[n++] = ':';
			}
		}
	}
	longs[N_OPTS] = (struct option){ NULL, 0, NULL, 0 };
	shorts[n] = '\0';
}

/* The row getopt_long answered @c for; NULL for '?' */
static const struct opt *find(int c) {
	if (c >= LONG_VAL && c < LONG_VAL + N_OPTS) {
		return &opts[c - LONG_VAL];
	}
	for (size_t i = 0; i < N_OPTS; i++) {
		if (c && opts[i].short_name == c) {
			return &opts[i];
		}
	}
	return NULL;
}

/*
 * Start getopt afresh: 0, unlike 1, also drops glibc's and musl's
 * position inside a previous argv's bundled short options.
 */
static void getopt_restart(bool report) {
	optind = 0;
	opterr = report;
}

enum config_result config_parse_serve(struct config *cfg, int argc,
		char **argv) {
	struct option longs[N_OPTS + 1];
	char shorts[2 * N_OPTS + 1];
	getopt_tables(longs, shorts);

	/* first pass: usage errors, --help and --version only */
	getopt_restart(true);
	for (;;) {
		int c = getopt_long(argc, argv, shorts, longs, NULL);
		if (c == -1) {
			break;
		}
		const struct opt *o = find(c);
		if (!o) {
			config_usage(stderr);
			return CONFIG_USAGE;
		}
		if (o->kind == KIND_HELP) {
			config_usage(stdout);
			return CONFIG_EXIT_OK;
		}
		if (o->kind == KIND_VERSION) {
			printf("somock %s\n", SOMOCK_VERSION);
			return CONFIG_EXIT_OK;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "somock: unexpected argument '%s'\n",
			argv[optind]);
		return CONFIG_USAGE;
	}

	/* defaults, then the environment, then the command line over both */
	if (!set_defaults(cfg) || !set_env(cfg)) {
		return CONFIG_USAGE;
	}
	bool given[N_OPTS] = { false };
	getopt_restart(false);
	for (;;) {
		int c = getopt_long(argc, argv, shorts, longs, NULL);
		if (c == -1) {
			break;
		}
		const struct opt *o = find(c);
		if (!o) {
			return CONFIG_USAGE;
		}
		size_t i = (size_t)(o - opts);
		if (repeatable(o) && !given[i]) {
			clear(cfg, o);
		}
		given[i] = true;
		if (!set(cfg, o, optarg)) {
			return CONFIG_USAGE;
		}
	}

	/* rules between options */
	if (!cfg->tls_cert != !cfg->tls_key) {
		fprintf(stderr, "somock: --tls-cert and --tls-key go together\n");
		return CONFIG_USAGE;
	}
	if (cfg->watch && !cfg->n_fixtures) {
		fprintf(stderr, "somock: --watch needs --fixtures files\n");
		return CONFIG_USAGE;
	}
	return CONFIG_OK;
}
