/* SPDX-License-Identifier: MIT */
/*
 * report_int.h - shared by the files of src/report only: the JSON form of a
 * trace (used both by --json and by trace files, so that both carry the same
 * structure), and the "focus" of a finding that the text report and the SVG
 * drawing share: which pages the finding is about, which objects of the
 * trace belong to them, which steps are shown and which conflict.
 */
#ifndef PVM_REPORT_REPORT_INT_H
#define PVM_REPORT_REPORT_INT_H

#include <jansson.h>
#include "report/report.h"

/**
 * report_trace_json - {"threads": [...], "schedule": [...], "steps": [...]}
 * for the trace of @res.  Return: a new reference.
 */
json_t *report_trace_json(const struct explore_result *res);

/** report_finding_json - the "violation" object of @res, or JSON null. */
json_t *report_finding_json(const struct explore_result *res);

/* ==== Small helpers shared by the text and SVG reports ==== */

/* Room for a thread's name as reports print it ("name#63"). */
#define REPORT_THREAD_LEN	48

/**
 * report_thread_name - the name of thread @tid of @res's trace, or "T<tid>"
 * written into @buf when it has none; a name that another thread of the
 * trace has too gets the thread's id, "t#2" (written into @buf, which
 * should have REPORT_THREAD_LEN bytes).
 * Context: any.
 * Return: the name.
 */
const char *report_thread_name(const struct explore_result *res, int tid, char *buf, size_t n);

/** report_step_what - the kernel function (and detail) of step @s. */
const char *report_step_what(const struct trace_step *s);

/**
 * report_site_str - "mm/page.c:182" for @site (the leading "src/" of the
 * model's tree dropped, as the model's files carry the kernel's names), or
 * "-" when the site has no file.
 */
void report_site_str(const struct vis_site *site, char *buf, size_t n);

/**
 * report_program_where - the "where" of @site in a program's trace (`pvcheck
 * run`): the program's "file:line" as the user named the file, "(thread
 * ends)" for the engine's end of a thread, "-" when there is none.  No
 * kernel location: a program is not kernel code.
 * Context: any.
 */
void report_program_where(const struct vis_site *site, char *buf, size_t n);

/**
 * report_program_cell - the text of step @i of a program's trace on one
 * line: the operation, whom a pthread_create started or a pthread_join
 * waited for (as the columns name them), and the values the step read and
 * wrote (its note): "atomic_load x = 0", "pthread_create t#1".
 * Context: any.
 */
void report_program_cell(const struct explore_result *res, int i, char *buf, size_t n);

/**
 * report_kernel_loc - the v5.7 kernel location that @site models,
 * "mm/filemap.c:find_get_entry", or "(actor)" for a step that is not kernel
 * code (src/report/kernel.c).  Return: the location, or NULL when the
 * site's model function is not in the table (or the site has none).
 */
const char *report_kernel_loc(const struct vis_site *site);

/** report_step_ghost - whether step @s is a ghost step (VIS_SITE_GHOST). */
bool report_step_ghost(const struct trace_step *s);

/**
 * report_statement - the statement of property @id ("INV-01") from
 * src/inv/violations.def.  Return: the statement, or NULL for ids that are
 * not properties (deadlock, WARN_ON, assert ...).
 */
const char *report_statement(const char *id);

/**
 * report_step_writes - whether step @s changes its object (a write, RMW,
 * lock or unlock, an acquired trylock), as opposed to only reading it.
 */
bool report_step_writes(const struct trace_step *s);

/* ==== The focus of a finding ==== */

#define REPORT_MAX_PAGES	8
#define REPORT_MAX_OBJS		64
#define REPORT_NAME_LEN		32

/*
 * What a finding is about.  The pages are the page names (from the model's
 * end state) that the finding's message names; the objects are the objects
 * of every step whose function or note names one of those pages, plus the
 * object of the finding thread's last step.  A step is shown in the
 * condensed trace when it touches one of the objects, names one of the
 * pages, carries a note that names no other page, or is the last step.
 */
