// SPDX-License-Identifier: MIT
// pthread_join returns the thread's result, whether it returned it or
// passed it to pthread_exit from a nested call; pthread_self is the
// thread's id and differs between threads.
// run: => safe executions=1
// run: env:PVCHECK_RACES=1 => safe executions=1
// run: -DBUG => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
atomic_long ids[2];
static void leave(long v)
{
	pthread_exit((void *)v);
}
static void *t(void *arg)
{
	long i = (long)arg;
	atomic_store(&ids[i], (long)pthread_self());
	if (i == 1)
		leave(100 + i);		/* does not return */
	return (void *)(100 + i);
}
int main(void)
{
	pthread_t th[2];
	void *r[2];
	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, t, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], &r[i]);
	assert((long)r[0] == 100 && (long)r[1] == 101);
	assert(pthread_equal(th[0], (pthread_t)atomic_load(&ids[0])));
	assert(!pthread_equal(th[0], th[1]) && !pthread_equal(th[0], pthread_self()));
#ifdef BUG
	assert((long)r[1] == 100);
#endif
	return 0;
}
