/* SPDX-License-Identifier: MIT */
/*
 * frontier.h - `-j N`: the DPOR tree split at a frontier of prefixes and
 * explored by worker processes (frontier.c).
 */
#ifndef PVM_CHECK_FRONTIER_H
#define PVM_CHECK_FRONTIER_H

#include "check/explore.h"

/**
 * frontier_run - the DPOR search of explore() on @opts->jobs workers; the
 * random phase has run.  Fills the counts, completeness and the finding's
 * schedule of @res (explore() records its trace).
 * Context: process context; forks, waits for its workers, and ignores
 * SIGPIPE while they run.
 * Return: 0; -ECHILD if a worker died (@res->error says which); -errno if
 * the workers could not be started; -ENOMEM.
 */
int frontier_run(const struct program *prog, const struct explore_opts *opts,
		 struct explore_result *res);

#endif /* PVM_CHECK_FRONTIER_H */
