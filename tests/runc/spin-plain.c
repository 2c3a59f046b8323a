// SPDX-License-Identifier: MIT
// A poll loop that also stores to plain memory each round.  The spin
// detector does not turn it into a wait (a plain write since the last poll
// could change what the loop reads), so a schedule that never runs the
// setter polls for ever: a no-progress finding, statelessly at the step
// bound and statefully as a cycle (the state keeps only whether a plain
// write happened since the poll, not how many: runc_state_regions).  With
// -DONCE the store happens only on the first round: from the second the
// loop is a no-op and blocks (spin-assume): the setter's store before the
// first, second or third poll (the first round differs from the later
// ones, and the second from the third in registers the first round left);
// 4 executions with the earlier detector, which waited one round later.
// run: => no-progress
// run: -DONCE => safe executions=3
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
atomic_int flag;
int scratch, rounds;
static void *waiter(void *arg)
{
	while (!atomic_load(&flag)) {
#ifdef ONCE
		if (!rounds) {
			rounds = 1;
			scratch = 0;
		}
#else
		scratch = 0;
#endif
	}
	return NULL;
}
static void *setter(void *arg)
{
	atomic_store(&flag, 1);
	return NULL;
}
int main(void)
{
	pthread_t w, s;
	pthread_create(&w, NULL, waiter, NULL);
	pthread_create(&s, NULL, setter, NULL);
	pthread_join(w, NULL);
	pthread_join(s, NULL);
	return 0;
}
