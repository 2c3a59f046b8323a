// SPDX-License-Identifier: MIT
/*
 * test_model_gup.c - v5.7 range gup (src/mm/gup.c): what get_user_pages,
 * pin_user_pages and their _fast forms return over a range, and what they
 * leave in pages[], one thread at a time under explore().  A firmware
 * answer is an explored choice, so a test that needs the hook to fail
 * (the Ultravisor refusing the export) collects the outcome of every
 * execution and checks the set: each outcome v5.7 allows must be there and
 * no other.  Then INV-13 (a transfer for address A uses the page gup took
 * at A): it fires on v5.7's gup-fast when the hook fails in a page table
 * that is not the range's last, and nowhere else.  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/fw.h"
#include "uv/uv.h"

#include "model_harness.h"

#define SEG	(1UL << PMD_SHIFT)
#define QEMU	(&mdl_world.mms[0])
#define NIC	0	/* device id of eth0 */

/*
 * The world: mm qemu, guest g on it, nic eth0, and one page per entry of
 * @pages ("ADDR" or "ADDR:KEYS", declared as pN in order, so pN has pfn
 * N) and a free page (pfn @npages), then the extra addresses @names (a
 * VMA, no page: the anonymous fault maps the free page).  @refuse: the Ultravisor may refuse an export.
 */
