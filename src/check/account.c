// SPDX-License-Identifier: MIT
/*
 * account.c - how an execution ended and what the result keeps of it: the
 * checker's own limits (sched_set_limit), the no-progress and deadlock
 * findings, the findings taken into the result with the schedule that
 * replays them, the count of ended executions (sched_account) and the
 * search's budget (sched_out_of_budget).  Split from sched.c, the executor
 * that ends executions; every strategy's driver accounts through here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/sched.h"
#include "lib/bug.h"

/* ==== Limits of the checker ========================================== */

/*
 * sched_set_limit - a fixed size of the checker (not a property of the program)
 * was reached: note it as @name with a message, and end the current
 * execution (END_LIMIT) if nothing has ended it yet.  The driver then
 * stops the search (sched_account()): incomplete, cut by @name.  Nothing else
 * recorded in this execution counts, not even a finding met while the
 * step runs to its end (set_finding).
 */
void sched_set_limit(const char *name, const char *fmt, ...)
{
	va_list ap;

	if (!E.limit) {
		E.limit = name;
		va_start(ap, fmt);
		vsnprintf(E.limit_msg, sizeof(E.limit_msg), fmt, ap);
		va_end(ap);
	}
	if (E.end == END_NONE)
		E.end = END_LIMIT;	/* a finding met before the limit stands */
}

/* End the execution with a no-progress finding: it ran past @bound steps. */
void sched_no_progress(int bound, tset_t looping)
{
	const char *cls = NULL;

	if (E.end == END_LIMIT)
		return;
	if (E.prog->no_progress_class) {
		tset_t live = 0;

		for (int t = 0; t < E.nthreads && t < MAXT; t++)
			if (E.threads[t].state == T_LIVE)
				live |= TSET_BIT(t);
		cls = E.prog->no_progress_class(E.prog->ctx, looping & live ? looping & live : live);
	}
	E.end = END_FINDING;
	E.finding.verdict = VERDICT_NO_PROGRESS;
	snprintf(E.finding.id, sizeof(E.finding.id), "no-progress");
	snprintf(E.finding.message, sizeof(E.finding.message),
		 "execution exceeded the step bound of %d steps; fairness class: %s", bound,
		 explore_no_progress_class(cls));
	E.finding.tid = -1;
	E.finding.site = (struct vis_site){ .what = cls ? cls : "no-progress" };
}

/*
 * sched_steps_exceeded - an execution reached @bound steps: a no-progress finding
 * when @bound is the step bound asked for (opts.step_bound, default
 * EXPLORE_MAX_STEPS); a limit when a larger bound was asked for, which the
 * fixed event arrays cannot hold.
 */
void sched_steps_exceeded(int bound)
{
	if (E.opts->step_bound > MAXEV)
		sched_set_limit("step-limit", "an execution is longer than %d steps (EXPLORE_MAX_STEPS, "
			  "pvcheck's limit), below the step bound of %d asked for", MAXEV,
			  E.opts->step_bound);
	else
		sched_no_progress(bound, TSET_ALL);
}

bool sched_deadlock(tset_t live)
{
	/*
	 * A thread blocked in a no-op loop iteration whose values have since
	 * changed: the execution where it read later is another one, reached
	 * by reversing its read's race with that write; this one is redundant.
	 */
	for (int t = 0; t < E.nthreads; t++) {
		if ((live & TSET_BIT(t)) && sched_spin_blocked(t) &&
		    E.threads[t].pend.stale(E.threads[t].pend.sarg)) {
			E.end = END_SPIN;
			return false;
		}
	}
	E.end = END_DEADLOCK;
	E.finding.verdict = VERDICT_DEADLOCK;
	snprintf(E.finding.id, sizeof(E.finding.id), "deadlock");
	char *m = E.finding.message;
	size_t cap = sizeof(E.finding.message), len = 0;
	len += (size_t)snprintf(m, cap, "every live thread is blocked:");
	for (int t = 0; t < E.nthreads && len < cap; t++) {
		if (!(live & TSET_BIT(t)))
			continue;
		struct pending *p = &E.threads[t].pend;
		char lbl[48];
		len += (size_t)snprintf(m + len, cap - len, " %s waits in %s (%s:%d);",
					vis_thread_label(t, lbl, sizeof(lbl)),
					p->site.what ? p->site.what : "?",
					p->site.file ? p->site.file : "?", p->site.line);
	}
	E.finding.tid = -1;
	E.finding.site = (struct vis_site){ .what = "deadlock" };
	return true;
}

/* The schedule that replays the current execution; Return: its length (*@out malloc'ed). */
static int current_schedule(int **out)
{
	int n = E.nev, len = 0;
	int *s = malloc(sizeof(int) * (size_t)(n + 1));
	if (!s)
		PVM_BUG();
	for (int i = 0; i < n; i++) {
		const struct event *ev = &E.ev[i];
		s[len++] = ev->op.kind == VIS_KIND_CHOOSE ? -1 - ev->op.value : ev->op.tid;
	}
	*out = s;
	return len;
}

