// SPDX-License-Identifier: MIT
/*
 * rt.c - what a program run by `pvcheck run` gets instead of libc's
 * pthread, semaphore, exit/abort/assert and malloc functions (see rt.h for
 * how calls are routed here).
 *
 * Threads are engine threads (vis_spawn/vis_join); a pthread_t is the
 * engine's thread id.  Mutexes, spin locks and rwlocks are engine locks
 * identified by their address; condition variables, pthread_once and
 * semaphores keep a counter in the first word of the user's object (which
 * lives in the program's data or heap, both reset between executions) and
 * block with vis_wait.  Per-execution state lives in struct runc_prog and is
 * reset by runc_rt_reset().
 */
#include <assert.h>
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/bug.h"
#include "runc/runc_int.h"
#include "runc/rt.h"

#define RET_PC() ((uintptr_t)__builtin_return_address(0))
#define SITE(w) runc_site_of(RET_PC(), (w))
/* happens-before bookkeeping for the data-race detector (race.c) */
#define RACE(stmt) do { if (__builtin_expect(runc_races, 0)) stmt; } while (0)

/*
 * While a trace is recorded: note the object the step just did (a mutex,
 * condition variable, semaphore) by the program's name for it, with
 * @fmt's detail after it (tsan.c notes the atomics' values the same way).
 */
