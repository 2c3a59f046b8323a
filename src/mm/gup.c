// SPDX-License-Identifier: MIT
/*
 * gup.c - get_user_pages and pin_user_pages, slow and fast.
 *
 * Follows mm/gup.c as of v5.7 with the hooks of f28d43636d6f
 * (<20200306132537.783769-3-imbrenda@linux.ibm.com>): follow_page_pte()
 * takes the reference with try_grab_page() under the PTE lock and then,
 * for FOLL_PIN only, calls arch_make_page_accessible() still under the PTE
 * lock; gup_pte_range() (gup-fast, no locks, IRQs off) grabs
 * speculatively, re-checks the PTE, then calls the hook for FOLL_PIN.
 * FOLL_GET callers get no hook (the position John Hubbard's
 * <0b7c0575-5d31-e34a-13bf-f2e67c5aa3d4@nvidia.com> kept).
 *
 * Knobs: foll_get_hook=on calls the hook for FOLL_GET too (Dave Hansen's
 * request); gup_hook_order=before calls it before the reference is taken
 * (the broken order).
 *
 * Ranges (v5.7): every entry point takes @start and @nr_pages and fills
 * @pages[] in address order.  The slow walk (__get_user_pages) stops at
 * the first page it cannot take and returns the pages taken, or the error
 * if none; the fast walk (gup_pgd_range -> gup_pmd_range -> gup_pte_range)
 * walks one page table (1 MB segment on s390) at a time, and
 * internal_get_user_pages_fast() hands what it did not take to the slow
 * walk.  gup_pte_range() keeps v5.7's return convention on a failed hook:
 * it returns the hook's error, which gup_pmd_range() reads as "this table
 * is done, go on with the next" (see there).
 *
 * Abstracted away: compound pages, FOLL_LONGTERM, mlock (FOLL_MLOCK),
 * VM_FAULT_RETRY (a model fault never drops mmap_sem), the vmas[] array.
 */
#include <limits.h>
#include <string.h>
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

/* s390 _REGION2_SIZE: the asce_limit of a 3-level task (init_new_context). */
#define S390_ASCE_LIMIT_3LEVEL	(1UL << 42)

/**
 * gup_log_reset - empty the calling thread's gup log.
 *
 * Ghost (not kernel state): the log of the pages the thread's current gup
 * call took, each with the address it was mapped at when the grab
 * succeeded, or grabbed and put back after a failed hook (INV-13).  Every
 * entry point resets it; the consumer reads it (inv_dma_addr) and resets
 * it after its unpin.  The whole log is cleared, not only its count, so
 * that two states differing only in a stale entry are one state.
 * Context: any; the thread's own record, no visible step.
 * Return: nothing.
 */
void gup_log_reset(void)
{
	struct mdl_thread *t = mdl_current();

	memset(t->gup_log, 0, sizeof(t->gup_log));
	t->ngup = 0;
}

static void gup_log_add(struct mm_struct *mm, unsigned long addr, struct page *page,
			bool dropped)
{
	struct mdl_thread *t = mdl_current();

	if (t->ngup >= MDL_GUP_LOG)
		vis_limit("gup-log", VIS_SITE("gup"), "one gup call took more than %d pages "
			  "(MDL_GUP_LOG)", MDL_GUP_LOG);
	t->gup_log[t->ngup].mm = mm->id;
	t->gup_log[t->ngup].pfn = page->pfn;
	t->gup_log[t->ngup].addr = addr;
	t->gup_log[t->ngup].dropped = dropped;
	t->gup_log[t->ngup].stale = false;
	t->ngup++;
}

static struct ref_tag gup_tag(unsigned int flags)
{
	return ref_thread((flags & FOLL_PIN) ? REF_PIN : REF_GUP);
}

static bool gup_wants_hook(unsigned int flags)
{
	if (flags & FOLL_PIN)
		return true;
	return (flags & FOLL_GET) && mdl_knob_val(KNOB_FOLL_GET_HOOK);
}

static bool hook_before(void)
{
	return mdl_knob_val(KNOB_GUP_HOOK_ORDER) == 1;
}

/* Drop what try_grab_page()/try_grab_compound_head() took. */
static void gup_put(struct page *page, unsigned int flags)
{
	if (flags & FOLL_PIN)
		unpin_user_page(page, gup_tag(flags));
	else
		put_page(page, gup_tag(flags));
}

