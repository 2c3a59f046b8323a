// SPDX-License-Identifier: MIT
// abort() and exit(non-zero) in the program are findings; exit(0) ends
// only the calling thread.
// run: => safe executions=1
// run: -DABORT => violation id=abort
// run: -DEXIT => violation id=exit
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
atomic_int x;
static void *t(void *arg)
{
	atomic_store(&x, 1);
#ifdef ABORT
	abort();
#endif
#ifdef EXIT
	exit(2);
#endif
	exit(0);
}
int main(void)
{
	pthread_t th;
	pthread_create(&th, NULL, t, NULL);
	pthread_join(th, NULL);
	return 0;
}
