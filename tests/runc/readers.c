// SPDX-License-Identifier: MIT
// readers(N) (Abdulla et al., POPL 2014): one writer stores x, N readers
// load it; reads commute with each other, so each reader is only before or
// after the write: 2^N traces.
// run: -DN=2 => safe executions=4
// run: -DN=3 => safe executions=8
// run: -DN=8 => safe executions=256
#include <pthread.h>
#include <stdatomic.h>
#ifndef N
#define N 3
#endif
atomic_int x;
static void *writer(void *arg)
{
	atomic_store(&x, 42);
	return NULL;
}
static void *reader(void *arg)
{
	int r = atomic_load(&x);
	(void)r;
	return NULL;
}
int main(void)
{
	pthread_t t[N + 1];
	pthread_create(&t[0], NULL, writer, NULL);
	for (int i = 1; i <= N; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	for (int i = 0; i <= N; i++)
		pthread_join(t[i], NULL);
	return 0;
}
