// SPDX-License-Identifier: MIT
/*
 * memory.c - page faults, PTE teardown and rmap counts; the locking
 * primitives the model uses.
 *
 * Follows mm/memory.c (do_anonymous_page, do_read_fault, do_swap_page,
 * zap_pte_range), mm/rmap.c (page_add_*_rmap, page_remove_rmap) and
 * arch/s390/include/asm/pgtable.h (ptep_get_and_clear exporting pages of a
 * protected mm, GIT PULL 03/36) as of v5.7.
 *
 * Abstracted away: TLB batching (the mapping's reference is dropped right
 * after the PTL, as tlb_finish_mmu would), fork/COW (do_wp_page only
 * reuses an exclusively mapped page), new anonymous pages do not go
 * through an LRU pagevec (pagevec references are declared instead, knob
 * "pvec" of a page), swap slots are freed eagerly (try_to_free_swap as
 * if vm_swap_full()).
 *
 * Locks: mmap_sem is an rwsem (read side shared), the PTE lock a spinlock;
 * a PTE read right after taking the PTE lock is folded into the lock step:
 * every PTE write is announced and made under the same lock, so the lock
 * order already orders them.
 */
#include "lib/bug.h"
#include "lib/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/* ==== locking primitives ==== */

void down_read(char *sem)
{
	inv_might_sleep(VIS_SITE("down_read"));
	inv_lockdep_check(LC_MMAP_SEM, VIS_SITE("down_read"));
	vis_lock(sem, true, VIS_SITE("down_read(mmap_sem)"));
	inv_lock_acquired(LC_MMAP_SEM, sem, VIS_SITE("down_read"));
}

void up_read(char *sem)
{
	inv_lock_released(sem);
	vis_unlock(sem, VIS_SITE("up_read(mmap_sem)"));
}

void spin_lock(char *lock)
{
	inv_lockdep_check(LC_PTL, VIS_SITE("spin_lock"));
	vis_lock(lock, false, VIS_SITE("spin_lock(ptl)"));
	inv_lock_acquired(LC_PTL, lock, VIS_SITE("spin_lock"));
}

void spin_unlock(char *lock)
{
	inv_lock_released(lock);
	vis_unlock(lock, VIS_SITE("spin_unlock(ptl)"));
}

void mutex_lock(char *lock)
{
	inv_might_sleep(VIS_SITE("mutex_lock"));
	inv_lockdep_check(LC_PIPE, VIS_SITE("mutex_lock"));
	vis_lock(lock, false, VIS_SITE("mutex_lock"));
	inv_lock_acquired(LC_PIPE, lock, VIS_SITE("mutex_lock"));
}

void mutex_unlock(char *lock)
{
	inv_lock_released(lock);
	vis_unlock(lock, VIS_SITE("mutex_unlock"));
}

char *pte_lockptr(struct mm_struct *mm, unsigned long addr)
{
	return &mm->page_table_lock;
}

/**
 * find_vma - the VMA covering @addr (one per address in the model).
 * Context: mmap_sem held.  VMAs never change during an execution, so this
 * is not a visible step.
 * Return: the VMA or NULL.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	if (addr >= MDL_MAX_ADDRS || !mm->vma[addr].valid)
		return NULL;
	return &mm->vma[addr];
}

/* ==== rmap ==== */

/**
 * page_add_rmap - one more PTE maps @page (page_add_{anon,file}_rmap).
 * Context: PTE lock of the new mapping held.  One visible step.
 */
void page_add_rmap(struct page *page)
{
	VIS_RMW(page, "page_add_rmap");
	page->_mapcount++;
	page->version++;
}

/**
 * page_remove_rmap - one PTE less maps @page.
 * Context: PTE lock of the old mapping held.  One visible step.
 */
void page_remove_rmap(struct page *page)
{
	VIS_RMW(page, "page_remove_rmap");
	if (page->_mapcount < 0)
		inv_fail(VIOL_REFS_REAL, VIS_SITE("page_remove_rmap"),
			 "VM_BUG_ON_PAGE(page_mapcount(page) < 0): %s", page->name);
	page->_mapcount--;
	page->version++;
}

/* ==== PTE teardown ==== */

