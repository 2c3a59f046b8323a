// SPDX-License-Identifier: MIT
// A test-and-test-and-set spin lock around a counter update: the lock
// loop polls l until it reads 0, then tries a compare-exchange, and
// starts over if the CAS fails.  A round that reads l held, or whose CAS
// fails (it rewrites only its own expected value, on its stack), changes
// nothing, so the spin-assume blocks the thread once its state repeats
// (src/runc/tsan.c); the executions where it polls after the unlock are
// explored by the reads' races with the unlock.  -DBUG takes the lock by a
// load and a store instead (not atomic together): both threads can enter
// and an update is lost, which the spin-assume must not hide.
// The counts are more than the N! orders of the critical sections: a poll
// that reads l free and a CAS that then fails (the CAS is a write for the
// dependency relation, doc/engine.md) are steps of their own, placed
// before or after the holder's CAS and unlock.  Since the spin-assume
// also snapshots the state at each CAS, a thread whose CAS failed blocks
// when it comes back to the CAS with e = 0 again: the round polled and
// failed, and wrote nothing.  pvcheck before the spin-assume: 14 and
// 3,390 executions, and -DN=4 did not end in 120 s; with it at loads
// only: 6, 138 and 9,528 (21,040 spin-blocked); at CASes too: 4, 36 and
// 576 (8,740 spin-blocked), the same final states (a probe that printed
// the order of the critical sections and cnt: 2, 6, 24 distinct).
// run: => safe executions=4 orders=3
// run: -DN=3 => safe executions=36 orders=3
// run: -DBUG => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#ifndef N
#define N 2
#endif
atomic_int l, cnt;
static void lock(void)
{
	for (;;) {
		while (atomic_load(&l))
			;
#ifdef BUG
		atomic_store(&l, 1);
		return;
#else
		int e = 0;
		if (atomic_compare_exchange_strong(&l, &e, 1))
			return;
#endif
	}
}
static void *worker(void *arg)
{
	lock();
	int v = atomic_load(&cnt);
	atomic_store(&cnt, v + 1);
	atomic_store(&l, 0);
	return NULL;
}
int main(void)
{
	pthread_t t[N];
	for (int i = 0; i < N; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	assert(atomic_load(&cnt) == N);
	return 0;
}
