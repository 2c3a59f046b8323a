/* SPDX-License-Identifier: MIT */
/*
 * stateful.h - the explicit-state search (stateful.c, with its partial-
 * order reduction in stateful_por.c and its symmetry reduction in
 * stateful_sym.c).
 */
#ifndef PVM_CHECK_STATEFUL_H
#define PVM_CHECK_STATEFUL_H

#include "check/explore.h"

/**
 * stateful_run - explore @prog by explicit-state search: snapshots of the
 * program's state and of the executor's, a visited-state table, sleep sets
 * and (unless opts.no_por) a DPOR-style reduction over the search path.
 * Context: explore(), after the random pre-phase; the executor is set up.
 * Return: 0, or -1 if the program does not describe its state (the caller
 * then explores statelessly).
 */
int stateful_run(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res);

#endif /* PVM_CHECK_STATEFUL_H */
