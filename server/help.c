#include "build-config.h"
#include "help.h"

#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "locations.h"
#include "record.h"

void help_usage(FILE *out) {
	fputs("usage: somock COMMAND [ARGS]\n"
		"\n"
		"An offline mock of SuperOffice CRM's Batch service: its REST and\n"
		"Agents routes, logins, languages and time zones, over HTTP.\n"
		"\n"
		"Commands:\n"
		"  serve [options]             serve the mock (the demo data unless\n"
		"                              --db or --fixtures says otherwise)\n"
		"  init-db PATH [FIXTURE ...]  make a database file from fixtures\n"
		"  check FIXTURE ...           validate fixture files\n"
		"  record --from URL ...       capture a running service's Batch\n"
		"                              data into a fixture\n"
		"  zones                       list the time-zone codes\n"
		"  help [COMMAND|fixtures|zones]\n"
		"                              a command's options, or a topic\n"
		"  --help, --version\n"
		"\n"
		"Try it: run 'somock serve', open http://127.0.0.1:8080/ (the demo\n"
		"page) and log in as tje0 / Tje0, or:\n"
		"  curl -u tje0:Tje0 http://127.0.0.1:8080/api/v1/BatchTask/All\n"
		"\n"
		"Documentation: man somock, man 5 somock (fixtures), and\n"
		SOMOCK_DOCDIR "/ (README.md, docs/)\n"
		"when installed; README.md and docs/ in the source tree.\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n", out);
}

void help_init_db(FILE *out) {
	fputs("usage: somock init-db PATH [FIXTURE ...]\n"
		"\n"
		"Create the SQLite database PATH with somock's schema if it does\n"
		"not exist, then load each FIXTURE into it, each file in its own\n"
		"transaction: all of a file or none of it. Reports each file\n"
		"loaded and what PATH holds. Serve it with 'somock serve --db\n"
		"PATH'. A new PATH is removed again when loading fails.\n"
		"Use -- before a PATH or FIXTURE that starts with '-'.\n"
		"\n"
		"Exit status: 0 success, 1 failure (the message names the file,\n"
		"entry and field), 2 usage error.\n", out);
}

void help_check(FILE *out) {
	fputs("usage: somock check FIXTURE ...\n"
		"\n"
		"Validate fixture files without serving them: prints 'FILE: ok'\n"
		"for each good file, and for a bad one a message naming the file,\n"
		"the entry and the field. The format: somock help fixtures, or\n"
		"somock(5). Use -- before a FIXTURE that starts with '-'.\n"
		"\n"
		"Exit status: 0 when every file is valid, 1 otherwise, 2 usage\n"
		"error.\n", out);
}

static void help_fixtures(FILE *out) {
	fputs("A fixture file is a JSON object; every key is optional and an\n"
		"unknown key is an error:\n"
		"\n"
		"  associates  logins: AssociateId, Name, Password, FullName,\n"
		"              Tenant (CustNNNN, or null for the default tenant)\n"
		"  tickets     SOTicket credentials: Ticket, AssociateId, Expires\n"
		"  tokens      Bearer tokens: Token, AssociateId, Expires\n"
		"  sessions    web sessions: SessionId, XsrfToken, AssociateId\n"
		"  apps        registered applications: Name, AppToken\n"
		"  resources   [SR_...] texts: Id, Language, Text\n"
		"  batchTasks  tasks, in the shape the API returns them\n"
		"\n"
		"Several --fixtures files are layered in order: a later file\n"
		"replaces entries with the same key. Data without associates has\n"
		"nobody to log in: serve it over the demo data,\n"
		"  somock serve --fixtures " SOMOCK_FIXTURESDIR "/demo.json \\\n"
		"               --fixtures my.json\n"
		"(fixtures/demo.json in the source tree), or add associates.\n"
		"'somock check FILE' validates a file. The whole format: somock(5);\n"
		"the demo data's logins: fixtures/README.md.\n", out);
}

static void help_zone_names(FILE *out) {
	fputs("A zone (--timezone, the SO-TimeZone header) is named by\n"
		"  a SuperOffice location code  NO, US-NY, UTC (any case)\n"
		"  its numeric TZLocation id    261 (documented codes only)\n"
		"  an IANA zone name            Europe/Oslo (exact case)\n"
		"SO-TimeZone may add ',includeTZOffset'. 'somock zones' lists\n"
		"every code with its id and IANA zone; docs/timezones.md says\n"
		"which are SuperOffice's and which are derived from tzdata.\n", out);
}

static bool put_zone(void *ud, const char *code, int id, const char *iana,
		bool documented) {
	FILE *out = ud;
	if (id) {
		fprintf(out, "%-8s %5d  %s%s\n", code, id, iana,
			documented ? "" : " (derived)");
	} else {
		fprintf(out, "%-8s %5s  %s%s\n", code, "-", iana,
			documented ? "" : " (derived)");
	}
	return true;
}

int help_zones(int argc, char **argv) {
	if (argc > 1 && (!strcmp(argv[1], "--help") ||
			!strcmp(argv[1], "-h"))) {
		fputs("usage: somock zones\n\n", stdout);
		help_zone_names(stdout);
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "somock zones: unexpected argument '%s' (see "
			"somock zones --help)\n", argv[1]);
		return 2;
	}
	fputs("code        id  IANA zone\n", stdout);
	tz_locations_foreach(put_zone, stdout);
	return 0;
}

int help_main(int argc, char **argv) {
	const char *topic = argc > 1 ? argv[1] : NULL;
	if (argc > 2) {
		fprintf(stderr, "somock help: one topic at a time\n");
		return 2;
	}
	if (!topic || !strcmp(topic, "help")) {
		help_usage(stdout);
	} else if (!strcmp(topic, "serve")) {
		config_usage(stdout);
	} else if (!strcmp(topic, "init-db")) {
		help_init_db(stdout);
	} else if (!strcmp(topic, "check")) {
		help_check(stdout);
	} else if (!strcmp(topic, "record")) {
		char name[] = "record", opt[] = "--help";
		char *args[] = { name, opt, NULL };
		return record_main(2, args);
	} else if (!strcmp(topic, "fixtures")) {
		help_fixtures(stdout);
	} else if (!strcmp(topic, "zones")) {
		help_zone_names(stdout);
	} else {
		fprintf(stderr, "somock help: no help on '%s'; try serve, "
			"init-db, check, record, fixtures or zones\n", topic);
		return 2;
	}
	return 0;
}
