// SPDX-License-Identifier: MIT
/*
 * api.c - the model's side of include/pvcheck/kernel.h: what a user path
 * calls when it calls get_page(), lock_page(), find_get_page(), ...
 *
 * Each __pv_* function checks the pointers it is given (a user path can
 * hand over anything: a NULL or a stray pointer is the oops v5.7 would
 * have, reported as a finding in the path, never a crash of pvcheck) and
 * calls the model function of the same kernel name, with the reference
 * tags the model's holder table needs.  The kernel has no tags: a user
 * path's references are tagged by what took them (find_get_page: a
 * lookup, get_page: a get, gup: a gup or a pin), and put_page() drops the
 * calling thread's latest reference of that page, as the kernel's count
 * would.  These functions are exported from the pvcheck executable
 * (-rdynamic) and bound by the loaded path object.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "model/world.h"
#include "inv/inv.h"
#include "uv/uv.h"
#include "paths/paths_int.h"

/* The header's view of an mm (&mm->mmap_sem) must be the model's. */
_Static_assert(offsetof(struct mm_struct, mmap_sem) == 0,
	       "include/pvcheck/kernel.h: struct mm_struct begins with mmap_sem");

/*
 * The site of a check in the user's code: the path's name and its file,
 * the line that the header's macro passed.
 */
static struct vis_site user_site(const char *file, int line, const char *what)
{
	return (struct vis_site){ .file = file, .line = line, .what = what,
				  .func = paths_running(), .flags = VIS_SITE_USER };
}

/* Stop the path, as the kernel would oops, on a pointer that is no page. */
static struct page *user_page(const void *p, const char *fn)
{
	if (!p)
		vis_fail("oops", VIS_SITE(fn), "BUG: kernel NULL pointer dereference: %s(NULL) "
			 "in the user path %s", fn, paths_running());
	if (!mdl_world_page(p))
		vis_fail("oops", VIS_SITE(fn), "%s on %p, which is not a page of the world "
			 "(user path %s)", fn, p, paths_running());
	return (struct page *)p;
}

/*
 * A page a path found with follow_page() and no reference (v5.7's
 * gmap_make_secure) is only the page it was while someone else holds it:
 *   1. path: follow_page() -> p0, no reference taken;
 *   2. other: zap or truncate drops the last reference, p0 freed, reused;
 *   3. path: lock_page(p0) or wait_on_page_writeback(p0) on a stranger.
 * follow_page() records the page and its generation (ghost, this thread);
 * the sleeping calls then judge INV-07 in a step on the page, as the
 * model's own gmap_make_secure does (inv_page_use).
 */
static void followed_use(struct page *page, struct vis_site site)
{
	struct mdl_thread *t = mdl_current();

	if (t->followed == page)
		inv_page_use(page, t->followed_gen, site);
}

/* The header's views of a page, a PTE and a UV control block. */
_Static_assert(offsetof(struct page, flags) == 0, "kernel.h: struct page begins with flags");
_Static_assert(sizeof(pte_t) == 8 && offsetof(pte_t, pfn) == 4, "kernel.h: pte_t");
_Static_assert(_PAGE_INVALID == 0x04 && PG_arch_1 == 8, "kernel.h: _PAGE_INVALID, PG_arch_1");
_Static_assert(sizeof(struct uv_cb_header) == 8 && offsetof(struct uv_cb_header, rc) == 4,
	       "kernel.h: struct uv_cb_header");

struct page *__pv_pte_page(pte_t pte)
{
	if (pte.pfn < 0 || pte.pfn >= mdl_world.nr_pages)
		vis_fail("oops", VIS_SITE("pte_page"), "pte_page of a PTE with no page (pfn %d) "
			 "in %s", pte.pfn, paths_running());
	return pfn_to_page(pte.pfn);
}

void __pv_set_bit(int nr, unsigned long *addr, int set)
{
	struct page *page = user_page((const char *)addr - offsetof(struct page, flags),
				      set ? "set_bit" : "clear_bit");

	if (nr < 0 || nr >= NR_PAGEFLAGS || nr == PG_locked)
		vis_fail("oops", VIS_SITE("set_bit"), "%s(%d) on %s: not a page flag the model "
			 "lets a path change", set ? "set_bit" : "clear_bit", nr, page->name);
	if (nr == PG_arch_1 && !set) {
		clear_arch_1(page);	/* with the model's INV-04 judgement of the frame */
		return;
	}
	VIS_RMW(page, set ? "set_bit" : "clear_bit");
	if (set)
		__set_page_flag(page, nr);
	else
		__clear_page_flag(page, nr);
}

