/* SPDX-License-Identifier: MIT */
/*
 * rt.h - the runtime a program run by `pvcheck run` calls instead of libc.
 *
 * After compiling the program, build.c renames its undefined references
 * (objcopy --redefine-syms) from the libc name to the runc_ name below, so
 * every call - direct, through a function pointer, from a macro - reaches
 * pvcheck.  Each replacement has exactly the prototype of the function it
 * replaces (rt.c checks this at compile time), and RUNC_REDIRECTS is the one
 * list of renamings.  Functions that cannot be supported are renamed to a
 * stub that reports a finding "unsupported"; the shim <pthread.h> also
 * marks them with __attribute__((error)) so that a direct call fails at
 * compile time with the program's file:line.
 */
#ifndef PVM_RUNC_RT_H
#define PVM_RUNC_RT_H

#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>

/*
 * X(libc name, runc name): the renamings applied to the program's object.
 * rt.c defines every runc name, with the libc prototype.
 */
#define RUNC_REDIRECTS(X)						\
	X(pthread_create, runc_pthread_create)				\
	X(pthread_join, runc_pthread_join)				\
	X(pthread_exit, runc_pthread_exit)				\
	X(pthread_self, runc_pthread_self)				\
	X(pthread_detach, runc_pthread_detach)				\
	X(pthread_mutex_init, runc_pthread_mutex_init)			\
	X(pthread_mutex_destroy, runc_pthread_mutex_destroy)		\
	X(pthread_mutex_lock, runc_pthread_mutex_lock)			\
	X(pthread_mutex_trylock, runc_pthread_mutex_trylock)		\
	X(pthread_mutex_unlock, runc_pthread_mutex_unlock)		\
	X(pthread_spin_init, runc_pthread_spin_init)			\
	X(pthread_spin_destroy, runc_pthread_spin_destroy)		\
	X(pthread_spin_lock, runc_pthread_spin_lock)			\
	X(pthread_spin_trylock, runc_pthread_spin_trylock)		\
	X(pthread_spin_unlock, runc_pthread_spin_unlock)		\
	X(pthread_rwlock_init, runc_pthread_rwlock_init)		\
	X(pthread_rwlock_destroy, runc_pthread_rwlock_destroy)		\
	X(pthread_rwlock_rdlock, runc_pthread_rwlock_rdlock)		\
	X(pthread_rwlock_wrlock, runc_pthread_rwlock_wrlock)		\
	X(pthread_rwlock_trywrlock, runc_pthread_rwlock_trywrlock)	\
	X(pthread_rwlock_unlock, runc_pthread_rwlock_unlock)		\
	X(pthread_cond_init, runc_pthread_cond_init)			\
	X(pthread_cond_destroy, runc_pthread_cond_destroy)		\
	X(pthread_cond_wait, runc_pthread_cond_wait)			\
	X(pthread_cond_signal, runc_pthread_cond_signal)		\
	X(pthread_cond_broadcast, runc_pthread_cond_broadcast)		\
	X(pthread_once, runc_pthread_once)				\
	X(sem_init, runc_sem_init)					\
	X(sem_destroy, runc_sem_destroy)				\
	X(sem_wait, runc_sem_wait)					\
	X(sem_trywait, runc_sem_trywait)				\
	X(sem_post, runc_sem_post)					\
	X(sem_getvalue, runc_sem_getvalue)				\
	X(sched_yield, runc_sched_yield)				\
	X(pthread_yield, runc_pthread_yield)				\
	X(usleep, runc_usleep)						\
	X(rand, runc_rand)						\
	X(srand, runc_srand)						\
	X(random, runc_random)						\
	X(srandom, runc_srandom)					\
	X(time, runc_time)						\
	X(sleep, runc_sleep)						\
	X(abort, runc_abort)						\
	X(exit, runc_exit)						\
	X(_exit, runc__exit)						\
	X(_Exit, runc__Exit)						\
	X(__assert_fail, runc_assert_fail)				\
	X(__assert_perror_fail, runc_assert_perror_fail)		\
	X(malloc, runc_malloc)						\
	X(calloc, runc_calloc)						\
	X(realloc, runc_realloc)					\
	X(free, runc_free)						\
	X(aligned_alloc, runc_aligned_alloc)				\
	X(posix_memalign, runc_posix_memalign)

