// SPDX-License-Identifier: MIT
// Programs pvcheck refuses, with exit code 3 and the compiler's
// file:line:col: a syntax error, an unsupported pthread function, a
// thread-local variable.
// run: -DSYNTAX => input-error input-errors.c:13:
// run: -DBARRIER => input-error input-errors.c:17:
// run: -DTLS => input-error thread-local
#include <pthread.h>
#include <stdatomic.h>
#ifdef SYNTAX
int f(void)
{
	return 1 +;
}
#endif
#ifdef BARRIER
void f(pthread_barrier_t *b) { pthread_barrier_wait(b); }
#endif
#ifdef TLS
_Thread_local int tls;
int *f(void) { return &tls; }
#endif
int main(void)
{
	return 0;
}
