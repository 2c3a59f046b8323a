// SPDX-License-Identifier: MIT
/*
 * test_model_mremap.c - mremap moving a PTE (mm/mremap.c) and munlock's
 * references (mm/mlock.c), issue 14 items 4 and 5, one thread at a time:
 * reference count, mapcount, flags, PTEs, VMAs and Ultravisor state before
 * and after, as v5.7 leaves them; then the races, and a guard removed
 * (mutants.def) that makes one of them a finding.  TAP output.
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

#define P0 (&mdl_world.pages[0])
#define P1 (&mdl_world.pages[1])
#define KVM (&mdl_world.guests[0])
#define QEMU (&mdl_world.mms[0])
#define NEW 0x100000UL		/* another segment: another page table, another PTE lock */

static long rcs[16];

/*
 * guest g on mm qemu, page p0 with @p0keys, page p1 with @p1keys, a file
 * mem; the addresses 0 and NEW named in qemu (as the binder names an
 * operation's).
 */
static void world(const char *p0keys, const char *p1keys)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "");
	decl("file", "mem", "dev=disk");
	decl("page", "p0", p0keys);
	decl("page", "p1", p1keys);
	end_world();
	mdl_mm_add_addr(QEMU, 0);
	mdl_mm_add_addr(QEMU, NEW);
	mdl_world_snapshot();
}

static int fw_state(int pfn)
{
	return fw_get()->query(pfn).state;
}

/* Does @page have a pte-mapping holder for @addr of qemu? */
static bool map_holder(const struct page *page, unsigned long addr)
{
	for (int i = 0; i < page->nholders; i++)
		if (page->holders[i].tag.why == REF_MAP &&
		    page->holders[i].tag.owner == pte_owner(QEMU, addr))
			return true;
	return false;
}

/* ==== mremap ==== */

/*
 * A secure anonymous page moved to NEW: exported by move_ptes'
 * ptep_get_and_clear (ciphertext, PG_arch_1 left set), mapped writable at
 * NEW with the same counts, the mapping's reference the new PTE's; the old
 * VMA gone, so the guest's frame 0 faults with no VMA: -EFAULT.
 */
static void t_mremap_secure(void *a)
{
	uint32_t v = 0;
	int i0 = mm_addr_index(QEMU, 0), in = mm_addr_index(QEMU, NEW);

	mdl_thread_begin("qemu");
	rcs[0] = fw_state(0) == FW_SECURE && pte_is(QEMU->pte[i0], P0, true) &&
		 page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && map_holder(P0, 0);
	rcs[1] = do_mremap(QEMU, 0, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, NEW);
	rcs[2] = pte_none(QEMU->pte[i0]) && pte_is(QEMU->pte[in], P0, true);
	rcs[3] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && map_holder(P0, NEW) &&
		 !map_holder(P0, 0);
	rcs[4] = fw_state(0) == FW_NORMAL && page_frame(P0)->cipher && PageArch1(P0) &&
		 PageLRU(P0) && PageAnon(P0);
	rcs[5] = !QEMU->vma[i0].valid && QEMU->vma[in].valid && !QEMU->vma[in].vm_file;
	rcs[6] = guest_access(KVM, 0, false, 0, &v);
	/* the old address has no VMA: a second move finds none */
	rcs[7] = do_mremap(QEMU, 0, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, NEW);
}

/* Arguments v5.7 refuses, and those the model does not take: nothing moves. */
static void t_mremap_einval(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = do_mremap(QEMU, 0, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED,
			   NEW + 1);			/* unaligned target */
	rcs[1] = do_mremap(QEMU, 0, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, 0);
	rcs[2] = do_mremap(QEMU, 0, PAGE_SIZE, PAGE_SIZE, MREMAP_FIXED, NEW);	/* no MAYMOVE */
	rcs[3] = do_mremap(QEMU, 0, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, NEW);
	rcs[4] = pte_is(QEMU->pte[mm_addr_index(QEMU, 0)], P0, true) &&
		 pte_none(QEMU->pte[mm_addr_index(QEMU, NEW)]) && page_ref_count(P0) == 1;
}

/*
 * MREMAP_FIXED onto a mapped target: do_munmap of the target first (its
 * page, not secure, loses its mapping and its last reference: freed), then
 * the move of a shared file page, which keeps its file and offset.
 */
static void t_mremap_onto(void *a)
{
	int in = mm_addr_index(QEMU, NEW);

	mdl_thread_begin("qemu");
	rcs[0] = page_ref_count(P1) == 1 && P1->allocated;
	rcs[1] = do_mremap(QEMU, 0, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, NEW);
	rcs[2] = !P1->allocated && pte_is(QEMU->pte[in], P0, true);
	rcs[3] = page_ref_count(P0) == 2 && page_mapcount(P0) == 1 &&
		 QEMU->vma[in].vm_file == &mdl_world.files[0] && QEMU->vma[in].vm_pgoff == 0 &&
		 QEMU->vma[in].shared;
}

/* ==== munlock ==== */

/*
 * An mlocked page mapped once: follow_page's reference becomes the
 * isolation, the fast put-back sets PG_lru again and drops it; the VMA
 * loses VM_LOCKED, a second munlock does nothing; the count never moved.
 */
