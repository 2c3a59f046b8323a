// SPDX-License-Identifier: MIT
/*
 * report.c - the human report of an exploration (its JSON: json.c; the
 * catalog and patch tables: table.c).
 *
 * The counterexample is drawn the way the 2020 thread drew races: one
 * column per thread, kernel functions in order, each row one step with
 * what it did to the page (the model's note) and the model's file:line.
 * By default steps that touch none of the finding's objects and carry no
 * note are folded into "..."; -v shows every step.  Nothing printed here
 * depends on addresses or hash order; times appear only on "time:" lines
 * and in the table's time column.
 */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
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

/*
 * The word of a finding that is not a violation, as an 'expect' line writes
 * it: "deadlock", "no-progress" (the unconditional class), "no-progress
 * firmware" (another fairness class: doc/protocol.md "Retry loops").
 */
static void other_word(const struct finding *f, char *buf, size_t n)
{
	const char *cls = explore_no_progress_class(f->site.what);

	if (f->verdict == VERDICT_NO_PROGRESS && strcmp(cls, "unconditional") != 0)
		snprintf(buf, n, "no-progress %s", cls);
	else
		snprintf(buf, n, "%s", report_verdict_name(f->verdict));
}

/* A one-line verdict: "violation INV-01", "safe", "incomplete". */
void report_verdict_str(const struct explore_result *res, char *buf, size_t n)
{
	if (res->all_findings && res->nfindings)
		report_findings_desc(res, buf, n);
	else if (res->found && res->verdict == VERDICT_VIOLATION)
		snprintf(buf, n, "violation %s", res->finding.id);
	else if (res->found)
		other_word(&res->finding, buf, n);
	else
		snprintf(buf, n, "%s", report_verdict_name(res->verdict));
}

/* Is finding @k of @res named (id, or no-progress class) like an earlier one? */
static bool id_seen(const struct explore_result *res, int k)
{
	const struct finding *f = &res->findings[k].finding;

	for (int j = 0; j < k; j++) {
		const struct finding *g = &res->findings[j].finding;

		if (g->verdict == f->verdict && strcmp(g->id, f->id) == 0 &&
		    (f->verdict != VERDICT_NO_PROGRESS ||
		     strcmp(explore_no_progress_class(g->site.what),
			    explore_no_progress_class(f->site.what)) == 0))
			return true;
	}
	return false;
}

const char *report_findings_desc(const struct explore_result *res, char *buf, size_t n)
{
	size_t l = 0;
	bool vio = false;

	buf[0] = '\0';
	/* violations first, by id (the findings are sorted), then the others */
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < res->nfindings && l < n; k++) {
			const struct finding *f = &res->findings[k].finding;
			if ((f->verdict == VERDICT_VIOLATION) != (pass == 0) || id_seen(res, k))
				continue;
			char word[48];

			other_word(f, word, sizeof(word));
			int w = pass == 0 ? snprintf(buf + l, n - l, "%s%s", vio ? " " : "violation ", f->id) :
				snprintf(buf + l, n - l, "%s%s", l ? " " : "", word);
			vio = true;
			if (w < 0)
				break;
			l += (size_t)w;
		}
	if (!buf[0])
		snprintf(buf, n, "%s", report_verdict_name(res->verdict));
	return buf;
}

/* ==== The side-by-side trace ==== */

/*
 * Layout: a step-number column, one column per thread that has a shown step
 * (in thread-id order), and the model's file:line.  A cell is the kernel
 * function (with the model's detail) and, indented under it, the note; both
 * wrap at blanks only.  Column widths come from the content: each column
 * wants its longest line, may not be narrower than its longest word, and
 * the widest columns give way first until the table fits the width.
 */

#define STEP_W		6
#define GAP		2
#define COL_MIN		8

struct layout {
	int width;				/* of the whole table */
	int ncols;
	int col_of[EXPLORE_MAX_THREADS];	/* thread -> column, or -1 */
	int tid_of[EXPLORE_MAX_THREADS];
	int want[EXPLORE_MAX_THREADS];		/* longest line */
	int least[EXPLORE_MAX_THREADS];		/* longest word, indented */
	int w[EXPLORE_MAX_THREADS];		/* chosen */
	int where_w;
	bool verbose;				/* -v: the model's file:line beside */
	int kern_w;				/* of the kernel location (-v) */
	bool program;				/* a program's trace: where is its file:line */
	const struct explore_result *res;
};

/*
 * The "where" of a step: the v5.7 kernel location it models, the file
 * alone when the step's name starts with the kernel function (the row then
 * reads "page_ref_freeze ... include/linux/page_ref.h"); with -v always
 * path:function and the model's file:line beside it.  A site missing from
 * src/report/kernel.c reads "?" (tests/reports/run.sh fails on it).
 */
