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
#include "lib/mutant.h"
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
	/* Has the page moved or been split?  This is part of the lockless pagecache protocol. */
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
	int m, k, i;

	for (m = 0; m < mdl_world.nr_mms; m++) {
		struct mm_struct *mm = &mdl_world.mms[m];

		/* each mapping under the PTE lock of its own page table */
		for_each_mm_addr(mm, k, i) {
			if (!mm->vma[i].valid || mm->vma[i].vm_file != mapping ||
			    mm->vma[i].vm_pgoff != page->index)
				continue;
			zap_one_pte(mm, mm->addr[i]);
		}
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
