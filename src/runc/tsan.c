// SPDX-License-Identifier: MIT
/*
 * tsan.c - the -fsanitize=thread callbacks of a program run by `pvcheck run`.
 *
 * Every atomic access of the program arrives here (GCC and Clang lower all
 * C11 atomic syntax to __tsan_atomicN_* calls under -fsanitize=thread) and
 * becomes "announce a visible operation, then do it".  Since the program's
 * threads are cooperative, the plain memory operation done after the
 * announcement is atomic with respect to the other threads.  Memory orders
 * are ignored: exploration is under sequential consistency.
 *
 * A compare-exchange is announced as a conditional read-modify-write
 * (vis_rmw_if): the engine classifies it when it runs, a failed one being
 * a read, so failed CASes commute with each other and with loads.  A weak
 * CAS never fails spuriously.
 *
 * Plain (non-atomic) accesses are not scheduling points: a data race on a
 * plain variable is not explored, and reported only with runc_races
 * (race.c).  A plain write outside the writer's own stack is a side effect
 * for the spin-assume below.
 *
 * {==== Spin loops: spin-assume ====}
 * A loop that re-reads shared memory until it changes would give one more
 * execution per iteration, without end.  GenMC's spin-assume turns such a
 * loop into "assume the exit condition" at compile time; we do it at run
 * time, for any loop whose failed iterations provably do nothing, however
 * many objects they read:
 *
 *   1. at each atomic load and compare-exchange (up to 8 bytes), thread
 *      T's callee-saved registers, stack pointer, return address, whole
 *      stack (up to its entry) and pending operation (kind, object,
 *      arguments: they are passed in caller-saved registers) are its
 *      state S_k (everything of T the rest of its run depends on, besides
 *      shared memory); we keep the last RUNC_SPIN_SNAPS of them, and the
 *      objects and values of T's loads and failed compare-exchanges, since
 *      T's last side effect (any other visible operation, a successful
 *      CAS, a failed one whose expected value lies outside T's stack, a
 *      plain write outside its stack, malloc, rand);
 *   2. if S_k equals a kept S_j (j < k), the steps of T from j to k read
 *      shared memory, wrote none, and left T as it was: a no-op
 *      iteration.  A CAS among them failed (a success empties the
 *      snapshots) and so only read, writing what it found into its
 *      expected value, on T's stack and thus compared; a CAS-only spin
 *      lock (while (!CAS(&l, &e, 1)) e = 0;) is caught at its second try.  Then every execution "A L_j(v..) B L_k ..." reaches
 *      only states that "A B' L_j ..." reaches, B' being B without T's
 *      no-op steps (they wrote nothing, so B' is feasible and leaves the
 *      other threads as B did, and T is in S_j = S_k): the execution in
 *      which T read later.  So T blocks at L_k for good (vis_spin_block):
 *      nothing reachable is lost, provided the executions where T reads
 *      later are explored, and they are: each read of the iteration races
 *      with every later write of its object, and optimal DPOR reverses
 *      those races (the blocked T does not stop the others, whose writes
 *      therefore run after T's reads in the blocked execution);
 *   3. when every live thread is disabled, the execution is spin-blocked
 *      (redundant, counted apart, as GenMC's blocked executions) if a value
 *      T's iteration read has changed since; if none has, nothing can ever
 *      change what T reads and T would loop for ever: a deadlock finding
 *      that names the spin.
 *
 * The decision depends only on T's own state and the values T read, which
 * the trace fixes, so the search stays order-independent.  A bounded loop
 * (for (i = 0; i < 3 && !atomic_load(&f); i++)) keeps i in a register or
 * on the stack, so no two states are equal and it is never blocked.  The
 * first iteration may differ from the later ones in a dead register or
 * stack slot; then the block comes one iteration later (a few more
 * executions, never fewer states).  A loop of more than RUNC_SPIN_SNAPS
 * loads and CASes an iteration is not recognised and runs to the step
 * bound (a no-progress finding), as does a CAS loop whose failed CAS
 * changes what the next try expects (r = load(&x); while (!CAS(&x, &r,
 * f(r)));: T's state differs every round).  The state capture needs the
 * caller's registers, so on x86-64 the load and CAS callbacks enter
 * through a small stub that saves them (SAVE_STUB); elsewhere there is no
 * spin-assume.
 * `runc_spin_detect` switches it off.
 * {====}
 */
