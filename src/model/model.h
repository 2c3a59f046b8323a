/* SPDX-License-Identifier: MIT */
/*
 * model.h - the contract between the scenario language and the model.
 *
 * The scenario binder (src/scenario) knows nothing about pages: it declares
 * world objects by kind and key=value pairs, looks operations up by name in
 * mdl_ops[], sets knobs, and runs each scenario thread as a sequence of
 * operations.  The model (src/mm, src/uv, src/dev, src/guest, src/inv)
 * implements this header.  Data flows one way: the model never reads the
 * scenario.
 *
 * Life cycle, driven by the binder:
 *   mdl_world_begin(); mdl_set_knob()...; mdl_set_mutant(); mdl_declare()...;
 *   mdl_world_end();
 *   then explore() with .reset = mdl_reset, threads calling mdl_ops[i].fn,
 *   .at_exit = mdl_at_exit, .after_step = mdl_after_step.
 */
#ifndef PVM_MODEL_MODEL_H
#define PVM_MODEL_MODEL_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "model/limits.h"

/* Types of world objects and of operation arguments. */
enum mdl_type {
	MT_INT,		/* an integer literal */
	MT_GUEST,	/* a protected guest (configuration + gmap + vCPUs) */
	MT_MM,		/* a process address space */
	MT_FILE,	/* a file with its page cache (address_space) */
	MT_PAGE,	/* a page frame */
	MT_PIPE,	/* a pipe (splice) */
	MT_DEV,		/* a device: NIC or block device */
	MT_MAP,		/* one more mapping of a declared page (no operation takes one) */
	MT_NR
};

/* One key=value of a declaration, with its position for error messages. */
struct mdl_kv {
	const char *key;
	const char *val;	/* raw text; the model parses it */
};

/* A declaration kind the world accepts ("page", "file", "mm", ...). */
struct mdl_decl_kind {
	const char *kind;
	enum mdl_type type;
	const char *keys_doc;	/* one line: the keys and their meaning */
};

/*
 * What an operation does with the calling thread's "current page" (the
 * reference it took last, a stack of at most MDL_MAX_CUR; doc/scenarios.md).
 * The stack's depth is the same in every execution: an operation that
 * fails to take its reference pushes an empty entry, and the operations
 * that act on an empty entry return -EINVAL.
 */
enum mdl_cur {
	MDL_CUR_NONE,		/* does not touch it */
	MDL_CUR_PUSH,		/* takes a reference: pushes (find_get_page, gup) */
	MDL_CUR_USE,		/* acts on the top entry (dma_to_dev, lru_add, ...) */
	MDL_CUR_DUP,		/* acts on the top and pushes another (get_page) */
	MDL_CUR_POP,		/* drops the top (put_page) */
};
#define MDL_MAX_CUR	4	/* current-page entries a scenario thread can hold */

/* An operation a scenario thread may call. */
#define MDL_MAX_ARGS 4
struct mdl_op {
	const char *name;		/* "splice_read", "gup_fast_pin", ... */
	int nargs;
	enum mdl_type args[MDL_MAX_ARGS];
	const char *argnames[MDL_MAX_ARGS];
	const char *summary;		/* one line: kernel path it runs */
	/* Runs on a model thread. Return: the model's return code (0 / -Exxx). */
	long (*fn)(const long *argv);
	enum mdl_cur cur;		/* its use of the current page */
	unsigned int flags;		/* MDL_OP_* */
	/*
	 * An operation added at run time (a user path, src/paths) has no
	 * @fn: @call runs it with its own record, whose @priv says which
	 * user function it is.
	 */
	long (*call)(const struct mdl_op *m, const long *argv);
	const void *priv;
};
#define MDL_OP_FAULTS	0x1	/* args (mm or guest, address) may fault the address in */
#define MDL_OP_PRESENT	0x2	/* acts on the page present at (mm, address): it must
				 * be mapped in the world or faulted in by some op */
#define MDL_OP_USER	0x4	/* a user path (src/paths): what it touches is known
				 * only when it runs */
#define MDL_OP_TOUCH	0x8	/* may run a FOLL_TOUCH slow gup (get_user_pages, a
				 * _fast form's fallback): mark_page_accessed */

