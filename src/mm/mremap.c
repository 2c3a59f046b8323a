// SPDX-License-Identifier: MIT
/*
 * mremap.c - mremap(2) of one page to a fixed new address: the VMA copied
 * to the new address, the PTE moved between the two page tables under both
 * PTE locks, the old VMA unmapped.
 *
 * Follows mm/mremap.c as of v5.7 (5.7.14 tree): __do_sys_mremap takes
 * mmap_sem for writing (down_write_killable) and, for MREMAP_FIXED, calls
 * mremap_to: the overlap check, do_munmap of the target, vma_to_resize,
 * move_vma.  move_vma: ksm_madvise(MADV_UNMERGEABLE) of the range,
 * copy_vma, move_page_tables -> move_ptes, do_munmap of the old range.
 * move_ptes takes the PTE lock of the old table, then the new table's with
 * spin_lock_nested(SINGLE_DEPTH_NESTING) if it is another lock, and for
 * each PTE that is not none: ptep_get_and_clear (s390: the export of a
 * present PTE in a protected mm), move_pte (the identity on s390),
 * set_pte_at at the new address.  flush_tlb_range is a no-op on s390
 * (arch/s390/include/asm/tlbflush.h: __tlb_flush_mm_lazy; the clear itself
 * flushed, as pgtable.h explains above ptep_xchg_direct).
 *
 * What the guest sees afterwards.  The gmap's segment table entries point
 * at the host's own page tables (__gmap_link copies the host segment
 * entry), and the guest's memory slots still name the old host range:
 * the guest frame backed by the old address now finds an empty PTE, SIE
 * exits with a host DAT fault, gmap_fault -> __gmap_translate still gives
 * the old address, fixup_user_fault finds no VMA there: -EFAULT (an
 * addressing exception in the model, src/guest/fault.c).  If do_munmap
 * frees the old page table (no VMA left in its segment), free_pgtables ->
 * page_table_free_rcu -> gmap_unlink drops the gmap's segment entry too;
 * the next gmap_fault's __gmap_link then fails the same way, on the
 * missing VMA.  No gmap notifier runs: ptep_get_and_clear notifies
 * (ptep_notify) only for PTEs whose PGSTE has PGSTE_IN_BIT (prefix pages,
 * vSIE shadows), which the model has not.  The model's gmap is the
 * identity (guest.h), so the page at its new address is also a guest
 * frame, the one of that address.
 *
 * Abstracted away: one page (old_len == new_len == PAGE_SIZE), only
 * MREMAP_MAYMOVE|MREMAP_FIXED (no growing or shrinking in place, no
 * MREMAP_DONTUNMAP), one VMA per address (copy_vma never merges:
 * need_rmap_locks is false, v5.7's choice for a new VMA), userfaultfd,
 * accounting (VM_ACCOUNT, map_count, locked_vm), VM_LOCKED populate of the
 * new range, THP and move_normal_pmd (s390 does not select
 * CONFIG_HAVE_MOVE_PMD), the mmu notifier range (KVM on s390 registers
 * none in v5.7), KSM (ksm_madvise has nothing to break: KVM_PV_ENABLE's
 * gmap_mark_unmergeable cleared VM_MERGEABLE).  The binder requires the
 * new address above the old one, which makes the model's rmap walks (in
 * address order) visit the old PTE before the new one, the order v5.7's
 * rmap traversal gives a VMA copied without need_rmap_locks (the new VMA
 * comes after the old one in the anon_vma chain and in the file's
 * interval tree): a walk meets the old PTE or the new one, never neither.
 */
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"

/*
 * move_ptes - the PTE of @old_addr moved to @new_addr under both PTE locks.
 *
 * Why both locks (and the old one first):
 *   1. an rmap walker (page_mkclean, try_to_unmap) or the import's
 *      make_secure_pte holds the old table's lock while it reads and
 *      rewrites the PTE: the clear below waits for it, so the walker
 *      rewrites a PTE that is still there and the import converts a page
 *      that is still mapped;
 *   2. the new table's lock is held until the new PTE is set, so a walker
 *      of the new address finds either nothing (it ran before) or the
 *      moved PTE with the page's reference behind it (after).
 * The export in ptep_get_and_clear runs while the page is mapped nowhere
 * and before the new PTE appears: a host access through the new address
 * meets the exported page, never a secure one (unless the Ultravisor
 * refused: ptep_get_and_clear ignores the return code, and the page stays
 * secure, mapped at the new address; a host access there takes 0x3D and
 * exports again).
 * Context: mmap_sem held for writing; takes the two PTE locks (one if both
 * addresses share a table).  Return: nothing.
 */
static void move_ptes(struct mm_struct *mm, unsigned long old_addr, unsigned long new_addr)
{
	KERNEL_FRAME();
	char *old_ptl = pte_lockptr(mm, old_addr), *new_ptl = pte_lockptr(mm, new_addr);
	pte_t *old_pte = pte_offset(mm, old_addr), *new_pte = pte_offset(mm, new_addr);
	pte_t pte;

	if (MUTANT_KEEP(MUT_MREMAP_PTL)) {
		spin_lock(old_ptl);	/* pte_offset_map_lock; the PTE read in the lock step */
		if (new_ptl != old_ptl)
			spin_lock_nested(new_ptl, "move_ptes: spin_lock_nested(new ptl)");
	} else {	/* the mutant drops the locks, not the read's announcement */
		VIS_READ(old_pte, "move_ptes: the old PTE (no PTE lock)");
	}
	/* flush_tlb_batched_pending, arch_enter_lazy_mmu_mode: nothing on s390 */
	if (!pte_none(*old_pte)) {
		pte = ptep_get_and_clear(mm, old_addr, old_pte, MUT_MREMAP_EXPORT);
		/* move_pte: the identity (no __HAVE_ARCH_MOVE_PTE); no soft-dirty bit */
		VIS_WRITE(new_pte, "move_ptes: set_pte_at(new address)");
		*new_pte = pte;
		if (pte_present(pte)) {
			struct page *page = pfn_to_page(pte.pfn);

			/* the mapping's reference is now the new PTE's: no count change */
			ref_transfer(page, ref_obj(REF_MAP, pte_owner(mm, old_addr)),
				     ref_obj(REF_MAP, pte_owner(mm, new_addr)));
			if (vis_recording())
				vis_note("%s moved from %s %#lx to %#lx (refcount %d, mapcount %d)",
					 page->name, mm->name, old_addr, new_addr,
					 page_ref_count(page), page_mapcount(page));
		}
	}
	/* flush_tlb_range: __tlb_flush_mm_lazy, nothing left to flush on s390 */
	if (MUTANT_KEEP(MUT_MREMAP_PTL)) {
		if (new_ptl != old_ptl)
			spin_unlock(new_ptl);
		spin_unlock(old_ptl);
	}
}