/* spin_unlock of follow_page_pte's PTE lock, unless the mutant removed it. */
static void gup_pte_unlock(char *ptl)
{
	if (MUTANT_KEEP(MUT_GUP_PTL))
		spin_unlock(ptl);
}

/**
 * no_page_table - what a follow of an address with no page to give
 * answers: v5.7's choice between "fault it in" and "an error" for
 * FOLL_DUMP (move_pages, core dumps), which must not fault in a hole.
 * @vma: the VMA of the address; @flags: the FOLL_* flags.
 *
 * v5.7 tests for a VMA without ->fault; in the model that is an anonymous
 * VMA (no vm_file: no vm_ops), a file VMA has one.  Called for an empty
 * PTE (pte_none), never for a swap PTE, which is NULL (fault it in).
 * Context: any; reads the VMA only, which never changes: no visible step.
 * Return: -EFAULT (ERR_PTR) for FOLL_DUMP on an anonymous VMA, else 0
 * (NULL).
 */
int no_page_table(const struct vm_area_struct *vma, unsigned int flags)
{
	return (flags & FOLL_DUMP) && !vma->vm_file ? -EFAULT : 0;
}

/**
 * gup_pmd_of - the page table (v5.7's pmd entry) that holds the PTE of
 * @addr, as follow_pmd_mask hands it to follow_page_pte.
 * @mm: the address space; @addr: a named address of @mm.
 * Context: any; the tables never change (mm.h): no visible step.
 * Return: the table.
 */
struct pte_table *gup_pmd_of(struct mm_struct *mm, unsigned long addr)
{
	int i = mm_addr_index(mm, addr);

	PVM_BUG_ON(i < 0);
	return &mm->pt[mm->pt_of[i]];
}

/*
 * A user's follow_page_pte (--patch FILE.c, src/paths), or NULL.  v5.7's
 * is static in mm/gup.c, reached from follow_page_mask (follow_page, the
 * import's walk, move_pages, the vCPU's 0x3D handler) and from
 * __get_user_pages (every slow gup and the fallback of gup-fast): all of
 * them come through follow_page_pte() below, so a patch replaces it for
 * every one.  The knobs foll_get_hook and gup_hook_order and the mutants
 * of this function are inside it: a patch replaces them too.
 */
struct page *(*gup_patch_follow_page_pte)(struct vm_area_struct *vma, unsigned long address,
					  struct pte_table *pmd, unsigned int flags,
					  struct dev_pagemap **pgmap);

/**
 * patched_follow_page_pte - run the user's follow_page_pte for @addr of
 * @vma in @mm with @flags, and turn v5.7's calling convention (the page,
 * NULL, or an ERR_PTR) into the model's (a page or NULL, the error in
 * *@err).  What the patch returns must be NULL, an errno or a page of the
 * world: anything else would be dereferenced by the caller, the oops
 * v5.7 would have, reported in the patch.
 *
 * Context: as follow_page_pte(); the patch's steps are its own calls.
 * Return: the page, or NULL with *@err 0 or the patch's errno.
 */
static struct page *patched_follow_page_pte(struct vm_area_struct *vma, struct mm_struct *mm,
					    unsigned long addr, unsigned int flags, int *err)
{
	struct dev_pagemap *pgmap = NULL;	/* follow_page_mask's ctx.pgmap */
	struct page *page;

	vis_note("follow_page_pte: the user's patch");
	page = gup_patch_follow_page_pte(vma, addr, gup_pmd_of(mm, addr), flags, &pgmap);
	if ((uintptr_t)page >= (uintptr_t)-4095) {	/* IS_ERR: MAX_ERRNO */
		*err = (int)(intptr_t)page;
		return NULL;
	}
	if (page && !mdl_world_page(page))
		vis_fail("oops", VIS_SITE("follow_page_pte"), "follow_page_pte (patched) returns "
			 "%p, which is neither NULL, nor an ERR_PTR, nor a page of the world",
			 (void *)page);
	return page;
}

/*
 * follow_page_pte - the page mapped at @addr of @vma, with a reference or
 * pin when FOLL_GET/FOLL_PIN.
 *
 * Context: mmap_sem held (read); takes and drops the PTE lock of @addr.
 * Return: the page, or NULL with *@err 0 (not present, not writable) or
 * a negative errno (v5.7's ERR_PTR: the grab's -ENOMEM, the hook's error,
 * no_page_table()'s -EFAULT).  A patch of it (--patch) answers instead.
 */
