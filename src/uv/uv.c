// SPDX-License-Identifier: MIT
/*
 * uv.c - host side of the Ultravisor protocol: making guest pages secure
 * and accessible again.
 *
 * Follows arch/s390/kernel/uv.c as sent for v5.7 (commit 214d9bbcd3a6,
 * GIT PULL 03/36 <20200309085126.3334302-4-borntraeger@de.ibm.com>) and the
 * uv_call() variants of arch/s390/include/asm/uv.h (GIT PULL 08/36).  The
 * stored copy read while writing this (torvalds/linux uv.c of 2021-2024,
 * with conv_params and __uv_call) differs: there a busy/partial answer
 * makes make_secure_pte() return -EAGAIN; in v5.7 uv_call() busy-loops
 * while the refcount is frozen, which is what is modelled.
 *
 * Abstracted away: uvcb layouts, the UVC instruction (a call into fw_ops
 * inside one visible step on the page frame), hugetlb (-EFAULT only).
 */
#include "model/mutant.h"
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/fw.h"
#include "uv/uv.h"

/* The guest with handle @handle, or NULL. */
static struct kvm *kvm_by_handle(int handle)
{
	int i;

	for (i = 0; i < mdl_world.nr_guests; i++)
		if (mdl_world.guests[i].gmap.guest_handle == handle)
			return &mdl_world.guests[i];
	return NULL;
}

/**
 * __uv_call - execute one Ultravisor call (the UVC instruction, B9A4).
 * @r1: unused (as in the kernel's calls here).
 * @uvcb: the control block; header.rc is filled in.
 *
 * Context: any, never sleeps.  One visible step on the page frame.
 * Return: the condition code (UVC_CC_*).
 */
