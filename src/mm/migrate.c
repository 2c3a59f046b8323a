// SPDX-License-Identifier: MIT
/*
 * migrate.c - migration of one page (compaction, NUMA): anonymous pages,
 * page-cache pages of a disk file, and swap-cache pages.
 *
 * Follows mm/migrate.c as of v5.7 (5.7.14 does not differ here):
 * unmap_and_move, __unmap_and_move, move_to_new_page, migrate_page,
 * buffer_migrate_page (__buffer_migrate_page), migrate_page_move_mapping
 * with expected_page_refs, migrate_page_copy / migrate_page_states, and
 * remove_migration_ptes.  The order of v5.7:
 *
 *   1. isolate_lru_page: a reference (REF_ISOLATE), so the import's
 *      freeze fails meanwhile (-EBUSY) and a freed page is skipped;
 *   2. unmap_and_move: page_count == 1 means the page was freed under us;
 *   3. __unmap_and_move: lock the old page; a page under writeback is not
 *      migrated; lock the new page; try_to_unmap(TTU_MIGRATION) replaces
 *      every PTE by a migration entry (ptep_clear_flush: it exports the
 *      page of a protected mm; s390's hooks on this path are only that
 *      clear: v5.7's migrate.c calls no arch_make_page_accessible);
 *   4. move_to_new_page: the address_space's ->migratepage: none for an
 *      anonymous page (migrate_page), swap_aops' migrate_page for the swap
 *      cache, buffer_migrate_page for a disk file (ext2's and ext4's
 *      address_space_operations: the model's files write back to a block
 *      device through ->writepage and may carry buffer heads, PG_private);
 *   5. migrate_page_move_mapping: the count must be exactly
 *      expected_page_refs (isolation + cache + buffers), checked and frozen
 *      under the xarray lock, and the slot is replaced by the new page
 *      while the old count is frozen; then the copy (ciphertext, when the
 *      unmap exported a secure page: the next guest access imports the new
 *      page and checks its integrity);
 *   6. remove_migration_ptes maps the new page (or the old one on failure).
 *
 * move_pages(2) (do_pages_move, add_page_for_migration,
 * do_move_pages_to_node, at the end of the file) reaches the same
 * unmap_and_move in MIGRATE_SYNC, after follow_page(FOLL_GET) and
 * isolate_lru_page, and puts pages back with putback_lru_page.
 *
 * Abstracted away: the retry passes of migrate_pages() (one pass, in the
 * forced synchronous mode of compaction, MIGRATE_SYNC_LIGHT after pass 2:
 * lock_page instead of trylock_page, a page under writeback is -EBUSY; a
 * page failing with -EAGAIN is put back as after the last pass), movable
 * non-LRU pages, THP and hugetlb, KSM, memcg, the anon_vma reference (the
 * model's rmap walk visits the named PTEs), buffer-head locks (no
 * modelled path locks a buffer head), writeout() (ext4 has ->migratepage:
 * fallback_migrate_page is never reached), the dirty bit of a migration
 * entry (the write bit is kept, as make_migration_entry does).
 */
#include "model/world.h"
#include "inv/inv.h"
#include "model/mutant.h"
#include "uv/uv.h"

#define MIGRATEPAGE_SUCCESS 0

/* Migration entries: a _PAGE_SWP PTE whose pfn is -(old pfn + 1). */
static int migration_entry(const struct page *page)
{
	return -(page->pfn + 1);
}

