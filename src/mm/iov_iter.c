// SPDX-License-Identifier: MIT
/*
 * iov_iter.c - the user-memory side of lib/iov_iter.c as of v5.7:
 * iov_iter_get_pages() of an ITER_IOVEC, the one door through which
 * vmsplice(2) (fs/splice.c iter_to_pipe), MSG_ZEROCOPY sends
 * (net/core/datagram.c __zerocopy_sg_from_iter), block-device O_DIRECT
 * (block/bio.c __bio_iov_iter_get_pages), iomap direct I/O and vhost-net
 * zerocopy take references to user pages they hand to a device.
 *
 * What matters for protected virtualization: for a user iovec v5.7 calls
 * get_user_pages_fast() with gup_flags 0 (a WRITE iterator: the device
 * reads) or FOLL_WRITE (READ: the device writes), never FOLL_PIN.  So
 * get_user_pages_fast() adds FOLL_GET, and in v5.7's mm/gup.c
 * arch_make_page_accessible() runs only under "if (flags & FOLL_PIN)" in
 * both follow_page_pte() and gup_pte_range(): a secure page comes back
 * secure, with a plain reference.  That reference keeps a later import
 * out (make_secure_pte's page_ref_freeze of expected_page_refs fails), but
 * it does nothing about an import that came first.  With knob
 * foll_get_hook=on, gup runs the hook for FOLL_GET too (Dave Hansen's
 * request, never merged).
 *
 * Abstracted away: ITER_KVEC/ITER_BVEC/ITER_PIPE/ITER_DISCARD (the pipe
 * and bvec cases take get_page of pages the kernel already holds, no gup),
 * several segments (iterate_all_kinds looks at the first segment only,
 * as v5.7 does for an iovec), and offsets inside a page: every segment in
 * the model starts on a page boundary, so *start is 0.
 */
#include "model/world.h"
#include "inv/inv.h"

/**
 * iov_iter_init_user - an iterator over [@base, @base + @count) of @mm, as
 * import_single_range() + iov_iter_init() build it for a system call.
 * @i: the iterator; @direction: READ or WRITE; @mm: the task's mm;
 * @base: the user address; @count: the bytes.
 * Context: any; the caller's own object, no visible step.
 * Return: nothing.
 */
void iov_iter_init_user(struct iov_iter *i, unsigned int direction, struct mm_struct *mm,
			unsigned long base, unsigned long count)
{
	i->type = direction;
	i->mm = mm;
	i->iov_base = base;
	i->count = count;
}

/**
 * iov_iter_get_pages - take references to the user pages of the next
 * part of @i, at most @maxsize bytes and @maxpages pages; @i is not
 * advanced (the caller advances by what it used, iov_iter_advance).
 * @i: the iterator; @pages: receives the pages; @maxsize: byte limit;
 * @maxpages: page limit; @start: receives the offset in the first page.
 *
 * v5.7: clamp @maxsize to i->count; for the first segment, round its
 * start down to a page, limit the length to @maxpages pages, and call
 * get_user_pages_fast(addr, n, iov_iter_rw(i) != WRITE ? FOLL_WRITE : 0,
 * pages): FOLL_GET, no arch_make_page_accessible() (see the file comment).
 * The pages are the caller's: a put_page() each when it is done.
 * Context: process context, no locks needed; gup-fast runs with
 * interrupts off, its slow fallback takes mmap_sem for reading and may
 * sleep and fault the pages in (v5.7 callers hold at most a pipe->mutex
 * or the socket lock here, both taken before mmap_sem).
 * Return: the bytes covered by the pages taken (n pages: n * PAGE_SIZE
 * less *@start, or the whole length), 0 for an empty iterator, or
 * get_user_pages_fast()'s negative errno (-EFAULT: nothing mapped there).
 */
long iov_iter_get_pages(struct iov_iter *i, struct page **pages, unsigned long maxsize,
			unsigned int maxpages, unsigned long *start)
{
	KERNEL_FRAME();
	unsigned long addr, len;
	int n, res;

	if (maxsize > i->count)
		maxsize = i->count;
	if (!maxsize)
		return 0;	/* iterate_all_kinds over nothing */
	/* iterate_all_kinds, ITER_IOVEC, the first segment */
	addr = i->iov_base;
	*start = addr & (PAGE_SIZE - 1);
	len = maxsize + *start;
	if (len > (unsigned long)maxpages * PAGE_SIZE)
		len = (unsigned long)maxpages * PAGE_SIZE;
	addr &= ~(PAGE_SIZE - 1);
	n = (int)((len + PAGE_SIZE - 1) / PAGE_SIZE);
	res = get_user_pages_fast(i->mm, addr, n, i->type != WRITE ? FOLL_WRITE : 0, pages);
	if (res < 0)
		return res;
	return (long)(res == n ? len : (unsigned long)res * PAGE_SIZE) - (long)*start;
}

/**
 * iov_iter_advance - consume @bytes of @i.
 * @i: the iterator; @bytes: how much the caller used.
 * Context: any; the caller's own object.  Return: nothing.
 */
void iov_iter_advance(struct iov_iter *i, unsigned long bytes)
{
	if (bytes > i->count)
		bytes = i->count;
	i->iov_base += bytes;
	i->count -= bytes;
}
