// SPDX-License-Identifier: MIT
/*
 * mutant.c - select the guard to remove from PVCHECK_MUTANT (see mutant.h).
 * PVCHECK_MUTANT=list prints the guards, one "name<TAB>where<TAB>what" a
 * line, and exits (not the MUTANT_PENDING rows: guards whose scenario
 * needs a model path not there yet; they can still be selected by name); an unknown name is a usage error (exit 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lib/bug.h"
#include "lib/mutant.h"

int pvm_mutant = MUT_NONE;

static const struct {
	const char *name, *where, *what;
	bool pending;	/* MUTANT_PENDING: selectable, not listed (not scored) */
} mutants[MUT_NR] = {
	[MUT_NONE] = { "none", "-", "-", false },
#define MUTANT(id, n, w, x) [MUT_##id] = { n, w, x, false },
#define MUTANT_PENDING(id, n, w, x) [MUT_##id] = { n, w, x, true },
#include "model/mutants.def"
#undef MUTANT_PENDING
#undef MUTANT
};

const char *mutant_name(int id)
{
	return id >= 0 && id < MUT_NR ? mutants[id].name : "?";
}

__attribute__((constructor)) static void mutant_init(void)
{
	const char *sel = getenv("PVCHECK_MUTANT");

	if (!sel || !*sel)
		return;
	if (!strcmp(sel, "list")) {
		for (int i = 1; i < MUT_NR; i++)
			if (!mutants[i].pending)
				printf("%s\t%s\t%s\n", mutants[i].name, mutants[i].where, mutants[i].what);
		exit(EXIT_SAFE);
	}
	for (int i = 0; i < MUT_NR; i++) {
		if (!strcmp(sel, mutants[i].name)) {
			pvm_mutant = i;
			/*
			 * Said only to a terminal: a suite that compares stderr
			 * must fail because of the mutant, not of this line.
			 */
			if (isatty(STDERR_FILENO))
				fprintf(stderr, "pvcheck: mutant '%s': %s removed\n",
					mutants[i].name, mutants[i].what);
			return;
		}
	}
	fprintf(stderr, "pvcheck: PVCHECK_MUTANT: no guard named '%s' (PVCHECK_MUTANT=list)\n", sel);
	exit(EXIT_USAGE);
}
