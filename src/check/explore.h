/* SPDX-License-Identifier: MIT */
/*
 * explore.h - the exploration engine's public contract.
 *
 * A program is a reset function and an initial thread.  The explorer runs
 * the program many times (stateless re-execution); before each execution it
 * calls reset() to restore the initial world, then runs the initial thread,
 * which spawns the others through vis_spawn().  Every visible operation is a
 * scheduling point where the explorer picks the next thread:
 *
 *   EXPLORE_DPOR    exhaustive, optimal DPOR with wakeup trees and sleep sets
 *                   (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014): one
 *                   complete execution per Mazurkiewicz trace;
 *   EXPLORE_RANDOM  uniformly random walks, seeded;
 *   EXPLORE_PCT     probabilistic concurrency testing (Burckhardt et al. 2010);
 *   EXPLORE_REPLAY  one execution following a recorded schedule.
 *
 * The result is deterministic for a given program and options.
 */
#ifndef PVM_CHECK_EXPLORE_H
#define PVM_CHECK_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "visible.h"

#define EXPLORE_MAX_THREADS	64	/* thread sets are 64-bit masks (sched.h) */
#define EXPLORE_MAX_STEPS	4096	/* per execution; more is a no-progress finding
					 * (a step bound above it: a limit, see limit) */
#define EXPLORE_NOTE_LEN	96
#define EXPLORE_MSG_LEN		256

enum explore_mode {
	EXPLORE_DPOR,
	EXPLORE_RANDOM,
	EXPLORE_PCT,
	EXPLORE_REPLAY,
	EXPLORE_STATEFUL,	/* explicit-state DFS with sleep sets (stateful.c) */
};

enum explore_verdict {
	VERDICT_SAFE,		/* every execution within the bounds explored, no finding */
	VERDICT_VIOLATION,	/* a property or assertion failed */
	VERDICT_DEADLOCK,	/* every live thread blocked */
	VERDICT_NO_PROGRESS,	/* an execution exceeded the step bound */
	VERDICT_INCOMPLETE,	/* a bound, timeout or interrupt cut the search */
};

/* A range of memory holding part of a program's shared state (stateful mode). */
struct program_region {
	void *addr;
	size_t len;
	bool nohash;			/* restored with the state, not part of its identity */
};

struct program {
	const char *name;
	void (*reset)(void *ctx);	/* restore the initial world */
	vis_thread_fn main;		/* initial thread (id 0) */
	void *ctx;
	/* optional: called when all threads have exited; may vis_fail() */
	void (*at_exit)(void *ctx);
	/* optional: called after every step while recording or with --paranoid */
	void (*after_step)(void *ctx);
	/*
	 * optional, needed by EXPLORE_STATEFUL: fill @r (at most @max entries)
	 * with the memory that holds the program's shared state right now
	 * (called between steps, in the scheduler).  Return: the number of
	 * regions, or -1 if this program cannot be explored statefully.
	 */
	int (*state_regions)(void *ctx, struct program_region *r, int max);
	/* optional: called after the regions of a saved state were copied back */
	void (*state_restored)(void *ctx);
	/*
	 * Optional, for the symmetry reduction (opts.symmetry, stateful only).
	 * thread_class: the class of thread @tid, 0 when no other thread is
	 * declared identical to it.  Threads of one class run the same code on
	 * the same arguments and nothing depends on the order of their ids (no
	 * loop over threads whose order shows), so renaming them maps each
	 * execution to another execution of the program.
	 * canon_state: write to @buf (8-byte aligned, canon_size bytes) the
	 * hashed part of the state_regions (it replaces them in the state's
	 * identity, with or without symmetry; it may leave out what the
	 * program never reads for a decision) as it would read with every thread
	 * id t renamed to @sigma[t] (per-thread records moved to their new
	 * index, thread ids stored in the state rewritten), and the parts that
	 * only name a classed thread (bit t of @classed) blanked.  Return: the
	 * bytes written.
	 * thread_key: a hash of thread @tid's own part of that state (which
	 * orders the threads of a class; a poor key costs merges, never
	 * soundness).
	 */
	int (*thread_class)(void *ctx, int tid);
	/*
	 * optional: the fairness class of a no-progress finding met now (the
	 * program's state is the one the loop was detected in), @looping the
	 * threads (bit t) whose steps make up the loop, or every live thread
	 * when the loop is not known (the stateless step bound).  Return: NULL
	 * for the default class ("unconditional": the loop goes on whatever
	 * the program's environment answers), else a string literal
	 * "no-progress/CLASS", the finding's site.what (a literal: forked
	 * workers hand findings to the parent by value; doc/engine.md "Step
	 * bound").  Context: scheduler side.
	 */
	const char *(*no_progress_class)(void *ctx, uint64_t looping);
	/* optional: thread @tid's record in the program state, [*lo, *hi) (a
	 * pointer into it names the thread: renamed like a thread id) */
	void (*thread_record)(void *ctx, int tid, uintptr_t *lo, uintptr_t *hi);
	size_t canon_size;
	size_t (*canon_state)(void *ctx, const int *sigma, uint64_t classed, void *buf);
	uint64_t (*thread_key)(void *ctx, int tid);
	/*
	 * optional: bytes zeroed at the top of each thread's stack before it
	 * starts, so that its uninitialised slots hold the same bytes in every
	 * execution (pvcheck run's spin-assume compares stacks; 0: none).
	 */
	size_t start_scrub;
};

