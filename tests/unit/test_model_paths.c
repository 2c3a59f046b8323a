// SPDX-License-Identifier: MIT
/*
 * test_model_paths.c - the model's paths, one thread at a time, and one
 * deliberately broken path per property (a breakage of src/model/mutants.def),
 * each run under explore(): the broken path must be reported under its INV
 * id, the v5.7 path must not.  TAP output.
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

/*
 * End the world as the binder does: a fork child ("child") gets the
 * addresses of the first mm (mdl_op_note of a fork).
 */
static void world_end(void)
{
	end_world();
	if (mdl_world.nr_mms > 1 && !strcmp(mdl_world.mms[1].name, "child"))
		mdl_fork_note(&mdl_world.mms[0], &mdl_world.mms[1]);
	mdl_world_snapshot();
}

/* Name @addr in the first mm, as the binder does for an operation's address. */
static void name_addr(unsigned long addr)
{
	if (mdl_mm_add_addr(&mdl_world.mms[0], addr) < 0) {
		printf("# no room for address %#lx\n", addr);
		exit(2);
	}
	mdl_world_snapshot();
}

/*
 * Firmware refusals (knob uv_refuse) are off in the worlds built here unless
 * a test asks for them: the sequential checks read the last execution's
 * results, which must not depend on which refusal was explored last.
 */
static bool refusals;

