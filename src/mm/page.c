// SPDX-License-Identifier: MIT
/*
 * page.c - reference counts, the page lock and page allocation.
 *
 * Follows include/linux/page_ref.h, include/linux/mm.h (get_page,
 * put_page, try_get_page), mm/gup.c (try_grab_page, unpin_user_page),
 * mm/filemap.c (lock_page, unlock_page, wait_on_page_writeback) and
 * mm/page_alloc.c (free_pages_prepare clearing all flags) as of v5.7.
 *
 * Each operation on a page's refcount, flags or mapcount is one visible
 * step on the struct page (atomic in the kernel too); the page lock is a
 * separate lock object.  Abstracted away: compound heads, memcg charging,
 * the buddy allocator (a free list in declaration order), the
 * CONFIG_DEBUG_VM distinction: VM_BUG_ONs are always on, as in the debug
 * kernels the 2020 thread argued about.
 */
#include "model/world.h"
#include "inv/inv.h"
#include "model/mutant.h"
#include "uv/fw.h"

struct ref_tag ref_thread(enum ref_why why)
{
	return ref_obj(why, vis_self());
}

struct page *pfn_to_page(int pfn)
{
	return &mdl_world.pages[pfn];
}

int page_to_pfn(const struct page *page)
{
	return page->pfn;
}

struct frame *page_frame(const struct page *page)
{
	return &mdl_world.frames[page->pfn];
}

struct address_space *page_mapping(const struct page *page)
{
	if (PageSwapCache(page))
		return &mdl_world.swapper_space;
	if (PageAnon(page))
		return NULL;
	return page->mapping;
}

/*
 * Return a page to the free list (free_unref_page); caller saw count 0.
 * Two steps: free_pages_prepare() resets the page (a write of the page,
 * ordered against every reader of its state) and reads the frame for its
 * checks (vis_also: ordered against imports and DMA), then the frame is
 * linked into the free list (ordered against alloc_page()).
 */
static void __free_page_model(struct page *page, const char *site)
{
	vis_also(VIS_KIND_READ, page_frame(page));
	VIS_RMW(page, "free_pages_prepare");
	inv_page_freed(page, VIS_SITE(site));
	/* PAGE_FLAGS_CHECK_AT_PREP: every flag is cleared. */
	page->flags = 0;
	page->mapping = NULL;
	page->private = 0;
	page->_mapcount = -1;
	page->allocated = false;
	page->gen++;
	page->version++;
	if (vis_recording())
		vis_note("%s freed", page->name);
	/*
	 * "Freed while secure" and "freed during a transfer" are facts about
	 * the frame (firmware state, DMA), written under steps on the frame:
	 * this step reads the frame too (above), or a concurrent import or
	 * DMA would be treated as independent of this free.
	 */
	inv_frame_freed(page, VIS_SITE(site));
	VIS_RMW(&mdl_world.free_list, "free_unref_page: to the free list");
	mdl_world.free_mask |= 1u << page_to_pfn(page);
}

static void note_ref(const struct page *page, const char *what, int before,
		     struct ref_tag tag)
{
	if (vis_recording())
		vis_note("%s %s refcount %d->%d (%s)", page->name, what, before,
			 page->_refcount, ref_why_name(tag.why));
}

/* ==== plain get/put: must never meet a frozen count (INV-05) ==== */

/**
 * get_page - take a reference on a page the caller already knows is live.
 * @page: the page.
 * @tag: ghost: who holds the new reference.
 *
 * Context: any.  One visible step.  In the kernel a plain atomic_inc after
 * VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow(page)): on a frozen
 * page the debug kernel BUGs and a production kernel takes a reference that
 * the unfreeze will silently overwrite.
 */
void get_page(struct page *page, struct ref_tag tag)
{
	KERNEL_FRAME();
	int before;

	VIS_RMW(page, "get_page");
	if (page->freeze_tid >= 0)
		inv_fail(VIOL_FREEZE_EXCL, VIS_SITE("get_page"),
			 "VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow()) in get_page "
			 "(include/linux/mm.h): plain get of %s (%s) while thread %d holds "
			 "its refcount frozen; page_ref_unfreeze() would overwrite it",
			 page->name, ref_why_name(tag.why), page->freeze_tid);
	if (!page->allocated || page->_refcount <= 0)
		inv_fail(VIOL_REFS_REAL, VIS_SITE("get_page"),
			 "get_page on %s with refcount %d (free page)", page->name,
			 page->_refcount);
	before = page->_refcount++;
	page->version++;
	inv_ref_add(page, tag, 1, "get_page");
	note_ref(page, "get_page", before, tag);
}

