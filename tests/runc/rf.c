// SPDX-License-Identifier: MIT
// rf: /work/shared/bench/rf.c unchanged below this header.
// Counts are pvcheck's: Mazurkiewicz traces, every CAS a write whether it
// succeeds or not (doc/engine.md, "Conditional operations"), the same in
// every exploration order; GenMC counts reads-from classes, fewer (421,857
// at NIO=2 ITER=2).  Before the CAS fix these were 856, 152 and 163,160,
// and rf(3,1,1) gave 2,002,069 or 2,143,253 depending on the order.
// get_page_unless_zero's CAS loop is a spin round when refcnt went c ->
// c' -> c while two CASes failed (an ABA): the thread is back at the CAS
// with the same c, having written nothing, and blocks (spin-assume at a
// CAS, doc/run.md).  Before that: 911, 167 and 297,633 executions; the
// final states and each thread's outcomes are the same (doc/run.md).
// run: => safe executions=6 orders=3
// run: -DNIO=2 => safe executions=889 orders=5
// run: -DNIO=2 --commute-adds => safe executions=145 orders=5
// run: -DNIO=2 -DITER=2 --commute-adds => safe executions=154293
// run: -DBUG -DNIO=2 -DITER=2 --commute-adds => violation id=assert
// run: -DBUG => violation id=assert
// run: -DBUG -DNIO=2 -DITER=2 => violation id=assert
/* Refcount-freeze race: the C/pthreads version of the Promela model rf.pml */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <assert.h>
#include <stdlib.h>
#ifndef NIO
#define NIO 1
#endif
#ifndef NMS
#define NMS 1
#endif
#ifndef ITER
#define ITER 1
#endif
#define EXPECTED 1

atomic_int refcnt = EXPECTED;
atomic_bool secure;
atomic_int accessing;
pthread_mutex_t page_lock;

static bool get_page_unless_zero(void)
{
	int c = atomic_load(&refcnt);
	while (c != 0) {
		if (atomic_compare_exchange_strong(&refcnt, &c, c + 1))
			return true;
	}
	return false;
}

void *make_secure(void *arg)
{
	for (int i = 0; i < ITER; i++) {
		pthread_mutex_lock(&page_lock);
#ifdef BUG
		if (atomic_load(&refcnt) == EXPECTED) {         /* check, no freeze */
			atomic_store(&secure, true);
			assert(atomic_load(&accessing) == 0);
		}
#else
		int exp = EXPECTED;
		if (atomic_compare_exchange_strong(&refcnt, &exp, 0)) { /* freeze */
			atomic_store(&secure, true);
			assert(atomic_load(&accessing) == 0);
			atomic_store(&refcnt, EXPECTED);            /* unfreeze */
		}
#endif
		pthread_mutex_unlock(&page_lock);
	}
	return NULL;
}

void *io_path(void *arg)
{
	for (int i = 0; i < ITER; i++) {
		if (!get_page_unless_zero())
			continue;                                   /* frozen: back off */
		if (atomic_load(&secure)) {                     /* unlocked fast path */
			pthread_mutex_lock(&page_lock);
			if (atomic_load(&secure))
				atomic_store(&secure, false);           /* export */
			pthread_mutex_unlock(&page_lock);
		}
		atomic_fetch_add(&accessing, 1);
		assert(!atomic_load(&secure));
		atomic_fetch_sub(&accessing, 1);
		atomic_fetch_sub(&refcnt, 1);                   /* put_page */
	}
	return NULL;
}

int main(void)
{
	pthread_t ms[NMS], io[NIO];
	pthread_mutex_init(&page_lock, NULL);
	for (int k = 0; k < NMS; k++)
		if (pthread_create(&ms[k], NULL, make_secure, NULL)) abort();
	for (int k = 0; k < NIO; k++)
		if (pthread_create(&io[k], NULL, io_path, NULL)) abort();
	for (int k = 0; k < NMS; k++) pthread_join(ms[k], NULL);
	for (int k = 0; k < NIO; k++) pthread_join(io[k], NULL);
	return 0;
}
