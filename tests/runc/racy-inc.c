// SPDX-License-Identifier: MIT
// A lost update: load then store is not an atomic increment.
// run: => violation id=assert
// run: -DFIX => safe executions=2
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
atomic_int x;
static void *t(void *arg)
{
#ifdef FIX
	atomic_fetch_add(&x, 1);
#else
	int r = atomic_load(&x);
	atomic_store(&x, r + 1);
#endif
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, t, NULL);
	pthread_create(&b, NULL, t, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(atomic_load(&x) == 2);
	return 0;
}
