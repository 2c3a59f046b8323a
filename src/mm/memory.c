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
 * Fork (copy_page_range -> copy_pte_range -> copy_one_pte) and COW
 * (do_wp_page -> wp_page_reuse / wp_page_copy -> cow_user_page) follow
 * v5.7 too, for anonymous private mappings; a MAP_SHARED file VMA has no
 * anon_vma, so fork copies none of its PTEs (the child faults them in) and
 * a write fault on it is wp_page_shared (page_mkwrite, dirty accounting
 * not modelled: the PTE is made writable).
 *
 * Abstracted away: TLB batching (the mapping's reference is dropped right
 * after the PTL, as tlb_finish_mmu would), swap slots are freed eagerly (try_to_free_swap as
 * if vm_swap_full()), fork of swap and migration entries (the binder
 * refuses fork beside reclaim and migrate), KSM, userfaultfd, mlock.
 *
 * Locks: mmap_sem is an rwsem (read side shared), the PTE lock a spinlock;
 * a PTE read right after taking the PTE lock is folded into the lock step:
 * every PTE write is announced and made under the same lock, so the lock
 * order already orders them.
 */
#include "lib/bug.h"
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/*
 * ==== locking primitives ====
 * Each follows its v5.7 order of checks: might_sleep() first (the sleeping
 * ones), then lockdep's acquire (inv_lockdep_check: the dependencies the
 * new lock makes with those held), then the acquisition; spin_lock() raises
 * the preempt count before all of it (__raw_spin_lock: preempt_disable,
 * spin_acquire, do_raw_spin_lock) and spin_unlock() lowers it last.
 * @caller is the model function that takes the lock (mm.h's macros).
 */

/**
 * down_read - mmap_sem for reading, writer-fair as v5.7's rwsem.
 * @sem: the lock (&mm->mmap_sem); @caller: the model function taking it.
 *
 * v5.7: __down_read() -> rwsem_read_trylock() adds RWSEM_READER_BIAS and
 * fails when the count has RWSEM_READ_FAILED_MASK: a writer holding the
 * lock, or RWSEM_FLAG_WAITERS (a writer queued by
 * rwsem_down_write_slowpath) or RWSEM_FLAG_HANDOFF; the reader then queues
 * in rwsem_down_read_slowpath behind the writer.  The model's shared
 * acquire blocks while the lock is held for writing or a writer is queued
 * (vis_lock_or_queue in down_write), so a reader arriving after a writer
 * queued waits for that writer.  Not modelled: the reader's optimistic
 * stealing before the writer sets RWSEM_FLAG_HANDOFF (rwsem_optimistic_spin
 * -> rwsem_try_read_lock_unqueued), which doc/protocol.md "mmap_sem is
 * writer-fair" argues loses no state; a reader that arrived first takes
 * the lock before the writer queues, in an interleaving of its own.
 * Context: process context, may sleep; mmap_sem not held by the caller.
 */
void (down_read)(char *sem, const char *caller)
{
	KERNEL_FRAME();
	___might_sleep("kernel/locking/rwsem.c", caller, VIS_SITE("down_read"));
	inv_lockdep_check(LC_MMAP_SEM, sem, caller, VIS_SITE("down_read"));
	vis_lock(sem, true, VIS_SITE("down_read(mmap_sem)"));
	inv_lock_acquired(LC_MMAP_SEM, sem, caller);
}

void up_read(char *sem)
{
	inv_lock_released(sem);
	vis_unlock(sem, VIS_SITE("up_read(mmap_sem)"));
}

void (spin_lock)(char *lock, const char *caller)
{
	KERNEL_FRAME();
	(preempt_disable)(caller);
	inv_lockdep_check(LC_PTL, lock, caller, VIS_SITE("spin_lock"));
	vis_lock(lock, false, VIS_SITE("spin_lock(ptl)"));
	inv_lock_acquired(LC_PTL, lock, caller);
}

/*
 * spin_lock_nested(SINGLE_DEPTH_NESTING): a second PTE lock, of another mm
 * (fork) or of another table of the same mm (mremap's move_ptes); the
 * subclass keeps lockdep from calling it recursive locking (the model's
 * dependencies skip a class nested in itself).  @what names the step.
 */
