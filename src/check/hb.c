// SPDX-License-Identifier: MIT
/*
 * hb.c - happens-before of the current execution: each executed step is
 * committed as an event with its vector clock, joined from its thread's
 * last event and the conflicting accesses before it (per object: the last
 * write, the reads since it, the commuting adds since it), and, for a
 * strategy that reverses races (dpor.c), the race candidates.
 *
 * One rule for every strategy: reads commute with reads, commuting adds
 * (ACC_ADD, under --commute-adds) with adds; everything else on one object
 * conflicts (acc_conflict in sched.h).  A re-executing strategy rebuilds
 * the chains and clocks from each execution's start; the stateful search
 * walks one depth-first path instead, and hb_rewind() takes events off its
 * end again (every event keeps what its commit replaced), so both
 * reductions read the same events, clocks and chains: dpor.c its race
 * candidates at commit, stateful_por.c hb_path_conflicts() for a pending
 * operation against the path.
 */
#include <string.h>
#include "check/sched.h"

/* Bytes of a vector clock in use: one entry per thread spawned so far (hb_new_thread). */
static inline size_t clock_width(void)
{
	return (size_t)E.nthreads * sizeof(uint32_t);
}

static void add_race(int e, int f)
{
	if (E.nraces >= MAX_RACES) {
		sched_set_limit("race-table", "more than %d races in one execution (MAX_RACES, "
			  "pvcheck's limit)", MAX_RACES);
		return;
	}
	E.races[E.nraces][0] = e;
	E.races[E.nraces][1] = f;
	E.nraces++;
}

/*
 * Vector clocks are copied and joined over the threads spawned so far only
 * (64 entries would be 256 bytes a copy, twice a step).  An entry past them
 * may hold a stale value from an earlier execution; clock_new_thread()
 * zeroes entry t of every clock of this execution when thread t is
 * spawned, so that every entry below E.nthreads is exact.
 */
void hb_new_thread(int t)
{
	for (int i = 0; i < E.nev; i++)
		E.ev[i].clock[t] = 0;
	for (int u = 0; u < t; u++)
		E.threads[u].clock[t] = 0;
}

/* Join @d into @c over the threads spawned so far. */
static inline void clock_join(uint32_t *c, const uint32_t *d)
{
	int n = E.nthreads;
	for (int k = 0; k < n; k++)
		c[k] = d[k] > c[k] ? d[k] : c[k];
}

static void record_trace_site(int i, struct vis_site site)
{
	E.ev[i].site = site;
	if (E.recording)
		E.notes[i][0] = '\0';
}

/*
 * The access chains run through events: an event's links for an object
 * are its first set (prev_write, ...) when the object is its op.obj, its
 * second (prev_write2, ...) when it is its op.obj2 (vis_also()).
 */
static inline int32_t link_write(const struct event *e, const void *obj)
{
	return e->op.obj == obj ? e->prev_write : e->prev_write2;
}

static inline int32_t link_read(const struct event *e, const void *obj)
{
	return e->op.obj == obj ? e->prev_read : e->prev_read2;
}

static inline int32_t link_add(const struct event *e, const void *obj)
{
	return e->op.obj == obj ? e->prev_add : e->prev_add2;
}

/*
 * commit_access - event @i's access @acc (hb_acc'd) to @obj: join the
 * clocks of the conflicting accesses before it into the event's, record
 * race candidates (@kind, @blocking, @no_race: the step's, for the rules
 * below), and make the event the object's latest access; its links to what
 * it replaced go to @pw, @pr, @pa.
 */
static void commit_access(int i, int t, const void *obj, int acc, int kind, bool blocking,
			  bool no_race, int32_t *pw, int32_t *pr, int32_t *pa)
{
	struct event *ev = &E.ev[i];
	const uint32_t *pre = E.threads[t].clock;
	bool races = E.strat->races && !no_race;
	struct objent *o = sched_obj_lookup(obj);
	int w = o->last_write;

	if (acc == ACC_WRITE || acc == ACC_ADD) {
		for (int r = o->last_read; r >= 0; r = link_read(&E.ev[r], obj)) {
			struct event *re = &E.ev[r];
			clock_join(ev->clock, re->clock);
			if (races && re->op.tid != t && !ev_in_clock(re, pre) &&
			    !(kind == VIS_KIND_LOCK && re->op.kind == VIS_KIND_UNLOCK))
				add_race(r, i);
		}
	}
	/* commuting adds conflict with reads and writes, not with each other */
	if (acc == ACC_WRITE || acc == ACC_READ) {
		for (int a = o->last_add; a >= 0; a = link_add(&E.ev[a], obj)) {
			struct event *ae = &E.ev[a];
			clock_join(ev->clock, ae->clock);
			if (races && ae->op.tid != t && !ev_in_clock(ae, pre))
				add_race(a, i);
		}
	}
	if (w >= 0) {
		struct event *we = &E.ev[w];
		clock_join(ev->clock, we->clock);
		if (races && we->op.tid != t && !ev_in_clock(we, pre) &&
		    !(blocking && we->op.kind == VIS_KIND_UNLOCK))
			add_race(w, i);
		if (races && blocking) {
			for (int w2 = link_write(we, obj); w2 >= 0; w2 = link_write(&E.ev[w2], obj)) {
				struct event *e2 = &E.ev[w2];
				if (ev_in_clock(e2, pre))
					break;
				if (e2->op.tid != t && e2->op.kind != VIS_KIND_UNLOCK)
					add_race(w2, i);
			}
		}
	}
	*pw = w;
	if (acc == ACC_WRITE) {
		/* a write keeps the reads and adds before it (hb_pop, hb_path_conflicts) */
		*pr = o->last_read;
		*pa = o->last_add;
		o->last_write = i;
		o->last_read = -1;
		o->last_add = -1;
	} else if (acc == ACC_ADD) {
		*pa = o->last_add;
		o->last_add = i;
	} else {
		*pr = o->last_read;
		o->last_read = i;
	}
}