static struct page *follow_page_pte(struct vm_area_struct *vma, struct mm_struct *mm,
				    unsigned long addr, unsigned int flags, int *err)
{
	KERNEL_FRAME();
	char *ptl;
	struct page *page;
	pte_t pte;
	int ret;

	*err = 0;
	if (gup_patch_follow_page_pte)
		return patched_follow_page_pte(vma, mm, addr, flags, err);
	ptl = pte_lockptr(mm, addr);
	if (!(flags & (FOLL_GET | FOLL_PIN | FOLL_TOUCH))) {
		/*
		 * No reference taken and no touch: the PTL section touches only
		 * the PTE, so lock + read + unlock is one visible read of the PTE.
		 */
		VIS_READ(pte_offset(mm, addr), "follow_page_pte");
		pte = *pte_offset(mm, addr);
		if (!pte_present(pte) || ((flags & FOLL_WRITE) && !pte_write(pte)))
			return NULL;
		return pfn_to_page(pte.pfn);
	}
	if (MUTANT_KEEP(MUT_GUP_PTL))
		spin_lock(ptl);
	pte = *pte_offset(mm, addr);
	if (!pte_present(pte) || ((flags & FOLL_WRITE) && !pte_write(pte))) {
		gup_pte_unlock(ptl);
		/*
		 * no_page: no_page_table() for a pte_none() PTE; with FOLL_DUMP
		 * (move_pages) a VMA without ->fault (anonymous: no vm_ops)
		 * gives ERR_PTR(-EFAULT), a file VMA (->fault) NULL
		 */
		if (pte_none(pte))
			*err = no_page_table(vma, flags);
		return NULL;
	}
	page = pfn_to_page(pte.pfn);
	if (gup_wants_hook(flags) && hook_before()) {
		/* Broken order: the page can become secure before the grab. */
		ret = arch_make_page_accessible(page);
		if (ret) {
			gup_pte_unlock(ptl);
			*err = ret;
			return NULL;
		}
	}
	/* under the PTE lock the mapping's reference keeps the count above 0: the grab succeeds */
	if (MUTANT_KEEP(MUT_GUP_PTL_GRAB) && !try_grab_page(page, flags, gup_tag(flags))) {
		gup_pte_unlock(ptl);
		*err = -ENOMEM;
		return NULL;
	}
	/*
	 * the hook only for FOLL_PIN, whose caller touches the content
	 * (f28d43636d6f; FOLL_GET callers get none, knob foll_get_hook)
	 */
	if (MUTANT_KEEP(MUT_GUP_HOOK) && gup_wants_hook(flags) && !hook_before()) {
		ret = arch_make_page_accessible(page);
		if (ret) {
			gup_put(page, flags);
			gup_log_add(mm, addr, page, true);
			gup_pte_unlock(ptl);
			*err = ret;
			return NULL;
		}
	}
	/*
	 * FOLL_TOUCH, which get_user_pages and the _fast forms' fallback
	 * get_user_pages_unlocked add (v5.7's pin_user_pages does not):
	 * set_page_dirty() if FOLL_WRITE found a clean PTE, which cannot be
	 * in the model (FOLL_WRITE needed pte_write, and pte_dirty() is true
	 * for a writable PTE; v5.7 has clean writable PTEs in shared VMAs
	 * without write notification, shmem, which the model has not, and
	 * there it only sets PG_dirty), then mark_page_accessed(), still
	 * under the PTE lock.  Its activate_page() get_page() is plain, and
	 * the grab above is what keeps it off a frozen count, also in a
	 * second mm whose PTE lock the import does not take (a follow_page
	 * with FOLL_TOUCH and no FOLL_GET, from a user path, has no grab:
	 * there the get can meet the freeze, as in v5.7):
	 *   1. here:   try_grab_page: the count is E + 1, E being what
	 *              expected_page_refs() computes (the grab is no mapping);
	 *   2. import: page_ref_freeze(page, E) fails from here on (-EBUSY);
	 *   3. here:   activate_page: get_page into this CPU's pagevec, E + 2;
	 *   4. caller: put_page, E + 1: the pagevec's reference alone still
	 *              fails the freeze until gmap_make_secure's -EBUSY path
	 *              drains this CPU (lru_add_drain_all).
	 */
	if (flags & FOLL_TOUCH)
		mark_page_accessed(page);
	gup_pte_unlock(ptl);
	return page;
}

