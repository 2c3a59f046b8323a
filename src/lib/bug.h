/* SPDX-License-Identifier: MIT */
/*
 * bug.h - checker bugs, kept apart from findings.
 *
 * PVM_BUG_ON(cond) is for broken invariants of pvcheck itself (the engine,
 * the parser, the binder), never for properties of the model: those are
 * findings (vis_fail).  It prints the expression and location and exits
 * with code 5 (EXIT_INTERNAL), so that a checker bug can never read as
 * "safe" or as a finding.
 */
#ifndef PVM_LIB_BUG_H
#define PVM_LIB_BUG_H

/* Exit codes of the pvcheck command, documented in --help and README. */
enum pvm_exit {
	EXIT_SAFE = 0,		/* explored completely, no finding (or all as expected) */
	EXIT_FINDING = 1,	/* a finding (or a catalog verdict not as expected) */
	EXIT_USAGE = 2,		/* usage or system error */
	EXIT_INPUT = 3,		/* scenario/program/trace parse or validation error */
	EXIT_INCOMPLETE = 4,	/* a bound, timeout or interrupt cut the search, no finding */
	EXIT_INTERNAL = 5,	/* internal checker bug */
};

_Noreturn void pvm_bug(const char *expr, const char *file, int line, const char *func);

#define PVM_BUG_ON(cond) \
	do { if (__builtin_expect(!!(cond), 0)) pvm_bug(#cond, __FILE__, __LINE__, __func__); } while (0)
#define PVM_BUG() pvm_bug("BUG", __FILE__, __LINE__, __func__)

#endif /* PVM_LIB_BUG_H */
