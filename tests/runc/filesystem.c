// SPDX-License-Identifier: MIT
// filesystem(N) (Flanagan & Godefroid, POPL 2005): thread i allocates a
// disk block for inode i % 32 under per-inode and per-block mutexes,
// probing from block (2i) % 26.  Threads i and i+13 start at the same
// block, so each such pair doubles the traces: 2^(N-13) for N > 13.
// Written from the paper's description; inode and busy are plain ints,
// always accessed under their locks.
// run: -DN=13 => safe executions=1
// run: -DN=14 => safe executions=2
// run: -DN=15 => safe executions=4
// run: env:PVCHECK_RACES=1 -DN=15 => safe executions=4
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#ifndef N
#define N 14
#endif
#define NUMBLOCKS 26
#define NUMINODE 32
static pthread_mutex_t locki[NUMINODE], lockb[NUMBLOCKS];
static int inode[NUMINODE];
static bool busy[NUMBLOCKS];
static void *thread(void *arg)
{
	int i = (int)(long)arg % NUMINODE;
	pthread_mutex_lock(&locki[i]);
	if (inode[i] == 0) {
		int b = (i * 2) % NUMBLOCKS;
		for (;;) {
			pthread_mutex_lock(&lockb[b]);
			if (!busy[b]) {
				busy[b] = true;
				inode[i] = b + 1;
				pthread_mutex_unlock(&lockb[b]);
				break;
			}
			pthread_mutex_unlock(&lockb[b]);
			b = (b + 1) % NUMBLOCKS;
		}
	}
	pthread_mutex_unlock(&locki[i]);
	return NULL;
}
int main(void)
{
	pthread_t t[N];
	for (int i = 0; i < NUMINODE; i++)
		pthread_mutex_init(&locki[i], NULL);
	for (int i = 0; i < NUMBLOCKS; i++)
		pthread_mutex_init(&lockb[i], NULL);
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, thread, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	return 0;
}
