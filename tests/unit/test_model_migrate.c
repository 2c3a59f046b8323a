// SPDX-License-Identifier: MIT
/*
 * test_model_migrate.c - migration (mm/migrate.c, v5.7) of an anonymous
 * page, a page-cache page with buffer heads (buffer_migrate_page) and a
 * swap-cache page (swap_aops' migrate_page), one thread at a time: the
 * return code, the reference counts, mapcounts, flags, the cache slot, the
 * PTE and the frame contents before and after, as v5.7 leaves them; the
 * refusals (-EBUSY under writeback, -EAGAIN with an extra reference); and
 * INV-14 with migrate's exact count removed (a DIO read lost in the old
 * page).  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "model/mutant.h"
#include "uv/fw.h"
#include "uv/uv.h"

#include "model_harness.h"

#define P0 (&mdl_world.pages[0])
#define P1 (&mdl_world.pages[1])
#define QEMU (&mdl_world.mms[0])
#define MEM (&mdl_world.files[0])
#define DISK (&mdl_world.devs[0])
#define SWAPPER (&mdl_world.swapper_space)

static long rcs[16];

/* mm qemu (guest g when @guest), a disk (swap), file mem; p0 with @p0keys; p1 free. */
static void world(const char *p0keys, bool guest)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	if (guest)
		decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "swap=1");
	decl("file", "mem", "dev=disk");
	decl("page", "p0", p0keys);
	decl("page", "p1", "free=1");
	end_world();
	mdl_world_snapshot();
}

/*
 * An anonymous page: moved, the old page freed, the new one mapped
 * writable.  The new page goes back to the LRU through putback_lru_page:
 * this CPU's lru_add pagevec holds a reference (rcs[4]) until the drain,
 * which sets PG_lru.
 */
static void t_anon(void *a)
{
	mdl_thread_begin("compaction");
	rcs[0] = migrate_page_at(QEMU, 0);
	rcs[4] = page_ref_count(P1) == 2 && !PageLRU(P1) &&
		 mdl_world.pvec_count[vis_self()] == 1;
	lru_add_drain();
	rcs[1] = pte_is(QEMU->pte[0], P1, true) && page_ref_count(P1) == 1 &&
		 page_mapcount(P1) == 1 && PageAnon(P1) && !PageLocked(P1) && PageLRU(P1);
	rcs[2] = !P0->allocated && page_ref_count(P0) == 0 && page_mapcount(P0) == 0;
	rcs[3] = page_frame(P1)->data == 5;
}

/*
 * A page-cache page with buffer heads: the slot now holds the new page,
 * which has the cache's, the buffers' and the mapping's references,
 * PG_private, the index and the mapping; the old page is freed.
 */
static void t_file(void *a)
{
	mdl_thread_begin("compaction");
	rcs[0] = page_ref_count(P0) == 3 && MEM->pages[0] == P0;
	rcs[1] = migrate_page_at(QEMU, 0);
	lru_add_drain();	/* putback_lru_page's pagevec */
	rcs[2] = MEM->pages[0] == P1 && P1->mapping == MEM && P1->index == 0 &&
		 PagePrivate(P1) && test_page_flag(P1, PG_uptodate) && !PageAnon(P1);
	rcs[3] = page_ref_count(P1) == 3 && page_mapcount(P1) == 1 && pte_is(QEMU->pte[0], P1, true);
	rcs[4] = !P0->allocated && page_ref_count(P0) == 0 && P0->mapping == NULL;
	rcs[5] = page_frame(P1)->data == 5;
}

/* A swap-cache page: PG_swapcache, the slot and the dirty bit move. */
static void t_swapcache(void *a)
{
	int slot = (int)P0->private;

	mdl_thread_begin("compaction");
	rcs[0] = PageSwapCache(P0) && SWAPPER->pages[slot] == P0 && page_ref_count(P0) == 2;
	rcs[1] = migrate_page_at(QEMU, 0);
	lru_add_drain();	/* putback_lru_page's pagevec */
	rcs[2] = SWAPPER->pages[slot] == P1 && PageSwapCache(P1) && (int)P1->private == slot &&
		 PageAnon(P1) && PageDirty(P1);
	rcs[3] = page_ref_count(P1) == 2 && page_mapcount(P1) == 1 && pte_is(QEMU->pte[0], P1, true);
	rcs[4] = !P0->allocated && !PageSwapCache(P0);
}

