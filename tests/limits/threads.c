// SPDX-License-Identifier: MIT
// main starts NT threads; each stores to its own atomic slot, main joins
// them all and checks every slot.  No two threads touch the same object,
// so there is one trace.  With NT=63 the program has 64 threads, pvcheck's
// limit (EXPLORE_MAX_THREADS): safe, one execution.  With NT=64 (65
// threads) the 64th pthread_create is past the limit: the search ends
// incomplete, cut by thread-limit, exit 4; it is not a finding in the
// program.  tests/limits/run.sh runs both, statelessly, with --stateful and
// with -j 2.
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#ifndef NT
#define NT 64
#endif
static atomic_int slot[NT];
static void *worker(void *arg)
{
	atomic_store(&slot[(long)arg], 1);
	return NULL;
}
int main(void)
{
	pthread_t t[NT];
	for (long i = 0; i < NT; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < NT; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < NT; i++)
		assert(atomic_load(&slot[i]) == 1);
	return 0;
}
