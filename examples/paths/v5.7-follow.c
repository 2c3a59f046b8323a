// SPDX-License-Identifier: MIT
/*
 * v5.7-follow.c - v5.7's follow_page_pte (mm/gup.c) written against
 * include/pvcheck/kernel.h.  Every follow of the model goes through it as
 * a patch: follow_page (the import's walk, the vCPU's 0x3D handler),
 * move_pages, and each page of a slow gup, including gup-fast's fallback.
 * tests/paths checks that it changes no verdict of the catalog, nor any
 * finding under --all: the header's lock, grab, hook and flag tests are
 * the model's own.
 *
 * What v5.7 has and the model does not, left out below with a word each:
 * migration entries (FOLL_MIGRATION), NUMA hinting (FOLL_NUMA), device
 * and special pages, FOLL_SPLIT of a THP, FOLL_MLOCK.  No model caller
 * passes those flags, and the model's PTEs map normal pages only.
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
	if (flags & FOLL_PIN) {
		ret = arch_make_page_accessible(page);
		if (ret) {
			unpin_user_page(page);
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
