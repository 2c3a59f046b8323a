/* SPDX-License-Identifier: MIT */
/*
 * brute.h - the brute-force oracle of the unit tests: a strategy (the
 * executor's interface, src/check/sched.h) that runs every interleaving,
 * with adds kept ordered, and counts the distinct Mazurkiewicz traces among
 * them by a hash of each execution's trace.  explore_any() runs it for
 * opts.mode == EXPLORE_BRUTE and is explore() otherwise.
 */
#ifndef PVM_TESTS_BRUTE_H
#define PVM_TESTS_BRUTE_H

#include <stdlib.h>
#include <string.h>
#include "check/sched.h"
#include "lib/bug.h"

/* A mode of the tests only: the oracle. */
#define EXPLORE_BRUTE	((enum explore_mode)100)

static struct brute {
	struct bnode {
		int16_t cur;		/* thread chosen here */
		bool is_choice;
		int32_t nchoices, choice;
		uint64_t choices_done;	/* values explored (<= 64) */
		tset_t tried;		/* threads tried here */
		tset_t enabled;		/* threads enabled here */
	} nodes[MAXEV + 1];
	int replay_to;			/* positions < replay_to follow nodes[] */
	uint64_t *sigset;		/* trace hashes seen (open addressing) */
	size_t sigcap, sigcount;
	uint64_t interleavings;
} B;

/*
 * trace_signature - a hash of the Mazurkiewicz trace of the execution: per
 * object, the order of writes and the set of reads between two writes; plus
 * the values of choices.  Equal for equivalent executions.
 */
static inline uint64_t access_signature(int i, uint64_t id, const void *obj, int acc,
					int32_t w)
{
	uint64_t total, wid = 0;
	if (w >= 0)
		wid = mix64(((uint64_t)E.ev[w].op.tid << 40) ^ ((uint64_t)E.ev[w].tidx << 8));
	total = mix64(id ^ (wid * 31) ^ (uint64_t)(uintptr_t)obj);
	if (acc == ACC_WRITE) {
		/* a write also fixes which reads came before it */
		for (int r = i - 1; r >= 0; r--) {
			const struct event *re = &E.ev[r];
			int racc = re->op.obj == obj ? re->op.acc : re->op.obj2 == obj ? re->op.acc2 :
				   ACC_NONE;
			if (racc == ACC_NONE)
				continue;
			if (racc == ACC_WRITE)
				break;
			total += mix64(id * 7 ^ mix64(((uint64_t)re->op.tid << 40) ^
						       ((uint64_t)re->tidx << 8)));
		}
	}
	return total;
}

static inline uint64_t trace_signature(void)
{
	uint64_t total = 0;
	for (int i = 0; i < E.nev; i++) {
		const struct event *ev = &E.ev[i];
		uint64_t id = mix64(((uint64_t)ev->op.tid << 40) ^ ((uint64_t)ev->tidx << 8) ^
				    ev->op.acc ^ ((uint64_t)(uint32_t)ev->op.value << 20));
		if (!ev->op.obj || ev->op.acc == ACC_NONE) {
			total += mix64(id ^ 0x1234);
			continue;
		}
		/* per access: which write it follows (and, a write, the reads before it) */
		total += access_signature(i, id, ev->op.obj, ev->op.acc, ev->prev_write);
		if (ev->op.obj2 && ev->op.acc2 != ACC_NONE)
			total += access_signature(i, mix64(id ^ 0x5151), ev->op.obj2, ev->op.acc2,
						  ev->prev_write2);
	}
	return total;
}

static inline void sigset_add(uint64_t s)
{
	if (B.sigcount * 2 >= B.sigcap) {
		size_t ncap = B.sigcap ? B.sigcap * 2 : 1024;
		uint64_t *n = calloc(ncap, sizeof(*n));
		if (!n)
			pvm_bug("out of memory in brute-force enumerator", __FILE__, __LINE__, __func__);
		for (size_t k = 0; k < B.sigcap; k++) {
			if (!B.sigset[k])
				continue;
			size_t h = B.sigset[k] & (ncap - 1);
			while (n[h])
				h = (h + 1) & (ncap - 1);
			n[h] = B.sigset[k];
		}
		free(B.sigset);
		B.sigset = n;
		B.sigcap = ncap;
	}
	if (!s)
		s = 1;
	size_t h = s & (B.sigcap - 1);
	while (B.sigset[h]) {
		if (B.sigset[h] == s)
			return;
		h = (h + 1) & (B.sigcap - 1);
	}
	B.sigset[h] = s;
	B.sigcount++;
}


static int brute_decide(int pos, tset_t en, int prev)
{
	struct bnode *nd = &B.nodes[pos];
	int t;

	if (pos < B.replay_to) {
		t = nd->cur;
	} else {
		nd->is_choice = false;
		nd->tried = 0;
		t = tset_first(en);
	}
	nd->tried |= TSET_BIT(t);
	nd->cur = (int16_t)t;
	nd->enabled = en;
	return t;
}

static int brute_choose(int pos, int n)
{
	struct bnode *nd = &B.nodes[pos];

	if (pos < B.replay_to) {
		PVM_BUG_ON(!nd->is_choice);
		return nd->choice;
	}
	nd->is_choice = true;
	nd->nchoices = n;
	nd->choices_done = 0;
	nd->tried = 0;
	nd->choice = 0;
	return 0;
}

static bool brute_after(void)
{
	if (sched_take_limit())
		return true;
	B.interleavings++;
	if (E.end == END_DONE || E.end == END_FINDING || E.end == END_DEADLOCK)
		sigset_add(trace_signature() ^ (uint64_t)E.end);
	if (E.end == END_FINDING || E.end == END_DEADLOCK)
		sched_take_finding();
	if (E.end == END_DEADLOCK)
		E.res->blocked++;
	return false;
}

/* The deepest node with a value or a thread not yet tried. */
static int brute_backtrack(void)
{
	for (int j = E.nev - 1; j >= 0; j--) {
		struct bnode *nd = &B.nodes[j];
		if (nd->is_choice) {
			nd->choices_done |= 1ULL << nd->choice;
			for (int v = 0; v < nd->nchoices; v++)
				if (!(nd->choices_done & (1ULL << v))) {
					nd->choice = v;
					B.replay_to = j + 1;
					return j;
				}
			continue;
		}
		tset_t left = nd->enabled & ~nd->tried;
		if (left) {
			nd->cur = (int16_t)tset_first(left);
			B.replay_to = j + 1;
			return j;
		}
	}
	return -1;
}

static const struct strategy brute_strategy = {
	.name = "brute",
	.decide = brute_decide,
	.choose = brute_choose,
	.after = brute_after,
	.backtrack = brute_backtrack,
	.ordered_adds = true,
};

static void brute_search(void)
{
	B.replay_to = 0;
	sched_search(&brute_strategy);
	E.res->executions = B.sigcount;
	E.res->interleavings = B.interleavings;
}

/* explore(), or the oracle for opts.mode == EXPLORE_BRUTE. */
static inline int explore_any(const struct program *prog, const struct explore_opts *opts,
			      struct explore_result *res)
{
	if (opts->mode != EXPLORE_BRUTE)
		return explore(prog, opts, res);
	B.sigcount = 0;
	B.interleavings = 0;
	if (B.sigset)
		memset(B.sigset, 0, B.sigcap * sizeof(*B.sigset));
	return explore_with(prog, opts, res, brute_search);
}

#endif /* PVM_TESTS_BRUTE_H */
