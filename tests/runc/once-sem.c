// SPDX-License-Identifier: MIT
// pthread_once runs its function exactly once; a semaphore counts.
// run: => safe
// run: env:PVCHECK_RACES=1 => safe
// run: -DBUG => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
static pthread_once_t once = PTHREAD_ONCE_INIT;
static sem_t sem;
atomic_int inits, done;
static void init(void)
{
	atomic_fetch_add(&inits, 1);
}
static void *t(void *arg)
{
	pthread_once(&once, init);
	assert(atomic_load(&inits) == 1);
	atomic_fetch_add(&done, 1);
	sem_post(&sem);
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	sem_init(&sem, 0, 0);
	pthread_create(&a, NULL, t, NULL);
	pthread_create(&b, NULL, t, NULL);
	sem_wait(&sem);
#ifndef BUG
	sem_wait(&sem);
#endif
	assert(atomic_load(&done) == 2);	/* both posted */
	return 0;
}
