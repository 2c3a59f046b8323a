// SPDX-License-Identifier: MIT
/*
 * vmscan.c - reclaim of one anonymous page to swap, and the swap cache.
 *
 * Follows mm/vmscan.c (shrink_page_list, __remove_mapping), mm/rmap.c
 * (try_to_unmap_one), mm/swap_state.c (add_to_swap, delete_from_swap_cache,
 * lookup_swap_cache) and mm/page_io.c (swap_writepage) as of v5.7.
 *
 * For a page of a protected guest, try_to_unmap() clears the PTE with
 * ptep_clear_flush(), which exports the page (arch/s390 pgtable.h); the
 * swap device then receives ciphertext, and swap-in followed by the next
 * guest access imports it again, checking its integrity.
 * The world has one swap device (mdl_world.swapdev; reclaim's argument
 * must name it, the binder checks): get_swap_page() allocates from it, and
 * the paths that start from a swap entry (delete_from_swap_cache, swap-in)
 * use it, as the entry's type would name it.
 * Abstracted away: LRU scanning (the scenario names the page), memcg,
 * dirty/referenced heuristics (the page is always written), swap slot
 * allocation beyond "first free slot", swap readahead.
 */
#include "model/world.h"
#include "inv/inv.h"
#include "model/mutant.h"
#include "uv/uv.h"

/**
 * add_to_swap - give an anonymous page a slot of @swapdev (get_swap_page)
 * and put it in the swap cache (+1 reference, PG_swapcache, dirty).
 * Context: page locked.
 * Return: 1 on success, 0 if no slot.
 */
int add_to_swap(struct page *page, struct mdl_dev *swapdev)
{
	KERNEL_FRAME();
	int slot = dev_alloc_slot(swapdev);

	if (slot < 0)
		return 0;
	VIS_RMW(page, "add_to_swap_cache");
	__set_page_flag(page, PG_swapcache);
	__set_page_flag(page, PG_dirty);
	page->private = (unsigned long)slot;
	page->_refcount++;
	inv_ref_add(page, ref_obj(REF_CACHE, -1), 1, "add_to_swap_cache");
	VIS_WRITE(&mdl_world.swapper_space.i_pages, "add_to_swap_cache: xa_store");
	mdl_world.swapper_space.pages[slot] = page;
	return 1;
}

/**
 * delete_from_swap_cache - remove a page from the swap cache and drop the
 * cache's reference.
 * Context: page locked.
 */
void delete_from_swap_cache(struct page *page)
{
	KERNEL_FRAME();
	VIS_WRITE(&mdl_world.swapper_space.i_pages, "__delete_from_swap_cache");
	mdl_world.swapper_space.pages[page->private] = NULL;
	/*
	 * swapcache_free: the slot table is the device queue's state (see
	 * dev_alloc_slot()); written under the swap cache's announcement it
	 * raced, unordered, with kswapd's __remove_mapping (model audit).
	 */
	VIS_RMW(&mdl_world.swapdev->queue, "swapcache_free: release the slot");
	mdl_world.swapdev->slot_used[page->private] = false;
	VIS_RMW(page, "ClearPageSwapCache");
	__clear_page_flag(page, PG_swapcache);
	put_page(page, ref_obj(REF_CACHE, -1));
}

/**
 * lookup_swap_cache - find_get_page() on the swap cache.
 * Context: any.  Return: the page with a REF_LOOKUP reference, or NULL.
 */
struct page *lookup_swap_cache(int slot)
{
	KERNEL_FRAME();
	if (slot < 0 || slot >= MDL_DEV_SLOTS)
		return NULL;
	return find_get_page(&mdl_world.swapper_space, (unsigned long)slot);
}

/**
 * try_to_unmap - unmap a locked anonymous page from every PTE, leaving swap
 * entries (try_to_unmap_one): ptep_clear_flush exports in a protected mm.
 * Context: page locked, reference held.
 * Return: 1 if no mapping is left.
 */