#include <stdbool.h>
#include <stdint.h>
#include "runc/runc_int.h"
#include "runc/tsan_iface.h"

bool runc_spin_detect = true;
struct runc_spin runc_spin[EXPLORE_MAX_THREADS];

#define RET_PC() ((uintptr_t)__builtin_return_address(0))

#define site_of runc_site_of

/* Announce a non-load operation of the current thread (a side effect). */
static inline void announce(enum vis_kind k, const volatile void *a, uintptr_t pc,
			    const char *what)
{
	runc_spin_clear();
	vis_op(k, (const void *)(uintptr_t)a, site_of(pc, what));
	if (__builtin_expect(runc_races, 0)) {
		/* the op itself follows at once: nobody runs in between */
		if (k != VIS_KIND_WRITE)
			runc_race_acquire((const void *)(uintptr_t)a);
		if (k != VIS_KIND_READ)
			runc_race_release((const void *)(uintptr_t)a);
	}
}

/* Read @size bytes at @a as an integer (for the spin detector). */
static inline uint64_t rd(const volatile void *a, int size)
{
	switch (size) {
	case 1: return *(const volatile uint8_t *)a;
	case 2: return *(const volatile uint16_t *)a;
	case 4: return *(const volatile uint32_t *)a;
	default: return *(const volatile uint64_t *)a;
	}
}

/* ==== Trace notes: the values of the replayed counterexample ============ */

/*
 * While a trace is recorded (the replay of a counterexample for its
 * report), every atomic step notes what it did with the values of that
 * execution: "x = 0" (a load), "x := 1" (a store), "x: 0 -> 1" (a
 * read-modify-write, old and new value), "x: 0 -> 1 ok" or "x: 0 -> 1
 * failed (saw 2)" (a compare-exchange: expected, desired, and what it
 * found).  Names and pointer values are symbolic (runc_obj_name,
 * runc_val_str), so the notes are the same in every run.  Outside the
 * recording this is one predicted branch.
 */
#define NOTE_VAL	48

static void note_load(const volatile void *a, uint64_t v, int size)
{
	char nb[64], vb[NOTE_VAL];
	vis_note("%s = %s", runc_obj_name(a, nb, sizeof(nb)), runc_val_str(v, size, vb, sizeof(vb)));
}

static void note_store(const volatile void *a, uint64_t v, int size)
{
	char nb[64], vb[NOTE_VAL];
	vis_note("%s := %s", runc_obj_name(a, nb, sizeof(nb)), runc_val_str(v, size, vb, sizeof(vb)));
}

static void note_rmw(const volatile void *a, uint64_t old, uint64_t v, int size)
{
	char nb[64], ob[NOTE_VAL], vb[NOTE_VAL];
	vis_note("%s: %s -> %s", runc_obj_name(a, nb, sizeof(nb)),
		 runc_val_str(old, size, ob, sizeof(ob)), runc_val_str(v, size, vb, sizeof(vb)));
}

static void note_cas(const volatile void *a, uint64_t expect, uint64_t v, bool ok, uint64_t saw,
		     int size)
{
	char nb[64], eb[NOTE_VAL], vb[NOTE_VAL], sb[NOTE_VAL];
	runc_val_str(expect, size, eb, sizeof(eb));
	runc_val_str(v, size, vb, sizeof(vb));
	if (ok)
		vis_note("%s: %s -> %s ok", runc_obj_name(a, nb, sizeof(nb)), eb, vb);
	else
		vis_note("%s: %s -> %s failed (saw %s)", runc_obj_name(a, nb, sizeof(nb)), eb, vb,
			 runc_val_str(saw, size, sb, sizeof(sb)));
}

/* 16-byte values in hex, high half first. */
static void note_128(const volatile void *a, const char *how, unsigned __int128 v)
{
	char nb[64];
	vis_note("%s %s 0x%016llx%016llx", runc_obj_name(a, nb, sizeof(nb)), how,
		 (unsigned long long)(v >> 64), (unsigned long long)v);
}

#define RECORDING() __builtin_expect(vis_recording(), 0)

/* ==== Loads and the spin-assume ======================================= */

/* Log a value @a read for @st (a load or a failed CAS); a full log ends detection. */
static inline void spin_log(struct runc_spin *st, const volatile void *a, int size, uint64_t v)
{
	if (st->nlog == RUNC_SPIN_LOG) {
		st->nsnap = 0;
		st->next = 0;
		st->nlog = 0;
		return;
	}
	st->log[st->nlog++] = (struct runc_spin_read){ a, v, size };
}

