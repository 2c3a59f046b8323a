/* SPDX-License-Identifier: MIT */
/*
 * model_harness.h - what the model's unit tests share (test_model_paths.c,
 * test_model_context.c): TAP lines, world declarations from strings, and
 * run(N, fn...): N model threads spawned and joined by main, explored by
 * DPOR as the CLI does (random walks first).  Each test file includes it
 * once and keeps its own worlds and verdict helpers.
 */
#ifndef PVM_TESTS_UNIT_MODEL_HARNESS_H
#define PVM_TESTS_UNIT_MODEL_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"

static int test_nr, failures;

static void ok(bool cond, const char *what)
{
	test_nr++;
	printf("%sok %d - %s\n", cond ? "" : "not ", test_nr, what);
	if (!cond)
		failures++;
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

static void knob(const char *name, const char *val)
{
	char err[128];

	if (mdl_set_knob(name, val, err, sizeof(err))) {
		printf("# %s\n", err);
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

static struct explore_result run(int n, ...)
{
	struct program prog = { .name = "unit", .reset = mdl_reset, .main = main_fn,
				.at_exit = mdl_at_exit };
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
	opts.max_executions = 200000;
	opts.random_runs = 100;		/* as the CLI: random walks before DPOR */
	memset(&res, 0, sizeof(res));
	if (run_reset)
		run_reset();
	if (explore(&prog, &opts, &res))
		exit(2);
	if (res.found)
		printf("# finding %s: %s\n", res.finding.id, res.finding.message);
	else
		printf("# %s, %llu executions%s\n", explore_verdict_name(res.verdict),
		       (unsigned long long)res.executions, res.complete ? "" : " (incomplete)");
	return res;
}

#endif /* PVM_TESTS_UNIT_MODEL_HARNESS_H */
