/* SPDX-License-Identifier: MIT */
/*
 * report.h - what pvcheck prints about an exploration: the condensed (or,
 * with -v, full) counterexample report in the style of lockdep and KASAN,
 * one JSON object per scenario, the catalog's verdict table, and JSON trace
 * files that `pvcheck replay` reads back.
 *
 * The report reads only the explorer's result (verdict, statistics, trace
 * of the finding) and an end-state text captured by the caller; it never
 * looks into the model.  Everything except lines starting with "time:" and
 * the table's time column is deterministic for a given run, so that golden
 * files can compare it.
 */
#ifndef PVM_REPORT_REPORT_H
#define PVM_REPORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "check/explore.h"

/*
 * The width of a text report: the terminal's, clamped to 80..140 columns,
 * when stdout is a terminal; otherwise a fixed width, so that reports piped
 * to a file (and golden files) do not depend on who ran them.
 */
#define REPORT_WIDTH_MIN	80
#define REPORT_WIDTH_MAX	140
#define REPORT_WIDTH_FIXED	100

/* How the trace's preemption count was minimised (struct report_info.simplest). */
enum report_simplest {
	REPORT_SIMPLEST_NONE,		/* not searched (--no-simplest, random, replay) */
	REPORT_SIMPLEST_FEWEST,		/* every smaller bound explored: none shows it */
	REPORT_SIMPLEST_BOUNDED,	/* a smaller bound stopped at another finding */
};

/*
 * The model's state at the end of a trace: the text the report prints, and
 * the facts about its pages the report reasons about (which pages a finding
 * names, who holds what when a deadlock or loop is cut), handed over by the
 * CLI from the model (mdl_state_facts) so that the report never reads the
 * text back.  A fact's kinds and strings are struct mdl_fact's:
 *   REPORT_FACT_PAGE    a page; @text its state after the name
 *   REPORT_FACT_FROZEN  its refcount frozen by @by
 *   REPORT_FACT_LOCKED  its page lock held by @by
 *   REPORT_FACT_HOLDER  a reference owned by thread @of ("" for a PTE's,
 *                       the cache's, a pipe's, a cpu's), taken by @by
 * @text is the fact's line of the end state without its indentation.
 */
enum report_fact_kind { REPORT_FACT_PAGE, REPORT_FACT_FROZEN, REPORT_FACT_LOCKED, REPORT_FACT_HOLDER };
#define REPORT_FACT_NAME	48
struct report_fact {
	enum report_fact_kind kind;
	char page[REPORT_FACT_NAME], by[REPORT_FACT_NAME], of[REPORT_FACT_NAME];
	char text[256];
};
struct report_state {
	char *text;
	int nfacts;
	struct report_fact *facts;
};

/* @s's text, or NULL when there is no end state. */
static inline const char *report_state_text(const struct report_state *s)
{
	return s ? s->text : NULL;
}

