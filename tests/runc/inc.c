// SPDX-License-Identifier: MIT
// inc(N,K): /work/shared/bench/inc.c unchanged below this header.
// (NK)!/(K!)^N executions: one per order of the N*K fetch_adds up to
// commuting threads.
// run: -DN=2 -DK=1 => safe executions=2
// run: -DN=2 -DK=2 => safe executions=6
// run: -DN=3 -DK=2 => safe executions=90 orders=5
// run: -DN=3 -DK=4 => safe executions=34650
// run: -DN=4 -DK=3 --commute-adds => safe executions=1
/* N threads each doing K atomic increments; final-value assertion */
#include <pthread.h>
#include <stdatomic.h>
#include <assert.h>
#include <stdlib.h>
#ifndef N
#define N 2
#endif
#ifndef K
#define K 1
#endif
atomic_int x;
void *t(void *a) { for (int i = 0; i < K; i++) atomic_fetch_add(&x, 1); return NULL; }
int main(void)
{
	pthread_t th[N];
	for (int i = 0; i < N; i++) if (pthread_create(&th[i], NULL, t, NULL)) abort();
	for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
	assert(atomic_load(&x) == N * K);
	return 0;
}