#define NOTE_OBJ(obj, fmt, ...)							\
	do {									\
		if (__builtin_expect(vis_recording(), 0)) {			\
			char nb_[64];						\
			vis_note("%s" fmt, runc_obj_name((obj), nb_, sizeof(nb_)), ##__VA_ARGS__); \
		}								\
	} while (0)

/* Each replacement must have the prototype of what it replaces. */
#define CHECK_PROTO(libc, runc)						\
	_Static_assert(__builtin_types_compatible_p(__typeof__(&libc),	\
						    __typeof__(&runc)),	\
		       #runc " does not match " #libc);
CHECK_PROTO(pthread_create, runc_pthread_create)
CHECK_PROTO(pthread_join, runc_pthread_join)
CHECK_PROTO(pthread_mutex_init, runc_pthread_mutex_init)
CHECK_PROTO(pthread_mutex_lock, runc_pthread_mutex_lock)
CHECK_PROTO(pthread_spin_lock, runc_pthread_spin_lock)
CHECK_PROTO(pthread_rwlock_init, runc_pthread_rwlock_init)
CHECK_PROTO(pthread_cond_init, runc_pthread_cond_init)
CHECK_PROTO(pthread_cond_wait, runc_pthread_cond_wait)
CHECK_PROTO(pthread_once, runc_pthread_once)
CHECK_PROTO(sem_init, runc_sem_init)
CHECK_PROTO(sem_getvalue, runc_sem_getvalue)
CHECK_PROTO(usleep, runc_usleep)
CHECK_PROTO(rand, runc_rand)
CHECK_PROTO(srand, runc_srand)
CHECK_PROTO(random, runc_random)
CHECK_PROTO(srandom, runc_srandom)
CHECK_PROTO(time, runc_time)
CHECK_PROTO(sleep, runc_sleep)
CHECK_PROTO(calloc, runc_calloc)
CHECK_PROTO(realloc, runc_realloc)
CHECK_PROTO(free, runc_free)
CHECK_PROTO(aligned_alloc, runc_aligned_alloc)
CHECK_PROTO(posix_memalign, runc_posix_memalign)
CHECK_PROTO(__assert_fail, runc_assert_fail)
CHECK_PROTO(__assert_perror_fail, runc_assert_perror_fail)

/* ==== Threads =========================================================== */

/**
 * runc_thread_body - run a program thread's start function on its fiber.
 * @t: its record.
 *
 * Remembers the top of the thread's user stack (for the spin detector) and
 * where pthread_exit() returns to.
 * Context: the thread's own fiber, at its start.
 */
void runc_thread_body(struct runc_thread *t)
{
	int tid = vis_self();
	t->stack_base = __builtin_frame_address(0);
	/*
	 * The spin-assume compares up to RUNC_SPIN_STACK bytes below
	 * stack_base; they are the same in every execution only if they lie in
	 * what the engine zeroed at the start (load.c's start_scrub).
	 */
	PVM_BUG_ON(vis_stack_top() - t->stack_base > RUNC_ENTRY_FRAMES);
	t->tid = tid;
	runc_cur->by_tid[tid] = t;
	RACE(runc_race_thread_start(t->parent, tid));
	runc_spin_clear();
	if (setjmp(t->exit_jb) == 0)
		t->ret = t->fn(t->arg);
	/*
	 * The thread's end is a side effect like any other: its spin history
	 * (the loads since its last side effect) can no longer decide anything,
	 * and left in the state it would tell apart final states that differ
	 * only in the loads each thread did last, e.g. rf.c's io thread ending
	 * after a failed get_page_unless_zero or after a put_page.
	 */
	runc_spin_clear();
}

/* vis_spawn entry of a created thread. */
static void thread_entry(void *arg)
{
	runc_thread_body(arg);
}

/* The thread's name in traces: its start function's name, cached. */
static const char *thread_name(struct runc_prog *p, void *(*fn)(void *))
{
	void *key = (void *)(uintptr_t)fn;
	for (int i = 0; i < p->nnames; i++)
		if (p->names[i].fn == key)
			return p->names[i].name;
	if (p->nnames == EXPLORE_MAX_THREADS)
		return NULL;
	struct runc_name *n = &p->names[p->nnames++];
	Dl_info di;
	const char *name = NULL;
	n->fn = key;
	if (dladdr(key, &di) && di.dli_sname && di.dli_saddr == key)
		name = di.dli_sname;
	else
		name = runc_func_name(key);	/* static functions */
	snprintf(n->name, sizeof(n->name), "%s", name ? name : "thread");
	return n->name;
}

int runc_pthread_create(pthread_t *restrict th, const pthread_attr_t *restrict attr,
			void *(*fn)(void *), void *restrict arg)
{
	struct runc_prog *p = runc_cur;
	runc_spin_clear();
	/* a limit of pvcheck, not a finding in the program: the search ends, incomplete */
	if (p->nspawned >= EXPLORE_MAX_THREADS)
		vis_limit("thread-limit", runc_site(RET_PC(), "pthread_create"),
			  "the program starts more than %d threads besides main (pvcheck's "
			  "limit: %d threads)", EXPLORE_MAX_THREADS - 1, EXPLORE_MAX_THREADS);
	struct runc_thread *t = &p->threads[p->nspawned++];
	t->fn = fn;
	t->arg = arg;
	t->ret = NULL;
	t->tid = -1;
	t->parent = vis_self();
	int tid = vis_spawn(thread_entry, t, thread_name(p, fn), SITE("pthread_create"));
	t->tid = tid;
	p->by_tid[tid] = t;
	*th = (pthread_t)tid;
	return 0;
}

int runc_pthread_join(pthread_t th, void **ret)
{
	struct runc_prog *p = runc_cur;
	runc_spin_clear();
	if (th >= EXPLORE_MAX_THREADS || !p->by_tid[th])
		return ESRCH;
	if ((int)th == vis_self())
		return EDEADLK;
	vis_join((int)th, SITE("pthread_join"));
	RACE(runc_race_join((int)th));
	if (ret)
		*ret = p->by_tid[th]->ret;
	return 0;
}

_Noreturn void runc_pthread_exit(void *ret)
{
	struct runc_thread *t = runc_cur->by_tid[vis_self()];
	t->ret = ret;
	longjmp(t->exit_jb, 1);
}

pthread_t runc_pthread_self(void)
{
	return (pthread_t)vis_self();
}

int runc_pthread_detach(pthread_t th)
{
	return 0;
}

/* ==== Locks ============================================================= */

int runc_pthread_mutex_init(pthread_mutex_t *restrict m, const pthread_mutexattr_t *restrict a)
{
	int type;
	if (a && !pthread_mutexattr_gettype(a, &type) && type == PTHREAD_MUTEX_RECURSIVE)
		vis_fail("unsupported", SITE("pthread_mutex_init"),
			 "recursive mutexes are not supported by pvcheck run");
	return 0;
}

int runc_pthread_mutex_destroy(pthread_mutex_t *m)
{
	return 0;
}

int runc_pthread_mutex_lock(pthread_mutex_t *m)
{
	runc_spin_clear();
	vis_lock(m, false, SITE("pthread_mutex_lock"));
	NOTE_OBJ(m, "");
	RACE(runc_race_acquire(m));
	return 0;
}

int runc_pthread_mutex_trylock(pthread_mutex_t *m)
{
	runc_spin_clear();
	if (!vis_trylock(m, SITE("pthread_mutex_trylock"))) {
		NOTE_OBJ(m, ": busy");
		return EBUSY;
	}
	NOTE_OBJ(m, "");
	RACE(runc_race_acquire(m));
	return 0;
}

int runc_pthread_mutex_unlock(pthread_mutex_t *m)
{
	runc_spin_clear();
	vis_unlock(m, SITE("pthread_mutex_unlock"));
	NOTE_OBJ(m, "");
	RACE(runc_race_release(m));
	return 0;
}

int runc_pthread_spin_init(pthread_spinlock_t *l, int pshared)
{
	return 0;
}

int runc_pthread_spin_destroy(pthread_spinlock_t *l)
{
	return 0;
}

int runc_pthread_spin_lock(pthread_spinlock_t *l)
{
	runc_spin_clear();
	vis_lock((const void *)(uintptr_t)l, false, SITE("pthread_spin_lock"));
	NOTE_OBJ(l, "");
	RACE(runc_race_acquire((const void *)(uintptr_t)l));
	return 0;
}

int runc_pthread_spin_trylock(pthread_spinlock_t *l)
{
	runc_spin_clear();
	if (!vis_trylock((const void *)(uintptr_t)l, SITE("pthread_spin_trylock"))) {
		NOTE_OBJ(l, ": busy");
		return EBUSY;
	}
	NOTE_OBJ(l, "");
	RACE(runc_race_acquire((const void *)(uintptr_t)l));
	return 0;
}

int runc_pthread_spin_unlock(pthread_spinlock_t *l)
{
	runc_spin_clear();
	vis_unlock((const void *)(uintptr_t)l, SITE("pthread_spin_unlock"));
	NOTE_OBJ(l, "");
	RACE(runc_race_release((const void *)(uintptr_t)l));
	return 0;
}

int runc_pthread_rwlock_init(pthread_rwlock_t *restrict l,
			     const pthread_rwlockattr_t *restrict a)
{
	return 0;
}

int runc_pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	return 0;
}

int runc_pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	runc_spin_clear();
	vis_lock(l, true, SITE("pthread_rwlock_rdlock"));
	NOTE_OBJ(l, "");
	RACE(runc_race_acquire(l));
	return 0;
}