/* vis_spin_block's predicate: has a value the no-op iteration read changed? */
static bool spin_stale(const void *arg)
{
	const struct runc_spin *st = arg;
	for (int i = st->from; i < st->nlog; i++)
		if (rd(st->log[i].addr, st->log[i].size) != st->log[i].val)
			return true;
	return false;
}

/* Is @addr in the current thread's stack (compared by the spin-assume, or dead)? */
static inline bool own_stack(const void *addr)
{
	int t = vis_self();
	const struct runc_thread *th = t >= 0 ? runc_cur->by_tid[t] : NULL;
	uintptr_t a = (uintptr_t)addr, hi = th ? (uintptr_t)th->stack_base : 0;
	return hi && a < hi && hi - a <= RUNC_SPIN_STACK;
}

#if defined(__x86_64__)
/*
 * rbx, rbp, r12-r15 (callee-saved: all a caller keeps across the call),
 * the caller's stack pointer and the return address, as saved by the load
 * and compare-exchange stubs on entry (SAVE_STUB).  Consumed before the
 * next fiber switch.
 */
static volatile uintptr_t spin_regs[8] __asm__("runc_spin_regs_") __attribute__((used));

/*
 * SAVE_STUB(sym, impl): the entry @sym saves the caller's callee-saved
 * registers, stack pointer and return address in spin_regs and jumps to
 * @impl, a C function of @sym's prototype (it returns to the caller).
 */
#define SAVE_STUB(sym, impl)							\
	__asm__("	.text\n"						\
		"	.globl " sym "\n"					\
		"	.type " sym ", @function\n"				\
		sym ":\n"							\
		"	mov %rbx, runc_spin_regs_+0(%rip)\n"			\
		"	mov %rbp, runc_spin_regs_+8(%rip)\n"			\
		"	mov %r12, runc_spin_regs_+16(%rip)\n"			\
		"	mov %r13, runc_spin_regs_+24(%rip)\n"			\
		"	mov %r14, runc_spin_regs_+32(%rip)\n"			\
		"	mov %r15, runc_spin_regs_+40(%rip)\n"			\
		"	lea 8(%rsp), %rax\n"					\
		"	mov %rax, runc_spin_regs_+48(%rip)\n"			\
		"	mov (%rsp), %rax\n"					\
		"	mov %rax, runc_spin_regs_+56(%rip)\n"			\
		"	jmp " impl "\n"						\
		"	.size " sym ", .-" sym "\n")

#define LOAD_STUB(N)	SAVE_STUB("__tsan_atomic" #N "_load", "runc_load" #N "_impl_")

/*
 * The pending operation, part of the state compared: its kind, object,
 * size and arguments (a CAS's expected-value pointer, expected and
 * desired values).  The registers that pass them are caller-saved, so
 * the callee-saved registers and the stack do not fix them: two rounds
 * with equal registers and stack may load different objects (an index
 * computed in a scratch register from a value read) or try different
 * desired values.
 */
enum spin_op_kind { SPIN_LOAD = 1, SPIN_CAS, SPIN_CAS_VAL };

/*
 * The state saved in spin_regs and the stack it points to, against @st's
 * snapshots; then keep it as the newest snapshot.  Reads the user's stack
 * and our own thread-entry frame word by word, hence no ASan (redzones)
 * and no memcpy (intercepted).
 * Return: the index of a snapshot equal to the state, or -1.
 */