int try_to_unmap(struct page *page)
{
	KERNEL_FRAME();
	int m, k, i;

	for (m = 0; m < mdl_world.nr_mms; m++) {
		struct mm_struct *mm = &mdl_world.mms[m];

		/*
		 * rmap_walk -> try_to_unmap_one: page_vma_mapped_walk takes
		 * the PTE lock of the page table of each mapping in turn.
		 */
		for_each_mm_addr(mm, k, i) {
			unsigned long a = mm->addr[i];
			char *ptl = pte_lockptr(mm, a);
			pte_t *ptep = pte_offset(mm, a);

			/*
			 * The rmap walk finds the VMAs linked to the page's
			 * anon_vma; the model tests every named address under
			 * its PTE lock instead of reading the VMAs, which a
			 * fork's dup_mmap() writes unordered with this walk
			 * (it links them under the anon_vma lock, which the
			 * model does not have).  Only an anonymous VMA's PTE
			 * can map this anonymous page: the same PTEs are
			 * unmapped (doc/protocol.md, "rmap walks").
			 */
			if (MUTANT_KEEP(MUT_RECLAIM_PTL))
				spin_lock(ptl);
			else	/* the mutant drops the lock, not the read's announcement */
				VIS_READ(ptep, "page_vma_mapped_walk: the PTE (no PTE lock)");
			if (!pte_present(*ptep) || ptep->pfn != page->pfn) {
				if (MUTANT_KEEP(MUT_RECLAIM_PTL))
					spin_unlock(ptl);
				continue;
			}
			ptep_get_and_clear(mm, a, ptep, MUT_CLEAR_FLUSH_EXPORT);	/* ptep_clear_flush */
			VIS_WRITE(ptep, "set_pte_at(swp_entry)");
			ptep->flags = _PAGE_SWP;
			ptep->pfn = (int)page->private;
			page_remove_rmap(page);
			if (MUTANT_KEEP(MUT_RECLAIM_PTL))
				spin_unlock(ptl);
			put_page(page, ref_obj(REF_MAP, pte_owner(mm, a)));
		}
	}
	return page_mapcount(page) == 0;
}

/**
 * shrink_page - shrink_page_list() for one isolated anonymous page: add it
 * to swap, unmap it, write it out, and free it.
 * @page: the page, isolated (REF_ISOLATE held by the caller, consumed).
 * @swapdev: the swap device.
 *
 * Context: process context (kswapd or direct reclaim).
 * Return: 0 if the page was reclaimed, -EBUSY/-EAGAIN if it was kept.
 */
