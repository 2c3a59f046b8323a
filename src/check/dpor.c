// SPDX-License-Identifier: MIT
/*
 * dpor.c - optimal DPOR (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014):
 * one complete execution per Mazurkiewicz trace, by wakeup trees and sleep
 * sets over re-executions.
 *
 * The search keeps one node per position of the current execution: its
 * sleep set (the threads whose exploration from here is already covered)
 * and its wakeup tree (sequences still to be explored from here), or, at a
 * vis_choose(), the values done.  An execution follows the tree (decide);
 * after it, every race the executor recorded is reversed into the tree of
 * the node where its first event ran (dpor_after); then the deepest node
 * with work left is the backtrack point, and positions past it are rebuilt
 * by the next execution (dpor_backtrack).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check/dpor.h"
#include "lib/bug.h"

#define WUT_POOL	(1 << 20)

/* ==== Nodes and wakeup trees ======================================= */

struct wnode {
	struct op op;
	int32_t child, sibling;
};

struct node {
	int32_t wut;		/* first child: sequences to explore (incl. current) */
	tset_t sleep;		/* threads asleep here */
	tset_t halted;		/* of them, those whose step ended an execution in a
				 * finding (finding_races) */
	bool cur_halts;		/* the step chosen here ended an execution in a finding */
	int16_t cur;		/* thread chosen here */
	bool is_choice;
	int32_t nchoices;
	int32_t choice;
	uint64_t choices_done;	/* bitmask of values explored (<= 64 values) */
	tset_t enabled;		/* threads enabled at this decision */
	int32_t preempt;	/* preemptions before this decision */
	/* last: the fields above share a cache line, this is 1 KiB at 64 threads */
	struct op sleep_op[MAXT];	/* of the threads in sleep (as executed) */
};

static struct dpor {
	struct node nodes[MAXEV + 1];
	int replay_to;			/* positions < replay_to follow nodes[].cur */
	bool bt_choice;			/* the backtrack point is a choice node */
	int base;			/* root of the search: no backtracking above it
					 * (a frontier.c subtree) */
	int halt;			/* finding_races: the failing step of the execution
					 * being analysed, or -1 */
	struct wnode *wpool;
	int32_t wfree;
	/*
	 * The work list of wnode_free_tree: a wakeup
	 * sequence is a chain as deep as the execution (4096 steps of a
	 * no-progress loop), too deep to walk by recursion on the C stack.
	 * One entry per node with children at most, so WUT_POOL entries.
	 */
	int32_t *wstack;		/* sibling lists still to walk */
} D;

/* ==== Wakeup-tree pool ================================================ */

/* A node of the pool holding @op; Return: its index, or -1 (a limit) when the pool is empty. */
static int32_t wnode_new(const struct op *op)
{
	int32_t n = D.wfree;
	if (n < 0) {
		sched_set_limit("wakeup-tree-pool", "the wakeup trees of one search need more than %d "
			  "nodes (WUT_POOL, pvcheck's limit)", WUT_POOL);
		return -1;
	}
	D.wfree = D.wpool[n].sibling;
	D.wpool[n].op = *op;
	D.wpool[n].child = -1;
	D.wpool[n].sibling = -1;
	return n;
}

/* Free the sibling list @n and everything below it. */
static void wnode_free_tree(int32_t n)
{
	int sp = 0;
	if (n >= 0)
		D.wstack[sp++] = n;
	while (sp > 0) {
		for (n = D.wstack[--sp]; n >= 0;) {
			int32_t next = D.wpool[n].sibling;
			if (D.wpool[n].child >= 0)
				D.wstack[sp++] = D.wpool[n].child;
			D.wpool[n].sibling = D.wfree;
			D.wfree = n;
			n = next;
		}
	}
}

/* Remove child @c from the list starting at *@head and free its subtree. */
static void wnode_remove(int32_t *head, int32_t c)
{
	for (int32_t *p = head; *p >= 0; p = &D.wpool[*p].sibling) {
		if (*p == c) {
			*p = D.wpool[c].sibling;
			D.wpool[c].sibling = -1;
			wnode_free_tree(c);
			return;
		}
	}
	PVM_BUG();
}