__attribute__((no_sanitize_address, noinline))
static int spin_match(struct runc_spin *st, const struct runc_thread *t,
		      const uint64_t op[RUNC_SPIN_OP])
{
	uintptr_t lo = spin_regs[6];
	uintptr_t hi = t ? (uintptr_t)t->stack_base : 0;
	if (!hi || hi <= lo || hi - lo > RUNC_SPIN_STACK || (hi - lo) % sizeof(uintptr_t)) {
		st->nsnap = 0;
		st->next = 0;
		return -1;
	}
	size_t n = (hi - lo) / sizeof(uintptr_t);
	const volatile uintptr_t *stk = (const volatile uintptr_t *)lo;
	for (int k = 0; k < st->nsnap; k++) {
		struct runc_spin_snap *sn = &st->snap[k];
		const uintptr_t *snap = (const uintptr_t *)(void *)sn->stack;
		bool same = sn->stack_len == n * sizeof(uintptr_t);
		for (int i = 0; same && i < RUNC_SPIN_OP; i++)
			same = sn->op[i] == op[i];
		for (int i = 0; same && i < 8; i++)
			same = sn->regs[i] == spin_regs[i];
		for (size_t i = 0; same && i < n; i++)
			same = snap[i] == stk[i];
		if (same)
			return k;
	}
	struct runc_spin_snap *sn = &st->snap[st->next];
	uintptr_t *snap = (uintptr_t *)(void *)sn->stack;
	for (int i = 0; i < 8; i++)
		sn->regs[i] = spin_regs[i];
	for (int i = 0; i < RUNC_SPIN_OP; i++)
		sn->op[i] = op[i];
	for (size_t i = 0; i < n; i++)
		snap[i] = stk[i];
	sn->stack_len = (uint32_t)(n * sizeof(uintptr_t));
	sn->rpos = (uint32_t)st->nlog;
	st->next = (st->next + 1) % RUNC_SPIN_SNAPS;
	if (st->nsnap < RUNC_SPIN_SNAPS)
		st->nsnap++;
	return -1;
}

/* A load of @size bytes at @a, entered through LOAD_STUB. */
static inline uint64_t load_common(const volatile void *a, int size, const char *what)
{
	uintptr_t pc = spin_regs[7];
	int tid = vis_self();
	struct runc_spin *st = &runc_spin[tid];

	if (runc_spin_detect) {
		const uint64_t op[RUNC_SPIN_OP] = { SPIN_LOAD, (uintptr_t)a, (uint64_t)size };
		int k = spin_match(st, runc_cur->by_tid[tid], op);
		if (k >= 0) {
			st->from = (int)st->snap[k].rpos;
			vis_spin_block((const void *)(uintptr_t)a, spin_stale, st,
				       site_of(pc, "spin (atomic_load)"));
		}
	}
	vis_op(VIS_KIND_READ, (const void *)(uintptr_t)a, site_of(pc, what));
	if (__builtin_expect(runc_races, 0))
		runc_race_acquire((const void *)(uintptr_t)a);
	uint64_t v = rd(a, size);
	if (runc_spin_detect && st->nsnap)
		spin_log(st, a, size, v);
	if (RECORDING())
		note_load(a, v, size);
	return v;
}