/* What the report says about the run besides the explorer's result. */
struct report_info {
	const char *name;		/* scenario or program name */
	bool program;			/* `pvcheck run`: a program, not a scenario */
	bool races_unchecked;		/* a program's plain accesses were not checked for races */
	const char *file;		/* scenario/program path, or NULL */
	const char *profile;		/* "linux-5.7", or NULL */
	const char *question;		/* the scenario's question, or NULL */
	const char *knobs;		/* "splice_hook=off", "defaults", or NULL */
	const char *expected;		/* "violation INV-01", or NULL when none */
	int as_expected;		/* 1, 0, or -1 when there is no expectation */
	const char *trace_path;		/* the --trace-out file written, or NULL */
	const struct report_state *end_state;	/* the model's end state, or NULL */
	/*
	 * Each thread's kernel call chain at the step of the finding, or NULL:
	 * one line per thread, tab-separated: name, what it runs ("line 12
	 * splice_write", "ended"), the kernel functions, innermost first
	 * (mdl_dump_chains).  A thread of the trace without a line had not
	 * started.
	 */
	const char *chains;
	const char *mode;		/* "dpor", "random", "pct", "replay" */
	const char *replayed_from;	/* the trace replayed, or NULL */
	/* knobs as name/value pairs for JSON (all model knobs, effective values) */
	int nknobs;
	const char *const *knob_names;
	const char *const *knob_values;
	bool verbose;			/* -v: every step of the trace */
	bool quiet;			/* -q: one line per scenario */
	int width;			/* columns of the text report; 0: see REPORT_WIDTH_* */
	enum report_simplest simplest;	/* how the preemptions were minimised */
	/*
	 * Where the search met the finding, before the runs that minimised its
	 * preemptions: executions of the search proper (0: none) and random
	 * walks run by then.  Both 0: take res->executions/random_executions.
	 */
	uint64_t found_exec, found_walk;
	const char *svg_path;		/* the --svg file written, or NULL */
	/*
	 * Outcomes of the scenario's operations over the search (counted by
	 * the binder; not under -j): one "THREAD line N: OP ARGS: 0 x12,
	 * -EBUSY x3" per operation, and those that never did their work in a
	 * complete search (vacuous).  noutcomes < 0: not recorded.
	 */
	int noutcomes;
	const char *const *outcomes;
	int nvacuous;
	const char *const *vacuous;
	/*
	 * --all (res->all_findings): each distinct finding as a result of its
	 * own (finding, trace, preemptions), in res->findings' order, and the
	 * model's end state after each (NULL entries: not captured).
	 */
	int nfound;
	const struct explore_result *found;
	const struct report_state *const *found_end_states;
	const char *const *found_chains;	/* the call chains at each (as chains) */
	/*
	 * --example: one complete execution of the search, shown after a
	 * verdict without a finding (a safe verdict has no trace of its own).
	 * example_sel is the selection as given ("1", "busy", "dma=0"; NULL:
	 * no --example); example->example the execution's trace (NULL: none,
	 * example_notice says why); example_head what follows "example: "
	 * (which execution, of how many, what its operations returned);
	 * example_outcomes each operation's outcome in it ("vcpu line 22:
	 * guest_write g 0 42: 0"); example_end_state the model's state at its
	 * end.  example_of 0: the count is not known (a stateful verdict).
	 */
	const char *example_sel;
	const struct explore_result *example;
	const char *example_head;
	int nexample_outcomes;
	const char *const *example_outcomes;
	const struct report_state *example_end_state;
	const char *example_notice;
	uint64_t example_exec, example_of;
};

/** report_verdict_name - "safe", "violation", "deadlock", "no-progress", "incomplete". */
const char *report_verdict_name(enum explore_verdict v);

/**
 * report_text - print the human report of one exploration to @out: on a
 * finding the banner, the side-by-side trace, the end state and the
 * statistics; otherwise the verdict and the statistics.
 */
void report_text(FILE *out, const struct report_info *ri, const struct explore_result *res);

/**
 * report_findings_text - under --all, the list before the findings'
 * reports: the scenario, how many distinct findings and their set, one
 * line per finding (id, site, thread, preemptions of its trace), the
 * expectation and the statistics.  @ri->found holds the findings.
 */
void report_findings_text(FILE *out, const struct report_info *ri, const struct explore_result *res);

/**
 * report_svg - write @res's counterexample as SVG swimlanes to @path: the
 * question, one lane per thread (none for a thread that only starts, joins
 * and ends others: the scenario's main), one box per step (function, note
 * and v5.7 location; those that do not touch the finding's pages greyed,
 * ghost steps dashed), preemption marks, the finding in red, arrows between
 * conflicting steps on the finding's objects, and the end state.  The file
 * is self-contained: no scripts, no external fonts, images or links.
 * Return: 0, or -1 with a message in @err (errno-style system error).
 */
int report_svg(const char *path, const struct report_info *ri, const struct explore_result *res,
	       char *err, size_t errlen);

/**
 * report_example_svg - write @ri's example (--example: @ri->example's
 * trace, heading and end state) as SVG swimlanes to @path, as report_svg
 * draws a counterexample, without a finding box or arrows.
 * Context: a command.
 * Return: 0, or -1 with a message in @err.
 */
int report_example_svg(const char *path, const struct report_info *ri, char *err, size_t errlen);

/**
 * report_findings_desc - the set of findings of an --all result as a
 * verdict: "violation INV-01 INV-03", "violation INV-05 deadlock",
 * "no-progress" (each id once; violations first, by id).
 * Return: @buf.
 */
const char *report_findings_desc(const struct explore_result *res, char *buf, size_t n);

/** report_json - print one JSON object (one line) for one exploration. */
void report_json(FILE *out, const struct report_info *ri, const struct explore_result *res);

