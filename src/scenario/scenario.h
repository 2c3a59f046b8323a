/* SPDX-License-Identifier: MIT */
/*
 * scenario.h - the scenario language: parse a .pvs file, bind it to the
 * model (src/model/model.h), and turn it into a struct program for the
 * explorer; plus the catalog of scenarios embedded at build time.
 *
 * A scenario is line-based (doc/scenarios.md has the grammar):
 *
 *   scenario splice+import
 *   question "Can the NIC read a page the guest has imported?"
 *   profile linux-5.7
 *   knob splice_hook = off
 *   world
 *     page p ...
 *   end
 *   thread host
 *     splice_read f pipe
 *   end
 *   expect violation INV-01            (or a set: violation INV-03 INV-05)
 *
 * Parsing checks only the syntax and the structure; binding resolves names
 * against the model (kinds, operations, knobs, argument types) and builds
 * the model's world.  Both report errors through struct scn_diag with a
 * file:line:col position, printed gcc-style by scn_diag_print().  Nothing
 * here recurses on the input, and every table has a fixed limit that is
 * reported as an error when exceeded, never overrun.
 */
#ifndef PVM_SCENARIO_SCENARIO_H
#define PVM_SCENARIO_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "check/explore.h"

#define SCN_MAX_FILE	(4u << 20)	/* bytes of scenario text */
#define SCN_MAX_KNOBS	32
#define SCN_MAX_DECLS	64
#define SCN_MAX_KV	16
/*
 * Threads of a scenario: the model world has MDL_MAX_THREADS slots (one
 * per CPU, world.h), thread 0 spawns the others.  More is a parse error
 * (exit 3), never a limit met during the search.  bind.c checks that this
 * stays within the world's and the engine's limits.
 */
#define SCN_MAX_THREADS	15
#define SCN_MAX_OPS	512		/* per thread */
#define SCN_MAX_ARGS	8		/* parsed; the model takes fewer */
#define SCN_MSG_LEN	256
#define SCN_LINE_LEN	160		/* source shown under an error */

/* A position in the source: 1-based line and column (bytes), token length. */
struct scn_pos {
	int line;
	int col;
	int len;
};

/* A token's text (unquoted, NUL-terminated) and where it was written. */
struct scn_tok {
	const char *s;
	struct scn_pos pos;
};

struct scn_knob {
	struct scn_tok name;
	struct scn_tok value;
};

struct scn_decl {
	struct scn_tok kind;
	struct scn_tok name;
	int nkv;
	struct scn_tok key[SCN_MAX_KV];
	struct scn_tok val[SCN_MAX_KV];
	struct scn_pos kv_pos[SCN_MAX_KV];	/* the whole key=value */
	/* set by scenario_bind() */
	int type;				/* enum mdl_type */
	int handle;
};

#define SCN_MAX_OUTCOMES 4	/* distinct return codes counted per operation */

struct scn_op {
	struct scn_tok name;
	int nargs;
	struct scn_tok arg[SCN_MAX_ARGS];
	struct scn_tok want;			/* "= OUTCOME" written after the args, or .s NULL */
	/* set by scenario_bind() */
	int op;					/* index into mdl_ops[] */
	long argv[SCN_MAX_ARGS];
	long want_rc;				/* the outcome required, if want.s */
	/*
	 * Outcomes, counted by the scenario thread each time the operation
	 * returns, over every execution of the search (outside the explored
	 * state; zeroed by scenario_bind()).  Worker processes of -j do not
	 * report theirs.
	 */
	uint64_t runs, done;			/* returned; of them, did their work */
	struct { long rc; uint64_t n; } out[SCN_MAX_OUTCOMES];
	int nout;
	uint64_t out_other;			/* runs with a return code past out[] */
};

struct scn_thread {
	struct scn_tok name;
	int nops;
	struct scn_op *ops;			/* nops entries, owned */
	int cap;
};

enum scn_expect_kind {
	SCN_EXPECT_NONE,
	SCN_EXPECT_SAFE,
	SCN_EXPECT_VIOLATION,
	SCN_EXPECT_DEADLOCK,
	SCN_EXPECT_NO_PROGRESS,
};

#define SCN_MAX_EXPECT	16			/* findings one 'expect' line may name */

/* One finding an 'expect' line names: a violation's id, deadlock or no-progress. */
struct scn_expect_item {
	enum scn_expect_kind kind;		/* VIOLATION, DEADLOCK or NO_PROGRESS */
	char id[32];				/* VIOLATION: "INV-01", "assert", ... */
};

