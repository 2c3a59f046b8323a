// SPDX-License-Identifier: MIT
// A bounded spin: the waiter polls a flag at most TRIES times.  Its loop
// counter differs between iterations, so the spin detector must not block
// it: the setter's store falls before the 1st, 2nd, ... poll or after the
// last, TRIES+1 executions; the waiter gives up in one of them.
// run: => safe executions=4
// run: -DTRIES=5 => safe executions=6
// run: -DBUG => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#ifndef TRIES
#define TRIES 3
#endif
atomic_int flag;
static void *waiter(void *arg)
{
	int i;
	for (i = 0; i < TRIES && !atomic_load(&flag); i++)
		;
#ifdef BUG
	assert(i < TRIES);	/* wrong: it may give up */
#endif
	return NULL;
}
static void *setter(void *arg)
{
	atomic_store(&flag, 1);
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
