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
 * (the broken order).  Abstracted away: compound pages, FOLL_LONGTERM,
 * mlock, FOLL_TOUCH, multi-page ranges (one page per call).
 */
#include "lib/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"

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

/*
 * follow_page_pte - the page mapped at @addr, with a reference or pin when
 * FOLL_GET/FOLL_PIN.  Returns NULL (no page / not writable) or an
 * ERR_PTR-like NULL with *@err set.
 */
static struct page *follow_page_pte(struct mm_struct *mm, unsigned long addr,
				    unsigned int flags, int *err)
{
	char *ptl = pte_lockptr(mm, addr);
	struct page *page;
	pte_t pte;
	int ret;

	*err = 0;
	if (!(flags & (FOLL_GET | FOLL_PIN))) {
		/*
		 * No reference taken: the PTL section touches only the PTE, so
		 * lock + read + unlock is one visible read of the PTE.
		 */
		VIS_READ(pte_offset(mm, addr), "follow_page_pte");
		pte = *pte_offset(mm, addr);
		if (!pte_present(pte) || ((flags & FOLL_WRITE) && !pte_write(pte)))
			return NULL;
		return pfn_to_page(pte.pfn);
	}
	spin_lock(ptl);
	pte = *pte_offset(mm, addr);
	if (!pte_present(pte) || ((flags & FOLL_WRITE) && !pte_write(pte))) {
		spin_unlock(ptl);
		return NULL;
	}
	page = pfn_to_page(pte.pfn);
	if (gup_wants_hook(flags) && hook_before()) {
		/* Broken order: the page can become secure before the grab. */
		ret = arch_make_page_accessible(page);
		if (ret) {
			spin_unlock(ptl);
			*err = ret;
			return NULL;
		}
	}
	/* try_grab_page() should always succeed here, because we hold the ptl */
	if (MUTANT_KEEP(MUT_GUP_PTL_GRAB) && !try_grab_page(page, flags, gup_tag(flags))) {
		spin_unlock(ptl);
		*err = -ENOMEM;
		return NULL;
	}
	/*
	 * We need to make the page accessible if and only if we are going
	 * to access its content (the FOLL_PIN case).  Please see
	 * Documentation/core-api/pin_user_pages.rst for details.
	 */
	if (MUTANT_KEEP(MUT_GUP_HOOK) && gup_wants_hook(flags) && !hook_before()) {
		ret = arch_make_page_accessible(page);
		if (ret) {
			gup_put(page, flags);
			spin_unlock(ptl);
			*err = ret;
			return NULL;
		}
	}
	spin_unlock(ptl);
	return page;
}

/**
 * follow_page - look up the page mapped at @addr.
 * @vma: its VMA; @mm: the address space; @addr: the address;
 * @foll_flags: FOLL_WRITE, FOLL_GET, FOLL_PIN.
 *
 * Context: mmap_sem held.  Without FOLL_GET/FOLL_PIN no reference is
 * taken: the result is only stable while something else keeps the page.
 * Return: the page, or NULL (not present, not writable, hook failed).
 */
struct page *follow_page(struct vm_area_struct *vma, struct mm_struct *mm,
			 unsigned long addr, unsigned int foll_flags)
{
	int err;

	if (!vma)
		return NULL;
	return follow_page_pte(mm, addr, foll_flags, &err);
}

/**
 * get_user_pages_locked_one - __get_user_pages() for one page: check the
 * VMA, then follow the PTE and fault it in until the follow succeeds.
 *
 * The loop is v5.7's "retry:" label: faultin_page() returning 0 sends
 * __get_user_pages() back to follow_page_mask() with no limit on the number
 * of rounds.  A round that ends in "retry" changes nothing the next round
 * reads unless another thread moved the PTE, so a page that can be faulted
 * in but never followed makes the thread return to the same state: the
 * stateful search sees the cycle, the stateless one the step bound, and
 * both report no-progress (doc/protocol.md "Retry loops").
 * fatal_signal_pending() is never true here; cond_resched() is not a step.
 *
 * Context: mmap_sem held (read).
 * Return: 1 with *@pagep referenced/pinned, or -EFAULT (no VMA, hugetlb,
 * FOLL_WRITE on a VMA without VM_WRITE, fault failed), -ENOMEM, -EINVAL
 * (the hook failed).
 */
long get_user_pages_locked_one(struct mm_struct *mm, unsigned long addr,
			       unsigned int gup_flags, struct page **pagep)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	int err = 0;

	if (!vma || vma->hugetlb)
		return -EFAULT;
	/* check_vma_flags(): no FOLL_FORCE in the model */
	if ((gup_flags & FOLL_WRITE) && vma->readonly)
		return -EFAULT;
	for (;;) {
		*pagep = follow_page_pte(mm, addr, gup_flags, &err);
		if (*pagep)
			return 1;
		if (err)
			return err;
		/* faultin_page(): 0 is "goto retry"; -ENOMEM and -EFAULT end it */
		err = handle_mm_fault(mm, addr, (gup_flags & FOLL_WRITE) ? FAULT_FLAG_WRITE : 0);
		if (err)
			return err;
	}
}

/**
 * get_user_pages - FOLL_GET gup of one page, slow path.
 * Context: takes mmap_sem (read) and the PTE lock.  No hook (v5.7).
 * Return: 1, or a negative errno.
 */
long get_user_pages(struct mm_struct *mm, unsigned long addr, unsigned int gup_flags,
		    struct page **pagep)
{
	long rc;

