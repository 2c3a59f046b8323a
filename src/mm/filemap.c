// SPDX-License-Identifier: MIT
/*
 * filemap.c - page-cache lookup and removal.
 *
 * Follows mm/filemap.c (find_get_entry, delete_from_page_cache) and
 * include/linux/pagemap.h (page_cache_get_speculative) and mm/truncate.c
 * (truncate_inode_page) as of v5.7.
 *
 * find_get_page() under RCU: look the page up, take a speculative
 * reference (add-unless-zero), re-check the slot.  On a frozen count the
 * kernel spins ("goto repeat") until the freeze ends
 * (<20200504134154.GA21001@oc3748833570.ibm.com>); here that spin is a
 * wait on the page until its count is non-zero.  Knob tiny_rcu=on models
 * the !CONFIG_SMP/TINY_RCU variant, whose VM_BUG_ON_PAGE(page_count(page)
 * == 0) fires on a frozen page (the variant Dave Hansen first read,
 * <a10ec7ad-2648-950e-7f30-07c08e400e7b@intel.com>).
 * Abstracted away: xarray multi-index entries, shadow entries, THP.
 */
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"

/**
 * find_get_page - find and get a page reference.
 * @mapping: the address_space to search.
 * @offset: the page index.
 *
 * Context: any; the speculative reference waits out a frozen count.
 * Return: the page with a REF_LOOKUP reference held by the caller, or NULL.
 */
struct page *find_get_page(struct address_space *mapping, unsigned long offset)
{
	KERNEL_FRAME();
	struct ref_tag tag = ref_thread(REF_LOOKUP);
	struct page *page;

	if (offset >= MDL_MAX_FILE_PAGES)
		return NULL;
repeat:
	VIS_READ(&mapping->i_pages, "find_get_entry: xas_load");
	page = mapping->pages[offset];
	if (!page)
		return NULL;
	if (mdl_knob_val(KNOB_TINY_RCU)) {
		VIS_RMW(page, "page_cache_get_speculative (TINY_RCU)");
		if (page->_refcount == 0)
			inv_fail(page->freeze_tid >= 0 ? VIOL_FREEZE_EXCL : VIOL_REFS_REAL,
				 VIS_SITE("__page_cache_add_speculative"),
				 "VM_BUG_ON_PAGE(page_count(page) == 0) in "
				 "__page_cache_add_speculative (TINY_RCU): %s %s",
				 page->name, page->freeze_tid >= 0 ? "is frozen" : "is free");
	} else {
		/* page_cache_get_speculative() failing = "goto repeat" until unfrozen. */
		if (MUTANT_KEEP(MUT_LOOKUP_SPECULATIVE)) {
			vis_wait(page, true, page_pred_unfrozen, page,
				 VIS_SITE("find_get_entry: page_cache_get_speculative"));
			if (page->_refcount == 0)
				goto repeat;	/* freed meanwhile: the slot will have changed */
		} else {
			/* mutant: a plain get, even on a frozen count */
			VIS_RMW(page, "find_get_entry: get_page (mutant)");
		}
	}
	page->_refcount++;
	page->version++;
	inv_ref_add(page, tag, 1, "find_get_page");
	if (vis_recording())
		vis_note("%s refcount %d->%d (find_get_page)", page->name,
			 page->_refcount - 1, page->_refcount);
	/* the lockless lookup's re-check: the slot must still hold the page we counted */
	VIS_READ(&mapping->i_pages, "find_get_entry: xas_reload");
	if (mapping->pages[offset] != page && MUTANT_KEEP(MUT_LOOKUP_RELOAD)) {
		put_page(page, tag);
		goto repeat;
	}
	return page;
}

/**
 * delete_from_page_cache - remove a locked page from its mapping and drop
 * the page cache's reference.
 * Context: page locked, not mapped.
 */
void delete_from_page_cache(struct page *page)
{
	KERNEL_FRAME();
	struct address_space *mapping = page->mapping;

	VIS_WRITE(&mapping->i_pages, "__delete_from_page_cache: xas_store");
	mapping->pages[page->index] = NULL;
	VIS_RMW(page, "page->mapping = NULL");
	page->mapping = NULL;
	page->version++;
	if (PagePrivate(page)) {
		/* try_to_release_page(): buffer heads go with their reference. */
		__clear_page_flag(page, PG_private);
		put_page(page, ref_obj(REF_BUFFERS, -1));
	}
	put_page(page, ref_obj(REF_CACHE, -1));
}

