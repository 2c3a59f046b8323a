// SPDX-License-Identifier: MIT
/* A patch of gmap_make_secure asking follow_page for a reference: an oops of the patch. */
#include <pvcheck/kernel.h>

int gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb)
{
	struct vm_area_struct *vma;
	unsigned long uaddr;
	struct page *page;

	(void)uvcb;
	down_read(&gmap->mm->mmap_sem);
	uaddr = __gmap_translate(gmap, gaddr);
	vma = find_vma(gmap->mm, uaddr);
	page = follow_page(vma, uaddr, FOLL_WRITE | FOLL_GET);
	up_read(&gmap->mm->mmap_sem);
	return page ? 0 : -EFAULT;
}
