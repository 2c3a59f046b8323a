// SPDX-License-Identifier: MIT
/*
 * test_model_compound.c - the import on the pages v5.7 lets into a KVM
 * process that are not ordinary order-0 pages (issue 14 items 8 and 9;
 * doc/protocol.md, "Compound pages, hugetlb and the zero page"), one
 * thread at a time: a tail page of a PTE-mapped THP (page ... thp=tail,
 * src/model/special_pages.c), a hugetlb page (huge=1) and the shared zero
 * page (zero=1, as UFFDIO_ZEROPAGE maps it).  The reference count,
 * mapcount, flags, PTE and Ultravisor state before and after, as v5.7
 * leaves them; then the vCPU's endless re-execution on a tail and on a
 * hugetlb page as the explorer reports it, and the broken variant (no
 * freeze) that lets a tail become secure.  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "model/mutant.h"
#include "guest/guest.h"
#include "uv/fw.h"
#include "uv/uv.h"

#include "model_harness.h"

#define P0 (&mdl_world.pages[0])
#define P1 (&mdl_world.pages[1])
#define KVM (&mdl_world.guests[0])
#define QEMU (&mdl_world.mms[0])

static long rcs[16];

/*
 * guest g on mm qemu; page p0 at address 0 with @p0keys; p1 an ordinary
 * page at 0x1000, or free when p0 is the zero page (the COW's new page).
 * No mutant unless the caller selects one after this.
 */
static void world(const char *p0keys)
{
	mdl_world_begin();
	mutant(NULL);
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("page", "p0", p0keys);
	decl("page", "p1", strstr(p0keys, "zero") ? "free=1" : "mm=qemu addr=0x1000");
	end_world();
	mdl_world_snapshot();
}

static int fw_state(int pfn)
{
	return fw_get()->query(pfn).state;
}

/* p0 as declared and as a failed import leaves it: nothing changed. */
static bool tail_untouched(void)
{
	return page_ref_count(P0) == 0 && page_mapcount(P0) == 1 && PageTail(P0) &&
	       PageAnon(P0) && !PageLRU(P0) && !PageArch1(P0) && !PageLocked(P0) &&
	       P0->freeze_tid < 0 && pte_is(QEMU->pte[0], P0, true) && fw_state(0) == FW_NORMAL;
}

/*
 * The tail: expected_page_refs is 1 (its PTE), its own count is 0, so
 * both freezes fail and gmap_make_secure hands back -EAGAIN after
 * lru_add_drain_all; p1, beside it in the same page table, imports.
 */
static void t_tail(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = tail_untouched();
	rcs[1] = expected_page_refs(P0);
	rcs[2] = gmap_convert_to_secure(&KVM->gmap, 0);
	rcs[3] = tail_untouched();
	rcs[4] = gmap_convert_to_secure(&KVM->gmap, 1);
	rcs[5] = fw_state(1) == FW_SECURE && PageArch1(P1) && page_ref_count(P1) == 1;
}

/* The hugetlb page: -EFAULT from the VMA test, for the import and the unpack alike. */
static void t_hugetlb(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = gmap_convert_to_secure(&KVM->gmap, 0);
	rcs[1] = kvm_s390_pv_unpack_one(KVM, 0);
	rcs[2] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && PageHuge(P0) &&
		 !PageArch1(P0) && !PageLocked(P0) && fw_state(0) == FW_NORMAL;
}

/* The vCPU's store to the tail: re-executed for ever (a deadlock finding in the model). */
static void t_store(void *a)
{
	mdl_thread_begin("vcpu");
	guest_access(KVM, 0, true, 42, NULL);
}

/*
 * The zero page: the fetch's 0x3E import finds the PTE read-only
 * (follow_page(FOLL_WRITE) is NULL: -ENXIO), gmap_fault's write fault
 * copies (do_wp_page: no normal page; wp_page_copy zeroes p1), the
 * re-executed fetch imports p1 (-EBUSY on its lru_add pagevec reference,
 * lru_add_drain, success) and reads 0.  The zero page is untouched.
 */
static void t_zero(void *a)
{
	uint32_t v = 7;

	mdl_thread_begin("vcpu");
	rcs[0] = page_ref_count(P0) == 1 && page_mapcount(P0) == 0 && is_zero_page(P0) &&
		 !PageAnon(P0) && !PageLRU(P0) && QEMU->pte[0].pfn == 0 &&
		 pte_present(QEMU->pte[0]) && !pte_write(QEMU->pte[0]);
	rcs[1] = guest_access(KVM, 0, false, 0, &v);
	rcs[2] = v;
	rcs[3] = pte_is(QEMU->pte[0], P1, true) && PageAnon(P1) && page_mapcount(P1) == 1 &&
		 fw_state(1) == FW_SECURE && PageArch1(P1);
	rcs[4] = page_ref_count(P0) == 1 && page_mapcount(P0) == 0 && !PageArch1(P0) &&
		 !PageLocked(P0) && fw_state(0) == FW_NORMAL && page_frame(P0)->data == 0;
}

/*
 * Mutant secure-freeze (no freeze): the tail is made secure, PG_arch_1 set
 * on it; INV-03 (made secure with the expected references, and no others)
 * sees 0 references where expected_page_refs says 1.
 */
static void t_tail_nofreeze(void *a)
{
	mdl_thread_begin("vcpu");
	gmap_convert_to_secure(&KVM->gmap, 0);
}

int main(void)
{
	struct explore_result r;

	world("mm=qemu addr=0 thp=tail");
	r = run(1, t_tail);
	ok(safe(&r) && rcs[0] && rcs[1] == 1 && rcs[2] == -EAGAIN && rcs[3] && rcs[4] == 0 &&
	   rcs[5],
	   "THP tail: expected_page_refs 1, refcount 0: both freezes fail, -EAGAIN; no "
	   "PG_arch_1, no UVC, PTE and counts unchanged; the ordinary page beside it imports");

	world("mm=qemu addr=0 huge=1");
	r = run(1, t_hugetlb);
	ok(safe(&r) && rcs[0] == -EFAULT && rcs[1] == -EFAULT && rcs[2],
	   "hugetlb: gmap_make_secure and KVM_PV_UNPACK return -EFAULT; no lock, no freeze, "
	   "no UVC");

	world("mm=qemu addr=0 thp=tail");
	r = run(1, t_store);
	ok(found_saying(&r, "deadlock", "re-fault", (const char *)NULL),
	   "THP tail: the vCPU's store is re-executed for ever (the model's wait for the page "
	   "to change never ends)");

	world("mm=qemu addr=0 huge=1");
	r = run(1, t_store);
	ok(found(&r, "no-progress"),
	   "hugetlb: the store's 0x3E returns -EFAULT, ignored, re-executed for ever");

	world("mm=qemu addr=0 zero=1");
	r = run(1, t_zero);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] == 0 && rcs[3] && rcs[4],
	   "zero page: not followed for write, copied by the write fault (zeroed p1), p1 "
	   "imported, the guest reads 0; the zero page's count, mapcount and state unchanged");

	world("mm=qemu addr=0 thp=tail");
	mutant("secure-freeze");
	r = run(1, t_tail_nofreeze);
	ok(found_saying(&r, "INV-03", "p0 made secure with 0 references", (const char *)NULL),
	   "broken (no freeze): the tail is made secure with its count 0 (INV-03)");

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
