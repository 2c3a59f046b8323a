// SPDX-License-Identifier: MIT
/*
 * focus.c - what a finding is about, shared by the text report and the SVG
 * swimlanes: the pages the finding names, the objects of the trace that
 * belong to them, which steps the condensed trace shows, which pairs of
 * steps conflict; and the helpers both drawings use (names, sites, word
 * wrapping).
 *
 * The report knows nothing of the model's structures: the pages are found
 * by name, in the finding's message and among the end state's facts
 * (struct report_state, one REPORT_FACT_PAGE per page), and a page's
 * objects are the objects of the steps whose note names it.  A step
 * that touches a page's field without any noted step touching the same
 * field is therefore folded; the model's notes decide what is shown.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_int.h"

/* ==== Names and sites ==== */

const char *report_thread_name(const struct explore_result *res, int tid, char *buf, size_t n)
{
	const struct trace *tr = &res->trace;

	if (tid < 0 || tid >= EXPLORE_MAX_THREADS || tid >= tr->nthreads || !tr->thread_names[tid][0]) {
		snprintf(buf, n, "T%d", tid);
		return buf;
	}
	/*
	 * Two threads of one name (a program's two threads running t) are
	 * told apart by their ids, "t#1" and "t#2", as vis_thread_label()
	 * names them in the findings' messages.
	 */
	for (int u = 0; u < tr->nthreads && u < EXPLORE_MAX_THREADS; u++)
		if (u != tid && strncmp(tr->thread_names[u], tr->thread_names[tid],
					sizeof(tr->thread_names[u])) == 0) {
			snprintf(buf, n, "%.31s#%d", tr->thread_names[tid], tid);
			return buf;
		}
	return tr->thread_names[tid];
}

const char *report_step_what(const struct trace_step *s)
{
	return s->site.what ? s->site.what : vis_kind_name(s->kind);
}

void report_site_str(const struct vis_site *site, char *buf, size_t n)
{
	const char *f = site->file;

	if (!f) {
		snprintf(buf, n, "-");
		return;
	}
	if (strncmp(f, "src/", 4) == 0)
		f += 4;
	snprintf(buf, n, "%s:%d", f, site->line);
}

void report_program_where(const struct vis_site *site, char *buf, size_t n)
{
	/* an engine site (the thread's end) has its model function */
	const char *k = site->func ? report_kernel_loc(site) : NULL;

	if (k && strncmp(k, "(scenario: ", 11) == 0)
		snprintf(buf, n, "(%s", k + 11);
	else if (k)
		snprintf(buf, n, "%s", k);
	else if (site->func || !site->file)
		snprintf(buf, n, "-");
	else if (site->line > 0)
		snprintf(buf, n, "%s:%d", site->file, site->line);
	else
		snprintf(buf, n, "%s", site->file);
}

void report_program_cell(const struct explore_result *res, int i, char *buf, size_t n)
{
	const struct trace *tr = &res->trace;
	const struct trace_step *s = &tr->steps[i];
	char who[REPORT_THREAD_LEN], nb[REPORT_THREAD_LEN];
	int tid = -1;

	who[0] = '\0';
	if (s->kind == VIS_KIND_SPAWN && s->value > 0)
		tid = s->value;		/* the engine's spawn records the child's id */
	else if (s->kind == VIS_KIND_JOIN)
		/* a join waits on the thread's record, which its exit step names */
		for (int j = i - 1; j >= 0 && tid < 0; j--)
			if (tr->steps[j].kind == VIS_KIND_EXIT && tr->steps[j].obj == s->obj)
				tid = tr->steps[j].tid;
	if (tid >= 0)
		snprintf(who, sizeof(who), "%s", report_thread_name(res, tid, nb, sizeof(nb)));
	snprintf(buf, n, "%s%s%s%s%s", report_step_what(s), who[0] ? " " : "", who,
		 s->note[0] ? " " : "", s->note);
}

static const struct {
	const char *id, *text;
} statements[] = {
#define VIOL(e, id, text) { id, text },
#include "inv/violations.def"
#undef VIOL
};

const char *report_statement(const char *id)
{
	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++)
		if (strcmp(statements[i].id, id) == 0)
			return statements[i].text;
	return NULL;
}

bool report_step_ghost(const struct trace_step *s)
{
	return (s->site.flags & VIS_SITE_GHOST) != 0;
}

