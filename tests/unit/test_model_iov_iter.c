// SPDX-License-Identifier: MIT
/*
 * test_model_iov_iter.c - the FOLL_GET routes from user memory to a device
 * through iov_iter_get_pages() (lib/iov_iter.c; issue 14 item 10), one
 * thread at a time unless said:
 *
 *   iov_iter_get_pages on its own: a WRITE iterator takes the page with
 *   FOLL_GET (a reference, no hook: a secure page stays secure), a READ
 *   one asks for FOLL_WRITE (-EFAULT on a read-only mapping), an empty
 *   iterator takes nothing;
 *
 *   vmsplice(2): fs/splice.c vmsplice_to_pipe -> iter_to_pipe: the page in
 *   a user-page pipe buffer (the gup reference becomes the pipe's), then
 *   spliced to the NIC (generic_pipe_buf_confirm, no hook); a full pipe
 *   (-EAGAIN, the reference put back), a released one (-EBADF);
 *
 *   MSG_ZEROCOPY: net/ipv4/tcp.c tcp_sendmsg_locked ->
 *   __zerocopy_sg_from_iter: the NIC reads the user page, the reference
 *   is put at skb_release_data;
 *
 * each with the reference count, mapcount, PG_arch_1 and the Ultravisor
 * state before and after; a secure page sent (INV-01, the v5.7 bug) and
 * the same with foll_get_hook=on (exported by gup, safe) and with the
 * splice hook (which a vmsplice buffer never calls: still INV-01); an
 * import against each route, and the FOLL_GET hook with gup-fast's hook
 * call removed (the broken variant: INV-01 again).
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
#include "net/net.h"
#include "uv/fw.h"
#include "uv/uv.h"

#include "model_harness.h"

#define P0 (&mdl_world.pages[0])
#define QEMU (&mdl_world.mms[0])
#define KVM (&mdl_world.guests[0])
#define PP (&mdl_world.pipes[0])
#define NIC (&mdl_world.devs[0])

static long rcs[16];

/*
 * mm qemu, guest g, nic eth0, pipe pp, p0 with @p0keys; knobs as given
 * (the Ultravisor never refuses: the sequential tests check one outcome).
 */
static void iov_world(const char *p0keys, const char *foll_get_hook, const char *splice_hook)
{
	mdl_world_begin();
	knob("uv_refuse", "off");
	knob("foll_get_hook", foll_get_hook);
	knob("splice_hook", splice_hook);
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("nic", "eth0", "");
	decl("page", "p0", p0keys);
	decl("pipe", "pp", "");
	end_world();
	mdl_world_snapshot();
}

static bool is_secure(void)
{
	return fw_get()->query(P0->pfn).state == FW_SECURE;
}

/*
 * iov_iter_get_pages of a WRITE iterator over a secure page: 4096, the
 * page with a FOLL_GET reference, still secure with PG_arch_1 set; the
 * iterator not advanced until iov_iter_advance.
 */
static void t_get_pages_secure(void *a)
{
	struct iov_iter it;
	struct page *pages[1] = { NULL };
	unsigned long start = 99;

	mdl_thread_begin("qemu");
	rcs[0] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && is_secure() &&
		 test_page_flag(P0, PG_arch_1);
	iov_iter_init_user(&it, WRITE, QEMU, 0, PAGE_SIZE);
	rcs[1] = iov_iter_get_pages(&it, pages, ~0UL, 16, &start);
	rcs[2] = pages[0] == P0 && start == 0 && it.count == PAGE_SIZE &&
		 page_ref_count(P0) == 2 && page_mapcount(P0) == 1 && is_secure() &&
		 test_page_flag(P0, PG_arch_1) && inv_thread_holds_ref(P0, vis_self());
	iov_iter_advance(&it, (unsigned long)rcs[1]);
	rcs[3] = it.count == 0 && it.iov_base == PAGE_SIZE;
	rcs[4] = iov_iter_get_pages(&it, pages, ~0UL, 16, &start);	/* empty: 0 */
	gup_log_reset();
	put_page(P0, ref_thread(REF_GUP));
	rcs[5] = page_ref_count(P0) == 1;
}

/* A READ iterator asks for FOLL_WRITE: a read-only mapping gives -EFAULT, no reference. */
static void t_get_pages_ro(void *a)
{
	struct iov_iter it;
	struct page *pages[1] = { NULL };
	unsigned long start;

	mdl_thread_begin("qemu");
	iov_iter_init_user(&it, READ, QEMU, 0, PAGE_SIZE);
	rcs[0] = iov_iter_get_pages(&it, pages, ~0UL, 16, &start);
	rcs[1] = page_ref_count(P0) == 1 && !pages[0];
	gup_log_reset();
	iov_iter_init_user(&it, WRITE, QEMU, 0, PAGE_SIZE);
	rcs[2] = iov_iter_get_pages(&it, pages, ~0UL, 16, &start);
	rcs[3] = pages[0] == P0 && page_ref_count(P0) == 2;
	gup_log_reset();
	put_page(P0, ref_thread(REF_GUP));
}

