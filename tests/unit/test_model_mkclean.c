// SPDX-License-Identifier: MIT
/*
 * test_model_mkclean.c - the write-protect and clean paths (issue 14 item
 * 5), one thread at a time: page_mkclean (mm/rmap.c) and writeback's
 * clear_page_dirty_for_io, mprotect (mm/mprotect.c) with the s390
 * ptep_modify_prot_start/commit; the reference count, mapcount, flags,
 * PTE and Ultravisor state before and after, as v5.7 leaves them.  Then
 * the two threads of the race page_mkclean has with an import (INV-03).
 * TAP output.
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
#define KVM (&mdl_world.guests[0])
#define QEMU (&mdl_world.mms[0])
#define MEM (&mdl_world.files[0])
#define DISK (&mdl_world.devs[0])

static long rcs[16];

/* guest g on mm qemu; page p0 with @p0keys; a disk for file mem; a free page. */
static void world(const char *p0keys)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "");
	decl("file", "mem", "dev=disk");
	decl("page", "p0", p0keys);
	decl("page", "p1", "free=1");
	end_world();
	mdl_world_snapshot();
}

static int fw_state(void)
{
	return fw_get()->query(0).state;
}

/* ==== page_mkclean ==== */

/* A file page mapped writable, not secure: cleaned once, then nothing to clean. */
static void t_mkclean(void *a)
{
	mdl_thread_begin("flusher");
	rcs[0] = pte_is(QEMU->pte[0], P0, true) && page_ref_count(P0) == 2 &&
		 page_mapcount(P0) == 1;
	lock_page(P0);
	rcs[1] = page_mkclean(P0);
	rcs[2] = pte_is(QEMU->pte[0], P0, false) && !(QEMU->pte[0].flags & _PAGE_DIRTY);
	rcs[3] = page_ref_count(P0) == 2 && page_mapcount(P0) == 1;
	rcs[4] = fw_state() == FW_NORMAL && !PageArch1(P0) && !page_frame(P0)->cipher;
	rcs[5] = page_mkclean(P0);	/* neither dirty nor writable: skipped */
	rcs[6] = pte_is(QEMU->pte[0], P0, false);
	unlock_page(P0);
}

/*
 * A secure file page: ptep_clear_flush exports it (ciphertext, PG_arch_1
 * left set as in v5.7), the PTE comes back write-protected; the guest's
 * fetch through it takes 0x3E, the import's follow_page(FOLL_WRITE) fails,
 * gmap_fault's write fault makes the PTE writable (wp_page_shared), and the
 * import brings back the guest's data.
 */
static void t_mkclean_secure(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("flusher");
	rcs[0] = fw_state() == FW_SECURE && PageArch1(P0);
	lock_page(P0);
	rcs[1] = page_mkclean(P0);
	unlock_page(P0);
	rcs[2] = fw_state() == FW_NORMAL && page_frame(P0)->cipher;
	rcs[3] = PageArch1(P0);
	rcs[4] = pte_is(QEMU->pte[0], P0, false) && page_ref_count(P0) == 2 &&
		 page_mapcount(P0) == 1;
	rcs[5] = guest_access(KVM, 0, false, 0, &v);
	rcs[6] = v;
	rcs[7] = fw_state() == FW_SECURE && pte_is(QEMU->pte[0], P0, true) &&
		 page_ref_count(P0) == 2;
}

/* write_cache_pages of a secure page: mkclean exports, the hook clears PG_arch_1, DMA. */
static void t_writeback_secure(void *a)
{
	struct page *page;

	mdl_thread_begin("flusher");
	page = find_get_page(MEM, 0);
	rcs[0] = page == P0 && page_ref_count(P0) == 3;
	lock_page(page);
	rcs[1] = write_one_page(page, ref_thread(REF_LOOKUP));
	rcs[2] = fw_state() == FW_NORMAL && !PageArch1(P0) && !PageWriteback(P0) &&
		 !PageDirty(P0) && !PageLocked(P0);
	rcs[3] = pte_is(QEMU->pte[0], P0, false);
	rcs[4] = page_ref_count(P0) == 2 && page_mapcount(P0) == 1;
	rcs[5] = DISK->slot[0].cipher && DISK->slot[0].data == page_frame(P0)->data;
}

/* ==== mprotect ==== */

/* PROT_READ on a secure file page: no export; PROT_READ|PROT_WRITE: the dirty PTE writable again. */
static void t_mprotect_secure(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ);
	rcs[1] = fw_state() == FW_SECURE && PageArch1(P0);
	rcs[2] = pte_is(QEMU->pte[0], P0, false) && (QEMU->pte[0].flags & _PAGE_DIRTY) &&
		 QEMU->vma[0].readonly;
	rcs[3] = page_ref_count(P0) == 2 && page_mapcount(P0) == 1;
	rcs[4] = do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ | PROT_WRITE);
	rcs[5] = pte_is(QEMU->pte[0], P0, true) && !QEMU->vma[0].readonly &&
		 fw_state() == FW_SECURE;
	rcs[6] = do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_WRITE);	/* not modelled */
	rcs[7] = do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ | PROT_WRITE); /* no change */
}

/*
 * PROT_READ keeps the PTE's dirty bit, so writeback's page_mkclean still
 * cleans (and exports) the write-protected secure page; a second pass
 * finds it clean.
 */
