// SPDX-License-Identifier: MIT
/*
 * test_model_shared.c - the shared-page half of the protocol (issue 14
 * item 6), one path at a time: the guest's set- and remove-shared-access
 * UVCs (share()), uv_pin_shared in arch_make_page_accessible, KVM's
 * handle_pv_uvc on the unpin intercept; the reference count, PG_arch_1,
 * the PTE and the Ultravisor's state before and after, as v5.7 leaves
 * them; and a broken variant (a freeze that does not count the pin) that
 * must be reported.  TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "dev/dev.h"
#include "uv/fw.h"
#include "uv/uv.h"

#include "model_harness.h"

static void world_end(void)
{
	end_world();
	mdl_world_snapshot();
}

/*
 * Guest g on mm qemu, p0 at address 0 (frame 0) declared with @p0keys, a
 * NIC.  Refusals off unless @refuse: the sequential checks read the last
 * execution's results.
 */
static void shared_world(const char *p0keys, const char *freeze, bool refuse)
{
	mdl_world_begin();
	knob("uv_refuse", refuse ? "on" : "off");
	if (freeze)
		knob("freeze_check", freeze);
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("nic", "eth0", "");
	decl("page", "p0", p0keys);
	world_end();
}

static long rcs[12];

#define P0 (&mdl_world.pages[0])
#define KVM (&mdl_world.guests[0])
#define QEMU (&mdl_world.mms[0])
#define ETH0 (&mdl_world.devs[0])
#define FW0 (fw_get()->query(0))

/* Before anything runs: what state=shared declares. */
static void t_declared(void *a)
{
	mdl_thread_begin("look");
	rcs[0] = FW0.state;
	rcs[1] = FW0.pinned_shared;
	rcs[2] = PageArch1(P0);
	rcs[3] = page_ref_count(P0);
	rcs[4] = pte_present(QEMU->pte[0]) && QEMU->pte[0].pfn == 0 && pte_write(QEMU->pte[0]);
}

/* pin_user_pages of a shared page: the hook pins it shared. */
static void t_pin_shared(void *a)
{
	struct page *page = NULL;

	mdl_thread_begin("gup");
	rcs[0] = pin_user_pages(QEMU, 0, 1, 0, &page);
	rcs[1] = FW0.state;
	rcs[2] = FW0.pinned_shared;
	rcs[3] = PageArch1(P0);
	rcs[4] = page_ref_count(P0);
	rcs[5] = page == P0;
	if (page)
		unpin_user_page(page, ref_thread(REF_PIN));
	rcs[6] = page_ref_count(P0);
	rcs[7] = FW0.pinned_shared;	/* unpin_user_page does not unpin in the UV */
	rcs[8] = mdl_world.frames[0].data;
}

/* The guest unshares a frame nobody pinned: secure at once. */
static void t_unshare(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = uv_remove_shared(KVM, 0);
	rcs[1] = FW0.state;
	rcs[2] = FW0.pinned_shared;
	rcs[3] = PageArch1(P0);
	rcs[4] = page_ref_count(P0);
	rcs[5] = pte_present(QEMU->pte[0]) && QEMU->pte[0].pfn == 0;
	rcs[6] = mdl_world.frames[0].data;
}

/* Pin for I/O, unpin, then unshare: KVM's intercept unpins it secure. */
static void t_pin_then_unshare(void *a)
{
	struct page *page = NULL;

	mdl_thread_begin("vcpu");
	rcs[0] = pin_user_pages(QEMU, 0, 1, 0, &page);
	unpin_user_page(page, ref_thread(REF_PIN));
	rcs[1] = FW0.pinned_shared && !PageArch1(P0);
	rcs[2] = uv_remove_shared(KVM, 0);
	rcs[3] = FW0.state;
	rcs[4] = FW0.pinned_shared;
	rcs[5] = PageArch1(P0);	/* only make_secure_pte can have set it again */
	rcs[6] = page_ref_count(P0);
	rcs[7] = PageLocked(P0);
	rcs[8] = P0->freeze_tid;
	rcs[9] = mdl_world.frames[0].data;
}

/* The unshare while this very thread holds the pin: nobody drops it. */
static void t_unshare_holding_pin(void *a)
{
	struct page *page = NULL;

	mdl_thread_begin("vcpu");
	rcs[0] = pin_user_pages(QEMU, 0, 1, 0, &page);
	rcs[1] = uv_remove_shared(KVM, 0);	/* waits for the page for ever */
	unpin_user_page(page, ref_thread(REF_PIN));
}

/* A driver: pin, DMA to the NIC, unpin. */
static void t_dma(void *a)
{
	struct page *page = NULL;

	mdl_thread_begin("dma");
	if (pin_user_pages(QEMU, 0, 1, 0, &page) != 1)
		return;
	dev_dma_to_device(ETH0, page, dev_alloc_slot(ETH0), "pin_user_pages + DMA");
	unpin_user_page(page, ref_thread(REF_PIN));
}

static void t_vcpu_unshare(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = uv_remove_shared(KVM, 0);
}