int __pv_uv_call(unsigned long r1, unsigned long r2)
{
	return uv_call(r1, (struct uv_cb_header *)r2);
}

_Static_assert(sizeof(struct task_struct) == sizeof(struct mm_struct *),
	       "struct task_struct is the thread's task_mm");

struct task_struct *__pv_current(void)
{
	return (struct task_struct *)&mdl_current()->task_mm;
}

/* A reference of @page a user path takes: the holder table must have room. */
static void need_holder(struct page *page, const char *fn)
{
	if (page->nholders >= MDL_MAX_HOLDERS - 2)
		vis_limit("holder-table", VIS_SITE(fn), "%s: %s would hold more than %d "
			  "references (MDL_MAX_HOLDERS); the user path %s takes too many",
			  fn, page->name, MDL_MAX_HOLDERS - 2, paths_running());
}

struct page *__pv_find_get_page(struct address_space *mapping, pgoff_t index)
{
	const struct address_space *first = &mdl_world.files[0];

	if (!mapping || mapping < first || mapping >= first + MDL_MAX_FILES)
		vis_fail("oops", VIS_SITE("find_get_page"), "find_get_page on %p, which is "
			 "not a file of the world (user path %s)", (void *)mapping,
			 paths_running());
	if (index >= MDL_MAX_FILE_PAGES)
		return NULL;	/* beyond the model's files: an empty slot */
	return find_get_page(mapping, index);
}

void __pv_get_page(struct page *page)
{
	page = user_page(page, "get_page");
	need_holder(page, "get_page");
	get_page(page, ref_thread(REF_GET));
}

/*
 * The calling thread's latest weight-1 reference of @page, the one a
 * put_page() of the kernel would balance; REF_GET if it holds none, so
 * that the holder table reports the unbalanced put (INV-05).
 */
static struct ref_tag latest_ref(const struct page *page, enum ref_why want)
{
	int tid = vis_self();

	for (int i = page->nholders - 1; i >= 0; i--) {
		const struct ref_holder *h = &page->holders[i];

		if (h->tag.owner != tid || h->weight != 1 || h->tag.why == REF_PIN)
			continue;
		if (want == REF_NONE ? (h->tag.why == REF_LOOKUP || h->tag.why == REF_GET ||
					h->tag.why == REF_GUP) : h->tag.why == (int)want)
			return h->tag;
	}
	return ref_thread(want == REF_NONE ? REF_GET : want);
}

void __pv_put_page(struct page *page)
{
	page = user_page(page, "put_page");
	put_page(page, latest_ref(page, REF_NONE));
}

bool __pv_get_page_unless_zero(struct page *page)
{
	page = user_page(page, "get_page_unless_zero");
	need_holder(page, "get_page_unless_zero");
	return get_page_unless_zero(page, ref_thread(REF_GET));
}

bool __pv_try_get_page(struct page *page)
{
	page = user_page(page, "try_get_page");
	need_holder(page, "try_get_page");
	return try_get_page(page, ref_thread(REF_GET));
}

int __pv_page_ref_count(const struct page *cpage)
{
	struct page *page = user_page(cpage, "page_ref_count");

	VIS_READ(page, "page_ref_count");
	return page_ref_count(page);
}

int __pv_page_mapcount(const struct page *cpage)
{
	struct page *page = user_page(cpage, "page_mapcount");

	VIS_READ(page, "page_mapcount");
	return page_mapcount(page);
}

int __pv_page_ref_freeze(struct page *page, int count)
{
	struct mdl_thread *t;

	page = user_page(page, "page_ref_freeze");
	if (page_ref_freeze(page, count))
		return 1;
	/*
	 * A failed freeze is what a vCPU's retry must wait to see change
	 * (fault.c), as after the model's make_secure_pte: recorded here so
	 * that a patch of gmap_make_secure calling its own make_secure_pte
	 * (bound inside the patch, past the model's wrapper) records it too.
	 */
	t = mdl_current();
	t->retry_page = page;
	t->retry_version = page->version;
	return 0;
}

