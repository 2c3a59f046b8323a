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
 * that replays it.
 *
 * Visited states are identified by a 128-bit XXH3 hash of the snapshot
 * (a false merge needs a 128-bit collision).  Uninitialised stack slots
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
#include "check/sched.h"
#include "check/stateful.h"
#include "lib/bug.h"

#define SF_SCRUB	4096			/* stack bytes zeroed below sp before a step */
#define SF_MAX_REGIONS	(64 + 6 * MAXT)	/* runc: 5 per thread (load.c) */
#define SF_ARENA	((size_t)8 << 30)	/* virtual size of the path's snapshots */
#define SF_DEFAULT_MEM	((size_t)4 << 30)	/* default cap of the visited table */
#define SF_INF		0x3FFF			/* height: a cycle lies below */

/* One stored state (32 bytes). */
struct sf_entry {
	uint64_t lo, hi;	/* 128-bit hash; 0/0 is an empty slot */
	tset_t sleep;		/* threads asleep when it was (last) explored */
	uint32_t sum;		/* POR: summary id, or pending-item index if pending */
	uint16_t height : 14;	/* longest explored path below it */
	uint16_t onstack : 1;	/* on the current path */
	uint16_t pending : 1;	/* POR: in a strongly connected component still open */
};

_Static_assert(sizeof(struct sf_entry) == 32, "visited entries stay at 32 bytes");

/* A snapshot in the arena. */
struct sf_hdr {
	uint64_t len;		/* total bytes, this header included */
	uint64_t hash_len;	/* bytes after the header that are hashed */
	uint32_t nregions;
	uint32_t eng_off;	/* offset of the engine part from the header */
};

/* One level of the current path. */
struct sf_frame {
	size_t snap;		/* arena offset of this state's snapshot */
	uint64_t lo, hi;	/* its hash */
	tset_t en;		/* enabled threads */
	tset_t todo;		/* threads still to explore from here */
	tset_t sleep;
	int choice_t;		/* thread at a pending choice, or -1 */
	int nchoices, next_value;
	int cur;		/* the transition being explored */
	struct op cur_op;	/* what it executed */
	int prev, preempt;	/* preemption bound bookkeeping */
	uint16_t height;
	bool first;		/* memory still holds this state */
	tset_t picked;	/* threads whose transition from here was started */
	tset_t bt;		/* POR: threads asked for here (asleep ones included) */
	struct op sleep_op[MAXT];
	/* POR: the event of the transition being explored, and the path's past */
	uint32_t clock[MAXT];	/* its vector clock */
	uint32_t tidx;		/* its index within its thread */
	int32_t ob;		/* its object index, or -1 */
	int32_t prev_wr, prev_rd;	/* earlier write / read of the object (chains) */
	int32_t sv_last, sv_spawn, sv_wr, sv_rd;	/* undo of the path tables */
	bool pushed;		/* the event is in the path tables */
	int32_t low;		/* Tarjan low link: shallowest path state it reaches */
	int32_t item_base;	/* pending items when it was entered */
	int8_t sigma[MAXT];	/* symmetry: the renaming its state was stored under */
};

static struct sf {
	const struct program *prog;
	const struct explore_opts *opts;
	struct explore_result *res;

	char *arena;
	size_t top, peak_top;

	struct sf_entry *tab;
	size_t cap, count, max_cap;

	struct sf_frame frames[MAXEV + 2];
	int sp;

	int step_bound, depth;
	bool stop;
	double next_check;

	/* canonical forms (program.canon_state) and symmetry (--symmetry) */
	bool canon, sym;
	int nr;			/* memory that names a classed thread (3 below) */
	struct sym_range {
		uintptr_t lo, hi;
		uint64_t tag;
		int tid, cls;
	} r[3 * MAXT];
	uintptr_t rmin, rmax;
	char *cbuf;		/* the canonical form of the state being saved */
	size_t ccap;
	int sigma[MAXT];	/* its renaming: thread t is canonical thread sigma[t] */
} S;

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

/* Double the table; Return: false when at the memory cap. */
static bool tab_grow(void)
{
	size_t ncap = S.cap * 2;
	if (ncap > S.max_cap)
		return false;
	struct sf_entry *n = map_zero(ncap * sizeof(*n));
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
	return true;
}

static struct sf_entry *tab_find(uint64_t lo, uint64_t hi)
{
	struct sf_entry *e = tab_slot(S.tab, S.cap, lo, hi);
	return e->lo || e->hi ? e : NULL;
}

/* Insert a new state; Return: its entry, or NULL when the table is full. */
static struct sf_entry *tab_insert(uint64_t lo, uint64_t hi)
{
	if ((S.count + 1) * 10 > S.cap * 7 && !tab_grow())
		return NULL;
	struct sf_entry *e = tab_slot(S.tab, S.cap, lo, hi);
	e->lo = lo;
	e->hi = hi;
	S.count++;
	return e;
}

/* ==== Snapshots ========================================================= */

static void cut(const char *why)
{
	struct explore_result *r = S.res;
	r->complete = false;
	if (!r->cut_by)
		r->cut_by = why;
}

