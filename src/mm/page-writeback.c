// SPDX-License-Identifier: MIT
/*
 * page-writeback.c - starting and ending writeback of a page.
 *
 * Follows mm/page-writeback.c as of v5.7 with the hook of f28d43636d6f:
 * __test_set_page_writeback() sets PG_writeback (the I/O marker), then
 * calls arch_make_page_accessible(), and VM_BUG_ONs if that fails ("too
 * late to recover").  The conversion checks PageWriteback under the page
 * lock, which the writeback starter holds, so it cannot slip between.
 * Before that, clear_page_dirty_for_io() write-protects and cleans every
 * PTE of the page (page_mkclean, src/mm/rmap.c), which on s390 exports
 * the page of a protected mm.
 * Abstracted away: the xarray tags, dirty accounting, bdi and memcg.
 */
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/**
 * __test_set_page_writeback - mark a locked page under writeback and make
 * it accessible for the device.
 * @page: the page, locked by the caller.
 * @keep_write: unused (xarray tag).
 *
 * Context: page locked.  Return: whether PG_writeback was already set.
 */
int __test_set_page_writeback(struct page *page, bool keep_write)
{
	KERNEL_FRAME();
	int ret, access_ret;

	VIS_RMW(page, "TestSetPageWriteback");
	ret = PageWriteback(page);
	__set_page_flag(page, PG_writeback);
	page->wb_tid = vis_self();
	access_ret = MUTANT_KEEP(MUT_WB_HOOK) ? arch_make_page_accessible(page) : 0;
	/*
	 * PG_writeback is already set: a page the hook could not export
	 * cannot be backed out of the I/O any more, so v5.7 only asserts.
	 */
	if (access_ret)
		inv_fail(VIOL_IO_PROTOCOL, VIS_SITE("__test_set_page_writeback"),
			 "VM_BUG_ON_PAGE(access_ret != 0) in __test_set_page_writeback: "
			 "%s could not be made accessible (%d)", page->name, access_ret);
	return ret;
}

/**
 * end_page_writeback - clear PG_writeback after the I/O completed; a page
 * reclaim marked (PG_reclaim) is first rotated to the inactive tail.
 * Context: I/O completion; no page lock needed.  v5.7 order: PG_reclaim
 * test-and-clear, rotate_reclaimable_page() (a plain get_page() into a
 * pagevec while PG_writeback is still set), then test_clear_page_writeback.
 */
void end_page_writeback(struct page *page)
{
	KERNEL_FRAME();
	bool reclaim;

	/*
	 * One step when there is nothing to rotate: the PG_reclaim test and
	 * test_clear_page_writeback() are two atomic ops on the same flags
	 * word with nothing of this thread between them.
	 */
	VIS_RMW(page, "end_page_writeback");
	reclaim = PageReclaim(page);
	if (reclaim) {
		__clear_page_flag(page, PG_reclaim);
		rotate_reclaimable_page(page);
		VIS_RMW(page, "end_page_writeback: test_clear_page_writeback");
	}
	if (!PageWriteback(page))
		inv_fail(VIOL_IO_PROTOCOL, VIS_SITE("end_page_writeback"),
			 "BUG() in end_page_writeback: %s not under writeback", page->name);
	__clear_page_flag(page, PG_writeback);
	page->wb_tid = -1;
}

/**
 * clear_page_dirty_for_io - clean a locked page before its I/O: first
 * every PTE that maps it (page_mkclean), then PG_dirty.
 * @page: the page, locked.
 *
 * v5.7 order for a mapping that accounts dirty pages (a disk file's; the
 * swap cache's noop bdi does not, and reclaim's caller in vmscan.c clears
 * the flag alone): page_mkclean(), set_page_dirty() if it cleaned a PTE
 * (the PTE's dirty bit moves to the page), then TestClearPageDirty().  On
 * s390 page_mkclean's ptep_clear_flush() exports the page of a protected
 * mm, under this page lock, before the caller's
 * __test_set_page_writeback() runs its hook.
 * The model's writeback stands for write_cache_pages meeting a page of the
 * dirty tag (declared pages carry no dirty state): the page is taken as
 * dirty and the return is always 1.
 * Context: page locked; takes the PTE locks of the page's mappings.
 * Return: 1 (the page was dirty: write it).
 */
int clear_page_dirty_for_io(struct page *page)
{
	KERNEL_FRAME();
	struct address_space *mapping = page->mapping;

	if (mapping && !mapping->swapper)	/* mapping_cap_account_dirty() */
		page_mkclean(page);	/* a clean PTE's dirt: set_page_dirty(), cleared below */
	VIS_RMW(page, "clear_page_dirty_for_io: TestClearPageDirty");
	__clear_page_flag(page, PG_dirty);
	return 1;
}

/**
 * write_one_page - write a locked, referenced page-cache page to its
 * backing device (write_cache_pages: clear_page_dirty_for_io, then
 * ->writepage) and complete it.
 * @page: the page, locked.
 * @ref: the caller's lookup reference, dropped once the I/O is submitted
 * (pagevec_release in write_cache_pages): from then on PG_writeback alone
 * is the I/O marker.
 * Context: page locked, reference held; unlocks the page, drops @ref.
 * Return: 0.
 */
int write_one_page(struct page *page, struct ref_tag ref)
{
	KERNEL_FRAME();
	struct mdl_dev *dev = page->mapping->backing;

	clear_page_dirty_for_io(page);
	__test_set_page_writeback(page, false);
	if (MUTANT_KEEP(MUT_WRITEBACK_PAGE_LOCK))
		unlock_page(page);
	put_page(page, ref);	/* pagevec_release: the bio is in flight */
	dev_dma_to_device(dev, page, (int)page->index, "writepage: submit_bio");
	end_page_writeback(page);
	return 0;
}
