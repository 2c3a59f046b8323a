// SPDX-License-Identifier: MIT
/*
 * json.c - the JSON report of an exploration (--json: one object per
 * scenario or program, one line) and the JSON form of a trace and of its
 * finding, which trace files (tracefile.c) share.  Deterministic but for
 * "seconds", as the text report (report.c).
 */
#include <string.h>
#include <jansson.h>
#include "report/report_int.h"

json_t *report_trace_json(const struct explore_result *res)
{
	const struct trace *tr = &res->trace;
	json_t *o = json_object(), *th = json_array(), *sch = json_array(), *st = json_array();
	char name[REPORT_THREAD_LEN];

	for (int t = 0; t < tr->nthreads && t < EXPLORE_MAX_THREADS; t++)
		json_array_append_new(th, json_string(report_thread_name(res, t, name, sizeof(name))));
	for (int i = 0; i < tr->schedule_len; i++)
		json_array_append_new(sch, json_integer(tr->schedule[i]));
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		json_t *j = json_object();
		json_object_set_new(j, "step", json_integer(i + 1));
		json_object_set_new(j, "tid", json_integer(s->tid));
		json_object_set_new(j, "thread", json_string(report_thread_name(res, s->tid, name, sizeof(name))));
		json_object_set_new(j, "kind", json_string(vis_kind_name(s->kind)));
		json_object_set_new(j, "what", json_string(report_step_what(s)));
		json_object_set_new(j, "file", s->site.file ? json_string(s->site.file) : json_null());
		json_object_set_new(j, "line", json_integer(s->site.line));
		json_object_set_new(j, "kernel", report_kernel_loc(&s->site) ?
				    json_string(report_kernel_loc(&s->site)) : json_null());
		json_object_set_new(j, "ghost", json_boolean(report_step_ghost(s)));
		json_object_set_new(j, "preempt", json_boolean(i > 0 && s->preempt >
							       tr->steps[i - 1].preempt));
		json_object_set_new(j, "note", s->note[0] ? json_string(s->note) : json_null());
		json_object_set_new(j, "value", json_integer(s->value));
		json_array_append_new(st, j);
	}
	json_object_set_new(o, "threads", th);
	json_object_set_new(o, "schedule", sch);
	json_object_set_new(o, "steps", st);
	return o;
}

json_t *report_finding_json(const struct explore_result *res)
{
	char name[REPORT_THREAD_LEN], where[256];
	json_t *v;

	if (!res->found)
		return json_null();
	v = json_object();
	json_object_set_new(v, "kind", json_string(report_verdict_name(res->finding.verdict)));
	json_object_set_new(v, "id", json_string(res->finding.id));
	json_object_set_new(v, "message", json_string(res->finding.message));
	if (res->finding.verdict == VERDICT_NO_PROGRESS)
		json_object_set_new(v, "class", json_string(
			explore_no_progress_class(res->finding.site.what)));
	json_object_set_new(v, "thread", json_string(report_thread_name(res, res->finding.tid, name, sizeof(name))));
	if (res->finding.site.file)
		snprintf(where, sizeof(where), "%s:%d", res->finding.site.file, res->finding.site.line);
	else
		snprintf(where, sizeof(where), "-");
	json_object_set_new(v, "location", json_string(where));
	json_object_set_new(v, "kernel", report_kernel_loc(&res->finding.site) ?
			    json_string(report_kernel_loc(&res->finding.site)) : json_null());
	json_object_set_new(v, "function", res->finding.site.what ?
			    json_string(res->finding.site.what) : json_null());
	json_object_set_new(v, "preemptions", json_integer(res->preemptions));
	if (res->finding.pair_step > 0) {
		/* a data race's earlier access: its step (1-based), thread and site */
		const struct vis_site *ps = &res->finding.pair_site;
		json_t *pr = json_object();
		json_object_set_new(pr, "step", json_integer(res->finding.pair_step));
		json_object_set_new(pr, "thread", json_string(report_thread_name(
			res, res->finding.pair_tid, name, sizeof(name))));
		if (ps->file)
			snprintf(where, sizeof(where), "%s:%d", ps->file, ps->line);
		else
			snprintf(where, sizeof(where), "-");
		json_object_set_new(pr, "location", json_string(where));
		json_object_set_new(pr, "function", ps->what ? json_string(ps->what) : json_null());
		json_object_set_new(v, "pair", pr);
	}
	return v;
}

/*
 * The "example" object of --example: the selection, which execution of
 * how many (null when unknown or none), the heading, each operation's
 * outcome in it, its trace as a counterexample's ("threads", "schedule",
 * "steps"; steps null when there is none), its end state, and the notice
 * saying why there is none.
 */
static json_t *example_json(const struct report_info *ri)
{
	json_t *o = json_object(), *oa = json_array();
	struct explore_result v;

	json_object_set_new(o, "select", json_string(ri->example_sel));
	json_object_set_new(o, "execution", ri->example ? json_integer((json_int_t)ri->example_exec) :
			    json_null());
	json_object_set_new(o, "of", ri->example && ri->example_of ?
			    json_integer((json_int_t)ri->example_of) : json_null());
	json_object_set_new(o, "heading", ri->example && ri->example_head ?
			    json_string(ri->example_head) : json_null());
	for (int i = 0; ri->example && i < ri->nexample_outcomes; i++)
		json_array_append_new(oa, json_string(ri->example_outcomes[i]));
	json_object_set_new(o, "outcomes", oa);
	if (ri->example) {	/* "threads", "schedule", "steps" as a counterexample's */
		json_t *t;
		report_example_view(ri->example, &v);
		t = report_trace_json(&v);
		json_object_update(o, t);
		json_decref(t);
	} else {
		json_object_set_new(o, "steps", json_null());
	}
	json_object_set_new(o, "end_state", ri->example && report_state_text(ri->example_end_state) ?
			    json_string(ri->example_end_state->text) : json_null());
	json_object_set_new(o, "notice", ri->example_notice ? json_string(ri->example_notice) :
			    json_null());
	return o;
}

