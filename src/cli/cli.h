/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the pvcheck command line: the options struct that the whole
 * command line is parsed into before anything runs, and the commands.
 *
 *   pvcheck                      check the built-in catalog, print the table
 *   pvcheck check FILE...        check scenario files
 *   pvcheck run PROGRAM.c        check a C11 program (src/runc)
 *   pvcheck list | show NAME     the catalog
 *   pvcheck replay TRACE [FILE]  re-run a recorded counterexample
 *
 * doc/cli.md documents every option and the exit codes (src/lib/bug.h).
 */
#ifndef PVM_CLI_CLI_H
#define PVM_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "check/explore.h"
#include "report/report.h"
#include "scenario/scenario.h"

#define PVCHECK_VERSION		"0.1"
#define CLI_MAX_DEFS		64
#define CLI_DEFAULT_RANDOM_PHASE 100	/* DPOR: random walks before the search */
#define CLI_DEFAULT_WALKS	1000	/* --pct without --random */

enum cli_cmd {
	CMD_CATALOG,		/* no command: the catalog table */
	CMD_CHECK,
	CMD_RUN,
	CMD_LIST,
	CMD_SHOW,
	CMD_REPLAY,
	CMD_HELP,
	CMD_VERSION,
};

struct options {
	enum cli_cmd cmd;
	char **args;			/* positional arguments after the command */
	int nargs;

	bool json;
	bool verbose;
	bool quiet;
	bool expect;			/* check: exit code says whether `expect` held */
	bool paranoid;
	bool simplest;			/* look for a finding with fewer preemptions */
	bool all;			/* --all: every distinct finding (findings.c) */

	enum explore_mode mode;
	uint64_t max_executions;
	int preemption_bound;
	int depth_bound;
	int step_bound;
	uint64_t walks;			/* --random N: number of walks */
	int pct_depth;
	uint64_t seed;
	uint64_t random_order;
	uint64_t random_phase;		/* DPOR's random pre-phase */
	bool stateful;			/* --stateful: explicit-state search */
	uint64_t state_memory_mb;	/* --state-memory (0: the engine's default) */
	bool no_por;			/* --no-por: stateful without partial-order reduction */
	bool stateless;			/* --stateless: scenarios never switch to stateful */
	bool commute_adds;		/* --commute-adds: VIS_KIND_ADD ops commute */
	bool races;			/* --races: pvcheck run reports data races */
	bool symmetry;			/* --symmetry: declared symmetric threads (stateful) */
	int jobs;			/* -j N: stateless DPOR on N worker processes */
	double timeout;
	/* which of the above were given (they override the scenario's bounds) */
	bool set_max_executions, set_preemption_bound, set_depth_bound, set_step_bound;

	struct scn_knob_set knobs[SCN_MAX_KNOBS];
	int nknobs;
	const char *replay;		/* --replay TRACE */
	const char *trace_out;		/* --trace-out FILE or DIR */
	const char *svg;		/* --svg FILE or DIR */
	const char *paths[8];		/* check: --paths FILE.c (PATHS_MAX_FILES) */
	int npaths;
	const char *patches[8];		/* --patch FILE.c: replaces model functions */
	int npatches;
	const char *defs[CLI_MAX_DEFS];	/* run: -DNAME=VAL */
	int ndefs;
	/*
	 * --example SEL: after a verdict without a finding, show one complete
	 * execution (job.c, run_example).  SEL is a number N (the N-th
	 * execution of the stateless DPOR order, 1-based: example_n) or an
	 * outcome, [WHO=]RC (check only): the first execution in which an
	 * operation (WHO: of that thread, or that operation's) returned RC.
	 */
	const char *example;		/* SEL as given, or NULL */
	uint64_t example_n;		/* N, or 1 with an outcome */
	bool example_by_rc;
	long example_rc;
	char example_who[64];		/* a thread's or an operation's name, or "" */
};

/** options_defaults - the one place where option defaults live. */
void options_defaults(struct options *o);

/**
 * cli_parse_args - parse the whole command line into @o (getopt_long).
 * @err: on failure, what was wrong (without the "pvcheck: " prefix).
 *
 * Context: process context; uses getopt's global state (resets it).
 * Return: 0, or EXIT_USAGE.
 */
int cli_parse_args(int argc, char **argv, struct options *o, char *err, size_t errlen);

/** cli_usage - print the usage text; @full adds options and exit codes. */
void cli_usage(FILE *out, bool full);

/**
 * cli_run - run the command in @o.
 * Return: the process exit code (enum pvm_exit).
 */
int cli_run(const struct options *o);

/* ==== One check: the pipeline of every command (job.c) ==== */

/* What one check is about: a scenario, or a C program (pvcheck run). */
struct job {
	const char *name;		/* the report's and the trace file's name */
	struct scenario *scn;		/* the scenario to bind, or NULL: a program */
	const char *path;		/* a program: its file, */
	uint64_t hash;			/* its content hash (traces), */
	const char *defs;		/* its -D options as one string */
	const struct trace_meta *replay;	/* replay this trace (NULL: search) */
	bool table;			/* a catalog row: no report (the caller prints it) */
	bool patches_off;		/* the patch table's v5.7 column */
};

/* What a check gave the command. */
struct job_outcome {
	struct explore_result res;	/* the caller frees it (explore_result_free) */
	bool as_expected;		/* a scenario's expect line holds */
	int exit;			/* the check's exit code */
	int nvacuous;			/* operations that did nothing in a complete search */
};

