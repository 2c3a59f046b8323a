// SPDX-License-Identifier: MIT
/*
 * swap.c - per-CPU LRU pagevecs, their draining, and the plain-get sites
 * of the LRU: lru_cache_add, mark_page_accessed -> activate_page, and
 * rotate_reclaimable_page.
 *
 * Follows mm/swap.c as of v5.7 (5.7.14 does not differ here): a page added
 * to the LRU, queued for activation or queued for rotation first sits in a
 * per-CPU pagevec that holds a reference taken with a plain get_page(); the
 * pagevec is drained (its pages moved, release_pages() dropping the
 * references) when it becomes full, by lru_add_drain() on the local CPU, or
 * by lru_add_drain_all() on every CPU (through per-CPU work that the caller
 * waits for; here the caller drains them itself, which has the same effect
 * on the counts).  These transient references are the usual reason for
 * gmap_make_secure()'s -EBUSY.
 *
 * A plain get_page() does not respect a frozen count (INV-05), so each site
 * says what keeps the freeze of make_secure_pte() away from it:
 *   - lru_cache_add() of a fresh anonymous page: the page is not mapped
 *     yet (do_anonymous_page adds it under the PTE lock before set_pte_at),
 *     so gmap_make_secure() cannot find it;
 *   - activate_page(): every v5.7 caller of mark_page_accessed() holds a
 *     reference of its own (gup's grab, the read path's find_get_page, a
 *     mapping's reference under the PTE lock): the count is above
 *     expected_page_refs, so the exact freeze fails, and a lookup that meets
 *     a frozen count waits for the unfreeze.  An unmapping path of another
 *     mm (zap_pte_range of a second mapping) is the exception: its mapping
 *     is counted in expected_page_refs.
 *   - rotate_reclaimable_page(): runs at end_page_writeback() with
 *     PG_writeback still set; make_secure_pte() returns -EAGAIN on
 *     PageWriteback under the page lock, which __test_set_page_writeback()'s
 *     caller held while setting it.
 *
 * Abstracted away: the LRU lists themselves (only PG_lru, PG_active,
 * PG_referenced, PG_reclaim), memcg, PG_unevictable (PG_mlocked stands
 * for it: page.h PageUnevictable), compound
 * pages, the lru_lock.  v5.7 keeps lru_add_pvec, lru_rotate_pvecs and
 * activate_page_pvecs (and the deactivate ones) apart, 15 pages each; the
 * model keeps one list of MDL_PVEC_SIZE entries per CPU, each entry tagged
 * with the pagevec it stands for (enum pvec_kind), and drains the CPU's
 * whole list when it is full (doc/protocol.md says why this cannot make a
 * race safe).  All pagevecs are one visible object.  Scenario threads run
 * on CPU = thread id; a page declared with pvec=1 sits in the lru_add
 * pagevec of a CPU no scenario thread runs on.
 */
#include "model/world.h"
#include "inv/inv.h"

static const char *const pvec_name[] = {
	[PVEC_LRU_ADD] = "lru_add_pvec",
	[PVEC_ROTATE] = "lru_rotate_pvecs",
	[PVEC_ACTIVATE] = "activate_page_pvecs",
};

/*
 * Move one drained page where its pagevec says (__pagevec_lru_add_fn,
 * pagevec_move_tail_fn, __activate_page), then drop the pagevec's
 * reference (release_pages).  Two visible steps on the page.
 */
static void pvec_release_one(struct page *page, int kind, int cpu)
{
	kernel_frame("release_pages");
	VIS_RMW(page, pvec_name[kind]);
	switch (kind) {
	case PVEC_LRU_ADD:
		__set_page_flag(page, PG_lru);
		break;
	case PVEC_ROTATE:
		if (PageLRU(page))
			__clear_page_flag(page, PG_active);
		break;
	case PVEC_ACTIVATE:
		if (PageLRU(page) && !PageActive(page))
			__set_page_flag(page, PG_active);
		break;
	}
	put_page(page, ref_obj(REF_PVEC, cpu));
}

/*
 * lru_add_drain_cpu - drain @cpu's pagevecs, one page at a time.
 *
 * The caller's step announced the pagevecs and covers the first pop; each
 * later pop runs in a step of its own on them, because the page's own
 * steps (pvec_release_one) come in between.  Without that, two drainers of
 * one CPU raced unannounced:
 *   1. A pops the last page but one, then runs put_page() (a step on the
 *      page);
 *   2. B, in its drain of the same CPU, pops the last page;
 *   3. A reads pvec_count in no step of its own: whether A or B drains a
 *      page depended on an order the checker did not know, and optimal
 *      DPOR counted 2, 7 or 12 executions of one scenario by thread order
 *      (tests/genmodel/engine/order-dependent-count.pvs, found by make
 *      audit).
 * In v5.7 a CPU's pagevecs are only touched on that CPU with preemption
 * (or interrupts) disabled, and lru_add_drain_all() serialises its callers
 * with a mutex; the model lets any thread drain any CPU (doc/protocol.md),
 * so it needs the step per page.  The last announcement finds the count 0.
 */
