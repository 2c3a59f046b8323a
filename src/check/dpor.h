/* SPDX-License-Identifier: MIT */
/*
 * dpor.h - optimal DPOR with wakeup trees and sleep sets (dpor.c), the
 * exhaustive strategy of explore() and of each -j worker (frontier.c).
 */
#ifndef PVM_CHECK_DPOR_H
#define PVM_CHECK_DPOR_H

#include <stdbool.h>
#include <stdint.h>
#include "check/sched.h"

/**
 * dpor_setup - allocate the wakeup-tree pool, once per process.
 * Context: explore(), after sched_setup().
 * Return: 0, or -ENOMEM.
 */
int dpor_setup(void);

/**
 * dpor_reset_pool - every node of the wakeup-tree pool free again.
 * Context: before a search.
 */
void dpor_reset_pool(void);

/**
 * dpor_run - the whole DPOR search from the initial state, under E.opts
 * (its random_order seeds the order of fresh choices).
 * Context: explore(); the result is E.res.
 */
void dpor_run(void);

/**
 * dpor_subtree - DPOR below a prefix: schedule @s[0..@len) (thread ids;
 * -1-v: value v of a choice) replays, @sleep with @sleep_op is the sleep
 * set after it, and nothing above it is backtracked or receives a wakeup
 * sequence.  @seed seeds the order of fresh choices.
 * Context: a frontier.c worker; E.res and E.opts are the worker's.
 * Return: true if the subtree was explored to its end.
 */
bool dpor_subtree(const int *s, int len, tset_t sleep, const struct op *sleep_op, uint64_t seed);

#endif /* PVM_CHECK_DPOR_H */
