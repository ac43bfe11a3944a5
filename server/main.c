/*
 * server/main.c: the somock command line: serve, init-db, check, record,
 * zones, help. Exit codes: 0 success, 1 runtime failure, 2 usage error.
 */
#include "build-config.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "api.h"
#include "cache.h"
#include "clock.h"
#include "config.h"
#include "credentials.h"
#include "control.h"
#include "faults.h"
#include "fixtures.h"
#include "front.h"
#include "help.h"
#include "http.h"
#include "iso8601.h"
#include "journal.h"
#include "log.h"
#include "record.h"
#include "sandbox.h"
#include "simulate.h"
#include "soap.h"
#include "schema.h"
#include "store.h"
#include "tz.h"
#include "watch.h"
#include "xmldoc.h"

/* the demo data as a SQLite image: image_gen.c, or image_none.c (empty) */
extern const unsigned char embed_demo_db[];
extern const size_t embed_demo_db_len;

/*
 * Rendered answers kept. The budget is split over the cache's 16 shards,
 * and an answer larger than a shard's part is not kept: 256 MiB keeps
 * answers up to 16 MiB (10 000 tasks render to about 8 MB). Memory grows
 * only with distinct answers actually asked for.
 */
#define CACHE_BYTES ((size_t)256 * 1024 * 1024)

static int64_t monotonic_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * SIGHUP: build the start-up data again from --db and --fixtures, as a
 * --watch change does; sandboxes, copies of the old data, are dropped.
 * On failure the old data stays and the error is logged.
 */
static void reload(struct store *store, struct sandboxes *sandboxes,
		const struct store_options *opt) {
	char err[1024] = "";
	if (store_rebuild(store, opt, err, sizeof(err))) {
		log_error("SIGHUP: cannot reload, keeping the old data: %s", err);
		return;
	}
	sandboxes_drop_all(sandboxes);
	log_info("SIGHUP: data reloaded");
}

/*
 * Data nobody can sign in to is nearly always a fixture set written
 * without associates: say so at start-up, with the fix. The demo data
 * to layer under it is the installed copy when there is one.
 */
static void warn_no_logins(struct store *store) {
	int64_t all = 0, with_password = 0;
	struct store_reader *r = store_reader_acquire(store);
	int ret = r ? store_count_associates(r, &all, &with_password) :
		-ENOMEM;
	store_reader_release(store, r);
	if (ret || with_password) {
		return;
	}
	const char *demo = SOMOCK_FIXTURESDIR "/demo.json";
	if (access(demo, R_OK)) {
		demo = "fixtures/demo.json";
	}
	log_warn("%s: %s; serve your fixtures over the demo data's "
		"associates (--fixtures %s --fixtures YOURS.json) or add "
		"\"associates\" with a \"Password\" (somock help fixtures)",
		all ? "no associate has a Password" : "the data has no "
		"associates", all ? "Basic and the demo page cannot sign "
		"anyone in" : "nobody can sign in", demo);
}