static void lru_add_drain_cpu(int cpu)
{
	KERNEL_FRAME();
	while (mdl_world.pvec_count[cpu] > 0) {
		int i = --mdl_world.pvec_count[cpu];
		struct page *page = mdl_world.pvec[cpu][i];
		int kind = mdl_world.pvec_kind[cpu][i];

		mdl_world.pvec[cpu][i] = NULL;
		mdl_world.pvec_kind[cpu][i] = 0;
		pvec_release_one(page, kind, cpu);
		VIS_RMW(mdl_world.pvec_count, "lru_add_drain_cpu: pagevec_count");
	}
}

/*
 * pagevec_add - the common tail of every plain-get site: the caller has
 * taken the pagevec's reference with get_page(); queue @page on this CPU
 * and, when that fills the pagevec, drain it at once (v5.7:
 * "if (!pagevec_add(pvec, page) || PageCompound(page))" followed by the
 * pagevec's move function and release_pages).
 */
static void pagevec_add(struct page *page, int kind, const char *what)
{
	KERNEL_FRAME();
	int cpu = vis_self();

	VIS_RMW(mdl_world.pvec_count, what);
	mdl_world.pvec_kind[cpu][mdl_world.pvec_count[cpu]] = (unsigned char)kind;
	mdl_world.pvec[cpu][mdl_world.pvec_count[cpu]++] = page;
	if (vis_recording())
		vis_note("%s queued on cpu %d (%s)", page->name, cpu, pvec_name[kind]);
	if (mdl_world.pvec_count[cpu] >= MDL_PVEC_SIZE)
		lru_add_drain_cpu(cpu);
}

/**
 * lru_cache_add - put @page on this CPU's lru_add pagevec (__lru_cache_add).
 * @page: a page not yet on the LRU (VM_BUG_ON_PAGE(PageLRU(page))).
 *
 * Context: any; the caller holds a reference (a fresh page's allocation
 * reference).  Visible steps: the plain get_page(), the pagevec add, and
 * the drain when the pagevec is full.
 */
void lru_cache_add(struct page *page)
{
	KERNEL_FRAME();
	int cpu = vis_self();

	preempt_disable();	/* get_cpu_var(lru_add_pvec) */
	get_page(page, ref_obj(REF_PVEC, cpu));
	pagevec_add(page, PVEC_LRU_ADD, "__lru_cache_add: pagevec_add");
	preempt_enable();	/* put_cpu_var */
}

/**
 * activate_page - queue an inactive LRU page for activation (the SMP
 * activate_page of v5.7).
 * @page: the page; the caller holds a reference.
 *
 * Context: any.  Takes the activate pagevec's reference with a plain
 * get_page(): safe against make_secure_pte() only because the caller's own
 * reference keeps the count above expected_page_refs (file comment).
 */
void activate_page(struct page *page)
{
	KERNEL_FRAME();
	int cpu = vis_self();

	VIS_READ(page, "activate_page: PageLRU, PageActive, PageUnevictable");
	if (!PageLRU(page) || PageActive(page) || PageUnevictable(page))
		return;
	preempt_disable();	/* get_cpu_var(activate_page_pvecs) */
	get_page(page, ref_obj(REF_PVEC, cpu));
	pagevec_add(page, PVEC_ACTIVATE, "activate_page: pagevec_add");
	preempt_enable();
}

/*
 * __lru_cache_activate_page - the page is not on the LRU: if it sits in
 * this CPU's lru_add pagevec, mark it active there (no reference taken).
 */
static void __lru_cache_activate_page(struct page *page)
{
	KERNEL_FRAME();
	int cpu = vis_self(), i;
	bool found = false;

	VIS_READ(mdl_world.pvec_count, "__lru_cache_activate_page: look in lru_add_pvec");
	for (i = mdl_world.pvec_count[cpu] - 1; i >= 0; i--)
		if (mdl_world.pvec[cpu][i] == page &&
		    mdl_world.pvec_kind[cpu][i] == PVEC_LRU_ADD)
			found = true;
	if (found) {
		VIS_RMW(page, "__lru_cache_activate_page: SetPageActive");
		__set_page_flag(page, PG_active);
	}
}

/**
 * mark_page_accessed - note an access: inactive,unreferenced ->
 * inactive,referenced -> active,unreferenced.
 * @page: the page; the caller holds a reference (gup's grab, the read
 * path's lookup, a mapping under the PTE lock).
 *
 * Context: any.  The first access only sets PG_referenced; the second
 * queues the page for activation: activate_page()'s plain get_page() for a
 * page on the LRU.  An unevictable (mlocked) page is never activated.
 * Visible steps: the flag test, then activate_page's.
 */