/* Functions a program may not call: renamed to runc_unsupported_<name>. */
#define RUNC_UNSUPPORTED(X)						\
	X(pthread_cancel)						\
	X(pthread_kill)							\
	X(pthread_mutex_timedlock)					\
	X(pthread_rwlock_tryrdlock)					\
	X(pthread_rwlock_timedrdlock)					\
	X(pthread_rwlock_timedwrlock)					\
	X(pthread_cond_timedwait)					\
	X(pthread_barrier_init)						\
	X(pthread_barrier_wait)						\
	X(pthread_key_create)						\
	X(pthread_getspecific)						\
	X(pthread_setspecific)						\
	X(pthread_setname_np)						\
	X(sem_timedwait)						\
	X(fork)								\
	X(thrd_create)							\
	X(mtx_lock)							\
	X(cnd_wait)

/* ---- threads -------------------------------------------------------- */

/**
 * runc_pthread_create - pthread_create(): start a program thread (vis_spawn).
 * @th: receives the thread id (0 is main; ids are the trace's thread ids).
 * @attr: ignored (stack size and detach state have no meaning here).
 * @fn: the thread body; its return value is kept for pthread_join().
 * @arg: its argument.
 *
 * Context: program thread.  Scheduling point.
 * Return: 0.  More than EXPLORE_MAX_THREADS - 1 threads besides main is
 * pvcheck's limit (vis_limit): the search ends incomplete, cut by
 * "thread-limit"; it is never a finding.
 */
int runc_pthread_create(pthread_t *restrict th, const pthread_attr_t *restrict attr,
			void *(*fn)(void *), void *restrict arg);

/**
 * runc_pthread_join - pthread_join(): block until @th has exited.
 * Return: 0, ESRCH for an unknown thread, EDEADLK for the caller itself.
 */
int runc_pthread_join(pthread_t th, void **ret);

/** runc_pthread_exit - pthread_exit(): end the calling thread with @ret. */
_Noreturn void runc_pthread_exit(void *ret);

/** runc_pthread_self - pthread_self(): Return: the caller's thread id. */
pthread_t runc_pthread_self(void);

/** runc_pthread_detach - pthread_detach(): nothing to do. Return: 0. */
int runc_pthread_detach(pthread_t th);

/* ---- locks: the lock's identity is its address ------------------------ */

/**
 * runc_pthread_mutex_lock & co - mutexes as engine locks (vis_lock).
 *
 * A statically zero-initialised mutex works: the engine keeps lock state
 * per address and per execution, init and destroy do nothing.  A failed
 * trylock is a read of the mutex.  Recursive mutexes are reported as
 * "unsupported"; error-checking ones behave as normal ones (the engine
 * reports an unlock by a non-owner).
 * Context: program thread.  Scheduling point (not init/destroy).
 * Return: 0; trylock EBUSY.
 */
int runc_pthread_mutex_init(pthread_mutex_t *restrict m, const pthread_mutexattr_t *restrict a);
int runc_pthread_mutex_destroy(pthread_mutex_t *m);
int runc_pthread_mutex_lock(pthread_mutex_t *m);
int runc_pthread_mutex_trylock(pthread_mutex_t *m);
int runc_pthread_mutex_unlock(pthread_mutex_t *m);

/** runc_pthread_spin_lock & co - spin locks, same as mutexes. */
int runc_pthread_spin_init(pthread_spinlock_t *l, int pshared);
int runc_pthread_spin_destroy(pthread_spinlock_t *l);
int runc_pthread_spin_lock(pthread_spinlock_t *l);
int runc_pthread_spin_trylock(pthread_spinlock_t *l);
int runc_pthread_spin_unlock(pthread_spinlock_t *l);

/** runc_pthread_rwlock_rdlock & co - rwlocks as shared/exclusive engine locks. */
int runc_pthread_rwlock_init(pthread_rwlock_t *restrict l,
			     const pthread_rwlockattr_t *restrict a);
int runc_pthread_rwlock_destroy(pthread_rwlock_t *l);
int runc_pthread_rwlock_rdlock(pthread_rwlock_t *l);
int runc_pthread_rwlock_wrlock(pthread_rwlock_t *l);
int runc_pthread_rwlock_trywrlock(pthread_rwlock_t *l);
int runc_pthread_rwlock_unlock(pthread_rwlock_t *l);

