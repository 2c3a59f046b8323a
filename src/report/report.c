// SPDX-License-Identifier: MIT
/*
 * report.c - the human and JSON reports of an exploration, and the catalog
 * table.
 *
 * The counterexample is drawn the way the 2020 thread drew races: one
 * column per thread, kernel functions in order, each row one step with
 * what it did to the page (the model's note) and the model's file:line.
 * By default steps that touch none of the finding's objects and carry no
 * note are folded into "..."; -v shows every step.  Nothing printed here
 * depends on addresses or hash order; times appear only on "time:" lines
 * and in the table's time column.
 */
#include <string.h>
#include <jansson.h>
#include "report/report_int.h"

/* ==== Helpers ==== */

const char *report_verdict_name(enum explore_verdict v)
{
	switch (v) {
	case VERDICT_SAFE: return "safe";
	case VERDICT_VIOLATION: return "violation";
	case VERDICT_DEADLOCK: return "deadlock";
	case VERDICT_NO_PROGRESS: return "no-progress";
	case VERDICT_INCOMPLETE: return "incomplete";
	}
	return "unknown";
}

static void rule(FILE *out, char c)
{
	for (int i = 0; i < REPORT_RULE_WIDTH; i++)
		fputc(c, out);
	fputc('\n', out);
}

static const char *thread_name(const struct explore_result *res, int tid, char *buf, size_t n)
{
	if (tid >= 0 && tid < EXPLORE_MAX_THREADS && tid < res->trace.nthreads &&
	    res->trace.thread_names[tid][0])
		return res->trace.thread_names[tid];
	snprintf(buf, n, "T%d", tid);
	return buf;
}

static const char *step_what(const struct trace_step *s)
{
	return s->site.what ? s->site.what : vis_kind_name(s->kind);
}

static void site_str(const struct vis_site *site, char *buf, size_t n)
{
	if (site->file)
		snprintf(buf, n, "%s:%d", site->file, site->line);
	else
		snprintf(buf, n, "-");
}

/* A one-line verdict: "violation INV-01", "safe", "incomplete". */
static void verdict_str(const struct explore_result *res, char *buf, size_t n)
{
	if (res->found && res->verdict == VERDICT_VIOLATION)
		snprintf(buf, n, "violation %s", res->finding.id);
	else
		snprintf(buf, n, "%s", report_verdict_name(res->verdict));
}

/* ==== The side-by-side trace ==== */

#define CELL_MAX_LINES	8
#define COL_MIN		8
#define COL_MAX		34

struct cell {
	int nlines;
	char line[CELL_MAX_LINES][COL_MAX + 1];
};

/* Word-wrap @text into @c at width @w, each continuation indented by 2. */
static void cell_add(struct cell *c, const char *text, int indent, int w)
{
	const char *s = text;

	while (*s && c->nlines < CELL_MAX_LINES) {
		int room = w - indent, n = (int)strlen(s);
		if (n > room) {
			n = room;
			for (int k = room; k > room / 2; k--)
				if (s[k] == ' ') {
					n = k;
					break;
				}
		}
		snprintf(c->line[c->nlines], sizeof(c->line[0]), "%*s%.*s", indent, "", n, s);
		c->nlines++;
		s += n;
		while (*s == ' ')
			s++;
		indent = 2;
	}
}

static void cell_fill(struct cell *c, const struct trace_step *s, int w)
{
	c->nlines = 0;
	cell_add(c, step_what(s), 0, w);
	if (s->note[0])
		cell_add(c, s->note, 2, w);
}

