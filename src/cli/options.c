// SPDX-License-Identifier: MIT
/*
 * options.c - parse the pvcheck command line into struct options, in full,
 * before anything runs (the manner of Lua's collectargs): every option
 * value and every --knob is validated here, so a typo costs nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "lib/bug.h"
#include "model/model.h"

void options_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->cmd = CMD_CATALOG;
	o->mode = EXPLORE_DPOR;
	o->preemption_bound = -1;
	o->walks = CLI_DEFAULT_WALKS;
	o->pct_depth = 3;
	o->seed = 1;
	o->random_phase = CLI_DEFAULT_RANDOM_PHASE;
	o->simplest = true;
	o->jobs = 1;
}

static const char usage_short[] =
	"usage: pvcheck [OPTIONS]                   check the built-in catalog\n"
	"       pvcheck check [OPTIONS] FILE.pvs... check scenario files\n"
	"       pvcheck run [OPTIONS] PROGRAM.c [-DNAME=VAL...]\n"
	"       pvcheck list | show NAME            the catalog\n"
	"       pvcheck replay [OPTIONS] TRACE [FILE.pvs]\n";

static const char usage_long[] =
	"\n"
	"Model checker for the s390 protected-virtualization \"inaccessible pages\"\n"
	"protocol of Linux v5.7: every interleaving of the scenario's threads is\n"
	"explored (DPOR); a finding is printed as a two-column kernel trace.\n"
	"\n"
	"Options:\n"
	"  --json                  one JSON object per scenario per line\n"
	"  --expect                check: exit 0 when the verdict is the file's 'expect',\n"
	"                          1 when not (default: the exit code is the verdict)\n"
	"  --max-executions N      stop after N executions (verdict incomplete)\n"
	"  --preemption-bound N    explore only schedules with at most N preemptions\n"
	"  --depth N               cut executions longer than N steps (incomplete)\n"
	"  --step-bound N          an execution longer than N steps is a no-progress finding\n"
	"  --random N              N random walks instead of the exhaustive search\n"
	"  --pct D                 PCT walks with bug depth D (--random N walks, default 1000)\n"
	"  --seed N                seed of random and PCT walks (default 1)\n"
	"  --random-order SEED     DPOR: explore threads in a seeded random order\n"
	"  --random-phase N        DPOR: random walks before the search (default 100; 0: none)\n"
	"  --stateful              explicit-state search: snapshots and a visited-state\n"
	"                          table instead of re-execution (same verdicts)\n"
	"  --state-memory MB       --stateful: cap of the visited states and POR tables (default 4096)\n"
	"  --no-por                --stateful: no partial-order reduction (sleep sets only:\n"
	"                          every reachable state is visited)\n"
	"  --races                 run: report data races on plain (non-atomic) accesses\n"
	"                          (also PVCHECK_RACES=1; off: a safe verdict says so)\n"
	"  --commute-adds          atomic fetch_add/fetch_sub commute with each other: one\n"
	"                          order of adds that no read separates (sound only if\n"
	"                          the program ignores the values they return)\n"
	"  --symmetry              threads a scenario declares 'symmetric' are\n"
	"                          interchangeable: one stored state per renaming of\n"
	"                          them (implies --stateful; changes the state counts)\n"
	"  --stateless             scenarios: stay with stateless DPOR (by default a search\n"
	"                          past 20000 executions restarts statefully)\n"
	"  -j, --jobs N            stateless DPOR on N worker processes (1 to 64, default 1),\n"
	"                          with the same verdict, count and trace on every run;\n"
	"                          the stateful search and random walks use one process\n"
	"  --timeout SECONDS       stop each scenario after SECONDS (verdict incomplete)\n"
	"  --knob NAME=VALUE       set a model knob, over the file's (repeatable)\n"
	"  --paths FILE.c          check: user paths in C (include/pvcheck/kernel.h;\n"
	"                          doc/paths.md), callable as operations; repeatable\n"
	"  --patch FILE.c          check: FILE.c's make_secure_pte replaces the model's;\n"
	"                          with no scenario: the catalog, v5.7 beside patched\n"
	"  --replay TRACE          check/run: replay TRACE instead of exploring\n"
	"  --trace-out FILE|DIR    write the counterexample (else the --example) as a JSON\n"
	"                          trace\n"
	"  --svg FILE|DIR          draw the counterexample (else the --example) as SVG\n"
	"                          swimlanes\n"
	"  --example N|OUTCOME     check, run: after a verdict without a finding, print\n"
	"                          one complete execution as a trace: the N-th of the\n"
	"                          stateless DPOR order (1-based; same N, same trace),\n"
	"                          or check: the first whose operations returned OUTCOME\n"
	"                          ([THREAD=|OP=]RC: busy, -EBUSY, dma=0); none: exit 2\n"
	"  --no-simplest           report the first finding, not the one with the\n"
	"                          fewest preemptions\n"
	"  --all                   check, catalog: search on past findings and report\n"
	"                          every distinct one (id and site), each with its own\n"
	"                          trace; 'expect' must then name exactly their set\n"
	"  --paranoid              run the model's invariant sweep after every step\n"
	"  -D NAME=VAL             run: a macro for the program (repeatable)\n"
	"  -v, --verbose           show every step of a counterexample\n"
	"  -q, --quiet             one line per scenario\n"
	"  -h, --help              this text\n"
	"  -V, --version           version of pvcheck and of the model\n"
	"\n"
	"Exit codes:\n"
	"  0  explored completely, no finding (catalog: every verdict as expected)\n"
	"  1  finding reported (catalog, --expect: a verdict not as expected)\n"
	"  2  usage or system error\n"
	"  3  scenario, program or trace parse or validation error\n"
	"  4  exploration incomplete (bound, timeout or interrupt) with no finding\n"
	"  5  internal checker bug\n"
	"\n"
	"See doc/cli.md and doc/scenarios.md.\n";

void cli_usage(FILE *out, bool full)
{
	fputs(usage_short, out);
	if (full) {
		fputs(usage_long, out);
		fputs("\nKnobs (NAME: values, v5.7 default first):\n", out);
		for (int k = 0; k < mdl_nknobs; k++) {
			fprintf(out, "  %-18s", mdl_knobs[k].name);
			const char *const *v = mdl_knobs[k].values;
			if (v && v[mdl_knobs[k].def])
				fprintf(out, " %s", v[mdl_knobs[k].def]);
			for (int i = 0; v && v[i]; i++)
				if (i != mdl_knobs[k].def)
					fprintf(out, "|%s", v[i]);
			if (mdl_knobs[k].summary)
				fprintf(out, "  %s", mdl_knobs[k].summary);
			fputc('\n', out);
		}
	}
}

enum {
	OPT_JSON = 256, OPT_EXPECT, OPT_MAX_EXEC, OPT_PREEMPT, OPT_DEPTH, OPT_STEPS,
	OPT_RANDOM, OPT_PCT, OPT_SEED, OPT_RANDOM_ORDER, OPT_RANDOM_PHASE, OPT_TIMEOUT,
	OPT_KNOB, OPT_PATHS, OPT_PATCH, OPT_REPLAY, OPT_TRACE_OUT, OPT_NO_SIMPLEST, OPT_PARANOID,
	OPT_SVG, OPT_STATEFUL, OPT_STATE_MEMORY, OPT_NO_POR, OPT_STATELESS, OPT_COMMUTE_ADDS, OPT_RACES,
	OPT_SYMMETRY, OPT_ALL, OPT_EXAMPLE,
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "expect", no_argument, NULL, OPT_EXPECT },
	{ "max-executions", required_argument, NULL, OPT_MAX_EXEC },
	{ "preemption-bound", required_argument, NULL, OPT_PREEMPT },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "step-bound", required_argument, NULL, OPT_STEPS },
	{ "random", required_argument, NULL, OPT_RANDOM },
	{ "pct", required_argument, NULL, OPT_PCT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "random-order", required_argument, NULL, OPT_RANDOM_ORDER },
	{ "random-phase", required_argument, NULL, OPT_RANDOM_PHASE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "knob", required_argument, NULL, OPT_KNOB },
	{ "paths", required_argument, NULL, OPT_PATHS },
	{ "patch", required_argument, NULL, OPT_PATCH },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "trace-out", required_argument, NULL, OPT_TRACE_OUT },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "no-simplest", no_argument, NULL, OPT_NO_SIMPLEST },
	{ "paranoid", no_argument, NULL, OPT_PARANOID },
	{ "stateful", no_argument, NULL, OPT_STATEFUL },
	{ "no-por", no_argument, NULL, OPT_NO_POR },
	{ "stateless", no_argument, NULL, OPT_STATELESS },
	{ "commute-adds", no_argument, NULL, OPT_COMMUTE_ADDS },
	{ "races", no_argument, NULL, OPT_RACES },
	{ "symmetry", no_argument, NULL, OPT_SYMMETRY },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "example", required_argument, NULL, OPT_EXAMPLE },
	{ "state-memory", required_argument, NULL, OPT_STATE_MEMORY },
	{ "jobs", required_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* Parse a non-negative integer option value no larger than @max. */
