/* SPDX-License-Identifier: MIT */
/*
 * faults.h - a fault in user code compiled into pvcheck's process (a
 * `pvcheck run` program, a user path) is the user's bug, not pvcheck's.
 *
 * While a user object is loaded, SIGSEGV, SIGBUS, SIGFPE and SIGILL go to
 * one handler on an alternate stack.  It asks each registered claimer
 * whether the faulting pc is its code; a claimer that takes the fault
 * leaves through vis_fail() (a fiber switch, like a longjmp out of the
 * handler: SA_NODEFER keeps the signal unblocked, and the alternate stack
 * is free again once we are off it) and never returns.  A fault nobody
 * claims gets the default action: it is pvcheck's.  Under AddressSanitizer
 * this handler replaces ASan's while a claimer is registered.  x86-64 only
 * (the pc); elsewhere nothing is caught.
 */
#ifndef PVM_LIB_FAULTS_H
#define PVM_LIB_FAULTS_H

#include <signal.h>
#include <stdint.h>

/*
 * A claimer: @pc is the faulting instruction, @si the signal's details.
 * Return only if the fault is not in the claimer's code.
 */
typedef void (*pvm_fault_claim_fn)(int sig, uintptr_t pc, const siginfo_t *si);

/**
 * pvm_faults_claim - register @fn (installs the handler with the first).
 * pvm_faults_unclaim - unregister @fn (restores the previous handlers
 * with the last).
 * Context: process context, while no exploration runs.
 */
void pvm_faults_claim(pvm_fault_claim_fn fn);
void pvm_faults_unclaim(pvm_fault_claim_fn fn);

#endif /* PVM_LIB_FAULTS_H */
