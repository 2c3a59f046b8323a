// SPDX-License-Identifier: MIT
/*
 * misc.c - user paths for tests/paths/run.sh: each exercises one rule.
 */
#include <pvcheck/kernel.h>

/* Calls nothing visible: still one step of its thread. */
static int nothing(struct page *page)
{
	(void)page;
	return 0;
}
PV_PATH(nothing, struct page *);

/* A NULL dereference in the user's own code: a finding, not a crash. */
static int crash(struct page *page)
{
	volatile int *p = (volatile int *)(uintptr_t)(page_ref_count(page) - page_ref_count(page));
	return *p;
}
PV_PATH(crash, struct page *);

/* put_page(NULL): the oops v5.7 would have, in the path. */
static int put_null(struct page *page)
{
	(void)page;
	put_page(NULL);
	return 0;
}
PV_PATH(put_null, struct page *);

/* WARN_ON fires when the page is mapped: a finding at this line. */
static int warn_mapped(struct page *page)
{
	if (WARN_ON(page_mapcount(page) > 0))
		return -EBUSY;
	return 0;
}
PV_PATH(warn_mapped, struct page *);

/* lock_page with preemption disabled: v5.7's might_sleep report. */
static int sleep_atomic(struct page *page)
{
	preempt_disable();
	lock_page(page);
	unlock_page(page);
	preempt_enable();
	return 0;
}
PV_PATH(sleep_atomic, struct page *);

/* One reference too many dropped: INV-05, the holder table's. */
static int over_put(struct address_space *mapping, pgoff_t index)
{
	struct page *page = find_get_page(mapping, index);

	if (!page)
		return -ENOENT;
	put_page(page);
	put_page(page);
	return 0;
}
PV_PATH(over_put, struct address_space *, pgoff_t);

/* A reference never dropped: a leak at exit. */
static int leak(struct address_space *mapping, pgoff_t index)
{
	return find_get_page(mapping, index) ? 0 : -ENOENT;
}
PV_PATH(leak, struct address_space *, pgoff_t);

/*
 * follow_page(FOLL_TOUCH) with no reference: v5.7's follow_page_pte marks
 * the page accessed under the PTE lock alone, so in a second mm its
 * activate_page() get_page() can meet the import's frozen count (INV-05).
 */
static int touch_follow(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	struct page *page;

	down_read(&mm->mmap_sem);
	vma = find_vma(mm, addr);
	page = follow_page(vma, addr, FOLL_TOUCH);
	up_read(&mm->mmap_sem);
	return page ? 0 : -EFAULT;
}
PV_PATH(touch_follow, struct mm_struct *, unsigned long);

/*
 * Every function of the header, in a sequence that is correct: the ABI
 * of each __pv_* call against pvcheck's definition.
 */
static int every_call(struct mm_struct *mm, struct address_space *mapping, struct device *dev)
{
	struct page *pages[1], *range[3], *page;
	long n;
	int ret = 0;

	down_read(&mm->mmap_sem);
	n = get_user_pages(0, 1, FOLL_WRITE, pages, NULL);
	up_read(&mm->mmap_sem);
	if (n != 1)
		return -EFAULT;
	put_page(pages[0]);
	if (pin_user_pages_fast(0, 1, FOLL_WRITE, pages) != 1)
		return -EFAULT;
	ret |= dma_to_device(dev, pages[0]);
	unpin_user_page(pages[0]);
	if (get_user_pages_fast(0, 1, 0, pages) != 1)
		return -EFAULT;
	/* addresses the world does not name have no VMA */
	if (get_user_pages_fast(0x7000, 1, 0, pages) != -EFAULT ||
	    pin_user_pages(0x7000, 1, 0, pages, NULL) != -EFAULT)
		return -EINVAL;
	put_page(pages[0]);
	/*
	 * a range: the page at 0, then no VMA at 0x1000: v5.7's partial
	 * success (the fast walk stops, the slow walk's -EFAULT becomes the
	 * fast count 1); FOLL_GET given to a pin is -EINVAL
	 */
	if (pin_user_pages_fast(0, 2, 0, range) != 1 ||
	    pin_user_pages_fast(0, 1, FOLL_GET, range + 1) != -EINVAL)
		return -EINVAL;
	unpin_user_page(range[0]);
	if (pin_user_pages(0, 3, 0, range, NULL) != 1)
		return -EINVAL;
	unpin_user_page(range[0]);
	page = find_get_page(mapping, 0);
	if (!page)
		return -ENOENT;
	if (!get_page_unless_zero(page) || !try_get_page(page))
		return -EAGAIN;
	put_page(page);
	put_page(page);
	lock_page(page);
	if (!PageLocked(page))
		ret = -EINVAL;
	wait_on_page_writeback(page);
	if (PageWriteback(page) || PageSwapCache(page) || PagePrivate(page))
		ret = -EINVAL;
	(void)PageDirty(page);
	(void)PageUptodate(page);
	(void)PageLRU(page);
	unlock_page(page);
	if (trylock_page(page))
		unlock_page(page);
	ret |= arch_make_page_accessible(page);
	if (expected_page_refs(page) != 2 || page_count(page) != 3)
		ret = -EINVAL;
	if (page_ref_freeze(page, 3))
		page_ref_unfreeze(page, 3);
	mark_page_accessed(page);
	lru_add_drain();
	lru_add_drain_all();
	might_sleep();
	pagefault_disable();
	pagefault_enable();
	local_irq_disable();
	local_irq_enable();
	preempt_disable();
	if (!in_atomic())
		ret = -EINVAL;
	preempt_enable();
	ret |= dma_from_device(dev, page);
	put_page(page);
	return ret;
}
PV_PATH(every_call, struct mm_struct *, struct address_space *, struct device *);
