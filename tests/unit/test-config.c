#include "build-config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

/* Every variable `serve` reads; all are cleared before each parse. */
static const char *const vars[] = {
	"SOMOCK_DB", "SOMOCK_FIXTURES", "SOMOCK_LISTEN", "SOMOCK_PORT",
	"SOMOCK_MODE", "SOMOCK_TIMEZONE", "SOMOCK_THREADS",
	"SOMOCK_MAX_CONNECTIONS", "SOMOCK_PER_IP_CONNECTIONS",
	"SOMOCK_CONNECTION_TIMEOUT", "SOMOCK_CONNECTION_MEMORY",
	"SOMOCK_LOG_FORMAT", "SOMOCK_NO_CACHE", "SOMOCK_ADMIN_TOKEN",
	"SOMOCK_JOURNAL_SIZE", "SOMOCK_SANDBOX_MAX", "SOMOCK_SANDBOX_IDLE",
	"SOMOCK_SIMULATE", "SOMOCK_FREEZE_CLOCK", "SOMOCK_WATCH",
	"SOMOCK_TLS_CERT", "SOMOCK_TLS_KEY", "SOMOCK_CORS", "SOMOCK_VERBOSE",
	NULL,
};

/* What the last parse wrote to stdout and stderr. */
static char out[16384];
static char err[4096];

/* The last parse's argv: config borrows its strings. */
static char arg_text[8192];
static size_t arg_used;
static char *arg_v[160];

/* A copy of @a in arg_text. */
static char *keep(const char *a) {
	size_t len = strlen(a) + 1;
	if (arg_used + len > sizeof(arg_text)) {
		fprintf(stderr, "test-config: arguments too long\n");
		exit(1);
	}
	char *p = memcpy(arg_text + arg_used, a, len);
	arg_used += len;
	return p;
}

/* Send @fd to a temporary file until capture_end. */
static int capture_start(int fd, FILE **tmp) {
	fflush(fd == 1 ? stdout : stderr);
	*tmp = tmpfile();
	int saved = dup(fd);
	if (!*tmp || saved < 0 || dup2(fileno(*tmp), fd) < 0) {
		perror("test-config: cannot capture output");
		exit(1);
	}
	return saved;
}

static void capture_end(int fd, FILE *tmp, int saved, char *buf,
		size_t size) {
	fflush(fd == 1 ? stdout : stderr);
	if (dup2(saved, fd) < 0) {
		exit(1);
	}
	close(saved);
	rewind(tmp);
	size_t n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
}

/*
 * config_parse_serve on "serve" + @args (NULL-terminated) with only the
 * variables in @env ("NAME=value", NULL-terminated, may be NULL) set.
 */