static void where_str(const struct layout *lo, const struct vis_site *site, char *buf, size_t n)
{
	const char *k = report_kernel_loc(site), *colon = k ? strrchr(k, ':') : NULL;
	char model[128];

	if (lo->program) {
		/* the program's own file:line, -v or not: it is no kernel code */
		report_program_where(site, buf, n);
		return;
	}
	if (!k)
		k = site->file || site->func ? "?" : "-";
	if (!lo->verbose) {
		size_t fl = colon ? strlen(colon + 1) : 0;
		const char *w = site->what ? site->what : "";
		if (colon && k[0] != '(' && strncmp(w, colon + 1, fl) == 0 &&
		    (w[fl] == '\0' || w[fl] == ':' || w[fl] == '('))
			snprintf(buf, n, "%.*s", (int)(colon - k), k);
		else
			snprintf(buf, n, "%s", k);
		return;
	}
	report_site_str(site, model, sizeof(model));
	snprintf(buf, n, "%-*.100s  %.100s", lo->kern_w, k, model);
}

static int kern_len(const struct vis_site *site)
{
	const char *k = report_kernel_loc(site);

	return k ? (int)strlen(k) : 1;
}

static int imax(int a, int b)
{
	return a > b ? a : b;
}

/* The one-line text of step @i of a program (report_program_cell). */
static const char *program_text(const struct layout *lo, int i, char *buf, size_t n)
{
	report_program_cell(lo->res, i, buf, n);
	return buf;
}

/* The text of step @i's cell in column width @w. */
static void cell_fill(struct report_lines *c, const struct layout *lo, int i, int w)
{
	const struct trace_step *s = &lo->res->trace.steps[i];
	const char *what = report_step_what(s), *colon = strstr(what, ": ");
	char text[REPORT_WRAP_LEN];

	c->n = 0;
	if (lo->program) {
		/* "atomic_load x = 0": the values on the operation's line if it fits */
		program_text(lo, i, text, sizeof(text));
		size_t nl = strlen(s->note);
		if ((int)strlen(text) <= w || !nl) {
			report_wrap(c, text, w, 0, 4);
			return;
		}
		/* else the operation, then what it did under it */
		text[strlen(text) - nl - 1] = '\0';
		report_wrap(c, text, w, 0, 4);
		report_wrap(c, s->note, w, 2, 4);
		return;
	}
	if ((int)strlen(what) > w && colon && colon - what < w) {
		/* "function: detail" does not fit: the function alone, then the detail */
		snprintf(c->line[c->n++], REPORT_WRAP_LEN, "%.*s", (int)(colon - what) + 1, what);
		report_wrap(c, colon + 2, w, 2, 4);
	} else {
		report_wrap(c, what, w, 0, 2);
	}
	if (s->note[0])
		report_wrap(c, s->note, w, 2, 4);
}

static void finding_cell(struct report_lines *c, const struct explore_result *res, int w)
{
	char bug[64 + EXPLORE_MSG_LEN];

	c->n = 0;
	snprintf(bug, sizeof(bug), "*** %s%s%s", res->finding.id,
		 res->finding.site.what ? " in " : "",
		 res->finding.site.what ? res->finding.site.what : "");
	report_wrap(c, bug, w, 0, 4);
}

/* Room for the thread columns; the widest give way first. */
static void fit_columns(struct layout *lo)
{
	int room = lo->width - STEP_W - GAP - lo->ncols * GAP - lo->where_w;
	int sum = 0, lo_c = 0, hi_c = 0;

	for (int k = 0; k < lo->ncols; k++) {
		lo->least[k] = imax(lo->least[k], COL_MIN);
		lo->want[k] = imax(lo->want[k], lo->least[k]);
		sum += lo->want[k];
		hi_c = imax(hi_c, lo->want[k]);
	}
	if (sum <= room) {
		for (int k = 0; k < lo->ncols; k++)
			lo->w[k] = lo->want[k];
		return;
	}
	/* the largest cap c with sum(max(least, min(want, c))) <= room */
	while (lo_c < hi_c) {
		int c = (lo_c + hi_c + 1) / 2, s = 0;
		for (int k = 0; k < lo->ncols; k++)
			s += imax(lo->least[k], lo->want[k] < c ? lo->want[k] : c);
		if (s <= room)
			lo_c = c;
		else
			hi_c = c - 1;
	}
	for (int k = 0; k < lo->ncols; k++)
		lo->w[k] = imax(lo->least[k], lo->want[k] < lo_c ? lo->want[k] : lo_c);
}