int __uv_call(unsigned long r1, struct uv_cb_header *uvcb)
{
	KERNEL_FRAME();
	const struct fw_ops *fw = fw_get();
	struct uv_cb_cts *cts = (struct uv_cb_cts *)uvcb;
	struct uv_cb_cfs *cfs = (struct uv_cb_cfs *)uvcb;
	struct inv_import_facts facts;
	struct kvm *kvm;
	struct page *page;
	bool unpin;
	int cc;

	switch (uvcb->cmd) {
	case UVC_CMD_CONV_TO_SEC_STOR:
	case UVC_CMD_UNPACK_IMG:
	case UVC_CMD_UNPIN_PAGE_SHARED:
		/* The UV resolves the guest address through the guest's tables. */
		kvm = kvm_by_handle(cts->guest_handle);
		if (!kvm || gmap_frame_index(&kvm->gmap, cts->gaddr) < 0 ||
		    !pte_present(kvm->gmap.mm->pte[gmap_frame_index(&kvm->gmap, cts->gaddr)])) {
			uvcb->rc = UVC_RC_NOT_MAPPED;
			return UVC_CC_ERROR;
		}
		cts->pfn = kvm->gmap.mm->pte[gmap_frame_index(&kvm->gmap, cts->gaddr)].pfn;
		page = pfn_to_page(cts->pfn);
		/*
		 * All three make the frame secure: the unpin of a pinned shared
		 * frame converts it back for the guest (handle_pv_uvc: "the same
		 * rules as for making a page secure"), so INV-03/04 judge it as
		 * they judge an import.
		 */
		unpin = uvcb->cmd == UVC_CMD_UNPIN_PAGE_SHARED;
		/*
		 * INV-03/04 at the instant of the UVC: its step on the frame
		 * reads the page too (vis_also), so the preconditions are the
		 * page's as the UV sees it (inv_import_facts()).
		 */
		vis_also(VIS_KIND_READ, page);
		VIS_RMW(page_frame(page), unpin ? "UVC unpin-page-shared" : "UVC convert-to-secure");
		inv_import_facts(page, &facts);
		inv_before_import(page, VIS_SITE("__uv_call"));
		if (unpin)
			cc = fw->unpin_shared(cts->pfn, cts->guest_handle, &uvcb->rc);
		else
			cc = fw->import(cts->pfn, cts->guest_handle, cts->gaddr,
					uvcb->cmd == UVC_CMD_UNPACK_IMG, &uvcb->rc);
		/*
		 * INV-12 judges the frame as this UVC left it, in this step on
		 * the frame: once the UVC is done, the frame belongs to the
		 * guest, and another vCPU may share it before make_secure_pte
		 * returns:
		 *   1. vCPU 1: make_secure_pte -> UVC import of frame N: secure
		 *   2. vCPU 2: finds frame N secure, UVC set-shared-access
		 *   3. vCPU 1: make_secure_pte returns 0, honestly
		 * (reading the UV's state at 3, in a step on the page, also hid
		 * the dependency on 2 from the search)
		 */
		mdl_current()->uvc_secure = fw->query(cts->pfn).state == FW_SECURE;
		/*
		 * Ghost for INV-09: an unpacked frame holds the image, which is
		 * what the guest sees from now on.  Recorded here, in the
		 * UVC's step on the frame, where the guest's accesses are
		 * announced too: once the UVC is done, a vCPU may read the
		 * frame before kvm_s390_pv_unpack_one() returns.
		 */
		if (cc == UVC_CC_OK && unpin)
			kvm_unshared(kvm, cts->gaddr, page);	/* likewise: the shared frame's content */
		if (cc == UVC_CC_OK && uvcb->cmd == UVC_CMD_UNPACK_IMG) {
			int i = gmap_frame_index(&kvm->gmap, cts->gaddr);

			kvm->written[i] = true;
			kvm->value[i] = mdl_world.frames[cts->pfn].data;
		}
		if (vis_recording())
			vis_note("%s %s for guest frame %lu: cc %d rc %#x",
				 unpin ? "unpin-shared" : "import", page->name, cts->gaddr, cc,
				 uvcb->rc);
		if (cc == UVC_CC_OK) {
			inv_after_import_frame(page, VIS_SITE("__uv_call"));
			inv_after_import(page, &facts, VIS_SITE("__uv_call"));
		}
		return cc;
	case UVC_CMD_CONV_FROM_SEC_STOR:
	case UVC_CMD_PIN_PAGE_SHARED:
	case UVC_CMD_DESTR_SEC_STOR:
		page = pfn_to_page(cfs->paddr);
		VIS_RMW(page_frame(page), uvcb->cmd == UVC_CMD_CONV_FROM_SEC_STOR ?
			"UVC convert-from-secure" : uvcb->cmd == UVC_CMD_PIN_PAGE_SHARED ?
			"UVC pin-page-shared" : "UVC destroy-secure-storage");
		if (uvcb->cmd == UVC_CMD_CONV_FROM_SEC_STOR)
			cc = fw->export(cfs->paddr, &uvcb->rc);
		else if (uvcb->cmd == UVC_CMD_PIN_PAGE_SHARED)
			cc = fw->pin_shared(cfs->paddr, &uvcb->rc);
		else
			cc = fw->destroy(cfs->paddr, &uvcb->rc);
		if (vis_recording())
			vis_note("%s: cc %d rc %#x", page->name, cc, uvcb->rc);
		return cc;
	default:
		uvcb->rc = UVC_RC_INV_CMD;
		return UVC_CC_ERROR;
	}
}

/**
 * uv_call - __uv_call() repeated while the UV answers busy or partial.
 *
 * Under the firmware-fairness rule (doc/protocol.md "Firmware answers") a
 * busy answer is followed by a definite one, so the loop ends.  mutant uv-loop
 * breaks the rule: every answer is busy, and once one is, the thread goes
 * round this loop for ever.  It then carries the ghost mark uv_spin, set
 * from the first busy answer on and the same in every round (so the
 * stateful search still sees the cycle), which mdl_no_progress_class()
 * reads to file the loop under fairness class "firmware"; the rounds are
 * not counted against INV-11's freeze bound, so that the loop, frozen
 * count and all, is the checker's no-progress finding.
 *
 * Context: any; busy-waits without rescheduling (v5.7), so it may be called
 * with spinlocks held and a refcount frozen.
 * Return: 0 or the error condition code 1.
 */
