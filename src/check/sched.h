/* SPDX-License-Identifier: MIT */
/*
 * sched.h - the executor, private to src/check: the layouts its files
 * share and the calls a search strategy makes.
 *
 * The executor (sched.c, with snapshot.c for save and restore) implements
 * visible.h: it owns the model's threads (fibers), their pending
 * operations and whether each is enabled, the per-execution object table
 * (access chains and lock state), and the commit of an executed step as an
 * event with its vector clock and its race candidates.  It decides nothing:
 * at every scheduling point it asks the strategy in charge (struct
 * strategy) which thread runs, and at every vis_choose() which value.
 *
 * Strategies, one file each: dpor.c (optimal DPOR: wakeup trees, sleep
 * sets, race reversal), walk.c (random walks, PCT, replay of a schedule),
 * frontier.c (the -j split of the DPOR tree over worker processes),
 * stateful.c (explicit-state search; it steps threads itself through
 * sched_step() and saves states through snapshot.c).  explore.c picks one
 * per explore_opts.mode.
 *
 * Vocabulary (Abdulla et al., "Optimal Dynamic Partial Order Reduction",
 * POPL 2014):
 *   event      one executed step: a thread's visible operation, position i
 *              in the current execution E;
 *   race       two events of different threads on the same object, at least
 *              one a write, with no happens-before path between them except
 *              the edge they form themselves; reversing a race gives a
 *              different Mazurkiewicz trace.
 *
 * Event commit (vector clocks, access chains, race candidates) is hb.c.
 *
 * Include graph (sh scripts/include-graph.sh src/check): visible.h <-
 * explore.h <- sched.h <- dpor.h, walk.h, stateful_int.h; frontier.h and
 * stateful.h need explore.h only.  The executor calls a strategy only
 * through struct strategy, never by name.
 */
#ifndef PVM_CHECK_SCHED_H
#define PVM_CHECK_SCHED_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "check/explore.h"
#include "check/fiber.h"

#define MAXT		EXPLORE_MAX_THREADS
#define MAXEV		EXPLORE_MAX_STEPS
#define OBJ_SLOTS	4096		/* objects per execution (hash table) */
#define MAX_RACES	(1 << 16)	/* race candidates per execution */

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

/*
 * hb_acc - access class @acc as happens-before (hb.c) files it: a
 * commuting add is a write for a strategy that asks so (hb_orders_adds).
 */
#define hb_acc(acc)	((acc) == ACC_ADD && E.strat->hb_orders_adds ? ACC_WRITE : (acc))

/*
 * An operation as the dependency relation sees it: its object and access,
 * and a second object the same step touches (vis_also(): a ghost check
 * that judges the step at its instant), else obj2 NULL and acc2 ACC_NONE.
 */
struct op {
	const void *obj;
	const void *obj2;
	int32_t value;		/* CHOOSE value; SPAWN: child tid */
	int8_t tid;		/* MAXT <= 64 */
	uint8_t kind;		/* enum vis_kind */
	uint8_t acc;		/* enum acc */
	uint8_t acc2;		/* enum acc, on obj2 */
};