/* Print one row: a line of text right-trimmed. */
static void put_trimmed(FILE *out, char *line)
{
	size_t n = strlen(line);

	while (n && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(out, "%s\n", line);
}

struct layout {
	int ncols;
	int col_of[EXPLORE_MAX_THREADS];
	int tid_of[EXPLORE_MAX_THREADS];
	int width[EXPLORE_MAX_THREADS];
};

static void print_row(FILE *out, const struct layout *lo, const char *stepno, int col,
		      const struct cell *c, const char *where)
{
	char line[1024];
	int lines = c ? c->nlines : 1;

	for (int l = 0; l < lines; l++) {
		size_t o = 0;
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%6s  ", l == 0 ? stepno : "");
		for (int k = 0; k < lo->ncols && o < sizeof(line); k++) {
			const char *t = c && k == col && l < c->nlines ? c->line[l] : "";
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%-*s  ", lo->width[k], t);
		}
		if (l == 0 && where && o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, "%s", where);
		put_trimmed(out, line);
	}
}

static const void *finding_obj(const struct explore_result *res)
{
	for (int i = res->trace.nsteps - 1; i >= 0; i--)
		if (res->trace.steps[i].tid == res->finding.tid)
			return res->trace.steps[i].obj;
	return NULL;
}

static bool step_kept(const struct explore_result *res, int i, const void *fobj, bool verbose)
{
	const struct trace_step *s = &res->trace.steps[i];

	if (verbose)
		return true;
	if (s->kind == VIS_KIND_EXIT || s->kind == VIS_KIND_SPAWN)
		return false;
	return s->note[0] || (fobj && s->obj == fobj) || i == res->trace.nsteps - 1;
}

static void print_trace(FILE *out, const struct explore_result *res, bool verbose)
{
	const struct trace *tr = &res->trace;
	const void *fobj = finding_obj(res);
	struct layout lo = { 0 };
	struct cell c;
	char name[16], where[256], num[16];

	for (int t = 0; t < EXPLORE_MAX_THREADS; t++)
		lo.col_of[t] = -1;
	/* Columns: threads with a shown step, plus the finding's, in id order. */
	bool shown[EXPLORE_MAX_THREADS] = { false };
	for (int i = 0; i < tr->nsteps; i++) {
		int tid = tr->steps[i].tid;
		if (tid >= 0 && tid < EXPLORE_MAX_THREADS && step_kept(res, i, fobj, verbose))
			shown[tid] = true;
	}
	if (res->finding.tid >= 0 && res->finding.tid < EXPLORE_MAX_THREADS)
		shown[res->finding.tid] = true;
	for (int t = 0; t < EXPLORE_MAX_THREADS; t++) {
		if (!shown[t])
			continue;
		lo.col_of[t] = lo.ncols;
		lo.tid_of[lo.ncols] = t;
		int w = (int)strlen(thread_name(res, t, name, sizeof(name)));
		lo.width[lo.ncols++] = w < COL_MIN ? COL_MIN : w > COL_MAX ? COL_MAX : w;
	}
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		if (s->tid < 0 || s->tid >= EXPLORE_MAX_THREADS || lo.col_of[s->tid] < 0 ||
		    !step_kept(res, i, fobj, verbose))
			continue;
		int k = lo.col_of[s->tid];
		int w = (int)strlen(step_what(s));
		int wn = s->note[0] ? (int)strlen(s->note) + 2 : 0;
		w = w > wn ? w : wn;
		if (w > lo.width[k])
			lo.width[k] = w > COL_MAX ? COL_MAX : w;
	}

	/* Header. */
	{
		char line[1024];
		size_t o = (size_t)snprintf(line, sizeof(line), "%6s  ", "step");
		for (int k = 0; k < lo.ncols && o < sizeof(line); k++)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%-*.*s  ", lo.width[k],
					      lo.width[k], thread_name(res, lo.tid_of[k], name, sizeof(name)));
		if (o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, "where");
		put_trimmed(out, line);
		o = (size_t)snprintf(line, sizeof(line), "%6s  ", "----");
		for (int k = 0; k < lo.ncols && o + (size_t)lo.width[k] + 3 < sizeof(line); k++) {
			memset(line + o, '-', (size_t)lo.width[k]);
			o += (size_t)lo.width[k];
			line[o++] = ' ';
			line[o++] = ' ';
			line[o] = '\0';
		}
		if (o + 6 < sizeof(line))
			snprintf(line + o, sizeof(line) - o, "-----");
		put_trimmed(out, line);
	}

	bool folded = false;
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		if (s->tid < 0 || s->tid >= EXPLORE_MAX_THREADS || lo.col_of[s->tid] < 0 ||
		    !step_kept(res, i, fobj, verbose)) {
			folded = true;
			continue;
		}
		if (folded)
			print_row(out, &lo, "...", -1, NULL, NULL);
		folded = false;
		int k = lo.col_of[s->tid];
		cell_fill(&c, s, lo.width[k]);
		site_str(&s->site, where, sizeof(where));
		snprintf(num, sizeof(num), "%d", i + 1);
		print_row(out, &lo, num, k, &c, where);
	}
	if (folded)
		print_row(out, &lo, "...", -1, NULL, NULL);

	/* The finding itself, in its thread's column. */
	int fk = res->finding.tid >= 0 && res->finding.tid < EXPLORE_MAX_THREADS ?
		 lo.col_of[res->finding.tid] : -1;
	char bug[64];
	snprintf(bug, sizeof(bug), "*** %s", res->finding.id);
	c.nlines = 0;
	cell_add(&c, bug, 0, fk >= 0 ? lo.width[fk] : COL_MAX);
	if (res->finding.site.what)
		cell_add(&c, res->finding.site.what, 2, fk >= 0 ? lo.width[fk] : COL_MAX);
	site_str(&res->finding.site, where, sizeof(where));
	print_row(out, &lo, "", fk, &c, where);
}

