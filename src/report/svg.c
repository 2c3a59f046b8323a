// SPDX-License-Identifier: MIT
/*
 * svg.c - a counterexample as SVG swimlanes (--svg FILE).
 *
 * One lane per thread, left to right in thread-id order; time runs down,
 * one row per step, so the picture is the text report's two columns drawn
 * out.  A thread that only starts, joins and ends others (the scenario's
 * main) gets no lane and its steps no row.  Every other step of the trace
 * is drawn: the steps of the finding's focus (report_focus: the steps on
 * the finding's pages) in black, the others greyed, ghost steps (the
 * model's own checks, VIS_SITE_GHOST) dashed, and the finding in red; each
 * row names the v5.7 location it models.  A preemption is marked above the
 * step that preempts.  The question heads the drawing and the end state
 * closes it.  Arrows join conflicting operations on
 * the finding's objects (same object, different threads, at least one a
 * write; ghost steps left out), each step to the latest earlier conflicting
 * step of every other thread, which is the order the race is about.
 *
 * An example (--example, a complete execution without a finding) is drawn
 * the same way under its heading, every step in black, without a finding
 * box or arrows (there are no finding's objects), its end state closing it.
 *
 * The file is self-contained and static: no script, no style sheet or font
 * to fetch, no link; text uses the generic "monospace" family.  Every step
 * group carries its full text in a <title> (a tooltip), so that a test can
 * find each step in the rendered DOM even where the box wraps it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_int.h"

#define CHAR_W		7.2	/* advance of 12px monospace, roughly */
#define LINE_H		15
#define PAD		6
#define LEFT		56	/* step numbers */
#define LANE_GAP	28	/* between lanes, for one conflict arrow */
#define ARROW_CH_W	10	/* each further arrow's channel in a gap */
#define ARROW_CHANNELS	8	/* channels a gap widens to, at most */
#define TOP		114	/* title, message, question, context, lane headers */
#define PREEMPT_H	16	/* room for a preemption mark above a step */
#define ROW_GAP		6
#define FOLD_ROWS	40	/* more rows than this: fold the steps -v would show */
#define FOLD_MIN	3	/* fewest steps folded into one row */
#define LANE_CHARS_MIN	24
#define LANE_CHARS_MAX	46

static void xml_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, f);
		}
	}
}

/* Where each step is drawn; lane -1: not drawn. */
struct box {
	int lane;
	double y, h;
	bool preempts;
	bool folded;		/* inside a fold (the first one draws it) */
	int fold_to;		/* the first of a fold: its last step, else -1 */
	struct report_lines text;
};

/* A conflict arrow: its steps, the gap and channel it runs in, its page. */
struct arrow {
	int from, to;
	int gap, chan;
	const char *label;
};

/* Does thread @t only start, join and end threads (no lane of its own)? */
static bool harness_only(const struct trace *tr, int t)
{
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		if (s->tid == t && s->kind != VIS_KIND_SPAWN && s->kind != VIS_KIND_JOIN &&
		    s->kind != VIS_KIND_EXIT)
			return false;
	}
	return true;
}

/*
 * "mm/filemap.c:find_get_entry" (the model's site when it has none); a
 * program's own "file:line".
 */
static void svg_where(const struct report_info *ri, const struct vis_site *site, char *buf,
		      size_t n)
{
	const char *k = report_kernel_loc(site);

	if (ri && ri->program)
		report_program_where(site, buf, n);
	else if (k)
		snprintf(buf, n, "%s", k);
	else
		report_site_str(site, buf, n);
}

static void step_lines(struct report_lines *l, const struct report_info *ri,
		       const struct explore_result *res, int i, int chars)
{
	const struct trace_step *s = &res->trace.steps[i];
	char text[REPORT_WRAP_LEN];

	l->n = 0;
	if (ri && ri->program) {
		/* a program's step with its values on one line, as in the text */
		report_program_cell(res, i, text, sizeof(text));
		report_wrap(l, text, chars, 0, 2);
		return;
	}
	report_wrap(l, report_step_what(s), chars, 0, 2);
	if (s->note[0])
		report_wrap(l, s->note, chars, 1, 3);
}