int uv_call(unsigned long r1, struct uv_cb_header *uvcb)
{
	KERNEL_FRAME();
	int cc;

	do {
		cc = __uv_call(r1, uvcb);
		if (!mdl_current()->uv_spin)
			inv_freezer_step(VIS_SITE("uv_call"));
		if (cc > 1 && MUTANT_ON(MUT_UV_LOOP))
			mdl_current()->uv_spin = true;	/* ghost, the thread's own */
	} while (cc > 1 && MUTANT_KEEP(MUT_UV_CALL_LOOP));
	mdl_current()->uv_spin = false;
	return cc;
}

/**
 * mdl_no_progress_class - the fairness class of a no-progress finding
 * (struct program.no_progress_class): "no-progress/firmware" when a thread
 * of the loop (@looping, bit t) goes round only because of the firmware's
 * answers: it spins in uv_call() because the firmware answers busy for ever
 * (mutant uv-loop: the firmware-fairness rule broken on purpose), or a kernel
 * uaccess re-executes after every refused export (host_user_access); else
 * NULL: the default class, "unconditional", a loop that no answer of the
 * firmware could end (doc/protocol.md "Retry loops").
 * Context: scheduler side, between steps; reads the threads' records.
 * Return: NULL or the class's site label.
 */
const char *mdl_no_progress_class(void *ctx, uint64_t looping)
{
	(void)ctx;
	for (int t = 0; t < MDL_MAX_THREADS && t < 64; t++)
		if ((looping >> t & 1) &&
		    (mdl_world.threads[t].uv_spin || mdl_world.threads[t].uv_refused))
			return "no-progress/firmware";
	return NULL;
}

/**
 * uv_pin_shared - ask the UV to keep a shared page host-accessible.
 * @paddr: the page frame.
 * Return: 0, or -EINVAL if the page is not shared.
 */
int uv_pin_shared(int paddr)
{
	KERNEL_FRAME();
	struct uv_cb_cfs uvcb = {
		.header.cmd = UVC_CMD_PIN_PAGE_SHARED,
		.header.len = sizeof(uvcb),
		.paddr = paddr,
	};

	if (uv_call(0, &uvcb.header))
		return -EINVAL;
	return 0;
}

/**
 * uv_convert_from_secure - export: encrypt a guest page and give it to the
 * host (for paging, I/O, or teardown).
 * @paddr: the page frame.
 * Return: 0, or -EINVAL.
 */
int uv_convert_from_secure(int paddr)
{
	KERNEL_FRAME();
	struct uv_cb_cfs uvcb = {
		.header.cmd = UVC_CMD_CONV_FROM_SEC_STOR,
		.header.len = sizeof(uvcb),
		.paddr = paddr,
	};

	if (uv_call(0, &uvcb.header))
		return -EINVAL;
	return 0;
}

/*
 * A user's expected_page_refs (--patch FILE.c, src/paths), or NULL.  v5.7's
 * is static in uv.c with one caller, make_secure_pte, which calls it under
 * the PTE lock and the page lock; so does the model, for the user's too.
 * Its reads of the page (page_mapcount, the flags) are the header's, each
 * a step of its own: a patch that reads more than v5.7's can be interleaved
 * at more places, never fewer.
 */
int (*uv_patch_expected_page_refs)(struct page *page);

static int patched_expected_page_refs(struct page *page)
{
	vis_note("expected_page_refs: the user's patch");
	return uv_patch_expected_page_refs(page);
}

/**
 * expected_page_refs - the references a page has when nobody uses it for
 * I/O: one per mapping, plus the page cache (or swap cache), plus buffer
 * heads.  Any other reference is an I/O marker and makes the freeze fail.
 *
 * Context: reads the page's mapcount and flags without a lock: a caller
 * that wants a stable answer holds the page lock (mapping, PG_private,
 * PG_swapcache) and the PTE lock (this mapping).
 * Return: the count, the exact v5.7 formula.
 */
