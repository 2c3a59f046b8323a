// SPDX-License-Identifier: MIT
/*
 * mutant.c - select a row of src/model/mutants.def (see mutant.h): from
 * PVCHECK_MUTANT at start-up, from a scenario's `mutant` line at bind time
 * (mdl_set_mutant), from a unit test (mutant_select).
 * PVCHECK_MUTANT=list prints the guards `make mutants` scores, one
 * "name<TAB>where<TAB>what" a line, and exits (not the PENDING rows, whose
 * scenario needs a model path not there yet, nor the BREAKAGE rows, which
 * no catalog verdict is meant to catch; both can still be selected by
 * name); an unknown name is a usage error (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/bug.h"
#include "model/model.h"
#include "model/mutant.h"

int pvm_mutant = MUT_NONE;
static int env_mutant = MUT_NONE;	/* PVCHECK_MUTANT's row */

static const struct {
	const char *name, *prop, *where, *what;
	enum mutant_kind kind;
} mutants[MUT_NR] = {
	[MUT_NONE] = { "none", "", "-", "-", MK_NONE },
#define MUTANT(id, n, k, p, w, x) [MUT_##id] = { n, p, w, x, MK_##k },
#include "model/mutants.def"
#undef MUTANT
};

const char *mutant_name(int id)
{
	return id >= 0 && id < MUT_NR ? mutants[id].name : "?";
}

int mutant_find(const char *name)
{
	for (int i = 0; i < MUT_NR; i++)
		if (!strcmp(name, mutants[i].name))
			return i;
	return -1;
}

int mutant_env(void)
{
	return env_mutant;
}

int mutant_select(const char *name)
{
	int id = name ? mutant_find(name) : env_mutant;

	if (id < 0)
		return -1;
	pvm_mutant = id;
	return 0;
}

/*
 * mdl_set_mutant - a scenario's row (model.h).  The process's choice
 * (PVCHECK_MUTANT) and the scenario's cannot both hold: a scenario that
 * selects another row under `make mutants` is an input error, not a
 * silent replacement of the mutant being scored.
 */
int mdl_set_mutant(const char *name, char *err, size_t errlen)
{
	int id = name ? mutant_find(name) : env_mutant;

	if (id < 0) {
		snprintf(err, errlen, "unknown mutant '%s' (PVCHECK_MUTANT=list; test-only: "
			 "src/model/mutants.def)", name);
		return -1;
	}
	if (name && env_mutant != MUT_NONE && id != env_mutant) {
		snprintf(err, errlen, "mutant '%s', but PVCHECK_MUTANT selects '%s': one at a time",
			 name, mutants[env_mutant].name);
		return -1;
	}
	pvm_mutant = id;
	return 0;
}

const char *mdl_breakage(int i)
{
	for (int id = 1; id < MUT_NR; id++)
		if (mutants[id].prop[0] && i-- == 0)
			return mutants[id].name;
	return NULL;
}

__attribute__((constructor)) static void mutant_init(void)
{
	const char *sel = getenv("PVCHECK_MUTANT");

	if (!sel || !*sel)
		return;
	if (!strcmp(sel, "list")) {
		for (int i = 1; i < MUT_NR; i++)
			if (mutants[i].kind == MK_GUARD)
				printf("%s\t%s\t%s\n", mutants[i].name, mutants[i].where, mutants[i].what);
		exit(EXIT_SAFE);
	}
	env_mutant = mutant_find(sel);
	if (env_mutant >= 0) {
		pvm_mutant = env_mutant;
		/*
		 * Said only to a terminal: a suite that compares stderr
		 * must fail because of the mutant, not of this line.
		 */
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "pvcheck: mutant '%s': %s%s\n", sel, mutants[env_mutant].what,
				mutants[env_mutant].kind == MK_GUARD ? " removed" : "");
		return;
	}
	fprintf(stderr, "pvcheck: PVCHECK_MUTANT: no mutant named '%s' (PVCHECK_MUTANT=list)\n", sel);
	exit(EXIT_USAGE);
}
