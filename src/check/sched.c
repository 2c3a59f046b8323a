// SPDX-License-Identifier: MIT
/*
 * sched.c - the executor: cooperative threads on fibers, the visible.h
 * entry points, enabledness, the per-execution object table and one
 * execution under a strategy (sched.h).  Event commit (vector clocks,
 * access chains, race candidates) is hb.c; how an execution ended and what
 * the result keeps of it (findings, limits, budget) is account.c.  It decides nothing itself: every scheduling point
 * asks the strategy in charge which thread runs, every vis_choose() which
 * value.
 *
 * Stateless re-execution: every execution starts from program->reset() and
 * runs the initial thread, which spawns the others; a strategy that
 * re-executes (DPOR, walks, replay) replays a prefix of its decisions, then
 * explores.  The stateful search steps threads itself (sched_step) and
 * restores states instead (snapshot.c).
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
#include "check/sched.h"
#include "lib/bug.h"

#define STACK_SIZE	(256 * 1024)

struct sched sched_state;
const struct explore_audit *explore_audit_hook;

/* ==== Small helpers ================================================ */

double sched_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - E.t0.tv_sec) + (double)(t.tv_nsec - E.t0.tv_nsec) * 1e-9;
}

uint64_t sched_rng_next(void)
{
	/* xorshift64*: deterministic across machines */
	uint64_t x = E.rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	E.rng = x;
	return x * 2685821657736338717ULL;
}

void sched_rng_seed(uint64_t s)
{
	E.rng = s ? s * 0x9E3779B97F4A7C15ULL : 0x853c49e6748fea9bULL;
	if (!E.rng)
		E.rng = 1;
}

/* ==== Object table (per execution) =================================== */

/* @o as a fresh entry for @obj: no access chains, no lock state. */
static void obj_init(struct objent *o, const void *obj)
{
	*o = (struct objent){ .obj = obj, .last_write = -1, .last_read = -1, .last_add = -1,
			      .owner = -1 };
}

/* @o's lock state cleared (no owner, readers or queued writers); its chains kept. */
static void obj_unlock(struct objent *o)
{
	o->owner = -1;
	o->readers = 0;
	o->queued = 0;
}

struct objent *sched_obj_lookup(const void *obj)
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
				sched_set_limit("object-table", "more than %d shared objects in one "
					  "execution (OBJ_SLOTS / 2, pvcheck's limit)", OBJ_SLOTS / 2);
				o = &E.obj_spare;
				obj_init(o, NULL);
				return o;
			}
			obj_init(o, obj);
			E.used_slots[E.nused++] = (int)i;
			return o;
		}
		i = (i + 1) & (OBJ_SLOTS - 1);
	}
}

void sched_obj_reset(void)
{
	for (int k = 0; k < E.nused; k++)
		E.objs[E.used_slots[k]].obj = NULL;
	E.nused = 0;
}

