// SPDX-License-Identifier: GPL-3.0-or-later
// From GenMC (github.com/MPI-SWS/genmc, tag v0.10.3, commit c26195b3):
// tests/correct/data-structures/barrier/variants/barrier0.c with the
// ../main.c it includes and the barrier.h that includes pasted in place,
// otherwise unchanged (the files carry no header of their own; GenMC is
// GPL-3.0, COPYING).  This file is a test input only and keeps that licence.
// A sense-less spinning barrier: the last of NUMREADERS+1 threads to arrive
// bumps step_, the others spin until it changes.
// GenMC's expected.sc.mo.in (with -unroll=3): 2 complete executions;
// issue 19's run: 2 complete + 1 blocked, with -DNUMREADERS=2 6 + 6.
// run: => safe executions=2 orders=3
// run: -DNUMREADERS=2 => safe executions=6 orders=3
#include <stdlib.h>
#include <stdbool.h>
#include <pthread.h>

// ---- #include "../main.c": barrier/main.c pasted in place
// ---- #include "barrier.h": barrier/barrier.h pasted in place
#include <stdatomic.h>

typedef struct spinning_barrier {
	const unsigned int n_; /* Number of synchronized threads. */
	atomic_uint nwait_;    /* Number of threads currently spinning. */
	atomic_uint step_;     /* Number of barrier syncronizations completed
				* so far, it's OK to wrap. */
} barrier_t;

#define DEFINE_BARRIER(b, n) \
	barrier_t b = { .n_ = n, .nwait_ = 0, .step_ = 0 }

bool wait(barrier_t *b)
{
	unsigned int step = atomic_load(&b->step_);

	if (atomic_fetch_add(&b->nwait_, 1) == b->n_ - 1) {
		/* OK, last thread to come.  */
		atomic_store(&b->nwait_, 0); // XXX: maybe can use relaxed ordering here ??
		atomic_fetch_add(&b->step_, 1);
		return true;
	} else {
		while (atomic_load(&b->step_) == step)
			;
		return false;
	}
}
// ---- end of barrier/barrier.h

#ifndef NUMREADERS
# define NUMREADERS 1
#endif

DEFINE_BARRIER(barr, NUMREADERS + 1);

int var = 0;

void *threadW(void *unused)
{
	var = 42;
	wait(&barr);
	return NULL;
}

void *threadR(void *unused)
{
	wait(&barr);
	int data = var;
	return NULL;
}
// ---- end of barrier/main.c

int main()
{
	pthread_t W, R[NUMREADERS];

	if (pthread_create(&W, NULL, threadW, NULL))
		abort();
	for (int i = 0; i < NUMREADERS; i++)
		if (pthread_create(&R[i], NULL, threadR, NULL))
			abort();

	for (int i = 0; i < NUMREADERS; i++)
		if (pthread_join(R[i], NULL))
			abort();
	if (pthread_join(W, NULL))
		abort();

	return 0;
}