static void wut_insert(int32_t *root, const struct op *v, int n, int32_t halting);

#define MAXSEQ MAXEV

/* insert_paths' walk: the path from the branch's root to the node at hand */
static struct op path_op[MAXSEQ];
static int32_t path_node[MAXSEQ];

/*
 * insert_paths - insert every root-to-leaf path of the branch rooted at
 * @c (not its siblings) into the tree *@dst, in the order of the branch's
 * children, by wut_insert: a path that starts like one already there
 * merges with it, so the tree never holds two children that take the same
 * step (the second would be followed after the first went to sleep, and
 * explore its traces again).
 */
static void insert_paths(int32_t *dst, int32_t c)
{
	int d = 0;

	path_node[0] = c;
	path_op[0] = D.wpool[c].op;
	for (;;) {
		int32_t ch = D.wpool[path_node[d]].child;
		if (ch >= 0 && d + 1 < MAXSEQ) {
			d++;
			path_node[d] = ch;
			path_op[d] = D.wpool[ch].op;
			continue;
		}
		wut_insert(dst, path_op, d + 1, -1);
		/* the next sibling, climbing to where there is one; never the root's */
		while (d > 0) {
			int32_t sib = D.wpool[path_node[d]].sibling;
			if (sib >= 0) {
				path_node[d] = sib;
				path_op[d] = D.wpool[sib].op;
				break;
			}
			d--;
		}
		if (d == 0)
			return;
	}
}

/*
 * choice_subtree - the wakeup subtree a choice node hands to value @value:
 * of its tree @n, the branches that recorded this choice with @value (the
 * level of the choice itself stripped) and those that recorded no choice
 * here; never a branch made under another value, whose later steps are
 * that value's.  The branches are merged (insert_paths): a branch of the
 * value and one without a choice may start with the same step.  Return: a
 * fresh tree (as much as the pool holds).
 */
static int32_t choice_subtree(int32_t n, int value)
{
	int32_t head = -1;

	for (; n >= 0; n = D.wpool[n].sibling) {
		if (D.wpool[n].op.kind == VIS_KIND_CHOOSE) {
			if (D.wpool[n].op.value != value)
				continue;
			for (int32_t c = D.wpool[n].child; c >= 0; c = D.wpool[c].sibling)
				insert_paths(&head, c);
		} else {
			insert_paths(&head, n);
		}
	}
	return head;
}

/* ==== Decisions ======================================================== */

static int pick_fresh(struct node *nd, tset_t en, int prev)
{
	tset_t cand = en & ~nd->sleep;
	if (!cand)
		return -1;
	int bound = E.opts->preemption_bound;
	if (bound >= 0 && nd->preempt >= bound && prev >= 0 && (cand & TSET_BIT(prev)))
		return prev;	/* stay within the bound: continue the running thread */
	if (bound >= 0 && nd->preempt >= bound && prev >= 0 && (en & TSET_BIT(prev))) {
		E.cut_reason = "preemption-bound";
		return -2;
	}
	if (E.opts->random_order) {
		int c[MAXT], n = 0;
		for (int t = 0; t < E.nthreads; t++)
			if (cand & TSET_BIT(t))
				c[n++] = t;
		return c[sched_rng_next() % (uint64_t)n];
	}
	return tset_first(cand);
}

/*
 * dpor_decide - the decision at position @pos: replay the prefix, follow a
 * wakeup-tree branch, or choose freshly.  Return: thread id; -1 when no
 * thread may run (asleep, or cut with E.cut_reason); -2 at the preemption
 * bound; -3 when a limit ended the execution (E.end is END_LIMIT).
 */