struct event {
	struct op op;
	struct vis_site site;
	int32_t tidx;		/* index of the event within its thread */
	int32_t prev_write;	/* previous write event on the same object */
	int32_t prev_read;	/* previous read since that write (read list) */
	int32_t prev_add;	/* previous commuting add since that write (add list) */
	int32_t prev_write2;	/* the same three links on op.obj2 */
	int32_t prev_read2;
	int32_t prev_add2;
	int32_t prev_tev;	/* its thread's previous event, or -1 (hb_pop) */
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

/*
 * op_acc_on - the access of @op to @obj: its first or its second object,
 * ACC_NONE if it touches neither.
 */
static inline int op_acc_on(const struct op *op, const void *obj)
{
	if (!obj)
		return ACC_NONE;
	if (op->obj == obj)
		return op->acc;
	return op->obj2 == obj ? op->acc2 : ACC_NONE;
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
	return acc_conflict(op_acc_on(b, a->obj), a->acc) ||
	       acc_conflict(op_acc_on(b, a->obj2), a->acc2);
}

/* Would running @t after @prev (with @en enabled) preempt @prev? */
static inline bool sched_would_preempt(int prev, int t, tset_t en)
{
	return prev >= 0 && t != prev && (en & TSET_BIT(prev));
}

/* ==== Threads and objects ============================================ */

enum tstate { T_FREE, T_LIVE, T_EXITED };

/* What a thread announced and waits in the scheduler to do. */
struct pending {
	enum vis_kind kind;
	const void *obj;
	struct vis_site site;
	vis_pred_fn pred;
	const void *parg;
	vis_thread_fn fn;	/* SPAWN */
	void *farg;
	const char *name;
	int target;		/* JOIN: the thread; CHOOSE (stateful): the values */
	vis_pred_fn stale;	/* WAIT: non-NULL for a vis_spin_block (never enabled) */
	const void *sarg;
	const void *obj2;	/* vis_also(): a second object of this step, or NULL */
	enum vis_kind kind2;	/* its access: VIS_KIND_READ, _WRITE or _RMW */
};

struct thread {
	struct fiber fiber;
	enum tstate state;
	vis_thread_fn fn;
	void *arg;
	struct pending pend;
	int32_t nev;		/* events executed */
	int32_t last_ev;	/* index of its last event */
	int32_t spawn_ev;	/* the event that spawned it, or -1 (hb_pop) */
	int ret;		/* value handed back to the fiber */
	char name[32];
	/* clock of its last event (or of its spawn); entries < E.nthreads */
	uint32_t clock[MAXT];
};

/* An object of the current execution: its access chains and lock state. */
struct objent {
	const void *obj;
	int32_t last_write;
	int32_t last_read;
	int32_t last_add;	/* commuting adds since the last write (chain) */
	int16_t owner;		/* lock state: exclusive owner or -1 */
	int16_t readers;	/* lock state: shared holders */
	tset_t queued;		/* lock state: writers queued by vis_lock_or_queue;
				 * a shared acquire blocks while non-empty */
};

/* How the current execution ended. */
enum sched_end {
	END_NONE,
	END_DONE,		/* every thread exited */
	END_FINDING,		/* vis_fail, a lockdep error, no progress */
	END_DEADLOCK,		/* every live thread blocked */
	END_SPIN,		/* every live thread blocked, one in a stale vis_spin_block */
	END_SLEEP,		/* DPOR: every enabled thread asleep (redundant) */
	END_INFEASIBLE,
	END_CUT,		/* a bound cut it (E.cut_reason) */
	END_DIVERGED,		/* replay: the schedule does not fit the program */
	END_PREFIX,		/* frontier: the replayed prefix ended */
	END_LIMIT,		/* a limit of the checker (E.limit) */
};

/* ==== Strategies ======================================================= */

/* Values of strategy.choose besides a value chosen. */
#define SCHED_CHOICE_END	(-1)	/* the execution ends here (E.end is set) */
#define SCHED_CHOICE_STEP	(-2)	/* the choice is a transition of its own:
					 * the thread waits in the scheduler with a
					 * pending CHOOSE (stateful.c) */

/*
 * struct strategy - what the executor asks of a search.  decide and choose
 * run in every execution; after and backtrack drive sched_search(), the
 * loop of the re-executing strategies.  The flags say what the strategy
 * needs of event commit.
 */
struct strategy {
	const char *name;
	/*
	 * decide - the thread to run at position @pos (@en: enabled threads,
	 * @prev: the thread of the last step).  Return: a thread of @en, or
	 * -1 when the execution ends here (E.end set to say why).
	 */
	int (*decide)(int pos, tset_t en, int prev);
	/* choose - the value of a vis_choose(@n) at @pos, or SCHED_CHOICE_* */
	int (*choose)(int pos, int n);
	/* committed - optional: event @i was just committed (DPOR: descend) */
	void (*committed)(int i);
	/* after - an execution ended: account for it.  Return: true to stop */
	bool (*after)(void);
	/* backtrack - set up the next execution.  Return: its branch
	 * position, or -1 when the search is complete */
	int (*backtrack)(void);
	bool races;		/* commit records race candidates (E.races) */
	bool depth_cut;		/* opts.depth_bound cuts an execution (END_CUT) */
	bool ordered_adds;	/* adds never commute (the oracle counts orders) */
	bool hb_orders_adds;	/* adds commute in the sleep sets but are writes in
				 * happens-before (hb_acc: the stateful POR) */
	bool prefix_only;	/* the execution is a prefix: no at_exit check */
};

/* ==== The executor's state (one exploration at a time) ================ */

struct sched {
	const struct program *prog;
	const struct explore_opts *opts;
	struct explore_result *res;
	const struct strategy *strat;	/* in charge of the current execution */

