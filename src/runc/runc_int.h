/* SPDX-License-Identifier: MIT */
/*
 * runc_int.h - state shared by the files of src/runc (not a public header).
 *
 *   build.c   temp dir, shim headers, compiler, symbol redirection, link
 *   load.c    dlopen, data-segment snapshot and reset, faults in the
 *             program, runc_prepare/release
 *   rt.c      the pthread / stdlib / assert runtime the program calls
 *   tsan.c    the -fsanitize=thread callbacks: atomics become visible ops
 *   race.c    optional data-race detection on plain accesses
 *   site.c    return address -> file:line, only while a trace is recorded;
 *             function and variable names for reports
 *
 * One program is loaded at a time (explore() is not reentrant), so the
 * runtime reaches it through the global runc_cur.
 */
#ifndef PVM_RUNC_RUNC_INT_H
#define PVM_RUNC_RUNC_INT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "check/explore.h"
#include "runc/runc.h"

#define RUNC_MAX_SEGS	8
#define RUNC_SPIN_STACK	4096		/* bytes of user stack compared by the spin detector */
/*
 * Bytes of the runtime's own frames between a fiber's top and a thread's
 * stack_base (the fiber trampoline, thread_entry, runc_thread_body: 112 on
 * x86-64 with gcc 12 -O2).  The start scrub covers them and the compared
 * RUNC_SPIN_STACK below; runc_thread_body checks that they fit.
 */
#define RUNC_ENTRY_FRAMES	512
#define RUNC_HEAP_SIZE	((size_t)256 << 20)	/* per-execution heap (reserved, not committed) */

/* A writable range of the loaded object, restored before every execution. */
struct runc_seg {
	char *addr;
	size_t len;
	char *snap;
};

/* One pc -> file:line entry of the site cache (see site.c). */
struct runc_site_ent {
	uintptr_t pc;
	const char *file;
	int line;
};

/*
 * Spin-assume state of one thread (see tsan.c for the argument): the
 * values its loads and failed compare-exchanges read since its last side
 * effect, and snapshots of its registers, stack and pending operation
 * taken at the last RUNC_SPIN_SNAPS of those loads and compare-exchanges.
 * A side effect (a successful CAS among them) empties both.
 */
#define RUNC_SPIN_SNAPS	4		/* snapshots kept: reads an iteration may have */
#define RUNC_SPIN_LOG	16		/* reads kept since the last side effect */
#define RUNC_SPIN_OP	5		/* words of a pending operation (tsan.c spin_op) */
struct runc_spin_read {
	const volatile void *addr;
	uint64_t val;
	int size;
};
struct runc_spin_snap {
	uintptr_t regs[8];		/* callee-saved, stack pointer, return address */
	uint64_t op[RUNC_SPIN_OP];	/* the operation: kind, object, arguments */
	uint32_t rpos;			/* log entries before this load */
	uint32_t stack_len;
	unsigned char stack[RUNC_SPIN_STACK];
};
struct runc_spin {
	int nsnap;			/* valid snapshots */
	int next;			/* ring slot of the next one */
	int nlog;			/* reads logged since the last side effect */
	int from;			/* spin-blocked: the no-op iteration read log[from..nlog) */
	struct runc_spin_read log[RUNC_SPIN_LOG];
	struct runc_spin_snap snap[RUNC_SPIN_SNAPS];
};

/* A program thread as pthread sees it. */
struct runc_thread {
	void *(*fn)(void *);
	void *arg;
	void *ret;
	int tid;
	int parent;			/* creator's thread id, -1 for main */
	char *stack_base;		/* top of the user part of its stack */
	jmp_buf exit_jb;		/* pthread_exit() lands here */
};

struct runc_prog {
	/* build */
	char dir[256];			/* private temp dir */
	char so_path[300];
	char src_path[1024];		/* as given by the user, for sites */
	const char *name;		/* basename of src_path */
	bool keep_temps;
	bool scrub;			/* wipe below runtime entries when stateful (entry.c) */

