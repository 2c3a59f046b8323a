// SPDX-License-Identifier: MIT
/*
 * test_scenario_cli.c - unit tests of the command-line parser
 * (src/cli/options.c): defaults, commands, option values, positional
 * arguments in any order, "--", and usage errors.  TAP output.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "lib/bug.h"

static int tests, failed;

static void ok(int cond, const char *what)
{
	tests++;
	failed += !cond;
	printf("%sok %d - %s\n", cond ? "" : "not ", tests, what);
}

/* Parse a NULL-terminated list of arguments (copied: the parser reorders). */
static int parse(struct options *o, char *err, const char *const *args)
{
	static char store[32][128];
	static char *argv[33];
	int argc = 0;

	for (; args[argc]; argc++) {
		snprintf(store[argc], sizeof(store[argc]), "%s", args[argc]);
		argv[argc] = store[argc];
	}
	argv[argc] = NULL;
	options_defaults(o);
	return cli_parse_args(argc, argv, o, err, 256);
}

int main(void)
{
	struct options o;
	char err[256];

	ok(parse(&o, err, (const char *const[]){ "pvcheck", NULL }) == 0 && o.cmd == CMD_CATALOG &&
	   o.nargs == 0, "no arguments: the catalog");
	ok(o.mode == EXPLORE_DPOR && o.random_phase == CLI_DEFAULT_RANDOM_PHASE &&
	   o.preemption_bound == -1 && !o.set_max_executions && o.simplest, "defaults");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "check", "a.pvs", "--json", "b.pvs",
		 "--max-executions", "0x10", "-v", NULL }) == 0 &&
	   o.cmd == CMD_CHECK && o.nargs == 2 && strcmp(o.args[0], "a.pvs") == 0 &&
	   strcmp(o.args[1], "b.pvs") == 0 && o.json && o.verbose &&
	   o.set_max_executions && o.max_executions == 16, "check with options between files");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "--preemption-bound", "2", "--depth=30",
		 "--step-bound", "99", "--timeout", "1.5", "--seed", "7", "--random-order", "3", NULL }) == 0 &&
	   o.preemption_bound == 2 && o.set_preemption_bound && o.depth_bound == 30 &&
	   o.step_bound == 99 && o.timeout == 1.5 && o.seed == 7 && o.random_order == 3,
	   "numeric options");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "--random", "50", NULL }) == 0 &&
	   o.mode == EXPLORE_RANDOM && o.walks == 50, "--random");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "--pct", "4", "--random", "9", NULL }) == 0 &&
	   o.mode == EXPLORE_PCT && o.pct_depth == 4 && o.walks == 9, "--pct with --random walks");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "run", "p.c", "-DN=3", "-D", "M", NULL }) == 0 &&
	   o.cmd == CMD_RUN && o.ndefs == 2 && strcmp(o.defs[0], "N=3") == 0 &&
	   strcmp(o.defs[1], "M") == 0, "run with -D");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "check", "--", "-odd.pvs", NULL }) == 0 &&
	   o.nargs == 1 && strcmp(o.args[0], "-odd.pvs") == 0, "-- ends the options");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "replay", "t.json", NULL }) == 0 &&
	   o.cmd == CMD_REPLAY && o.nargs == 1, "replay");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "show", "x", NULL }) == 0 &&
	   o.cmd == CMD_SHOW, "show");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "--bogus", NULL }) == EXIT_USAGE &&
	   strcmp(err, "unknown option '--bogus'") == 0, "unknown option");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "--seed", NULL }) == EXIT_USAGE &&
	   strcmp(err, "option '--seed' needs an argument") == 0, "missing argument");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "--depth", "x", NULL }) == EXIT_USAGE,
	   "bad number");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "lsit", NULL }) == EXIT_USAGE &&
	   strcmp(err, "unknown command 'lsit'; did you mean 'list'?") == 0, "command typo");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "run", "a.c", "b.c", NULL }) == EXIT_USAGE,
	   "run takes one program");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "--knob", "x", NULL }) == EXIT_USAGE,
	   "--knob without =");
	ok(parse(&o, err, (const char *const[]){ "pvcheck", "-h", "check", NULL }) == 0 &&
	   o.cmd == CMD_HELP, "--help wins");
	printf("1..%d\n", tests);
	return failed ? 1 : 0;
}