int expected_page_refs(const struct page *page)
{
	KERNEL_FRAME();
	int res = page_mapcount(page);

	if (PageSwapCache(page)) {
		res++;
	} else if (page_mapping(page)) {
		res++;
		if (page_has_private(page))
			res++;
	}
	return res;
}

/*
 * Clear PG_arch_1 after a successful pin-shared or export (set_bit's
 * pair); also a patch's clear_bit(PG_arch_1) (src/paths/api.c).
 */
void clear_arch_1(struct page *page)
{
	/*
	 * INV-04 asks the firmware whether the frame is secure: the clear's
	 * step reads the frame too (vis_also), so that an import racing with
	 * the clear is ordered against the check (an unannounced read in the
	 * page step was not).
	 */
	vis_also(VIS_KIND_READ, page_frame(page));
	VIS_RMW(page, "clear_bit(PG_arch_1)");
	__clear_page_flag(page, PG_arch_1);
	inv_arch1_cleared(page, VIS_SITE("arch_make_page_accessible"));
}

/**
 * arch_make_page_accessible - make a page accessible to the host and its
 * devices, exporting it if it is secure.
 * @page: the page.
 *
 * Context: "To be called with the page locked or with an extra reference":
 * either excludes gmap_make_secure() (the lock directly, the reference by
 * making its exact freeze fail).  Never sleeps.  Two concurrent callers are
 * fine: once the page is exported, the UV calls are no-ops.
 * Return: 0 or -EINVAL.
 */
int (*uv_patch_arch_make_page_accessible)(struct page *page);

int arch_make_page_accessible(struct page *page)
{
	KERNEL_FRAME();
	int rc;

	/* announce first: PG_huge shares its flags word with PG_arch_1 */
	VIS_READ(page, "arch_make_page_accessible: test PG_arch_1");
	if (PageHuge(page) && !uv_patch_arch_make_page_accessible)
		return 0;
	/*
	 * The caller's side of the contract (not for a hugetlb page, which
	 * cannot be secure), judged for the model's version and for a user's
	 * patch alike (--patch, src/paths): the patch then runs from here,
	 * with its own steps.
	 */
	if (!PageHuge(page) && !inv_holds_lock(&page->lock) && !inv_has_marker(page) &&
	    !inv_holds_mapping_ptl(page))
		inv_fail(VIOL_USE_NEEDS_REF, VIS_SITE("arch_make_page_accessible"),
			 "arch_make_page_accessible(%s) with neither the page lock, nor "
			 "an extra reference, nor the PTE lock of a mapping", page->name);
	if (uv_patch_arch_make_page_accessible) {
		vis_note("arch_make_page_accessible: the user's patch");
		return uv_patch_arch_make_page_accessible(page);
	}
	if (!PageArch1(page))
		return 0;
	rc = MUTANT_KEEP(MUT_HOOK_PIN_SHARED) ? uv_pin_shared(page_to_pfn(page)) : -EINVAL;
	if (!rc) {
		clear_arch_1(page);
		return 0;
	}
	rc = uv_convert_from_secure(page_to_pfn(page));
	if (!rc) {
		clear_arch_1(page);
		return 0;
	}
	return rc;
}

/*
 * make_secure_pte - under the PTE lock and the page lock: check the PTE
 * still maps @exp_page, freeze the refcount at exactly the expected value,
 * mark the page and call the UV.
 *
 * Why an exact freeze (Dave Hansen's interleaving, <e3e95a35-...@intel.com>,
 * answered in <3d379d9e-241c-ef3b-dcef-20fdd3b8740d@de.ibm.com>):
 *   1. reader: find_get_page() -> refcount expected+1;
 *   2. reader: arch_make_page_accessible() -> no-op, page not secure;
 *   3. here:   expected = expected_page_refs() -> expected;
 *   4. here:   page_ref_freeze(page, expected) fails: count is expected+1;
 *   5. reader: get_page(), DMA -> the page is still not secure.
 * With a "count >= expected" check instead (knob freeze_check=at_least)
 * step 4 succeeds and step 5 is DMA on a secure page.
 */
