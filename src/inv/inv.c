// SPDX-License-Identifier: MIT
/*
 * inv.c - the properties INV-01..INV-12 and their ghost state.
 *
 * Not a kernel file: this is the checker's view of the model, what the
 * kernel's WARN_ON/VM_BUG_ON_PAGE/lockdep/might_sleep would say plus what
 * no kernel check can see (who really holds a reference, whether a device
 * touched a secure frame).  doc/invariants.md has one paragraph per id:
 * when it holds and when it may be broken transiently.  Checks are made at
 * the step a property is about (a DMA, an import, a free, an unfreeze),
 * never only in sweeps, because after_step sweeps run only when recording
 * or with --paranoid.
 */
#include <stdarg.h>
#include <stdio.h>
#include "model/world.h"
#include "inv/inv.h"
#include "lib/bug.h"
#include "uv/fw.h"
#include "uv/uv.h"

#define MDL_FREEZE_BOUND 8	/* visible steps a freezer may take while frozen */

static const char *const viol_ids[] = {
#define VIOL(e, id, text) id,
#include "inv/violations.def"
#undef VIOL
};

static const char *const viol_texts[] = {
#define VIOL(e, id, text) text,
#include "inv/violations.def"
#undef VIOL
};

const char *inv_id(enum violation v)
{
	return v < VIOL_NR ? viol_ids[v] : "INV-??";
}

const char *inv_text(enum violation v)
{
	return v < VIOL_NR ? viol_texts[v] : "?";
}

_Noreturn void inv_fail(enum violation v, struct vis_site site, const char *fmt, ...)
{
	char msg[224];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vis_fail(inv_id(v), site, "%s", msg);
}

const char *ref_why_name(int why)
{
	static const char *const names[REF_NR] = {
		[REF_NONE] = "none", [REF_MAP] = "pte mapping", [REF_CACHE] = "page cache",
		[REF_BUFFERS] = "buffer heads", [REF_ALLOC] = "allocation",
		[REF_PVEC] = "lru pagevec", [REF_LOOKUP] = "find_get_page",
		[REF_GET] = "get_page", [REF_GUP] = "gup FOLL_GET", [REF_PIN] = "gup FOLL_PIN",
		[REF_PIPE] = "pipe buffer", [REF_ISOLATE] = "isolated",
		[REF_FAULT] = "fault handler",
	};

	return (why >= 0 && why < REF_NR) ? names[why] : "?";
}

/* ==== ghost holders ==== */

void inv_ref_add(struct page *page, struct ref_tag tag, int weight, const char *site)
{
	struct ref_holder *h;

	if (page->nholders >= MDL_MAX_HOLDERS)
		PVM_BUG();	/* MDL_MAX_HOLDERS too low */
	h = &page->holders[page->nholders++];
	h->tag = tag;
	h->tid = (int16_t)vis_self();
	h->weight = weight;
	h->since = mdl_world.step;
	h->site = site;
}

void inv_ref_del(struct page *page, struct ref_tag tag, int weight, struct vis_site site)
{
	int i;

	for (i = page->nholders - 1; i >= 0; i--) {
		struct ref_holder *h = &page->holders[i];

		if (h->tag.why != tag.why || h->tag.owner != tag.owner || h->weight != weight)
			continue;
		page->holders[i] = page->holders[--page->nholders];
		return;
	}
	inv_fail(VIOL_REFS_REAL, site,
		 "%s: dropped a %s reference (owner %d) that nobody holds", page->name,
		 ref_why_name(tag.why), tag.owner);
}

int inv_ref_sum(const struct page *page)
{
	int i, sum = 0;

	for (i = 0; i < page->nholders; i++)
		sum += page->holders[i].weight;
	return sum;
}

void inv_check_refcount(struct page *page, struct vis_site site)
{
	if (!page->allocated || page->freeze_tid >= 0)
		return;
	if (page->_refcount != inv_ref_sum(page))
		inv_fail(VIOL_REFS_REAL, site, "%s: refcount %d but %d references held",
			 page->name, page->_refcount, inv_ref_sum(page));
}

bool inv_thread_holds_ref(const struct page *page, int tid)
{
	int i;

	for (i = 0; i < page->nholders; i++) {
		const struct ref_holder *h = &page->holders[i];

		if (h->tag.owner == tid && h->tag.why >= REF_LOOKUP && h->tag.why != REF_PIPE)
			return true;
	}
	return false;
}