/* The catalog table: header, one row per scenario, the summary line. */
void report_table_header(FILE *out);
void report_table_row(FILE *out, const char *name, const char *expected,
		      const struct explore_result *res, bool as_expected);
/** report_table_error - a row for a catalog scenario that failed to parse or bind. */
void report_table_error(FILE *out, const char *name, const char *expected);
void report_table_summary(FILE *out, int ok, int not_ok);

/*
 * The patch table (`pvcheck --patch FILE.c`): per catalog scenario its
 * verdict under the v5.7 model and under the patched one.
 */
void report_patch_header(FILE *out, const char *patched);
void report_patch_row(FILE *out, const char *name, const struct explore_result *v57,
		      const struct explore_result *patched);

/* ==== Trace files (--trace-out, pvcheck replay) ==== */

#define TRACE_FORMAT	"pvcheck-trace"
#define TRACE_VERSION	1
#define TRACE_MAX_KNOBS	64

/* Everything a trace file records besides the steps. */
struct trace_meta {
	char *scenario;			/* scenario (or program) name */
	char *file;			/* its path, or "catalog:NAME" */
	uint64_t hash;			/* FNV-1a 64 of the scenario text */
	char *model;			/* mdl_version at recording */
	char *tool;			/* pvcheck version at recording */
	int nknobs;			/* effective knob values */
	char *knob_name[TRACE_MAX_KNOBS];
	char *knob_value[TRACE_MAX_KNOBS];
	int noverrides;			/* --knob given when recording */
	char *over_name[TRACE_MAX_KNOBS];
	char *over_value[TRACE_MAX_KNOBS];
	/* the finding, for checking that a replay reproduces it */
	char *verdict;
	char *finding_id;
	int *schedule;
	int schedule_len;
	int nsteps;
	struct trace_rec_step *steps;	/* the recorded steps, for trace_check_replay() */
	int nthreads;			/* the recorded thread names */
	char *threads[EXPLORE_MAX_THREADS];
	const char *path;		/* the file read (set by the caller) */
};

/* One recorded step of a trace, as its "steps" entry has it. */
struct trace_rec_step {
	int tid;
	char *thread, *kind, *what, *file, *note;	/* file, note: "" when null */
	int line;
	long value;
};

/**
 * report_example_view - the example trace of @ex (--example) as a result
 * of its own without a finding, which is what the trace printers, the
 * focus, the JSON steps and trace_write read: @v shares the trace, nothing
 * to free.
 * Context: any.
 */
void report_example_view(const struct explore_result *ex, struct explore_result *v);

/**
 * trace_write - write @res's trace (of a finding, or an example's view:
 * "violation" null) with @meta to @path as JSON.
 * Return: 0, or -1 with a message in @err (errno-style system error).
 */
int trace_write(const char *path, const struct trace_meta *meta, const struct report_info *ri,
		const struct explore_result *res, char *err, size_t errlen);

/**
 * trace_read - read and validate a trace file.
 * Return: 0 with @meta filled (free with trace_meta_free()), or -1 with a
 * one-line message in @err when the file is missing, corrupt or truncated.
 */
int trace_read(const char *path, struct trace_meta *meta, char *err, size_t errlen);

/**
 * trace_check_replay - does the re-execution @res retrace @meta's recording?
 * Every recorded step (thread, operation kind, what it did, the object in
 * its note, the site file:line, the value) must be the re-execution's step
 * of the same number, the thread names the same, the re-execution must
 * have consumed exactly the recorded schedule and end with the recorded
 * verdict.
 * Return: 0, or -1 with @err naming the first difference.
 */
int trace_check_replay(const struct trace_meta *meta, const struct explore_result *res,
		       char *err, size_t errlen);

/**
 * trace_check_schedule - does @meta's schedule agree with its own steps?
 * The engine writes one schedule entry per step: the thread that took it,
 * or -1 - value for a choice.  A schedule edited apart from its steps (two
 * entries swapped, one added or dropped) is refused before any replay.
 * Return: 0, or -1 with @err naming the first step that differs.
 */
int trace_check_schedule(const struct trace_meta *meta, char *err, size_t errlen);

/** trace_meta_free - free what trace_read() allocated in @meta. */
void trace_meta_free(struct trace_meta *meta);

#endif /* PVM_REPORT_REPORT_H */
