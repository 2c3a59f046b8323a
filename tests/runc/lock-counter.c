// SPDX-License-Identifier: MIT
// A counter of plain ints protected by a statically initialised mutex:
// one execution per order in which the N threads take the lock (N!).
// run: -DN=2 => safe executions=2
// run: -DN=3 => safe executions=6
// run: -DN=4 => safe executions=24
// run: env:PVCHECK_RACES=1 -DN=3 => safe executions=6
// run: -DN=3 -DBUG => violation id=assert
// -DRACY increments outside the lock: a lost update that plain accesses
// (not scheduling points) cannot show; only race detection reports it.
// run: -DN=2 -DRACY => safe executions=2
// run: env:PVCHECK_RACES=1 -DN=2 -DRACY => violation id=data-race
// run: --races -DN=2 -DRACY => violation id=data-race
#include <assert.h>
#include <pthread.h>
#ifndef N
#define N 3
#endif
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;
static int order[N];
static void *t(void *arg)
{
#ifdef RACY
	counter++;
	pthread_mutex_lock(&lock);
	order[counter - 1] = (int)(long)arg;
	pthread_mutex_unlock(&lock);
#else
	pthread_mutex_lock(&lock);
	order[counter] = (int)(long)arg;
	counter++;
	pthread_mutex_unlock(&lock);
#endif
	return NULL;
}
int main(void)
{
	pthread_t th[N];
	for (long i = 0; i < N; i++)
		pthread_create(&th[i], NULL, t, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	assert(counter == N);
#ifdef BUG
	assert(order[0] == 0);	/* thread 0 need not be first */
#endif
	return 0;
}
