// SPDX-License-Identifier: MIT
// A busy-wait on two objects: the waiter polls a, then b, until either is
// set.  An iteration that finds both clear reads two objects and changes
// nothing, so at the next poll of a the waiter's state repeats and it
// blocks for good (spin-assume, src/runc/tsan.c); the execution counts as
// spin-blocked once the setter has written b.  The one complete execution
// polls b after the setter's store.  With -DNEVER nobody sets either: the
// waiter would poll for ever, a deadlock finding that names the spin.
// run: => safe executions=1 orders=3
// run: -DNEVER => deadlock
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
atomic_int a, b, data;
static void *waiter(void *arg)
{
	while (!atomic_load(&a) && !atomic_load(&b))
		;
	assert(atomic_load(&data) == 42);
	return NULL;
}
static void *setter(void *arg)
{
	atomic_store(&data, 42);
#ifndef NEVER
	atomic_store(&b, 1);
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