static int make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page,
			   struct uv_cb_header *uvcb)
{
	KERNEL_FRAME();
	pte_t entry = *ptep;	/* read under the PTL, in the spin_lock step */
	struct mdl_thread *t = mdl_current();
	bool exact = mdl_knob_val(KNOB_FREEZE_CHECK) == 0;
	bool freeze = exact && MUTANT_KEEP(MUT_SECURE_FREEZE);
	struct page *page;
	int expected, rc;

	if (!pte_present(entry) || (entry.flags & _PAGE_INVALID))
		return -ENXIO;
	page = pfn_to_page(entry.pfn);
	if (MUTANT_KEEP(MUT_SECURE_PTE_CHECK) && page != exp_page)
		return -ENXIO;

	VIS_READ(page, "make_secure_pte: PageWriteback, expected_page_refs");
	if (PageWriteback(page) && MUTANT_KEEP(MUT_SECURE_WB_CHECK))
		return -EAGAIN;
	expected = (uv_patch_expected_page_refs ? patched_expected_page_refs(page) :
		    expected_page_refs(page)) + !MUTANT_KEEP(MUT_SECURE_FREEZE_VALUE);
	if (vis_recording())
		vis_note("expected_page_refs(%s) = %d, refcount %d", page->name, expected,
			 page->_refcount);
	if (!freeze) {
		/* mutant: no freeze at all, the count is not even looked at */
	} else if (exact) {
		if (!page_ref_freeze(page, expected)) {
			t->retry_page = page;
			t->retry_version = page->version;
			return -EBUSY;
		}
	}
	if (!exact) {
		VIS_READ(page, "make_secure_pte: page_ref_count >= expected");
		if (page_ref_count(page) < expected) {
			t->retry_page = page;
			t->retry_version = page->version;
			return -EBUSY;
		}
	}
	if (!MUTANT_ON(MUT_ARCH1_LATE) && MUTANT_KEEP(MUT_SECURE_ARCH1)) {
		VIS_RMW(page, "set_bit(PG_arch_1)");
		__set_page_flag(page, PG_arch_1);
	}
	rc = uv_call(0, uvcb);
	if (rc && MUTANT_ON(MUT_IGNORE_UV_RC))
		rc = 0;
	/* INV-12: a 0 here must mean the UVC made it secure (read at the UVC: __uv_call). */
	if (!rc && exact && !t->uvc_secure)
		inv_fail(VIOL_HONEST_RC, VIS_SITE("make_secure_pte"),
			 "make_secure_pte returns 0 but %s is not secure", page->name);
	if (MUTANT_ON(MUT_ARCH1_LATE)) {
		VIS_RMW(page, "set_bit(PG_arch_1)");
		__set_page_flag(page, PG_arch_1);
	}
	if (freeze)
		page_ref_unfreeze(page, expected - !MUTANT_KEEP(MUT_UNFREEZE_VALUE));
	if (rc)
		rc = uvcb->rc == UVC_RC_NOT_MAPPED ? -ENXIO : -EINVAL;
	return rc;
}

/*
 * A user's make_secure_pte (--patch FILE.c, src/paths), or NULL.  The
 * wrapper keeps what the model needs around any version of the function:
 *   1. the vCPU's wait before it re-faults (fault.c) needs the page that
 *      was busy: a -EBUSY from the patch records it, with the version the
 *      page had when the patch started (a change during the patch then
 *      satisfies the wait at once: one retry more, never one fewer);
 *   2. INV-12 (a 0 means the UVC made the page secure, judged in the
 *      UVC's step) holds for every version.
 */
int (*uv_patch_make_secure_pte)(pte_t *ptep, unsigned long addr, struct page *exp_page,
				struct uv_cb_header *uvcb);

static int patched_make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page,
				   struct uv_cb_header *uvcb)
{
	struct mdl_thread *t = mdl_current();
	unsigned int version = exp_page->version;
	int rc;

