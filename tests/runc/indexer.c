// SPDX-License-Identifier: MIT
// indexer(N) (Flanagan & Godefroid, POPL 2005): N threads insert 4
// messages each into a 128-entry hash table with compare-and-swap and
// linear probing.  Messages collide only from 12 threads on (the paper's
// point: DPOR explores 1 trace below that, classic search explodes).
// Written from the paper's description.
// run: -DN=4 => safe executions=1
// run: -DN=11 => safe executions=1
// run: -DN=12 => safe executions=8
// run: -DN=13 => safe executions=64
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#ifndef N
#define N 12
#endif
#define SIZE 128
#define MAX 4
atomic_int table[SIZE];
static void *thread(void *arg)
{
	int tid = (int)(long)arg;
	for (int m = 1; m <= MAX; m++) {
		int w = m * 11 + tid;
		int h = (w * 7) % SIZE;
		int zero = 0;
		while (!atomic_compare_exchange_strong(&table[h], &zero, w)) {
			zero = 0;
			h = (h + 1) % SIZE;
		}
	}
	return NULL;
}
int main(void)
{
	pthread_t t[N];
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, thread, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	return 0;
}