/* A secure guest page: the unmap exports it, the copy is ciphertext. */
static void t_secure(void *a)
{
	mdl_thread_begin("compaction");
	rcs[0] = fw_get()->query(0).state == FW_SECURE;
	rcs[1] = migrate_page_at(QEMU, 0);
	rcs[2] = fw_get()->query(0).state != FW_SECURE && fw_get()->query(1).state == FW_NORMAL;
	rcs[3] = page_frame(P1)->cipher && pte_is(QEMU->pte[0], P1, true) && MEM->pages[0] == P1;
}

/* Under writeback: -EBUSY (MIGRATE_SYNC_LIGHT), nothing changed. */
static void t_writeback(void *a)
{
	mdl_thread_begin("compaction");
	lock_page(P0);
	__test_set_page_writeback(P0, false);
	unlock_page(P0);
	rcs[0] = migrate_page_at(QEMU, 0);
	lru_add_drain();	/* putback_lru_page's pagevec */
	rcs[1] = MEM->pages[0] == P0 && pte_is(QEMU->pte[0], P0, true) && page_ref_count(P0) == 2 &&
		 !P1->allocated && !PageLocked(P0) && PageLRU(P0);
	end_page_writeback(P0);
}

/* An extra reference: -EAGAIN, the PTE comes back, the new page is freed. */
static void t_extra_ref(void *a)
{
	mdl_thread_begin("compaction");
	get_page(P0, ref_thread(REF_GET));
	rcs[0] = migrate_page_at(QEMU, 0);
	lru_add_drain();	/* putback_lru_page's pagevec */
	rcs[1] = MEM->pages[0] == P0 && pte_is(QEMU->pte[0], P0, true) && page_ref_count(P0) == 3 &&
		 page_mapcount(P0) == 1 && !P1->allocated && PageLRU(P0);
	put_page(P0, ref_thread(REF_GET));
}

/*
 * A pinned anonymous page (one reference more than mappings): compaction's
 * isolate_migratepages_block skips it before isolating, -EBUSY, no new
 * page allocated, the count as it was.
 */
static void t_pinned_anon(void *a)
{
	mdl_thread_begin("compaction");
	get_page(P0, ref_thread(REF_GET));
	rcs[0] = migrate_page_at(QEMU, 0);
	rcs[1] = pte_is(QEMU->pte[0], P0, true) && page_ref_count(P0) == 2 && PageLRU(P0) &&
		 !P1->allocated;
	put_page(P0, ref_thread(REF_GET));
}

/* A read-only PTE stays read-only: the migration entry keeps the write bit. */
static void t_readonly(void *a)
{
	mdl_thread_begin("compaction");
	rcs[0] = migrate_page_at(QEMU, 0);
	rcs[1] = pte_is(QEMU->pte[0], P1, false);
}

/* Nothing mapped at the address (zapped first): -ENOENT. */
static void t_none(void *a)
{
	mdl_thread_begin("compaction");
	zap_one_pte(QEMU, 0);
	rcs[0] = migrate_page_at(QEMU, 0);
}

static void t_dio(void *a)
{
	mdl_thread_begin("qemu_dio");
	dio_read_page(QEMU, 0, DISK);
}

static void t_migrate(void *a)
{
	mdl_thread_begin("compaction");
	migrate_page_at(QEMU, 0);
}

/*
 * mprotect(PROT_READ) during a migration (issue 14): change_pte_range
 * makes a write migration entry a read one, and remove_migration_pte's
 * maybe_mkwrite reads VM_WRITE; either keeps a writable PTE out of the
 * read-only VMA.  t_check joins the two (thread ids 1 and 2, spawned
 * first) and counts the executions that end with a writable PTE or a
 * VMA that is still writable.
 */
static int mprotect_bad, mprotect_runs;

static void t_mprotect(void *a)
{
	mdl_thread_begin("qemu");
	do_mprotect_pkey(QEMU, 0, PAGE_SIZE, PROT_READ);
}

