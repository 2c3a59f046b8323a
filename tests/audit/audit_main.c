// SPDX-License-Identifier: MIT
/*
 * audit_main.c - pvaudit: run scenarios under the model audit.
 *
 *   build/audit/pvaudit [-n MAX] [-r WALKS] [-g SEED:N] [FILE.pvs...]
 *
 * Without files: every catalog scenario.  -g: instead, the N scenarios
 * src/scenario/gen.c generates from seeds SEED.. (those the binder refuses
 * are skipped and counted), as tests/genmodel explores them: the model's
 * announcements held to account on scenarios nobody wrote by hand (before
 * this, the catalog was clean and 13 of 216 generated scenarios were not).  Each scenario is explored with
 * DPOR (keep going past findings, at most MAX executions, default 20000)
 * under exploration orders 0 and 3, then with WALKS random walks (default
 * 300) and WALKS PCT walks; audit_rt.c reports every unannounced dependency
 * met.  Exit status: 0 if none, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "scenario/gen.h"
#include "scenario/scenario.h"
#include "audit.h"

static uint64_t max_exec = 20000, walks = 300;

/* Return: false if the binder refused @scn (reported, or skipped when @may_refuse). */
static bool run(struct scenario *scn, const char *name, bool may_refuse)
{
	static const struct { enum explore_mode mode; uint64_t order; int pct; } plan[] = {
		{ EXPLORE_DPOR, 0, 0 }, { EXPLORE_DPOR, 3, 0 },
		{ EXPLORE_RANDOM, 0, 0 }, { EXPLORE_PCT, 0, 3 },
	};
	struct scn_diag d;
	struct program prog;
	uint64_t before = audit_found();

	if (scenario_bind(scn, NULL, 0, &d)) {
		if (may_refuse)
			return false;
		scn_diag_print(&d, stderr);
		exit(2);
	}
	scenario_program(scn, &prog);
	prog.after_step = NULL;
	audit_begin(name);
	printf("audit %s:", name);
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		struct explore_opts eo;
		struct explore_result res;

		explore_opts_defaults(&eo);
		scenario_apply_bounds(scn, &eo);
		eo.mode = plan[i].mode;
		/* past findings: the accesses of every execution are audited */
		eo.keep_going = true;
		eo.seed = 7;
		if (plan[i].mode == EXPLORE_DPOR) {
			eo.random_runs = 0;
			eo.random_order = plan[i].order;
			if (!eo.max_executions || eo.max_executions > max_exec)
				eo.max_executions = max_exec;
		} else {
			eo.random_runs = walks;
			eo.pct_depth = plan[i].pct;
			eo.max_executions = 0;
		}
		if (explore(&prog, &eo, &res)) {
			fprintf(stderr, "pvaudit: explore failed\n");
			exit(2);
		}
		printf(" %s%s=%llu%s", plan[i].mode == EXPLORE_DPOR ? "dpor" :
		       plan[i].mode == EXPLORE_PCT ? "pct" : "random",
		       plan[i].mode == EXPLORE_DPOR ? (plan[i].order ? "/3" : "/0") : "",
		       (unsigned long long)(res.executions + res.random_executions),
		       res.complete || plan[i].mode != EXPLORE_DPOR ? "" : "+");
		explore_result_free(&res);
	}
	printf(" -> %s\n", audit_found() == before ? "clean" : "UNANNOUNCED DEPENDENCIES");
	fflush(stdout);
	return true;
}

/* -g SEED:N: generated scenarios; Return: 0, or 2 if one does not parse. */
static int run_generated(uint64_t seed, long n)
{
	static char text[SCN_GEN_MAX];
	long explored = 0, refused = 0;

	for (long c = 0; c < n; c++) {
		struct scenario *scn;
		struct scn_diag d;
		struct scn_gen g;
		char name[32];
		int len;

		snprintf(name, sizeof(name), "gen-%llu", (unsigned long long)(seed + (uint64_t)c));
		scn_gen_init(&g, seed + (uint64_t)c, NULL, 0);
		len = scn_generate(&g, name, text, sizeof(text));
		if (len < 0 || scenario_parse(name, text, (size_t)len, &scn, &d)) {
			fprintf(stderr, "pvaudit: %s: the generated text does not parse\n", name);
			return 2;
		}
		if (run(scn, name, true))
			explored++;
		else
			refused++;
		scenario_free(scn);
	}
	printf("generated: %ld explored, %ld refused by the binder\n", explored, refused);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *gen = NULL;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			max_exec = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			walks = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-g") && i + 1 < argc && strchr(argv[i + 1], ':'))
			gen = argv[++i];
		else {
			fprintf(stderr, "usage: pvaudit [-n MAX] [-r WALKS] [-g SEED:N] [FILE.pvs...]\n");
			return 2;
		}
	}
	if (gen)
		return run_generated(strtoull(gen, NULL, 0), atol(strchr(gen, ':') + 1));
	if (i == argc) {
		for (int k = 0; k < scn_ncatalog; k++) {
			struct scenario *scn;
			struct scn_diag d;

			if (scn_catalog_load(k, &scn, &d)) {
				scn_diag_print(&d, stderr);
				return 2;
			}
			run(scn, scn->name.s, false);
			scenario_free(scn);
		}
	}
	for (; i < argc; i++) {
		struct scenario *scn;
		struct scn_diag d;

		if (scenario_load(argv[i], &scn, &d)) {
			scn_diag_print(&d, stderr);
			return 2;
		}
		run(scn, scn->name.s ? scn->name.s : argv[i], false);
		scenario_free(scn);
	}
	return 0;	/* audit_rt's exit handler prints the summary, exits 1 on findings */
}