	down_read(&mm->mmap_sem);
	rc = get_user_pages_locked_one(mm, addr, gup_flags | FOLL_GET, pagep);
	up_read(&mm->mmap_sem);
	return rc;
}

/**
 * pin_user_pages - FOLL_PIN gup of one page, slow path; the page is made
 * accessible under the PTE lock after the pin is taken.
 * Context and Return: as get_user_pages().
 */
long pin_user_pages(struct mm_struct *mm, unsigned long addr, unsigned int gup_flags,
		    struct page **pagep)
{
	long rc;

	down_read(&mm->mmap_sem);
	rc = get_user_pages_locked_one(mm, addr, gup_flags | FOLL_PIN, pagep);
	up_read(&mm->mmap_sem);
	return rc;
}

/*
 * gup_pte_range - gup-fast for one PTE: no mmap_sem, no PTL.
 *
 * Why the hook comes after the grab (v5.7 order):
 *   1. here:  page = pte_page(READ_ONCE(*ptep));
 *   2. here:  try_grab_compound_head() -> count above expected;
 *   3. guest: gmap_make_secure() freeze fails (-EBUSY): page stays normal;
 *   4. here:  arch_make_page_accessible() -> exports if it was secure;
 *   5. here:  DMA on a normal page.
 * With the hook first (gup_hook_order=before), the import fits between
 * the hook and the grab, and the DMA meets a secure page.
 * Return: 1 with *@pagep, or 0 to fall back to the slow path.
 */
static int gup_pte_range(struct mm_struct *mm, unsigned long addr, unsigned int flags,
			 struct page **pagep)
{
	pte_t *ptep = pte_offset(mm, addr);
	int refs = (flags & FOLL_PIN) ? (int)GUP_PIN_COUNTING_BIAS : 1;
	struct page *page;
	pte_t pte;

	VIS_READ(ptep, "gup_pte_range: READ_ONCE(*ptep)");
	pte = *ptep;
	if (!pte_present(pte) || ((flags & FOLL_WRITE) && !pte_write(pte)))
		return 0;
	page = pfn_to_page(pte.pfn);
	if (gup_wants_hook(flags) && hook_before() && arch_make_page_accessible(page))
		return 0;
	/*
	 * try_grab_compound_head -> try_get_compound_head: WARN_ON_ONCE on a
	 * negative count only, then page_cache_add_speculative(), which fails
	 * silently on a frozen count: gup-fast then falls back.
	 */
	if (!page_ref_add_unless(page, refs, 0, gup_tag(flags)))
		return 0;
	VIS_READ(ptep, "gup_pte_range: pte changed?");
	if (MUTANT_KEEP(MUT_GUP_FAST_RECHECK) &&
	    (ptep->flags != pte.flags || ptep->pfn != pte.pfn)) {
		gup_put(page, flags);
		return 0;
	}
	if (MUTANT_KEEP(MUT_GUP_FAST_HOOK) && gup_wants_hook(flags) && !hook_before() &&
	    arch_make_page_accessible(page)) {
		gup_put(page, flags);
		return 0;
	}
	*pagep = page;
	return 1;
}

static int internal_get_user_pages_fast(struct mm_struct *mm, unsigned long addr,
					unsigned int gup_flags, struct page **pagep)
{
	long rc;
	bool flags;
	int nr;

	if (addr >= mm->size || mm_addr_index(mm, addr) < 0)
		return -EFAULT;
	/*
	 * The fast walk runs with interrupts off (v5.7: local_irq_disable()
	 * here, local_irq_save() in __get_user_pages_fast, the FOLL_FAST_ONLY
	 * caller): that is what keeps the page tables from being freed under
	 * it, and arch_make_page_accessible() in gup_pte_range must not sleep.
	 */
	if (gup_flags & FOLL_FAST_ONLY) {
		local_irq_save(flags);
		nr = gup_pte_range(mm, addr, gup_flags, pagep);
		local_irq_restore(flags);
		return nr;
	}
	local_irq_disable();
	nr = gup_pte_range(mm, addr, gup_flags, pagep);
	local_irq_enable();
	if (nr)
		return 1;
	/* __gup_longterm_unlocked -> get_user_pages_unlocked */
	down_read(&mm->mmap_sem);
	rc = get_user_pages_locked_one(mm, addr, gup_flags, pagep);
	up_read(&mm->mmap_sem);
	return (int)rc;
}

/**
 * get_user_pages_fast - FOLL_GET gup-fast of one page, slow fallback.
 * Context: no locks on the fast path; may sleep on the slow one.  No hook
 * in v5.7 (lib/iov_iter.c and O_DIRECT use this).
 * Return: 1, 0 (FOLL_FAST_ONLY miss) or a negative errno.
 */
int get_user_pages_fast(struct mm_struct *mm, unsigned long addr, unsigned int gup_flags,
			struct page **pagep)
{
	return internal_get_user_pages_fast(mm, addr, gup_flags | FOLL_GET, pagep);
}

/**
 * pin_user_pages_fast - FOLL_PIN gup-fast of one page, slow fallback.
 * Context and Return: as get_user_pages_fast(); the hook runs.
 */
int pin_user_pages_fast(struct mm_struct *mm, unsigned long addr, unsigned int gup_flags,
			struct page **pagep)
{
	return internal_get_user_pages_fast(mm, addr, gup_flags | FOLL_PIN, pagep);
}
