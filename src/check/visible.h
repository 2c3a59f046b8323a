/* SPDX-License-Identifier: MIT */
/*
 * visible.h - the one door from model code to the checker.
 *
 * Model code (src/mm, src/uv, src/dev, src/guest) and programs run by
 * `pvcheck run` are executed as cooperative threads.  Between two visible
 * operations a thread runs atomically; every access to shared state must be
 * announced *before* it is done, with the object it touches and how, so that
 * the explorer can preempt there and tell dependent steps from independent
 * ones.  A step is: the announced operation plus all invisible (thread-local)
 * work up to the next announcement.
 *
 * Rules for callers:
 *   1. Announce, then act: VIS_RMW(&page->_refcount, "page_ref_freeze")
 *      followed by the cmpxchg itself.  Doing two shared accesses in one step
 *      is allowed only when the announced kind covers both (an RMW covers a
 *      read and a write of the same object).
 *   2. Objects are identified by address; they must live in the world arena
 *      (fixed address across executions) or in the program's static data.
 *   3. Never loop on a shared value: a loop that re-reads until a value
 *      changes must be written as vis_wait(), so that it blocks instead of
 *      producing endless interleavings.
 *   4. A finding (vis_fail) never returns: the execution ends there.
 *
 * Nothing in this header allocates or makes a system call.
 */
#ifndef PVM_CHECK_VISIBLE_H
#define PVM_CHECK_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a visible operation touches its object; drives the dependency relation. */
enum vis_kind {
	VIS_KIND_READ,		/* reads obj: conflicts with writes */
	VIS_KIND_WRITE,		/* writes obj: conflicts with everything on obj */
	VIS_KIND_RMW,		/* read-modify-write: as WRITE */
	VIS_KIND_LOCK,		/* exclusive acquire of lock obj (blocks while held) */
	VIS_KIND_LOCK_SHARED,	/* shared acquire (rwsem read side) */
	VIS_KIND_UNLOCK,	/* release (either mode) */
	VIS_KIND_TRYLOCK,	/* exclusive try-acquire; a failure is a read */
	VIS_KIND_WAIT,		/* block until a predicate holds, then read obj */
	VIS_KIND_WAIT_RMW,	/* block until a predicate holds, then RMW obj */
	VIS_KIND_SPAWN,		/* create a thread */
	VIS_KIND_JOIN,		/* block until a thread has exited */
	VIS_KIND_CHOOSE,	/* nondeterministic choice, explored exhaustively */
	VIS_KIND_EXIT,		/* thread end (internal) */
	VIS_KIND_RMW_IF,	/* RMW if a predicate holds when it runs, else a read (CAS) */
	VIS_KIND_ADD,		/* add to a counter (fetch_add/sub): as RMW, but two
				 * adds commute under explore_opts.commute_adds */
	VIS_KIND_LOCK_QUEUE,	/* exclusive acquire if free, else join the lock's
				 * writer queue (vis_lock_or_queue): a write */
	VIS_KIND_NR
};

/*
 * Where in the model an operation comes from: file:line, a short name, the
 * enclosing model function (which the report maps to the v5.7 kernel
 * location it follows, src/report/kernel.c) and flags.  Initialisers that
 * give only the first three fields (pvcheck run's sites) leave func NULL
 * and flags 0.
 */
struct vis_site {
	const char *file;
	int line;
	const char *what;	/* kernel function or op name, e.g. "page_ref_freeze" */
	const char *func;	/* enclosing model function (__func__), or NULL */
	unsigned int flags;	/* VIS_SITE_* */
};

/*
 * A ghost step: an announcement that exists only so that a check of the
 * model (an invariant, a holder-table update) reads or writes shared state
 * in a step of its own, ordered against the other threads.  The kernel has
 * no such step; reports hide it unless -v.
 */
#define VIS_SITE_GHOST	0x1u
/* A step of a user path's own code (src/paths): its where is file:line. */
#define VIS_SITE_USER	0x2u

#define VIS_SITE(w)  ((struct vis_site){ __FILE__, __LINE__, (w), __func__, 0 })
#define VIS_GHOST(w) ((struct vis_site){ __FILE__, __LINE__, (w), __func__, VIS_SITE_GHOST })

/* A predicate for vis_wait(): must be pure, read only shared state. */
typedef bool (*vis_pred_fn)(const void *arg);

/* Thread body for vis_spawn(). */
typedef void (*vis_thread_fn)(void *arg);