/**
 * put_page - drop a reference; free the page when it was the last.
 * @page: the page.
 * @tag: ghost: whose reference is dropped.
 *
 * Context: any.  One visible step.  put_page_testzero() has
 * VM_BUG_ON_PAGE(page_ref_count(page) == 0): on a frozen page a production
 * kernel goes 0 -> -1 and the unfreeze loses the decrement (a leak).
 */
void put_page(struct page *page, struct ref_tag tag)
{
	KERNEL_FRAME();
	VIS_RMW(page, "put_page");
	put_page_in_step(page, tag);
}

/*
 * put_page_in_step - put_page() inside a step the caller announced on
 * @page: a lock section the model runs as one step (move_pages_to_lru's
 * SetPageLRU and put_page_testzero under the lru_lock).  Freeing the page
 * still takes its own steps.
 */
void put_page_in_step(struct page *page, struct ref_tag tag)
{
	int before;

	if (page->freeze_tid >= 0)
		inv_fail(VIOL_FREEZE_EXCL, VIS_SITE("put_page"),
			 "VM_BUG_ON_PAGE(page_ref_count(page) == 0) in put_page_testzero "
			 "(include/linux/mm.h): plain put of %s (%s) while thread %d holds "
			 "its refcount frozen; the decrement would be lost",
			 page->name, ref_why_name(tag.why), page->freeze_tid);
	if (page->_refcount <= 0)
		inv_fail(VIOL_REFS_REAL, VIS_SITE("put_page"),
			 "VM_BUG_ON_PAGE(page_ref_count(page) == 0) in put_page_testzero: "
			 "put of %s (%s) on a free page", page->name, ref_why_name(tag.why));
	inv_ref_del(page, tag, 1, VIS_SITE("put_page"));
	before = page->_refcount--;
	page->version++;
	note_ref(page, "put_page", before, tag);
	if (page->_refcount == 0)
		__free_page_model(page, "put_page");
	else
		inv_check_refcount(page, VIS_SITE("put_page"));
}

/* ==== speculative gets: fail on a frozen (or free) count ==== */

/**
 * page_ref_add_unless - add @nr unless the count is @u (0: frozen or free).
 * Context: any.  One visible step.
 * Return: true if the references were taken.
 */
bool page_ref_add_unless(struct page *page, int nr, int u, struct ref_tag tag)
{
	KERNEL_FRAME();
	VIS_RMW(page, "page_ref_add_unless");
	return page_ref_add_unless_in_step(page, nr, u, tag);
}

/*
 * page_ref_add_unless_in_step - page_ref_add_unless() inside a step the
 * caller announced on @page (__isolate_lru_page's PageLRU test, get and
 * ClearPageLRU under the lru_lock).
 */
bool page_ref_add_unless_in_step(struct page *page, int nr, int u, struct ref_tag tag)
{
	int before;

	if (page->_refcount == u) {
		if (vis_recording())
			vis_note("%s refcount is %d: speculative get fails", page->name, u);
		return false;
	}
	before = page->_refcount;
	page->_refcount += nr;
	page->version++;
	inv_ref_add(page, tag, nr, "page_ref_add_unless");
	note_ref(page, "get_unless_zero", before, tag);
	return true;
}

bool get_page_unless_zero(struct page *page, struct ref_tag tag)
{
	KERNEL_FRAME();
	return page_ref_add_unless(page, 1, 0, tag);
}

/* ==== freeze (include/linux/page_ref.h) ==== */

/**
 * page_ref_freeze - atomic_cmpxchg(&page->_refcount, @count, 0) == @count.
 * Context: any; the caller must not sleep until page_ref_unfreeze().
 * Return: true if the count was exactly @count and is now frozen at 0.
 */
