// SPDX-License-Identifier: MIT
/*
 * test_model_follget.c - the follow_page(FOLL_GET) and try_get_page users
 * besides gup (issue 14 item 4), one thread at a time unless said:
 *
 *   move_pages(2): mm/migrate.c do_pages_move -> add_page_for_migration
 *   (follow_page FOLL_GET|FOLL_DUMP, isolate_lru_page, put_page) ->
 *   do_move_pages_to_node -> migrate_pages(MIGRATE_SYNC); the return code
 *   and status[0] as v5.7 computes them, the reference counts, PG_lru, the
 *   pagevec, the PTE and the Ultravisor state before and after; -EACCES,
 *   -EFAULT (FOLL_DUMP), -ENOENT; a failed migration (v5.7 returns 0 and
 *   leaves status[0]); beside an import: safe for a secure page, INV-07
 *   (gmap_make_secure's missing reference) for the first import; follow_page
 *   without its PTE lock racing an import (the broken variant: try_get_page
 *   meets the frozen count).
 *
 *   tee(2): fs/splice.c do_tee -> link_pipe -> generic_pipe_buf_get
 *   (try_get_page): both buffers name the page, one reference each; the
 *   copy goes to the NIC; empty, full and same-pipe cases; a secure page
 *   teed and sent (INV-01, the v5.7 splice bug through the second pipe).
 * TAP output.
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
#define KVM (&mdl_world.guests[0])
#define MEM (&mdl_world.files[0])
#define PP (&mdl_world.pipes[0])
#define PQ (&mdl_world.pipes[1])
#define NIC (&mdl_world.devs[0])

static long rcs[16];

/* How many per-CPU pagevec entries hold @page (each one reference). */
static int pvec_refs(const struct page *page)
{
	int n = 0;

	for (int i = 0; i < MDL_NR_CPUS; i++)
		for (int k = 0; k < mdl_world.pvec_count[i]; k++)
			if (mdl_world.pvec[i][k] == page)
				n++;
	return n;
}

/* mm qemu (guest g when @guest), p0 with @p0keys, p1 free. */
static void mp_world(const char *p0keys, bool guest)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	if (guest)
		decl("guest", "g", "mm=qemu");
	decl("page", "p0", p0keys);
	decl("page", "p1", "free=1");
	end_world();
	mdl_world_snapshot();
}

/*
 * An anonymous page: status[0] = 1 (the node), return 0; the new page
 * mapped writable with the mapping's and the lru_add pagevec's references
 * (putback_lru_page(newpage)), PG_lru set when drained; the old page freed.
 */
static void t_mp_anon(void *a)
{
	int status = -1;

	mdl_thread_begin("numactl");
	rcs[0] = page_ref_count(P0) == 1 && PageLRU(P0);
	rcs[1] = do_pages_move(QEMU, 0, &status);
	rcs[2] = status;
	rcs[3] = pte_is(QEMU->pte[0], P1, true) && page_ref_count(P1) == 2 &&
		 page_mapcount(P1) == 1 && PageAnon(P1) && !PageLRU(P1) &&
		 pvec_refs(P1) == 1 && !PageLocked(P1);
	rcs[4] = !P0->allocated && page_ref_count(P0) == 0 && page_frame(P1)->data == 5;
	lru_add_drain();
	rcs[5] = page_ref_count(P1) == 1 && PageLRU(P1) && pvec_refs(P1) == 0;
}

/* A secure page: no hook at follow_page, exported by try_to_unmap, ciphertext copied. */
static void t_mp_secure(void *a)
{
	int status = -1;

	mdl_thread_begin("numactl");
	rcs[0] = fw_get()->query(0).state == FW_SECURE && PageLRU(P0);
	rcs[1] = do_pages_move(QEMU, 0, &status);
	rcs[2] = status;
	rcs[3] = fw_get()->query(0).state != FW_SECURE && fw_get()->query(1).state == FW_NORMAL &&
		 page_frame(P1)->cipher && pte_is(QEMU->pte[0], P1, true);
	lru_add_drain();
}

/*
 * follow_page(FOLL_GET) alone, as add_page_for_migration calls it: a
 * reference, no export (the page stays secure: v5.7 makes it accessible
 * for FOLL_PIN only).
 */
static void t_follow_get(void *a)
{
	int err;
	struct page *page;

	mdl_thread_begin("numactl");
	down_read(&QEMU->mmap_sem);
	page = follow_page_mask(find_vma(QEMU, 0), QEMU, 0, FOLL_GET | FOLL_DUMP, &err);
	rcs[0] = page == P0 && err == 0 && page_ref_count(P0) == 2;
	rcs[1] = fw_get()->query(0).state == FW_SECURE && test_page_flag(P0, PG_arch_1);
	put_page(P0, ref_thread(REF_GUP));
	up_read(&QEMU->mmap_sem);
}