/* Standard world: guest g on mm qemu, anon page p0 at 0, a free page, a disk. */
static void std_world(const char *breakage, const char *p0keys)
{
	mdl_world_begin();
	mutant(breakage);
	knob("uv_refuse", refusals ? "on" : "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "swap=1");
	decl("nic", "eth0", "");
	decl("file", "mem", "");
	decl("page", "p0", p0keys);
	decl("page", "p1", "free=1");
	world_end();
}

static long rcs[8];

#define P0 (&mdl_world.pages[0])
#define KVM (&mdl_world.guests[0])
#define QEMU (&mdl_world.mms[0])
#define DISK (&mdl_world.devs[0])

/* ==== sequential paths ==== */

static void t_import(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = gmap_convert_to_secure(&KVM->gmap, 0);
	rcs[1] = fw_get()->query(0).state == FW_SECURE;
	rcs[2] = PageArch1(P0);
	rcs[3] = page_ref_count(P0);
	rcs[4] = PageLocked(P0);
}

static void t_pin_secure(void *a)
{
	struct page *page = NULL;

	mdl_thread_begin("gup");
	rcs[0] = pin_user_pages(QEMU, 0, 1, FOLL_WRITE, &page);
	rcs[1] = fw_get()->query(0).state;
	rcs[2] = PageArch1(P0);
	rcs[3] = page_ref_count(P0);
	unpin_user_page(page, ref_thread(REF_PIN));
	rcs[4] = page_ref_count(P0);
}

static void t_dma_secure(void *a)
{
	mdl_thread_begin("dev");
	get_page(P0, ref_thread(REF_GET));
	dev_dma_to_device(DISK, P0, 0, "test");
	put_page(P0, ref_thread(REF_GET));
}

static void t_roundtrip(void *a)
{
	uint32_t v = 0, h = 0;

	mdl_thread_begin("vcpu");
	rcs[0] = guest_access(KVM, 0, true, 42, NULL);
	rcs[1] = host_user_access(QEMU, 0, false, 0, &h, UA_USER);
	rcs[2] = fw_get()->query(0).state;
	rcs[3] = h != 42;	/* the host sees ciphertext */
	rcs[4] = guest_access(KVM, 0, false, 0, &v);
	rcs[5] = v;
}

static void t_swap(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("vcpu");
	rcs[0] = guest_access(KVM, 0, true, 42, NULL);
	rcs[1] = reclaim_page_at(QEMU, 0, DISK);
	rcs[2] = guest_access(KVM, 0, false, 0, &v);
	rcs[3] = v;
}

static void t_swap_tamper(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("vcpu");
	guest_access(KVM, 0, true, 42, NULL);
	reclaim_page_at(QEMU, 0, DISK);
	DISK->slot[0].data ^= 0xff;
	rcs[0] = guest_access(KVM, 0, false, 0, &v);
	rcs[1] = KVM->killed;
}

static void t_expected(void *a)
{
	mdl_thread_begin("t");
	rcs[0] = expected_page_refs(P0);
}

static void t_freeze_get(void *a)
{
	mdl_thread_begin("t");
	page_ref_freeze(P0, page_ref_count(P0));
	get_page(P0, ref_thread(REF_GET));
}

static void t_guest_write(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = guest_access(KVM, 0, true, 42, NULL);
}

static void t_zap(void *a)
{
	mdl_thread_begin("zap");
	zap_page_range(QEMU, 0);
}

/*
 * zap_pte_range of a file page (issue 14: mark_page_accessed): the young
 * PTE (every s390 PTE) marks the page accessed.  rcs[0]: before, count 2
 * (page cache, mapping), mapcount 1, on the LRU; rcs[1]: PG_referenced
 * after; rcs[2]: the count after; rcs[3]: the pagevec entries of this CPU
 * that are activations; rcs[4]: the PTE is none and mapcount 0.
 */
static void t_zap_file(void *a)
{
	int cpu, n = 0;

	mdl_thread_begin("zap");
	cpu = vis_self();
	rcs[0] = page_ref_count(P0) == 2 && page_mapcount(P0) == 1 && PageLRU(P0);
	zap_page_range(QEMU, 0);
	rcs[1] = PageReferenced(P0);
	rcs[2] = page_ref_count(P0);
	for (int i = 0; i < mdl_world.pvec_count[cpu]; i++)
		n += mdl_world.pvec[cpu][i] == P0 && mdl_world.pvec_kind[cpu][i] == PVEC_ACTIVATE;
	rcs[3] = n;
	rcs[4] = pte_none(QEMU->pte[0]) && page_mapcount(P0) == 0;
}

/* t_zap_file's worlds and what v5.7's zap leaves: PG_referenced, count, activations. */
static const struct zap_case {
	const char *p0keys;
	bool file;		/* rcs[0]'s "before" holds (a file page: count 2) */
	long referenced, count, activations;
	const char *what;
} zap_cases[] = {
	{ "file=mem index=0 mm=qemu addr=0", true, 1, 1, 0,
	  "zap of a file page, first access: PG_referenced set, no reference taken, "
	  "the mapping's dropped (2 -> 1)" },
	{ "file=mem index=0 mm=qemu addr=0 referenced=1", true, 0, 2, 1,
	  "zap of a referenced file page: activate_page's plain get_page into the "
	  "activate pagevec (2 -> 3 -> 2), PG_referenced cleared" },
	{ "file=mem index=0 mm=qemu addr=0 referenced=1 mlocked=1", true, 1, 1, 0,
	  "zap of a referenced mlocked (unevictable) file page: not activated, no "
	  "reference taken (2 -> 1), PG_referenced kept" },
	{ "mm=qemu addr=0 data=5", false, 0, 0, 0,
	  "zap of an anonymous page: not marked accessed, freed" },
};

/*
 * gup's FOLL_TOUCH (issue 14): get_user_pages and a _fast form's fallback
 * add it, follow_page_pte then calls mark_page_accessed under the PTE
 * lock; pin_user_pages adds none; the fast walk (gup_pte_range) only sets
 * PG_referenced.  rcs[0]: gup's return; rcs[1]: PG_referenced after;
 * rcs[2]: the count with gup's reference held; rcs[3]: this CPU's
 * activation entries; rcs[4]: PG_referenced before.
 */
static int touch_kind;	/* 0 get_user_pages, 1 pin_user_pages, 2 get_user_pages_fast */

static void t_gup_touch(void *a)
{
	struct page *page = NULL;
	int cpu, n = 0;

	mdl_thread_begin("qemu");
	cpu = vis_self();
	rcs[4] = PageReferenced(P0);
	if (touch_kind == 0)
		rcs[0] = get_user_pages(QEMU, 0, 1, FOLL_WRITE, &page);
	else if (touch_kind == 1)
		rcs[0] = pin_user_pages(QEMU, 0, 1, FOLL_WRITE, &page);
	else
		rcs[0] = get_user_pages_fast(QEMU, 0, 1, FOLL_WRITE, &page);
	rcs[1] = PageReferenced(P0);
	rcs[2] = page_ref_count(P0);
	for (int i = 0; i < mdl_world.pvec_count[cpu]; i++)
		n += mdl_world.pvec[cpu][i] == P0 && mdl_world.pvec_kind[cpu][i] == PVEC_ACTIVATE;
	rcs[3] = n;
	if (rcs[0] == 1 && touch_kind == 1)
		unpin_user_page(page, ref_thread(REF_PIN));
	else if (rcs[0] == 1)
		put_page(page, ref_thread(REF_GUP));
}

/*
 * Reclaim's isolation (issue 14): __isolate_lru_page takes only a page on
 * the LRU and clears PG_lru; a kept page gets PG_lru back with the
 * isolation's reference dropped (move_pages_to_lru).  rcs[0]: count before;
 * rcs[1]: reclaim's return; rcs[2]: PG_lru after; rcs[3]: count after.
 * reclaim_locked: lock the page first, so that shrink_page_list's
 * trylock_page fails.
 */
static bool reclaim_locked;

static void t_reclaim_lru(void *a)
{
	mdl_thread_begin("kswapd");
	rcs[0] = page_ref_count(P0);
	if (reclaim_locked)
		lock_page(P0);
	rcs[1] = reclaim_page_at(QEMU, 0, DISK);
	rcs[2] = PageLRU(P0);
	rcs[3] = page_ref_count(P0);
	if (reclaim_locked)
		unlock_page(P0);
}

/* t_gup_touch's cases: the page's keys, the gup, what v5.7 leaves. */
static const struct touch_case {
	const char *p0keys;
	int kind;
	long referenced, count, activations;
	const char *what;
} touch_cases[] = {
	{ "mm=qemu addr=0", 0, 1, 2, 0,
	  "get_user_pages (FOLL_TOUCH), first access: PG_referenced set, the grab only (1 -> 2)" },
	{ "mm=qemu addr=0 referenced=1", 0, 0, 3, 1,
	  "get_user_pages of a referenced page: activate_page's plain get_page after the "
	  "grab (1 -> 2 -> 3), PG_referenced cleared" },
	{ "mm=qemu addr=0 referenced=1 active=1", 0, 1, 2, 0,
	  "get_user_pages of an active page: not queued, PG_referenced kept" },
	{ "mm=qemu addr=0 referenced=1", 1, 1, 1 + (long)GUP_PIN_COUNTING_BIAS, 0,
	  "pin_user_pages adds no FOLL_TOUCH in v5.7: the pin only" },
	{ "mm=qemu addr=0", 2, 1, 2, 0,
	  "get_user_pages_fast: gup_pte_range's SetPageReferenced, no activation" },
	{ "mm=qemu addr=0 referenced=1", 2, 1, 2, 0,
	  "get_user_pages_fast of a referenced page: the fast walk never activates" },
	{ "mm=qemu addr=0 ro=1", 2, 1, 2, 0,
	  "get_user_pages_fast (FOLL_WRITE) of a write-protected PTE: the fast walk stops, the "
	  "slow fallback's write fault reuses the page, its FOLL_TOUCH sets PG_referenced" },
};

static void t_write_read_after_tamper(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("vcpu");
	guest_access(KVM, 0, true, 42, NULL);
	host_user_access(QEMU, 0, true, 7, NULL, UA_USER);	/* export, then overwrite */
	rcs[0] = guest_access(KVM, 0, false, 0, &v);
}

static void t_splice(void *a)
{
	mdl_thread_begin("splice");
	splice_read_page(&mdl_world.files[0], 0, &mdl_world.pipes[0]);
	splice_from_pipe_to_dev(&mdl_world.pipes[0], &mdl_world.devs[1]);
}

/*
 * The writeback marker alone: write_one_page without its
 * clear_page_dirty_for_io (page_mkclean), so that the pair below asks only
 * about make_secure_pte's PageWriteback check under the page lock.  With
 * page_mkclean, v5.7 has the INV-03 of catalog writeback+import whatever
 * that check does (tests/unit/test_model_mkclean.c).
 */
static void t_writeback(void *a)
{
	struct page *page;

	mdl_thread_begin("flusher");
	page = find_get_page(&mdl_world.files[0], 0);
	lock_page(page);
	__test_set_page_writeback(page, false);
	unlock_page(page);
	put_page(page, ref_thread(REF_LOOKUP));
	dev_dma_to_device(page->mapping->backing, page, 0, "writepage: submit_bio");
	end_page_writeback(page);
}

static void t_reclaim(void *a)
{
	mdl_thread_begin("kswapd");
	reclaim_page_at(QEMU, 0, DISK);
}

/*
 * Retry loops (doc/protocol.md "Retry loops"): __get_user_pages' "retry",
 * the vCPU and the host CPU re-executing after 0x3E/0x3D, unpack's -EAGAIN.
 * gup_bad counts the executions (over a whole search) in which the gup of
 * a page that can be faulted in did not return it.
 */
static int gup_bad;

static void t_gup_addr1(void *a)
{
	struct page *page = NULL;
	long rc;

	mdl_thread_begin("gup");
	rc = get_user_pages(QEMU, PAGE_SIZE, 1, FOLL_WRITE, &page);
	rcs[0] = rc;
	rcs[1] = page && pte_present(*pte_offset(QEMU, PAGE_SIZE)) && pfn_to_page(pte_offset(QEMU, PAGE_SIZE)->pfn) == page;
	rcs[2] = page ? page_ref_count(page) : -1;
	if (rc != 1 || !page) {
		gup_bad++;
		printf("# gup rc %ld\n", rc);
	}
	if (page)
		put_page(page, ref_thread(REF_GUP));
}

static void t_zap_addr1(void *a)
{
	mdl_thread_begin("zap");
	zap_page_range(QEMU, PAGE_SIZE);
}

static void t_gup_ro(void *a)
{
	struct page *page = NULL;

	mdl_thread_begin("gup");
	rcs[0] = get_user_pages(QEMU, 0, 1, FOLL_WRITE, &page);
	rcs[1] = page == NULL;
	rcs[2] = get_user_pages(QEMU, 0, 1, 0, &page);
	rcs[3] = page == P0;
	if (rcs[2] == 1)
		put_page(page, ref_thread(REF_GUP));
}

static void t_guest_read(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("vcpu");
	rcs[0] = guest_access(KVM, 0, false, 0, &v);
}

static void t_unpack(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = kvm_s390_pv_unpack_one(KVM, 0);
}

static void t_host_read(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("qemu");
	rcs[0] = host_user_access(QEMU, 0, false, 0, &v, UA_USER);
}

static void t_host_write(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = host_user_access(QEMU, 0, true, 7, NULL, UA_USER);
}

/*
 * The firmware's answers, seen from one CPU: the condition codes of every
 * execution are collected in seen[] (a bit per cc), and busy_twice counts
 * a busy or partial answer that followed another one to the same CPU.
 */
static unsigned int seen[2];
static int busy_twice;

static void t_fw_export_twice(void *a)
{
	const struct fw_ops *fw = fw_get();
	uint16_t rc = 0;
	int cc0, cc1;

	mdl_thread_begin("cpu");
	VIS_RMW(page_frame(P0), "UVC convert-from-secure");
	cc0 = fw->export(0, &rc);
	VIS_RMW(page_frame(P0), "UVC convert-from-secure");
	cc1 = fw->export(0, &rc);
	seen[0] |= 1u << cc0;
	seen[1] |= 1u << cc1;
	if (cc0 > 1 && cc1 > 1)
		busy_twice++;
}

static void t_import_count(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = gmap_convert_to_secure(&KVM->gmap, 0);
	rcs[1] = fw_get()->query(0).state == FW_SECURE;
}

static void t_pin_refused(void *a)
{
	struct page *page = NULL;

	mdl_thread_begin("gup");
	rcs[0] = pin_user_pages(QEMU, 0, 1, FOLL_WRITE, &page);
	if (rcs[0] == 1) {
		unpin_user_page(page, ref_thread(REF_PIN));
		rcs[6] |= 1;
	} else {
		rcs[6] |= 2;
	}
	rcs[1] = page_ref_count(P0);
}

/* ==== the plain-get sites of the LRU (mm/swap.c) ==== */

#define FILE0 (&mdl_world.files[0])

/* Two reads of a file page: the first sets PG_referenced, the second activates. */
static void t_read_twice(void *a)
{
	uint32_t v = 0;
	int cpu = vis_self();

	mdl_thread_begin("reader");
	rcs[0] = generic_file_buffered_read_page(FILE0, 0, &v);
	rcs[1] = PageReferenced(P0) && !PageActive(P0) && page_ref_count(P0) == 2 &&
		 mdl_world.pvec_count[cpu] == 0;
	rcs[2] = generic_file_buffered_read_page(FILE0, 0, &v);
	/* activate_page: page cache + mapping + the pagevec's reference */
	rcs[3] = !PageReferenced(P0) && !PageActive(P0) && page_ref_count(P0) == 3 &&
		 mdl_world.pvec_count[cpu] == 1 && mdl_world.pvec_kind[cpu][0] == PVEC_ACTIVATE;
	lru_add_drain();
	/* __activate_page at the drain: PG_active, the reference released */
	rcs[4] = PageActive(P0) && PageLRU(P0) && page_ref_count(P0) == 2 &&
		 mdl_world.pvec_count[cpu] == 0;
	rcs[5] = v;
	rcs[6] = fw_get()->query(0).state;
}

/* A read of a secure page: copy_page_to_iter takes the 0x3D KERNEL_FAULT path. */
static void t_read_secure(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("reader");
	rcs[0] = generic_file_buffered_read_page(FILE0, 0, &v);
	rcs[1] = fw_get()->query(0).state;
	rcs[2] = PageArch1(P0);
	rcs[3] = page_ref_count(P0);	/* the pagevec's, cache, mapping */
	rcs[4] = v != 5;		/* ciphertext */
	lru_add_drain();
	rcs[5] = page_ref_count(P0);
}

/* lru_cache_add on a full pagevec adds the page and drains the pagevec. */
static void t_lru_full(void *a)
{
	int cpu = vis_self();
	struct page *p1;

	mdl_thread_begin("t");
	p1 = alloc_page(ref_thread(REF_ALLOC));
	lru_cache_add(p1);
	rcs[0] = page_ref_count(p1) == 2 && !PageLRU(p1) && mdl_world.pvec_count[cpu] == 1;
	lru_cache_add(P0);	/* the second fills the 2-entry pagevec */
	rcs[1] = mdl_world.pvec_count[cpu] == 0 && PageLRU(p1) && page_ref_count(p1) == 1 &&
		 page_ref_count(P0) == 1;
	put_page(p1, ref_thread(REF_ALLOC));
	rcs[2] = !p1->allocated;
}

/* Writeback of a PG_reclaim page: rotated at end_page_writeback. */
static void t_rotate(void *a)
{
	struct page *page;
	int cpu = vis_self();

	mdl_thread_begin("flusher");
	page = find_get_page(FILE0, 0);
	lock_page(page);
	write_one_page(page, ref_thread(REF_LOOKUP));
	rcs[0] = !PageReclaim(P0) && !PageWriteback(P0) && page_ref_count(P0) == 3 &&
		 mdl_world.pvec_count[cpu] == 1 && mdl_world.pvec_kind[cpu][0] == PVEC_ROTATE;
	lru_add_drain();
	rcs[1] = page_ref_count(P0) == 2 && mdl_world.pvec_count[cpu] == 0;
}

/* Broken: activate_page's plain get with the count frozen (no own reference). */
static void t_freeze_activate(void *a)
{
	mdl_thread_begin("t");
	page_ref_freeze(P0, page_ref_count(P0));
	mark_page_accessed(P0);
}

static void file_world(const char *p0keys)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "");
	decl("file", "mem", "dev=disk");
	decl("page", "p0", p0keys);
	decl("page", "p1", "free=1");
	world_end();
}