void (spin_lock_nested)(char *lock, const char *what, const char *caller)
{
	KERNEL_FRAME();
	(preempt_disable)(caller);
	inv_lockdep_check(LC_PTL, lock, caller, VIS_SITE("spin_lock_nested"));
	vis_lock(lock, false, VIS_SITE(what));
	inv_lock_acquired(LC_PTL, lock, caller);
}

/**
 * down_write - mmap_sem for writing (fork's dup_mmap; the child's is
 * _nested; mprotect), writer-fair as v5.7's rwsem.
 * @sem: the lock (&mm->mmap_sem); @what: the acquiring step's name;
 * @caller: the model function taking it.
 *
 * v5.7: __down_write() tries atomic_long_try_cmpxchg_acquire(count, 0,
 * RWSEM_WRITER_LOCKED); when the lock is taken, rwsem_down_write_slowpath
 * (after optimistic spinning, which the model folds into the attempt)
 * adds the writer to the wait list and, as its first waiter, sets
 * RWSEM_FLAG_WAITERS, which makes every later rwsem_read_trylock fail;
 * then it sleeps until rwsem_try_write_lock succeeds on a lock with no
 * active holder, and that cmpxchg clears RWSEM_FLAG_WAITERS when the
 * writer was the only waiter (list_is_singular).  The model: one step,
 * vis_lock_or_queue, that acquires a free lock or queues the writer (the
 * fast path, or the slowpath's list_add_tail and atomic_long_or of
 * RWSEM_FLAG_WAITERS: both a write of @sem), then, if queued, a blocking
 * exclusive acquire that leaves the queue in the step that takes the lock
 * (rwsem_try_write_lock), so no reader can come in between.  A free lock
 * whose queue is not empty is taken at once (v5.7's writer may steal it
 * the same way: rwsem_try_write_lock_unqueued without the handoff bit).
 * Context: process context, may sleep; mmap_sem not held by the caller.
 */
void (down_write)(char *sem, const char *what, const char *caller)
{
	KERNEL_FRAME();
	___might_sleep("kernel/locking/rwsem.c", caller, VIS_SITE("down_write"));
	inv_lockdep_check(LC_MMAP_SEM, sem, caller, VIS_SITE("down_write"));
	if (!vis_lock_or_queue(sem, VIS_SITE(what))) {
		if (vis_recording())
			vis_note("queued: RWSEM_FLAG_WAITERS set, new readers wait");
		vis_lock(sem, false,
			 VIS_SITE("rwsem_down_write_slowpath: rwsem_try_write_lock(mmap_sem)"));
	}
	inv_lock_acquired(LC_MMAP_SEM, sem, caller);
}

void up_write(char *sem)
{
	inv_lock_released(sem);
	vis_unlock(sem, VIS_SITE("up_write(mmap_sem)"));
}

void spin_unlock(char *lock)
{
	inv_lock_released(lock);
	vis_unlock(lock, VIS_SITE("spin_unlock(ptl)"));
	preempt_enable();
}

/*
 * xa_lock_irq - spin_lock_irq(&mapping->i_pages.xa_lock): interrupts off,
 * then the spinlock (preempt count raised).  Only migration takes it in
 * the model: every other writer of a slot holds the page lock, which
 * migration holds around its own section (doc/protocol.md).
 */
void (xa_lock_irq)(struct address_space *mapping, const char *caller)
{
	(local_irq_disable)(caller);
	(preempt_disable)(caller);
	inv_lockdep_check(LC_XA, &mapping->xa_lock, caller, VIS_SITE("xa_lock_irq"));
	vis_lock(&mapping->xa_lock, false, VIS_SITE("xa_lock_irq"));
	inv_lock_acquired(LC_XA, &mapping->xa_lock, caller);
}

void xa_unlock_irq(struct address_space *mapping)
{
	inv_lock_released(&mapping->xa_lock);
	vis_unlock(&mapping->xa_lock, VIS_SITE("xa_unlock_irq"));
	preempt_enable();
	local_irq_enable();
}

void (mutex_lock)(char *lock, int cls, const char *caller)
{
	KERNEL_FRAME();
	___might_sleep("kernel/locking/mutex.c", caller, VIS_SITE("mutex_lock"));
	inv_lockdep_check(cls, lock, caller, VIS_SITE("mutex_lock"));
	vis_lock(lock, false, VIS_SITE("mutex_lock"));
	inv_lock_acquired(cls, lock, caller);
}