int runc_pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	runc_spin_clear();
	vis_lock(l, false, SITE("pthread_rwlock_wrlock"));
	NOTE_OBJ(l, "");
	RACE(runc_race_acquire(l));
	return 0;
}

int runc_pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	runc_spin_clear();
	if (!vis_trylock(l, SITE("pthread_rwlock_trywrlock"))) {
		NOTE_OBJ(l, ": busy");
		return EBUSY;
	}
	NOTE_OBJ(l, "");
	RACE(runc_race_acquire(l));
	return 0;
}

int runc_pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	runc_spin_clear();
	vis_unlock(l, SITE("pthread_rwlock_unlock"));
	NOTE_OBJ(l, "");
	RACE(runc_race_release(l));
	return 0;
}

/* ==== Condition variables, once, semaphores ============================ */

/* The counter kept in the first word of a pthread_cond_t / sem_t / once. */
static inline volatile unsigned int *word(const void *obj)
{
	return (volatile unsigned int *)(uintptr_t)obj;
}

/* Wait predicate: the counter moved away from the generation read. */
static bool gen_changed(const void *arg)
{
	const struct runc_cwait *w = arg;
	return *word(w->obj) != w->gen;
}

/* Wait predicate: the counter is positive (semaphore). */
static bool positive(const void *arg)
{
	return *word(arg) > 0;
}

int runc_pthread_cond_init(pthread_cond_t *restrict c, const pthread_condattr_t *restrict a)
{
	memset(c, 0, sizeof(*c));
	return 0;
}

int runc_pthread_cond_destroy(pthread_cond_t *c)
{
	return 0;
}

int runc_pthread_cond_wait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m)
{
	uintptr_t pc = RET_PC();
	int tid = vis_self();
	struct runc_cwait *w = &runc_cur->cwait[tid];

	runc_spin_clear();
	/* the real call unlocks and blocks atomically: a signal counts from here */
	vis_op(VIS_KIND_READ, c, runc_site_of(pc, "pthread_cond_wait"));
	NOTE_OBJ(c, "");
	w->obj = c;
	w->gen = *word(c);
	vis_unlock(m, runc_site_of(pc, "pthread_cond_wait (unlock)"));
	NOTE_OBJ(m, "");
	RACE(runc_race_release(m));
	vis_wait(c, false, gen_changed, w, runc_site_of(pc, "pthread_cond_wait"));
	NOTE_OBJ(c, ": woken");
	RACE(runc_race_acquire(c));
	vis_lock(m, false, runc_site_of(pc, "pthread_cond_wait (relock)"));
	NOTE_OBJ(m, "");
	RACE(runc_race_acquire(m));
	return 0;
}