void __pv_page_ref_unfreeze(struct page *page, int count)
{
	page = user_page(page, "page_ref_unfreeze");
	page_ref_unfreeze(page, count);
}

/*
 * page_mapping: the file whose page cache holds the page, or NULL (an
 * anonymous page; and a swap-cache page, whose v5.7 swapper space is no
 * file of the world: test PageSwapCache first, as expected_page_refs does).
 */
struct address_space *__pv_page_mapping(const struct page *cpage)
{
	struct page *page = user_page(cpage, "page_mapping");

	VIS_READ(page, "page_mapping");
	return PageSwapCache(page) ? NULL : page_mapping(page);
}

int __pv_page_flag(const struct page *cpage, int which)
{
	struct page *page = user_page(cpage, "Page*");
	static const int bits[] = {
		[1] = PG_writeback, [2] = PG_dirty, [3] = PG_uptodate, [4] = PG_lru,
		[5] = PG_swapcache, [6] = PG_private, [7] = PG_huge,
	};

	if (which == 0) {
		/* PG_locked is the page lock's state: read it in a step on the lock */
		VIS_READ(&page->lock, "PageLocked");
		return PageLocked(page);
	}
	if (which < 1 || which > 7)
		vis_fail("oops", VIS_SITE("Page*"), "unknown page flag %d", which);
	VIS_READ(page, "Page* flag test");
	return test_page_flag(page, bits[which]);
}

void __pv_lock_page(struct page *page)
{
	page = user_page(page, "lock_page");
	lock_page(page);
	followed_use(page, VIS_GHOST("lock_page: is the page the path followed still the same?"));
}

int __pv_trylock_page(struct page *page)
{
	return trylock_page(user_page(page, "trylock_page"));
}

void __pv_unlock_page(struct page *page)
{
	unlock_page(user_page(page, "unlock_page"));
}

void __pv_wait_on_page_writeback(struct page *page)
{
	page = user_page(page, "wait_on_page_writeback");
	wait_on_page_writeback(page);
	followed_use(page, VIS_GHOST("wait_on_page_writeback: is the page the path followed "
				     "still the same?"));
}

/* An mmap_sem pointer must be one of the world's mms' (&mm->mmap_sem). */
static char *user_mmap_sem(struct rw_semaphore *sem, const char *fn)
{
	for (int i = 0; i < MDL_MAX_MMS; i++)
		if ((void *)sem == (void *)&mdl_world.mms[i].mmap_sem)
			return &mdl_world.mms[i].mmap_sem;
	vis_fail("oops", VIS_SITE(fn), "%s on %p, which is not an mm's mmap_sem "
		 "(user path %s; the model has no other rw_semaphore)", fn, (void *)sem,
		 paths_running());
}

void __pv_down_read(struct rw_semaphore *sem)
{
	down_read(user_mmap_sem(sem, "down_read"));
}

void __pv_up_read(struct rw_semaphore *sem)
{
	up_read(user_mmap_sem(sem, "up_read"));
}

/*
 * get_user_pages() and friends: the header passes the caller's flags with
 * FOLL_GET (get_user_pages*) or FOLL_PIN (pin_user_pages*) added, and
 * whether it is the fast variant.  Both set is v5.7's WARN_ON_ONCE and
 * -EINVAL (FOLL_PIN given to get_user_pages, or FOLL_GET to
 * pin_user_pages).  The range goes to the model's gup as it is: v5.7's
 * walks, page tables and return values (src/mm/gup.c).
 */