/**
 * truncate_inode_page - unmap a locked page-cache page everywhere
 * (unmap_mapping_pages, exporting in protected mms) and delete it.
 * Context: page locked, caller holds a reference.
 * Return: 0.
 */
int truncate_inode_page(struct address_space *mapping, struct page *page)
{
	KERNEL_FRAME();
	int m, k, i;

	/*
	 * unmap_mapping_pages(mapping, index, 1, even_cows=false): every PTE
	 * of a VMA of @mapping at the page's offset that maps the page itself
	 * (not a private COW copy), each under the PTE lock of its own table.
	 * The model visits every named address and tests, under the lock,
	 * whether the PTE maps @page, instead of reading the VMAs: a fork's
	 * dup_mmap() writes the child's VMAs under the child's mmap_sem only
	 * (v5.7 links them into i_mmap under i_mmap_rwsem, which the model
	 * does not have), so reading them here was an access the checker did
	 * not order (make audit, a generated fork + truncate scenario).  Only
	 * a VMA of @mapping at @page's offset can hold a PTE mapping @page,
	 * so the pages unmapped are the same (doc/protocol.md).
	 */
	for (m = 0; m < mdl_world.nr_mms; m++) {
		struct mm_struct *mm = &mdl_world.mms[m];

		for_each_mm_addr(mm, k, i)
			zap_page_pte(mm, mm->addr[i], page);
	}
	delete_from_page_cache(page);
	return 0;
}

/**
 * generic_file_buffered_read_page - read(2) of one page of a file through
 * the page cache (generic_file_buffered_read, v5.7, for an uptodate page).
 * @mapping: the file; @index: the page; @out: the first word read.
 *
 * v5.7 order: find_get_page() (the lookup reference), mark_page_accessed()
 * (its activate_page() takes a pagevec reference with a plain get_page()
 * while the lookup reference is held), copy_page_to_iter() (a kernel read
 * of the page through the 1:1 map: a secure page takes the 0x3D
 * KERNEL_FAULT path and is exported), put_page().
 * Context: process context, no locks held; may sleep.
 * Return: 0, -ENOENT (no page at @index), -EAGAIN (the kernel access kept
 * faulting, model bound).
 */
int generic_file_buffered_read_page(struct address_space *mapping, unsigned long index,
				    uint32_t *out)
{
	kernel_frame("generic_file_buffered_read");
	struct page *page;
	int rc;

	page = find_get_page(mapping, index);
	if (!page)
		return -ENOENT;	/* v5.7 would read it in: not modelled */
	mark_page_accessed(page);
	rc = host_kernel_access(page, false, 0, out);	/* copy_page_to_iter */
	put_page(page, ref_thread(REF_LOOKUP));
	return rc;
}

/* ==== buffered write (mm/filemap.c generic_perform_write, v5.7) ==== */

/*
 * grab_cache_page_write_begin - the write_begin of a simple filesystem
 * (simple_write_begin): pagecache_get_page(FGP_LOCK | FGP_WRITE |
 * FGP_CREAT).  Find the page with a reference, lock it, and start again if
 * truncation took it out of the mapping meanwhile.  Return: the locked page
 * with a REF_LOOKUP reference, or NULL (not cached: v5.7 would allocate and
 * add one, which the model does not: the caller returns -ENOMEM).
 * Abstracted away: wait_for_stable_page() (a device that needs stable pages
 * during writeback: none in the model).
 */
static struct page *grab_cache_page_write_begin(struct address_space *mapping,
						unsigned long index)
{
	KERNEL_FRAME();
	struct page *page;

repeat:
	page = find_get_page(mapping, index);
	if (!page)
		return NULL;
	lock_page(page);
	/*
	 * "Has the page been truncated?"  lock_page() ends in a step on the
	 * page (its liveness check), in which ->mapping is read here:
	 *   1. here:     find_get_page() takes the reference;
	 *   2. truncate: lock_page, unmap, delete_from_page_cache (->mapping
	 *                = NULL), unlock_page;
	 *   3. here:     lock_page() succeeds on a page no longer in the file.
	 */
	if (page->mapping != mapping) {
		unlock_page(page);
		put_page(page, ref_thread(REF_LOOKUP));
		goto repeat;
	}
	return page;
}