static int dpor_decide(int pos, tset_t en, int prev)
{
	struct node *nd = &D.nodes[pos];

	if (pos < D.replay_to) {
		int t = nd->cur;
		if (!(en & TSET_BIT(t)))
			pvm_bug("replayed prefix diverged: the program is not deterministic "
				"(does it read uninitialised or external state?)",
				__FILE__, __LINE__, __func__);
		return t;
	}
	/*
	 * Positions past the backtrack point are new nodes; the node at the
	 * backtrack point keeps its sleep set and tree.  Follow the tree: the
	 * first child whose thread can take exactly that step.
	 */
	while (nd->wut >= 0) {
		int32_t c = nd->wut;
		/* the current leaf sits first only after it was chosen; a node
		 * being entered has only unexplored children */
		struct op *cop = &D.wpool[c].op;
		int t = cop->tid;
		bool ok = (en & TSET_BIT(t)) && cop->kind != VIS_KIND_CHOOSE;
		if (ok) {
			struct op pop = sched_pending_op(t);
			ok = pop.kind == cop->kind && pop.obj == cop->obj;
		}
		if (ok && E.opts->preemption_bound >= 0 &&
		    nd->preempt + (sched_would_preempt(prev, t, en) ? 1 : 0) > E.opts->preemption_bound) {
			E.cut_reason = "preemption-bound";
			ok = false;
		}
		if (ok)
			return t;
		/* infeasible here (disabled, or a different step): drop it */
		E.res->infeasible++;
		wnode_remove(&nd->wut, c);
	}
	int t = pick_fresh(nd, en, prev);
	if (t < 0)
		return t;
	struct op op = sched_pending_op(t);
	nd->wut = wnode_new(&op);
	if (nd->wut < 0)
		return -3;	/* the pool is empty: E.end is END_LIMIT */
	return t;
}

/* ==== DPOR: race reversal and backtracking ============================== */

static struct op seq_buf[MAXSEQ];

/*
 * is_weak_initial - may thread @p with pending op @pop start sequence @v?
 * Either p occurs in v and its first event there depends on nothing before
 * it in v, or p does not occur in v and its op is independent of all of v.
 * @at: out, index of p's first event in v, or -1.
 * @tree: matching a wakeup tree's node.  A choice there matches only a
 * choice of the same value (dpor_descend hands each value the branches
 * that recorded it), and a thread absent from v is no initial of a v with
 * a choice.  A step of p that occurs in v still moves to the front across
 * another thread's choice: the choice is local to its thread, and p's
 * subtree explores every value of it.  Taken as a barrier (until this
 * release), it made the steps after a choice never initials, and so:
 *   1. at node N, thread q's branch is the current leaf; a race below N
 *      gives v = t.uvc, t.choose=0, ..., q.step, with q.step independent
 *      of all before it;
 *   2. the leaf q did not match, and v became a second branch of N;
 *   3. after q's subtree (which ran q.step first, then every answer of
 *      t.uvc) v ran again what it had run: tests/genmodel/engine/
 *      order-dependent-count-585.pvs counted 38 to 41 by order, 38 traces.
 */
static bool is_weak_initial(const struct op *pop, const struct op *v, const bool *gone,
			    int n, int *at, bool tree)
{
	bool pch = pop->kind == VIS_KIND_CHOOSE;

	*at = -1;
	for (int k = 0; k < n; k++) {
		if (gone[k])
			continue;
		if (v[k].tid == pop->tid) {
			for (int j = 0; j < k; j++)
				if (!gone[j] && op_dependent(&v[j], &v[k]))
					return false;
			if (tree && (v[k].kind == VIS_KIND_CHOOSE) != pch)
				return false;
			if (v[k].kind == VIS_KIND_CHOOSE && pch && v[k].value != pop->value)
				return false;
			*at = k;
			return true;
		}
	}
	for (int k = 0; k < n; k++)
		if (!gone[k] && (op_dependent(pop, &v[k]) ||
				 (tree && (pch || v[k].kind == VIS_KIND_CHOOSE))))
			return false;
	return true;
}

static bool seq_gone[MAXSEQ];

/*
 * insert - add sequence v (n ops) to the wakeup tree rooted at *@root.
 * @halting: a child that is the failing step of the execution being
 * analysed, or -1.  It covers nothing: nothing ran after it, so v's steps
 * never ran after it either (finding_races).
 */