static void write_text_lines(FILE *f, const struct report_lines *l, double x, double y,
			     int first_bold)
{
	for (int i = 0; i < l->n; i++) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s>", x, y + (i + 1) * LINE_H - 3,
			i == 0 && first_bold ? " font-weight=\"bold\"" : "");
		xml_text(f, l->line[i]);
		fputs("</text>", f);
	}
}

static int svg_draw(FILE *f, const struct report_info *ri, const struct explore_result *res)
{
	const struct trace *tr = &res->trace;
	struct report_focus fo;
	struct box *bx;
	int lane_of[EXPLORE_MAX_THREADS], tid_of[EXPLORE_MAX_THREADS], nlanes = 0, chars = 0;
	char name[REPORT_THREAD_LEN], where[256], title[1024];
	const char *stmt = report_statement(res->finding.id);
	/* an example (--example): no finding box, every step black, no arrows */
	bool example = !res->found;

	if (report_focus_init(&fo, ri, res, true))
		return -1;
	bx = calloc((size_t)tr->nsteps + 1, sizeof(*bx));
	if (!bx) {
		report_focus_free(&fo);
		return -1;
	}
	/* Lanes: every thread with a step that is not harness only, and the finding's. */
	for (int t = 0; t < EXPLORE_MAX_THREADS; t++)
		lane_of[t] = -1;
	int pair = res->finding.pair_step - 1, ptid = res->finding.pair_tid;
	if (pair < 0 || pair >= tr->nsteps || ptid < 0 || ptid >= EXPLORE_MAX_THREADS)
		pair = -1;
	for (int i = 0; i <= tr->nsteps; i++) {
		int t = i < tr->nsteps ? tr->steps[i].tid : res->finding.tid;
		if (t >= 0 && t < EXPLORE_MAX_THREADS &&
		    (i == tr->nsteps || !harness_only(tr, t)))
			lane_of[t] = 0;
	}
	if (pair >= 0)
		lane_of[ptid] = 0;	/* a data race's earlier access has a lane */
	for (int t = 0; t < EXPLORE_MAX_THREADS; t++)
		if (lane_of[t] == 0) {
			lane_of[t] = nlanes;
			tid_of[nlanes++] = t;
		}
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		int n = (int)strlen(report_step_what(s));
		chars = n > chars ? n : chars;
		n = (int)strlen(s->note) + 1;
		chars = n > chars ? n : chars;
	}
	chars = chars < LANE_CHARS_MIN ? LANE_CHARS_MIN : chars > LANE_CHARS_MAX ? LANE_CHARS_MAX : chars;
	double lane_w = chars * CHAR_W + 2 * PAD;

	/*
	 * Folds.  A long trace would put the finding screens below its start,
	 * so past FOLD_ROWS rows the steps the text report folds into "..."
	 * (none of the finding's objects; kept under -v) fold here too: each
	 * run of FOLD_MIN or more such steps, in any lanes, is one row saying
	 * which steps it holds.  A preempting step, and a data race's earlier
	 * access, are never folded.
	 */
	int rows = 0;
	for (int i = 0; i < tr->nsteps; i++) {
		int t = tr->steps[i].tid;
		bx[i].fold_to = -1;
		rows += t >= 0 && t < EXPLORE_MAX_THREADS && lane_of[t] >= 0;
	}
	struct report_focus fk;
	if (!example && rows > FOLD_ROWS && !(ri && ri->verbose) &&
	    report_focus_init(&fk, ri, res, false) == 0) {
		/* a run: its first and last step, and how many it folds */
		int start = -1, last = -1, n = 0;
		for (int i = 0; i <= tr->nsteps; i++) {
			int t = i < tr->nsteps ? tr->steps[i].tid : -1;
			bool drawn = t >= 0 && t < EXPLORE_MAX_THREADS && lane_of[t] >= 0;
			if (drawn && !fk.kept[i] && i != pair &&
			    !(i > 0 && tr->steps[i].preempt > tr->steps[i - 1].preempt)) {
				start = start < 0 ? i : start;
				last = i;
				n++;
				continue;
			}
			if (i < tr->nsteps && !drawn && i != pair)
				continue;	/* a harness step: no row, the run goes on */
			if (n >= FOLD_MIN) {
				/* every drawn step between start and last is of the run */
				for (int k = start; k <= last; k++) {
					int u = tr->steps[k].tid;
					bx[k].folded = u >= 0 && u < EXPLORE_MAX_THREADS && lane_of[u] >= 0;
				}
				bx[start].fold_to = last;
			}
			start = -1;
			n = 0;
		}
		report_focus_free(&fk);
	}

	/* Rows; a data race's earlier access gets one after its step's. */
	struct box pb = { .lane = -1 };
	double y = TOP;
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		struct box *b = &bx[i];
		b->lane = s->tid >= 0 && s->tid < EXPLORE_MAX_THREADS ? lane_of[s->tid] : 0;
		if (b->lane < 0 && i != pair)
			continue;
		if (b->lane < 0)
			goto pair_box;	/* a harness step (a spawn) in which the access ran */
		if (b->folded) {	/* one row for the fold, at its first step */
			if (b->fold_to >= 0) {
				b->y = y;
				b->h = LINE_H + 2 * PAD - 4;
				y += b->h + ROW_GAP;
			}
			continue;
		}
		b->preempts = i > 0 && s->preempt > tr->steps[i - 1].preempt;
		if (b->preempts)
			y += PREEMPT_H;
		step_lines(&b->text, ri, res, i, chars);
		b->y = y;
		b->h = b->text.n * LINE_H + 2 * PAD - 4;
		y += b->h + ROW_GAP;