static int num(const char *opt, const char *s, uint64_t max, uint64_t *out, char *err,
	       size_t errlen)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-' || *s == '+')
		return fail(err, errlen, "--%s: '%s' is not a non-negative number", opt, s);
	unsigned long long v = strtoull(s, &end, 0);
	if (*end || errno)
		return fail(err, errlen, "--%s: '%s' is not a non-negative number", opt, s);
	if (v > max)
		return fail(err, errlen, "--%s: %s is too large (at most %llu)", opt, s,
			    (unsigned long long)max);
	*out = v;
	return 0;
}

/* -j N: a number of workers from 1 to EXPLORE_MAX_JOBS. */
static int parse_jobs(struct options *o, const char *s, char *err, size_t errlen)
{
	char *end;

	errno = 0;
	unsigned long long v = *s && *s != '-' && *s != '+' ? strtoull(s, &end, 10) : 0;
	if (!*s || *s == '-' || *s == '+' || *end || errno)
		return fail(err, errlen, "-j: '%s' is not a number of workers (1 to %d)", s,
			    EXPLORE_MAX_JOBS);
	if (v == 0)
		return fail(err, errlen, "-j: 0 workers; give 1 to %d", EXPLORE_MAX_JOBS);
	if (v > EXPLORE_MAX_JOBS)
		return fail(err, errlen, "-j: %s workers is too many (at most %d)", s,
			    EXPLORE_MAX_JOBS);
	o->jobs = (int)v;
	return 0;
}

