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
 *
 * Locking, as in v5.7: every access to a pipe's ring is under pipe->mutex.
 * do_splice() takes pipe_lock(opipe) before generic_file_splice_read(), so
 * the page-cache lookup and the new buffer are one critical section; and
 * splice_from_pipe() (generic_splice_sendpage) and iter_file_splice_write()
 * hold pipe_lock over the whole of splice_from_pipe_feed(): the buffer is
 * read, confirmed, handed to the actor (the DMA) and released before any
 * other reader of the pipe can look at it.  Without that, two readers of
 * one pipe would
 *   1. A: read the tail buffer, start its DMA;
 *   2. B: read the same tail buffer, start a DMA of the same page;
 *   3. A: consume it (tail++, put_page of the pipe's reference);
 *   4. B: consume the next slot, whose page is NULL or another buffer's.
 * A pipe that is released (its last file closed) refuses later splices
 * with -EBADF, see pipe_release_bufs().
 */
#include "lib/bug.h"
#include "lib/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/**
 * splice_read_page - do_splice() from a file to a pipe:
 * pipe_lock(opipe), wait_for_space(), generic_file_splice_read() of one
 * page (find_get_page, copy_page_to_iter_pipe), pipe_unlock().
 * Context: process context; takes pipe->mutex.
 * Return: bytes spliced (4096), 0 if no page, -EAGAIN if the pipe is full
 * (SPLICE_F_NONBLOCK: the model never sleeps for space), -EBADF if the
 * pipe was released.
 */
long splice_read_page(struct address_space *mapping, unsigned long index,
		      struct pipe_inode_info *pipe)
{
	kernel_frame("generic_file_splice_read");
	struct page *page;
	struct pipe_buffer *buf;
	long ret = 4096;

	if (MUTANT_KEEP(MUT_SPLICE_READ_PIPE_LOCK))
		mutex_lock(&pipe->lock, LC_PIPE);
	if (pipe->released) {
		ret = -EBADF;
		goto out;
	}
	if (pipe->head - pipe->tail >= MDL_PIPE_BUFS) {	/* wait_for_space */
		ret = -EAGAIN;
		goto out;
	}
	page = find_get_page(mapping, index);
	if (!page) {
		ret = 0;
		goto out;
	}
	/* copy_page_to_iter_pipe */
	buf = &pipe->bufs[pipe->head++ % MDL_PIPE_BUFS];
	/*
	 * The space check above and this fill are one pipe_lock section: a
	 * second splice that passed the same check meanwhile fills the last
	 * slot first, and this one would overwrite a buffer still in the pipe
	 * (its page's reference lost, its data never read).
	 */
	if (buf->page)
		inv_fail(VIOL_REFS_REAL, VIS_SITE("copy_page_to_iter_pipe"),
			 "splice into the full pipe %s overwrites the buffer of %s: its "
			 "reference is lost (no pipe_lock over wait_for_space and the fill)",
			 pipe->name, buf->page->name);
	buf->page = page;
	buf->len = 4096;
	buf->from_page_cache = true;
	ref_transfer(page, ref_thread(REF_LOOKUP), ref_obj(REF_PIPE, pipe->id));
out:
	if (MUTANT_KEEP(MUT_SPLICE_READ_PIPE_LOCK))
		mutex_unlock(&pipe->lock);
	return ret;
}

/**
 * page_cache_pipe_buf_confirm - check a page-cache pipe buffer is still
 * valid before its page is used.
 * Context: pipe locked.  Return: 0, or -EIO (hook failed, knob on).
 */
int page_cache_pipe_buf_confirm(struct pipe_inode_info *pipe, struct pipe_buffer *buf)
{
	KERNEL_FRAME();
	if (mdl_knob_val(KNOB_SPLICE_HOOK) && arch_make_page_accessible(buf->page))
		return -EIO;
	/* PageUptodate and ->mapping checks: pages here are always uptodate. */
	return 0;
}

/* pipe_buf_release: drop the buffer's reference.  Context: pipe locked. */
static void page_cache_pipe_buf_release(struct pipe_inode_info *pipe,
					struct pipe_buffer *buf)
{
	KERNEL_FRAME();
	struct page *page = buf->page;

	/*
	 * A slot released already: two consumers took the same buffer, which
	 * pipe->mutex excludes (v5.7 would call the NULL ops of the released
	 * buffer, or put its page twice).  A finding, not a checker bug: the
	 * mutants without the pipe's lock reach it.
	 */
	if (!page)
		inv_fail(VIOL_REFS_REAL, VIS_SITE("pipe_buf_release"),
			 "a pipe buffer of %s released twice: its page's reference dropped by "
			 "two consumers (no pipe_lock between them)", pipe->name);
	buf->page = NULL;
	put_page(page, ref_obj(REF_PIPE, pipe->id));
	if (mdl_bug(BUG_PUT_EXTRA))
		put_page(page, ref_obj(REF_PIPE, pipe->id));
}

/**
 * splice_from_pipe_to_dev - splice_from_pipe() (pipe_lock,
 * __splice_from_pipe, pipe_unlock) with pipe_to_sendpage (NIC) or a block
 * write (block device) as the actor, one buffer.
 * Context: process context; takes pipe->mutex and holds it over the
 * confirm, the actor's DMA and the release of the buffer.
 * Return: bytes sent, 0 if the pipe is empty (no writer left, or
 * SPLICE_F_NONBLOCK: the model never sleeps for data), -EIO if confirm
 * failed, -EBADF if the pipe was released.
 */
long splice_from_pipe_to_dev(struct pipe_inode_info *pipe, struct mdl_dev *dev)
{
	kernel_frame("splice_from_pipe");
	struct pipe_buffer *buf;
	struct page *page;
	long ret = 4096;
	int slot;

	if (MUTANT_KEEP(MUT_SPLICE_WRITE_PIPE_LOCK))
		mutex_lock(&pipe->lock, LC_PIPE);
	if (pipe->released) {
		ret = -EBADF;
		goto out;
	}
	if (pipe->head == pipe->tail) {		/* splice_from_pipe_next */
		ret = 0;
		goto out;
	}
	/* splice_from_pipe_feed */
	buf = &pipe->bufs[pipe->tail % MDL_PIPE_BUFS];
	page = buf->page;
	ret = page_cache_pipe_buf_confirm(pipe, buf);
	if (ret)	/* the buffer stays in the pipe, as in v5.7 */
		goto out;
	if (mdl_bug(BUG_DMA_AFTER_PUT)) {
		pipe->tail++;
		page_cache_pipe_buf_release(pipe, buf);
	}
	/* actor: pipe_to_sendpage -> tcp_sendpage -> driver; or a bio. */
	slot = dev->kind == DEV_NIC ? 0 : dev_alloc_slot(dev);
	dev_dma_to_device(dev, page, slot < 0 ? 0 : slot, "splice actor: sendpage");
	ret = 4096;
	if (!mdl_bug(BUG_DMA_AFTER_PUT)) {
		/* the whole buffer was sent: release it, advance the tail */
		pipe->tail++;
		page_cache_pipe_buf_release(pipe, buf);
	}
out:
	if (MUTANT_KEEP(MUT_SPLICE_WRITE_PIPE_LOCK))
		mutex_unlock(&pipe->lock);
	return ret;
}

/**
 * pipe_release_bufs - the last close of a pipe: pipe_release() and
 * free_pipe_info(), which releases every buffer left.
 *
 * In v5.7 free_pipe_info() runs without the mutex, but only once no file
 * refers to the pipe (put_pipe_info: --pipe->files == 0); a splice in
 * progress holds its file (fdget), so the free waits for its fdput.  The
 * model does the release under pipe->mutex instead: a splice is then
 * ordered wholly before it (the kernel's deferred free) or wholly after it
 * (the kernel's close before the splice's fdget, which fails: -EBADF).
 * Context: process context; takes pipe->mutex.
 * Return: 0, or -EBADF if the pipe was already released.
 */
int pipe_release_bufs(struct pipe_inode_info *pipe)
{
	kernel_frame("pipe_release");
	int ret = 0;

	if (MUTANT_KEEP(MUT_PIPE_RELEASE_PIPE_LOCK))
		mutex_lock(&pipe->lock, LC_PIPE);
	if (pipe->released) {
		ret = -EBADF;
		goto out;
	}
	pipe->released = true;
	while (pipe->tail != pipe->head) {
		struct pipe_buffer *buf = &pipe->bufs[pipe->tail++ % MDL_PIPE_BUFS];

		page_cache_pipe_buf_release(pipe, buf);
	}
out:
	if (MUTANT_KEEP(MUT_PIPE_RELEASE_PIPE_LOCK))
		mutex_unlock(&pipe->lock);
	return ret;
}