/**
 * follow_page - look up the page mapped at @addr.
 * @vma: its VMA; @mm: the address space; @addr: the address;
 * @foll_flags: FOLL_WRITE, FOLL_GET, FOLL_PIN, FOLL_TOUCH.
 *
 * Context: mmap_sem held.  Without FOLL_GET/FOLL_PIN no reference is
 * taken: the result is only stable while something else keeps the page.
 * Return: the page, or NULL (not present, not writable, hook failed).
 */
struct page *follow_page(struct vm_area_struct *vma, struct mm_struct *mm,
			 unsigned long addr, unsigned int foll_flags)
{
	int err;

	return follow_page_mask(vma, mm, addr, foll_flags, &err);
}

/**
 * follow_page_mask - follow_page() with its ERR_PTR: the page, or NULL
 * with *@err 0 (nothing mapped, not writable) or a negative errno (v5.7's
 * ERR_PTR: -EFAULT for FOLL_DUMP on an unpopulated anonymous PTE, the
 * grab's -ENOMEM, the hook's error).
 * @vma: the VMA of @addr; @mm: its mm; @addr: the address;
 * @foll_flags: FOLL_WRITE, FOLL_GET, FOLL_PIN, FOLL_DUMP; @err: the error.
 *
 * v5.7's follow_page_mask walks pgd/p4d/pud/pmd down to follow_page_pte
 * (no huge or devmap levels in the model).  FOLL_GET takes the reference
 * with try_grab_page() under the PTE lock and calls no
 * arch_make_page_accessible() (only FOLL_PIN does, mm/gup.c:
 * "if (flags & FOLL_PIN) { ret = arch_make_page_accessible(page); ..."),
 * unless knob foll_get_hook.
 * Context: mmap_sem held (read); takes and drops the PTE lock.
 * Return: the page (with a reference for FOLL_GET/FOLL_PIN), or NULL.
 */
struct page *follow_page_mask(struct vm_area_struct *vma, struct mm_struct *mm,
			      unsigned long addr, unsigned int foll_flags, int *err)
{
	KERNEL_FRAME();
	*err = 0;
	if (!vma)
		return NULL;
	return follow_page_pte(vma, mm, addr, foll_flags, err);
}

/*
 * check_vma_flags - may gup use @vma with @gup_flags?  v5.7 refuses
 * FOLL_WRITE on a VMA without VM_WRITE unless FOLL_FORCE (no FOLL_FORCE in
 * the model).  Return: 0 or -EFAULT.
 */
static int check_vma_flags(const struct vm_area_struct *vma, unsigned int gup_flags)
{
	if ((gup_flags & FOLL_WRITE) && vma->readonly)
		return -EFAULT;
	return 0;
}

/*
 * __get_user_pages - the slow walk over @nr_pages pages from @start, one
 * page after the other: find the VMA, follow the PTE, fault it in until
 * the follow succeeds, store the page, next address.
 *
 * The "retry:" label: faultin_page() returning 0 sends v5.7 back to
 * follow_page_mask() with no limit on the number of rounds.  A round that
 * ends in "retry" changes nothing the next round reads unless another
 * thread moved the PTE, so a page that can be faulted in but never followed
 * makes the thread return to the same state: the stateful search sees the
 * cycle, the stateless one the step bound, and both report no-progress
 * (doc/protocol.md "Retry loops").  fatal_signal_pending() is never true
 * here; cond_resched() is not a step.  One VMA per address in the model,
 * so v5.7's "cross vma bound" lookup happens at every page.
 *
 * Context: mmap_sem held (read).
 * Return: v5.7's "i ? i : ret": the number of pages stored in @pages if
 * any, else the error that stopped the walk: -EFAULT (no VMA, hugetlb,
 * FOLL_WRITE on a VMA without VM_WRITE, fault failed), -ENOMEM, the hook's
 * -EINVAL; 0 for @nr_pages 0.
 */
static long __get_user_pages(struct mm_struct *mm, unsigned long start,
			     unsigned long nr_pages, unsigned int gup_flags,
			     struct page **pages)
{
	KERNEL_FRAME();
	long ret = 0, i = 0;