int shrink_page(struct page *page, struct mdl_dev *swapdev)
{
	kernel_frame("shrink_page_list");
	struct ref_tag iso = ref_thread(REF_ISOLATE);

	if (!trylock_page(page))
		goto keep;
	VIS_READ(page, "shrink_page_list: PageWriteback");
	if (PageWriteback(page))	/* never true in the model: mutants.def, "Not mutants" */
		goto keep_locked;
	if (PageAnon(page) && !PageSwapCache(page) && !add_to_swap(page, swapdev))
		goto keep_locked;
	if (!try_to_unmap(page))
		goto keep_locked;
	/* pageout() -> swap_writepage(): set_page_writeback, unlock, submit. */
	VIS_RMW(page, "clear_page_dirty_for_io");
	__clear_page_flag(page, PG_dirty);
	__test_set_page_writeback(page, false);
	unlock_page(page);
	dev_dma_to_device(swapdev, page, (int)page->private, "swap_writepage");
	end_page_writeback(page);
	/* The page is clean now: back to the locked part of shrink_page_list. */
	if (!trylock_page(page))
		goto keep;
	/* page_mapping() is NULL once a fault took it out of the swap cache. */
	VIS_READ(page, "shrink_page_list: page_mapping");
	if (!PageSwapCache(page))
		goto keep_locked;
	/*
	 * __remove_mapping: freeze at exactly isolation + swap cache, so a
	 * racing lookup that got a reference keeps the page alive:
	 *   1. fault: lookup_swap_cache() -> refcount 3;
	 *   2. here:  page_ref_freeze(page, 2) fails: keep the page.
	 */
	if (!page_ref_freeze(page, MUTANT_KEEP(MUT_RECLAIM_FREEZE) ? 2 : page->_refcount))
		goto keep_locked;
	VIS_WRITE(&mdl_world.swapper_space.i_pages, "__delete_from_swap_cache");
	mdl_world.swapper_space.pages[page->private] = NULL;
	/* the device's slot table is the device queue's state (dev_alloc_slot) */
	VIS_RMW(&swapdev->queue, "__delete_from_swap_cache: the slot keeps the data");
	swapdev->slot_used[page->private] = true;	/* the slot now holds the data */
	VIS_RMW(page, "__remove_mapping: ClearPageSwapCache");
	__clear_page_flag(page, PG_swapcache);
	inv_ref_del(page, ref_obj(REF_CACHE, -1), 1, VIS_SITE("__remove_mapping"));
	inv_ref_del(page, iso, 1, VIS_SITE("__remove_mapping"));
	page->freeze_tid = -1;
	inv_frozen_del(page);
	unlock_page(page);
	/* free_unref_page_list(): the frozen count is never unfrozen. */
	vis_also(VIS_KIND_READ, page_frame(page));	/* the frame checks: see __free_page_model() */
	VIS_RMW(page, "free_unref_page_list: free_pages_prepare");
	inv_page_freed(page, VIS_SITE("shrink_page_list"));
	page->flags = 0;
	page->mapping = NULL;
	page->private = 0;
	page->allocated = false;
	page->gen++;
	page->version++;
	if (vis_recording())
		vis_note("%s reclaimed and freed", page->name);
	inv_frame_freed(page, VIS_SITE("shrink_page_list"));
	VIS_RMW(&mdl_world.free_list, "free_unref_page_list: to the free list");
	mdl_world.free_mask |= 1u << page_to_pfn(page);
	return 0;

keep_locked:
	unlock_page(page);
keep:
	/*
	 * shrink_inactive_list -> move_pages_to_lru, under the lru_lock:
	 * SetPageLRU, then put_page_testzero of the isolation's reference.
	 */
	VIS_RMW(page, "move_pages_to_lru: SetPageLRU, put_page_testzero (lru_lock)");
	__set_page_flag(page, PG_lru);
	put_page_in_step(page, iso);
	return -EBUSY;
}

/**
 * reclaim_page_at - isolate the anonymous page mapped at @addr in @mm and
 * shrink it to @swapdev.
 * Context: process context, no locks held.
 * Return: 0 if reclaimed, -EBUSY if kept or not isolated, -ENOENT if none.
 */
int reclaim_page_at(struct mm_struct *mm, unsigned long addr, struct mdl_dev *swapdev)
{
	kernel_frame("reclaim_pages");
	struct page *page;
	pte_t pte;

	/* The page is found on the LRU in the kernel; here through its PTE. */
	VIS_READ(pte_offset(mm, addr), "isolate: page of the LRU");
	pte = *pte_offset(mm, addr);
	if (!pte_present(pte))
		return -ENOENT;
	page = pfn_to_page(pte.pfn);
	/*
	 * isolate_lru_pages -> __isolate_lru_page: a page another isolation
	 * holds, or one still in an lru_add pagevec, is not on the LRU.
	 */
	if (__isolate_lru_page(page, ref_thread(REF_ISOLATE), ISOLATE_MODEL_ANON))
		return -EBUSY;
	return shrink_page(page, swapdev);
}