void sched_obj_keep_chains(void)
{
	static struct objent keep[OBJ_SLOTS / 2];
	int n = 0;

	if (E.nused <= OBJ_SLOTS / 4) {	/* room enough: keep every entry, unlocked */
		for (int k = 0; k < E.nused; k++)
			obj_unlock(&E.objs[E.used_slots[k]]);
		return;
	}
	for (int k = 0; k < E.nused; k++) {
		const struct objent *o = &E.objs[E.used_slots[k]];
		if (o->last_write >= 0 || o->last_read >= 0 || o->last_add >= 0)
			keep[n++] = *o;
	}
	sched_obj_reset();
	for (int k = 0; k < n; k++) {
		struct objent *o = sched_obj_lookup(keep[k].obj);
		o->last_write = keep[k].last_write;
		o->last_read = keep[k].last_read;
		o->last_add = keep[k].last_add;
	}
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

void vis_also(enum vis_kind kind, const void *obj)
{
	struct thread *th = self();
	PVM_BUG_ON(!obj || th->pend.obj2 ||
		   (kind != VIS_KIND_READ && kind != VIS_KIND_WRITE && kind != VIS_KIND_RMW));
	th->pend.obj2 = obj;
	th->pend.kind2 = kind;
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

bool vis_lock_or_queue(const void *obj, struct vis_site site)
{
	announce(VIS_KIND_LOCK_QUEUE, obj, site);
	return self()->ret != 0;
}

void vis_wait(const void *obj, bool rmw, vis_pred_fn pred, const void *arg,
	      struct vis_site site)
{
	struct thread *th = self();
	th->pend.pred = pred;
	th->pend.parg = arg;
	th->pend.stale = NULL;
	announce(rmw ? VIS_KIND_WAIT_RMW : VIS_KIND_WAIT, obj, site);
}

/* The wait predicate of a spin-blocked thread: never enabled. */
static bool never(const void *arg)
{
	(void)arg;
	return false;
}

_Noreturn void vis_spin_block(const void *obj, vis_pred_fn stale, const void *arg,
			      struct vis_site site)
{
	struct thread *th = self();
	th->pend.pred = never;
	th->pend.parg = NULL;
	th->pend.stale = stale;
	th->pend.sarg = arg;
	announce(VIS_KIND_WAIT, obj, site);
	PVM_BUG_ON(1);		/* a spin-blocked thread is never scheduled */
	__builtin_unreachable();
}

/* Is thread @t blocked for good in vis_spin_block()? */
bool sched_spin_blocked(int t)
{
	const struct thread *th = &E.threads[t];
	return th->state == T_LIVE && th->pend.kind == VIS_KIND_WAIT && th->pend.stale;
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

const char *vis_stack_top(void)
{
	return sched_stack_top(&E.threads[E.cur]);
}

const char *vis_self_name(void)
{
	return E.threads[E.cur].name;
}

const char *vis_thread_label(int tid, char *buf, size_t n)
{
	if (tid < 0 || tid >= E.nthreads) {
		snprintf(buf, n, "T%d", tid);
		return buf;
	}
	/* the rule of report_thread_name(), on the execution's threads */
	for (int u = 0; u < E.nthreads; u++)
		if (u != tid && strcmp(E.threads[u].name, E.threads[tid].name) == 0) {
			snprintf(buf, n, "%.31s#%d", E.threads[tid].name, tid);
			return buf;
		}
	return E.threads[tid].name;
}

int vis_step_index(void)
{
	if (!E.recording || E.cur < 0)
		return -1;
	const struct thread *th = &E.threads[E.cur];
	/* code before a thread's first operation runs inside its creator's spawn */
	return th->last_ev >= 0 ? th->last_ev : th->spawn_ev;
}

void vis_finding_pair(int tid, int step, struct vis_site site)
{
	if (!E.recording || step < 0 || tid < 0 || tid >= E.nthreads)
		return;
	E.pair_step = step + 1;
	E.pair_tid = tid;
	E.pair_site = site;
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

_Noreturn void vis_limit(const char *limit, struct vis_site site, const char *fmt, ...)
{
	char msg[EXPLORE_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (site.line > 0)
		sched_set_limit(limit, "%s at %s:%d", msg, site.file ? site.file : "?", site.line);
	else
		sched_set_limit(limit, "%s at %s", msg, site.file ? site.file : site.what ? site.what : "?");
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
	th->pend.obj2 = NULL;
	th->spawn_ev = clock ? E.nev - 1 : -1;	/* @clock is the spawn's, the last event */
	memset(th->clock, 0, sizeof(th->clock));
	if (clock)
		memcpy(th->clock, clock, (size_t)E.nthreads * sizeof(uint32_t));
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
	if (E.prog->start_scrub)
		sched_scrub_stack(t, E.prog->start_scrub, true);
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
		/*
		 * How the execution ended is the scheduler's judgement, made in
		 * its context as at the loop's step bound (sched_run_one): the
		 * no-progress class reads every thread's record, which inside
		 * this thread's step would be a read of the others' state that
		 * no step announced (found by make audit, gen-101).
		 */
		struct thread *th = self();
		E.cur = -1;
		sched_steps_exceeded(MAXEV);
		E.cur = (int)(th - E.threads);
		to_scheduler(th);
		PVM_BUG();
	}
	int value = E.strat->choose(pos, n);
	if (value == SCHED_CHOICE_END) {
		to_scheduler(self());
		PVM_BUG();	/* an ended execution never resumes its threads */
	}
	if (value == SCHED_CHOICE_STEP) {
		/* a choice is a branching transition of its own (stateful.c) */
		struct thread *th = self();
		th->pend.kind = VIS_KIND_CHOOSE;
		th->pend.obj = NULL;
		th->pend.target = n;
		th->pend.site = site;
		PVM_BUG_ON(th->pend.obj2);	/* a choice touches no object */
		to_scheduler(th);
		return self()->ret;	/* the event was committed by sched_step() */
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
		struct objent *o = sched_obj_lookup(th->pend.obj);
		return o->owner < 0 && o->readers == 0;
	}
	case VIS_KIND_LOCK_SHARED: {
		/* a queued writer keeps new readers out (vis_lock_or_queue) */
		struct objent *o = sched_obj_lookup(th->pend.obj);
		return o->owner < 0 && !o->queued;
	}
	case VIS_KIND_WAIT:
	case VIS_KIND_WAIT_RMW:
		return th->pend.pred(th->pend.parg);
	case VIS_KIND_JOIN:
		return E.threads[th->pend.target].state == T_EXITED;
	default:
		return true;
	}
}

tset_t sched_enabled(tset_t *live)
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

/*
 * op_add_also - the second object vis_also() gave pending step @p, into
 * @op.  The same object twice is one access: a write if either writes.
 */
static void op_add_also(struct op *op, const struct pending *p)
{
	if (!p->obj2 || !op->obj)
		return;
	int acc2 = p->kind2 == VIS_KIND_READ ? ACC_READ : ACC_WRITE;
	if (p->obj2 == op->obj) {
		if (acc2 == ACC_WRITE)
			op->acc = ACC_WRITE;
		return;
	}
	op->obj2 = p->obj2;
	op->acc2 = (uint8_t)acc2;
}

/* The op a thread is about to perform, classified conservatively. */
struct op sched_pending_op(int t)
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
		struct objent *o = sched_obj_lookup(th->pend.obj);
		op.acc = o->owner == t ? ACC_WRITE : ACC_READ;
		break;
	}
	case VIS_KIND_SPAWN:
		op.value = E.nthreads;
		break;
	case VIS_KIND_ADD:
		/* the oracle enumerates interleavings: it keeps adds ordered */
		if (E.opts->commute_adds && !E.strat->ordered_adds)
			op.acc = ACC_ADD;
		break;
	default:
		break;
	}
	op_add_also(&op, &th->pend);
	return op;
}

