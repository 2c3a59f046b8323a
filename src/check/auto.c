// SPDX-License-Identifier: MIT
/*
 * auto.c - the search policy over explore(): when the default search of a
 * scenario goes stateful (explore_auto), and the search for the same
 * finding with fewer preemptions (explore_simplest).  Each exploration runs
 * through the caller's hook (the CLI's progress line and error handling).
 */
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"

/* @to counts the executions, steps and time of @from too. */
static void add_counts(struct explore_result *to, const struct explore_result *from)
{
	to->executions += from->executions;
	to->random_executions += from->random_executions;
	to->blocked += from->blocked;
	to->steps += from->steps;
	to->seconds += from->seconds;
}

static bool interrupted(const struct explore_opts *eo)
{
	return eo->interrupt && *eo->interrupt;
}

/*
 * explore_auto - the default search of a scenario: stateless DPOR while
 * it stays small, then the stateful search.
 *
 * Stateless optimal DPOR runs one execution per Mazurkiewicz trace: the
 * cheapest search when there are few, and its counts are the ones the
 * scenario tests compare.  When a scenario's traces number in the
 * hundreds of thousands (host-read+import: 1.4 million, mostly the same
 * states reached in other orders), the stateful search with
 * partial-order reduction is bounded by states instead and answers in a
 * fraction of the time.  So: EXPLORE_AUTO_STATEFUL_AFTER stateless
 * executions, and if that did not settle the question, the stateful search
 * from the start (the verdicts are the same; tests/stateful checks it on
 * the catalog).  The switch is off when the caller chose the mode
 * (@p->may_switch false: --stateful, --stateless, a replay, random walks)
 * or set a bound that counts executions, steps of depth or preemptions;
 * the result's switched_after says when it happened.  A no-progress
 * finding of the stateless phase switches too: the stateful search judges
 * loops for weak fairness.  An exploration
 * order of its own (--random-order) applies to both searches (the
 * stateful one tries threads in a permutation drawn from the seed).
 *
 * With -j N the stateless phase runs on N workers, and its bound is applied
 * deterministically (frontier.c), so whether it settles does not depend on
 * timing; the stateful search runs on one.  Which executions a cut
 * parallel phase had run does depend on timing, so after a switch only its
 * random phase and time are added, and switched_after is the bound.
 */
int explore_auto(const struct program *prog, const struct explore_opts *eo,
		 const struct explore_policy *p, struct explore_result *res)
{
	bool autosw = p->may_switch && eo->mode == EXPLORE_DPOR && prog->state_regions &&
		      eo->max_executions == 0 && eo->preemption_bound < 0 && eo->depth_bound == 0;
	if (!autosw)
		return p->run(p->arg, prog, eo, res);
	struct explore_opts e1 = *eo;
	e1.max_executions = EXPLORE_AUTO_STATEFUL_AFTER;
	int rc = p->run(p->arg, prog, &e1, res);
	/*
	 * A stateless no-progress finding is an execution that reached the
	 * step bound, which a scheduler that starves an enabled thread also
	 * reaches; the stateful search decides whether a weakly fair loop
	 * exists (stateful_fair.c), so it settles the question instead.
	 */
	bool loop = !rc && res->found && res->finding.verdict == VERDICT_NO_PROGRESS &&
		    !eo->all_findings && !eo->keep_going;
	if (!loop && (rc || (res->found && !eo->all_findings) || res->complete || !res->cut_by ||
		      strcmp(res->cut_by, "max-executions") != 0))
		return rc;
	struct explore_opts e2 = *eo;
	struct explore_result r2;
	e2.mode = EXPLORE_STATEFUL;
	e2.random_runs = 0;
	if (eo->timeout > 0) {
		e2.timeout = eo->timeout - res->seconds;
		if (e2.timeout < 0.001)
			e2.timeout = 0.001;
	}
	rc = p->run(p->arg, prog, &e2, &r2);
	if (rc) {
		explore_result_free(&r2);
		return rc;
	}
	/* all_findings: what the stateless phase met joins what the stateful one did */
	for (int k = 0; k < res->nfindings; k++)
		explore_found_merge(&r2, &res->findings[k]);
	if (res->workers > 1) {
		r2.switched_after = EXPLORE_AUTO_STATEFUL_AFTER;
		r2.workers = res->workers;
		r2.random_executions += res->random_executions;
		r2.seconds += res->seconds;
	} else {
		r2.switched_after = res->executions;
		add_counts(&r2, res);	/* r2 has no random phase of its own */
	}
	explore_result_free(res);
	*res = r2;
	return 0;
}