static int cmd_serve(int argc, char **argv) {
	struct config cfg;
	struct app {
		struct tz_db *tzdb;
		const struct tz_zone *server_zone;
		struct store *store;
		struct clock *clock;
		struct journal *journal;
		struct faults *faults;
		struct sandboxes *sandboxes;
		struct cache *cache;
		struct simulator *simulator;
		struct watcher *watcher;
	} app = { 0 };
	int64_t started = monotonic_ns();
	struct http *http = NULL;
	char err[1024];
	int ret = 1;
	switch (config_parse_serve(&cfg, argc, argv)) {
	case CONFIG_OK:
		break;
	case CONFIG_EXIT_OK:
		return 0;
	case CONFIG_USAGE:
		return 2;
	}
	/* -v the access log, -vv debug, -vvv each line's source location */
	log_set_level(cfg.verbose >= 2 ? LOG_DEBUG : cfg.verbose == 1 ?
		LOG_INFO : LOG_WARN);
	log_set_locations(cfg.verbose >= 3);
	log_set_json(cfg.log_format == CONFIG_LOG_JSON);

	/*
	 * Block the stop and reload signals before any thread starts, so
	 * only the sigwait() below sees them; ignore SIGPIPE from closed
	 * sockets.
	 */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	app.tzdb = tz_db_create(NULL);
	if (!app.tzdb) {
		log_errno("cannot open the time zone database");
		goto out;
	}
	app.server_zone = tz_db_lookup(app.tzdb, cfg.timezone,
		strlen(cfg.timezone));
	if (!app.server_zone) {
		log_error("unknown time zone '%s' (a SuperOffice code such as "
			"NO or US-NY, an id, or an IANA name; somock zones lists "
			"them)", cfg.timezone);
		ret = 2;
		goto out;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg.threads ? cfg.threads :
		cores > 0 && cores < 256 ? (unsigned)cores : 1;
	struct store_options sopt = {
		.db_path = cfg.db_path,
		.fixtures = cfg.fixtures,
		.n_fixtures = cfg.n_fixtures,
		.demo = true,
		.demo_image = embed_demo_db,
		.demo_image_len = embed_demo_db_len,
		/* a reader per worker, plus slack for bursts */
		.readers = threads + 2,
	};
	struct stat st;
	if (cfg.db_path && stat(cfg.db_path, &st) && errno == ENOENT) {
		log_error("--db '%s': no such file; make it with 'somock "
			"init-db %s FIXTURE ...', or serve fixtures directly "
			"with --fixtures", cfg.db_path, cfg.db_path);
		goto out;
	}
	app.store = store_open(&sopt, err, sizeof(err));
	if (!app.store) {
		log_error("%s", err);
		goto out;
	}
	warn_no_logins(app.store);
	app.clock = clock_create();
	app.journal = journal_create(cfg.journal_size);
	app.faults = faults_create();
	app.sandboxes = sandboxes_create(app.store, cfg.sandbox_max,
		cfg.sandbox_memory, cfg.sandbox_idle);
	app.cache = cfg.no_cache ? NULL : cache_create(CACHE_BYTES);
	if (!app.clock || !app.journal || !app.faults || !app.sandboxes ||
			(!cfg.no_cache && !app.cache)) {
		log_error("out of memory");
		goto out;
	}
	if (cfg.freeze_clock) {
		int64_t ticks;
		clock_freeze(app.clock, true);
		if (tz_parse_iso(cfg.freeze_clock, strlen(cfg.freeze_clock),
				&ticks)) {
			clock_set(app.clock, ticks);
		}
	}
	if (cfg.simulate) {
		app.simulator = simulator_create(app.store, app.sandboxes,
			app.clock);
		if (!app.simulator) {
			log_error("cannot start the task simulator");
			goto out;
		}
	}
	if (cfg.watch) {
		app.watcher = watcher_create(app.store, app.sandboxes, &sopt);
		if (!app.watcher) {
			goto out;
		}
	}
	/* each layer gets what it uses, no more */
	const struct api api = {
		.mode = cfg.mode, .cors = cfg.cors, .store = app.store,
		.sandboxes = app.sandboxes, .tzdb = app.tzdb,
		.server_zone = app.server_zone, .cache = app.cache,
		.clock = app.clock, .dates = cfg.dates,
	};
	const struct control control = {
		.admin_token = cfg.admin_token, .mode = cfg.mode,
		.started = started, .tzdb = app.tzdb, .store = app.store,
		.sandboxes = app.sandboxes, .journal = app.journal,
		.faults = app.faults, .clock = app.clock,
		.simulator = app.simulator, .watcher = app.watcher,
		.cache = app.cache,
	};
	const struct soap soap = { .api = &api, .https = cfg.tls_cert != NULL };
	const struct front front = {
		.control = &control, .api = &api, .soap = &soap,
		.store = app.store,
		.faults = app.faults, .journal = app.journal,
	};
	const struct http_options hopt = {
		.listen = cfg.listen, .port = cfg.port, .threads = cfg.threads,
		.max_connections = cfg.max_connections,
		.per_ip_connections = cfg.per_ip_connections,
		.connection_timeout = cfg.connection_timeout,
		.connection_memory = cfg.connection_memory,
		.tls_cert = cfg.tls_cert, .tls_key = cfg.tls_key,
	};
	const struct http_handler handler = front_handler(&front);
	http = http_start(&hopt, &handler);
	if (!http) {
		goto out;
	}
	const char *host = cfg.listen;
	bool v6 = strchr(host, ':') != NULL;
	printf("somock listening on %s://%s%s%s:%u\n",
		cfg.tls_cert ? "https" : "http", v6 ? "[" : "", host,
		v6 ? "]" : "", http_port(http));
	fflush(stdout);
	log_info("serving %s in %s mode, server zone %s",
		cfg.db_path ? cfg.db_path : cfg.n_fixtures ? "fixtures" :
		"the demo data", cfg.mode == AUTH_MODE_ONLINE ? "online" :
		"onsite", cfg.timezone);
	log_debug("%u threads, %u connections (%u per client), %u s idle "
		"timeout, %zu bytes per connection, answer cache %s, journal "
		"%u, sandboxes %u", threads, cfg.max_connections,
		cfg.per_ip_connections, cfg.connection_timeout,
		cfg.connection_memory, app.cache ? "on" : "off",
		cfg.journal_size, cfg.sandbox_max);

	int sig = 0;
	while (sigwait(&stop, &sig) || sig == SIGHUP) {
		if (sig == SIGHUP) {
			reload(app.store, app.sandboxes, &sopt);
			sig = 0;
		}
	}
	log_info("signal %d: finishing requests in flight", sig);
	ret = 0;
out:
	if (http) {
		unsigned left = http_stop(http, cfg.stop_timeout);
		if (left) {
			/* answers were cut: the exit status must say so */
			log_error("stopped with %u request%s unfinished after "
				"--stop-timeout %u s", left, left == 1 ? "" : "s",
				cfg.stop_timeout);
			ret = 1;
		}
	}
	watcher_destroy(app.watcher);
	simulator_destroy(app.simulator);
	sandboxes_destroy(app.sandboxes);
	cache_destroy(app.cache);
	faults_destroy(app.faults);
	journal_destroy(app.journal);
	clock_destroy(app.clock);
	store_destroy(app.store);
	tz_db_destroy(app.tzdb);
	return ret;
}

static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errlen) {
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

/*
 * The operands of a command whose only option is --help: argv[1..] with
 * the first "--" taken out, moved to the front of @argv. Returns the new
 * argc, OPERANDS_HELP for --help or -h, or OPERANDS_BAD for another
 * option (message printed).
 */
enum { OPERANDS_HELP = -1, OPERANDS_BAD = -2 };

static int operands(int argc, char **argv) {
	int n = 1;
	bool only = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!only && !strcmp(a, "--")) {
			only = true;
			continue;
		}
		if (!only && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			return OPERANDS_HELP;
		}
		if (!only && a[0] == '-' && a[1]) {
			fprintf(stderr, "somock %s: unknown option '%s' (see "
				"somock %s --help)\n", argv[0], a, argv[0]);
			return OPERANDS_BAD;
		}
		argv[n++] = argv[i];
	}
	return n;
}