static void world(bool refuse, const char *const *pages, int npages,
		  const unsigned long *names, int nnames)
{
	char name[16], keys[96];

	mdl_world_begin();
	knob("uv_refuse", refuse ? "on" : "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("nic", "eth0", "");
	for (int i = 0; i < npages; i++) {
		const char *colon = strchr(pages[i], ':');

		snprintf(name, sizeof(name), "p%d", i);
		if (colon)
			snprintf(keys, sizeof(keys), "mm=qemu addr=%.*s %s",
				 (int)(colon - pages[i]), pages[i], colon + 1);
		else
			snprintf(keys, sizeof(keys), "mm=qemu addr=%s", pages[i]);
		decl("page", name, keys);
	}
	decl("page", "pfree", "free=1");
	end_world();
	for (int i = 0; i < nnames; i++)
		if (mdl_mm_add_addr(QEMU, names[i]) < 0) {
			printf("# no room for %#lx\n", names[i]);
			exit(2);
		}
	mdl_world_snapshot();
}

/* ==== outcomes: one per distinct (return value, pages[]) of a search ==== */

#define MAXN 8
struct outcome {
	long rc;
	int pfn[MAXN];		/* pages[i]'s pfn for i < rc, -1 past it */
	int refs[MAXN];		/* each page's refcount right after the gup */
};
static struct outcome outs[16];
static int nouts;

static void reset_outs(void)
{
	nouts = 0;
}

static void record(long rc, struct page **pages)
{
	struct outcome o;

	memset(&o, 0, sizeof(o));
	o.rc = rc;
	for (int i = 0; i < MAXN; i++) {
		o.pfn[i] = rc > i && pages[i] ? pages[i]->pfn : -1;
		o.refs[i] = i < mdl_world.nr_pages ? page_ref_count(&mdl_world.pages[i]) : 0;
	}
	for (int i = 0; i < nouts; i++)
		if (!memcmp(&outs[i], &o, sizeof(o)))
			return;
	if (nouts < (int)(sizeof(outs) / sizeof(outs[0])))
		outs[nouts++] = o;
	else
		printf("# more outcomes than the test keeps\n");
}

/*
 * Was there an outcome with return value @rc whose pages[] is @pfns
 * (the first max(rc, 0) entries)?  @refs: the refcounts of p0.. (NULL:
 * not checked), @nrefs of them.
 */
static bool seen(long rc, const int *pfns, const int *refs, int nrefs)
{
	for (int i = 0; i < nouts; i++) {
		bool same = outs[i].rc == rc;

		for (long k = 0; same && k < rc; k++)
			same = outs[i].pfn[k] == pfns[k];
		for (int k = 0; same && refs && k < nrefs; k++)
			same = outs[i].refs[k] == refs[k];
		if (same)
			return true;
	}
	return false;
}

static void dump_outs(void)
{
	for (int i = 0; i < nouts; i++) {
		printf("# outcome %d: rc %ld pages", i, outs[i].rc);
		for (int k = 0; k < MAXN && outs[i].pfn[k] >= 0; k++)
			printf(" p%d", outs[i].pfn[k]);
		printf(" refs");
		for (int k = 0; k < mdl_world.nr_pages && k < MAXN; k++)
			printf(" %d", outs[i].refs[k]);
		printf("\n");
	}
}

/* ==== the gup thread: which call, from where, how many pages ==== */

enum gup_kind { GUP, GUP_FAST, PIN, PIN_FAST };
static enum gup_kind g_kind;
static unsigned long g_start;
static long g_nr;
static unsigned int g_flags;

static void t_gup(void *a)
{
	struct page *pages[MAXN] = { NULL };
	long rc;

	mdl_thread_begin("gup");
	switch (g_kind) {
	case GUP: rc = get_user_pages(QEMU, g_start, (unsigned long)g_nr, g_flags, pages); break;
	case GUP_FAST: rc = get_user_pages_fast(QEMU, g_start, (int)g_nr, g_flags, pages); break;
	case PIN: rc = pin_user_pages(QEMU, g_start, (unsigned long)g_nr, g_flags, pages); break;
	default: rc = pin_user_pages_fast(QEMU, g_start, (int)g_nr, g_flags, pages); break;
	}
	record(rc, pages);
	for (long i = 0; i < rc; i++) {
		if (g_kind >= PIN)
			unpin_user_page(pages[i], ref_thread(REF_PIN));
		else
			put_page(pages[i], ref_thread(REF_GUP));
	}
	gup_log_reset();
}

static struct explore_result gup(enum gup_kind kind, unsigned long start, long nr,
				 unsigned int flags)
{
	g_kind = kind;
	g_start = start;
	g_nr = nr;
	g_flags = flags;
	return run(1, t_gup);
}

/* The operation named @name, run on the calling thread with @argv. */
static long op(const char *name, const long *argv)
{
	for (int k = 0; k < mdl_op_count(); k++)
		if (!strcmp(mdl_op_at(k)->name, name))
			return mdl_op_run(k, argv);
	printf("# no operation %s\n", name);
	exit(2);
}

static long dma_rc;
static const char *dma_op;

static void t_dma_range(void *a)
{
	long argv[4] = { 0, (long)g_start, g_nr, NIC };

	mdl_thread_begin("dma");
	dma_rc = op(dma_op, argv);
}

static const char *const kinds[] = { "get_user_pages", "get_user_pages_fast",
				     "pin_user_pages", "pin_user_pages_fast" };

int main(void)
{
	struct explore_result r;
	char what[160];

	run_reset = reset_outs;

	/* --- full success: every page of the range, in address order --- */
	{
		static const char *const pg[] = { "0x1000", "0x2000", "0x3000" };
		static const int pf[] = { 0, 1, 2 };

		for (int k = GUP; k <= PIN_FAST; k++) {
			static const int get[] = { 2, 2, 2 }, pin[] = { 1025, 1025, 1025 };

			world(false, pg, 3, NULL, 0);
			r = gup(k, 0x1000, 3, FOLL_WRITE);
			snprintf(what, sizeof(what), "%s of 3 mapped pages: 3, pages[] = p0 p1 p2, "
				 "each %s", kinds[k], k >= PIN ? "pinned (+1024)" : "referenced (+1)");
			ok(safe(&r) && nouts == 1 && seen(3, pf, k >= PIN ? pin : get, 3), what);
			if (nouts != 1)
				dump_outs();
		}
	}
	/* --- the range crosses a segment boundary: two page tables --- */
	{
		static const char *const pg[] = { "0xfe000", "0xff000", "0x100000", "0x101000" };
		static const int pf[] = { 0, 1, 2, 3 };

		for (int k = GUP_FAST; k <= PIN_FAST; k += 2) {
			world(false, pg, 4, NULL, 0);
			r = gup(k, 0xfe000, 4, FOLL_WRITE);
			snprintf(what, sizeof(what), "%s across 0x100000 (two page tables): 4, "
				 "pages[] in address order", kinds[k]);
			ok(safe(&r) && nouts == 1 && seen(4, pf, NULL, 0), what);
		}
	}
	/* --- partial: a hole (no VMA) in the middle --- */
	{
		static const char *const pg[] = { "0x1000", "0x3000" };
		static const int pf[] = { 0 };

		for (int k = GUP; k <= PIN_FAST; k++) {
			world(false, pg, 2, NULL, 0);
			r = gup(k, 0x1000, 3, FOLL_WRITE);
			snprintf(what, sizeof(what), "%s over 0x1000, hole, 0x3000: 1 (the page "
				 "before the hole; the walk stops at the hole)", kinds[k]);
			ok(safe(&r) && nouts == 1 && seen(1, pf, NULL, 0), what);
		}
		world(false, pg, 2, NULL, 0);
		r = gup(PIN_FAST, 0x2000, 2, FOLL_WRITE);
		ok(safe(&r) && nouts == 1 && seen(-EFAULT, NULL, NULL, 0),
		   "pin_user_pages_fast from the hole: nothing taken, the slow walk's -EFAULT");
	}
	/* --- partial: a page in the middle is not writable (PROT_READ) --- */
	{
		static const char *const pg[] = { "0x1000", "0x2000:prot=r", "0x3000" };
		static const int pf1[] = { 0 }, pf3[] = { 0, 1, 2 };

		for (int k = GUP; k <= PIN_FAST; k++) {
			world(false, pg, 3, NULL, 0);
			r = gup(k, 0x1000, 3, FOLL_WRITE);
			snprintf(what, sizeof(what), "%s FOLL_WRITE, the 2nd page PROT_READ: 1 "
				 "(check_vma_flags -EFAULT after one page)", kinds[k]);
			ok(safe(&r) && nouts == 1 && seen(1, pf1, NULL, 0), what);
		}
		world(false, pg, 3, NULL, 0);
		r = gup(PIN_FAST, 0x1000, 3, 0);
		ok(safe(&r) && nouts == 1 && seen(3, pf3, NULL, 0),
		   "pin_user_pages_fast without FOLL_WRITE over the same range: 3");
		world(false, pg, 3, NULL, 0);
		r = gup(PIN_FAST, 0x2000, 1, FOLL_WRITE);
		ok(safe(&r) && nouts == 1 && seen(-EFAULT, NULL, NULL, 0),
		   "pin_user_pages_fast FOLL_WRITE of the PROT_READ page alone: -EFAULT");
	}
	/* --- a page in the middle not faulted in yet: the slow walk faults it --- */
	{
		static const char *const pg[] = { "0x1000", "0x3000" };
		static const unsigned long nm[] = { 0x2000 };

		for (int k = GUP; k <= PIN_FAST; k++) {
			world(false, pg, 2, nm, 1);
			r = gup(k, 0x1000, 3, FOLL_WRITE);
			snprintf(what, sizeof(what), "%s over 0x1000, a VMA with no page yet, 0x3000: "
				 "3, the middle one the free page the fault mapped", kinds[k]);
			ok(safe(&r) && nouts == 1 && outs[0].rc == 3 && outs[0].pfn[0] == 0 &&
			   outs[0].pfn[1] == 2 && outs[0].pfn[2] == 1,
			   what);
		}
	}
	/* --- argument checks of v5.7 --- */
	{
		static const char *const pg[] = { "0x1000" };

		world(false, pg, 1, NULL, 0);
		r = gup(PIN_FAST, 0x1000, 0, 0);
		ok(safe(&r) && seen(0, NULL, NULL, 0), "nr_pages 0: 0 (fast: end <= start)");
		world(false, pg, 1, NULL, 0);
		r = gup(PIN, 0x1000, 0, 0);
		ok(safe(&r) && seen(0, NULL, NULL, 0), "nr_pages 0: 0 (__get_user_pages)");
		world(false, pg, 1, NULL, 0);
		r = gup(PIN_FAST, 0x1000, -1, 0);
		ok(safe(&r) && seen(0, NULL, NULL, 0), "pin_user_pages_fast nr_pages -1: 0");
		world(false, pg, 1, NULL, 0);
		r = gup(PIN, 0x1000, 1, FOLL_GET);
		ok(safe(&r) && seen(-EINVAL, NULL, NULL, 0), "pin_user_pages with FOLL_GET: -EINVAL");
		world(false, pg, 1, NULL, 0);
		r = gup(GUP_FAST, 0x1000, 1, FOLL_PIN);
		ok(safe(&r) && seen(-EINVAL, NULL, NULL, 0),
		   "get_user_pages_fast with FOLL_PIN: -EINVAL");
		world(false, pg, 1, NULL, 0);
		r = gup(PIN_FAST, 0x1000, 1, FOLL_TOUCH);
		ok(safe(&r) && seen(-EINVAL, NULL, NULL, 0),
		   "pin_user_pages_fast with FOLL_TOUCH: -EINVAL (internal_get_user_pages_fast)");
	}
	/*
	 * --- the hook fails at page k (the UV refuses the export of the
	 * secure p1), all pages in one page table ---
	 *   fast: p0 taken, p1 unpinned, gup_pte_range returns -EINVAL, the
	 *   only table is done: nr_pinned 1; the slow walk from 0x2000 exports
	 *   p1 (or is refused again: 0 pages, -EINVAL, so 1 in all) and goes on.
	 */
	{
		static const char *const pg[] = { "0x1000", "0x2000:state=secure", "0x3000" };
		static const int all[] = { 0, 1, 2 }, first[] = { 0 };
		static const int refs_all[] = { 1025, 1025, 1025 }, refs_first[] = { 1025, 1, 1 };

		world(true, pg, 3, NULL, 0);
		r = gup(PIN_FAST, 0x1000, 3, FOLL_WRITE);
		ok(safe(&r) && nouts == 2 && seen(3, all, refs_all, 3) &&
		   seen(1, first, refs_first, 3),
		   "pin_user_pages_fast, hook refused at page 1 in one segment: 3 (export at the "
		   "fast or the slow attempt) or 1 (refused at both), pages[] in address order");
		if (nouts != 2)
			dump_outs();
		world(true, pg, 3, NULL, 0);
		r = gup(PIN, 0x1000, 3, FOLL_WRITE);
		ok(safe(&r) && nouts == 2 && seen(3, all, refs_all, 3) &&
		   seen(1, first, refs_first, 3),
		   "pin_user_pages, hook refused at page 1: IS_ERR from follow_page_pte ends the "
		   "walk, 'i ? i : ret' = 1");
		world(true, pg, 3, NULL, 0);
		r = gup(PIN, 0x2000, 2, FOLL_WRITE);
		ok(safe(&r) && nouts == 2 && seen(2, all + 1, NULL, 0) &&
		   seen(-EINVAL, NULL, NULL, 0),
		   "pin_user_pages, hook refused at the first page: the hook's -EINVAL");
		world(true, pg, 3, NULL, 0);
		r = gup(GUP_FAST, 0x1000, 3, FOLL_WRITE);
		ok(safe(&r) && nouts == 1 && seen(3, all, NULL, 0),
		   "get_user_pages_fast (FOLL_GET): no hook in v5.7, the secure page is returned");
	}
	/*
	 * --- the hook fails in the first of two page tables ---
	 *   p0 0xfe000, p1 0xff000 (secure), p2 0x100000, p3 0x101000.
	 *   fast: pages[0] = p0, p1 refused and unpinned, gup_pte_range returns
	 *   -EINVAL, which gup_pmd_range reads as "go on": pages[1] = p2,
	 *   pages[2] = p3, nr_pinned 3; slow from 0xfe000 + 3 pages = 0x101000:
	 *   pages[3] = p3 again.  4: "all pages", but pages[1..3] are p2 p3 p3.
	 *   The fallback is get_user_pages_unlocked, with FOLL_TOUCH: p3, made
	 *   PG_referenced by the fast walk, is activated, and the activate
	 *   pagevec holds one more reference (2 pins + 1 + the mapping's).
	 */
	{
		static const char *const pg[] = { "0xfe000", "0xff000:state=secure", "0x100000",
						  "0x101000" };
		static const int all[] = { 0, 1, 2, 3 }, shifted[] = { 0, 2, 3, 3 };
		static const int refs_shifted[] = { 1025, 1, 1025, 2050 };

		world(true, pg, 4, NULL, 0);
		r = gup(PIN_FAST, 0xfe000, 4, FOLL_WRITE);
		ok(safe(&r) && nouts == 2 && seen(4, all, NULL, 0) &&
		   seen(4, shifted, refs_shifted, 4),
		   "pin_user_pages_fast, hook refused in the first of two tables: 4 with pages[] "
		   "p0 p2 p3 p3 (p1 never pinned, p3 pinned twice), or 4 in order");
		if (nouts != 2)
			dump_outs();
		world(true, pg, 4, NULL, 0);
		r = gup(PIN, 0xfe000, 4, FOLL_WRITE);
		ok(safe(&r) && nouts == 2 && seen(4, all, NULL, 0) && seen(1, all, NULL, 0),
		   "pin_user_pages over the same range: 4 in order, or 1 (p0): the slow walk stops");
		/* the hook fails in the last table: the walk just ends short */
		static const char *const pg2[] = { "0xfe000", "0xff000", "0x100000:state=secure",
						   "0x101000" };

		world(true, pg2, 4, NULL, 0);
		r = gup(PIN_FAST, 0xfe000, 4, FOLL_WRITE);
		ok(safe(&r) && nouts == 2 && seen(4, all, NULL, 0) && seen(2, all, NULL, 0),
		   "pin_user_pages_fast, hook refused in the last table: 4 in order or 2 "
		   "(p0 p1), never out of order");
	}
	/* --- INV-13 at the transfer: pin_fast_dma_range, pin_dma_range --- */
	{
		static const char *const cross[] = { "0xfe000", "0xff000:state=secure",
						     "0x100000", "0x101000" };
		static const char *const one[] = { "0x1000", "0x2000:state=secure", "0x3000" };

		world(true, cross, 4, NULL, 0);
		g_start = 0xfe000, g_nr = 4, dma_op = "pin_fast_dma_range";
		r = run(1, t_dma_range);
		ok(found_saying(&r, "INV-13", "address 0xff000 of qemu uses p2, which gup took at "
				"0x100000; at 0xff000 it grabbed p1 and put it back", NULL),
		   "INV-13: pin_fast_dma_range across two tables, hook refused in the first: the "
		   "transfer for 0xff000 moves p2");
		world(false, cross, 4, NULL, 0);
		r = run(1, t_dma_range);
		ok(safe(&r) && dma_rc == 4,
		   "the same without refusals: 4 pages moved, each its own address's");
		world(true, cross, 4, NULL, 0);
		g_start = 0xfe000, g_nr = 4, dma_op = "pin_dma_range";
		r = run(1, t_dma_range);
		ok(safe(&r), "pin_dma_range (the slow walk) over the same range: no INV-13");
		world(true, one, 3, NULL, 0);
		g_start = 0x1000, g_nr = 3, dma_op = "pin_fast_dma_range";
		r = run(1, t_dma_range);
		ok(safe(&r), "pin_fast_dma_range in one table, hook refused: no INV-13");
	}
	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
