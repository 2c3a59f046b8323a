// SPDX-License-Identifier: MIT
/*
 * findings.c - `--all`: every distinct finding of a scenario, each with
 * its own trace (issue 13, "Every distinct finding").
 *
 * The search itself runs with explore_opts.all_findings and
 * finding_races (commands.c make_opts): it goes on past every finding and
 * keeps, per (id, site), the schedule of the fewest-preemption execution
 * that met it.  Here, after the search:
 *
 *   1. the fewest-preemption search (explore_simplest_all: one DPOR search
 *      per preemption bound below the most any finding needs), unless
 *      --no-simplest or in the catalog's table;
 *   2. the findings in a fixed order (id, file, line), so that the report
 *      does not depend on the order the search met them in;
 *   3. each finding's schedule replayed once, which gives its trace with
 *      notes and leaves the world at its end for the end state.
 *
 * The first finding of that order becomes the result's finding (its
 * trace is the one --trace-out and --svg write).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "lib/bug.h"
#include "model/model.h"

/* mdl_fact_fn: append the model's fact to the report's (same kinds, copied strings). */
static void add_fact(void *ctx, const struct mdl_fact *mf)
{
	struct report_state *s = ctx;
	static const enum report_fact_kind kind[] = {
		[MDL_FACT_PAGE] = REPORT_FACT_PAGE, [MDL_FACT_FROZEN] = REPORT_FACT_FROZEN,
		[MDL_FACT_LOCKED] = REPORT_FACT_LOCKED, [MDL_FACT_HOLDER] = REPORT_FACT_HOLDER,
	};
	struct report_fact *f;

	if (s->nfacts < 0)
		return;		/* out of memory before */
	f = realloc(s->facts, sizeof(*f) * (size_t)(s->nfacts + 1));
	if (!f) {
		s->nfacts = -1;
		return;
	}
	s->facts = f;
	f += s->nfacts++;
	f->kind = kind[mf->kind];
	snprintf(f->page, sizeof(f->page), "%s", mf->page);
	snprintf(f->by, sizeof(f->by), "%s", mf->by);
	snprintf(f->of, sizeof(f->of), "%s", mf->of);
	snprintf(f->text, sizeof(f->text), "%s", mf->text);
}

struct report_state *cli_capture_end_state(void)
{
	struct report_state *s = calloc(1, sizeof(*s));
	size_t n = 0;
	FILE *m;

	if (!s)
		return NULL;
	m = open_memstream(&s->text, &n);
	if (!m) {
		free(s);
		return NULL;
	}
	mdl_dump_state(m);
	fclose(m);
	mdl_state_facts(add_fact, s);
	if (s->nfacts < 0 || !s->text) {
		s->nfacts = 0;
		cli_state_free(s);
		return NULL;
	}
	return s;
}

struct report_state *cli_state_dup(const struct report_state *from)
{
	struct report_state *s;

	if (!from)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->text = strdup(from->text);
	s->facts = malloc(sizeof(*s->facts) * (size_t)(from->nfacts + 1));
	if (!s->text || !s->facts) {
		cli_state_free(s);
		return NULL;
	}
	memcpy(s->facts, from->facts, sizeof(*s->facts) * (size_t)from->nfacts);
	s->nfacts = from->nfacts;
	return s;
}

void cli_state_free(struct report_state *s)
{
	if (!s)
		return;
	free(s->text);
	free(s->facts);
	free(s);
}

char *cli_capture_chains(void)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);

	if (!m)
		return NULL;
	mdl_dump_chains(m);
	fclose(m);
	return buf;
}

/* A deep copy of trace @t (steps and schedule); Return: false without memory. */
static bool copy_trace(struct trace *to, const struct trace *t)
{
	*to = *t;
	to->steps = malloc(sizeof(*t->steps) * (size_t)(t->nsteps + 1));
	to->schedule = malloc(sizeof(int) * (size_t)(t->schedule_len + 1));
	if (!to->steps || !to->schedule) {
		free(to->steps);
		free(to->schedule);
		to->steps = NULL;
		to->schedule = NULL;
		return false;
	}
	memcpy(to->steps, t->steps, sizeof(*t->steps) * (size_t)t->nsteps);
	memcpy(to->schedule, t->schedule, sizeof(int) * (size_t)t->schedule_len);
	return true;
}

int cli_findings(const struct options *o, const struct program *prog,
		 const struct explore_opts *eo, const struct explore_policy *pol,
		 struct explore_result *res, bool table, struct cli_found *cf,
		 enum report_simplest *simplest)
{
	memset(cf, 0, sizeof(*cf));
	if (!res->all_findings || !res->nfindings)
		return 0;
	if (!table && o->simplest) {
		enum explore_simplest how;
		explore_simplest_all(prog, eo, pol, res, &how);
		*simplest = how == EXPLORE_SIMPLEST_FEWEST || how == EXPLORE_SIMPLEST_EXACT ?
			    REPORT_SIMPLEST_FEWEST :
			    how == EXPLORE_SIMPLEST_BOUNDED ? REPORT_SIMPLEST_BOUNDED :
			    REPORT_SIMPLEST_NONE;
	}
	explore_findings_sort(res);

