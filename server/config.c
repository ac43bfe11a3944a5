#include "build-config.h"
#include "config.h"

#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "iso8601.h"
#include "number.h"
#include "tz.h"

enum opt_id {
	OPT_DB = 1000,
	OPT_LISTEN,
	OPT_PORT,
	OPT_MODE,
	OPT_TIMEZONE,
	OPT_FIXTURES,
	OPT_THREADS,
	OPT_MAX_CONNECTIONS,
	OPT_PER_IP,
	OPT_TIMEOUT,
	OPT_CONN_MEMORY,
	OPT_LOG_FORMAT,
	OPT_NO_CACHE,
	OPT_ADMIN_TOKEN,
	OPT_JOURNAL_SIZE,
	OPT_SANDBOX_MAX,
	OPT_SANDBOX_IDLE,
	OPT_SIMULATE,
	OPT_WATCH,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_CORS,
	OPT_FREEZE_CLOCK,
	OPT_HELP,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{ "db", required_argument, NULL, OPT_DB },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "timezone", required_argument, NULL, OPT_TIMEZONE },
	{ "fixtures", required_argument, NULL, OPT_FIXTURES },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS },
	{ "per-ip-connections", required_argument, NULL, OPT_PER_IP },
	{ "connection-timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "connection-memory", required_argument, NULL, OPT_CONN_MEMORY },
	{ "log-format", required_argument, NULL, OPT_LOG_FORMAT },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "admin-token", required_argument, NULL, OPT_ADMIN_TOKEN },
	{ "journal-size", required_argument, NULL, OPT_JOURNAL_SIZE },
	{ "sandbox-max", required_argument, NULL, OPT_SANDBOX_MAX },
	{ "sandbox-idle", required_argument, NULL, OPT_SANDBOX_IDLE },
	{ "simulate", no_argument, NULL, OPT_SIMULATE },
	{ "watch", no_argument, NULL, OPT_WATCH },
	{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "cors", required_argument, NULL, OPT_CORS },
	{ "freeze-clock", required_argument, NULL, OPT_FREEZE_CLOCK },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"usage: somock serve [options]\n"
	"       somock init-db PATH [FIXTURE ...]\n"
	"       somock check FIXTURE ...\n"
	"       somock --help | --version\n"
	"\n"
	"serve options (each also read from SOMOCK_<NAME>, e.g. SOMOCK_PORT;\n"
	"the command line wins):\n"
	"  --db PATH                SQLite database to serve (read-only)\n"
	"  --listen ADDR            address to bind (default 127.0.0.1)\n"
	"  --port N                 port (default 8080; 0 picks a free one)\n"
	"  --mode onsite|online     installation type (default onsite)\n"
	"  --timezone CODE          server time zone (default UTC)\n"
	"  --fixtures FILE          serve these fixtures (repeatable;\n"
	"                           SOMOCK_FIXTURES is ':'-separated)\n"
	"  --threads N              worker threads (default: one per core)\n"
	"  --max-connections N      concurrent connections (default 1024)\n"
	"  --per-ip-connections N   connections per client IP (default 512)\n"
	"  --connection-timeout S   idle seconds before closing (default 30)\n"
	"  --connection-memory B    memory per connection (default 65536)\n"
	"  --log-format text|json   access log format (default text)\n"
	"  --no-cache               render every response afresh\n"
	"  --admin-token T          let non-loopback clients use /__somock/\n"
	"                           with X-Somock-Admin-Token: T\n"
	"  --journal-size N         requests kept for /__somock/requests\n"
	"                           (default 1000)\n"
	"  --sandbox-max N          sandboxes at once (default 64)\n"
	"  --sandbox-idle S         drop a sandbox unused this long (300)\n"
	"  --simulate               tasks advance like real batch tasks\n"
	"  --freeze-clock TIME      start the mock clock frozen at TIME (ISO\n"
	"                           8601) or 'now'; /__somock/clock moves it\n"
	"  --watch                  reload --fixtures files when they change\n"
	"  --tls-cert FILE          serve HTTPS with this PEM certificate\n"
	"  --tls-key FILE           ... and this PEM key\n"
	"  --cors ORIGIN            allow cross-origin calls from ORIGIN or *\n"
	"  -v, --verbose            more log detail (repeatable)\n"
	"  --help, --version\n";