static void wut_insert(int32_t *root, const struct op *v, int n, int32_t halting)
{
	memset(seq_gone, 0, sizeof(bool) * (size_t)n);
	int left = n;
	int32_t *children = root;
	for (;;) {
		int32_t c;
		int at = -1;
		for (c = *children; c >= 0; c = D.wpool[c].sibling)
			if (c != halting && is_weak_initial(&D.wpool[c].op, v, seq_gone, n, &at, true))
				break;
		if (c < 0)
			break;
		if (at >= 0) {
			seq_gone[at] = true;
			left--;
		}
		if (D.wpool[c].child < 0)
			return;		/* reached a leaf: v is covered */
		if (left == 0)
			return;
		children = &D.wpool[c].child;
	}
	/* append the rest of v as a new branch, last among the children */
	int32_t *tail = children;
	while (*tail >= 0)
		tail = &D.wpool[*tail].sibling;
	for (int k = 0; k < n; k++) {
		if (seq_gone[k])
			continue;
		int32_t nn = wnode_new(&v[k]);
		if (nn < 0)
			return;	/* a limit: the search stops after this execution */
		*tail = nn;
		tail = &D.wpool[nn].child;
	}
}

/*
 * blocked_reversal - would the reversed race start with a blocked step?
 * When f blocks (wait, lock) and the sequence v = notdep(e).f neither runs
 * f's thread nor writes f's object before f, then f is enabled after the
 * prefix iff it was enabled at node e; if it was not, the reversal cannot
 * be executed (e.g. the wait before the write that released it), and
 * inserting it would only cost a replay that ends sleep-blocked.
 */
static bool blocked_reversal(int e, const struct op *fo, int n)
{
	switch (fo->kind) {
	case VIS_KIND_WAIT:
	case VIS_KIND_WAIT_RMW:
	case VIS_KIND_LOCK:
	case VIS_KIND_LOCK_SHARED:
		break;
	default:
		return false;
	}
	if (D.nodes[e].enabled & TSET_BIT(fo->tid))
		return false;
	for (int k = 0; k < n - 1; k++) {
		/* f's thread moves (or is born) in v: its step at e was another */
		if (seq_buf[k].tid == fo->tid)
			return false;
		if (seq_buf[k].kind == VIS_KIND_SPAWN && seq_buf[k].value == fo->tid)
			return false;
		/*
		 * Any step on f's object may enable it: a write, but also a
		 * shared unlock, which is a read (readers commute) yet lets a
		 * writer in.
		 */
		if (seq_buf[k].obj == fo->obj || seq_buf[k].obj2 == fo->obj)
			return false;
	}
	return true;
}

/*
 * reverse_race - insert notdep(e).f into the wakeup tree of node e unless a
 * sleeping thread already covers it.  @f is the index of the later event,
 * or -1 for the pending step of a thread blocked at the end of the
 * execution (@fop).
 */