void report_json(FILE *out, const struct report_info *ri, const struct explore_result *res)
{
	json_t *o = json_object(), *knobs = json_object();
	char *s;

	json_object_set_new(o, "name", json_string(ri->name ? ri->name : "?"));
	json_object_set_new(o, "file", ri->file ? json_string(ri->file) : json_null());
	json_object_set_new(o, "verdict", json_string(report_verdict_name(res->verdict)));
	json_object_set_new(o, "expected", ri->expected ? json_string(ri->expected) : json_null());
	json_object_set_new(o, "as_expected", ri->as_expected < 0 ? json_null() :
			    json_boolean(ri->as_expected));
	json_object_set_new(o, "complete", json_boolean(res->complete));
	json_object_set_new(o, "cut_by", !res->complete && res->cut_by ? json_string(res->cut_by) :
			    json_null());
	json_object_set_new(o, "limit", !res->complete && res->limit[0] ? json_string(res->limit) :
			    json_null());
	json_object_set_new(o, "executions", json_integer((json_int_t)res->executions));
	json_object_set_new(o, "random_executions", json_integer((json_int_t)res->random_executions));
	json_object_set_new(o, "blocked", json_integer((json_int_t)res->blocked));
	if (res->spin_blocked)
		json_object_set_new(o, "spin_blocked", json_integer((json_int_t)res->spin_blocked));
	json_object_set_new(o, "steps", json_integer((json_int_t)res->steps));
	json_object_set_new(o, "seconds", json_real(res->seconds));
	if (res->switched_after)
		json_object_set_new(o, "switched_after",
				    json_integer((json_int_t)res->switched_after));
	if (res->workers > 0) {
		json_object_set_new(o, "workers", json_integer(res->workers));
		json_object_set_new(o, "subtrees", json_integer(res->subtrees));
	}
	if (res->stateful) {
		json_object_set_new(o, "states", json_integer((json_int_t)res->states));
		json_object_set_new(o, "transitions", json_integer((json_int_t)res->transitions));
		json_object_set_new(o, "revisits", json_integer((json_int_t)res->revisits));
		json_object_set_new(o, "state_bytes", json_integer((json_int_t)res->state_bytes));
		json_object_set_new(o, "por_bytes", json_integer((json_int_t)res->por_bytes));
		if (res->fair_states) {
			json_t *fa = json_object();
			json_object_set_new(fa, "states", json_integer((json_int_t)res->fair_states));
			json_object_set_new(fa, "fair_cycle", json_boolean(res->fair_cycle));
			json_object_set_new(o, "fairness", fa);
		}
		json_object_set_new(o, "hash_miss_bound", json_real(report_hash_miss_bound(res->states)));
	}
	json_object_set_new(o, "mode", json_string(ri->mode ? ri->mode : "dpor"));
	for (int k = 0; k < ri->nknobs; k++)
		json_object_set_new(knobs, ri->knob_names[k], json_string(ri->knob_values[k]));
	json_object_set_new(o, "knobs", knobs);
	json_object_set_new(o, "violation", report_finding_json(res));
	json_object_set_new(o, "trace", ri->trace_path ? json_string(ri->trace_path) : json_null());
	json_object_set_new(o, "counterexample", res->found ? report_trace_json(res) : json_null());
	json_object_set_new(o, "end_state", res->found && report_state_text(ri->end_state) ?
			    json_string(ri->end_state->text) :
			    json_null());
	json_object_set_new(o, "chains", res->found ? report_chains_json(ri->chains, res) : json_null());
	if (res->all_findings) {
		/* --all: every distinct finding, each with its own trace */
		json_t *fa = json_array();
		for (int k = 0; k < ri->nfound; k++) {
			const struct explore_result *fr = &ri->found[k];
			json_t *f = report_finding_json(fr);
			if (!json_is_object(f)) {
				json_decref(f);
				continue;
			}
			json_object_set_new(f, "counterexample", report_trace_json(fr));
			json_object_set_new(f, "end_state", ri->found_end_states &&
					    report_state_text(ri->found_end_states[k]) ?
					    json_string(ri->found_end_states[k]->text) : json_null());
			json_object_set_new(f, "chains", report_chains_json(ri->found_chains ?
							       ri->found_chains[k] : NULL, fr));
			json_array_append_new(fa, f);
		}
		json_object_set_new(o, "findings", fa);
	}
	if (ri->example_sel)
		json_object_set_new(o, "example", example_json(ri));
	if (ri->program)
		json_object_set_new(o, "races_checked", json_boolean(!ri->races_unchecked));
	if (!ri->program) {
		json_t *va = json_array(), *oa = json_array();
		for (int i = 0; i < ri->nvacuous; i++)
			json_array_append_new(va, json_string(ri->vacuous[i]));
		for (int i = 0; i < ri->noutcomes; i++)
			json_array_append_new(oa, json_string(ri->outcomes[i]));
		json_object_set_new(o, "vacuous", va);
		json_object_set_new(o, "outcomes", ri->noutcomes < 0 ? (json_decref(oa), json_null()) : oa);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	if (s) {
		fprintf(out, "%s\n", s);
		free(s);
	}
	json_decref(o);
}
