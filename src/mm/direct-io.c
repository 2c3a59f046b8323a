// SPDX-License-Identifier: MIT
/*
 * direct-io.c - O_DIRECT read/write of one page of user memory.
 *
 * Follows fs/direct-io.c / fs/block_dev.c __blkdev_direct_IO_simple as of
 * v5.7: the user pages are taken with iov_iter_get_pages(), which calls
 * get_user_pages_fast() with FOLL_GET semantics (no FOLL_PIN before the
 * 2022 conversions), so v5.7 runs no hook here: "a bad QEMU could simply
 * start direct I/O on such protected memory" (GIT PULL 03/36).  With knob
 * foll_get_hook=on, gup calls the hook for FOLL_GET too.  The reference
 * note says this path was not checked against 5.7 source; the model
 * follows the FOLL_GET reading.
 * Abstracted away: bios, alignment, multi-page iovecs, dio completion
 * contexts.  The reference is dropped after the device finished
 * (bio_release_pages).
 */
#include "model/world.h"
#include "inv/inv.h"

/**
 * dio_write_page - write(2) with O_DIRECT from user page @addr of @mm to
 * block device @dev: the device reads the page.
 * Context: process context, no locks held.
 * Return: 4096, or a negative errno from gup.
 */
long dio_write_page(struct mm_struct *mm, unsigned long addr, struct mdl_dev *dev)
{
	kernel_frame("__blkdev_direct_IO_simple");
	struct page *page;
	int rc, slot;

	rc = get_user_pages_fast(mm, addr, 1, 0, &page);
	if (rc <= 0) {
		gup_log_reset();
		return rc ? rc : -EFAULT;
	}
	inv_dma_addr(mm, addr, page, VIS_SITE("dio_write_page"));
	gup_log_reset();
	slot = dev_alloc_slot(dev);
	dev_dma_to_device(dev, page, slot < 0 ? 0 : slot, "__blkdev_direct_IO_simple: write");
	put_page(page, ref_thread(REF_GUP));	/* bio_release_pages */
	return 4096;
}

/**
 * dio_read_page - read(2) with O_DIRECT into user page @addr of @mm from
 * slot 0 of @dev: the device writes the page.
 * Context and Return: as dio_write_page().
 */
long dio_read_page(struct mm_struct *mm, unsigned long addr, struct mdl_dev *dev)
{
	kernel_frame("__blkdev_direct_IO_simple");
	struct page *page;
	int rc;

	rc = get_user_pages_fast(mm, addr, 1, FOLL_WRITE, &page);
	if (rc <= 0) {
		gup_log_reset();
		return rc ? rc : -EFAULT;
	}
	inv_dma_addr(mm, addr, page, VIS_SITE("dio_read_page"));
	gup_log_reset();
	dev_dma_from_device(dev, page, 0, "__blkdev_direct_IO_simple: read");
	put_page(page, ref_thread(REF_GUP));
	return 4096;
}
