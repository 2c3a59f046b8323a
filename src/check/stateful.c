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
#include "check/explore_int.h"
#include "lib/bug.h"

#define SF_SCRUB	4096			/* stack bytes zeroed below sp before a step */
#define SF_MAX_REGIONS	128
#define SF_ARENA	((size_t)8 << 30)	/* virtual size of the path's snapshots */
#define SF_DEFAULT_MEM	((size_t)4 << 30)	/* default cap of the visited table */
#define SF_INF		0xFFFF			/* height: a cycle lies below */

/* One stored state (24 bytes). */
struct sf_entry {
	uint64_t lo, hi;	/* 128-bit hash; 0/0 is an empty slot */
	uint16_t sleep;		/* threads asleep when it was (last) explored */
	uint16_t height;	/* longest explored path below it */
	uint8_t onstack;	/* on the current path */
};

_Static_assert(MAXT <= 16, "sleep masks of stored states are 16 bits");

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
	uint32_t en;		/* enabled threads */
	uint32_t todo;		/* threads still to explore from here */
	uint32_t sleep;
	int choice_t;		/* thread at a pending choice, or -1 */
	int nchoices, next_value;
	int cur;		/* the transition being explored */
	struct op cur_op;	/* what it executed */
	int prev, preempt;	/* preemption bound bookkeeping */
	uint16_t height;
	bool first;		/* memory still holds this state */
	struct op sleep_op[MAXT];
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
} S;

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
		      eng_save_size();
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
	p += eng_save(p);
	h->hash_len = (uint64_t)(p - base) - sizeof(*h);
	for (int k = 0; k < n; k++) {
		if (!R[k].nohash)
			continue;
		memcpy(p, R[k].addr, R[k].len);
		p += R[k].len;
	}
	h->len = ((uint64_t)(p - base) + 15) & ~(uint64_t)15;
	h->nregions = (uint32_t)n;
	XXH128_hash_t x = XXH3_128bits(base + sizeof(*h), (size_t)h->hash_len);
	*lo = x.low64 | (x.low64 == 0 && x.high64 == 0);
	*hi = x.high64;
	*len = (size_t)h->len;
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
	p += eng_restore(p);
	for (uint32_t k = 0; k < h->nregions; k++) {
		if (!R[k].nohash)
			continue;
		memcpy(R[k].addr, p, R[k].len);
		p += R[k].len;
	}
	if (S.prog->state_restored)
		S.prog->state_restored(S.prog->ctx);
	eng_set_depth(d);
}

/* ==== Findings ========================================================== */

/* Count an execution that ended in a finding; Return: true to stop. */
static bool found(bool deadlock)
{
	S.res->executions++;
	if (deadlock)
		S.res->blocked++;
	eng_take_finding();
	if (!S.opts->keep_going)
		S.stop = true;
	return S.stop;
}

/*
 * A transition from depth @d reached the state of frame @c again: a cycle,
 * so executions of any length exist.  Extend the path by repeating the
 * cycle up to the step bound: the schedule replays the no-progress finding.
 */