/**
 * __isolate_lru_page - take @page off the LRU for reclaim or compaction
 * (isolate_lru_pages, isolate_migratepages_block), under the lru_lock.
 * @page: a page found through a PTE, no reference held.
 * @tag: ghost: the isolation's reference.
 * @mode: ISOLATE_MODEL_ANON, the model's reclaim: a file page is not taken
 * (it stays on the LRU; the model reclaims anonymous pages only);
 * ISOLATE_SKIP_PINNED, compaction's pre-test in isolate_migratepages_block:
 * an anonymous page with more references than mappings is pinned and
 * would fail the migration's exact count, so it is skipped.
 *
 * v5.7: PageLRU, PageUnevictable (neither caller passes
 * ISOLATE_UNEVICTABLE: an mlocked page is not taken), then
 * get_page_unless_zero (a free or frozen count is skipped), ClearPageLRU.
 * The lru_lock section is one step on the page, so a second isolator
 * finds PG_lru clear, as under the lock; the callers' unlocked pre-tests
 * (PageLRU, compaction's pinned test) are folded into it: one that passed
 * before a change the step now sees lets v5.7 go on to the same counts in
 * the other order (the increments commute).
 * Context: any.  Return: 0 (isolated, one reference more), -EINVAL (not
 * on the LRU, unevictable, or skipped by @mode), -EBUSY (count 0).
 */
int __isolate_lru_page(struct page *page, struct ref_tag tag, unsigned int mode)
{
	KERNEL_FRAME();
	VIS_RMW(page, "__isolate_lru_page: PageLRU, get_page_unless_zero, ClearPageLRU (lru_lock)");
	if (!PageLRU(page) || PageUnevictable(page))
		return -EINVAL;
	if ((mode & ISOLATE_MODEL_ANON) && !PageAnon(page))
		return -EINVAL;
	if ((mode & ISOLATE_SKIP_PINNED) && !page_mapping(page) &&
	    page_ref_count(page) > page_mapcount(page))
		return -EINVAL;
	if (!page_ref_add_unless_in_step(page, 1, 0, tag))
		return -EBUSY;
	__clear_page_flag(page, PG_lru);
	return 0;
}

/**
 * isolate_lru_page - take @page off the LRU (mm/vmscan.c, v5.7).
 * @page: the page; the caller holds a reference (VM_BUG_ON_PAGE(!page_count)).
 * @tag: ghost: the isolation's reference.
 *
 * v5.7: if PageLRU, under the node's lru_lock (IRQs off) test PageLRU
 * again, get_page, ClearPageLRU and del_page_from_lru_list.  The lru_lock
 * is abstracted: the test and ClearPageLRU are one step on the page, so a
 * second isolator of the same page fails as under the lock; the unlocked
 * first test is folded into it (it only saves the lock).  The reference is
 * a plain get_page(), which a frozen count does not stop: it is safe
 * against make_secure_pte() only because the caller's own reference keeps
 * the count above expected_page_refs (no exact freeze can succeed meanwhile).
 * Context: any; the caller holds a reference.
 * Return: 0 (isolated, one more reference), -EBUSY (not on the LRU).
 */
int isolate_lru_page(struct page *page, struct ref_tag tag)
{
	KERNEL_FRAME();
	VIS_RMW(page, "isolate_lru_page: PageLRU, ClearPageLRU (lru_lock)");
	if (!PageLRU(page))
		return -EBUSY;
	__clear_page_flag(page, PG_lru);
	get_page(page, tag);
	return 0;
}

/**
 * putback_lru_page - put an isolated page back (mm/vmscan.c, v5.7):
 * lru_cache_add (this CPU's lru_add pagevec, a plain get_page; the drain
 * sets PG_lru again), then put_page of the isolation's reference @tag.
 * Context: any; @tag's reference is held across the plain get, which is
 * what keeps make_secure_pte()'s exact freeze away from it.
 */
void putback_lru_page(struct page *page, struct ref_tag tag)
{
	KERNEL_FRAME();
	lru_cache_add(page);
	put_page(page, tag);	/* drop ref from isolate */
}