struct report_focus {
	int npages;
	char page[REPORT_MAX_PAGES][REPORT_NAME_LEN];
	char page_state[REPORT_MAX_PAGES][256];	/* the page's end-state line, or "" */
	int nobjs;
	const void *obj[REPORT_MAX_OBJS];
	bool *kept;				/* per step: shown in the condensed trace */
	bool *relevant;				/* per step: touches the finding's pages */
	/* no-progress: the trace's tail repeats steps [loop_start, +loop_len) */
	int loop_start, loop_len, loop_rounds;	/* loop_rounds 0: no loop found */
};

/*
 * report_held_locks - the locks thread @tid holds before step @upto of
 * @tr (acquired and not released), as their acquiring steps' names joined
 * by ", " into @buf.  Return: how many.
 */
int report_held_locks(const struct trace *tr, int tid, int upto, char *buf, size_t n);

/**
 * report_focus_init - work out the focus of @res's finding (see struct
 * report_focus); @ri supplies the end state.  With @verbose every step is
 * kept.  A result without a finding is an example (--example): no focus,
 * every step kept but the harness's (spawns, joins, ghosts, the exits of
 * threads that show nothing else).  Return: 0, or -1 when out of memory
 * (then nothing is kept).
 */
int report_focus_init(struct report_focus *f, const struct report_info *ri,
		      const struct explore_result *res, bool verbose);

/** report_focus_free - release what report_focus_init() allocated. */
void report_focus_free(struct report_focus *f);

/**
 * report_step_page - the first page of the focus that step @s names (its
 * function or its note), e.g. to label a conflict arrow.
 * Return: the page's name, or NULL.
 */
const char *report_step_page(const struct report_focus *f, const struct trace_step *s);

/**
 * report_conflict - whether steps @a and @b conflict on an object of the
 * focus: the same object, different threads, at least one of them a write.
 */
bool report_conflict(const struct report_focus *f, const struct trace_step *a,
		     const struct trace_step *b);

/* ==== Word wrapping ==== */

#define REPORT_WRAP_LINES	24
#define REPORT_WRAP_LEN		200

struct report_lines {
	int n;
	char line[REPORT_WRAP_LINES][REPORT_WRAP_LEN];
};

/**
 * report_wrap - append @text to @l, wrapped at @width columns: the first
 * line indented by @ind1, the others by @ind2.  Lines break only at blanks;
 * a word longer than the room left is broken after a '/', ',', '(' or '_'
 * if it has one in the room, and cut only if it has none.
 */
void report_wrap(struct report_lines *l, const char *text, int width, int ind1, int ind2);

/** report_longest_word - the length of the longest blank-separated word of @text. */
int report_longest_word(const char *text);

/* ==== Call chains at the finding (chains.c) ==== */

#define REPORT_MAX_FRAMES	17	/* the model's 16 and a "..." */

/**
 * report_chains_text - "Call chains at the finding" of @ri->chains: one
 * line per thread of @res's trace, the finding's thread marked "*", its
 * kernel functions innermost first and what it runs.  Nothing when
 * @ri->chains is NULL (a program of `pvcheck run`).
 */
void report_chains_text(FILE *out, const struct report_info *ri, const struct explore_result *res,
			int width);

/**
 * report_chains_json - @chains as [{"thread", "in", "frames": [...]}], one
 * per thread of @res's trace, or JSON null when @chains is NULL.
 * Return: a new reference.
 */
json_t *report_chains_json(const char *chains, const struct explore_result *res);

/**
 * report_hash_miss_bound - the stateful search stores each visited state
 * as a 128-bit hash (XXH3): a state is missed only when two of the @n
 * stored hash alike, which for uniform hashes has probability below
 * n^2 / 2^129 (the birthday bound), as SPIN prints for its hash
 * compaction.
 * Context: any.
 * Return: that bound.
 */
double report_hash_miss_bound(unsigned long long n);

/**
 * report_verdict_str - @res's verdict in words ("safe", "violation INV-01",
 * under --all the set of ids) into @buf of @n bytes.
 * Context: any.
 */
void report_verdict_str(const struct explore_result *res, char *buf, size_t n);

#endif /* PVM_REPORT_REPORT_INT_H */