/* ==== Symmetry ===========================================================
 *
 * With --symmetry, threads the program declares identical (same code, same
 * arguments: program.thread_class) are interchangeable: a state and the
 * state with two of them swapped have the same futures up to the swap, so
 * one stands for both (Emerson and Sistla; Ip and Dill).  A state is then
 * stored under the hash of a canonical form instead of its bytes:
 *
 *  1. Each classed thread gets a key: the hash of its record and stack
 *     (pointers into stacks relocated, see 3) and of its own part of the
 *     program state.  Within a class, threads are ranked by key (ties by
 *     id) and renamed: the k-th ranked gets the k-th smallest id of the
 *     class.  That renaming is sigma.
 *  2. The canonical form is the program state renamed by sigma (the
 *     program rewrites the thread ids it stores: program.canon_state), the
 *     threads' records and stacks in renamed order with join targets and
 *     lock owners renamed, and the preemption bookkeeping renamed.
 *  3. A word that points into the stack of a classed thread u becomes
 *     (tag, sigma[u], distance from the top): stacks live at fixed
 *     addresses per thread id, so the same frames of two threads differ
 *     in their self-pointers only.  Likewise a pointer into the engine's
 *     record of u, or into u's record in the program state
 *     (program.thread_record, e.g. the model's mdl_current()), which
 *     canon_state moves to sigma[u].  An integer that happens to equal
 *     such an address is rewritten too; a wrong merge needs one that
 *     equals a stack address in one state and the matching address of the
 *     renamed thread in the other.
 *  4. Two states with the same canonical form are renamings of each other,
 *     so exploring one covers the other.  The stored sleep set is kept in
 *     canonical names and mapped through sigma both ways; a cycle met
 *     through a renaming is still an infinite execution (repeat the
 *     renaming).  The reported traces are real executions: only identity
 *     of stored states changes.
 *
 * A poor ranking (equal keys) costs merges, never soundness.  The POR
 * summaries name threads and objects, so a stored state keeps its summary
 * renamed to canonical names (sum_map()) and a revisit through another
 * renaming replays it under that renaming; pending states of an open
 * component keep the renaming they were met with.
 *
 * A program with canon_state is always hashed through it (no classes, the
 * identity renaming, when --symmetry is off): the program may leave out of
 * its canonical form what it never reads for a decision (the model: ghost
 * holders' order and age), which merges more states.
 */
#define SYM_TAG		((uint64_t)0x5359 << 48)	/* into a stack */
#define SYM_TAG_REC	((uint64_t)0x5352 << 48)	/* into a thread record */
#define SYM_TAG_ENG	((uint64_t)0x5345 << 48)	/* into the engine's record */

/*
 * sym_ranges - the memory that names each classed thread (3): its stack,
 * the engine's record of it, its record in the program state.  A thread's
 * class and these addresses depend on its id only, so they are listed once.
 */
static void sym_ranges(void)
{
	const struct program *pg = S.prog;
	S.nr = 0;
	S.rmin = UINTPTR_MAX;
	S.rmax = 0;
	for (int u = 0; u < MAXT; u++) {
		int c = pg->thread_class(pg->ctx, u);
		if (!c)
			continue;
		for (int rec = 0; rec < 3; rec++) {
			struct sym_range *r = &S.r[S.nr];
			if (rec < 2) {
				sched_thread_range(u, rec, &r->lo, &r->hi);
				r->tag = rec ? SYM_TAG_ENG : SYM_TAG;
			} else if (pg->thread_record) {
				pg->thread_record(pg->ctx, u, &r->lo, &r->hi);
				r->tag = SYM_TAG_REC;
			} else {
				continue;
			}
			r->tid = u;
			r->cls = c;
			if (r->lo < S.rmin)
				S.rmin = r->lo;
			if (r->hi > S.rmax)
				S.rmax = r->hi;
			S.nr++;
		}
	}
}

/* A word that names a classed thread, renamed by @sigma (NULL: by its class). */
static inline uint64_t sym_word(uint64_t v, const int *sigma)
{
	if (v < S.rmin || v >= S.rmax)
		return v;
	for (int i = 0; i < S.nr; i++) {
		const struct sym_range *r = &S.r[i];
		if (v < r->lo || v >= r->hi)
			continue;
		uint64_t who = sigma ? (uint64_t)sigma[r->tid] : 0x100 + (uint64_t)r->cls;
		return r->tag | who << 32 | (r->hi - v);
	}
	return v;
}

/* Rewrite the words of @buf that point into a classed thread's stack or records (3). */
static void sym_reloc(char *buf, size_t len, const int *sigma)
{
	uint64_t *w = (uint64_t *)(void *)buf;
	for (size_t k = 0; k < len / 8; k++)
		w[k] = sym_word(w[k], sigma);
}

static void sym_room(size_t need)
{
	if (need <= S.ccap)
		return;
	free(S.cbuf);
	S.ccap = need * 2;
	if (posix_memalign((void **)&S.cbuf, 64, S.ccap))
		pvm_bug("stateful mode: no memory for the canonical form", __FILE__, __LINE__,
			__func__);
}