/* try_to_unmap(TTU_MIGRATION): replace every present PTE by a migration entry. */
static void unmap_for_migration(struct page *page)
{
	kernel_frame("try_to_unmap");
	int m, k, i;

	for (m = 0; m < mdl_world.nr_mms; m++) {
		struct mm_struct *mm = &mdl_world.mms[m];

		/* each mapping under the PTE lock of its own page table */
		for_each_mm_addr(mm, k, i) {
			unsigned long a = mm->addr[i];
			char *ptl = pte_lockptr(mm, a);
			pte_t *ptep = pte_offset(mm, a);
			bool write;

			/* no VMA test, as try_to_unmap() in vmscan.c says why */
			if (MUTANT_KEEP(MUT_MIGRATE_PTL))
				spin_lock(ptl);
			else	/* the mutant drops the lock, not the read's announcement */
				VIS_READ(ptep, "page_vma_mapped_walk: the PTE (no PTE lock)");
			if (!pte_present(*ptep) || ptep->pfn != page->pfn) {
				if (MUTANT_KEEP(MUT_MIGRATE_PTL))
					spin_unlock(ptl);
				continue;
			}
			write = pte_write(*ptep);
			ptep_get_and_clear(mm, a, ptep, MUT_CLEAR_FLUSH_EXPORT);	/* ptep_clear_flush: exports */
			/* make_migration_entry(page, pte_write(pteval)) */
			VIS_WRITE(ptep, "set_pte_at(migration entry)");
			ptep->flags = _PAGE_SWP | (write ? _PAGE_WRITE : 0);
			ptep->pfn = migration_entry(page);
			page_remove_rmap(page);
			if (MUTANT_KEEP(MUT_MIGRATE_PTL))
				spin_unlock(ptl);
			put_page(page, ref_obj(REF_MAP, pte_owner(mm, a)));
		}
	}
}

/* remove_migration_ptes: map @newpage where migration entries for @page are. */
static void remove_migration_ptes(struct page *page, struct page *newpage)
{
	KERNEL_FRAME();
	int m, k, i;

	for (m = 0; m < mdl_world.nr_mms; m++) {
		struct mm_struct *mm = &mdl_world.mms[m];

		/* each mapping under the PTE lock of its own page table */
		for_each_mm_addr(mm, k, i) {
			unsigned long a = mm->addr[i];
			char *ptl = pte_lockptr(mm, a);
			pte_t *ptep = pte_offset(mm, a);
			const struct vm_area_struct *vma;
			bool write;

			/* no VMA test, as try_to_unmap() in vmscan.c says why */
			spin_lock(ptl);
			if (!(ptep->flags & _PAGE_SWP) || ptep->pfn != migration_entry(page)) {
				spin_unlock(ptl);
				continue;
			}
			write = pte_write(*ptep);	/* is_write_migration_entry */
			get_page(newpage, ref_obj(REF_MAP, pte_owner(mm, a)));
			page_add_rmap(newpage);
			/*
			 * maybe_mkwrite: writable only if the VMA still has VM_WRITE
			 * (mprotect may have run since the unmap; it also made the
			 * entry a read one).  VM_WRITE is read without mmap_sem, in
			 * the set_pte_at step (mprotect_fixup writes it in a step):
			 * the PTE lock is held from the entry's read to the store.
			 */
			vma = find_vma(mm, a);	/* NULL: a hole a mutant's stale write reached */
			if (vma)
				vis_also(VIS_KIND_READ, vma);
			VIS_WRITE(ptep, "remove_migration_pte: set_pte_at");
			write = write && vma && !vma->readonly;
			ptep->flags = _PAGE_PRESENT | (write ? _PAGE_WRITE : 0);
			ptep->pfn = newpage->pfn;
			spin_unlock(ptl);
		}
	}
}

/*
 * expected_page_refs (mm/migrate.c, v5.7; not s390's function of the same
 * name): the isolation reference, plus the cache's and the buffer heads'
 * when the page has a mapping.  No mapcount: the page is unmapped by now.
 */
static int migrate_expected_refs(const struct address_space *mapping, const struct page *page)
{
	int expected_count = 1;

	if (mapping)
		expected_count += 1 + page_has_private(page);
	return expected_count;
}