/* ==== fork and COW (mm/memory.c) ==== */

#define CHILD (&mdl_world.mms[1])
#define P1 (&mdl_world.pages[1])

static void fork_world(const char *p0keys)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("mm", "child", "");
	decl("guest", "g", "mm=qemu");
	decl("page", "p0", p0keys);
	decl("page", "p1", "free=1");
	world_end();
}

/* fork of a private anon mapping: both PTEs read-only, a plain get + dup_rmap. */
static void t_fork(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = dup_mmap_pages(CHILD, QEMU);
	rcs[1] = page_ref_count(P0) == 2 && page_mapcount(P0) == 2;
	rcs[2] = pte_present(QEMU->pte[0]) && !pte_write(QEMU->pte[0]) &&
		 pte_present(CHILD->pte[0]) && !pte_write(CHILD->pte[0]) &&
		 CHILD->pte[0].pfn == P0->pfn;
	rcs[3] = fw_get()->query(0).state;	/* ptep_set_wrprotect: no export */
	rcs[4] = !mm_is_protected(CHILD);
}

/* import, fork, guest store: COW of a secure page through the 0x3D kernel fault. */
static void t_fork_cow(void *a)
{
	uint32_t v = 0, h = 0;
	int cpu = vis_self();

	mdl_thread_begin("vcpu");
	rcs[0] = guest_access(KVM, 0, true, 42, NULL);
	dup_mmap_pages(CHILD, QEMU);
	rcs[1] = fw_get()->query(0).state == FW_SECURE && PageArch1(P0);
	/*
	 * (The child's user read of the read-only secure page would re-fault
	 * forever: FOLL_WRITE fails and nothing exports; host-read+ro-secure.)
	 */
	(void)h;
	rcs[3] = guest_access(KVM, 0, true, 43, NULL);
	/* parent: new page p1, writable, secure; child: p0, exported, read-only */
	rcs[4] = QEMU->pte[0].pfn == P1->pfn && pte_write(QEMU->pte[0]) &&
		 fw_get()->query(1).state == FW_SECURE &&
		 CHILD->pte[0].pfn == P0->pfn && !pte_write(CHILD->pte[0]) &&
		 fw_get()->query(0).state == FW_NORMAL && page_frame(P0)->cipher;
	rcs[5] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 &&
		 page_ref_count(P1) == 1 && page_mapcount(P1) == 1 &&
		 mdl_world.pvec_count[cpu] == 0;	/* drained by the import's -EBUSY */
	rcs[6] = guest_access(KVM, 0, false, 0, &v);
	rcs[7] = v;
}