static void layout_step(struct layout *lo, int k, const char *what, const char *note)
{
	lo->want[k] = imax(lo->want[k], (int)strlen(what));
	lo->least[k] = imax(lo->least[k], report_longest_word(what) + 2);
	if (note && note[0]) {
		lo->want[k] = imax(lo->want[k], (int)strlen(note) + 2);
		lo->least[k] = imax(lo->least[k], report_longest_word(note) + 4);
	}
}

/* The row that marks a data race's earlier access (finding.pair_step). */
static void pair_cell(struct report_lines *c, const struct explore_result *res, int w)
{
	char mark[128];

	c->n = 0;
	snprintf(mark, sizeof(mark), "*** racing %s",
		 res->finding.pair_site.what ? res->finding.pair_site.what : "?");
	report_wrap(c, mark, w, 0, 4);
}

/* The thread of the finding's earlier access, or -1 when it has none. */
static int pair_tid(const struct explore_result *res)
{
	int t = res->finding.pair_tid;

	return res->finding.pair_step > 0 && t >= 0 && t < EXPLORE_MAX_THREADS ? t : -1;
}

static void make_layout(struct layout *lo, const struct explore_result *res,
			const struct report_focus *f, int width, bool verbose, bool program)
{
	const struct trace *tr = &res->trace;
	bool shown[EXPLORE_MAX_THREADS] = { false };
	char name[REPORT_THREAD_LEN], where[256], text[REPORT_WRAP_LEN];

	memset(lo, 0, sizeof(*lo));
	lo->width = width;
	lo->verbose = verbose;
	lo->program = program;
	lo->res = res;
	lo->kern_w = 5;		/* "where" */
	for (int i = 0; i < tr->nsteps; i++)
		if (f->kept[i])
			lo->kern_w = imax(lo->kern_w, kern_len(&tr->steps[i].site));
	lo->kern_w = imax(lo->kern_w, kern_len(&res->finding.site));
	lo->where_w = 5;
	for (int t = 0; t < EXPLORE_MAX_THREADS; t++)
		lo->col_of[t] = -1;
	for (int i = 0; i < tr->nsteps; i++) {
		int tid = tr->steps[i].tid;
		if (tid >= 0 && tid < EXPLORE_MAX_THREADS && f->kept[i])
			shown[tid] = true;
	}
	if (res->finding.tid >= 0 && res->finding.tid < EXPLORE_MAX_THREADS)
		shown[res->finding.tid] = true;
	if (pair_tid(res) >= 0)
		shown[pair_tid(res)] = true;
	for (int t = 0; t < EXPLORE_MAX_THREADS; t++) {
		if (!shown[t])
			continue;
		const char *n = report_thread_name(res, t, name, sizeof(name));
		lo->col_of[t] = lo->ncols;
		lo->tid_of[lo->ncols] = t;
		lo->want[lo->ncols] = (int)strlen(n);
		lo->least[lo->ncols] = (int)strlen(n);
		lo->ncols++;
	}
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		if (s->tid < 0 || s->tid >= EXPLORE_MAX_THREADS || !f->kept[i])
			continue;
		if (program)
			layout_step(lo, lo->col_of[s->tid], program_text(lo, i, text, sizeof(text)),
				    NULL);
		else
			layout_step(lo, lo->col_of[s->tid], report_step_what(s), s->note);
		where_str(lo, &s->site, where, sizeof(where));
		lo->where_w = imax(lo->where_w, (int)strlen(where));
	}
	if (pair_tid(res) >= 0) {
		struct report_lines c;
		pair_cell(&c, res, 1000);
		layout_step(lo, lo->col_of[pair_tid(res)], c.line[0], NULL);
		where_str(lo, &res->finding.pair_site, where, sizeof(where));
		lo->where_w = imax(lo->where_w, (int)strlen(where));
	}
	int fk = res->finding.tid >= 0 && res->finding.tid < EXPLORE_MAX_THREADS ?
		 lo->col_of[res->finding.tid] : -1;
	if (fk >= 0) {
		struct report_lines c;
		finding_cell(&c, res, 1000);
		layout_step(lo, fk, c.line[0], NULL);
	}
	where_str(lo, &res->finding.site, where, sizeof(where));
	lo->where_w = imax(lo->where_w, (int)strlen(where));
	fit_columns(lo);
}