void mutex_unlock(char *lock)
{
	inv_lock_released(lock);
	vis_unlock(lock, VIS_SITE("mutex_unlock"));
}

/**
 * pte_lockptr - the PTE lock that guards the PTE of @addr in @mm.
 * @mm: the address space; @addr: a named address of @mm.
 *
 * v5.7 with USE_SPLIT_PTE_PTLOCKS (NR_CPUS >= SPLIT_PTLOCK_CPUS, so on
 * s390): ptlock_ptr(pmd_page(*pmd)), the spinlock in the struct page of
 * the page table that maps @addr's segment.  An s390 page table maps one
 * 1 MB segment (256 PTEs), so two addresses share a lock exactly when
 * they lie in one segment of one mm; a second mapping of a page in another
 * segment, of the same mm or of another, is guarded by another lock.
 * (In an mm without PGSTEs two 2 KB tables may share one 4 KB page and
 * so one lock; the model gives every table its own: doc/protocol.md.)
 * Context: any.  Not a visible step: the tables never change here.
 * Return: the lock's identity.
 */
char *pte_lockptr(struct mm_struct *mm, unsigned long addr)
{
	int i = mm_addr_index(mm, addr);

	PVM_BUG_ON(i < 0);
	return &mm->pt[mm->pt_of[i]].ptl;
}

/**
 * find_vma - the VMA covering @addr (one per named address in the model).
 * Context: mmap_sem held.  VMAs never change during an execution, so this
 * is not a visible step.
 * Return: the VMA, or NULL (outside the mm's range, or never named).
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	int i = mm_addr_index(mm, addr);

	if (addr >= mm->size || i < 0 || !mm->vma[i].valid)
		return NULL;
	return &mm->vma[i];
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
	KERNEL_FRAME();
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
 * v5.7 has the export in each of ptep_get_and_clear(_full) (zap) and
 * ptep_clear_flush(_notify) (rmap unmap for reclaim and migration, COW):
 * @guard names the caller's (MUT_ZAP_EXPORT or MUT_CLEAR_FLUSH_EXPORT,
 * removed one at a time by `make mutants`).
 * Context: PTE lock held.  Visible steps: the PTE write, the UV call.
 * Return: the old PTE.
 */
pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep, int guard)
{
	KERNEL_FRAME();
	pte_t old;

	vis_also(VIS_KIND_READ, &mm->context);	/* mm_is_protected(): KVM_PV_DISABLE clears it */
	VIS_WRITE(ptep, "ptep_get_and_clear");
	old = *ptep;
	ptep->flags = 0;
	ptep->pfn = 0;
	if (mm_is_protected(mm) && pte_present(old) && !MUTANT_ON(MUT_NO_ZAP_EXPORT) &&
	    MUTANT_KEEP(guard))
		uv_convert_from_secure(old.pfn);
	return old;
}

/**
 * ptep_clear_flush - s390 ptep_clear_flush(): ptep_xchg_direct() to an
 * invalid PTE (IPTE: the TLBs are flushed now), then, in a protected mm
 * and for a present old PTE, uv_convert_from_secure() of the page it
 * mapped, exactly as ptep_get_and_clear() (v5.7 arch/s390/include/asm/
 * pgtable.h).  PG_arch_1 stays set.  Used by page_mkclean_one(), which
 * installs a write-protected PTE right after (src/mm/rmap.c).
 * @mm: the address space (vma->vm_mm); @addr: the address; @ptep: its PTE.
 * Context: PTE lock held; never sleeps (uv_call busy-loops).  Visible
 * steps: the PTE write, the export's UVC.
 * Return: the old PTE.
 */
pte_t ptep_clear_flush(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	KERNEL_FRAME();
	pte_t old;

	vis_also(VIS_KIND_READ, &mm->context);	/* mm_is_protected(), as above */
	VIS_WRITE(ptep, "ptep_clear_flush: ptep_xchg_direct");
	old = *ptep;
	ptep->flags = 0;
	ptep->pfn = 0;
	if (mm_is_protected(mm) && pte_present(old) && MUTANT_KEEP(MUT_CLEAR_FLUSH_EXPORT))
		uv_convert_from_secure(old.pfn);
	return old;
}

