/* SPDX-License-Identifier: MIT */
/*
 * explore_int.h - data shared by the explorer's files (explore.c, dpor.c).
 *
 * Vocabulary (Abdulla et al., "Optimal Dynamic Partial Order Reduction",
 * POPL 2014):
 *   event      one executed step: a thread's visible operation, position i
 *              in the current execution E;
 *   node i     the scheduling decision before event i: its sleep set (the
 *              threads whose exploration from here is already covered) and
 *              its wakeup tree (sequences still to be explored from here);
 *   race       two events of different threads on the same object, at least
 *              one a write, with no happens-before path between them except
 *              the edge they form themselves; reversing a race gives a
 *              different Mazurkiewicz trace.
 */
#ifndef PVM_CHECK_EXPLORE_INT_H
#define PVM_CHECK_EXPLORE_INT_H

#include <stdint.h>
#include <stdbool.h>
#include "check/explore.h"
#include "check/fiber.h"

#define MAXT	EXPLORE_MAX_THREADS
#define MAXEV	EXPLORE_MAX_STEPS

/*
 * A set of thread ids (enabled, live, asleep, tried, ...): bit t is thread
 * t.  Every thread set of the engine is this type; widening it is what
 * raising EXPLORE_MAX_THREADS past 64 would take.
 */
typedef uint64_t tset_t;

_Static_assert(MAXT <= 64, "a thread set (tset_t) holds 64 threads");

#define TSET_BIT(t)	((tset_t)1 << (t))
#define TSET_ALL	(~(tset_t)0)

static inline bool tset_has(tset_t s, int t)
{
	return (s >> t) & 1;
}

/* The lowest thread of non-empty set @s. */
static inline int tset_first(tset_t s)
{
	return __builtin_ctzll(s);
}

/* Access class of an executed event (drives dependency). */
enum acc {
	ACC_NONE,	/* touches no shared object (CHOOSE) */
	ACC_READ,
	ACC_WRITE,
	ACC_ADD,	/* a commuting add (VIS_KIND_ADD under commute_adds) */
};

/* Do two accesses to one object conflict?  Reads commute, and so do adds. */
static inline bool acc_conflict(int a, int b)
{
	if (a == ACC_NONE || b == ACC_NONE)
		return false;
	return a == ACC_WRITE || b == ACC_WRITE || a != b;
}

/* An operation as the dependency relation sees it. */
struct op {
	const void *obj;
	int16_t tid;
	uint8_t kind;		/* enum vis_kind */
	uint8_t acc;		/* enum acc */
	int32_t value;		/* CHOOSE value; SPAWN: child tid */
};

struct event {
	struct op op;
	struct vis_site site;
	int32_t tidx;		/* index of the event within its thread */
	int32_t prev_write;	/* previous write event on the same object */
	int32_t prev_read;	/* previous read since that write (read list) */
	int32_t prev_add;	/* previous commuting add since that write (add list) */
	int32_t preempt;	/* preemptions up to and including this event */
	uint32_t clock[MAXT];	/* vector clock: hb-predecessors per thread */
};

/* A 64-bit finaliser (MurmurHash3's): spreads keys over hash tables. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Is event @e (index in E) happens-before-or-equal to clock @c? */
static inline bool ev_in_clock(const struct event *e, const uint32_t *c)
{
	return c[e->op.tid] > (uint32_t)e->tidx;
}

/* Dependency between two operations (same thread, or conflicting accesses). */
static inline bool op_dependent(const struct op *a, const struct op *b)
{
	if (a->tid == b->tid)
		return true;
	if (a->kind == VIS_KIND_SPAWN && a->value == b->tid)
		return true;
	if (b->kind == VIS_KIND_SPAWN && b->value == a->tid)
		return true;
	if (!a->obj || a->obj != b->obj)
		return false;
	return acc_conflict(a->acc, b->acc);
}

/*
 * The stateful mode (stateful.c) drives the engine through these hooks
 * (explore.c) instead of run_one(): it saves and restores states rather
 * than re-executing from reset().
 */
int stateful_run(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res);
void eng_start(void);
bool eng_ended(void);
bool eng_finding(void);
tset_t eng_enabled(tset_t *live);
int eng_nthreads(void);
int eng_choice_pending(int *n);
void eng_scrub_stack(int t, size_t z, bool from_top);
void eng_step(int t, int value, int preempt);
struct op eng_pending_op(int t);
struct op eng_event_op(int i);
void eng_set_depth(int d);
void eng_copy_event(int dst, int src, const int8_t *rename);
bool eng_at_exit(void);
bool eng_after_step(void);
void eng_deadlock(tset_t live);
void eng_no_progress(int bound);
void eng_steps_exceeded(int bound);
bool eng_take_limit(void);
void eng_take_finding(void);
double eng_seconds(void);
size_t eng_save_size(void);
size_t eng_save(char *buf);
size_t eng_restore(const char *buf);
size_t eng_canon_thread(char *buf, int t, const int *cls, const int *sigma);
size_t eng_canon_locks(char *buf, const int *sigma);
void eng_thread_range(int t, int which, uintptr_t *lo, uintptr_t *hi);

/*
 * Parallel exploration (parallel.c, `-j N`): the top of the tree is expanded
 * fully into a frontier of prefixes, each with the sleep set that the
 * sleep-set rule gives after it; worker processes explore the subtrees below
 * them with optimal DPOR.  parallel.c explains why this is exact.
 */
struct eng_fnode {
	int32_t len;			/* positions of the prefix */
	int32_t off;			/* its schedule in eng_frontier.sched */
	tset_t sleep;			/* threads asleep after the prefix */
	bool ended;			/* the execution ended inside the prefix */
	struct op sleep_op[MAXT];	/* their operations (as executed) */
};

struct eng_frontier {
	struct eng_fnode *nodes;	/* in depth-first order */
	int n, cap;
	int *sched;			/* thread ids; -1-v: value v of a choice */
	size_t nsched, schedcap;
	int depth;			/* longest prefix of a leaf */
	uint64_t sleep_blocked;		/* prefixes dropped: every enabled thread asleep */
};

int eng_frontier(int want, int max_depth, struct eng_frontier *f);
void eng_frontier_free(struct eng_frontier *f);
void eng_explore_subtree(const struct eng_frontier *f, int k, const struct explore_opts *wopts,
			 struct explore_result *r, volatile uint64_t *count);
int explore_parallel(const struct program *prog, const struct explore_opts *opts,
		struct explore_result *res);

#endif /* PVM_CHECK_EXPLORE_INT_H */