void config_usage(FILE *out) {
	fputs(usage_text, out);
}

static bool set_uint(const char *name, const char *v, int64_t min,
		int64_t max, unsigned *out) {
	int64_t n;
	if (!parse_int64(v, min, max, &n)) {
		fprintf(stderr, "somock: --%s: '%s' is not a number in "
			"[%lld, %lld]\n", name, v, (long long)min,
			(long long)max);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

static bool add_fixture(struct config *cfg, const char *path) {
	if (cfg->n_fixtures == CONFIG_MAX_FIXTURES) {
		fprintf(stderr, "somock: at most %d --fixtures files\n",
			CONFIG_MAX_FIXTURES);
		return false;
	}
	cfg->fixtures[cfg->n_fixtures++] = path;
	return true;
}

/* A flag from the command line (NULL) or the environment ("0" is off). */
static bool flag_value(const char *v) {
	return !v || (*v && strcmp(v, "0") && ascii_casecmp(v, "false"));
}

/* Apply one option value; false (message printed) on a bad value. */
static bool apply(struct config *cfg, int id, const char *v) {
	unsigned u;
	switch (id) {
	case OPT_DB:
		cfg->db_path = v;
		return true;
	case OPT_LISTEN:
		cfg->listen = v;
		return true;
	case OPT_PORT:
		return set_uint("port", v, 0, 65535, &cfg->port);
	case OPT_MODE:
		if (!ascii_casecmp(v, "onsite")) {
			cfg->mode = AUTH_MODE_ONSITE;
		} else if (!ascii_casecmp(v, "online")) {
			cfg->mode = AUTH_MODE_ONLINE;
		} else {
			fprintf(stderr, "somock: --mode: '%s' is not onsite or "
				"online\n", v);
			return false;
		}
		return true;
	case OPT_TIMEZONE:
		cfg->timezone = v;
		return true;
	case OPT_FIXTURES:
		return add_fixture(cfg, v);
	case OPT_THREADS:
		return set_uint("threads", v, 1, 256, &cfg->threads);
	case OPT_MAX_CONNECTIONS:
		return set_uint("max-connections", v, 1, 65536,
			&cfg->max_connections);
	case OPT_PER_IP:
		return set_uint("per-ip-connections", v, 1, 65536,
			&cfg->per_ip_connections);
	case OPT_TIMEOUT:
		return set_uint("connection-timeout", v, 1, 86400,
			&cfg->connection_timeout);
	case OPT_CONN_MEMORY:
		if (!set_uint("connection-memory", v, 4096, 16777216, &u)) {
			return false;
		}
		cfg->connection_memory = u;
		return true;
	case OPT_LOG_FORMAT:
		if (!ascii_casecmp(v, "text")) {
			cfg->log_format = CONFIG_LOG_TEXT;
		} else if (!ascii_casecmp(v, "json")) {
			cfg->log_format = CONFIG_LOG_JSON;
		} else {
			fprintf(stderr, "somock: --log-format: '%s' is not "
				"text or json\n", v);
			return false;
		}
		return true;
	case OPT_NO_CACHE:
		cfg->no_cache = flag_value(v);
		return true;
	case OPT_SIMULATE:
		cfg->simulate = flag_value(v);
		return true;
	case OPT_WATCH:
		cfg->watch = flag_value(v);
		return true;
	case OPT_ADMIN_TOKEN:
		cfg->admin_token = *v ? v : NULL;
		return true;
	case OPT_JOURNAL_SIZE:
		return set_uint("journal-size", v, 1, 1000000,
			&cfg->journal_size);
	case OPT_SANDBOX_MAX:
		return set_uint("sandbox-max", v, 1, 4096, &cfg->sandbox_max);
	case OPT_SANDBOX_IDLE:
		return set_uint("sandbox-idle", v, 1, 86400,
			&cfg->sandbox_idle);
	case OPT_TLS_CERT:
		cfg->tls_cert = v;
		return true;
	case OPT_TLS_KEY:
		cfg->tls_key = v;
		return true;
	case OPT_CORS:
		cfg->cors = v;
		return true;
	case OPT_FREEZE_CLOCK: {
		int64_t ticks;
		if (strcmp(v, "now") && !tz_parse_iso(v, strlen(v), &ticks)) {
			fprintf(stderr, "somock: --freeze-clock: '%s' is not "
				"'now' or a date such as 2030-01-01T00:00:00Z\n", v);
			return false;
		}
		cfg->freeze_clock = v;
		return true;
	}
	}
	return false;
}

/* SOMOCK_<NAME> for each long option, with '-' as '_'. */
static bool apply_env(struct config *cfg) {
	for (const struct option *o = long_options; o->name; o++) {
		if (o->val < OPT_DB || o->val >= OPT_HELP) {
			continue;
		}
		char var[64] = "SOMOCK_";
		size_t n = strlen(var);
		for (const char *p = o->name; *p && n + 1 < sizeof(var); p++) {
			var[n++] = *p == '-' ? '_' : (char)(*p - 'a' + 'A');
		}
		var[n] = '\0';
		const char *v = getenv(var);
		if (!v) {
			continue;
		}
		if (o->val == OPT_FIXTURES) {
			/*
			 * ':'-separated: the environment string is split in
			 * place, which is fine for our own process copy
			 */
			char *s = (char *)v;
			for (char *p = s; ; p++) {
				if (*p == ':' || !*p) {
					bool end = !*p;
					*p = '\0';
					if (*s && !add_fixture(cfg, s)) {
						return false;
					}
					if (end) {
						break;
					}
					s = p + 1;
				}
			}
			continue;
		}
		if (!apply(cfg, o->val, v)) {
			fprintf(stderr, "somock: (from %s)\n", var);
			return false;
		}
	}
	const char *v = getenv("SOMOCK_VERBOSE");
	int64_t level;
	if (v && parse_int64(v, 0, 3, &level)) {
		cfg->verbose = (int)level;
	}
	return true;
}

enum config_result config_parse_serve(struct config *cfg, int argc,
		char **argv) {
	*cfg = (struct config){
		.listen = "127.0.0.1",
		.port = 8080,
		.timezone = "UTC",
		.max_connections = 1024,
		.per_ip_connections = 512,
		.connection_timeout = 30,
		.connection_memory = 65536,
		.journal_size = 1000,
		.sandbox_max = 64,
		.sandbox_idle = 300,
	};
	/* first pass: usage errors, --help and --version only */
	optind = 1;
	opterr = 1;
	int c;
	while ((c = getopt_long(argc, argv, "v", long_options, NULL)) != -1) {
		if (c == OPT_HELP) {
			config_usage(stdout);
			return CONFIG_EXIT_OK;
		}
		if (c == OPT_VERSION) {
			printf("somock %s\n", SOMOCK_VERSION);
			return CONFIG_EXIT_OK;
		}
		if (c == '?') {
			config_usage(stderr);
			return CONFIG_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "somock: unexpected argument '%s'\n",
			argv[optind]);
		return CONFIG_USAGE;
	}
	/* defaults, then the environment, then the command line over both */
	if (!apply_env(cfg)) {
		return CONFIG_USAGE;
	}
	bool cli_fixtures = false, cli_verbose = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "v", long_options, NULL)) != -1) {
		if (c == 'v') {
			cfg->verbose = cli_verbose ? cfg->verbose + 1 : 1;
			cli_verbose = true;
			continue;
		}
		if (c == OPT_FIXTURES && !cli_fixtures) {
			cfg->n_fixtures = 0; /* the command line replaces them */
			cli_fixtures = true;
		}
		if (!apply(cfg, c, optarg)) {
			return CONFIG_USAGE;
		}
	}
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