bool page_ref_freeze(struct page *page, int count)
{
	KERNEL_FRAME();
	VIS_RMW(page, "page_ref_freeze");
	if (page->_refcount != count) {
		if (vis_recording())
			vis_note("%s freeze(%d) fails: refcount %d", page->name, count,
				 page->_refcount);
		return false;
	}
	page->_refcount = 0;
	page->version++;
	page->freeze_tid = vis_self();
	page->freeze_count = count;
	page->freeze_steps = 0;
	inv_frozen_add(page);
	if (vis_recording())
		vis_note("%s refcount %d->0 (frozen)", page->name, count);
	return true;
}

/**
 * page_ref_unfreeze - atomic_set_release(&page->_refcount, @count).
 *
 * A blind store: any plain get/put done meanwhile is overwritten, which is
 * why INV-05 requires that none happened.
 * Context: the thread that froze the count.  One visible step.
 */
void page_ref_unfreeze(struct page *page, int count)
{
	KERNEL_FRAME();
	VIS_WRITE(page, "page_ref_unfreeze");
	if (page->_refcount != 0 || count == 0)
		inv_fail(VIOL_FREEZE_EXCL, VIS_SITE("page_ref_unfreeze"),
			 "VM_BUG_ON_PAGE(page_count(page) != 0) in page_ref_unfreeze: %s "
			 "refcount %d", page->name, page->_refcount);
	page->_refcount = count;
	page->version++;
	page->freeze_tid = -1;
	inv_frozen_del(page);
	if (vis_recording())
		vis_note("%s refcount 0->%d (unfrozen)", page->name, count);
	if (inv_ref_sum(page) != count)
		inv_fail(VIOL_FREEZE_EXCL, VIS_SITE("page_ref_unfreeze"),
			 "%s unfrozen to %d but %d references really exist", page->name,
			 count, inv_ref_sum(page));
}

/* ==== gup grabs (mm.h try_get_page, mm/gup.c try_grab_page, v5.7) ==== */

/* The WARN_ON_ONCE(page_ref_count(page) <= 0) of try_get_page()/try_grab_page(). */
static void warn_count_le0(struct page *page, const char *fn)
{
	if (page->freeze_tid >= 0)
		inv_fail(VIOL_FREEZE_EXCL, VIS_SITE(fn),
			 "WARN_ON_ONCE(page_ref_count(page) <= 0) in %s (v5.7): %s is "
			 "reachable through a present PTE while thread %d holds its "
			 "refcount frozen", fn, page->name, page->freeze_tid);
	inv_fail(VIOL_REFS_REAL, VIS_SITE(fn),
		 "WARN_ON_ONCE(page_ref_count(page) <= 0) in %s: %s is free", fn,
		 page->name);
}

/**
 * try_get_page - take a reference unless the count is <= 0 (v5.7, WARNs).
 * Context: any.  One visible step.
 * Return: true if taken.  A false return is always also a finding here.
 */
bool try_get_page(struct page *page, struct ref_tag tag)
{
	KERNEL_FRAME();
	int before;

	VIS_RMW(page, "try_get_page");
	if (page->_refcount <= 0)
		warn_count_le0(page, "try_get_page");
	before = page->_refcount++;
	page->version++;
	inv_ref_add(page, tag, 1, "try_get_page");
	note_ref(page, "try_get_page", before, tag);
	return true;
}

/**
 * try_grab_page - FOLL_GET: try_get_page(); FOLL_PIN: add
 * GUP_PIN_COUNTING_BIAS, with the same WARN on a count <= 0.
 * Context: slow gup, under the PTE lock.  One visible step.
 * Return: true if the reference or pin was taken.
 */
bool try_grab_page(struct page *page, unsigned int flags, struct ref_tag tag)
{
	KERNEL_FRAME();
	int before;

	if (!(flags & FOLL_PIN))
		return (flags & FOLL_GET) ? try_get_page(page, tag) : true;
	VIS_RMW(page, "try_grab_page");
	if (page->_refcount <= 0 && MUTANT_KEEP(MUT_TRY_GRAB_WARN))
		warn_count_le0(page, "try_grab_page");
	before = page->_refcount;
	page->_refcount += (int)GUP_PIN_COUNTING_BIAS;
	page->version++;
	inv_ref_add(page, tag, (int)GUP_PIN_COUNTING_BIAS, "try_grab_page");
	note_ref(page, "pin", before, tag);
	return true;
}

