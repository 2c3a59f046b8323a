// SPDX-License-Identifier: MIT
/*
 * mprotect.c - mprotect(2) of one page: the VMA's new permissions and its
 * PTE changed under the PTE lock.
 *
 * Follows mm/mprotect.c as of v5.7 (5.7.14 tree): do_mprotect_pkey()
 * takes mmap_sem for writing, mprotect_fixup() writes vm_flags and
 * vm_page_prot, change_protection() -> change_pte_range() changes each
 * present PTE under its PTE lock with ptep_modify_prot_start() /
 * pte_modify() / ptep_modify_prot_commit(), the s390 versions of
 * arch/s390/mm/pgtable.c, which do not export: a secure page stays secure
 * and mapped, read-only after PROT_READ.  The import's follow_page(
 * FOLL_WRITE) then finds no page, gmap_fault(FAULT_FLAG_WRITE) is refused
 * by vma_permits_fault, and do_non_secure_storage_access drops the -EFAULT:
 * the vCPU re-executes for ever (catalog mprotect+import).
 *
 * What v5.7 computes, for the two protections modelled (PROT_READ and
 * PROT_READ|PROT_WRITE; s390 protection_map: __P011 = PAGE_RO, __S011 =
 * PAGE_RW):
 *   - PROT_READ: every present PTE write-protected; pte_modify() keeps
 *     _PAGE_DIRTY, so a dirty PTE stays dirty (page_mkclean still cleans
 *     it, exporting);
 *   - PROT_READ|PROT_WRITE: vm_page_prot is read-only for a private VMA
 *     (PAGE_COPY) and for a shared file VMA with write notification
 *     (vma_wants_writenotify: the file has ->page_mkwrite); in the latter
 *     MM_CP_DIRTY_ACCT makes a dirty PTE writable again (pte_mkwrite).
 *     Every other PTE stays write-protected until a write fault
 *     (do_wp_page: reuse, copy or wp_page_shared).
 *
 * Abstracted away: one page (one VMA per address in the model: no
 * split_vma/vma_merge), PROT_NONE, PROT_EXEC and pkeys, VM_LOCKED
 * populate, NUMA hinting (prot_numa), userfaultfd, the accounting of
 * private writable mappings (VM_ACCOUNT, security_vm_enough_memory),
 * device-private entries, the soft-dirty and uffd-wp bits of a migration
 * entry, flush_tlb_range (a no-op on s390: ptep_modify_prot_start
 * flushed).  Every VMA may be made writable (VM_MAYWRITE: the file is open
 * for writing, as QEMU's memory backend is).
 */
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/*
 * change_pte_range - the PTE of @addr under its PTE lock: a present PTE
 * gets its new protection (@write: the VMA has VM_WRITE; @dirty_acct:
 * MM_CP_DIRTY_ACCT); a write migration entry becomes a read one whatever
 * the new protection (v5.7 does not work out whether the new one would
 * allow the write, it drops it); a swap entry is left as it is.  The race
 * this and remove_migration_pte's maybe_mkwrite each close on their own:
 *   1. compaction: try_to_unmap stores a write migration entry;
 *   2. here:       mprotect(PROT_READ) clears VM_WRITE;
 *   3. compaction: remove_migration_pte restores the entry's write bit:
 *                  a writable PTE in a read-only VMA, unless the entry
 *                  was made a read one (here) or maybe_mkwrite sees
 *                  VM_WRITE clear (there).
 * Return: the number of PTEs changed (0 or 1).
 */