/**
 * migrate_page_move_mapping - replace @page by @newpage in @mapping.
 * @mapping: page_mapping(@page): NULL (anonymous), the swap cache or a file.
 * @extra_count: references beyond expected_page_refs the caller expects.
 *
 * An anonymous page without a mapping needs only its count checked.  Else,
 * under the xarray lock with interrupts off: the count must be exactly the
 * expected one and the slot must still hold @page, then page_ref_freeze
 * at that count (a speculative page-cache lookup waits meanwhile), the new
 * page takes @page's index, mapping, swap-cache state and the cache's
 * reference, PG_dirty moves, xas_store puts @newpage in the slot, and the
 * old count is unfrozen one lower (the cache's reference gone).
 *
 * Context: both pages locked, @page unmapped, isolation reference held.
 * Return: 0 (MIGRATEPAGE_SUCCESS) or -EAGAIN (another reference, or the
 * page left the mapping).
 */
static int migrate_page_move_mapping(struct address_space *mapping, struct page *newpage,
				     struct page *page, int extra_count)
{
	int expected_count = migrate_expected_refs(mapping, page) + extra_count;
	unsigned long index = PageSwapCache(page) ? page->private : page->index;
	bool dirty;

	if (!mapping) {
		/* Anonymous page without mapping */
		VIS_READ(page, "migrate_page_move_mapping: page_count == expected");
		if (page_ref_count(page) != expected_count && MUTANT_KEEP(MUT_MIGRATE_COUNT))
			return -EAGAIN;
		/* No turning back from here */
		VIS_RMW(newpage, "migrate_page_move_mapping: newpage->index, ->mapping");
		newpage->index = page->index;
		if (PageAnon(page))	/* ->mapping: the anon_vma; NULL for a truncated page */
			__set_page_flag(newpage, PG_anon);
		return MIGRATEPAGE_SUCCESS;
	}
	xa_lock_irq(mapping);		/* xas_lock_irq */
	VIS_READ(page, "migrate_page_move_mapping: page_count == expected");
	/* mutant: no exact count, the check and the freeze take any count */
	if (!MUTANT_KEEP(MUT_MIGRATE_COUNT))
		expected_count = page_ref_count(page);
	if (page_ref_count(page) != expected_count)
		goto busy;
	VIS_READ(&mapping->i_pages, "migrate_page_move_mapping: xas_load");
	if (mapping->pages[index] != page)
		goto busy;
	if (!page_ref_freeze(page, expected_count))
		goto busy;
	/*
	 * Now we know that no one else is looking at the page: no turning
	 * back from here.  page_ref_add(newpage, 1): the cache's reference.
	 */
	get_page(newpage, ref_obj(REF_CACHE, -1));
	VIS_RMW(newpage, "migrate_page_move_mapping: newpage->index, ->mapping");
	newpage->index = page->index;
	newpage->mapping = page->mapping;
	if (PageAnon(page))
		__set_page_flag(newpage, PG_anon);	/* PageSwapBacked */
	if (PageSwapCache(page)) {
		__set_page_flag(newpage, PG_swapcache);
		newpage->private = page->private;	/* set_page_private */
	}
	/* Move dirty while page refs frozen and newpage not yet exposed */
	dirty = PageDirty(page);
	if (dirty) {
		VIS_RMW(page, "migrate_page_move_mapping: ClearPageDirty");
		__clear_page_flag(page, PG_dirty);
		VIS_RMW(newpage, "migrate_page_move_mapping: SetPageDirty");
		__set_page_flag(newpage, PG_dirty);
	}
	VIS_WRITE(&mapping->i_pages, "migrate_page_move_mapping: xas_store");
	mapping->pages[index] = newpage;
	if (vis_recording())
		vis_note("%s replaces %s in %s index %lu", newpage->name, page->name,
			 mapping->name, index);
	/* Drop cache reference from old page by unfreezing to one less reference. */
	inv_ref_del(page, ref_obj(REF_CACHE, -1), 1, VIS_SITE("migrate_page_move_mapping"));
	page_ref_unfreeze(page, expected_count - 1);
	xa_unlock_irq(mapping);		/* xas_unlock, local_irq_enable */
	return MIGRATEPAGE_SUCCESS;
busy:
	xa_unlock_irq(mapping);		/* xas_unlock_irq */
	return -EAGAIN;
}