bool report_step_writes(const struct trace_step *s)
{
	switch (s->kind) {
	case VIS_KIND_WRITE:
	case VIS_KIND_RMW:
	case VIS_KIND_RMW_IF:
	case VIS_KIND_ADD:
	case VIS_KIND_LOCK:
	case VIS_KIND_UNLOCK:
	case VIS_KIND_WAIT_RMW:
	case VIS_KIND_LOCK_QUEUE:	/* acquired or queued: a write of the lock */
		return true;
	case VIS_KIND_TRYLOCK:
		return s->value != 0;
	default:
		return false;
	}
}

/* ==== Focus ==== */

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Does @text contain @word as a whole word? */
static bool names_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	if (!n)
		return false;
	for (const char *p = text; (p = strstr(p, word)) != NULL; p++)
		if ((p == text || !is_word_char(p[-1])) && !is_word_char(p[n]))
			return true;
	return false;
}

/* Does step @s (its function or note) name page @name? */
static bool step_names(const struct trace_step *s, const char *name)
{
	return names_word(s->note, name) || (s->site.what && names_word(s->site.what, name));
}

/* Every page of the end state, in order, with its state. */
struct page_list {
	int n;
	char name[64][REPORT_NAME_LEN];
	char state[64][256];
};

static void end_state_pages(const struct report_state *es, struct page_list *pl)
{
	pl->n = 0;
	for (int k = 0; es && k < es->nfacts && pl->n < 64; k++) {
		const struct report_fact *fa = &es->facts[k];
		size_t o = 0;

		if (fa->kind != REPORT_FACT_PAGE)
			continue;
		snprintf(pl->name[pl->n], sizeof(pl->name[0]), "%.*s", (int)sizeof(pl->name[0]) - 1, fa->page);
		/* the state, blanks collapsed */
		for (const char *q = fa->text; *q && o + 1 < sizeof(pl->state[0]); q++) {
			if (*q == ' ' && (o == 0 || pl->state[pl->n][o - 1] == ' '))
				continue;
			pl->state[pl->n][o++] = *q;
		}
		pl->state[pl->n][o] = '\0';
		pl->n++;
	}
}

static void add_obj(struct report_focus *f, const void *obj)
{
	if (!obj)
		return;
	for (int k = 0; k < f->nobjs; k++)
		if (f->obj[k] == obj)
			return;
	if (f->nobjs < REPORT_MAX_OBJS)
		f->obj[f->nobjs++] = obj;
}

static bool has_obj(const struct report_focus *f, const void *obj)
{
	for (int k = 0; obj && k < f->nobjs; k++)
		if (f->obj[k] == obj)
			return true;
	return false;
}

static bool names_focus_page(const struct report_focus *f, const struct trace_step *s)
{
	for (int p = 0; p < f->npages; p++)
		if (step_names(s, f->page[p]))
			return true;
	return false;
}

static bool names_any_page(const struct page_list *pl, const struct trace_step *s)
{
	for (int p = 0; p < pl->n; p++)
		if (step_names(s, pl->name[p]))
			return true;
	return false;
}

/* ==== The loop of a no-progress finding ==== */

#define REPORT_MAX_LOOP 1024	/* longest round looked for, in steps */

static bool same_step(const struct trace_step *a, const struct trace_step *b)
{
	if (a->tid != b->tid || a->kind != b->kind || a->obj != b->obj ||
	    a->value != b->value || a->site.line != b->site.line)
		return false;
	if (!a->site.file || !b->site.file)
		return a->site.file == b->site.file;
	return strcmp(a->site.file, b->site.file) == 0;
}

/*
 * The shortest period p with which the trace repeats at least twice up to
 * its last t < p steps, and where the repetition starts.  The stateful
 * search's trace repeats the cycle it met up to the bound, so it is found
 * exactly, with t = 0.  A stateless run reaches the bound in a round that
 * may differ from the ones before: the depth-first search meets the
 * bound on a path whose deepest choice took its other value last (a
 * write(2)'s fault-in refused 272 times, accepted in the round that met
 * the bound), hence the tail t.  A run whose threads interleave
 * irregularly may have no period at all.
 */
static void find_loop(struct report_focus *f, const struct trace *tr)
{
	int n = tr->nsteps;

	for (int p = 1; p <= n / 2 && p <= REPORT_MAX_LOOP; p++) {
		for (int t = 0; t < p && 2 * p + t <= n; t++) {
			int k, start, end = n - t;

			for (k = 0; k < p && same_step(&tr->steps[end - 1 - k],
						       &tr->steps[end - 1 - k - p]); k++)
				;
			if (k < p)
				continue;
			start = end - 2 * p;
			while (start > 0 && same_step(&tr->steps[start - 1], &tr->steps[start - 1 + p]))
				start--;
			f->loop_start = start;
			f->loop_len = p;
			f->loop_rounds = (end - start) / p;
			return;
		}
	}
}

