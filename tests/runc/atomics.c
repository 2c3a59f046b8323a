// SPDX-License-Identifier: MIT
// Every syntax of C11 atomics is a visible operation: generic functions,
// _explicit forms, operators on _Atomic objects, initialisers, the
// __atomic and __sync builtins, several widths.  Two threads each do one
// operation of each kind on shared objects; the final values are checked.
// run: => safe
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
_Atomic int x = 5;		/* initialiser: static data, reset per execution */
atomic_llong big;
atomic_char ch;
atomic_short sh;
atomic_bool flag;
_Atomic(int *) ptr;
int plain_target;
_Atomic unsigned __int128 wide;
static void *t(void *arg)
{
	x++;					/* fetch_add */
	x += 2;					/* fetch_add */
	x -= 1;					/* fetch_sub */
	atomic_fetch_or_explicit(&big, 1LL << 40, memory_order_relaxed);
	atomic_fetch_add(&ch, 1);
	short e = atomic_load(&sh);
	while (!atomic_compare_exchange_weak(&sh, &e, (short)(e + 3)))
		;
	atomic_exchange(&flag, true);
	int *expect = NULL;
	atomic_compare_exchange_strong(&ptr, &expect, &plain_target);
	__atomic_fetch_add(&plain_target, 1, __ATOMIC_SEQ_CST);
	__sync_fetch_and_add(&plain_target, 1);
	wide = wide + 1;			/* 16-byte load and store */
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	atomic_thread_fence(memory_order_seq_cst);
	pthread_create(&a, NULL, t, NULL);
	pthread_create(&b, NULL, t, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	int r = x;				/* plain-syntax load */
	assert(r == 5 + 2 * 2);
	assert(atomic_load(&big) == 1LL << 40);
	assert(atomic_load(&ch) == 2);
	assert(atomic_load(&sh) == 6);
	assert(atomic_load(&flag));
	assert(atomic_load(&ptr) == &plain_target);
	assert(__atomic_load_n(&plain_target, __ATOMIC_SEQ_CST) == 4);
	assert(wide >= 1 && wide <= 2);		/* load then store: not atomic */
	return 0;
}
