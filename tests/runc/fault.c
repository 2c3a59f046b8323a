// SPDX-License-Identifier: MIT
// A NULL dereference or a division by zero in the program, reachable in
// some interleavings only, is a finding with its file:line, not a crash of
// pvcheck.
// run: => safe
// run: -DSEGV => violation id=segfault
// run: -DFPE => violation id=arithmetic
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
_Atomic(int *) ptr;
atomic_int divisor = 1;
int target = 7;
volatile int sink;
static void *user(void *arg)
{
	int *p = atomic_load(&ptr);
	int d = atomic_load(&divisor);
#ifdef SEGV
	sink = *p;			/* NULL if the setter has not run */
#elif defined(FPE)
	sink = 100 / d;			/* 0 if the clearer ran first */
#else
	if (p)
		sink = *p;
	if (d)
		sink = 100 / d;
#endif
	return NULL;
}
static void *setter(void *arg)
{
	atomic_store(&ptr, &target);
	atomic_store(&divisor, 0);
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, setter, NULL);
	pthread_create(&b, NULL, user, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