/**
 * ptep_modify_prot_start - s390 (arch/s390/mm/pgtable.c, v5.7): begin a
 * protection change of a present PTE: ptep_xchg_start (the PGSTE lock and
 * its notifier bits), ptep_flush_lazy() (the PTE invalidated, by IPTE or by
 * setting _PAGE_INVALID), no export: unlike ptep_get_and_clear() and
 * ptep_clear_flush() it has no uv_convert_from_secure(), so a secure page
 * stays secure across mprotect().
 * @mm: the address space; @addr: the address; @ptep: its PTE.
 * Context: PTE lock held (change_pte_range); preemption disabled until
 * ptep_modify_prot_commit().  Not a visible step of its own: the PTE is
 * read under the PTE lock (the lock step) and the invalid PTE it leaves is
 * replaced by the commit under the same lock; see there.
 * Return: the old PTE.
 */
pte_t ptep_modify_prot_start(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	KERNEL_FRAME();
	return *ptep;
}

/**
 * ptep_modify_prot_commit - s390: store the new PTE (pgste_set_pte,
 * pgste_set_unlock) that ptep_modify_prot_start() began.
 * @mm: the address space; @addr: the address; @ptep: its PTE;
 * @old_pte: what ptep_modify_prot_start() returned; @pte: the new PTE.
 *
 * One visible step for start and commit.  Between them v5.7's PTE is
 * invalid; the threads that take the PTE lock cannot see it, and those
 * that read the PTE without it (SIE's and the host CPU's translation,
 * gup-fast) see an invalid PTE and fault or fall back to the slow gup,
 * which take mmap_sem: mprotect() holds it for writing, so they act only
 * after the commit, on the new PTE, as a reader ordered after this step.
 * Context: PTE lock held; never sleeps.  Return: nothing.
 */
void ptep_modify_prot_commit(struct mm_struct *mm, unsigned long addr, pte_t *ptep,
			     pte_t old_pte, pte_t pte)
{
	KERNEL_FRAME();
	VIS_WRITE(ptep, "ptep_modify_prot_commit (start: ptep_flush_lazy, no export)");
	*ptep = pte;
}

/* Install a present PTE mapping @page at @addr.  PTE lock held. */
static void set_pte_page(pte_t *ptep, struct page *page, bool write)
{
	kernel_frame("set_pte_at");
	VIS_WRITE(ptep, "set_pte_at");
	ptep->flags = _PAGE_PRESENT | (write ? _PAGE_WRITE : 0);
	ptep->pfn = page->pfn;
}

/*
 * zap_file_accessed - zap_pte_range's !PageAnon(page) block, under the PTE
 * lock: set_page_dirty() for a dirty PTE, and mark_page_accessed() for a
 * young one (not in a VM_SEQ_READ VMA, which the model has not).  On s390
 * a PTE is made young: mk_pte() -> mk_pte_phys() returns pte_mkyoung().
 * v5.7 makes it old in page_referenced() (not modelled), in
 * remove_migration_pte() and fork's copy_one_pte() (pte_mkold, until the
 * next access's young fault), and in madvise/swapoff paths the model has
 * not.  The model has no young bit and calls mark_page_accessed always:
 * an over-approximation (a plain get v5.7 would skip on a PTE that
 * migration left old and nobody touched since) that can add a finding,
 * never hide one (doc/protocol.md).  Fork's old PTEs never reach here: the
 * model's file VMAs are all shared, which fork does not copy, so a child's
 * PTE maps an anonymous page.  The set_page_dirty() is not modelled: the
 * model's writeback takes every page as dirty (clear_page_dirty_for_io),
 * so it would change nothing written.
 * The race it opens, for a file page mapped in a second process too:
 *   1. guest: make_secure_pte freezes the count at expected_page_refs
 *      (both mappings and the page cache counted), under qemu's PTE lock;
 *   2. here: munmap in the other process, under that process's PTE lock:
 *      mark_page_accessed on a PG_referenced page -> activate_page ->
 *      get_page() on the frozen count (INV-05), before the zap's own
 *      put_page would meet it (second-mapping+import).
 * Context: PTE lock of @page's mapping held; the mapping's reference held.
 */