/* do_anonymous_page: the fresh page sits in this CPU's lru_add pagevec. */
static void t_anon_fault(void *a)
{
	int cpu = vis_self();
	struct page *page;

	mdl_thread_begin("vcpu");
	down_read(&QEMU->mmap_sem);
	rcs[0] = handle_mm_fault(QEMU, PAGE_SIZE, FAULT_FLAG_WRITE);
	up_read(&QEMU->mmap_sem);
	page = pfn_to_page(pte_offset(QEMU, PAGE_SIZE)->pfn);
	rcs[1] = pte_present(*pte_offset(QEMU, PAGE_SIZE)) && page_ref_count(page) == 2 &&
		 page_mapcount(page) == 1 && !PageLRU(page) && mdl_world.pvec_count[cpu] == 1 &&
		 mdl_world.pvec_kind[cpu][0] == PVEC_LRU_ADD;
	/* the import: -EBUSY, lru_add_drain (this CPU), success */
	rcs[2] = gmap_convert_to_secure(&KVM->gmap, 1);
	rcs[3] = page_ref_count(page) == 1 && PageLRU(page) && mdl_world.pvec_count[cpu] == 0 &&
		 fw_get()->query(page->pfn).state == FW_SECURE;
}

/* Broken: copy_one_pte without the parent's mmap_sem, the count frozen. */
static void t_freeze_fork(void *a)
{
	mdl_thread_begin("t");
	page_ref_freeze(P0, page_ref_count(P0));
	copy_one_pte(CHILD, QEMU, 0);
}

