// SPDX-License-Identifier: MIT
/*
 * mlock.c - munlock(2) of one page: the references munlock takes and drops
 * on the page it un-mlocks.
 *
 * Follows mm/mlock.c as of v5.7 (5.7.14 tree): the munlock syscall takes
 * mmap_sem for writing (down_write_killable), apply_vma_lock_flags ->
 * mlock_fixup, which does nothing for a VMA without VM_LOCKED (newflags ==
 * vm_flags) or a hugetlb one, else munlock_vma_pages_range: per page
 * follow_page(FOLL_GET | FOLL_DUMP) (try_get_page under the PTE lock, no
 * arch_make_page_accessible: only FOLL_PIN calls it in v5.7), then
 * __munlock_pagevec_fill (the next PTEs of the table: none here, one page)
 * and __munlock_pagevec:
 *   phase 1, under the node's lru_lock: TestClearPageMlocked; an mlocked
 *     page on the LRU is isolated with follow_page's reference
 *     (__munlock_isolate_lru_page(page, false): ClearPageLRU, no get_page);
 *     any other page goes to a second pagevec whose references are dropped
 *     after the lru_lock (pagevec_release: put_page);
 *   phase 2: lock_page; __putback_lru_fast_prepare: a page mapped at most
 *     once and evictable is queued for phase 3 and unlocked; else the slow
 *     path: a plain get_page for putback_lru_page, __munlock_isolated_page
 *     (try_to_munlock when mapped more than once, putback_lru_page:
 *     lru_cache_add and put_page), unlock_page, put_page of follow_page's
 *     reference;
 *   phase 3: __putback_lru_fast -> __pagevec_lru_add: PG_lru set under the
 *     lru_lock, then release_pages drops follow_page's reference.
 *
 * Why no get_page here meets make_secure_pte's frozen count:
 *   1. munlock holds mmap_sem for writing from the lookup to the last
 *      put_page; gmap_make_secure holds it for reading from its follow_page
 *      to make_secure_pte's unfreeze: the two never overlap;
 *   2. even without that, follow_page's try_get_page runs under the PTE
 *      lock that make_secure_pte holds while the count is frozen, and every
 *      later get (the slow path's get_page, lru_cache_add's pagevec
 *      reference) is taken while follow_page's reference is still held, so
 *      the count is above expected_page_refs and no exact freeze can
 *      succeed meanwhile (the import fails with -EBUSY and retries).
 *
 * Abstracted away: the lru_lock as an object (phase 1's test-and-clear of
 * the flags is one step on the page, as isolate_lru_page in vmscan.c), the
 * zone and NR_MLOCK accounting, THP (PageTransHuge/Tail: s390 splits THP
 * for KVM), try_to_munlock's rmap walk for another VM_LOCKED VMA (it could
 * set PG_mlocked again; no modelled path but munlock reads PG_mlocked, and
 * both outcomes put the page back with the same references), the
 * unevictable list (an mlocked page is on an LRU list: PG_lru), mlock(2)
 * itself (a page is declared mlocked: page ... mlocked=1).
 */
#include "model/world.h"
#include "inv/inv.h"

/*
 * __putback_lru_fast - phase 3 for @page: __pagevec_lru_add sets PG_lru
 * under the lru_lock, and its release_pages drops the reference that
 * follow_page took (the isolation's, REF_ISOLATE in the ghost).
 * Context: no spinlock held.
 */
static void __putback_lru_fast(struct page *page)
{
	KERNEL_FRAME();
	VIS_RMW(page, "__pagevec_lru_add: SetPageLRU (lru_lock)");
	__set_page_flag(page, PG_lru);
	put_page(page, ref_thread(REF_ISOLATE));	/* release_pages */
}

/*
 * __munlock_pagevec - phases 1 to 3 of the one page @page, whose
 * follow_page reference (REF_GUP) the caller hands over.
 * Context: mmap_sem held for writing; no spinlock held; sleeps (lock_page).
 */
