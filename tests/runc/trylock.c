// SPDX-License-Identifier: MIT
// pthread_mutex_trylock: the holder's critical section is never entered
// twice; a failed trylock is a read of the mutex.
// run: => safe
// run: -DBUG => violation id=assert
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
static pthread_mutex_t m;
atomic_int inside, entered;
static void *t(void *arg)
{
	int rc = pthread_mutex_trylock(&m);
#ifdef BUG
	bool enter = true;	/* ignores a failed trylock */
#else
	bool enter = rc == 0;
#endif
	if (enter) {
		assert(atomic_fetch_add(&inside, 1) == 0);
		atomic_fetch_add(&entered, 1);
		atomic_fetch_sub(&inside, 1);
	} else {
		assert(rc == EBUSY);
	}
	if (rc == 0)
		pthread_mutex_unlock(&m);
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, t, NULL);
	pthread_create(&b, NULL, t, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert(atomic_load(&entered) >= 1);
	return 0;
}
