// SPDX-License-Identifier: MIT
// readers-writers on a pthread_rwlock_t: NR readers and NW writers; the
// writers update a pair that readers must see consistent.  With -DBUG the
// writers take the read side, and a reader can see a half-written pair.
// run: => safe
// run: -DBUG => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#ifndef NR
#define NR 2
#endif
#ifndef NW
#define NW 2
#endif
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
atomic_int a, b;
static void *reader(void *arg)
{
	pthread_rwlock_rdlock(&rw);
	assert(atomic_load(&a) == atomic_load(&b));
	pthread_rwlock_unlock(&rw);
	return NULL;
}
static void *writer(void *arg)
{
#ifdef BUG
	pthread_rwlock_rdlock(&rw);
#else
	pthread_rwlock_wrlock(&rw);
#endif
	atomic_fetch_add(&a, 1);
	atomic_fetch_add(&b, 1);
	pthread_rwlock_unlock(&rw);
	return NULL;
}
int main(void)
{
	pthread_t t[NR + NW];
	for (int i = 0; i < NR + NW; i++)
		pthread_create(&t[i], NULL, i < NR ? reader : writer, NULL);
	for (int i = 0; i < NR + NW; i++)
		pthread_join(t[i], NULL);
	assert(atomic_load(&a) == NW);
	return 0;
}
