// SPDX-License-Identifier: MIT
// Data races on plain variables, reported only with race detection on
// (PVCHECK_RACES=1 or runc_opts.races).  Without it, plain accesses are not
// scheduling points: one execution.  -DMSG: message passing through an
// atomic flag, race-free; -DRELAXED: the same with relaxed/acquire-release
// orders, not reported either (atomics count as seq_cst).
// run: => safe executions=1
// run: env:PVCHECK_RACES=1 => violation id=data-race
// run: -DMSG => safe executions=2
// run: env:PVCHECK_RACES=1 -DMSG => safe executions=2
// run: env:PVCHECK_RACES=1 -DRELAXED => safe executions=2
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
int data;
atomic_int flag;
static void *writer(void *arg)
{
	data = 42;
#if defined(MSG) || defined(RELAXED)
	atomic_store_explicit(&flag, 1, memory_order_release);
#endif
	return NULL;
}
static void *reader(void *arg)
{
#if defined(MSG) || defined(RELAXED)
#ifdef RELAXED
	if (atomic_load_explicit(&flag, memory_order_relaxed))
#else
	if (atomic_load_explicit(&flag, memory_order_acquire))
#endif
		assert(data == 42);
#else
	atomic_store(&flag, data);	/* plain read: races with the writer */
#endif
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, writer, NULL);
	pthread_create(&b, NULL, reader, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
