// SPDX-License-Identifier: MIT
/*
 * table.c - the one-line-per-scenario tables: the catalog's (expected,
 * verdict, what was explored) and the patch table (v5.7 beside a patched
 * kernel, CHANGED where the verdicts differ).
 */
#include <string.h>
#include "report/report_int.h"

#define NAME_W 34
#define EXP_W 18

void report_table_header(FILE *out)
{
	fprintf(out, "%-*s  %-*s  %-*s  %12s  %8s\n", NAME_W, "scenario", EXP_W, "expected",
		EXP_W, "verdict", "explored", "time");
}

void report_table_row(FILE *out, const char *name, const char *expected,
		      const struct explore_result *res, bool as_expected)
{
	char v[256];

	report_verdict_str(res, v, sizeof(v));
	/*
	 * "exec": stateless executions; "states": stored states of a stateful
	 * search; "walks": a finding of the random phase, after that many walks
	 * (no execution of the search proper ran).
	 */
	bool walks = res->found && res->executions == 0 && res->random_executions > 0;
	fprintf(out, "%-*s  %-*s  %-*s  %9llu %-6s %7.2fs  %s\n", NAME_W, name, EXP_W, expected,
		EXP_W, v, (unsigned long long)(res->stateful ? res->states :
					       walks ? res->random_executions : res->executions),
		res->stateful ? "states" : !walks ? "exec" :
		res->random_executions == 1 ? "walk" : "walks", res->seconds,
		as_expected ? "ok" : "MISMATCH");
}

void report_table_error(FILE *out, const char *name, const char *expected)
{
	fprintf(out, "%-*s  %-*s  %-*s  %12s  %8s  %s\n", NAME_W, name, EXP_W, expected, EXP_W,
		"input-error", "-", "-", "MISMATCH");
}

void report_table_summary(FILE *out, int ok, int not_ok)
{
	fprintf(out, "%d as expected, %d not\n", ok, not_ok);
}

void report_patch_header(FILE *out, const char *patched)
{
	fprintf(out, "the catalog, v5.7 against the patch (%s)\n", patched);
	fprintf(out, "%-*s  %-*s  %-*s  %s\n", NAME_W, "scenario", EXP_W, "v5.7", EXP_W,
		"patched", "");
	fprintf(out, "%-*s  %-*s  %-*s\n", NAME_W, "--------", EXP_W, "----", EXP_W, "-------");
}

void report_patch_row(FILE *out, const char *name, const struct explore_result *v57,
		      const struct explore_result *patched)
{
	char a[256], b[256];

	report_verdict_str(v57, a, sizeof(a));
	report_verdict_str(patched, b, sizeof(b));
	/*
	 * Under --all a patch may remove one finding of an id that another
	 * site still has (a fix of one of two races): the count of distinct
	 * findings (id and site) tells it.
	 */
	if (v57->all_findings && v57->nfindings > 1)
		snprintf(a + strlen(a), sizeof(a) - strlen(a), " (%d)", v57->nfindings);
	if (patched->all_findings && patched->nfindings > 1)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), " (%d)", patched->nfindings);
	fprintf(out, "%-*s  %-*s  %-*s  %s\n", NAME_W, name, EXP_W, a, EXP_W, b,
		strcmp(a, b) ? "CHANGED" : "");
}