/* Print one row: @c in column @col (or nothing), @where on its first line. */
static void print_row(FILE *out, const struct layout *lo, const char *stepno, int col,
		      const struct report_lines *c, const char *where)
{
	char line[2048];
	int lines = c && c->n ? c->n : 1;

	for (int l = 0; l < lines; l++) {
		size_t o = 0;
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%*s%*s", STEP_W,
				      l == 0 ? stepno : "", GAP, "");
		for (int k = 0; k < lo->ncols && o < sizeof(line); k++) {
			const char *t = c && k == col && l < c->n ? c->line[l] : "";
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%-*s%*s", lo->w[k], t,
					      GAP, "");
		}
		if (l == 0 && where && o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, "%s", where);
		size_t n = strlen(line);
		while (n && line[n - 1] == ' ')
			line[--n] = '\0';
		fprintf(out, "%s\n", line);
	}
}

static void print_header(FILE *out, const struct explore_result *res, const struct layout *lo)
{
	struct report_lines h = { 0 }, d = { 0 };
	char name[REPORT_THREAD_LEN];

	for (int k = 0; k < lo->ncols; k++) {
		snprintf(h.line[k], REPORT_WRAP_LEN, "%s",
			 report_thread_name(res, lo->tid_of[k], name, sizeof(name)));
		int n = lo->w[k] < REPORT_WRAP_LEN - 1 ? lo->w[k] : REPORT_WRAP_LEN - 1;
		memset(d.line[k], '-', (size_t)n);
		d.line[k][n] = '\0';
	}
	/* a row per header line, each column its own cell */
	for (int pass = 0; pass < 2; pass++) {
		char line[2048];
		size_t o = (size_t)snprintf(line, sizeof(line), "%*s%*s", STEP_W,
					    pass ? "----" : "step", GAP, "");
		for (int k = 0; k < lo->ncols && o < sizeof(line); k++)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "%-*.*s%*s", lo->w[k],
					      lo->w[k], pass ? d.line[k] : h.line[k], GAP, "");
		if (o < sizeof(line) && lo->verbose && !lo->program)
			snprintf(line + o, sizeof(line) - o, "%-*s  %s", lo->kern_w,
				 pass ? "-----" : "where", pass ? "-----" : "model");
		else if (o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, "%s", pass ? "-----" : "where");
		fprintf(out, "%s\n", line);
	}
}

/*
 * A preemption: step @i's thread runs although the previous step's thread
 * could have gone on (the engine counts it in the step's preempt).
 */
static bool preempts(const struct trace *tr, int i)
{
	return i > 0 && tr->steps[i].preempt > tr->steps[i - 1].preempt;
}

static void print_trace(FILE *out, const struct explore_result *res,
			const struct report_focus *f, int width, bool verbose, bool program)
{
	const struct trace *tr = &res->trace;
	struct layout lo;
	struct report_lines c;
	char where[256], num[16], name[REPORT_THREAD_LEN], mark[64];
	bool folded = false;
	/* per thread: the thread it preempted, marked at its next shown step */
	int preempted[EXPLORE_MAX_THREADS];

	for (int t = 0; t < EXPLORE_MAX_THREADS; t++)
		preempted[t] = -1;
	make_layout(&lo, res, f, width, verbose, program);
	print_header(out, res, &lo);
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		if (s->tid >= 0 && s->tid < EXPLORE_MAX_THREADS && preempts(tr, i))
			preempted[s->tid] = tr->steps[i - 1].tid;
		if (s->tid < 0 || s->tid >= EXPLORE_MAX_THREADS || lo.col_of[s->tid] < 0 ||
		    !f->kept[i]) {
			/* a hidden ghost step is no kernel step: nothing folded; an
			 * example hides only the harness (spawns, exits): nothing either */
			folded = folded || (!report_step_ghost(s) && res->found);
			continue;
		}
		if (folded)
			print_row(out, &lo, "...", -1, NULL, NULL);
		folded = false;
		int k = lo.col_of[s->tid];
		if (preempted[s->tid] >= 0) {
			c.n = 0;
			snprintf(mark, sizeof(mark), ">> preempts %s",
				 report_thread_name(res, preempted[s->tid], name, sizeof(name)));
			report_wrap(&c, mark, lo.w[k], 0, 3);
			print_row(out, &lo, "", k, &c, NULL);
			preempted[s->tid] = -1;
		}
		cell_fill(&c, &lo, i, lo.w[k]);
		where_str(&lo, &s->site, where, sizeof(where));
		snprintf(num, sizeof(num), "%d", i + 1);
		print_row(out, &lo, num, k, &c, where);
		if (i == res->finding.pair_step - 1 && pair_tid(res) >= 0) {
			/* a data race's earlier access, in its thread's column */
			int pk = lo.col_of[pair_tid(res)];
			pair_cell(&c, res, lo.w[pk]);
			where_str(&lo, &res->finding.pair_site, where, sizeof(where));
			print_row(out, &lo, "", pk, &c, where);
		}
	}
	if (folded)
		print_row(out, &lo, "...", -1, NULL, NULL);

	if (!res->found)	/* an example: its last row is the last thread's exit */
		return;
	/* The finding itself, in its thread's column. */
	int fk = res->finding.tid >= 0 && res->finding.tid < EXPLORE_MAX_THREADS ?
		 lo.col_of[res->finding.tid] : -1;
	finding_cell(&c, res, fk >= 0 ? lo.w[fk] : 40);
	where_str(&lo, &res->finding.site, where, sizeof(where));
	print_row(out, &lo, "", fk, &c, where);
}