long __pv_get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			 unsigned int gup_flags, struct page **pages, int fast)
{
	const char *fn = gup_flags & FOLL_PIN ? (fast ? "pin_user_pages_fast" : "pin_user_pages") :
			 (fast ? "get_user_pages_fast" : "get_user_pages");
	long rc;

	if (!mm)
		vis_fail("oops", VIS_SITE(fn), "%s with current->mm NULL: the user path %s was "
			 "given no mm or guest", fn, paths_running());
	if (!pages)
		return -EINVAL;	/* the model's gup always takes the pages */
	if ((gup_flags & (FOLL_PIN | FOLL_GET)) == (FOLL_PIN | FOLL_GET))
		return -EINVAL;
	if (gup_flags & FOLL_PIN)
		rc = fast ? pin_user_pages_fast(mm, start, (int)nr_pages, gup_flags & ~FOLL_PIN, pages) :
			    pin_user_pages(mm, start, nr_pages, gup_flags & ~FOLL_PIN, pages);
	else
		rc = fast ? get_user_pages_fast(mm, start, (int)nr_pages, gup_flags & ~FOLL_GET, pages) :
			    get_user_pages(mm, start, nr_pages, gup_flags & ~FOLL_GET, pages);
	gup_log_reset();	/* a user path's transfers name no address: no INV-13 */
	return rc;
}

void __pv_unpin_user_page(struct page *page)
{
	page = user_page(page, "unpin_user_page");
	unpin_user_page(page, ref_thread(REF_PIN));
}

int __pv_arch_make_page_accessible(struct page *page)
{
	return arch_make_page_accessible(user_page(page, "arch_make_page_accessible"));
}

int __pv_expected_page_refs(struct page *page)
{
	page = user_page(page, "expected_page_refs");
	VIS_READ(page, "expected_page_refs");
	return expected_page_refs(page);
}

void __pv_mark_page_accessed(struct page *page)
{
	mark_page_accessed(user_page(page, "mark_page_accessed"));
}

void __pv_lru_add_drain(void)
{
	lru_add_drain();
}

void __pv_lru_add_drain_all(void)
{
	lru_add_drain_all();
}

int __pv_dma(struct device *d, struct page *page, int to_device)
{
	struct mdl_dev *dev = (struct mdl_dev *)d;
	const struct mdl_dev *first = &mdl_world.devs[0];
	const char *fn = to_device ? "dma_to_device" : "dma_from_device";

	if (dev < first || dev >= first + MDL_MAX_DEVS)
		vis_fail("oops", VIS_SITE(fn), "%s on %p, which is not a device of the world "
			 "(user path %s)", fn, (void *)d, paths_running());
	page = user_page(page, fn);
	if (to_device)
		return dev_dma_to_device(dev, page, dev->kind == DEV_NIC ? 0 : dev_alloc_slot(dev),
					 paths_running());
	return dev_dma_from_device(dev, page, 0, paths_running());
}

void __pv_might_sleep(const char *file, int line)
{
	___might_sleep(file, paths_running(), user_site(file, line, "might_sleep"));
}

/* The execution context (src/mm/context.c), the path named as who changed it. */
void __pv_context(int op)
{
	switch (op) {
	case 0: (preempt_disable)(paths_running()); break;
	case 1: preempt_enable(); break;
	case 2: (pagefault_disable)(paths_running()); break;
	case 3: pagefault_enable(); break;
	case 4: (local_irq_disable)(paths_running()); break;
	case 5: local_irq_enable(); break;
	default: vis_fail("oops", VIS_SITE("context"), "unknown context operation %d", op);
	}
}

int __pv_in_atomic(void)
{
	return in_atomic();
}

void __pv_kernel_check(const char *what, const char *cond, struct page *page,
		       const char *file, int line)
{
	if (page)
		vis_fail(what, user_site(file, line, what), "%s(%s) in %s, page %s", what, cond,
			 paths_running(), user_page(page, what)->name);
	vis_fail(what, user_site(file, line, what), "%s(%s) in %s", what, cond,
		 paths_running());
}

/* ==== what gmap_make_secure walks (a patch of it; doc/paths.md) ==== */

_Static_assert(offsetof(struct gmap, mm) == 0, "kernel.h: struct gmap begins with mm");

/* A gmap must be one of the world's guests' (&kvm->gmap). */
static struct gmap *user_gmap(struct gmap *gmap, const char *fn)
{
	for (int i = 0; i < mdl_world.nr_guests; i++)
		if (gmap == &mdl_world.guests[i].gmap)
			return gmap;
	vis_fail("oops", VIS_SITE(fn), "%s on %p, which is not a guest's gmap (user path %s)",
		 fn, (void *)gmap, paths_running());
}