static const char *knob_name_at(int i, const void *arg)
{
	(void)arg;
	return mdl_knobs[i].name;
}

static const char *str_at(int i, const void *arg)
{
	return ((const char *const *)arg)[i];
}

/* Validate --knob NAME=VALUE against the model's table. */
static int parse_knob(struct options *o, char *arg, char *err, size_t errlen)
{
	char *eq = strchr(arg, '=');
	int k;

	if (!eq || eq == arg || !eq[1])
		return fail(err, errlen, "--knob: expected NAME=VALUE, got '%s'", arg);
	*eq = '\0';
	for (k = 0; k < mdl_nknobs; k++)
		if (strcmp(mdl_knobs[k].name, arg) == 0)
			break;
	if (k == mdl_nknobs) {
		const char *s = scn_suggest(arg, mdl_nknobs, knob_name_at, NULL);
		return fail(err, errlen, "--knob: unknown knob '%s'%s%s%s", arg,
			    s ? "; did you mean '" : " (pvcheck --help lists them)", s ? s : "",
			    s ? "'?" : "");
	}
	const char *const *v = mdl_knobs[k].values;
	int n = 0;
	while (v && v[n])
		n++;
	bool ok = n == 0;
	for (int i = 0; i < n; i++)
		ok |= strcmp(v[i], eq + 1) == 0;
	if (!ok) {
		const char *s = scn_suggest(eq + 1, n, str_at, v);
		return fail(err, errlen, "--knob: knob '%s' has no value '%s'%s%s%s", arg, eq + 1,
			    s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
	}
	for (int i = 0; i < o->nknobs; i++)
		if (strcmp(o->knobs[i].name, arg) == 0) {
			o->knobs[i].value = eq + 1;	/* the last one wins */
			return 0;
		}
	if (o->nknobs == SCN_MAX_KNOBS)
		return fail(err, errlen, "--knob: too many knobs");
	o->knobs[o->nknobs].name = arg;
	o->knobs[o->nknobs].value = eq + 1;
	o->nknobs++;
	return 0;
}

/*
 * --example SEL: a number N >= 1 (the N-th complete execution), else an
 * outcome [WHO=]RC, RC as scenario_rc_parse() reads it ("0" alone is a
 * number: write "=0" for the outcome).  WHO is checked against the
 * scenario once it is bound (job.c).
 */
static int parse_example(struct options *o, char *arg, char *err, size_t errlen)
{
	char *eq = strchr(arg, '='), *rc = eq ? eq + 1 : arg;
	uint64_t n;

	o->example = arg;
	if (!eq && arg[0] >= '0' && arg[0] <= '9' && strspn(arg, "0123456789") == strlen(arg)) {
		if (num("example", arg, UINT64_MAX / 2, &n, err, errlen))
			return EXIT_USAGE;
		if (n == 0)
			return fail(err, errlen, "--example: executions are numbered from 1 (for "
				    "the outcome 0, write --example =0)");
		o->example_n = n;
		return 0;
	}
	if (scenario_rc_parse(rc, &o->example_rc))
		return fail(err, errlen, "--example: '%s' is neither an execution number nor an "
			    "outcome (an errno name such as -EBUSY or busy, or an integer; "
			    "THREAD=RC or OP=RC for one thread's or operation's)", arg);
	o->example_by_rc = true;
	o->example_n = 1;
	if (eq && eq > arg) {
		if ((size_t)(eq - arg) >= sizeof(o->example_who))
			return fail(err, errlen, "--example: '%.*s' is too long for a thread's or an "
				    "operation's name", (int)(eq - arg), arg);
		memcpy(o->example_who, arg, (size_t)(eq - arg));
		o->example_who[eq - arg] = '\0';
	}
	return 0;
}

static const char *long_name_at(int i, const void *arg)
{
	(void)arg;
	return long_opts[i].name;
}

/* "unknown option '--jsno'; did you mean '--json'?" */
static int unknown_long(const char *arg, char *err, size_t errlen)
{
	char name[64];
	const char *eq = strchr(arg, '=');
	size_t l = eq ? (size_t)(eq - arg) : strlen(arg);

	if (l >= sizeof(name))
		l = sizeof(name) - 1;
	memcpy(name, arg, l);
	name[l] = '\0';
	for (int i = 0; long_opts[i].name && strncmp(name, "--", 2) == 0; i++)
		if (strcmp(long_opts[i].name, name + 2) == 0)
			return fail(err, errlen, "option '%s' takes no value", name);
	const char *s = strncmp(name, "--", 2) == 0 ?
		scn_suggest(name + 2, (int)(sizeof(long_opts) / sizeof(long_opts[0])) - 1,
			    long_name_at, NULL) : NULL;
	if (s)
		return fail(err, errlen, "unknown option '%s'; did you mean '--%s'?", name, s);
	return fail(err, errlen, "unknown option '%s'", name);
}

/*
 * getopt_long takes any unambiguous prefix of a long option: "--trace x.pvs"
 * would be --trace-out and swallow the scenario as its file name.  A long
 * option must be spelled out.  @arg: the argument getopt_long just read,
 * @li: the long option it matched (-1: a short one).
 */
static int check_spelled_out(const char *arg, int li, char *err, size_t errlen)
{
	if (li < 0 || !arg || strncmp(arg, "--", 2) != 0)
		return 0;
	size_t l = strcspn(arg + 2, "=");
	const char *full = long_opts[li].name;
	if (strlen(full) == l && strncmp(arg + 2, full, l) == 0)
		return 0;
	return fail(err, errlen, "unknown option '%.*s'; did you mean '--%s'?", (int)l + 2, arg,
		    full);
}

static const char *const commands[] = { "check", "run", "list", "show", "replay", "help", "version" };

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_parse_args(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	uint64_t v;
	int c, rc;

	optind = 0;	/* GNU: full re-initialisation, so that tests may call us twice */
	opterr = 0;
	err[0] = '\0';
	for (;;) {
		int before = optind ? optind : 1, li = -1;
		c = getopt_long(argc, argv, "+:vqhVD:j:", long_opts, &li);
		if (c == -1) {
			if (optind >= argc)
				break;
			if (optind == before + 1 && strcmp(argv[before], "--") == 0) {
				while (optind < argc)	/* after "--": all positional */
					argv[o->nargs++] = argv[optind++];
				break;
			}
			/* a positional argument: collect it and go on ("+" stops at them) */
			argv[o->nargs++] = argv[optind++];
			continue;
		}
		rc = check_spelled_out(argv[before], li, err, errlen);
		if (rc)
			return rc;
		switch (c) {
		case OPT_JSON: o->json = true; break;
		case OPT_EXPECT: o->expect = true; break;
		case OPT_MAX_EXEC:
			rc = num("max-executions", optarg, UINT64_MAX / 2, &o->max_executions, err, errlen);
			o->set_max_executions = true;
			break;
		case OPT_PREEMPT:
			rc = num("preemption-bound", optarg, 1000000, &v, err, errlen);
			o->preemption_bound = (int)v;
			o->set_preemption_bound = true;
			break;
		case OPT_DEPTH:
			rc = num("depth", optarg, 1000000, &v, err, errlen);
			o->depth_bound = (int)v;
			o->set_depth_bound = true;
			break;
		case OPT_STEPS:
			rc = num("step-bound", optarg, 1000000, &v, err, errlen);
			o->step_bound = (int)v;
			o->set_step_bound = true;
			break;
		case OPT_RANDOM:
			rc = num("random", optarg, UINT64_MAX / 2, &o->walks, err, errlen);
			if (o->mode != EXPLORE_PCT)
				o->mode = EXPLORE_RANDOM;
			break;
		case OPT_PCT:
			rc = num("pct", optarg, 1000, &v, err, errlen);
			o->pct_depth = (int)v;
			o->mode = EXPLORE_PCT;
			break;
		case OPT_SEED: rc = num("seed", optarg, UINT64_MAX, &o->seed, err, errlen); break;
		case OPT_RANDOM_ORDER:
			rc = num("random-order", optarg, UINT64_MAX, &o->random_order, err, errlen);
			break;
		case OPT_RANDOM_PHASE:
			rc = num("random-phase", optarg, UINT64_MAX / 2, &o->random_phase, err, errlen);
			break;
		case OPT_TIMEOUT: {
			char *end;
			errno = 0;
			o->timeout = strtod(optarg, &end);
			if (*end || errno || !(o->timeout >= 0) || o->timeout > 1e9)
				rc = fail(err, errlen, "--timeout: '%s' is not a number of seconds", optarg);
			break;
		}
		case OPT_KNOB: rc = parse_knob(o, optarg, err, errlen); break;
		case OPT_PATHS:
			if (o->npaths >= 8)
				rc = fail(err, errlen, "--paths: at most 8 files");
			else
				o->paths[o->npaths++] = optarg;
			break;
		case OPT_PATCH:
			if (o->npatches >= 8)
				rc = fail(err, errlen, "--patch: at most 8 files");
			else
				o->patches[o->npatches++] = optarg;
			break;
		case OPT_REPLAY: o->replay = optarg; break;
		case OPT_TRACE_OUT: o->trace_out = optarg; break;
		case OPT_SVG: o->svg = optarg; break;
		case OPT_NO_SIMPLEST: o->simplest = false; break;
		case OPT_PARANOID: o->paranoid = true; break;
		case OPT_STATEFUL: o->stateful = true; break;
		case OPT_NO_POR: o->no_por = true; break;
		case OPT_STATELESS: o->stateless = true; break;
		case OPT_COMMUTE_ADDS: o->commute_adds = true; break;
		case OPT_RACES: o->races = true; break;
		case OPT_SYMMETRY: o->symmetry = true; break;
		case OPT_ALL: o->all = true; break;
		case OPT_EXAMPLE: rc = parse_example(o, optarg, err, errlen); break;
		case OPT_STATE_MEMORY:
			rc = num("state-memory", optarg, 1u << 20, &o->state_memory_mb, err, errlen);
			break;
		case 'j': rc = parse_jobs(o, optarg, err, errlen); break;
		case 'v': o->verbose = true; break;
		case 'q': o->quiet = true; break;
		case 'h': o->cmd = CMD_HELP; break;
		case 'V': o->cmd = CMD_VERSION; break;
		case 'D':
			if (o->ndefs == CLI_MAX_DEFS)
				rc = fail(err, errlen, "too many -D options (limit %d)", CLI_MAX_DEFS);
			else
				o->defs[o->ndefs++] = optarg;
			break;
		case ':':
			if (optopt > 0 && optopt < 256)
				rc = fail(err, errlen, "option '-%c' needs an argument", optopt);
			else
				rc = fail(err, errlen, "option '%s' needs an argument", argv[optind - 1]);
			break;
		default:
			if (optopt && optopt < 256)
				rc = fail(err, errlen, "unknown option '-%c'", optopt);
			else
				rc = unknown_long(argv[optind - 1], err, errlen);
			break;
		}
		if (rc)
			return rc;
	}
	if (o->cmd == CMD_HELP || o->cmd == CMD_VERSION)
		return 0;

	/* The first positional argument is the command. */
	o->args = argv;
	if (o->nargs > 0) {
		const char *cmd = argv[0];
		int k;
		for (k = 0; k < (int)(sizeof(commands) / sizeof(commands[0])); k++)
			if (strcmp(cmd, commands[k]) == 0)
				break;
		switch (k) {
		case 0: o->cmd = CMD_CHECK; break;
		case 1: o->cmd = CMD_RUN; break;
		case 2: o->cmd = CMD_LIST; break;
		case 3: o->cmd = CMD_SHOW; break;
		case 4: o->cmd = CMD_REPLAY; break;
		case 5: o->cmd = CMD_HELP; return 0;
		case 6: o->cmd = CMD_VERSION; return 0;
		default: {
			const char *s = scn_suggest(cmd, (int)(sizeof(commands) / sizeof(commands[0])),
						    str_at, commands);
			size_t l = strlen(cmd);
			if (s)
				return fail(err, errlen, "unknown command '%s'; did you mean '%s'?", cmd, s);
			if (l > 4 && strcmp(cmd + l - 4, ".pvs") == 0)
				return fail(err, errlen, "unknown command '%s'; to check a file: pvcheck check %s",
					    cmd, cmd);
			return fail(err, errlen, "unknown command '%s'", cmd);
		}
		}
		o->args = argv + 1;
		o->nargs--;
	}

	switch (o->cmd) {
	case CMD_CATALOG:
	case CMD_LIST:
		if (o->nargs)
			return fail(err, errlen, "'%s' takes no arguments", o->cmd == CMD_LIST ? "list" :
				    "pvcheck");
		break;
	case CMD_CHECK:
		if (!o->nargs)
			return fail(err, errlen, "check: no scenario file given");
		if (o->replay && o->nargs != 1)
			return fail(err, errlen, "--replay: give exactly one scenario file");
		break;
	case CMD_RUN:
		if (o->nargs != 1)
			return fail(err, errlen, "run: give exactly one PROGRAM.c");
		if (o->nknobs)
			return fail(err, errlen, "--knob applies to scenarios, not to 'run'");
		break;
	case CMD_SHOW:
		if (o->nargs != 1)
			return fail(err, errlen, "show: give exactly one catalog scenario name");
		break;
	case CMD_REPLAY:
		if (o->nargs < 1 || o->nargs > 2)
			return fail(err, errlen, "replay: give a TRACE file and optionally the scenario FILE");
		if (o->replay)
			return fail(err, errlen, "replay: the trace is an argument, not --replay");
		break;
	default:
		break;
	}
	if (o->ndefs && o->cmd != CMD_RUN)
		return fail(err, errlen, "-D applies to 'run' only");
	if (o->npaths && o->cmd != CMD_CHECK && o->cmd != CMD_REPLAY)
		return fail(err, errlen, "--paths applies to 'check' and 'replay' (user paths of a scenario)");
	if (o->npatches && o->cmd != CMD_CHECK && o->cmd != CMD_REPLAY && o->cmd != CMD_CATALOG)
		return fail(err, errlen, "--patch applies to 'check', 'replay' and the catalog (a patch "
			    "of the model)");
	if (o->npaths + o->npatches > 8)
		return fail(err, errlen, "--paths and --patch: at most 8 files in all");
	if (o->replay && o->cmd != CMD_CHECK && o->cmd != CMD_RUN)
		return fail(err, errlen, "--replay applies to 'check' and 'run' (or use: pvcheck replay TRACE)");
	if (o->trace_out && !is_dir(o->trace_out) &&
	    (o->cmd == CMD_CATALOG || (o->cmd == CMD_CHECK && o->nargs > 1)))
		return fail(err, errlen, "--trace-out: several scenarios need a directory, and '%s' is not one",
			    o->trace_out);
	if (o->svg && !is_dir(o->svg) &&
	    (o->cmd == CMD_CATALOG || (o->cmd == CMD_CHECK && o->nargs > 1)))
		return fail(err, errlen, "--svg: several scenarios need a directory, and '%s' is not one",
			    o->svg);
	if (o->symmetry) {
		if (o->cmd == CMD_RUN)
			return fail(err, errlen, "--symmetry: only scenarios declare symmetric threads "
				    "(a program's thread handles tell its threads apart)");
		if (o->stateless)
			return fail(err, errlen, "--symmetry needs the stateful search, not --stateless");
		if (o->mode != EXPLORE_DPOR || o->replay)
			return fail(err, errlen, "--symmetry applies to the exhaustive search, not to "
				    "random walks or replays");
		o->stateful = true;
	}
	if (o->all) {
		if (o->cmd != CMD_CHECK && o->cmd != CMD_CATALOG)
			return fail(err, errlen, "--all applies to 'check' and the catalog");
		if (o->replay)
			return fail(err, errlen, "--all: a replay follows one recorded finding; drop --all or --replay");
		if (o->jobs > 1)
			return fail(err, errlen, "--all runs in one process (the -j workers report "
				    "one finding each); drop -j %d", o->jobs);
	}
	if (o->example) {
		if (o->cmd != CMD_CHECK && o->cmd != CMD_RUN)
			return fail(err, errlen, "--example applies to 'check' and 'run'");
		if (o->example_by_rc && o->cmd != CMD_CHECK)
			return fail(err, errlen, "--example %s: outcomes are a scenario's ('check'); "
				    "for a program give an execution number", o->example);
		if (o->replay)
			return fail(err, errlen, "--example: a replay follows one recorded finding; "
				    "drop --example or --replay");
		if (o->mode != EXPLORE_DPOR)
			return fail(err, errlen, "--example numbers the executions of the exhaustive "
				    "search, not of random or PCT walks");
		if (o->quiet && !o->json)
			return fail(err, errlen, "--example prints a trace; drop -q");
	}
	if (o->json && o->quiet)
		o->quiet = false;
	return 0;
}
