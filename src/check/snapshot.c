// SPDX-License-Identifier: MIT
/*
 * snapshot.c - the executor's part of a saved state, for the stateful
 * search (stateful.c): per thread its state, pending operation, saved stack
 * pointer and the bytes of its fixed-address stack from there to the top;
 * the held locks.  Copying them back restores every thread's continuation
 * exactly, because a thread's stack lives at the same address in every
 * state.  Also the canonical forms the symmetry reduction compares.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "check/sched.h"

#if defined(__SANITIZE_ADDRESS__)
#define SNAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SNAP_ASAN 1
#endif
#endif
#ifdef SNAP_ASAN
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define SNAP_UNPOISON(a, n) __asan_unpoison_memory_region((a), (n))
#else
#define SNAP_UNPOISON(a, n) ((void)0)
#endif

/* One thread of a saved state; unused fields are zero (hash-stable). */
struct snap_thread {
	uint8_t state;
	uint8_t kind;
	uint8_t kind2;		/* vis_also()'s access, with obj2 */
	int16_t target;
	int32_t line;
	const void *obj;
	const void *obj2;
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

struct snap_lock {
	const void *obj;
	int64_t owner;
	int64_t readers;
	uint64_t queued;	/* objent.queued: it decides a shared acquire */
};

/* Zero @z bytes of thread @t's stack below its saved sp (or below the top
 * when @from_top: it is about to start): uninitialised slots then hold the same bytes
 * for every path that reaches a state. */
void sched_scrub_stack(int t, size_t z, bool from_top)
{
	struct thread *th = &E.threads[t];
	char *lo = th->fiber.stack;
	char *hi = from_top ? sched_stack_top(th) : (char *)th->fiber.sp;
	char *from = hi - lo > (ptrdiff_t)z ? hi - z : lo;
	SNAP_UNPOISON(from, (size_t)(hi - from));
	memset(from, 0, (size_t)(hi - from));
}

/* Upper bound of the bytes sched_save() writes for the current state. */
size_t sched_save_size(void)
{
	size_t n = sizeof(uint64_t) * 2 + (size_t)E.nthreads * sizeof(struct snap_thread) +
		   (size_t)E.nused * sizeof(struct snap_lock);
	for (int t = 0; t < E.nthreads; t++)
		if (E.threads[t].state == T_LIVE)
			n += (size_t)(sched_stack_top(&E.threads[t]) - (char *)E.threads[t].fiber.sp);
	return n;
}

/* @r: thread @th's record as sched_save() writes it (unused fields zero). */
static void trec_fill(struct snap_thread *r, const struct thread *th)
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
	if (pd->obj2) {
		r->obj2 = pd->obj2;
		r->kind2 = (uint8_t)pd->kind2;
	}
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
	r->stack_len = (uint64_t)(sched_stack_top(th) - r->sp);
}

/*
 * sched_save - write the engine's part of the current state to @buf (at
 * least sched_save_size() bytes): per thread its state, pending operation,
 * saved stack pointer and the stack bytes from there to the top; the held
 * locks sorted by address.  Return: the bytes written.
 */
