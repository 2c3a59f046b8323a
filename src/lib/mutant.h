/* SPDX-License-Identifier: MIT */
/*
 * mutant.h - guards of the model that `make mutants` removes one at a time.
 *
 * A verdict of "safe" is only worth something if every guard it rests on is
 * exercised: remove the guard and some test must fail.  Each guard of the
 * model (a freeze check, a call of arch_make_page_accessible, a lock, a
 * reference taken before use, a retry on -EAGAIN) is written as
 *
 *	if (MUTANT_KEEP(MUT_FREEZE_EXACT) && ...)
 *
 * and listed in src/model/mutants.def.  With PVCHECK_MUTANT=NAME in the
 * environment, that one guard is removed (MUTANT_KEEP is false) in pvcheck
 * and in the unit tests.  One build serves every mutant: selecting the guard
 * at run time rather than recompiling per guard (as mutation tools do) costs
 * one predictable branch per guard and makes `make mutants` a loop over
 * runs instead of builds.
 */
#ifndef PVM_LIB_MUTANT_H
#define PVM_LIB_MUTANT_H

#include <stdbool.h>

enum mutant_id {
	MUT_NONE,
#define MUTANT(id, name, where, what) MUT_##id,
#define MUTANT_PENDING(id, name, where, what) MUT_##id,
#include "model/mutants.def"
#undef MUTANT_PENDING
#undef MUTANT
	MUT_NR
};

extern int pvm_mutant;		/* the guard removed, MUT_NONE normally */

#define MUTANT_KEEP(id) (__builtin_expect(pvm_mutant != (id), 1))

/* mutant_name - Return: the name of mutant @id. */
const char *mutant_name(int id);

#endif /* PVM_LIB_MUTANT_H */
