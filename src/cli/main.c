// SPDX-License-Identifier: MIT
/*
 * main.c - pvcheck's entry point: parse the whole command line into struct
 * options (src/cli/options.c), then run the command (src/cli/commands.c).
 * A usage error prints "pvcheck: <what was wrong>" and the usage to stderr
 * and exits with 2, before anything has run.
 */
#include <stdio.h>
#include "cli/cli.h"
#include "lib/bug.h"

int main(int argc, char **argv)
{
	struct options o;
	char err[512];

	options_defaults(&o);
	if (cli_parse_args(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "pvcheck: %s\n", err);
		cli_usage(stderr, false);
		fprintf(stderr, "Try 'pvcheck --help' for the options and exit codes.\n");
		return EXIT_USAGE;
	}
	return cli_run(&o);
}
