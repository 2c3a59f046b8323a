// SPDX-License-Identifier: MIT
// main returns without joining: the thread still runs to completion (the
// GenMC/Nidhugg convention), so its assertion is checked in every order
// with main's store.
// run: => safe executions=2
// run: -DBUG => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
atomic_int x;
static void *t(void *arg)
{
	int r = atomic_load(&x);
#ifdef BUG
	assert(r == 0);		/* fails when main's store came first */
#else
	assert(r == 0 || r == 1);
#endif
	return NULL;
}
int main(void)
{
	pthread_t th;
	pthread_create(&th, NULL, t, NULL);
	atomic_store(&x, 1);
	return 0;
}