/* ==== Text report ==== */

/* The width of the report: the terminal's (80..140), else a fixed one. */
static int report_width(FILE *out, const struct report_info *ri)
{
	struct winsize ws;
	int fd = fileno(out);

	if (ri->width > 0)
		return ri->width;
	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < REPORT_WIDTH_MIN ? REPORT_WIDTH_MIN :
		       ws.ws_col > REPORT_WIDTH_MAX ? REPORT_WIDTH_MAX : ws.ws_col;
	return REPORT_WIDTH_FIXED;
}

static void rule(FILE *out, char c, int width)
{
	for (int i = 0; i < width; i++)
		fputc(c, out);
	fputc('\n', out);
}

/* @text wrapped at @width, continuation lines indented by @ind. */
static void print_wrapped(FILE *out, const char *text, int width, int ind)
{
	struct report_lines l = { 0 };

	report_wrap(&l, text, width, 0, ind);
	for (int i = 0; i < l.n; i++)
		fprintf(out, "%s\n", l.line[i]);
}

double report_hash_miss_bound(unsigned long long n)
{
	return ldexp((double)n * (double)n, -129);
}

/* @b rounded up to two significant digits, "1.5e-32", into @buf. */
static const char *round_up_e(double b, char *buf, size_t len)
{
	if (b <= 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	int e = (int)floor(log10(b));
	double m = ceil(b / pow(10, e) * 10 - 1e-9) / 10;
	if (m >= 10) {
		m /= 10;
		e++;
	}
	snprintf(buf, len, "%.1fe%d", m, e);
	return buf;
}

/*
 * The counts: executions of the systematic search (with the searches for
 * fewer preemptions when they ran), the random walks before it, how many
 * executions ended blocked, and the steps run in all of them; the
 * spin-blocked ones (tsan.c's spin-assume) when there are any.
 */
static void print_stats(FILE *out, const struct report_info *ri, const struct explore_result *res)
{
	char ebuf[32];
	bool minimised = res->found && ri->simplest != REPORT_SIMPLEST_NONE && !ri->replayed_from;

	fprintf(out, "executions: %llu%s; random walks: %llu; ended blocked: %llu; steps run: %llu\n",
		(unsigned long long)res->executions,
		minimised ? ", with the searches for fewer preemptions" : "",
		(unsigned long long)res->random_executions,
		(unsigned long long)res->blocked, (unsigned long long)res->steps);
	if (res->spin_blocked)
		fprintf(out, "spin-blocked: %llu (a thread blocked in a no-op loop iteration whose "
			"values changed later: redundant, not counted in executions)\n",
			(unsigned long long)res->spin_blocked);
	if (res->switched_after && res->workers > 1)
		fprintf(out, "search: stateless DPOR on %d workers for %llu executions, then "
			"stateful on one\n", res->workers, (unsigned long long)res->switched_after);
	else if (res->switched_after)
		fprintf(out, "search: stateless DPOR for %llu executions, then stateful\n",
			(unsigned long long)res->switched_after);
	else if (res->workers > 0)
		fprintf(out, "search: stateless DPOR on %d workers, %d subtrees, prefixes up to %d steps\n",
			res->workers, res->subtrees, res->frontier_depth);
	if (res->stateful)
		fprintf(out, "states: %llu stored, %llu transitions, %llu revisits, %.1f MB; "
			"P(a state missed by a hash collision) < %s\n",
			(unsigned long long)res->states, (unsigned long long)res->transitions,
			(unsigned long long)res->revisits, (double)res->state_bytes / 1048576.0,
			round_up_e(report_hash_miss_bound(res->states), ebuf, sizeof(ebuf)));
	if (res->fair_states)
		fprintf(out, "fairness: the cycles met were judged over the whole graph (%llu states): %s\n",
			(unsigned long long)res->fair_states,
			res->fair_cycle ? "a weakly fair one exists"
					: "each starves a thread enabled throughout it, so none is a finding");
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

static void print_preemptions(FILE *out, const struct report_info *ri,
			      const struct explore_result *res)
{
	int p = res->preemptions;
	const char *s = p == 1 ? "" : "s";

	if (p == 0) {
		fprintf(out, "needs 0 preemptions\n");
		return;
	}
	switch (ri->simplest) {
	case REPORT_SIMPLEST_FEWEST:
		fprintf(out, "needs %d preemption%s (the fewest)\n",
			p, s);
		break;
	case REPORT_SIMPLEST_BOUNDED:
		fprintf(out, "needs %d preemption%s (fewest found; a smaller bound was cut)\n",
			p, s);
		break;
	default:
		fprintf(out, "needs %d preemption%s (not minimised)\n", p, s);
		break;
	}
}

/* How the finding was found: which phase of the search, which execution. */
static void print_found(FILE *out, const struct report_info *ri, const struct explore_result *res)
{
	unsigned long long n = res->executions, w = res->random_executions;

	if (ri->found_exec || ri->found_walk) {
		n = ri->found_exec;
		w = ri->found_walk;
	}
	bool walks = ri->mode && (strcmp(ri->mode, "random") == 0 || strcmp(ri->mode, "pct") == 0);

	if (ri->replayed_from)
		fprintf(out, "replayed from %s; ", ri->replayed_from);
	else if (walks)
		fprintf(out, "found in walk %llu of the %s search; ", n, ri->mode);
	else if (n == 0 && w > 0)
		fprintf(out, "found in the random phase, walk %llu; ", w);
	else if (res->switched_after)
		fprintf(out, "found by the stateful search, after %llu stateless executions; ",
			(unsigned long long)res->switched_after);
	else
		fprintf(out, "found in execution %llu of the search (after %llu random walk%s); ",
			n, w, w == 1 ? "" : "s");
}

static void print_vacuous(FILE *out, const struct report_info *ri)
{
	for (int i = 0; i < ri->nvacuous; i++)
		fprintf(out, "warning: vacuous: %s did nothing in every execution\n", ri->vacuous[i]);
}

/* The operations' outcomes (why safe) and the vacuity warnings. */
static void print_outcomes(FILE *out, const struct report_info *ri)
{
	if (ri->noutcomes > 0) {
		fprintf(out, "outcomes (runs per return code):\n");
		for (int i = 0; i < ri->noutcomes; i++)
			fprintf(out, "  %s\n", ri->outcomes[i]);
	} else if (ri->noutcomes < 0 && !ri->program) {
		fprintf(out, "outcomes: not recorded (worker processes of -j keep theirs)\n");
	}
	print_vacuous(out, ri);
}

/*
 * A no-progress finding whose trace ends in a repeated round: which steps
 * repeat, which threads go round, what each holds all through the loop
 * (the locks it took before the round and still holds), and, from the end
 * state, the references, page locks and frozen counts it holds at the cut.
 */
static void print_loop(FILE *out, const struct report_info *ri,
		       const struct explore_result *res, const struct report_focus *f, int width)
{
	const struct trace *tr = &res->trace;
	bool seen[EXPLORE_MAX_THREADS] = { false };
	char line[1024], held[512], nb[REPORT_THREAD_LEN];

	snprintf(line, sizeof(line), "loop: steps %d..%d repeat, %d rounds up to the bound "
		 "(the first round is shown)", f->loop_start + 1,
		 f->loop_start + f->loop_len, f->loop_rounds);
	print_wrapped(out, line, width, 2);
	for (int i = f->loop_start; i < f->loop_start + f->loop_len; i++) {
		int tid = tr->steps[i].tid;
		const char *name;

		if (tid < 0 || tid >= EXPLORE_MAX_THREADS || seen[tid])
			continue;
		seen[tid] = true;
		name = report_thread_name(res, tid, nb, sizeof(nb));
		report_held_locks(tr, tid, f->loop_start, held, sizeof(held));
		snprintf(line, sizeof(line), "%s goes round it holding %s", name,
			 held[0] ? held : "no lock");
		print_wrapped(out, line, width, 2);
		/* what the end state says this thread holds: references, page locks, freezes */
		for (int k = 0; ri->end_state && k < ri->end_state->nfacts; k++) {
			const struct report_fact *fa = &ri->end_state->facts[k];

			if (fa->kind == REPORT_FACT_PAGE || strcmp(fa->by, name) != 0)
				continue;
			snprintf(line, sizeof(line), "  at the cut: %s", fa->text);
			print_wrapped(out, line, width, 4);
		}
	}
}

/*
 * Leaks behind a deadlock: the references of the end state
 * (REPORT_FACT_HOLDER) whose owner is a thread that ended (an exit step in the trace).  Nothing can drop such a reference, so
 * a thread that waits for the count to fall (the vCPU's re-fault after
 * -EBUSY) waits forever: the leak is the finding, the blocked threads its
 * consequence.  @buf gets "p0: find_get_page of reader, taken by ..." lines
 * and @who the first leaking thread.  Return: how many holders leak.
 */
static int deadlock_leaks(const struct report_info *ri, const struct explore_result *res,
			  char *buf, size_t n, char *who, size_t wn)
{
	const struct trace *tr = &res->trace;
	bool ended[EXPLORE_MAX_THREADS] = { false };
	char tn[REPORT_THREAD_LEN];
	size_t o = 0;
	int leaks = 0;

	buf[0] = who[0] = '\0';
	if (res->finding.verdict != VERDICT_DEADLOCK || !ri->end_state)
		return 0;
	for (int i = 0; i < tr->nsteps; i++)
		if (tr->steps[i].kind == VIS_KIND_EXIT && tr->steps[i].tid >= 0 &&
		    tr->steps[i].tid < EXPLORE_MAX_THREADS)
			ended[tr->steps[i].tid] = true;
	for (int k = 0; k < ri->end_state->nfacts; k++) {
		const struct report_fact *fa = &ri->end_state->facts[k];

		if (fa->kind != REPORT_FACT_HOLDER || !fa->of[0])
			continue;
		for (int t = 1; t < tr->nthreads && t < EXPLORE_MAX_THREADS; t++) {
			if (!ended[t])
				continue;
			const char *name = report_thread_name(res, t, tn, sizeof(tn));
			if (strcmp(fa->of, name) != 0)
				continue;
			if (!who[0])
				snprintf(who, wn, "%s", name);
			if (o < n)	/* "p0: find_get_page of reader, taken by ..." */
				o += (size_t)snprintf(buf + o, n - o, "  %s: %s\n", fa->page,
						      fa->text + strlen("holder: "));
			leaks++;
			break;
		}
	}
	return leaks;
}

void report_example_view(const struct explore_result *ex, struct explore_result *v)
{
	memset(v, 0, sizeof(*v));
	v->verdict = VERDICT_SAFE;
	v->trace = ex->example;
	v->finding.tid = -1;
}

/*
 * --example after a verdict without a finding: the heading (which
 * execution, of how many, what its operations returned), the trace in the
 * counterexample's layout (ghost steps hidden unless -v, nothing folded:
 * there is no finding to fold around) and the world at its end.
 */
static void print_example(FILE *out, const struct report_info *ri)
{
	struct explore_result v;
	struct report_focus f;
	char line[1024];
	int width = report_width(out, ri);

	if (ri->example_sel && !ri->example && ri->example_notice)
		fprintf(out, "\nexample: none: %s\n", ri->example_notice);
	if (!ri->example_sel || !ri->example)
		return;
	report_example_view(ri->example, &v);
	if (report_focus_init(&f, ri, &v, ri->verbose))
		return;
	fputc('\n', out);
	snprintf(line, sizeof(line), "example: %s", ri->example_head ? ri->example_head : "");
	print_wrapped(out, line, width, 2);
	fputc('\n', out);
	print_trace(out, &v, &f, width, ri->verbose, ri->program);
	report_focus_free(&f);
	const char *ees = report_state_text(ri->example_end_state);

	if (ees && ees[0]) {
		fprintf(out, "\nEnd state of the example:\n%s", ees);
		if (ees[strlen(ees) - 1] != '\n')
			fputc('\n', out);
	}
	if (ri->trace_path)
		fprintf(out, "trace: %s\n", ri->trace_path);
	if (ri->svg_path)
		fprintf(out, "svg: %s\n", ri->svg_path);
}

void report_findings_text(FILE *out, const struct report_info *ri, const struct explore_result *res)
{
	char v[256], name[REPORT_THREAD_LEN];

	report_findings_desc(res, v, sizeof(v));
	print_context(out, ri);
	fprintf(out, ": %d distinct finding%s (--all), %s: %s\n", res->nfindings,
		res->nfindings == 1 ? "" : "s", res->complete ? "explored completely" : "search cut",
		v);
	if (!res->complete)
		fprintf(out, "  cut by %s: other findings may exist\n",
			res->cut_by ? res->cut_by : "a bound");
	for (int k = 0; k < ri->nfound; k++) {
		const struct explore_result *fr = &ri->found[k];
		const struct vis_site *st = &fr->finding.site;
		char where[200];
		if (st->file)
			snprintf(where, sizeof(where), "%s:%d %s", st->file, st->line,
				 st->what ? st->what : "");
		else
			snprintf(where, sizeof(where), "%s", st->what ? st->what : "-");
		/* a finding of no thread: the sweep or at_exit, between steps */
		fprintf(out, "  %d. %-12s %s, %s%s, %d preemption%s\n", k + 1, fr->finding.id, where,
			fr->finding.tid < 0 ? "between steps" : "in ",
			fr->finding.tid < 0 ? "" : report_thread_name(fr, fr->finding.tid, name,
								       sizeof(name)),
			fr->preemptions, fr->preemptions == 1 ? "" : "s");
	}
	print_expected(out, ri);
	print_stats(out, ri, res);
	fputc('\n', out);
}

void report_text(FILE *out, const struct report_info *ri, const struct explore_result *res)
{
	char leaks[1024], leaker[32];
	int nleaks;
	struct report_focus f;
	const char *stmt;
	char v[256], line[512];
	int width;

	report_verdict_str(res, v, sizeof(v));
	if (ri->quiet) {
		fprintf(out, "%s: %s", ri->name ? ri->name : "?", v);
		if (ri->expected && ri->as_expected >= 0)
			fprintf(out, " (%s)", ri->as_expected ? "as expected" : "NOT as expected");
		fputc('\n', out);
		print_vacuous(out, ri);
		return;
	}
	if (!res->found && ri->replayed_from && ri->example) {
		print_context(out, ri);
		fprintf(out, ": replayed from %s: every thread exited, no finding (one "
			"execution: no verdict on the others)\n", ri->replayed_from);
		print_example(out, ri);
		return;
	}
	if (!res->found) {
		print_context(out, ri);
		if (res->complete)
			fprintf(out, ": %s, explored completely\n", v);
		else
			fprintf(out, ": %s, cut by %s\n", v, res->cut_by ? res->cut_by : "a bound");
		if (!res->complete && res->limit[0])
			fprintf(out, "  pvcheck's limit, not a finding: %s\n", res->limit);
		if (ri->program && ri->races_unchecked)
			fprintf(out, "  plain (non-atomic) accesses were not checked for data races "
				"(--races checks them)\n");
		print_expected(out, ri);
		print_stats(out, ri, res);
		print_outcomes(out, ri);
		print_example(out, ri);
		return;
	}

	width = report_width(out, ri);
	if (report_focus_init(&f, ri, res, ri->verbose))
		return;
	stmt = report_statement(res->finding.id);
	nleaks = deadlock_leaks(ri, res, leaks, sizeof(leaks), leaker, sizeof(leaker));
	rule(out, '=', width);
	if (nleaks)
		snprintf(line, sizeof(line), "BUG: leak: %s ended holding %s it took, which nothing "
			 "can drop; then every live thread is blocked", leaker,
			 nleaks == 1 ? "a reference" : "references");
	else if (stmt)
		snprintf(line, sizeof(line), "BUG: %s: %s", res->finding.id, stmt);
	else
		snprintf(line, sizeof(line), "BUG: %s: %s", res->finding.id, res->finding.message);
	print_wrapped(out, line, width, 5);
	rule(out, '-', width);
	if (stmt || nleaks)
		print_wrapped(out, res->finding.message, width, 2);
	if (nleaks)
		fprintf(out, "leaked (the end state's holders of threads that ended):\n%s", leaks);
	for (int p = 0; p < f.npages; p++) {
		snprintf(line, sizeof(line), "page %s at the end: %s", f.page[p], f.page_state[p]);
		print_wrapped(out, line, width, 2);
	}
	if (f.loop_rounds)
		print_loop(out, ri, res, &f, width);
	print_context(out, ri);
	fputc('\n', out);
	print_found(out, ri, res);
	print_preemptions(out, ri, res);
	print_expected(out, ri);
	fputc('\n', out);
	print_trace(out, res, &f, width, ri->verbose, ri->program);
	report_focus_free(&f);
	report_chains_text(out, ri, res, width);
	const char *es = report_state_text(ri->end_state);

	if (es && es[0]) {
		fprintf(out, "\nEnd state:\n%s", es);
		if (es[strlen(es) - 1] != '\n')
			fputc('\n', out);
	}
	fputc('\n', out);
	if (ri->trace_path)
		fprintf(out, "trace: %s\n", ri->trace_path);
	if (ri->svg_path)
		fprintf(out, "svg: %s\n", ri->svg_path);
	print_stats(out, ri, res);
	rule(out, '=', width);
}