	struct fiber sched;
	struct thread threads[MAXT];
	int nthreads;
	int cur;			/* running thread, -1 in the scheduler */
	bool in_sched;
	jmp_buf sched_jmp;		/* vis_fail from scheduler context */
	int spawn_counter;		/* object for spawns (ids are shared state) */

	struct event ev[MAXEV + 1];
	int nev;
	int hb_top;			/* events in the access chains and clocks (hb_rewind) */
	char (*notes)[EXPLORE_NOTE_LEN];
	bool recording;

	struct objent objs[OBJ_SLOTS];
	int used_slots[OBJ_SLOTS];
	int nused;

	int32_t races[MAX_RACES][2];	/* race candidates (earlier, later event) */
	int nraces;

	enum sched_end end;
	struct finding finding;
	/* vis_finding_pair(), while recording: the earlier access (step + 1, 0: none) */
	int pair_step, pair_tid;
	struct vis_site pair_site;
	const char *cut_reason;
	/* a checker limit reached (sched_set_limit): the search stops, incomplete */
	const char *limit;
	char limit_msg[EXPLORE_MSG_LEN];
	struct objent obj_spare;	/* what obj_lookup returns once the table is full */

	uint64_t rng;			/* random walks, --random-order, frontier estimates */
	size_t replay_pos;		/* replay strategies: next entry of opts->replay */
	tset_t prefix_en;		/* END_PREFIX at a scheduling point: enabled threads */
	int prefix_nchoices;		/* END_PREFIX at a choice: its values (else 0) */
	volatile uint64_t *par_count;	/* frontier.c worker: executions, for the parent */
	uint64_t example_seen;		/* opts.example: executions picked so far */