struct explore_opts {
	enum explore_mode mode;
	uint64_t max_executions;	/* 0: unbounded */
	int preemption_bound;		/* -1: unbounded */
	int depth_bound;		/* 0: EXPLORE_MAX_STEPS; longer is cut (incomplete) */
	int step_bound;			/* 0: EXPLORE_MAX_STEPS; longer is a no-progress finding */
	uint64_t random_runs;		/* RANDOM/PCT: number of walks; DPOR: random pre-phase */
	uint64_t seed;
	int pct_depth;			/* PCT bug depth d (priority change points + 1) */
	uint64_t random_order;		/* DPOR: 0 = lowest thread first; else seed of the order */
	double timeout;			/* seconds, 0 = none */
	bool paranoid;			/* call after_step after every step */
	bool keep_going;		/* do not stop at the first finding (counts only) */
	const int *replay;		/* EXPLORE_REPLAY: thread ids (choices as -1-value) */
	size_t replay_len;
	volatile int *interrupt;	/* set non-zero (e.g. by SIGINT) to stop */
	void (*progress)(void *arg, uint64_t executions, double seconds);
	void *progress_arg;
	size_t state_memory;		/* STATEFUL: bytes for the visited table and the POR's tables (0: 4 GiB) */
	bool no_por;			/* STATEFUL: sleep sets only, every state visited */
	bool no_sleep;			/* STATEFUL: no sleep sets either (with no_por and
					 * a preemption bound: every execution within the
					 * bound, as explore_simplest_all's exact search
					 * needs; sleep sets drop an order that needs
					 * fewer preemptions than the one kept) */
	bool symmetry;			/* STATEFUL: states equal up to a renaming of
					 * identical threads (program.thread_class) are
					 * one state */
	bool commute_adds;		/* VIS_KIND_ADD ops commute with each other (their
					 * results must be unused; off: as RMW) */
	const char *want_finding;	/* only a finding with this id counts (and stops
					 * the search); others end their execution only,
					 * with finding_races on */
	/*
	 * all_findings: search on past every finding (as keep_going) and
	 * collect each distinct one, by (id, site file:line), in
	 * explore_result.findings with the schedule of the fewest-preemption
	 * execution that met it.  finding_races: an execution that ends in a
	 * finding leaves the other threads' next steps pending; DPOR reverses
	 * them into the search as if they ran last, before the failing step
	 * (doc/engine.md "Every finding").  Without it, a finding hides what
	 * the other threads would find in orders that run them first.
	 */
	bool all_findings;
	bool finding_races;
	int jobs;			/* DPOR without a preemption bound: worker
					 * processes (frontier.c); 0, 1: none */
	void (*worker_init)(int worker);	/* optional: called in each worker
					 * process after fork (tests: per-worker output) */
	/*
	 * example (the CLI's --example): stop at the example-th execution
	 * that ends with every thread exited and that example_pick accepts
	 * (NULL: every one), counted in the search's own order, and keep its
	 * trace with notes in explore_result.example.  A safe verdict has no
	 * trace of its own; this one shows what "safe" looked like.  Counted
	 * by the re-executing searches of one process (DPOR, its pre-phase
	 * off): the CLI runs it with jobs 1, random_runs 0.  example_pick
	 * runs in the scheduler with the world at the execution's end.
	 */
	uint64_t example;
	bool (*example_pick)(void *arg);
	void *example_arg;
};

