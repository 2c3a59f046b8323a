// SPDX-License-Identifier: MIT
/*
 * direct-io.c - O_DIRECT read/write of one page of user memory.
 *
 * Follows fs/block_dev.c __blkdev_direct_IO_simple as of v5.7: the user
 * pages are taken with bio_iov_iter_get_pages() -> iov_iter_get_pages()
 * (src/mm/iov_iter.c), which calls get_user_pages_fast() with gup_flags 0
 * or FOLL_WRITE, so FOLL_GET (no FOLL_PIN before the 2022 conversions),
 * and v5.7 runs no hook here: "a bad QEMU could simply start direct I/O
 * on such protected memory" (GIT PULL 03/36).  Checked against the 5.7.14
 * tree: lib/iov_iter.c iov_iter_get_pages and block/bio.c
 * __bio_iov_iter_get_pages as described, and mm/gup.c calls
 * arch_make_page_accessible() under "flags & FOLL_PIN" only.  iomap
 * direct I/O (ext4, xfs: fs/iomap/direct-io.c iomap_dio_bio_actor) takes
 * its pages through the same bio_iov_iter_get_pages().  With knob
 * foll_get_hook=on, gup calls the hook for FOLL_GET too.
 * Abstracted away: bios, alignment, multi-page iovecs, dio completion
 * contexts.  The reference is dropped after the device finished
 * (bio_release_pages).
 */
#include "model/world.h"
#include "inv/inv.h"

/*
 * bio_iov_iter_get_pages - block/bio.c's __bio_iov_iter_get_pages for
 * one page: iov_iter_get_pages (FOLL_GET gup-fast through lib/iov_iter.c,
 * the door vmsplice and MSG_ZEROCOPY share), the page added to the bio,
 * iov_iter_advance.  Context: process context, may sleep (gup's slow
 * path).  Return: the bytes taken, or iov_iter_get_pages' errno
 * (0 bytes: the caller's -EFAULT).
 */
static long bio_iov_iter_get_pages(struct iov_iter *iter, struct page **page,
				   unsigned long *start)
{
	KERNEL_FRAME();
	long size = iov_iter_get_pages(iter, page, ~0UL >> 1, 1, start);

	if (size > 0)
		iov_iter_advance(iter, (unsigned long)size);	/* bio_add_page: no merge */
	return size;
}

/**
 * dio_write_page - write(2) with O_DIRECT from user page @addr of @mm to
 * block device @dev: the device reads the page.
 * Context: process context, no locks held.
 * Return: 4096, or a negative errno from gup.
 */
long dio_write_page(struct mm_struct *mm, unsigned long addr, struct mdl_dev *dev)
{
	kernel_frame("__blkdev_direct_IO_simple");
	struct iov_iter iter;
	struct page *page;
	unsigned long start;
	long rc;
	int slot;

	/* a write(2): the data comes out of user memory, a WRITE iterator */
	iov_iter_init_user(&iter, WRITE, mm, addr, PAGE_SIZE);
	rc = bio_iov_iter_get_pages(&iter, &page, &start);
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
	struct iov_iter iter;
	struct page *page;
	unsigned long start;
	long rc;

	/* a read(2): the data goes into user memory, a READ iterator (FOLL_WRITE) */
	iov_iter_init_user(&iter, READ, mm, addr, PAGE_SIZE);
	rc = bio_iov_iter_get_pages(&iter, &page, &start);
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
