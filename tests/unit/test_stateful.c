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

/*
 * ==== Weak fairness of cycles (stateful_fair.c) ====
 * fl[0], fl[1]: flags the spinners read; fl_lock: a lock one spinner holds.
 */
static int fl[2], fl_lock;

static int fair_regions(void *ctx, struct program_region *r, int max)
{
	r[0] = (struct program_region){ &counter, sizeof(counter), false };
	r[1] = (struct program_region){ fl, sizeof(fl), false };
	r[2] = (struct program_region){ &fl_lock, sizeof(fl_lock), false };
	return 3;
}

static void fair_reset(void *ctx)
{
	counter = 0;
	fl[0] = fl[1] = fl_lock = 0;
}

/* read fl[k] until it is set: a cycle of one state while nobody sets it */
static void spin_on(int k)
{
	for (;;) {
		VIS_READ(&fl[k], "load");
		if (fl[k])
			return;
	}
}

static void spin0(void *arg)
{
	spin_on(0);
}

static void spin1(void *arg)
{
	spin_on(1);
}

static void set0(void *arg)
{
	VIS_WRITE(&fl[0], "store");
	fl[0] = 1;
}

static void set1(void *arg)
{
	VIS_WRITE(&fl[1], "store");
	fl[1] = 1;
}

static void spin0_locked(void *arg)
{
	vis_lock(&fl_lock, false, VIS_SITE("lock"));
	spin_on(0);
	vis_unlock(&fl_lock, VIS_SITE("unlock"));
}

static void lock_then_set0(void *arg)
{
	vis_lock(&fl_lock, false, VIS_SITE("lock"));
	vis_unlock(&fl_lock, VIS_SITE("unlock"));
	set0(arg);
}

/* 1: the spin on fl[0] ends once set0 runs; a loop that never lets it run starves it */
static void starve_main(void *arg)
{
	vis_spawn(spin0, NULL, NULL, VIS_SITE("spawn"));
	vis_spawn(set0, NULL, NULL, VIS_SITE("spawn"));
}

/*
 * 2: two spins nobody ends.  Each one's loop alone starves the other, but
 * their component holds the loop that runs both: a fair livelock, which a
 * judgment of each cycle met would miss.
 */
static void two_spins_main(void *arg)
{
	vis_spawn(spin0, NULL, NULL, VIS_SITE("spawn"));
	vis_spawn(spin1, NULL, NULL, VIS_SITE("spawn"));
}

/* 3: the other thread sets the wrong flag and exits: the spin then loops alone */
static void spin_after_exit_main(void *arg)
{
	vis_spawn(spin0, NULL, NULL, VIS_SITE("spawn"));
	vis_spawn(set1, NULL, NULL, VIS_SITE("spawn"));
}

/*
 * 4: the spinner holds the lock the setter needs first: the setter is
 * disabled throughout the loop, so the loop is fair.
 */
static void spin_locked_main(void *arg)
{
	vis_spawn(spin0_locked, NULL, NULL, VIS_SITE("spawn"));
	vis_spawn(lock_then_set0, NULL, NULL, VIS_SITE("spawn"));
}

/* The finding's schedule replays, on program @p, to the same finding. */
static void replay_check(const struct program *p, const struct explore_result *r)
{
	struct explore_opts o;
	struct explore_result rr;
	explore_opts_defaults(&o);
	o.mode = EXPLORE_REPLAY;
	o.step_bound = 200;
	o.replay = r->trace.schedule;
	o.replay_len = (size_t)r->trace.schedule_len;
	explore(p, &o, &rr);
	tap_ok(rr.found && !rr.diverged && rr.verdict == r->verdict &&
	       strcmp(rr.finding.id, r->finding.id) == 0,
	       "%s: the stateful schedule replays (%s)", p->name, rr.finding.id);
	explore_result_free(&rr);
}

static struct program fair_program(const char *name, vis_thread_fn main)
{
	return (struct program){ .name = name, .reset = fair_reset, .main = main,
				 .state_regions = fair_regions };
}

static void run_fair(const char *name, vis_thread_fn main, bool no_por, struct explore_result *r)
{
	struct program p = fair_program(name, main);
	struct explore_opts o;
	explore_opts_defaults(&o);
	o.mode = EXPLORE_STATEFUL;
	o.step_bound = 200;
	o.random_runs = 0;
	o.no_por = no_por;
	if (explore(&p, &o, r))
		tap_ok(0, "%s: explore failed", name);
}

static void test_fairness(void)
{
	struct explore_result r;
	for (int no_por = 0; no_por < 2; no_por++) {
		const char *how = no_por ? "sleep sets only" : "POR";
		run_fair("starve", starve_main, no_por, &r);
		tap_ok(r.verdict == VERDICT_SAFE && r.complete && r.fair_states > 0 && !r.fair_cycle,
		       "%s: a loop that starves the thread that ends it is no finding "
		       "(%s; %llu states judged)", "starve", how,
		       (unsigned long long)r.fair_states);
		explore_result_free(&r);

		static const struct {
			const char *name;
			vis_thread_fn main;
		} loops[] = {
			{ "two spins", two_spins_main },
			{ "spin after exit", spin_after_exit_main },
			{ "spin holding the lock", spin_locked_main },
		};
		for (size_t k = 0; k < sizeof(loops) / sizeof(loops[0]); k++) {
			run_fair(loops[k].name, loops[k].main, no_por, &r);
			tap_ok(r.verdict == VERDICT_NO_PROGRESS && r.fair_cycle,
			       "%s: a weakly fair loop is no-progress (%s; %s, fair cycle %d)",
			       loops[k].name, how, explore_verdict_name(r.verdict), r.fair_cycle);
			struct program p = fair_program(loops[k].name, loops[k].main);
			replay_check(&p, &r);
			explore_result_free(&r);
		}
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

/* The finding's schedule replays to the same finding (the program has no state). */
static void check_replay(const char *name, vis_thread_fn main, const struct explore_result *r)
{
	struct program p = { .name = name, .reset = reset, .main = main };
	replay_check(&p, r);
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

	test_fairness();

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
