// SPDX-License-Identifier: MIT
/*
 * pv.c - the life-cycle paths of a protected guest (issue 14 item 7):
 * KVM_PV_UNPACK over a range of pages and KVM_PV_DISABLE, as in v5.7
 * arch/s390/kvm/kvm-s390.c (kvm_arch_vm_ioctl KVM_S390_PV_COMMAND,
 * kvm_s390_handle_pv), arch/s390/kvm/pv.c (kvm_s390_pv_unpack, unpack_one,
 * kvm_s390_pv_deinit_vm) and arch/s390/mm/gmap.c (s390_reset_acc,
 * __s390_reset_acc).
 *
 * Both commands run under kvm->lock (KVM_S390_PV_COMMAND takes it around
 * kvm_s390_handle_pv), so an unpack and a disable of one guest never
 * overlap.  Abstracted away: the image cipher and the tweaks of
 * KVM_PV_UNPACK (the UV imports the content as is), the vCPUs' own
 * teardown (kvm_s390_cpus_from_pv: each vcpu->mutex, DESTROY_SEC_CPU; the
 * binder refuses vCPU operations on a guest the scenario disables, see
 * mdl_op_check), storage donation and its leak on a failed destroy, the
 * guest handle (below), the service-interrupt mask, KVM_UV_EVENT.
 */
#include "model/world.h"
#include "inv/inv.h"
#include "uv/fw.h"
#include "uv/uv.h"

/*
 * unpack_one - one page of the image: gmap_make_secure() with an
 * UNPACK_IMG control block for guest frame @gfn (v5.7 passes the byte
 * address; the model's guest addresses are frames).
 * Context: kvm->lock held; as gmap_make_secure().
 * Return: gmap_make_secure()'s result.
 */
static int unpack_one(struct kvm *kvm, unsigned long gfn)
{
	KERNEL_FRAME();
	struct uv_cb_cts uvcb = {
		.header.cmd = UVC_CMD_UNPACK_IMG,
		.header.len = sizeof(uvcb),
		.guest_handle = kvm->gmap.guest_handle,
		.gaddr = gfn,
	};

	return gmap_make_secure(&kvm->gmap, gfn, &uvcb);
}

/**
 * kvm_s390_pv_unpack - KVM_PV_UNPACK of @nr pages from guest frame @gfn:
 * the KVM_S390_PV_COMMAND ioctl (kvm->lock), the kvm_s390_pv_is_protected()
 * test, then v5.7's loop: unpack_one() per page, a page whose attempt
 * returns -EAGAIN tried again after cond_resched(), without limit (v5.7
 * ends it only on fatal_signal_pending(), never true here), any other
 * error ending the loop.
 * @kvm: the guest; @gfn: first frame; @nr: pages (the size / PAGE_SIZE).
 *
 * Why the retry must not be bounded: -EAGAIN is gmap_make_secure()'s
 * answer to a page someone else is using, and it holds nothing across the
 * retry (no reference, no lock):
 *   1. unpack: make_secure_pte -> page_ref_freeze fails (QEMU's 0x3D
 *      handler holds its follow_page reference), lru_add_drain, again,
 *      fails again: lru_add_drain_all, -EAGAIN;
 *   2. QEMU: exports, put_page;
 *   3. unpack: cond_resched, unpack_one again: the count is the expected
 *      one, the page is unpacked.
 * The model waits at 3 for the page that was busy to change (the wait of
 * fault.c's re-fault), which drops only the rounds that would meet the
 * same state; a page that never changes is a deadlock finding.
 *
 * Context: process context (the VM ioctl), no locks held on entry; takes
 * kvm->lock, then what gmap_make_secure() takes (mmap_sem for reading,
 * the page lock, the PTE lock); sleeps.  No page reference is held
 * between the pages.
 * Return: 0 (every page unpacked); -EINVAL (the guest is not protected:
 * disabled before; or the UV refused, unpack_one's -EINVAL); -EFAULT,
 * -ENXIO as gmap_make_secure() (the loop stops at that page).
 */
