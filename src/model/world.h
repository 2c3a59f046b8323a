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

#define MDL_MAX_PAGES	UVFW_MAX_PAGES
#define MDL_MAX_MMS	3
#define MDL_MAX_FILES	2
#define MDL_MAX_PIPES	2
#define MDL_MAX_DEVS	2
#define MDL_MAX_THREADS	16
#define MDL_MAX_HELD	8	/* locks a thread can hold */
#define MDL_NR_CPUS	MDL_MAX_THREADS
#define MDL_PVEC_SIZE	2	/* pages a per-CPU LRU pagevec holds */

/* Knobs: design variants.  Value 0 is the v5.7 behaviour. */
enum mdl_knob_id {
	KNOB_SPLICE_HOOK,	/* off | on */
	KNOB_FOLL_GET_HOOK,	/* off | on */
	KNOB_GUP_HOOK_ORDER,	/* after | before */
	KNOB_FREEZE_CHECK,	/* exact | at_least */
	KNOB_UV_REFUSE,		/* on | off: export, destroy, pin-shared may fail */
	KNOB_TINY_RCU,		/* off | on: page_cache_get_speculative VM_BUG_ONs */
	KNOB_BUG,		/* none | ...: test-only breakages (enum mdl_bug) */
	KNOB_NR
};

/* Test-only breakages (knob "bug"), each meant to violate one property. */
enum mdl_bug {
	BUG_NONE,
	BUG_ARCH1_LATE,		/* INV-04: set PG_arch_1 after the import UVC */
	BUG_NO_ZAP_EXPORT,	/* INV-08: ptep_get_and_clear does not export */
	BUG_IGNORE_UV_RC,	/* INV-12: make_secure_pte ignores a failed UVC */
	BUG_NO_WB_CHECK,	/* INV-03: make_secure_pte skips PageWriteback */
	BUG_LOCK_UNDER_PTL,	/* INV-10: lock_page after taking the PTL */
	BUG_PUT_EXTRA,		/* INV-06: splice releases a buffer twice */
	BUG_DMA_AFTER_PUT,	/* INV-02: DMA after dropping the marker */
	BUG_UV_LOOP,		/* INV-11: UV answers busy forever */
	BUG_NO_INTEGRITY,	/* INV-09: the UV skips the import integrity check */
	BUG_NR
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

struct mdl_thread {
	bool used;
	char name[24];
	struct page *cur[MDL_MAX_CUR];		/* references held by scenario ops */
	unsigned int cur_gen[MDL_MAX_CUR];
	struct ref_tag cur_tag[MDL_MAX_CUR];
	int ncur;
	const void *held[MDL_MAX_HELD];		/* locks held, in order */
	int held_cls[MDL_MAX_HELD];
	int nheld;
	int nfrozen;				/* refcounts this thread has frozen */
	struct page *frozen[2];			/* which (inv_freezer_step reads only these) */
	struct page *retry_page;		/* last failed conversion: wait for change */
	unsigned int retry_version;
	bool uvc_secure;			/* ghost: the last convert-to-secure left its
						 * frame secure, read in the UVC's step (INV-12) */
	uint32_t last_read;
};

struct world {
	struct page pages[MDL_MAX_PAGES];
	struct frame frames[MDL_MAX_PAGES];	/* physical memory contents */
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

static inline bool mdl_bug(enum mdl_bug b)
{
	return mdl_world.knob[KNOB_BUG] == (int)b;
}

struct mdl_thread *mdl_current(void);
void mdl_ops_forget(void);	/* ops.c: forget mdl_op_note()s */

/* Symmetry reduction: struct program's canon_state and thread_key (world.c). */
size_t mdl_world_canon(void *ctx, const int *sigma, uint64_t classed, void *buf);
uint64_t mdl_thread_key(void *ctx, int tid);
struct frame *page_frame(const struct page *page);

/* Thread-held references for scenario ops that compose a path. */
void mdl_cur_push(struct page *page, struct ref_tag tag);
struct page *mdl_cur_top(void);
struct ref_tag mdl_cur_pop(struct page **pagep);

#endif /* PVM_MODEL_WORLD_H */