/*
 * 'expect safe', or a set of findings: 'expect violation INV-03 INV-05',
 * 'expect violation INV-01 deadlock', 'expect no-progress'.  kind and id
 * are the first item's (kind SAFE: none); set holds every item in the
 * order written.
 */
struct scn_expect {
	enum scn_expect_kind kind;
	char id[32];				/* VIOLATION: "INV-01", "assert", ... */
	struct scn_pos pos;
	int nset;
	struct scn_expect_item set[SCN_MAX_EXPECT];
};

/* Bounds from the file; -1 when not given. */
struct scn_bounds {
	int64_t executions;
	int64_t preemptions;
	int64_t depth;
	int64_t steps;
};

/* A knob override given on the command line (--knob NAME=VALUE). */
struct scn_knob_set {
	const char *name;
	const char *value;
};

/* `symmetric A B ...`: threads declared identical (symmetry reduction). */
struct scn_sym {
	struct scn_pos pos;			/* of the keyword */
	int n;
	struct scn_tok names[SCN_MAX_THREADS];
};

struct scenario {
	char *path;				/* as given, or "catalog/NAME.pvs" */
	char *text;				/* the source, NUL-terminated */
	size_t len;
	uint64_t hash;				/* FNV-1a 64 of text[0..len) */

	struct scn_tok name;
	struct scn_tok question;
	/* `paths "FILE.c"` lines: user path files, relative to the scenario */
	struct scn_tok paths[8];
	int npaths;
	struct scn_tok source;			/* .s NULL when absent */
	struct scn_tok profile;
	int nknobs;
	struct scn_knob knobs[SCN_MAX_KNOBS];
	/*
	 * `mutant NAME`: test-only, a row of src/model/mutants.def (a test
	 * breakage, or a guard removed) for this scenario; .s NULL when absent
	 */
	struct scn_tok mutant;
	bool has_world;
	struct scn_pos world_pos;		/* of the `world` keyword */
	int ndecls;
	struct scn_decl decls[SCN_MAX_DECLS];
	int nthreads;
	struct scn_thread threads[SCN_MAX_THREADS];
	struct scn_bounds bounds;
	struct scn_expect expect;
	int nsym;
	struct scn_sym sym[SCN_MAX_THREADS / 2];

	/* set by scenario_bind(): symmetry class of each thread, 0 for none */
	int thread_class[SCN_MAX_THREADS];

	/* set by scenario_bind(): the effective value of every model knob */
	int nknob_values;
	const char *knob_values[SCN_MAX_KNOBS];
	bool knob_set[SCN_MAX_KNOBS];		/* set by the file or the command line */

	char *strbuf;				/* token text storage, owned */
	size_t strused;
	size_t strcap;
};

/* An error at a position in a file (or without one: line 0). */
struct scn_diag {
	char path[256];
	int line;
	int col;
	int len;
	char msg[SCN_MSG_LEN];
	char src[SCN_LINE_LEN + 8];		/* the offending line (maybe a window) */
	int src_col;				/* column of the caret within src, 1-based */
	bool system;				/* a system error (open, read, memory), not the input's */
};

/**
 * scenario_parse - parse scenario text.
 * @path: name used in error messages.
 * @text: the source (need not be NUL-terminated); @len its length.
 * @out: on success, the scenario; free with scenario_free().
 * @diag: on error, the first error.
 *
 * Context: process context; allocates.  Never reads past @len.
 * Return: 0, or -1 with @diag filled (and *@out NULL).
 */
int scenario_parse(const char *path, const char *text, size_t len,
		   struct scenario **out, struct scn_diag *diag);

/**
 * scenario_load - read file @path and parse it (see scenario_parse()).
 * Return: 0, or -1 with @diag filled (I/O errors have line 0).
 */
int scenario_load(const char *path, struct scenario **out, struct scn_diag *diag);

/** scenario_free - free @scn (NULL is fine). */
void scenario_free(struct scenario *scn);

/**
 * scenario_bind - build the model world for @scn.
 * @over: command-line knob overrides applied after the file's knobs.
 *
 * Calls mdl_world_begin(), mdl_set_knob(), mdl_declare(), mdl_world_end()
 * and resolves every operation and argument.  Binding a scenario replaces
 * the world of any scenario bound before.
 * Context: process context, not during explore().
 * Return: 0, or -1 with @diag at the offending name or key=value.
 */
int scenario_bind(struct scenario *scn, const struct scn_knob_set *over, int nover,
		  struct scn_diag *diag);

/**
 * scenario_program - fill @prog to explore the bound scenario @scn.
 *
 * Thread 0 spawns one thread per scenario thread; each calls
 * mdl_thread_begin() and then runs its operations in order.  @scn must
 * stay alive and bound while @prog is explored.
 */