/* ==== split PTE locks (include/linux/mm.h pte_lockptr, v5.7) ==== */

#define P2 (&mdl_world.pages[2])
#define SEG (1UL << PMD_SHIFT)	/* 1 MB: one s390 page table */

/* qemu maps p0 at 0 and p2 in the next segment; child is forked from it. */
static void ptl_world(void)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("mm", "child", "");
	decl("guest", "g", "mm=qemu");
	decl("page", "p0", "mm=qemu addr=0 data=7");
	decl("page", "p1", "free=1");
	decl("page", "p2", "mm=qemu addr=0x100000 data=9");
	world_end();
}

/*
 * The fork, then a stop (a finding) so that the explorer hands back the
 * trace of the whole run: the locks dup_mmap_pages took, in order.
 */
static void t_fork_stop(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = dup_mmap_pages(CHILD, QEMU);
	rcs[1] = pte_present(*pte_offset(CHILD, 0)) && pte_present(*pte_offset(CHILD, SEG)) &&
		 pte_offset(CHILD, SEG)->pfn == P2->pfn;
	inv_fail(VIOL_HONEST_RC, VIS_SITE("test"), "stop: the fork is done");
}

/*
 * Which locks the fork thread took, in order: qemu's and child's mmap_sem,
 * then per address (ascending) the child's PTE lock of that address's
 * page table and the parent's (spin_lock_nested), each pair released
 * before the next is taken (copy_pte_range per page table).
 */
static bool fork_locks_per_segment(const struct explore_result *r)
{
	const void *want[] = {
		&QEMU->mmap_sem, &CHILD->mmap_sem,
		pte_lockptr(CHILD, 0), pte_lockptr(QEMU, 0),
		pte_lockptr(CHILD, SEG), pte_lockptr(QEMU, SEG),
	};
	const void *held[8];
	int i, n = 0, nheld = 0, tid = -1;
	bool good = r->found;

	for (i = 0; good && i < r->trace.nsteps; i++) {
		const struct trace_step *s = &r->trace.steps[i];

		/* down_write's first step acquires a free mmap_sem (vis_lock_or_queue) */
		bool acquires = s->kind == VIS_KIND_LOCK || s->kind == VIS_KIND_LOCK_SHARED ||
				(s->kind == VIS_KIND_LOCK_QUEUE && s->value);

		if (tid < 0 && acquires && s->kind != VIS_KIND_LOCK_SHARED && s->obj == want[0])
			tid = s->tid;
		if (s->tid != tid)
			continue;
		if (acquires) {
			good = n < 6 && s->obj == want[n] && nheld < 8;
			/* the second pair is taken with the first released */
			if (good && n == 4)
				good = nheld == 2;
			n++;
			held[nheld++] = s->obj;
		} else if (s->kind == VIS_KIND_UNLOCK) {
			good = nheld > 0 && held[nheld - 1] == s->obj;	/* LIFO here */
			nheld--;
		}
	}
	return good && n == 6;
}