	struct timespec t0;
};

extern struct sched sched_state;
#define E sched_state		/* the one executor; short, as in the kernel's current */

/* ==== Calls of the strategies ============================================ */

/**
 * sched_setup - allocate the fibers and the note buffers, once per process.
 * Context: explore(), before anything runs.
 * Return: 0, or -ENOMEM.
 */
int sched_setup(void);

/**
 * sched_run_one - run one execution from reset() under strategy @s: decide
 * and choose are asked at every decision; ends with E.end set.
 * Context: scheduler side, from a strategy's search.
 */
void sched_run_one(const struct strategy *s);

/**
 * sched_search - the re-executing search: sched_run_one(), then @s->after(),
 * then @s->backtrack(), then the budget (sched_out_of_budget), until one of
 * them ends it.
 * Context: explore() or a frontier.c worker.
 * Return: true if @s->backtrack() found the search complete, false if it
 * stopped early (finding, limit, bound, timeout).
 */
bool sched_search(const struct strategy *s);

/**
 * sched_start - reset the world and run the initial thread to its first
 * announcement, for a strategy that steps threads itself (stateful.c).
 * Context: scheduler side.
 */
void sched_start(const struct strategy *s);

/**
 * sched_enabled - which threads are live (*@live) and which may run now.
 * Context: scheduler side, between steps.
 * Return: the enabled set.
 */
tset_t sched_enabled(tset_t *live);

/**
 * sched_pending_op - thread @t's pending operation as the dependency
 * relation sees it (a conditional operation as a write).
 * Context: scheduler side.
 * Return: the operation.
 */
struct op sched_pending_op(int t);

/**
 * sched_exact_op - thread @t's pending operation as execute() will class
 * it: an unlock that releases nothing is a write (its lockdep finding),
 * where sched_pending_op says read.
 * Context: scheduler side.
 * Return: the operation.
 */
struct op sched_exact_op(int t);

/**
 * sched_choice_pending - a thread waiting with a pending choice (only under
 * a strategy whose choose returns SCHED_CHOICE_STEP).
 * Context: scheduler side.
 * Return: its id with the number of values in *@n, or -1.
 */
int sched_choice_pending(int *n);

/**
 * sched_step - run thread @t's pending operation (or value @value of its
 * pending choice), commit the event(s) with @preempt preemptions, and let
 * the thread run to its next announcement.
 * Context: scheduler side, @t enabled.
 */
void sched_step(int t, int value, int preempt);

/**
 * sched_at_exit - run program->at_exit in the scheduler.
 * Context: scheduler side, every thread exited.
 * Return: true if it reported a finding.
 */
bool sched_at_exit(void);

/**
 * sched_after_step - run program->after_step when recording or --paranoid.
 * Context: scheduler side, after a step.
 * Return: true if it reported a finding.
 */
bool sched_after_step(void);

/**
 * sched_finding - Return: true if the current execution ended in a finding
 * (a deadlock included).
 * Context: scheduler side.
 */
static inline bool sched_finding(void)
{
	return E.end == END_FINDING || E.end == END_DEADLOCK;
}

/**
 * sched_deadlock - end the execution where every thread of @live is
 * disabled: as a deadlock finding, or as spin-blocked (END_SPIN, no
 * finding) when one of them is in a vis_spin_block() whose values changed.
 * Context: scheduler side.
 * Return: true if it is a deadlock finding.
 */
bool sched_deadlock(tset_t live);

/**
 * sched_spin_blocked - is thread @t blocked for good in vis_spin_block()?
 * Context: scheduler side.
 */
bool sched_spin_blocked(int t);

/**
 * sched_no_progress - end the execution as a no-progress finding past
 * @bound steps; @looping: the threads of the loop (TSET_ALL: not known),
 * passed to the program's no_progress_class, which names the finding's
 * fairness class (site.what "no-progress" or "no-progress/CLASS").
 * Context: scheduler side.
 */
void sched_no_progress(int bound, tset_t looping);

/**
 * sched_steps_exceeded - an execution reached @bound steps: a no-progress
 * finding when @bound is the step bound asked for, else the step limit.
 * Context: scheduler side or a model thread.
 */
void sched_steps_exceeded(int bound);

/**
 * sched_set_limit - a fixed size of the checker was reached: note it as
 * @name and end the current execution (END_LIMIT) unless something else
 * ended it first.
 * Context: anywhere in an exploration.
 */
void sched_set_limit(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * sched_take_limit - carry a limit reached into the result (incomplete,
 * cut by it).
 * Context: between executions.
 * Return: true if one was reached.
 */
bool sched_take_limit(void);

/**
 * sched_take_finding - record the current execution's finding in the
 * result with the schedule that replays it (the first one only, and only
 * the one asked for with opts.want_finding).
 * Context: between executions.
 */
void sched_take_finding(void);

/**
 * sched_account - count the execution that just ended in the result.
 * Context: between executions.
 * Return: true to stop the search (finding, limit, divergence).
 */
bool sched_account(void);

/**
 * sched_out_of_budget - apply the execution bound, interrupt, timeout and
 * progress callback after @done executions.
 * Context: between executions.
 * Return: true to stop (the result then says why).
 */
bool sched_out_of_budget(uint64_t done);

/**
 * sched_seconds - Return: seconds since the exploration started.
 * Context: any.
 */
double sched_seconds(void);

/**
 * sched_rng_next - the next number of the engine's xorshift64* stream.
 * Context: any; deterministic for a given seed.
 * Return: 64 random bits.
 */
uint64_t sched_rng_next(void);

/**
 * sched_rng_seed - restart the stream from @s (0 is a fixed seed too).
 * Context: any.
 */
void sched_rng_seed(uint64_t s);

/**
 * sched_obj_lookup - the table entry of @obj in the current execution,
 * added when new (a blank spare and the object-table limit when full).
 * Context: scheduler side.
 * Return: the entry.
 */
struct objent *sched_obj_lookup(const void *obj);

/**
 * sched_obj_reset - forget every object of the current execution.
 * Context: scheduler side.
 */
void sched_obj_reset(void);

/**
 * sched_obj_keep_chains - a saved state is restored (snapshot.c): every
 * object's lock state is cleared for sched_restore to set again, and the
 * access chains of the path (hb_rewind) stay; once the table is a quarter
 * full, objects that no event of the path names are forgotten.
 * Context: scheduler side, the stateful search.
 */
void sched_obj_keep_chains(void);

/**
 * sched_stack_top - the top of thread @th's fixed stack (16-byte aligned).
 * Context: any.
 * Return: the address one past its highest byte.
 */
char *sched_stack_top(const struct thread *th);

/* ==== Happens-before (hb.c) ================================================ */

/**
 * hb_new_thread - thread @t was just created: entry t of every clock of the
 * execution becomes exact (zero).
 * Context: scheduler side, at a spawn, before the child's first event.
 */
void hb_new_thread(int t);

/**
 * hb_commit - append event @op of thread @t at position E.nev: its vector
 * clock, the access chains of its object and, when the strategy records
 * races, the race candidates (for a @blocking operation also the older
 * writes the enabling write hides); then the strategy's committed hook.
 * Context: scheduler side.
 */
void hb_commit(int t, struct op op, struct vis_site site, bool blocking);

/**
 * hb_rewind - take the events from @d on off the access chains and the
 * threads' clocks, latest first, as if only E.ev[0..@d-1] had been
 * committed (the stateful search going back up its path).
 * Context: scheduler side, before the state of depth @d is restored.
 */
void hb_rewind(int d);

/**
 * hb_thread_clock - the clock of thread @t's last event (or of its spawn).
 * Context: scheduler side.
 * Return: the clock (all zero for a thread not started in this execution).
 */
const uint32_t *hb_thread_clock(int t);

/**
 * hb_path_conflicts - call @fn(i, @arg) for every committed event i on
 * object @obj that conflicts with access @acc of thread @p, is not @p's
 * own and does not happen before @p's last event (a race candidate of an
 * operation @p would do next), latest first.
 * Context: scheduler side.
 */
void hb_path_conflicts(int p, const void *obj, int acc, void (*fn)(int i, void *arg),
		       void *arg);

/* ==== Saved states (snapshot.c, for stateful.c) ========================== */

/**
 * sched_save_size - Return: an upper bound of the bytes sched_save() writes.
 * Context: scheduler side.
 */
size_t sched_save_size(void);

/**
 * sched_save - write the executor's part of the current state to @buf:
 * per thread its state, pending operation, saved stack pointer and stack
 * bytes; the held locks sorted by address.
 * Context: scheduler side.
 * Return: the bytes written.
 */
size_t sched_save(char *buf);

/**
 * sched_restore - the inverse of sched_save().
 * Context: scheduler side.
 * Return: the bytes read.
 */
size_t sched_restore(const char *buf);

/**
 * sched_canon_thread - thread @t's part of the state as the symmetry
 * reduction compares it (@cls: thread classes, @sigma: renaming or NULL).
 * Context: scheduler side; @buf 8-byte aligned.
 * Return: the bytes written, a multiple of 8.
 */
size_t sched_canon_thread(char *buf, int t, const int *cls, const int *sigma);

/**
 * sched_canon_locks - the held locks, owners renamed by @sigma (NULL: as
 * they are), sorted by address.
 * Context: scheduler side.
 * Return: the bytes written, a multiple of 8.
 */
size_t sched_canon_locks(char *buf, const int *sigma);

/**
 * sched_thread_range - thread @t's memory a pointer can name it by: @which
 * 0 its stack, 1 the executor's record of it; [*@lo, *@hi).
 * Context: any.
 */
void sched_thread_range(int t, int which, uintptr_t *lo, uintptr_t *hi);

/**
 * sched_scrub_stack - zero @z bytes of thread @t's stack below its saved
 * stack pointer (below the top when @from_top: it is about to start), so
 * that uninitialised slots hold the same bytes on every path to a state.
 * Context: scheduler side.
 */
void sched_scrub_stack(int t, size_t z, bool from_top);

/**
 * explore_with - explore() under a strategy of the caller's (a test
 * oracle): the executor is set up as by explore(), then @search runs (it
 * calls sched_search with its strategy); the finding's trace and the
 * verdict are filled in as by explore().
 * Context: process context, not reentrant.
 * Return: 0, or -ENOMEM.
 */
int explore_with(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res, void (*search)(void));

#endif /* PVM_CHECK_SCHED_H */
