// SPDX-License-Identifier: MIT
/* bug.c - report a checker bug and exit with EXIT_INTERNAL (see bug.h). */
#include <stdio.h>
#include <stdlib.h>
#include "lib/bug.h"

_Noreturn void pvm_bug(const char *expr, const char *file, int line, const char *func)
{
	fflush(stdout);
	fprintf(stderr, "pvcheck: internal error (checker bug, not a finding): %s\n"
		"  at %s:%d in %s()\n"
		"  please report this with the command line that produced it\n",
		expr, file, line, func);
	exit(EXIT_INTERNAL);
}