/*
 * hb_commit - append event @op of thread @t at position E.nev: vector
 * clock, race candidates, object state.  Race candidates are the conflicting
 * earlier events not already ordered before @t's previous event; for blocking
 * operations (waits, lock acquires) older writes are candidates too, because
 * the write that enabled the wait hides them (see sched.h).  A second
 * object (vis_also()) is a plain access of the same event.
 */
void hb_commit(int t, struct op op, struct vis_site site, bool blocking)
{
	int i = E.nev;
	struct thread *th = &E.threads[t];
	struct event *ev = &E.ev[i];

	ev->op = op;
	ev->tidx = th->nev;
	ev->prev_write = ev->prev_read = ev->prev_add = -1;
	ev->prev_write2 = ev->prev_read2 = ev->prev_add2 = -1;
	ev->prev_tev = th->last_ev;
	memcpy(ev->clock, th->clock, clock_width());
	record_trace_site(i, site);

	if (op.obj && op.acc != ACC_NONE)
		commit_access(i, t, op.obj, hb_acc(op.acc), op.kind, blocking,
			      op.kind == VIS_KIND_JOIN || op.kind == VIS_KIND_EXIT,
			      &ev->prev_write, &ev->prev_read, &ev->prev_add);
	if (op.obj2 && op.acc2 != ACC_NONE)
		commit_access(i, t, op.obj2, hb_acc(op.acc2),
			      op.acc2 == ACC_READ ? VIS_KIND_READ : VIS_KIND_WRITE, false, false,
			      &ev->prev_write2, &ev->prev_read2, &ev->prev_add2);
	ev->clock[t] = (uint32_t)th->nev + 1;
	memcpy(th->clock, ev->clock, clock_width());
	th->nev++;
	th->last_ev = i;
	E.nev++;
	E.hb_top = E.nev;
	E.res->steps++;
	if (E.strat->committed)
		E.strat->committed(i);
}

bool explore_happens_before(int i, int j)
{
	if (i < 0 || j < 0 || i >= E.nev || j >= E.nev || i >= j)
		return false;
	return ev_in_clock(&E.ev[i], E.ev[j].clock);
}

/* ==== Along a depth-first path (the stateful search) ================== */

/* Undo access @acc to @obj of the object's latest event, whose links are @pw, @pr, @pa. */
static void pop_access(const void *obj, int acc, int32_t pw, int32_t pr, int32_t pa)
{
	struct objent *o = sched_obj_lookup(obj);
	if (acc == ACC_WRITE) {
		o->last_write = pw;
		o->last_read = pr;
		o->last_add = pa;
	} else if (acc == ACC_ADD) {
		o->last_add = pa;
	} else {
		o->last_read = pr;
	}
}

/* Undo hb_commit() of event @i, the last one in the chains and clocks. */
static void hb_pop(int i)
{
	static const uint32_t zero[MAXT];
	const struct event *ev = &E.ev[i];
	const struct op *op = &ev->op;
	struct thread *th = &E.threads[op->tid];

	if (op->obj2 && op->acc2 != ACC_NONE)
		pop_access(op->obj2, hb_acc(op->acc2), ev->prev_write2, ev->prev_read2,
			   ev->prev_add2);
	if (op->obj && op->acc != ACC_NONE)
		pop_access(op->obj, hb_acc(op->acc), ev->prev_write, ev->prev_read, ev->prev_add);
	th->nev--;
	th->last_ev = ev->prev_tev;
	memcpy(th->clock, th->last_ev >= 0 ? E.ev[th->last_ev].clock :
	       th->spawn_ev >= 0 ? E.ev[th->spawn_ev].clock : zero, clock_width());
}

const uint32_t *hb_thread_clock(int t)
{
	static const uint32_t zero[MAXT];
	return t >= 0 && t < E.nthreads ? E.threads[t].clock : zero;
}

void hb_rewind(int d)
{
	while (E.hb_top > d)
		hb_pop(--E.hb_top);
}

void hb_path_conflicts(int p, const void *obj, int acc, void (*fn)(int i, void *arg), void *arg)
{
	if (!obj || acc == ACC_NONE)
		return;
	const struct objent *o = sched_obj_lookup(obj);
	const uint32_t *c = hb_thread_clock(p);
	acc = hb_acc(acc);
	/*
	 * Latest first: the reads and the adds since the last write (those
	 * that conflict with @acc), then that write, then the same before it.
	 * A write that happens before @p orders every earlier access on the
	 * object too (each was joined into its clock): stop there.
	 */
	int32_t rd = o->last_read, ad = o->last_add, w = o->last_write;
	for (;;) {
		if (acc_conflict(acc, ACC_READ))
			for (; rd >= 0; rd = link_read(&E.ev[rd], obj))
				if (E.ev[rd].op.tid != p && !ev_in_clock(&E.ev[rd], c))
					fn(rd, arg);
		if (acc_conflict(acc, ACC_ADD))
			for (; ad >= 0; ad = link_add(&E.ev[ad], obj))
				if (E.ev[ad].op.tid != p && !ev_in_clock(&E.ev[ad], c))
					fn(ad, arg);
		if (w < 0 || ev_in_clock(&E.ev[w], c))
			return;
		if (E.ev[w].op.tid != p)
			fn(w, arg);
		rd = link_read(&E.ev[w], obj);
		ad = link_add(&E.ev[w], obj);
		w = link_write(&E.ev[w], obj);
	}
}
