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
 * tee(2) (do_tee -> link_pipe -> generic_pipe_buf_get, near the end of
 * the file) duplicates a buffer into a second pipe with try_get_page.
 * vmsplice(2) (vmsplice_to_pipe -> iter_to_pipe, at the end) fills a pipe
 * with the user's own pages, taken by iov_iter_get_pages (FOLL_GET gup,
 * no hook in v5.7), in user-page buffers whose confirm is
 * generic_pipe_buf_confirm: no hook even with splice_hook=on.
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
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/*
 * pipe_room - may a buffer be added to @pipe now?  Its reader's end is
 * open (a released pipe: -EBADF, the model's closed file) and it has a
 * free slot (wait_for_space, which the model never sleeps in: -EAGAIN, as
 * with SPLICE_F_NONBLOCK).  Context: pipe->mutex held.  Return: 0 or those.
 */
static long pipe_room(const struct pipe_inode_info *pipe)
{
	if (pipe->released)
		return -EBADF;
	if (pipe->head - pipe->tail >= MDL_PIPE_BUFS)
		return -EAGAIN;
	return 0;
}

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
	long ret;

	if (MUTANT_KEEP(MUT_SPLICE_READ_PIPE_LOCK))
		mutex_lock(&pipe->lock, LC_PIPE);
	ret = pipe_room(pipe);
	if (ret)
		goto out;
	ret = 4096;
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

/*
 * pipe_buf_live - fail when @buf of @pipe was released meanwhile (its page
 * NULL): two users took the same buffer, one after the other's release,
 * which pipe->mutex excludes.  v5.7 would then call the released buffer's
 * NULL ops (an oops) or drop its page's reference twice.  A finding, not a
 * checker bug: the mutants without a pipe's lock reach it.  @what says
 * what the late user did ("confirmed", "released", "teed").
 */