static void zap_file_accessed(struct page *page)
{
	/*
	 * PageAnon reads page->mapping, and the model's flags are one word that
	 * other threads write in their steps on the page (a pagevec drain's
	 * PG_lru): the test is a step on the page (make audit checks it).
	 */
	VIS_READ(page, "zap_pte_range: PageAnon");
	if (!PageAnon(page) && !is_zero_page(page) && !PageHuge(page))
		mark_page_accessed(page);
}

/**
 * zap_one_pte - zap_pte_range() for one PTE: clear it (exporting in a
 * protected mm), mark a file page accessed (zap_file_accessed), remove
 * the rmap, drop the mapping's reference.
 * Context: mmap_sem or i_mmap lock held by the caller; takes the PTE lock.
 */
void zap_one_pte(struct mm_struct *mm, unsigned long addr)
{
	kernel_frame("zap_pte_range");
	struct page *page = NULL;
	pte_t old;
	char *ptl = pte_lockptr(mm, addr);

	if (MUTANT_KEEP(MUT_ZAP_PTL))
		spin_lock(ptl);
	else	/* the mutant drops the lock, not the read's announcement */
		VIS_READ(pte_offset(mm, addr), "zap_pte_range: the PTE (no PTE lock)");
	if (!pte_none(*pte_offset(mm, addr))) {
		old = ptep_get_and_clear(mm, addr, pte_offset(mm, addr), MUT_ZAP_EXPORT);
		if (pte_present(old)) {
			page = pfn_to_page(old.pfn);
			zap_file_accessed(page);
			page_remove_rmap(page);
		}
	}
	if (MUTANT_KEEP(MUT_ZAP_PTL))
		spin_unlock(ptl);
	if (page)
		put_page(page, ref_obj(REF_MAP, pte_owner(mm, addr)));
}

/**
 * zap_page_pte - zap_pte_range() with details->check_mapping for one PTE:
 * clear it only if it maps @page (unmap_mapping_pages without even_cows).
 * Context: the caller holds a reference on @page; takes the PTE lock.
 */
void zap_page_pte(struct mm_struct *mm, unsigned long addr, struct page *page)
{
	kernel_frame("zap_pte_range");
	char *ptl = pte_lockptr(mm, addr);
	pte_t *ptep = pte_offset(mm, addr);
	bool zapped = false;

	spin_lock(ptl);
	if (pte_present(*ptep) && ptep->pfn == page->pfn) {
		ptep_get_and_clear(mm, addr, ptep, MUT_ZAP_EXPORT);
		zap_file_accessed(page);
		page_remove_rmap(page);
		zapped = true;
	}
	spin_unlock(ptl);
	if (zapped)
		put_page(page, ref_obj(REF_MAP, pte_owner(mm, addr)));
}

/**
 * zap_page_range - MADV_DONTNEED / munmap of one page.
 * Context: takes mmap_sem (read, as madvise(MADV_DONTNEED) in v5.7) and
 * the PTE lock.
 */
void zap_page_range(struct mm_struct *mm, unsigned long addr)
{
	KERNEL_FRAME();
	down_read(&mm->mmap_sem);
	zap_one_pte(mm, addr);
	up_read(&mm->mmap_sem);
}

/* ==== fork: copy_page_range (mm/memory.c, kernel/fork.c dup_mmap) ==== */

/**
 * copy_one_pte - copy one present PTE of @src into @dst at fork.
 * @dst: the child; @src: the parent; @addr: the address.
 *
 * v5.7 order, under both PTE locks (the child's, then the parent's
 * nested): for a COW mapping (private) with a writable PTE,
 * ptep_set_wrprotect() on the parent's PTE (s390: ptep_xchg_lazy, which
 * does not export, so a secure page stays secure and is now mapped
 * read-only); then get_page() and page_dup_rmap() for the child's
 * mapping, then set_pte_at() in the child.  The get_page() is plain: it is
 * kept off a frozen count by the parent's mmap_sem, held for writing, which
 * excludes gmap_make_secure() (mmap_sem read) of the parent; the count of a
 * page the parent maps is frozen by nobody else while its PTE is present.
 * Context: both PTE locks held; parent's and child's mmap_sem for writing.
 * Return: 0.
 */