/* Print what @db holds, for init-db's report; false on a database error. */
static bool report_counts(sqlite3 *db, const char *path) {
	static const char *const what[] = { "tasks", "associates", "tickets",
		"tokens", "sessions", "apps", "resource strings" };
	sqlite3_stmt *st = NULL;
	bool ok = sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM "
		"batchtask), (SELECT count(*) FROM associate), (SELECT "
		"count(*) FROM ticket), (SELECT count(*) FROM token), (SELECT "
		"count(*) FROM session), (SELECT count(*) FROM app), (SELECT "
		"count(*) FROM resource)", -1, &st, NULL) == SQLITE_OK &&
		sqlite3_step(st) == SQLITE_ROW;
	if (ok) {
		printf("%s: ", path);
		for (size_t i = 0; i < sizeof(what) / sizeof(what[0]); i++) {
			printf("%s%lld %s", i ? ", " : "", (long long)
				sqlite3_column_int64(st, (int)i), what[i]);
		}
		printf("\n");
	}
	sqlite3_finalize(st);
	return ok;
}

/*
 * init-db PATH [FIXTURE ...]: each file in its own transaction on PATH
 * itself, so a failure, or a kill mid-load, leaves the database as it was
 * before that file (SQLite's journal rolls an interrupted one back). A
 * PATH this command created is removed again when it fails, so a typo
 * leaves no empty database behind to be served by mistake.
 */