/*
 * note_finding - under all_findings, the finding that ended this
 * execution joins the result's list unless one with its id and site is
 * there; a known one takes this schedule when it needs fewer preemptions
 * (the first met wins a tie, so the list is the same on every run).
 */
static void note_finding(void)
{
	struct explore_result *r = E.res;
	int pre = E.nev ? E.ev[E.nev - 1].preempt : 0;
	struct explore_found *f = NULL;

	for (int k = 0; k < r->nfindings; k++)
		if (explore_same_finding(&r->findings[k].finding, &E.finding))
			f = &r->findings[k];
	if (f && f->preemptions <= pre)
		return;
	if (!f) {
		struct explore_found *n = realloc(r->findings, sizeof(*n) * (size_t)(r->nfindings + 1));
		if (!n)
			PVM_BUG();
		r->findings = n;
		f = &n[r->nfindings++];
		memset(f, 0, sizeof(*f));
		f->execution = r->executions;
		f->walk = r->random_executions;
	}
	free(f->schedule);
	f->finding = E.finding;
	f->preemptions = pre;
	f->schedule_len = current_schedule(&f->schedule);
}

void sched_take_finding(void)
{
	struct explore_result *r = E.res;
	if (E.opts->all_findings) {
		r->all_findings = true;
		note_finding();
	}
	if (r->found)
		return;
	if (E.opts->want_finding && strcmp(E.finding.id, E.opts->want_finding) != 0)
		return;
	r->found = true;
	r->finding = E.finding;
	r->verdict = E.finding.verdict;
	int n = E.nev;
	r->trace.schedule_len = current_schedule(&r->trace.schedule);
	r->preemptions = n ? E.ev[n - 1].preempt : 0;
}

/*
 * sched_take_limit - a limit was reached (sched_set_limit): the result is incomplete,
 * cut by the limit, whatever else cut it.  Return: true if one was.
 */
bool sched_take_limit(void)
{
	struct explore_result *r = E.res;
	if (!E.limit)
		return false;
	r->complete = false;
	r->cut_by = E.limit;
	snprintf(r->limit, sizeof(r->limit), "%s", E.limit_msg);
	return true;
}

/**
 * take_example - opts.example: is the execution that just ended with every
 * thread exited the one asked for?  It is when example_pick (none: every
 * execution) accepts it and it is the example-th so accepted; its schedule
 * is kept (finish() replays it with notes) and the search stops there.
 * Context: between executions, the world at the execution's end.
 * Return: true to stop the search.
 */
static bool take_example(void)
{
	const struct explore_opts *o = E.opts;
	struct explore_result *r = E.res;

	if (!o->example || r->example_found)
		return false;
	if (o->example_pick && !o->example_pick(o->example_arg))
		return false;
	if (++E.example_seen < o->example)
		return false;
	r->example_found = true;
	r->example_exec = r->executions;
	r->example.schedule_len = current_schedule(&r->example.schedule);
	r->complete = false;	/* stopped here: the rest was not explored */
	r->cut_by = "example";
	return true;
}

/* Count an ended execution; Return: true to stop exploring. */
bool sched_account(void)
{
	struct explore_result *r = E.res;
	switch (E.end) {
	case END_DONE:
		r->executions++;
		if (take_example())
			return true;
		break;
	case END_FINDING:
		r->executions++;
		sched_take_finding();
		break;
	case END_DEADLOCK:
		r->executions++;
		r->blocked++;
		sched_take_finding();
		break;
	case END_SPIN:
		r->spin_blocked++;
		break;
	case END_SLEEP:
		r->sleep_blocked++;
		break;
	case END_INFEASIBLE:
		break;
	case END_CUT:
		r->complete = false;
		if (!r->cut_by)
			r->cut_by = E.cut_reason ? E.cut_reason : "bound";
		break;
	case END_DIVERGED:
		r->diverged = true;
		return true;
	case END_LIMIT:
		break;		/* not an execution of the program: it was cut short */
	case END_NONE:
	case END_PREFIX:
		PVM_BUG();
	}
	if (sched_take_limit())
		return true;
	if (E.cut_reason && E.end != END_CUT && !r->cut_by) {
		r->complete = false;
		r->cut_by = E.cut_reason;
	}
	if (r->found && !E.opts->keep_going && !E.opts->all_findings)
		return true;
	return false;
}

bool sched_out_of_budget(uint64_t done)
{
	const struct explore_opts *o = E.opts;
	struct explore_result *r = E.res;
	if (E.par_count)	/* the parent applies the bound to these (frontier.c) */
		*E.par_count = r->executions;
	if (o->max_executions && done >= o->max_executions) {
		r->complete = false;
		r->cut_by = "max-executions";
		return true;
	}
	if (o->interrupt && *o->interrupt) {
		r->complete = false;
		r->cut_by = "interrupted";
		return true;
	}
	if ((done & 63) == 0) {
		double s = sched_seconds();
		if (o->timeout > 0 && s >= o->timeout) {
			r->complete = false;
			r->cut_by = "timeout";
			return true;
		}
		static double last;
		if (o->progress && s - last >= 0.5) {
			last = s;
			o->progress(o->progress_arg, done, s);
		}
	}
	return false;
}