	vis_note("make_secure_pte: the user's patch");
	t->uvc_secure = false;	/* a patch that issues no UVC made nothing secure */
	rc = uv_patch_make_secure_pte(ptep, addr, exp_page, uvcb);
	t = mdl_current();
	if (rc == -EBUSY) {
		t->retry_page = exp_page;
		t->retry_version = version;
	}
	/* as for the model's own: judged at the UVC (__uv_call) */
	if (!rc && !t->uvc_secure)
		inv_fail(VIOL_HONEST_RC, VIS_SITE("make_secure_pte"),
			 "make_secure_pte (patched) returns 0 but %s is not secure", exp_page->name);
	return rc;
}

/**
 * uv_make_secure_pte - make_secure_pte as gmap_make_secure calls it: the
 * model's, or a user's patch of it (through its wrapper).
 * Context and Return: as make_secure_pte().
 */
int uv_make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page, void *uvcb)
{
	return (uv_patch_make_secure_pte ? patched_make_secure_pte : make_secure_pte)
		(ptep, addr, exp_page, uvcb);
}

/*
 * A user's gmap_make_secure (--patch FILE.c, src/paths), or NULL.  The
 * wrapper keeps what the model needs around any version of it:
 *   1. the vCPU's wait before it re-faults (fault.c) must not be for a
 *      page an earlier call found busy: cleared on entry (and at each
 *      attempt, by the header's __gmap_translate);
 *   2. INV-12 (a 0 means the UVC made the page secure) when the patch
 *      brings its own make_secure_pte too (bound inside the patch, so
 *      the make_secure_pte wrapper above never sees it).
 */
int (*uv_patch_gmap_make_secure)(struct gmap *gmap, unsigned long gaddr, void *uvcb);

static int patched_gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb)
{
	struct mdl_thread *t = mdl_current();
	int rc;

	vis_note("gmap_make_secure: the user's patch");
	t->retry_page = NULL;
	t->followed = NULL;
	t->uvc_secure = false;
	rc = uv_patch_gmap_make_secure(gmap, gaddr, uvcb);
	t = mdl_current();
	t->followed = NULL;
	if (!rc && uv_patch_make_secure_pte && !t->uvc_secure)
		inv_fail(VIOL_HONEST_RC, VIS_SITE("gmap_make_secure"),
			 "gmap_make_secure (patched) returns 0 but the page of guest frame %lu "
			 "is not secure", gaddr);
	return rc;
}

/**
 * gmap_make_secure - make the page backing guest address @gaddr secure.
 * @gmap: the guest mapping.
 * @gaddr: guest frame.
 * @uvcb: a convert-to-secure, unpack or unpin-shared control block.
 *
 * Context: process context (vCPU thread or KVM ioctl); takes mmap_sem
 * (read), the page lock, the PTE lock; sleeps.  Holds no reference to the
 * page: follow_page() without FOLL_GET, relying on the mapping's.
 * Return: 0; -EAGAIN (writeback was waited for, or references stayed busy
 * after lru_add_drain_all, or the page was faulted in: retry); -EFAULT (no
 * mapping, hugetlb, fault failed); -EINVAL (the UV refused).
 */
int gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb)
{
	KERNEL_FRAME();
	struct mm_struct *mm = gmap->mm;
	struct vm_area_struct *vma;
	bool local_drain = false, judged = false;
	struct page *page = NULL;
	unsigned int gen = 0;
	char *ptl;
	long uaddr;
	int rc;

	if (uv_patch_gmap_make_secure)
		return patched_gmap_make_secure(gmap, gaddr, uvcb);
again:
	/*
	 * The model's wait before the caller re-faults (fault.c) is for the
	 * page an attempt found busy, and only for the attempt that returns:
	 *   1. an attempt gets -EBUSY, drains locally and goes again;
	 *   2. the next finds the PTE write-protected (page_mkclean), faults
	 *      it writable and returns -EAGAIN;
	 * the re-execution then meets another state and must not wait for
	 * the page of step 1 to change (nothing would change it: a false
	 * deadlock).  A ghost write: the thread's own bookkeeping.
	 */
	mdl_current()->retry_page = NULL;
	rc = -EFAULT;
	if (MUTANT_KEEP(MUT_SECURE_MMAP_SEM))
		down_read(&mm->mmap_sem);
	uaddr = __gmap_translate(gmap, gaddr);
	if (uaddr < 0)
		goto out;
	vma = find_vma(mm, (unsigned long)uaddr);
	if (!vma)
		goto out;
	/* hugetlb: no secure huge pages, v5.7 refuses with -EFAULT */
	if (vma->hugetlb)
		goto out;

	rc = -ENXIO;
	page = follow_page(vma, mm, (unsigned long)uaddr, FOLL_WRITE);
	if (!page)
		goto out;
	gen = page->gen;

	if (MUTANT_ON(MUT_LOCK_UNDER_PTL)) {
		ptl = pte_lockptr(mm, (unsigned long)uaddr);
		spin_lock(ptl);
		lock_page(page);
	} else {
		if (MUTANT_KEEP(MUT_SECURE_PAGE_LOCK))
			lock_page(page);
		ptl = pte_lockptr(mm, (unsigned long)uaddr);
		if (MUTANT_KEEP(MUT_SECURE_PTL)) {
			/* INV-07 below, judged in the step that takes the PTE lock */
			vis_also(VIS_KIND_READ, page);
			spin_lock(ptl);
			judged = true;
		}
	}
	if (judged)
		inv_page_check(page, gen, VIS_SITE("gmap_make_secure: lock_page"));
	else
		inv_page_use(page, gen, VIS_GHOST("gmap_make_secure: lock_page"));
	rc = uv_make_secure_pte(pte_offset(mm, (unsigned long)uaddr), (unsigned long)uaddr, page,
				uvcb);
	if (MUTANT_KEEP(MUT_SECURE_PTL) || MUTANT_ON(MUT_LOCK_UNDER_PTL))
		spin_unlock(ptl);
	if (MUTANT_KEEP(MUT_SECURE_PAGE_LOCK) || MUTANT_ON(MUT_LOCK_UNDER_PTL))
		unlock_page(page);
out:
	if (MUTANT_KEEP(MUT_SECURE_MMAP_SEM))
		up_read(&mm->mmap_sem);

	if (rc == -EAGAIN) {
		/*
		 * No reference is held here (v5.7): the page may have been
		 * freed, even reused, since the PTE lock was dropped:
		 *   1. here: make_secure_pte() -> -EAGAIN (writeback), unlock;
		 *   2. other: writeback ends, page truncated/reclaimed, freed;
		 *   3. here: wait_on_page_writeback() on a free page.
		 * Fixed in 2024 ("s390/uv: don't call folio_wait_writeback()
		 * without a folio reference"); INV-07 reports it.
		 */
		wait_on_page_writeback(page);
		inv_page_use(page, gen, VIS_GHOST("gmap_make_secure: wait_on_page_writeback"));
	} else if (rc == -EBUSY) {
		/*
		 * v5.7's order: a second -EBUSY (after this CPU's pagevecs
		 * were drained) drains every CPU's and hands -EAGAIN to the
		 * caller, which retries; a first -EBUSY drains this CPU's
		 * pagevecs, whose references are the usual reason the freeze
		 * failed, and tries once more at once.
		 */
		if (local_drain) {
			if (MUTANT_KEEP(MUT_DRAIN_ALL))
				lru_add_drain_all();
			return -EAGAIN;
		}
		lru_add_drain();
		local_drain = true;
		goto again;
	} else if (rc == -ENXIO) {
		if (gmap_fault(gmap, gaddr, FAULT_FLAG_WRITE))
			return -EFAULT;
		return -EAGAIN;
	}
	return rc;
}

/**
 * gmap_convert_to_secure - import the page at guest frame @gaddr.
 * Context and Return: as gmap_make_secure().
 */
int gmap_convert_to_secure(struct gmap *gmap, unsigned long gaddr)
{
	KERNEL_FRAME();
	struct uv_cb_cts uvcb = {
		.header.cmd = UVC_CMD_CONV_TO_SEC_STOR,
		.header.len = sizeof(uvcb),
		.guest_handle = gmap->guest_handle,
		.gaddr = gaddr,
	};

	return gmap_make_secure(gmap, gaddr, &uvcb);
}
