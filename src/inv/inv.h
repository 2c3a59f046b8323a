/* SPDX-License-Identifier: MIT */
/*
 * inv.h - the twelve properties (violations.def, doc/invariants.md) and
 * the ghost state they read: who holds each page reference and why, who
 * holds which lock, who froze which refcount, which DMA is in flight.
 *
 * Model code calls these hooks at the points where the kernel would have
 * (or should have) a WARN_ON/VM_BUG_ON/lockdep check, and at the points a
 * property is about.  A failed check ends the execution through vis_fail()
 * with the INV id and a message naming the kernel check or location.
 */
#ifndef PVM_INV_INV_H
#define PVM_INV_INV_H

#include <stdbool.h>
#include "check/visible.h"
#include "mm/page.h"

struct mm_struct;

enum violation {
#define VIOL(e, id, text) VIOL_##e,
#include "inv/violations.def"
#undef VIOL
	VIOL_NR
};

const char *inv_id(enum violation v);
const char *inv_text(enum violation v);

/* Report @v at @site; never returns. */
_Noreturn void inv_fail(enum violation v, struct vis_site site, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Lock classes, in the order they must be taken (doc/locking.md). */
enum lock_class {
	LC_PIPE = 1,	/* pipe->mutex */
	LC_KVM,		/* kvm->lock (KVM_S390_PV_COMMAND), before mmap_sem */
	LC_MMAP_SEM,	/* mm->mmap_sem */
	LC_PAGE,	/* PG_locked */
	LC_PTL,		/* PTE spinlock */
	LC_LRU_DRAIN,	/* lru_add_drain_all's static mutex */
	LC_XA,		/* mapping->i_pages.xa_lock (a leaf) */
	LC_NR
};

/* ==== ghost reference holders (INV-05, INV-06) ==== */
void inv_ref_add(struct page *page, struct ref_tag tag, int weight, const char *site);
void inv_ref_del(struct page *page, struct ref_tag tag, int weight, struct vis_site site);
int inv_ref_sum(const struct page *page);
void inv_check_refcount(struct page *page, struct vis_site site);
bool inv_thread_holds_ref(const struct page *page, int tid);
bool inv_has_marker(const struct page *page);
bool inv_holds_mapping_ptl(const struct page *page);
const char *ref_why_name(int why);

/* ==== locks and execution context (INV-10) ==== */
void inv_lock_acquired(enum lock_class cls, const void *obj, const char *caller);
void inv_lock_released(const void *obj);
void inv_might_sleep(const char *file, const char *caller, struct vis_site site);
bool inv_holds_lock(const void *obj);
void inv_lockdep_check(enum lock_class cls, const void *obj, const char *caller,
		       struct vis_site site);
void inv_lockdep_at_exit(void);
const char *lock_class_name(int cls);

/* ==== uses of a page (INV-07) ==== */
void inv_page_use(const struct page *page, unsigned int gen, struct vis_site site);
/* The same check inside a step that reads @page (vis_also): no step of its own. */
void inv_page_check(const struct page *page, unsigned int gen, struct vis_site site);

/* ==== DMA (INV-01, INV-02) ==== */
void inv_dma_marker(struct page *page, bool start, struct vis_site site);
int inv_dma_inflight(const struct page *page);
void inv_dma_start(struct page *page, bool to_device, struct vis_site site);
void inv_dma_addr(const struct mm_struct *mm, unsigned long addr, const struct page *page,
		  struct vis_site site);
void inv_dma_end(struct page *page, bool to_device, struct vis_site site);

/* ==== writes after migration (INV-14) ==== */
void inv_page_superseded(const struct page *page, const struct page *newpage);
void inv_write_kept(const struct page *page, const char *writer, struct vis_site site);

/* ==== conversion and teardown (INV-03, INV-04, INV-08, INV-11) ==== */
void inv_before_import(struct page *page, struct vis_site site);
void inv_after_import_frame(struct page *page, struct vis_site site);
/*
 * The conversion preconditions as the import UVC's step finds the page
 * (inv_import_facts), checked in the same step after a successful UVC
 * (inv_after_import).
 */
struct inv_import_facts {
	int refs;		/* real references (ghost holders) */
	int expected;		/* expected_page_refs() */
	int teardown;		/* of refs: mappings already unmapped, not yet put */
	bool writeback, page_locked, mapping_ptl, arch1;
};
void inv_import_facts(const struct page *page, struct inv_import_facts *f);
void inv_after_import(struct page *page, const struct inv_import_facts *f,
		      struct vis_site site);
void inv_arch1_cleared(struct page *page, struct vis_site site);
void inv_page_freed(struct page *page, struct vis_site site);
void inv_frame_freed(struct page *page, struct vis_site site);
void inv_frozen_add(struct page *page);
void inv_frozen_del(struct page *page);
void inv_freezer_step(struct vis_site site);

/* ==== data (INV-09) ==== */
void inv_guest_read(int kvm_id, unsigned long gfn, uint32_t got, struct vis_site site);

/* ==== sweeps ==== */
void inv_check_all(void);
void inv_at_exit(void);

/**
 * inv_thread_end - INV-06 when a scenario thread has run its last
 * operation: a reference its operations took (its current-page stack) and
 * never dropped is a leak, reported at once with the page and the
 * operation that took it.  Nothing can drop it any more, so it is the
 * finding whether or not the other threads then finish (inv_at_exit would
 * say the same at the end) or block on it for ever (a deadlock that would
 * hide the cause: a re-fault waits for the leaked count to fall).
 * Context: model thread, after its last step; reads only its own record.
 */
void inv_thread_end(void);

#endif /* PVM_INV_INV_H */