/* An I/O marker: more references than expected_page_refs(), or PG_writeback. */
bool inv_has_marker(const struct page *page)
{
	return PageWriteback(page) || inv_ref_sum(page) > expected_page_refs(page);
}

/* ==== locks ==== */

void inv_lock_acquired(enum lock_class cls, const void *obj, struct vis_site site)
{
	struct mdl_thread *t = mdl_current();

	if (t->nheld >= MDL_MAX_HELD)
		PVM_BUG();	/* MDL_MAX_HELD too low */
	t->held[t->nheld] = obj;
	t->held_cls[t->nheld++] = cls;
}

void inv_lock_released(const void *obj)
{
	struct mdl_thread *t = mdl_current();
	int i;

	for (i = t->nheld - 1; i >= 0; i--) {
		if (t->held[i] != obj)
			continue;
		for (; i < t->nheld - 1; i++) {
			t->held[i] = t->held[i + 1];
			t->held_cls[i] = t->held_cls[i + 1];
		}
		t->nheld--;
		return;
	}
}

bool inv_holds_lock(const void *obj)
{
	const struct mdl_thread *t = mdl_current();
	int i;

	for (i = 0; i < t->nheld; i++)
		if (t->held[i] == obj)
			return true;
	return false;
}

static const char *lock_class_name(int cls)
{
	switch (cls) {
	case LC_PIPE: return "pipe->mutex";
	case LC_MMAP_SEM: return "mmap_sem";
	case LC_PAGE: return "page lock";
	case LC_PTL: return "PTE lock";
	default: return "?";
	}
}

void inv_lockdep_check(enum lock_class cls, struct vis_site site)
{
	const struct mdl_thread *t = mdl_current();
	int i;

	for (i = 0; i < t->nheld; i++)
		if (t->held_cls[i] > (int)cls)
			inv_fail(VIOL_NO_DEADLOCK, site,
				 "lockdep: possible circular locking: taking %s while "
				 "holding %s (order: mmap_sem, page lock, PTE lock)",
				 lock_class_name(cls), lock_class_name(t->held_cls[i]));
}

void inv_might_sleep(struct vis_site site)
{
	const struct mdl_thread *t = mdl_current();
	int i;

	for (i = 0; i < t->nheld; i++)
		if (t->held_cls[i] == LC_PTL)
			inv_fail(VIOL_NO_DEADLOCK, site,
				 "BUG: sleeping function called from invalid context "
				 "(might_sleep in %s with the PTE spinlock held)", site.what);
	if (t->nfrozen > 0)
		inv_fail(VIOL_PROGRESS, site,
			 "%s may sleep while this thread holds a refcount frozen", site.what);
}

/* ==== uses ==== */

void inv_page_use(const struct page *page, unsigned int gen, struct vis_site site)
{
	/*
	 * The check reads the page's allocation state: a step of its own on
	 * the page, so that a concurrent free is ordered before or after it
	 * (an unannounced read would let the explorer treat the two as
	 * independent and try only one order).
	 */
	vis_op(VIS_KIND_READ, page, site);
	if (!page->allocated)
		inv_fail(VIOL_USE_NEEDS_REF, site,
			 "%s uses %s without a reference, and it has been freed", site.what,
			 page->name);
	if (page->gen != gen)
		inv_fail(VIOL_USE_NEEDS_REF, site,
			 "%s uses %s without a reference, and it has been freed and "
			 "reallocated since it was looked up", site.what, page->name);
}

/* ==== DMA ==== */

/*
 * The I/O protocol (INV-02) is about the page (its refcount, PG_writeback,
 * PG_arch_1), the transfer (INV-01) about the frame.  Each is checked in a
 * step announced on what it reads: inv_dma_marker() in a step on the page
 * right after the DMA start (@start: INV-01, checked at the start's frame
 * step, comes first, as before) and right before its completion;
 * inv_dma_start()/inv_dma_end() in the frame steps.  Reading the page in
 * the frame step (as before) let DPOR treat a marker dropped by another
 * thread as independent of the DMA and miss it.
 */
