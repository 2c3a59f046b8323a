// SPDX-License-Identifier: MIT
/*
 * migrate.c - migration of one anonymous page (compaction, NUMA).
 *
 * Follows mm/migrate.c as of v5.7 (unmap_and_move, __unmap_and_move,
 * migrate_page_move_mapping, migrate_page_copy, remove_migration_ptes).
 * The PTE is replaced by a migration entry before the refcount is checked,
 * so no import can run concurrently (an import needs a present writable
 * PTE); for a protected mm that unmap also exports the page, and the copy
 * moves ciphertext, which the next guest access imports into the new page.
 * Abstracted away: file-backed migration (the xarray freeze), movable
 * non-LRU pages, THP, async mode (the sync modes lock and wait).
 */
#include "model/world.h"
#include "inv/inv.h"
#include "lib/mutant.h"
#include "uv/uv.h"

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

			/* no VMA test, as try_to_unmap() in vmscan.c says why */
			if (MUTANT_KEEP(MUT_MIGRATE_PTL))
				spin_lock(ptl);
			if (!pte_present(*ptep) || ptep->pfn != page->pfn) {
				if (MUTANT_KEEP(MUT_MIGRATE_PTL))
					spin_unlock(ptl);
				continue;
			}
			ptep_get_and_clear(mm, a, ptep, MUT_CLEAR_FLUSH_EXPORT);	/* ptep_clear_flush: exports */
			VIS_WRITE(ptep, "set_pte_at(migration entry)");
			ptep->flags = _PAGE_SWP;
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

			/* no VMA test, as try_to_unmap() in vmscan.c says why */
			spin_lock(ptl);
			if (ptep->flags != _PAGE_SWP || ptep->pfn != migration_entry(page)) {
				spin_unlock(ptl);
				continue;
			}
			get_page(newpage, ref_obj(REF_MAP, pte_owner(mm, a)));
			page_add_rmap(newpage);
			VIS_WRITE(ptep, "remove_migration_pte: set_pte_at");
			ptep->flags = _PAGE_PRESENT | _PAGE_WRITE;
			ptep->pfn = newpage->pfn;
			spin_unlock(ptl);
		}
	}
}

/**
 * migrate_page_at - migrate the anonymous page mapped at @addr in @mm to a
 * newly allocated page.
 * Context: process context, no locks held.
 * Return: 0; -EBUSY (not isolated, under writeback, extra references);
 * -ENOMEM; -ENOENT (nothing mapped).
 */
int migrate_page_at(struct mm_struct *mm, unsigned long addr)
{
	kernel_frame("migrate_pages");
	struct ref_tag iso = ref_thread(REF_ISOLATE);
	struct page *page, *newpage;
	struct frame *src, *dst;
	pte_t pte;
	int rc = -EBUSY;

	VIS_READ(pte_offset(mm, addr), "isolate_lru_page: page of the LRU");
	pte = *pte_offset(mm, addr);
	if (!pte_present(pte))
		return -ENOENT;
	page = pfn_to_page(pte.pfn);
	if (!get_page_unless_zero(page, iso))
		return -EBUSY;
	if (!PageAnon(page) || PageSwapCache(page)) {
		put_page(page, iso);
		return -EBUSY;
	}
	newpage = alloc_page(ref_thread(REF_ALLOC));
	if (!newpage) {
		put_page(page, iso);
		return -ENOMEM;
	}
	if (MUTANT_KEEP(MUT_MIGRATE_PAGE_LOCK))
		lock_page(page);
	VIS_READ(page, "__unmap_and_move: PageWriteback");
	if (PageWriteback(page) && MUTANT_KEEP(MUT_MIGRATE_WB_CHECK))
		goto out_unlock;
	unmap_for_migration(page);
	/*
	 * migrate_page_move_mapping(), anonymous page without mapping: the
	 * count must be exactly the isolation reference.
	 */
	VIS_READ(page, "migrate_page_move_mapping: page_count == expected");
	if (page_ref_count(page) != 1 && MUTANT_KEEP(MUT_MIGRATE_COUNT)) {
		rc = -EAGAIN;
		remove_migration_ptes(page, page);
		goto out_unlock;
	}
	/* migrate_page_copy: a kernel copy; the page was exported when unmapped. */
	src = page_frame(page);
	dst = page_frame(newpage);
	VIS_READ(src, "copy_highpage: read");
	if (!fw_get()->host_access_ok(page->pfn))
		inv_fail(VIOL_SECURE_MAPPED, VIS_SITE("migrate_page_copy"),
			 "%s is still secure after try_to_unmap(): the unmap did not export it",
			 page->name);
	VIS_WRITE(dst, "copy_highpage: write");
	*dst = *src;
	VIS_RMW(newpage, "migrate_page_states");
	__set_page_flag(newpage, PG_anon);
	newpage->_mapcount = -1;
	remove_migration_ptes(page, newpage);
	rc = 0;
out_unlock:
	if (MUTANT_KEEP(MUT_MIGRATE_PAGE_LOCK))
		unlock_page(page);
	put_page(page, iso);		/* the old page goes */
	put_page(newpage, ref_thread(REF_ALLOC));	/* putback_lru_page(newpage) */
	return rc;
}
