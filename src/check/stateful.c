// SPDX-License-Identifier: MIT
/*
 * stateful.c - explicit-state exploration (EXPLORE_STATEFUL, --stateful).
 *
 * A state is the program's shared memory (program->state_regions: the
 * loaded program's data and heap, or the model world), each live thread's
 * continuation (its pending operation, its saved stack pointer and the
 * bytes of its fixed-address stack from there to the top) and the engine's
 * lock table.  Copying those bytes back restores the state exactly, so the
 * search is a depth-first search over states with a snapshot per level of
 * the current path (a bump arena, no malloc per step) instead of
 * re-executing from reset().
 *
 * Reduction: sleep sets with state caching (Godefroid, LNCS 1032, ch. 5):
 * each stored state keeps the sleep set it was explored with; a revisit
 * explores only the threads asleep then and awake now, and the stored set
 * becomes the intersection.  Every reachable state is visited; transitions
 * are saved.  A pending vis_choose() is a state whose only transitions are
 * the choice's values (a choice is local: exploring it alone is sound).
 *
 * Step bound: each stored state keeps its height (longest explored path
 * below it).  An execution longer than the step bound exists iff the
 * search meets a state on its own path again (a cycle) or a stored state
 * whose height reaches past the bound from where it is met; both become
 * the same no-progress finding as in the stateless search, with a schedule
 * that replays it.  A cycle is a finding only if the graph holds a weakly
 * fair one (stateful_run(), stateful_fair.c).
 *
 * Visited states are identified by a 128-bit XXH3 hash of the snapshot,
 * or of the program's canonical form when it has one (a false merge needs
 * a 128-bit collision); the snapshot is then written only for a state that
 * is pushed (save(), snap_commit()).  Uninitialised stack slots
 * make equal logical states differ in bytes (fewer merges, never a wrong
 * one); the engine zeroes a window below a thread's stack pointer before
 * it runs so that such slots depend on the path shape only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xxhash.h>
#include "check/stateful.h"
#include "check/stateful_int.h"
#include "lib/bug.h"


struct sf stateful_sf;

/*
 * The executor asks this strategy only at a vis_choose(): the choice
 * becomes a transition of its own, one per value (search() steps the
 * threads itself).
 */
static int stateful_choose(int pos, int n)
{
	return SCHED_CHOICE_STEP;
}

static const struct strategy stateful_strategy = {
	.name = "stateful",
	.choose = stateful_choose,
	.hb_orders_adds = true,	/* its POR: conservative, see doc/engine.md */
};

/* ==== Visited table ==================================================== */

static struct sf_entry *tab_slot(struct sf_entry *tab, size_t cap, uint64_t lo, uint64_t hi)
{
	size_t i = (size_t)lo & (cap - 1);
	for (;;) {
		struct sf_entry *e = &tab[i];
		if ((e->lo == lo && e->hi == hi) || (!e->lo && !e->hi))
			return e;
		i = (i + 1) & (cap - 1);
	}
}