static void t_munlock(void *a)
{
	int i0 = mm_addr_index(QEMU, 0);

	mdl_thread_begin("qemu");
	rcs[0] = PageMlocked(P0) && PageLRU(P0) && QEMU->vma[i0].locked &&
		 page_ref_count(P0) == 1;
	rcs[1] = do_munlock(QEMU, 0, PAGE_SIZE);
	rcs[2] = !PageMlocked(P0) && PageLRU(P0) && !QEMU->vma[i0].locked && !PageLocked(P0);
	rcs[3] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && P0->nholders == 1 &&
		 pte_is(QEMU->pte[i0], P0, true) && fw_state(0) == FW_SECURE;
	rcs[4] = do_munlock(QEMU, 0, PAGE_SIZE);
	rcs[5] = page_ref_count(P0) == 1 && PageLRU(P0);
	rcs[6] = do_munlock(QEMU, 1, PAGE_SIZE);
}

/*
 * An mlocked file page mapped twice: the slow path's get_page and
 * putback_lru_page leave one reference in this CPU's lru_add pagevec (PG_lru
 * clear) until a drain; every other reference munlock took is gone.
 */
static void t_munlock_twice_mapped(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = page_ref_count(P0) == 3 && page_mapcount(P0) == 2;
	rcs[1] = do_munlock(QEMU, 0, PAGE_SIZE);
	rcs[2] = !PageMlocked(P0) && !PageLRU(P0) && page_ref_count(P0) == 4;
	lru_add_drain();
	rcs[3] = PageLRU(P0) && page_ref_count(P0) == 3;
}

/* ==== the races ==== */

static void t_import(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[8] = guest_access(KVM, 0, true, 42, NULL);
}

static void t_mremap(void *a)
{
	mdl_thread_begin("qemu");
	do_mremap(QEMU, 0, PAGE_SIZE, PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, NEW);
}

static void t_munlock_thread(void *a)
{
	mdl_thread_begin("qemu");
	do_munlock(QEMU, 0, PAGE_SIZE);
}

static void t_migrate(void *a)
{
	mdl_thread_begin("kcompactd");
	migrate_page_at(QEMU, 0);
}

int main(void)
{
	struct explore_result r;

	world("mm=qemu addr=0 state=secure data=5", "free=1");
	r = run(1, t_mremap_secure);
	ok(safe(&r) && rcs[0] && rcs[1] == (long)NEW && rcs[2] && rcs[3] && rcs[4] && rcs[5] &&
	   rcs[6] == -EFAULT && rcs[7] == -EFAULT,
	   "mremap of a secure page: exported by ptep_get_and_clear, mapped at the new "
	   "address with the same counts; the guest's old frame has no VMA (-EFAULT)");
	world("mm=qemu addr=0 data=5", "free=1");
	r = run(1, t_mremap_einval);
	ok(safe(&r) && rcs[0] == -EINVAL && rcs[1] == -EINVAL && rcs[2] == -EINVAL &&
	   rcs[3] == -EINVAL && rcs[4],
	   "mremap: unaligned, overlapping, without MREMAP_MAYMOVE, other lengths: -EINVAL, "
	   "nothing moved");
	world("file=mem index=0 mm=qemu addr=0 data=5", "mm=qemu addr=0x100000 data=7");
	r = run(1, t_mremap_onto);
	ok(safe(&r) && rcs[0] && rcs[1] == (long)NEW && rcs[2] && rcs[3],
	   "MREMAP_FIXED onto a mapped target: do_munmap frees its page, the shared file "
	   "page moves with its file and offset");
	world("mm=qemu addr=0 state=secure data=5 mlocked=1", "free=1");
	r = run(1, t_munlock);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3] && rcs[4] == 0 && rcs[5] &&
	   rcs[6] == -EINVAL,
	   "munlock of an mlocked secure page mapped once: isolated with follow_page's "
	   "reference, put back by __pagevec_lru_add; no export, counts unchanged");
	world("file=mem index=0 mm=qemu addr=0 mm2=qemu addr2=0x200000 data=5 mlocked=1",
	      "free=1");
	r = run(1, t_munlock_twice_mapped);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3],
	   "munlock of a page mapped twice: the slow path leaves one pagevec reference "
	   "until lru_add_drain");

	world("mm=qemu addr=0 data=5", "free=1");
	r = run(2, t_import, t_mremap);
	ok(safe(&r), "mremap against the first import: mmap_sem (write against read) keeps "
	   "them apart: safe");
	world("mm=qemu addr=0 data=5 mlocked=1", "free=1");
	r = run(2, t_import, t_munlock_thread);
	ok(safe(&r), "munlock against the first import: safe (mmap_sem, and follow_page's "
	   "reference under the PTE lock)");
	world("mm=qemu addr=0 state=secure data=5", "free=1");
	r = run(2, t_mremap, t_migrate);
	ok(safe(&r), "mremap against migration's unmap and remap: the old PTE lock orders "
	   "them: safe");
	world("mm=qemu addr=0 state=secure data=5", "free=1");
	mutant("mremap-ptl");
	run_auto = true;
	r = run(2, t_mremap, t_migrate);
	ok(found(&r, "INV-06"), "mutant mremap-ptl: migration drops the mapping's reference of "
	   "a PTE move_ptes is moving: INV-06");
	run_auto = false;
	mutant(NULL);
	return failures ? 1 : 0;
}