static void reverse_race(int e, int f, const struct op *fop)
{
	const struct event *ee = &E.ev[e];
	struct node *nd = &D.nodes[e];
	int n = 0;
	bool in_f = false;	/* at the choices made inside f's step */
	for (int g = e + 1; g < E.nev; g++) {
		/* the failing step: nothing ran after it, it comes after all */
		if (g == f || (D.halt >= 0 && g >= D.halt)) {
			in_f = g == f;
			continue;
		}
		/*
		 * A choice goes into v with the value it took: the steps of its
		 * thread after it are that value's (a busy answer adds a retry).
		 * Dropped, v would be followed under every value and fail to
		 * fit, or be "covered" by a branch of another value, under all
		 * but one (tests/unit/test_explore.c "a choice that adds a
		 * step").  The choices inside f's own step stay out: f runs
		 * elsewhere in v and chooses afresh.
		 */
		if (E.ev[g].op.kind == VIS_KIND_CHOOSE) {
			if (!in_f && !ev_in_clock(ee, E.ev[g].clock))
				seq_buf[n++] = E.ev[g].op;
			continue;
		}
		in_f = false;
		if (!ev_in_clock(ee, E.ev[g].clock))
			seq_buf[n++] = E.ev[g].op;
	}
	seq_buf[n++] = *fop;
	if (blocked_reversal(e, fop, n))
		return;
	/*
	 * Redundant if a sleeping thread could start it (Sleep ∩ WI ≠ ∅),
	 * but only a sleeper that occurs in v as an initial counts.  One that
	 * is merely independent of v may still run after a step that wakes
	 * it, and the traces where it does were lost (brute force counts 18
	 * where DPOR met 14 in some orders, tests/unit/test_explore.c "a
	 * choice that adds a step"):
	 *   1. q ran first at node N and sleeps in N's next branch, whose
	 *      race r (two steps of other threads, independent of q's) is
	 *      skipped "because q could start it";
	 *   2. q's own branch reverses q's race with the step that wakes q,
	 *      by a sequence that a leaf of N's next branch covers;
	 *   3. so each defers to the other, and the traces with r reversed
	 *      and q after the step that wakes it are explored by neither.
	 * A sleeper that is independent of v and never woken ends the
	 * execution sleep-blocked (counted apart), so the check costs
	 * replays, not complete executions.  It was already the rule for a
	 * thread asleep since the frontier of a parallel search (frontier.c,
	 * step 4), for the same reason.
	 */
	memset(seq_gone, 0, sizeof(bool) * (size_t)n);
	for (tset_t m = nd->sleep; m; m &= m - 1) {
		int at, q = tset_first(m);
		/*
		 * A sleeper whose step ended an execution in a finding covers
		 * only a sequence it starts: a sequence that runs other steps
		 * first runs them where its subtree did not.
		 */
		if (tset_has(nd->halted, q)) {
			if (seq_buf[0].tid == q)
				return;
			continue;
		}
		if (is_weak_initial(&nd->sleep_op[q], seq_buf, seq_gone, n, &at, false) && at >= 0)
			return;
	}
	int32_t halting = -1;
	if (e == D.halt)	/* the failing step is the current leaf */
		for (halting = nd->wut; halting >= 0; halting = D.wpool[halting].sibling)
			if (D.wpool[halting].op.tid == nd->cur)
				break;
	wut_insert(&nd->wut, seq_buf, n, halting);
}

/*
 * pending_races - an execution that ended with threads blocked: their
 * pending steps never ran, so no race was recorded for them, yet running
 * them before a conflicting step gives other traces (the other thread
 * takes the semaphore, this one blocks).  Treat each pending step as if it
 * ran last.
 */
static void pending_races(int skip1, int skip2)
{
	for (int q = 0; q < E.nthreads; q++) {
		struct thread *th = &E.threads[q];
		if (th->state != T_LIVE || th->pend.kind == VIS_KIND_JOIN || q == skip1 || q == skip2)
			continue;
		/* a spin-blocked thread's next load would start another no-op iteration */
		if (sched_spin_blocked(q))
			continue;
		struct op pop = sched_pending_op(q);
		if (!pop.obj)
			continue;
		for (int e = E.nev - 1; e >= D.base; e--) {
			const struct event *ev = &E.ev[e];
			if (ev->op.tid == q || ev_in_clock(ev, th->clock))
				continue;
			/* the pending step's object, or one of the two vis_also() adds */
			bool main = ev->op.obj == pop.obj && acc_conflict(ev->op.acc, pop.acc);
			bool also = (pop.obj2 && acc_conflict(op_acc_on(&ev->op, pop.obj2), pop.acc2)) ||
				    (ev->op.obj2 && ev->op.obj2 == pop.obj &&
				     acc_conflict(ev->op.acc2, pop.acc));
			if (!main && !also)
				continue;
			if (!also && ev->op.kind == VIS_KIND_UNLOCK &&
			    (pop.kind == VIS_KIND_LOCK || pop.kind == VIS_KIND_LOCK_SHARED))
				continue;
			reverse_race(e, -1, &pop);
		}
	}
}