/* Mapped twice (a second mm): status -EACCES, nothing changed. */
static void t_mp_twice(void *a)
{
	int status = 0;

	mdl_thread_begin("numactl");
	rcs[0] = do_pages_move(QEMU, 0, &status);
	rcs[1] = status;
	rcs[2] = page_ref_count(P0) == 3 && page_mapcount(P0) == 2 && PageLRU(P0) &&
		 pte_is(QEMU->pte[0], P0, true) && !P1->allocated;
}

/* An unpopulated anonymous address: FOLL_DUMP's -EFAULT; a file VMA's: -ENOENT. */
static void t_mp_hole(void *a)
{
	int status = 0;

	mdl_thread_begin("numactl");
	zap_one_pte(QEMU, 0);
	rcs[0] = do_pages_move(QEMU, 0, &status);
	rcs[1] = status;
}

/* On a pagevec (pvec=1): migrate_prep's lru_add_drain_all puts it on the LRU first. */
static void t_mp_pvec(void *a)
{
	int status = -1;

	mdl_thread_begin("numactl");
	rcs[0] = !PageLRU(P0) && page_ref_count(P0) == 2;
	rcs[1] = do_pages_move(QEMU, 0, &status);
	rcs[2] = status;
	rcs[3] = !P0->allocated && pte_is(QEMU->pte[0], P1, true);
	lru_add_drain();
}

/*
 * An extra reference: migrate_page_move_mapping's -EAGAIN; v5.7 returns 0
 * (err + nr_pages - i - 1 wraps to 1 - 1) and leaves status[0] as it was;
 * the old page is mapped again and back through putback_lru_page (the
 * pagevec holds it), the new page freed.
 */
static void t_mp_busy(void *a)
{
	int status = 77;

	mdl_thread_begin("numactl");
	get_page(P0, ref_thread(REF_GET));
	rcs[0] = do_pages_move(QEMU, 0, &status);
	rcs[1] = status;
	rcs[2] = pte_is(QEMU->pte[0], P0, true) && page_ref_count(P0) == 3 &&
		 pvec_refs(P0) == 1 && !PageLRU(P0) && !P1->allocated;
	lru_add_drain();
	rcs[3] = PageLRU(P0) && page_ref_count(P0) == 2;
	put_page(P0, ref_thread(REF_GET));
}

static void t_import(void *a)
{
	mdl_thread_begin("vcpu");
	guest_access(KVM, 0, true, 42, NULL);
}

static void t_move(void *a)
{
	int status;

	mdl_thread_begin("numactl");
	do_pages_move(QEMU, 0, &status);
	lru_add_drain();
}

/* ==== tee ==== */

static void tee_world(const char *p0keys, const char *hook)
{
	mdl_world_begin();
	knob("splice_hook", hook);
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("nic", "eth0", "");
	decl("file", "mem", "");
	decl("page", "p0", p0keys);
	decl("pipe", "pp", "");
	decl("pipe", "pq", "");
	end_world();
	mdl_world_snapshot();
}

/*
 * splice_read into pp, tee pp -> pq: 4096, both buffers hold p0 (one
 * reference each, page-cache ops), pp is not consumed; pq to the NIC sends
 * p0's data and drops pq's reference only.
 */
static void t_tee(void *a)
{
	mdl_thread_begin("teer");
	rcs[0] = splice_read_page(MEM, 0, PP);
	rcs[1] = page_ref_count(P0) == 3;
	rcs[2] = do_tee(PP, PQ);
	rcs[3] = page_ref_count(P0) == 4 && PP->bufs[0].page == P0 && PQ->bufs[0].page == P0 &&
		 PQ->bufs[0].from_page_cache && PP->head == 1 && PP->tail == 0 &&
		 PQ->head == 1 && PQ->tail == 0;
	rcs[4] = splice_from_pipe_to_dev(PQ, NIC);
	rcs[5] = page_ref_count(P0) == 3 && PQ->tail == 1 && !PQ->bufs[0].page &&
		 PP->bufs[0].page == P0 && NIC->slot[0].data == 7;
	rcs[6] = do_tee(PQ, PP);	/* pq is empty now */
	rcs[7] = do_tee(PP, PP);
	rcs[8] = do_tee(PP, PQ) == 4096 && do_tee(PP, PQ) == 4096 && do_tee(PP, PQ) == -EAGAIN;
	pipe_release_bufs(PP);
	pipe_release_bufs(PQ);
	rcs[9] = page_ref_count(P0) == 2;
}

static void t_guest_write(void *a)
{
	mdl_thread_begin("vcpu");
	guest_access(KVM, 0, true, 42, NULL);
}

static void t_tee_send(void *a)
{
	mdl_thread_begin("teer");
	splice_read_page(MEM, 0, PP);
	do_tee(PP, PQ);
	pipe_release_bufs(PP);
	splice_from_pipe_to_dev(PQ, NIC);
}

