// SPDX-License-Identifier: MIT
/*
 * follow-get-hook.c - examples/paths/v5.7-follow.c with the hook for
 * FOLL_GET too (Dave Hansen's request, <2a1abf38-d321-e3c7-c3b1-
 * 53b6db6da310@intel.com>): what the model's knob foll_get_hook=on does to
 * its own follow_page_pte.  The v5.7 patch changes exactly the three
 * catalog scenarios that set that knob (the patch replaces the function
 * the knob varies); this one, on those three, gives the knob's verdicts
 * (tests/paths), so the difference is the knob and nothing else.
 */
#include <pvcheck/kernel.h>

struct page *follow_page_pte(struct vm_area_struct *vma, unsigned long address, pmd_t *pmd,
			     unsigned int flags, struct dev_pagemap **pgmap)
{
	struct mm_struct *mm = vma_mm(vma);	/* vma->vm_mm */
	struct page *page;
	spinlock_t *ptl;
	pte_t *ptep, pte;
	int ret;

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
	/*
	 * Only a pinner reads or writes the contents, so only it needs the
	 * page exported; the pin is held already and the PTE lock still is,
	 * so an import cannot slip in between.
	 */
	if (flags & (FOLL_PIN | FOLL_GET)) {
		ret = arch_make_page_accessible(page);
		if (ret) {
			if (flags & FOLL_PIN)
				unpin_user_page(page);
			else
				put_page(page);
			page = ERR_PTR(ret);
			goto out;
		}
	}
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