pair_box:
		if (i == pair) {
			char mark[128];
			snprintf(mark, sizeof(mark), "*** racing %s",
				 res->finding.pair_site.what ? res->finding.pair_site.what : "?");
			pb.lane = lane_of[ptid];
			report_wrap(&pb.text, mark, chars, 0, 2);
			pb.y = y;
			pb.h = pb.text.n * LINE_H + 2 * PAD - 4;
			y += pb.h + ROW_GAP;
		}
	}

	/*
	 * The conflict arrows, each from the latest earlier conflicting step of
	 * each other thread to a focus step.  Each gets a vertical channel of
	 * its own in the gap beside the lane it points into, and the gaps widen
	 * to hold them, so that arrows between two lanes do not run on top of
	 * each other through one 28-pixel gap (issue 17: a trace with six
	 * arrows between two lanes drew them as one smudge).
	 */
	int narrows = 0, cap = 0, gap_use[EXPLORE_MAX_THREADS] = { 0 }, most = 0;
	struct arrow *arrows = NULL;
	for (int j = 0; j < tr->nsteps; j++) {
		const struct trace_step *sj = &tr->steps[j];
		bool done[EXPLORE_MAX_THREADS] = { false };
		for (int i = j - 1; i >= 0; i--) {
			const struct trace_step *si = &tr->steps[i];
			if (si->tid >= 0 && si->tid < EXPLORE_MAX_THREADS && !done[si->tid] &&
			    bx[i].folded && report_conflict(&fo, si, sj))
				done[si->tid] = true;	/* folded away: no arrow */
			if (si->tid < 0 || si->tid >= EXPLORE_MAX_THREADS || done[si->tid] ||
			    bx[j].folded ||
			    bx[i].lane < 0 || bx[j].lane < 0 || bx[i].lane == bx[j].lane ||
			    report_step_ghost(si) || report_step_ghost(sj) ||
			    !report_conflict(&fo, si, sj))
				continue;
			done[si->tid] = true;
			if (narrows == cap) {
				struct arrow *more = realloc(arrows, (size_t)(cap = cap ? 2 * cap : 16) *
							     sizeof(*arrows));
				if (!more) {
					free(arrows);
					free(bx);
					report_focus_free(&fo);
					return -1;
				}
				arrows = more;
			}
			struct arrow *ar = &arrows[narrows++];
			bool right = bx[j].lane > bx[i].lane;
			ar->from = i;
			ar->to = j;
			ar->gap = right ? bx[j].lane - 1 : bx[j].lane;
			ar->chan = gap_use[ar->gap]++ % ARROW_CHANNELS;
			ar->label = report_step_page(&fo, sj);
			if (!ar->label)
				ar->label = report_step_page(&fo, si);
			most = gap_use[ar->gap] > most ? gap_use[ar->gap] : most;
		}
	}
	most = most > ARROW_CHANNELS ? ARROW_CHANNELS : most;
	double lane_gap = LANE_GAP + (most > 1 ? (most - 1) * ARROW_CH_W : 0);

	struct box *fb = &bx[tr->nsteps];	/* the finding */
	if (!example) {
		char bug[64 + EXPLORE_MSG_LEN];
		snprintf(bug, sizeof(bug), "*** %s%s%s", res->finding.id,
			 res->finding.site.what ? " in " : "",
			 res->finding.site.what ? res->finding.site.what : "");
		fb->lane = res->finding.tid >= 0 && res->finding.tid < EXPLORE_MAX_THREADS ?
			   lane_of[res->finding.tid] : 0;
		report_wrap(&fb->text, bug, chars, 0, 2);
		report_wrap(&fb->text, res->finding.message, chars, 1, 1);
		fb->y = y;
		fb->h = fb->text.n * LINE_H + 2 * PAD - 4;
		y += fb->h + ROW_GAP;
	}
	/* The call chains at the finding, then the end state, under the finding. */
	double es_y = y + 10, lanes_end = es_y;
	int es_lines = 0, ch_lines = 0;
	char *chains = NULL;
	size_t chn = 0;
	FILE *cm = ri && ri->chains ? open_memstream(&chains, &chn) : NULL;
	if (cm) {
		report_chains_text(cm, ri, res, 400);	/* one line per thread */
		fclose(cm);
	}
	for (const char *p = chains ? chains : ""; *p; p++)
		ch_lines += *p == '\n';
	es_y += ch_lines * LINE_H;
	const char *es = ri ? report_state_text(ri->end_state) : NULL;

	for (const char *p = es ? es : ""; *p; p++)
		es_lines += *p == '\n';
	y = es_y;
	if (es && es[0])
		y = es_y + (es_lines + 2) * LINE_H;
	double width = LEFT + nlanes * (lane_w + lane_gap) + 300;
	double height = y + 40;
	if (width < 640)
		width = 640;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"monospace\" font-size=\"12\">\n",
		width, height, width, height);
	if (example)
		snprintf(title, sizeof(title), "example: %s",
			 ri && ri->example_head ? ri->example_head : "");
	else
		snprintf(title, sizeof(title), "BUG: %s: %s", res->finding.id,
			 stmt ? stmt : res->finding.message);
	fputs("<title>", f);
	xml_text(f, title);
	fputs("</title>\n", f);
	fputs("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#d9480f\"/></marker></defs>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", width, height);
	fprintf(f, "<text class=\"title\" x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\" fill=\"%s\">",
		example ? "#1864ab" : "#c92a2a");
	xml_text(f, title);
	fputs("</text>\n", f);
	if (stmt && !example) {
		fputs("<text class=\"message\" x=\"8\" y=\"38\">", f);
		xml_text(f, res->finding.message);
		fputs("</text>\n", f);
	}
	if (ri && ri->question) {
		fputs("<text class=\"question\" x=\"8\" y=\"56\">Question: ", f);
		xml_text(f, ri->question);
		fputs("</text>\n", f);
	}
	fputs("<text x=\"8\" y=\"74\" fill=\"#555555\">", f);
	snprintf(title, sizeof(title), "%s %s%s%s; %d preemption%s%s",
		 ri && ri->program ? "program" : "scenario", ri && ri->name ? ri->name : "?",
		 ri && ri->knobs ? ", knobs: " : "", ri && ri->knobs ? ri->knobs : "",
		 res->preemptions, res->preemptions == 1 ? "" : "s",
		 example ? "; a complete execution, no finding" :
		 "; arrows: conflicting accesses to the finding's objects");
	xml_text(f, title);
	fputs("</text>\n", f);

	/* Lanes with their headers. */
	for (int k = 0; k < nlanes; k++) {
		double x = LEFT + k * (lane_w + lane_gap);
		fprintf(f, "<g class=\"lane\" data-thread=\"");
		xml_text(f, report_thread_name(res, tid_of[k], name, sizeof(name)));
		fprintf(f, "\"><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#dee2e6\"/>",
			x - 6, TOP - 26, lane_w + 12, lanes_end - TOP + 16, k % 2 ? "#f8f9fa" : "#f1f3f5");
		fprintf(f, "<text class=\"lane-name\" x=\"%.1f\" y=\"%d\" font-weight=\"bold\" font-size=\"13\">",
			x, TOP - 10);
		xml_text(f, report_thread_name(res, tid_of[k], name, sizeof(name)));
		fputs("</text></g>\n", f);
	}

	/* Steps. */
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		const struct box *b = &bx[i];
		if (b->lane < 0)
			continue;
		if (b->folded) {
			int n = 0;
			if (b->fold_to < 0)
				continue;
			for (int k = i; k <= b->fold_to; k++)
				n += bx[k].folded;
			fprintf(f, "<g class=\"fold\" data-from=\"%d\" data-to=\"%d\"><text x=\"%d\" y=\"%.1f\" fill=\"#868e96\">%d-%d</text><text x=\"%.1f\" y=\"%.1f\" fill=\"#868e96\" font-style=\"italic\">",
				i + 1, b->fold_to + 1, 8, b->y + LINE_H + 1, i + 1, b->fold_to + 1,
				(double)LEFT + PAD, b->y + LINE_H + 1);
			snprintf(title, sizeof(title), "... %d steps on none of the finding's objects "
				 "(--svg with -v draws them)", n);
			xml_text(f, title);
			fputs("</text></g>\n", f);
			continue;
		}
		double x = LEFT + b->lane * (lane_w + lane_gap);
		bool rel = fo.relevant[i], ghost = report_step_ghost(s);
		char model[256];

		if (b->preempts) {
			fprintf(f, "<g class=\"preemption\" data-step=\"%d\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e67700\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"#e67700\" font-size=\"11\">preempts ",
				i + 1, x, b->y - 4, x + lane_w, b->y - 4, x + PAD, b->y - 6);
			xml_text(f, report_thread_name(res, tr->steps[i - 1].tid, name, sizeof(name)));
			fputs("</text></g>\n", f);
		}
		svg_where(ri, &s->site, where, sizeof(where));
		report_site_str(&s->site, model, sizeof(model));
		fprintf(f, "<g class=\"step%s\" data-step=\"%d\" data-thread=\"", ghost ? " ghost" : "",
			i + 1);
		xml_text(f, report_thread_name(res, s->tid, name, sizeof(name)));
		fputs("\"><title>", f);
		snprintf(title, sizeof(title), "step %d, %s: %s%s%s (%s; model %s, %s%s)", i + 1,
			 report_thread_name(res, s->tid, name, sizeof(name)), report_step_what(s),
			 s->note[0] ? "; " : "", s->note, where, model, vis_kind_name(s->kind),
			 ghost ? ", ghost: a check of the model" : "");
		xml_text(f, title);
		fputs("</title>", f);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" fill=\"#868e96\">%d</text>", 8, b->y + LINE_H + 1,
			i + 1);
		rel = (rel || example) && !ghost;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" fill=\"%s\" stroke=\"%s\"%s/>",
			x, b->y, lane_w, b->h, rel ? "#ffffff" : "#f8f9fa", rel ? "#343a40" : "#ced4da",
			ghost ? " stroke-dasharray=\"3 2\"" : "");
		fprintf(f, "<g fill=\"%s\">", rel ? "#212529" : "#868e96");
		write_text_lines(f, &b->text, x + PAD, b->y + PAD - 2, rel);
		fputs("</g>", f);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#adb5bd\" font-size=\"10\">",
			LEFT + nlanes * (lane_w + lane_gap) - lane_gap + 10, b->y + LINE_H + 1);
		xml_text(f, where);
		fputs("</text></g>\n", f);
	}
	if (!example) {
		double x = LEFT + (fb->lane > 0 ? fb->lane : 0) * (lane_w + lane_gap);
		svg_where(ri, &res->finding.site, where, sizeof(where));
		fputs("<g class=\"finding\"><title>", f);
		snprintf(title, sizeof(title), "%s: %s (%s)", res->finding.id, res->finding.message,
			 where);
		xml_text(f, title);
		fputs("</title>", f);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" fill=\"#fff5f5\" stroke=\"#c92a2a\" stroke-width=\"2\"/>",
			x, fb->y, lane_w, fb->h);
		fputs("<g fill=\"#c92a2a\">", f);
		write_text_lines(f, &fb->text, x + PAD, fb->y + PAD - 2, 1);
		fputs("</g></g>\n", f);
	}
	if (pb.lane >= 0) {
		/* a data race's earlier access, and an arrow to the later one */
		double x = LEFT + pb.lane * (lane_w + lane_gap);
		double xf = LEFT + (fb->lane > 0 ? fb->lane : 0) * (lane_w + lane_gap);
		bool right = xf > x;
		svg_where(ri, &res->finding.pair_site, where, sizeof(where));
		fprintf(f, "<g class=\"pair\" data-step=\"%d\" data-thread=\"", pair + 1);
		xml_text(f, report_thread_name(res, ptid, name, sizeof(name)));
		fputs("\"><title>", f);
		snprintf(title, sizeof(title), "the race's earlier access, in step %d: %s by %s (%s)",
			 pair + 1, res->finding.pair_site.what ? res->finding.pair_site.what : "?",
			 report_thread_name(res, ptid, name, sizeof(name)), where);
		xml_text(f, title);
		fputs("</title>", f);
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" fill=\"#fff5f5\" stroke=\"#c92a2a\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>",
			x, pb.y, lane_w, pb.h);
		fputs("<g fill=\"#c92a2a\">", f);
		write_text_lines(f, &pb.text, x + PAD, pb.y + PAD - 2, 1);
		fputs("</g>", f);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#adb5bd\" font-size=\"10\">",
			LEFT + nlanes * (lane_w + lane_gap) - lane_gap + 10, pb.y + LINE_H + 1);
		xml_text(f, where);
		fputs("</text></g>\n", f);
		double x1 = pb.lane == fb->lane ? x + lane_w / 2 : right ? x + lane_w : x;
		double x2 = pb.lane == fb->lane ? xf + lane_w / 2 : right ? xf : xf + lane_w;
		double y1 = pb.lane == fb->lane ? pb.y + pb.h : pb.y + pb.h / 2;
		double y2 = pb.lane == fb->lane ? fb->y : fb->y + fb->h / 2;
		fprintf(f, "<path class=\"race\" data-from=\"%d\" d=\"M%.1f,%.1f L%.1f,%.1f\" fill=\"none\" stroke=\"#c92a2a\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\" marker-end=\"url(#arrow)\"/>\n",
			pair + 1, x1, y1, x2, y2);
	}
	if (chains && chains[0]) {
		/* its first line is blank, its second the heading */
		const char *p = chains + (chains[0] == '\n');
		int l = 0;
		fputs("<g class=\"call-chains\">", f);
		while (*p) {
			const char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			char buf[1200];
			snprintf(buf, sizeof(buf), "%.*s", (int)(len < 1199 ? len : 1199), p);
			fprintf(f, "<text x=\"8\" y=\"%.1f\" xml:space=\"preserve\"%s>",
				es_y - (ch_lines - 1 - l) * LINE_H, l ? "" : " font-weight=\"bold\"");
			xml_text(f, buf);
			fputs("</text>", f);
			l++;
			p = eol ? eol + 1 : p + len;
		}
		fputs("</g>\n", f);
	}
	free(chains);
	if (es && es[0]) {
		const char *p = es;
		int l = 0;
		fprintf(f, "<g class=\"end-state\"><text x=\"8\" y=\"%.1f\" font-weight=\"bold\">End state</text>",
			es_y + LINE_H);
		while (*p) {
			const char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			char buf[512];
			snprintf(buf, sizeof(buf), "%.*s", (int)(len < 511 ? len : 511), p);
			fprintf(f, "<text x=\"8\" y=\"%.1f\" xml:space=\"preserve\">", es_y + (l + 2) * LINE_H);
			xml_text(f, buf);
			fputs("</text>", f);
			l++;
			p = eol ? eol + 1 : p + len;
		}
		fputs("</g>\n", f);
	}

	/* The arrows, in the channels chosen above, each labelled with its page. */
	for (int k = 0; k < narrows; k++) {
		const struct arrow *ar = &arrows[k];
		const struct box *a = &bx[ar->from], *b = &bx[ar->to];
		double xa = LEFT + a->lane * (lane_w + lane_gap);
		double xb = LEFT + b->lane * (lane_w + lane_gap);
		bool right = b->lane > a->lane;
		double x1 = right ? xa + lane_w : xa, x2 = right ? xb : xb + lane_w;
		double xc = LEFT + ar->gap * (lane_w + lane_gap) + lane_w + 8 + ar->chan * ARROW_CH_W;
		double y1 = a->y + a->h / 2, y2 = b->y + b->h / 2;
		fprintf(f, "<path class=\"conflict\" data-from=\"%d\" data-to=\"%d\" d=\"M%.1f,%.1f H%.1f V%.1f H%.1f\" fill=\"none\" stroke=\"#d9480f\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n",
			ar->from + 1, ar->to + 1, x1, y1, xc, y2, x2);
		if (ar->label) {
			fprintf(f, "<text class=\"conflict-label\" data-to=\"%d\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#d9480f\" transform=\"rotate(-90 %.1f %.1f)\">",
				ar->to + 1, xc - 2, (y1 + y2) / 2, xc - 2, (y1 + y2) / 2);
			xml_text(f, ar->label);
			fputs("</text>\n", f);
		}
	}
	free(arrows);
	fputs("</svg>\n", f);
	free(bx);
	report_focus_free(&fo);
	return 0;
}

/* Draw @res (a finding's trace, or an example's view) into @path, through a temporary file. */
static int svg_write(const char *path, const struct report_info *ri,
		     const struct explore_result *res, char *err, size_t errlen)
{
	char tmp[4096];
	FILE *f;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	rc = svg_draw(f, ri, res);
	if (fclose(f) != 0 || rc != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, rc ? "out of memory" : strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

int report_svg(const char *path, const struct report_info *ri, const struct explore_result *res,
	       char *err, size_t errlen)
{
	if (!res->found) {
		snprintf(err, errlen, "no counterexample to draw in %s", path);
		return -1;
	}
	return svg_write(path, ri, res, err, errlen);
}

int report_example_svg(const char *path, const struct report_info *ri, char *err, size_t errlen)
{
	struct report_info ex = *ri;
	struct explore_result v;

	if (!ri->example) {
		snprintf(err, errlen, "no example to draw in %s", path);
		return -1;
	}
	report_example_view(ri->example, &v);
	ex.end_state = ri->example_end_state;	/* the example's, not a finding's */
	ex.chains = NULL;
	return svg_write(path, &ex, &v, err, errlen);
}