/*
 * finding_races - an execution that ended in a finding (opts.finding_races).
 * The failing step ends the execution, so the other threads' next steps
 * never ran: neither their conflicts with earlier steps nor what they
 * would have done before the failing step were seen.  Two things make up
 * for it (doc/engine.md "Every finding"):
 *
 *   1. each pending step races with the earlier steps it conflicts with,
 *      as if it ran last (pending_races, as for a deadlock);
 *   2. each thread enabled at the end may run its pending step instead of
 *      the failing one: the failing step counts as dependent with every
 *      step that would follow it, since none can.  Its node gets that
 *      thread as a wakeup sequence of one step.
 *
 * Without 2, a thread that fails at once hides every finding of a thread
 * that would fail on its own, independently, and which one is reported
 * depends on the order threads are tried in.  Step 2 adds no sequence that
 * starts with the failing step moved earlier: that trace ends in the same
 * finding (its thread reads the same values) and nothing runs after it.
 */
static void finding_races(int f)
{
	/* the failing thread has no next step: it ended in the finding */
	pending_races(E.ev[f].op.tid, E.finding.tid);
	tset_t live, en = sched_enabled(&live);
	for (int q = 0; q < E.nthreads; q++) {
		/* the failing thread (it may have failed inside a spawn) */
		if (!(en & TSET_BIT(q)) || q == E.ev[f].op.tid || q == E.finding.tid)
			continue;
		struct op pop = sched_pending_op(q);
		reverse_race(f, -1, &pop);
	}
}

/*
 * The failing step of an execution that ended in a finding: the last that
 * is not a choice made inside it.  Return: its index, -1 if none below the
 * root.
 */
static int failing_step(void)
{
	int f = E.nev - 1;
	while (f >= D.base && E.ev[f].op.kind == VIS_KIND_CHOOSE)
		f--;
	return f >= D.base ? f : -1;
}

static void analyse_races(void)
{
	/*
	 * The failing step of a violation, for finding_races: under --all,
	 * and for a search for one finding (want_finding), where another
	 * finding ends executions and would hide the one wanted.  A step
	 * bound's no-progress is cut, as by a bound.
	 */
	D.halt = E.end == END_FINDING && (E.opts->finding_races || E.opts->want_finding) &&
		 E.finding.verdict == VERDICT_VIOLATION ? failing_step() : -1;
	if (D.halt >= 0)
		D.nodes[D.halt].cur_halts = true;
	for (int r = 0; r < E.nraces; r++) {
		int e = E.races[r][0], f = E.races[r][1];
		/*
		 * A race inside the replayed prefix was in the execution this one
		 * branched from, with the same happens-before, and was reversed
		 * there; its wakeup sequence covers every continuation.
		 */
		if (f < D.replay_to)
			continue;
		/*
		 * Parallel exploration: a race with an event of the prefix above
		 * the frontier (e < D.base) is reversed by a sibling subtree,
		 * because every node above the frontier is fully expanded
		 * (frontier.c); nothing is inserted there.
		 */
		if (e < D.base)
			continue;
		reverse_race(e, f, &E.ev[f].op);
	}
	if (E.end == END_DEADLOCK || E.end == END_SPIN)
		pending_races(-1, -1);
	else if (D.halt >= 0)
		finding_races(D.halt);
	D.halt = -1;
}

/* Compute the sleep set of node @pos+1 from node @pos and event @pos. */
static void sleep_after(int pos)
{
	struct node *nd = &D.nodes[pos], *nx = &D.nodes[pos + 1];
	const struct op *eop = &E.ev[pos].op;
	nx->sleep = 0;
	for (tset_t m = nd->sleep; m; m &= m - 1) {
		int q = tset_first(m);
		if (nd->is_choice || !op_dependent(&nd->sleep_op[q], eop)) {
			nx->sleep |= TSET_BIT(q);
			nx->sleep_op[q] = nd->sleep_op[q];
		}
	}
	/*
	 * A sleeper whose step failed sleeps on past independent steps as
	 * any other: run there, it would read what it read at its node and
	 * end in the same finding.
	 */
	nx->halted = nd->halted & nx->sleep;
}

/*
 * After an execution: pass each node's chosen branch down (positions past
 * the replay prefix), then find the deepest node with work left.
 * Return: the backtrack position, or -1 when exploration is finished.
 */