/*
 * migrate_page_copy: copy_highpage, a kernel copy (the page was exported
 * when unmapped), then migrate_page_states.  The last step records, as
 * ghost state on the old frame, that its contents now live in @newpage:
 * a write into the old frame after it is lost (INV-14).
 */
static void migrate_page_copy(struct page *newpage, struct page *page)
{
	struct frame *src = page_frame(page), *dst = page_frame(newpage);
	struct frame data;

	/* the read in the source's step, the store in the destination's */
	VIS_READ(src, "copy_highpage: read");
	if (!fw_get()->host_access_ok(page->pfn))
		inv_fail(VIOL_SECURE_MAPPED, VIS_SITE("migrate_page_copy"),
			 "%s is still secure after try_to_unmap(): the unmap did not export it",
			 page->name);
	data = *src;
	VIS_WRITE(dst, "copy_highpage: write");
	*dst = data;
	VIS_GHOST_RMW(src, "(ghost) the old page's contents now live in the new page");
	inv_page_superseded(page, newpage);
	VIS_RMW(newpage, "migrate_page_states");
	if (PageReferenced(page))
		__set_page_flag(newpage, PG_referenced);
	if (test_page_flag(page, PG_uptodate))
		__set_page_flag(newpage, PG_uptodate);
	if (PageActive(page))
		__set_page_flag(newpage, PG_active);
	if (PageDirty(page))
		__set_page_flag(newpage, PG_dirty);
	VIS_RMW(page, "migrate_page_states: ClearPageSwapCache, ClearPagePrivate");
	__clear_page_flag(page, PG_active);
	__clear_page_flag(page, PG_swapcache);
	__clear_page_flag(page, PG_private);
	page->private = 0;
}

/**
 * migrate_page - the ->migratepage of pages without buffer heads (and of
 * swap_aops): move the mapping, then copy.
 * Context: both pages locked.
 * Return: 0, or migrate_page_move_mapping's -EAGAIN.
 */
static int migrate_page(struct address_space *mapping, struct page *newpage, struct page *page)
{
	int rc;

	/* BUG_ON(PageWriteback(page)): writeback must be complete (read in
	 * move_to_new_page's step on the page) */
	if (PageWriteback(page))
		inv_fail(VIOL_IO_PROTOCOL, VIS_SITE("migrate_page"),
			 "kernel BUG at mm/migrate.c: BUG_ON(PageWriteback(page)) in "
			 "migrate_page: %s is under writeback", page->name);
	rc = migrate_page_move_mapping(mapping, newpage, page, 0);
	if (rc != MIGRATEPAGE_SUCCESS)
		return rc;
	migrate_page_copy(newpage, page);
	return MIGRATEPAGE_SUCCESS;
}

/**
 * buffer_migrate_page - ext2's and ext4's ->migratepage (__buffer_migrate_page
 * with check_refs false): a page without buffers is migrate_page(); with
 * buffers the count is checked first, the mapping moved with the buffers'
 * reference counted, and the buffers (PG_private and their reference) move
 * to the new page before the copy.
 * Context: both pages locked.
 * Return: 0 or -EAGAIN.
 */
static int buffer_migrate_page(struct address_space *mapping, struct page *newpage,
			       struct page *page)
{
	int rc;

	if (!page_has_private(page))	/* page_has_buffers, read in move_to_new_page's step */
		return migrate_page(mapping, newpage, page);
	/* Check whether page does not have extra refs before we do more work */
	VIS_READ(page, "__buffer_migrate_page: page_count == expected");
	if (page_ref_count(page) != migrate_expected_refs(mapping, page) &&
	    MUTANT_KEEP(MUT_MIGRATE_COUNT))
		return -EAGAIN;
	/* buffer_migrate_lock_buffers: no modelled path locks a buffer head */
	rc = migrate_page_move_mapping(mapping, newpage, page, 0);
	if (rc != MIGRATEPAGE_SUCCESS)
		return rc;
	/* ClearPagePrivate(page); put_page(page); get_page(newpage); SetPagePrivate(newpage) */
	VIS_RMW(page, "__buffer_migrate_page: ClearPagePrivate");
	__clear_page_flag(page, PG_private);
	put_page(page, ref_obj(REF_BUFFERS, -1));
	get_page(newpage, ref_obj(REF_BUFFERS, -1));
	VIS_RMW(newpage, "__buffer_migrate_page: set_bh_page, SetPagePrivate");
	__set_page_flag(newpage, PG_private);
	migrate_page_copy(newpage, page);
	return MIGRATEPAGE_SUCCESS;
}

