// SPDX-License-Identifier: MIT
/*
 * test_model_lifecycle.c - the life-cycle paths of a protected guest
 * (issue 14 item 7, src/guest/pv.c), one thread at a time unless said:
 *
 *   KVM_PV_UNPACK over a range (arch/s390/kvm/pv.c kvm_s390_pv_unpack,
 *   unpack_one): every page secure for (config, frame) with its content
 *   kept (the image), the mapping's reference only, PG_arch_1 set, the
 *   page unlocked; a frame with no page faulted in (-ENXIO -> gmap_fault
 *   -> -EAGAIN) and unpacked on the loop's next round; -EINVAL once the
 *   guest is disabled; beside a pin, the -EAGAIN rounds and the verdict.
 *
 *   KVM_PV_DISABLE (kvm-s390.c kvm_s390_handle_pv, pv.c
 *   kvm_s390_pv_deinit_vm, gmap.c s390_reset_acc): every frame host-owned,
 *   secure ones exported (ciphertext), PG_arch_1 left set, refcounts,
 *   mapcounts and PTEs unchanged, is_protected 0; a later host read does
 *   not fault (PG_arch_1 is still set: no 0x3D handler ran); a zap
 *   afterwards does not export; the destroy-configuration UVC cleans a
 *   frame still secure; a refused export is the walk's WARN_ON_ONCE
 *   (INV-08); a second disable is -EINVAL.  Beside a zap, a host read
 *   and a migration of the same page: safe.
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

#define P(i) (&mdl_world.pages[i])
#define QEMU (&mdl_world.mms[0])
#define KVM (&mdl_world.guests[0])
#define DISK (&mdl_world.devs[0])

static long rcs[16];

static bool fw_is(int pfn, enum fw_page_state st)
{
	return fw_get()->query(pfn).state == st;
}

/* mm qemu, guest g, a blockdev; p0 at 0, p1 at 0x1000, p2 with @p2keys. */
static void lc_world(const char *p01keys, const char *p2keys, const char *refuse)
{
	char k0[96], k1[96];

	snprintf(k0, sizeof(k0), "mm=qemu addr=0 data=7 %s", p01keys);
	snprintf(k1, sizeof(k1), "mm=qemu addr=0x1000 data=8 %s", p01keys);
	mdl_world_begin();
	knob("uv_refuse", refuse);
	decl("mm", "qemu", "");
	decl("guest", "g", "mm=qemu");
	decl("blockdev", "disk", "");
	decl("page", "p0", k0);
	decl("page", "p1", k1);
	decl("page", "p2", p2keys);
	end_world();
	mdl_world_snapshot();
}

/* Two normal pages unpacked: secure for (config 0, frame i), content kept. */
static void t_unpack2(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = fw_is(0, FW_NORMAL) && fw_is(1, FW_NORMAL) && !test_page_flag(P(0), PG_arch_1);
	rcs[1] = kvm_s390_pv_unpack(KVM, 0, 2);
	rcs[2] = 1;
	for (int i = 0; i < 2; i++) {
		struct fw_page_info fi = fw_get()->query(i);

		rcs[2] &= fi.state == FW_SECURE && fi.config == KVM->gmap.guest_handle &&
			  fi.gfn == (unsigned long)i && page_ref_count(P(i)) == 1 &&
			  page_mapcount(P(i)) == 1 && test_page_flag(P(i), PG_arch_1) &&
			  !PageLocked(P(i)) && !page_frame(P(i))->cipher &&
			  page_frame(P(i))->data == (uint32_t)(7 + i) &&
			  KVM->written[i] && KVM->value[i] == (uint32_t)(7 + i);
	}
	rcs[3] = mdl_current()->nheld == 0;
}

/*
 * Frame 1 has no page: make_secure_pte's -ENXIO, gmap_fault faults a
 * fresh anonymous page in, -EAGAIN, and the loop unpacks frame 1 again.
 */
static void t_unpack_fault(void *a)
{
	pte_t pte;

	mdl_thread_begin("qemu");
	zap_one_pte(QEMU, 0x1000);
	rcs[0] = !pte_present(QEMU->pte[1]);
	rcs[1] = kvm_s390_pv_unpack(KVM, 0, 2);
	pte = QEMU->pte[1];
	rcs[2] = pte_present(pte) && fw_is(pte.pfn, FW_SECURE) &&
		 fw_get()->query(pte.pfn).gfn == 1 && page_frame(pfn_to_page(pte.pfn))->data == 0;
	lru_add_drain();
}

