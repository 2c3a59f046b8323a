// SPDX-License-Identifier: MIT
// A one-slot producer/consumer on a mutex and a condition variable.  With
// -DLOST the consumer tests the flag without the mutex and then waits:
// a signal sent in between is lost and the consumer waits forever.
// run: => safe
// run: env:PVCHECK_RACES=1 => safe
// run: -DLOST => deadlock
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static bool ready;
static int data;
static void *producer(void *arg)
{
	pthread_mutex_lock(&m);
	data = 42;
	ready = true;
	pthread_cond_signal(&c);
	pthread_mutex_unlock(&m);
	return NULL;
}
static void *consumer(void *arg)
{
#ifdef LOST
	bool r = __atomic_load_n(&ready, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&m);
	if (!r)
		pthread_cond_wait(&c, &m);
#else
	pthread_mutex_lock(&m);
	while (!ready)
		pthread_cond_wait(&c, &m);
#endif
	assert(data == 42);
	pthread_mutex_unlock(&m);
	return NULL;
}
int main(void)
{
	pthread_t p, q;
	pthread_create(&q, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(q, NULL);
	return 0;
}
