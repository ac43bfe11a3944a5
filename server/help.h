/*
 * server/help.h: what somock says about itself: the top-level usage, each
 * command's --help, the topics of `somock help`, and `somock zones`. The
 * texts name the installed documentation (the paths Meson installs to) and
 * the source tree's, so they read right either way. Everything here writes
 * to stdio only; not thread-safe (nothing is, before serving starts).
 */
#ifndef SERVER_HELP_H
#define SERVER_HELP_H

#include <stdio.h>

/* The top-level usage (somock --help, somock help) to @out. */
void help_usage(FILE *out);
/* `somock init-db --help` and `somock check --help` to @out. */
void help_init_db(FILE *out);
void help_check(FILE *out);

/*
 * `somock help [TOPIC]`: @argv[0] is "help". A command's help or a topic
 * (fixtures, zones) on stdout; the exit status: 0, or 2 with a message
 * for an unknown topic.
 */
int help_main(int argc, char **argv);
/*
 * `somock zones`: every time-zone location code with its id and IANA
 * zone, one a line; the exit status (2 for an argument other than
 * --help).
 */
int help_zones(int argc, char **argv);

#endif