/* After KVM_PV_DISABLE: unpack -EINVAL, a second disable -EINVAL. */
static void t_unpack_after_disable(void *a)
{
	mdl_thread_begin("qemu");
	rcs[0] = kvm_s390_pv_disable(KVM);
	rcs[1] = kvm_s390_pv_unpack(KVM, 0, 1);
	rcs[2] = kvm_s390_pv_disable(KVM);
	rcs[3] = fw_is(0, FW_NORMAL) && fw_is(1, FW_NORMAL);
}

/*
 * KVM_PV_DISABLE with p0, p1 secure and p2 normal at 0x2000: exported,
 * PG_arch_1 kept, nothing else changed; a host read afterwards does not
 * fault, a zap does not export.
 */
static void t_disable(void *a)
{
	uint32_t v = 0;

	mdl_thread_begin("qemu");
	rcs[0] = fw_is(0, FW_SECURE) && fw_is(1, FW_SECURE) && fw_is(2, FW_NORMAL) &&
		 mm_is_protected(QEMU);
	rcs[1] = kvm_s390_pv_disable(KVM);
	rcs[2] = 1;
	for (int i = 0; i < 3; i++)
		rcs[2] &= fw_is(i, FW_NORMAL) && page_ref_count(P(i)) == 1 &&
			  page_mapcount(P(i)) == 1 && pte_is(QEMU->pte[i], P(i), true) &&
			  !PageLocked(P(i));
	rcs[3] = page_frame(P(0))->cipher && page_frame(P(1))->cipher &&
		 !page_frame(P(2))->cipher && page_frame(P(2))->data == 9 &&
		 test_page_flag(P(0), PG_arch_1) && test_page_flag(P(1), PG_arch_1);
	rcs[4] = !mm_is_protected(QEMU) && !KVM->protected && mdl_current()->nheld == 0;
	/* no 0x3D: the 0x3D handler's arch_make_page_accessible would clear PG_arch_1 */
	rcs[5] = host_user_access(QEMU, 0x1000, false, 0, &v, UA_USER);
	rcs[6] = v == page_frame(P(1))->data && test_page_flag(P(1), PG_arch_1) &&
		 fw_is(1, FW_NORMAL);
	zap_one_pte(QEMU, 0);
	rcs[7] = !P(0)->allocated && fw_is(0, FW_NORMAL);
}

/*
 * The destroy-configuration UVC on its own (fw_ops destroy_config): a
 * frame still secure for the configuration is cleared and host-owned, a
 * shared one host-owned with its content, another configuration's or a
 * normal frame untouched.
 */
static void t_destroy_config(void *a)
{
	const struct fw_ops *fw = fw_get();
	uint16_t rc;

	mdl_thread_begin("qemu");
	rcs[0] = fw->destroy_config(0, KVM->gmap.guest_handle, &rc) == UVC_CC_OK &&
		 fw_is(0, FW_NORMAL) && page_frame(P(0))->data == 0 && !page_frame(P(0))->cipher;
	rcs[1] = fw->destroy_config(1, KVM->gmap.guest_handle + 1, &rc) == UVC_CC_OK &&
		 fw_is(1, FW_SECURE) && page_frame(P(1))->data == 8;
	rcs[2] = fw->destroy_config(2, KVM->gmap.guest_handle, &rc) == UVC_CC_OK &&
		 fw_is(2, FW_NORMAL) && page_frame(P(2))->data == 9;
	rcs[3] = test_page_flag(P(0), PG_arch_1);
}

/* uv_refuse on: a refused export of the walk is its WARN_ON_ONCE (INV-08). */
static void t_disable_refused(void *a)
{
	mdl_thread_begin("qemu");
	kvm_s390_pv_disable(KVM);
}

static void t_disable_only(void *a)
{
	mdl_thread_begin("qemu");
	kvm_s390_pv_disable(KVM);
}

static void t_zap0(void *a)
{
	mdl_thread_begin("madvise");
	zap_one_pte(QEMU, 0);
}

static void t_read1(void *a)
{
	uint32_t v;

	mdl_thread_begin("qemu-read");
	host_user_access(QEMU, 0x1000, false, 0, &v, UA_USER);
}

static void t_migrate1(void *a)
{
	mdl_thread_begin("kcompactd");
	migrate_page_at(QEMU, 0x1000);
}