/*
 * explore_simplest - look for the same finding with fewer preemptions:
 * explore again with the preemption bound 0, 1, ... below the one found,
 * and keep the first hit.  Other findings met on the way end their
 * executions and the search goes on (explore_opts.want_finding).  The
 * statistics add up; @p->at_finding runs when the trace was replaced.
 */
int explore_simplest(const struct program *prog, const struct explore_opts *eo,
		     const struct explore_policy *p, struct explore_result *res,
		     enum explore_simplest *how)
{
	*how = EXPLORE_SIMPLEST_NONE;
	if (!res->found || eo->mode != EXPLORE_DPOR)
		return 0;
	enum explore_simplest got = EXPLORE_SIMPLEST_FEWEST;
	for (int b = 0; b < res->preemptions && !interrupted(eo); b++) {
		struct explore_opts e2 = *eo;
		struct explore_result r2;

		if (eo->preemption_bound >= 0 && b > eo->preemption_bound)
			break;
		e2.preemption_bound = b;
		e2.random_runs = 0;
		e2.want_finding = res->finding.id;
		e2.all_findings = false;
		if (p->run(p->arg, prog, &e2, &r2))
			return 0;	/* as before: the first trace stands */
		if (r2.found && r2.preemptions < res->preemptions) {
			/*
			 * The search that settled the verdict keeps its statistics
			 * (completeness, stateful counts); it takes the simpler trace.
			 */
			add_counts(res, &r2);
			explore_result_free(res);
			res->finding = r2.finding;
			res->preemptions = r2.preemptions;
			res->trace = r2.trace;
			if (p->at_finding)
				p->at_finding(p->arg);
			*how = got;
			return 0;
		}
		/* a bounded search is "incomplete" by the bound itself; other cuts count */
		if (!r2.complete && (!r2.cut_by || strcmp(r2.cut_by, "preemption-bound")))
			got = EXPLORE_SIMPLEST_BOUNDED;
		res->executions += r2.executions;
		res->steps += r2.steps;
		res->seconds += r2.seconds;
		explore_result_free(&r2);
	}
	*how = interrupted(eo) ? EXPLORE_SIMPLEST_NONE : got;
	return 0;
}

void explore_found_merge(struct explore_result *to, const struct explore_found *f)
{
	struct explore_found *g = NULL;

	for (int k = 0; k < to->nfindings; k++)
		if (explore_same_finding(&to->findings[k].finding, &f->finding))
			g = &to->findings[k];
	if (g && g->preemptions <= f->preemptions)
		return;
	if (!g) {
		struct explore_found *n = realloc(to->findings,
						  sizeof(*n) * (size_t)(to->nfindings + 1));
		if (!n)
			return;		/* the list stays as it was */
		to->findings = n;
		g = &n[to->nfindings++];
		*g = *f;
		g->schedule = NULL;
	}
	int *s = malloc(sizeof(int) * (size_t)(f->schedule_len + 1));
	if (!s)
		return;
	memcpy(s, f->schedule, sizeof(int) * (size_t)f->schedule_len);
	free(g->schedule);
	uint64_t exec = g->execution, walk = g->walk;
	*g = *f;
	g->execution = exec;
	g->walk = walk;
	g->schedule = s;
	to->all_findings = true;
}

bool explore_same_finding(const struct finding *a, const struct finding *b)
{
	if (strcmp(a->id, b->id) != 0 || a->site.line != b->site.line)
		return false;
	if (a->verdict == VERDICT_NO_PROGRESS && b->verdict == VERDICT_NO_PROGRESS)
		return strcmp(explore_no_progress_class(a->site.what),
			      explore_no_progress_class(b->site.what)) == 0;
	if (!a->site.file || !b->site.file)
		return a->site.file == b->site.file;
	return strcmp(a->site.file, b->site.file) == 0;
}

const char *explore_no_progress_class(const char *what)
{
	const char *slash = what ? strchr(what, '/') : NULL;

	return slash ? slash + 1 : "unconditional";
}