/* ==== Text report ==== */

static void print_stats(FILE *out, const struct explore_result *res)
{
	fprintf(out, "executions: %llu (random phase %llu, blocked %llu), steps: %llu\n",
		(unsigned long long)res->executions, (unsigned long long)res->random_executions,
		(unsigned long long)res->blocked, (unsigned long long)res->steps);
	fprintf(out, "time: %.3f s\n", res->seconds);
}

static void print_context(FILE *out, const struct report_info *ri)
{
	fprintf(out, "%s %s", ri->program ? "program" : "scenario", ri->name ? ri->name : "?");
	if (ri->profile || ri->knobs) {
		fprintf(out, " (%s%s%s%s)", ri->profile ? ri->profile : "",
			ri->profile && ri->knobs ? ", " : "", ri->knobs && !ri->program ? "knobs: " : "",
			ri->knobs ? ri->knobs : "");
	}
}

static void print_expected(FILE *out, const struct report_info *ri)
{
	if (!ri->expected || ri->as_expected < 0)
		return;
	fprintf(out, "expected: %s (%s)\n", ri->expected,
		ri->as_expected ? "as expected" : "NOT as expected");
}

void report_text(FILE *out, const struct report_info *ri, const struct explore_result *res)
{
	char v[64];

	verdict_str(res, v, sizeof(v));
	if (ri->quiet) {
		fprintf(out, "%s: %s", ri->name ? ri->name : "?", v);
		if (ri->expected && ri->as_expected >= 0)
			fprintf(out, " (%s)", ri->as_expected ? "as expected" : "NOT as expected");
		fputc('\n', out);
		return;
	}
	if (!res->found) {
		print_context(out, ri);
		if (res->complete)
			fprintf(out, ": %s, explored completely\n", v);
		else
			fprintf(out, ": %s, cut by %s\n", v, res->cut_by ? res->cut_by : "a bound");
		print_expected(out, ri);
		print_stats(out, res);
		return;
	}

	rule(out, '=');
	fprintf(out, "BUG: %s: %s\n", res->finding.id, res->finding.message);
	rule(out, '-');
	print_context(out, ri);
	fputc('\n', out);
	if (ri->replayed_from)
		fprintf(out, "replayed from %s; %d preemption%s\n", ri->replayed_from,
			res->preemptions, res->preemptions == 1 ? "" : "s");
	else
		fprintf(out, "found after %llu execution%s; %d preemption%s\n",
			(unsigned long long)res->executions, res->executions == 1 ? "" : "s",
			res->preemptions, res->preemptions == 1 ? "" : "s");
	print_expected(out, ri);
	fputc('\n', out);
	print_trace(out, res, ri->verbose);
	if (ri->end_state && ri->end_state[0]) {
		fprintf(out, "\nEnd state:\n%s", ri->end_state);
		if (ri->end_state[strlen(ri->end_state) - 1] != '\n')
			fputc('\n', out);
	}
	fputc('\n', out);
	if (ri->trace_path)
		fprintf(out, "trace: %s\n", ri->trace_path);
	print_stats(out, res);
	rule(out, '=');
}

/* ==== JSON ==== */