int copy_one_pte(struct mm_struct *dst, struct mm_struct *src, unsigned long addr)
{
	KERNEL_FRAME();
	struct vm_area_struct *vma = find_vma(src, addr);
	pte_t *src_pte = pte_offset(src, addr);
	pte_t pte = *src_pte;	/* read under the PTL, in the lock step */
	struct page *page;

	if (pte_present(pte)) {
		if (!vma->shared && pte_write(pte)) {
			/* is_cow_mapping(): write-protect parent and child */
			VIS_WRITE(src_pte, "copy_one_pte: ptep_set_wrprotect (no export)");
			src_pte->flags &= ~_PAGE_WRITE;
			pte.flags &= ~_PAGE_WRITE;
		}
		page = pfn_to_page(pte.pfn);	/* vm_normal_page */
		get_page(page, ref_obj(REF_MAP, pte_owner(dst, addr)));
		page_add_rmap(page);		/* page_dup_rmap */
	}
	/* a swap or migration entry is copied as is (the binder keeps them out) */
	VIS_WRITE(pte_offset(dst, addr), "copy_one_pte: set_pte_at (child)");
	*pte_offset(dst, addr) = pte;
	return 0;
}

/**
 * dup_mmap_pages - fork's copy of @parent's mappings into @child
 * (dup_mmap -> copy_page_range -> copy_pte_range for each VMA).
 * @child: the new mm (empty); @parent: the forking process's mm.
 *
 * Context: process context; takes the parent's mmap_sem for writing, then
 * the child's (down_write_nested), and per VMA, in address order, the PTE
 * lock of the child's page table for that address, then the parent's
 * (copy_pte_range: pte_alloc_map_lock(dst_mm), then spin_lock_nested(
 * pte_lockptr(src_mm), SINGLE_DEPTH_NESTING)); both are the locks of the
 * tables of that address's segment.  A MAP_SHARED file VMA without an anon_vma
 * has no PTEs copied (copy_page_range returns 0: the child faults them
 * in).  The child is not protected: s390's init_new_context() starts
 * mm->context.is_protected at 0.
 * Return: 0.
 */
int dup_mmap_pages(struct mm_struct *child, struct mm_struct *parent)
{
	kernel_frame("dup_mmap");
	int k, i;

	down_write(&parent->mmap_sem, "dup_mmap: down_write(oldmm->mmap_sem)");
	down_write(&child->mmap_sem, "dup_mmap: down_write_nested(mm->mmap_sem)");
	for_each_mm_addr(parent, k, i) {
		unsigned long addr = parent->addr[i];
		struct vm_area_struct *vma = &parent->vma[i];
		int ci = mm_addr_index(child, addr);

		/* the binder names every address of the parent in the child */
		PVM_BUG_ON(ci < 0);
		/* vm_area_dup: ordered by the child's mmap_sem, held for writing */
		child->vma[ci] = *vma;
		child->vma[ci].locked = false;	/* dup_mmap clears VM_LOCKED in the child */
		if (!vma->valid || (vma->vm_file && vma->shared))
			continue;
		spin_lock(pte_lockptr(child, addr));
		spin_lock_nested(pte_lockptr(parent, addr), "spin_lock_nested(src ptl)");
		if (!pte_none(parent->pte[i]))
			copy_one_pte(child, parent, addr);
		spin_unlock(pte_lockptr(parent, addr));
		spin_unlock(pte_lockptr(child, addr));
	}
	up_write(&child->mmap_sem);
	up_write(&parent->mmap_sem);
	return 0;
}

/* ==== faults ==== */

/*
 * cow_user_page - copy_user_highpage(): the kernel reads @src through the
 * 1:1 map (a secure @src takes the 0x3D KERNEL_FAULT path, which exports
 * it) and writes what it read, plaintext or ciphertext, into @dst.
 * Return: true, or false when the model's re-fault bound ran out.
 */
static bool cow_user_page(struct page *dst, struct page *src)
{
	KERNEL_FRAME();
	uint32_t v = 0;
	bool cipher;

	if (host_kernel_access(src, false, 0, &v))
		return false;
	cipher = page_frame(src)->cipher;	/* same step as the read above */
	VIS_WRITE(page_frame(dst), "cow_user_page: copy_user_highpage");
	page_frame(dst)->data = v;
	page_frame(dst)->cipher = cipher;
	return true;
}