void mark_page_accessed(struct page *page)
{
	KERNEL_FRAME();
	bool lru;

	VIS_RMW(page, "mark_page_accessed: PageReferenced, PageActive");
	if (!PageReferenced(page)) {
		__set_page_flag(page, PG_referenced);
		return;
	}
	if (PageActive(page) || PageUnevictable(page))
		return;	/* v5.7: neither activated nor PG_referenced set again */
	lru = PageLRU(page);
	if (lru)
		activate_page(page);
	else
		__lru_cache_activate_page(page);
	VIS_RMW(page, "mark_page_accessed: ClearPageReferenced");
	__clear_page_flag(page, PG_referenced);
}

/**
 * rotate_reclaimable_page - writeback of a page reclaim wanted has ended:
 * queue it for the tail of the inactive list.
 * @page: the page, PG_writeback still set (end_page_writeback).
 *
 * Context: I/O completion (IRQs off); no reference of the caller: the
 * plain get_page() relies on PG_writeback, which keeps the page's
 * truncation and reclaim waiting, and make_secure_pte() away.
 */
void rotate_reclaimable_page(struct page *page)
{
	KERNEL_FRAME();
	int cpu = vis_self();
	bool locked, flags;

	/* PG_locked is the page lock's state: read it in a step on the lock */
	VIS_READ(&page->lock, "rotate_reclaimable_page: PageLocked");
	locked = PageLocked(page);
	VIS_READ(page, "rotate_reclaimable_page: PageDirty, PageLRU");
	if (locked || PageDirty(page) || !PageLRU(page))
		return;
	get_page(page, ref_obj(REF_PVEC, cpu));
	local_irq_save(flags);	/* this_cpu_ptr(&lru_rotate_pvecs) */
	pagevec_add(page, PVEC_ROTATE, "rotate_reclaimable_page: pagevec_add");
	local_irq_restore(flags);
}

/**
 * lru_add_drain - flush the local CPU's pagevecs.
 * Context: process context.
 */
void lru_add_drain(void)
{
	KERNEL_FRAME();
	preempt_disable();	/* get_cpu() */
	VIS_RMW(mdl_world.pvec_count, "lru_add_drain");
	lru_add_drain_cpu(vis_self());
	preempt_enable();	/* put_cpu() */
}

/**
 * lru_add_drain_all - flush every CPU's pagevecs.
 *
 * Follows the 5.7.14 tree: read the drain seqcount, take the function's
 * static mutex, return at once if a drain started and ended while this
 * caller waited for it (the "piggyback"), else bump the seqcount, queue the
 * drain work on every CPU whose pagevecs hold pages and flush it.  The
 * model's caller drains those CPUs itself, in CPU order, under the mutex
 * (doc/protocol.md: a CPU's drain touches only its own pagevec and the
 * pages in it, so the order of the CPUs' drains cannot hide a race).
 *
 * Context: process context, sleeps (mutex_lock, flush_work).
 */
void lru_add_drain_all(void)
{
	KERNEL_FRAME();
	struct mdl_thread *t = mdl_current();
	uint32_t has_work = 0;
	bool piggyback;
	int cpu;

	_Static_assert(MDL_NR_CPUS <= 32, "has_work is a 32-bit cpumask");
	/*
	 * v5.7's local 'seq' lives in the thread's record, not on its stack:
	 * the stateful search's canonical form then keeps of it only whether
	 * a drain ran since (mdl_world_canon_threads()), which is all the
	 * retry check below reads; the count itself only grows.
	 */
	VIS_READ(&mdl_world.lru_drain_seq, "lru_add_drain_all: raw_read_seqcount_latch");
	t->drain_seq = mdl_world.lru_drain_seq;
	t->in_drain = true;
	mutex_lock(&mdl_world.lru_drain_lock, LC_LRU_DRAIN);
	VIS_RMW(&mdl_world.lru_drain_seq, "lru_add_drain_all: __read_seqcount_retry");
	piggyback = mdl_world.lru_drain_seq != t->drain_seq;
	t->in_drain = false;
	if (piggyback) {
		if (vis_recording())
			vis_note("a drain ran while we waited: piggyback on it");
		goto done;
	}
	mdl_world.lru_drain_seq++;	/* raw_write_seqcount_latch */
	VIS_READ(mdl_world.pvec_count, "lru_add_drain_all: pagevec_count");
	for (cpu = 0; cpu < MDL_NR_CPUS; cpu++)
		if (mdl_world.pvec_count[cpu])
			has_work |= 1u << cpu;
	for (cpu = 0; cpu < MDL_NR_CPUS; cpu++) {
		if (!(has_work & (1u << cpu)))
			continue;
		/* lru_add_drain_per_cpu() on @cpu; flush_work() waits for it */
		VIS_RMW(mdl_world.pvec_count, "lru_add_drain_per_cpu");
		lru_add_drain_cpu(cpu);
	}
done:
	mutex_unlock(&mdl_world.lru_drain_lock);
}
