// SPDX-License-Identifier: MIT
/*
 * walk.c - one path per execution: uniformly random walks; PCT
 * (probabilistic concurrency testing, Burckhardt et al., ASPLOS 2010):
 * random thread priorities with d-1 change points where the running
 * thread drops to the lowest priority; and the replay of a schedule, for
 * --replay, for the trace of a finding and for the prefixes of the -j
 * frontier.  The walks never prove safety: their result is incomplete.
 */
#include "check/walk.h"
#include "lib/bug.h"

static struct walk {
	uint64_t runs, k;		/* walks asked for, walks done */
	bool counts;			/* a walk is an execution (not a pre-phase) */
	int prio[MAXT];			/* PCT priorities */
	int pct_change[8];		/* PCT: positions of the change points */
	int pct_nchange;
	int pct_len_est;		/* PCT: longest execution seen */
} W;

/* ==== Random walks and PCT ============================================= */

static int random_decide(int pos, tset_t en, int prev)
{
	int cand[MAXT], n = 0;
	for (int t = 0; t < E.nthreads; t++)
		if (en & TSET_BIT(t))
			cand[n++] = t;
	return cand[sched_rng_next() % (uint64_t)n];
}

static int random_choose(int pos, int n)
{
	return (int)(sched_rng_next() % (uint64_t)n);
}

static int pct_decide(int pos, tset_t en, int prev)
{
	for (int k = 0; k < W.pct_nchange; k++) {
		if (W.pct_change[k] == pos && E.nev > 0) {
			int last = E.ev[E.nev - 1].op.tid;
			W.prio[last] = k;	/* lowest priorities: change points */
		}
	}
	int best = -1;
	for (int t = 0; t < E.nthreads; t++)
		if ((en & TSET_BIT(t)) && (best < 0 || W.prio[t] > W.prio[best]))
			best = t;
	return best;
}

/* PCT: fresh priorities and change points for the next walk. */
static void pct_setup(void)
{
	int d = E.opts->pct_depth > 0 ? E.opts->pct_depth : 3;
	if (d > 8)
		d = 8;
	int len = W.pct_len_est > 0 ? W.pct_len_est : 64;
	for (int t = 0; t < MAXT; t++)
		W.prio[t] = d + (int)(sched_rng_next() % 1000);
	W.pct_nchange = d - 1;
	for (int c = 0; c < W.pct_nchange; c++)
		W.pct_change[c] = 1 + (int)(sched_rng_next() % (uint64_t)len);
}

static bool walk_after(void)
{
	if (E.nev > W.pct_len_est)
		W.pct_len_est = E.nev;
	if (sched_take_limit())
		return true;
	E.res->random_executions++;
	if (E.end == END_FINDING || E.end == END_DEADLOCK) {
		/* a pre-phase walk counts only as a random execution */
		if (W.counts)
			E.res->executions++;
		if (E.end == END_DEADLOCK)
			E.res->blocked++;
		sched_take_finding();
		if (!E.opts->all_findings)
			return true;	/* all_findings: walk on, collecting */
	} else if (E.end == END_DONE && W.counts) {
		E.res->executions++;
	}
	if (++W.k >= W.runs) {
		sched_out_of_budget(W.k);	/* the bound applies to the last walk too */
		return true;
	}
	return false;
}

static int random_next(void)
{
	return 0;
}

static int pct_next(void)
{
	pct_setup();
	return 0;
}

static const struct strategy walk_random = {
	.name = "random",
	.decide = random_decide,
	.choose = random_choose,
	.after = walk_after,
	.backtrack = random_next,
};

static const struct strategy walk_pct = {
	.name = "pct",
	.decide = pct_decide,
	.choose = random_choose,
	.after = walk_after,
	.backtrack = pct_next,
};

void walk_reset(void)
{
	W.pct_len_est = 0;
}

void walk_run(uint64_t runs, enum explore_mode mode)
{
	if (!runs)
		return;
	W.runs = runs;
	W.k = 0;
	W.counts = E.opts->mode != EXPLORE_DPOR;
	sched_rng_seed(E.opts->seed);
	if (mode == EXPLORE_PCT)
		pct_setup();
	sched_search(mode == EXPLORE_PCT ? &walk_pct : &walk_random);
}

/* ==== Replay ============================================================== */

static int replay_decide(int pos, tset_t en, int prev)
{
	const struct explore_opts *o = E.opts;

	if (E.strat->prefix_only && E.replay_pos >= o->replay_len) {
		E.end = END_PREFIX;	/* the prefix ends here */
		E.prefix_en = en;
		E.prefix_nchoices = 0;
		return -1;
	}
	if (E.replay_pos >= o->replay_len || o->replay[E.replay_pos] < 0 ||
	    o->replay[E.replay_pos] >= MAXT || !(en & TSET_BIT(o->replay[E.replay_pos]))) {
		E.end = END_DIVERGED;
		return -1;
	}
	return o->replay[E.replay_pos++];
}

static int replay_choose(int pos, int n)
{
	const struct explore_opts *o = E.opts;

	if (E.strat->prefix_only && E.replay_pos >= o->replay_len) {
		/* the prefix ends at this choice */
		E.prefix_nchoices = n;
		E.end = END_PREFIX;
		return SCHED_CHOICE_END;
	}
	if (E.replay_pos >= o->replay_len || o->replay[E.replay_pos] >= 0) {
		E.end = END_DIVERGED;
		return SCHED_CHOICE_END;
	}
	int value = -1 - o->replay[E.replay_pos++];
	if (value >= n) {
		E.end = END_DIVERGED;
		return SCHED_CHOICE_END;
	}
	return value;
}

const struct strategy walk_replay = {
	.name = "replay",
	.decide = replay_decide,
	.choose = replay_choose,
};

const struct strategy walk_prefix = {
	.name = "prefix",
	.decide = replay_decide,
	.choose = replay_choose,
	.prefix_only = true,
};
