// SPDX-License-Identifier: GPL-3.0-or-later
// From GenMC (github.com/MPI-SWS/genmc, v0.11.0; unchanged since v0.10.3):
// tests/correct/synthetic/casrot/variants/casrot0.c with the ../casrot.c it
// includes pasted in place, otherwise unchanged.  GenMC is GPL-3.0; this file
// is a test input only and keeps that licence.
// GenMC's expected.sc.mo.in: 5, 14, 43, 144 executions for N = 3..6 (reads-
// from classes; a failed CAS reads).  pvcheck: every CAS is a write for its
// DPOR (doc/engine.md, "Conditional operations"), so each order of the N
// CASes is one trace: N!, the same in every exploration order.  Before the
// fix pvcheck explored 116 at N=6, fewer than GenMC's 144.
// run: -DN=3 => safe executions=6 orders=3
// run: -DN=4 => safe executions=24 orders=5
// run: -DN=6 => safe executions=720 orders=2
#include <stdlib.h>
#include <pthread.h>
#include <stdatomic.h>

atomic_int x;
int idx[N];

void *thread_n(void *arg)
{
	int new = *((int *) arg);
	int exp = new - 1;

	atomic_compare_exchange_strong_explicit(&x, &exp, new, memory_order_relaxed,
						memory_order_relaxed);
	return NULL;
}


int main()
{
	pthread_t t[N];

	for (int i = 1; i < N + 1; i++) {
		idx[i - 1] = i;
		if (pthread_create(&t[i - 1], NULL, thread_n, &idx[i - 1]))
			abort();
	}

	return 0;
}
