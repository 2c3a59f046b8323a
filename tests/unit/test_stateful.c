// SPDX-License-Identifier: MIT
/*
 * test_stateful.c - the explicit-state mode (EXPLORE_STATEFUL) on small
 * programs with known answers: inc(N, K) is safe and its state count is
 * small (the counter and each thread's loop position); a racy counter
 * violates; ABBA deadlocks; choices branch; a cycle is a no-progress
 * finding; every finding's schedule replays.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "tap.h"
#include "programs.h"


static int regions(void *ctx, struct program_region *r, int max)
{
	r[0] = (struct program_region){ &counter, sizeof(counter), false };
	return 1;
}

static void reset(void *ctx)
{
	counter = 0;
}

/* a choice of 3 values, each added by one of two threads: sums 0..4 */
static void choose_thread(void *arg)
{
	int v = vis_choose(3, VIS_SITE("choose"));
	VIS_RMW(&counter, "add");
	counter += v;
}

static void choose_main(void *arg)
{
	spawn_two(choose_thread);
	VIS_READ(&counter, "load");
	if (counter == 4)
		vis_fail("sum4", VIS_SITE("main"), "both chose 2");
}

/* a thread that toggles a flag forever: a cycle of states */
static void toggle_main(void *arg)
{
	for (;;) {
		VIS_RMW(&counter, "toggle");
		counter ^= 1;
	}
}

static void run(const char *name, vis_thread_fn main, enum explore_mode mode,
		struct explore_result *r)
{
	struct program p = { .name = name, .reset = reset, .main = main,
			     .state_regions = regions };
	struct explore_opts o;
	explore_opts_defaults(&o);
	o.mode = mode;
	o.step_bound = 200;
	lock_a = lock_b = 0;
	if (explore(&p, &o, r))
		tap_ok(0, "%s: explore failed", name);
}

/* The finding's schedule replays to the same finding. */
static void check_replay(const char *name, vis_thread_fn main, const struct explore_result *r)
{
	struct program p = { .name = name, .reset = reset, .main = main };
	struct explore_opts o;
	struct explore_result rr;
	explore_opts_defaults(&o);
	o.mode = EXPLORE_REPLAY;
	o.step_bound = 200;
	o.replay = r->trace.schedule;
	o.replay_len = (size_t)r->trace.schedule_len;
	explore(&p, &o, &rr);
	tap_ok(rr.found && !rr.diverged && rr.verdict == r->verdict &&
	       strcmp(rr.finding.id, r->finding.id) == 0,
	       "%s: the stateful schedule replays (%s)", name, rr.finding.id);
	explore_result_free(&rr);
}

int main(void)
{
	struct explore_result r;
	static const int sizes[][2] = { { 2, 2 }, { 3, 2 }, { 3, 4 }, { 4, 3 } };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		nthreads = sizes[i][0];
		kincs = sizes[i][1];
		run("inc", inc_main, EXPLORE_STATEFUL, &r);
		tap_ok(r.verdict == VERDICT_SAFE && r.complete && r.stateful && r.states > 0,
		       "inc(%d,%d) stateful: safe, %llu states, %llu transitions", nthreads, kincs,
		       (unsigned long long)r.states, (unsigned long long)r.transitions);
		/* far fewer states than the (NK)!/(K!)^N executions */
		tap_ok(r.states < 20000, "inc(%d,%d): state count is small", nthreads, kincs);
		explore_result_free(&r);
	}

	run("racy", racy_main, EXPLORE_STATEFUL, &r);
	tap_ok(r.verdict == VERDICT_VIOLATION && strcmp(r.finding.id, "assert") == 0,
	       "racy counter: violation");
	check_replay("racy", racy_main, &r);
	explore_result_free(&r);

	run("abba", abba_main, EXPLORE_STATEFUL, &r);
	tap_ok(r.verdict == VERDICT_DEADLOCK, "abba: deadlock");
	check_replay("abba", abba_main, &r);
	explore_result_free(&r);

	run("choose", choose_main, EXPLORE_STATEFUL, &r);
	tap_ok(r.verdict == VERDICT_VIOLATION && strcmp(r.finding.id, "sum4") == 0,
	       "choices branch: both values 2 found");
	check_replay("choose", choose_main, &r);
	explore_result_free(&r);

	run("toggle", toggle_main, EXPLORE_STATEFUL, &r);
	tap_ok(r.verdict == VERDICT_NO_PROGRESS, "a cycle is a no-progress finding");
	tap_ok(r.trace.schedule_len == 200, "its schedule has step-bound steps (%d)",
	       r.trace.schedule_len);
	check_replay("toggle", toggle_main, &r);
	explore_result_free(&r);

	/* stateless gives the same verdicts */
	run("toggle", toggle_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_NO_PROGRESS, "stateless: the same no-progress");
	explore_result_free(&r);

	/* a program without a state description is explored statelessly */
	{
		struct program p = { .name = "inc", .reset = reset, .main = inc_main };
		struct explore_opts o;
		explore_opts_defaults(&o);
		o.mode = EXPLORE_STATEFUL;
		nthreads = 2;
		kincs = 2;
		explore(&p, &o, &r);
		tap_ok(r.verdict == VERDICT_SAFE && !r.stateful && r.executions == 6,
		       "no state_regions: stateless fallback (%llu executions)",
		       (unsigned long long)r.executions);
		explore_result_free(&r);
	}
	return tap_done();
}