/* The order of a result's findings: by id, then file, then line. */
static int found_cmp(const void *pa, const void *pb)
{
	const struct finding *a = &((const struct explore_found *)pa)->finding;
	const struct finding *b = &((const struct explore_found *)pb)->finding;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	c = strcmp(a->site.file ? a->site.file : "", b->site.file ? b->site.file : "");
	if (c)
		return c;
	c = (a->site.line > b->site.line) - (a->site.line < b->site.line);
	if (c || a->verdict != VERDICT_NO_PROGRESS || b->verdict != VERDICT_NO_PROGRESS)
		return c;
	return strcmp(explore_no_progress_class(a->site.what),
		      explore_no_progress_class(b->site.what));
}

void explore_findings_sort(struct explore_result *res)
{
	if (res->nfindings > 1)
		qsort(res->findings, (size_t)res->nfindings, sizeof(*res->findings), found_cmp);
}

/*
 * explore_simplest_all - explore_simplest for every finding of an
 * all_findings search at once.  A search under preemption bound b with
 * all_findings explores the same executions as one that wants a single
 * finding (only where it stops differs), so one search per bound serves
 * every finding: bounds 0, 1, ... up to the most any finding's schedule
 * needs, each finding taking the first bound that shows it.
 *
 * Exact when the program has a state: DPOR under a preemption bound is
 * incomplete (Coons, Musuvathi, McKinley, OOPSLA 2013: a reversal the bound
 * cuts is not replaced by one within it), and so are sleep sets (an order
 * put to sleep may be the one with fewer preemptions).  The stateful search
 * with neither, with the last thread and the preemption count in the
 * state (sf_pre_key), visits every state reachable within b preemptions,
 * so a finding it does not meet under a bound b has no execution with b
 * or fewer, and the first bound that meets it is its fewest.
 */
int explore_simplest_all(const struct program *prog, const struct explore_opts *eo,
			 const struct explore_policy *p, struct explore_result *res,
			 enum explore_simplest *how)
{
	int most = 0;

	*how = EXPLORE_SIMPLEST_NONE;
	if (!res->nfindings || eo->mode != EXPLORE_DPOR)
		return 0;
	for (int k = 0; k < res->nfindings; k++)
		if (res->findings[k].preemptions > most)
			most = res->findings[k].preemptions;
	bool exact = prog->state_regions != NULL;
	enum explore_simplest got = exact ? EXPLORE_SIMPLEST_EXACT : EXPLORE_SIMPLEST_FEWEST;
	for (int b = 0; b < most && !interrupted(eo); b++) {
		struct explore_opts e2 = *eo;
		struct explore_result r2;
		bool wanted = false;

		if (eo->preemption_bound >= 0 && b > eo->preemption_bound)
			break;
		for (int k = 0; k < res->nfindings; k++)
			wanted |= res->findings[k].preemptions > b;
		if (!wanted)
			break;
		e2.preemption_bound = b;
		e2.random_runs = 0;
		e2.all_findings = true;
		e2.finding_races = true;
		e2.want_finding = NULL;
		if (exact) {
			e2.mode = EXPLORE_STATEFUL;
			e2.no_por = true;
			e2.no_sleep = true;
			e2.symmetry = false;
			e2.finding_races = false;
			e2.jobs = 0;
		}
		if (p->run(p->arg, prog, &e2, &r2))
			return 0;	/* as before: the schedules found stand */
		if (exact && r2.states == 0 && r2.executions > 0)
			got = EXPLORE_SIMPLEST_FEWEST;	/* explored statelessly after all */
		for (int k = 0; k < r2.nfindings; k++)
			for (int j = 0; j < res->nfindings; j++)
				if (explore_same_finding(&res->findings[j].finding,
							 &r2.findings[k].finding) &&
				    r2.findings[k].preemptions < res->findings[j].preemptions) {
					struct explore_found f = r2.findings[k];
					f.execution = res->findings[j].execution;
					f.walk = res->findings[j].walk;
					explore_found_merge(res, &f);
				}
		if (!r2.complete && (!r2.cut_by || strcmp(r2.cut_by, "preemption-bound")))
			got = EXPLORE_SIMPLEST_BOUNDED;
		res->executions += r2.executions;
		res->steps += r2.steps;
		res->seconds += r2.seconds;
		explore_result_free(&r2);
	}
	*how = interrupted(eo) ? EXPLORE_SIMPLEST_NONE : got;
	return 0;
}
