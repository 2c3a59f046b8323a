// SPDX-License-Identifier: MIT
// An unbounded busy-wait (while (!flag);) becomes a wait, not endless
// executions.  The detector needs two identical iterations to be sure the
// loop is a no-op, so the setter's store can fall before the 1st, 2nd or
// 3rd poll (the 3rd one waits): 3 executions.  With -DNEVER nobody sets the
// flag: the spinning thread can never proceed, reported as a deadlock.
// run: => safe executions=3
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