/**
 * ptep_get_and_clear - exchange a PTE with an empty one; in a protected mm
 * export the page it mapped (s390, v5.7).
 *
 * The export runs after the PTE is gone but while the mapping's reference
 * is still held, so a secure page is never freed, swapped or migrated:
 *   1. ptep_xchg: the guest can no longer reach the page;
 *   2. uv_convert_from_secure(): encrypted, host-owned, PG_arch_1 stays set
 *      (v5.7 does not clear it here);
 *   3. the caller drops the mapping's reference afterwards.
 * Context: PTE lock held.  Visible steps: the PTE write, the UV call.
 * Return: the old PTE.
 */
pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	pte_t old;

	VIS_WRITE(ptep, "ptep_get_and_clear");
	old = *ptep;
	ptep->flags = 0;
	ptep->pfn = 0;
	if (mm_is_protected(mm) && pte_present(old) && !mdl_bug(BUG_NO_ZAP_EXPORT) &&
	    MUTANT_KEEP(MUT_ZAP_EXPORT))
		uv_convert_from_secure(old.pfn);
	return old;
}

/* Install a present PTE mapping @page at @addr.  PTE lock held. */
static void set_pte_page(pte_t *ptep, struct page *page, bool write)
{
	VIS_WRITE(ptep, "set_pte_at");
	ptep->flags = _PAGE_PRESENT | (write ? _PAGE_WRITE : 0);
	ptep->pfn = page->pfn;
}

/**
 * zap_one_pte - zap_pte_range() for one PTE: clear it (exporting in a
 * protected mm), remove the rmap, drop the mapping's reference.
 * Context: mmap_sem or i_mmap lock held by the caller; takes the PTE lock.
 */
void zap_one_pte(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = NULL;
	pte_t old;
	char *ptl = pte_lockptr(mm, addr);

	spin_lock(ptl);
	if (!pte_none(mm->pte[addr])) {
		old = ptep_get_and_clear(mm, addr, pte_offset(mm, addr));
		if (pte_present(old)) {
			page = pfn_to_page(old.pfn);
			page_remove_rmap(page);
		}
	}
	spin_unlock(ptl);
	if (page)
		put_page(page, ref_obj(REF_MAP, pte_owner(mm, addr)));
}

/**
 * zap_page_range - MADV_DONTNEED / munmap of one page.
 * Context: takes mmap_sem (read, as madvise(MADV_DONTNEED) in v5.7) and
 * the PTE lock.
 */
void zap_page_range(struct mm_struct *mm, unsigned long addr)
{
	down_read(&mm->mmap_sem);
	zap_one_pte(mm, addr);
	up_read(&mm->mmap_sem);
}

/* ==== faults ==== */

static bool pred_pte_not_migration(const void *arg)
{
	const pte_t *ptep = arg;

	return !(ptep->flags & _PAGE_SWP) || ptep->pfn >= 0;
}

/*
 * do_swap_page - fault in a page from the swap cache or the swap device.
 * Entered with the PTE lock held and the PTE a swap entry; drops it.
 * Return: 0 (PTE now present or changed meanwhile), -ENOMEM.
 */
static int do_swap_page(struct mm_struct *mm, unsigned long addr, pte_t orig)
{
	pte_t *ptep = pte_offset(mm, addr);
	char *ptl = pte_lockptr(mm, addr);
	struct ref_tag lookup = ref_thread(REF_LOOKUP);
	int slot = orig.pfn;
	struct page *page;

	spin_unlock(ptl);
	page = lookup_swap_cache(slot);
	if (!page) {
		/* swapin_readahead -> __read_swap_cache_async -> swap_readpage */
		page = alloc_page(ref_thread(REF_ALLOC));
		if (!page)
			return -ENOMEM;
		lock_page(page);
		VIS_RMW(page, "add_to_swap_cache");
		__set_page_flag(page, PG_swapcache);
		__set_page_flag(page, PG_anon);
		page->private = (unsigned long)slot;
		page->_refcount++;
		inv_ref_add(page, ref_obj(REF_CACHE, -1), 1, "add_to_swap_cache");
		VIS_WRITE(&mdl_world.swapper_space.i_pages, "add_to_swap_cache: xa_store");
		mdl_world.swapper_space.pages[slot] = page;
		dev_dma_from_device(mdl_world.swapdev, page, slot, "swap_readpage");
		unlock_page(page);
		ref_transfer(page, ref_thread(REF_ALLOC), lookup);
	}
	lock_page(page);
	spin_lock(ptl);
	if (ptep->flags != orig.flags || ptep->pfn != orig.pfn) {
		spin_unlock(ptl);
		unlock_page(page);
		put_page(page, lookup);
		return 0;
	}
	page_add_rmap(page);
	set_pte_page(ptep, page, !mm->vma[addr].readonly);
	ref_transfer(page, lookup, ref_obj(REF_MAP, pte_owner(mm, addr)));
	/*
	 * try_to_free_swap(), as if vm_swap_full(): not while the page is
	 * still being written to swap (reclaim owns that copy).
	 */
	VIS_READ(page, "try_to_free_swap: PageWriteback");
	if (!PageWriteback(page))
		delete_from_swap_cache(page);
	spin_unlock(ptl);
	unlock_page(page);
	return 0;
}