/**
 * unpin_user_page - release a FOLL_PIN pin (put_page_refs of the bias).
 * Context: any.  One visible step.
 */
void unpin_user_page(struct page *page, struct ref_tag tag)
{
	KERNEL_FRAME();
	int before;

	VIS_RMW(page, "unpin_user_page");
	if (page->freeze_tid >= 0)
		inv_fail(VIOL_FREEZE_EXCL, VIS_SITE("unpin_user_page"),
			 "VM_BUG_ON_PAGE in put_page_refs: unpin of %s while thread %d "
			 "holds its refcount frozen", page->name, page->freeze_tid);
	if (page->_refcount < (int)GUP_PIN_COUNTING_BIAS)
		inv_fail(VIOL_REFS_REAL, VIS_SITE("unpin_user_page"),
			 "unpin of %s with refcount %d < GUP_PIN_COUNTING_BIAS",
			 page->name, page->_refcount);
	inv_ref_del(page, tag, (int)GUP_PIN_COUNTING_BIAS, VIS_SITE("unpin_user_page"));
	before = page->_refcount;
	page->_refcount -= (int)GUP_PIN_COUNTING_BIAS;
	page->version++;
	note_ref(page, "unpin", before, tag);
	if (page->_refcount == 0)
		__free_page_model(page, "unpin_user_page");
}

/**
 * ref_transfer - ghost only: a reference changes holder without a count
 * change (alloc_page's reference becomes the page cache's, ...).
 *
 * The holder table is read by the checks of every other refcount step on
 * the page (put_page looks its tag up, the import and DMA checks sum it), so
 * rewriting a tag is a write of the page: announced as one, or the explorer
 * would treat it as independent of a concurrent put_page on the same page
 * (the model audit, tests/audit, found it done inside PTE and pipe steps).
 * Context: any.  One visible step (ghost: no kernel counterpart).
 */
void ref_transfer(struct page *page, struct ref_tag from, struct ref_tag to)
{
	int i;

	VIS_GHOST_RMW(page, "(ghost) reference changes holder");
	for (i = 0; i < page->nholders; i++) {
		struct ref_holder *h = &page->holders[i];

		if (ref_tag_eq(h->tag, from)) {
			h->tag = to;
			return;
		}
	}
	inv_fail(VIOL_REFS_REAL, VIS_SITE("ref_transfer"),
		 "%s: no %s reference to hand over", page->name, ref_why_name(from.why));
}

/* ==== page lock (mm/filemap.c, include/linux/pagemap.h) ==== */

/**
 * lock_page - take PG_locked, sleeping while another task holds it.
 * Context: may sleep: no spinlock held, no refcount frozen.  The caller
 * must hold a reference (or rely on one it can name, see INV-07).
 */
void (lock_page)(struct page *page, const char *caller)
{
	KERNEL_FRAME();
	___might_sleep("include/linux/pagemap.h", caller, VIS_SITE("lock_page"));
	inv_lockdep_check(LC_PAGE, &page->lock, caller, VIS_SITE("lock_page"));
	/*
	 * A caller without a reference of its own (gmap_make_secure, v5.7)
	 * relies on someone else's: the lock step reads the page too
	 * (vis_also), so that the explorer orders it against a concurrent
	 * free and the check sees the page at the instant the lock is taken.
	 * Always: deciding whether to look by reading the holders or the
	 * refcount would itself be an unannounced read of the page, racing
	 * with other threads' get/put (found by the model audit).
	 */
	vis_also(VIS_KIND_READ, page);
	vis_lock(&page->lock, false, VIS_SITE("lock_page"));
	/* PG_locked: the lock object's mirror, written in the lock's own steps */
	page->lock_tid = vis_self();
	inv_lock_acquired(LC_PAGE, &page->lock, caller);
	if (!page->allocated)
		inv_fail(VIOL_USE_NEEDS_REF, VIS_SITE("lock_page"),
			 "lock_page on %s, which is free: the caller holds no reference",
			 page->name);
}

/**
 * trylock_page - take PG_locked if it is free.
 * Context: any.  Return: true if taken.
 */
