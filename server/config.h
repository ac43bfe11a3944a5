/*
 * server/config.h: struct config, built once from the command line, then
 * SOMOCK_* environment variables, then defaults, and passed as const
 * everywhere after. Plain value type; not thread-safe while parsing.
 *
 * Every `serve` option is one row of the table in config.c: its long and
 * short name, variable, placeholder, default, parser and field, and help
 * text. To add an option, add a field here and a row there; getopt,
 * --help, the environment and the defaults follow, and README.md's
 * option table is checked against --help.
 */
#ifndef SERVER_CONFIG_H
#define SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "api.h"
#include "auth.h"


enum config_log_format {
	CONFIG_LOG_TEXT = 0,
	CONFIG_LOG_JSON,
};

#define CONFIG_MAX_FIXTURES 64

struct config {
	const char *db_path;                  /* NULL: in memory */
	const char *listen;                   /* "127.0.0.1" */
	unsigned port;                        /* 8080; 0 picks a free one */
	enum auth_mode mode;
	const char *timezone;                 /* server zone code, "UTC" */
	enum api_dates dates;                 /* sample */
	const char *fixtures[CONFIG_MAX_FIXTURES];
	size_t n_fixtures;
	int verbose;                          /* count of -v */
	unsigned threads;                     /* 0: one per core */
	unsigned max_connections;
	unsigned per_ip_connections;
	unsigned connection_timeout;          /* seconds idle */
	unsigned stop_timeout;                /* seconds a stop waits */
	size_t connection_memory;             /* bytes per connection */
	enum config_log_format log_format;
	bool no_cache;
	const char *admin_token;              /* control API off loopback */
	unsigned journal_size;                /* request journal entries */
	unsigned sandbox_max;
	size_t sandbox_memory;                /* bytes for sandbox copies */
	unsigned sandbox_idle;                /* seconds */
	bool simulate;                        /* live task lifecycle */
	bool watch;                           /* reload fixtures on change */
	const char *tls_cert;                 /* PEM files; both or neither */
	const char *tls_key;
	const char *cors;                     /* allowed origin or "*" */
	const char *freeze_clock;             /* start frozen: "now" or ISO */
};

enum config_result {
	CONFIG_OK = 0,
	CONFIG_EXIT_OK,      /* --help/--version printed: exit 0 */
	CONFIG_USAGE,        /* bad usage, message printed: exit 2 */
};

/*
 * Parse `serve` options from @argv (argv[0] is "serve") into @cfg, which
 * is overwritten. Strings are borrowed from argv and environ; the value
 * of SOMOCK_FIXTURES is split at ':' in place, so set it again before
 * parsing twice in one process. getopt may reorder @argv. --help and
 * --version print to stdout; messages go to stderr. Uses getopt's global
 * state: not thread-safe.
 */
enum config_result config_parse_serve(struct config *cfg, int argc,
	char **argv);

/* Print `somock serve --help`, the options table's usage, to @out. */
void config_usage(FILE *out);

#endif
