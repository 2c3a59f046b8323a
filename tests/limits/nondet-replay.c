// SPDX-License-Identifier: MIT
// A program that is not deterministic: it keeps a counter in the file
// COUNTER (a -D macro) across executions, and its threads take three steps
// in the first execution and none in the second.  Replaying the first
// execution's prefix then finds a thread that cannot take the recorded
// step, a broken assumption of the engine: pvcheck must stop with its
// internal-error message and exit 5, and print no verdict.
// run: -DCOUNTER='"FILE"' => internal error, exit 5
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
atomic_int x;
static int n;
static void *t(void *arg)
{
	for (int i = 0; i < n; i++)
		atomic_fetch_add(&x, 1);
	return NULL;
}
int main(void)
{
	pthread_t a, b;
	FILE *f = fopen(COUNTER, "r+");
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = 0;
		rewind(f);
		fprintf(f, "%d\n", n + 1);
		fclose(f);
	}
	n = n % 2 ? 0 : 3;
	pthread_create(&a, NULL, t, NULL);
	pthread_create(&b, NULL, t, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
