// SPDX-License-Identifier: MIT
// cas-rotation: thread i does cas(x, i-1, i), as GenMC's casrot tests do.
// Every CAS is a write for the DPOR whether it succeeds or not
// (doc/engine.md, "Conditional operations"), so each order of the N CASes
// is its own trace: N!.  (With a failed CAS as a read there are 5, 14, 43,
// 144 traces for N = 3..6, GenMC's and Nidhugg's counts at N = 6; the
// engine explored 13 of the 14 at N = 4 under that classing.)
// run: -DN=3 => safe executions=6 orders=5
// run: -DN=4 => safe executions=24 orders=5
// run: -DN=6 => safe executions=720 orders=3
#include <pthread.h>
#include <stdatomic.h>
#ifndef N
#define N 4
#endif
static atomic_int x;

static void *rot(void *arg)
{
	int i = (int)(long)arg;
	int expected = i - 1;
	atomic_compare_exchange_strong(&x, &expected, i);
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, rot, (void *)(i + 1));
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	return 0;
}