	cf->res = calloc((size_t)res->nfindings, sizeof(*cf->res));
	cf->end_state = calloc((size_t)res->nfindings, sizeof(*cf->end_state));
	cf->chains = calloc((size_t)res->nfindings, sizeof(*cf->chains));
	if (!cf->res || !cf->end_state || !cf->chains) {
		fprintf(stderr, "pvcheck: out of memory for %d findings\n", res->nfindings);
		cli_findings_free(cf);
		return EXIT_USAGE;
	}
	for (int k = 0; k < res->nfindings; k++) {
		const struct explore_found *f = &res->findings[k];
		struct explore_opts r = *eo;
		struct explore_result *fr = &cf->res[k];

		r.mode = EXPLORE_REPLAY;
		r.replay = f->schedule;
		r.replay_len = (size_t)f->schedule_len;
		r.random_runs = 0;
		r.all_findings = false;
		r.finding_races = false;
		r.jobs = 0;
		r.progress = NULL;
		if (explore(prog, &r, fr)) {
			fprintf(stderr, "pvcheck: the explorer could not start: %s\n",
				fr->error[0] ? fr->error : "out of memory");
			cli_findings_free(cf);
			return EXIT_INTERNAL;
		}
		cf->n = k + 1;
		if (fr->diverged || !fr->found || !explore_same_finding(&fr->finding, &f->finding)) {
			fprintf(stderr, "pvcheck: internal error: the schedule of finding %s at %s:%d "
				"does not reproduce it\n", f->finding.id,
				f->finding.site.file ? f->finding.site.file : "-", f->finding.site.line);
			cli_findings_free(cf);
			return EXIT_INTERNAL;
		}
		cf->end_state[k] = cli_capture_end_state();
		cf->chains[k] = cli_capture_chains();
	}

	/* the first finding of the order is the result's */
	struct trace t;
	if (!copy_trace(&t, &cf->res[0].trace)) {
		fprintf(stderr, "pvcheck: out of memory for a trace\n");
		cli_findings_free(cf);
		return EXIT_USAGE;
	}
	free(res->trace.steps);
	free(res->trace.schedule);
	res->trace = t;
	res->finding = cf->res[0].finding;
	res->preemptions = cf->res[0].preemptions;
	res->verdict = cf->res[0].verdict;
	res->found = true;
	return 0;
}

int cli_findings_first(const struct cli_found *cf, const struct explore_result *res,
		       struct report_state **end_state, char **chains, uint64_t *exec, uint64_t *walk)
{
	cli_state_free(*end_state);
	free(*chains);
	*end_state = NULL;
	*chains = NULL;
	if ((cf->end_state[0] && !(*end_state = cli_state_dup(cf->end_state[0]))) ||
	    (cf->chains[0] && !(*chains = strdup(cf->chains[0])))) {
		fprintf(stderr, "pvcheck: out of memory for the end state\n");
		return -1;
	}
	*exec = res->findings[0].execution;
	*walk = res->findings[0].walk;
	return 0;
}

void cli_findings_free(struct cli_found *cf)
{
	for (int k = 0; k < cf->n; k++) {
		explore_result_free(&cf->res[k]);
		cli_state_free(cf->end_state[k]);
		if (cf->chains)
			free(cf->chains[k]);
	}
	free(cf->res);
	free(cf->end_state);
	free(cf->chains);
	memset(cf, 0, sizeof(*cf));
}

void cli_findings_text(FILE *out, const struct report_info *ri, const struct explore_result *res,
		       const struct cli_found *cf)
{
	report_findings_text(out, ri, res);
	for (int k = 0; k < cf->n; k++) {
		const struct explore_found *f = &res->findings[k];
		struct report_info fri = *ri;
		struct explore_result one = *res;

		/* the statistics of the whole search, the finding and trace of this one */
		one.found = true;
		one.finding = cf->res[k].finding;
		one.trace = cf->res[k].trace;
		one.preemptions = cf->res[k].preemptions;
		one.verdict = cf->res[k].verdict;
		one.all_findings = false;
		one.nfindings = 0;
		one.findings = NULL;
		fri.end_state = cf->end_state[k];
		fri.chains = cf->chains[k];
		fri.found_exec = f->execution;
		fri.found_walk = f->walk;
		fri.expected = NULL;	/* the expectation is about the set, above */
		fri.noutcomes = 0;
		fri.nvacuous = 0;
		fri.trace_path = k == 0 ? ri->trace_path : NULL;
		fprintf(out, "finding %d of %d:\n", k + 1, cf->n);
		report_text(out, &fri, &one);
	}
}