/**
 * mdl_op_add - append operation @op after the built-in mdl_ops[] (a user
 * path, see src/paths).  The record is copied; its strings are not.
 * mdl_ops_user_clear - forget every added operation.
 * mdl_op_at - operation @k, built-in (k < mdl_nops) or added.
 * mdl_op_count - built-in and added operations.
 * mdl_op_run - run operation @k with @argv on the calling model thread.
 *
 * Context: mdl_op_add and mdl_ops_user_clear in process context, before
 * a scenario is bound; mdl_op_run on a model thread.
 * Return: mdl_op_add: the new operation's index, or -1 if the table is
 * full (MDL_MAX_USER_OPS); mdl_op_run: the operation's return code.
 */
/*
 * Model functions a user patch may replace (--patch FILE.c, src/paths):
 * @slot is the function pointer the model calls through when it is set,
 * @proto the v5.7 prototype the patch must have (include/pvcheck/kernel.h
 * declares it), @where its v5.7 source.
 */
struct mdl_patch {
	const char *name;
	void (**slot)(void);
	const char *proto;
	const char *where;
};
extern const struct mdl_patch mdl_patches[];
extern const int mdl_npatches;

#define MDL_MAX_USER_OPS	64
int mdl_op_add(const struct mdl_op *op);
void mdl_ops_user_clear(void);
const struct mdl_op *mdl_op_at(int k);
int mdl_op_count(void);
long mdl_op_run(int k, const long *argv);

/**
 * mdl_op_note - tell the model that the scenario runs operation @k with
 * @argv (before any mdl_op_check): what it may fault in.
 * mdl_op_check - validate operation @k's arguments against the world that
 * mdl_world_end() built and the operations noted.
 *
 * Context: process context, after mdl_world_end(), before explore().
 * Return: mdl_op_check: -1 if the arguments are valid; else the index of
 * the offending argument (MDL_MAX_ARGS: the operation as a whole) with a
 * one-line message in @err.
 */
void mdl_op_note(int k, const long *argv);
/* mdl_op_effective - did operation @k, returning @rc, do its work? */
bool mdl_op_effective(int k, long rc);
int mdl_op_check(int k, const long *argv, char *err, size_t errlen);

/*
 * The ghost holder table of a page has MDL_MAX_HOLDERS entries.  The binder
 * refuses a scenario whose threads could hold more references on one page
 * than the table has: mdl_holders_static() plus, per thread, the peak of
 * its current-page stack and of the references the running operation
 * holds besides (at most MDL_OP_TRANSIENT_REFS for a whole path such as
 * reclaim or alloc_dma), plus its pagevec (MDL_PVEC_SIZE).
 */
#define MDL_OP_TRANSIENT_REFS	3
int mdl_holders_static(void);	/* references of one page held by no thread, at most */
extern const int mdl_max_holders;

/* A design-variant switch; values[0..nvalues) by name, default first-listed-as-def. */
struct mdl_knob {
	const char *name;		/* "splice_hook" */
	const char *const *values;	/* NULL-terminated: "off", "on" */
	int def;			/* index of the v5.7 default */
	const char *summary;
};

extern const struct mdl_decl_kind mdl_decl_kinds[];
extern const int mdl_ndecl_kinds;
extern const struct mdl_op mdl_ops[];
extern const int mdl_nops;

/*
 * mdl_op_fills_pagevec - does operation @k leave pages in the calling
 * thread's per-CPU pagevec (a scenario thread is its own CPU)?  Threads
 * that run one are not interchangeable: lru_add_drain_all() drains the
 * CPUs in id order, one visible put_page each.
 */
bool mdl_op_fills_pagevec(int k);
extern const struct mdl_knob mdl_knobs[];
extern const int mdl_nknobs;

/*
 * Test variants (src/model/mutants.def, model/mutant.h): not knobs, never
 * offered to a user.  mdl_set_mutant selects the row a scenario's test-only
 * `mutant NAME` line names (NULL: the one PVCHECK_MUTANT chose, normally
 * none) for the scenario bound next; mdl_breakage(i) is the i-th row tests
 * use as a breakage, NULL past the last (the scenario generator's draw).
 * Return: mdl_set_mutant 0, or -1 with a message in @err (an unknown name,
 * or another row than PVCHECK_MUTANT's).
 */
int mdl_set_mutant(const char *name, char *err, size_t errlen);
const char *mdl_breakage(int i);

/* Model version string printed in reports and traces ("linux-5.7 model r1"). */
extern const char mdl_version[];

