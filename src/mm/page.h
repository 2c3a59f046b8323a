/* SPDX-License-Identifier: MIT */
/*
 * page.h - struct page, its flags, reference count and page lock.
 *
 * Follows include/linux/mm_types.h, page-flags.h, page_ref.h, mm.h and
 * pagemap.h as of Linux v5.7 (the 5.7 try_get_page()/try_grab_page() with
 * their WARN_ON_ONCE(count <= 0) are modelled, not the 2021 replacements).
 * Abstracted away: compound pages, folios, memcg, the page's
 * virtual address; PAGE_MAPPING_ANON is a model flag (PG_anon) instead of a
 * tag bit in ->mapping; the swap entry of a swap-cache page lives in
 * ->private as in the kernel.  The page's *contents* are not here but in
 * struct frame (src/model/world.h), as physical memory is not part of struct
 * page in the kernel either.
 *
 * Every refcount operation takes a last, ghost-only argument (a struct
 * ref_tag) naming who holds or drops the reference and why; the kernel has
 * no such argument, the properties INV-05/06 need it.
 *
 * Lock order (doc/locking.md has the full tree; from mm/rmap.c, v5.7):
 *
 *   mm->mmap_sem                      (down_read in gmap_make_secure, gup, faults)
 *     page lock (PG_locked)           (lock_page: sleeps)
 *       the PTE lock (PTL) of the page table  (spinlock; nothing below may sleep)
 *         page refcount frozen        (page_ref_freeze: a "lock" only against
 *                                      add-unless-zero takers, not plain get/put)
 *           Ultravisor call           (uv_call busy-loops, never sleeps)
 *   mapping->i_pages lock, swap-cache lock: leaves, taken inside any of the above.
 */
#ifndef PVM_MM_PAGE_H
#define PVM_MM_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "model/limits.h"

/* Page flags (include/linux/page-flags.h), bit numbers. */
enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_private,		/* buffer heads attached: page_has_private() */
	PG_writeback,
	PG_swapcache,
	PG_arch_1,		/* s390: page may be secure (over-approximates) */
	PG_huge,		/* model: PageHuge() (hugetlbfs) */
	PG_anon,		/* model: PAGE_MAPPING_ANON tag of ->mapping */
	PG_active,		/* on (or queued for) the active LRU list */
	PG_reclaim,		/* reclaim wants it rotated when writeback ends */
	PG_tail,		/* model: PageTail(), a subpage of a THP (its head not modelled) */
	PG_zero,		/* model: is_zero_pfn() of the page's frame (the shared zero page) */
	PG_mlocked,		/* in a VM_LOCKED VMA (mlock, mlockall): unevictable */
	NR_PAGEFLAGS
};

/* gup flags (include/linux/mm.h, v5.7). */
#define FOLL_WRITE	0x01
#define FOLL_TOUCH	0x02
#define FOLL_GET	0x04
#define FOLL_DUMP	0x08	/* give error on hole if it would be zero */
#define FOLL_PIN	0x40000

#define GUP_PIN_COUNTING_BIAS (1U << 10)

/*
 * Why a reference is held: ghost state only.  "Passive" holders are the
 * ones expected_page_refs() counts (mapping, page cache, buffers); every
 * other one is an extra reference, i.e. an I/O marker in the sense of
 * Ulrich Weigand's protocol (<20200504134154.GA21001@oc3748833570.ibm.com>).
 */
enum ref_why {
	REF_NONE,
	REF_MAP,	/* a present PTE maps the page (owner: mm*16+addr) */
	REF_CACHE,	/* page cache or swap cache entry (owner: -1) */
	REF_BUFFERS,	/* PG_private buffer heads (owner: -1) */
	REF_ALLOC,	/* alloc_page() caller, not yet handed over */
	REF_PVEC,	/* per-CPU LRU pagevec (owner: cpu) */
	REF_LOOKUP,	/* find_get_page() */
	REF_GET,	/* plain get_page() by a path */
	REF_GUP,	/* gup FOLL_GET */
	REF_PIN,	/* gup FOLL_PIN: weight GUP_PIN_COUNTING_BIAS */
	REF_PIPE,	/* pipe buffer (owner: pipe index) */
	REF_ISOLATE,	/* isolated from the LRU by reclaim/migration */
	REF_FAULT,	/* s390 secure-storage fault handler */
	REF_RESERVED,	/* the kernel's own: the zero page's, which no mapping takes (owner: -1) */
	REF_NR
};