bool (trylock_page)(struct page *page, const char *caller)
{
	KERNEL_FRAME();
	/* a trylock makes no lock dependency (lockdep: validate_chain) */
	if (!vis_trylock(&page->lock, VIS_SITE("trylock_page")))
		return false;
	page->lock_tid = vis_self();	/* PG_locked mirror, see lock_page() */
	inv_lock_acquired(LC_PAGE, &page->lock, caller);
	return true;
}

/**
 * unlock_page - clear PG_locked and wake waiters.
 * Context: the lock holder.  VM_BUG_ON_PAGE(!PageLocked(page)).
 */
void unlock_page(struct page *page)
{
	KERNEL_FRAME();
	/* "do I hold it" is thread-local: no read of another thread's state */
	if (!inv_holds_lock(&page->lock))
		inv_fail(VIOL_NO_DEADLOCK, VIS_SITE("unlock_page"),
			 "VM_BUG_ON_PAGE(!PageLocked(page)) in unlock_page: %s not locked "
			 "by this thread", page->name);
	inv_lock_released(&page->lock);
	vis_unlock(&page->lock, VIS_SITE("unlock_page"));
	/*
	 * Clear the mirror in the unlock step itself (announced on the lock):
	 * done before the announcement it would belong to the previous step,
	 * unordered against the next owner's lock_page().
	 */
	page->lock_tid = -1;
}

bool page_pred_no_writeback(const void *arg)
{
	return !PageWriteback((const struct page *)arg);
}

bool page_pred_unfrozen(const void *arg)
{
	const struct page *page = arg;

	return page->_refcount != 0 || !page->allocated;
}

/* The page changed since the thread's last failed attempt on it. */
bool page_pred_changed(const void *arg)
{
	const struct mdl_thread *t = arg;

	return t->retry_page->version != t->retry_version;
}

/**
 * wait_on_page_writeback - sleep until PG_writeback is clear.
 * Context: may sleep; the caller must hold a reference (documented in
 * v5.7 pagemap.h only implicitly; fixed for s390 in 2024 by "s390/uv:
 * don't call folio_wait_writeback() without a folio reference").
 */
void wait_on_page_writeback(struct page *page)
{
	KERNEL_FRAME();
	/*
	 * v5.7 complains only when it does wait (schedule()'s "scheduling
	 * while atomic"); the model checks every call: the context is as
	 * invalid in a run where the bit happens to be clear.
	 */
	___might_sleep("mm/page-writeback.c", __func__, VIS_SITE("wait_on_page_writeback"));
	vis_wait(page, false, page_pred_no_writeback, page,
		 VIS_SITE("wait_on_page_writeback"));
}

/* ==== allocation (mm/page_alloc.c) ==== */

/**
 * alloc_page - take the first free page frame, refcount 1.
 * Context: may sleep (the callers' GFP_KERNEL/GFP_HIGHUSER_MOVABLE: direct
 * reclaim is not modelled, its might_sleep() is).  One visible step.
 * Return: the page, or NULL when none is free.
 */
struct page *(alloc_page)(struct ref_tag tag, const char *caller)
{
	KERNEL_FRAME();
	struct page *page;
	int i;

	/* every v5.7 caller modelled allocates with __GFP_DIRECT_RECLAIM */
	___might_sleep("mm/page_alloc.c", caller, VIS_SITE("alloc_page"));
	VIS_RMW(&mdl_world.free_list, "alloc_page: take from the free list");
	if (!mdl_world.free_mask)
		return NULL;
	i = __builtin_ctz(mdl_world.free_mask);
	mdl_world.free_mask &= ~(1u << i);
	page = &mdl_world.pages[i];
	VIS_GHOST_READ(page_frame(page), "alloc_page: the frame must not be secure");
	if (fw_get()->query(i).state == FW_SECURE)
		inv_fail(VIOL_SECURE_MAPPED, VIS_SITE("alloc_page"),
			 "%s allocated while still secure for guest frame %lu",
			 page->name, fw_get()->query(i).gfn);
	/* prep_new_page(): the frame becomes a page again */
	VIS_RMW(page, "alloc_page: prep_new_page");
	page->allocated = true;
	page->_refcount = 1;
	page->_mapcount = -1;
	page->flags = 0;
	page->nholders = 0;
	inv_ref_add(page, tag, 1, "alloc_page");
	if (vis_recording())
		vis_note("allocated %s", page->name);
	return page;
}
