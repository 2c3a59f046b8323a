// SPDX-License-Identifier: MIT
/*
 * wb-ref-3f29f6537f54.c - a real later change to these paths, as a patch
 * of v5.7: upstream commit 3f29f6537f54 ("s390/uv: Don't call
 * folio_wait_writeback() without a folio reference", 2024), written back
 * onto v5.7's gmap_make_secure (pages instead of folios).
 *
 * The race it closes (catalog writeback+import+truncate, INV-07):
 *   1. vCPU: make_secure_pte() finds PG_writeback, returns -EAGAIN; the
 *      vCPU drops the PTE lock, the page lock and mmap_sem;
 *   2. writeback ends; truncate removes the page from the page cache and
 *      the unmap drops the mapping's reference: the page is freed;
 *   3. vCPU: wait_on_page_writeback() on a page it holds no reference to.
 * The fix takes a reference while the PTE lock still pins the mapping
 * (step 1) and drops it after the wait.  Expected (tests/paths): the
 * INV-07 of writeback+import+truncate goes; its INV-03 (page_mkclean
 * write-protecting the PTE under the import) stays, as upstream.
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
	if (is_vm_hugetlb_page(vma))
		goto out;

	rc = -ENXIO;
	page = follow_page(vma, uaddr, FOLL_WRITE);
	if (IS_ERR_OR_NULL(page))
		goto out;

	lock_page(page);
	ptep = get_locked_pte(gmap->mm, uaddr, &ptelock);
	rc = make_secure_pte(ptep, uaddr, page, uvcb);
	/* the fix: the mapping still holds the page here; keep it for the wait */
	if (rc == -EAGAIN)
		get_page(page);
	pte_unmap_unlock(ptep, ptelock);
	unlock_page(page);
out:
	up_read(&gmap->mm->mmap_sem);

	if (rc == -EAGAIN) {
		wait_on_page_writeback(page);
		put_page(page);
	} else if (rc == -EBUSY) {
		if (local_drain) {
			lru_add_drain_all();
			return -EAGAIN;
		}
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
