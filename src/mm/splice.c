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
 * tee(2) (do_tee -> link_pipe -> generic_pipe_buf_get, at the end of the
 * file) duplicates a buffer into a second pipe with try_get_page.
 *
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

/* ==== tee(2): do_tee -> link_pipe (fs/splice.c, v5.7) ==== */

/*
 * pipe_double_lock (fs/pipe.c): both pipes' mutexes in address order
 * (the model's pipes are an array: id order), so that a tee A -> B and a
 * tee B -> A cannot deadlock ABBA.  I_MUTEX_PARENT/I_MUTEX_CHILD subclasses:
 * the model's lockdep never calls a class nested in itself recursive.
 */
static void pipe_double_lock(struct pipe_inode_info *pipe1, struct pipe_inode_info *pipe2)
{
	KERNEL_FRAME();
	PVM_BUG_ON(pipe1 == pipe2);
	if (pipe1->id < pipe2->id) {
		mutex_lock(&pipe1->lock, LC_PIPE);
		mutex_lock(&pipe2->lock, LC_PIPE);
	} else {
		mutex_lock(&pipe2->lock, LC_PIPE);
		mutex_lock(&pipe1->lock, LC_PIPE);
	}
}

/*
 * generic_pipe_buf_get - page_cache_pipe_buf_ops' (and the anonymous
 * buffers') ->get: try_get_page(buf->page), a reference for @opipe's copy
 * of the buffer.  try_get_page only WARNs on a count <= 0; it does not
 * respect a frozen count as page_cache_get_speculative does.  What keeps
 * make_secure_pte's freeze away: the input pipe's own buffer holds a
 * reference, and the input pipe's mutex (held) keeps that buffer from
 * being released meanwhile, so the count is above expected_page_refs from
 * before the freeze could be tried until after this get.
 */
static bool generic_pipe_buf_get(struct pipe_inode_info *opipe, struct pipe_buffer *buf)
{
	KERNEL_FRAME();
	return try_get_page(buf->page, ref_obj(REF_PIPE, opipe->id));
}

/**
 * link_pipe - duplicate the first buffer of @ipipe into @opipe (one page,
 * len PAGE_SIZE: one round of v5.7's loop).
 *
 * v5.7 order: pipe_double_lock; !opipe->readers: -EPIPE; stop when
 * @ipipe is empty or @opipe full; pipe_buf_get (generic_pipe_buf_get:
 * try_get_page); *obuf = *ibuf (the same page and ops: a page-cache
 * buffer stays one, so its confirm is page_cache_pipe_buf_confirm, with
 * the splice hook when splice_hook=on); opipe->head++, the input's tail is
 * not advanced (tee does not consume); pipe_unlock(ipipe),
 * pipe_unlock(opipe).  do_tee's ipipe_prep/opipe_prep are folded into the
 * locked section: in the model nothing sleeps for data or space, so they
 * only give the return code (an empty input: 0, no writer left, as
 * splice_from_pipe_to_dev; a full output: -EAGAIN, SPLICE_F_NONBLOCK).
 *
 * Why both locks over the get and the copy:
 *   1. here:  reads ibuf (page P, a reference of @ipipe);
 *   2. other: splice_write of @ipipe consumes the buffer: put_page, P's
 *             count back to expected_page_refs;
 *   3. guest: make_secure_pte freezes P's count, imports it;
 *   4. here:  try_get_page on the frozen count: WARN, a reference the
 *             unfreeze overwrites; @opipe later DMAs a freed or secure P.
 * With ipipe's mutex held, step 2 waits until after step 4.
 * Context: process context; takes both pipes' mutexes.
 * Return: bytes teed (4096), 0 (input empty), -EAGAIN (output full),
 * -EFAULT (the get failed).
 */
static long link_pipe(struct pipe_inode_info *ipipe, struct pipe_inode_info *opipe)
{
	KERNEL_FRAME();
	struct pipe_buffer *ibuf, *obuf;
	long ret = 0;

	pipe_double_lock(ipipe, opipe);
	/* opipe->readers: a released pipe has none; ipipe_prep/opipe_prep */
	if (opipe->released || ipipe->released) {
		ret = -EBADF;
		goto out;
	}
	if (ipipe->head == ipipe->tail)
		goto out;	/* pipe_empty */
	if (opipe->head - opipe->tail >= MDL_PIPE_BUFS) {
		ret = -EAGAIN;	/* pipe_full */
		goto out;
	}
	ibuf = &ipipe->bufs[ipipe->tail % MDL_PIPE_BUFS];
	obuf = &opipe->bufs[opipe->head % MDL_PIPE_BUFS];
	/* Get a reference to this pipe buffer, so we can copy the contents over. */
	if (!generic_pipe_buf_get(opipe, ibuf)) {
		ret = -EFAULT;
		goto out;
	}
	*obuf = *ibuf;	/* flags &= ~PIPE_BUF_FLAG_GIFT; pipe_buf_mark_unmergeable */
	ret = obuf->len;
	opipe->head++;
	if (vis_recording())
		vis_note("%s: %s's buffer duplicated into %s", obuf->page->name, ipipe->name,
			 opipe->name);
out:
	mutex_unlock(&ipipe->lock);
	mutex_unlock(&opipe->lock);
	return ret;
}

/**
 * do_tee - tee(2) of one page-sized buffer from @ipipe to @opipe.
 * Context: process context; takes both pipes' mutexes (link_pipe).
 * Return: link_pipe's, or -EINVAL if both are the same pipe.
 */
long do_tee(struct pipe_inode_info *ipipe, struct pipe_inode_info *opipe)
{
	KERNEL_FRAME();
	if (ipipe == opipe)
		return -EINVAL;
	/* ipipe_prep, opipe_prep: see link_pipe */
	return link_pipe(ipipe, opipe);
}
