// SPDX-License-Identifier: MIT
/*
 * rmap.c - write-protecting and cleaning every PTE of a page-cache page
 * (page_mkclean), the rmap walk of writeback.
 *
 * Follows mm/rmap.c as of v5.7 (5.7.14 tree): page_mkclean() ->
 * rmap_walk() -> rmap_walk_file() -> page_mkclean_one() for each VMA of
 * the file that maps the page's offset and is VM_SHARED
 * (invalid_mkclean_vma), and in each, under that PTE's lock
 * (page_vma_mapped_walk with PVMW_SYNC), for a PTE that is dirty or
 * writable: ptep_clear_flush(), then set_pte_at() of the same page
 * write-protected and clean.  On s390 ptep_clear_flush() exports the page
 * of a protected mm (src/mm/memory.c), so writeback of a file page that
 * backs a secure guest page exports it here, under the page lock, before
 * __test_set_page_writeback's hook; and a page the import found writable
 * may be write-protected before the import locks it (catalog
 * mkclean+import).
 *
 * The other rmap users of the model stay where they are: try_to_unmap
 * (reclaim, src/mm/vmscan.c), migration's unmap (src/mm/migrate.c),
 * unmap_mapping_pages (src/mm/filemap.c), page_add/remove_rmap
 * (src/mm/memory.c).
 *
 * Abstracted away: i_mmap_rwsem (the model has no i_mmap tree: the walk
 * tests every named address under its PTE lock, doc/protocol.md "rmap
 * walks test PTEs, not VMAs"), the mmu notifiers (s390 KVM uses the PGSTE
 * notifier of ptep_xchg_start, which touches no page, count or PTE the
 * model has), THP PMDs, KSM, anonymous pages (page_mkclean returns 0 for
 * them: no mapping), rmap_walk_file's cond_resched() (its might_sleep
 * check sees only the page lock here).
 */
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/*
 * page_mkclean_one - the rmap_one of page_mkclean for the PTE of @addr in
 * @mm: page_vma_mapped_walk(PVMW_SYNC) takes the PTE lock and checks that
 * the PTE maps @page; a PTE neither dirty nor writable is left alone;
 * otherwise ptep_clear_flush() (exports in a protected mm), then
 * set_pte_at() of pte_mkclean(pte_wrprotect(entry)).
 * Context: page locked (page_mkclean); takes and drops the PTE lock.
 * Return: 1 if it cleaned the PTE, else 0 (v5.7 counts into *arg and
 * returns true: the walk goes on).
 */
static int page_mkclean_one(struct page *page, struct mm_struct *mm, unsigned long addr)
{
	KERNEL_FRAME();
	char *ptl = pte_lockptr(mm, addr);
	pte_t *ptep = pte_offset(mm, addr);
	pte_t entry;

	if (MUTANT_KEEP(MUT_MKCLEAN_PTL))
		spin_lock(ptl);		/* map_pte; check_pte in the lock step */
	else	/* the mutant drops the lock, not the read's announcement */
		VIS_READ(ptep, "page_mkclean_one: check_pte (no PTE lock)");
	if (!pte_present(*ptep) || ptep->pfn != page->pfn ||
	    (!pte_dirty(*ptep) && !pte_write(*ptep))) {
		if (MUTANT_KEEP(MUT_MKCLEAN_PTL))
			spin_unlock(ptl);
		return 0;
	}
	entry = ptep_clear_flush(mm, addr, ptep);
	/* pte_wrprotect, pte_mkclean */
	entry.flags &= ~(unsigned int)(_PAGE_WRITE | _PAGE_DIRTY);
	VIS_WRITE(ptep, "page_mkclean_one: set_pte_at (write-protected, clean)");
	*ptep = entry;
	if (vis_recording())
		vis_note("%s at %s %#lx write-protected and clean", page->name, mm->name, addr);
	if (MUTANT_KEEP(MUT_MKCLEAN_PTL))
		spin_unlock(ptl);
	return 1;
}

/**
 * page_mkclean - write-protect and clean every shared mapping of a locked
 * page-cache page, so that the next store through any of them faults
 * (wp_page_shared -> page_mkwrite) and dirties the page again.
 * @page: the page, locked.
 *
 * v5.7 order: BUG_ON(!PageLocked); page_mapped() (0: nothing to do);
 * page_mapping() (NULL: nothing to do); rmap_walk -> rmap_walk_file:
 * i_mmap_lock_read, each VMA of the file's i_mmap over the page's offset,
 * invalid_mkclean_vma skips those without VM_SHARED, page_mkclean_one.
 * The model visits every named address of every mm, in mm order and
 * ascending address order, and lets page_mkclean_one test under the PTE
 * lock whether the PTE maps the page: only a shared VMA of this file at
 * this offset can map a page-cache page in the model (no MAP_PRIVATE file
 * mappings, and fork copies no PTE of a shared file VMA), so the PTEs
 * cleaned are v5.7's and the VMAs are never read (fork writes a child's
 * VMAs under the child's mmap_sem only).
 * Context: page locked (clear_page_dirty_for_io), no spinlock held; takes
 * each mapping's PTE lock in turn; never sleeps while holding one.
 * Return: the number of PTEs cleaned.
 */
int page_mkclean(struct page *page)
{
	KERNEL_FRAME();
	int cleaned = 0, m, k, i;

	if (!inv_holds_lock(&page->lock))
		inv_fail(VIOL_USE_NEEDS_REF, VIS_SITE("page_mkclean"),
			 "BUG_ON(!PageLocked(page)) in page_mkclean: %s", page->name);
	VIS_READ(page, "page_mkclean: page_mapped, page_mapping");
	if (page_mapcount(page) <= 0)
		return 0;
	if (!page->mapping || page->mapping->swapper || PageAnon(page))
		return 0;
	for (m = 0; m < mdl_world.nr_mms; m++) {
		struct mm_struct *mm = &mdl_world.mms[m];

		for_each_mm_addr(mm, k, i)
			cleaned += page_mkclean_one(page, mm, mm->addr[i]);
	}
	return cleaned;
}
