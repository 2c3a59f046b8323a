/* SPDX-License-Identifier: MIT */
/*
 * model_harness.h - what the model's unit tests share (test_model_*.c):
 * TAP lines, world declarations from strings, run(N, fn...): N model
 * threads spawned and joined by main, explored by DPOR as the CLI does
 * (random walks first), and the verdict tests of a run's result.  Each
 * test file includes it once and keeps its own worlds.
 */
#ifndef PVM_TESTS_UNIT_MODEL_HARNESS_H
#define PVM_TESTS_UNIT_MODEL_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"
#include "model/mutant.h"

static int test_nr, failures;

static void ok(bool cond, const char *what)
{
	test_nr++;
	printf("%sok %d - %s\n", cond ? "" : "not ", test_nr, what);
	if (!cond)
		failures++;
}

/* ==== verdicts: each tests a run's result and frees it ==== */

/* Safe, and explored completely? */
static inline bool safe(struct explore_result *r)
{
	bool b = r->verdict == VERDICT_SAFE && r->complete;

	explore_result_free(r);
	return b;
}

/*
 * The finding @id, whose message holds each string of the NULL-terminated
 * list after @id (a missing one is printed as a TAP comment)?
 */
static inline bool found_saying(struct explore_result *r, const char *id, ...)
{
	bool b = r->found && !strcmp(r->finding.id, id);
	va_list ap;
	const char *w;

	va_start(ap, id);
	while ((w = va_arg(ap, const char *)))
		if (b && !strstr(r->finding.message, w)) {
			printf("# message lacks '%s'\n", w);
			b = false;
		}
	va_end(ap);
	explore_result_free(r);
	return b;
}

/* The finding @id? */
static inline bool found(struct explore_result *r, const char *id)
{
	return found_saying(r, id, (const char *)NULL);
}

/* ==== world building from strings ==== */

static void decl(const char *kind, const char *name, const char *kvs)
{
	struct mdl_kv kv[8];
	char buf[256], err[128], *save = NULL, *tok;
	int n = 0, bad;

	snprintf(buf, sizeof(buf), "%s", kvs);
	for (tok = strtok_r(buf, " ", &save); tok && n < 8; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		*eq = 0;
		kv[n].key = tok;	/* mdl_declare copies what it keeps */
		kv[n++].val = eq + 1;
	}
	if (mdl_declare(kind, name, kv, n, err, sizeof(err), &bad) < 0) {
		printf("# declare %s %s: %s\n", kind, name, err);
		exit(2);
	}
}

/* End the world being declared; a world the model refuses ends the test run (exit 2). */
static void end_world(void)
{
	char err[128];

	if (mdl_world_end(err, sizeof(err))) {
		printf("# world: %s\n", err);
		exit(2);
	}
}

/* Does @pte map @page, writable or not as @write says? */
static inline bool pte_is(pte_t pte, const struct page *page, bool write)
{
	return pte_present(pte) && pte.pfn == page->pfn && pte_write(pte) == write;
}

static void knob(const char *name, const char *val)
{
	char err[128];

	if (mdl_set_knob(name, val, err, sizeof(err))) {
		printf("# %s\n", err);
		exit(2);
	}
}

/*
 * Select the test variant @name of src/model/mutants.def (a breakage such
 * as "arch1-late", or a guard removed), or with NULL the one
 * PVCHECK_MUTANT chose (normally none): what a scenario's `mutant` line
 * does at bind time.  It holds until the next call or the next mdl_world_begin(), so call
 * it after that, as the binder does.
 */
static inline void mutant(const char *name)
{
	if (mutant_select(name)) {
		printf("# no mutant named '%s' (src/model/mutants.def)\n", name);
		exit(2);
	}
}

/* ==== running ==== */

/* Called before each run() (a test's own per-search counters). */
static void (*run_reset)(void);

static void (*thread_fns[4])(void *);
static int nthreads;

static void main_fn(void *arg)
{
	int i, tids[4];

	mdl_thread_begin("main");
	for (i = 0; i < nthreads; i++)
		tids[i] = vis_spawn(thread_fns[i], NULL, "t", VIS_SITE("spawn"));
	for (i = 0; i < nthreads; i++)
		vis_join(tids[i], VIS_SITE("join"));
}

/*
 * run_auto: search as the CLI's default does (explore_auto: stateless DPOR,
 * then the stateful search from the start when DPOR did not settle it),
 * for a test that asks for a finding only, not for the last execution's
 * results (the stateful search does not end on a chosen execution).
 */
static bool run_auto;

/*
 * Built for make audit (tests/audit): the audit follows the steps of
 * re-executed runs; a stateful search restores memory from snapshots,
 * which it cannot attribute, so run_auto stays with stateless DPOR there.
 */
#ifdef PVM_AUDIT
static const bool harness_audit = true;
#else
static const bool harness_audit = false;
#endif

static int run_plain(void *arg, const struct program *prog, const struct explore_opts *opts,
		     struct explore_result *res)
{
	(void)arg;
	return explore(prog, opts, res) ? 2 : 0;
}

static int world_regions(void *ctx, struct program_region *r, int max)
{
	(void)ctx;
	(void)max;
	r[0] = (struct program_region){ &mdl_world, sizeof(mdl_world), false };
	return 1;
}

static struct explore_result run(int n, ...)
{
	struct program prog = { .name = "unit", .reset = mdl_reset, .main = main_fn,
				.at_exit = mdl_at_exit, .state_regions = world_regions,
				.canon_size = sizeof(mdl_world), .canon_state = mdl_world_canon,
				.thread_key = mdl_thread_key,
				.no_progress_class = mdl_no_progress_class };
	struct explore_policy pol = { .may_switch = true, .run = run_plain };
	struct explore_opts opts;
	struct explore_result res;
	__builtin_va_list ap;
	int i;

	__builtin_va_start(ap, n);
	for (i = 0; i < n; i++)
		thread_fns[i] = __builtin_va_arg(ap, void (*)(void *));
	__builtin_va_end(ap);
	nthreads = n;
	explore_opts_defaults(&opts);
	opts.mode = EXPLORE_DPOR;
	opts.max_executions = run_auto && !harness_audit ? 0 : 200000;	/* explore_auto: no budget */
	opts.random_runs = 100;		/* as the CLI: random walks before DPOR */
	memset(&res, 0, sizeof(res));
	if (run_reset)
		run_reset();
	if (run_auto && !harness_audit ? explore_auto(&prog, &opts, &pol, &res) : explore(&prog, &opts, &res))
		exit(2);
	if (res.found)
		printf("# finding %s: %s\n", res.finding.id, res.finding.message);
	else
		printf("# %s, %llu executions%s%s\n", explore_verdict_name(res.verdict),
		       (unsigned long long)res.executions, res.complete ? "" : " (incomplete) by ", res.complete ? "" : res.cut_by ? res.cut_by : "?");
	return res;
}

#endif /* PVM_TESTS_UNIT_MODEL_HARNESS_H */