int kvm_s390_pv_unpack(struct kvm *kvm, unsigned long gfn, unsigned long nr)
{
	KERNEL_FRAME();
	unsigned long offset = 0;
	int ret = 0;

	mutex_lock(&kvm->lock, LC_KVM);
	/* kvm_s390_pv_is_protected(): the handle, read under kvm->lock */
	if (!kvm->protected) {
		mutex_unlock(&kvm->lock);
		return -EINVAL;
	}
	while (offset < nr) {
		ret = unpack_one(kvm, gfn + offset);
		if (ret == -EAGAIN) {
			cond_resched();
			kvm_wait_before_retry();
			continue;
		}
		if (ret)
			break;
		offset++;
	}
	if (vis_recording())
		vis_note("KVM_PV_UNPACK of %lu page(s) from frame %lu: %d", nr, gfn, ret);
	mutex_unlock(&kvm->lock);
	return ret;
}

/*
 * __s390_reset_acc - the walk's pte_entry: export the page a present PTE
 * maps.  v5.7 reads the PTE once (READ_ONCE) and passes its frame to
 * uv_convert_from_secure() inside WARN_ON_ONCE(): no reference, no page
 * lock, only the PTE lock that walk_pte_range() holds for the whole page
 * table.  That lock is what makes the frame still the PTE's at the UVC:
 * zap, reclaim's and migration's unmap, fork and gmap_make_secure all
 * change or use a PTE under it.  PG_arch_1 stays set (uv_convert_from_secure
 * never clears it), as after ptep_get_and_clear's export.
 *
 * A refused export is v5.7's WARN_ON_ONCE, a kernel check, so a finding
 * (INV-08: the teardown did not export the page), as the model reports
 * the other kernel checks a refusal reaches (writeback's VM_BUG_ON_PAGE,
 * the 0x3D handler's BUG()).  v5.7 goes on: the page stays secure until
 * the destroy-configuration UVC cleans it (uvfw_destroy_config), so
 * nothing worse follows; the finding is the splat (and a panic under
 * panic_on_warn).
 * Context: mmap_sem for reading and the PTE lock of @i's table held.
 */
static void __s390_reset_acc(struct mm_struct *mm, int i)
{
	KERNEL_FRAME();
	pte_t pte;

	VIS_READ(&mm->pte[i], "__s390_reset_acc: READ_ONCE(*ptep)");
	pte = mm->pte[i];
	if (!pte_present(pte))
		return;
	if (uv_convert_from_secure(pte.pfn))
		inv_fail(VIOL_SECURE_MAPPED, VIS_SITE("__s390_reset_acc"),
			 "WARN_ON_ONCE in __s390_reset_acc (v5.7): the export of %s failed, the "
			 "teardown left it secure (the destroy-configuration UVC would clean it)",
			 pfn_to_page(pte.pfn)->name);
}

/**
 * s390_reset_acc - make every page of @mm accessible before the secure
 * configuration is destroyed: walk_page_range(mm, 0, TASK_SIZE) with
 * __s390_reset_acc as pte_entry, under mmap_sem for reading.
 * @mm: the guest's (QEMU's) mm.
 *
 * The walk follows v5.7's mm/pagewalk.c: VMA by VMA in address order (a
 * hugetlb VMA has no hugetlb_entry here and is skipped, an address
 * without a VMA has no PTE to visit), and per page table
 * walk_pte_range() -> pte_offset_map_lock(): the PTE lock of the table is
 * held across the pte_entry calls of all its PTEs and dropped before the
 * next table.  mmget_not_zero() always succeeds (QEMU's mm lives as long
 * as the scenario).
 *
 * Context: process context (KVM_PV_DISABLE under kvm->lock, or the VM's
 * release); takes mmap_sem for reading and each table's PTE lock; the
 * exports busy-loop in uv_call under the PTE lock, as v5.7.
 */
