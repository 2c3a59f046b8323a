/* SPDX-License-Identifier: MIT */
/*
 * fiber.h - cooperative threads on fixed-address stacks (checker-internal).
 *
 * A fiber is a stack and a saved stack pointer.  fiber_switch() saves the
 * callee-saved registers of the caller on its stack and resumes the other
 * fiber: no system call, no signal mask (glibc swapcontext makes a
 * sigprocmask call on every switch, about a hundred times slower).  On
 * x86-64 the switch is hand-written (fiber_x86_64.S); elsewhere it falls
 * back to ucontext.  Under AddressSanitizer every switch carries the
 * __sanitizer_{start,finish}_switch_fiber annotations, and a fiber's stack
 * is unpoisoned when it is restarted, because an execution that ended in a
 * finding abandons frames that never returned.
 */
#ifndef PVM_CHECK_FIBER_H
#define PVM_CHECK_FIBER_H

#include <stddef.h>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

struct fiber {
	void *sp;			/* saved stack pointer (x86-64) */
#if !defined(__x86_64__)
	ucontext_t uc;
#endif
	void *stack;			/* lowest address */
	size_t size;
	void *asan_fake;		/* ASan fake-stack handle while switched out */
};

typedef void (*fiber_fn)(void *arg);

/**
 * fiber_alloc - map a stack of @size bytes for @f.
 * Context: set-up, once per fiber.
 * Return: 0 or -ENOMEM.
 */
int fiber_alloc(struct fiber *f, size_t size);

/**
 * fiber_free - unmap @f's stack.
 * Context: no fiber runs on it.
 */
void fiber_free(struct fiber *f);

/**
 * fiber_init - prepare @f to run @fn(@arg) from the top of its stack on
 * the next switch to it.
 * Context: scheduler side.
 */
void fiber_init(struct fiber *f, fiber_fn fn, void *arg);

/**
 * fiber_switch - save the current context in @from and resume @to.
 * Context: the context @from describes.  Returns when switched back.
 */
void fiber_switch(struct fiber *from, struct fiber *to);

/**
 * fiber_started - the first call of every fiber body (completes the
 * AddressSanitizer switch).
 * Context: a fiber, first thing.
 */
void fiber_started(void);

/**
 * fiber_init_main - @f becomes the scheduler's own context (the main
 * stack); only its saved stack pointer is used.
 * Context: set-up, once.
 */
void fiber_init_main(struct fiber *f);

#endif /* PVM_CHECK_FIBER_H */