/* A guest shares a frame it has not touched yet: the fetch imports it. */
static void t_share_normal(void *a)
{
	mdl_thread_begin("vcpu");
	rcs[0] = guest_set_shared(KVM, 0);
	rcs[1] = FW0.state;
	rcs[2] = PageArch1(P0);
	rcs[3] = page_ref_count(P0);
	rcs[4] = uv_remove_shared(KVM, 0);
	rcs[5] = FW0.state;
}

/* QEMU writes the shared frame; the guest unshares it and reads the write. */
static void t_host_write_unshare_read(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("vcpu");
	rcs[0] = host_user_access(QEMU, 0, true, 99, NULL, UA_USER);
	rcs[1] = FW0.state;
	rcs[2] = uv_remove_shared(KVM, 0);
	rcs[3] = guest_access(KVM, 0, false, 0, &v);
	rcs[4] = v;
	rcs[5] = FW0.state;
}

int main(void)
{
	struct explore_result r;

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, false);
	r = run(1, t_declared);
	ok(safe(&r) && rcs[0] == FW_SHARED && !rcs[1] && rcs[2] && rcs[3] == 1 && rcs[4],
	   "state=shared: the UV's frame shared (not pinned), PG_arch_1 set, refcount 1, PTE writable");

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, false);
	r = run(1, t_pin_shared);
	ok(safe(&r) && rcs[0] == 1 && rcs[1] == FW_SHARED && rcs[2] && !rcs[3] &&
	   rcs[4] == 1 + (long)GUP_PIN_COUNTING_BIAS && rcs[5] && rcs[6] == 1 && rcs[7] &&
	   rcs[8] == 7,
	   "pin_user_pages of a shared page: uv_pin_shared, PG_arch_1 cleared, no export "
	   "(plaintext 7), refcount 1025 then 1; the UV's pin outlives unpin_user_page");

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, false);
	r = run(1, t_unshare);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == FW_SECURE && !rcs[2] && rcs[3] && rcs[4] == 1 &&
	   rcs[5] && rcs[6] == 7,
	   "uv_remove_shared of an unpinned shared frame: secure at once, PG_arch_1 still set, "
	   "refcount and PTE unchanged, data kept");

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, false);
	r = run(1, t_pin_then_unshare);
	ok(safe(&r) && rcs[0] == 1 && rcs[1] && rcs[2] == 0 && rcs[3] == FW_SECURE && !rcs[4] &&
	   rcs[5] && rcs[6] == 1 && !rcs[7] && rcs[8] < 0 && rcs[9] == 7,
	   "unshare of a pinned frame: intercept, handle_pv_uvc -> gmap_make_secure "
	   "(UNPIN_PAGE_SHARED): secure, unpinned, PG_arch_1 set again, refcount 1 unfrozen, unlocked");

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, false);
	r = run(1, t_unshare_holding_pin);
	ok(r.found && !strcmp(r.finding.id, "deadlock") && rcs[0] == 1,
	   "unshare while a pin is held: the unpin's freeze fails on 1025, -EAGAIN, KVM_RUN "
	   "again; with nobody to drop the pin the vCPU waits for ever");
	explore_result_free(&r);

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, false);
	r = run(2, t_dma, t_vcpu_unshare);
	ok(safe(&r) && rcs[0] == 0, "v5.7: pin + DMA against the unshare: safe, the unshare returns 0");

	shared_world("mm=qemu addr=0 state=shared data=7", "at_least", false);
	r = run(2, t_dma, t_vcpu_unshare);
	ok(r.found && (!strcmp(r.finding.id, "INV-01") || !strcmp(r.finding.id, "INV-03")),
	   "broken: a freeze check of count >= expected lets the unpin make a pinned page secure "
	   "(INV-01: during the transfer, or INV-03: 1025 references at the UVC)");
	explore_result_free(&r);

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, true);
	r = run(2, t_dma, t_vcpu_unshare);
	ok(found(&r, "INV-04"),
	   "a refused pin-shared: the export of a shared frame is a no-op, PG_arch_1 cleared, "
	   "no pin, so the unshare is not intercepted: secure with PG_arch_1 clear");

	shared_world("mm=qemu addr=0 state=shared data=7", NULL, false);
	r = run(1, t_host_write_unshare_read);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == FW_SHARED && rcs[2] == 0 && rcs[3] == 0 &&
	   rcs[4] == 99 && rcs[5] == FW_SECURE,
	   "a host store to a shared frame needs no export; after the unshare the guest reads "
	   "it (99), no INV-09");

	shared_world("mm=qemu addr=0", NULL, false);
	r = run(1, t_share_normal);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == FW_SHARED && rcs[2] && rcs[3] == 1 &&
	   rcs[4] == 0 && rcs[5] == FW_SECURE,
	   "guest_set_shared of a fresh page: the fetch imports it, set-shared shares it; "
	   "remove-shared makes it secure");

	shared_world("mm=qemu addr=0", NULL, false);
	r = run(1, t_unshare);
	ok(safe(&r) && rcs[0] == -EINVAL && rcs[1] == FW_NORMAL,
	   "uv_remove_shared of a frame that is not shared: cc 1, -EINVAL (share()), nothing changes");

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