static int cmd_init_db(int argc, char **argv) {
	sqlite3 *db = NULL;
	char err[1024];
	int ret = 1;
	argc = operands(argc, argv);
	if (argc == OPERANDS_HELP) {
		help_init_db(stdout);
		return 0;
	}
	if (argc == OPERANDS_BAD) {
		return 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: somock init-db PATH [FIXTURE ...] "
			"(see somock init-db --help)\n");
		return 2;
	}
	const char *path = argv[1];
	struct stat st;
	bool created = stat(path, &st) && errno == ENOENT;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
			SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fprintf(stderr, "somock: cannot open database '%s': %s\n",
			path, sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (store_apply_schema(db, err, sizeof(err))) {
		fprintf(stderr, "somock: %s: %s\n", path, err);
		goto out;
	}
	for (int i = 2; i < argc; i++) {
		if (exec_sql(db, "BEGIN IMMEDIATE", err, sizeof(err)) ||
				fixtures_load_file(db, argv[i], err, sizeof(err))) {
			exec_sql(db, "ROLLBACK", err + strlen(err), 1);
			fprintf(stderr, "somock: %s\n", err);
			goto out;
		}
		if (exec_sql(db, "COMMIT", err, sizeof(err))) {
			fprintf(stderr, "somock: %s: %s\n", argv[i], err);
			goto out;
		}
		printf("%s: loaded\n", argv[i]);
	}
	if (!report_counts(db, path)) {
		fprintf(stderr, "somock: %s: %s\n", path, sqlite3_errmsg(db));
		goto out;
	}
	/* checked once here, so that serving it need not read every row */
	if (schema_stamp_checked(db, argv[1], err, sizeof(err))) {
		fprintf(stderr, "somock: %s\n", err);
		goto out;
	}
	ret = 0;
out:
	sqlite3_close(db);
	if (ret && created) {
		/* SQLite names its rollback journal PATH-journal */
		char journal[4096];
		snprintf(journal, sizeof(journal), "%s-journal", path);
		unlink(path);
		unlink(journal);
		fprintf(stderr, "somock: %s removed: nothing was made\n", path);
	}
	return ret;
}

/* check FIXTURE ...: validate every file against a scratch database. */
static int cmd_check(int argc, char **argv) {
	sqlite3 *db = NULL;
	char err[1024];
	int ret = 0;
	argc = operands(argc, argv);
	if (argc == OPERANDS_HELP) {
		help_check(stdout);
		return 0;
	}
	if (argc == OPERANDS_BAD) {
		return 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: somock check FIXTURE ... (see somock "
			"check --help)\n");
		return 2;
	}
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE,
			NULL) != SQLITE_OK || store_apply_schema(db, err,
			sizeof(err))) {
		fprintf(stderr, "somock: cannot create a scratch database\n");
		sqlite3_close(db);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (fixtures_load_file(db, argv[i], err, sizeof(err))) {
			fprintf(stderr, "somock: %s\n", err);
			ret = 1;
		} else {
			printf("%s: ok\n", argv[i]);
		}
	}
	sqlite3_close(db);
	return ret;
}

static int cmd_version(int argc, char **argv) {
	printf("somock %s\n", SOMOCK_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv) {
	if (argc > 1 && (!strcmp(argv[1], "--help") ||
			!strcmp(argv[1], "-h"))) {
		help_usage(stdout);
		return 0;
	}
	return help_main(argc, argv);
}

/* The commands, as git's builtin table: argv[0] is the command's name. */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "serve", cmd_serve },
	{ "init-db", cmd_init_db },
	{ "check", cmd_check },
	{ "record", record_main },
	{ "zones", help_zones },
	{ "help", cmd_help },
	{ "--help", cmd_help },
	{ "-h", cmd_help },
	{ "--version", cmd_version },
};

/* The command named by argv[1]; its exit status. */
static int run(int argc, char **argv) {
	if (argc < 2) {
		help_usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "somock: unknown command '%s' (see somock --help)\n",
		argv[1]);
	return 2;
}

int main(int argc, char **argv) {
#ifdef M_MMAP_THRESHOLD
	/*
	 * Answers of 128 KB to 4 MB (an uncached list of a hundred tasks is
	 * about 80 KB in JSON and 120 KB in XML, plus the renderer's headroom)
	 * come from the heap, not from an mmap and munmap each: those two
	 * system calls and the page faults between them were an eighth of an
	 * uncached answer's CPU.
	 */
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	/*
	 * and a thread's heap keeps up to 1 MB free at its top instead of
	 * giving it back (madvise) after each such answer is freed
	 */
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
#endif
	store_library_init();
	xmldoc_init();
	int ret = run(argc, argv);
	xmldoc_cleanup();
	return ret;
}