int runc_pthread_cond_signal(pthread_cond_t *c)
{
	runc_spin_clear();
	vis_op(VIS_KIND_RMW, c, SITE("pthread_cond_signal"));
	NOTE_OBJ(c, "");
	RACE(runc_race_release(c));
	(*word(c))++;
	return 0;
}

int runc_pthread_cond_broadcast(pthread_cond_t *c)
{
	runc_spin_clear();
	vis_op(VIS_KIND_RMW, c, SITE("pthread_cond_broadcast"));
	NOTE_OBJ(c, "");
	RACE(runc_race_release(c));
	(*word(c))++;
	return 0;
}

/* pthread_once: 0 not run, 1 running, 2 done. */
static bool once_done(const void *arg)
{
	return *word(arg) == 2;
}

int runc_pthread_once(pthread_once_t *ctl, void (*fn)(void))
{
	uintptr_t pc = RET_PC();
	runc_spin_clear();
	vis_op(VIS_KIND_RMW, ctl, runc_site_of(pc, "pthread_once"));
	if (*word(ctl) == 0) {
		*word(ctl) = 1;
		fn();
		runc_spin_clear();
		vis_op(VIS_KIND_WRITE, ctl, runc_site_of(pc, "pthread_once (done)"));
		RACE(runc_race_release(ctl));
		*word(ctl) = 2;
	} else {
		if (*word(ctl) == 1)
			vis_wait(ctl, false, once_done, ctl,
				 runc_site_of(pc, "pthread_once (wait)"));
		RACE(runc_race_acquire(ctl));
	}
	return 0;
}

int runc_sem_init(sem_t *s, int pshared, unsigned int value)
{
	memset(s, 0, sizeof(*s));
	*word(s) = value;
	return 0;
}

int runc_sem_destroy(sem_t *s)
{
	return 0;
}

int runc_sem_wait(sem_t *s)
{
	runc_spin_clear();
	vis_wait(s, true, positive, s, SITE("sem_wait"));
	RACE(runc_race_acquire(s));
	NOTE_OBJ(s, ": %u -> %u", *word(s), *word(s) - 1);
	(*word(s))--;
	return 0;
}

int runc_sem_trywait(sem_t *s)
{
	runc_spin_clear();
	vis_op(VIS_KIND_RMW, s, SITE("sem_trywait"));
	if (*word(s) == 0) {
		NOTE_OBJ(s, ": 0, busy");
		errno = EAGAIN;
		return -1;
	}
	RACE(runc_race_acquire(s));
	NOTE_OBJ(s, ": %u -> %u", *word(s), *word(s) - 1);
	(*word(s))--;
	return 0;
}

int runc_sem_post(sem_t *s)
{
	runc_spin_clear();
	vis_op(VIS_KIND_RMW, s, SITE("sem_post"));
	RACE(runc_race_release(s));
	NOTE_OBJ(s, ": %u -> %u", *word(s), *word(s) + 1);
	(*word(s))++;
	return 0;
}

int runc_sem_getvalue(sem_t *restrict s, int *restrict sval)
{
	runc_spin_clear();
	vis_op(VIS_KIND_READ, s, SITE("sem_getvalue"));
	*sval = (int)*word(s);
	NOTE_OBJ(s, " = %d", *sval);
	return 0;
}

int runc_sched_yield(void)
{
	return 0;
}

int runc_pthread_yield(void)
{
	return 0;
}

int runc_usleep(useconds_t us)
{
	return 0;
}

unsigned int runc_sleep(unsigned int s)
{
	return 0;
}

/* ==== Replayable rand and time ======================================== */

uint64_t runc_rand_state = 1;	/* state of rand(): shared state of the program */

int runc_rand(void)
{
	/* POSIX.1's example generator, enough for test programs */
	runc_spin_clear();	/* it writes shared state */
	runc_rand_state = runc_rand_state * 1103515245 + 12345;
	return (int)((runc_rand_state / 65536) % ((uint64_t)RAND_MAX + 1));
}

void runc_srand(unsigned int seed)
{
	runc_spin_clear();
	runc_rand_state = seed;
}

long runc_random(void)
{
	return runc_rand();
}

void runc_srandom(unsigned int seed)
{
	runc_srand(seed);
}