static void cycle_found(int c, int d)
{
	if (S.depth) {
		cut("depth");
		return;
	}
	int len = d + 1, period = len - c;
	for (int k = len; k < S.step_bound; k++)
		eng_copy_event(k, c + (k - len) % period);
	eng_set_depth(S.step_bound);
	eng_no_progress(S.step_bound);
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
		uint32_t live, en = eng_enabled(&live);
		int n = 0, ct = eng_choice_pending(&n);
		uint32_t cand = ct >= 0 ? 1u << ct : en;
		bool moved = false;
		for (int t = 0; t < MAXT && !moved; t++) {
			if (!(cand & (1u << t)))
				continue;
			for (int v = 0; v < (ct >= 0 ? n : 1) && !moved; v++) {
				restore(cur, d);
				eng_step(t, v, 0);
				if (eng_finding())
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
	eng_set_depth(S.step_bound);
	eng_no_progress(S.step_bound);
	found(false);
	return true;
}

/* ==== The search ======================================================== */

static void frame_enter(int d, uint32_t sleep, const struct op *sleep_op, uint32_t mask,
			int prev, int preempt)
{
	struct sf_frame *f = &S.frames[d];
	f->first = true;
	f->height = 0;
	f->todo = 0;
	f->choice_t = -1;
	f->sleep = sleep;
	f->prev = prev;
	f->preempt = preempt;
	if (sleep)
		memcpy(f->sleep_op, sleep_op, sizeof(f->sleep_op));
	if (d >= S.step_bound) {
		eng_no_progress(S.step_bound);
		found(false);
		return;
	}
	if (S.depth && d >= S.depth) {
		cut("depth");
		return;
	}
	uint32_t live, en = eng_enabled(&live);
	f->en = en;
	if (!live) {
		if (eng_at_exit())
			found(false);
		else
			S.res->executions++;
		return;
	}
	if (!en) {
		eng_deadlock(live);
		found(true);
		return;
	}
	int n;
	int ct = eng_choice_pending(&n);
	if (ct >= 0) {
		f->choice_t = ct;
		f->nchoices = n;
		f->next_value = 0;
		return;
	}
	f->todo = en & ~sleep & mask;
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
	f->sleep |= 1u << f->cur;
	f->sleep_op[f->cur] = f->cur_op;
}

static void frame_leave(void)
{
	struct sf_frame *f = &S.frames[S.sp];
	struct sf_entry *e = tab_find(f->lo, f->hi);
	PVM_BUG_ON(!e);
	if (f->height > e->height || e->height == SF_INF)
		e->height = f->height;
	e->onstack = 0;
	S.top = f->snap;
	S.sp--;
	if (S.sp >= 0) {
		struct sf_frame *p = &S.frames[S.sp];
		uint16_t h = hplus1(f->height);
		if (h > p->height)
			p->height = h;
		transition_done(p);
	}
}

static bool would_preempt_sf(const struct sf_frame *f, int t)
{
	return f->prev >= 0 && t != f->prev && (f->en & (1u << f->prev));
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
		double s = eng_seconds();
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
static void push(int d, uint64_t lo, uint64_t hi, size_t len, uint32_t sleep,
		 const struct op *sleep_op, uint32_t mask, int prev, int preempt)
{
	struct sf_frame *f = &S.frames[d];
	f->snap = S.top;
	f->lo = lo;
	f->hi = hi;
	S.top += len;
	if (S.top > S.peak_top)
		S.peak_top = S.top;
	S.sp = d;
	frame_enter(d, sleep, sleep_op, mask, prev, preempt);
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
	push(0, lo, hi, len, 0, NULL, ~0u, 0, 0);
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
				int q = __builtin_ctz(f->todo);
				f->todo &= ~(1u << q);
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
		struct op pop = eng_pending_op(t);
		if (f->choice_t < 0 && pop.kind == VIS_KIND_SPAWN && pop.value < MAXT)
			eng_scrub_stack(pop.value, SF_SCRUB, true);
		eng_scrub_stack(t, SF_SCRUB, false);
		int pre = f->preempt + (f->choice_t < 0 && would_preempt_sf(f, t) ? 1 : 0);
		eng_step(t, v, pre);
		S.res->transitions++;
		f->cur = t;
		f->cur_op = eng_event_op(d);
		check_budget();
		if (eng_finding() || eng_after_step()) {
			found(false);
			if (f->height < 1)
				f->height = 1;
			transition_done(f);
			continue;
		}
		/* the sleep set after this transition */
		uint32_t cs = 0;
		for (int q = 0; q < MAXT; q++) {
			if (!(f->sleep & (1u << q)))
				continue;
			if (f->choice_t >= 0 || !op_dependent(&f->sleep_op[q], &f->cur_op)) {
				cs |= 1u << q;
				child_ops[q] = f->sleep_op[q];
			}
		}
		rc = save(pre_key(t, pre), &lo, &hi, &len);
		if (rc) {
			cut("state-memory");
			break;
		}
		e = tab_find(lo, hi);
		if (!e) {
			e = tab_insert(lo, hi);
			if (!e) {
				cut("state-memory");
				break;
			}
			S.res->states++;
			e->onstack = 1;
			int n;
			e->sleep = eng_choice_pending(&n) >= 0 ? 0 : (uint16_t)cs;
			e->height = 0;
			push(d + 1, lo, hi, len, cs, child_ops, ~0u, t, pre);
			continue;
		}
		S.res->revisits++;
		if (e->onstack) {
			int c = d;
			while (c >= 0 && (S.frames[c].lo != lo || S.frames[c].hi != hi))
				c--;
			PVM_BUG_ON(c < 0);
			cycle_found(c, d);
			f->height = SF_INF;
			transition_done(f);
			continue;
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
		uint32_t wake = e->sleep & ~cs;
		if (!wake) {
			uint16_t h = hplus1(e->height);
			if (h > f->height)
				f->height = h;
			transition_done(f);
			continue;
		}
		/* Godefroid: explore what slept then and is awake now */
		e->sleep &= (uint16_t)cs;
		e->onstack = 1;
		push(d + 1, lo, hi, len, cs, child_ops, wake, t, pre);
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
	uint64_t random_exec = res->executions;
	res->executions = 0;
	res->stateful = true;

	eng_scrub_stack(0, SF_SCRUB, true);
	eng_start();
	int rc = 0;
	if (eng_finding())
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
	S.tab = NULL;
	S.arena = NULL;
	return rc;
}