int report_held_locks(const struct trace *tr, int tid, int upto, char *buf, size_t n)
{
	const struct trace_step *held[16];
	int nheld = 0, o = 0;

	for (int i = 0; i < upto && i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];

		if (s->tid != tid)
			continue;
		if ((s->kind == VIS_KIND_LOCK || s->kind == VIS_KIND_LOCK_SHARED ||
		     ((s->kind == VIS_KIND_TRYLOCK || s->kind == VIS_KIND_LOCK_QUEUE) &&
		      s->value)) && nheld < 16) {
			held[nheld++] = s;
		} else if (s->kind == VIS_KIND_UNLOCK) {
			for (int j = nheld - 1; j >= 0; j--)
				if (held[j]->obj == s->obj) {
					held[j] = held[--nheld];
					break;
				}
		}
	}
	buf[0] = 0;
	for (int j = 0; j < nheld && o < (int)n; j++)
		o += snprintf(buf + o, n - (size_t)o, "%s%s", j ? ", " : "",
			      report_step_what(held[j]));
	return nheld;
}

/*
 * An example (--example: a trace without a finding) has no focus to fold
 * around: every kernel step is shown, and the steps of the harness are not
 * (spawns, joins, ghost steps; with @verbose all of them).  A thread's exit
 * is shown when the thread shows another step, so that the listing ends
 * with the step that ends the last thread: the execution is complete.
 */
static int example_focus(struct report_focus *f, const struct trace *tr, bool verbose)
{
	bool shows[EXPLORE_MAX_THREADS] = { false };

	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		bool harness = s->kind == VIS_KIND_SPAWN || s->kind == VIS_KIND_JOIN ||
			       s->kind == VIS_KIND_EXIT || report_step_ghost(s);
		f->kept[i] = verbose || !harness;
		if (f->kept[i] && s->kind != VIS_KIND_EXIT && s->tid >= 0 &&
		    s->tid < EXPLORE_MAX_THREADS)
			shows[s->tid] = true;
	}
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		if (s->kind == VIS_KIND_EXIT && s->tid >= 0 && s->tid < EXPLORE_MAX_THREADS &&
		    shows[s->tid])
			f->kept[i] = true;
	}
	return 0;
}