/*
 * vmsplice of a normal page: 4096, one user-page buffer holding p0 (the
 * pipe's reference, count 2, mapcount 1); splice to the NIC sends data 5
 * and releases the buffer (count 1); a full pipe refuses with -EAGAIN and
 * puts the reference back; a released pipe -EBADF.
 */
static void t_vmsplice(void *a)
{
	struct iov_iter it;

	mdl_thread_begin("qemu");
	rcs[0] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && !is_secure();
	iov_iter_init_user(&it, WRITE, QEMU, 0, PAGE_SIZE);
	rcs[1] = vmsplice_to_pipe(&it, PP);
	rcs[2] = it.count == 0 && PP->head == 1 && PP->tail == 0 && PP->bufs[0].page == P0 &&
		 !PP->bufs[0].from_page_cache && PP->bufs[0].len == PAGE_SIZE &&
		 page_ref_count(P0) == 2 && page_mapcount(P0) == 1 &&
		 !inv_thread_holds_ref(P0, vis_self()) && !test_page_flag(P0, PG_arch_1);
	rcs[3] = splice_from_pipe_to_dev(PP, NIC);
	rcs[4] = page_ref_count(P0) == 1 && PP->tail == 1 && !PP->bufs[0].page &&
		 NIC->nr_tx == 1 && NIC->slot[0].data == 5 && !NIC->slot[0].cipher;
	for (int i = 0; i < MDL_PIPE_BUFS; i++) {
		iov_iter_init_user(&it, WRITE, QEMU, 0, PAGE_SIZE);
		vmsplice_to_pipe(&it, PP);
	}
	rcs[5] = page_ref_count(P0) == 1 + MDL_PIPE_BUFS;
	iov_iter_init_user(&it, WRITE, QEMU, 0, PAGE_SIZE);
	rcs[6] = vmsplice_to_pipe(&it, PP);
	rcs[7] = page_ref_count(P0) == 1 + MDL_PIPE_BUFS && it.count == PAGE_SIZE;
	pipe_release_bufs(PP);
	rcs[8] = page_ref_count(P0) == 1;
	rcs[9] = vmsplice_to_pipe(&it, PP);
	rcs[10] = page_ref_count(P0) == 1;
}

/* vmsplice of a secure page, then the splice to the NIC. */
static void t_vmsplice_send(void *a)
{
	struct iov_iter it;

	mdl_thread_begin("qemu");
	iov_iter_init_user(&it, WRITE, QEMU, 0, PAGE_SIZE);
	rcs[0] = vmsplice_to_pipe(&it, PP);
	rcs[1] = page_ref_count(P0) == 2 && !is_secure() && !test_page_flag(P0, PG_arch_1);
	rcs[2] = splice_from_pipe_to_dev(PP, NIC);
	rcs[3] = page_ref_count(P0) == 1 && NIC->nr_tx == 1 && NIC->slot[0].cipher;
}

/*
 * MSG_ZEROCOPY send of a normal page: 4096, the NIC sent data 5, the
 * reference put at skb_release_data (count 1 again), nothing converted.
 */
static void t_zerocopy(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && !is_secure();
	rcs[1] = tcp_sendmsg_zerocopy(QEMU, 0, NIC);
	rcs[2] = page_ref_count(P0) == 1 && page_mapcount(P0) == 1 && !is_secure() &&
		 NIC->nr_tx == 1 && NIC->slot[0].data == 5 && !NIC->slot[0].cipher &&
		 !test_page_flag(P0, PG_arch_1);
	rcs[3] = tcp_sendmsg_zerocopy(QEMU, PAGE_SIZE, NIC);	/* no mapping there */
	rcs[4] = NIC->nr_tx == 1;
}

/* MSG_ZEROCOPY of a secure page: with the FOLL_GET hook, exported by gup, ciphertext sent. */
static void t_zerocopy_secure(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = tcp_sendmsg_zerocopy(QEMU, 0, NIC);
	rcs[1] = page_ref_count(P0) == 1 && !is_secure() && NIC->nr_tx == 1 &&
		 NIC->slot[0].cipher && !test_page_flag(P0, PG_arch_1);
}

static void t_import(void *a)
{
	mdl_thread_begin("vcpu");
	guest_access(KVM, 0, true, 42, NULL);
}

static void t_vmsplice_splice(void *a)
{
	struct iov_iter it;

	mdl_thread_begin("qemu");
	iov_iter_init_user(&it, WRITE, QEMU, 0, PAGE_SIZE);
	vmsplice_to_pipe(&it, PP);
	splice_from_pipe_to_dev(PP, NIC);
}

static void t_send(void *a)
{
	mdl_thread_begin("qemu");
	tcp_sendmsg_zerocopy(QEMU, 0, NIC);
}