	if (!nr_pages)
		return 0;
	do {
		struct vm_area_struct *vma = find_vma(mm, start);
		struct page *page;
		int err;

		/* find_extend_vma; no gate area on s390 */
		if (!vma || check_vma_flags(vma, gup_flags)) {
			ret = -EFAULT;
			goto out;
		}
		if (vma->hugetlb) {
			/* follow_hugetlb_page: not modelled (PV guests have no hugetlb) */
			ret = -EFAULT;
			goto out;
		}
		for (;;) {	/* retry: */
			page = follow_page_pte(vma, mm, start, gup_flags, &err);
			if (page)
				break;
			if (err) {
				/* IS_ERR(page): the hook failed, or the grab */
				ret = err;
				goto out;
			}
			/* faultin_page(): 0 is "goto retry"; -ENOMEM and -EFAULT end it */
			ret = handle_mm_fault(mm, start, (gup_flags & FOLL_WRITE) ? FAULT_FLAG_WRITE : 0);
			if (ret)
				goto out;
		}
		pages[i] = page;
		gup_log_add(mm, start, page, false);
		i++;
		start += PAGE_SIZE;
		nr_pages--;
	} while (nr_pages);
out:
	return i ? i : ret;
}

/*
 * __get_user_pages_locked - with @locked NULL (get_user_pages,
 * pin_user_pages) v5.7 returns __get_user_pages()'s answer as it is; with
 * a @locked of 1 (get_user_pages_unlocked) and no VM_FAULT_RETRY (the
 * model's faults never drop mmap_sem) its loop runs once and returns the
 * same.  FOLL_GET is added when pages are wanted and FOLL_PIN is not set.
 */
static long __get_user_pages_locked(struct mm_struct *mm, unsigned long start,
				    unsigned long nr_pages, struct page **pages,
				    unsigned int flags)
{
	KERNEL_FRAME();
	if (pages && !(flags & FOLL_PIN))
		flags |= FOLL_GET;
	return __get_user_pages(mm, start, nr_pages, flags, pages);
}

/**
 * get_user_pages - FOLL_GET gup of @nr_pages pages from @start, slow path.
 * @mm: the address space (v5.7: current->mm); @start: a byte address;
 * @nr_pages: pages wanted; @gup_flags: FOLL_WRITE; @pages: receives them.
 *
 * Context: takes mmap_sem (read) around the walk (a v5.7 caller holds it
 * across the call) and each PTE lock in turn.  No hook (v5.7).
 * Return: the number of pages taken (fewer than @nr_pages when the walk
 * stopped early), else a negative errno; -EINVAL with FOLL_PIN.
 */
long get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages)
{
	KERNEL_FRAME();
	long rc;

	if (gup_flags & FOLL_PIN)	/* WARN_ON_ONCE */
		return -EINVAL;
	gup_log_reset();
	down_read(&mm->mmap_sem);
	/* __gup_longterm_locked without FOLL_LONGTERM */
	rc = __get_user_pages_locked(mm, start, nr_pages, pages, gup_flags | FOLL_TOUCH);
	up_read(&mm->mmap_sem);
	return rc;
}

/**
 * pin_user_pages - FOLL_PIN gup of a range, slow path; each page is made
 * accessible under its PTE lock after the pin is taken.
 * Context and Return: as get_user_pages(); -EINVAL with FOLL_GET.
 */
long pin_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages)
{
	KERNEL_FRAME();
	long rc;

	if (gup_flags & FOLL_GET)	/* WARN_ON_ONCE: mutually exclusive */
		return -EINVAL;
	gup_log_reset();
	down_read(&mm->mmap_sem);
	/* no FOLL_TOUCH: v5.7's pin_user_pages, unlike get_user_pages, adds none */
	rc = __get_user_pages_locked(mm, start, nr_pages, pages, gup_flags | FOLL_PIN);
	up_read(&mm->mmap_sem);
	return rc;
}

/*
 * get_user_pages_unlocked - mmap_sem around __get_user_pages_locked(), as
 * v5.7's (its @locked stays 1 in the model: no VM_FAULT_RETRY).
 */
static long get_user_pages_unlocked(struct mm_struct *mm, unsigned long start,
				    unsigned long nr_pages, struct page **pages,
				    unsigned int gup_flags)
{
	KERNEL_FRAME();
	long ret;

	down_read(&mm->mmap_sem);
	ret = __get_user_pages_locked(mm, start, nr_pages, pages, gup_flags | FOLL_TOUCH);
	up_read(&mm->mmap_sem);
	return ret;
}

