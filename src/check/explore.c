// SPDX-License-Identifier: MIT
/*
 * explore.c - the exploration engine: cooperative threads, the scheduler,
 * optimal DPOR with wakeup trees and sleep sets, random walks, PCT, replay,
 * and a brute-force enumerator used by the tests as an oracle.
 *
 * Stateless re-execution: every execution starts from program->reset() and
 * replays a prefix of recorded decisions, then explores.  The explorer keeps
 * one node per position of the current execution (sleep set, wakeup tree,
 * the choice taken); positions past the backtrack point are rebuilt.
 *
 * Hot path: a step is two fiber switches (thread -> scheduler -> thread),
 * a vector-clock join and a few table look-ups; nothing allocates.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check/explore_int.h"
#include "lib/bug.h"

#define STACK_SIZE	(256 * 1024)
#define OBJ_SLOTS	4096		/* objects per execution (hash table) */
#define MAX_RACES	(1 << 16)
#define WUT_POOL	(1 << 20)

/* ==== Threads ==================================================== */

enum tstate { T_FREE, T_LIVE, T_EXITED };

struct pending {
	enum vis_kind kind;
	const void *obj;
	struct vis_site site;
	vis_pred_fn pred;
	const void *parg;
	vis_thread_fn fn;	/* SPAWN */
	void *farg;
	const char *name;
	int target;		/* JOIN */
};

struct thread {
	struct fiber fiber;
	enum tstate state;
	vis_thread_fn fn;
	void *arg;
	struct pending pend;
	int32_t nev;		/* events executed */
	int32_t last_ev;	/* index of its last event */
	int ret;		/* value handed back to the fiber */
	int prio;		/* PCT priority */
	char name[32];
	/* clock of its last event (or of its spawn); entries < E.nthreads (clock_width) */
	uint32_t clock[MAXT];
};

/* ==== Explorer nodes and wakeup trees ============================= */

struct wnode {
	struct op op;
	int32_t child, sibling;
};

struct node {
	int32_t wut;		/* first child: sequences to explore (incl. current) */
	tset_t sleep;		/* threads asleep here */
	tset_t inherited;	/* of them, asleep since the frontier (parallel.c) */
	int16_t cur;		/* thread chosen here */
	bool is_choice;
	int32_t nchoices;
	int32_t choice;
	uint64_t choices_done;	/* bitmask of values explored (<= 64 values) */
	tset_t tried;		/* brute force: threads tried here */
	tset_t enabled;		/* threads enabled at this decision */
	int32_t preempt;	/* preemptions before this decision */
	/* last: the fields above share a cache line, this is 1 KiB at 64 threads */
	struct op sleep_op[MAXT];	/* of the threads in sleep (as executed) */
};

struct objent {
	const void *obj;
	int32_t last_write;
	int32_t last_read;
	int32_t last_add;	/* commuting adds since the last write (chain) */
	int16_t owner;		/* lock state: exclusive owner or -1 */
	int16_t readers;	/* lock state: shared holders */
};

/* ==== The engine (one exploration at a time) ===================== */

static struct engine {
	const struct program *prog;
	const struct explore_opts *opts;
	struct explore_result *res;

	struct fiber sched;
	struct thread threads[MAXT];
	int nthreads;
	int cur;			/* running thread, -1 in the scheduler */
	bool in_sched;
	jmp_buf sched_jmp;		/* vis_fail from scheduler context */
	int spawn_counter;		/* object for spawns (ids are shared state) */

	struct event ev[MAXEV + 1];
	int nev;
	char (*notes)[EXPLORE_NOTE_LEN];
	bool recording;

	struct objent objs[OBJ_SLOTS];
	int used_slots[OBJ_SLOTS];
	int nused;

	struct node nodes[MAXEV + 1];
	int replay_to;			/* positions < replay_to follow nodes[].cur */
	bool bt_choice;			/* the backtrack point is a choice node */

	int32_t races[MAX_RACES][2];
	int nraces;

	struct wnode *wpool;
	int32_t wfree;

	/* how the current execution ended */
	enum { END_NONE, END_DONE, END_FINDING, END_DEADLOCK, END_SLEEP,
	       END_INFEASIBLE, END_CUT, END_DIVERGED, END_PREFIX, END_LIMIT } end;
	struct finding finding;
	const char *cut_reason;
	/* a checker limit reached (set_limit): the search stops, incomplete */
	const char *limit;
	char limit_msg[EXPLORE_MSG_LEN];
	struct objent obj_spare;	/* what obj_lookup returns once the table is full */

	/* random / PCT */
	uint64_t rng;
	int pct_change[8];
	int pct_nchange;
	int pct_len_est;
	size_t replay_pos;

	/* brute force */
	uint64_t *sigset;
	size_t sigcap, sigcount;
	uint64_t interleavings;

	/* parallel exploration (parallel.c): the subtree below a frontier node */
	int base;			/* its root position: no backtracking above it */
	volatile uint64_t *par_count;	/* executions of the subtree, for the parent */
	bool enumerating;		/* eng_frontier: replay a prefix, stop at its end */
	tset_t prefix_en;		/* END_PREFIX at a scheduling point: enabled threads */
	int prefix_nchoices;		/* END_PREFIX at a choice: its values (else 0) */

	struct timespec t0;
	bool stop;
} E;

const struct explore_audit *explore_audit_hook;

/* Bytes of a vector clock in use: one entry per thread spawned so far (clock_new_thread). */
static inline size_t clock_width(void)
{
	return (size_t)E.nthreads * sizeof(uint32_t);
}


/* ==== Small helpers ================================================ */

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - E.t0.tv_sec) + (double)(t.tv_nsec - E.t0.tv_nsec) * 1e-9;
}

static uint64_t rng_next(void)
{
	/* xorshift64*: deterministic across machines */
	uint64_t x = E.rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	E.rng = x;
	return x * 2685821657736338717ULL;
}

static void rng_seed(uint64_t s)
{
	E.rng = s ? s * 0x9E3779B97F4A7C15ULL : 0x853c49e6748fea9bULL;
	if (!E.rng)
		E.rng = 1;
}

const char *explore_verdict_name(enum explore_verdict v)
{
	switch (v) {
	case VERDICT_SAFE: return "safe";
	case VERDICT_VIOLATION: return "violation";
	case VERDICT_DEADLOCK: return "deadlock";
	case VERDICT_NO_PROGRESS: return "no-progress";
	case VERDICT_INCOMPLETE: return "incomplete";
	}
	return "?";
}

const char *vis_kind_name(enum vis_kind k)
{
	static const char *const names[VIS_KIND_NR] = {
		"read", "write", "rmw", "lock", "lock_shared", "unlock", "trylock",
		"wait", "wait_rmw", "spawn", "join", "choose", "exit", "rmw_if", "add",
	};
	return (unsigned)k < VIS_KIND_NR ? names[k] : "?";
}

/* ==== Limits of the checker ========================================== */

/*
 * set_limit - a fixed size of the checker (not a property of the program)
 * was reached: note it as @name with a message, and end the current
 * execution (END_LIMIT) if nothing has ended it yet.  The driver then
 * stops the search (account()): incomplete, cut by @name.  Nothing else
 * recorded in this execution counts, not even a finding met while the
 * step runs to its end (set_finding).
 */