static void t_unpack2_only(void *a)
{
	mdl_thread_begin("qemu");
	kvm_s390_pv_unpack(KVM, 0, 2);
}

static void t_pin_dma1(void *a)
{
	struct page *pg = NULL;

	mdl_thread_begin("iothread");
	if (pin_user_pages(QEMU, 0x1000, 1, 0, &pg) == 1) {
		dev_dma_to_device(DISK, pg, dev_alloc_slot(DISK), "pin + DMA");
		unpin_user_page(pg, ref_thread(REF_PIN));
	}
	gup_log_reset();
}

int main(void)
{
	struct explore_result r;

	printf("TAP version 13\n");
	lc_world("", "free=1", "off");
	r = run(1, t_unpack2);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3],
	   "KVM_PV_UNPACK of two pages: each secure for (config, frame), the image content "
	   "kept, refcount 1, PG_arch_1 set, unlocked; nothing held after");
	lc_world("", "free=1", "off");
	r = run(1, t_unpack_fault);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2],
	   "KVM_PV_UNPACK of a frame with no page: -ENXIO, gmap_fault, -EAGAIN, the same frame "
	   "again: a fresh (cleared) page unpacked");
	lc_world("state=secure", "free=1", "off");
	r = run(1, t_unpack_after_disable);
	ok(safe(&r) && rcs[0] == 0 && rcs[1] == -EINVAL && rcs[2] == -EINVAL && rcs[3],
	   "after KVM_PV_DISABLE: KVM_PV_UNPACK and a second KVM_PV_DISABLE are -EINVAL "
	   "(kvm_s390_pv_is_protected)");
	lc_world("state=secure", "mm=qemu addr=0x2000 data=9", "off");
	r = run(1, t_disable);
	ok(safe(&r) && rcs[0] && rcs[1] == 0 && rcs[2] && rcs[3] && rcs[4] && rcs[5] == 0 &&
	   rcs[6] && rcs[7],
	   "KVM_PV_DISABLE: every frame host-owned (secure ones exported, PG_arch_1 left set), "
	   "counts and PTEs unchanged, is_protected 0; a host read does not fault, a zap does "
	   "not export");
	lc_world("state=secure", "mm=qemu addr=0x2000 data=9", "off");
	r = run(1, t_destroy_config);
	ok(safe(&r) && rcs[0] && rcs[1] && rcs[2] && rcs[3],
	   "destroy-configuration: a frame still secure for the configuration cleared and "
	   "host-owned, another configuration's and a normal frame untouched, PG_arch_1 kept");
	lc_world("state=secure", "free=1", "on");
	r = run(1, t_disable_refused);
	ok(found_saying(&r, "INV-08", "WARN_ON_ONCE", "__s390_reset_acc", (const char *)NULL),
	   "KVM_PV_DISABLE with a refused export: __s390_reset_acc's WARN_ON_ONCE (INV-08)");

	/* beside other paths on the same page */
	/* uv_refuse off: a refused zap export frees a secure page (zap+refuse's question) */
	lc_world("state=secure", "free=1", "off");
	r = run(2, t_disable_only, t_zap0);
	ok(safe(&r), "KVM_PV_DISABLE + MADV_DONTNEED of a secure page (both mmap_sem readers, "
	   "one PTE lock): safe");
	lc_world("state=secure", "free=1", "off");
	r = run(2, t_disable_only, t_read1);
	ok(safe(&r), "KVM_PV_DISABLE + QEMU's read of a secure page (two exports): safe");
	lc_world("state=secure", "free=1", "off");
	r = run(2, t_disable_only, t_migrate1);
	ok(safe(&r), "KVM_PV_DISABLE + migration of a secure page: safe");
	lc_world("", "free=1", "off");
	r = run(2, t_unpack2_only, t_pin_dma1);
	ok(safe(&r), "KVM_PV_UNPACK + pin_user_pages and DMA of the second page: safe (the pin "
	   "fails the exact freeze; the unpack retries after -EAGAIN)");
	lc_world("", "free=1", "off");
	r = run(2, t_unpack2_only, t_migrate1);
	ok(found_saying(&r, "INV-07", "lock_page", (const char *)NULL),
	   "KVM_PV_UNPACK + migration of the second page: INV-07 (gmap_make_secure's "
	   "lock_page of a page it holds no reference to)");
	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