static void t_mprotect_mkclean(void *a)
{
	mdl_thread_begin("qemu");
	do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ);
	lock_page(P0);
	rcs[0] = page_mkclean(P0);
	rcs[1] = fw_state() == FW_NORMAL && pte_is(QEMU->pte[0], P0, false) &&
		 !(QEMU->pte[0].flags & _PAGE_DIRTY);
	rcs[2] = page_mkclean(P0);
	unlock_page(P0);
	/* mprotect(PROT_READ|PROT_WRITE) of the clean PTE: still read-only */
	do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ | PROT_WRITE);
	rcs[3] = pte_is(QEMU->pte[0], P0, false) && !QEMU->vma[0].readonly;
}

/*
 * An anonymous page: PROT_READ then PROT_READ|PROT_WRITE leaves the PTE
 * read-only (a private VMA's vm_page_prot is PAGE_COPY); the guest's store
 * faults and do_wp_page reuses the page (mapcount 1).
 */
static void t_mprotect_anon(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("qemu");
	rcs[0] = do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ);
	rcs[1] = do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ | PROT_WRITE);
	rcs[2] = pte_is(QEMU->pte[0], P0, false) && page_ref_count(P0) == 1;
	rcs[3] = guest_access(KVM, 0, true, 42, NULL);
	rcs[4] = pte_is(QEMU->pte[0], P0, true) && fw_state() == FW_SECURE &&
		 page_ref_count(P0) == 1 && page_mapcount(P0) == 1;
	rcs[5] = guest_access(KVM, 0, false, 0, &v);
	rcs[6] = v;
}

/* ==== the race: page_mkclean between the import's follow_page and lock_page ==== */

static void t_import(void *a)
{
	mdl_thread_begin("vcpu");
	gmap_convert_to_secure(&KVM->gmap, 0);
}

static void t_flusher(void *a)
{
	struct page *page;

	mdl_thread_begin("flusher");
	page = find_get_page(MEM, 0);
	lock_page(page);
	write_one_page(page, ref_thread(REF_LOOKUP));
}

/* The same race with the PTE already write-protected: no import at all. */
static void t_import_ro(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = gmap_convert_to_secure(&KVM->gmap, 0);
	rcs[1] = fw_state() == FW_NORMAL;
}

int main(void)
{
	struct explore_result r;

	world("file=mem index=0 mm=qemu addr=0 data=5");
	r = run(1, t_mkclean);
	ok(safe(&r) && rcs[0] && rcs[1] == 1 && rcs[2] && rcs[3] && rcs[4] && rcs[5] == 0 &&
	   rcs[6],
	   "page_mkclean: the writable PTE write-protected and clean, counts unchanged; "
	   "a clean read-only PTE is skipped");

	world("file=mem index=0 mm=qemu addr=0 data=5 state=secure");
	r = run(1, t_mkclean_secure);
	ok(safe(&r) && rcs[0] && rcs[1] == 1 && rcs[2] && rcs[3] && rcs[4] && rcs[5] == 0 &&
	   rcs[6] == 5 && rcs[7],
	   "page_mkclean of a secure page: ptep_clear_flush exports (PG_arch_1 stays set); "
	   "the guest's fetch re-imports through wp_page_shared and reads 5");

	world("file=mem index=0 mm=qemu addr=0 data=5 state=secure");
	r = run(1, t_writeback_secure);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3] && rcs[4] && rcs[5],
	   "writeback of a secure page: exported by page_mkclean, PG_arch_1 cleared by the "
	   "hook, ciphertext on the disk, PTE read-only, lookup reference dropped");

	world("file=mem index=0 mm=qemu addr=0 data=5 state=secure");
	r = run(1, t_mprotect_secure);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] && rcs[2] && rcs[3] && rcs[4] == 0 && rcs[5] &&
	   rcs[6] == -EINVAL && rcs[7] == 0,
	   "mprotect(PROT_READ) of a secure page: no export, read-only, dirty kept; "
	   "PROT_READ|PROT_WRITE makes the dirty shared PTE writable again");

	world("file=mem index=0 mm=qemu addr=0 data=5 state=secure");
	r = run(1, t_mprotect_mkclean);
	ok(safe(&r) && rcs[0] == 1 && rcs[1] && rcs[2] == 0 && rcs[3],
	   "page_mkclean cleans and exports a dirty read-only PTE left by mprotect; "
	   "PROT_READ|PROT_WRITE then leaves the clean PTE read-only");

	world("mm=qemu addr=0 data=5");
	r = run(1, t_mprotect_anon);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == 0 && rcs[2] && rcs[3] == 0 && rcs[4] &&
	   rcs[5] == 0 && rcs[6] == 42,
	   "mprotect of an anonymous page, read-only then read-write: PTE stays read-only "
	   "until do_wp_page reuses it; the import follows");

	world("file=mem index=0 mm=qemu addr=0 data=5");
	run_auto = true;
	r = run(2, t_import, t_flusher);
	ok(found(&r, "INV-03"),
	   "INV-03: page_mkclean write-protects the PTE between the import's follow_page "
	   "and its lock_page; make_secure_pte does not test pte_write");
	run_auto = false;

	world("file=mem index=0 mm=qemu addr=0 ro=1 data=5");
	r = run(1, t_import_ro);
	ok(safe(&r) && rcs[0] == -EAGAIN && rcs[1],
	   "gmap_make_secure on a write-protected PTE: follow_page(FOLL_WRITE) fails, "
	   "gmap_fault makes it writable, -EAGAIN, nothing imported");

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