void inv_dma_marker(struct page *page, bool start, struct vis_site site)
{
	if (!inv_has_marker(page)) {
		if (start)
			inv_fail(VIOL_IO_PROTOCOL, site,
				 "I/O on %s started without a marker: refcount %d is not "
				 "above expected_page_refs %d and PG_writeback is clear",
				 page->name, inv_ref_sum(page), expected_page_refs(page));
		inv_fail(VIOL_IO_PROTOCOL, site,
			 "marker on %s dropped before the I/O ended", page->name);
	}
	if (start && PageArch1(page))
		inv_fail(VIOL_IO_PROTOCOL, site,
			 "I/O on %s started with PG_arch_1 set: the path did not call "
			 "arch_make_page_accessible()", page->name);
}

/*
 * The marker facts of a DMA start, read in a step on the page right before
 * the start's frame step and judged in the page step right after it, if the
 * page did not change in between: the argument of inv_import_facts().
 * Read after the start instead, a converter's set_bit(PG_arch_1) that came
 * after the start was reported as "started with PG_arch_1 set".
 */
void inv_dma_marker_facts(const struct page *page, struct inv_marker_facts *f)
{
	f->version = page->version;
	f->marker = inv_has_marker(page);
	f->arch1 = PageArch1(page);
	f->refs = inv_ref_sum(page);
	f->expected = expected_page_refs(page);
}

void inv_dma_marker_start(struct page *page, const struct inv_marker_facts *f,
			  struct vis_site site)
{
	if (page->version != f->version)
		return;
	if (!f->marker)
		inv_fail(VIOL_IO_PROTOCOL, site,
			 "I/O on %s started without a marker: refcount %d is not "
			 "above expected_page_refs %d and PG_writeback is clear",
			 page->name, f->refs, f->expected);
	if (f->arch1)
		inv_fail(VIOL_IO_PROTOCOL, site,
			 "I/O on %s started with PG_arch_1 set: the path did not call "
			 "arch_make_page_accessible()", page->name);
}

/* Transfers in flight on @page's frame; call in a step on the frame. */
int inv_dma_inflight(const struct page *page)
{
	int i, n = 0;

	for (i = 0; i < (int)sizeof(page->dma_inflight); i++)
		n += page->dma_inflight[i];
	return n;
}

void inv_dma_start(struct page *page, bool to_device, struct vis_site site)
{
	const struct fw_ops *fw = fw_get();

	if (!fw->host_access_ok(page->pfn))
		inv_fail(VIOL_NO_DMA_SECURE, site,
			 "device %s %s, which is secure for guest frame %lu (I/O error "
			 "on hardware)", to_device ? "reads" : "writes", page->name,
			 fw->query(page->pfn).gfn);
	page->dma_inflight[vis_self()]++;
}

void inv_dma_end(struct page *page, bool to_device, struct vis_site site)
{
	const struct fw_ops *fw = fw_get();

	if (!fw->host_access_ok(page->pfn))
		inv_fail(VIOL_NO_DMA_SECURE, site,
			 "%s became secure while a device transfer was in flight",
			 page->name);
	page->dma_inflight[vis_self()]--;
}

/* ==== conversion ==== */

void inv_before_import(struct page *page, struct vis_site site)
{
	if (inv_dma_inflight(page))
		inv_fail(VIOL_NO_DMA_SECURE, site,
			 "import of %s while a device transfer is in flight", page->name);
}

/*
 * Does the calling thread hold the PTL of a present, writable PTE mapping
 * @page: the lock of the page table that PTE lies in (split PTE locks)?
 */
bool inv_holds_mapping_ptl(const struct page *page)
{
	int m, i;

	for (m = 0; m < mdl_world.nr_mms; m++) {
		const struct mm_struct *mm = &mdl_world.mms[m];

		for (i = 0; i < mm->nr_addrs; i++) {
			pte_t pte = mm->pte[i];

			if (pte_present(pte) && pte_write(pte) && pte.pfn == page->pfn &&
			    inv_holds_lock(&mm->pt[mm->pt_of[i]].ptl))
				return true;
		}
	}
	return false;
}

/* In the import's frame step: no transfer on the frame. */
void inv_after_import_frame(struct page *page, struct vis_site site)
{
	if (inv_dma_inflight(page))
		inv_fail(VIOL_NO_DMA_SECURE, site,
			 "%s made secure while a device transfer is in flight", page->name);
}

