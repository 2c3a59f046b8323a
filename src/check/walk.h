/* SPDX-License-Identifier: MIT */
/*
 * walk.h - strategies that follow one path per execution (walk.c): random
 * walks, PCT, and the replay of a recorded schedule.
 */
#ifndef PVM_CHECK_WALK_H
#define PVM_CHECK_WALK_H

#include <stdint.h>
#include "check/sched.h"

/*
 * walk_replay follows opts->replay (thread ids; -1-v: value v of a choice)
 * and ends END_DIVERGED where it does not fit.  walk_prefix does the same
 * for a prefix of the tree (frontier.c): where the schedule runs out the
 * execution ends END_PREFIX, with what could run next in E.prefix_en or
 * E.prefix_nchoices, and program->at_exit is left to whoever runs the rest.
 */
extern const struct strategy walk_replay;
extern const struct strategy walk_prefix;

/**
 * walk_reset - forget what earlier walks learnt (PCT's length estimate).
 * Context: explore(), before a search.
 */
void walk_reset(void);

/**
 * walk_run - @runs random walks (@mode EXPLORE_RANDOM) or PCT walks
 * (EXPLORE_PCT, bug depth opts.pct_depth), seeded by opts.seed.  Under
 * EXPLORE_DPOR or EXPLORE_STATEFUL this is the pre-phase: a walk counts
 * only as a random execution.  Stops at the first finding or a limit.
 * Context: explore().
 */
void walk_run(uint64_t runs, enum explore_mode mode);

#endif /* PVM_CHECK_WALK_H */
