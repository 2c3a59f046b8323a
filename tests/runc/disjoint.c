// SPDX-License-Identifier: MIT
// N threads, each writing and reading only its own variable: every
// interleaving is the same trace, so exactly one execution.
// run: => safe executions=1
// run: -DN=8 => safe executions=1
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#ifndef N
#define N 4
#endif
atomic_int v[N];
static void *t(void *arg)
{
	atomic_int *x = arg;
	for (int i = 0; i < 3; i++)
		atomic_fetch_add(x, 1);
	assert(atomic_load(x) == 3);
	return NULL;
}
int main(void)
{
	pthread_t th[N];
	for (int i = 0; i < N; i++)
		pthread_create(&th[i], NULL, t, &v[i]);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	return 0;
}
