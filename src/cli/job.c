// SPDX-License-Identifier: MIT
/*
 * job.c - one check, the pipeline `check`, `replay`, the catalog table and
 * `run` share: bind the scenario (or build the C program), check a trace
 * to replay, the explorer options, the search (the checker's policy,
 * src/check/auto.c, for a scenario), the replay's verdict or the
 * fewest-preemption trace, the exit code, the trace file, a scenario's
 * vacuous operations, the report (text or JSON) and the SVG.  Also the
 * progress line and SIGINT, which every search shares.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/cli.h"
#include "lib/bug.h"
#include "model/model.h"
#include "report/report.h"
#include "runc/runc.h"

/* ==== SIGINT and the progress line ==== */

volatile int cli_interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	if (cli_interrupted)	/* a second ^C: the user means it */
		_exit(130);
	cli_interrupted = 1;
}

void cli_install_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

struct progress {
	const char *name;
	bool shown;
	bool states;		/* a stateful search: the count is of stored states */
	struct report_state **end_state;	/* re-captured when the trace is replaced (recapture_end_state) */
	char **chains;		/* the same, each thread's call chain */
};

static void progress_cb(void *arg, uint64_t executions, double seconds)
{
	struct progress *p = arg;

	if (seconds < 1.0)
		return;
	fprintf(stderr, "\r\033[K%s: %" PRIu64 " %s, %.0f/s, %.1f s", p->name, executions,
		p->states ? "states" : "executions",
		seconds > 0 ? (double)executions / seconds : 0.0, seconds);
	fflush(stderr);
	p->shown = true;
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

/* ==== Shared steps ==== */

static const char *mode_name(enum explore_mode m)
{
	switch (m) {
	case EXPLORE_DPOR: return "dpor";
	case EXPLORE_RANDOM: return "random";
	case EXPLORE_PCT: return "pct";
	case EXPLORE_REPLAY: return "replay";
	case EXPLORE_STATEFUL: return "stateful";
	default: return "other";
	}
}

int cli_worse(int a, int b)
{
	static const int rank[] = { [EXIT_SAFE] = 0, [EXIT_INCOMPLETE] = 1, [EXIT_FINDING] = 2,
				    [EXIT_USAGE] = 3, [EXIT_INPUT] = 4, [EXIT_INTERNAL] = 5 };
	return rank[a] >= rank[b] ? a : b;
}

static int verdict_exit(const struct explore_result *res)
{
	if (res->found)
		return EXIT_FINDING;
	return res->verdict == VERDICT_SAFE ? EXIT_SAFE : EXIT_INCOMPLETE;
}

/* The explorer options for @scn (NULL: a program) under the command line. */
static void make_opts(const struct options *o, const struct scenario *scn,
		      struct explore_opts *eo, struct progress *pg)
{
	explore_opts_defaults(eo);
	eo->mode = o->mode;
	eo->random_runs = o->mode == EXPLORE_DPOR ? o->random_phase : o->walks;
	if (o->stateful && o->mode == EXPLORE_DPOR)
		eo->mode = EXPLORE_STATEFUL;
	eo->state_memory = (size_t)o->state_memory_mb << 20;
	eo->no_por = o->no_por;
	eo->commute_adds = o->commute_adds;
	eo->symmetry = o->symmetry;
	eo->seed = o->seed;
	eo->pct_depth = o->pct_depth;
	eo->random_order = o->random_order;
	eo->timeout = o->timeout;
	eo->jobs = o->jobs;
	/* --all: the sweep too at every step, as in the replay that records each trace */
	eo->all_findings = eo->finding_races = o->all;
	eo->paranoid = o->paranoid || o->all;
	if (scn)
		scenario_apply_bounds(scn, eo);
	if (o->set_max_executions)
		eo->max_executions = o->max_executions;
	if (o->set_preemption_bound)
		eo->preemption_bound = o->preemption_bound;
	if (o->set_depth_bound)
		eo->depth_bound = o->depth_bound;
	if (o->set_step_bound)
		eo->step_bound = o->step_bound;
	eo->interrupt = &cli_interrupted;
	if (isatty(STDERR_FILENO) && !o->quiet) {
		eo->progress = progress_cb;
		eo->progress_arg = pg;
	}
}

static int do_explore(const struct program *prog, const struct explore_opts *eo,
		      struct explore_result *res, struct progress *pg)
{
	int rc;

	pg->states = eo->mode == EXPLORE_STATEFUL;
	rc = explore(prog, eo, res);
	progress_end(pg);
	if (rc == -ECHILD) {
		fprintf(stderr, "pvcheck: internal error: %s\n", res->error);
		explore_result_free(res);
		return EXIT_INTERNAL;
	}
	if (rc) {
		fprintf(stderr, "pvcheck: the explorer could not start: %s\n",
			res->error[0] ? res->error : strerror(-rc));
		explore_result_free(res);
		return EXIT_INTERNAL;
	}
	return 0;
}

/* explore_policy.at_finding: the world is at the end of the new trace. */
static void recapture_end_state(void *arg)
{
	struct progress *p = arg;

	cli_state_free(*p->end_state);
	*p->end_state = cli_capture_end_state();
	free(*p->chains);
	*p->chains = cli_capture_chains();
}

/* explore_policy.run: one exploration with the progress line and errors. */
static int policy_run(void *arg, const struct program *prog, const struct explore_opts *eo,
		      struct explore_result *res)
{
	return do_explore(prog, eo, res, arg);
}

/* The search policy of the checker (src/check/auto.c) for the command line. */
static struct explore_policy policy(const struct options *o, struct progress *pg,
				    void (*at_finding)(void *arg))
{
	return (struct explore_policy){ .may_switch = !o->stateless, .run = policy_run,
					.at_finding = at_finding, .arg = pg };
}

/* The same finding with fewer preemptions (explore_simplest), unless --no-simplest. */
static enum report_simplest find_simplest(const struct options *o, const struct program *prog,
					  const struct explore_opts *eo, struct explore_result *res,
					  struct progress *pg, void (*at_finding)(void *arg))
{
	struct explore_policy p = policy(o, pg, at_finding);
	enum explore_simplest how;

	if (!o->simplest)
		return REPORT_SIMPLEST_NONE;
	explore_simplest(prog, eo, &p, res, &how);
	return how == EXPLORE_SIMPLEST_FEWEST || how == EXPLORE_SIMPLEST_EXACT ? REPORT_SIMPLEST_FEWEST :
	       how == EXPLORE_SIMPLEST_BOUNDED ? REPORT_SIMPLEST_BOUNDED : REPORT_SIMPLEST_NONE;
}

/* Where --trace-out (or --svg) @opt puts the file of scenario @name (NULL: nowhere). */
static char *out_path(const char *opt, const char *name, const char *suffix)
{
	struct stat st;
	char *p;

	if (!opt)
		return NULL;
	if (stat(opt, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (asprintf(&p, "%s/%s%s", opt, name, suffix) < 0)
			return NULL;
		return p;
	}
	return strdup(opt);
}

static char *trace_path(const struct options *o, const char *name)
{
	return out_path(o->trace_out, name, ".trace.json");
}

/*
 * Write the SVG of @ri/@res if --svg asks: the counterexample, or without
 * a finding the --example execution.  Return: the path written, or NULL.
 */
static char *write_svg(const struct options *o, const char *name, const struct report_info *ri,
		       const struct explore_result *res)
{
	char err[512], *p = res->found || ri->example ? out_path(o->svg, name, ".svg") : NULL;

	/* without a finding, the --example execution is drawn */
	if (p && (res->found ? report_svg(p, ri, res, err, sizeof(err)) :
		  report_example_svg(p, ri, err, sizeof(err)))) {
		fprintf(stderr, "pvcheck: %s\n", err);
		free(p);
		p = NULL;
	}
	return p;
}

static void fill_meta(struct trace_meta *m, const struct scenario *scn, const struct options *o)
{
	memset(m, 0, sizeof(*m));
	m->scenario = (char *)scn->name.s;
	m->file = scn->path;
	m->hash = scn->hash;
	m->model = (char *)mdl_version;
	m->tool = (char *)"pvcheck " PVCHECK_VERSION;
	m->nknobs = scn->nknob_values;
	for (int k = 0; k < scn->nknob_values; k++) {
		m->knob_name[k] = (char *)mdl_knobs[k].name;
		m->knob_value[k] = (char *)scn->knob_values[k];
	}
	m->noverrides = o->nknobs;
	for (int k = 0; k < o->nknobs; k++) {
		m->over_name[k] = (char *)o->knobs[k].name;
		m->over_value[k] = (char *)o->knobs[k].value;
	}
}

/* ==== One check ==== */

/*
 * A scenario's knobs: the trace's overrides, then the command line's;
 * bound with its user paths.  A replayed trace recorded with other knob
 * values is refused.  Return: 0, or the exit code (the message printed).
 */
static int bind_scenario(const struct options *o, const struct job *j)
{
	struct scn_knob_set knobs[2 * SCN_MAX_KNOBS];
	struct scenario *scn = j->scn;
	const struct trace_meta *replay = j->replay;
	struct scn_diag d;
	int n = 0, rc;

	if (replay)
		for (int k = 0; k < replay->noverrides && n < SCN_MAX_KNOBS; k++)
			knobs[n++] = (struct scn_knob_set){ replay->over_name[k], replay->over_value[k] };
	for (int k = 0; k < o->nknobs; k++)
		knobs[n++] = o->knobs[k];
	if ((rc = cli_load_paths(o, scn, j->patches_off)))
		return rc;
	if (scenario_bind(scn, knobs, n, &d)) {
		cli_add_hint(&d, scn);
		cli_diag_report(o, &d, scn->name.s, EXIT_INPUT);
		return EXIT_INPUT;
	}
	if (replay) {
		/* Refuse a trace recorded with other knob values. */
		for (int k = 0; k < scn->nknob_values; k++) {
			const char *tv = NULL;
			for (int m = 0; m < replay->nknobs; m++)
				if (strcmp(replay->knob_name[m], mdl_knobs[k].name) == 0)
					tv = replay->knob_value[m];
			if (!tv || strcmp(tv, scn->knob_values[k]) != 0) {
				fprintf(stderr, "pvcheck: trace does not match: knob %s is '%s' here but %s%s%s in the trace; refusing to replay\n",
					mdl_knobs[k].name, scn->knob_values[k], tv ? "'" : "",
					tv ? tv : "absent", tv ? "'" : "");
				return EXIT_INPUT;
			}
		}
		for (int m = 0; m < replay->nknobs; m++) {
			int k;
			for (k = 0; k < scn->nknob_values; k++)
				if (strcmp(replay->knob_name[m], mdl_knobs[k].name) == 0)
					break;
			if (k == scn->nknob_values) {
				fprintf(stderr, "pvcheck: trace does not match: it sets knob %s, which this model does not have; refusing to replay\n",
					replay->knob_name[m]);
				return EXIT_INPUT;
			}
		}
	}
	return 0;
}

/*
 * Vacuity: an operation that did nothing in every execution of a complete
 * search means the scenario did not ask what it says.  The counts come
 * from this process: not from -j's workers.  Fills the report's outcome
 * lines (*@outl, *@outp, malloc'ed; @nout -1 when there are none) and the
 * vacuous operations (@vacp).  Return: how many are vacuous.
 */
static int vacuity(const struct scenario *scn, const struct explore_result *res, bool replay,
		   char (**outl)[SCN_MSG_LEN], const char ***outp, int *nout, const char **vacp)
{
	static char vac[16][SCN_MSG_LEN];
	int nvac = 0;

	*nout = 0;
	if (replay || res->workers != 0) {
		*nout = -1;
		return 0;
	}
	int nops = 0;
	for (int t = 0; t < scn->nthreads; t++)
		nops += scn->threads[t].nops;
	*outl = calloc((size_t)nops + 1, sizeof(**outl));
	*outp = calloc((size_t)nops + 1, sizeof(**outp));
	for (int t = 0; *outl && *outp && t < scn->nthreads; t++)
		for (int i = 0; i < scn->threads[t].nops; i++) {
			const struct scn_op *op = scenario_op_record(scn, t, i);
			const struct scn_op *src = &scn->threads[t].ops[i];
			char args[96] = "", oc[160];
			for (int a = 0; a < src->nargs; a++) {
				size_t l = strlen(args);
				snprintf(args + l, sizeof(args) - l, " %s", src->arg[a].s);
			}
			scenario_outcome_desc(op, oc, sizeof(oc));
			/* A line longer than the slot ends in "..." rather than mid-word. */
			if (snprintf((*outl)[*nout], SCN_MSG_LEN, "%s line %d: %s%s: %s",
				     scn->threads[t].name.s, src->name.pos.line, src->name.s,
				     args, oc) >= SCN_MSG_LEN)
				memcpy((*outl)[*nout] + SCN_MSG_LEN - 4, "...", 4);
			(*outp)[*nout] = (*outl)[*nout];
			(*nout)++;
		}
	if (res->complete && !res->found) {
		nvac = scenario_vacuous(scn, vac, 16);
		for (int k = 0; k < nvac && k < 16; k++)
			vacp[k] = vac[k];
	}
	return nvac;
}

/* ==== --example: one complete execution after a verdict without a finding ==== */

/*
 * Which execution --example shows, and why this way.  A safe verdict has
 * no trace; an example shows what "safe" looked like in one execution.  It
 * must be the same on every run and machine, with or without -j, whatever
 * search gave the verdict: so the example is not taken from the verdict's
 * search (its -j workers split the tree, its stateful phase numbers no
 * executions) but from a search of its own after it, in one process: the
 * stateless DPOR search under the same options and bounds, without the
 * random walks before it, which is the order that numbers the verdict's
 * `executions:` (execution N of it is execution N of a stateless verdict,
 * -j or not).  The engine keeps the schedule of the execution asked for
 * and stops there (explore_opts.example), then replays it with notes as it
 * does a finding's; the report prints it in the counterexample's layout.
 */
struct example {
	struct explore_result res;	/* the example's search; res.example the trace */
	bool ran;			/* the search ran (res to free) */
	struct report_state *end_state;	/* the model's state at its end */
	char head[1024];		/* what follows "example: " */
	char notice[512];		/* why there is none */
	int nout;			/* each operation's outcome in it */
	char (*outl)[SCN_MSG_LEN];
	const char **outp;
};

/* What explore_opts.example_pick compares: the outcome asked for, of whom. */
struct example_want {
	const struct scenario *scn;
	long rc;
	int thread;			/* the scenario thread WHO names, or -1 */
	const char *op;			/* the operation WHO names, or NULL */
};

/*
 * explore_opts.example_pick - did an operation (of the thread or the name
 * asked for) return the outcome asked for in the execution that just ended?
 * Context: the scheduler, between executions (scenario_exec_rc).
 */
static bool example_pick(void *arg)
{
	const struct example_want *w = arg;
	long rc;

	for (int t = 0; t < w->scn->nthreads; t++) {
		if (w->thread >= 0 && t != w->thread)
			continue;
		for (int i = 0; i < w->scn->threads[t].nops; i++)
			if ((!w->op || strcmp(w->scn->threads[t].ops[i].name.s, w->op) == 0) &&
			    scenario_exec_rc(t, i, &rc) && rc == w->rc)
				return true;
	}
	return false;
}

/*
 * --example WHO=RC: WHO is a thread of @scn, else an operation it runs.
 * Return: 0, or EXIT_USAGE with the message printed and in @notice.
 */
static int example_who(const struct options *o, const struct scenario *scn,
		       struct example_want *w, char *notice, size_t nlen)
{
	char list[200] = "";
	size_t l = 0;

	w->thread = -1;
	w->op = NULL;
	if (!o->example_who[0])
		return 0;
	for (int t = 0; t < scn->nthreads; t++)
		if (strcmp(scn->threads[t].name.s, o->example_who) == 0) {
			w->thread = t;
			return 0;
		}
	for (int t = 0; t < scn->nthreads; t++)
		for (int i = 0; i < scn->threads[t].nops; i++)
			if (strcmp(scn->threads[t].ops[i].name.s, o->example_who) == 0) {
				w->op = scn->threads[t].ops[i].name.s;
				return 0;
			}
	for (int t = 0; t < scn->nthreads && l < sizeof(list); t++)
		l += (size_t)snprintf(list + l, sizeof(list) - l, "%s%s", t ? ", " : "",
				      scn->threads[t].name.s);
	snprintf(notice, nlen, "'%s' is neither a thread nor an operation of %s (threads: %s)",
		 o->example_who, scn->name.s, list);
	fprintf(stderr, "pvcheck: --example %s: %s\n", o->example, notice);
	return EXIT_USAGE;
}

/*
 * The example's outcomes: one "THREAD line N: OP ARGS: RC" line per
 * operation (as the outcome lines of the verdict, for one execution) into
 * @ex, and "THREAD OP RC, ..." appended to @ex->head.
 */
static void example_outcomes(const struct scenario *scn, struct example *ex)
{
	int nops = 0;
	size_t l = strlen(ex->head);
	const char *sep = " (outcome: ";

	for (int t = 0; t < scn->nthreads; t++)
		nops += scn->threads[t].nops;
	ex->outl = calloc((size_t)nops + 1, sizeof(*ex->outl));
	ex->outp = calloc((size_t)nops + 1, sizeof(*ex->outp));
	for (int t = 0; ex->outl && ex->outp && t < scn->nthreads; t++)
		for (int i = 0; i < scn->threads[t].nops; i++) {
			const struct scn_op *src = &scn->threads[t].ops[i];
			char args[96] = "", rcs[32] = "did not return";
			long rc;
			if (scenario_exec_rc(t, i, &rc))
				scenario_rc_str(rc, rcs, sizeof(rcs));
			for (int a = 0; a < src->nargs; a++) {
				size_t al = strlen(args);
				snprintf(args + al, sizeof(args) - al, " %s", src->arg[a].s);
			}
			snprintf(ex->outl[ex->nout], SCN_MSG_LEN, "%s line %d: %s%s: %s",
				 scn->threads[t].name.s, src->name.pos.line, src->name.s, args, rcs);
			ex->outp[ex->nout] = ex->outl[ex->nout];
			ex->nout++;
			if (l < sizeof(ex->head))
				l += (size_t)snprintf(ex->head + l, sizeof(ex->head) - l, "%s%s %s %s",
						      sep, scn->threads[t].name.s, src->name.s, rcs);
			sep = ", ";
		}
	if (ex->nout && l < sizeof(ex->head))
		snprintf(ex->head + l, sizeof(ex->head) - l, ")");
}

/*
 * run_example - --example after the verdict @res of @j: the example's own
 * search (see struct example) for the execution asked for, its trace,
 * outcomes and end state into @ex; or, when there is none, @ex->notice
 * (also on stderr).  A verdict with a finding has its counterexample: no
 * example.  Context: a command, after the verdict's search and the
 * outcome tally were read (this search adds to the tally).
 * Return: 0; EXIT_USAGE when no execution is the one asked for (N past
 * the count, an outcome no execution has, WHO unknown); EXIT_INCOMPLETE
 * when the example's search was cut before it; EXIT_FINDING when it met a
 * finding the cut verdict's search had not reached; EXIT_INTERNAL.
 */
static int run_example(const struct options *o, const struct job *j, const struct program *prog,
		       const struct explore_opts *eo, const struct explore_result *res,
		       struct progress *pg, struct example *ex)
{
	struct example_want want = { .scn = j->scn, .rc = o->example_rc, .thread = -1 };
	struct explore_opts e2 = *eo;
	/* the verdict's count numbers the same executions when it is stateless and complete */
	uint64_t of = res->complete && !res->stateful && !res->switched_after ? res->executions : 0;
	char rcs[32], who[96] = "";
	int rc;

	if (res->found) {
		snprintf(ex->notice, sizeof(ex->notice), "%s has a finding: its counterexample is "
			 "the example", j->name);
		fprintf(stderr, "pvcheck: --example: %s\n", ex->notice);
		return 0;
	}
	if (cli_interrupted) {
		snprintf(ex->notice, sizeof(ex->notice), "interrupted");
		return EXIT_INCOMPLETE;
	}
	if (j->scn && (rc = example_who(o, j->scn, &want, ex->notice, sizeof(ex->notice))))
		return rc;
	if (o->example_by_rc) {
		scenario_rc_str(o->example_rc, rcs, sizeof(rcs));
		if (want.thread >= 0)
			snprintf(who, sizeof(who), "an operation of %s ", o->example_who);
		else if (want.op)
			snprintf(who, sizeof(who), "%s ", want.op);
		else
			snprintf(who, sizeof(who), "an operation ");
	}
	if (!o->example_by_rc && of && o->example_n > of) {
		snprintf(ex->notice, sizeof(ex->notice), "%s has %" PRIu64 " complete executions; "
			 "there is no execution %" PRIu64, j->name, of, o->example_n);
		fprintf(stderr, "pvcheck: --example %s: %s\n", o->example, ex->notice);
		return EXIT_USAGE;
	}
	e2.mode = EXPLORE_DPOR;
	e2.random_runs = 0;
	e2.jobs = 1;
	e2.all_findings = e2.finding_races = e2.keep_going = false;
	e2.want_finding = NULL;
	e2.example = o->example_n;
	e2.example_pick = o->example_by_rc ? example_pick : NULL;
	e2.example_arg = &want;
	if ((rc = do_explore(prog, &e2, &ex->res, pg)))
		return rc;
	ex->ran = true;
	const struct explore_result *r = &ex->res;
	if (r->example_found) {
		ex->end_state = j->scn ? cli_capture_end_state() : NULL;
		if (of)
			snprintf(ex->head, sizeof(ex->head), "execution %" PRIu64 " of %" PRIu64,
				 r->example_exec, of);
		else if (res->stateful || res->switched_after)
			snprintf(ex->head, sizeof(ex->head), "execution %" PRIu64 " of the stateless "
				 "DPOR order (the verdict's stateful search numbers none)",
				 r->example_exec);
		else
			snprintf(ex->head, sizeof(ex->head), "execution %" PRIu64 " of the search",
				 r->example_exec);
		if (o->example_by_rc) {
			size_t l = strlen(ex->head);
			snprintf(ex->head + l, sizeof(ex->head) - l, ", the first in which %sreturned %s",
				 who, rcs);
		}
		if (j->scn)
			example_outcomes(j->scn, ex);
		return 0;
	}
	if (r->found) {
		snprintf(ex->notice, sizeof(ex->notice), "the search for the example met %s in "
			 "execution %" PRIu64 ", past where the verdict's search was cut (%s): "
			 "check without the cut to see its counterexample", r->finding.id,
			 r->executions, res->cut_by ? res->cut_by : "a bound");
		fprintf(stderr, "pvcheck: --example %s: %s\n", o->example, ex->notice);
		return EXIT_FINDING;
	}
	if (!r->complete) {
		snprintf(ex->notice, sizeof(ex->notice), "the search for the example was cut by %s "
			 "after %" PRIu64 " executions", r->cut_by ? r->cut_by : "a bound",
			 r->executions);
		fprintf(stderr, "pvcheck: --example %s: %s\n", o->example, ex->notice);
		return EXIT_INCOMPLETE;
	}
	if (o->example_by_rc)
		snprintf(ex->notice, sizeof(ex->notice), "in none of the %" PRIu64 " complete "
			 "executions of %s did %sreturn %s", r->executions, j->name, who, rcs);
	else
		snprintf(ex->notice, sizeof(ex->notice), "%s has %" PRIu64 " complete executions; "
			 "there is no execution %" PRIu64, j->name, r->executions, o->example_n);
	fprintf(stderr, "pvcheck: --example %s: %s\n", o->example, ex->notice);
	return EXIT_USAGE;
}

static void example_free(struct example *ex)
{
	if (ex->ran)
		explore_result_free(&ex->res);
	cli_state_free(ex->end_state);
	free(ex->outl);
	free(ex->outp);
}

/* A program's trace metadata: its file, content hash and -D options. */
static void program_meta(struct trace_meta *m, const struct job *j)
{
	memset(m, 0, sizeof(*m));
	m->scenario = (char *)j->name;
	m->file = (char *)j->path;
	m->hash = j->hash;
	m->model = (char *)mdl_version;
	m->tool = (char *)"pvcheck " PVCHECK_VERSION;
	m->nknobs = 1;
	m->knob_name[0] = (char *)"defines";
	m->knob_value[0] = (char *)j->defs;
}

/*
 * write_trace_file - --trace-out: the trace of @r (a finding's, or an
 * example's view) for @j, with the metadata replay checks it against.
 * @mode: the search's (a program's report names it); @chains: the
 * finding's reference chains, or NULL.  A replay keeps the knob overrides
 * its trace was recorded with.
 * Context: cli_job_run, after the search.
 * Return: the path written (the caller frees it), or NULL: no --trace-out,
 * or it could not be written (said on stderr).
 */
static char *write_trace_file(const struct options *o, const struct job *j, enum explore_mode mode,
			      const char *chains, const struct explore_result *r)
{
	const struct trace_meta *replay = j->replay;
	char err[512], *tpath = trace_path(o, j->name);
	struct trace_meta m;
	struct report_info wri = { .mode = mode_name(j->scn ? o->mode : mode), .chains = chains };

	if (!tpath)
		return NULL;
	if (j->scn)
		fill_meta(&m, j->scn, o);
	else
		program_meta(&m, j);
	if (replay && j->scn)	/* keep the overrides the trace was recorded with */
		for (int k = 0; k < replay->noverrides && m.noverrides < TRACE_MAX_KNOBS; k++) {
			m.over_name[m.noverrides] = replay->over_name[k];
			m.over_value[m.noverrides++] = replay->over_value[k];
		}
	if (trace_write(tpath, &m, &wri, r, err, sizeof(err))) {
		fprintf(stderr, "pvcheck: %s\n", err);
		free(tpath);
		return NULL;
	}
	return tpath;
}

int cli_job_run(const struct options *o, const struct job *j, struct job_outcome *out)
{
	struct scenario *scn = j->scn;
	const struct trace_meta *replay = j->replay;
	/* a trace written by --example: its one execution ends without a finding */
	bool replayed_example = replay && !replay->finding_id;
	struct explore_opts eo;
	struct program prog;
	struct progress pg = { .name = j->name };
	char kdesc[512], exp[256], err[4096];
	struct report_state *end_state = NULL;
	char *chains = NULL, *tpath = NULL, *svg = NULL;
	/* where the search found it, before find_simplest() adds its runs */
	uint64_t found_exec = 0, found_walk = 0;
	enum report_simplest simplest = REPORT_SIMPLEST_NONE;
	struct cli_found cf = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	/* 1. the input: a scenario bound to the model (a program is built after 2) */
	if (scn && (rc = bind_scenario(o, j)))
		return out->exit = rc;
	/* 2. a trace to replay must fit its schedule format */
	if (replay && trace_check_schedule(replay, err, sizeof(err))) {
		fprintf(stderr, "pvcheck: trace does not replay: %s; refusing to replay\n", err);
		return out->exit = EXIT_INPUT;
	}
	if (scn) {
		scenario_program(scn, &prog);
	} else {
		struct runc_opts ro = { .defs = o->defs, .ndefs = o->ndefs,
					.races = o->races || getenv("PVCHECK_RACES") };
		err[0] = '\0';
		rc = runc_prepare(j->path, &ro, &prog, err, sizeof(err));
		if (rc) {
			fprintf(stderr, "%s%s", err, err[0] && err[strlen(err) - 1] != '\n' ? "\n" : "");
			return out->exit = rc;
		}
	}
	/* 3. the options and the search: the checker's policy for a scenario */
	make_opts(o, scn, &eo, &pg);
	if (replay) {
		eo.mode = EXPLORE_REPLAY;
		eo.replay = replay->schedule;
		eo.replay_len = (size_t)replay->schedule_len;
		eo.random_runs = 0;
		/* an --example trace: its one execution is kept as an example's */
		eo.example = replayed_example ? 1 : 0;
	}
	struct explore_policy pol = policy(o, &pg, NULL);
	if (scn)
		rc = explore_auto(&prog, &eo, &pol, &out->res);
	else
		rc = do_explore(&prog, &eo, &out->res, &pg);
	if (rc) {
		if (!scn)
			runc_release(&prog);
		return out->exit = rc;
	}
	struct explore_result *res = &out->res;
	if (res->found && scn) {
		end_state = cli_capture_end_state();
		chains = cli_capture_chains();
	}
	if (!scn) {	/* a program's report says where even a replay met it */
		found_exec = res->executions;
		found_walk = res->random_executions;
	}
	/*
	 * 4. a replay must meet the recorded finding, or (an --example trace)
	 * end with every thread exited and none; else the simplest trace
	 */
	if (replay) {
		const char *why = NULL;
		struct explore_result view;
		if (res->diverged)
			why = scn ? "its schedule does not fit the scenario" :
				    "its schedule does not fit the program";
		else if (replayed_example && res->found)
			why = "a finding occurred where the trace recorded an execution without one";
		else if (replayed_example && !res->example_found)
			why = "the recorded execution did not complete";
		else if (!replayed_example && !res->found)
			why = "the recorded finding did not occur";
		else if (!replayed_example && strcmp(res->finding.id, replay->finding_id))
			why = "a different finding occurred";
		if (replayed_example)
			report_example_view(res, &view);
		if (why || trace_check_replay(replay, replayed_example ? &view : res, err, sizeof(err))) {
			fprintf(stderr, "pvcheck: trace does not replay: %s; refusing to replay\n",
				why ? why : err);
			cli_state_free(end_state);
			free(chains);
			if (!scn)
				runc_release(&prog);
			return out->exit = EXIT_INPUT;
		}
	} else if (o->all && scn) {
		rc = cli_findings(o, &prog, &eo, &pol, res, j->table, &cf, &simplest);
		if (rc || (cf.n && cli_findings_first(&cf, res, &end_state, &chains, &found_exec, &found_walk)))
			return out->exit = rc ? rc : EXIT_USAGE;	/* out of memory */
	} else if (!j->table) {
		found_exec = res->executions;
		found_walk = res->random_executions;
		pg.end_state = &end_state;
		pg.chains = &chains;
		simplest = find_simplest(o, &prog, &eo, res, &pg, scn ? recapture_end_state : NULL);
	}

	/* 5. the exit code */
	out->as_expected = scn && scenario_expect_matches(scn, res);
	out->exit = verdict_exit(res);
	if (scn && o->expect && !replay)
		out->exit = out->as_expected ? EXIT_SAFE : EXIT_FINDING;
	if (cli_interrupted && !res->found)
		out->exit = EXIT_INCOMPLETE;

	/* 6. the trace file of a finding */
	if (res->found)
		tpath = write_trace_file(o, j, eo.mode, chains, res);
	/* a replayed --example trace is an example again */
	if (replayed_example && !cli_interrupted)
		out->exit = EXIT_SAFE;

	/* 7. a scenario's vacuous operations */
	const char *vacp[16], **outp = NULL;
	int nvac = 0, nout = 0;
	char (*outl)[SCN_MSG_LEN] = NULL;
	if (scn) {
		nvac = vacuity(scn, res, replay, &outl, &outp, &nout, vacp);
		out->nvacuous = nvac;
		if (nvac && (o->expect || j->table) && !replay) {
			out->as_expected = false;
			if (o->expect)
				out->exit = EXIT_FINDING;
		}
	}

	/* 7b. --example: one complete execution, after the tally was read */
	struct example ex = { 0 };
	if (o->example && !j->table && !replay) {
		int erc = run_example(o, j, &prog, &eo, res, &pg, &ex);
		if (erc)
			out->exit = cli_worse(out->exit, erc);
	} else if (replayed_example && res->example_found) {
		/* the world is at the replayed execution's end (explore's finish) */
		snprintf(ex.head, sizeof(ex.head), "the execution of %s, replayed", replay->path);
		if (scn) {
			ex.end_state = cli_capture_end_state();
			example_outcomes(scn, &ex);
		}
	}
	/* 7c. without a finding, --trace-out writes the example's trace */
	const struct explore_result *exr = ex.res.example_found ? &ex.res :
					   replayed_example && res->example_found ? res : NULL;
	if (!res->found && exr) {
		struct explore_result view;
		report_example_view(exr, &view);
		tpath = write_trace_file(o, j, eo.mode, NULL, &view);
	}

	/* 8. the report: text or JSON, and the SVG */
	if (!j->table || o->json || o->svg) {
		const char *knames[SCN_MAX_KNOBS];
		struct report_info ri;
		if (scn) {
			ri = (struct report_info){
				.name = scn->name.s, .file = scn->path, .profile = scn->profile.s,
				.question = scn->question.s, .knobs = kdesc,
				.expected = scn->expect.kind ? scenario_expect_desc(scn, exp, sizeof(exp)) : NULL,
				.as_expected = scn->expect.kind ? out->as_expected && !cli_interrupted : -1,
				.trace_path = tpath, .end_state = end_state, .chains = chains,
				.mode = res->stateful ? "stateful" : mode_name(eo.mode),
				.nknobs = scn->nknob_values,
				.replayed_from = replay ? replay->path : NULL,
				.knob_names = knames, .knob_values = scn->knob_values,
				.verbose = o->verbose, .quiet = o->quiet, .simplest = simplest,
				.found_exec = found_exec, .found_walk = found_walk,
				.noutcomes = nout, .outcomes = outp,
				.nvacuous = nvac < 16 ? nvac : 16, .vacuous = vacp,
				.nfound = cf.n, .found = cf.res,
				.found_end_states = (const struct report_state *const *)cf.end_state,
				.found_chains = (const char *const *)cf.chains,
			};
			for (int k = 0; k < scn->nknob_values; k++)
				knames[k] = mdl_knobs[k].name;
			scenario_knobs_desc(scn, kdesc, sizeof(kdesc));
		} else {
			ri = (struct report_info){
				.name = j->name, .program = true, .file = j->path,
				.knobs = j->defs[0] ? j->defs : NULL, .as_expected = -1,
				.races_unchecked = !(o->races || getenv("PVCHECK_RACES")),
				.trace_path = tpath, .mode = mode_name(eo.mode),
				.verbose = o->verbose, .quiet = o->quiet, .simplest = simplest,
				.found_exec = found_exec, .found_walk = found_walk,
			};
		}
		if (replayed_example) {
			/* one execution replayed: no verdict, no tally, no expectation */
			ri.expected = NULL;
			ri.as_expected = -1;
			ri.noutcomes = 0;
			ri.nvacuous = 0;
			ri.replayed_from = replay->path;
			ri.example_sel = "replay";
			ri.example = exr;
			ri.example_head = ex.head;
			ri.nexample_outcomes = ex.nout;
			ri.example_outcomes = ex.outp;
			ri.example_end_state = ex.end_state;
		} else if (o->example) {
			ri.example_sel = o->example;
			ri.example = ex.res.example_found ? &ex.res : NULL;
			ri.example_head = ex.head;
			ri.nexample_outcomes = ex.nout;
			ri.example_outcomes = ex.outp;
			ri.example_end_state = ex.end_state;
			ri.example_notice = ex.notice[0] ? ex.notice : NULL;
			ri.example_exec = ex.res.example_exec;
			ri.example_of = res->complete && !res->stateful && !res->switched_after ?
					res->executions : 0;
		}
		ri.svg_path = svg = write_svg(o, j->name, &ri, res);
		if (o->json)
			report_json(stdout, &ri, res);
		else if (!j->table && cf.n && !o->quiet)
			cli_findings_text(stdout, &ri, res, &cf);
		else if (!j->table)
			report_text(stdout, &ri, res);
		fflush(stdout);
	}
	example_free(&ex);
	cli_findings_free(&cf);
	cli_state_free(end_state);
	free(chains);
	free(tpath);
	free(svg);
	free(outl);
	free(outp);
	if (!scn)
		runc_release(&prog);
	return out->exit;
}