/*
 * ref_owned_by_thread - is a holder of kind @why a thread's own reference
 * (ref_thread(): its owner a thread id), not a PTE's, the page or swap
 * cache's, the buffer heads', a pipe's or a CPU's pagevec's?
 */
static inline bool ref_owned_by_thread(int why)
{
	_Static_assert(REF_NR == 14, "a new ref_why: say here whether its owner is a thread");
	switch (why) {
	case REF_NONE: case REF_MAP: case REF_CACHE: case REF_BUFFERS: case REF_PIPE: case REF_PVEC:
	case REF_RESERVED:
		return false;
	default:
		return true;
	}
}

/* Who: @why plus an owner (thread id, or an object index for object holders). */
struct ref_tag {
	int8_t why;
	int16_t owner;
};

/* One ghost holder of a reference. */
struct ref_holder {
	struct ref_tag tag;
	int16_t tid;		/* thread that took it */
	int weight;		/* 1, or GUP_PIN_COUNTING_BIAS */
	int since;		/* step counter when taken */
	const char *site;	/* function that took it */
};

/*
 * struct page - a page frame descriptor (include/linux/mm_types.h, v5.7).
 */
struct page {
	/* ==== kernel-visible state ==== */
	unsigned long flags;
	int _refcount;		/* 0 while frozen or free */
	int _mapcount;		/* -1: not mapped (page_mapcount() adds one) */
	struct address_space *mapping;	/* file pages: the file; else NULL */
	unsigned long index;	/* file offset, in pages */
	unsigned long private;	/* swap-cache page: the swap slot */

	/* ==== model bookkeeping: only the model and src/inv touch this ==== */
	char lock;		/* identity of the page lock for vis_lock() */
	int pfn;
	char name[16];
	bool allocated;		/* false: on the free list */
	unsigned int gen;	/* bumped at every free: detects reuse (INV-07) */
	unsigned int version;	/* bumped at every write: retry waits key on it */
	int nholders;
	struct ref_holder holders[MDL_MAX_HOLDERS];
	int freeze_tid;		/* thread holding the refcount frozen, or -1 */
	int freeze_count;	/* value it froze at */
	int freeze_steps;	/* visible steps the freezer took while frozen */
	int lock_tid;		/* thread holding PG_locked, or -1 */
	int wb_tid;		/* thread that set PG_writeback, or -1 */
	/*
	 * Device transfers started and not ended, per issuing thread: written
	 * and read only in steps announced on the page's frame (DMA start and
	 * completion, the import UVC, the free's frame check).  Per thread,
	 * because two transfers *from* the frame are reads of it and must
	 * not write a common counter.
	 */
	signed char dma_inflight[16];
};

/* ==== flags ==== */
static inline bool test_page_flag(const struct page *page, int nr)
{
	return (page->flags >> nr) & 1;
}

/*
 * PG_locked is not kept in ->flags: the page lock is the lock object
 * page->lock, and its state is mirrored in ->lock_tid, written only in the
 * lock's own steps.  A bit in ->flags would be written under the lock's
 * announcement while every flag test reads the same word under the page's:
 * an unannounced dependency (model audit, tests/audit).
 */