static void splice_world(const char *breakage)
{
	mdl_world_begin();
	mutant(breakage);
	knob("uv_refuse", refusals ? "on" : "off");
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "");
	decl("nic", "eth0", "");
	decl("file", "mem", "dev=disk");
	decl("page", "p0", "file=mem index=0 mm=qemu addr=0");
	decl("pipe", "pp", "");
	world_end();
}

int main(void)
{
	struct explore_result r;

	/* --- sequential paths --- */
	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_import);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] && rcs[2] && rcs[3] == 1 && !rcs[4],
	   "gmap_convert_to_secure: secure, PG_arch_1 set, refcount restored, unlocked");

	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	r = run(1, t_pin_secure);
	ok(safe(&r) && rcs[0] == 1 && rcs[1] == FW_NORMAL && !rcs[2] &&
	   rcs[3] == 1 + (long)GUP_PIN_COUNTING_BIAS && rcs[4] == 1,
	   "pin_user_pages on a secure page exports it first; unpin restores the count");

	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	r = run(1, t_dma_secure);
	ok(found(&r, "INV-01"), "DMA to a secure page is an INV-01 finding");

	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_roundtrip);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == 0 && rcs[2] == FW_NORMAL && rcs[3] &&
	   rcs[4] == 0 && rcs[5] == 42,
	   "host read exports (host sees ciphertext); guest re-imports and reads 42");

	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_swap);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == 0 && rcs[2] == 0 && rcs[3] == 42,
	   "swap out (export) and in (import): the guest reads 42");

	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_swap_tamper);
	ok(safe(&r) && rcs[0] == -EINVAL && rcs[1],
	   "a tampered swap image fails to import: -EINVAL, SIGSEGV to the vCPU");

	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_expected);
	ok(safe(&r) && rcs[0] == 1, "expected_page_refs: anon mapped once = 1");
	std_world(NULL, "file=mem index=0 mm=qemu addr=0");
	r = run(1, t_expected);
	ok(safe(&r) && rcs[0] == 2, "expected_page_refs: file page mapped once = 2");
	std_world(NULL, "file=mem index=0 mm=qemu addr=0 private=1");
	r = run(1, t_expected);
	ok(safe(&r) && rcs[0] == 3, "expected_page_refs: with buffer heads = 3");

	/* --- the plain-get sites of the LRU --- */
	file_world("file=mem index=0 mm=qemu addr=0 data=7");
	r = run(1, t_read_twice);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] && rcs[2] == 0 && rcs[3] && rcs[4] &&
	   rcs[5] == 7 && rcs[6] == FW_NORMAL,
	   "read(2) twice: PG_referenced, then activate_page's pagevec reference; drain: PG_active");
	file_world("file=mem index=0 mm=qemu addr=0 data=5 state=secure");
	r = run(1, t_read_secure);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == FW_NORMAL && !rcs[2] && rcs[3] == 2 &&
	   rcs[4] && rcs[5] == 2,
	   "read(2) of a secure page: 0x3D kernel fault exports it; first access takes no pagevec ref");
	file_world("mm=qemu addr=0");
	r = run(1, t_lru_full);
	ok(safe(&r) && rcs[0] && rcs[1] && rcs[2],
	   "lru_cache_add on a full pagevec adds the page and drains (v5.7), none dropped");
	file_world("file=mem index=0 mm=qemu addr=0 reclaim=1");
	r = run(1, t_rotate);
	ok(safe(&r) && rcs[0] && rcs[1],
	   "end_page_writeback of a PG_reclaim page: rotate_reclaimable_page's pagevec reference");
	file_world("file=mem index=0 mm=qemu addr=0 referenced=1");
	r = run(1, t_freeze_activate);
	ok(found(&r, "INV-05"), "INV-05: activate_page's plain get_page on a frozen count");

	/* --- fork and COW --- */
	fork_world("mm=qemu addr=0 data=7");
	r = run(1, t_fork);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] && rcs[2] && rcs[3] == FW_NORMAL && rcs[4],
	   "fork: parent and child PTEs read-only, refcount 2, mapcount 2, child unprotected");
	fork_world("mm=qemu addr=0 data=7");
	r = run(1, t_fork_cow);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] && rcs[3] == 0 && rcs[4] &&
	   rcs[5] && rcs[6] == 0 && rcs[7] == 43,
	   "fork of a secure page: both PTEs read-only, no export; "
	   "COW exports and copies the ciphertext, the copy imports, the guest reads 43");
	fork_world("mm=qemu addr=0 data=7");
	name_addr(PAGE_SIZE);
	r = run(1, t_anon_fault);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] && rcs[2] == 0 && rcs[3],
	   "do_anonymous_page: the new page's lru_add pagevec reference; the import drains it");
	fork_world("mm=qemu addr=0 data=7");
	r = run(1, t_freeze_fork);
	ok(found(&r, "INV-05"), "INV-05: copy_one_pte's plain get_page on a frozen count");
	/* --- split PTE locks: one per page table, i.e. per 1 MB segment --- */
	ptl_world();
	name_addr(PAGE_SIZE);
	name_addr(SEG - PAGE_SIZE);
	ok(pte_lockptr(QEMU, 0) == pte_lockptr(QEMU, PAGE_SIZE) &&
	   pte_lockptr(QEMU, 0) == pte_lockptr(QEMU, SEG - PAGE_SIZE),
	   "PTL: 0, 0x1000 and 0xff000 lie in one page table and share its lock");
	ok(pte_lockptr(QEMU, 0) != pte_lockptr(QEMU, SEG) && QEMU->nr_pts == 2,
	   "PTL: 0x100000 is in the next segment: another page table, another lock");
	ok(pte_lockptr(CHILD, 0) != pte_lockptr(QEMU, 0) &&
	   pte_lockptr(CHILD, 0) != pte_lockptr(CHILD, SEG) &&
	   pte_lockptr(CHILD, 0) == pte_lockptr(CHILD, PAGE_SIZE),
	   "PTL: the child's page tables are its own, one lock per segment");
	ok(find_vma(QEMU, QEMU->size) == NULL && find_vma(QEMU, SEG) != NULL,
	   "find_vma: nothing at the end of the range");
	ptl_world();
	r = run(1, t_fork_stop);
	{
		bool locks = fork_locks_per_segment(&r);

		ok(found(&r, "INV-12") && rcs[0] == 0 && rcs[1] && locks,
		   "fork: per segment, the child's PTE lock then the parent's (nested), "
		   "released before the next segment's pair");
	}
	/* --- retry loops without a bound (doc/protocol.md "Retry loops") --- */
	std_world(NULL, "mm=qemu addr=0");
	name_addr(PAGE_SIZE);
	r = run(1, t_gup_addr1);
	ok(safe(&r) && rcs[0] == 1 && rcs[1] && rcs[2] == 3,
	   "__get_user_pages: follow fails, faultin_page, retry: the new page, "
	   "mapped + lru_add pagevec + gup = 3");
	std_world(NULL, "free=1");
	name_addr(PAGE_SIZE);
	gup_bad = 0;
	r = run(2, t_gup_addr1, t_zap_addr1);
	ok(safe(&r) && gup_bad == 0,
	   "__get_user_pages retries as often as a zap takes the page away: 1 in every run");
	std_world(NULL, "mm=qemu addr=0 prot=r");
	r = run(1, t_gup_ro);
	ok(safe(&r) && rcs[0] == -EFAULT && rcs[1] && rcs[2] == 1 && rcs[3],
	   "check_vma_flags: FOLL_WRITE on a VMA without VM_WRITE -EFAULT, a read gup 1");
	std_world(NULL, "mm=qemu addr=0 prot=r");
	r = run(1, t_guest_read);
	ok(found(&r, "no-progress"),
	   "0x3E on a VMA without VM_WRITE: -EFAULT ignored, the vCPU re-faults for ever");
	/* the same loop with an unfair firmware: still unconditional (no UVC in it) */
	std_world("uv-loop", "mm=qemu addr=0 prot=r");
	r = run(1, t_guest_read);
	ok(r.found && r.finding.verdict == VERDICT_NO_PROGRESS &&
	   strcmp(explore_no_progress_class(r.finding.site.what), "unconditional") == 0,
	   "the re-fault loop under mutant uv-loop is of class unconditional");
	explore_result_free(&r);
	std_world(NULL, "mm=qemu addr=0 prot=r");
	r = run(1, t_guest_write);
	ok(safe(&r) && rcs[0] == -EFAULT,
	   "a guest store to a VMA without VM_WRITE: host DAT fault fails, -EFAULT (no loop)");
	std_world(NULL, "mm=qemu addr=0 prot=r");
	r = run(1, t_unpack);
	ok(safe(&r) && rcs[0] == -EFAULT,
	   "unpack on a VMA without VM_WRITE: gmap_make_secure -EFAULT ends kvm_s390_pv_unpack");
	std_world(NULL, "mm=qemu addr=0 prot=r state=secure data=5");
	r = run(1, t_host_read);
	ok(found(&r, "no-progress"),
	   "0x3D on a write-protected secure page: follow_page(FOLL_WRITE) NULL, re-fault for ever");
	std_world(NULL, "mm=qemu addr=0 prot=r state=secure data=5");
	r = run(1, t_host_write);
	ok(safe(&r) && rcs[0] == -EFAULT,
	   "a host store through a PROT_READ VMA: protection fault first, SIGSEGV (no loop)");
	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	r = run(1, t_host_read);
	ok(safe(&r) && rcs[0] == 0, "0x3D on a writable secure page exports it: the load completes");

	/* --- the firmware's answers (fw.h answers[], uvfw_answer) --- */
	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	seen[0] = seen[1] = 0;
	busy_twice = 0;
	r = run(1, t_fw_export_twice);
	ok(safe(&r) && seen[0] == 0xd && busy_twice == 0,
	   "uv_refuse=off: export answers ok, busy, partial; never busy twice in a row");
	refusals = true;
	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	seen[0] = seen[1] = 0;
	busy_twice = 0;
	r = run(1, t_fw_export_twice);
	ok(safe(&r) && seen[0] == 0xf && (seen[1] & 0xf) == 0xf && busy_twice == 0,
	   "export of a secure frame may also be refused (cc 1), first and second call");
	refusals = false;

	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_import_count);
	ok(r.executions == 3 && safe(&r) && rcs[0] == 0 && rcs[1],
	   "uv_call: an import answered ok, busy then ok, partial then ok (3 runs), each 0");

	refusals = true;
	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	rcs[6] = 0;
	r = run(1, t_pin_refused);
	ok(safe(&r) && rcs[6] == 3,
	   "pin_user_pages: a refused export fails the pin (v5.7), no reference left");
	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	r = run(1, t_zap);
	ok(found(&r, "INV-08"), "v5.7 zap: a refused teardown export frees a secure page");
	refusals = false;

	for (size_t c = 0; c < sizeof(zap_cases) / sizeof(zap_cases[0]); c++) {
		const struct zap_case *z = &zap_cases[c];

		std_world(NULL, z->p0keys);
		r = run(1, t_zap_file);
		ok(safe(&r) && (!z->file || rcs[0]) && rcs[1] == z->referenced &&
		   rcs[2] == z->count && rcs[3] == z->activations && rcs[4], z->what);
	}

	for (size_t c = 0; c < sizeof(touch_cases) / sizeof(touch_cases[0]); c++) {
		const struct touch_case *z = &touch_cases[c];

		std_world(NULL, z->p0keys);
		touch_kind = z->kind;
		r = run(1, t_gup_touch);
		bool good = safe(&r) && rcs[0] == 1 && rcs[1] == z->referenced &&
			    rcs[2] == z->count && rcs[3] == z->activations;
		if (!good)
			printf("# rc %ld, referenced %ld -> %ld, count %ld, %ld queued\n",
			       rcs[0], rcs[4], rcs[1], rcs[2], rcs[3]);
		ok(good, z->what);
	}

	std_world(NULL, "mm=qemu addr=0 pvec=1");
	r = run(1, t_reclaim_lru);
	ok(safe(&r) && rcs[1] == -EBUSY && !rcs[2] && rcs[3] == rcs[0],
	   "reclaim of a page still in an lru_add pagevec (not PageLRU): not isolated, no "
	   "reference taken");
	std_world(NULL, "mm=qemu addr=0");
	reclaim_locked = true;
	r = run(1, t_reclaim_lru);
	reclaim_locked = false;
	ok(safe(&r) && rcs[1] == -EBUSY && rcs[2] && rcs[3] == rcs[0],
	   "reclaim of a locked page: isolated (PG_lru cleared), kept at trylock_page, "
	   "put back with PG_lru and its count");

	/* --- one broken path per property; the v5.7 path stays clean --- */
	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_freeze_get);
	ok(found(&r, "INV-05"), "INV-05: get_page on a frozen page");

	std_world("arch1-late", "mm=qemu addr=0");
	r = run(1, t_guest_write);
	ok(found(&r, "INV-04"), "INV-04: PG_arch_1 set after the import UVC");
	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_guest_write);
	ok(safe(&r) && rcs[0] == 0, "v5.7 import: no finding, rc 0");

	std_world("no-zap-export", "mm=qemu addr=0 state=secure data=5");
	r = run(1, t_zap);
	ok(found(&r, "INV-08"), "INV-08: zap without export frees a secure page");
	std_world(NULL, "mm=qemu addr=0 state=secure data=5");
	r = run(1, t_zap);
	ok(safe(&r), "v5.7 zap exports before freeing");

	std_world("ignore-uv-rc", "mm=qemu addr=0");
	r = run(1, t_write_read_after_tamper);
	ok(found(&r, "INV-12"), "INV-12: make_secure_pte ignoring a failed UVC");
	std_world("no-integrity", "mm=qemu addr=0");
	r = run(1, t_write_read_after_tamper);
	ok(found(&r, "INV-09"), "INV-09: an import without integrity check gives the guest bad data");
	std_world(NULL, "mm=qemu addr=0");
	r = run(1, t_write_read_after_tamper);
	ok(safe(&r) && rcs[0] == -EINVAL, "v5.7: a host-tampered page fails to import");

	std_world("lock-under-ptl", "mm=qemu addr=0");
	r = run(1, t_guest_write);
	ok(found(&r, "INV-10"), "INV-10: lock_page under the PTE spinlock");

	/*
	 * mutant uv-loop: busy for ever.  Before the fairness classes this was
	 * INV-11 (the freeze bound counted uv_call's rounds); now the loop is
	 * the checker's: no-progress of class firmware, the frozen count held.
	 */
	std_world("uv-loop", "mm=qemu addr=0");
	r = run(1, t_guest_write);
	ok(r.found && r.finding.verdict == VERDICT_NO_PROGRESS &&
	   strcmp(explore_no_progress_class(r.finding.site.what), "firmware") == 0,
	   "no-progress/firmware: a UV busy loop while the refcount is frozen");
	explore_result_free(&r);

	splice_world("put-extra");
	r = run(1, t_splice);
	ok(found(&r, "INV-06"), "INV-06: a pipe buffer released twice");
	splice_world("dma-after-put");
	r = run(1, t_splice);
	ok(found(&r, "INV-02"), "INV-02: DMA after the marker is dropped");
	splice_world(NULL);
	r = run(1, t_splice);
	ok(safe(&r), "v5.7 splice of a normal page: no finding");

	splice_world("secure-writeback-check");
	r = run(2, t_guest_write, t_writeback);
	ok(r.found && (!strcmp(r.finding.id, "INV-03") || !strcmp(r.finding.id, "INV-01")),
	   "INV-03/01: import without the PageWriteback check");
	explore_result_free(&r);
	splice_world(NULL);
	r = run(2, t_guest_write, t_writeback);
	ok(safe(&r), "v5.7 writeback marker (no page_mkclean) vs import: safe");

	std_world(NULL, "mm=qemu addr=0");
	run_auto = true;	/* DPOR's first 200,000 executions may miss it */
	r = run(2, t_guest_write, t_reclaim);
	run_auto = false;
	ok(found(&r, "INV-07") || (harness_audit && !r.complete),
	   "INV-07: v5.7 gmap_make_secure locks a page reclaim freed");

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