	/* load */
	void *handle;
	uintptr_t base;			/* load bias of the object */
	uintptr_t text_lo, text_hi;	/* its executable segment(s) */
	int (*main_fn)(int, char **, char **);
	struct runc_seg segs[RUNC_MAX_SEGS];
	int nsegs;

	/* per-execution runtime state (reset by runc_reset) */
	struct runc_thread threads[EXPLORE_MAX_THREADS];
	int nspawned;			/* records handed out this execution */
	struct runc_thread *by_tid[EXPLORE_MAX_THREADS];
	char *heap;			/* bump allocator, fixed address */
	size_t heap_used;
	size_t heap_dirty;		/* high-water mark: zeroed on reset */

	/* per-thread waits of pthread_cond_wait / pthread_once / sem_wait */
	struct runc_cwait {
		const void *obj;
		unsigned int gen;
	} cwait[EXPLORE_MAX_THREADS];

	/* thread names by start function (dladdr is slow: cached) */
	struct runc_name {
		void *fn;
		char name[32];
	} names[EXPLORE_MAX_THREADS];
	int nnames;

	/* sites: pc -> file:line through an addr2line child */
	pid_t a2l_pid;
	int a2l_in, a2l_out;		/* write addresses, read answers */
	bool a2l_failed;
	struct runc_site_ent *sites;	/* open addressing, nsite_slots */
	size_t nsite_slots, nsites;
	char **strs;			/* interned file names */
	size_t nstrs;

	/* names of the objects trace notes name (runc_obj_name), cached */
	struct runc_objname {
		const void *addr;
		char name[48];
	} objnames[64];
	int nobjnames;
};

extern struct runc_prog *runc_cur;

struct vis_site runc_site(uintptr_t pc, const char *what);

/* Options of the runtime, set by runc_prepare. */
extern bool runc_spin_detect;
/* entry.c: wipe the stack below each runtime entry (stateful search) */
extern bool runc_scrub_on;

/* race.c: data-race detection on plain accesses (off by default) */
extern bool runc_races;
int runc_race_reset(void);
void runc_race_free(void);
void runc_race_acquire(const void *obj);
void runc_race_release(const void *obj);
void runc_race_thread_start(int parent, int child);
void runc_race_join(int child);
void runc_race_access(const void *addr, bool write, uintptr_t pc);

/* Per-thread spin detector state, indexed by thread id. */
extern struct runc_spin runc_spin[EXPLORE_MAX_THREADS];

/* The site of an operation at @pc: file:line only while a trace is recorded. */
static inline struct vis_site runc_site_of(uintptr_t pc, const char *what)
{
	if (__builtin_expect(vis_recording(), 0))
		return runc_site(pc, what);
	return (struct vis_site){ .file = runc_cur->src_path, .what = what };
}

/* A side effect of the current thread: no spin-assume across it (tsan.c). */
static inline void runc_spin_clear(void)
{
	int t = vis_self();
	if (t >= 0) {
		runc_spin[t].nsnap = 0;
		runc_spin[t].next = 0;
		runc_spin[t].nlog = 0;
		runc_spin[t].from = 0;	/* set only when it blocks (tsan.c) */
	}
}

/* build.c */
int runc_build(struct runc_prog *p, const struct runc_opts *ro, char *err, size_t errlen);

/* load.c */
void runc_reset(void *ctx);
void runc_main_thread(void *ctx);

/* rt.c */
extern uint64_t runc_rand_state;
void runc_rt_reset(struct runc_prog *p);
void runc_thread_body(struct runc_thread *t);

/* site.c */
void runc_sites_free(struct runc_prog *p);
const char *runc_func_name(const void *fn);
bool runc_data_name(const void *addr, char *buf, size_t len);
const char *runc_obj_name(const volatile void *addr, char *buf, size_t n);
const char *runc_val_str(uint64_t v, int size, char *buf, size_t n);

#endif /* PVM_RUNC_RUNC_INT_H */