/**
 * move_to_new_page - call the ->migratepage of the page's address_space.
 * Context: both pages locked, @page unmapped.
 * Return: 0 or -EAGAIN; on success a page-cache page's ->mapping is cleared.
 */
static int move_to_new_page(struct page *newpage, struct page *page)
{
	struct address_space *mapping;
	int rc;

	mapping = page_mapping(page);	/* read in __unmap_and_move's page_mapped step */
	if (!mapping)
		rc = migrate_page(NULL, newpage, page);
	else if (mapping->swapper)
		rc = migrate_page(mapping, newpage, page);	/* swap_aops.migratepage */
	else
		rc = buffer_migrate_page(mapping, newpage, page);	/* ext4_aops.migratepage */
	if (rc == MIGRATEPAGE_SUCCESS && !PageAnon(page)) {
		/* old pagecache page->mapping must be cleared before page is freed */
		VIS_RMW(page, "move_to_new_page: page->mapping = NULL");
		page->mapping = NULL;
		page->version++;
	}
	return rc;
}

/*
 * The migrate_mode of the two callers: compaction's forced pass runs
 * MIGRATE_SYNC_LIGHT, move_pages(2) MIGRATE_SYNC.
 */
enum migrate_mode { MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };

/**
 * __unmap_and_move - lock, check writeback, unmap, move, remap.
 * @page: the isolated page; @newpage: the new page;
 * @mode: MIGRATE_SYNC_LIGHT (compaction) or MIGRATE_SYNC (move_pages).
 * Every modelled page is an LRU page (is_lru: no movable non-LRU pages),
 * so the new page is put back with putback_lru_page on success.
 * Context: @page isolated, @newpage allocated; sleeps (lock_page,
 * wait_on_page_writeback in MIGRATE_SYNC).
 * Return: 0, -EBUSY (under writeback, MIGRATE_SYNC_LIGHT), -EAGAIN (extra
 * references, the new page locked by someone, a truncated page with
 * buffers).
 */
static int __unmap_and_move(struct page *page, struct page *newpage,
			    enum migrate_mode mode)
{
	int rc = -EAGAIN;
	bool page_was_mapped = false;

	/* trylock_page, then (forced pass of a synchronous mode) lock_page */
	if (MUTANT_KEEP(MUT_MIGRATE_PAGE_LOCK))
		lock_page(page);
	if (mode == MIGRATE_SYNC) {
		/*
		 * MIGRATE_SYNC, forced pass: wait_on_page_writeback under the
		 * page lock (end_page_writeback needs no page lock); the page
		 * then stays locked, so no new writeback can start before the
		 * unmap (__test_set_page_writeback's callers hold the lock).
		 */
		if (MUTANT_KEEP(MUT_MIGRATE_WB_CHECK))
			wait_on_page_writeback(page);
	} else {
		VIS_READ(page, "__unmap_and_move: PageWriteback");
		if (PageWriteback(page) && MUTANT_KEEP(MUT_MIGRATE_WB_CHECK)) {
			rc = -EBUSY;	/* MIGRATE_SYNC_LIGHT: no wait_on_page_writeback */
			goto out_unlock;
		}
	}
	/* Block others from accessing the new page when it enters the cache. */
	if (!trylock_page(newpage))
		goto out_unlock;
	VIS_READ(page, "__unmap_and_move: page->mapping, page_mapped");
	if (!PageAnon(page) && !page->mapping) {
		/* truncated meanwhile: an orphan with buffers loses them */
		if (page_has_private(page)) {
			VIS_RMW(page, "try_to_free_buffers");
			__clear_page_flag(page, PG_private);
			put_page(page, ref_obj(REF_BUFFERS, -1));
			goto out_unlock_both;
		}
	} else if (page_mapcount(page) > 0) {
		/* Establish migration ptes */
		unmap_for_migration(page);
		page_was_mapped = true;
	}
	if (page_was_mapped)
		VIS_READ(page, "__unmap_and_move: page_mapped");
	if (page_mapcount(page) == 0)
		rc = move_to_new_page(newpage, page);
	if (page_was_mapped)
		remove_migration_ptes(page, rc == MIGRATEPAGE_SUCCESS ? newpage : page);
out_unlock_both:
	unlock_page(newpage);
out_unlock:
	if (MUTANT_KEEP(MUT_MIGRATE_PAGE_LOCK))
		unlock_page(page);
	/*
	 * putback_lru_page(newpage) for a page of the LRU (is_lru): its plain
	 * get_page into the pagevec happens while the allocation's reference
	 * still keeps the count above expected_page_refs, so an import of the
	 * new page (now mapped) cannot have it frozen meanwhile.
	 */
	if (rc == MIGRATEPAGE_SUCCESS)
		putback_lru_page(newpage, ref_thread(REF_ALLOC));
	return rc;
}