/**
 * mdl_world_begin - start building a world; forget any previous one.
 * mdl_set_knob - set knob @name to @value.
 * mdl_declare - declare object @name of @kind with @nkv key=value pairs.
 * mdl_world_end - validate the world and take the initial snapshot.
 *
 * Context: process context, before explore().
 * Return: mdl_declare returns the object's handle (>= 0, per type), the
 * others 0; on error -1 with a one-line message in @err (no file:line, the
 * binder adds it) and, for mdl_declare, the index of the offending pair in
 * *@bad_kv (-1 if the declaration as a whole is wrong).
 */
void mdl_world_begin(void);
int mdl_set_knob(const char *name, const char *value, char *err, size_t errlen);
int mdl_declare(const char *kind, const char *name, const struct mdl_kv *kv,
		int nkv, char *err, size_t errlen, int *bad_kv);
int mdl_world_end(char *err, size_t errlen);

/**
 * mdl_program - the world's part of the program the binder explores: its
 * hooks (reset, at_exit, after_step, the no-progress class) and what the
 * stateful search saves, hashes and renames (the world but for the records
 * of threads the scenario does not have, its canonical form over the
 * initial thread and @nthreads scenario threads, a thread's record and
 * key).  The binder adds the name, main, ctx and thread classes; the hooks
 * ignore ctx.
 * Context: after mdl_world_end(), before explore().
 */
struct program;
void mdl_program(struct program *prog, int nthreads);

/* Does CPU @cpu's LRU pagevec hold pages the scenario declared (pvec=1)? */
bool mdl_pvec_declared(int cpu);

/* Program hooks for explore(); @ctx is unused (NULL). */
void mdl_reset(void *ctx);
void mdl_at_exit(void *ctx);
void mdl_after_step(void *ctx);
const char *mdl_no_progress_class(void *ctx, uint64_t looping);	/* src/uv/uv.c */

/* Name a scenario thread (for ghost holders in reports): before it runs ops. */
void mdl_thread_begin(const char *name);

/* Print the end state (pages, refcount with ghost holders, flags, locks, UV). */
void mdl_dump_state(FILE *out);

/*
 * One fact of the end state about a page, as mdl_dump_state() prints it,
 * for a reader that reasons about the state (the report's focus and its
 * deadlock and loop notes) instead of reading the text back:
 *   MDL_FACT_PAGE    the page's line; @text what follows its name
 *   MDL_FACT_FROZEN  its refcount is frozen by @by
 *   MDL_FACT_LOCKED  its page lock is held by @by
 *   MDL_FACT_HOLDER  a reference: @of the thread that owns it (a thread's
 *                    own reference; "" for the page cache, a PTE, a pipe,
 *                    a pagevec), @by the thread that took it ("" when the
 *                    scenario declared it)
 * @page names the page; @text is the fact's line without its indentation.
 * The strings live until the callback returns.
 */
enum mdl_fact_kind { MDL_FACT_PAGE, MDL_FACT_FROZEN, MDL_FACT_LOCKED, MDL_FACT_HOLDER };
struct mdl_fact {
	enum mdl_fact_kind kind;
	const char *page, *by, *of, *text;
};
typedef void mdl_fact_fn(void *ctx, const struct mdl_fact *fact);

/**
 * mdl_state_facts - call @fn once per fact of the end state, pages in the
 * order mdl_dump_state() prints them, each page's line first.
 * Context: scheduler or caller, between steps.
 */
void mdl_state_facts(mdl_fact_fn *fn, void *ctx);

/**
 * mdl_thread_op - the calling scenario thread starts operation @k (an
 * mdl_ops index) of its line @line, or ends its last when @k < 0.
 * Report-only: the bottom of the thread's call chain.
 * Context: model thread.
 */
void mdl_thread_op(int k, int line);

/**
 * mdl_thread_end - the calling scenario thread ran its last operation: the
 * end of its call chain, and the invariants a thread's end checks (the
 * references it took and still holds, the contexts it left: inv_thread_end).
 * Context: model thread, its last step.
 */
void mdl_thread_end(void);

/**
 * mdl_dump_chains - each scenario thread's kernel call chain as it is now
 * (after a finding: at the step of the finding), one line per thread,
 * fields separated by tabs: the thread's name; what it is doing ("line 12
 * splice_write", "ended", "not started"); then the kernel functions it is
 * in, innermost first (kernel_frame(), src/mm/mm.h).  A chain deeper than
 * MDL_MAX_FRAMES starts with "..." (its innermost are not kept).
 * Context: scheduler or caller, between steps.
 */
void mdl_dump_chains(FILE *out);

#endif /* PVM_MODEL_MODEL_H */
