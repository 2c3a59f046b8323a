// SPDX-License-Identifier: MIT
// lastzero(N) (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014): an array of
// N+1 zeros; a reader scans it from the end for the last zero, writer j
// (1..N) sets array[j] = array[j-1] + 1.  Written from the paper's
// description.  (N+3)*2^(N-2) traces: pvcheck's counts, equal to the
// brute-force oracle's (every interleaving grouped by happens-before) for
// N=2 and 3, where it finishes.
// run: -DN=2 => safe executions=5
// run: -DN=3 => safe executions=12
// run: -DN=4 => safe executions=28
// run: -DN=5 => safe executions=64
// run: -DN=10 => safe executions=3328
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#ifndef N
#define N 3
#endif
atomic_int array[N + 1];
static void *reader(void *arg)
{
	int i = N;
	while (atomic_load(&array[i]) != 0)
		i--;
	return NULL;
}
static void *writer(void *arg)
{
	int j = (int)(long)arg;
	atomic_store(&array[j], atomic_load(&array[j - 1]) + 1);
	return NULL;
}
int main(void)
{
	pthread_t t[N + 1];
	if (pthread_create(&t[0], NULL, reader, NULL))
		abort();
	for (long j = 1; j <= N; j++)
		if (pthread_create(&t[j], NULL, writer, (void *)j))
			abort();
	for (int j = 0; j <= N; j++)
		pthread_join(t[j], NULL);
	return 0;
}
