/* SPDX-License-Identifier: MIT */
/*
 * stateful_fair.c - weak fairness for the stateful search's cycles.
 *
 * A cycle of the state graph is an execution that never ends, but not
 * every such execution can happen: a scheduler runs a thread that stays
 * runnable (weak fairness; Linux's does), so a loop in which thread q is
 * enabled in every state and never steps is not a hang of the system,
 * only of a scheduler that starves q.  Reporting it is a false
 * no-progress finding: tests/scenarios/valid/mprotect-rw-again+import.pvs,
 * where the vCPU's re-fault loop goes round while QEMU's down_write,
 * enabled throughout, would end it.
 *
 * Judging one cycle is not enough.  In a strongly connected component
 * (SCC) of the graph, a weakly fair cycle exists iff every thread either
 * steps on an edge inside the component or is disabled in one of its
 * states: the cycle that visits every state and edge of the component is
 * then fair, and no fair cycle exists otherwise.  Two threads that each
 * spin alone give two unfair cycles (each starves the other) whose
 * component holds the fair one that runs both; a check of each cycle met
 * would call the spin safe.
 *
 * So when the search meets a cycle (stateful.c: cycle_found), the cycle is
 * judged in a search of its own (SF_FAIR_ANALYSE), of the whole graph: no
 * partial-order reduction, no sleep sets, no symmetry, because a reduced
 * graph can leave out the very transitions of the starved thread.  Tarjan's
 * algorithm runs within it (the frames' depth-based low links, with the
 * finished states of a component still open kept as items, as the POR's
 * summaries are): each component accumulates the threads that step inside
 * it (an edge to a state on the path, to an open item, or a tree edge whose
 * child stays in the component) and the threads disabled in one of its
 * states, and its root judges it.  The states of the fair components are
 * kept.  Then the search that decides runs again (SF_FAIR_DECIDE): with no
 * fair component, with the options asked for and no cycle reported; with
 * one, over the whole graph as the analysis ran (the same states in the
 * same order, so the same hashes), reporting the first cycle that closes
 * on a state of a fair component.  Every nontrivial component holds a back
 * edge of a depth-first search, so that search meets one.
 */

#include <stdlib.h>
#include <string.h>
#include "check/stateful_int.h"
#include "lib/bug.h"

/* The states of the fair components: an open-addressing set of hashes. */
static struct {
	uint64_t (*slot)[2];
	size_t cap, n;
} F;

static size_t fset_at(uint64_t (*slot)[2], size_t cap, uint64_t lo, uint64_t hi)
{
	size_t i = (size_t)(lo ^ (hi >> 7)) & (cap - 1);
	while ((slot[i][0] || slot[i][1]) && (slot[i][0] != lo || slot[i][1] != hi))
		i = (i + 1) & (cap - 1);
	return i;
}

static void fset_add(uint64_t lo, uint64_t hi)
{
	if ((F.n + 1) * 2 > F.cap) {
		size_t ncap = F.cap ? F.cap * 2 : 1024;
		uint64_t (*ns)[2] = calloc(ncap, sizeof(*ns));
		if (!ns)
			pvm_bug("stateful fairness: out of memory", __FILE__, __LINE__, __func__);
		for (size_t k = 0; k < F.cap; k++)
			if (F.slot[k][0] || F.slot[k][1]) {
				size_t j = fset_at(ns, ncap, F.slot[k][0], F.slot[k][1]);
				ns[j][0] = F.slot[k][0];
				ns[j][1] = F.slot[k][1];
			}
		free(F.slot);
		F.slot = ns;
		F.cap = ncap;
	}
	size_t i = fset_at(F.slot, F.cap, lo, hi);
	if (!F.slot[i][0] && !F.slot[i][1]) {
		F.slot[i][0] = lo;
		F.slot[i][1] = hi;
		F.n++;
	}
}

bool sf_fair_state(uint64_t lo, uint64_t hi)
{
	if (!F.n)
		return false;
	size_t i = fset_at(F.slot, F.cap, lo, hi);
	return F.slot[i][0] == lo && F.slot[i][1] == hi && (lo || hi);
}

size_t sf_fair_count(void)
{
	return F.n;
}

void sf_fair_free(void)
{
	free(F.slot);
	memset(&F, 0, sizeof(F));
}

void sf_fair_leave(int d, struct sf_entry *e)
{
	struct sf_frame *f = &S.frames[d];
	if (f->low < d) {
		sf_item_open(d, e);	/* still in a component whose root is on the path */
		return;
	}
	/* the root: the component is this state and the items above it */
	bool fair = f->fair_step && (f->fair_step | f->fair_off) == TSET_ALL;
	if (fair)
		fset_add(f->lo, f->hi);
	for (int32_t k = f->item_base; k < P.nitems; k++) {
		struct sf_entry *m = sf_tab_find(P.items[k].lo, P.items[k].hi);
		PVM_BUG_ON(!m);
		m->pending = 0;
		if (fair)
			fset_add(P.items[k].lo, P.items[k].hi);
	}
	P.nitems = f->item_base;
	e->pending = 0;
}

void sf_fair_join(int d)
{
	struct sf_frame *f = &S.frames[d + 1], *p = &S.frames[d];
	if (f->low > d)
		return;		/* the child was a component's root: judged there */
	p->fair_step |= f->fair_step | TSET_BIT(p->cur);
	p->fair_off |= f->fair_off;
	if (f->low < p->low)
		p->low = f->low;
}