static void __munlock_pagevec(struct page *page)
{
	KERNEL_FRAME();
	bool isolated = false;

	/* phase 1, spin_lock_irq(&pgdat->lru_lock) */
	VIS_RMW(page, "__munlock_pagevec: TestClearPageMlocked, PageLRU, ClearPageLRU (lru_lock)");
	if (PageMlocked(page)) {
		__clear_page_flag(page, PG_mlocked);
		if (PageLRU(page)) {	/* __munlock_isolate_lru_page(page, false) */
			__clear_page_flag(page, PG_lru);
			isolated = true;
		}
		/* else __munlock_isolation_failed: counted, and put back below */
	}
	if (vis_recording())
		vis_note("%s: %s (refcount %d)", page->name,
			 isolated ? "munlocked and isolated with follow_page's reference" :
				    "not isolated: follow_page's reference dropped",
			 page_ref_count(page));
	if (!isolated) {
		/* after spin_unlock_irq: pagevec_release(&pvec_putback) */
		put_page(page, ref_thread(REF_GUP));
		return;
	}
	/* follow_page's reference is the isolation's now (ghost) */
	ref_transfer(page, ref_thread(REF_GUP), ref_thread(REF_ISOLATE));

	/* phase 2 */
	lock_page(page);
	/* __putback_lru_fast_prepare: page_evictable is true once PG_mlocked is clear */
	VIS_READ(page, "__putback_lru_fast_prepare: page_mapcount");
	if (page_mapcount(page) <= 1) {
		unlock_page(page);
		__putback_lru_fast(page);	/* phase 3 */
		return;
	}
	/* slow path: keep a reference past unlock_page */
	get_page(page, ref_thread(REF_GET));
	/* __munlock_isolated_page: try_to_munlock (abstracted), putback_lru_page */
	putback_lru_page(page, ref_thread(REF_GET));
	unlock_page(page);
	put_page(page, ref_thread(REF_ISOLATE));	/* follow_page's */
}

/*
 * munlock_vma_pages_range - VM_LOCKED cleared, then the page of @start:
 * follow_page(FOLL_GET | FOLL_DUMP), and __munlock_pagevec of what it
 * returned; nothing mapped (NULL) or an anonymous hole (FOLL_DUMP's
 * -EFAULT) is skipped.
 * Context: mmap_sem held for writing; takes the PTE lock in follow_page.
 */
static void munlock_vma_pages_range(struct mm_struct *mm, struct vm_area_struct *vma,
				    unsigned long start)
{
	KERNEL_FRAME();
	struct page *page;
	int err = 0;

	vma->locked = false;	/* vm_flags &= VM_LOCKED_CLEAR_MASK, under mmap_sem */
	page = follow_page_mask(vma, mm, start, FOLL_GET | FOLL_DUMP, &err);
	if (page && !err)
		__munlock_pagevec(page);	/* after __munlock_pagevec_fill: one page */
	cond_resched();
}

/*
 * mlock_fixup - for the munlock of @start: nothing to do for a VMA without
 * VM_LOCKED or a hugetlb VMA; else munlock_vma_pages_range (the model's
 * VMA is one page: no vma_merge or split_vma).
 * Context: mmap_sem held for writing.  Return: 0.
 */
static int mlock_fixup(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start)
{
	KERNEL_FRAME();
	if (!vma->locked || vma->hugetlb)
		return 0;
	munlock_vma_pages_range(mm, vma, start);
	return 0;
}

/*
 * apply_vma_lock_flags - the VMA of @start (none, or one that starts above
 * it: -ENOMEM), then mlock_fixup with VM_LOCKED cleared.
 * Context: mmap_sem held for writing.  Return: 0 or -ENOMEM.
 */
static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start)
{
	KERNEL_FRAME();
	struct vm_area_struct *vma = find_vma(mm, start);

	if (!vma)
		return -ENOMEM;
	return mlock_fixup(mm, vma, start);
}

/**
 * do_munlock - the munlock(@start, @len) syscall of the task whose mm is
 * @mm (current->mm).
 * @mm: the address space; @start: a page address; @len: PAGE_SIZE.
 *
 * v5.7 order: down_write_killable(mmap_sem) (never killed here),
 * apply_vma_lock_flags: find_vma (none, or one above @start: -ENOMEM),
 * mlock_fixup; up_write.
 * Context: process context, no locks held; sleeps (mmap_sem, lock_page).
 * Return: 0; -EINVAL (unaligned @start or a length other than one page:
 * the model's, v5.7 rounds); -ENOMEM (no VMA at @start).
 */
int do_munlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	kernel_frame("__do_sys_munlock");
	int ret;

	if (start & (PAGE_SIZE - 1) || len != PAGE_SIZE)
		return -EINVAL;
	down_write(&mm->mmap_sem, "__do_sys_munlock: down_write_killable(mmap_sem)");
	ret = apply_vma_lock_flags(mm, start);
	up_write(&mm->mmap_sem);
	return ret;
}
