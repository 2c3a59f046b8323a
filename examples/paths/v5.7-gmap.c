// SPDX-License-Identifier: MIT
/*
 * v5.7-gmap.c - v5.7's gmap_make_secure (arch/s390/kernel/uv.c) written
 * against include/pvcheck/kernel.h.  As a patch it must change no verdict
 * of the catalog except where a scenario's knob varies this very function
 * (tests/paths checks it): it ties the header's gmap, VMA and page-table
 * calls to the model's own gmap_make_secure.  The make_secure_pte it calls
 * is the model's (or a patch's, if the same --patch file defines one).
 */
#include <pvcheck/kernel.h>

int gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb)
{
	struct vm_area_struct *vma;
	bool local_drain = false;
	spinlock_t *ptelock;
	unsigned long uaddr;
	struct page *page;
	pte_t *ptep;
	int rc;

again:
	rc = -EFAULT;
	down_read(&gmap->mm->mmap_sem);

	uaddr = __gmap_translate(gmap, gaddr);
	if (IS_ERR_VALUE(uaddr))
		goto out;
	vma = find_vma(gmap->mm, uaddr);
	if (!vma)
		goto out;
	/* no secure huge pages: the import fails with -EFAULT */
	if (is_vm_hugetlb_page(vma))
		goto out;

	rc = -ENXIO;
	page = follow_page(vma, uaddr, FOLL_WRITE);	/* no reference taken */
	if (IS_ERR_OR_NULL(page))
		goto out;

	lock_page(page);
	ptep = get_locked_pte(gmap->mm, uaddr, &ptelock);
	rc = make_secure_pte(ptep, uaddr, page, uvcb);
	pte_unmap_unlock(ptep, ptelock);
	unlock_page(page);
out:
	up_read(&gmap->mm->mmap_sem);

	if (rc == -EAGAIN) {
		/* the page may be gone by now: nothing holds it (fixed in 2024) */
		wait_on_page_writeback(page);
	} else if (rc == -EBUSY) {
		if (local_drain) {
			/* this CPU's pagevecs were not it: drain them all, let the caller retry */
			lru_add_drain_all();
			return -EAGAIN;
		}
		/* the usual extra reference: this CPU's pagevec; drain it, try once more */
		lru_add_drain();
		local_drain = true;
		goto again;
	} else if (rc == -ENXIO) {
		if (gmap_fault(gmap, gaddr, FAULT_FLAG_WRITE))
			return -EFAULT;
		return -EAGAIN;
	}
	return rc;
}