int main(void)
{
	struct explore_result r;

	printf("TAP version 13\n");
	mp_world("mm=qemu addr=0 data=5", false);
	r = run(1, t_mp_anon);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] == 1 && rcs[3] && rcs[4] && rcs[5],
	   "move_pages of an anonymous page: 0, status 1; the new page mapped with the "
	   "pagevec's reference (putback_lru_page), PG_lru once drained; the old page freed");
	mp_world("mm=qemu addr=0 data=5 state=secure", true);
	r = run(1, t_mp_secure);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] == 1 && rcs[3],
	   "move_pages of a secure page: try_to_unmap exports it, the copy is ciphertext");
	mp_world("mm=qemu addr=0 data=5 state=secure", true);
	r = run(1, t_follow_get);
	ok(safe(&r) && rcs[0] && rcs[1],
	   "follow_page(FOLL_GET|FOLL_DUMP): a reference under the PTE lock, no "
	   "arch_make_page_accessible (the page stays secure)");
	mdl_world_begin();
	knob("uv_refuse", "off");
	decl("mm", "qemu", "");
	decl("mm", "other", "");
	decl("file", "mem", "");
	decl("page", "p0", "file=mem index=0 mm=qemu addr=0 mm2=other addr2=0 data=5");
	decl("page", "p1", "free=1");
	end_world();
	mdl_world_snapshot();
	r = run(1, t_mp_twice);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == -EACCES && rcs[2],
	   "move_pages of a page mapped twice: status -EACCES (no MPOL_MF_MOVE_ALL), nothing moved");
	mp_world("mm=qemu addr=0 data=5", false);
	r = run(1, t_mp_hole);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == -EFAULT,
	   "move_pages of an unpopulated anonymous address: FOLL_DUMP's -EFAULT in status");
	mdl_world_begin();
	decl("mm", "qemu", "");
	decl("file", "mem", "");
	decl("page", "p0", "file=mem index=0 mm=qemu addr=0 data=5");
	end_world();
	mdl_world_snapshot();
	r = run(1, t_mp_hole);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == -ENOENT,
	   "move_pages of an unpopulated address of a file VMA: -ENOENT in status");
	mp_world("mm=qemu addr=0 data=5 pvec=1", false);
	r = run(1, t_mp_pvec);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] == 1 && rcs[3],
	   "move_pages of a page in a pagevec: migrate_prep drains it to the LRU, then it moves");
	mp_world("mm=qemu addr=0 data=5", false);
	r = run(1, t_mp_busy);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == 77 && rcs[2] && rcs[3],
	   "move_pages with an extra reference: not migrated, v5.7 returns 0 and leaves status[0]; "
	   "the old page mapped again and put back through the pagevec");

	/* explore_auto: DPOR, then the stateful search (the catalog's default) */
	run_auto = true;
	mp_world("mm=qemu addr=0 data=5 state=secure", true);
	r = run(2, t_import, t_move);
	/* the audit build explores statelessly, at most 200,000 executions */
	ok(safe(&r) || (harness_audit && !r.complete && !r.found),
	   "secure page: guest store + move_pages (export, re-import of the new page): "
	   "safe (follow_page's reference under the PTE lock)");
	mp_world("mm=qemu addr=0 data=5", true);
	r = run(2, t_import, t_move);
	ok(found_saying(&r, "INV-07", "lock_page", (const char *)NULL) ||
	   (harness_audit && !r.complete),
	   "first import + move_pages: INV-07, gmap_make_secure's lock_page of the page "
	   "migration freed (v5.7 holds no reference there)");
	run_auto = false;
	mp_world("mm=qemu addr=0 data=5", true);
	pvm_mutant = MUT_GUP_PTL;	/* after the world: mdl_world_begin() resets it */
	r = run(2, t_import, t_move);
	ok(found_saying(&r, "INV-05", "try_get_page", "frozen", (const char *)NULL),
	   "import + move_pages with follow_page_pte's PTE lock removed: try_get_page meets the "
	   "frozen count (INV-05)");
	pvm_mutant = MUT_NONE;

	tee_world("file=mem index=0 mm=qemu addr=0 data=7", "off");
	r = run(1, t_tee);
	ok(safe(&r) && rcs[0] == 4096 && rcs[1] && rcs[2] == 4096 && rcs[3] && rcs[4] == 4096 &&
	   rcs[5] && rcs[6] == 0 && rcs[7] == -EINVAL && rcs[8] && rcs[9],
	   "tee: try_get_page for the second pipe's copy (same page, page-cache ops), the input "
	   "not consumed; the copy sent; empty input 0, same pipe -EINVAL, full output -EAGAIN");
	tee_world("file=mem index=0 mm=qemu addr=0 data=7", "off");
	r = run(2, t_guest_write, t_tee_send);
	ok(found(&r, "INV-01"), "import + splice_read + tee + splice of the copy (no hook): INV-01");
	tee_world("file=mem index=0 mm=qemu addr=0 data=7", "on");
	r = run(2, t_guest_write, t_tee_send);
	ok(safe(&r), "the same with splice_hook=on: safe (the copy's confirm calls the hook)");
	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