/*
 * unmap_and_move: a page whose only reference is the isolation was freed
 * under us (truncated and unmapped): done, and the put frees it.  Else a
 * new page, __unmap_and_move, and the references: on success the
 * isolation's goes (the old page is freed), on failure putback_lru_page
 * drops it and the new page is freed.
 */
static int unmap_and_move(struct page *page, enum migrate_mode mode)
{
	struct ref_tag iso = ref_thread(REF_ISOLATE);
	struct page *newpage;
	int rc = MIGRATEPAGE_SUCCESS;

	VIS_READ(page, "unmap_and_move: page_count == 1");
	if (page_ref_count(page) == 1)
		goto out;	/* page was freed from under us. So we are done. */
	newpage = alloc_page(ref_thread(REF_ALLOC));
	if (!newpage) {
		putback_lru_page(page, iso);	/* putback_movable_pages by the caller */
		return -ENOMEM;
	}
	rc = __unmap_and_move(page, newpage, mode);
	if (rc == MIGRATEPAGE_SUCCESS)
		goto out;
	/*
	 * A failure other than -EAGAIN: putback_lru_page(page), then
	 * put_new_page.  -EAGAIN keeps the page on the list for the next
	 * pass: the new page goes first, and after the last pass the caller's
	 * putback_movable_pages puts the page back.
	 */
	if (rc != -EAGAIN)
		putback_lru_page(page, iso);
	put_page(newpage, ref_thread(REF_ALLOC));	/* put_new_page */
	if (rc == -EAGAIN)
		putback_lru_page(page, iso);
	return rc;
out:
	put_page(page, iso);	/* success, or freed under us: the isolation's reference */
	return rc;
}

/**
 * migrate_page_at - migrate the page mapped at @addr in @mm (anonymous,
 * swap cache or page cache) to a newly allocated page.
 * Context: process context, no locks held; sleeps.
 * Return: 0; -EBUSY (not isolated, under writeback, hugetlb); -EAGAIN
 * (extra references: the page is put back as after migrate_pages' last
 * pass); -ENOMEM; -ENOENT (nothing mapped).
 */
