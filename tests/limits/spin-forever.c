// SPDX-License-Identifier: MIT
// A thread that never stops taking visible steps: an atomic increment in
// an endless loop.  Unlike a busy-wait on a flag (tests/runc/spin-wait.c),
// every iteration changes memory, so the spin detector cannot turn it into
// a wait; the step bound must end the execution as a no-progress finding,
// not a hang.
// run: => no-progress
#include <pthread.h>
#include <stdatomic.h>
atomic_int x;
static void *spin(void *arg)
{
	for (;;)
		atomic_fetch_add(&x, 1);
	return NULL;
}
int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, spin, NULL);
	pthread_join(t, NULL);
	return 0;
}