/*
 * wp_page_copy - break COW: copy @old into a new anonymous page and map it
 * writable at @addr, if the PTE is still @orig.  Entered without the PTE
 * lock, holding do_wp_page's reference on @old; drops it.  @old is NULL
 * when @orig maps the zero page (vm_normal_page found no page): the new
 * page is zeroed instead of copied and nothing of the old is dropped.
 * v5.7 order: alloc_page_vma, cow_user_page, PTE lock, pte_same,
 * ptep_clear_flush_notify (exports in a protected mm),
 * page_add_new_anon_rmap, lru_cache_add_active_or_unevictable (the new
 * page's pagevec reference), set_pte_at_notify, page_remove_rmap(old),
 * put_page(old: the mapping's reference), unlock, put_page(old: ours).
 * Return: 0, -ENOMEM.
 */
static int wp_page_copy(struct mm_struct *mm, unsigned long addr, pte_t orig,
			struct page *old)
{
	KERNEL_FRAME();
	pte_t *ptep = pte_offset(mm, addr);
	char *ptl = pte_lockptr(mm, addr);
	struct ref_tag ours = ref_thread(REF_GET);
	struct page *new;

	new = alloc_page(ref_thread(REF_ALLOC));
	if (!new) {
		if (old)
			put_page(old, ours);
		return -ENOMEM;
	}
	if (!old) {
		/* is_zero_pfn(orig): alloc_zeroed_user_highpage_movable */
		VIS_WRITE(page_frame(new), "clear_user_highpage");
		page_frame(new)->data = 0;
		page_frame(new)->cipher = false;
	} else if (!cow_user_page(new, old)) {
		/* v5.7: "COW failed ... userspace would re-fault" */
		put_page(new, ref_thread(REF_ALLOC));
		put_page(old, ours);
		return 0;
	}
	if (MUTANT_KEEP(MUT_COW_PTL))
		spin_lock(ptl);
	else	/* the mutant drops the lock, not the re-read's announcement */
		VIS_READ(ptep, "wp_page_copy: pte_same (no PTE lock)");
	if (ptep->flags == orig.flags && ptep->pfn == orig.pfn) {
		ptep_get_and_clear(mm, addr, ptep, MUT_CLEAR_FLUSH_EXPORT);	/* ptep_clear_flush_notify */
		VIS_RMW(new, "page_add_new_anon_rmap");
		__set_page_flag(new, PG_anon);
		new->_mapcount = 0;
		/* lru_cache_add_active_or_unevictable (a VM_LOCKED VMA's PG_mlocked: not modelled) */
		if (!find_vma(mm, addr)->locked)
			__set_page_flag(new, PG_active);
		lru_cache_add(new);
		set_pte_page(ptep, new, true);
		ref_transfer(new, ref_thread(REF_ALLOC), ref_obj(REF_MAP, pte_owner(mm, addr)));
		if (old) {
			page_remove_rmap(old);
			/* "Free the old page..": the old mapping's reference */
			put_page(old, ref_obj(REF_MAP, pte_owner(mm, addr)));
		}
	} else {
		put_page(new, ref_thread(REF_ALLOC));
	}
	if (MUTANT_KEEP(MUT_COW_PTL))
		spin_unlock(ptl);
	if (old)
		put_page(old, ours);
	return 0;
}

/*
 * do_wp_page - a write fault on a present, write-protected PTE.  Entered
 * with the PTE lock held and the PTE @orig; drops the lock.
 *
 * An anonymous page is reused when nobody else maps it (reuse_swap_page:
 * mapcount + swap count <= 1, decided under the page lock), else copied.
 * Why the reference before the copy (v5.7 "get_page(vmf->page)" at copy:):
 *   1. here: PTE lock dropped for the allocation and the copy;
 *   2. other: the last other mapping goes, the page is freed and reused;
 *   3. here: cow_user_page() would copy a stranger's page.
 * The get is plain.  An import through this mm cannot have the count
 * frozen (make_secure_pte holds this PTE lock across its freeze).  One
 * through another mm needs a present writable PTE there; after fork the
 * parent's PTE of a page the child still maps is read-only until the
 * parent's own COW, and reuse needs mapcount 1, so an anonymous page is
 * never frozen through another mm while this one maps it (catalog
 * fork+cow+import).  A shared file mapping is wp_page_shared: made writable.
 * Return: 0, -ENOMEM.
 */