static void pipe_buf_live(const struct pipe_inode_info *pipe, const struct pipe_buffer *buf,
			  const char *what, struct vis_site site)
{
	if (!buf->page)
		inv_fail(VIOL_REFS_REAL, site, "a pipe buffer of %s %s after its release: two "
			 "users took it (no pipe_lock between them)", pipe->name, what);
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

/*
 * generic_pipe_buf_confirm - user_page_pipe_buf_ops' ->confirm (fs/pipe.c):
 * v5.7 returns 0, a user page is always "confirmed".  The unmerged splice
 * patch put its hook into page_cache_pipe_buf_confirm only, so a vmsplice
 * buffer is confirmed without one whatever splice_hook says.
 */
static int generic_pipe_buf_confirm(struct pipe_inode_info *pipe, struct pipe_buffer *buf)
{
	return 0;
}

/* pipe_buf_confirm: the buffer's ops->confirm. */
static int pipe_buf_confirm(struct pipe_inode_info *pipe, struct pipe_buffer *buf)
{
	pipe_buf_live(pipe, buf, "confirmed", VIS_SITE("pipe_buf_confirm"));
	if (buf->from_page_cache)
		return page_cache_pipe_buf_confirm(pipe, buf);
	return generic_pipe_buf_confirm(pipe, buf);
}

/*
 * pipe_buf_release: drop the buffer's reference (page_cache_pipe_buf_ops
 * and user_page_pipe_buf_ops share this ->release).  Context: pipe locked.
 */
static void page_cache_pipe_buf_release(struct pipe_inode_info *pipe,
					struct pipe_buffer *buf)
{
	KERNEL_FRAME();
	struct page *page = buf->page;

	pipe_buf_live(pipe, buf, "released", VIS_SITE("pipe_buf_release"));
	buf->page = NULL;
	put_page(page, ref_obj(REF_PIPE, pipe->id));
	if (MUTANT_ON(MUT_PUT_EXTRA))
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
	ret = pipe_buf_confirm(pipe, buf);
	if (ret)	/* the buffer stays in the pipe, as in v5.7 */
		goto out;
	if (MUTANT_ON(MUT_DMA_AFTER_PUT)) {
		pipe->tail++;
		page_cache_pipe_buf_release(pipe, buf);
	}
	/* actor: pipe_to_sendpage -> tcp_sendpage -> driver; or a bio. */
	slot = dev->kind == DEV_NIC ? 0 : dev_alloc_slot(dev);
	dev_dma_to_device(dev, page, slot < 0 ? 0 : slot, "splice actor: sendpage");
	ret = 4096;
	if (!MUTANT_ON(MUT_DMA_AFTER_PUT)) {
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

	if (MUTANT_KEEP(MUT_TEE_PIPE_LOCK))
		pipe_double_lock(ipipe, opipe);
	else	/* the mutant drops the locks, not the read of the input's buffer */
		VIS_READ(ipipe, "link_pipe: the input's buffer (no pipe_lock)");
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
	pipe_buf_live(ipipe, ibuf, "teed", VIS_SITE("link_pipe"));
	/* the copy in @opipe holds a reference of its own */
	if (!generic_pipe_buf_get(opipe, ibuf)) {
		ret = -EFAULT;
		goto out;
	}
	*obuf = *ibuf;	/* flags &= ~PIPE_BUF_FLAG_GIFT; pipe_buf_mark_unmergeable */
	pipe_buf_live(ipipe, obuf, "teed", VIS_SITE("link_pipe"));	/* released during the get */
	ret = obuf->len;
	opipe->head++;
	if (vis_recording())
		vis_note("%s: %s's buffer duplicated into %s", obuf->page->name, ipipe->name,
			 opipe->name);
out:
	if (MUTANT_KEEP(MUT_TEE_PIPE_LOCK)) {
		mutex_unlock(&ipipe->lock);
		mutex_unlock(&opipe->lock);
	}
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

/* ==== vmsplice(2) to a pipe: vmsplice_to_pipe -> iter_to_pipe (fs/splice.c, v5.7) ==== */

/*
 * add_to_pipe - store @buf in @pipe's head slot (fs/splice.c).  On
 * failure v5.7 releases the buffer itself (pipe_buf_release: put_page of
 * the caller's reference).  Context: pipe locked.
 * Return: the bytes added (@buf->len), -EPIPE (no reader left: a released
 * pipe) or -EAGAIN (full).
 */
static long add_to_pipe(struct pipe_inode_info *pipe, struct pipe_buffer *buf,
			struct ref_tag held)
{
	KERNEL_FRAME();
	long ret;

	ret = pipe_room(pipe);
	if (!ret) {
		unsigned int head = pipe->head;
		struct pipe_buffer *slot = &pipe->bufs[head % MDL_PIPE_BUFS];

		/*
		 * v5.7 reads head, tests pipe_full, stores the buffer and
		 * writes head + 1: one section only under pipe->mutex.  The
		 * model's pipe is not announced (its lock orders it); without
		 * the lock, the store is a step of its own, after which
		 *   1. A: reads head h, the slot is free;
		 *   2. B: stores its buffer at h, head = h + 1;
		 *   3. A: stores over B's buffer: B's reference is lost.
		 */
		if (!MUTANT_KEEP(MUT_VMSPLICE_PIPE_LOCK))
			VIS_WRITE(pipe, "add_to_pipe: the buffer at head (no pipe_lock)");
		if (slot->page)
			inv_fail(VIOL_REFS_REAL, VIS_SITE("add_to_pipe"),
				 "vmsplice into %s overwrites the buffer of %s: its reference is lost "
				 "(no pipe_lock over pipe_full and the store)", pipe->name,
				 slot->page->name);
		/*
		 * The reference gup took becomes the buffer's: the pipe's
		 * release (splice to a device, free_pipe_info) puts it.
		 */
		ref_transfer(buf->page, held, ref_obj(REF_PIPE, pipe->id));
		*slot = *buf;
		pipe->head = head + 1;
		if (vis_recording())
			vis_note("%s: in %s as a user-page buffer (generic_pipe_buf_confirm: no hook)",
				 buf->page->name, pipe->name);
		return buf->len;
	}
	if (ret == -EBADF)
		ret = -EPIPE;	/* add_to_pipe's !pipe->readers; SIGPIPE not modelled */
	put_page(buf->page, held);	/* pipe_buf_release */
	return ret;
}

/*
 * iter_to_pipe - the pages of @from into @pipe, one buffer each, with
 * user_page_pipe_buf_ops: iov_iter_get_pages (gup-fast, FOLL_GET, no
 * hook in v5.7), add_to_pipe, iov_iter_advance; after a failed add the
 * pages left of that round are put.  The model's iterator is one page, so
 * the loop runs once.  Context: pipe locked.
 * Return: bytes added, else the error of iov_iter_get_pages or add_to_pipe.
 */
static long iter_to_pipe(struct iov_iter *from, struct pipe_inode_info *pipe)
{
	KERNEL_FRAME();
	struct pipe_buffer buf = { .from_page_cache = false };
	long total = 0, ret = 0;
	bool failed = false;

	while (from->count && !failed) {
		struct page *pages[1];
		unsigned long start;
		long copied;
		int n;

		copied = iov_iter_get_pages(from, pages, ~0UL, 1, &start);
		if (copied <= 0) {
			ret = copied;
			break;
		}
		/*
		 * The consumer of these pages is a later splice from the pipe
		 * (possibly another thread): no INV-13 check here, and the
		 * thread's gup log is done with.
		 */
		gup_log_reset();
		for (n = 0; copied; n++, start = 0) {
			long size = copied < (long)(PAGE_SIZE - start) ? copied :
				    (long)(PAGE_SIZE - start);

			if (!failed) {
				buf.page = pages[n];
				buf.len = (unsigned int)size;
				ret = add_to_pipe(pipe, &buf, ref_thread(REF_GUP));
				if (ret < 0) {
					failed = true;
				} else {
					iov_iter_advance(from, (unsigned long)ret);
					total += ret;
				}
			} else {
				put_page(pages[n], ref_thread(REF_GUP));
			}
			copied -= size;
		}
	}
	return total ? total : ret;
}

/**
 * vmsplice_to_pipe - vmsplice(2) of user memory into @pipe (do_vmsplice
 * with a WRITE iterator): the pipe's buffers then hold references to the
 * user's own pages, no copy.
 * @iter: the user range (WRITE, from the task's mm); @pipe: the pipe.
 *
 * v5.7 order: get_pipe_info (a released pipe: its file is gone, -EBADF);
 * pipe_lock; wait_for_space (SPLICE_F_NONBLOCK: full is -EAGAIN, the
 * model never sleeps for space); iter_to_pipe -> iov_iter_get_pages ->
 * get_user_pages_fast with the pipe's mutex held (pipe->mutex before
 * mmap_sem, as v5.7's lock order has it); pipe_unlock.  A later splice
 * from the pipe to a NIC or disk (splice_from_pipe_to_dev) confirms the
 * buffer with generic_pipe_buf_confirm, which has no hook in v5.7 and
 * none in the unmerged splice patch either: the only chance to make the
 * page accessible is gup, which v5.7 skips for FOLL_GET.
 *
 *   1. guest: imports the page (make_secure_pte: count == expected, freeze);
 *   2. here:  gup-fast: PTE present, grab succeeds, no hook: secure page;
 *   3. here:  the reference goes into the pipe buffer;
 *   4. other: splice to the NIC: generic_pipe_buf_confirm 0, DMA of a
 *             secure page (I/O error on hardware; INV-01).
 * With the grab first, the buffer's reference keeps the import -EBUSY
 * until the splice released the buffer.
 * Context: process context; takes pipe->mutex, then (gup's slow path)
 * mmap_sem for reading; may sleep.
 * Return: bytes spliced (4096), -EBADF (released pipe), -EAGAIN (full),
 * -EFAULT (nothing mapped at the address), or gup's other errors.
 */
long vmsplice_to_pipe(struct iov_iter *iter, struct pipe_inode_info *pipe)
{
	kernel_frame("vmsplice_to_pipe");
	long ret;

	if (!iter->count)
		return 0;	/* do_vmsplice */
	if (MUTANT_KEEP(MUT_VMSPLICE_PIPE_LOCK))
		mutex_lock(&pipe->lock, LC_PIPE);
	ret = pipe_room(pipe);	/* a closed pipe: get_pipe_info's fdget failed */
	if (ret)
		goto out;
	ret = iter_to_pipe(iter, pipe);
out:
	if (MUTANT_KEEP(MUT_VMSPLICE_PIPE_LOCK))
		mutex_unlock(&pipe->lock);
	return ret;
}