/* Hash the canonical form of the current state (1-3); sets S.sigma. */
static void sym_hash(uint64_t extra, uint64_t *lo, uint64_t *hi)
{
	const struct program *pg = S.prog;
	int n = E.nthreads, cls[MAXT], order[MAXT];
	uint64_t key[MAXT];
	tset_t classed = 0;

	sym_room(pg->canon_size + sched_save_size() + 64);
	for (int t = 0; t < MAXT; t++) {
		S.sigma[t] = t;
		cls[t] = S.sym && t < n ? pg->thread_class(pg->ctx, t) : 0;
		if (cls[t])
			classed |= TSET_BIT(t);
	}
	for (int t = 0; t < n; t++) {
		if (!cls[t])
			continue;
		size_t l = sched_canon_thread(S.cbuf, t, cls, NULL);
		sym_reloc(S.cbuf, l, NULL);
		key[t] = XXH3_64bits(S.cbuf, l) ^ mix64(pg->thread_key(pg->ctx, t));
	}
	tset_t left = classed;
	while (left) {
		int m[MAXT], r[MAXT], k = 0, c = cls[tset_first(left)];
		for (int t = 0; t < n; t++)
			if (cls[t] == c) {
				m[k] = t;
				/* insertion sort of the ranks by (key, id) */
				int j = k++;
				while (j > 0 && key[r[j - 1]] > key[t]) {
					r[j] = r[j - 1];
					j--;
				}
				r[j] = t;
				left &= ~TSET_BIT(t);
			}
		for (int i = 0; i < k; i++)
			S.sigma[r[i]] = m[i];
	}
	for (int t = 0; t < n; t++)
		order[S.sigma[t]] = t;

	char *p = S.cbuf;
	p += pg->canon_state(pg->ctx, S.sigma, classed, p);
	while ((uintptr_t)(p - S.cbuf) & 7)
		*p++ = 0;
	if (extra) {			/* pre_key(): the previous thread is renamed */
		int prev = (int)(extra >> 32) - 1;
		if (prev >= 0 && prev < MAXT)
			extra = (uint64_t)(uint32_t)(S.sigma[prev] + 1) << 32 | (uint32_t)extra;
	}
	uint64_t hdr[2] = { (uint64_t)n, extra };
	memcpy(p, hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (int c = 0; c < n; c++)
		p += sched_canon_thread(p, order[c], cls, S.sigma);
	p += sched_canon_locks(p, S.sigma);
	if (S.sym)	/* without classes nothing names a thread to relocate */
		sym_reloc(S.cbuf, (size_t)(p - S.cbuf), S.sigma);
	XXH128_hash_t x = XXH3_128bits(S.cbuf, (size_t)(p - S.cbuf));
	*lo = x.low64 | (x.low64 == 0 && x.high64 == 0);
	*hi = x.high64;
}

/* A sleep mask in thread ids -> in canonical ids under @sg (@back: the inverse). */
static tset_t sym_mask(tset_t m, const int8_t *sg, bool back)
{
	tset_t r = 0;
	if (!S.sym)
		return m;
	for (int t = 0; t < MAXT; t++) {
		if (back) {
			if (m & TSET_BIT(sg[t]))
				r |= TSET_BIT(t);
		} else if (m & TSET_BIT(t)) {
			r |= TSET_BIT(sg[t]);
		}
	}
	return r;
}

/*
 * save - write the current state at the arena top.  @extra goes into the
 * hashed part (preemption-bound bookkeeping).  Does not advance the top.
 * Return: 0, -1 when the program cannot describe its state, -2 when the
 * arena is full.
 */
static int save(uint64_t extra, uint64_t *lo, uint64_t *hi, size_t *len)
{
	struct program_region R[SF_MAX_REGIONS];
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
	*len = (size_t)h->len;
	if (S.canon) {
		sym_hash(extra, lo, hi);
		return 0;
	}
	XXH128_hash_t x = XXH3_128bits(base + sizeof(*h), (size_t)h->hash_len);
	*lo = x.low64 | (x.low64 == 0 && x.high64 == 0);
	*hi = x.high64;
	return 0;
}

/* restore - copy the snapshot at arena offset @off back; depth @d. */
static void restore(size_t off, int d)
{
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
	if (!S.opts->keep_going && S.res->found)
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
		cut("depth");
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
	E.nev = S.step_bound;
	sched_no_progress(S.step_bound);
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
	size_t cur = S.top, len;
	uint64_t lo, hi;
	if (save(0, &lo, &hi, &len))
		return false;
	S.top += len;
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
				if (save(0, &lo, &hi, &len))
					return false;
				struct sf_entry *e = tab_find(lo, hi);
				if (e && (e->height == SF_INF || e->height + 1 >= h)) {
					cur = S.top;
					S.top += len;
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

/* ==== Partial-order reduction ============================================
 *
 * Sleep sets alone visit every reachable state.  With POR on (the default;
 * off under --no-por and under a preemption or depth bound) a fresh state
 * explores one thread first and adds others only where a race asks for
 * them: dynamic persistent sets (Flanagan and Godefroid, POPL 2005) made
 * stateful by summaries (after Yang, Chen, Gopalakrishnan and Kirby, SPIN
 * 2008):
 *
 *  1. At each fresh state, every live thread p's pending operation is
 *     checked against the path: each earlier event i on the same object
 *     that conflicts with it and does not happen before p's own last event
 *     is a race, reversed as in Source-DPOR (reverse() below: an initial of
 *     the reversal is asked for at state i unless one already is).
 *  2. A state reached again was explored under another path, so step 1 for
 *     the states below it ran against that path, not this one.  Each stored
 *     state keeps a summary: the set of (thread, object, access) of every
 *     pending operation met below it.  Reaching a stored state replays
 *     step 1 for each member of its summary against the current path, as if
 *     that operation came next.  Happens-before from events below the state
 *     is not known, so only the thread's own past orders it: more races, never
 *     fewer.
 *  3. Cycles: a state's summary is complete only once everything reachable
 *     from it is explored.  States of a strongly connected component whose
 *     root is still on the path (Tarjan's low links) are "pending"; they get
 *     the root's summary when it leaves.  Meeting a state on the path or a
 *     pending state again expands every state of the path fully: that is
 *     the cycle proviso (no transition is ignored around a cycle) and covers
 *     the races the incomplete summary would have named.
 *
 * Summaries are sets over interned operation keys, hash-consed: a stored
 * state holds a 32-bit id.
 */

struct por_key {
	const void *obj;
	int16_t tid;
	uint8_t acc;
};

struct por_item {		/* a pending state (Tarjan's stack) */
	uint64_t lo, hi;
	int32_t low;
	uint32_t sum;		/* summary so far, in thread ids of the path */
	int8_t sigma[MAXT];	/* symmetry: its renaming on the path */
};

/*
 * An open-addressing table of ids (-1: an empty slot).  The ids name
 * entries of arrays kept by the caller, which also says how an id hashes
 * and whether it names a key: objects, operation keys and summaries are
 * all interned through it.
 */
struct itab {
	int32_t *slot;
	size_t cap;
};

typedef uint64_t (*itab_hash_fn)(int32_t id);
typedef bool (*itab_eq_fn)(int32_t id, const void *key);

/*
 * itab_lookup - the id whose key equals @key (hash @h), or -1; then *@at is
 * the slot to insert it at.  The table is first grown, rehashing ids
 * @first..@n-1, so that one more id fits at load 1/2.
 */
static int32_t itab_lookup(struct itab *t, uint64_t h, const void *key, itab_eq_fn eq,
			   int32_t first, int32_t n, itab_hash_fn hash, size_t *at)
{
	if ((size_t)(n + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 256;
		int32_t *ns = malloc(ncap * sizeof(*ns));
		if (!ns)
			pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
		memset(ns, 0xff, ncap * sizeof(*ns));
		for (int32_t id = first; id < n; id++) {
			size_t i = hash(id) & (ncap - 1);
			while (ns[i] >= 0)
				i = (i + 1) & (ncap - 1);
			ns[i] = id;
		}
		free(t->slot);
		t->slot = ns;
		t->cap = ncap;
	}
	size_t i = h & (t->cap - 1);
	for (; t->slot[i] >= 0; i = (i + 1) & (t->cap - 1))
		if (eq(t->slot[i], key))
			return t->slot[i];
	*at = i;
	return -1;
}

static struct por {
	bool on;
	/* objects: index -> address, and the path's last write / reads on each */
	const void **objs;
	struct por_head {
		int32_t wr, rd;	/* path levels, or -1 */
	} *heads;
	size_t objs_cap, heads_cap;
	int nobj;
	struct itab otab;
	/* operation keys: (object, thread, access) -> id */
	struct por_key *keys;
	size_t keys_cap;
	struct itab ktab;
	int nkeys;
	/* the path, per thread: last event, spawn event, events so far */
	int32_t tlast[MAXT], tspawn[MAXT];
	uint32_t tcount[MAXT];
	/* summaries: one bit row per path level, and the hash-consed sets */
	uint64_t *rows;
	int words;
	uint64_t *pool;
	size_t npool, pool_cap;
	uint32_t *set_off, *set_len;
	size_t off_cap, len_cap;
	uint32_t nsets;
	struct itab stab;
	struct por_item *items;
	int32_t nitems, items_cap;
} P;

static void *por_grow(void *p, size_t *cap, size_t elem, size_t need)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(p, n * elem);
	if (!q)
		pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
	*cap = n;
	return q;
}

static uint64_t obj_hash(int32_t id)
{
	return mix64((uintptr_t)P.objs[id]);
}

static bool obj_eq(int32_t id, const void *key)
{
	return P.objs[id] == key;
}

/* Index of object @obj (interned on first sight). */
static int32_t por_obj(const void *obj)
{
	size_t at;
	int32_t id = itab_lookup(&P.otab, mix64((uintptr_t)obj), obj, obj_eq, 0, P.nobj,
				 obj_hash, &at);
	if (id >= 0)
		return id;
	id = P.nobj++;
	P.objs = por_grow(P.objs, &P.objs_cap, sizeof(*P.objs), (size_t)P.nobj);
	P.heads = por_grow(P.heads, &P.heads_cap, sizeof(*P.heads), (size_t)P.nobj);
	P.objs[id] = obj;
	P.heads[id] = (struct por_head){ -1, -1 };
	P.otab.slot[at] = id;
	return id;
}

static uint64_t key_hash_of(const struct por_key *k)
{
	return mix64((uintptr_t)k->obj ^ ((uint64_t)(uint16_t)k->tid << 48) ^
		     ((uint64_t)k->acc << 56));
}

static uint64_t key_hash(int32_t id)
{
	return key_hash_of(&P.keys[id]);
}

static bool key_eq(int32_t id, const void *key)
{
	const struct por_key *a = &P.keys[id], *b = key;
	return a->obj == b->obj && a->tid == b->tid && a->acc == b->acc;
}

/* Id of operation key (@obj, @tid, @acc); widens the summary rows. */
static int32_t por_key(const void *obj, int tid, int acc)
{
	struct por_key k = { obj, (int16_t)tid, (uint8_t)acc };
	size_t at;
	int32_t id = itab_lookup(&P.ktab, key_hash_of(&k), &k, key_eq, 0, P.nkeys, key_hash,
				 &at);
	if (id >= 0)
		return id;
	id = P.nkeys++;
	P.keys = por_grow(P.keys, &P.keys_cap, sizeof(*P.keys), (size_t)P.nkeys);
	P.keys[id] = k;
	P.ktab.slot[at] = id;
	if (id >= P.words * 64) {	/* widen every row of the path */
		int nw = P.words * 2;
		uint64_t *nr = calloc((size_t)(MAXEV + 2) * (size_t)nw, sizeof(*nr));
		if (!nr)
			pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
		for (int d = 0; d < MAXEV + 2; d++)
			memcpy(nr + (size_t)d * (size_t)nw, P.rows + (size_t)d * (size_t)P.words,
			       (size_t)P.words * sizeof(*nr));
		free(P.rows);
		P.rows = nr;
		P.words = nw;
	}
	return id;
}

static uint64_t *row(int d)
{
	return P.rows + (size_t)d * (size_t)P.words;
}

/* A row trimmed of its trailing zero words (the key of a summary). */
struct sum_key {
	const uint64_t *w;
	uint32_t n;
};

static uint64_t sum_hash(int32_t id)
{
	return XXH3_64bits(P.pool + P.set_off[id], P.set_len[id] * sizeof(uint64_t));
}

static bool sum_eq(int32_t id, const void *key)
{
	const struct sum_key *k = key;
	return P.set_len[id] == k->n &&
	       !memcmp(P.pool + P.set_off[id], k->w, k->n * sizeof(uint64_t));
}

/* Summary id of the set in @w (P.words long; hash-consed; id 0 is the empty set). */
static uint32_t sum_intern_set(const uint64_t *w)
{
	struct sum_key k = { w, (uint32_t)P.words };
	while (k.n && !k.w[k.n - 1])
		k.n--;
	if (!k.n)
		return 0;
	size_t at;
	int32_t id = itab_lookup(&P.stab, XXH3_64bits(k.w, k.n * sizeof(uint64_t)), &k, sum_eq,
				 1, (int32_t)P.nsets, sum_hash, &at);
	if (id >= 0)
		return (uint32_t)id;
	id = (int32_t)P.nsets++;
	P.set_off = por_grow(P.set_off, &P.off_cap, sizeof(uint32_t), P.nsets);
	P.set_len = por_grow(P.set_len, &P.len_cap, sizeof(uint32_t), P.nsets);
	P.pool = por_grow(P.pool, &P.pool_cap, sizeof(uint64_t), P.npool + k.n);
	P.set_off[id] = (uint32_t)P.npool;
	P.set_len[id] = k.n;
	memcpy(P.pool + P.npool, k.w, k.n * sizeof(uint64_t));
	P.npool += k.n;
	P.stab.slot[at] = id;
	return (uint32_t)id;
}

static uint32_t sum_intern(int d)
{
	return sum_intern_set(row(d));
}

/* Row @d |= summary @id. */
static void sum_merge(int d, uint32_t id)
{
	uint64_t *r = row(d);
	const uint64_t *s = P.pool + P.set_off[id];
	for (uint32_t k = 0; k < P.set_len[id]; k++)
		r[k] |= s[k];
}

/*
 * sym_obj - an object as a stored summary names it: a pointer into memory
 * that names a classed thread is renamed by @sg, like a word of the state
 * (3 in the symmetry comment); @back decodes such a name under @sg.
 */
static const void *sym_obj(const void *obj, const int *sg, bool back)
{
	uint64_t v = (uintptr_t)obj;
	if (!back)
		return (const void *)(uintptr_t)sym_word(v, sg);
	uint64_t tag = v & ((uint64_t)0xFFFF << 48);
	if (tag != SYM_TAG && tag != SYM_TAG_ENG && tag != SYM_TAG_REC)
		return obj;
	int who = (int)((v >> 32) & 0xFFFF);
	for (int i = 0; i < S.nr; i++) {
		const struct sym_range *r = &S.r[i];
		if (r->tag == tag && sg[r->tid] == who)
			return (const void *)(r->hi - (v & 0xFFFFFFFF));
	}
	PVM_BUG();	/* a name no classed thread has */
}

/*
 * sum_map - summary @id in thread ids under renaming @sg -> in canonical
 * ids (@back: the other way).  Stored states keep canonical summaries: a
 * state reached again through another renaming replays its summary with
 * the threads and objects it names there.
 */
static uint32_t sum_map(uint32_t id, const int8_t *sg, bool back)
{
	static int32_t *ks;
	static size_t kcap;
	static uint64_t *set;
	static size_t scap;
	size_t nk = 0;
	int sig[MAXT], inv[MAXT];

	if (!S.sym || id == 0)
		return id;
	for (int t = 0; t < MAXT; t++) {
		sig[t] = sg[t];
		inv[sg[t]] = t;
	}
	for (uint32_t w = 0; w < P.set_len[id]; w++) {
		for (uint64_t b = P.pool[P.set_off[id] + w]; b; b &= b - 1) {
			struct por_key k = P.keys[w * 64 + (uint32_t)__builtin_ctzll(b)];
			int tid = k.tid >= 0 && k.tid < MAXT ? (back ? inv[k.tid] : sig[k.tid]) : k.tid;
			ks = por_grow(ks, &kcap, sizeof(*ks), nk + 1);
			ks[nk++] = por_key(sym_obj(k.obj, sig, back), tid, k.acc);
		}
	}
	set = por_grow(set, &scap, sizeof(*set), (size_t)P.words);
	memset(set, 0, (size_t)P.words * sizeof(*set));
	for (size_t i = 0; i < nk; i++)
		set[ks[i] >> 6] |= 1ULL << (ks[i] & 63);
	return sum_intern_set(set);
}

static void por_init(bool on)
{
	memset(&P, 0, sizeof(P));
	P.on = on;
	P.words = 1;
	P.rows = calloc(MAXEV + 2, sizeof(uint64_t));
	if (!P.rows)
		pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
	P.nsets = 1;		/* id 0: the empty set */
	P.set_off = por_grow(NULL, &P.off_cap, sizeof(uint32_t), 1024);
	P.set_len = por_grow(NULL, &P.len_cap, sizeof(uint32_t), 1024);
	P.set_off[0] = 0;
	P.set_len[0] = 0;
	for (int t = 0; t < MAXT; t++)
		P.tlast[t] = P.tspawn[t] = -1;
}

static void por_free(void)
{
	free(P.objs);
	free(P.heads);
	free(P.otab.slot);
	free(P.keys);
	free(P.ktab.slot);
	free(P.rows);
	free(P.pool);
	free(P.set_off);
	free(P.set_len);
	free(P.stab.slot);
	free(P.items);
	memset(&P, 0, sizeof(P));
}

/* The clock of thread @t's last event on the path (or of its spawn). */
static const uint32_t *tclock(int t)
{
	static const uint32_t zero[MAXT];
	int b = P.tlast[t] >= 0 ? P.tlast[t] : P.tspawn[t];
	return b >= 0 ? S.frames[b].clock : zero;
}

static void clock_max(uint32_t *c, const uint32_t *o)
{
	for (int k = 0; k < MAXT; k++)
		if (o[k] > c[k])
			c[k] = o[k];
}

/*
 * ev_push - enter the transition of frame @d (thread f->cur, event
 * f->cur_op) into the path tables: its vector clock from its thread's last
 * event and the conflicting events before it (the last write of its object,
 * and for a write the reads since), then the heads of the chains.
 */
static void ev_push(int d)
{
	struct sf_frame *f = &S.frames[d];
	int t = f->cur;
	const struct op *op = &f->cur_op;
	memcpy(f->clock, tclock(t), sizeof(f->clock));
	f->tidx = P.tcount[t];
	f->clock[t] = f->tidx + 1;
	f->sv_last = P.tlast[t];
	P.tlast[t] = d;
	P.tcount[t]++;
	f->ob = -1;
	f->sv_spawn = -1;
	if (op->obj && op->acc != ACC_NONE) {
		int32_t ob = por_obj(op->obj);
		int32_t w = P.heads[ob].wr;
		f->ob = ob;
		f->sv_wr = w;
		f->sv_rd = P.heads[ob].rd;
		f->prev_wr = w;
		if (w >= 0)
			clock_max(f->clock, S.frames[w].clock);
		if (op->acc != ACC_READ) {	/* a commuting add counts as a write here */
			for (int32_t r = P.heads[ob].rd; r >= 0; r = S.frames[r].prev_rd)
				clock_max(f->clock, S.frames[r].clock);
			f->prev_rd = P.heads[ob].rd;	/* reads between the two writes */
			P.heads[ob].wr = d;
			P.heads[ob].rd = -1;
		} else {
			f->prev_rd = P.heads[ob].rd;
			P.heads[ob].rd = d;
		}
	}
	if (op->kind == VIS_KIND_SPAWN && op->value > 0 && op->value < MAXT) {
		f->sv_spawn = P.tspawn[op->value];
		P.tspawn[op->value] = d;
	}
	f->pushed = true;
}

/* ev_pop - undo ev_push(@d). */
static void ev_pop(int d)
{
	struct sf_frame *f = &S.frames[d];
	PVM_BUG_ON(!f->pushed);	/* every transition is pushed once, popped once */
	f->pushed = false;
	int t = f->cur;
	P.tlast[t] = f->sv_last;
	P.tcount[t]--;
	if (f->ob >= 0) {
		P.heads[f->ob].wr = f->sv_wr;
		P.heads[f->ob].rd = f->sv_rd;
	}
	if (f->cur_op.kind == VIS_KIND_SPAWN && f->cur_op.value > 0 && f->cur_op.value < MAXT)
		P.tspawn[f->cur_op.value] = f->sv_spawn;
}

/* Explore every thread enabled at frame @i (a race whose reversal is not known). */
static void bt_all(int i)
{
	struct sf_frame *f = &S.frames[i];
	if (f->choice_t >= 0)
		return;
	f->bt |= f->en;
	f->todo |= f->en & ~f->sleep & ~f->picked;
}

/* Does @c (a clock) contain the event of frame @i? */
static bool hb_thread(int i, const uint32_t *c)
{
	const struct sf_frame *f = &S.frames[i];
	return c[f->cur] > f->tidx;
}

static bool conflicts(int k, int32_t ob, int acc)
{
	const struct sf_frame *f = &S.frames[k];
	return f->ob == ob && (acc != ACC_READ || f->cur_op.acc != ACC_READ);
}

/*
 * reverse - the event of frame @i races with thread @p's pending operation
 * (object @ob, access @acc) after the path's @top events.  As in Source-DPOR
 * (Abdulla et al., POPL 2014): the reversal is v = the events after @i that
 * do not happen after it, then @p's operation; if no initial of v (a thread
 * whose first event in v has no happens-before predecessor in v) is asked
 * for at @i yet, ask for one: @p if it is, else the first.  A sleeping
 * initial is asked for but not explored: later races see it as covered
 * only for its own reversals, so they still add theirs.
 */
static void reverse(int i, int p, int32_t ob, int acc, int top)
{
	static int32_t nd[MAXEV + 2];
	int n = 0;
	tset_t init = 0, seen = 0;
	for (int j = i + 1; j < top; j++) {
		const struct sf_frame *fj = &S.frames[j];
		if (hb_thread(i, fj->clock))
			continue;
		tset_t bit = TSET_BIT(fj->cur);
		if (!(seen & bit)) {
			bool first = true;
			for (int k = 0; k < n && first; k++)
				first = !hb_thread(nd[k], fj->clock);
			if (first)
				init |= bit;
		}
		seen |= bit;
		nd[n++] = j;
	}
	bool pinit = !(seen & TSET_BIT(p));
	const uint32_t *c = tclock(p);
	for (int k = 0; k < n && pinit; k++)
		pinit = !hb_thread(nd[k], c) && !conflicts(nd[k], ob, acc);
	if (pinit)
		init |= TSET_BIT(p);
	struct sf_frame *f = &S.frames[i];
	if (f->choice_t >= 0 || !init || (init & (f->bt | f->picked)))
		return;
	int q = pinit ? p : tset_first(init);
	tset_t add = (f->en & TSET_BIT(q)) ? TSET_BIT(q) : f->en;
	f->bt |= add;
	f->todo |= add & ~f->sleep & ~f->picked;
}

/*
 * race - step 1 above for an operation of thread @p on object @obj with
 * access @acc, after the path's @top events: every earlier conflicting
 * event that does not happen before @p is reversed.  @exact: the events
 * between are on the path (a pending operation); otherwise (a summary
 * member, whose predecessors below the stored state are unknown) every
 * thread enabled at the racing state is explored.
 */
static void race(int p, const void *obj, int acc, int top, bool exact)
{
	if (!obj || acc == ACC_NONE)
		return;
	if (acc == ACC_ADD)	/* conservative: adds race with adds here */
		acc = ACC_WRITE;
	int32_t ob = por_obj(obj);
	const uint32_t *c = tclock(p);
	/*
	 * Conflicting events, latest first: for a write the reads since the
	 * last write, then that write, then the reads before it, and so on;
	 * for a read only the writes.  A write that happens before @p orders
	 * every earlier access on the object too: stop there.
	 */
	int32_t rd = P.heads[ob].rd, w = P.heads[ob].wr;
	for (;;) {
		if (acc == ACC_WRITE) {
			for (; rd >= 0; rd = S.frames[rd].prev_rd) {
				if (S.frames[rd].cur == p || hb_thread(rd, c))
					continue;
				if (exact)
					reverse(rd, p, ob, acc, top);
				else
					bt_all(rd);
			}
		}
		if (w < 0 || hb_thread(w, c))
			return;
		if (S.frames[w].cur != p) {
			if (exact)
				reverse(w, p, ob, acc, top);
			else
				bt_all(w);
		}
		rd = S.frames[w].prev_rd;
		w = S.frames[w].prev_wr;
	}
}

/* Step 1 at the fresh state on top of the path: pending ops, and row @d. */
static void races_pending(int d, tset_t live)
{
	uint64_t *r = row(d);
	for (int p = 0; p < MAXT; p++) {
		if (!(live & TSET_BIT(p)))
			continue;
		struct op op = sched_pending_op(p);
		if (!op.obj || op.acc == ACC_NONE)
			continue;
		int32_t k = por_key(op.obj, p, op.acc);
		r = row(d);		/* por_key may have widened the rows */
		r[k >> 6] |= 1ULL << (k & 63);
		race(p, op.obj, op.acc, d, true);
	}
}

/* Step 2: replay summary @id against the path's @top events. */
static void races_summary(uint32_t id, int top)
{
	const uint64_t *s = P.pool + P.set_off[id];
	for (uint32_t w = 0; w < P.set_len[id]; w++) {
		for (uint64_t b = s[w]; b; b &= b - 1) {
			const struct por_key *k = &P.keys[w * 64 + (uint32_t)__builtin_ctzll(b)];
			race(k->tid, k->obj, k->acc, top, false);
		}
	}
}

/* Step 3: every state of the path explores every enabled thread. */
static void expand_path(int d)
{
	for (int i = 0; i <= d; i++) {
		struct sf_frame *f = &S.frames[i];
		if (f->choice_t < 0)
			f->todo |= f->en & ~f->sleep & ~f->picked;
	}
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
	f->pushed = false;
	f->en = 0;
	f->low = d;
	f->item_base = P.nitems;
	if (P.on)
		memset(row(d), 0, (size_t)P.words * sizeof(uint64_t));
	if (sleep)
		memcpy(f->sleep_op, sleep_op, sizeof(f->sleep_op));
	if (d >= S.step_bound) {
		sched_steps_exceeded(S.step_bound);
		if (sched_take_limit())
			S.stop = true;	/* longer than the engine holds, within the bound asked */
		else
			found(false);
		return;
	}
	if (S.depth && d >= S.depth) {
		cut("depth");
		return;
	}
	tset_t live, en = sched_enabled(&live);
	f->en = en;
	if (P.on && fresh)
		races_pending(d, live);
	if (!live) {
		if (sched_at_exit())
			found(false);
		else
			S.res->executions++;
		return;
	}
	if (!en) {
		sched_deadlock(live);
		found(true);
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
		int q = prev >= 0 && (cand & TSET_BIT(prev)) ? prev : tset_first(cand);
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
	if (P.on)
		ev_pop((int)(f - S.frames));
	if (f->choice_t >= 0)
		return;
	f->sleep |= TSET_BIT(f->cur);
	f->sleep_op[f->cur] = f->cur_op;
}

/*
 * summary_done - the state of frame @d (entry @e) is explored: store its
 * summary, or keep it pending while its component's root is on the path
 * (step 3 above).
 */
static void summary_done(int d, struct sf_entry *e)
{
	struct sf_frame *f = &S.frames[d];
	uint32_t id = sum_intern(d);
	if (f->low < d) {
		for (int32_t k = f->item_base; k < P.nitems; k++)
			if (P.items[k].low >= d)
				P.items[k].low = f->low;
		size_t cap = (size_t)P.items_cap;
		P.items = por_grow(P.items, &cap, sizeof(*P.items), (size_t)P.nitems + 1);
		P.items_cap = (int32_t)cap;
		struct por_item *it = &P.items[P.nitems];
		*it = (struct por_item){ .lo = f->lo, .hi = f->hi, .low = f->low, .sum = id };
		memcpy(it->sigma, f->sigma, sizeof(it->sigma));
		e->pending = 1;
		e->sum = (uint32_t)P.nitems++;
		return;
	}
	/* stored summaries are canonical (symmetry: sum_map) */
	for (int32_t k = f->item_base; k < P.nitems; k++) {
		struct sf_entry *m = tab_find(P.items[k].lo, P.items[k].hi);
		PVM_BUG_ON(!m);
		m->pending = 0;
		m->sum = sum_map(id, P.items[k].sigma, false);
	}
	P.nitems = f->item_base;
	e->pending = 0;
	e->sum = sum_map(id, f->sigma, false);
}

static void frame_leave(void)
{
	struct sf_frame *f = &S.frames[S.sp];
	struct sf_entry *e = tab_find(f->lo, f->hi);
	PVM_BUG_ON(!e);
	if (e->height != SF_INF && f->height > e->height)
		e->height = f->height;	/* a cycle below stays known */
	e->onstack = 0;
	if (P.on)
		summary_done(S.sp, e);
	S.top = f->snap;
	S.sp--;
	if (S.sp >= 0) {
		struct sf_frame *p = &S.frames[S.sp];
		uint16_t h = hplus1(f->height);
		if (h > p->height)
			p->height = h;
		if (P.on) {
			uint64_t *pr = row(S.sp);
			const uint64_t *cr = row(S.sp + 1);
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
		cut("max-executions");
		S.stop = true;
	}
	if (o->interrupt && *o->interrupt) {
		cut("interrupted");
		S.stop = true;
	}
	if ((r->transitions & 4095) == 0) {
		double s = sched_seconds();
		if (o->timeout > 0 && s >= o->timeout) {
			cut("timeout");
			S.stop = true;
		}
		if (o->progress && s >= S.next_check) {
			S.next_check = s + 0.5;
			o->progress(o->progress_arg, r->states, s);
		}
	}
}

/* Push the state in memory (depth @d, saved at the arena top, @len bytes). */
static void push(int d, uint64_t lo, uint64_t hi, size_t len, tset_t sleep,
		 const struct op *sleep_op, tset_t mask, int prev, int preempt, bool fresh,
		 const int8_t *sigma)
{
	struct sf_frame *f = &S.frames[d];
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

static uint64_t pre_key(int prev, int preempt)
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
	int rc = save(pre_key(0, 0), &lo, &hi, &len);
	if (rc == -1)
		return -1;
	if (rc == -2) {
		cut("state-memory");
		return 0;
	}
	struct sf_entry *e = tab_insert(lo, hi);
	if (!e) {
		cut("state-memory");
		return 0;
	}
	S.res->states++;
	e->onstack = 1;
	int8_t csig[MAXT];	/* the renaming of the state save() stored last */
	for (int t = 0; t < MAXT; t++)
		csig[t] = (int8_t)S.sigma[t];
	push(0, lo, hi, len, 0, NULL, TSET_ALL, 0, 0, true, csig);
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
				int q = tset_first(f->todo);
				f->todo &= ~TSET_BIT(q);
				int bound = S.opts->preemption_bound;
				if (bound >= 0 && f->preempt + (would_preempt_sf(f, q) ? 1 : 0) > bound) {
					cut("preemption-bound");
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
		if (P.on)
			ev_push(d);
		check_budget();
		if (sched_finding() || sched_after_step()) {
			found(false);
			/*
			 * The execution stops here, so races with what would have
			 * followed are never seen; searching on (keep_going), make
			 * up for them by exploring every thread along the path.
			 */
			if (P.on && S.opts->keep_going)
				expand_path(d);
			if (f->height < 1)
				f->height = 1;
			transition_done(f);
			continue;
		}
		/* the sleep set after this transition */
		tset_t cs = 0;
		for (int q = 0; q < MAXT; q++) {
			if (!(f->sleep & TSET_BIT(q)))
				continue;
			if (f->choice_t >= 0 || !op_dependent(&f->sleep_op[q], &f->cur_op)) {
				cs |= TSET_BIT(q);
				child_ops[q] = f->sleep_op[q];
			}
		}
		rc = save(pre_key(t, pre), &lo, &hi, &len);
		if (rc) {
			cut("state-memory");
			break;
		}
		for (int k = 0; k < MAXT; k++)	/* witness() below saves again */
			csig[k] = (int8_t)S.sigma[k];
		e = tab_find(lo, hi);
		if (!e) {
			e = tab_insert(lo, hi);
			if (!e) {
				cut("state-memory");
				break;
			}
			S.res->states++;
			e->onstack = 1;
			/*
			 * A pending choice passes its sleep set down unchanged, so
			 * it is stored like any other: a revisit with fewer threads
			 * asleep must wake them (storing 0 here lost states).
			 */
			e->sleep = sym_mask(cs, csig, false);
			e->height = 0;
			push(d + 1, lo, hi, len, cs, child_ops, TSET_ALL, t, pre, true, csig);
			continue;
		}
		S.res->revisits++;
		if (e->onstack) {
			int c = d;
			while (c >= 0 && (S.frames[c].lo != lo || S.frames[c].hi != hi))
				c--;
			PVM_BUG_ON(c < 0);
			if (P.on) {
				if (c < f->low)
					f->low = c;
				expand_path(d);
			}
			cycle_found(c, d, csig);
			f->height = SF_INF;
			transition_done(f);
			continue;
		}
		uint32_t sum = 0;	/* its summary, in this path's thread ids */
		if (P.on) {
			if (e->pending) {
				const struct por_item *it = &P.items[e->sum];
				if (it->low < f->low)
					f->low = it->low;
				sum = sum_map(sum_map(it->sum, it->sigma, false), csig, true);
				sum_merge(d, sum);
				expand_path(d);
			} else {
				sum = sum_map(e->sum, csig, true);
				races_summary(sum, d + 1);
				sum_merge(d, sum);
			}
		}
		if (e->height != SF_INF && d + 1 + e->height >= S.step_bound) {
			size_t keep = S.top;
			if (!witness(d + 1, e->height))
				cut("step-bound");
			S.top = keep;
			if (S.stop)
				break;
			restore(keep, d + 1);
		} else if (e->height == SF_INF) {
			cut("step-bound");
		} else if (S.depth && d + 1 + e->height >= S.depth) {
			cut("depth");
		}
		tset_t csc = sym_mask(cs, csig, false);
		tset_t wake = sym_mask(e->sleep & ~csc, csig, true);
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
		push(d + 1, lo, hi, len, cs, child_ops, wake, t, pre, false, csig);
		if (P.on) {
			sum_merge(d + 1, sum);
			/* still in its open component: it reaches that path state */
			if (low < S.frames[d + 1].low)
				S.frames[d + 1].low = low;
		}
	}
	return 0;
}

/**
 * stateful_run - explore @prog by explicit-state search (see the top).
 * Return: 0, or -1 if the program does not describe its state (the caller
 * then explores statelessly).
 */
int stateful_run(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res)
{
	if (!prog->state_regions)
		return -1;
	memset(&S, 0, sizeof(S));
	S.prog = prog;
	S.opts = opts;
	S.res = res;
	S.step_bound = opts->step_bound > 0 && opts->step_bound < MAXEV ? opts->step_bound : MAXEV;
	S.depth = opts->depth_bound > 0 && opts->depth_bound < S.step_bound ? opts->depth_bound : 0;
	size_t mem = opts->state_memory ? opts->state_memory : SF_DEFAULT_MEM;
	S.max_cap = 1;
	while (S.max_cap * 2 * sizeof(struct sf_entry) <= mem)
		S.max_cap *= 2;
	S.cap = S.max_cap < ((size_t)1 << 16) ? S.max_cap : ((size_t)1 << 16);
	S.tab = map_zero(S.cap * sizeof(*S.tab));
	S.arena = map_zero(SF_ARENA);
	if (!S.tab || !S.arena)
		pvm_bug("stateful mode: cannot map the state tables", __FILE__, __LINE__, __func__);
	S.sp = -1;
	for (int t = 0; t < MAXT; t++)
		S.sigma[t] = t;
	S.canon = prog->canon_state && prog->thread_key;
	S.sym = opts->symmetry && S.canon && prog->thread_class;
	/* DPOR is not complete under a depth or preemption bound: full search */
	por_init(!opts->no_por && opts->preemption_bound < 0 && S.depth == 0);
	if (S.sym)
		sym_ranges();
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
		res->state_bytes = S.cap * sizeof(*S.tab) + S.peak_top;
	} else {
		res->stateful = false;
		res->executions = random_exec;
	}
	munmap(S.tab, S.cap * sizeof(*S.tab));
	munmap(S.arena, SF_ARENA);
	free(S.cbuf);
	S.cbuf = NULL;
	por_free();
	S.tab = NULL;
	S.arena = NULL;
	return rc;
}