void scenario_program(struct scenario *scn, struct program *prog);

/**
 * scenario_apply_bounds - copy the file's bounds into @opts.
 * Command-line options are applied by the caller afterwards, so they win.
 */
void scenario_apply_bounds(const struct scenario *scn, struct explore_opts *opts);

/**
 * scenario_vacuous - after a complete search: the operations that never
 * did their work (an error or nothing to do in every run, or never run),
 * as "thread 'T' line N: OP ARGS (OUTCOMES)" into @lines.
 * scenario_outcome_desc - "0 x12, -EBUSY x3" for operation @op.
 * Return: scenario_vacuous: how many (at most @max are written).
 */
int scenario_vacuous(const struct scenario *scn, char (*lines)[SCN_MSG_LEN], int max);
/* scenario_op_record - the tally of thread @t's operation @i (a symmetric thread's is its first member's). */
const struct scn_op *scenario_op_record(const struct scenario *scn, int t, int i);
void scenario_outcome_desc(const struct scn_op *op, char *buf, size_t size);

/**
 * scenario_rc_parse - an operation's outcome as the command line writes it
 * (--example): an errno name with or without its '-', in any case
 * ("-EBUSY", "EBUSY", "busy"), or an integer ("0", "-16").
 * Context: any.
 * Return: 0 with *@rc set, or -1 when @s is neither.
 */
int scenario_rc_parse(const char *s, long *rc);

/**
 * scenario_rc_str - outcome @rc as the outcome lines print it ("-EBUSY",
 * "0") into @buf.
 * Context: any.
 * Return: @buf.
 */
const char *scenario_rc_str(long rc, char *buf, size_t n);

/**
 * scenario_exec_rc - what operation @i of scenario thread @t returned in
 * the execution that ran last (a stateless search's; --example reads it
 * at the end of each execution).
 * Context: between executions, or after one.
 * Return: true with *@rc, false when that operation did not return in it.
 */
bool scenario_exec_rc(int t, int i, long *rc);

/** scenario_knobs_desc - "splice_hook=off, gup_hook=on" (knobs set), or "defaults"; then "; test mutant NAME" if the scenario has one. */
void scenario_knobs_desc(const struct scenario *scn, char *buf, size_t size);

/** scenario_expect_desc - "safe", "violation INV-01", ... or "-" when none. */
const char *scenario_expect_desc(const struct scenario *scn, char *buf, size_t size);

/**
 * scenario_expect_matches - does @res answer the scenario's expectation?
 * "safe" is met only by a complete search without finding.  A set of
 * findings: the first finding (a plain search) matches when the set names
 * it (a violation by its id); under --all (@res->all_findings) the ids of
 * every distinct finding must be exactly the set, and the search complete,
 * since a cut search may have missed one.
 */
bool scenario_expect_matches(const struct scenario *scn, const struct explore_result *res);

/** scn_diag_print - print @d as "FILE:LINE:COL: error: MSG", source and caret. */
void scn_diag_print(const struct scn_diag *d, FILE *out);

/** scn_diag_set - fill @d at @pos of @text (NULL: no position). */
void scn_diag_set(struct scn_diag *d, const char *path, const char *text, size_t len,
		  const struct scn_pos *pos, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/**
 * scn_find - the candidate named exactly @word (@get as for scn_suggest,
 * which goes with it for the message when there is none).
 * Return: its index, or -1.
 */
int scn_find(const char *word, int n, const char *(*get)(int i, const void *arg),
	     const void *arg);

/**
 * scn_suggest - the candidate closest to @word by edit distance, if close
 * enough to be a likely typo; NULL otherwise.
 * @get: returns candidate @i's name (or NULL to skip it).
 */
const char *scn_suggest(const char *word, int n, const char *(*get)(int i, const void *arg),
			const void *arg);

/* ==== The catalog embedded at build time (build/gen/catalog.c) ==== */

struct scn_catalog_entry {
	const char *file;			/* "scenarios/catalog/splice+import.pvs" */
	const char *text;
	size_t len;
};

extern const struct scn_catalog_entry scn_catalog[];
extern const int scn_ncatalog;

/**
 * scn_catalog_load - parse catalog entry @i.
 * Return: as scenario_parse().
 */
int scn_catalog_load(int i, struct scenario **out, struct scn_diag *diag);

/**
 * scn_catalog_find - index of the catalog scenario called @name (its
 * `scenario` name or its file name with or without .pvs), or -1.
 */
int scn_catalog_find(const char *name);

/** scn_hash - FNV-1a 64 of @len bytes at @p. */
uint64_t scn_hash(const void *p, size_t len);

#endif /* PVM_SCENARIO_SCENARIO_H */