/*
 * The conversion preconditions (INV-03, INV-04) hold at the instant of the
 * UVC, which is a step on the frame; they are facts about the page, so they
 * are read in a step on the page right before it (P) and judged in a step on
 * the page right after a successful UVC (Q), and only if no other thread
 * wrote the page in between (page->version).  Why that is exact:
 *   1. P only reads, so every other thread's step that ran between P and the
 *      UVC can also run before P: the explorer tries that order, because a
 *      step that writes the page depends on P.  There, P reads exactly the
 *      page as the UVC saw it, and nothing writes it until Q.
 *   2. A write that lands between the UVC and Q (page_remove_rmap of
 *      another mm) is after the instant: the run with it after Q is
 *      explored (it depends on Q) and judges the facts of the instant.
 *   3. So a run in which the page changed inside [P, Q] is skipped, never
 *      judged from the wrong state: recomputing expected_page_refs() at Q,
 *      as before, reported INV-03 for a mapping torn down after the UVC.
 */
void inv_import_facts(const struct page *page, struct inv_import_facts *f)
{
	int i, nmap = 0;

	for (i = 0; i < page->nholders; i++)
		nmap += page->holders[i].tag.why == REF_MAP;
	f->version = page->version;
	f->refs = inv_ref_sum(page);
	/*
	 * A mapping whose page_remove_rmap has run but whose put_page has not
	 * (zap_pte_range between the two) is in teardown: its reference is no
	 * I/O marker, and what its put does to a frozen count is INV-05's.
	 */
	f->teardown = nmap > page_mapcount(page) ? nmap - page_mapcount(page) : 0;
	f->expected = expected_page_refs(page);
	f->writeback = PageWriteback(page);
	f->page_locked = inv_holds_lock(&page->lock);
	f->mapping_ptl = inv_holds_mapping_ptl(page);
	f->arch1 = PageArch1(page);
}

void inv_after_import(struct page *page, const struct inv_import_facts *f,
		      struct vis_site site)
{
	if (page->version != f->version)
		return;		/* changed inside [P, Q]: see point 3 */
	if (f->refs - f->teardown != f->expected)
		inv_fail(VIOL_CONVERT_PRECOND, site,
			 "%s made secure with %d references held (%d of mappings in "
			 "teardown), expected_page_refs %d at the UVC (an extra reference "
			 "is an I/O marker)", page->name, f->refs, f->teardown, f->expected);
	if (f->writeback)
		inv_fail(VIOL_CONVERT_PRECOND, site, "%s made secure under writeback",
			 page->name);
	if (!f->page_locked)
		inv_fail(VIOL_CONVERT_PRECOND, site,
			 "%s made secure without its page lock held", page->name);
	if (!f->mapping_ptl)
		inv_fail(VIOL_CONVERT_PRECOND, site,
			 "%s made secure without the PTE lock of a present writable PTE",
			 page->name);
	if (!f->arch1)
		inv_fail(VIOL_ARCH1_OVERAPPROX, site,
			 "%s is secure but PG_arch_1 is clear", page->name);
}

/* In a step on the frame, right after the page step that cleared PG_arch_1. */
void inv_arch1_cleared(struct page *page, struct vis_site site)
{
	if (fw_get()->query(page->pfn).state == FW_SECURE)
		inv_fail(VIOL_ARCH1_OVERAPPROX, site,
			 "PG_arch_1 cleared on %s, which is secure", page->name);
}

/* In the free's page step: no holder left. */
void inv_page_freed(struct page *page, struct vis_site site)
{
	if (page->nholders)
		inv_fail(VIOL_REFS_REAL, site, "%s freed while %d holders remain (first: %s)",
			 page->name, page->nholders, ref_why_name(page->holders[0].tag.why));
}

/* In a step on the frame right after the free's page step. */
void inv_frame_freed(struct page *page, struct vis_site site)
{
	if (fw_get()->query(page->pfn).state == FW_SECURE)
		inv_fail(VIOL_SECURE_MAPPED, site,
			 "%s freed while secure for guest frame %lu: the teardown did not "
			 "export it", page->name, fw_get()->query(page->pfn).gfn);
	if (inv_dma_inflight(page))
		inv_fail(VIOL_IO_PROTOCOL, site, "%s freed during a device transfer",
			 page->name);
}