time_t runc_time(time_t *t)
{
	if (t)
		*t = 0;
	return 0;
}

/* ==== Process end and assertions ====================================== */

_Noreturn void runc_abort(void)
{
	vis_fail("abort", SITE("abort"), "the program called abort()");
}

_Noreturn void runc_exit(int status)
{
	if (status != 0)
		vis_fail("exit", SITE("exit"), "the program called exit(%d)", status);
	runc_pthread_exit(NULL);
}

_Noreturn void runc__exit(int status)
{
	runc_exit(status);
}

_Noreturn void runc__Exit(int status)
{
	runc_exit(status);
}

_Noreturn void runc_assert_fail(const char *assertion, const char *file, unsigned int line,
				const char *function)
{
	vis_fail("assert", ((struct vis_site){ .file = file, .line = (int)line, .what = function }),
		 "assertion `%s' failed", assertion);
}

_Noreturn void runc_assert_perror_fail(int errnum, const char *file, unsigned int line,
				       const char *function)
{
	vis_fail("assert", ((struct vis_site){ .file = file, .line = (int)line, .what = function }),
		 "assert_perror(%d) failed: %s", errnum, strerror(errnum));
}

#define RUNC_UNSUP_DEF(name)						\
_Noreturn void runc_unsupported_##name(void)				\
{									\
	vis_fail("unsupported", SITE(#name),				\
		 #name "() is not supported by pvcheck run");		\
}
RUNC_UNSUPPORTED(RUNC_UNSUP_DEF)

/* ==== Memory ============================================================ */

#define HDR 16		/* block header: the size, keeps 16-byte alignment */

/* Allocate @size bytes aligned to @align (a power of two >= 16) from the heap. */
static void *heap_alloc(size_t size, size_t align)
{
	struct runc_prog *p = runc_cur;
	runc_spin_clear();	/* the heap's use is shared state */
	size_t at = (p->heap_used + HDR + align - 1) & ~(align - 1);
	if (size > RUNC_HEAP_SIZE || at + size > RUNC_HEAP_SIZE)
		return NULL;
	*(size_t *)(void *)(p->heap + at - HDR) = size;
	p->heap_used = (at + size + 15) & ~(size_t)15;
	if (p->heap_used > p->heap_dirty)
		p->heap_dirty = p->heap_used;
	return p->heap + at;
}

/* Return: whether @ptr points into the per-execution heap. */
static bool in_heap(const void *ptr)
{
	const char *c = ptr;
	return c >= runc_cur->heap && c < runc_cur->heap + RUNC_HEAP_SIZE;
}

void *runc_malloc(size_t size)
{
	return heap_alloc(size, 16);
}

void *runc_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return heap_alloc(n * size, 16);	/* the heap is zeroed on reset */
}

void *runc_realloc(void *ptr, size_t size)
{
	if (!ptr)
		return runc_malloc(size);
	if (!in_heap(ptr))
		return realloc(ptr, size);
	size_t old = *(size_t *)(void *)((char *)ptr - HDR);
	void *n = runc_malloc(size);
	if (n)
		memcpy(n, ptr, old < size ? old : size);
	return n;
}

void runc_free(void *ptr)
{
	if (ptr && !in_heap(ptr))
		free(ptr);
}

void *runc_aligned_alloc(size_t align, size_t size)
{
	if (!align || (align & (align - 1))) {
		errno = EINVAL;
		return NULL;
	}
	return heap_alloc(size, align < 16 ? 16 : align);
}

int runc_posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *q = heap_alloc(size, align < 16 ? 16 : align);
	if (!q)
		return ENOMEM;
	*out = q;
	return 0;
}

/* ==== Per-execution reset =============================================== */

/**
 * runc_rt_reset - forget the previous execution's threads, waits and heap.
 * @p: the program.
 *
 * Context: called from program.reset, before the initial thread starts.
 */
void runc_rt_reset(struct runc_prog *p)
{
	memset(p->by_tid, 0, sizeof(p->by_tid));
	p->nspawned = 1;		/* record 0 is main's */
	if (p->heap_dirty)
		memset(p->heap, 0, p->heap_dirty);
	p->heap_used = 0;
	p->heap_dirty = 0;
	for (int i = 0; i < EXPLORE_MAX_THREADS; i++) {
		runc_spin[i].nsnap = 0;
		runc_spin[i].next = 0;
		runc_spin[i].nlog = 0;
	}
	runc_rand_state = 1;
	runc_race_reset();
}