static int dpor_backtrack(void)
{
	int n = E.nev;
	if (E.end != END_DONE || n > 0) {
		wnode_free_tree(D.nodes[n].wut);
		D.nodes[n].wut = -1;
	}
	for (int j = n - 1; j >= D.base; j--) {
		struct node *nd = &D.nodes[j];
		if (nd->is_choice) {
			nd->choices_done |= 1ULL << nd->choice;
			for (int v = 0; v < nd->nchoices; v++) {
				if (!(nd->choices_done & (1ULL << v))) {
					nd->choice = v;
					return j;
				}
			}
			wnode_free_tree(nd->wut);
			nd->wut = -1;
			continue;
		}
		/* the current child is finished: put it to sleep, drop its leaf */
		int t = nd->cur;
		for (int32_t c = nd->wut; c >= 0; c = D.wpool[c].sibling) {
			if (D.wpool[c].op.tid == t) {
				wnode_remove(&nd->wut, c);
				break;
			}
		}
		nd->sleep |= TSET_BIT(t);
		nd->sleep_op[t] = E.ev[j].op;
		if (nd->cur_halts)	/* in some execution of its subtree */
			nd->halted |= TSET_BIT(t);
		else
			nd->halted &= ~TSET_BIT(t);
		nd->cur_halts = false;
		/*
		 * The effective class is exact for a sleeper: whether its
		 * trylock or conditional RMW succeeds can only change through
		 * a write to its object, and that write wakes it.
		 */
		if (nd->wut >= 0)
			return j;
		wnode_free_tree(nd->wut);
		nd->wut = -1;
	}
	return -1;
}

/*
 * Hand the wakeup subtree of the branch taken at @pos down to @pos+1 and
 * compute its sleep set.  Called right after event @pos executes, for
 * positions at or past the backtrack point.
 */
static void dpor_descend(int pos)
{
	struct node *nd = &D.nodes[pos], *nx = &D.nodes[pos + 1];
	nx->wut = -1;
	nx->is_choice = false;
	if (nd->is_choice) {
		/*
		 * A choice is independent of every other thread: the sleep set
		 * carries over.  The sequences that reached this node are
		 * explored again under every value (their continuations differ),
		 * so each value gets its own copy of the tree: the branches that
		 * recorded this choice with that value, and those that recorded
		 * none (choice_subtree; reverse_race keeps a choice in v).
		 */
		nx->sleep = nd->sleep;
		nx->halted = nd->halted;
		for (tset_t m = nd->sleep; m; m &= m - 1)
			nx->sleep_op[tset_first(m)] = nd->sleep_op[tset_first(m)];
		nx->wut = choice_subtree(nd->wut, nd->choice);
		return;
	}
	sleep_after(pos);
	int32_t c;
	for (c = nd->wut; c >= 0; c = D.wpool[c].sibling)
		if (D.wpool[c].op.tid == nd->cur)
			break;
	PVM_BUG_ON(c < 0);
	nx->wut = D.wpool[c].child;	/* the subtree moves down; c stays as a leaf */
	D.wpool[c].child = -1;
	/* refresh the leaf's op with what really executed (trylock outcome) */
	D.wpool[c].op = E.ev[pos].op;
}

/* ==== The strategy ====================================================== */

/*
 * dpor_choose - a vis_choose() at @pos: the value of the prefix being
 * replayed (or of the backtrack point), else a fresh choice node whose
 * first value is 0.  A fresh node keeps the wakeup sequences handed down
 * to it (nd->wut): each value gets a copy (dpor_descend).
 */
static int dpor_choose(int pos, int n)
{
	struct node *nd = &D.nodes[pos];

	if (pos < D.replay_to || (pos == D.replay_to && D.bt_choice)) {
		PVM_BUG_ON(!nd->is_choice);
		return nd->choice;
	}
	nd->is_choice = true;
	nd->nchoices = n;
	nd->choices_done = 0;
	nd->choice = 0;
	return 0;
}