/*
 * exact_op - thread @t's pending operation as it would execute now: a
 * trylock or conditional RMW is a write if it would succeed, a read if not,
 * as execute() decides (sched_pending_op() is conservative).  Sleep sets
 * keep executed operations (dpor_backtrack), so the frontier must too.
 */
struct op sched_exact_op(int t)
{
	struct thread *th = &E.threads[t];
	struct op op = sched_pending_op(t);

	switch (th->pend.kind) {
	case VIS_KIND_TRYLOCK: {
		struct objent *o = sched_obj_lookup(th->pend.obj);
		op.acc = conditional_acc(o->owner < 0 && o->readers == 0);
		break;
	}
	case VIS_KIND_RMW_IF:
		op.acc = conditional_acc(th->pend.pred(th->pend.parg));
		break;
	case VIS_KIND_UNLOCK: {
		struct objent *o = sched_obj_lookup(th->pend.obj);
		op.acc = o->owner != t && o->readers > 0 ? ACC_READ : ACC_WRITE;
		break;
	}
	default:
		break;
	}
	op_add_also(&op, &th->pend);
	return op;
}

static void record_choice(int value, struct vis_site site)
{
	int t = E.cur;
	struct op op = { .obj = NULL, .tid = (int16_t)t, .kind = VIS_KIND_CHOOSE,
			 .acc = ACC_NONE, .value = value };
	hb_commit(t, op, site, false);
	E.ev[E.nev - 1].preempt = E.nev >= 2 ? E.ev[E.nev - 2].preempt : 0;
}

