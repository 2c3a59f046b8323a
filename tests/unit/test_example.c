// SPDX-License-Identifier: MIT
/*
 * test_example.c - explore_opts.example, the engine's half of --example:
 * the search stops at the N-th complete execution (or the first that
 * example_pick accepts) and the result keeps its trace with notes and a
 * schedule that replays it.
 *
 * What the CLI's promise rests on: execution N is one execution, the same
 * on every run, whatever random walks ran before the search (the verdict's
 * search has them, the example's does not); every complete execution has a
 * number from 1 to the count, each a different one; past the count there
 * is none and the search is complete; the trace ends with every thread
 * exited; example_pick sees each complete execution once, in order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "tap.h"
#include "programs.h"

static void inc_reset(void *ctx)
{
	counter = 0;
}

static const struct program inc_prog = { .name = "inc", .reset = inc_reset, .main = inc_main };

/* Explore inc with example @n (@pick, @arg), after @walks random walks. */
static void run(uint64_t n, uint64_t walks, bool (*pick)(void *), void *arg,
		struct explore_result *r)
{
	struct explore_opts o;

	explore_opts_defaults(&o);
	o.random_runs = walks;
	o.example = n;
	o.example_pick = pick;
	o.example_arg = arg;
	explore(&inc_prog, &o, r);
}

static bool same_schedule(const struct trace *a, const struct trace *b)
{
	return a->schedule_len == b->schedule_len &&
	       memcmp(a->schedule, b->schedule, sizeof(int) * (size_t)a->schedule_len) == 0;
}

/* example_pick: accept the @want-th call only (a counter in @arg). */
struct nth {
	uint64_t calls, want;
};

static bool pick_nth(void *arg)
{
	struct nth *p = arg;

	return ++p->calls == p->want;
}

int main(void)
{
	struct explore_result all, r, r2;
	struct explore_opts o;

	nthreads = 2;
	kincs = 2;
	explore_opts_defaults(&o);
	explore(&inc_prog, &o, &all);
	uint64_t m = all.executions;
	tap_ok(all.verdict == VERDICT_SAFE && all.complete && m == 6 && !all.example_found,
	       "inc(2,2): 6 executions, no example unasked (%llu)", (unsigned long long)m);
	explore_result_free(&all);

	struct trace seen[6];
	for (uint64_t n = 1; n <= m; n++) {
		run(n, 0, NULL, NULL, &r);
		const struct trace *t = &r.example;
		tap_ok(r.example_found && r.example_exec == n && r.executions == n && !r.found &&
		       !r.complete && r.cut_by && strcmp(r.cut_by, "example") == 0,
		       "example %llu: found at execution %llu, the search stopped there",
		       (unsigned long long)n, (unsigned long long)r.example_exec);
		tap_ok(t->nsteps > 0 && t->schedule_len == t->nsteps &&
		       t->steps[t->nsteps - 1].kind == VIS_KIND_EXIT && t->nthreads == 3,
		       "example %llu: a trace of %d steps ending in an exit, with its schedule",
		       (unsigned long long)n, t->nsteps);
		int exits = 0;
		for (int i = 0; i < t->nsteps; i++)
			exits += t->steps[i].kind == VIS_KIND_EXIT;
		tap_ok(exits == 3, "example %llu: every thread exited (%d exits)",
		       (unsigned long long)n, exits);
		bool differs = true;
		for (uint64_t k = 1; k < n; k++)
			differs = differs && !same_schedule(&seen[k - 1], t);
		tap_ok(differs, "example %llu: another execution than 1..%llu", (unsigned long long)n,
		       (unsigned long long)n - 1);
		seen[n - 1].schedule_len = t->schedule_len;
		seen[n - 1].schedule = malloc(sizeof(int) * (size_t)t->schedule_len);
		memcpy(seen[n - 1].schedule, t->schedule, sizeof(int) * (size_t)t->schedule_len);

		/* the same on a second run, and after random walks (the verdict's pre-phase) */
		run(n, 0, NULL, NULL, &r2);
		tap_ok(r2.example_found && same_schedule(&r2.example, t),
		       "example %llu: the same on a second run", (unsigned long long)n);
		explore_result_free(&r2);
		run(n, 100, NULL, NULL, &r2);
		tap_ok(r2.example_found && r2.example_exec == n && same_schedule(&r2.example, t),
		       "example %llu: the same after 100 random walks", (unsigned long long)n);
		explore_result_free(&r2);

		/* its schedule replays it: every thread exits, no finding */
		struct explore_opts ro;
		explore_opts_defaults(&ro);
		ro.mode = EXPLORE_REPLAY;
		ro.replay = t->schedule;
		ro.replay_len = (size_t)t->schedule_len;
		explore(&inc_prog, &ro, &r2);
		tap_ok(!r2.diverged && !r2.found && r2.executions == 1,
		       "example %llu: its schedule replays", (unsigned long long)n);
		explore_result_free(&r2);
		explore_result_free(&r);
	}

	/* past the count: none, and the search is complete */
	run(m + 1, 0, NULL, NULL, &r);
	tap_ok(!r.example_found && r.complete && r.executions == m && r.verdict == VERDICT_SAFE,
	       "example %llu: none in a complete search of %llu", (unsigned long long)m + 1,
	       (unsigned long long)r.executions);
	explore_result_free(&r);

	/* example_pick: asked once per complete execution, in the order of their numbers */
	for (uint64_t want = 1; want <= m; want++) {
		struct nth p = { .want = want };
		run(1, 0, pick_nth, &p, &r);
		tap_ok(r.example_found && r.example_exec == want && p.calls == want &&
		       same_schedule(&r.example, &seen[want - 1]),
		       "example_pick accepting call %llu: execution %llu", (unsigned long long)want,
		       (unsigned long long)r.example_exec);
		explore_result_free(&r);
	}
	struct nth never = { .want = 0 };
	run(1, 0, pick_nth, &never, &r);
	tap_ok(!r.example_found && r.complete && never.calls == m,
	       "example_pick accepting none: asked %llu times, none found",
	       (unsigned long long)never.calls);
	explore_result_free(&r);
	for (uint64_t n = 0; n < m; n++)
		free(seen[n].schedule);

	/* a finding met before the example ends the search as ever: no example */
	static const struct { const char *name; vis_thread_fn main; } bad[] = {
		{ "racy", racy_main }, { "abba", abba_main },
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct program p = { .name = bad[k].name, .reset = inc_reset, .main = bad[k].main };
		explore_opts_defaults(&o);
		o.example = 1000;
		explore(&p, &o, &r);
		tap_ok(r.found && !r.example_found && r.example.steps == NULL && r.trace.nsteps > 0,
		       "%s: the finding, not an example", bad[k].name);
		explore_result_free(&r);
	}
	return tap_done();
}