int main(void)
{
	struct explore_result r;

	printf("TAP version 13\n");
	iov_world("mm=qemu addr=0 data=5 state=secure", "off", "off");
	r = run(1, t_get_pages_secure);
	ok(safe(&r) && rcs[0] && rcs[1] == PAGE_SIZE && rcs[2] && rcs[3] && rcs[4] == 0 && rcs[5],
	   "iov_iter_get_pages, WRITE iterator, secure page: FOLL_GET reference, no hook (still "
	   "secure, PG_arch_1 set), not advanced; an empty iterator takes nothing");
	iov_world("mm=qemu addr=0 data=5 prot=r", "off", "off");
	r = run(1, t_get_pages_ro);
	ok(safe(&r) && rcs[0] == -EFAULT && rcs[1] && rcs[2] == PAGE_SIZE && rcs[3],
	   "iov_iter_get_pages: a READ iterator is FOLL_WRITE (-EFAULT on a read-only mapping), "
	   "a WRITE one takes the same page");
	iov_world("mm=qemu addr=0 data=5", "off", "off");
	r = run(1, t_vmsplice);
	ok(safe(&r) && rcs[0] && rcs[1] == PAGE_SIZE && rcs[2] && rcs[3] == PAGE_SIZE && rcs[4] &&
	   rcs[5] && rcs[6] == -EAGAIN && rcs[7] && rcs[8] && rcs[9] == -EBADF && rcs[10],
	   "vmsplice: the gup reference becomes a user-page pipe buffer's, spliced to the NIC and "
	   "released; a full pipe -EAGAIN (reference put back), a released pipe -EBADF");
	iov_world("mm=qemu addr=0 data=5", "off", "off");
	r = run(1, t_zerocopy);
	ok(safe(&r) && rcs[0] && rcs[1] == PAGE_SIZE && rcs[2] && rcs[3] == -EFAULT && rcs[4],
	   "MSG_ZEROCOPY send: the NIC reads the user page, skb_release_data puts the reference; "
	   "an unmapped address -EFAULT");
	iov_world("mm=qemu addr=0 data=5 state=secure", "off", "off");
	r = run(1, t_vmsplice_send);
	ok(found(&r, "INV-01"), "vmsplice of a secure page and a splice to the NIC (v5.7): INV-01");
	iov_world("mm=qemu addr=0 data=5 state=secure", "off", "on");
	r = run(1, t_vmsplice_send);
	ok(found(&r, "INV-01"),
	   "the same with splice_hook=on: INV-01 (generic_pipe_buf_confirm has no hook)");
	iov_world("mm=qemu addr=0 data=5 state=secure", "on", "off");
	r = run(1, t_vmsplice_send);
	ok(safe(&r) && rcs[0] == PAGE_SIZE && rcs[1] && rcs[2] == PAGE_SIZE && rcs[3],
	   "the same with foll_get_hook=on: gup exports the page, the NIC sends ciphertext");
	iov_world("mm=qemu addr=0 data=5 state=secure", "off", "off");
	r = run(1, t_send);
	ok(found(&r, "INV-01"), "MSG_ZEROCOPY send of a secure page (v5.7): INV-01");
	iov_world("mm=qemu addr=0 data=5 state=secure", "on", "off");
	r = run(1, t_zerocopy_secure);
	ok(safe(&r) && rcs[0] == PAGE_SIZE && rcs[1],
	   "the same with foll_get_hook=on: exported by gup, ciphertext sent, reference put");

	/* explore_auto: DPOR, then the stateful search (the catalog's default) */
	run_auto = true;
	iov_world("mm=qemu addr=0 data=5", "off", "off");
	r = run(2, t_import, t_vmsplice_splice);
	ok(found(&r, "INV-01"), "import + vmsplice + splice to the NIC (v5.7): INV-01");
	iov_world("mm=qemu addr=0 data=5", "on", "off");
	r = run(2, t_import, t_vmsplice_splice);
	ok(safe(&r) || (harness_audit && !r.complete && !r.found),
	   "import + vmsplice + splice, foll_get_hook=on: safe (reference, then hook)");
	iov_world("mm=qemu addr=0 data=5", "off", "off");
	r = run(2, t_import, t_send);
	ok(found(&r, "INV-01"), "import + MSG_ZEROCOPY send (v5.7): INV-01");
	iov_world("mm=qemu addr=0 data=5", "on", "off");
	r = run(2, t_import, t_send);
	ok(safe(&r) || (harness_audit && !r.complete && !r.found),
	   "import + MSG_ZEROCOPY send, foll_get_hook=on: safe");
	run_auto = false;
	iov_world("mm=qemu addr=0 data=5", "on", "off");
	pvm_mutant = MUT_GUP_FAST_HOOK;	/* after the world: mdl_world_begin() resets it */
	r = run(2, t_import, t_send);
	ok(found(&r, "INV-01"),
	   "the same with gup_pte_range's hook call removed (broken variant): INV-01");
	pvm_mutant = MUT_NONE;
	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