#define PageLocked(p)		((p)->lock_tid >= 0)
#define PageWriteback(p)	test_page_flag((p), PG_writeback)
#define PageSwapCache(p)	test_page_flag((p), PG_swapcache)
#define PagePrivate(p)		test_page_flag((p), PG_private)
#define PageHuge(p)		test_page_flag((p), PG_huge)
#define PageAnon(p)		test_page_flag((p), PG_anon)
#define PageDirty(p)		test_page_flag((p), PG_dirty)
#define PageArch1(p)		test_page_flag((p), PG_arch_1)
#define PageReferenced(p)	test_page_flag((p), PG_referenced)
#define PageLRU(p)		test_page_flag((p), PG_lru)
#define PageActive(p)		test_page_flag((p), PG_active)
#define PageReclaim(p)		test_page_flag((p), PG_reclaim)
#define PageTail(p)		test_page_flag((p), PG_tail)
#define is_zero_page(p)		test_page_flag((p), PG_zero)	/* is_zero_pfn(page_to_pfn(p)) */
#define PageMlocked(p)		test_page_flag((p), PG_mlocked)
/*
 * PageUnevictable: v5.7's mlock_vma_page() moves an mlocked page to the
 * unevictable list (isolate_lru_page, putback_lru_page: PG_unevictable),
 * and munlock's putback moves it back; the model keeps no PG_unevictable
 * of its own, an mlocked page is the unevictable one.
 */
#define PageUnevictable(p)	PageMlocked(p)

static inline void __set_page_flag(struct page *page, int nr)
{
	page->flags |= 1UL << nr;
	page->version++;
}

static inline void __clear_page_flag(struct page *page, int nr)
{
	page->flags &= ~(1UL << nr);
	page->version++;
}

static inline int page_mapcount(const struct page *page)
{
	return page->_mapcount + 1;
}

static inline int page_ref_count(const struct page *page)
{
	return page->_refcount;
}

static inline bool page_has_private(const struct page *page)
{
	return PagePrivate(page);
}

struct address_space;
struct address_space *page_mapping(const struct page *page);

/* ==== reference counts (include/linux/page_ref.h, mm.h, v5.7) ==== */

/* Tag helpers: a reference owned by the calling thread, or by an object. */
struct ref_tag ref_thread(enum ref_why why);
static inline struct ref_tag ref_obj(enum ref_why why, int owner)
{
	return (struct ref_tag){ .why = (int8_t)why, .owner = (int16_t)owner };
}

/* Two tags name the same holder: the same reason and the same owner. */
static inline bool ref_tag_eq(struct ref_tag a, struct ref_tag b)
{
	return a.why == b.why && a.owner == b.owner;
}

void get_page(struct page *page, struct ref_tag tag);
void put_page(struct page *page, struct ref_tag tag);
bool get_page_unless_zero(struct page *page, struct ref_tag tag);
bool page_ref_add_unless(struct page *page, int nr, int u, struct ref_tag tag);
/*
 * The same inside a step the caller has announced on the page (VIS_RMW):
 * the model's one step for a kernel lock section that touches the page's
 * count and flags together.  Context and Return: as without _in_step.
 */
void put_page_in_step(struct page *page, struct ref_tag tag);
bool page_ref_add_unless_in_step(struct page *page, int nr, int u, struct ref_tag tag);
bool page_ref_freeze(struct page *page, int count);
void page_ref_unfreeze(struct page *page, int count);
bool try_get_page(struct page *page, struct ref_tag tag);
bool try_grab_page(struct page *page, unsigned int flags, struct ref_tag tag);
void unpin_user_page(struct page *page, struct ref_tag tag);
void ref_transfer(struct page *page, struct ref_tag from, struct ref_tag to);

/* ==== page lock and writeback wait (mm/filemap.c, pagemap.h, v5.7) ==== */
void (lock_page)(struct page *page, const char *caller);
#define lock_page(page) (lock_page)((page), __func__)	/* caller: see mm.h's locks */
bool (trylock_page)(struct page *page, const char *caller);
#define trylock_page(page) (trylock_page)((page), __func__)
void unlock_page(struct page *page);
void wait_on_page_writeback(struct page *page);

/* ==== allocation (mm/page_alloc.c) ==== */
struct page *(alloc_page)(struct ref_tag tag, const char *caller);
#define alloc_page(tag) (alloc_page)((tag), __func__)	/* may sleep: GFP_KERNEL-like */

/* ==== model helpers ==== */
struct page *pfn_to_page(int pfn);
int page_to_pfn(const struct page *page);
bool page_pred_unfrozen(const void *page);
bool page_pred_no_writeback(const void *page);
bool page_pred_changed(const void *arg);

#endif /* PVM_MM_PAGE_H */