size_t sched_save(char *buf)
{
	char *p = buf;
	uint64_t hdr[2] = { (uint64_t)E.nthreads, 0 };

	memcpy(p, hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (int t = 0; t < E.nthreads; t++) {
		struct snap_thread r;
		trec_fill(&r, &E.threads[t]);
		memcpy(p, &r, sizeof(r));
		p += sizeof(r);
	}
	p += sched_canon_locks(p, NULL);
	for (int t = 0; t < E.nthreads; t++) {
		const struct thread *th = &E.threads[t];
		if (th->state != T_LIVE)
			continue;
		size_t len = (size_t)(sched_stack_top(th) - (char *)th->fiber.sp);
		SNAP_UNPOISON(th->fiber.sp, len);
		memcpy(p, th->fiber.sp, len);
		p += len;
	}
	return (size_t)(p - buf);
}

/* sched_restore - the inverse of sched_save.  Return: the bytes read. */
size_t sched_restore(const char *buf)
{
	const char *p = buf;
	uint64_t hdr[2];
	memcpy(hdr, p, sizeof(hdr));
	p += sizeof(hdr);
	/* threads from E.nthreads up are T_FREE already (spawn takes the next id) */
	int was = E.nthreads;
	E.nthreads = (int)hdr[0];
	for (int t = 0; t < (was > E.nthreads ? was : E.nthreads); t++) {
		struct thread *th = &E.threads[t];
		if (t >= E.nthreads) {
			th->state = T_FREE;
			continue;
		}
		struct snap_thread r;
		memcpy(&r, p, sizeof(r));
		p += sizeof(r);
		th->state = (enum tstate)r.state;
		memcpy(th->name, r.name, sizeof(th->name));
		if (th->state != T_LIVE)
			continue;
		struct pending *pd = &th->pend;
		pd->kind = (enum vis_kind)r.kind;
		pd->obj = r.obj;
		pd->obj2 = r.obj2;
		pd->kind2 = (enum vis_kind)r.kind2;
		pd->site = (struct vis_site){ .file = r.file, .line = r.line, .what = r.what };
		pd->pred = r.pred;
		pd->parg = r.parg;
		pd->fn = r.fn;
		pd->farg = r.farg;
		pd->name = r.spawn_name;
		pd->target = r.target;
		th->fiber.sp = r.sp;
	}
	sched_obj_keep_chains();
	uint64_t nl;
	memcpy(&nl, p, sizeof(nl));
	p += sizeof(nl);
	for (uint64_t k = 0; k < nl; k++) {
		struct snap_lock l;
		memcpy(&l, p, sizeof(l));
		p += sizeof(l);
		struct objent *o = sched_obj_lookup(l.obj);
		o->owner = (int16_t)l.owner;
		o->readers = (int16_t)l.readers;
		o->queued = l.queued;
	}
	for (int t = 0; t < E.nthreads; t++) {
		struct thread *th = &E.threads[t];
		if (th->state != T_LIVE)
			continue;
		size_t len = (size_t)(sched_stack_top(th) - (char *)th->fiber.sp);
		SNAP_UNPOISON(th->fiber.sp, len);
		memcpy(th->fiber.sp, p, len);
		p += len;
	}
	E.end = END_NONE;
	E.cur = -1;
	E.in_sched = true;
	return (size_t)(p - buf);
}

/*
 * sched_canon_thread - write thread @t's part of the state as the symmetry
 * reduction compares it (stateful.c, --symmetry): its record without the
 * saved stack pointer, its name blanked when @cls[t] is non-zero (a name
 * tells identical threads apart, it is not state), and the stack bytes from
 * the saved sp to the top.  A join target is written through @sigma (or,
 * with @sigma NULL, as its class when it has one: a key that does not
 * depend on how threads are numbered).  Pointers into stacks are left for
 * the caller's relocation pass.  @buf must be 8-byte aligned.
 * Return: the bytes written, a multiple of 8.
 */
size_t sched_canon_thread(char *buf, int t, const int *cls, const int *sigma)
{
	const struct thread *th = &E.threads[t];
	struct snap_thread r;
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
		SNAP_UNPOISON(th->fiber.sp, len);
		memcpy(p, th->fiber.sp, len);
		p += len;
		while ((uintptr_t)(p - buf) & 7)
			*p++ = 0;
	}
	return (size_t)(p - buf);
}

/*
 * sched_canon_locks - the held locks (and those with queued writers) with
 * their owners and queued writers renamed by @sigma
 * (NULL: as they are, for sched_save), sorted by address (insertion sort:
 * there are few).  Return: the bytes written, a multiple of 8.
 */
size_t sched_canon_locks(char *buf, const int *sigma)
{
	struct snap_lock *locks = (struct snap_lock *)(void *)(buf + sizeof(uint64_t));
	int nlocks = 0;

	for (int k = 0; k < E.nused; k++) {
		const struct objent *o = &E.objs[E.used_slots[k]];
		if (o->owner < 0 && o->readers == 0 && !o->queued)
			continue;
		uint64_t q = o->queued;
		if (sigma) {	/* the queued writers renamed too */
			q = 0;
			for (int t = 0; t < E.nthreads && t < MAXT; t++)
				if (o->queued & TSET_BIT(t))
					q |= TSET_BIT(sigma[t]);
		}
		struct snap_lock l = { o->obj, sigma && o->owner >= 0 && o->owner < MAXT ?
					      sigma[o->owner] : o->owner, o->readers, q };
		int j = nlocks++;
		while (j > 0 && (uintptr_t)locks[j - 1].obj > (uintptr_t)l.obj) {
			locks[j] = locks[j - 1];
			j--;
		}
		locks[j] = l;
	}
	uint64_t nl64 = (uint64_t)nlocks;
	memcpy(buf, &nl64, sizeof(nl64));
	return sizeof(nl64) + (size_t)nlocks * sizeof(struct snap_lock);
}

/*
 * Thread @t's memory that a pointer can name it by: @which 0 its stack,
 * 1 the engine's record of it (a thread's frames in the engine hold
 * &E.threads[t]).  [*lo, *hi).
 */
void sched_thread_range(int t, int which, uintptr_t *lo, uintptr_t *hi)
{
	if (which == 0) {
		*lo = (uintptr_t)E.threads[t].fiber.stack;
		*hi = (uintptr_t)sched_stack_top(&E.threads[t]);
	} else {
		*lo = (uintptr_t)&E.threads[t];
		*hi = *lo + sizeof(E.threads[t]);
	}
}

