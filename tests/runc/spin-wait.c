// SPDX-License-Identifier: MIT
// An unbounded busy-wait (while (!flag);) is not endless executions: at
// the second poll the waiter's state repeats the first one's, so the
// iteration between was a no-op and the waiter blocks for good (spin-
// assume, src/runc/tsan.c).  One complete execution (the setter's store
// before the first poll) and one spin-blocked one (the store after it:
// redundant, explored as the first).  Before the spin-assume the detector
// needed two identical iterations and waited: 3 executions.  With -DNEVER
// nobody sets the flag: the spinning thread can never proceed, reported as
// a deadlock.
// run: => safe executions=1 orders=3
// run: -DNEVER => deadlock
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
atomic_int flag, data;
static void *waiter(void *arg)
{
	while (!atomic_load_explicit(&flag, memory_order_acquire))
		;
	assert(atomic_load(&data) == 42);
	return NULL;
}
static void *setter(void *arg)
{
	atomic_store(&data, 42);
#ifndef NEVER
	atomic_store_explicit(&flag, 1, memory_order_release);
#endif
	return NULL;
}
int main(void)
{
	pthread_t w, s;
	pthread_create(&w, NULL, waiter, NULL);
	pthread_create(&s, NULL, setter, NULL);
	pthread_join(w, NULL);
	pthread_join(s, NULL);
	return 0;
}
