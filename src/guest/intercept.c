// SPDX-License-Identifier: MIT
/*
 * intercept.c - KVM's handling of the guest's UVC notification intercept:
 * arch/s390/kvm/intercept.c handle_pv_uvc() as of v5.7 (GIT PULL 20/36,
 * "KVM: s390: protvirt: Add UV call intercept" / the unpin of shared
 * pages).
 *
 * A protected guest that removes shared access from a page the host pinned
 * shared (uv_pin_shared() in arch_make_page_accessible(), for host I/O on
 * the page) is not let through by the Ultravisor: KVM gets a notification
 * intercept (ICPT_PV_NOTIFY, ipa 0xb9a4) and unpins the page with
 * UNPIN_PAGE_SHARED, which makes it secure again.  That conversion goes
 * through gmap_make_secure(), so it needs what an import needs: the page
 * and PTE locks and a refcount frozen at exactly expected_page_refs().  A
 * device that still holds a pin on the page makes the freeze fail, and the
 * guest waits (it repeats its UVC) until the pin is gone.
 *
 * Abstracted away: the state description (the guest's control block is
 * read from sie_block->sidad; here the caller passes the frame), the
 * dispatch on the ipa (the model raises this intercept for remove-shared
 * only, so the WARN_ONCE for another UVC cannot fire), PER.
 */
#include "model/world.h"
#include "uv/uv.h"

/**
 * handle_pv_uvc - the guest's remove-shared-access of frame @gaddr was
 * intercepted because the host pinned the frame shared: unpin it.
 * @kvm: the guest.
 * @gaddr: the guest frame of the UVC's control block (guest_uvcb->paddr).
 *
 * Context: vCPU thread, after the SIE exit, no locks held; sleeps
 * (gmap_make_secure takes mmap_sem, the page lock, the PTE lock).
 * Return: 0 (unpinned; or the unpin UVC failed, -EINVAL, and the guest
 * will exit again for its UVC, so the unpin is retried then); -EAGAIN
 * (writeback, busy references after lru_add_drain_all, or the page was
 * faulted in: to user space, which runs the vCPU again); -EFAULT (no
 * mapping, hugetlb, the fault failed).
 */
int handle_pv_uvc(struct kvm *kvm, unsigned long gaddr)
{
	KERNEL_FRAME();
	struct uv_cb_cts uvcb = {
		.header.cmd = UVC_CMD_UNPIN_PAGE_SHARED,
		.header.len = sizeof(uvcb),
		.guest_handle = kvm->gmap.guest_handle,
		.gaddr = gaddr,
	};
	int rc;

	rc = gmap_make_secure(&kvm->gmap, uvcb.gaddr, &uvcb);
	/*
	 * The unpin UVC failed (cc 1): v5.7 returns 0 and lets the guest's
	 * repeated UVC bring it back here.  Nothing in between changes what
	 * made it fail unless another thread does, so a permanent failure is
	 * a loop the checker reports (no-progress), as v5.7 would spin.
	 */
	if (rc == -EINVAL)
		return 0;
	return rc;
}
