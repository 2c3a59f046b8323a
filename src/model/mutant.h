/* SPDX-License-Identifier: MIT */
/*
 * mutant.h - the model's test variants (src/model/mutants.def): guards that
 * `make mutants` removes one at a time, and deliberate test breakages.
 *
 * A verdict of "safe" is only worth something if every guard it rests on is
 * exercised: remove the guard and some test must fail.  Each guard of the
 * model (a freeze check, a call of arch_make_page_accessible, a lock, a
 * reference taken before use, a retry on -EAGAIN) is written as
 *
 *	if (MUTANT_KEEP(MUT_FREEZE_EXACT) && ...)
 *
 * and each test breakage (a step moved, an answer forced: a test's proof
 * that the property it breaks is checked) as
 *
 *	if (MUTANT_ON(MUT_ARCH1_LATE))
 *
 * both listed in src/model/mutants.def, one table.  At most one row is
 * selected at a time (pvm_mutant): by PVCHECK_MUTANT=NAME in the
 * environment, for pvcheck and the unit tests; by a scenario's test-only
 * `mutant NAME` line, for that scenario (mdl_set_mutant); by
 * mutant_select() in a unit test.  One build serves every row: selecting
 * at run time rather than recompiling per guard (as mutation tools do)
 * costs one predictable branch per site and makes `make mutants` a loop
 * over runs instead of builds.
 */
#ifndef PVM_MODEL_MUTANT_H
#define PVM_MODEL_MUTANT_H

#include <stdbool.h>

enum mutant_id {
	MUT_NONE,
#define MUTANT(id, name, kind, prop, where, what) MUT_##id,
#include "model/mutants.def"
#undef MUTANT
	MUT_NR
};

/* The kind column of mutants.def (see there). */
enum mutant_kind { MK_NONE, MK_GUARD, MK_BREAKAGE, MK_PENDING };

extern int pvm_mutant;		/* the row selected, MUT_NONE normally */

/* Keep guard @id: false only while mutant @id is selected. */
#define MUTANT_KEEP(id) (__builtin_expect(pvm_mutant != (id), 1))
/* Breakage @id is selected (the opposite test, said as what it is). */
#define MUTANT_ON(id) (__builtin_expect(pvm_mutant == (id), 0))

/* mutant_name - Return: the name of row @id, "?" past the table. */
const char *mutant_name(int id);

/**
 * mutant_find - look a row up by name.
 * @name: a row's name ("secure-freeze"), or "none".
 * Context: any.  Return: its id (MUT_NONE for "none"), -1 if there is none.
 */
int mutant_find(const char *name);

/**
 * mutant_select - select row @name from now on (a unit test's PVCHECK_MUTANT).
 * @name: a row's name, or NULL (or "none"): the one PVCHECK_MUTANT chose.
 * Context: after mdl_world_begin() (which resets it), never during an exploration.
 * Return: 0, or -1 (nothing changed) if no row has that name.
 */
int mutant_select(const char *name);

/* mutant_env - Return: the row PVCHECK_MUTANT selected, MUT_NONE if unset. */
int mutant_env(void);

#endif /* PVM_MODEL_MUTANT_H */
