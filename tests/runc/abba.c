// SPDX-License-Identifier: MIT
// ABBA: two threads take two mutexes in opposite orders; some schedule
// leaves each holding one and waiting for the other: a deadlock.  With
// -DFIX both take them in the same order: 2 executions, safe.
// run: => deadlock
// run: -DFIX => safe executions=2
#include <pthread.h>
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int shared;
static void *t1(void *arg)
{
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	shared++;
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	return NULL;
}
static void *t2(void *arg)
{
#ifdef FIX
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
#else
	pthread_mutex_lock(&b);
	pthread_mutex_lock(&a);
#endif
	shared++;
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&b);
	return NULL;
}
int main(void)
{
	pthread_t x, y;
	pthread_create(&x, NULL, t1, NULL);
	pthread_create(&y, NULL, t2, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	return 0;
}