#define EXPLORE_MAX_JOBS	64

/* One step of a recorded execution. */
struct trace_step {
	int tid;
	enum vis_kind kind;
	const void *obj;
	struct vis_site site;
	int value;			/* CHOOSE: value chosen; TRYLOCK: acquired */
	int preempt;			/* preemptions up to and including this step */
	char note[EXPLORE_NOTE_LEN];
};

struct trace {
	int nsteps;
	struct trace_step *steps;	/* owned by the result */
	int nthreads;
	char thread_names[EXPLORE_MAX_THREADS][32];
	int schedule_len;		/* the choices that replay this trace */
	int *schedule;
};

struct finding {
	enum explore_verdict verdict;	/* VIOLATION, DEADLOCK or NO_PROGRESS */
	char id[32];			/* "INV-01", "assert", "deadlock" ... */
	char message[EXPLORE_MSG_LEN];
	int tid;
	struct vis_site site;
	/*
	 * In a recorded trace only (explore_result.finding): the earlier
	 * access a finding pairs with (a data race's other access,
	 * vis_finding_pair): its step + 1 (0: none), its thread and site.
	 */
	int pair_step;
	int pair_tid;
	struct vis_site pair_site;
};

/* One distinct finding of a search under explore_opts.all_findings. */
struct explore_found {
	struct finding finding;
	int preemptions;		/* of the schedule kept: the fewest met */
	uint64_t execution;		/* executions counted when it was first met */
	uint64_t walk;			/* random walks run by then */
	int schedule_len;
	int *schedule;			/* replays it (as trace.schedule) */
};