/*
 * gup_pte_range - gup-fast over the PTEs of one page table, [@addr, @end)
 * inside one segment: no mmap_sem, no PTL, interrupts off.
 *
 * Why the hook comes after the grab (v5.7 order):
 *   1. here:  page = pte_page(READ_ONCE(*ptep));
 *   2. here:  try_grab_compound_head() -> count above expected;
 *   3. guest: gmap_make_secure() freeze fails (-EBUSY): page stays normal;
 *   4. here:  arch_make_page_accessible() -> exports if it was secure;
 *   5. here:  DMA on a normal page.
 * With the hook first (gup_hook_order=before), the import fits between
 * the hook and the grab, and the DMA meets a secure page.
 *
 * The return value, exactly v5.7's (5.7.0 as f28d43636d6f left it; 5.7.14
 * has the same lines): "ret" starts at 0, a PTE that cannot be taken jumps
 * to pte_unmap with ret 0, a whole table taken sets ret = 1, and a failed
 * hook unpins the page and jumps to pte_unmap with ret = the hook's error
 * (-EINVAL from uv_convert_from_secure), which is not 0.  gup_pmd_range()
 * tests "!gup_pte_range()", so for it a failed hook is a table done:
 *   1. here:  pages of this table before the failed one are in pages[];
 *   2. here:  the hook fails on the page at A: unpinned, return -EINVAL;
 *   3. pmd:   goes on with the next table, storing its pages at
 *             pages[*nr], the slot the caller reads as A's;
 *   4. caller: DMA "for A" moves the next segment's first page (INV-13).
 * Within the last table of the range the walk simply ends short, and the
 * slow path takes the rest from A: no harm.
 *
 * Return: 1 if every PTE of the range was taken, 0 if the walk stopped at
 * a PTE, the hook's error if the hook failed.
 */
static int gup_pte_range(struct mm_struct *mm, unsigned long addr, unsigned long end,
			 unsigned int flags, struct page **pages, int *nr)
{
	KERNEL_FRAME();
	int refs = (flags & FOLL_PIN) ? (int)GUP_PIN_COUNTING_BIAS : 1;
	int ret = 0;

	do {
		pte_t *ptep, pte;
		struct page *page;
		bool stale;

		/* an address the scenario never names has no PTE: pte_none */
		if (mm_addr_index(mm, addr) < 0)
			goto pte_unmap;
		ptep = pte_offset(mm, addr);
		VIS_READ(ptep, "gup_pte_range: gup_get_pte");
		pte = *ptep;
		/* pte_protnone: no NUMA hinting; pte_access_permitted; no devmap/special */
		if (!pte_present(pte) || ((flags & FOLL_WRITE) && !pte_write(pte)))
			goto pte_unmap;
		page = pfn_to_page(pte.pfn);
		if (gup_wants_hook(flags) && hook_before()) {
			ret = arch_make_page_accessible(page);
			if (ret)
				goto pte_unmap;
		}
		/*
		 * try_grab_compound_head -> try_get_compound_head: WARN_ON_ONCE on
		 * a negative count only, then page_cache_add_speculative(), which
		 * fails silently on a frozen count: the walk stops here.
		 */
		if (!page_ref_add_unless(page, refs,
					 MUTANT_KEEP(MUT_GUP_FAST_SPECULATIVE) ? 0 : INT_MIN,
					 gup_tag(flags)))
			goto pte_unmap;
		VIS_READ(ptep, "gup_pte_range: pte changed?");
		/*
		 * Ghost for INV-13, read in the re-check's step whether or not
		 * the re-check is there: does the PTE still map the page
		 * grabbed?  Between the read of the PTE and the grab:
		 *   1. here:  gup_get_pte() reads the PTE mapping page P;
		 *   2. other: zap clears it, drops the mapping's reference: P
		 *             is freed and allocated again by its next owner;
		 *   3. here:  the speculative add succeeds on P's new count;
		 * only the re-check then keeps P from the caller's pages[].
		 */
		stale = ptep->flags != pte.flags || ptep->pfn != pte.pfn;
		if (MUTANT_KEEP(MUT_GUP_FAST_RECHECK) && stale) {
			gup_put(page, flags);	/* put_compound_head */
			goto pte_unmap;
		}
		if (MUTANT_KEEP(MUT_GUP_FAST_HOOK) && gup_wants_hook(flags) && !hook_before()) {
			ret = arch_make_page_accessible(page);
			if (ret) {
				gup_put(page, flags);	/* unpin_user_page */
				gup_log_add(mm, addr, page, true);
				goto pte_unmap;
			}
		}
		/*
		 * SetPageReferenced: an atomic set_bit on the flags word, which
		 * other threads' steps on the page read and write (PG_lru, PG_arch_1);
		 * the next mark_page_accessed() of the page then activates it.
		 */
		VIS_RMW(page, "gup_pte_range: SetPageReferenced");
		__set_page_flag(page, PG_referenced);
		pages[*nr] = page;
		(*nr)++;
		gup_log_add(mm, addr, page, false);
		mdl_current()->gup_log[mdl_current()->ngup - 1].stale = stale;
		addr += PAGE_SIZE;
	} while (addr != end);
	ret = 1;
pte_unmap:
	return ret;
}