static enum config_result parse(struct config *cfg, const char *const *env,
		const char *const *args) {
	for (const char *const *v = vars; *v; v++) {
		unsetenv(*v);
	}
	for (const char *const *e = env; e && *e; e++) {
		char name[64];
		size_t n = strcspn(*e, "=");
		snprintf(name, sizeof(name), "%.*s", (int)n, *e);
		setenv(name, *e + n + 1, 1);
	}
	arg_used = 0;
	int argc = 0;
	arg_v[argc++] = keep("serve");
	for (const char *const *a = args; a && *a; a++) {
		if (argc + 1 == (int)(sizeof(arg_v) / sizeof(arg_v[0]))) {
			fprintf(stderr, "test-config: too many arguments\n");
			exit(1);
		}
		arg_v[argc++] = keep(*a);
	}
	arg_v[argc] = NULL;

	FILE *tout, *terr;
	int sout = capture_start(1, &tout);
	int serr = capture_start(2, &terr);
	enum config_result r = config_parse_serve(cfg, argc, arg_v);
	capture_end(2, terr, serr, err, sizeof(err));
	capture_end(1, tout, sout, out, sizeof(out));
	return r;
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A field of @c as text, by option name; "(null)" for a NULL string. */
static const char *show(const struct config *c, const char *name) {
	static char buf[4096];
	const char *s = NULL;
	long long n = 0;
	bool is_num = true;
	if (!strcmp(name, "db")) {
		s = c->db_path, is_num = false;
	} else if (!strcmp(name, "listen")) {
		s = c->listen, is_num = false;
	} else if (!strcmp(name, "timezone")) {
		s = c->timezone, is_num = false;
	} else if (!strcmp(name, "admin-token")) {
		s = c->admin_token, is_num = false;
	} else if (!strcmp(name, "tls-cert")) {
		s = c->tls_cert, is_num = false;
	} else if (!strcmp(name, "tls-key")) {
		s = c->tls_key, is_num = false;
	} else if (!strcmp(name, "cors")) {
		s = c->cors, is_num = false;
	} else if (!strcmp(name, "freeze-clock")) {
		s = c->freeze_clock, is_num = false;
	} else if (!strcmp(name, "mode")) {
		s = c->mode == AUTH_MODE_ONLINE ? "online" : "onsite";
		is_num = false;
	} else if (!strcmp(name, "log-format")) {
		s = c->log_format == CONFIG_LOG_JSON ? "json" : "text";
		is_num = false;
	} else if (!strcmp(name, "fixtures")) {
		size_t used = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < c->n_fixtures; i++) {
			used += (size_t)snprintf(buf + used, sizeof(buf) - used,
				"%s%s", i ? ":" : "", c->fixtures[i]);
		}
		return buf;
	} else if (!strcmp(name, "port")) {
		n = c->port;
	} else if (!strcmp(name, "threads")) {
		n = c->threads;
	} else if (!strcmp(name, "max-connections")) {
		n = c->max_connections;
	} else if (!strcmp(name, "per-ip-connections")) {
		n = c->per_ip_connections;
	} else if (!strcmp(name, "connection-timeout")) {
		n = c->connection_timeout;
	} else if (!strcmp(name, "connection-memory")) {
		n = (long long)c->connection_memory;
	} else if (!strcmp(name, "journal-size")) {
		n = c->journal_size;
	} else if (!strcmp(name, "sandbox-max")) {
		n = c->sandbox_max;
	} else if (!strcmp(name, "sandbox-idle")) {
		n = c->sandbox_idle;
	} else if (!strcmp(name, "no-cache")) {
		n = c->no_cache;
	} else if (!strcmp(name, "simulate")) {
		n = c->simulate;
	} else if (!strcmp(name, "watch")) {
		n = c->watch;
	} else if (!strcmp(name, "verbose")) {
		n = c->verbose;
	} else {
		return "(no such option in the test)";
	}
	if (is_num) {
		snprintf(buf, sizeof(buf), "%lld", n);
	} else {
		snprintf(buf, sizeof(buf), "%s", s ? s : "(null)");
	}
	return buf;
}