/*
 * The pages the calling thread holds frozen, kept thread-local so that
 * inv_freezer_step() need not read every page's freeze_tid (other pages
 * are other threads' state, written under their own steps).
 */
void inv_frozen_add(struct page *page)
{
	struct mdl_thread *t = mdl_current();

	if (t->nfrozen >= (int)(sizeof(t->frozen) / sizeof(t->frozen[0])))
		PVM_BUG();	/* frozen[] too small */
	t->frozen[t->nfrozen++] = page;
}

void inv_frozen_del(struct page *page)
{
	struct mdl_thread *t = mdl_current();
	int i;

	for (i = 0; i < t->nfrozen; i++) {
		if (t->frozen[i] == page) {
			t->frozen[i] = t->frozen[--t->nfrozen];
			return;
		}
	}
	PVM_BUG();	/* not frozen by this thread */
}

void inv_freezer_step(struct vis_site site)
{
	const struct mdl_thread *t = mdl_current();
	int i;

	for (i = 0; i < t->nfrozen; i++) {
		struct page *page = t->frozen[i];

		if (++page->freeze_steps > MDL_FREEZE_BOUND)
			inv_fail(VIOL_PROGRESS, site,
				 "%s has been frozen for more than %d steps of its freezer",
				 page->name, MDL_FREEZE_BOUND);
	}
}

/* ==== data ==== */

void inv_guest_read(int kvm_id, unsigned long gfn, uint32_t got, struct vis_site site)
{
	const struct kvm *kvm = &mdl_world.guests[kvm_id];
	int i = gmap_frame_index(&kvm->gmap, gfn);

	if (got != kvm->value[i])
		inv_fail(VIOL_DATA_SURVIVES, site,
			 "guest %s read %u at frame %lu, but it last wrote %u", kvm->name,
			 got, gfn, kvm->value[i]);
}

/* ==== sweeps ==== */

void inv_check_all(void)
{
	const struct fw_ops *fw = fw_get();
	int i;

	for (i = 0; i < mdl_world.nr_pages; i++) {
		struct page *page = &mdl_world.pages[i];
		struct fw_page_info fi = fw->query(i);

		/*
		 * A free page has no flags: being free is the first fault (and
		 * PG_arch_1, cleared with the rest, says nothing).  Not
		 * judged between steps: a free clears the page in one step and
		 * reads the frame in the next (__free_page_model), where
		 * inv_frame_freed() reports a secure frame at the instant; the
		 * sweep (--paranoid, recording) would otherwise see the page
		 * between the two and end the trace a step before the search did.
		 */
		if (fi.state == FW_SECURE && !page->allocated)
			continue;
		if (fi.state == FW_SECURE && !PageArch1(page))
			inv_fail(VIOL_ARCH1_OVERAPPROX, VIS_SITE("inv_check_all"),
				 "%s is secure but PG_arch_1 is clear", page->name);
		inv_check_refcount(page, VIS_SITE("inv_check_all"));
	}
}

void inv_at_exit(void)
{
	int i, j;

	inv_check_all();
	for (i = 0; i < mdl_world.nr_pages; i++) {
		struct page *page = &mdl_world.pages[i];

		if (fw_get()->query(i).state == FW_SECURE && !page->allocated)
			inv_fail(VIOL_SECURE_MAPPED, VIS_SITE("at_exit"),
				 "%s is free but secure", page->name);

		if (page->freeze_tid >= 0)
			inv_fail(VIOL_PROGRESS, VIS_SITE("at_exit"),
				 "%s still frozen at the end", page->name);
		if (page->lock_tid >= 0)
			inv_fail(VIOL_NO_DEADLOCK, VIS_SITE("at_exit"),
				 "%s still locked at the end (thread %d)", page->name,
				 page->lock_tid);
		for (j = 0; j < page->nholders; j++) {
			const struct ref_holder *h = &page->holders[j];

			if (h->tag.why >= REF_LOOKUP && h->tag.why != REF_PIPE &&
			    h->tag.why != REF_PVEC)
				inv_fail(VIOL_REFS_REAL, VIS_SITE("at_exit"),
					 "%s: %s reference taken by thread %d in %s was "
					 "never dropped (leak)", page->name,
					 ref_why_name(h->tag.why), h->tid, h->site);
		}
	}
}
