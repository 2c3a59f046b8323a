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
#include <string.h>
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
	char msg[256];	/* EXPLORE_MSG_LEN */
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
		[REF_FAULT] = "fault handler", [REF_RESERVED] = "reserved (zero page)",
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

		if (!ref_tag_eq(h->tag, tag) || h->weight != weight)
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

static void lock_name(char *buf, size_t len, int cls, const void *obj);

void inv_lock_acquired(enum lock_class cls, const void *obj, const char *caller)
{
	struct mdl_thread *t = mdl_current();
	int i;

	if (t->nheld >= MDL_MAX_HELD)
		PVM_BUG();	/* MDL_MAX_HELD too low */
	t->held[t->nheld] = obj;
	t->held_cls[t->nheld] = cls;
	t->held_at[t->nheld++] = caller;
	/*
	 * The dependencies this acquisition made: now is their step.  One
	 * that goes against doc/locking.md's order (the lock_class order) gets
	 * a note naming its locks, so that the condensed report of a lockdep
	 * finding shows the step; v5.7's own dependencies never do, and their
	 * reports stay as they were.
	 */
	char from[72] = "", name[40];
	size_t n = 0;

	for (i = 0; i < t->ndeps; i++) {
		struct lock_dep *d = &t->deps[i];

		if (d->step >= 0)
			continue;
		d->step = mdl_world.step;
		if (vis_recording() && d->from > d->to && n + 1 < sizeof(from)) {
			lock_name(name, sizeof(name), d->from, d->from_obj);
			n += (size_t)snprintf(from + n, sizeof(from) - n, "%s%s", n ? ", " : "", name);
		}
	}
	if (n) {
		lock_name(name, sizeof(name), cls, obj);
		vis_note("lockdep: %s -> %s, against the documented order", from, name);
	}
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
			t->held_at[i] = t->held_at[i + 1];
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

const char *lock_class_name(int cls)
{
	switch (cls) {
	case LC_PIPE: return "pipe->mutex";
	case LC_MMAP_SEM: return "mmap_sem";
	case LC_PAGE: return "page lock";
	case LC_PTL: return "PTE lock";
	case LC_LRU_DRAIN: return "lru_add_drain_all's lock";
	case LC_XA: return "i_pages lock";
	case LC_KVM: return "kvm->lock";
	default: return "?";
	}
}

/* "page lock of p0", "PTE lock of qemu": the lock object @obj of class @cls. */
static void lock_name(char *buf, size_t len, int cls, const void *obj)
{
	const char *o = (const char *)obj;
	int i;

	for (i = 0; i < mdl_world.nr_mms; i++) {
		const struct mm_struct *mm = &mdl_world.mms[i];

		if (o >= (const char *)mm && o < (const char *)(mm + 1)) {
			snprintf(buf, len, "%s of %s", lock_class_name(cls), mm->name);
			return;
		}
	}
	for (i = 0; i < mdl_world.nr_pages; i++)
		if (o == (const char *)&mdl_world.pages[i].lock) {
			snprintf(buf, len, "page lock of %s", mdl_world.pages[i].name);
			return;
		}
	for (i = 0; i < mdl_world.nr_pipes; i++)
		if (o == (const char *)&mdl_world.pipes[i].lock) {
			snprintf(buf, len, "pipe->mutex of %s", mdl_world.pipes[i].name);
			return;
		}
	snprintf(buf, len, "%s", lock_class_name(cls));
}

/*
 * ___might_sleep()'s report (kernel/sched/core.c, v5.7): silent unless the
 * preempt count is raised or interrupts are off.  The message names the
 * file of the might_sleep() that prints, who called the sleeping function,
 * in_atomic()/irqs_disabled() and the page-fault count, the locks held
 * (debug_show_held_locks) and where preemption or interrupts were disabled
 * ("Preemption disabled at:"; print_irqtrace_events).  Thread-local: it
 * reads only the calling thread's context and held locks.
 */
void inv_might_sleep(const char *file, const char *caller, struct vis_site site)
{
	const struct mdl_thread *t = mdl_current();
	const struct exec_ctx *c = &t->ctx;
	char msg[320], held[160], name[40];
	int i, len = 0;

	if (c->preempt_count || c->irqs_off) {
		/* the takers of the held locks when the message has room for them */
		for (int takers = 1; takers >= 0; takers--) {
			size_t n = 0;

			held[0] = 0;
			for (i = 0; i < t->nheld && n + 1 < sizeof(held); i++) {
				lock_name(name, sizeof(name), t->held_cls[i], t->held[i]);
				n += (size_t)snprintf(held + n, sizeof(held) - n,
						      takers ? "%s%s (%s)" : "%s%s",
						      i ? ", " : "", name, t->held_at[i]);
			}
			len = snprintf(msg, sizeof(msg),
				       "BUG: sleeping function called from invalid context: %s in %s; "
				       "in_atomic(): %d, irqs_disabled(): %d, pagefault_disabled: %d; "
				       "%s disabled at %s; held: %s",
				       site.what, caller, c->preempt_count != 0, c->irqs_off,
				       c->pagefault_disabled, c->preempt_count ? "preemption" : "irqs",
				       c->preempt_count ? c->preempt_at : c->irqs_at,
				       t->nheld ? held : "none");
			if (len < 256)	/* EXPLORE_MSG_LEN */
				break;
		}
		if (vis_recording())
			vis_note("might_sleep() at %s", file);
		inv_fail(VIOL_NO_DEADLOCK, site, "%s", msg);
	}
	if (t->nfrozen > 0)
		inv_fail(VIOL_PROGRESS, site,
			 "%s may sleep while this thread holds a refcount frozen", site.what);
}

/*
 * Lock dependencies (kernel/locking/lockdep.c, in the model's terms).
 *
 * Taking a lock of class B while holding one of class A makes the
 * dependency A -> B (lockdep's check_prev_add, from every held lock: the
 * same graph up to transitivity).  A trylock makes none (validate_chain),
 * a class nested in itself makes none (fork's spin_lock_nested and
 * down_write_nested carry lockdep subclasses; two page locks are migration's
 * trylock of the new page).  A cycle in the graph is lockdep's "possible
 * circular locking dependency detected", reported whether or not the
 * explored interleaving deadlocked: the two orders can meet in another run,
 * or on other instances of the classes.
 *
 * Where the graph lives: each thread keeps the dependencies it made in its
 * own record (thread-local, written in its own steps, part of the state the
 * stateful search compares), so the graph of an execution is the union of
 * the threads' lists and depends only on what each thread did, never on
 * the order of independent steps: every interleaving of one Mazurkiewicz
 * trace ends with the same graph.
 *   1. At each acquisition, the thread looks for a cycle among its own
 *      dependencies: reported at the instant (lockdep's report at the
 *      acquisition that closes it).
 *   2. A cycle that needs another thread's dependencies is looked for at
 *      the end of the execution (inv_lockdep_at_exit, in the scheduler's
 *      context, after every thread ended), never in a step: reading
 *      another thread's list in a step would be an unannounced dependency
 *      (the model audit), and announcing it would order every pair of lock
 *      acquisitions of the scenario.  The report is the same in every
 *      interleaving of the trace; the steps it names are in the trace.
 * An execution that ends earlier (another finding, a deadlock) reports
 * that instead, as a kernel whose first splat stops lockdep would.
 */

static int dep_find(const struct mdl_thread *t, int from, int to)
{
	for (int i = 0; i < t->ndeps; i++)
		if (t->deps[i].from == from && t->deps[i].to == to)
			return i;
	return -1;
}

/* The edge of the union graph from @from to @to: its thread and index. */
struct dep_ref {
	int tid, idx;
};

static bool union_dep(int from, int to, bool own_only, struct dep_ref *r)
{
	int self = own_only ? vis_self() : -1;

	for (int u = 0; u < MDL_MAX_THREADS; u++) {
		if (own_only && u != self)
			continue;
		int i = dep_find(&mdl_world.threads[u], from, to);
		if (i >= 0) {
			r->tid = u;
			r->idx = i;
			return true;
		}
	}
	return false;
}

/*
 * A path of dependencies from class @src to class @dst (breadth first,
 * classes in order: deterministic), its edges in @path.  Return: its
 * length, 0 if none.
 */
static int dep_path(int src, int dst, bool own_only, struct dep_ref *path)
{
	int prev[LC_NR];
	struct dep_ref via[LC_NR];
	int queue[LC_NR], qh = 0, qt = 0, n = 0;

	for (int c = 0; c < LC_NR; c++)
		prev[c] = -2;
	prev[src] = -1;
	queue[qt++] = src;
	while (qh < qt) {
		int c = queue[qh++];

		for (int d = 1; d < LC_NR; d++) {
			struct dep_ref r;

			if (prev[d] != -2 || !union_dep(c, d, own_only, &r))
				continue;
			prev[d] = c;
			via[d] = r;
			queue[qt++] = d;
		}
	}
	if (prev[dst] == -2 || dst == src)
		return 0;
	for (int c = dst; c != src; c = prev[c])
		n++;
	for (int c = dst, k = n - 1; c != src; c = prev[c], k--)
		path[k] = via[c];
	return n;
}

/*
 * One dependency as a line of lockdep's chains, with the instances that
 * made it and the functions that took them:
 * "vcpu: mmap_sem of qemu (gmap_make_secure) -> page lock of p0 (gmap_make_secure), step 7".
 */
static size_t dep_text(char *buf, size_t len, struct dep_ref r, bool takers)
{
	const struct mdl_thread *t = &mdl_world.threads[r.tid];
	const struct lock_dep *d = &t->deps[r.idx];
	char a[40], b[40], step[24] = "";
	int n;

	lock_name(a, sizeof(a), d->from, d->from_obj);
	lock_name(b, sizeof(b), d->to, d->to_obj);
	if (vis_recording() && d->step >= 0)	/* the trace counts from 1 */
		snprintf(step, sizeof(step), ", step %d", d->step + 1);
	if (takers)
		n = snprintf(buf, len, "%s: %s (%s) -> %s (%s)%s", t->name, a, d->from_at,
			     b, d->to_at, step);
	else
		n = snprintf(buf, len, "%s: %s -> %s%s", t->name, a, b, step);
	return n < 0 ? 0 : ((size_t)n < len ? (size_t)n : len);
}

/* The closing dependency, then the existing chain; without the takers if long. */
_Noreturn static void lockdep_report(struct dep_ref closing, const struct dep_ref *chain,
				     int n, struct vis_site site)
{
	static const char head[] = "lockdep: possible circular locking dependency: ";
	char text[512];
	size_t k = 0;

	for (int takers = 1; takers >= 0; takers--) {
		k = dep_text(text, sizeof(text), closing, takers);
		for (int i = 0; i < n && k + 3 < sizeof(text); i++) {
			memcpy(text + k, "; ", 3);
			k += 2;
			k += dep_text(text + k, sizeof(text) - k, chain[i], takers);
		}
		if (sizeof(head) - 1 + k < 256)	/* EXPLORE_MSG_LEN */
			break;
	}
	inv_fail(VIOL_NO_DEADLOCK, site, "%s%s", head, text);
}

void inv_lockdep_check(enum lock_class cls, const void *obj, const char *caller,
		       struct vis_site site)
{
	struct mdl_thread *t = mdl_current();
	struct dep_ref chain[LC_NR];

	for (int i = 0; i < t->nheld; i++) {
		int from = t->held_cls[i];
		struct lock_dep *d;
		int n;

		if (from == (int)cls || dep_find(t, from, cls) >= 0)
			continue;
		if (t->ndeps >= MDL_MAX_DEPS)
			PVM_BUG();	/* MDL_MAX_DEPS too low: more than LC_NR^2 pairs? */
		d = &t->deps[t->ndeps++];
		d->from = (unsigned char)from;
		d->to = (unsigned char)cls;
		d->step = -1;	/* set when acquired (inv_lock_acquired) */
		d->from_at = t->held_at[i];
		d->to_at = caller;
		d->from_obj = t->held[i];
		d->to_obj = obj;
		/* 1.: the existing chain back from cls to from, own dependencies */
		n = dep_path(cls, from, true, chain);
		if (n) {
			d->step = mdl_world.step;
			lockdep_report((struct dep_ref){ vis_self(), t->ndeps - 1 }, chain, n,
				       site);
		}
	}
}

/* 2.: the first dependency, by thread and age, that closes a cycle of the union. */
void inv_lockdep_at_exit(void)
{
	struct dep_ref chain[LC_NR];

	for (int u = 0; u < MDL_MAX_THREADS; u++) {
		const struct mdl_thread *t = &mdl_world.threads[u];

		for (int i = 0; i < t->ndeps; i++) {
			int n = dep_path(t->deps[i].to, t->deps[i].from, false, chain);

			if (n)
				lockdep_report((struct dep_ref){ u, i }, chain, n,
					       VIS_SITE("at_exit"));
		}
	}
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
	inv_page_check(page, gen, site);
}

void inv_page_check(const struct page *page, unsigned int gen, struct vis_site site)
{
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
 * PG_arch_1), the transfer (INV-01) about the frame.  Both are checked in
 * the DMA's frame steps, which read the page too (vis_also, dev.c): at the
 * start (inv_dma_start, then inv_dma_marker with @start) and at the
 * completion (inv_dma_marker, inv_dma_end).  Reading the page in a frame step without
 * announcing it let DPOR treat a marker dropped by another thread as
 * independent of the DMA and miss it; reading it in page steps of their own
 * around the start judged it a step early or late.
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

/*
 * INV-14: a write through a reference reaches the data.  Migration copies
 * a page only when nobody but itself holds a reference (the exact count of
 * migrate_page_move_mapping, after the PTEs became migration entries), so
 * no holder can write the old page after the copy: what it wrote would
 * stay in a page nobody reads again.  inv_page_superseded() is called in
 * migration's ghost step on the old frame right after the copy;
 * inv_write_kept() in the step of every write into a frame through a
 * reference (a device's DMA into the page, a kernel store through the 1:1
 * map), announced on the frame as well.  The generation ties the mark to
 * the page's current life: once the old page is freed and reused, the
 * mark no longer applies.  Both read page->gen while holding a reference,
 * so the free that bumps it is ordered after them.
 */
void inv_page_superseded(const struct page *page, const struct page *newpage)
{
	mdl_world.superseded_gen[page->pfn] = page->gen + 1;
	mdl_world.superseded_by[page->pfn] = (signed char)newpage->pfn;
}

void inv_write_kept(const struct page *page, const char *writer, struct vis_site site)
{
	if (mdl_world.superseded_gen[page->pfn] != page->gen + 1)
		return;
	inv_fail(VIOL_WRITE_KEPT, site,
		 "%s writes %s after migration copied it to %s: the write is lost (the data "
		 "live in %s now)", writer, page->name,
		 mdl_world.pages[mdl_world.superseded_by[page->pfn]].name,
		 mdl_world.pages[mdl_world.superseded_by[page->pfn]].name);
}

/*
 * inv_dma_addr - INV-13 at a transfer for user address @addr of @mm that a
 * consumer of a range gup starts on @page (pages[i] for start + i pages):
 * the calling thread's last gup call must have taken @page while it was
 * mapped at @addr.  The log is the thread's own ghost, read by the thread
 * that wrote it, so the check needs no step of its own: it runs in the
 * transfer's first step, before the device touches the frame.
 */
void inv_dma_addr(const struct mm_struct *mm, unsigned long addr, const struct page *page,
		  struct vis_site site)
{
	const struct mdl_thread *t = mdl_current();
	const struct gup_rec *taken = NULL, *at = NULL;

	for (int i = 0; i < t->ngup; i++) {
		const struct gup_rec *r = &t->gup_log[i];

		if (r->mm != mm->id)
			continue;
		if (r->addr == addr && r->pfn == page->pfn && !r->dropped) {
			if (r->stale)
				inv_fail(VIOL_DMA_ADDR, site, "the transfer for address %#lx of %s "
					 "uses %s, which gup-fast grabbed after the PTE at %#lx "
					 "stopped mapping it (no re-check of the PTE)", addr,
					 mm->name, page->name, addr);
			return;
		}
		if (r->pfn == page->pfn && !r->dropped && !taken)
			taken = r;
		if (r->addr == addr && (!at || at->dropped))
			at = r;
	}
	if (!taken)
		inv_fail(VIOL_DMA_ADDR, site, "the transfer for address %#lx of %s uses %s, which "
			 "the last gup call did not take", addr, mm->name, page->name);
	if (!at)
		inv_fail(VIOL_DMA_ADDR, site, "the transfer for address %#lx of %s uses %s, which "
			 "gup took at %#lx; at %#lx it took no page", addr, mm->name, page->name,
			 taken->addr, addr);
	inv_fail(VIOL_DMA_ADDR, site, "the transfer for address %#lx of %s uses %s, which gup "
		 "took at %#lx; at %#lx it %s %s%s", addr, mm->name, page->name, taken->addr, addr,
		 at->dropped ? "grabbed" : "took", mdl_world.pages[at->pfn].name,
		 at->dropped ? " and put it back (arch_make_page_accessible failed)" : "");
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
 *
 * Reads a PTE only when the caller holds its lock.  Reading every PTE and
 * testing the lock afterwards read, in the caller's step, PTEs that other
 * threads change under their own PTLs (zap's ptep_get_and_clear, migration's
 * set_pte_at), an access the checker does not order: make audit found it
 * (a generated scenario, the import's preconditions against a zap of
 * another mm).  Under the lock the PTE is stable, and what the answer
 * depends on is ordered by the lock.
 */
bool inv_holds_mapping_ptl(const struct page *page)
{
	int m, i;

	for (m = 0; m < mdl_world.nr_mms; m++) {
		const struct mm_struct *mm = &mdl_world.mms[m];

		for (i = 0; i < mm->nr_addrs; i++) {
			pte_t pte;

			if (!inv_holds_lock(&mm->pt[mm->pt_of[i]].ptl))
				continue;
			pte = mm->pte[i];
			if (pte_present(pte) && pte_write(pte) && pte.pfn == page->pfn)
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
 * UVC, which is a step on the frame; they are facts about the page, so the
 * UVC's step reads the page too (vis_also, __uv_call): the facts are read
 * in that step and judged in it once the UV has answered (its answer is a
 * choice inside the step, not a point where another thread runs), so no
 * other thread changes the page in between.  Read in page steps of their
 * own before and after the UVC, as before, they needed a version check to
 * skip runs in which the page changed in between; recomputing
 * expected_page_refs() after the UVC reported INV-03 for a mapping torn
 * down after it.
 */
void inv_import_facts(const struct page *page, struct inv_import_facts *f)
{
	int i, nmap = 0;

	for (i = 0; i < page->nholders; i++)
		nmap += page->holders[i].tag.why == REF_MAP;
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

void inv_thread_end(void)
{
	const struct mdl_thread *t = mdl_current();
	char what[256] = "";
	size_t o = 0;
	int n = 0;

	for (int k = 0; k < t->ncur; k++) {
		const struct page *page = t->cur[k];

		if (!page || o >= sizeof(what))
			continue;
		o += (size_t)snprintf(what + o, sizeof(what) - o, "%s%s's %s reference",
				      n++ ? ", " : "", page->name, ref_why_name(t->cur_tag[k].why));
	}
	if (n)
		inv_fail(VIOL_REFS_REAL, VIS_SITE("thread end"),
			 "%s ended holding %s it took and never dropped (leak): %s; nothing can "
			 "drop %s now", t->name, n == 1 ? "a reference" : "references", what,
			 n == 1 ? "it" : "them");
}

/*
 * inv_mappings_real - INV-06 for mappings: a present PTE is a reference
 * (REF_MAP of that mm and address) on an allocated page.  A PTE that a
 * path rewrote from a stale read, after another unmapped the page and
 * dropped the mapping's reference, maps a page nobody counts:
 *   1. A: reads the PTE (present, page P), computes its new value;
 *   2. B: unmaps P (swap entry), puts the mapping's reference, frees P;
 *   3. A: writes the PTE it computed: P is mapped again, uncounted.
 * Every v5.7 writer of a present PTE re-reads it under the PTE lock, which
 * is what the check stands for.  Not judged: the shared zero page (no
 * mapping takes a reference on it) and a THP's tail (the reference is the
 * head's, not modelled).
 */
static void inv_mappings_real(void)
{
	for (int m = 0; m < mdl_world.nr_mms; m++) {
		const struct mm_struct *mm = &mdl_world.mms[m];
		int k, i, j;

		for_each_mm_addr(mm, k, i) {
			const pte_t *pte = &mm->pte[i];
			const struct page *page;
			struct ref_tag map = ref_obj(REF_MAP, pte_owner(mm, mm->addr[i]));

			if (!pte_present(*pte))
				continue;
			page = pfn_to_page(pte->pfn);
			if (is_zero_page(page) || PageTail(page))
				continue;
			for (j = 0; j < page->nholders; j++)
				if (ref_tag_eq(page->holders[j].tag, map))
					break;
			if (!page->allocated || j == page->nholders)
				inv_fail(VIOL_REFS_REAL, VIS_SITE("at_exit"),
					 "%s %#lx maps %s, which %s: a PTE written from a stale read "
					 "(no PTE lock between the read and the write)", mm->name,
					 mm->addr[i], page->name, page->allocated ?
					 "holds no reference for that mapping" : "is free");
		}
	}
}

void inv_at_exit(void)
{
	int i, j;

	inv_check_all();
	inv_lockdep_at_exit();
	inv_mappings_real();
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
				 "%s still locked at the end (by %s)", page->name,
				 page->lock_tid >= 0 && page->lock_tid < MDL_MAX_THREADS &&
				 mdl_world.threads[page->lock_tid].name[0] ?
				 mdl_world.threads[page->lock_tid].name : "main");
		for (j = 0; j < page->nholders; j++) {
			const struct ref_holder *h = &page->holders[j];

			if (ref_owned_by_thread(h->tag.why))
				inv_fail(VIOL_REFS_REAL, VIS_SITE("at_exit"),
					 "%s: %s reference taken by %s in %s was "
					 "never dropped (leak)", page->name,
					 ref_why_name(h->tag.why),
					 h->tid >= 0 && h->tid < MDL_MAX_THREADS &&
					 mdl_world.threads[h->tid].name[0] ?
					 mdl_world.threads[h->tid].name : "main", h->site);
		}
	}
}
