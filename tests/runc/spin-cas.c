// SPDX-License-Identifier: MIT
// A spin lock made only of compare-exchanges: while (!CAS(&l, &e, 1))
// e = 0;.  A failed CAS writes nothing but its expected value, back into
// e on the thread's stack, and the loop resets e, so the second try finds
// the thread's registers, stack and pending CAS as they were at the first:
// the round between was a no-op and the thread blocks for good (spin-
// assume at a CAS, src/runc/tsan.c).  A successful CAS is a side effect
// and empties the snapshots, so a round counts only if its CAS failed.
// Executions: the N! orders of the critical sections.  pvcheck before
// CASes were recognised (main 27943a5): every variant but -DBUG and
// -DBOUNDED ran into the step bound (no-progress, about 4,085 executions).
//   (default)   atomic_compare_exchange_strong, the expected value reset
//   -DWEAK      atomic_compare_exchange_weak (never fails spuriously)
//   -DVAL       __sync_val_compare_and_swap (no write-back at all)
//   -DBOUNDED   at most 3 tries: the count in i differs, never blocked
//   -DBUG       unlocks before the update: a lost update, not hidden
//   -DNEVER     the holder never unlocks: a spin nothing can end, deadlock
// run: => safe executions=2 orders=3
// run: -DN=3 => safe executions=6 orders=3
// run: -DN=4 => safe executions=24
// run: -DWEAK -DN=3 => safe executions=6
// run: -DVAL -DN=3 => safe executions=6 orders=3
// run: -DBOUNDED => safe executions=8 orders=3
// run: -DBUG => violation id=assert
// run: -DBUG -DN=3 => violation id=assert
// run: -DNEVER => deadlock
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#ifndef N
#define N 2
#endif
#ifdef WEAK
#define CAS atomic_compare_exchange_weak
#else
#define CAS atomic_compare_exchange_strong
#endif
atomic_int l, cnt, got;
static int lock(void)
{
#if defined(VAL)
	while (__sync_val_compare_and_swap((int *)&l, 0, 1) != 0)
		;
#elif defined(BOUNDED)
	int e = 0, i;
	for (i = 0; i < 3 && !CAS(&l, &e, 1); i++)
		e = 0;
	if (i == 3)
		return 0;	/* gave up */
#else
	int e = 0;
	while (!CAS(&l, &e, 1))
		e = 0;
#endif
	return 1;
}
static void *worker(void *arg)
{
	if (!lock())
		return NULL;
	atomic_fetch_add(&got, 1);
#ifdef BUG
	int v = atomic_load(&cnt);
	atomic_store(&l, 0);
	atomic_store(&cnt, v + 1);
#else
	int v = atomic_load(&cnt);
	atomic_store(&cnt, v + 1);
#ifdef NEVER
	if (arg)
#endif
		atomic_store(&l, 0);
#endif
	return NULL;
}
int main(void)
{
	pthread_t t[N];
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	assert(atomic_load(&cnt) == atomic_load(&got));
	return 0;
}