void s390_reset_acc(struct mm_struct *mm)
{
	KERNEL_FRAME();
	char *ptl = NULL;
	int k, i;

	down_read(&mm->mmap_sem);
	for_each_mm_addr(mm, k, i) {
		char *lock;

		if (!mm->vma[i].valid || mm->vma[i].hugetlb)
			continue;
		lock = pte_lockptr(mm, mm->addr[i]);
		if (lock != ptl) {
			if (ptl)
				spin_unlock(ptl);
			ptl = lock;
			spin_lock(ptl);
		}
		__s390_reset_acc(mm, i);
	}
	if (ptl)
		spin_unlock(ptl);
	up_read(&mm->mmap_sem);
}

/*
 * uv_destroy_sec_conf - uv_cmd_nodata(handle, UVC_CMD_DESTROY_SEC_CONF):
 * the UV cleans up every frame the configuration still owns (fw_ops
 * destroy_config), one step per frame of the world.  v5.7's call is one
 * instruction (uv_call_sched repeats it while busy); the model's frames are
 * separate objects, so a host access between two of these steps sees the
 * first frame cleaned and the second not yet, which is the order in which
 * a UV that works frame by frame would leave them too.
 * Return: 0 (the model's UV completes it).
 */
static int uv_destroy_sec_conf(int handle)
{
	KERNEL_FRAME();
	const struct fw_ops *fw = fw_get();
	uint16_t rc;
	int pfn;

	for (pfn = 0; pfn < mdl_world.nr_pages; pfn++) {
		VIS_RMW(&mdl_world.frames[pfn], "UVC destroy-secure-configuration");
		fw->destroy_config(pfn, handle, &rc);
	}
	return 0;
}

/**
 * kvm_s390_pv_deinit_vm - tear the secure configuration down: export
 * every page (s390_reset_acc), destroy the configuration, mark the mm
 * unprotected.
 * @kvm: the guest.
 *
 * What the UV state is afterwards: no frame is secure for the guest
 * (exported by the walk, or, where an export failed, cleaned by the
 * destroy), and with is_protected 0 no later zap or unmap exports.  A host
 * access finds no secure frame and does not fault; a page whose export
 * left PG_arch_1 set pays one no-op export in arch_make_page_accessible.
 *
 * v5.7 also writes gmap->guest_handle = 0; the model keeps the handle (its
 * handles start at 0): no modelled path uses it after this, since the
 * binder refuses vCPU operations on a disabled guest and an unpack
 * afterwards stops at kvm_s390_pv_is_protected().
 *
 * Context: kvm->lock held (KVM_PV_DISABLE); sleeps.
 * Return: 0 (the destroy UVC succeeded; -EIO on a failure the model's UV
 * never gives).
 */
int kvm_s390_pv_deinit_vm(struct kvm *kvm)
{
	KERNEL_FRAME();
	struct mm_struct *mm = kvm->gmap.mm;

	s390_reset_acc(mm);
	uv_destroy_sec_conf(kvm->gmap.guest_handle);
	/*
	 * atomic_set(&kvm->mm->context.is_protected, 0): its readers
	 * (ptep_get_and_clear, ptep_clear_flush) read it in their PTE step,
	 * announced there on the context too (vis_also).
	 */
	VIS_WRITE(&mm->context, "atomic_set(is_protected, 0)");
	mm->context.is_protected = 0;
	kvm->protected = false;
	if (vis_recording())
		vis_note("PROTVIRT DESTROY VM %s: %s is no longer protected", kvm->name, mm->name);
	return 0;
}

/**
 * kvm_s390_pv_disable - KVM_S390_PV_COMMAND with KVM_PV_DISABLE:
 * kvm->lock, kvm_s390_pv_is_protected(), kvm_s390_cpus_from_pv() (not
 * modelled: no vCPU runs the guest meanwhile, the binder's rule), then
 * kvm_s390_pv_deinit_vm().
 * @kvm: the guest.
 * Context: process context (QEMU's VM ioctl), no locks held; sleeps.
 * Return: 0; -EINVAL if the guest is not protected (disabled already).
 */
int kvm_s390_pv_disable(struct kvm *kvm)
{
	kernel_frame("kvm_s390_handle_pv");
	int r = -EINVAL;

	mutex_lock(&kvm->lock, LC_KVM);
	if (kvm->protected)
		r = kvm_s390_pv_deinit_vm(kvm);
	mutex_unlock(&kvm->lock);
	return r;
}