static void t_check(void *a)
{
	mdl_thread_begin("check");
	vis_join(1, VIS_SITE("join"));
	vis_join(2, VIS_SITE("join"));
	mprotect_runs++;
	if (pte_write(QEMU->pte[0]) || !find_vma(QEMU, 0)->readonly)
		mprotect_bad++;
}

int main(void)
{
	struct explore_result r;

	printf("TAP version 13\n");
	world("mm=qemu addr=0 data=5", false);
	r = run(1, t_anon);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] && rcs[2] && rcs[3] && rcs[4],
	   "anonymous page: 0; the new page mapped writable, in the lru_add pagevec until the "
	   "drain puts it on the LRU with one reference; the old one freed, data copied");
	world("file=mem index=0 mm=qemu addr=0 data=5 private=1", false);
	r = run(1, t_file);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3] && rcs[4] && rcs[5],
	   "page-cache page with buffers: 0; slot, mapping, index, PG_private and the cache's, "
	   "buffers' and mapping's references on the new page; the old one freed");
	world("mm=qemu addr=0 data=5 swapcache=1", false);
	r = run(1, t_swapcache);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3] && rcs[4],
	   "swap-cache page: 0; the swap cache's slot, PG_swapcache, the entry and PG_dirty move");
	world("file=mem index=0 mm=qemu addr=0 data=5 state=secure", true);
	r = run(1, t_secure);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3],
	   "secure file page: try_to_unmap's ptep_clear_flush exports it, the copy is ciphertext");
	world("file=mem index=0 mm=qemu addr=0 data=5", false);
	r = run(1, t_writeback);
	ok(safe(&r) && rcs[0] == -EBUSY && rcs[1],
	   "page under writeback: -EBUSY, the page stays mapped and cached, no new page kept");
	world("file=mem index=0 mm=qemu addr=0 data=5", false);
	r = run(1, t_extra_ref);
	ok(safe(&r) && rcs[0] == -EAGAIN && rcs[1],
	   "an extra reference: -EAGAIN from the exact count, the old PTE restored, the new page freed");
	world("mm=qemu addr=0 data=5", false);
	r = run(1, t_pinned_anon);
	ok(safe(&r) && rcs[0] == -EBUSY && rcs[1],
	   "a pinned anonymous page: skipped by compaction's isolation (-EBUSY), nothing allocated");
	world("mm=qemu addr=0 data=5 ro=1", false);
	r = run(1, t_readonly);
	ok(safe(&r) && rcs[0] == 0 && rcs[1],
	   "a read-only PTE: the new page is mapped read-only (the migration entry's write bit)");
	world("mm=qemu addr=0 data=5", false);
	r = run(1, t_none);
	ok(safe(&r) && rcs[0] == -ENOENT, "nothing mapped at the address: -ENOENT");

	/* INV-14: a DIO read racing migration is never lost; without the exact count it is. */
	world("mm=qemu addr=0 data=5", false);
	r = run(2, t_dio, t_migrate);
	ok(safe(&r), "dio_read + migrate (anonymous): safe (the exact count sees the gup reference)");
	world("mm=qemu addr=0 data=5", false);
	pvm_mutant = MUT_MIGRATE_COUNT;	/* after the world: mdl_world_begin() resets it */
	r = run(2, t_dio, t_migrate);
	ok(found_saying(&r, "INV-14", "after migration copied it", (const char *)NULL),
	   "dio_read + migrate without the exact count: INV-14, the disk's write lands in the old page");
	pvm_mutant = MUT_NONE;
	world("file=mem index=0 mm=qemu addr=0 data=5 private=1", false);
	r = run(2, t_dio, t_migrate);
	ok(safe(&r), "dio_read + migrate (page-cache page with buffers): safe");
	world("mm=qemu addr=0 data=5", false);
	mprotect_bad = mprotect_runs = 0;
	r = run(3, t_migrate, t_mprotect, t_check);
	printf("# %d of %d executions end writable\n", mprotect_bad, mprotect_runs);
	ok(safe(&r) && mprotect_runs > 1 && mprotect_bad == 0,
	   "migrate + mprotect(PROT_READ): no execution ends with a writable PTE in the "
	   "read-only VMA (make_migration_entry_read, maybe_mkwrite)");
	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
