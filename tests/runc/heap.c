// SPDX-License-Identifier: MIT
// Shared objects on the heap: malloc'd blocks come from a per-execution
// heap reset between executions, at the same addresses every time.
// run: => safe executions=6
// run: env:PVCHECK_RACES=1 => safe executions=6
// run: -DBUG => violation id=assert
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
struct counter {
	atomic_int n;
	char name[16];
};
static struct counter *c;
static void *t(void *arg)
{
	for (int i = 0; i < 2; i++)
		atomic_fetch_add(&c->n, 1);
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	assert(c == NULL);		/* globals are reset too */
	c = malloc(sizeof(*c));
	assert(c != NULL);
	atomic_init(&c->n, 0);
	strcpy(c->name, "counter");
	char *dup = strdup(c->name);	/* libc's malloc: freed by libc */
	free(dup);
	pthread_create(&a, NULL, t, NULL);
	pthread_create(&b, NULL, t, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
#ifdef BUG
	assert(atomic_load(&c->n) == 3);
#else
	assert(atomic_load(&c->n) == 4);
#endif
	free(c);
	return 0;
}