json_t *report_trace_json(const struct explore_result *res)
{
	const struct trace *tr = &res->trace;
	json_t *o = json_object(), *th = json_array(), *sch = json_array(), *st = json_array();
	char name[16];

	for (int t = 0; t < tr->nthreads && t < EXPLORE_MAX_THREADS; t++)
		json_array_append_new(th, json_string(thread_name(res, t, name, sizeof(name))));
	for (int i = 0; i < tr->schedule_len; i++)
		json_array_append_new(sch, json_integer(tr->schedule[i]));
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		json_t *j = json_object();
		json_object_set_new(j, "step", json_integer(i + 1));
		json_object_set_new(j, "tid", json_integer(s->tid));
		json_object_set_new(j, "thread", json_string(thread_name(res, s->tid, name, sizeof(name))));
		json_object_set_new(j, "kind", json_string(vis_kind_name(s->kind)));
		json_object_set_new(j, "what", json_string(step_what(s)));
		json_object_set_new(j, "file", s->site.file ? json_string(s->site.file) : json_null());
		json_object_set_new(j, "line", json_integer(s->site.line));
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
	char name[16], where[256];
	json_t *v;

	if (!res->found)
		return json_null();
	v = json_object();
	json_object_set_new(v, "kind", json_string(report_verdict_name(res->finding.verdict)));
	json_object_set_new(v, "id", json_string(res->finding.id));
	json_object_set_new(v, "message", json_string(res->finding.message));
	json_object_set_new(v, "thread", json_string(thread_name(res, res->finding.tid, name, sizeof(name))));
	site_str(&res->finding.site, where, sizeof(where));
	json_object_set_new(v, "location", json_string(where));
	json_object_set_new(v, "function", res->finding.site.what ?
			    json_string(res->finding.site.what) : json_null());
	json_object_set_new(v, "preemptions", json_integer(res->preemptions));
	return v;
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
	json_object_set_new(o, "executions", json_integer((json_int_t)res->executions));
	json_object_set_new(o, "random_executions", json_integer((json_int_t)res->random_executions));
	json_object_set_new(o, "blocked", json_integer((json_int_t)res->blocked));
	json_object_set_new(o, "steps", json_integer((json_int_t)res->steps));
	json_object_set_new(o, "seconds", json_real(res->seconds));
	json_object_set_new(o, "mode", json_string(ri->mode ? ri->mode : "dpor"));
	for (int k = 0; k < ri->nknobs; k++)
		json_object_set_new(knobs, ri->knob_names[k], json_string(ri->knob_values[k]));
	json_object_set_new(o, "knobs", knobs);
	json_object_set_new(o, "violation", report_finding_json(res));
	json_object_set_new(o, "trace", ri->trace_path ? json_string(ri->trace_path) : json_null());
	json_object_set_new(o, "counterexample", res->found ? report_trace_json(res) : json_null());
	json_object_set_new(o, "end_state", res->found && ri->end_state ? json_string(ri->end_state) :
			    json_null());
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	if (s) {
		fprintf(out, "%s\n", s);
		free(s);
	}
	json_decref(o);
}

/* ==== The catalog table ==== */

#define NAME_W 34
#define EXP_W 18

void report_table_header(FILE *out)
{
	fprintf(out, "%-*s  %-*s  %-*s  %10s  %8s\n", NAME_W, "scenario", EXP_W, "expected",
		EXP_W, "verdict", "executions", "time");
}

void report_table_row(FILE *out, const char *name, const char *expected,
		      const struct explore_result *res, bool as_expected)
{
	char v[64];

	verdict_str(res, v, sizeof(v));
	fprintf(out, "%-*s  %-*s  %-*s  %10llu  %7.2fs  %s\n", NAME_W, name, EXP_W, expected,
		EXP_W, v, (unsigned long long)res->executions, res->seconds,
		as_expected ? "ok" : "MISMATCH");
}

void report_table_error(FILE *out, const char *name, const char *expected)
{
	fprintf(out, "%-*s  %-*s  %-*s  %10s  %8s  %s\n", NAME_W, name, EXP_W, expected, EXP_W,
		"input-error", "-", "-", "MISMATCH");
}

void report_table_summary(FILE *out, int ok, int not_ok)
{
	fprintf(out, "%d as expected, %d not\n", ok, not_ok);
}