/*
 * iov_iter_copy_from_user_atomic - copy the user word at (@mm, @uaddr) into
 * @page with page faults disabled (lib/iov_iter.c, v5.7): kmap_atomic()
 * (preemption and page faults off: highmem.h of a !HIGHMEM kernel), the
 * copy (a load of user memory, USER_FAULT, and a store through the 1:1 map,
 * KERNEL_FAULT), kunmap_atomic().  A DAT fault on the user page is not
 * handled in this context: do_exception() sees faulthandler_disabled() and
 * the uaccess fixup makes the copy short.  A 0x3D on a secure user page is
 * handled as ever: do_secure_storage_access() does not look at the context.
 * Return: 1 (copied), 0 (short copy: nothing copied, the model's page is one
 * word), -EAGAIN (a fault lost MDL_MAX_LOST_RACES races in a row).
 */
static int iov_iter_copy_from_user_atomic(struct page *page, struct mm_struct *mm,
					  unsigned long uaddr)
{
	KERNEL_FRAME();
	uint32_t v = 0;
	int rc;
	bool atomic = !MUTANT_ON(MUT_COPY_NOT_ATOMIC);	/* test-only breakage: a plain copy_from_user */

	if (atomic)
		kmap_atomic(page);
	rc = host_user_access(mm, uaddr, false, 0, &v, UA_KERNEL);		/* copyin */
	if (rc == 0)
		rc = host_kernel_access(page, true, v, NULL);
	if (atomic)
		kunmap_atomic(page);
	if (rc == -EAGAIN)
		return rc;
	return rc == 0;
}

/*
 * simple_write_end - the write_end of a simple filesystem (fs/libfs.c,
 * v5.7): a page that is not uptodate gets the stale part of a short copy
 * zeroed (the model's page is one word: nothing to zero) and becomes
 * uptodate; set_page_dirty, unlock_page, put_page, whatever was copied.
 * Return: @copied.
 */
static int simple_write_end(struct page *page, int copied)
{
	KERNEL_FRAME();
	VIS_RMW(page, "simple_write_end: SetPageUptodate, set_page_dirty");
	__set_page_flag(page, PG_uptodate);
	__set_page_flag(page, PG_dirty);
	unlock_page(page);
	put_page(page, ref_thread(REF_LOOKUP));
	return copied;
}

/**
 * generic_perform_write_page - write(2) of one page of a file from a user
 * buffer: generic_perform_write() of v5.7 for one whole page.
 * @mapping: the file; @index: the page written.
 * @mm: the writer's address space; @uaddr: the user buffer's address.
 *
 * v5.7 order: iov_iter_fault_in_readable() (a user load with faults
 * enabled: the page is brought in, a secure page exported, before any lock
 * is taken), write_begin (the destination page locked), the atomic copy
 * from the user buffer with the page lock held, write_end (unlock, put),
 * cond_resched().  A short copy (the user page went away after the
 * fault-in) starts again at the fault-in, as often as it happens: the loop
 * has no bound in v5.7.  The atomic copy is why a 0x3D on a buffer that
 * became secure after the fault-in runs do_secure_storage_access() with
 * preemption and page faults disabled and the page lock held: its
 * down_read(mmap_sem) is a sleeping call from atomic context and orders
 * mmap_sem after the page lock, the reverse of gmap_make_secure's order.
 * Abstracted away: iov_iter segments (one page, one segment),
 * balance_dirty_pages_ratelimited(), the allocation of a missing page.
 * Context: process context, no locks held; may sleep.
 * Return: bytes written (MDL_PAGE_BYTES); -EFAULT (the fault-in failed:
 * no VMA, a protection fault); -ENOMEM (not cached, see above); -EAGAIN
 * (a fault lost MDL_MAX_LOST_RACES races, a run the fairness rule excludes).
 */
long generic_perform_write_page(struct address_space *mapping, unsigned long index,
				struct mm_struct *mm, unsigned long uaddr)
{
	kernel_frame("generic_perform_write");
	struct page *page;
	uint32_t v;
	int rc, copied;

	if (index >= MDL_MAX_FILE_PAGES)
		return -EINVAL;
again:
	/* iov_iter_fault_in_readable -> fault_in_pages_readable: __get_user */
	rc = host_user_access(mm, uaddr, false, 0, &v, UA_KERNEL);
	if (rc)
		return rc == -EAGAIN ? rc : -EFAULT;
	page = grab_cache_page_write_begin(mapping, index);
	if (!page)
		return -ENOMEM;
	copied = iov_iter_copy_from_user_atomic(page, mm, uaddr);
	copied = simple_write_end(page, copied);
	if (copied < 0)
		return copied;
	cond_resched();
	if (copied == 0) {
		if (vis_recording())
			vis_note("short copy: fault in the user page again");
		goto again;
	}
	return MDL_PAGE_BYTES;
}
