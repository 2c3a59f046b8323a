// SPDX-License-Identifier: MIT
// filesystem(N) (Flanagan & Godefroid, POPL 2005): thread i allocates a
// disk block for inode i % 32 under per-inode and per-block mutexes,
// probing from block (2i) % 26.  Threads i and i+13 start at the same
// block, so each such pair doubles the traces: 2^(N-13) for N > 13.
// Written from the paper's description; inode and busy are plain ints,
// always accessed under their locks.  Not GenMC's or Nidhugg's file: the
// two switches below give their variants' shapes, which issue 19 found
// reported as a finding ("more than 15 threads") before the engine took
// 64 threads:
//   -DNO_JOIN       main returns without joining (GenMC v0.10.3,
//                   tests/correct/lapor/filesystem/variants/filesystem0.c,
//                   run with -DN=19: 2^6 traces);
//   -DATOMIC_FLAGS  inode and busy are seq_cst atomics and a thread probes
//                   at most LOOP (10) blocks (Nidhugg,
//                   benchmarks/from_TRACER/filesystem.c, NUM_THREADS=16:
//                   2^3 traces).
// Both are safe: the threads only claim free blocks, and nothing asserts.
// run: -DN=13 => safe executions=1
// run: -DN=14 => safe executions=2
// run: -DN=15 => safe executions=4
// run: env:PVCHECK_RACES=1 -DN=15 => safe executions=4
// run: -DN=19 -DNO_JOIN => safe executions=64
// run: -DN=16 -DATOMIC_FLAGS => safe executions=8 orders=3
// run: -DN=16 -DATOMIC_FLAGS --stateful => safe
// run: -DN=19 -DNO_JOIN -j 2 => safe executions=64
// run: -DN=22 => safe executions=512
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#ifndef N
#define N 14
#endif
#define NUMBLOCKS 26
#define NUMINODE 32
#ifdef ATOMIC_FLAGS
#define LOOP 10
#define GET(x) atomic_load(&(x))
#define SET(x, v) atomic_store(&(x), (v))
static atomic_int inode[NUMINODE], busy[NUMBLOCKS];
#else
#define GET(x) (x)
#define SET(x, v) ((x) = (v))
static int inode[NUMINODE];
static bool busy[NUMBLOCKS];
#endif
static pthread_mutex_t locki[NUMINODE], lockb[NUMBLOCKS];
static void *thread(void *arg)
{
	int i = (int)(long)arg % NUMINODE;
	pthread_mutex_lock(&locki[i]);
	if (GET(inode[i]) == 0) {
		int b = (i * 2) % NUMBLOCKS;
#ifdef LOOP
		for (int tries = 0; tries < LOOP; tries++) {
#else
		for (;;) {
#endif
			pthread_mutex_lock(&lockb[b]);
			if (!GET(busy[b])) {
				SET(busy[b], true);
				SET(inode[i], b + 1);
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
#ifndef NO_JOIN
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
#endif
	return 0;
}