#define LOAD_IMPL(N)								\
LOAD_STUB(N);									\
static tsan_a##N load##N##_impl(const volatile tsan_a##N *a, tsan_mo mo)	\
	__asm__("runc_load" #N "_impl_") __attribute__((used, noinline, noipa)); \
static tsan_a##N load##N##_impl(const volatile tsan_a##N *a, tsan_mo mo)	\
{										\
	return (tsan_a##N)load_common(a, N / 8, "atomic_load");		\
}

#else /* !__x86_64__: no register capture, no spin detection */

#define LOAD_IMPL(N)								\
tsan_a##N __tsan_atomic##N##_load(const volatile tsan_a##N *a, tsan_mo mo)	\
{										\
	announce(VIS_KIND_READ, a, RET_PC(), "atomic_load");			\
	tsan_a##N v = *a;							\
	if (RECORDING())							\
		note_load(a, v, N / 8);						\
	return v;								\
}

#endif

LOAD_IMPL(8)
LOAD_IMPL(16)
LOAD_IMPL(32)
LOAD_IMPL(64)

/**
 * __tsan_atomic128_load - 16-byte atomic load (no spin detection).
 * @a: the object.
 * @mo: memory order, ignored.
 *
 * Context: program thread.  Scheduling point.
 * Return: the value.
 */
tsan_a128 __tsan_atomic128_load(const volatile tsan_a128 *a, tsan_mo mo)
{
	announce(VIS_KIND_READ, a, RET_PC(), "atomic_load");
	tsan_a128 v = *a;
	if (RECORDING())
		note_128(a, "=", v);
	return v;
}

/* ==== Stores and read-modify-writes ==================================== */

#define RMW_FN(N, op, what, expr)	RMW_KIND_FN(N, op, what, expr, VIS_KIND_RMW)
#define RMW_KIND_FN(N, op, what, expr, kind)					\
tsan_a##N __tsan_atomic##N##_##op(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo) \
{										\
	announce(kind, a, RET_PC(), what);					\
	tsan_a##N old = *a;							\
	*a = (tsan_a##N)(expr);							\
	if (RECORDING())							\
		NOTE_RMW(N, a, old, *a);					\
	return old;								\
}

/* The note of an RMW of N bits (16-byte ones in hex). */
#define NOTE_RMW(N, a, old, new)						\
	((N) == 128 ? note_128((a), ":=", (new)) :				\
	 note_rmw((a), (uint64_t)(old), (uint64_t)(new), (N) / 8))

/* A pending compare-exchange: its predicate "the object holds @expect". */
struct cas_arg {
	const volatile void *a;
	uint64_t expect;
	unsigned __int128 expect128;
	int size;
};

/* vis_rmw_if predicate: would the CAS succeed now? */
static bool cas_pred(const void *arg)
{
	const struct cas_arg *c = arg;
	if (c->size == 16)
		return *(const volatile unsigned __int128 *)c->a == c->expect128;
	return rd(c->a, c->size) == c->expect;
}

/*
 * Announce a compare-exchange as a conditional RMW (vis_rmw_if; the engine
 * counts it a write either way, doc/engine.md).  For the spin-assume a
 * failed one is a read of the object, and its write of the expected value
 * is a side effect unless @exp lies in the thread's own stack (compared
 * there).
 * Return: whether it will succeed (the caller then does it; nobody runs in
 * between).
 */
static inline bool announce_cas(const volatile void *a, int size, uint64_t expect,
				unsigned __int128 expect128, const void *exp, uintptr_t pc,
				const char *what)
{
	struct cas_arg c = { a, expect, expect128, size };
	bool ok = vis_rmw_if((const void *)(uintptr_t)a, cas_pred, &c, site_of(pc, what));
	struct runc_spin *st = &runc_spin[vis_self()];
	if (ok || size > 8 || (exp && !own_stack(exp)))
		runc_spin_clear();
	else if (st->nsnap)
		spin_log(st, a, size, rd(a, size));
	if (__builtin_expect(runc_races, 0)) {
		runc_race_acquire((const void *)(uintptr_t)a);
		if (ok)
			runc_race_release((const void *)(uintptr_t)a);
	}
	return ok;
}

#define CAS_ANNOUNCE(N, a, e, ep, pc, what)					\
	announce_cas((a), (N) / 8, (N) == 128 ? 0 : (uint64_t)(e),		\
		     (N) == 128 ? (unsigned __int128)(e) : 0, (ep), (pc), (what))

/* The note of a compare-exchange of N bits (16-byte ones: what it left, in hex). */
#define NOTE_CAS(N, a, e, v, ok, saw)						\
	((N) == 128 ? note_128((a), (ok) ? ":=" : "failed, holds", (ok) ? (v) : (saw)) : \
	 note_cas((a), (uint64_t)(e), (uint64_t)(v), (ok), (uint64_t)(saw), (N) / 8))

#if defined(__x86_64__)
/**
 * cas_spin - the spin-assume at a compare-exchange: block for good if the
 * thread's state and pending CAS @op equal a snapshot taken since its last
 * side effect (a round of failed CASes and loads that left it as it was).
 * @op: the pending operation (spin_op_kind and size, object, arguments).
 * @a: its object.
 * @pc: the call's return address.
 *
 * Every snapshot kept was taken before a load or a CAS that then read and
 * wrote nothing outside the thread's stack: a CAS that succeeded, or
 * wrote its expected value back outside the stack, emptied them
 * (announce_cas).  The argument is the load's (the comment at the top).
 * Context: program thread, entered through SAVE_STUB (spin_regs holds the
 * caller's registers: before any scheduling point).
 * Return: only when T does not block (vis_spin_block never returns).
 */
static inline void cas_spin(const uint64_t op[RUNC_SPIN_OP], const volatile void *a, uintptr_t pc)
{
	int tid = vis_self();
	struct runc_spin *st = &runc_spin[tid];
	int k = spin_match(st, runc_cur->by_tid[tid], op);
	if (k >= 0) {
		st->from = (int)st->snap[k].rpos;
		vis_spin_block((const void *)(uintptr_t)a, spin_stale, st,
			       site_of(pc, "spin (atomic_compare_exchange)"));
	}
}

/* The spin-assume before a compare-exchange of N bits at @a. */
#define CAS_SPIN(kind, N, a, cp, e, v, pc)					\
	do {									\
		if (runc_spin_detect) {						\
			const uint64_t op_[RUNC_SPIN_OP] = {			\
				(kind) | (uint64_t)(N) << 8, (uintptr_t)(a),	\
				(uintptr_t)(cp), (uint64_t)(e), (uint64_t)(v) };	\
			cas_spin(op_, (a), (pc));				\
		}								\
	} while (0)

/* A CAS entry of N <= 64 bits: SAVE_STUB in front of a C function. */
#define CAS_STUB(N, op, ret, params)						\
	SAVE_STUB("__tsan_atomic" #N "_compare_exchange_" #op,			\
		  "runc_cas" #N "_" #op "_impl_");				\
	static ret cas##N##_##op##_impl params					\
		__asm__("runc_cas" #N "_" #op "_impl_")				\
		__attribute__((used, noinline, noipa));				\
	static ret cas##N##_##op##_impl params
#endif

/* A CAS entry without the spin-assume: the callback itself. */
#define CAS_PLAIN(N, op, ret, params)						\
	ret __tsan_atomic##N##_compare_exchange_##op params
#define CAS_NOSPIN(kind, N, a, cp, e, v, pc)	((void)0)

#define CAS_FN(N, op, what, ENTRY, SPIN)					\
ENTRY(N, op, int, (volatile tsan_a##N *a, tsan_a##N *c, tsan_a##N v,		\
		   tsan_mo mo, tsan_mo fmo))					\
{										\
	uintptr_t pc = RET_PC();						\
	tsan_a##N e = *c;							\
	SPIN(SPIN_CAS, N, a, c, e, v, pc);					\
	if (CAS_ANNOUNCE(N, a, e, c, pc, what)) {				\
		*a = v;								\
		if (RECORDING())						\
			NOTE_CAS(N, a, e, v, true, e);				\
		return 1;							\
	}									\
	*c = *a;								\
	if (RECORDING())							\
		NOTE_CAS(N, a, e, v, false, *c);				\
	return 0;								\
}

/*
 * CAS_FAMILY(N, ENTRY, SPIN) - the three compare-exchange callbacks of N
 * bits (strong, weak, and _val for __sync_val_compare_and_swap and
 * Clang's cmpxchg), entered as ENTRY makes them, with SPIN before the
 * announcement.  Kernel-doc as ATOMIC_FAMILY's.
 */
#define CAS_FAMILY(N, ENTRY, SPIN)						\
CAS_FN(N, strong, "atomic_compare_exchange_strong", ENTRY, SPIN)		\
CAS_FN(N, weak, "atomic_compare_exchange_weak", ENTRY, SPIN)			\
ENTRY(N, val, tsan_a##N, (volatile tsan_a##N *a, tsan_a##N c, tsan_a##N v,	\
			  tsan_mo mo, tsan_mo fmo))				\
{										\
	uintptr_t pc = RET_PC();						\
	tsan_a##N old;								\
	SPIN(SPIN_CAS_VAL, N, a, 0, c, v, pc);					\
	if (CAS_ANNOUNCE(N, a, c, NULL, pc, "atomic_compare_exchange")) {	\
		old = *a;							\
		*a = v;								\
		if (RECORDING())						\
			NOTE_CAS(N, a, c, v, true, old);			\
		return old;							\
	}									\
	old = *a;								\
	if (RECORDING())							\
		NOTE_CAS(N, a, c, v, false, old);				\
	return old;								\
}

/*
 * Kernel-doc for the family: __tsan_atomicN_OP - perform OP on the N-bit
 * object @a as one visible step (announce, then act).  Context: program
 * thread; scheduling point.  Return: the previous value (CAS: success).
 */
#define ATOMIC_FAMILY(N)							\
void __tsan_atomic##N##_store(volatile tsan_a##N *a, tsan_a##N v, tsan_mo mo)	\
{										\
	announce(VIS_KIND_WRITE, a, RET_PC(), "atomic_store");			\
	*a = v;									\
	if (RECORDING())							\
		NOTE_STORE(N, a, v);						\
}										\
RMW_FN(N, exchange, "atomic_exchange", v)					\
RMW_KIND_FN(N, fetch_add, "atomic_fetch_add", old + v, VIS_KIND_ADD)		\
RMW_KIND_FN(N, fetch_sub, "atomic_fetch_sub", old - v, VIS_KIND_ADD)		\
RMW_FN(N, fetch_and, "atomic_fetch_and", old & v)				\
RMW_FN(N, fetch_or, "atomic_fetch_or", old | v)					\
RMW_FN(N, fetch_xor, "atomic_fetch_xor", old ^ v)				\
RMW_FN(N, fetch_nand, "atomic_fetch_nand", ~(old & v))

#define NOTE_STORE(N, a, v)							\
	((N) == 128 ? note_128((a), ":=", (v)) : note_store((a), (uint64_t)(v), (N) / 8))

ATOMIC_FAMILY(8)
ATOMIC_FAMILY(16)
ATOMIC_FAMILY(32)
ATOMIC_FAMILY(64)
ATOMIC_FAMILY(128)
#if defined(__x86_64__)
CAS_FAMILY(8, CAS_STUB, CAS_SPIN)
CAS_FAMILY(16, CAS_STUB, CAS_SPIN)
CAS_FAMILY(32, CAS_STUB, CAS_SPIN)
CAS_FAMILY(64, CAS_STUB, CAS_SPIN)
#else
CAS_FAMILY(8, CAS_PLAIN, CAS_NOSPIN)
CAS_FAMILY(16, CAS_PLAIN, CAS_NOSPIN)
CAS_FAMILY(32, CAS_PLAIN, CAS_NOSPIN)
CAS_FAMILY(64, CAS_PLAIN, CAS_NOSPIN)
#endif
CAS_FAMILY(128, CAS_PLAIN, CAS_NOSPIN)	/* no spin-assume: announce_cas clears */

/** __tsan_atomic_thread_fence - no-op under sequential consistency. */
void __tsan_atomic_thread_fence(tsan_mo mo)
{
}

/** __tsan_atomic_signal_fence - no-op (a compiler barrier only). */
void __tsan_atomic_signal_fence(tsan_mo mo)
{
}

/* ==== Plain accesses: not scheduling points ============================ */

/*
 * __tsan_readN & co - plain accesses: not scheduling points.  A write
 * outside the writer's stack is a side effect for the spin-assume (a loop
 * that writes memory is never taken for a no-op); with runc_races both are
 * checked for data races (race.c).
 * Volatile accesses are plain accesses in C11.
 */
static inline void plain(void *addr, bool write, uintptr_t pc)
{
	if (write && !own_stack(addr))
		runc_spin_clear();
	if (__builtin_expect(runc_races, 0))
		runc_race_access(addr, write, pc);
}

#define PLAIN_FNS(N)								\
void __tsan_read##N(void *addr) { plain(addr, false, RET_PC()); }		\
void __tsan_write##N(void *addr) { plain(addr, true, RET_PC()); }		\
void __tsan_unaligned_read##N(void *addr) { plain(addr, false, RET_PC()); }	\
void __tsan_unaligned_write##N(void *addr) { plain(addr, true, RET_PC()); }	\
void __tsan_volatile_read##N(void *addr) { plain(addr, false, RET_PC()); }	\
void __tsan_volatile_write##N(void *addr) { plain(addr, true, RET_PC()); }	\
void __tsan_read##N##_pc(void *addr, void *pc) { plain(addr, false, (uintptr_t)pc); } \
void __tsan_write##N##_pc(void *addr, void *pc) { plain(addr, true, (uintptr_t)pc); }

PLAIN_FNS(1)
PLAIN_FNS(2)
PLAIN_FNS(4)
PLAIN_FNS(8)
PLAIN_FNS(16)

/*
 * Ranges (struct copies, memset/memcpy builtins) are not checked for races:
 * a missed race, never a false one.
 */

/** __tsan_read_range - plain read of a range (memcpy source): no-op. */
void __tsan_read_range(void *addr, unsigned long size)
{
}

/** __tsan_write_range - plain write of a range (memset, memcpy destination). */
void __tsan_write_range(void *addr, unsigned long size)
{
	if (!own_stack(addr) || !own_stack((char *)addr + size - 1))
		runc_spin_clear();
}

/** __tsan_vptr_read - C++ vtable pointer read: no-op. */
void __tsan_vptr_read(void **vptr_p)
{
}

/** __tsan_vptr_update - C++ vtable pointer write: a plain write. */
void __tsan_vptr_update(void **vptr_p, void *new_val)
{
	runc_spin_clear();
}

/** __tsan_func_entry - function entry (shadow call stack in TSan): no-op. */
void __tsan_func_entry(void *call_pc)
{
}

/** __tsan_func_exit - function exit: no-op. */
void __tsan_func_exit(void)
{
}

/** __tsan_init - called by the program's constructors: nothing to set up. */
void __tsan_init(void)
{
}
