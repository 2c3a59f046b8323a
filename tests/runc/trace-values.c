// SPDX-License-Identifier: MIT
// The values a counterexample's steps read and write, as its trace shows
// them (tests/runc/run.sh, "Traces"): a compare-exchange that succeeds and
// one that fails, fetch_add's old and new value, a pointer stored by the
// name of what it points to, the mutex by its name.  The assert fails in
// every execution.
// run: => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
static atomic_int x, y;
static int z;
static int *_Atomic p;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static void *t(void *arg)
{
	int e = 0;
	atomic_compare_exchange_strong(&x, &e, 1);
	pthread_mutex_lock(&mu);
	atomic_fetch_add(&y, 10);
	pthread_mutex_unlock(&mu);
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	atomic_store(&p, &z);
	pthread_create(&a, NULL, t, NULL);
	pthread_create(&b, NULL, t, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(atomic_load(&y) == 0);
	return 0;
}
