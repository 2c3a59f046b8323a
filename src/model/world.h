/* SPDX-License-Identifier: MIT */
/*
 * world.h - the whole modelled system in one static struct at a fixed
 * address (mdl_world), so that model pointers stay valid across
 * executions and a reset is one memcpy from the snapshot taken by
 * mdl_world_end().  Internal to the model (src/mm, src/uv, src/dev,
 * src/guest, src/inv, src/model); the scenario binder sees only model.h.
 */
#ifndef PVM_MODEL_WORLD_H
#define PVM_MODEL_WORLD_H

#include <stdbool.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "check/visible.h"
#include "mm/page.h"
#include "mm/mm.h"
#include "dev/dev.h"
#include "guest/guest.h"
#include "uv/uvfw.h"
#include "model/model.h"

#include "model/limits.h"

_Static_assert(MDL_MAX_PAGES == UVFW_MAX_PAGES, "a page frame for each of the firmware's");

/*
 * Knobs: design variants.  Value 0 is the v5.7 behaviour.  Test-only
 * breakages are not knobs: they are rows of src/model/mutants.def.
 */
enum mdl_knob_id {
	KNOB_SPLICE_HOOK,	/* off | on */
	KNOB_FOLL_GET_HOOK,	/* off | on */
	KNOB_GUP_HOOK_ORDER,	/* after | before */
	KNOB_FREEZE_CHECK,	/* exact | at_least */
	KNOB_UV_REFUSE,		/* on | off: export, destroy, pin-shared may fail */
	KNOB_TINY_RCU,		/* off | on: page_cache_get_speculative VM_BUG_ONs */
	KNOB_NR
};

/*
 * Which of v5.7's per-CPU pagevecs (mm/swap.c) an entry of a CPU's list
 * stands for: what draining it does to the page's LRU flags.
 */
enum pvec_kind {
	PVEC_LRU_ADD,		/* lru_add_pvec: __pagevec_lru_add sets PG_lru */
	PVEC_ROTATE,		/* lru_rotate_pvecs: pagevec_move_tail clears PG_active */
	PVEC_ACTIVATE,		/* activate_page_pvecs: __activate_page sets PG_active */
};

/*
 * A task's execution context (include/linux/preempt.h, uaccess.h,
 * irqflags.h), one per model thread: a scenario thread is a task on its own
 * CPU.  Kept with the rest of the thread's record, so the stateful search
 * saves and compares it with the world.  The *_at sites say where the
 * context was first entered (the outermost disable), as CONFIG_DEBUG_PREEMPT
 * records preempt_disable_ip: might_sleep() names them.
 */
#define MDL_MAX_FRAMES	16
struct exec_ctx {
	int preempt_count;		/* preempt_disable() depth, spinlocks included */
	int pagefault_disabled;		/* current->pagefault_disabled */
	bool irqs_off;			/* local_irq_disable()/local_irq_save() */
	const char *preempt_at, *pagefault_at, *irqs_at;	/* model functions */
	/*
	 * Report-only (left out of the canonical state: the thread's stack
	 * holds the same): the kernel functions the task is in, outermost
	 * first (kernel_frame()), and the scenario operation it runs.
	 */
	const char *frame[MDL_MAX_FRAMES];
	int nframes;			/* may exceed MDL_MAX_FRAMES: the deepest are not kept */
	int op;				/* mdl_ops index + 1 of the operation running, 0: none */
	int op_line;			/* its line in the scenario */
};

/*
 * A lock dependency the thread made (lockdep's struct lock_list): it took a
 * lock of class @to while holding one of class @from.  One entry per pair of
 * classes (the first time, as lockdep keeps the first trace); the per-thread
 * lists together are the execution's dependency graph (inv_lockdep_*).
 */
#define MDL_MAX_DEPS	16	/* ordered pairs of lock classes one thread makes */
struct lock_dep {
	unsigned char from, to;		/* enum lock_class */
	/* report-only (left out of the canonical state): */
	int step;			/* ghost clock when made */
	const char *from_at, *to_at;	/* model functions that took them */
	const void *from_obj, *to_obj;	/* the two lock instances */
};

/*
 * Ghost (INV-13): one page a gup call took, with the address it was mapped
 * at when the grab succeeded (gup-fast: after the PTE re-check; slow gup:
 * under the PTE lock).  MDL_GUP_LOG bounds one call: the fast walk and the
 * slow walk each take at most one page per named address.
 */
#define MDL_GUP_LOG	(2 * MDL_MAX_ADDRS)
struct gup_rec {
	int mm;			/* mm id */
	int pfn;		/* the page */
	unsigned long addr;	/* where it was mapped */
	bool dropped;		/* put back at once: the hook failed */
	bool stale;		/* gup-fast: the PTE no longer mapped it at the re-check */
};

