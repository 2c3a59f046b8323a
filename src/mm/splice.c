// SPDX-License-Identifier: MIT
/*
 * splice.c - splice/sendfile of page-cache pages through a pipe to a
 * socket or block device.
 *
 * Follows fs/splice.c as of v5.7 (generic_file_splice_read via
 * copy_page_to_iter_pipe, splice_from_pipe_feed, page_cache_pipe_buf_confirm,
 * pipe_to_sendpage) and, with knob splice_hook=on, the unmerged patch
 * "fs/splice: add missing callback for inaccessible pages"
 * (<20200430143825.3534128-1-imbrenda@linux.ibm.com>): confirm calls
 * arch_make_page_accessible() and fails with -EIO.
 *
 * Why the hook is needed (v5.7 has none here):
 *   1. guest: page imported (secure), mapped MAP_SHARED from the file;
 *   2. host:  splice_read: find_get_page() -> pipe buffer holds a reference;
 *   3. host:  splice to a socket: confirm (no hook), sendpage -> DMA on a
 *             secure page (I/O error; INV-01).
 * Abstracted away: iov_iter, partial pages, pipe sizes, SPLICE_F_* flags;
 * the reading path's find_get_page() reference is handed to the pipe
 * buffer (get_page + put_page of the lookup in the kernel: same count, and
 * the plain get happens while the lookup reference already blocks freezes).
 * The pipe mutex sections touch only the pipe: each is one visible step.
 */
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/**
 * splice_read_page - generic_file_splice_read() of one page into @pipe.
 * Context: process context.
 * Return: bytes spliced (4096), 0 if no page, -EAGAIN if the pipe is full.
 */
long splice_read_page(struct address_space *mapping, unsigned long index,
		      struct pipe_inode_info *pipe)
{
	struct page *page;
	struct pipe_buffer *buf;

	page = find_get_page(mapping, index);
	if (!page)
		return 0;
	VIS_RMW(pipe, "copy_page_to_iter_pipe");
	if (pipe->head - pipe->tail >= MDL_PIPE_BUFS) {
		put_page(page, ref_thread(REF_LOOKUP));
		return -EAGAIN;
	}
	buf = &pipe->bufs[pipe->head++ % MDL_PIPE_BUFS];
	buf->page = page;
	buf->len = 4096;
	buf->from_page_cache = true;
	ref_transfer(page, ref_thread(REF_LOOKUP), ref_obj(REF_PIPE, pipe->id));
	return 4096;
}

/**
 * page_cache_pipe_buf_confirm - check a page-cache pipe buffer is still
 * valid before its page is used.
 * Context: pipe locked.  Return: 0, or -EIO (hook failed, knob on).
 */
int page_cache_pipe_buf_confirm(struct pipe_inode_info *pipe, struct pipe_buffer *buf)
{
	if (mdl_knob_val(KNOB_SPLICE_HOOK) && arch_make_page_accessible(buf->page))
		return -EIO;
	/* PageUptodate and ->mapping checks: pages here are always uptodate. */
	return 0;
}

/* pipe_buf_release: drop the buffer's reference. */
static void page_cache_pipe_buf_release(struct pipe_inode_info *pipe,
					struct pipe_buffer *buf)
{
	struct page *page = buf->page;

	buf->page = NULL;
	put_page(page, ref_obj(REF_PIPE, pipe->id));
	if (mdl_bug(BUG_PUT_EXTRA))
		put_page(page, ref_obj(REF_PIPE, pipe->id));
}

/**
 * splice_from_pipe_to_dev - splice_from_pipe_feed() with pipe_to_sendpage
 * (NIC) or a block write (block device) as the actor, one buffer.
 * Context: process context.
 * Return: bytes sent, 0 if the pipe is empty, -EIO if confirm failed.
 */
long splice_from_pipe_to_dev(struct pipe_inode_info *pipe, struct mdl_dev *dev)
{
	struct pipe_buffer *buf;
	struct page *page;
	int rc, slot;

	VIS_RMW(pipe, "splice_from_pipe_feed");
	if (pipe->head == pipe->tail)
		return 0;
	buf = &pipe->bufs[pipe->tail % MDL_PIPE_BUFS];
	page = buf->page;
	rc = page_cache_pipe_buf_confirm(pipe, buf);
	if (rc) {
		pipe->tail++;
		page_cache_pipe_buf_release(pipe, buf);
		return rc;
	}
	if (mdl_bug(BUG_DMA_AFTER_PUT)) {
		pipe->tail++;
		page_cache_pipe_buf_release(pipe, buf);
	}
	/* actor: pipe_to_sendpage -> tcp_sendpage -> driver; or a bio. */
	slot = dev->kind == DEV_NIC ? 0 : dev_alloc_slot(dev);
	dev_dma_to_device(dev, page, slot < 0 ? 0 : slot, "splice actor: sendpage");
	if (!mdl_bug(BUG_DMA_AFTER_PUT)) {
		VIS_RMW(pipe, "splice_from_pipe_feed: consume buffer");
		pipe->tail++;
		page_cache_pipe_buf_release(pipe, buf);
	}
	return 4096;
}

/**
 * pipe_release_bufs - free_pipe_info(): release every buffer left.
 * Context: process context.
 */
void pipe_release_bufs(struct pipe_inode_info *pipe)
{
	VIS_RMW(pipe, "free_pipe_info");
	while (pipe->tail != pipe->head) {
		struct pipe_buffer *buf = &pipe->bufs[pipe->tail++ % MDL_PIPE_BUFS];

		page_cache_pipe_buf_release(pipe, buf);
	}
}
