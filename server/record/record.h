/*
 * server/record/record.h: `somock record`: read the Batch service of a
 * running SuperOffice (or another somock) through the routes SuperOffice
 * documents and write a fixture file that `somock serve --fixtures` plays
 * back. HTTP and TLS are libcurl's (the GnuTLS build Debian ships).
 *
 * What is written: every task the caller may read (GET
 * .../api/v1/BatchTask/All, then the system tasks of each name seen through
 * the Agents operation GetAllBatchTaskInfosByName) exactly as answered, with
 * dates as UTC instants and strings untranslated; the caller (from GET
 * .../api/v1/User/currentPrincipal) and the owners of the tasks as
 * associates, with no password unless --login gives the offline one; a
 * "recorded" object (the URL without credentials, the time, somock's
 * version). Nothing else: no ticket, token, session or app token.
 *
 * Secrets given on the command line or in SOMOCK_RECORD_* variables never
 * reach the file, the log or a message. An answer that is not what the
 * route documents stops the recording with a message naming the URL and
 * the cause; 429 and 503 are retried with back-off a bounded number of
 * times. The file is written to a temporary name next to --out, checked by
 * loading it as `somock check` would, and renamed at the end: no partial
 * file is ever left. One call per process; not thread-safe.
 */
#ifndef SERVER_RECORD_RECORD_H
#define SERVER_RECORD_RECORD_H

/*
 * Run `somock record` with @argv (argv[0] is "record"). Returns the exit
 * status: 0 recorded, 1 the recording failed (message on stderr), 2 bad
 * usage.
 */
int record_main(int argc, char **argv);

#endif