/**
 * vis_op - announce a visible operation and yield to the scheduler.
 * @kind: VIS_KIND_READ, _WRITE or _RMW.
 * @obj: the shared object touched (its address is its identity).
 * @site: model location and name, for traces.
 *
 * Context: model thread.  Scheduling point: other threads may run before
 * this returns.
 */
void vis_op(enum vis_kind kind, const void *obj, struct vis_site site);

/**
 * vis_rmw_if - announce a conditional read-modify-write of @obj: it counts
 * as an RMW if @pred(@arg) holds at the moment it runs, else as a read.
 * This is how a compare-and-exchange (page_ref_freeze, atomic_cmpxchg) or an
 * add-unless (get_page_unless_zero) is declared: a failed one writes
 * nothing, and two failed ones commute, so the explorer need not try both
 * orders.  @pred must read only @obj.
 * Context: model thread.  Scheduling point.
 * Return: the value of @pred(@arg) when the step ran.
 */
bool vis_rmw_if(const void *obj, vis_pred_fn pred, const void *arg, struct vis_site site);

/**
 * vis_also - the step the caller announces next also touches @obj, with
 * @kind VIS_KIND_READ, _WRITE or _RMW: the dependency relation, the races
 * and the happens-before of that step cover both objects, and no other
 * thread runs between the two accesses.  This is how a ghost check judges
 * a kernel step at its instant (the marker held at the DMA's start, the
 * page live when its lock is taken) without a scheduling point of its
 * own: doc/engine.md, "Ghost checks inside the step they judge".  Holds
 * for one announcement; not before vis_choose().
 * Context: model thread, before an announcement.  Not a scheduling point.
 */
void vis_also(enum vis_kind kind, const void *obj);

/**
 * vis_lock - acquire lock @obj (exclusive or shared), blocking while held.
 * vis_unlock - release it.
 * vis_trylock - try once; Return: true if acquired.
 *
 * The checker keeps the lock state (owner, readers, queued writers); the
 * model keeps its own flag (PG_locked, ...) in sync by writing it right
 * after acquiring.  A shared acquire also blocks while a thread is queued
 * on @obj (vis_lock_or_queue); an exclusive acquire by a queued thread
 * leaves the queue in the step that takes the lock.  A lock nobody queues
 * on is a plain reader-writer lock.
 * Context: model thread.  Scheduling point.
 */
void vis_lock(const void *obj, bool shared, struct vis_site site);
void vis_unlock(const void *obj, struct vis_site site);
bool vis_trylock(const void *obj, struct vis_site site);

/**
 * vis_lock_or_queue - the first step of a writer-fair exclusive acquire
 * of @obj (a writer-preferring rwsem: Linux's, doc/protocol.md "mmap_sem
 * is writer-fair"): take @obj if it is free, else join its queue of
 * writers.  From that step on, vis_lock(@obj, true, ...) of any thread
 * blocks until the queue is empty again; the caller must then take @obj
 * with vis_lock(@obj, false, ...), which leaves the queue in the step that
 * acquires.  Never blocks.  Both outcomes are a write of @obj, so the
 * explorer orders the step against every acquire and release of @obj
 * (a reader that came first is an interleaving of its own).
 * Context: model thread.  Scheduling point.
 * Return: true if @obj was acquired, false if the caller was queued.
 */
bool vis_lock_or_queue(const void *obj, struct vis_site site);

/**
 * vis_wait - block until @pred(@arg) holds, then perform a read (or an RMW
 * when @rmw) of @obj in the same step.
 *
 * The predicate is evaluated by the scheduler at scheduling points; a thread
 * whose predicate is false is disabled (not runnable).  If every live thread
 * is disabled the execution ends as a deadlock finding that lists who waits
 * on what.  @pred must only read state that is written under visible
 * operations on @obj, or the thread could be left blocked forever.
 * Context: model thread.  Scheduling point.
 */
void vis_wait(const void *obj, bool rmw, vis_pred_fn pred, const void *arg,
	      struct vis_site site);

/**
 * vis_spin_block - block for good: the caller's last loop iteration was a
 * no-op (pvcheck run's spin-assume, src/runc/tsan.c), so every state its
 * continuation reaches is reached by the execution in which it read later.
 * @obj: the object of the load it blocks at (for traces and races).
 * @stale: true once a value the no-op iteration read has changed.
 * @arg: its argument.
 *
 * The thread never runs again.  When every live thread is disabled, the
 * execution ends as a spin-blocked one (counted apart, not a finding) if
 * some such thread's @stale holds, since the execution where it read the
 * new value is explored by the race of its read with the write; otherwise
 * nothing can change what it reads and it would spin for ever: a deadlock
 * finding that lists it.  @stale must read only shared state.
 * Context: model thread.  Never returns.
 */