int migrate_page_at(struct mm_struct *mm, unsigned long addr)
{
	kernel_frame("migrate_pages");
	struct ref_tag iso = ref_thread(REF_ISOLATE);
	struct page *page;
	pte_t pte;

	VIS_READ(pte_offset(mm, addr), "isolate_migratepages_block: page of the LRU");
	pte = *pte_offset(mm, addr);
	if (!pte_present(pte))
		return -ENOENT;
	page = pfn_to_page(pte.pfn);
	/*
	 * isolate_migratepages_block: PageLRU and the pinned-anonymous test
	 * (no mapping, and more references than mappings),
	 * then under the lru_lock __isolate_lru_page (get_page_unless_zero,
	 * ClearPageLRU): a page reclaim or move_pages has isolated, one still
	 * in a pagevec, a pinned anonymous page and a frozen count are
	 * skipped.  A hugetlb page is on no LRU (and compound: compaction
	 * skips it before the lock).
	 */
	if (__isolate_lru_page(page, iso, ISOLATE_SKIP_PINNED))
		return -EBUSY;
	return unmap_and_move(page, MIGRATE_SYNC_LIGHT);
}

/* ==== move_pages(2): kernel_move_pages -> do_pages_move, v5.7 ==== */

/*
 * vma_migratable (include/linux/mempolicy.h, v5.7): no VM_IO/VM_PFNMAP or
 * DAX VMAs in the model, and a file's mapping_gfp_mask is the highest zone;
 * s390 selects no ARCH_ENABLE_HUGEPAGE_MIGRATION, so a hugetlb VMA is not
 * migratable.
 */
static bool vma_migratable(const struct vm_area_struct *vma)
{
	return !vma->hugetlb;
}

/**
 * add_page_for_migration - look the page at @addr up and isolate it.
 * @mm: the target mm; @addr: the address; @pagelist: receives the page
 * (the model's list has one entry); @migrate_all: MPOL_MF_MOVE_ALL.
 *
 * v5.7 order: mmap_sem (read); find_vma and vma_migratable; follow_page(
 * FOLL_GET | FOLL_DUMP), which takes its reference with try_get_page()
 * under the PTE lock and calls no arch_make_page_accessible() (only
 * FOLL_PIN does in v5.7: move_pages never touches the contents, so a
 * secure page is taken as it is); page_to_nid == node (0: nothing to do;
 * the model's pages are all on node 0 and the target is node 1, so never);
 * page_mapcount > 1 without MPOL_MF_MOVE_ALL: -EACCES; isolate_lru_page()
 * (its plain get_page); then put_page of follow_page's reference, whether
 * the isolation succeeded or not; up_read.
 *
 * Why follow_page's reference comes first and the isolation's get_page
 * may be plain:
 *   1. here:  follow_page: PTE lock, try_get_page: count above
 *             expected_page_refs (mapping + cache + this one), unlock;
 *   2. guest: gmap_make_secure -> make_secure_pte (PTE lock, page lock):
 *             page_ref_freeze(expected) fails, -EBUSY, the import retries;
 *   3. here:  isolate_lru_page: get_page on a count that cannot be frozen
 *             while step 1's reference is held;
 *   4. here:  put_page(follow_page's reference): the isolation's keeps
 *             the count above expected until migration ends.
 * The PTE lock of step 1 is the one make_secure_pte holds from its check
 * to its unfreeze, so try_get_page never meets the frozen count either.
 * Context: process context; takes mmap_sem (read) and the PTE lock.
 * Return: 1 (queued on @pagelist), -EFAULT (no VMA, not migratable, no
 * page table entry in an anonymous VMA: FOLL_DUMP), -ENOENT (nothing
 * mapped), -EACCES (mapped more than once), -EBUSY (not on the LRU), the
 * grab's -ENOMEM.
 */
static int add_page_for_migration(struct mm_struct *mm, unsigned long addr,
				  struct page **pagelist, bool migrate_all)
{
	KERNEL_FRAME();
	struct vm_area_struct *vma;
	struct page *page;
	int err;