/**
 * handle_mm_fault - resolve a fault at @addr: map a new anonymous page, a
 * page-cache page, or swap a page in; wait for a migration to finish.
 * Context: mmap_sem held (read).  Takes the PTE lock.
 * Return: 0 (retry the access), -EFAULT (no VMA), -ENOMEM.
 */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	pte_t *ptep = pte_offset(mm, addr);
	char *ptl = pte_lockptr(mm, addr);
	struct page *page;
	pte_t entry;

	if (!vma)
		return -EFAULT;
	/*
	 * Every caller checked VM_WRITE first (do_exception's access check,
	 * fixup_user_fault's vma_permits_fault, gup's check_vma_flags).
	 */
	PVM_BUG_ON((flags & FAULT_FLAG_WRITE) && vma->readonly);
	spin_lock(ptl);
	entry = *ptep;
	if (pte_present(entry)) {
		if ((flags & FAULT_FLAG_WRITE) && !pte_write(entry)) {
			/* do_wp_page: reuse an exclusively mapped page. */
			VIS_WRITE(ptep, "do_wp_page: wp_page_reuse");
			ptep->flags |= _PAGE_WRITE;
		}
		spin_unlock(ptl);
		return 0;
	}
	if (entry.flags & _PAGE_SWP) {
		if (entry.pfn < 0) {
			/* A migration entry: migration_entry_wait(). */
			spin_unlock(ptl);
			vis_wait(ptep, false, pred_pte_not_migration, ptep,
				 VIS_SITE("migration_entry_wait"));
			return 0;
		}
		return do_swap_page(mm, addr, entry);
	}
	spin_unlock(ptl);
	if (vma->vm_file) {
		/* do_read_fault / do_shared_fault -> filemap_fault */
		page = find_get_page(vma->vm_file, vma->vm_pgoff);
		if (!page)
			return -EFAULT;
		spin_lock(ptl);
		if (!pte_none(*ptep)) {
			spin_unlock(ptl);
			put_page(page, ref_thread(REF_LOOKUP));
			return 0;
		}
		page_add_rmap(page);
		set_pte_page(ptep, page, !vma->readonly);
		ref_transfer(page, ref_thread(REF_LOOKUP), ref_obj(REF_MAP, pte_owner(mm, addr)));
		spin_unlock(ptl);
		return 0;
	}
	/* do_anonymous_page */
	page = alloc_page(ref_thread(REF_ALLOC));
	if (!page)
		return -ENOMEM;
	VIS_WRITE(page_frame(page), "clear_user_highpage");
	page_frame(page)->data = 0;
	page_frame(page)->cipher = false;
	spin_lock(ptl);
	if (!pte_none(*ptep)) {
		spin_unlock(ptl);
		put_page(page, ref_thread(REF_ALLOC));
		return 0;
	}
	VIS_RMW(page, "page_add_new_anon_rmap");
	__set_page_flag(page, PG_anon);
	page->_mapcount = 0;
	/* do_anonymous_page: pte_mkwrite() only if vm_flags has VM_WRITE */
	set_pte_page(ptep, page, !vma->readonly);
	ref_transfer(page, ref_thread(REF_ALLOC), ref_obj(REF_MAP, pte_owner(mm, addr)));
	spin_unlock(ptl);
	return 0;
}