/*
 * move_page_tables - the walk of the old range one table at a time: one
 * page here.  cond_resched() first (no spinlock held: a might_sleep point
 * only), get_old_pmd/alloc_new_pmd (the model's tables exist from the
 * start, mm.h), no huge PMD to move, then move_ptes.
 * Return: the length moved (PAGE_SIZE).
 */
static unsigned long move_page_tables(struct mm_struct *mm, unsigned long old_addr,
				      unsigned long new_addr)
{
	KERNEL_FRAME();
	cond_resched();
	move_ptes(mm, old_addr, new_addr);
	return PAGE_SIZE;
}

/*
 * do_munmap_vma - do_munmap of one page whose PTE is already none or is
 * zapped here: unmap_region -> zap (the export of a present PTE, the
 * mapping's reference dropped), then the VMA removed.  The model's page
 * tables are never freed (mm.h); v5.7's free_pgtables may free one and
 * gmap_unlink the guest's segment, which changes nothing the guest can
 * see (above).
 * Context: mmap_sem held for writing.
 */
static void do_munmap_vma(struct mm_struct *mm, unsigned long addr)
{
	kernel_frame("do_munmap");
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma)
		return;
	if (!pte_none(*pte_offset(mm, addr)))
		zap_one_pte(mm, addr);
	/* remove_vma_list: ordered by mmap_sem, held for writing here */
	vma->valid = false;
}

/*
 * move_vma - copy_vma (the new VMA: the old one's file, offset, sharing
 * and protection at @new_addr), move_page_tables, do_munmap of the old
 * address.  A short move (never here: the tables exist) would move the
 * PTEs back and unmap the new range instead.
 * Context: mmap_sem held for writing.  Return: @new_addr.
 */
static long move_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long old_addr,
		     unsigned long new_addr)
{
	KERNEL_FRAME();
	struct vm_area_struct *new_vma = &mm->vma[mm_addr_index(mm, new_addr)];

	/* ksm_madvise(MADV_UNMERGEABLE): VM_MERGEABLE is clear (see the header) */
	*new_vma = *vma;	/* copy_vma -> vm_area_dup, vma_link */
	new_vma->valid = true;
	move_page_tables(mm, old_addr, new_addr);
	do_munmap_vma(mm, old_addr);
	return (long)new_addr;
}

/*
 * mremap_to - the MREMAP_FIXED move: checks, the target unmapped, the VMA
 * of @addr looked up (vma_to_resize), move_vma.
 * Context: mmap_sem held for writing.
 * Return: @new_addr, -EINVAL or -EFAULT (do_mremap).
 */
static long mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
		      unsigned long new_addr, unsigned long new_len)
{
	KERNEL_FRAME();
	struct vm_area_struct *vma;

	if (new_addr & (PAGE_SIZE - 1) || new_addr >= mm->size)
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;	/* the ranges overlap */
	do_munmap_vma(mm, new_addr);
	vma = find_vma(mm, addr);	/* vma_to_resize */
	if (!vma)
		return -EFAULT;
	if (vma->hugetlb)
		return -EINVAL;
	return move_vma(mm, vma, addr, new_addr);
}

/**
 * do_mremap - mremap(@addr, @old_len, @new_len, @flags, @new_addr) of the
 * task whose mm is @mm (__do_sys_mremap with current->mm).
 * @mm: the address space; @addr: the page to move; @old_len, @new_len:
 * PAGE_SIZE; @flags: MREMAP_MAYMOVE|MREMAP_FIXED; @new_addr: the target.
 *
 * v5.7 order: the flag and alignment checks, down_write_killable(mmap_sem)
 * (never killed here), mremap_to: new_addr aligned, the two ranges must
 * not overlap, do_munmap of the target (what was mapped there goes, its
 * page exported and its reference dropped as by munmap), vma_to_resize
 * (no VMA at @addr: -EFAULT; hugetlb: -EINVAL), move_vma; up_write.
 * Context: process context, no locks held; sleeps (mmap_sem).
 * Return: @new_addr; -EINVAL (flags, lengths or alignment not modelled,
 * overlapping ranges, a hugetlb VMA); -EFAULT (no VMA at @addr).
 */
long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	kernel_frame("__do_sys_mremap");
	long ret;

	if (flags != (MREMAP_MAYMOVE | MREMAP_FIXED))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1) || old_len != PAGE_SIZE || new_len != PAGE_SIZE)
		return -EINVAL;
	down_write(&mm->mmap_sem, "__do_sys_mremap: down_write_killable(mmap_sem)");
	ret = mremap_to(mm, addr, old_len, new_addr, new_len);
	up_write(&mm->mmap_sem);
	return ret;
}