static struct mm_struct *user_mm(struct mm_struct *mm, const char *fn)
{
	for (int i = 0; i < mdl_world.nr_mms; i++)
		if (mm == &mdl_world.mms[i])
			return mm;
	vis_fail("oops", VIS_SITE(fn), "%s on %p, which is not an mm of the world (user path %s)",
		 fn, (void *)mm, paths_running());
}

/* The index of @addr among @mm's named addresses: the model has PTEs only there. */
static int user_addr(struct mm_struct *mm, unsigned long addr, const char *fn)
{
	int i = mm_addr_index(mm, addr);

	if (i < 0)
		vis_fail("oops", VIS_SITE(fn), "%s(%s, 0x%lx): the model has no page table entry "
			 "there (the scenario names the mm's addresses; user path %s)", fn,
			 mm->name, addr, paths_running());
	return i;
}

long __pv_gmap_translate(struct gmap *gmap, unsigned long gaddr)
{
	struct mdl_thread *t = mdl_current();

	/*
	 * Each attempt of gmap_make_secure starts here (v5.7 and every later
	 * version): forget what an earlier attempt found busy, as the model's
	 * own does at "again:" (a later attempt that returns for another
	 * reason must not wait for that page: a false deadlock).  Ghost
	 * writes of this thread's bookkeeping.
	 */
	t->retry_page = NULL;
	t->followed = NULL;
	return __gmap_translate(user_gmap(gmap, "__gmap_translate"), gaddr);
}

int __pv_gmap_fault(struct gmap *gmap, unsigned long gaddr, unsigned int fault_flags)
{
	return gmap_fault(user_gmap(gmap, "gmap_fault"), gaddr, fault_flags & FAULT_FLAG_WRITE);
}

struct vm_area_struct *__pv_find_vma(struct mm_struct *mm, unsigned long addr)
{
	return find_vma(user_mm(mm, "find_vma"), addr);
}

/* The mm a VMA of the model belongs to (v5.7: vma->vm_mm). */
static struct mm_struct *vma_mm(const struct vm_area_struct *vma, const char *fn)
{
	for (int i = 0; i < mdl_world.nr_mms; i++) {
		struct mm_struct *mm = &mdl_world.mms[i];
		if (vma >= &mm->vma[0] && vma < &mm->vma[MDL_MAX_ADDRS])
			return mm;
	}
	vis_fail("oops", VIS_SITE(fn), "%s on %p, which is not a VMA of the world (user path %s)",
		 fn, (const void *)vma, paths_running());
}

int __pv_vma_hugetlb(const struct vm_area_struct *vma)
{
	vma_mm(vma, "is_vm_hugetlb_page");
	return vma->hugetlb;
}

/*
 * follow_page(vma, addr, FOLL_WRITE [| FOLL_TOUCH]): the model's, under the
 * VMA's mm.  Only the reference-free form v5.7's gmap_make_secure uses: a
 * path that wants a reference takes it with get_page() under the PTE lock.
 * FOLL_TOUCH marks the page accessed under the PTE lock with no reference
 * held, as v5.7's follow_page_pte does.
 */
struct page *__pv_follow_page(struct vm_area_struct *vma, unsigned long addr,
			      unsigned int foll_flags)
{
	struct mdl_thread *t;
	struct mm_struct *mm;
	struct page *page;

	if (!vma)
		return NULL;
	mm = vma_mm(vma, "follow_page");
	if (foll_flags & ~(unsigned int)(FOLL_WRITE | FOLL_TOUCH))
		vis_fail("oops", VIS_SITE("follow_page"), "follow_page with flags 0x%x in %s: the "
			 "model's header offers FOLL_WRITE and FOLL_TOUCH only (take a reference "
			 "with get_page under the PTE lock)", foll_flags, paths_running());
	user_addr(mm, addr, "follow_page");
	page = follow_page(vma, mm, addr, foll_flags & (FOLL_WRITE | FOLL_TOUCH));
	t = mdl_current();
	t->followed = page;
	t->followed_gen = page ? page->gen : 0;
	return page;
}

