/* SPDX-License-Identifier: MIT */
/*
 * programs.h - small programs with known answers, shared by the engine's
 * unit tests (test_explore.c: stateless; test_stateful.c: stateful):
 *
 *   inc(N, K)   N threads each doing K atomic increments of `counter`, then
 *               a final assert: safe; (NK)!/(K!)^N Mazurkiewicz traces
 *   racy        two unlocked load/store increments: a lost update
 *   abba        two threads taking lock_a and lock_b in opposite orders:
 *               a deadlock
 *
 * Static definitions: include it from one test file only per binary.
 */
#ifndef PVM_TESTS_PROGRAMS_H
#define PVM_TESTS_PROGRAMS_H

#include "check/visible.h"
#include "check/explore.h"

static int nthreads, kincs;
static int counter;
static int lock_a, lock_b;

static void inc_thread(void *arg)
{
	for (int k = 0; k < kincs; k++) {
		VIS_RMW(&counter, "atomic_fetch_add");
		counter++;
	}
}

static void inc_main(void *arg)
{
	int tids[EXPLORE_MAX_THREADS];
	for (int i = 0; i < nthreads; i++)
		tids[i] = vis_spawn(inc_thread, NULL, NULL, VIS_SITE("pthread_create"));
	for (int i = 0; i < nthreads; i++)
		vis_join(tids[i], VIS_SITE("pthread_join"));
	VIS_READ(&counter, "atomic_load");
	if (counter != nthreads * kincs)
		vis_fail("assert", VIS_SITE("main"), "counter is %d", counter);
}

static void racy_inc(void *arg)
{
	VIS_READ(&counter, "load");
	int c = counter;
	VIS_WRITE(&counter, "store");
	counter = c + 1;
}

/* Run @fn in two threads and wait for both. */
static void spawn_two(vis_thread_fn fn)
{
	int a = vis_spawn(fn, NULL, NULL, VIS_SITE("spawn"));
	int b = vis_spawn(fn, NULL, NULL, VIS_SITE("spawn"));
	vis_join(a, VIS_SITE("join"));
	vis_join(b, VIS_SITE("join"));
}

static void racy_main(void *arg)
{
	spawn_two(racy_inc);
	VIS_READ(&counter, "load");
	if (counter != 2)
		vis_fail("assert", VIS_SITE("main"), "lost update: counter %d", counter);
}

static void abba1(void *arg)
{
	vis_lock(&lock_a, false, VIS_SITE("lock A"));
	vis_lock(&lock_b, false, VIS_SITE("lock B"));
	vis_unlock(&lock_b, VIS_SITE("unlock B"));
	vis_unlock(&lock_a, VIS_SITE("unlock A"));
}

static void abba2(void *arg)
{
	vis_lock(&lock_b, false, VIS_SITE("lock B"));
	vis_lock(&lock_a, false, VIS_SITE("lock A"));
	vis_unlock(&lock_a, VIS_SITE("unlock A"));
	vis_unlock(&lock_b, VIS_SITE("unlock B"));
}

static void abba_main(void *arg)
{
	vis_spawn(abba1, NULL, "cpu0", VIS_SITE("spawn"));
	vis_spawn(abba2, NULL, "cpu1", VIS_SITE("spawn"));
}

#endif /* PVM_TESTS_PROGRAMS_H */