	down_read(&mm->mmap_sem);
	err = -EFAULT;
	vma = find_vma(mm, addr);
	if (!vma || !vma_migratable(vma))
		goto out;
	/* FOLL_DUMP: a special page (the zero page) is an error, not a page to move */
	page = follow_page_mask(vma, mm, addr, FOLL_GET | FOLL_DUMP, &err);
	if (err)	/* IS_ERR(page) */
		goto out;
	err = -ENOENT;
	if (!page)
		goto out;
	/* page_to_nid(page) == node: never (all pages on node 0, the target is 1) */
	err = -EACCES;
	VIS_READ(page, "add_page_for_migration: page_mapcount");
	if (page_mapcount(page) > 1 && !migrate_all)
		goto out_putpage;
	/* PageHuge: no hugetlb page passes vma_migratable on s390 */
	err = isolate_lru_page(page, ref_thread(REF_ISOLATE));
	if (err)
		goto out_putpage;
	err = 1;
	*pagelist = page;	/* list_add_tail(&head->lru, pagelist) */
out_putpage:
	/*
	 * The lookup's reference goes in both cases: an isolated page is held
	 * by the reference isolate_lru_page() took, one that was not isolated
	 * needs none.
	 */
	put_page(page, ref_thread(REF_GUP));
out:
	up_read(&mm->mmap_sem);
	return err;
}

/*
 * do_move_pages_to_node: migrate_pages(MIGRATE_SYNC, MR_SYSCALL) of the
 * list, putback_movable_pages of what is left on failure.  One page, one
 * pass (the forced one: lock_page, wait_on_page_writeback); unmap_and_move
 * puts a page it did not migrate back itself (putback_lru_page), as the
 * passes after the last one would.  migrate_pages' count: -EAGAIN (the
 * retry count) and any other failure (nr_failed) are one page not migrated;
 * -ENOMEM ends it.
 * Return: 0, 1 (not migrated) or -ENOMEM.
 */
static int do_move_pages_to_node(struct mm_struct *mm, struct page *page)
{
	kernel_frame("migrate_pages");
	int rc = unmap_and_move(page, MIGRATE_SYNC);

	if (rc == -ENOMEM)
		return -ENOMEM;
	return rc == MIGRATEPAGE_SUCCESS ? 0 : 1;
}

/**
 * do_pages_move - move_pages(2) of one page (@addr) to node 1.
 * @mm: the target's mm (kernel_move_pages: get_task_mm);
 * @addr: the page's address; @status: receives status[0].
 *
 * v5.7 order: migrate_prep() (lru_add_drain_all: pages in pagevecs reach
 * the LRU, so that they can be isolated); add_page_for_migration(); if it
 * queued the page, move_pages_and_store_status() at out_flush ->
 * do_move_pages_to_node -> migrate_pages; else store_status(err) and the
 * empty list's move_pages_and_store_status (0).
 *
 * The return value follows v5.7's arithmetic: a page migrate_pages could
 * not move makes move_pages_and_store_status return
 * err + nr_pages - i - 1 with i == nr_pages at out_flush, i.e. 1 + (-1)
 * (the unsigned subtraction wraps) = 0, and status[0] is not written: v5.7
 * returns 0 for a single page it did not migrate.
 * Context: process context, no locks held; sleeps.
 * Return: 0, -ENOMEM; *@status: 1 (the node: migrated), the lookup's or
 * isolation's errno, or left as it was (not migrated, see above).
 */
int do_pages_move(struct mm_struct *mm, unsigned long addr, int *status)
{
	KERNEL_FRAME();
	const unsigned long nr_pages = 1;
	const int node = 1;
	struct page *page = NULL;
	unsigned long i = 0;
	int err, err1;

	lru_add_drain_all();	/* migrate_prep */
	err = add_page_for_migration(mm, addr, &page, false);
	if (err > 0) {
		i++;	/* continue: the loop ends with i == nr_pages */
		goto out_flush;
	}
	*status = err;	/* store_status(status, i, err ? : current_node, 1) */
	err = 0;	/* move_pages_and_store_status of an empty list */
	i++;
	page = NULL;
out_flush:
	err1 = 0;
	if (page) {	/* move_pages_and_store_status(): list not empty */
		err1 = do_move_pages_to_node(mm, page);
		if (err1 > 0)
			err1 += (int)(nr_pages - i - 1);	/* v5.7: wraps to -1 */
		else if (!err1)
			*status = node;	/* store_status(status, start, node, i - start) */
	}
	if (err >= 0)
		err = err1;
	return err;
}