/**
 * runc_pthread_cond_wait & co - condition variables.
 *
 * The first word of the pthread_cond_t counts signals.  A wait reads it
 * while holding the mutex (the point where the real call atomically unlocks
 * and blocks), unlocks, waits until the count changes, and relocks.  A
 * signal wakes every waiter, which POSIX allows (spurious wakeups); a
 * signal sent before the wait began is lost, as on a real system, so a
 * lost-wakeup bug ends in a deadlock finding.
 * Context: program thread.  Scheduling point.  Return: 0.
 */
int runc_pthread_cond_init(pthread_cond_t *restrict c, const pthread_condattr_t *restrict a);
int runc_pthread_cond_destroy(pthread_cond_t *c);
int runc_pthread_cond_wait(pthread_cond_t *restrict c, pthread_mutex_t *restrict m);
int runc_pthread_cond_signal(pthread_cond_t *c);
int runc_pthread_cond_broadcast(pthread_cond_t *c);

/** runc_pthread_once - pthread_once(): one caller runs @fn, the others wait. */
int runc_pthread_once(pthread_once_t *ctl, void (*fn)(void));

/**
 * runc_sem_wait & co - POSIX semaphores; the first word of the sem_t is
 * the count.  sem_wait blocks until it is positive and decrements it in
 * the same step.  Return: 0; sem_trywait -1 with errno EAGAIN.
 */
int runc_sem_init(sem_t *s, int pshared, unsigned int value);
int runc_sem_destroy(sem_t *s);
int runc_sem_wait(sem_t *s);
int runc_sem_trywait(sem_t *s);
int runc_sem_post(sem_t *s);
int runc_sem_getvalue(sem_t *restrict s, int *restrict sval);

/** runc_sched_yield, runc_usleep, runc_sleep - no-ops (time does not exist). */
int runc_sched_yield(void);
int runc_pthread_yield(void);
int runc_usleep(useconds_t us);
unsigned int runc_sleep(unsigned int s);

/**
 * runc_rand, runc_srand, runc_random, runc_srandom, runc_time - replayable
 * versions: the random sequence restarts from seed 1 in every execution
 * (as at program start), and time stands still at 0, so that an execution
 * can be replayed step for step.
 */
int runc_rand(void);
void runc_srand(unsigned int seed);
long runc_random(void);
void runc_srandom(unsigned int seed);
time_t runc_time(time_t *t);

/* ---- process end and assertions: findings ------------------------------ */

/** runc_abort - abort(): finding "abort". */
_Noreturn void runc_abort(void);

/**
 * runc_exit - exit(), _exit(), _Exit(): exit(0) ends the calling thread
 * (the others run on, as if exit had come after them); any other status is
 * a finding "exit".
 */
_Noreturn void runc_exit(int status);
_Noreturn void runc__exit(int status);
_Noreturn void runc__Exit(int status);

/** runc_assert_fail - glibc's assert() failure path: finding "assert". */
_Noreturn void runc_assert_fail(const char *assertion, const char *file, unsigned int line,
				const char *function);

/** runc_assert_perror_fail - assert_perror() failure: finding "assert". */
_Noreturn void runc_assert_perror_fail(int errnum, const char *file, unsigned int line,
				       const char *function);

/* ---- memory: a per-execution heap at a fixed address ------------------- */

/**
 * runc_malloc & co - allocation from a bump heap that is emptied (and
 * zeroed) before every execution, so addresses - the identity of objects
 * for the engine - are the same in every execution.  free() of a block
 * from this heap does nothing; a pointer that libc allocated (strdup, ...)
 * is passed on to libc's free().
 * Return: as the libc functions; NULL when the heap is exhausted.
 */
void *runc_malloc(size_t size);
void *runc_calloc(size_t n, size_t size);
void *runc_realloc(void *ptr, size_t size);
void runc_free(void *ptr);
void *runc_aligned_alloc(size_t align, size_t size);
int runc_posix_memalign(void **out, size_t align, size_t size);

/** runc_unsupported_<name> - a call of an unsupported function: finding. */
#define RUNC_UNSUP_DECL(name) _Noreturn void runc_unsupported_##name(void);
RUNC_UNSUPPORTED(RUNC_UNSUP_DECL)
#undef RUNC_UNSUP_DECL

#endif /* PVM_RUNC_RT_H */