static unsigned long change_pte_range(struct mm_struct *mm, unsigned long addr, bool write,
				      bool dirty_acct)
{
	KERNEL_FRAME();
	char *ptl = pte_lockptr(mm, addr);
	pte_t *ptep = pte_offset(mm, addr);
	unsigned long pages = 0;
	pte_t oldpte, ptent;

	if (MUTANT_KEEP(MUT_MPROTECT_PTL))
		spin_lock(ptl);		/* pte_offset_map_lock; oldpte = *pte in the lock step */
	else	/* the mutant drops the lock, not the read's announcement */
		VIS_READ(ptep, "change_pte_range: the PTE (no PTE lock)");
	if (pte_present(*ptep)) {
		oldpte = ptep_modify_prot_start(mm, addr, ptep);
		/*
		 * pte_modify(oldpte, newprot): newprot is read-only (PAGE_RO)
		 * but for a shared VMA without write notification, which the
		 * model has not; _PAGE_DIRTY is in _PAGE_CHG_MASK and kept
		 * (a writable shared file PTE is dirty: mm.h _PAGE_DIRTY).
		 */
		ptent = oldpte;
		if (pte_dirty(oldpte))
			ptent.flags |= _PAGE_DIRTY;
		ptent.flags &= ~(unsigned int)_PAGE_WRITE;
		/* a page already dirty and accounted keeps its write bit: no fault to mark it again */
		if (write && dirty_acct && pte_dirty(ptent))
			ptent.flags |= _PAGE_WRITE;	/* pte_mkwrite */
		if (pte_write(ptent))
			ptent.flags &= ~(unsigned int)_PAGE_DIRTY;	/* implied: mm.h */
		ptep_modify_prot_commit(mm, addr, ptep, oldpte, ptent);
		pages++;
	} else if ((ptep->flags & _PAGE_SWP) && ptep->pfn < 0 && pte_write(*ptep)) {
		/* is_write_migration_entry: make_migration_entry_read, set_pte_at */
		VIS_WRITE(ptep, "change_pte_range: make_migration_entry_read");
		ptep->flags &= ~(unsigned int)_PAGE_WRITE;
		pages++;
	}
	if (MUTANT_KEEP(MUT_MPROTECT_PTL))
		spin_unlock(ptl);
	return pages;
}

/**
 * change_protection - change_protection_range() of one page: the walk
 * down to change_pte_range(), then flush_tlb_range() if a PTE changed
 * (a no-op on s390).
 * @mm: the address space; @addr: the page; @write: the VMA's VM_WRITE;
 * @dirty_acct: MM_CP_DIRTY_ACCT.
 * Context: mmap_sem held for writing; takes the PTE lock.
 * Return: the number of PTEs changed.
 */
static unsigned long change_protection(struct mm_struct *mm, unsigned long addr, bool write,
				       bool dirty_acct)
{
	KERNEL_FRAME();
	return change_pte_range(mm, addr, write, dirty_acct);
}

/*
 * mprotect_fixup - the VMA of @addr gets @write as VM_WRITE; nothing to do
 * if it has it already (newflags == oldflags).  The VMA is written under
 * mmap_sem held for writing, which every reader of a VMA in the model
 * holds for reading (gmap_fault, do_exception, gup's check_vma_flags,
 * handle_mm_fault) or for writing (fork's vm_area_dup).
 * Return: 0.
 */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long addr, bool write)
{
	KERNEL_FRAME();
	bool dirty_acct;

	if (vma->readonly == !write)
		return 0;
	/*
	 * vma->vm_flags = newflags: a step on the VMA, because compaction's
	 * remove_migration_pte reads VM_WRITE (maybe_mkwrite) without mmap_sem
	 */
	VIS_WRITE(vma, "mprotect_fixup: vma->vm_flags = newflags");
	vma->readonly = !write;
	/* vma_wants_writenotify: VM_WRITE|VM_SHARED and ->page_mkwrite (a file) */
	dirty_acct = write && vma->shared && vma->vm_file;
	change_protection(mm, addr, write, dirty_acct);
	return 0;
}

/**
 * do_mprotect_pkey - mprotect(@start, @len, @prot) with no pkey.
 * @mm: the calling process's mm (current->mm); @start: a page address;
 * @len: PAGE_SIZE (one page); @prot: PROT_READ or PROT_READ|PROT_WRITE.
 *
 * v5.7 order: argument checks, down_write_killable(&mm->mmap_sem) (never
 * killed here), find_vma (none, or one that starts above @start: -ENOMEM),
 * mprotect_fixup of the VMA, up_write.
 * Context: process context, no locks held; sleeps (mmap_sem).
 * Return: 0; -EINVAL (unaligned @start, a length other than one page, a
 * protection not modelled); -ENOMEM (no VMA at @start).
 */
int do_mprotect_pkey(struct mm_struct *mm, unsigned long start, unsigned long len,
		     unsigned long prot)
{
	KERNEL_FRAME();
	struct vm_area_struct *vma;
	int error;

	if (start & (PAGE_SIZE - 1) || len != PAGE_SIZE)
		return -EINVAL;
	if (prot != PROT_READ && prot != (PROT_READ | PROT_WRITE))
		return -EINVAL;
	down_write(&mm->mmap_sem, "do_mprotect_pkey: down_write_killable(mmap_sem)");
	error = -ENOMEM;
	vma = find_vma(mm, start);
	if (!vma)
		goto out;
	error = mprotect_fixup(mm, vma, start, prot & PROT_WRITE);
out:
	up_write(&mm->mmap_sem);
	return error;
}