static void *map_zero(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/*
 * The visited table is probed at random, about one cache miss a
 * transition; on 4 KiB pages a table of hundreds of MB misses the TLB on
 * nearly every probe too, so ask for transparent huge pages (advice: the
 * table works the same without them).  rf(3,1,2) --stateful --commute-adds
 * (a 1 GiB table) ran 51 s with them against 61 s without.
 * Context: stateful_run() and tab_grow().
 * Return: @bytes of zeroed memory, or NULL.
 */
static void *map_table(size_t bytes)
{
	void *p = map_zero(bytes);
#ifdef MADV_HUGEPAGE
	if (p && bytes >= ((size_t)2 << 20))
		(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

/* Double the table; Return: false when at the memory cap. */
static bool tab_grow(void)
{
	size_t ncap = S.cap * 2;
	if (ncap > S.max_cap || ncap * sizeof(struct sf_entry) + sf_por_bytes() > S.mem)
		return false;
	struct sf_entry *n = map_table(ncap * sizeof(*n));
	if (!n)
		return false;
	for (size_t k = 0; k < S.cap; k++) {
		struct sf_entry *e = &S.tab[k];
		if (e->lo || e->hi)
			*tab_slot(n, ncap, e->lo, e->hi) = *e;
	}
	munmap(S.tab, S.cap * sizeof(*S.tab));
	S.tab = n;
	S.cap = ncap;
	S.tab_gen++;	/* entry pointers kept in the path frames are stale */
	return true;
}

static struct sf_entry *tab_find(uint64_t lo, uint64_t hi)
{
	struct sf_entry *e = tab_slot(S.tab, S.cap, lo, hi);
	return e->lo || e->hi ? e : NULL;
}

struct sf_entry *sf_tab_find(uint64_t lo, uint64_t hi)
{
	return tab_find(lo, hi);
}

/*
 * tab_lookup - one probe for a state that may be new: its entry, with
 * *@fresh false, or a new entry for it (*@fresh true).
 * Context: the search.
 * Return: the entry, or NULL when the table is full (the state is new).
 */
static struct sf_entry *tab_lookup(uint64_t lo, uint64_t hi, bool *fresh)
{
	struct sf_entry *e = tab_slot(S.tab, S.cap, lo, hi);
	*fresh = !e->lo && !e->hi;
	if (!*fresh)
		return e;
	if ((S.count + 1) * 10 > S.cap * 7) {
		if (!tab_grow())
			return NULL;
		e = tab_slot(S.tab, S.cap, lo, hi);
	}
	e->lo = lo;
	e->hi = hi;
	S.count++;
	return e;
}

/* Insert a new state; Return: its entry, or NULL when the table is full. */
static struct sf_entry *tab_insert(uint64_t lo, uint64_t hi)
{
	bool fresh;
	return tab_lookup(lo, hi, &fresh);
}

/*
 * frame_entry - the visited entry of path frame @f: the one kept when it
 * was pushed, or found again if tab_grow() moved the table since.
 * Context: the search.
 * Return: the entry.
 */
static struct sf_entry *frame_entry(struct sf_frame *f)
{
	if (f->ent_gen != S.tab_gen) {
		f->ent = tab_find(f->lo, f->hi);
		f->ent_gen = S.tab_gen;
	}
	return f->ent;
}

/* ==== Snapshots ========================================================= */

void sf_cut(const char *why)
{
	struct explore_result *r = S.res;
	r->complete = false;
	if (!r->cut_by)
		r->cut_by = why;
}

/*
 * snap_write - write the snapshot of the current state (regions @R[0..@n),
 * preemption key @extra) at the arena top, without advancing it.
 * Context: the search, room checked by save().
 * Return: its header.
 */
static struct sf_hdr *snap_write(const struct program_region *R, int n, uint64_t extra)
{
	char *base = S.arena + S.top, *p = base + sizeof(struct sf_hdr);
	struct sf_hdr *h = (struct sf_hdr *)(void *)base;
	memcpy(p, R, (size_t)n * sizeof(R[0]));
	p += (size_t)n * sizeof(R[0]);
	for (int k = 0; k < n; k++) {
		if (R[k].nohash)
			continue;
		memcpy(p, R[k].addr, R[k].len);
		p += R[k].len;
	}
	memcpy(p, &extra, sizeof(extra));
	p += sizeof(extra);
	while ((p - base) & 15)		/* the engine part is read as structs */
		*p++ = 0;
	h->eng_off = (uint32_t)(p - base);
	p += sched_save(p);
	h->hash_len = (uint64_t)(p - base) - sizeof(*h);
	for (int k = 0; k < n; k++) {
		if (!R[k].nohash)
			continue;
		memcpy(p, R[k].addr, R[k].len);
		p += R[k].len;
	}
	h->len = ((uint64_t)(p - base) + 15) & ~(uint64_t)15;
	h->nregions = (uint32_t)n;
	return h;
}

/*
 * save - hash the current state; @extra goes into the hashed part
 * (preemption-bound bookkeeping).  Without a canonical form the hash is of
 * the snapshot, written at the arena top for it (the top does not move);
 * with one (S.canon) only the canonical form is written and hashed, and
 * the snapshot waits for snap_commit(): a revisit that is only counted then
 * copies nothing.
 * Context: the search, between steps.
 * Return: 0, -1 when the program cannot describe its state, -2 when the
 * arena is full.
 */
static int save(uint64_t extra, uint64_t *lo, uint64_t *hi)
{
	struct program_region *R = S.R;
	int n = S.prog->state_regions(S.prog->ctx, R, SF_MAX_REGIONS);
	if (n < 0 || n > SF_MAX_REGIONS)
		return -1;
	size_t need = sizeof(struct sf_hdr) + (size_t)n * sizeof(R[0]) + sizeof(extra) + 16 +
		      sched_save_size();
	for (int k = 0; k < n; k++)
		need += R[k].len;
	need = (need + 15) & ~(size_t)15;
	if (S.top + need > SF_ARENA)
		return -2;
	S.nR = n;
	S.extra = extra;
	S.written = false;
	if (S.canon) {
		sf_sym_hash(extra, lo, hi);
		return 0;
	}
	const struct sf_hdr *h = snap_write(R, n, extra);
	S.written = true;
	XXH128_hash_t x = XXH3_128bits((const char *)h + sizeof(*h), (size_t)h->hash_len);
	*lo = x.low64 | (x.low64 == 0 && x.high64 == 0);
	*hi = x.high64;
	return 0;
}

/*
 * snap_commit - the state save() hashed last (still in memory) is to be
 * kept: write its snapshot at the arena top if save() did not.
 * Context: the search, before anything changes the state save() saw.
 * Return: the snapshot's size.
 */
static size_t snap_commit(void)
{
	char *base = S.arena + S.top;
	if (!S.written) {
		snap_write(S.R, S.nR, S.extra);
		S.written = true;
	}
	return (size_t)((const struct sf_hdr *)(const void *)base)->len;
}

/* restore - copy the snapshot at arena offset @off back; depth @d. */
static void restore(size_t off, int d)
{
	hb_rewind(d);	/* the path's happens-before: its first @d events */
	const char *base = S.arena + off;
	const struct sf_hdr *h = (const struct sf_hdr *)(const void *)base;
	const struct program_region *R =
		(const struct program_region *)(const void *)(base + sizeof(*h));
	const char *p = (const char *)(R + h->nregions);
	for (uint32_t k = 0; k < h->nregions; k++) {
		if (R[k].nohash)
			continue;
		memcpy(R[k].addr, p, R[k].len);
		p += R[k].len;
	}
	p = base + h->eng_off;
	p += sched_restore(p);
	for (uint32_t k = 0; k < h->nregions; k++) {
		if (!R[k].nohash)
			continue;
		memcpy(R[k].addr, p, R[k].len);
		p += R[k].len;
	}
	if (S.prog->state_restored)
		S.prog->state_restored(S.prog->ctx);
	E.nev = d;
}

/* ==== Findings ========================================================== */

/* Count an execution that ended in a finding; Return: true to stop. */
static bool found(bool deadlock)
{
	S.res->executions++;
	if (deadlock)
		S.res->blocked++;
	sched_take_finding();
	if (!S.opts->keep_going && !S.opts->all_findings && S.res->found)
		S.stop = true;
	return S.stop;
}

/* Event @dst of the path becomes a copy of event @src by thread @rename[its thread]. */
static void copy_event(int dst, int src, const int8_t *rename)
{
	E.ev[dst] = E.ev[src];
	int t = E.ev[dst].op.tid;
	if (t >= 0 && t < MAXT)
		E.ev[dst].op.tid = rename[t];
}

/*
 * A transition from depth @d reached the state of frame @c again: a cycle,
 * so executions of any length exist.  Extend the path by repeating the
 * cycle up to the step bound: the schedule replays the no-progress finding.
 */
static void cycle_found(int c, int d, const int8_t *sig)
{
	if (S.depth) {
		sf_cut("depth");
		return;
	}
	/*
	 * The state reached is the one of frame @c up to a renaming (@sig is
	 * its own): thread t there plays the part of pi[t] here, so each period
	 * repeats the loop's events with the thread ids renamed once more.
	 */
	int8_t inv[MAXT], pi[MAXT], cur[MAXT];
	for (int t = 0; t < MAXT; t++)
		inv[sig[t]] = (int8_t)t;
	for (int t = 0; t < MAXT; t++)
		cur[t] = pi[t] = S.sym ? inv[S.frames[c].sigma[t]] : (int8_t)t;
	int len = d + 1, period = len - c;
	for (int k = len; k < S.step_bound; k++) {
		int src = c + (k - len) % period;
		if (k > len && src == c)
			for (int t = 0; t < MAXT; t++)
				cur[t] = pi[cur[t]];
		copy_event(k, src, cur);
	}
	tset_t looping = 0;
	for (int k = c; k < len; k++)
		if (E.ev[k].op.tid >= 0 && E.ev[k].op.tid < MAXT)
			looping |= TSET_BIT(E.ev[k].op.tid);
	E.nev = S.step_bound;
	sched_no_progress(S.step_bound, looping ? looping : TSET_ALL);
	S.cycle_hit = true;
	found(false);
}

/*
 * The state just reached at depth @d (in memory, snapshot at the arena
 * top, stored with height @h) has explored paths reaching past the bound:
 * follow children of decreasing height to build a replayable schedule of
 * step_bound steps.  Return: false if none could be built (the result is
 * then cut instead).
 */
static bool witness(int d, uint16_t h)
{
	size_t cur = S.top;
	uint64_t lo, hi;
	if (save(0, &lo, &hi))
		return false;
	S.top += snap_commit();
	while (d < S.step_bound) {
		tset_t live, en = sched_enabled(&live);
		int n = 0, ct = sched_choice_pending(&n);
		tset_t cand = ct >= 0 ? TSET_BIT(ct) : en;
		bool moved = false;
		for (int t = 0; t < MAXT && !moved; t++) {
			if (!(cand & TSET_BIT(t)))
				continue;
			for (int v = 0; v < (ct >= 0 ? n : 1) && !moved; v++) {
				restore(cur, d);
				sched_step(t, v, 0);
				if (sched_take_limit()) {
					S.stop = true;
					return true;
				}
				if (sched_finding())
					continue;
				if (save(0, &lo, &hi))
					return false;
				struct sf_entry *e = tab_find(lo, hi);
				if (e && (e->height == SF_INF || e->height + 1 >= h)) {
					cur = S.top;
					S.top += snap_commit();
					h = e->height == SF_INF ? SF_INF : e->height;
					moved = true;
				}
			}
		}
		if (!moved)
			return false;
		d++;
	}
	E.nev = S.step_bound;
	sched_steps_exceeded(S.step_bound);
	if (sched_take_limit())
		S.stop = true;
	else
		found(false);
	return true;
}

/* ==== The search ======================================================== */

static void frame_enter(int d, tset_t sleep, const struct op *sleep_op, tset_t mask,
			int prev, int preempt, bool fresh)
{
	struct sf_frame *f = &S.frames[d];
	f->first = true;
	f->height = 0;
	f->todo = 0;
	f->choice_t = -1;
	f->sleep = sleep;
	f->prev = prev;
	f->preempt = preempt;
	f->picked = 0;
	f->bt = 0;
	f->low = d;
	f->item_base = P.nitems;
	f->fair_step = 0;
	if (P.on)
		memset(sf_row(d), 0, (size_t)P.words * sizeof(uint64_t));
	if (sleep)
		memcpy(f->sleep_op, sleep_op, sizeof(f->sleep_op));
	tset_t live, en = sched_enabled(&live);
	f->en = en;
	f->fair_off = ~en;
	if (!live) {
		/* an execution that ends at the bound's step is complete (sched_run_one) */
		if (sched_at_exit())
			found(false);
		else
			S.res->executions++;
		return;
	}
	if (d >= S.step_bound) {
		sched_steps_exceeded(S.step_bound);
		if (sched_take_limit())
			S.stop = true;	/* longer than the engine holds, within the bound asked */
		else
			found(false);
		return;
	}
	if (S.depth && d >= S.depth) {
		sf_cut("depth");
		return;
	}
	if (P.on && fresh)
		sf_races_pending(d, live);
	if (!en) {
		if (sched_deadlock(live))
			found(true);
		else
			S.res->spin_blocked++;
		return;
	}
	int n;
	int ct = sched_choice_pending(&n);
	if (ct >= 0) {
		f->choice_t = ct;
		f->nchoices = n;
		f->next_value = 0;
		return;
	}
	tset_t cand = en & ~sleep & mask;
	if (P.on && fresh && cand) {
		/* one thread, the one that ran last if it can: races add the rest */
		int q = prev >= 0 && (cand & TSET_BIT(prev)) ? prev : sf_first(cand);
		cand = TSET_BIT(q);
	}
	f->bt = cand;
	f->todo = cand;
}

static uint16_t hplus1(uint16_t h)
{
	return h >= SF_INF - 1 ? SF_INF : (uint16_t)(h + 1);
}

/* A transition of frame @f is finished: put its thread to sleep there. */
static void transition_done(struct sf_frame *f)
{
	if (f->choice_t >= 0)
		return;
	f->sleep |= TSET_BIT(f->cur);
	f->sleep_op[f->cur] = f->cur_op;
}

struct por_item *sf_item_open(int d, struct sf_entry *e)
{
	struct sf_frame *f = &S.frames[d];
	for (int32_t k = f->item_base; k < P.nitems; k++)
		if (P.items[k].low >= d)
			P.items[k].low = f->low;	/* depth d is about to be reused */
	size_t cap = (size_t)P.items_cap;
	P.items = sf_por_grow(P.items, &cap, sizeof(*P.items), (size_t)P.nitems + 1);
	P.items_cap = (int32_t)cap;
	struct por_item *it = &P.items[P.nitems];
	*it = (struct por_item){ .lo = f->lo, .hi = f->hi, .low = f->low };
	memcpy(it->sigma, f->sigma, sizeof(it->sigma));
	e->pending = 1;
	e->sum = (uint32_t)P.nitems++;
	return it;
}

/*
 * summary_done - the state of frame @d (entry @e) is explored: store its
 * summary, or keep it pending while its component's root is on the path
 * (step 3 above).
 */
static void summary_done(int d, struct sf_entry *e)
{
	struct sf_frame *f = &S.frames[d];
	uint32_t id = sf_sum_intern(d);
	if (f->low < d) {
		sf_item_open(d, e)->sum = id;
		return;
	}
	/* stored summaries are canonical (symmetry: sum_map) */
	for (int32_t k = f->item_base; k < P.nitems; k++) {
		struct sf_entry *m = tab_find(P.items[k].lo, P.items[k].hi);
		PVM_BUG_ON(!m);
		m->pending = 0;
		m->sum = sf_sum_map(id, P.items[k].sigma, false);
	}
	P.nitems = f->item_base;
	e->pending = 0;
	e->sum = sf_sum_map(id, f->sigma, false);
}

static void frame_leave(void)
{
	struct sf_frame *f = &S.frames[S.sp];
	struct sf_entry *e = frame_entry(f);
	PVM_BUG_ON(!e);
	if (e->height != SF_INF && f->height > e->height)
		e->height = f->height;	/* a cycle below stays known */
	e->onstack = 0;
	if (S.fair == SF_FAIR_ANALYSE)
		sf_fair_leave(S.sp, e);
	else if (P.on)
		summary_done(S.sp, e);
	S.top = f->snap;
	S.sp--;
	if (S.sp >= 0) {
		struct sf_frame *p = &S.frames[S.sp];
		uint16_t h = hplus1(f->height);
		if (h > p->height)
			p->height = h;
		if (S.fair == SF_FAIR_ANALYSE)
			sf_fair_join(S.sp);
		if (P.on) {
			uint64_t *pr = sf_row(S.sp);
			const uint64_t *cr = sf_row(S.sp + 1);
			for (int k = 0; k < P.words; k++)
				pr[k] |= cr[k];
			if (f->low < p->low)
				p->low = f->low;
		}
		transition_done(p);
	}
}

static bool would_preempt_sf(const struct sf_frame *f, int t)
{
	return f->prev >= 0 && t != f->prev && (f->en & TSET_BIT(f->prev));
}

static void check_budget(void)
{
	const struct explore_opts *o = S.opts;
	struct explore_result *r = S.res;
	if (o->max_executions && r->executions >= o->max_executions) {
		sf_cut("max-executions");
		S.stop = true;
	}
	if (o->interrupt && *o->interrupt) {
		sf_cut("interrupted");
		S.stop = true;
	}
	if ((r->transitions & 4095) == 0) {
		/*
		 * The POR's summaries grow with the states, beside the table:
		 * both are what --state-memory caps, so a search whose summaries
		 * outgrow the cap ends incomplete instead of taking the machine.
		 */
		if (S.cap * sizeof(*S.tab) + sf_por_bytes() > S.mem) {
			sf_cut("state-memory");
			S.stop = true;
		}
		double s = sched_seconds();
		if (o->timeout > 0 && s >= o->timeout) {
			sf_cut("timeout");
			S.stop = true;
		}
		if (o->progress && s >= S.next_check) {
			S.next_check = s + 0.5;
			o->progress(o->progress_arg, r->states, s);
		}
	}
}

/* Push the state in memory (depth @d, saved at the arena top, @len bytes). */
static void push(int d, struct sf_entry *e, size_t len, tset_t sleep,
		 const struct op *sleep_op, tset_t mask, int prev, int preempt, bool fresh,
		 const int8_t *sigma)
{
	struct sf_frame *f = &S.frames[d];
	uint64_t lo = e->lo, hi = e->hi;
	f->ent = e;
	f->ent_gen = S.tab_gen;
	memcpy(f->sigma, sigma, sizeof(f->sigma));
	f->snap = S.top;
	f->lo = lo;
	f->hi = hi;
	S.top += len;
	if (S.top > S.peak_top)
		S.peak_top = S.top;
	S.sp = d;
	frame_enter(d, sleep, sleep_op, mask, prev, preempt, fresh);
}

uint64_t sf_pre_key(int prev, int preempt)
{
	if (S.opts->preemption_bound < 0)
		return 0;
	return ((uint64_t)(uint32_t)(prev + 1) << 32) | (uint32_t)preempt;
}

/* Explore from the state in memory (the root); Return: -1 if unsupported. */
static int search(void)
{
	uint64_t lo, hi;
	size_t len;
	int rc = save(sf_pre_key(0, 0), &lo, &hi);
	if (rc == -1)
		return -1;
	if (rc == -2) {
		sf_cut("state-memory");
		return 0;
	}
	struct sf_entry *e = tab_insert(lo, hi);
	if (!e) {
		sf_cut("state-memory");
		return 0;
	}
	len = snap_commit();
	S.res->states++;
	e->onstack = 1;
	int8_t csig[MAXT];	/* the renaming of the state save() stored last */
	for (int t = 0; t < MAXT; t++)
		csig[t] = (int8_t)S.sigma[t];
	push(0, e, len, 0, NULL, TSET_ALL, 0, 0, true, csig);
	struct op child_ops[MAXT];

	while (S.sp >= 0 && !S.stop) {
		struct sf_frame *f = &S.frames[S.sp];
		int d = S.sp, t = -1, v = 0;
		if (f->choice_t >= 0) {
			if (f->next_value < f->nchoices) {
				t = f->choice_t;
				v = f->next_value++;
			}
		} else {
			while (f->todo) {
				int q = sf_first(f->todo);
				f->todo &= ~TSET_BIT(q);
				int bound = S.opts->preemption_bound;
				if (bound >= 0 && f->preempt + (would_preempt_sf(f, q) ? 1 : 0) > bound) {
					sf_cut("preemption-bound");
					continue;
				}
				t = q;
				break;
			}
		}
		if (t < 0) {
			frame_leave();
			continue;
		}
		if (!f->first)
			restore(f->snap, d);
		f->first = false;
		struct op pop = sched_pending_op(t);
		if (f->choice_t < 0 && pop.kind == VIS_KIND_SPAWN && pop.value < MAXT)
			sched_scrub_stack(pop.value, SF_SCRUB, true);
		sched_scrub_stack(t, SF_SCRUB, false);
		int pre = f->preempt + (f->choice_t < 0 && would_preempt_sf(f, t) ? 1 : 0);
		sched_step(t, v, pre);
		S.res->transitions++;
		if (sched_take_limit()) {
			/* a limit of the checker: the search ends, incomplete */
			S.stop = true;
			break;
		}
		f->cur = t;
		f->picked |= TSET_BIT(t);
		f->cur_op = E.ev[d].op;
		check_budget();
		if (sched_finding() || sched_after_step()) {
			found(false);
			/*
			 * The execution stops here, so races with what would have
			 * followed are never seen; searching on (keep_going), make
			 * up for them by exploring every thread along the path.
			 */
			if (P.on && (S.opts->keep_going || S.opts->all_findings))
				sf_expand_path(d);
			if (f->height < 1)
				f->height = 1;
			transition_done(f);
			continue;
		}
		/* the sleep set after this transition (none under no_sleep) */
		tset_t cs = 0;
		for (int q = 0; q < MAXT && !S.opts->no_sleep; q++) {
			if (!(f->sleep & TSET_BIT(q)))
				continue;
			if (f->choice_t >= 0 || !op_dependent(&f->sleep_op[q], &f->cur_op)) {
				cs |= TSET_BIT(q);
				child_ops[q] = f->sleep_op[q];
			}
		}
		rc = save(sf_pre_key(t, pre), &lo, &hi);
		if (rc) {
			sf_cut("state-memory");
			break;
		}
		for (int k = 0; k < MAXT; k++)	/* witness() below saves again */
			csig[k] = (int8_t)S.sigma[k];
		bool fresh;
		e = tab_lookup(lo, hi, &fresh);
		if (!e) {
			sf_cut("state-memory");
			break;
		}
		if (fresh) {
			S.res->states++;
			e->onstack = 1;
			/*
			 * A pending choice passes its sleep set down unchanged, so
			 * it is stored like any other: a revisit with fewer threads
			 * asleep must wake them (storing 0 here lost states).
			 */
			e->sleep = sf_sym_mask(cs, csig, false);
			e->height = 0;
			len = snap_commit();
			push(d + 1, e, len, cs, child_ops, TSET_ALL, t, pre, true, csig);
			continue;
		}
		S.res->revisits++;
		if (e->onstack) {
			int c = d;
			while (c >= 0 && (S.frames[c].lo != lo || S.frames[c].hi != hi))
				c--;
			PVM_BUG_ON(c < 0);
			if (S.fair == SF_FAIR_ANALYSE) {
				/* an edge inside the component of frame c */
				f->fair_step |= TSET_BIT(t);
				if (c < f->low)
					f->low = c;
				transition_done(f);
				continue;
			}
			if (P.on) {
				if (c < f->low)
					f->low = c;
				sf_expand_path(d);
			}
			if (S.fair == SF_FAIR_DECIDE && !sf_fair_state(lo, hi)) {
				/* a cycle of a component that starves a thread: no finding */
				transition_done(f);
				continue;
			}
			cycle_found(c, d, csig);
			f->height = SF_INF;
			transition_done(f);
			continue;
		}
		if (S.fair == SF_FAIR_ANALYSE) {
			if (e->pending) {	/* a finished state of an open component */
				f->fair_step |= TSET_BIT(t);
				if (P.items[e->sum].low < f->low)
					f->low = P.items[e->sum].low;
			}
			transition_done(f);	/* no sleep sets: nothing to wake */
			continue;
		}
		uint32_t sum = 0;	/* its summary, in this path's thread ids */
		if (P.on) {
			if (e->pending) {
				const struct por_item *it = &P.items[e->sum];
				if (it->low < f->low)
					f->low = it->low;
				sum = sf_sum_map(sf_sum_map(it->sum, it->sigma, false), csig, true);
				sf_sum_merge(d, sum);
				sf_expand_path(d);
			} else {
				sum = sf_sum_map(e->sum, csig, true);
				sf_races_summary(sum, d + 1);
				sf_sum_merge(d, sum);
			}
		}
		/*
		 * Past the bound: a path below reaches beyond step_bound steps,
		 * so a thread is still live at the bound's step (one whose end is
		 * exactly that step is a complete execution).
		 */
		if (e->height != SF_INF && d + 1 + e->height > S.step_bound) {
			size_t keep = S.top;
			snap_commit();	/* witness() saves other states above it */
			if (!witness(d + 1, e->height))
				sf_cut("step-bound");
			S.top = keep;
			if (S.stop)
				break;
			restore(keep, d + 1);
			S.written = true;	/* the state in memory again, at the top */
		} else if (e->height == SF_INF) {
			sf_cut("step-bound");
		} else if (S.depth && d + 1 + e->height >= S.depth) {
			sf_cut("depth");
		}
		tset_t csc = sf_sym_mask(cs, csig, false);
		tset_t wake = sf_sym_mask(e->sleep & ~csc, csig, true);
		if (!wake) {
			uint16_t h = hplus1(e->height);
			if (h > f->height)
				f->height = h;
			transition_done(f);
			continue;
		}
		/* Godefroid: explore what slept then and is awake now */
		e->sleep &= csc;
		e->onstack = 1;
		int32_t low = e->pending ? P.items[e->sum].low : d + 1;
		len = snap_commit();
		push(d + 1, e, len, cs, child_ops, wake, t, pre, false, csig);
		if (P.on) {
			sf_sum_merge(d + 1, sum);
			/* still in its open component: it reaches that path state */
			if (low < S.frames[d + 1].low)
				S.frames[d + 1].low = low;
		}
	}
	return 0;
}

/*
 * sf_pass - one search of @prog under @opts into @res, @fair its part in
 * the fairness check (SF_FAIR_*, stateful_fair.c).
 * Return: 0, or -1 if the program does not describe its state.
 */
static int sf_pass(const struct program *prog, const struct explore_opts *opts,
		   struct explore_result *res, int fair)
{
	if (!prog->state_regions)
		return -1;
	memset(&S, 0, sizeof(S));
	S.fair = fair;
	S.prog = prog;
	S.opts = opts;
	S.res = res;
	S.step_bound = opts->step_bound > 0 && opts->step_bound < MAXEV ? opts->step_bound : MAXEV;
	S.depth = opts->depth_bound > 0 && opts->depth_bound < S.step_bound ? opts->depth_bound : 0;
	size_t mem = opts->state_memory ? opts->state_memory : SF_DEFAULT_MEM;
	S.mem = mem;
	S.max_cap = 1;
	while (S.max_cap * 2 * sizeof(struct sf_entry) <= mem)
		S.max_cap *= 2;
	S.cap = S.max_cap < ((size_t)1 << 16) ? S.max_cap : ((size_t)1 << 16);
	S.tab = map_table(S.cap * sizeof(*S.tab));
	S.arena = map_zero(SF_ARENA);
	if (!S.tab || !S.arena)
		pvm_bug("stateful mode: cannot map the state tables", __FILE__, __LINE__, __func__);
	S.sp = -1;
	for (int t = 0; t < MAXT; t++)
		S.sigma[t] = S.order[t] = t;
	if (opts->random_order) {	/* a Fisher-Yates shuffle from the seed */
		sched_rng_seed(opts->random_order);
		for (int t = MAXT - 1; t > 0; t--) {
			int k = (int)(sched_rng_next() % (uint64_t)(t + 1)), x = S.order[t];
			S.order[t] = S.order[k];
			S.order[k] = x;
		}
	}
	S.canon = prog->canon_state && prog->thread_key;
	S.sym = opts->symmetry && S.canon && prog->thread_class;
	/* DPOR is not complete under a depth or preemption bound: full search */
	sf_por_init(!opts->no_por && opts->preemption_bound < 0 && S.depth == 0);
	if (S.sym)
		sf_sym_ranges();
	uint64_t random_exec = res->executions;
	res->executions = 0;
	res->stateful = true;

	sched_scrub_stack(0, SF_SCRUB, true);
	sched_start(&stateful_strategy);
	int rc = 0;
	if (sched_take_limit())
		;
	else if (sched_finding())
		found(false);
	else
		rc = search();
	if (rc == 0) {
		res->states = S.count;
		res->por_bytes = sf_por_bytes();	/* its tables only grow: the peak */
		res->state_bytes = S.cap * sizeof(*S.tab) + S.peak_top + res->por_bytes;
	} else {
		res->stateful = false;
		res->executions = random_exec;
	}
	munmap(S.tab, S.cap * sizeof(*S.tab));
	munmap(S.arena, SF_ARENA);
	free(S.cbuf);
	S.cbuf = NULL;
	sf_por_free();
	S.tab = NULL;
	S.arena = NULL;
	return rc;
}

/**
 * stateful_run - explore @prog by explicit-state search (see the top); a
 * cycle the search meets is a no-progress finding only if the state graph
 * has a weakly fair one (stateful_fair.c).
 * Return: 0, or -1 if the program does not describe its state (the caller
 * then explores statelessly).
 */
int stateful_run(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res)
{
	struct explore_result in = *res;	/* what the random phase left */
	int rc = sf_pass(prog, opts, res, SF_FAIR_NONE);
	/*
	 * With every finding wanted, or a depth bound (a cut path is no
	 * cycle), the cycles stay findings as met: the fairness check would
	 * need every finding of the whole graph.
	 */
	if (rc || !S.cycle_hit || opts->keep_going || opts->all_findings || S.depth)
		return rc;
	static struct explore_opts whole;	/* E.opts may keep pointing at it */
	whole = *opts;
	whole.no_por = whole.no_sleep = true;
	whole.symmetry = false;
	struct explore_opts analyse = whole;
	analyse.keep_going = true;
	struct explore_result scratch = { .complete = true };
	struct explore_result *mine = E.res;
	E.res = &scratch;
	sf_pass(prog, &analyse, &scratch, SF_FAIR_ANALYSE);
	E.res = mine;
	uint64_t analysed = scratch.states;
	bool decided = scratch.complete;	/* not cut by memory, time or a limit */
	explore_result_free(&scratch);
	if (!decided) {
		sf_fair_free();
		return 0;	/* not judged: the cycle met stands */
	}
	bool fair = sf_fair_count() > 0;
	explore_result_free(res);
	*res = in;
	rc = sf_pass(prog, fair ? &whole : opts, res, SF_FAIR_DECIDE);
	res->fair_states = analysed;
	res->fair_cycle = fair;
	sf_fair_free();
	return rc;
}

