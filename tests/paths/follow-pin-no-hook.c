// SPDX-License-Identifier: MIT
/*
 * follow-pin-no-hook.c - examples/paths/v5.7-follow.c without the call
 * that f28d43636d6f added: FOLL_PIN takes its pin under the PTE lock and
 * never makes the page accessible.
 *
 * The scenario it breaks, and why that one: gup-pin+import (pin_dma:
 * pin_user_pages, the slow walk, then DMA from the disk) is safe in v5.7
 * only because of this call.  The pin keeps a later import out (its exact
 * freeze sees the extra GUP_PIN_COUNTING_BIAS), but an import that
 * finished before the pin leaves a secure page mapped: the guest's access
 * made it secure, the host PTE still maps it, and follow_page_pte pins it
 * as it is.  Without the hook nothing exports it, and the device then
 * transfers a secure page (INV-01).  A FOLL_GET caller is not affected
 * (v5.7 calls no hook for it), so the scenario must be a pinner through
 * the slow path: gup-fast (gup-pin-fast+import) has its own hook in
 * gup_pte_range, which this patch does not replace.
 */
#include <pvcheck/kernel.h>

struct page *follow_page_pte(struct vm_area_struct *vma, unsigned long address, pmd_t *pmd,
			     unsigned int flags, struct dev_pagemap **pgmap)
{
	struct mm_struct *mm = vma_mm(vma);	/* vma->vm_mm */
	struct page *page;
	spinlock_t *ptl;
	pte_t *ptep, pte;

	(void)pgmap;	/* device pages only */
	/* a pin and a reference at once is a caller's bug */
	if (WARN_ON_ONCE((flags & (FOLL_PIN | FOLL_GET)) == (FOLL_PIN | FOLL_GET)))
		return ERR_PTR(-EINVAL);

	if (unlikely(pmd_bad(*pmd)))
		return no_page_table(vma, flags);

	ptep = pte_offset_map_lock(mm, pmd, address, &ptl);
	pte = *ptep;
	if (!pte_present(pte))
		goto no_page;	/* without FOLL_MIGRATION, a swap or migration entry is no page */
	if ((flags & FOLL_WRITE) && !can_follow_write_pte(pte, flags)) {
		pte_unmap_unlock(ptep, ptl);
		return NULL;
	}

	page = vm_normal_page(vma, address, pte);

	/* try_grab_page() takes nothing unless FOLL_GET or FOLL_PIN */
	if (unlikely(!try_grab_page(page, flags))) {
		page = ERR_PTR(-ENOMEM);
		goto out;
	}
	/* BROKEN: no arch_make_page_accessible() for FOLL_PIN (the call of f28d43636d6f) */
	/*
	 * FOLL_TOUCH: the PTE was found writable for FOLL_WRITE and a
	 * writable PTE is dirty in the model, so v5.7's set_page_dirty()
	 * here never runs; mark_page_accessed does.
	 */
	if (flags & FOLL_TOUCH)
		mark_page_accessed(page);
out:
	pte_unmap_unlock(ptep, ptl);
	return page;
no_page:
	pte_unmap_unlock(ptep, ptl);
	if (!pte_none(pte))
		return NULL;
	return no_page_table(vma, flags);
}