static void set_limit(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_limit(const char *name, const char *fmt, ...)
{
	va_list ap;

	if (!E.limit) {
		E.limit = name;
		va_start(ap, fmt);
		vsnprintf(E.limit_msg, sizeof(E.limit_msg), fmt, ap);
		va_end(ap);
	}
	if (E.end == END_NONE)
		E.end = END_LIMIT;	/* a finding met before the limit stands */
}

/* ==== Object table (per execution) =================================== */

static struct objent *obj_lookup(const void *obj)
{
	uintptr_t h = (uintptr_t)obj;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ULL;
	unsigned i = (unsigned)(h >> 52) & (OBJ_SLOTS - 1);
	for (;;) {
		struct objent *o = &E.objs[i];
		if (o->obj == obj)
			return o;
		if (!o->obj) {
			if (E.nused >= OBJ_SLOTS / 2) {
				/* the execution ends at this step: a blank entry for its rest */
				set_limit("object-table", "more than %d shared objects in one "
					  "execution (OBJ_SLOTS / 2, pvcheck's limit)", OBJ_SLOTS / 2);
				o = &E.obj_spare;
				o->obj = NULL;
				o->last_write = -1;
				o->last_read = -1;
				o->last_add = -1;
				o->owner = -1;
				o->readers = 0;
				return o;
			}
			o->obj = obj;
			o->last_write = -1;
			o->last_read = -1;
			o->last_add = -1;
			o->owner = -1;
			o->readers = 0;
			E.used_slots[E.nused++] = (int)i;
			return o;
		}
		i = (i + 1) & (OBJ_SLOTS - 1);
	}
}

static void obj_reset(void)
{
	for (int k = 0; k < E.nused; k++)
		E.objs[E.used_slots[k]].obj = NULL;
	E.nused = 0;
}

/* ==== Wakeup-tree pool ================================================ */

/* A node of the pool holding @op; Return: its index, or -1 (a limit) when the pool is empty. */
static int32_t wnode_new(const struct op *op)
{
	int32_t n = E.wfree;
	if (n < 0) {
		set_limit("wakeup-tree-pool", "the wakeup trees of one search need more than %d "
			  "nodes (WUT_POOL, pvcheck's limit)", WUT_POOL);
		return -1;
	}
	E.wfree = E.wpool[n].sibling;
	E.wpool[n].op = *op;
	E.wpool[n].child = -1;
	E.wpool[n].sibling = -1;
	return n;
}

static void wnode_free_tree(int32_t n)
{
	while (n >= 0) {
		int32_t next = E.wpool[n].sibling;
		wnode_free_tree(E.wpool[n].child);
		E.wpool[n].sibling = E.wfree;
		E.wfree = n;
		n = next;
	}
}

/* Remove child @c from the list starting at *@head and free its subtree. */
static void wnode_remove(int32_t *head, int32_t c)
{
	for (int32_t *p = head; *p >= 0; p = &E.wpool[*p].sibling) {
		if (*p == c) {
			*p = E.wpool[c].sibling;
			E.wpool[c].sibling = -1;
			wnode_free_tree(c);
			return;
		}
	}
	PVM_BUG();
}

/* Deep copy of a sibling list and everything below it. */
static int32_t wnode_copy_tree(int32_t n)
{
	int32_t head = -1, *tail = &head;
	for (; n >= 0; n = E.wpool[n].sibling) {
		int32_t c = wnode_new(&E.wpool[n].op);
		if (c < 0)
			break;		/* a limit: the search stops after this execution */
		E.wpool[c].child = wnode_copy_tree(E.wpool[n].child);
		*tail = c;
		tail = &E.wpool[c].sibling;
	}
	return head;
}

/* ==== Model-side entry points (run on a fiber) ====================== */

static struct thread *self(void)
{
	PVM_BUG_ON(E.cur < 0 || E.in_sched);
	return &E.threads[E.cur];
}

static void to_scheduler(struct thread *th)
{
	fiber_switch(&th->fiber, &E.sched);
}

static void announce(enum vis_kind kind, const void *obj, struct vis_site site)
{
	struct thread *th = self();
	th->pend.kind = kind;
	th->pend.obj = obj;
	th->pend.site = site;
	to_scheduler(th);
}

void vis_op(enum vis_kind kind, const void *obj, struct vis_site site)
{
	PVM_BUG_ON(kind != VIS_KIND_READ && kind != VIS_KIND_WRITE && kind != VIS_KIND_RMW &&
		   kind != VIS_KIND_ADD);
	announce(kind, obj, site);
}

void vis_lock(const void *obj, bool shared, struct vis_site site)
{
	announce(shared ? VIS_KIND_LOCK_SHARED : VIS_KIND_LOCK, obj, site);
}

void vis_unlock(const void *obj, struct vis_site site)
{
	announce(VIS_KIND_UNLOCK, obj, site);
}

bool vis_rmw_if(const void *obj, vis_pred_fn pred, const void *arg, struct vis_site site)
{
	struct thread *th = self();
	th->pend.pred = pred;
	th->pend.parg = arg;
	announce(VIS_KIND_RMW_IF, obj, site);
	return self()->ret != 0;
}

bool vis_trylock(const void *obj, struct vis_site site)
{
	announce(VIS_KIND_TRYLOCK, obj, site);
	return self()->ret != 0;
}

void vis_wait(const void *obj, bool rmw, vis_pred_fn pred, const void *arg,
	      struct vis_site site)
{
	struct thread *th = self();
	th->pend.pred = pred;
	th->pend.parg = arg;
	announce(rmw ? VIS_KIND_WAIT_RMW : VIS_KIND_WAIT, obj, site);
}

int vis_spawn(vis_thread_fn fn, void *arg, const char *name, struct vis_site site)
{
	struct thread *th = self();
	th->pend.fn = fn;
	th->pend.farg = arg;
	th->pend.name = name;
	announce(VIS_KIND_SPAWN, &E.spawn_counter, site);
	return self()->ret;
}

void vis_join(int tid, struct vis_site site)
{
	struct thread *th = self();
	if (tid < 0 || tid >= E.nthreads || tid == E.cur)
		vis_fail("join", site, "join of an invalid thread id %d", tid);
	th->pend.target = tid;
	announce(VIS_KIND_JOIN, &E.threads[tid], site);
}

int vis_self(void)
{
	return E.cur;
}

const char *vis_self_name(void)
{
	return E.threads[E.cur].name;
}

bool vis_recording(void)
{
	return E.recording;
}

void vis_note(const char *fmt, ...)
{
	if (!E.recording || E.nev == 0)
		return;
	int at = E.cur >= 0 && !E.in_sched ? E.threads[E.cur].last_ev : E.nev - 1;
	if (at < 0)
		return;
	char *dst = E.notes[at];
	size_t len = strlen(dst);
	if (len + 3 >= EXPLORE_NOTE_LEN)
		return;
	if (len) {
		strcpy(dst + len, "; ");
		len += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst + len, EXPLORE_NOTE_LEN - len, fmt, ap);
	va_end(ap);
}

static void set_finding(enum explore_verdict v, const char *id, struct vis_site site,
			const char *fmt, va_list ap)
{
	if (E.end == END_LIMIT)
		return;		/* the execution already ended at a limit */
	E.end = END_FINDING;
	E.finding.verdict = v;
	snprintf(E.finding.id, sizeof(E.finding.id), "%s", id);
	vsnprintf(E.finding.message, sizeof(E.finding.message), fmt, ap);
	E.finding.tid = E.in_sched ? -1 : E.cur;
	E.finding.site = site;
}

/* End the execution with a no-progress finding: it ran past @bound steps. */
static void set_no_progress(int bound)
{
	if (E.end == END_LIMIT)
		return;
	E.end = END_FINDING;
	E.finding.verdict = VERDICT_NO_PROGRESS;
	snprintf(E.finding.id, sizeof(E.finding.id), "no-progress");
	snprintf(E.finding.message, sizeof(E.finding.message),
		 "execution exceeded the step bound of %d steps", bound);
	E.finding.tid = -1;
	E.finding.site = (struct vis_site){ .what = "no-progress" };
}

/*
 * steps_exceeded - an execution reached @bound steps: a no-progress finding
 * when @bound is the step bound asked for (opts.step_bound, default
 * EXPLORE_MAX_STEPS); a limit when a larger bound was asked for, which the
 * fixed event arrays cannot hold.
 */
static void steps_exceeded(int bound)
{
	if (E.opts->step_bound > MAXEV)
		set_limit("step-limit", "an execution is longer than %d steps (EXPLORE_MAX_STEPS, "
			  "pvcheck's limit), below the step bound of %d asked for", MAXEV,
			  E.opts->step_bound);
	else
		set_no_progress(bound);
}

_Noreturn void vis_limit(const char *limit, struct vis_site site, const char *fmt, ...)
{
	char msg[EXPLORE_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (site.line > 0)
		set_limit(limit, "%s at %s:%d", msg, site.file ? site.file : "?", site.line);
	else
		set_limit(limit, "%s at %s", msg, site.file ? site.file : site.what ? site.what : "?");
	if (E.in_sched)
		longjmp(E.sched_jmp, 1);
	to_scheduler(self());
	PVM_BUG();	/* an execution that ended at a limit never resumes its threads */
}

_Noreturn void vis_fail(const char *id, struct vis_site site, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_finding(VERDICT_VIOLATION, id, site, fmt, ap);
	va_end(ap);
	if (E.in_sched)
		longjmp(E.sched_jmp, 1);
	struct thread *th = self();
	to_scheduler(th);
	/* an execution that ended in a finding never resumes its threads */
	PVM_BUG();
}

static void thread_entry(void *arg)
{
	struct thread *th = arg;
	fiber_started();
	th->fn(th->arg);
	announce(VIS_KIND_EXIT, th, VIS_SITE("exit"));
	PVM_BUG();	/* an exited thread is never resumed */
}

/* Run thread @t until its next announcement (or finding). */
static void resume(int t)
{
	E.cur = t;
	E.in_sched = false;
	fiber_switch(&E.sched, &E.threads[t].fiber);
	E.in_sched = true;
	E.cur = -1;
}

static void thread_start(int t, vis_thread_fn fn, void *arg, const char *name,
			 const uint32_t *clock)
{
	struct thread *th = &E.threads[t];
	th->state = T_LIVE;
	th->fn = fn;
	th->arg = arg;
	th->nev = 0;
	th->last_ev = -1;
	memset(th->clock, 0, sizeof(th->clock));
	if (clock)
		memcpy(th->clock, clock, clock_width());
	if (name) {
		strncpy(th->name, name, sizeof(th->name) - 1);
		th->name[sizeof(th->name) - 1] = '\0';
	} else {
		th->name[0] = 'T';
		th->name[1] = (char)('0' + t / 10);
		th->name[2] = (char)('0' + t % 10);
		th->name[3] = '\0';
		if (t < 10) {
			th->name[1] = (char)('0' + t);
			th->name[2] = '\0';
		}
	}
	fiber_init(&th->fiber, thread_entry, th);
	/* run to the first visible operation: the code before it is local */
	resume(t);
}

/* ==== Choice points (called on the fiber) ============================= */

static void record_choice(int value, struct vis_site site);

int vis_choose(int n, struct vis_site site)
{
	PVM_BUG_ON(n < 1);
	if (n == 1)
		return 0;
	if (n > 64)
		vis_fail("choose", site, "vis_choose(%d): at most 64 values", n);
	int pos = E.nev;
	if (pos >= MAXEV) {
		steps_exceeded(MAXEV);
		to_scheduler(self());
		PVM_BUG();
	}
	struct node *nd = &E.nodes[pos];
	int value = 0;
	const struct explore_opts *o = E.opts;

	if (o->mode == EXPLORE_REPLAY) {
		if (E.enumerating && E.replay_pos >= o->replay_len) {
			/* eng_frontier: the prefix ends at this choice */
			E.prefix_nchoices = n;
			E.end = END_PREFIX;
			to_scheduler(self());
			PVM_BUG();
		}
		if (E.replay_pos >= o->replay_len || o->replay[E.replay_pos] >= 0) {
			E.end = END_DIVERGED;
			to_scheduler(self());
			PVM_BUG();
		}
		value = -1 - o->replay[E.replay_pos++];
		if (value >= n) {
			E.end = END_DIVERGED;
			to_scheduler(self());
			PVM_BUG();
		}
	} else if (o->mode == EXPLORE_RANDOM || o->mode == EXPLORE_PCT) {
		value = (int)(rng_next() % (uint64_t)n);
	} else if (o->mode == EXPLORE_STATEFUL) {
		/* a choice is a branching transition of its own (stateful.c) */
		struct thread *th = self();
		th->pend.kind = VIS_KIND_CHOOSE;
		th->pend.obj = NULL;
		th->pend.target = n;
		th->pend.site = site;
		to_scheduler(th);
		return self()->ret;	/* the event was committed by eng_step() */
	} else if (pos < E.replay_to || (pos == E.replay_to && E.bt_choice)) {
		PVM_BUG_ON(!nd->is_choice);
		value = nd->choice;
	} else {
		/*
		 * A fresh choice node keeps the wakeup sequences handed down to
		 * it (nd->wut): each value gets a copy (see dpor_descend).
		 */
		nd->is_choice = true;
		nd->nchoices = n;
		nd->choices_done = 0;
		nd->tried = 0;
		value = 0;
		nd->choice = value;
	}
	record_choice(value, site);
	return value;
}

/* ==== Event execution (scheduler side) ================================= */

static bool thread_enabled(int t)
{
	struct thread *th = &E.threads[t];
	if (th->state != T_LIVE)
		return false;
	switch (th->pend.kind) {
	case VIS_KIND_LOCK: {
		struct objent *o = obj_lookup(th->pend.obj);
		return o->owner < 0 && o->readers == 0;
	}
	case VIS_KIND_LOCK_SHARED:
		return obj_lookup(th->pend.obj)->owner < 0;
	case VIS_KIND_WAIT:
	case VIS_KIND_WAIT_RMW:
		return th->pend.pred(th->pend.parg);
	case VIS_KIND_JOIN:
		return E.threads[th->pend.target].state == T_EXITED;
	default:
		return true;
	}
}

static tset_t enabled_mask(tset_t *live)
{
	tset_t en = 0, lv = 0;
	for (int t = 0; t < E.nthreads; t++) {
		if (E.threads[t].state != T_LIVE)
			continue;
		lv |= TSET_BIT(t);
		if (thread_enabled(t))
			en |= TSET_BIT(t);
	}
	*live = lv;
	return en;
}

/*
 * conditional_acc - the access class of a conditional operation (a
 * compare-and-swap through vis_rmw_if, a trylock) that did (@done) or did
 * not take effect: always a write.
 *
 * A failed CAS changes nothing, so classing it as a read would be a finer
 * equivalence (failed CASes commuting with reads and with each other).
 * Optimal DPOR is not complete under it, because the class of a thread's
 * next step is then not a property of the step but of the state it meets:
 *
 *   1. thread p's CAS fails at node n (a read) and p's branch there is
 *      explored; p goes to sleep at n with "read of x";
 *   2. in a later branch from n, reads of x by others keep p asleep;
 *   3. a race reversed below n yields a sequence v that p, as a read, is
 *      independent of, so v counts as covered by p's branch and is dropped;
 *   4. but the execution v was meant to reach runs p after a write that
 *      makes its CAS succeed: p is a write there, dependent on v, and the
 *      trace p's branch covers is another one.  It is never explored.
 *
 * On four threads each doing cas(x, i-1, i) the finer classing explored 13
 * executions of 14 traces; conservative fixes of the sleep-set and
 * wakeup-tree checks alone still lost traces on random programs
 * (tests/unit/test_traces.c).  With one class per operation the letters of
 * the trace alphabet are fixed and the POPL'14 algorithm applies as proved:
 * every trace of the coarser alphabet is explored once.  doc/engine.md,
 * "Conditional operations", has the cost.
 */
static inline uint8_t conditional_acc(bool done)
{
	(void)done;
	return ACC_WRITE;
}

/* The op a thread is about to perform, classified conservatively. */
static struct op pending_op(int t)
{
	struct thread *th = &E.threads[t];
	struct op op = { .obj = th->pend.obj, .tid = (int16_t)t,
			 .kind = (uint8_t)th->pend.kind, .acc = ACC_WRITE, .value = 0 };
	switch (th->pend.kind) {
	case VIS_KIND_READ:
	case VIS_KIND_WAIT:
	case VIS_KIND_LOCK_SHARED:
	case VIS_KIND_JOIN:
		op.acc = ACC_READ;
		break;
	case VIS_KIND_UNLOCK: {
		struct objent *o = obj_lookup(th->pend.obj);
		op.acc = o->owner == t ? ACC_WRITE : ACC_READ;
		break;
	}
	case VIS_KIND_SPAWN:
		op.value = E.nthreads;
		break;
	case VIS_KIND_ADD:
		/* the oracle enumerates interleavings: it keeps adds ordered */
		if (E.opts->commute_adds && E.opts->mode != EXPLORE_BRUTE)
			op.acc = ACC_ADD;
		break;
	default:
		break;
	}
	return op;
}

static void dpor_descend(int pos);

static void add_race(int e, int f)
{
	if (E.nraces >= MAX_RACES) {
		set_limit("race-table", "more than %d races in one execution (MAX_RACES, "
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
static void clock_new_thread(int t)
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
 * commit_event - append event @op of thread @t at position E.nev: vector
 * clock, race candidates, object state.  Race candidates are the conflicting
 * earlier events not already ordered before @t's previous event; for blocking
 * operations (waits, lock acquires) older writes are candidates too, because
 * the write that enabled the wait hides them (see explore_int.h).
 */
static void commit_event(int t, struct op op, struct vis_site site, bool blocking)
{
	int i = E.nev;
	struct thread *th = &E.threads[t];
	struct event *ev = &E.ev[i];
	const uint32_t *pre = th->clock;
	bool races = E.opts->mode == EXPLORE_DPOR;

	ev->op = op;
	ev->tidx = th->nev;
	ev->prev_write = -1;
	ev->prev_read = -1;
	ev->prev_add = -1;
	memcpy(ev->clock, pre, clock_width());
	record_trace_site(i, site);

	if (op.obj && op.acc != ACC_NONE) {
		struct objent *o = obj_lookup(op.obj);
		bool no_race = op.kind == VIS_KIND_JOIN || op.kind == VIS_KIND_EXIT;
		int w = o->last_write;
		if (op.acc == ACC_WRITE || op.acc == ACC_ADD) {
			for (int r = o->last_read; r >= 0; r = E.ev[r].prev_read) {
				struct event *re = &E.ev[r];
				clock_join(ev->clock, re->clock);
				if (races && !no_race && re->op.tid != t && !ev_in_clock(re, pre) &&
				    !(op.kind == VIS_KIND_LOCK && re->op.kind == VIS_KIND_UNLOCK))
					add_race(r, i);
			}
		}
		/* commuting adds conflict with reads and writes, not with each other */
		if (op.acc == ACC_WRITE || op.acc == ACC_READ) {
			for (int a = o->last_add; a >= 0; a = E.ev[a].prev_add) {
				struct event *ae = &E.ev[a];
				clock_join(ev->clock, ae->clock);
				if (races && !no_race && ae->op.tid != t && !ev_in_clock(ae, pre))
					add_race(a, i);
			}
		}
		if (w >= 0) {
			struct event *we = &E.ev[w];
			clock_join(ev->clock, we->clock);
			if (races && !no_race && we->op.tid != t && !ev_in_clock(we, pre) &&
			    !(blocking && we->op.kind == VIS_KIND_UNLOCK))
				add_race(w, i);
			if (races && blocking && !no_race) {
				for (int w2 = we->prev_write; w2 >= 0; w2 = E.ev[w2].prev_write) {
					struct event *e2 = &E.ev[w2];
					if (ev_in_clock(e2, pre))
						break;
					if (e2->op.tid != t && e2->op.kind != VIS_KIND_UNLOCK)
						add_race(w2, i);
				}
			}
		}
		if (op.acc == ACC_WRITE) {
			ev->prev_write = w;
			o->last_write = i;
			o->last_read = -1;
			o->last_add = -1;
		} else if (op.acc == ACC_ADD) {
			ev->prev_write = w;
			ev->prev_add = o->last_add;
			o->last_add = i;
		} else {
			ev->prev_write = w;
			ev->prev_read = o->last_read;
			o->last_read = i;
		}
	}
	ev->clock[t] = (uint32_t)th->nev + 1;
	memcpy(th->clock, ev->clock, clock_width());
	th->nev++;
	th->last_ev = i;
	E.nev++;
	E.res->steps++;
	if (races && i >= E.replay_to)
		dpor_descend(i);
}

static void record_choice(int value, struct vis_site site)
{
	int t = E.cur;
	struct op op = { .obj = NULL, .tid = (int16_t)t, .kind = VIS_KIND_CHOOSE,
			 .acc = ACC_NONE, .value = value };
	commit_event(t, op, site, false);
	E.ev[E.nev - 1].preempt = E.nev >= 2 ? E.ev[E.nev - 2].preempt : 0;
}

/*
 * execute - perform the scheduler's part of thread @t's pending operation,
 * record the event, and let the thread run to its next announcement.
 */
static void execute(int t)
{
	struct thread *th = &E.threads[t];
	struct op op = pending_op(t);
	struct pending *p = &th->pend;
	bool blocking = false;
	int child = -1;

	switch (p->kind) {
	case VIS_KIND_LOCK: {
		struct objent *o = obj_lookup(p->obj);
		o->owner = (int16_t)t;
		op.acc = ACC_WRITE;
		blocking = true;
		break;
	}
	case VIS_KIND_LOCK_SHARED:
		obj_lookup(p->obj)->readers++;
		op.acc = ACC_READ;
		blocking = true;
		break;
	case VIS_KIND_UNLOCK: {
		struct objent *o = obj_lookup(p->obj);
		if (o->owner == t) {
			o->owner = -1;
			op.acc = ACC_WRITE;
		} else if (o->readers > 0) {
			o->readers--;
			op.acc = ACC_READ;
		} else {
			/* record the step first: the finding's schedule must include it */
			op.acc = ACC_WRITE;
			commit_event(t, op, p->site, false);
			E.end = END_FINDING;
			E.finding.verdict = VERDICT_VIOLATION;
			snprintf(E.finding.id, sizeof(E.finding.id), "lockdep");
			snprintf(E.finding.message, sizeof(E.finding.message),
				 "%s releases a lock it does not hold (%s)", th->name,
				 p->site.what ? p->site.what : "unlock");
			E.finding.tid = t;
			E.finding.site = p->site;
			return;
		}
		break;
	}
	case VIS_KIND_TRYLOCK: {
		struct objent *o = obj_lookup(p->obj);
		if (o->owner < 0 && o->readers == 0) {
			o->owner = (int16_t)t;
			th->ret = 1;
		} else {
			th->ret = 0;
		}
		op.acc = conditional_acc(th->ret);
		break;
	}
	case VIS_KIND_WAIT:
		op.acc = ACC_READ;
		blocking = true;
		break;
	case VIS_KIND_WAIT_RMW:
		op.acc = ACC_WRITE;
		blocking = true;
		break;
	case VIS_KIND_RMW_IF:
		th->ret = p->pred(p->parg) ? 1 : 0;
		op.acc = conditional_acc(th->ret);
		break;
	case VIS_KIND_SPAWN:
		if (E.nthreads >= MAXT) {
			set_limit("thread-limit", "%s starts a thread beyond pvcheck's limit of %d "
				  "threads (EXPLORE_MAX_THREADS, the initial thread included) at %s",
				  th->name, MAXT, p->site.what ? p->site.what : "a spawn");
			return;
		}
		child = E.nthreads++;
		clock_new_thread(child);
		op.value = child;
		th->ret = child;
		break;
	default:
		break;
	}
	commit_event(t, op, p->site, blocking);
	if (explore_audit_hook)
		explore_audit_hook->step(explore_audit_hook->arg, E.nev - 1, t, p->kind, p->obj,
					 p->site, (p->kind == VIS_KIND_WAIT ||
						   p->kind == VIS_KIND_WAIT_RMW ||
						   p->kind == VIS_KIND_RMW_IF) ? p->pred : NULL,
					 p->parg);
	if (child >= 0) {
		E.threads[child].state = T_LIVE;
		thread_start(child, p->fn, p->farg, p->name, E.ev[E.nev - 1].clock);
		if (E.end != END_NONE)
			return;
	}
	if (p->kind == VIS_KIND_EXIT) {
		th->state = T_EXITED;
		return;
	}
	resume(t);
}

bool explore_happens_before(int i, int j)
{
	if (i < 0 || j < 0 || i >= E.nev || j >= E.nev || i >= j)
		return false;
	return ev_in_clock(&E.ev[i], E.ev[j].clock);
}

/* ==== Scheduling decisions ============================================== */

static bool would_preempt(int prev, int t, tset_t en)
{
	return prev >= 0 && t != prev && (en & TSET_BIT(prev));
}

static int pick_random(tset_t en)
{
	int cand[MAXT], n = 0;
	for (int t = 0; t < E.nthreads; t++)
		if (en & TSET_BIT(t))
			cand[n++] = t;
	return cand[rng_next() % (uint64_t)n];
}

static int pick_pct(tset_t en, int pos)
{
	for (int k = 0; k < E.pct_nchange; k++) {
		if (E.pct_change[k] == pos && E.nev > 0) {
			int last = E.ev[E.nev - 1].op.tid;
			E.threads[last].prio = k;	/* lowest priorities: change points */
		}
	}
	int best = -1;
	for (int t = 0; t < E.nthreads; t++)
		if ((en & TSET_BIT(t)) && (best < 0 || E.threads[t].prio > E.threads[best].prio))
			best = t;
	return best;
}

/* Fresh choice at a DPOR node: lowest (or seeded-random) enabled thread not asleep. */
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
		return c[rng_next() % (uint64_t)n];
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
	struct node *nd = &E.nodes[pos];

	if (pos < E.replay_to) {
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
		struct op *cop = &E.wpool[c].op;
		int t = cop->tid;
		bool ok = (en & TSET_BIT(t)) && cop->kind != VIS_KIND_CHOOSE;
		if (ok) {
			struct op pop = pending_op(t);
			ok = pop.kind == cop->kind && pop.obj == cop->obj;
		}
		if (ok && E.opts->preemption_bound >= 0 &&
		    nd->preempt + (would_preempt(prev, t, en) ? 1 : 0) > E.opts->preemption_bound) {
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
	struct op op = pending_op(t);
	nd->wut = wnode_new(&op);
	if (nd->wut < 0)
		return -3;	/* the pool is empty: E.end is END_LIMIT */
	return t;
}

/* ==== One execution ================================================= */

static void reset_execution(void)
{
	obj_reset();
	E.nev = 0;
	E.nraces = 0;
	E.end = END_NONE;
	E.cut_reason = NULL;
	E.nthreads = 1;
	E.spawn_counter = 0;
	E.replay_pos = 0;
	for (int t = 0; t < MAXT; t++) {
		E.threads[t].state = T_FREE;
		E.threads[t].ret = 0;
	}
	E.in_sched = true;
	E.cur = -1;
	if (E.prog->reset)
		E.prog->reset(E.prog->ctx);
}

static void finish_deadlock(tset_t live)
{
	E.end = END_DEADLOCK;
	E.finding.verdict = VERDICT_DEADLOCK;
	snprintf(E.finding.id, sizeof(E.finding.id), "deadlock");
	char *m = E.finding.message;
	size_t cap = sizeof(E.finding.message), len = 0;
	len += (size_t)snprintf(m, cap, "every live thread is blocked:");
	for (int t = 0; t < E.nthreads && len < cap; t++) {
		if (!(live & TSET_BIT(t)))
			continue;
		struct pending *p = &E.threads[t].pend;
		len += (size_t)snprintf(m + len, cap - len, " %s waits in %s (%s:%d);",
					E.threads[t].name, p->site.what ? p->site.what : "?",
					p->site.file ? p->site.file : "?", p->site.line);
	}
	E.finding.tid = -1;
	E.finding.site = (struct vis_site){ .what = "deadlock" };
}

/* Run one execution under the current mode. */
static void run_one(void)
{
	const struct explore_opts *o = E.opts;
	int step_bound = o->step_bound > 0 && o->step_bound < MAXEV ? o->step_bound : MAXEV;
	int depth = o->depth_bound > 0 && o->depth_bound < step_bound ? o->depth_bound : 0;

	reset_execution();
	if (setjmp(E.sched_jmp)) {
		/* vis_fail from the scheduler's context (at_exit / after_step) */
		return;
	}
	E.threads[0].state = T_LIVE;
	thread_start(0, E.prog->main, E.prog->ctx, "main", NULL);

	int prev = 0;
	while (E.end == END_NONE) {
		int pos = E.nev;
		if (pos >= step_bound) {
			steps_exceeded(step_bound);
			break;
		}
		if (depth && pos >= depth && o->mode == EXPLORE_DPOR) {
			E.end = END_CUT;
			E.cut_reason = "depth";
			break;
		}
		tset_t live;
		tset_t en = enabled_mask(&live);
		if (!live) {
			/* eng_frontier leaves at_exit to the worker that runs the leaf */
			if (E.prog->at_exit && !E.enumerating)
				E.prog->at_exit(E.prog->ctx);
			E.end = END_DONE;
			break;
		}
		if (!en) {
			finish_deadlock(live);
			break;
		}
		int t;
		switch (o->mode) {
		case EXPLORE_RANDOM:
			t = pick_random(en);
			break;
		case EXPLORE_PCT:
			t = pick_pct(en, pos);
			break;
		case EXPLORE_REPLAY:
			if (E.enumerating && E.replay_pos >= o->replay_len) {
				E.end = END_PREFIX;	/* eng_frontier: the prefix ends here */
				E.prefix_en = en;
				E.prefix_nchoices = 0;
				t = -1;
				break;
			}
			if (E.replay_pos >= o->replay_len || o->replay[E.replay_pos] < 0 ||
			    o->replay[E.replay_pos] >= MAXT ||
			    !(en & TSET_BIT(o->replay[E.replay_pos]))) {
				E.end = END_DIVERGED;
				t = -1;
				break;
			}
			t = o->replay[E.replay_pos++];
			break;
		case EXPLORE_DPOR: {
			struct node *nd = &E.nodes[pos];
			if (pos >= E.replay_to) {
				nd->is_choice = false;
				nd->preempt = pos ? E.ev[pos - 1].preempt : 0;
				nd->enabled = en;
			}
			t = dpor_decide(pos, en, prev);
			if (t == -3) {
				t = -1;		/* a limit ended the execution */
			} else if (t == -1) {
				E.end = (en & ~nd->sleep) ? END_CUT : END_SLEEP;
			} else if (t == -2) {
				E.end = END_CUT;
				t = -1;
			} else {
				nd->cur = (int16_t)t;
			}
			break;
		}
		default: {		/* brute force */
			struct node *nd = &E.nodes[pos];
			if (pos < E.replay_to) {
				t = nd->cur;
			} else {
				nd->is_choice = false;
				nd->tried = 0;
				t = tset_first(en);
			}
			nd->tried |= TSET_BIT(t);
			nd->cur = (int16_t)t;
			nd->sleep = en;	/* brute force: remember what was enabled */
			break;
		}
		}
		if (t < 0)
			break;
		int pre = pos ? E.ev[pos - 1].preempt : 0;
		pre += would_preempt(prev, t, en) ? 1 : 0;
		execute(t);
		for (int k = pos; k < E.nev; k++)
			E.ev[k].preempt = pre;	/* and the choices made in the step */
		prev = t;
		if (E.end == END_NONE && (o->paranoid || E.recording) && E.prog->after_step)
			E.prog->after_step(E.prog->ctx);
	}
}

/* ==== DPOR: race reversal and backtracking ============================== */

#define MAXSEQ MAXEV

static struct op seq_buf[MAXSEQ];

/*
 * is_weak_initial - may thread @p with pending op @pop start sequence @v?
 * Either p occurs in v and its first event there depends on nothing before
 * it in v, or p does not occur in v and its op is independent of all of v.
 * @at: out, index of p's first event in v, or -1.
 */
static bool is_weak_initial(const struct op *pop, const struct op *v, const bool *gone,
			    int n, int *at)
{
	*at = -1;
	for (int k = 0; k < n; k++) {
		if (gone[k])
			continue;
		if (v[k].tid == pop->tid) {
			for (int j = 0; j < k; j++)
				if (!gone[j] && op_dependent(&v[j], &v[k]))
					return false;
			if (v[k].kind == VIS_KIND_CHOOSE && pop->kind == VIS_KIND_CHOOSE &&
			    v[k].value != pop->value)
				return false;
			*at = k;
			return true;
		}
	}
	for (int k = 0; k < n; k++)
		if (!gone[k] && op_dependent(pop, &v[k]))
			return false;
	return true;
}

static bool seq_gone[MAXSEQ];

/* insert - add sequence v (n ops) to the wakeup tree rooted at *@root. */
static void wut_insert(int32_t *root, const struct op *v, int n)
{
	memset(seq_gone, 0, sizeof(bool) * (size_t)n);
	int left = n;
	int32_t *children = root;
	for (;;) {
		int32_t c;
		int at = -1;
		for (c = *children; c >= 0; c = E.wpool[c].sibling)
			if (is_weak_initial(&E.wpool[c].op, v, seq_gone, n, &at))
				break;
		if (c < 0)
			break;
		if (at >= 0) {
			seq_gone[at] = true;
			left--;
		}
		if (E.wpool[c].child < 0)
			return;		/* reached a leaf: v is covered */
		if (left == 0)
			return;
		children = &E.wpool[c].child;
	}
	/* append the rest of v as a new branch, last among the children */
	int32_t *tail = children;
	while (*tail >= 0)
		tail = &E.wpool[*tail].sibling;
	for (int k = 0; k < n; k++) {
		if (seq_gone[k])
			continue;
		int32_t nn = wnode_new(&v[k]);
		if (nn < 0)
			return;	/* a limit: the search stops after this execution */
		*tail = nn;
		tail = &E.wpool[nn].child;
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
	if (E.nodes[e].enabled & TSET_BIT(fo->tid))
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
		if (seq_buf[k].obj == fo->obj)
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
	struct node *nd = &E.nodes[e];
	int n = 0;
	for (int g = e + 1; g < E.nev; g++) {
		if (g == f || E.ev[g].op.kind == VIS_KIND_CHOOSE)
			continue;
		if (!ev_in_clock(ee, E.ev[g].clock))
			seq_buf[n++] = E.ev[g].op;
	}
	seq_buf[n++] = *fop;
	if (blocked_reversal(e, fop, n))
		return;
	/*
	 * Redundant if a sleeping thread could start it (Sleep ∩ WI ≠ ∅).
	 * A thread asleep since the frontier of a parallel search counts only
	 * if it occurs in v as an initial: one that is merely independent of
	 * v may still run after a step that wakes it, and those traces are
	 * found, in the sequential search, by races reversed above the
	 * frontier, which a subtree drops (parallel.c, step 4).
	 */
	memset(seq_gone, 0, sizeof(bool) * (size_t)n);
	for (tset_t m = nd->sleep; m; m &= m - 1) {
		int at, q = tset_first(m);
		if (is_weak_initial(&nd->sleep_op[q], seq_buf, seq_gone, n, &at) &&
		    (at >= 0 || !tset_has(nd->inherited, q)))
			return;
	}
	wut_insert(&nd->wut, seq_buf, n);
}

/*
 * pending_races - an execution that ended with threads blocked: their
 * pending steps never ran, so no race was recorded for them, yet running
 * them before a conflicting step gives other traces (the other thread
 * takes the semaphore, this one blocks).  Treat each pending step as if it
 * ran last.
 */
static void pending_races(void)
{
	for (int q = 0; q < E.nthreads; q++) {
		struct thread *th = &E.threads[q];
		if (th->state != T_LIVE || th->pend.kind == VIS_KIND_JOIN)
			continue;
		struct op pop = pending_op(q);
		if (!pop.obj)
			continue;
		for (int e = E.nev - 1; e >= E.base; e--) {
			const struct event *ev = &E.ev[e];
			if (ev->op.obj != pop.obj || ev->op.tid == q || ev_in_clock(ev, th->clock))
				continue;
			if (!acc_conflict(ev->op.acc, pop.acc))
				continue;
			if (ev->op.kind == VIS_KIND_UNLOCK &&
			    (pop.kind == VIS_KIND_LOCK || pop.kind == VIS_KIND_LOCK_SHARED))
				continue;
			reverse_race(e, -1, &pop);
		}
	}
}

static void analyse_races(void)
{
	for (int r = 0; r < E.nraces; r++) {
		int e = E.races[r][0], f = E.races[r][1];
		/*
		 * A race inside the replayed prefix was in the execution this one
		 * branched from, with the same happens-before, and was reversed
		 * there; its wakeup sequence covers every continuation.
		 */
		if (f < E.replay_to)
			continue;
		/*
		 * Parallel exploration: a race with an event of the prefix above
		 * the frontier (e < E.base) is reversed by a sibling subtree,
		 * because every node above the frontier is fully expanded
		 * (parallel.c); nothing is inserted there.
		 */
		if (e < E.base)
			continue;
		reverse_race(e, f, &E.ev[f].op);
	}
	if (E.end == END_DEADLOCK)
		pending_races();
}

/* Compute the sleep set of node @pos+1 from node @pos and event @pos. */
static void sleep_after(int pos)
{
	struct node *nd = &E.nodes[pos], *nx = &E.nodes[pos + 1];
	const struct op *eop = &E.ev[pos].op;
	nx->sleep = 0;
	for (tset_t m = nd->sleep; m; m &= m - 1) {
		int q = tset_first(m);
		if (nd->is_choice || !op_dependent(&nd->sleep_op[q], eop)) {
			nx->sleep |= TSET_BIT(q);
			nx->sleep_op[q] = nd->sleep_op[q];
		}
	}
	nx->inherited = nd->inherited & nx->sleep;
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
		wnode_free_tree(E.nodes[n].wut);
		E.nodes[n].wut = -1;
	}
	for (int j = n - 1; j >= E.base; j--) {
		struct node *nd = &E.nodes[j];
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
		for (int32_t c = nd->wut; c >= 0; c = E.wpool[c].sibling) {
			if (E.wpool[c].op.tid == t) {
				wnode_remove(&nd->wut, c);
				break;
			}
		}
		nd->sleep |= TSET_BIT(t);
		nd->sleep_op[t] = E.ev[j].op;
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
	struct node *nd = &E.nodes[pos], *nx = &E.nodes[pos + 1];
	nx->wut = -1;
	nx->is_choice = false;
	if (nd->is_choice) {
		/*
		 * A choice is independent of every other thread: the sleep set
		 * carries over.  The sequences that reached this node are
		 * explored again under every value (their continuations differ),
		 * so each value gets its own copy of the tree.  Wakeup sequences
		 * never contain choices themselves (analyse_races drops them):
		 * a sequence whose later steps need another value fails to
		 * follow and is dropped under the values that do not fit.
		 */
		nx->sleep = nd->sleep;
		nx->inherited = nd->inherited;
		for (tset_t m = nd->sleep; m; m &= m - 1)
			nx->sleep_op[tset_first(m)] = nd->sleep_op[tset_first(m)];
		nx->wut = wnode_copy_tree(nd->wut);
		return;
	}
	sleep_after(pos);
	int32_t c;
	for (c = nd->wut; c >= 0; c = E.wpool[c].sibling)
		if (E.wpool[c].op.tid == nd->cur)
			break;
	PVM_BUG_ON(c < 0);
	nx->wut = E.wpool[c].child;	/* the subtree moves down; c stays as a leaf */
	E.wpool[c].child = -1;
	/* refresh the leaf's op with what really executed (trylock outcome) */
	E.wpool[c].op = E.ev[pos].op;
}

/* ==== Brute force (test oracle) ========================================== */

/*
 * trace_signature - a hash of the Mazurkiewicz trace of the execution: per
 * object, the order of writes and the set of reads between two writes; plus
 * the values of choices.  Equal for equivalent executions.
 */
static uint64_t trace_signature(void)
{
	uint64_t total = 0;
	for (int i = 0; i < E.nev; i++) {
		const struct event *ev = &E.ev[i];
		uint64_t id = mix64(((uint64_t)ev->op.tid << 40) ^ ((uint64_t)ev->tidx << 8) ^
				    ev->op.acc ^ ((uint64_t)(uint32_t)ev->op.value << 20));
		if (!ev->op.obj || ev->op.acc == ACC_NONE) {
			total += mix64(id ^ 0x1234);
			continue;
		}
		/* which write does it follow, and how many writes precede it */
		int w = ev->prev_write;
		uint64_t wid = 0;
		if (w >= 0)
			wid = mix64(((uint64_t)E.ev[w].op.tid << 40) ^ ((uint64_t)E.ev[w].tidx << 8));
		total += mix64(id ^ (wid * 31) ^ (uint64_t)(uintptr_t)ev->op.obj);
		if (ev->op.acc == ACC_WRITE) {
			/* a write also fixes which reads came before it */
			for (int r = i - 1; r >= 0; r--) {
				const struct event *re = &E.ev[r];
				if (re->op.obj != ev->op.obj)
					continue;
				if (re->op.acc == ACC_WRITE)
					break;
				total += mix64(id * 7 ^ mix64(((uint64_t)re->op.tid << 40) ^
							       ((uint64_t)re->tidx << 8)));
			}
		}
	}
	return total;
}

static void sigset_add(uint64_t s)
{
	if (E.sigcount * 2 >= E.sigcap) {
		size_t ncap = E.sigcap ? E.sigcap * 2 : 1024;
		uint64_t *n = calloc(ncap, sizeof(*n));
		if (!n)
			pvm_bug("out of memory in brute-force enumerator", __FILE__, __LINE__, __func__);
		for (size_t k = 0; k < E.sigcap; k++) {
			if (!E.sigset[k])
				continue;
			size_t h = E.sigset[k] & (ncap - 1);
			while (n[h])
				h = (h + 1) & (ncap - 1);
			n[h] = E.sigset[k];
		}
		free(E.sigset);
		E.sigset = n;
		E.sigcap = ncap;
	}
	if (!s)
		s = 1;
	size_t h = s & (E.sigcap - 1);
	while (E.sigset[h]) {
		if (E.sigset[h] == s)
			return;
		h = (h + 1) & (E.sigcap - 1);
	}
	E.sigset[h] = s;
	E.sigcount++;
}

static int brute_backtrack(void)
{
	for (int j = E.nev - 1; j >= 0; j--) {
		struct node *nd = &E.nodes[j];
		if (nd->is_choice) {
			nd->choices_done |= 1ULL << nd->choice;
			for (int v = 0; v < nd->nchoices; v++)
				if (!(nd->choices_done & (1ULL << v))) {
					nd->choice = v;
					return j;
				}
			continue;
		}
		tset_t left = nd->sleep & ~nd->tried;
		if (left) {
			nd->cur = (int16_t)tset_first(left);
			return j;
		}
	}
	return -1;
}

/* ==== Driver ============================================================== */

static void take_finding(void)
{
	struct explore_result *r = E.res;
	if (r->found)
		return;
	if (E.opts->want_finding && strcmp(E.finding.id, E.opts->want_finding) != 0)
		return;
	r->found = true;
	r->finding = E.finding;
	r->verdict = E.finding.verdict;
	int n = E.nev;
	r->trace.schedule = malloc(sizeof(int) * (size_t)(n + 1));
	r->trace.schedule_len = 0;
	for (int i = 0; i < n; i++) {
		const struct event *ev = &E.ev[i];
		if (ev->op.kind == VIS_KIND_CHOOSE)
			r->trace.schedule[r->trace.schedule_len++] = -1 - ev->op.value;
		else
			r->trace.schedule[r->trace.schedule_len++] = ev->op.tid;
	}
	r->preemptions = n ? E.ev[n - 1].preempt : 0;
}

/*
 * take_limit - a limit was reached (set_limit): the result is incomplete,
 * cut by the limit, whatever else cut it.  Return: true if one was.
 */
static bool take_limit(void)
{
	struct explore_result *r = E.res;
	if (!E.limit)
		return false;
	r->complete = false;
	r->cut_by = E.limit;
	snprintf(r->limit, sizeof(r->limit), "%s", E.limit_msg);
	return true;
}

/* Count an ended execution; Return: true to stop exploring. */
static bool account(void)
{
	struct explore_result *r = E.res;
	switch (E.end) {
	case END_DONE:
		r->executions++;
		break;
	case END_FINDING:
		r->executions++;
		take_finding();
		break;
	case END_DEADLOCK:
		r->executions++;
		r->blocked++;
		take_finding();
		break;
	case END_SLEEP:
		r->sleep_blocked++;
		break;
	case END_INFEASIBLE:
		break;
	case END_CUT:
		r->complete = false;
		if (!r->cut_by)
			r->cut_by = E.cut_reason ? E.cut_reason : "bound";
		break;
	case END_DIVERGED:
		r->diverged = true;
		return true;
	case END_LIMIT:
		break;		/* not an execution of the program: it was cut short */
	case END_NONE:
	case END_PREFIX:
		PVM_BUG();
	}
	if (take_limit())
		return true;
	if (E.cut_reason && E.end != END_CUT && !r->cut_by) {
		r->complete = false;
		r->cut_by = E.cut_reason;
	}
	if (r->found && !E.opts->keep_going)
		return true;
	return false;
}

static bool out_of_budget(uint64_t done)
{
	const struct explore_opts *o = E.opts;
	struct explore_result *r = E.res;
	if (E.par_count)	/* the parent applies the bound to these (parallel.c) */
		*E.par_count = r->executions;
	if (o->max_executions && done >= o->max_executions) {
		r->complete = false;
		r->cut_by = "max-executions";
		return true;
	}
	if (o->interrupt && *o->interrupt) {
		r->complete = false;
		r->cut_by = "interrupted";
		return true;
	}
	if ((done & 63) == 0) {
		double s = now_seconds();
		if (o->timeout > 0 && s >= o->timeout) {
			r->complete = false;
			r->cut_by = "timeout";
			return true;
		}
		static double last;
		if (o->progress && s - last >= 0.5) {
			last = s;
			o->progress(o->progress_arg, done, s);
		}
	}
	return false;
}

static void run_random_phase(uint64_t runs, enum explore_mode mode)
{
	struct explore_opts o = *E.opts;
	const struct explore_opts *saved = E.opts;
	o.mode = mode;
	E.opts = &o;
	rng_seed(o.seed);
	for (uint64_t k = 0; k < runs; k++) {
		if (mode == EXPLORE_PCT) {
			int d = o.pct_depth > 0 ? o.pct_depth : 3;
			if (d > 8)
				d = 8;
			int len = E.pct_len_est > 0 ? E.pct_len_est : 64;
			for (int t = 0; t < MAXT; t++)
				E.threads[t].prio = d + (int)(rng_next() % 1000);
			E.pct_nchange = d - 1;
			for (int c = 0; c < E.pct_nchange; c++)
				E.pct_change[c] = 1 + (int)(rng_next() % (uint64_t)len);
		}
		run_one();
		if (E.nev > E.pct_len_est)
			E.pct_len_est = E.nev;
		if (take_limit())
			break;
		E.res->random_executions++;
		if (E.end == END_FINDING || E.end == END_DEADLOCK) {
			/* a pre-phase walk counts only as a random execution */
			if (saved->mode != EXPLORE_DPOR)
				E.res->executions++;
			if (E.end == END_DEADLOCK)
				E.res->blocked++;
			take_finding();
			break;
		}
		if (E.end == END_DONE && saved->mode != EXPLORE_DPOR)
			E.res->executions++;
		if (out_of_budget(k + 1))
			break;
	}
	E.opts = saved;
}

/*
 * dpor_loop - the DPOR search from node E.base, whose prefix (positions
 * before E.replay_to == E.base) replays.  Return: true if it ran to the end
 * (every wakeup tree is freed then), false if it stopped early.
 */
static bool dpor_loop(void)
{
	uint64_t done = 0;
	for (;;) {
		/* the hook into run_one: descend after each new event */
		run_one();
		/* nodes past the replay point were filled in by run_one via
		 * dpor_decide; pass subtrees and sleep sets down now */
		analyse_races();
		done++;
		if (account())
			return false;
		int j = dpor_backtrack();
		if (j < 0)
			return true;
		E.replay_to = j;
		struct node *nd = &E.nodes[j];
		E.bt_choice = nd->is_choice;
		if (!nd->is_choice) {
			/* next child: the first in the tree; it becomes the current leaf */
			nd->cur = (int16_t)E.wpool[nd->wut].op.tid;
		}
		/* positions < j replay; j itself is decided from its tree/choice */
		E.replay_to = j;
		if (out_of_budget(done))
			return false;
	}
}

static void run_dpor(void)
{
	E.base = 0;
	E.replay_to = 0;
	E.bt_choice = false;
	E.nodes[0].wut = -1;
	E.nodes[0].sleep = 0;
	E.nodes[0].inherited = 0;
	E.nodes[0].is_choice = false;
	rng_seed(E.opts->random_order);
	dpor_loop();
}

static void run_brute(void)
{
	uint64_t done = 0;
	E.replay_to = 0;
	E.bt_choice = false;
	for (;;) {
		run_one();
		if (take_limit())
			break;
		E.interleavings++;
		if (E.end == END_DONE || E.end == END_FINDING || E.end == END_DEADLOCK)
			sigset_add(trace_signature() ^ (uint64_t)E.end);
		if (E.end == END_FINDING || E.end == END_DEADLOCK)
			take_finding();
		if (E.end == END_DEADLOCK)
			E.res->blocked++;
		done++;
		int j = brute_backtrack();
		if (j < 0)
			break;
		E.replay_to = j + 1;
		if (out_of_budget(done))
			break;
	}
	E.res->executions = E.sigcount;
	E.res->interleavings = E.interleavings;
}

/* Re-run the finding's schedule with notes on, to fill the trace. */
static void record_finding_trace(void)
{
	struct explore_result *r = E.res;
	struct explore_opts o = *E.opts;
	const struct explore_opts *saved = E.opts;
	o.mode = EXPLORE_REPLAY;
	o.replay = r->trace.schedule;
	o.replay_len = (size_t)r->trace.schedule_len;
	E.opts = &o;
	E.recording = true;
	uint64_t steps = r->steps;
	run_one();
	r->steps = steps;
	E.recording = false;
	E.opts = saved;
	if (E.end != END_FINDING && E.end != END_DEADLOCK)
		pvm_bug("replaying a finding did not reproduce it (non-deterministic model?)",
			__FILE__, __LINE__, __func__);
	r->finding = E.finding;
	r->trace.nsteps = E.nev;
	r->trace.steps = calloc((size_t)E.nev + 1, sizeof(struct trace_step));
	for (int i = 0; i < E.nev; i++) {
		struct trace_step *s = &r->trace.steps[i];
		s->tid = E.ev[i].op.tid;
		s->kind = (enum vis_kind)E.ev[i].op.kind;
		s->obj = E.ev[i].op.obj;
		s->site = E.ev[i].site;
		s->value = E.ev[i].op.value;
		s->preempt = E.ev[i].preempt;
		memcpy(s->note, E.notes[i], EXPLORE_NOTE_LEN);
	}
	r->trace.nthreads = E.nthreads;
	for (int t = 0; t < E.nthreads; t++)
		memcpy(r->trace.thread_names[t], E.threads[t].name, 32);
}

void explore_opts_defaults(struct explore_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mode = EXPLORE_DPOR;
	o->preemption_bound = -1;
	o->seed = 1;
	o->pct_depth = 3;
}

static int engine_setup(void)
{
	static bool done;
	if (done)
		return 0;
	for (int t = 0; t < MAXT; t++)
		if (fiber_alloc(&E.threads[t].fiber, STACK_SIZE))
			return -ENOMEM;
	fiber_init_main(&E.sched);
	E.wpool = calloc(WUT_POOL, sizeof(*E.wpool));
	E.notes = calloc(MAXEV + 1, sizeof(*E.notes));
	if (!E.wpool || !E.notes)
		return -ENOMEM;
	done = true;
	return 0;
}

static void wpool_reset(void)
{
	for (int32_t k = 0; k < WUT_POOL; k++)
		E.wpool[k].sibling = k + 1 < WUT_POOL ? k + 1 : -1;
	E.wfree = 0;
}

int explore(const struct program *prog, const struct explore_opts *opts,
	    struct explore_result *res)
{
	memset(res, 0, sizeof(*res));
	if (engine_setup())
		return -ENOMEM;
	wpool_reset();
	E.prog = prog;
	E.opts = opts;
	E.res = res;
	E.recording = false;
	E.limit = NULL;
	E.sigcount = 0;
	if (E.sigset)
		memset(E.sigset, 0, E.sigcap * sizeof(*E.sigset));
	E.interleavings = 0;
	E.pct_len_est = 0;
	clock_gettime(CLOCK_MONOTONIC, &E.t0);
	res->complete = true;

	switch (opts->mode) {
	case EXPLORE_DPOR:
		if (opts->random_runs)
			run_random_phase(opts->random_runs, EXPLORE_RANDOM);
		if (res->found || !res->complete)
			break;
		if (opts->jobs > 1 && opts->preemption_bound < 0) {
			int rc = explore_parallel(prog, opts, res);
			if (rc)
				return rc;
		} else {
			run_dpor();
		}
		break;
	case EXPLORE_RANDOM:
	case EXPLORE_PCT:
		run_random_phase(opts->random_runs ? opts->random_runs : 1000, opts->mode);
		res->complete = false;	/* sampling never proves safety */
		if (!res->cut_by)
			res->cut_by = opts->mode == EXPLORE_PCT ? "pct-sampling" : "random-sampling";
		break;
	case EXPLORE_REPLAY:
		run_one();
		if (E.end == END_DIVERGED)
			res->diverged = true;
		else
			account();
		break;
	case EXPLORE_BRUTE:
		run_brute();
		break;
	case EXPLORE_STATEFUL:
		if (opts->random_runs)
			run_random_phase(opts->random_runs, EXPLORE_RANDOM);
		if (!res->found && res->complete && stateful_run(prog, opts, res) < 0) {
			/* the program cannot describe its state: explore statelessly */
			struct explore_opts o = *opts;
			o.mode = EXPLORE_DPOR;
			E.opts = &o;
			run_dpor();
			E.opts = opts;
		}
		break;
	}
	if (res->found && !res->diverged)
		record_finding_trace();
	res->seconds = now_seconds();
	if (res->found)
		res->verdict = res->finding.verdict;
	else if (!res->complete || res->diverged)
		res->verdict = VERDICT_INCOMPLETE;
	else
		res->verdict = VERDICT_SAFE;
	return 0;
}

void explore_result_free(struct explore_result *res)
{
	free(res->trace.steps);
	free(res->trace.schedule);
	res->trace.steps = NULL;
	res->trace.schedule = NULL;
}

/* ==== Hooks for parallel exploration (parallel.c) ========================= */

/*
 * exact_op - thread @t's pending operation as it would execute now: a
 * trylock or conditional RMW is a write if it would succeed, a read if not,
 * as execute() decides (pending_op() is conservative).  Sleep sets keep
 * executed operations (dpor_backtrack), so the frontier must too.
 */
static struct op exact_op(int t)
{
	struct thread *th = &E.threads[t];
	struct op op = pending_op(t);

	switch (th->pend.kind) {
	case VIS_KIND_TRYLOCK: {
		struct objent *o = obj_lookup(th->pend.obj);
		op.acc = conditional_acc(o->owner < 0 && o->readers == 0);
		break;
	}
	case VIS_KIND_RMW_IF:
		op.acc = conditional_acc(th->pend.pred(th->pend.parg));
		break;
	case VIS_KIND_UNLOCK: {
		struct objent *o = obj_lookup(th->pend.obj);
		op.acc = o->owner != t && o->readers > 0 ? ACC_READ : ACC_WRITE;
		break;
	}
	default:
		break;
	}
	return op;
}

/* Append a node with prefix @sched[0..@len) to @f; Return: it, or NULL. */
static struct eng_fnode *fnode_add(struct eng_frontier *f, const int *sched, int len)
{
	if (f->n == f->cap) {
		int cap = f->cap ? 2 * f->cap : 64;
		struct eng_fnode *n = realloc(f->nodes, (size_t)cap * sizeof(*n));
		if (!n)
			return NULL;
		f->nodes = n;
		f->cap = cap;
	}
	if (f->nsched + (size_t)len >= f->schedcap) {	/* never NULL after the first node */
		size_t cap = f->schedcap ? 2 * f->schedcap : 1024;
		while (cap < f->nsched + (size_t)len)
			cap *= 2;
		int *n = realloc(f->sched, cap * sizeof(*n));
		if (!n)
			return NULL;
		f->sched = n;
		f->schedcap = cap;
	}
	struct eng_fnode *nd = &f->nodes[f->n++];
	memset(nd, 0, sizeof(*nd));
	nd->len = len;
	nd->off = (int32_t)f->nsched;
	if (len)
		memcpy(f->sched + f->nsched, sched, (size_t)len * sizeof(int));
	f->nsched += (size_t)len;
	return nd;
}

/*
 * frontier_expand - replay node @k of @from and append its children to @to
 * (a node whose execution ended within its prefix is copied as it is).
 * Return: 0, or -ENOMEM.
 */
static int frontier_expand(const struct eng_frontier *from, int k, struct eng_frontier *to,
			   int *buf)
{
	const struct eng_fnode *nd = &from->nodes[k];
	struct explore_opts o = *E.opts;
	const struct explore_opts *saved = E.opts;
	struct eng_fnode *c;
	int len = nd->len;

	if (len)	/* the root's schedule may be NULL */
		memcpy(buf, from->sched + nd->off, (size_t)len * sizeof(int));
	if (nd->ended) {
		c = fnode_add(to, buf, len);
		if (!c)
			return -ENOMEM;
		*c = *nd;
		c->off = (int32_t)(to->nsched - (size_t)len);
		return 0;
	}
	o.mode = EXPLORE_REPLAY;
	o.replay = buf;
	o.replay_len = (size_t)len;
	E.opts = &o;
	E.enumerating = true;
	run_one();
	E.enumerating = false;
	E.opts = saved;
	if (E.end == END_DIVERGED)
		pvm_bug("replayed prefix diverged: the program is not deterministic "
			"(does it read uninitialised or external state?)",
			__FILE__, __LINE__, __func__);
	if (E.end != END_PREFIX) {
		/* the execution ended inside the prefix: a leaf, run by a worker */
		c = fnode_add(to, buf, len);
		if (!c)
			return -ENOMEM;
		c->sleep = nd->sleep;
		memcpy(c->sleep_op, nd->sleep_op, sizeof(c->sleep_op));
		c->ended = true;
		return 0;
	}
	if (E.prefix_nchoices) {
		/* a choice: every value, each with the whole sleep set (sleep_after) */
		for (int v = 0; v < E.prefix_nchoices; v++) {
			buf[len] = -1 - v;
			c = fnode_add(to, buf, len + 1);
			if (!c)
				return -ENOMEM;
			c->sleep = nd->sleep;
			memcpy(c->sleep_op, nd->sleep_op, sizeof(c->sleep_op));
		}
		return 0;
	}
	tset_t branches = E.prefix_en & ~nd->sleep;
	if (!branches) {
		to->sleep_blocked++;	/* as an END_SLEEP execution of the search */
		return 0;
	}
	tset_t explored = 0;
	struct op xop[MAXT];
	for (int t = 0; t < E.nthreads; t++) {
		if (!(branches & TSET_BIT(t)))
			continue;
		struct op op = exact_op(t);
		buf[len] = t;
		c = fnode_add(to, buf, len + 1);
		if (!c)
			return -ENOMEM;
		for (int q = 0; q < MAXT; q++) {
			const struct op *qop;
			if (nd->sleep & TSET_BIT(q))
				qop = &nd->sleep_op[q];
			else if (explored & TSET_BIT(q))
				qop = &xop[q];
			else
				continue;
			if (!op_dependent(qop, &op)) {
				c->sleep |= TSET_BIT(q);
				c->sleep_op[q] = *qop;
			}
		}
		explored |= TSET_BIT(t);
		xop[t] = op;
	}
	return 0;
}

void eng_frontier_free(struct eng_frontier *f)
{
	free(f->nodes);
	free(f->sched);
	memset(f, 0, sizeof(*f));
}

#define FRONTIER_WALKS	4	/* random walks per estimate */

/*
 * frontier_estimate - the size of the subtree below node @k of @f, by
 * Knuth's estimator of a tree's nodes: walk down at random as eng_frontier
 * would expand (every enabled thread not asleep, the sleep sets passed
 * on), add up the products of the numbers of branches met, and average
 * over the walks.  That is the size of the sleep-set tree, whose walks
 * mostly end with every enabled thread asleep: a proxy for the work of
 * optimal DPOR below the node, not its count.  Replays each prefix of a
 * walk.
 */
static double frontier_estimate(const struct eng_frontier *f, int k, int *buf)
{
	double sum = 0;

	for (int w = 0; w < FRONTIER_WALKS; w++) {
		struct eng_frontier a = { 0 }, b = { 0 };
		struct eng_fnode *c = fnode_add(&a, f->sched + f->nodes[k].off, f->nodes[k].len);
		double prod = 1;
		if (!c)
			break;
		int32_t off = c->off;
		*c = f->nodes[k];
		c->off = off;
		for (;;) {
			if (a.nodes[0].ended || a.nodes[0].len >= MAXEV)
				break;
			b.n = 0;
			b.nsched = 0;
			if (frontier_expand(&a, 0, &b, buf) || b.n == 0)
				break;		/* every enabled thread asleep */
			prod *= b.n;
			sum += prod;
			int r = (int)(rng_next() % (uint64_t)b.n);
			a.n = 0;
			a.nsched = 0;
			c = fnode_add(&a, b.sched + b.nodes[r].off, b.nodes[r].len);
			if (!c)
				break;
			off = c->off;
			*c = b.nodes[r];
			c->off = off;
		}
		eng_frontier_free(&a);
		eng_frontier_free(&b);
	}
	return sum / FRONTIER_WALKS;
}

/*
 * eng_frontier - expand the top of the execution tree fully: level by level
 * until there are @want leaves, then best first until no leaf holds more
 * than 1/@want of the estimated work or there are 8 * @want leaves; never
 * at depth @max_depth or below.  Best first: the leaf with the largest
 * estimate (frontier_estimate) is replaced by its children; a leaf
 * estimated empty is never expanded.  Level by level alone left inc(4,3)'s
 * work in one of 22 subtrees.  The leaves are the frontier,
 * in the order of a depth-first search (lowest thread, lowest value first);
 * any set of leaves reached by expanding nodes fully partitions the traces
 * (parallel.c).  The walks draw from a fixed seed: the frontier is the same
 * on every run.
 * Context: in explore(), after the random phase; replays each prefix of a
 * walk or an expansion from reset.
 * Return: 0, or -ENOMEM.
 */
int eng_frontier(int want, int max_depth, struct eng_frontier *f)
{
	struct eng_frontier cur = { 0 }, kids = { 0 };
	static int buf[MAXEV + 2];
	double *est = NULL;
	uint64_t saved_rng = E.rng;
	int rc = 0, cap = 8 * want;

	memset(f, 0, sizeof(*f));
	rng_seed(0x70766368);	/* "pvch": fixed */
	if (!fnode_add(&cur, NULL, 0))
		return -ENOMEM;
	/* level by level first: near the root most walks die asleep */
	for (int depth = 0; depth < max_depth && cur.n < want && !rc; depth++) {
		struct eng_frontier next = { 0 };
		bool grew = false;
		next.sleep_blocked = cur.sleep_blocked;
		for (int k = 0; k < cur.n && !rc; k++) {
			grew |= !cur.nodes[k].ended;
			rc = frontier_expand(&cur, k, &next, buf);
		}
		eng_frontier_free(&cur);
		cur = next;
		if (!grew)
			break;
	}
	est = rc ? NULL : malloc((size_t)cur.n * sizeof(*est));
	if (!est) {
		eng_frontier_free(&cur);
		E.rng = saved_rng;
		return -ENOMEM;
	}
	for (int k = 0; k < cur.n; k++)
		est[k] = frontier_estimate(&cur, k, buf);
	/* then best first, by the estimates */
	while (cur.n < cap) {
		double total = 0, best = 0;
		int i = -1;
		for (int k = 0; k < cur.n; k++) {
			total += est[k];
			if (est[k] > best && !cur.nodes[k].ended && cur.nodes[k].len < max_depth) {
				best = est[k];
				i = k;
			}
		}
		if (i < 0 || (cur.n > 1 && best * want <= total))
			break;
		kids.n = 0;
		kids.nsched = 0;
		rc = frontier_expand(&cur, i, &kids, buf);
		if (rc)
			break;
		/* the new frontier: leaves before i, i's children, leaves after i */
		struct eng_frontier next = { 0 };
		double *nest = malloc((size_t)(cur.n + kids.n) * sizeof(*nest));
		next.sleep_blocked = cur.sleep_blocked + kids.sleep_blocked;
		kids.sleep_blocked = 0;
		int m = 0;
		for (int k = 0; k < cur.n && nest && !rc; k++) {
			const struct eng_frontier *from = k == i ? &kids : &cur;
			int lo = k == i ? 0 : k, hi = k == i ? kids.n : k + 1;
			for (int j = lo; j < hi; j++) {
				struct eng_fnode *c = fnode_add(&next, from->sched + from->nodes[j].off,
								from->nodes[j].len);
				if (!c) {
					rc = -ENOMEM;
					break;
				}
				int32_t off = c->off;
				*c = from->nodes[j];
				c->off = off;
				nest[m++] = k == i ? frontier_estimate(from, j, buf) : est[k];
			}
		}
		if (!nest)
			rc = -ENOMEM;
		eng_frontier_free(&cur);
		free(est);
		cur = next;
		est = nest;
		if (rc)
			break;
	}
	eng_frontier_free(&kids);
	free(est);
	E.rng = saved_rng;
	if (rc) {
		eng_frontier_free(&cur);
		return rc;
	}
	for (int k = 0; k < cur.n; k++)
		if (cur.nodes[k].len > cur.depth)
			cur.depth = cur.nodes[k].len;
	*f = cur;
	return 0;
}

/*
 * eng_explore_subtree - optimal DPOR below frontier node @k of @f: its prefix
 * replays, its sleep set is the initial one, and nothing above it is
 * backtracked or receives a wakeup sequence.  @wopts: the worker's options
 * (no execution bound, its own stop flag); @count: its complete executions so
 * far, updated after each execution.
 * Context: a worker process of parallel.c, one subtree at a time.
 */
void eng_explore_subtree(const struct eng_frontier *f, int k, const struct explore_opts *wopts,
			 struct explore_result *r, volatile uint64_t *count)
{
	const struct eng_fnode *fn = &f->nodes[k];
	const int *s = f->sched + fn->off;
	struct explore_result *saved_res = E.res;
	const struct explore_opts *saved_opts = E.opts;

	static bool pool_dirty;	/* explore() starts with a whole pool */

	memset(r, 0, sizeof(*r));
	r->complete = true;
	E.res = r;
	E.opts = wopts;
	if (pool_dirty)
		wpool_reset();	/* a subtree that stopped early left trees behind */
	for (int i = 0; i < fn->len; i++) {
		struct node *nd = &E.nodes[i];
		nd->wut = -1;
		nd->is_choice = s[i] < 0;
		if (s[i] < 0)
			nd->choice = -1 - s[i];
		else
			nd->cur = (int16_t)s[i];
	}
	E.base = fn->len;
	E.replay_to = fn->len;
	E.bt_choice = false;
	struct node *root = &E.nodes[fn->len];
	root->wut = -1;
	root->is_choice = false;
	root->sleep = fn->sleep;
	root->inherited = fn->sleep;
	memcpy(root->sleep_op, fn->sleep_op, sizeof(root->sleep_op));
	rng_seed(wopts->random_order ? mix64(wopts->random_order + (uint64_t)k) : 0);
	E.par_count = count;
	pool_dirty = !dpor_loop();
	E.par_count = NULL;
	E.base = 0;
	E.res = saved_res;
	E.opts = saved_opts;
}

/* ==== Hooks for the stateful mode (stateful.c) =========================== */

#if defined(__SANITIZE_ADDRESS__)
#define ENG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ENG_ASAN 1
#endif
#endif
#ifdef ENG_ASAN
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define ENG_UNPOISON(a, n) __asan_unpoison_memory_region((a), (n))
#else
#define ENG_UNPOISON(a, n) ((void)0)
#endif

/* One thread of a saved state; unused fields are zero (hash-stable). */
struct eng_trec {
	uint8_t state;
	uint8_t kind;
	int16_t target;
	int32_t line;
	const void *obj;
	vis_pred_fn pred;
	const void *parg;
	vis_thread_fn fn;
	void *farg;
	const char *spawn_name;
	const char *file;
	const char *what;
	char *sp;
	uint64_t stack_len;
	char name[32];
};

struct eng_lock {
	const void *obj;
	int64_t owner;
	int64_t readers;
};

static char *stack_top(const struct thread *th)
{
	return (char *)(((uintptr_t)th->fiber.stack + th->fiber.size) & ~(uintptr_t)15);
}

void eng_start(void)
{
	reset_execution();
	E.threads[0].state = T_LIVE;
	thread_start(0, E.prog->main, E.prog->ctx, "main", NULL);
}

bool eng_ended(void)
{
	return E.end != END_NONE;
}

tset_t eng_enabled(tset_t *live)
{
	return enabled_mask(live);
}

int eng_nthreads(void)
{
	return E.nthreads;
}

int eng_choice_pending(int *n)
{
	for (int t = 0; t < E.nthreads; t++) {
		if (E.threads[t].state == T_LIVE && E.threads[t].pend.kind == VIS_KIND_CHOOSE) {
			*n = E.threads[t].pend.target;
			return t;
		}
	}
	return -1;
}

/* Zero @z bytes of thread @t's stack below its saved sp (or below the top
 * when @from_top: it is about to start): uninitialised slots then hold the same bytes
 * for every path that reaches a state. */
void eng_scrub_stack(int t, size_t z, bool from_top)
{
	struct thread *th = &E.threads[t];
	char *lo = th->fiber.stack;
	char *hi = from_top ? stack_top(th) : (char *)th->fiber.sp;
	char *from = hi - lo > (ptrdiff_t)z ? hi - z : lo;
	ENG_UNPOISON(from, (size_t)(hi - from));
	memset(from, 0, (size_t)(hi - from));
}

/* Run the transition of thread @t: its pending operation, or value @value
 * of its pending choice.  @preempt: preemptions up to this event. */
void eng_step(int t, int value, int preempt)
{
	struct thread *th = &E.threads[t];
	int pos = E.nev;
	if (th->pend.kind == VIS_KIND_CHOOSE) {
		struct op op = { .obj = NULL, .tid = (int16_t)t, .kind = VIS_KIND_CHOOSE,
				 .acc = ACC_NONE, .value = value };
		th->ret = value;
		commit_event(t, op, th->pend.site, false);
		resume(t);
	} else {
		execute(t);
	}
	for (int k = pos; k < E.nev; k++)
		E.ev[k].preempt = preempt;
}

struct op eng_pending_op(int t)
{
	return pending_op(t);
}

struct op eng_event_op(int i)
{
	return E.ev[i].op;
}

void eng_set_depth(int d)
{
	E.nev = d;
}

bool eng_finding(void)
{
	return E.end == END_FINDING || E.end == END_DEADLOCK;
}

/* program->at_exit / after_step from the scheduler; Return: true on a finding. */
bool eng_at_exit(void)
{
	if (!E.prog->at_exit)
		return false;
	if (setjmp(E.sched_jmp))
		return true;
	E.prog->at_exit(E.prog->ctx);
	return E.end == END_FINDING;
}

bool eng_after_step(void)
{
	if (!E.prog->after_step || !(E.opts->paranoid || E.recording))
		return false;
	if (setjmp(E.sched_jmp))
		return true;
	E.prog->after_step(E.prog->ctx);
	return E.end == END_FINDING;
}

void eng_deadlock(tset_t live)
{
	finish_deadlock(live);
}

void eng_no_progress(int bound)
{
	set_no_progress(bound);
}

/* A path reached @bound steps: no-progress finding, or the step limit (steps_exceeded). */
void eng_steps_exceeded(int bound)
{
	steps_exceeded(bound);
}

/* Return: true if a limit was reached (the result then says so: take_limit). */
bool eng_take_limit(void)
{
	return take_limit();
}

/* Record the current finding with the schedule E.ev[0..E.nev). */
void eng_take_finding(void)
{
	take_finding();
}

double eng_seconds(void)
{
	return now_seconds();
}

/* Upper bound of the bytes eng_save() writes for the current state. */
size_t eng_save_size(void)
{
	size_t n = sizeof(uint64_t) * 2 + (size_t)E.nthreads * sizeof(struct eng_trec) +
		   (size_t)E.nused * sizeof(struct eng_lock);
	for (int t = 0; t < E.nthreads; t++)
		if (E.threads[t].state == T_LIVE)
			n += (size_t)(stack_top(&E.threads[t]) - (char *)E.threads[t].fiber.sp);
	return n;
}

/* @r: thread @th's record as eng_save() writes it (unused fields zero). */
static void trec_fill(struct eng_trec *r, const struct thread *th)
{
	const struct pending *pd = &th->pend;

	memset(r, 0, sizeof(*r));
	r->state = (uint8_t)th->state;
	size_t nl = strnlen(th->name, sizeof(r->name) - 1);
	memcpy(r->name, th->name, nl);
	if (th->state != T_LIVE)
		return;
	r->kind = (uint8_t)pd->kind;
	r->obj = pd->obj;
	r->line = pd->site.line;
	r->file = pd->site.file;
	r->what = pd->site.what;
	switch (pd->kind) {
	case VIS_KIND_WAIT:
	case VIS_KIND_WAIT_RMW:
	case VIS_KIND_RMW_IF:
		r->pred = pd->pred;
		r->parg = pd->parg;
		break;
	case VIS_KIND_SPAWN:
		r->fn = pd->fn;
		r->farg = pd->farg;
		r->spawn_name = pd->name;
		break;
	case VIS_KIND_JOIN:
	case VIS_KIND_CHOOSE:
		r->target = (int16_t)pd->target;
		break;
	default:
		break;
	}
	r->sp = th->fiber.sp;
	r->stack_len = (uint64_t)(stack_top(th) - r->sp);
}

/*
 * eng_save - write the engine's part of the current state to @buf (at
 * least eng_save_size() bytes): per thread its state, pending operation,
 * saved stack pointer and the stack bytes from there to the top; the held
 * locks sorted by address.  Return: the bytes written.
 */
size_t eng_save(char *buf)
{
	char *p = buf;
	uint64_t hdr[2] = { (uint64_t)E.nthreads, 0 };

	memcpy(p, hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (int t = 0; t < E.nthreads; t++) {
		struct eng_trec r;
		trec_fill(&r, &E.threads[t]);
		memcpy(p, &r, sizeof(r));
		p += sizeof(r);
	}
	p += eng_canon_locks(p, NULL);
	for (int t = 0; t < E.nthreads; t++) {
		const struct thread *th = &E.threads[t];
		if (th->state != T_LIVE)
			continue;
		size_t len = (size_t)(stack_top(th) - (char *)th->fiber.sp);
		ENG_UNPOISON(th->fiber.sp, len);
		memcpy(p, th->fiber.sp, len);
		p += len;
	}
	return (size_t)(p - buf);
}

/* eng_restore - the inverse of eng_save.  Return: the bytes read. */
size_t eng_restore(const char *buf)
{
	const char *p = buf;
	uint64_t hdr[2];
	memcpy(hdr, p, sizeof(hdr));
	p += sizeof(hdr);
	E.nthreads = (int)hdr[0];
	for (int t = 0; t < MAXT; t++) {
		struct thread *th = &E.threads[t];
		if (t >= E.nthreads) {
			th->state = T_FREE;
			continue;
		}
		struct eng_trec r;
		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		th->state = (enum tstate)r.state;
		memcpy(th->name, r.name, sizeof(th->name));
		if (th->state != T_LIVE)
			continue;
		struct pending *pd = &th->pend;
		pd->kind = (enum vis_kind)r.kind;
		pd->obj = r.obj;
		pd->site = (struct vis_site){ .file = r.file, .line = r.line, .what = r.what };
		pd->pred = r.pred;
		pd->parg = r.parg;
		pd->fn = r.fn;
		pd->farg = r.farg;
		pd->name = r.spawn_name;
		pd->target = r.target;
		th->fiber.sp = r.sp;
	}
	obj_reset();
	uint64_t nl;
	memcpy(&nl, p, sizeof(nl));
	p += sizeof(nl);
	for (uint64_t k = 0; k < nl; k++) {
		struct eng_lock l;
		memcpy(&l, p, sizeof(l));
		p += sizeof(l);
		struct objent *o = obj_lookup(l.obj);
		o->owner = (int16_t)l.owner;
		o->readers = (int16_t)l.readers;
	}
	for (int t = 0; t < E.nthreads; t++) {
		struct thread *th = &E.threads[t];
		if (th->state != T_LIVE)
			continue;
		size_t len = (size_t)(stack_top(th) - (char *)th->fiber.sp);
		ENG_UNPOISON(th->fiber.sp, len);
		memcpy(th->fiber.sp, p, len);
		p += len;
	}
	E.end = END_NONE;
	E.cur = -1;
	E.in_sched = true;
	return (size_t)(p - buf);
}

/*
 * eng_canon_thread - write thread @t's part of the state as the symmetry
 * reduction compares it (stateful.c, --symmetry): its record without the
 * saved stack pointer, its name blanked when @cls[t] is non-zero (a name
 * tells identical threads apart, it is not state), and the stack bytes from
 * the saved sp to the top.  A join target is written through @sigma (or,
 * with @sigma NULL, as its class when it has one: a key that does not
 * depend on how threads are numbered).  Pointers into stacks are left for
 * the caller's relocation pass.  @buf must be 8-byte aligned.
 * Return: the bytes written, a multiple of 8.
 */
size_t eng_canon_thread(char *buf, int t, const int *cls, const int *sigma)
{
	const struct thread *th = &E.threads[t];
	struct eng_trec r;
	char *p = buf;

	trec_fill(&r, th);
	if (cls[t])
		memset(r.name, 0, sizeof(r.name));
	r.sp = NULL;
	if (th->state == T_LIVE && th->pend.kind == VIS_KIND_JOIN) {
		int u = th->pend.target;
		r.target = (int16_t)(u < 0 || u >= MAXT ? u : sigma ? sigma[u] :
				     cls[u] ? 0x1000 + cls[u] : u);
	}
	memcpy(p, &r, sizeof(r));
	p += sizeof(r);
	if (th->state == T_LIVE) {
		size_t len = (size_t)r.stack_len;
		ENG_UNPOISON(th->fiber.sp, len);
		memcpy(p, th->fiber.sp, len);
		p += len;
		while ((uintptr_t)(p - buf) & 7)
			*p++ = 0;
	}
	return (size_t)(p - buf);
}

/*
 * eng_canon_locks - the held locks with their owners renamed by @sigma
 * (NULL: as they are, for eng_save), sorted by address (insertion sort:
 * there are few).  Return: the bytes written, a multiple of 8.
 */
size_t eng_canon_locks(char *buf, const int *sigma)
{
	struct eng_lock *locks = (struct eng_lock *)(void *)(buf + sizeof(uint64_t));
	int nlocks = 0;

	for (int k = 0; k < E.nused; k++) {
		const struct objent *o = &E.objs[E.used_slots[k]];
		if (o->owner < 0 && o->readers == 0)
			continue;
		struct eng_lock l = { o->obj, sigma && o->owner >= 0 && o->owner < MAXT ?
					      sigma[o->owner] : o->owner, o->readers };
		int j = nlocks++;
		while (j > 0 && (uintptr_t)locks[j - 1].obj > (uintptr_t)l.obj) {
			locks[j] = locks[j - 1];
			j--;
		}
		locks[j] = l;
	}
	uint64_t nl64 = (uint64_t)nlocks;
	memcpy(buf, &nl64, sizeof(nl64));
	return sizeof(nl64) + (size_t)nlocks * sizeof(struct eng_lock);
}

/*
 * Thread @t's memory that a pointer can name it by: @which 0 its stack,
 * 1 the engine's record of it (a thread's frames in the engine hold
 * &E.threads[t]).  [*lo, *hi).
 */
void eng_thread_range(int t, int which, uintptr_t *lo, uintptr_t *hi)
{
	if (which == 0) {
		*lo = (uintptr_t)E.threads[t].fiber.stack;
		*hi = (uintptr_t)stack_top(&E.threads[t]);
	} else {
		*lo = (uintptr_t)&E.threads[t];
		*hi = *lo + sizeof(E.threads[t]);
	}
}

/* Event @dst of the path becomes a copy of event @src by thread @rename[its thread] (cycle schedules). */
void eng_copy_event(int dst, int src, const int8_t *rename)
{
	E.ev[dst] = E.ev[src];
	int t = E.ev[dst].op.tid;
	if (t >= 0 && t < MAXT)
		E.ev[dst].op.tid = rename[t];
}
