// SPDX-License-Identifier: MIT
/*
 * switch.c - the floor under a step: a bare loop of hand-written context
 * switches (scheduler -> fiber -> scheduler), the same fiber_switch() the
 * engine uses.  Prints nanoseconds per round trip.
 */
#include <stdio.h>
#include <time.h>
#include "check/fiber.h"

static struct fiber main_f, fib;
static volatile long n;

static void body(void *arg)
{
	fiber_started();
	for (;;) {
		n++;
		fiber_switch(&fib, &main_f);
	}
}

int main(void)
{
	const long rounds = 20000000;
	struct timespec a, b;
	fiber_init_main(&main_f);
	if (fiber_alloc(&fib, 65536))
		return 1;
	fiber_init(&fib, body, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < rounds; i++)
		fiber_switch(&main_f, &fib);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)rounds;
	printf("switch round trip (scheduler -> thread -> scheduler): %.1f ns\n", ns);
	return 0;
}
