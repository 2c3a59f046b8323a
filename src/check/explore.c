// SPDX-License-Identifier: MIT
/*
 * explore.c - explore(): the strategy for the mode asked for, run on the
 * executor (sched.c), then the finding's trace and the verdict.
 *
 *   EXPLORE_DPOR      a random pre-phase (walk.c), then optimal DPOR
 *                     (dpor.c), on -j workers when asked (frontier.c);
 *   EXPLORE_RANDOM,
 *   EXPLORE_PCT       walks only (walk.c): incomplete by nature;
 *   EXPLORE_REPLAY    one execution following opts.replay (walk.c);
 *   EXPLORE_STATEFUL  the pre-phase, then the explicit-state search
 *                     (stateful.c), or DPOR for a program that cannot
 *                     describe its state.
 *
 * A finding is replayed once more with notes on, which fills its trace.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check/dpor.h"
#include "check/frontier.h"
#include "check/sched.h"
#include "check/stateful.h"
#include "check/walk.h"
#include "lib/bug.h"

const char *explore_verdict_name(enum explore_verdict v)
{
	switch (v) {
	case VERDICT_SAFE: return "safe";
	case VERDICT_VIOLATION: return "violation";
	case VERDICT_DEADLOCK: return "deadlock";
	case VERDICT_NO_PROGRESS: return "no-progress";
	case VERDICT_INCOMPLETE: return "incomplete";
	}
	return "?";
}

const char *vis_kind_name(enum vis_kind k)
{
	static const char *const names[VIS_KIND_NR] = {
		"read", "write", "rmw", "lock", "lock_shared", "unlock", "trylock",
		"wait", "wait_rmw", "spawn", "join", "choose", "exit", "rmw_if", "add", "lock_queue",
	};
	return (unsigned)k < VIS_KIND_NR ? names[k] : "?";
}

/*
 * record_trace - re-run @sched (@len entries) with notes on and copy the
 * execution into @tr: its steps with notes, its threads' names.  The
 * search runs without notes (they cost a snprintf per step); the trace
 * of a finding or an example is the same execution replayed once more.
 * Context: scheduler side, between executions of explore().
 * Return: how the replay ended (E.end).
 */
static enum sched_end record_trace(const int *sched, int len, struct trace *tr)
{
	struct explore_result *r = E.res;
	struct explore_opts o = *E.opts;
	const struct explore_opts *saved = E.opts;
	o.replay = sched;
	o.replay_len = (size_t)len;
	E.opts = &o;
	E.recording = true;
	uint64_t steps = r->steps;
	sched_run_one(&walk_replay);
	r->steps = steps;
	E.recording = false;
	E.opts = saved;
	tr->nsteps = E.nev;
	tr->steps = calloc((size_t)E.nev + 1, sizeof(struct trace_step));
	if (!tr->steps)
		PVM_BUG();
	for (int i = 0; i < E.nev; i++) {
		struct trace_step *s = &tr->steps[i];
		s->tid = E.ev[i].op.tid;
		s->kind = (enum vis_kind)E.ev[i].op.kind;
		s->obj = E.ev[i].op.obj;
		s->site = E.ev[i].site;
		s->value = E.ev[i].op.value;
		s->preempt = E.ev[i].preempt;
		memcpy(s->note, E.notes[i], EXPLORE_NOTE_LEN);
	}
	tr->nthreads = E.nthreads;
	for (int t = 0; t < E.nthreads; t++)
		memcpy(tr->thread_names[t], E.threads[t].name, 32);
	return E.end;
}

/* Re-run the finding's schedule with notes on, to fill the trace. */
static void record_finding_trace(void)
{
	struct explore_result *r = E.res;
	enum sched_end end = record_trace(r->trace.schedule, r->trace.schedule_len, &r->trace);

	if (end != END_FINDING && end != END_DEADLOCK)
		pvm_bug("replaying a finding did not reproduce it (non-deterministic model?)",
			__FILE__, __LINE__, __func__);
	r->finding = E.finding;
	r->finding.pair_step = E.pair_step > 0 && E.pair_step <= E.nev ? E.pair_step : 0;
	r->finding.pair_tid = r->finding.pair_step ? E.pair_tid : 0;
	r->finding.pair_site = r->finding.pair_step ? E.pair_site : (struct vis_site){ 0 };
}