_Noreturn void vis_spin_block(const void *obj, vis_pred_fn stale, const void *arg,
			      struct vis_site site);

/**
 * vis_choose - a nondeterministic choice in [0, @n); every value is explored.
 * Context: model thread.  Not a preemption point for other threads.
 * Return: the chosen value.
 */
int vis_choose(int n, struct vis_site site);

/**
 * vis_spawn - start a new thread running @fn(@arg).
 * Return: its thread id (0 is the initial thread).
 */
int vis_spawn(vis_thread_fn fn, void *arg, const char *name, struct vis_site site);

/** vis_join - block until thread @tid has exited. */
void vis_join(int tid, struct vis_site site);

/** vis_self - Return: the calling thread's id. */
int vis_self(void);

/**
 * vis_stack_top - the top of the calling thread's stack.
 * Context: a thread of the explored program.  The engine zeroes the
 * program's start_scrub bytes below it before the thread starts
 * (explore.h): a runtime that relies on that checks its frames fit.
 * Return: the stack's highest address (16-byte aligned).
 */
const char *vis_stack_top(void);

/** vis_self_name - Return: the calling thread's name, as given to vis_spawn(). */
const char *vis_self_name(void);

/**
 * vis_thread_label - thread @tid's name as reports print it: its name, and
 * "#<tid>" after it when another thread of the execution has the same name
 * (a program's two threads running t are "t#1" and "t#2").  Messages that
 * name threads use it, so that they read as the report's columns.
 * @buf: receives the label when it is not the name itself.
 * @n: its size (48 is enough).
 * Context: model thread or scheduler.
 * Return: the label.
 */
const char *vis_thread_label(int tid, char *buf, size_t n);

/**
 * vis_step_index - the index in the trace of the step the calling thread
 * is in: its last announced operation, or, for code before its first one
 * (run when it was started), its creator's spawn.  Only while a trace is
 * recorded (vis_recording()).
 * Context: model thread.
 * Return: the index, or -1 when not recording.
 */
int vis_step_index(void);

/**
 * vis_finding_pair - the finding reported next by this thread (vis_fail)
 * pairs with an earlier access by thread @tid: in step @step of the trace
 * (vis_step_index() of that access), at @site.  The report marks it (a
 * data race shows both accesses).  Only while recording; a no-op
 * otherwise.
 * Context: model thread, right before vis_fail().
 */
void vis_finding_pair(int tid, int step, struct vis_site site);

/**
 * vis_note - attach a human-readable effect to the current step
 * ("refcount 2->0 (frozen)").  Kept only while a trace is being recorded
 * for a report; otherwise it costs one branch.
 */
void vis_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool vis_recording(void);

/**
 * vis_fail - report a finding and end the execution.  Never returns.
 * @id: property or check id ("INV-01", "WARN_ON_ONCE", "assert").
 * @fmt: one sentence saying what went wrong.
 */
_Noreturn void vis_fail(const char *id, struct vis_site site, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * vis_limit - a limit of the checker was reached (not a property of the
 * program): end the execution and the search, which is then incomplete,
 * cut by @limit ("thread-limit", ...).  Never returns.
 * @fmt: one sentence saying which limit, its value and what reached it.
 */
_Noreturn void vis_limit(const char *limit, struct vis_site site, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Model-error vs checker-bug: vis_fail is a finding in the model (or the
 * program under test).  A broken invariant of the checker itself is
 * PVM_BUG_ON() in src/lib/bug.h, which exits with code 5.
 */

#define VIS_READ(obj, w)  vis_op(VIS_KIND_READ, (obj), VIS_SITE(w))
#define VIS_WRITE(obj, w) vis_op(VIS_KIND_WRITE, (obj), VIS_SITE(w))
#define VIS_RMW(obj, w)   vis_op(VIS_KIND_RMW, (obj), VIS_SITE(w))
#define VIS_GHOST_READ(obj, w) vis_op(VIS_KIND_READ, (obj), VIS_GHOST(w))
#define VIS_GHOST_RMW(obj, w)  vis_op(VIS_KIND_RMW, (obj), VIS_GHOST(w))

#endif /* PVM_CHECK_VISIBLE_H */