struct mdl_thread {
	bool used;
	char name[24];
	struct page *cur[MDL_MAX_CUR];		/* references held by scenario ops */
	unsigned int cur_gen[MDL_MAX_CUR];
	struct ref_tag cur_tag[MDL_MAX_CUR];
	int ncur;
	const void *held[MDL_MAX_HELD];		/* locks held, in order */
	int held_cls[MDL_MAX_HELD];
	const char *held_at[MDL_MAX_HELD];	/* model function that took each */
	int nheld;
	struct exec_ctx ctx;			/* preempt, pagefault, irq state */
	struct lock_dep deps[MDL_MAX_DEPS];	/* lock orders this thread made */
	int ndeps;
	int nfrozen;				/* refcounts this thread has frozen */
	struct page *frozen[2];			/* which (inv_freezer_step reads only these) */
	struct page *followed;			/* ghost: a user path's follow_page() result, */
	unsigned int followed_gen;		/* and its gen then (src/paths/api.c) */
	struct page *retry_page;		/* last failed conversion: wait for change */
	unsigned int retry_version;		/* retry_page->version then */
	unsigned int drain_seq;			/* lru_add_drain_all's seq, while in_drain */
	bool in_drain;				/* between its seqcount read and retry check */
	bool uv_spin;				/* ghost: in uv_call() after a busy answer of
						 * an unfair firmware (mutant uv-loop): it never
						 * leaves (mdl_no_progress_class) */
	bool uv_refused;			/* ghost: a kernel uaccess re-executed after
						 * a refused export (host_user_access): it
						 * goes on while the UV refuses (ditto) */
	bool uvc_secure;			/* ghost: the last convert-to-secure left its
						 * frame secure, read in the UVC's step (INV-12) */
	uint32_t last_read;
	struct gup_rec gup_log[MDL_GUP_LOG];	/* ghost: the last gup call's pages */
	int ngup;
	/*
	 * A user path (src/paths) running on this thread: its descriptor,
	 * and the task's mm (current->mm: struct task_struct of the path
	 * header is this one pointer).  Part of the state, so that a state
	 * restored in the middle of a path finds them as they were.
	 */
	const void *upath;
	struct mm_struct *task_mm;
};

struct world {
	struct page pages[MDL_MAX_PAGES];
	struct frame frames[MDL_MAX_PAGES];	/* physical memory contents */
	/*
	 * Ghost, INV-14: frame i's page of generation superseded_gen[i] - 1
	 * had its contents copied by migration to page superseded_by[i].
	 * Written and read only in steps announced on frame i.
	 */
	unsigned int superseded_gen[MDL_MAX_PAGES];
	signed char superseded_by[MDL_MAX_PAGES];
	struct mm_struct mms[MDL_MAX_MMS];
	struct address_space files[MDL_MAX_FILES];
	struct address_space swapper_space;
	struct kvm guests[MDL_MAX_GUESTS];
	struct pipe_inode_info pipes[MDL_MAX_PIPES];
	struct mdl_dev devs[MDL_MAX_DEVS];
	struct uvfw_state uvfw;
	int pvec_count[MDL_NR_CPUS];		/* pages in each CPU's LRU pagevecs */
	struct page *pvec[MDL_NR_CPUS][MDL_PVEC_SIZE];
	unsigned char pvec_kind[MDL_NR_CPUS][MDL_PVEC_SIZE];	/* enum pvec_kind */
	char lru_drain_lock;			/* lru_add_drain_all's static mutex */
	unsigned int lru_drain_seq;		/* its seqcount (under the mutex) */
	char free_list;				/* object identity of the allocator */
	uint32_t free_mask;			/* frames on the free list (under free_list) */
	struct mdl_thread threads[MDL_MAX_THREADS];
	int knob[KNOB_NR];
	int nr_pages, nr_mms, nr_files, nr_guests, nr_pipes, nr_devs;
	struct mdl_dev *swapdev;
	int step;				/* ghost clock: model steps so far */
};

extern struct world mdl_world;

static inline int mdl_knob_val(enum mdl_knob_id k)
{
	return mdl_world.knob[k];
}

/*
 * mdl_world_page - is @p one of the world's pages (the start of one)?  What
 * a user's C hands the model as a page must be (src/paths).
 * Context: any.
 */
static inline bool mdl_world_page(const void *p)
{
	const char *c = p, *first = (const char *)&mdl_world.pages[0];

	return c >= first && c < (const char *)&mdl_world.pages[mdl_world.nr_pages] &&
	       (size_t)(c - first) % sizeof(struct page) == 0;
}

struct mdl_thread *mdl_current(void);
void mdl_ops_forget(void);	/* ops.c: forget mdl_op_note()s */
int mdl_nr_forks(void);		/* ops.c: fork operations noted */

/* Addresses (world.c, bind time): name one, a fork's child, validate, retake the snapshot. */
int mdl_mm_add_addr(struct mm_struct *mm, unsigned long addr);
int mdl_fork_note(struct mm_struct *parent, struct mm_struct *child);
int mdl_check_addr(const struct mm_struct *mm, const char *what, long v, char *err,
		   size_t errlen);
void mdl_world_snapshot(void);

/*
 * The special pages (special_pages.c): a THP's tail ("page ... thp=tail")
 * and the zero page ("page ... zero=1"); their declaration and the
 * binder's rules.
 */
int mdl_special_key(const char *key, const char *val, bool *on, char *err, size_t errlen);
int mdl_special_decl_check(bool thp, int mm, int mm2, int file, bool ro, bool prot_r, long data,
			   bool other_state, char *err, size_t errlen);
const struct page *mdl_special_at(struct mm_struct *mm, unsigned long addr);
bool mdl_special_any(const struct mm_struct *mm);

/* Symmetry reduction: struct program's canon_state and thread_key (world.c). */
size_t mdl_world_canon(void *ctx, const int *sigma, uint64_t classed, void *buf);
size_t mdl_world_canon_threads(int nthreads, const int *sigma, uint64_t classed, void *buf);
uint64_t mdl_thread_key(void *ctx, int tid);
struct frame *page_frame(const struct page *page);

/* Thread-held references for scenario ops that compose a path. */
void mdl_cur_push(struct page *page, struct ref_tag tag);
struct page *mdl_cur_top(void);
struct ref_tag mdl_cur_pop(struct page **pagep);

#endif /* PVM_MODEL_WORLD_H */
