// SPDX-License-Identifier: MIT
/*
 * faults.c - the handler for faults in loaded user code (see faults.h).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "lib/faults.h"

#define MAX_CLAIMERS 4

static pvm_fault_claim_fn claimers[MAX_CLAIMERS];
static int nclaimers;

#if defined(__x86_64__)
#include <ucontext.h>
static const int fault_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
static struct sigaction old_act[4];
static char *alt_stack;

static void fault_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];

	for (int i = 0; i < nclaimers; i++)
		claimers[i](sig, pc, si);
	signal(sig, SIG_DFL);		/* returning re-executes the fault */
}

static void install(void)
{
	struct sigaction sa;
	size_t sz = 64 * 1024;

	alt_stack = malloc(sz);
	if (alt_stack) {
		stack_t ss = { .ss_sp = alt_stack, .ss_size = sz };
		sigaltstack(&ss, NULL);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | (alt_stack ? SA_ONSTACK : 0);
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaction(fault_sigs[i], &sa, &old_act[i]);
}

static void uninstall(void)
{
	for (int i = 0; i < 4; i++)
		sigaction(fault_sigs[i], &old_act[i], NULL);
	if (alt_stack) {
		stack_t ss = { .ss_flags = SS_DISABLE };
		sigaltstack(&ss, NULL);
		free(alt_stack);
		alt_stack = NULL;
	}
}
#else
static void install(void)
{
}

static void uninstall(void)
{
}
#endif

void pvm_faults_claim(pvm_fault_claim_fn fn)
{
	for (int i = 0; i < nclaimers; i++)
		if (claimers[i] == fn)
			return;
	if (nclaimers == MAX_CLAIMERS)
		return;
	if (nclaimers == 0)
		install();
	claimers[nclaimers++] = fn;
}

void pvm_faults_unclaim(pvm_fault_claim_fn fn)
{
	for (int i = 0; i < nclaimers; i++)
		if (claimers[i] == fn) {
			claimers[i] = claimers[--nclaimers];
			if (nclaimers == 0)
				uninstall();
			return;
		}
}