int report_focus_init(struct report_focus *f, const struct report_info *ri,
		      const struct explore_result *res, bool verbose)
{
	const struct trace *tr = &res->trace;
	struct page_list *pl;
	int last = -1;
	bool program = ri && ri->program;

	memset(f, 0, sizeof(*f));
	if (!res->found) {
		f->kept = calloc((size_t)tr->nsteps + 1, sizeof(bool));
		f->relevant = calloc((size_t)tr->nsteps + 1, sizeof(bool));
		if (!f->kept || !f->relevant) {
			report_focus_free(f);
			return -1;
		}
		return example_focus(f, tr, verbose);
	}
	pl = calloc(1, sizeof(*pl));
	f->kept = calloc((size_t)tr->nsteps + 1, sizeof(bool));
	f->relevant = calloc((size_t)tr->nsteps + 1, sizeof(bool));
	if (!pl || !f->kept || !f->relevant) {
		free(pl);
		report_focus_free(f);
		return -1;
	}
	end_state_pages(ri ? ri->end_state : NULL, pl);
	for (int p = 0; p < pl->n && f->npages < REPORT_MAX_PAGES; p++)
		if (names_word(res->finding.message, pl->name[p])) {
			strcpy(f->page[f->npages], pl->name[p]);
			strcpy(f->page_state[f->npages], pl->state[p]);
			f->npages++;
		}

	/*
	 * A deadlock's message names the blocked threads, not pages: the
	 * pages it is about are the ones they wait for, or whose leaked
	 * reference keeps them waiting; show every page's steps.
	 */
	if (f->npages == 0 && res->finding.verdict == VERDICT_DEADLOCK)
		for (int p = 0; p < pl->n && f->npages < REPORT_MAX_PAGES; p++) {
			strcpy(f->page[f->npages], pl->name[p]);
			strcpy(f->page_state[f->npages], pl->state[p]);
			f->npages++;
		}
	for (int i = tr->nsteps - 1; i >= 0; i--)
		if (tr->steps[i].tid == res->finding.tid) {
			last = i;
			break;
		}
	/*
	 * A check that fires in a ghost step (lock_page's "is the page still
	 * live?") is shown at the kernel step it checks: the finding thread's
	 * last step that is not a ghost.
	 */
	int shown_last = last;
	while (!verbose && shown_last >= 0 && (report_step_ghost(&tr->steps[shown_last]) ||
					       tr->steps[shown_last].tid != res->finding.tid))
		shown_last--;
	if (last >= 0)
		add_obj(f, tr->steps[last].obj);
	for (int i = 0; i < tr->nsteps; i++)
		if (names_focus_page(f, &tr->steps[i]))
			add_obj(f, tr->steps[i].obj);

	if (res->found && res->finding.verdict == VERDICT_NO_PROGRESS)
		find_loop(f, tr);
	for (int i = 0; i < tr->nsteps; i++) {
		const struct trace_step *s = &tr->steps[i];
		bool rel = has_obj(f, s->obj) || names_focus_page(f, s);

		/*
		 * A program's deadlock is about its locks and waits; every step
		 * of a program notes its values, so a note keeps none.
		 */
		if (program && res->finding.verdict == VERDICT_DEADLOCK && s->site.what)
			rel = rel || strncmp(s->site.what, "pthread_", 8) == 0 ||
			      strncmp(s->site.what, "sem_", 4) == 0;
		f->relevant[i] = rel;
		if (verbose || i == res->finding.pair_step - 1)
			/* the step of a data race's earlier access is always shown */
			f->kept[i] = true;
		else if (f->loop_rounds && i >= f->loop_start)
			/* the loop: its first round, then nothing but the last step */
			f->kept[i] = i < f->loop_start + f->loop_len || i == tr->nsteps - 1;
		else if (program && i == tr->nsteps - 1)
			/* a program's finding may come in a spawn (the child's first code) */
			f->kept[i] = true;
		else if (s->kind == VIS_KIND_EXIT || s->kind == VIS_KIND_SPAWN ||
			 report_step_ghost(s))
			f->kept[i] = false;
		else
			f->kept[i] = rel || i == tr->nsteps - 1 || i == shown_last ||
				     (s->note[0] && !program && !names_any_page(pl, s));
	}
	free(pl);
	return 0;
}

void report_focus_free(struct report_focus *f)
{
	free(f->kept);
	free(f->relevant);
	f->kept = f->relevant = NULL;
}

const char *report_step_page(const struct report_focus *f, const struct trace_step *s)
{
	for (int p = 0; p < f->npages; p++)
		if (step_names(s, f->page[p]))
			return f->page[p];
	return NULL;
}

bool report_conflict(const struct report_focus *f, const struct trace_step *a,
		     const struct trace_step *b)
{
	return a->obj && a->obj == b->obj && a->tid != b->tid && has_obj(f, a->obj) &&
	       (report_step_writes(a) || report_step_writes(b));
}

/* ==== Word wrapping ==== */

int report_longest_word(const char *text)
{
	int best = 0, cur = 0;

	for (const char *p = text; ; p++) {
		if (!*p || *p == ' ') {
			best = cur > best ? cur : best;
			cur = 0;
			if (!*p)
				break;
		} else {
			cur++;
		}
	}
	return best;
}

void report_wrap(struct report_lines *l, const char *text, int width, int ind1, int ind2)
{
	const char *s = text;
	int indent = ind1;

	while (*s == ' ')
		s++;
	while (*s && l->n < REPORT_WRAP_LINES) {
		int room = width - indent, n = (int)strlen(s);

		if (room < 1)
			room = 1;
		if (n > room) {
			int k;
			for (k = room; k > 0 && s[k] != ' '; k--)
				;
			if (k > 0) {
				n = k;
			} else {	/* one word longer than the room: break inside it */
				for (k = room - 1; k > 0 && !strchr("/,(_", s[k - 1]); k--)
					;
				n = k > room / 3 ? k : room;
			}
		}
		if (n > REPORT_WRAP_LEN - 1 - indent)
			n = REPORT_WRAP_LEN - 1 - indent;
		snprintf(l->line[l->n++], REPORT_WRAP_LEN, "%*s%.*s", indent, "", n, s);
		s += n;
		while (*s == ' ')
			s++;
		indent = ind2;
	}
}