struct explore_result {
	enum explore_verdict verdict;
	bool complete;			/* every execution within the bounds was explored */
	const char *cut_by;		/* why not complete: "max-executions", "timeout", ... */
	uint64_t executions;		/* complete executions (finished or finding) */
	uint64_t blocked;		/* executions ending in deadlock */
	uint64_t sleep_blocked;		/* redundant executions cut by sleep sets (0 if optimal) */
	uint64_t spin_blocked;		/* executions ended with a thread blocked in a no-op
					 * loop iteration others made stale (vis_spin_block;
					 * GenMC's "blocked"); not counted in executions */
	uint64_t infeasible;		/* wakeup-tree branches that could not be followed */
	uint64_t steps;			/* steps executed, all executions, including replays */
	uint64_t random_executions;	/* executions of the random pre-phase */
	double seconds;
	uint64_t interleavings;		/* a test oracle's strategy: interleavings run */
	bool diverged;			/* REPLAY: the schedule did not fit the program */
	int preemptions;		/* of the reported trace */
	/* STATEFUL (stateful == true): explicit-state search */
	bool stateful;
	uint64_t states;		/* distinct states stored */
	uint64_t transitions;		/* steps executed by the search */
	uint64_t revisits;		/* transitions that reached a stored state */
	size_t state_bytes;		/* peak memory of the visited table, the path and por_bytes */
	size_t por_bytes;		/* of it, the stateful POR's tables (summaries, keys) */
	/*
	 * A cycle met was judged for weak fairness (stateful_fair.c): the
	 * states of the whole graph searched to judge it, and whether a
	 * weakly fair cycle exists (then the finding is one of them).
	 */
	uint64_t fair_states;
	bool fair_cycle;
	uint64_t switched_after;	/* stateless executions before a switch to stateful (0: none) */
	int workers;			/* parallel DPOR: worker processes (0: none) */
	int subtrees;			/* parallel DPOR: frontier nodes */
	int frontier_depth;		/* parallel DPOR: longest prefix of a subtree */
	char error[EXPLORE_MSG_LEN];	/* why explore() failed (-ECHILD: which worker) */
	/*
	 * A limit of the checker (not a property of the program) that ended
	 * the search: cut_by names it ("thread-limit", "step-limit",
	 * "race-table", "wakeup-tree-pool", "object-table"), this says what was
	 * reached and where; the verdict is then incomplete, never a finding.
	 */
	char limit[EXPLORE_MSG_LEN];
	bool found;
	struct finding finding;
	struct trace trace;		/* of the finding, with notes (found only) */
	/* all_findings: every distinct finding met, in the order met */
	bool all_findings;
	int nfindings;
	struct explore_found *findings;
	/*
	 * opts.example: the execution asked for, when the search reached it
	 * (the search then stops: incomplete, cut_by "example"): its number
	 * among the executions counted (executions at that point) and its
	 * trace with notes and schedule, as a finding's trace.
	 */
	bool example_found;
	uint64_t example_exec;
	struct trace example;
};

/**
 * explore - explore @prog under @opts.
 * @res: filled in; release with explore_result_free().
 *
 * With @opts->jobs > 1, a DPOR search without a preemption bound forks
 * worker processes (frontier.c): same verdict and, for a complete search,
 * the same count of executions.
 *
 * Context: process context, not reentrant (one exploration at a time).
 * Return: 0; -ENOMEM if the engine's fixed pools could not be set up; with
 * workers, -ECHILD if one died (@res->error names it) or -errno if they
 * could not be started.
 */
int explore(const struct program *prog, const struct explore_opts *opts,
	    struct explore_result *res);

/**
 * explore_result_free - release the trace and schedule of @res.
 * Context: any, once per explore().
 */
void explore_result_free(struct explore_result *res);

/**
 * explore_opts_defaults - @opts as the command line's defaults: DPOR, no
 * bounds, seed 1, PCT depth 3.
 * Context: any.
 */
void explore_opts_defaults(struct explore_opts *opts);

/*
 * Debug hook for the model audit (tests/audit, `make audit`): NULL unless an
 * audit harness installs one; costs one branch per step otherwise.
 * @step is called in the scheduler right after event @ev of thread @tid is
 * committed and before the thread runs on: everything that thread does until
 * its next announcement belongs to event @ev.  @pred/@parg: the predicate of
 * a wait or conditional RMW (else NULL), so the audit can attribute the
 * predicate's reads to the step.  explore_happens_before() answers, for two
 * committed events of the current execution, whether @i happens-before @j.
 */
struct explore_audit {
	void (*step)(void *arg, int ev, int tid, enum vis_kind kind, const void *obj,
		     struct vis_site site, vis_pred_fn pred, const void *parg);
	void *arg;
};
extern const struct explore_audit *explore_audit_hook;
bool explore_happens_before(int i, int j);

/* ==== The search policy (auto.c) ====================================== */

#define EXPLORE_AUTO_STATEFUL_AFTER	20000	/* stateless executions before the switch */

/* How far explore_simplest() minimised the trace's preemptions. */
enum explore_simplest {
	EXPLORE_SIMPLEST_NONE,		/* not searched (no finding, not DPOR, interrupted) */
	EXPLORE_SIMPLEST_FEWEST,	/* every smaller bound explored without it */
	EXPLORE_SIMPLEST_BOUNDED,	/* a smaller bound's search was cut */
	EXPLORE_SIMPLEST_EXACT,		/* explore_simplest_all: every smaller bound
					 * searched completely (stateful, no reduction) */
};