/* Set by SIGINT (cli_install_sigint): the searches stop, the results are incomplete. */
extern volatile int cli_interrupted;

/** cli_install_sigint - a first ^C stops the search, a second exits 130. Context: main. */
void cli_install_sigint(void);

/** cli_worse - the more severe of exit codes @a and @b (5, 3, 1, 4, 0). Context: any. */
int cli_worse(int a, int b);

/**
 * cli_job_run - one check of @j under the command line @o: bind the scenario
 * (knobs: a replayed trace's overrides, then --set; a trace recorded with
 * other knob values is refused) or build the program; check the trace's
 * schedule; explore (a scenario under the checker's search policy,
 * explore_auto, a program as asked); a replay must meet its finding, else
 * the fewest-preemption trace (--all: every finding's); the exit code
 * (--expect for a scenario); the trace file (--trace-out); a scenario's
 * vacuous operations; the report (text, JSON) and the SVG (--svg); in the
 * catalog's table only JSON and the SVG.
 * Context: a command.
 * Return: the exit code (also out->exit); out->res to free in every case.
 */
int cli_job_run(const struct options *o, const struct job *j, struct job_outcome *out);

/* ==== Input and system errors (diag.c) ==== */

/**
 * cli_json_error - under --json, the record of an input (exit 3) or system
 * (exit 2) error about @file (@line, @col: 0 without a position) on stdout.
 * Context: a command; the message itself goes to stderr by the caller.
 */
void cli_json_error(const struct options *o, const char *file, const char *name, int line,
		    int col, const char *msg, int code);

/**
 * cli_diag_report - print diagnostic @d on stderr and its JSON record.
 * Context: a command.
 */
void cli_diag_report(const struct options *o, const struct scn_diag *d, const char *name,
		     int code);

/**
 * cli_add_hint - add to a binding error of @scn what the user may have
 * meant (a declared name, a knob value).
 * Context: a command, after scenario_bind() failed.
 */
void cli_add_hint(struct scn_diag *d, const struct scenario *scn);

/**
 * cli_load_paths - load the user paths a check of @scn needs: --paths
 * files, the scenario's `paths` lines (relative to its file), and the
 * --patch files unless @patches_off (the patch table's v5.7 column);
 * none: unload the last ones.
 * Context: process context, before the scenario is bound.
 * Return: 0, or the exit code (EXIT_INPUT, EXIT_USAGE) with the message
 * printed (and the JSON error object under --json).
 */
int cli_load_paths(const struct options *o, const struct scenario *scn, bool patches_off);

/* ==== --all: every distinct finding (findings.c) ==== */

/* Each finding of an --all result replayed: its trace and end state. */
struct cli_found {
	int n;
	struct explore_result *res;	/* n results, one finding each */
	struct report_state **end_state;	/* the model's end state after each */
	char **chains;			/* each thread's call chain at each (cli_capture_chains) */
};

/**
 * cli_findings - after an --all search of @prog found @res's findings:
 * the fewest-preemption search for each (not in the catalog's @table, not
 * under --no-simplest; *@simplest says how far), the findings in their
 * report order (id, file, line), each replayed into @cf; the first becomes
 * @res's finding and trace.
 * Context: a command, after explore_auto(); the world is left at the last
 * finding's end.
 * Return: 0 (with @cf to free with cli_findings_free), or the exit code
 * (a finding that does not replay is EXIT_INTERNAL), the message printed.
 */
int cli_findings(const struct options *o, const struct program *prog,
		 const struct explore_opts *eo, const struct explore_policy *pol,
		 struct explore_result *res, bool table, struct cli_found *cf,
		 enum report_simplest *simplest);

/**
 * cli_findings_first - the first finding of @cf as the report's: its end
 * state and call chains (replacing *@end_state, *@chains) and where the search met it.
 * Context: a command, after cli_findings() found some.
 * Return: 0, or -1 without memory (the message printed).
 */
int cli_findings_first(const struct cli_found *cf, const struct explore_result *res,
		       struct report_state **end_state, char **chains, uint64_t *exec, uint64_t *walk);

/** cli_findings_free - release what cli_findings() put in @cf. Context: any. */
void cli_findings_free(struct cli_found *cf);

/**
 * cli_findings_text - the text report of an --all result: the list of
 * findings, then each one's report (banner, trace, end state).
 * Context: a command.
 */
void cli_findings_text(FILE *out, const struct report_info *ri, const struct explore_result *res,
		       const struct cli_found *cf);

/**
 * cli_capture_end_state - the model's state: its text (mdl_dump_state) and
 * its facts about pages (mdl_state_facts), for the report.
 * Context: the world at the end of the execution to describe.
 * Return: a state to free with cli_state_free(), or NULL without memory.
 */
struct report_state *cli_capture_end_state(void);

/**
 * cli_state_dup - a copy of end state @s (NULL: NULL).
 * Context: any.
 * Return: a state to free with cli_state_free(), or NULL without memory.
 */
struct report_state *cli_state_dup(const struct report_state *s);

/* cli_state_free - free @s (NULL: nothing).  Context: any. */
void cli_state_free(struct report_state *s);

/**
 * cli_capture_chains - each scenario thread's kernel call chain as text
 * (mdl_dump_chains: one line per thread, tab-separated fields).
 * Context: the world at the step of the finding to describe.
 * Return: a malloc'ed string, or NULL without memory.
 */
char *cli_capture_chains(void);

#endif /* PVM_CLI_CLI_H */