static void test_defaults(void) {
	struct config c;
	tap_int(parse(&c, NULL, NULL), CONFIG_OK, "no options: ok");
	const char *want[][2] = {
		{ "db", "(null)" }, { "fixtures", "" },
		{ "listen", "127.0.0.1" }, { "port", "8080" },
		{ "mode", "onsite" }, { "timezone", "UTC" }, { "threads", "0" },
		{ "max-connections", "1024" }, { "per-ip-connections", "512" },
		{ "connection-timeout", "30" },
		{ "connection-memory", "65536" }, { "log-format", "text" },
		{ "no-cache", "0" }, { "admin-token", "(null)" },
		{ "journal-size", "1000" }, { "sandbox-max", "64" },
		{ "sandbox-idle", "300" }, { "simulate", "0" },
		{ "freeze-clock", "(null)" }, { "watch", "0" },
		{ "tls-cert", "(null)" }, { "tls-key", "(null)" },
		{ "cors", "(null)" }, { "verbose", "0" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		tap_str(show(&c, want[i][0]), want[i][1], "default --%s",
			want[i][0]);
	}
	tap_int((long long)c.n_fixtures, 0, "default: no fixtures files");
	tap_str(err, "", "defaults: nothing on stderr");
}

/*
 * One option in each form: --NAME @cli alone, its variable = @env alone,
 * and both (the command line wins). @cli NULL: an option without argument.
 * @extra: more arguments every form needs (a partner option).
 */
struct form {
	const char *name;
	const char *var;
	const char *cli, *want_cli;
	const char *env, *want_env;
	const char *extra[3];
};

static const struct form forms[] = {
	{ "db", "SOMOCK_DB", "a.db", "a.db", "b.db", "b.db", { NULL } },
	{ "fixtures", "SOMOCK_FIXTURES", "f.json", "f.json",
		"e1.json:e2.json", "e1.json:e2.json", { NULL } },
	{ "listen", "SOMOCK_LISTEN", "::1", "::1", "0.0.0.0", "0.0.0.0",
		{ NULL } },
	{ "port", "SOMOCK_PORT", "0", "0", "65535", "65535", { NULL } },
	{ "mode", "SOMOCK_MODE", "online", "online", "OnLine", "online",
		{ NULL } },
	{ "mode", "SOMOCK_MODE", "ONSITE", "onsite", "online", "online",
		{ NULL } },
	{ "timezone", "SOMOCK_TIMEZONE", "NO", "NO", "US-NY", "US-NY",
		{ NULL } },
	{ "threads", "SOMOCK_THREADS", "3", "3", "256", "256", { NULL } },
	{ "max-connections", "SOMOCK_MAX_CONNECTIONS", "1", "1", "65536",
		"65536", { NULL } },
	{ "per-ip-connections", "SOMOCK_PER_IP_CONNECTIONS", "7", "7", "9",
		"9", { NULL } },
	{ "connection-timeout", "SOMOCK_CONNECTION_TIMEOUT", "86400",
		"86400", "5", "5", { NULL } },
	{ "connection-memory", "SOMOCK_CONNECTION_MEMORY", "4096", "4096",
		"16777216", "16777216", { NULL } },
	{ "log-format", "SOMOCK_LOG_FORMAT", "json", "json", "JSON", "json",
		{ NULL } },
	{ "log-format", "SOMOCK_LOG_FORMAT", "text", "text", "json", "json",
		{ NULL } },
	{ "no-cache", "SOMOCK_NO_CACHE", NULL, "1", "0", "0", { NULL } },
	{ "admin-token", "SOMOCK_ADMIN_TOKEN", "s3cret", "s3cret", "t0ken",
		"t0ken", { NULL } },
	{ "admin-token", "SOMOCK_ADMIN_TOKEN", "", "(null)", "t0ken",
		"t0ken", { NULL } },
	{ "journal-size", "SOMOCK_JOURNAL_SIZE", "1", "1", "1000000",
		"1000000", { NULL } },
	{ "sandbox-max", "SOMOCK_SANDBOX_MAX", "4096", "4096", "1", "1",
		{ NULL } },
	{ "sandbox-idle", "SOMOCK_SANDBOX_IDLE", "1", "1", "86400", "86400",
		{ NULL } },
	{ "simulate", "SOMOCK_SIMULATE", NULL, "1", "false", "0", { NULL } },
	{ "freeze-clock", "SOMOCK_FREEZE_CLOCK", "now", "now",
		"2030-01-01T00:00:00Z", "2030-01-01T00:00:00Z", { NULL } },
	{ "watch", "SOMOCK_WATCH", NULL, "1", "0", "0",
		{ "--fixtures", "w.json" } },
	{ "tls-cert", "SOMOCK_TLS_CERT", "c.pem", "c.pem", "d.pem", "d.pem",
		{ "--tls-key", "k.pem" } },
	{ "tls-key", "SOMOCK_TLS_KEY", "k.pem", "k.pem", "l.pem", "l.pem",
		{ "--tls-cert", "c.pem" } },
	{ "cors", "SOMOCK_CORS", "*", "*", "https://example.com",
		"https://example.com", { NULL } },
	{ "verbose", "SOMOCK_VERBOSE", NULL, "1", "2", "2", { NULL } },
};

static void test_form(const struct form *f) {
	char opt[64], env[128];
	snprintf(opt, sizeof(opt), "--%s", f->name);
	snprintf(env, sizeof(env), "%s=%s", f->var, f->env);
	const char *args[8] = { opt };
	size_t n = 1;
	if (f->cli) {
		args[n++] = f->cli;
	}
	for (size_t i = 0; f->extra[i]; i++) {
		args[n++] = f->extra[i];
	}
	const char *extra_only[8] = { NULL };
	for (size_t i = 0; f->extra[i]; i++) {
		extra_only[i] = f->extra[i];
	}
	const char *envs[] = { env, NULL };
	struct config c;

	tap_int(parse(&c, NULL, args), CONFIG_OK, "%s %s: ok", opt,
		f->cli ? f->cli : "");
	tap_str(show(&c, f->name), f->want_cli, "%s %s", opt,
		f->cli ? f->cli : "");

	tap_int(parse(&c, envs, extra_only), CONFIG_OK, "%s: ok", env);
	tap_str(show(&c, f->name), f->want_env, "%s", env);

	tap_int(parse(&c, envs, args), CONFIG_OK, "%s and %s: ok", env, opt);
	tap_str(show(&c, f->name), f->want_cli, "%s %s wins over %s", opt,
		f->cli ? f->cli : "", env);
}

static void test_flags(void) {
	struct {
		const char *value;
		bool on;
	} cases[] = {
		{ "1", true }, { "yes", true }, { "true", true }, { "on", true },
		{ "0", false }, { "false", false }, { "FALSE", false },
		{ "", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char env[64];
		snprintf(env, sizeof(env), "SOMOCK_NO_CACHE=%s", cases[i].value);
		struct config c;
		parse(&c, ARGS(env), NULL);
		tap_int(c.no_cache, cases[i].on, "%s: %s", env,
			cases[i].on ? "on" : "off");
	}
}

static void test_repeatable(void) {
	struct config c;
	struct {
		const char *env;
		const char *const *args;
		const char *name, *want;
	} cases[] = {
		{ NULL, ARGS("-v"), "verbose", "1" },
		{ NULL, ARGS("-vv"), "verbose", "2" },
		{ NULL, ARGS("-v", "--verbose", "-v"), "verbose", "3" },
		{ NULL, ARGS("-vvvv"), "verbose", "4" },
		{ "SOMOCK_VERBOSE=3", ARGS("-v"), "verbose", "1" },
		{ "SOMOCK_VERBOSE=0", NULL, "verbose", "0" },
		{ NULL, ARGS("--fixtures", "a", "--fixtures", "b"), "fixtures",
			"a:b" },
		{ "SOMOCK_FIXTURES=a::b:", NULL, "fixtures", "a:b" },
		{ "SOMOCK_FIXTURES=", NULL, "fixtures", "" },
		{ "SOMOCK_FIXTURES=a:b", ARGS("--fixtures", "c", "--fixtures",
			"d"), "fixtures", "c:d" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *envs[] = { cases[i].env, NULL };
		enum config_result r = parse(&c, envs, cases[i].args);
		char what[128] = "";
		for (const char *const *a = cases[i].args; a && *a; a++) {
			size_t n = strlen(what);
			snprintf(what + n, sizeof(what) - n, " %s", *a);
		}
		tap_ok(r == CONFIG_OK &&
			!strcmp(show(&c, cases[i].name), cases[i].want),
			"%s%s: %s is '%s' (got '%s')",
			cases[i].env ? cases[i].env : "", what, cases[i].name,
			cases[i].want, show(&c, cases[i].name));
	}

	/* CONFIG_MAX_FIXTURES files, from either side, and one more */
	static char names[CONFIG_MAX_FIXTURES + 1][8];
	const char *args[2 * (CONFIG_MAX_FIXTURES + 1) + 1] = { NULL };
	static char env[16 + (CONFIG_MAX_FIXTURES + 1) * 8];
	size_t used = (size_t)snprintf(env, sizeof(env), "SOMOCK_FIXTURES=");
	for (int i = 0; i <= CONFIG_MAX_FIXTURES; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d", i);
		args[2 * i] = "--fixtures";
		args[2 * i + 1] = names[i];
	}
	for (int i = 0; i < CONFIG_MAX_FIXTURES; i++) {
		used += (size_t)snprintf(env + used, sizeof(env) - used, "%s%s",
			i ? ":" : "", names[i]);
	}
	const char *full_env[] = { env, NULL };
	args[2 * CONFIG_MAX_FIXTURES] = NULL;
	tap_ok(parse(&c, NULL, args) == CONFIG_OK &&
		c.n_fixtures == CONFIG_MAX_FIXTURES,
		"%d --fixtures: ok", CONFIG_MAX_FIXTURES);
	tap_ok(parse(&c, full_env, NULL) == CONFIG_OK &&
		c.n_fixtures == CONFIG_MAX_FIXTURES,
		"%d files in SOMOCK_FIXTURES: ok", CONFIG_MAX_FIXTURES);
	tap_ok(parse(&c, full_env, args) == CONFIG_OK &&
		c.n_fixtures == CONFIG_MAX_FIXTURES,
		"%d files in each: the command line's replace the variable's",
		CONFIG_MAX_FIXTURES);
	args[2 * CONFIG_MAX_FIXTURES] = "--fixtures";
	char msg[128];
	snprintf(msg, sizeof(msg), "somock: at most %d --fixtures files\n",
		CONFIG_MAX_FIXTURES);
	tap_int(parse(&c, NULL, args), CONFIG_USAGE, "%d --fixtures: usage",
		CONFIG_MAX_FIXTURES + 1);
	tap_str(err, msg, "... and says how many");
	snprintf(env + used, sizeof(env) - used, ":%s",
		names[CONFIG_MAX_FIXTURES]);
	tap_int(parse(&c, full_env, NULL), CONFIG_USAGE,
		"%d files in SOMOCK_FIXTURES: usage", CONFIG_MAX_FIXTURES + 1);
	snprintf(msg + strlen(msg), sizeof(msg) - strlen(msg),
		"somock: (from SOMOCK_FIXTURES)\n");
	tap_str(err, msg, "... and says how many, and where from");
}

/* A bad command line: CONFIG_USAGE, and stderr starts with @msg. */
static void usage(const char *const *args, const char *msg) {
	struct config c;
	char what[256] = "";
	for (const char *const *a = args; *a; a++) {
		size_t n = strlen(what);
		snprintf(what + n, sizeof(what) - n, " '%s'", *a);
	}
	tap_int(parse(&c, NULL, args), CONFIG_USAGE, "%s: usage", what);
	tap_ok(!strncmp(err, msg, strlen(msg)), "%s: %.*s", what,
		(int)strcspn(msg, "\n"), msg);
	if (strncmp(err, msg, strlen(msg))) {
		tap_diag("got: %s", err);
	}
}

/* A bad variable: CONFIG_USAGE, @msg, and which variable it was. */
static void env_usage(const char *env, const char *msg) {
	struct config c;
	char want[512];
	snprintf(want, sizeof(want), "%ssomock: (from %.*s)\n", msg,
		(int)strcspn(env, "="), env);
	tap_int(parse(&c, ARGS(env), NULL), CONFIG_USAGE, "%s: usage", env);
	tap_str(err, want, "%s: message", env);
}

static void test_ranges(void) {
	struct {
		const char *name, *var;
		long long min, max;
	} ranges[] = {
		{ "port", "SOMOCK_PORT", 0, 65535 },
		{ "threads", "SOMOCK_THREADS", 1, 256 },
		{ "max-connections", "SOMOCK_MAX_CONNECTIONS", 1, 65536 },
		{ "per-ip-connections", "SOMOCK_PER_IP_CONNECTIONS", 1, 65536 },
		{ "connection-timeout", "SOMOCK_CONNECTION_TIMEOUT", 1, 86400 },
		{ "connection-memory", "SOMOCK_CONNECTION_MEMORY", 4096,
			16777216 },
		{ "journal-size", "SOMOCK_JOURNAL_SIZE", 1, 1000000 },
		{ "sandbox-max", "SOMOCK_SANDBOX_MAX", 1, 4096 },
		{ "sandbox-idle", "SOMOCK_SANDBOX_IDLE", 1, 86400 },
	};
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		char opt[64], lo[32], hi[32], below[32], above[32], msg[256];
		snprintf(opt, sizeof(opt), "--%s", ranges[i].name);
		snprintf(lo, sizeof(lo), "%lld", ranges[i].min);
		snprintf(hi, sizeof(hi), "%lld", ranges[i].max);
		snprintf(below, sizeof(below), "%lld", ranges[i].min - 1);
		snprintf(above, sizeof(above), "%lld", ranges[i].max + 1);
		struct config c;
		tap_ok(parse(&c, NULL, ARGS(opt, lo)) == CONFIG_OK &&
			!strcmp(show(&c, ranges[i].name), lo), "%s %s", opt, lo);
		tap_ok(parse(&c, NULL, ARGS(opt, hi)) == CONFIG_OK &&
			!strcmp(show(&c, ranges[i].name), hi), "%s %s", opt, hi);
		const char *bad[] = { below, above, "x", "", "1.5", " 8",
			"0x10" };
		for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			snprintf(msg, sizeof(msg), "somock: %s: '%s' is not a "
				"number in [%s, %s]\n", opt, bad[j], lo, hi);
			usage(ARGS(opt, bad[j]), msg);
		}
		char env[128];
		snprintf(env, sizeof(env), "%s=%s", ranges[i].var, above);
		snprintf(msg, sizeof(msg), "somock: %s: '%s' is not a number "
			"in [%s, %s]\n", opt, above, lo, hi);
		env_usage(env, msg);
	}
}

static void test_errors(void) {
	/* -vvvv counts on, but a variable out of range is a mistake */
	env_usage("SOMOCK_VERBOSE=4",
		"somock: --verbose: '4' is not a number in [0, 3]\n");
	env_usage("SOMOCK_VERBOSE=x",
		"somock: --verbose: 'x' is not a number in [0, 3]\n");
	env_usage("SOMOCK_VERBOSE=-1",
		"somock: --verbose: '-1' is not a number in [0, 3]\n");
	usage(ARGS("--mode", "cloud"),
		"somock: --mode: 'cloud' is not onsite or online\n");
	env_usage("SOMOCK_MODE=cloud",
		"somock: --mode: 'cloud' is not onsite or online\n");
	usage(ARGS("--log-format", "xml"),
		"somock: --log-format: 'xml' is not text or json\n");
	env_usage("SOMOCK_LOG_FORMAT=xml",
		"somock: --log-format: 'xml' is not text or json\n");
	usage(ARGS("--freeze-clock", "soon"), "somock: --freeze-clock: 'soon' "
		"is not 'now' or a date such as 2030-01-01T00:00:00Z\n");
	usage(ARGS("--freeze-clock", "2030-13-01T00:00:00Z"),
		"somock: --freeze-clock: '2030-13-01T00:00:00Z' is not 'now' "
		"or a date such as 2030-01-01T00:00:00Z\n");
	env_usage("SOMOCK_FREEZE_CLOCK=later", "somock: --freeze-clock: "
		"'later' is not 'now' or a date such as 2030-01-01T00:00:00Z\n");
	usage(ARGS("--tls-cert", "c.pem"),
		"somock: --tls-cert and --tls-key go together\n");
	usage(ARGS("--tls-key", "k.pem"),
		"somock: --tls-cert and --tls-key go together\n");
	usage(ARGS("--watch"), "somock: --watch needs --fixtures files\n");
	usage(ARGS("extra"), "somock: unexpected argument 'extra'\n");
	usage(ARGS("--port", "1", "extra"),
		"somock: unexpected argument 'extra'\n");
	/* getopt's own message, then the usage */
	const char *const getopt_errors[][3] = {
		{ "--bogus", NULL, NULL }, { "-x", NULL, NULL },
		{ "-vx", NULL, NULL }, { "--port", NULL, NULL },
		{ "--no-cache=1", NULL, NULL }, { "--help=1", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(getopt_errors) /
			sizeof(getopt_errors[0]); i++) {
		struct config c;
		tap_int(parse(&c, NULL, getopt_errors[i]), CONFIG_USAGE,
			"'%s': usage", getopt_errors[i][0]);
		tap_ok(strstr(err, "\nusage: somock serve [options]\n") &&
			strstr(err, "--port N"), "'%s': prints the usage",
			getopt_errors[i][0]);
	}
}

static void test_help(void) {
	struct config c;
	tap_int(parse(&c, NULL, ARGS("--version")), CONFIG_EXIT_OK,
		"--version: exit 0");
	tap_str(out, "somock " SOMOCK_VERSION "\n", "--version: the version");
	tap_int(parse(&c, NULL, ARGS("--help")), CONFIG_EXIT_OK,
		"--help: exit 0");
	tap_str(err, "", "--help: nothing on stderr");
	tap_ok(!strncmp(out, "usage: somock serve [options]\n", 30),
		"--help: the usage on stdout");
	tap_int(parse(&c, NULL, ARGS("--port", "x", "--help")), CONFIG_EXIT_OK,
		"--help before values are checked");
	tap_int(parse(&c, ARGS("SOMOCK_PORT=x"), ARGS("--help")),
		CONFIG_EXIT_OK, "--help before the environment is read");

	parse(&c, NULL, ARGS("--help"));
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char opt[64];
		snprintf(opt, sizeof(opt), " --%s ", forms[i].name);
		tap_ok(strstr(out, opt) && strstr(out, forms[i].var),
			"--help names --%s and %s", forms[i].name, forms[i].var);
	}
	size_t longest = 0;
	for (const char *p = out; *p; ) {
		size_t n = strcspn(p, "\n");
		longest = n > longest ? n : longest;
		p += n + (p[n] == '\n');
	}
	tap_ok(longest <= 79, "--help fits 80 columns (longest %zu)", longest);
}

int main(void) {
	test_defaults();
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		test_form(&forms[i]);
	}
	test_flags();
	test_repeatable();
	test_ranges();
	test_errors();
	test_help();
	return tap_done();
}

#undef ARGS