struct explore_policy {
	bool may_switch;		/* explore_auto may go stateful */
	/*
	 * run - one exploration: explore() with the caller's progress line
	 * and error handling.  Return: 0, or the caller's exit code (then
	 * @res is released).
	 */
	int (*run)(void *arg, const struct program *prog, const struct explore_opts *opts,
		   struct explore_result *res);
	/* optional: explore_simplest replaced the trace; the world is at its end */
	void (*at_finding)(void *arg);
	void *arg;
};

/**
 * explore_auto - the default search: stateless DPOR for
 * EXPLORE_AUTO_STATEFUL_AFTER executions, then, if that did not settle it
 * and @p->may_switch and @opts allow it, the stateful search from the start.
 * Context: process context, as explore().
 * Return: 0, or what @p->run returned.
 */
int explore_auto(const struct program *prog, const struct explore_opts *opts,
		 const struct explore_policy *p, struct explore_result *res);

/**
 * explore_simplest - after a DPOR search found @res's finding, search for
 * the same finding under preemption bounds 0, 1, ... below its count and
 * take the first trace found; the counts add up.  *@how says how far the
 * count is minimised.
 * Context: process context, as explore().
 * Return: 0 (a failed run leaves the first trace).
 */
int explore_simplest(const struct program *prog, const struct explore_opts *opts,
		     const struct explore_policy *p, struct explore_result *res,
		     enum explore_simplest *how);

/**
 * explore_simplest_all - explore_simplest for each finding of an
 * all_findings result: one search under each preemption bound 0, 1, ...
 * below the most any finding's schedule needs, each finding taking the
 * schedule of the first bound that meets it.  The counts add up.  A
 * program with a state (state_regions) gets a stateful search without
 * partial-order reduction or sleep sets, which is complete under its bound,
 * so each figure is the exact fewest (@how EXPLORE_SIMPLEST_EXACT, unless
 * a search was cut); otherwise DPOR with finding_races, whose figure is an
 * upper bound (DPOR under a preemption bound is incomplete).
 * Context: process context, as explore().
 * Return: 0 (a failed run leaves the schedules found).
 */
int explore_simplest_all(const struct program *prog, const struct explore_opts *opts,
			 const struct explore_policy *p, struct explore_result *res,
			 enum explore_simplest *how);

/**
 * explore_found_merge - add @f (its schedule copied) to @to's findings, or
 * give the one with its id and site @f's schedule when @f needs fewer
 * preemptions.
 * Context: any.
 */
void explore_found_merge(struct explore_result *to, const struct explore_found *f);

/**
 * explore_same_finding - Return: whether @a and @b are one finding: the
 * same id at the same site (file and line); two no-progress findings are
 * one when their fairness classes are (explore_no_progress_class).
 * Context: any.
 */
bool explore_same_finding(const struct finding *a, const struct finding *b);

/**
 * explore_no_progress_class - the fairness class a no-progress finding's
 * site.what names: "unconditional" for "no-progress" (or none), else the
 * CLASS of "no-progress/CLASS".
 * Context: any.
 * Return: a pointer into @what or a literal.
 */
const char *explore_no_progress_class(const char *what);

/**
 * explore_findings_sort - order @res's findings by id, file and line (the
 * order reports print them in: the same whatever order they were met in).
 * Context: any.
 */
void explore_findings_sort(struct explore_result *res);

/**
 * explore_verdict_name - Return: the name of verdict @v ("safe", ...).
 * Context: any.
 */
const char *explore_verdict_name(enum explore_verdict v);

/**
 * vis_kind_name - Return: the name of operation kind @k ("read", ...).
 * Context: any.
 */
const char *vis_kind_name(enum vis_kind k);

#endif /* PVM_CHECK_EXPLORE_H */