/*
 * dpor_next - the decision at a scheduling point @pos: set up a node being
 * entered, then dpor_decide.  Return: the thread, or -1 with E.end saying
 * why the execution ends (asleep, cut by a bound, a limit).
 */
static int dpor_next(int pos, tset_t en, int prev)
{
	struct node *nd = &D.nodes[pos];

	if (pos >= D.replay_to) {
		nd->is_choice = false;
		nd->cur_halts = false;
		nd->preempt = pos ? E.ev[pos - 1].preempt : 0;
		nd->enabled = en;
	}
	int t = dpor_decide(pos, en, prev);
	if (t == -3)
		return -1;		/* a limit ended the execution */
	if (t == -1) {
		E.end = (en & ~nd->sleep) ? END_CUT : END_SLEEP;
		return -1;
	}
	if (t == -2) {
		E.end = END_CUT;
		return -1;
	}
	nd->cur = (int16_t)t;
	return t;
}

/* Event @i was committed: past the backtrack point, pass the tree down. */
static void dpor_committed(int i)
{
	if (i >= D.replay_to)
		dpor_descend(i);
}

/* After an execution: reverse its races, then count it. */
static bool dpor_after(void)
{
	analyse_races();
	return sched_account();
}

/* The next execution branches at the deepest node with work left. */
static int dpor_next_branch(void)
{
	int j = dpor_backtrack();
	if (j < 0)
		return -1;
	struct node *nd = &D.nodes[j];
	D.bt_choice = nd->is_choice;
	if (!nd->is_choice) {
		/* next child: the first in the tree; it becomes the current leaf */
		nd->cur = (int16_t)D.wpool[nd->wut].op.tid;
	}
	/* positions < j replay; j itself is decided from its tree/choice */
	D.replay_to = j;
	return j;
}

static const struct strategy dpor_strategy = {
	.name = "dpor",
	.decide = dpor_next,
	.choose = dpor_choose,
	.committed = dpor_committed,
	.after = dpor_after,
	.backtrack = dpor_next_branch,
	.races = true,
	.depth_cut = true,
};

int dpor_setup(void)
{
	if (!D.wpool)
		D.wpool = calloc(WUT_POOL, sizeof(*D.wpool));
	if (!D.wstack)
		D.wstack = calloc(WUT_POOL, sizeof(*D.wstack));
	return D.wpool && D.wstack ? 0 : -ENOMEM;
}

void dpor_reset_pool(void)
{
	for (int32_t k = 0; k < WUT_POOL; k++)
		D.wpool[k].sibling = k + 1 < WUT_POOL ? k + 1 : -1;
	D.wfree = 0;
}

void dpor_run(void)
{
	D.base = 0;
	D.replay_to = 0;
	D.bt_choice = false;
	D.nodes[0].wut = -1;
	D.nodes[0].sleep = 0;
	D.nodes[0].halted = 0;
	D.nodes[0].is_choice = false;
	D.halt = -1;
	sched_rng_seed(E.opts->random_order);
	sched_search(&dpor_strategy);
}

bool dpor_subtree(const int *s, int len, tset_t sleep, const struct op *sleep_op, uint64_t seed)
{
	static bool pool_dirty;	/* explore() starts with a whole pool */

	if (pool_dirty)
		dpor_reset_pool();	/* a subtree that stopped early left trees behind */
	for (int i = 0; i < len; i++) {
		struct node *nd = &D.nodes[i];
		nd->wut = -1;
		nd->is_choice = s[i] < 0;
		if (s[i] < 0)
			nd->choice = -1 - s[i];
		else
			nd->cur = (int16_t)s[i];
	}
	D.base = len;
	D.replay_to = len;
	D.bt_choice = false;
	struct node *root = &D.nodes[len];
	root->wut = -1;
	root->is_choice = false;
	root->sleep = sleep;
	root->halted = 0;
	D.halt = -1;
	memcpy(root->sleep_op, sleep_op, sizeof(root->sleep_op));
	sched_rng_seed(seed);
	pool_dirty = !sched_search(&dpor_strategy);
	D.base = 0;
	return !pool_dirty;
}