/* pmd_addr_end: the end of @addr's segment, or @end if that comes first. */
static unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long boundary = (addr + (1UL << PMD_SHIFT)) & ~((1UL << PMD_SHIFT) - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}

/* pmd_present: a segment gets its page table when an address in it is named. */
static bool seg_has_table(const struct mm_struct *mm, unsigned long addr)
{
	for (int t = 0; t < mm->nr_pts; t++)
		if (mm->pt[t].seg == pmd_seg(addr))
			return true;
	return false;
}

/*
 * gup_pmd_range - walk the segment entries of [@addr, @end), one page
 * table each, as v5.7: "if (!gup_pte_range(...)) return 0", so only a 0
 * from gup_pte_range stops the walk (see there for a failed hook).  The
 * segment entries never change in the model (tables are never freed or
 * made huge), so READ_ONCE(*pmdp) is not a visible step.
 * Return: 1 if the walk reached @end, 0 if it stopped.
 */
static int gup_pmd_range(struct mm_struct *mm, unsigned long addr, unsigned long end,
			 unsigned int flags, struct page **pages, int *nr)
{
	KERNEL_FRAME();
	unsigned long next;

	do {
		next = pmd_addr_end(addr, end);
		if (!seg_has_table(mm, addr))
			return 0;	/* !pmd_present */
		/* no THP, hugetlb or hugepd segments: s390 splits THP for PV */
		if (!gup_pte_range(mm, addr, next, flags, pages, nr))
			return 0;
	} while (addr = next, addr != end);
	return 1;
}

/*
 * gup_pgd_range - the fast walk from the top.  An mm of the model lies
 * below 2 GB (mm size=, at most 0x80000000), inside one region-third entry
 * of a 3-level s390 task, so gup_pgd_range, gup_p4d_range and
 * gup_pud_range each make one round and reduce to gup_pmd_range (their
 * "return" on a failed lower level ends the walk the same way).
 */
static void gup_pgd_range(struct mm_struct *mm, unsigned long addr, unsigned long end,
			  unsigned int flags, struct page **pages, int *nr)
{
	KERNEL_FRAME();
	gup_pmd_range(mm, addr, end, flags, pages, nr);
}

/* s390 gup_fast_permitted: the range ends below the ASCE limit. */
static bool gup_fast_permitted(unsigned long start, unsigned long end)
{
	return end <= S390_ASCE_LIMIT_3LEVEL;
}

/**
 * __get_user_pages_fast - gup-fast only, interrupts saved and restored
 * (IRQ-safe), FOLL_GET, never the slow path.
 * Context: any, no locks needed.  Return: the number of pages taken, 0 if
 * none (never an error).
 */
int __get_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages, int write,
			  struct page **pages)
{
	KERNEL_FRAME();
	unsigned int gup_flags = FOLL_GET | (write ? FOLL_WRITE : 0);
	unsigned long len, end;
	int nr_pinned = 0;
	bool flags;

	gup_log_reset();
	start &= ~(PAGE_SIZE - 1);
	len = (unsigned long)nr_pages << PAGE_SHIFT;
	end = start + len;
	if (end <= start)
		return 0;
	/* access_ok(): s390's __range_ok() is 1 */
	if (gup_fast_permitted(start, end)) {
		local_irq_save(flags);
		gup_pgd_range(mm, start, end, gup_flags, pages, &nr_pinned);
		local_irq_restore(flags);
	}
	return nr_pinned;
}