/*
 * The PTE of @addr (checked by the caller) with its table's lock taken
 * (the model's spin_lock, one visible step) and handed back in *@ptl;
 * @fn and @arg name the call and its lock argument in the oops of a NULL
 * one.  Context: a model thread; may wait for the lock.
 */
static pte_t *user_lock_pte(struct mm_struct *mm, unsigned long addr, char **ptl,
			    const char *fn, const char *arg)
{
	char *lock;

	if (!ptl)
		vis_fail("oops", VIS_SITE(fn), "%s with %s NULL (user path %s)", fn, arg,
			 paths_running());
	lock = pte_lockptr(mm, addr);
	spin_lock(lock);
	*ptl = lock;
	return pte_offset(mm, addr);
}

pte_t *__pv_get_locked_pte(struct mm_struct *mm, unsigned long addr, char **ptl)
{
	mm = user_mm(mm, "get_locked_pte");
	user_addr(mm, addr, "get_locked_pte");
	return user_lock_pte(mm, addr, ptl, "get_locked_pte", "ptl");
}

void __pv_pte_unmap_unlock(pte_t *ptep, char *ptl)
{
	(void)ptep;
	for (int i = 0; i < mdl_world.nr_mms; i++)
		for (int k = 0; k < mdl_world.mms[i].nr_pts; k++)
			if (ptl == &mdl_world.mms[i].pt[k].ptl) {
				spin_unlock(ptl);
				return;
			}
	vis_fail("oops", VIS_SITE("pte_unmap_unlock"), "pte_unmap_unlock of %p, which is no "
		 "PTE lock (user path %s)", (void *)ptl, paths_running());
}

/* ==== what follow_page_pte uses (a patch of it; doc/paths.md) ==== */

_Static_assert(offsetof(struct pte_table, ptl) == 0 && offsetof(struct pte_table, seg) == 8 &&
	       sizeof(struct pte_table) == 16, "kernel.h: pmd_t is the model's struct pte_table");

/*
 * vma->vm_mm: the model's VMA lies in its mm's vma[] and has no back
 * pointer.  Context: a model thread; no visible step (VMAs never change).
 * Return: the mm, or an oops of the path for a pointer that is no VMA.
 */
struct mm_struct *__pv_vma_mm(const struct vm_area_struct *vma)
{
	if (!vma)
		vis_fail("oops", VIS_SITE("vma->vm_mm"), "BUG: kernel NULL pointer dereference: "
			 "vma->vm_mm of a NULL VMA in %s", paths_running());
	return vma_mm(vma, "vma->vm_mm");
}

/*
 * @pmd must be the page table of @addr, as v5.7's follow_pmd_mask hands it
 * on.  Context: a model thread, no step.  Return: nothing; an oops of the
 * path otherwise.
 */
static void user_pmd(struct mm_struct *mm, const struct pte_table *pmd, unsigned long addr,
		     const char *fn)
{
	user_addr(mm, addr, fn);
	if (pmd != gup_pmd_of(mm, addr))
		vis_fail("oops", VIS_SITE(fn), "%s(%s, %p, 0x%lx): not the page table of that "
			 "address (user path %s)", fn, mm->name, (const void *)pmd, addr,
			 paths_running());
}

/*
 * pte_offset_map_lock: the PTE of @addr, its table's lock taken (the
 * model's spin_lock, one visible step), as follow_page_pte's in v5.7.
 * Context: a model thread; may wait for the lock.  Return: the PTE, with
 * the lock in *@ptl.
 */
pte_t *__pv_pte_offset_map_lock(struct mm_struct *mm, struct pte_table *pmd, unsigned long addr,
				char **ptl)
{
	mm = user_mm(mm, "pte_offset_map_lock");
	user_pmd(mm, pmd, addr, "pte_offset_map_lock");
	return user_lock_pte(mm, addr, ptl, "pte_offset_map_lock", "ptlp");
}

/*
 * try_grab_page: the model's, with the tag the model's own follow_page_pte
 * gives (a gup reference or a pin of this thread), so that a patch's
 * references are the holders the model's would be.
 * Context: a model thread, under the PTE lock in v5.7's use; one visible
 * step for FOLL_GET or FOLL_PIN, none otherwise.  Return: true if taken
 * (or nothing was asked).
 */