/*
 * Re-run the example's schedule with notes on; it ends with every thread
 * exited as it did in the search (the world is left at its end, for the
 * caller's end state).
 */
static void record_example_trace(void)
{
	struct explore_result *r = E.res;

	if (record_trace(r->example.schedule, r->example.schedule_len, &r->example) != END_DONE)
		pvm_bug("replaying an example did not reproduce it (non-deterministic model?)",
			__FILE__, __LINE__, __func__);
}

void explore_opts_defaults(struct explore_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = EXPLORE_DPOR;
	o->preemption_bound = -1;
	o->seed = 1;
	o->pct_depth = 3;
}

/* Set up the executor and the strategies' pools for one exploration. */
static int begin(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res)
{
	memset(res, 0, sizeof(*res));
	if (sched_setup() || dpor_setup())
		return -ENOMEM;
	dpor_reset_pool();
	E.prog = prog;
	E.opts = opts;
	E.res = res;
	E.recording = false;
	E.limit = NULL;
	E.example_seen = 0;
	walk_reset();
	clock_gettime(CLOCK_MONOTONIC, &E.t0);
	res->complete = true;
	return 0;
}

/* The finding's trace, the time and the verdict. */
static void finish(struct explore_result *res)
{
	if (res->found && !res->diverged)
		record_finding_trace();
	else if (res->example_found)
		record_example_trace();
	res->seconds = sched_seconds();
	if (res->found)
		res->verdict = res->finding.verdict;
	else if (!res->complete || res->diverged)
		res->verdict = VERDICT_INCOMPLETE;
	else
		res->verdict = VERDICT_SAFE;
}

int explore(const struct program *prog, const struct explore_opts *opts,
	    struct explore_result *res)
{
	if (begin(prog, opts, res))
		return -ENOMEM;

	switch (opts->mode) {
	case EXPLORE_DPOR:
		if (opts->random_runs)
			walk_run(opts->random_runs, EXPLORE_RANDOM);
		if ((res->found && !opts->all_findings) || !res->complete)
			break;
		if (opts->jobs > 1 && opts->preemption_bound < 0 && !opts->all_findings) {
			int rc = frontier_run(prog, opts, res);
			if (rc)
				return rc;
		} else {
			dpor_run();
		}
		break;
	case EXPLORE_RANDOM:
	case EXPLORE_PCT:
		walk_run(opts->random_runs ? opts->random_runs : 1000, opts->mode);
		res->complete = false;	/* sampling never proves safety */
		if (!res->cut_by)
			res->cut_by = opts->mode == EXPLORE_PCT ? "pct-sampling" : "random-sampling";
		break;
	case EXPLORE_REPLAY:
		sched_run_one(&walk_replay);
		if (E.end == END_DIVERGED)
			res->diverged = true;
		else
			sched_account();
		break;
	case EXPLORE_STATEFUL:
		if (opts->random_runs)
			walk_run(opts->random_runs, EXPLORE_RANDOM);
		if ((!res->found || opts->all_findings) && res->complete &&
		    stateful_run(prog, opts, res) < 0) {
			/* the program cannot describe its state: explore statelessly */
			struct explore_opts o = *opts;
			o.mode = EXPLORE_DPOR;
			E.opts = &o;
			dpor_run();
			E.opts = opts;
		}
		break;
	}
	finish(res);
	return 0;
}

int explore_with(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res, void (*search)(void))
{
	if (begin(prog, opts, res))
		return -ENOMEM;
	search();
	finish(res);
	return 0;
}

void explore_result_free(struct explore_result *res)
{
	free(res->trace.steps);
	free(res->trace.schedule);
	res->trace.steps = NULL;
	res->trace.schedule = NULL;
	free(res->example.steps);
	free(res->example.schedule);
	res->example.steps = NULL;
	res->example.schedule = NULL;
	for (int k = 0; k < res->nfindings; k++)
		free(res->findings[k].schedule);
	free(res->findings);
	res->findings = NULL;
	res->nfindings = 0;
}
