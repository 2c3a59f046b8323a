// SPDX-License-Identifier: MIT
// cas-read-order: the smallest program on which DPOR lost a trace when a
// failed CAS was classed as a read (12 executions, "safe").  The failing
// order is t3 t4 t1 t2: both loads see 0, then the store, then the CAS
// succeeds.
// run: => violation id=assert
// run: --random-order 3 => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
static atomic_int x;
static int r2, r3, r4;

static void *t1(void *a) { atomic_store(&x, 1); return a; }
static void *t2(void *a) { int e = 1; atomic_compare_exchange_strong(&x, &e, 2); r2 = e; return a; }
static void *t3(void *a) { r3 = atomic_load(&x); return a; }
static void *t4(void *a) { r4 = atomic_load(&x); return a; }

int main(void)
{
	pthread_t a, b, c, d;
	pthread_create(&a, NULL, t1, NULL);
	pthread_create(&b, NULL, t2, NULL);
	pthread_create(&c, NULL, t3, NULL);
	pthread_create(&d, NULL, t4, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_join(c, NULL);
	pthread_join(d, NULL);
	assert(!(r2 == 1 && r3 == 0 && r4 == 0));
	return 0;
}