bool __pv_try_grab_page(struct page *page, unsigned int flags)
{
	page = user_page(page, "try_grab_page");
	need_holder(page, "try_grab_page");
	return try_grab_page(page, flags, ref_thread((flags & FOLL_PIN) ? REF_PIN : REF_GUP));
}

/*
 * no_page_table: the model's, for a VMA of the world.  Context: a model
 * thread, no step.  Return: -EFAULT or 0 (the header makes it an ERR_PTR).
 */
int __pv_no_page_table(const struct vm_area_struct *vma, unsigned int flags)
{
	if (!vma)
		vis_fail("oops", VIS_SITE("no_page_table"), "BUG: kernel NULL pointer dereference: "
			 "no_page_table of a NULL VMA in %s", paths_running());
	vma_mm(vma, "no_page_table");
	return no_page_table(vma, flags);
}

/*
 * follow_page_pte as user code calls it when no patch defines it: the
 * model's (the weak stub of paths.c), with v5.7's ERR_PTR.  A follow
 * without a reference is remembered as __pv_follow_page's is.
 * Context: a model thread, mmap_sem held.  Return: the page, NULL or an
 * ERR_PTR, as v5.7's.
 */
struct page *__pv_follow_page_pte(struct vm_area_struct *vma, unsigned long address,
				  struct pte_table *pmd, unsigned int flags,
				  struct dev_pagemap **pgmap)
{
	struct mm_struct *mm = __pv_vma_mm(vma);
	struct mdl_thread *t;
	struct page *page;
	int err;

	(void)pgmap;	/* no device pages in the model */
	user_pmd(mm, pmd, address, "follow_page_pte");
	if ((flags & (FOLL_PIN | FOLL_GET)) == (FOLL_PIN | FOLL_GET))
		return (struct page *)(intptr_t)-EINVAL;
	page = follow_page_mask(vma, mm, address, flags, &err);
	if (err)
		return (struct page *)(intptr_t)err;
	if (!(flags & (FOLL_PIN | FOLL_GET))) {
		t = mdl_current();
		t->followed = page;
		t->followed_gen = page ? page->gen : 0;
	}
	return page;
}

/*
 * The replaceable functions as user code calls them when no patch of the
 * same link defines them: the paths' object carries weak definitions of
 * their kernel names that call these (paths.c, "stubs"), so that a call
 * from a path is checked like every other header call.
 */
int __pv_make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page,
			 struct uv_cb_header *uvcb)
{
	return uv_make_secure_pte(ptep, addr, user_page(exp_page, "make_secure_pte"), uvcb);
}

int __pv_gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb)
{
	if (!uvcb)
		vis_fail("oops", VIS_SITE("gmap_make_secure"), "gmap_make_secure with uvcb NULL "
			 "(user path %s)", paths_running());
	return gmap_make_secure(user_gmap(gmap, "gmap_make_secure"), gaddr, uvcb);
}

/* ==== what arch_make_page_accessible uses (a patch of it) ==== */

int __pv_test_bit(int nr, const unsigned long *addr)
{
	struct page *page = user_page((const char *)addr - offsetof(struct page, flags), "test_bit");

	if (nr < 0 || nr >= NR_PAGEFLAGS)
		vis_fail("oops", VIS_SITE("test_bit"), "test_bit(%d) on %s: not a page flag",
			 nr, page->name);
	VIS_READ(page, "test_bit");
	return test_page_flag(page, nr);
}

unsigned long __pv_page_to_phys(const struct page *page)
{
	return (unsigned long)page_to_pfn(user_page(page, "page_to_phys")) << PAGE_SHIFT;
}

int __pv_uv_frame_call(unsigned long paddr, int export)
{
	const char *fn = export ? "uv_convert_from_secure" : "uv_pin_shared";
	unsigned long pfn = paddr >> PAGE_SHIFT;

	if (paddr & (PAGE_SIZE - 1) || pfn >= (unsigned long)mdl_world.nr_pages)
		vis_fail("oops", VIS_SITE(fn), "%s(0x%lx): not the address of a frame of the "
			 "world (user path %s)", fn, paddr, paths_running());
	return export ? uv_convert_from_secure((int)pfn) : uv_pin_shared((int)pfn);
}