/*
 * execute - perform the scheduler's part of thread @t's pending operation,
 * record the event, and let the thread run to its next announcement.
 */
static void execute(int t)
{
	struct thread *th = &E.threads[t];
	struct op op = sched_pending_op(t);
	struct pending *p = &th->pend;
	bool blocking = false;
	int child = -1;
	char lbl[48];

	switch (p->kind) {
	case VIS_KIND_LOCK: {
		struct objent *o = sched_obj_lookup(p->obj);
		o->owner = (int16_t)t;
		o->queued &= ~TSET_BIT(t);	/* a queued writer leaves in the acquiring step */
		op.acc = ACC_WRITE;
		blocking = true;
		break;
	}
	case VIS_KIND_LOCK_QUEUE: {
		/* never blocks: takes a free lock, else joins the writer queue */
		struct objent *o = sched_obj_lookup(p->obj);
		if (o->owner < 0 && o->readers == 0) {
			o->owner = (int16_t)t;
			th->ret = 1;
		} else {
			o->queued |= TSET_BIT(t);
			th->ret = 0;
		}
		op.acc = ACC_WRITE;
		op.value = th->ret;	/* the report's held locks; no strategy reads it */
		break;
	}
	case VIS_KIND_LOCK_SHARED:
		sched_obj_lookup(p->obj)->readers++;
		op.acc = ACC_READ;
		blocking = true;
		break;
	case VIS_KIND_UNLOCK: {
		struct objent *o = sched_obj_lookup(p->obj);
		if (o->owner == t) {
			o->owner = -1;
			op.acc = ACC_WRITE;
		} else if (o->readers > 0) {
			o->readers--;
			op.acc = ACC_READ;
		} else {
			/* record the step first: the finding's schedule must include it */
			op.acc = ACC_WRITE;
			hb_commit(t, op, p->site, false);
			E.end = END_FINDING;
			E.finding.verdict = VERDICT_VIOLATION;
			snprintf(E.finding.id, sizeof(E.finding.id), "lockdep");
			snprintf(E.finding.message, sizeof(E.finding.message),
				 "%s releases a lock it does not hold (%s)",
				 vis_thread_label(t, lbl, sizeof(lbl)),
				 p->site.what ? p->site.what : "unlock");
			E.finding.tid = t;
			E.finding.site = p->site;
			return;
		}
		break;
	}
	case VIS_KIND_TRYLOCK: {
		struct objent *o = sched_obj_lookup(p->obj);
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
			sched_set_limit("thread-limit", "%s starts a thread beyond pvcheck's limit of %d "
				  "threads (EXPLORE_MAX_THREADS, the initial thread included) at %s",
				  vis_thread_label(t, lbl, sizeof(lbl)), MAXT,
				  p->site.what ? p->site.what : "a spawn");
			return;
		}
		child = E.nthreads++;
		hb_new_thread(child);
		op.value = child;
		th->ret = child;
		break;
	default:
		break;
	}
	op_add_also(&op, p);	/* after the kind's own access, which it may upgrade */
	p->obj2 = NULL;		/* vis_also() holds for one step */
	hb_commit(t, op, p->site, blocking);
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

/* ==== One execution ================================================= */

static void reset_execution(void)
{
	sched_obj_reset();
	E.nev = 0;
	E.pair_step = 0;
	E.hb_top = 0;
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

void sched_run_one(const struct strategy *s)
{
	const struct explore_opts *o = E.opts;
	int step_bound = o->step_bound > 0 && o->step_bound < MAXEV ? o->step_bound : MAXEV;
	int depth = o->depth_bound > 0 && o->depth_bound < step_bound ? o->depth_bound : 0;

	E.strat = s;
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
		tset_t live;
		tset_t en = sched_enabled(&live);
		if (!live) {
			/* a frontier prefix leaves at_exit to the worker that runs the leaf */
			if (E.prog->at_exit && !s->prefix_only)
				E.prog->at_exit(E.prog->ctx);
			E.end = END_DONE;
			break;
		}
		/*
		 * The bounds after the end: an execution whose last thread ended
		 * at the bound's step is complete, not one that goes on past it
		 * (a write(2) whose fault-in was refused until its 4096th step
		 * was a no-progress finding).
		 */
		if (pos >= step_bound) {
			sched_steps_exceeded(step_bound);
			break;
		}
		if (depth && pos >= depth && s->depth_cut) {
			E.end = END_CUT;
			E.cut_reason = "depth";
			break;
		}
		if (!en) {
			sched_deadlock(live);
			break;
		}
		int t = s->decide(pos, en, prev);
		if (t < 0)
			break;
		int pre = pos ? E.ev[pos - 1].preempt : 0;
		pre += sched_would_preempt(prev, t, en) ? 1 : 0;
		execute(t);
		for (int k = pos; k < E.nev; k++)
			E.ev[k].preempt = pre;	/* and the choices made in the step */
		prev = t;
		if (E.end == END_NONE && (o->paranoid || E.recording) && E.prog->after_step)
			E.prog->after_step(E.prog->ctx);
	}
}

bool sched_search(const struct strategy *s)
{
	uint64_t done = 0;
	for (;;) {
		sched_run_one(s);
		done++;
		if (s->after())
			return false;
		if (s->backtrack() < 0)
			return true;
		if (sched_out_of_budget(done))
			return false;
	}
}

int sched_setup(void)
{
	static bool done;
	if (done)
		return 0;
	for (int t = 0; t < MAXT; t++)
		if (fiber_alloc(&E.threads[t].fiber, STACK_SIZE))
			return -ENOMEM;
	fiber_init_main(&E.sched);
	E.notes = calloc(MAXEV + 1, sizeof(*E.notes));
	if (!E.notes)
		return -ENOMEM;
	done = true;
	return 0;
}

/* ==== Stepping for a strategy of its own (stateful.c) ===================== */

char *sched_stack_top(const struct thread *th)
{
	return (char *)(((uintptr_t)th->fiber.stack + th->fiber.size) & ~(uintptr_t)15);
}

void sched_start(const struct strategy *s)
{
	E.strat = s;
	reset_execution();
	E.threads[0].state = T_LIVE;
	thread_start(0, E.prog->main, E.prog->ctx, "main", NULL);
}

int sched_choice_pending(int *n)
{
	for (int t = 0; t < E.nthreads; t++) {
		if (E.threads[t].state == T_LIVE && E.threads[t].pend.kind == VIS_KIND_CHOOSE) {
			*n = E.threads[t].pend.target;
			return t;
		}
	}
	return -1;
}

void sched_step(int t, int value, int preempt)
{
	struct thread *th = &E.threads[t];
	int pos = E.nev;
	if (th->pend.kind == VIS_KIND_CHOOSE) {
		struct op op = { .obj = NULL, .tid = (int16_t)t, .kind = VIS_KIND_CHOOSE,
				 .acc = ACC_NONE, .value = value };
		th->ret = value;
		hb_commit(t, op, th->pend.site, false);
		resume(t);
	} else {
		execute(t);
	}
	for (int k = pos; k < E.nev; k++)
		E.ev[k].preempt = preempt;
}

bool sched_at_exit(void)
{
	if (!E.prog->at_exit)
		return false;
	if (setjmp(E.sched_jmp))
		return true;
	E.prog->at_exit(E.prog->ctx);
	return E.end == END_FINDING;
}

bool sched_after_step(void)
{
	if (!E.prog->after_step || !(E.opts->paranoid || E.recording))
		return false;
	if (setjmp(E.sched_jmp))
		return true;
	E.prog->after_step(E.prog->ctx);
	return E.end == END_FINDING;
}