static int do_wp_page(struct mm_struct *mm, unsigned long addr, struct vm_area_struct *vma,
		      pte_t orig)
{
	KERNEL_FRAME();
	pte_t *ptep = pte_offset(mm, addr);
	char *ptl = pte_lockptr(mm, addr);
	struct page *page = pfn_to_page(orig.pfn);	/* vm_normal_page */
	bool anon, reuse;

	VIS_READ(page, "do_wp_page: PageAnon");
	if (is_zero_page(page)) {
		/*
		 * vm_normal_page() is NULL for the zero pfn (a special PTE); in
		 * a private VMA the fault copies (the binder allows the zero
		 * page in no shared one): wp_page_copy zeroes a new page.
		 */
		spin_unlock(ptl);
		return wp_page_copy(mm, addr, orig, NULL);
	}
	anon = PageAnon(page);
	if (anon) {
		if (!trylock_page(page)) {
			get_page(page, ref_thread(REF_GET));
			spin_unlock(ptl);
			lock_page(page);
			spin_lock(ptl);
			if (ptep->flags != orig.flags || ptep->pfn != orig.pfn) {
				unlock_page(page);
				spin_unlock(ptl);
				put_page(page, ref_thread(REF_GET));
				return 0;
			}
			put_page(page, ref_thread(REF_GET));
		}
		/* reuse_swap_page(): the swap count of a mapped page is 0 here */
		VIS_READ(page, "reuse_swap_page: page_mapcount");
		reuse = page_mapcount(page) <= 1;
		if (reuse && PageSwapCache(page) && !PageWriteback(page)) {
			delete_from_swap_cache(page);
			VIS_RMW(page, "reuse_swap_page: SetPageDirty");
			__set_page_flag(page, PG_dirty);
		}
		if (reuse) {
			unlock_page(page);
			VIS_WRITE(ptep, "do_wp_page: wp_page_reuse");
			ptep->flags |= _PAGE_WRITE;
			spin_unlock(ptl);
			return 0;
		}
		unlock_page(page);
	} else if (vma->shared) {
		/* wp_page_shared -> wp_page_reuse (page_mkwrite not modelled) */
		VIS_WRITE(ptep, "do_wp_page: wp_page_shared");
		ptep->flags |= _PAGE_WRITE;
		spin_unlock(ptl);
		return 0;
	}
	/* copy: */
	get_page(page, ref_thread(REF_GET));
	spin_unlock(ptl);
	return wp_page_copy(mm, addr, orig, page);
}

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
	KERNEL_FRAME();
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
		/*
		 * __read_swap_cache_async: lru_cache_add_anon, a plain get into
		 * this CPU's lru_add pagevec (PG_lru comes with the drain), while
		 * the allocation's reference keeps any freeze away; then the read.
		 */
		lru_cache_add(page);
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
	set_pte_page(ptep, page, !find_vma(mm, addr)->readonly);
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
	KERNEL_FRAME();
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
		if ((flags & FAULT_FLAG_WRITE) && !pte_write(entry))
			return do_wp_page(mm, addr, vma, entry);
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
		/*
		 * do_read_fault maps vm_page_prot, read-only in a shared file
		 * VMA with write notification (vma_wants_writenotify: the file
		 * has ->page_mkwrite); do_shared_fault (a write) makes it
		 * writable and dirty (alloc_set_pte: maybe_mkwrite(pte_mkdirty)).
		 */
		set_pte_page(ptep, page, !vma->readonly && (flags & FAULT_FLAG_WRITE));
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
	if (!vma->locked)	/* a VM_LOCKED VMA's PG_mlocked: not modelled */
		__set_page_flag(page, PG_active);
	/*
	 * lru_cache_add_active_or_unevictable: SetPageActive, then a plain get_page() into this
	 * CPU's lru_add pagevec, before set_pte_at(), so no import can have
	 * the count frozen (it finds the page only through the PTE).  The
	 * reference stays until a drain: the vCPU's first import of the page
	 * fails with -EBUSY unless the pagevec was drained, and its
	 * lru_add_drain() helps only when it faulted the page in itself.
	 */
	lru_cache_add(page);
	/* do_anonymous_page: pte_mkwrite() only if vm_flags has VM_WRITE */
	set_pte_page(ptep, page, !vma->readonly);
	ref_transfer(page, ref_thread(REF_ALLOC), ref_obj(REF_MAP, pte_owner(mm, addr)));
	spin_unlock(ptl);
	return 0;
}