/*
 * internal_get_user_pages_fast - the fast walk with interrupts off, then
 * the slow walk for the pages from the first one it did not take.
 *
 * The fast walk's flags are the caller's, as in 5.7.0: 5.7.14 passes
 * gup_flags | FOLL_WRITE here (17839856fd58's "COW can break either way"
 * backport), which sends a write-protected PTE to the slow path; the model
 * follows 5.7.0 (doc/protocol.md).
 * Return: v5.7's: the fast count plus the slow count; the fast count alone
 * if the slow walk failed after the fast one took pages; the slow walk's
 * answer (a count or an errno) if the fast one took none; 0 for an empty
 * range; -EINVAL for a flag outside FOLL_WRITE/FOLL_PIN/FOLL_GET.
 */
static int internal_get_user_pages_fast(struct mm_struct *mm, unsigned long start,
					int nr_pages, unsigned int gup_flags,
					struct page **pages)
{
	KERNEL_FRAME();
	unsigned long addr, len, end;
	int nr_pinned = 0, ret = 0;

	if (gup_flags & ~(FOLL_WRITE | FOLL_PIN | FOLL_GET))	/* WARN_ON_ONCE */
		return -EINVAL;
	start &= ~(PAGE_SIZE - 1);	/* untagged_addr(start) & PAGE_MASK */
	addr = start;
	len = (unsigned long)nr_pages << PAGE_SHIFT;
	end = start + len;
	if (end <= start)
		return 0;
	/* access_ok(): s390's __range_ok() is 1 */
	/*
	 * The fast walk runs with interrupts off: that is what keeps the page
	 * tables from being freed under it, and arch_make_page_accessible()
	 * in gup_pte_range must not sleep.
	 */
	if (gup_fast_permitted(start, end)) {
		local_irq_disable();
		gup_pgd_range(mm, addr, end, gup_flags, pages, &nr_pinned);
		local_irq_enable();
		ret = nr_pinned;
	}
	if (nr_pinned < nr_pages) {
		/* the fast walk stopped early: the slow path takes the rest */
		start += (unsigned long)nr_pinned << PAGE_SHIFT;
		pages += nr_pinned;
		/* __gup_longterm_unlocked without FOLL_LONGTERM */
		ret = (int)get_user_pages_unlocked(mm, start, (unsigned long)(nr_pages - nr_pinned),
						   pages, gup_flags);
		if (nr_pinned > 0) {
			if (ret < 0)
				ret = nr_pinned;
			else
				ret += nr_pinned;
		}
	}
	return ret;
}

/**
 * get_user_pages_fast - FOLL_GET gup-fast of a range, slow fallback for
 * what the fast walk did not take.
 * Context: no locks on the fast path; may sleep on the slow one.  No hook
 * in v5.7 (lib/iov_iter.c and O_DIRECT use this).
 * Return: as internal_get_user_pages_fast(); -EINVAL with FOLL_PIN.
 */
int get_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages)
{
	KERNEL_FRAME();
	if (gup_flags & FOLL_PIN)	/* WARN_ON_ONCE */
		return -EINVAL;
	gup_log_reset();
	return internal_get_user_pages_fast(mm, start, nr_pages, gup_flags | FOLL_GET, pages);
}

/**
 * pin_user_pages_fast - FOLL_PIN gup-fast of a range, slow fallback.
 * Context and Return: as get_user_pages_fast(); the hook runs; -EINVAL
 * with FOLL_GET.
 */
int pin_user_pages_fast(struct mm_struct *mm, unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages)
{
	KERNEL_FRAME();
	if (gup_flags & FOLL_GET)	/* WARN_ON_ONCE */
		return -EINVAL;
	gup_log_reset();
	return internal_get_user_pages_fast(mm, start, nr_pages, gup_flags | FOLL_PIN, pages);
}

/**
 * unpin_user_pages - unpin_user_page() of each of @pages[0..@npages-1].
 * Context: any.  v5.7 loops in array order.
 */
void unpin_user_pages(struct page **pages, unsigned long npages)
{
	KERNEL_FRAME();
	for (unsigned long i = 0; i < npages; i++)
		unpin_user_page(pages[i], ref_thread(REF_PIN));
}
