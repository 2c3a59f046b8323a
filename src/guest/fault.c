// SPDX-License-Identifier: MIT
/*
 * fault.c - the guest's accesses and the s390 secure-storage faults.
 *
 * Follows arch/s390/mm/fault.c (do_secure_storage_access,
 * do_non_secure_storage_access; GIT PULL 04/36
 * <20200309085126.3334302-5-borntraeger@de.ibm.com>), arch/s390/mm/gmap.c
 * (gmap_fault) and arch/s390/kvm/pv.c (unpack_one, GIT PULL 09/36) as of
 * v5.7.
 *
 * A vCPU access to a frame that is not secure raises program interruption
 * 0x3E: the host imports the page and the instruction is re-executed.  A
 * host CPU access to a secure frame raises 0x3D: the host exports it and
 * re-executes.  Re-execution is not bounded, as on the machine: a handler
 * that can never make the access succeed (0x3E on a VMA without VM_WRITE,
 * whose gmap_fault() fails and whose -EFAULT do_non_secure_storage_access
 * ignores; 0x3D on a PTE that is not writable, which follow_page(FOLL_WRITE)
 * does not return) makes the faulting thread go round the same states for
 * ever: a no-progress finding (doc/protocol.md "Retry loops").  After a try
 * that failed for a busy page the faulting thread waits until the page
 * changed instead of spinning: its next try would meet the same state.
 * Abstracted away: SIE, the gmap's tables (__gmap_translate is the
 * identity), interrupts, signals (SIGSEGV marks the guest killed).
 */
#include "model/mutant.h"
#include "model/world.h"
#include "inv/inv.h"
#include "uv/fw.h"
#include "uv/uv.h"

/*
 * Scheduler fairness (doc/protocol.md "Retry loops"): a re-execution that
 * faults again although its handler did its work (imported, exported) lost
 * a race to another CPU, which undid that work in between.  A run in which
 * it loses for ever is strongly unfair: the re-execution that succeeds is
 * enabled after every handler and never taken.  The model explores
 * MDL_MAX_LOST_RACES such losses in a row per access, then gives up with
 * -EAGAIN (a value v5.7 never returns: no catalog scenario expects it).  A
 * re-execution whose handler did nothing is not counted: that loop is not
 * excused and runs until the search reports it.
 */
#define MDL_MAX_LOST_RACES 2

/*
 * __gmap_translate - the host address backing guest frame @gaddr: the
 * same address in the guest's mm (one guest segment per host segment), or
 * -EFAULT outside the guest's memory (or an address no scenario names).
 */
long __gmap_translate(struct gmap *gmap, unsigned long gaddr)
{
	KERNEL_FRAME();
	return gmap_frame_index(gmap, gaddr) >= 0 ? (long)(gaddr << PAGE_SHIFT) : -EFAULT;
}

/**
 * gmap_fault - resolve a host fault for a guest address (fault in, break
 * COW) under mmap_sem, as fixup_user_fault() does for gmap_fault().
 * Context: process context, no locks held.
 * Return: 0 or -EFAULT (no VMA; a write fault on a VMA without VM_WRITE,
 * vma_permits_fault(); the fault failed).
 */
int gmap_fault(struct gmap *gmap, unsigned long gaddr, unsigned int fault_flags)
{
	KERNEL_FRAME();
	long uaddr = __gmap_translate(gmap, gaddr);
	struct vm_area_struct *vma;
	int rc = -EFAULT;

	if (uaddr < 0)
		return -EFAULT;
	down_read(&gmap->mm->mmap_sem);
	vma = find_vma(gmap->mm, (unsigned long)uaddr);
	if (vma && !((fault_flags & FAULT_FLAG_WRITE) && vma->readonly))
		rc = handle_mm_fault(gmap->mm, (unsigned long)uaddr, fault_flags);
	up_read(&gmap->mm->mmap_sem);
	return rc ? -EFAULT : 0;
}

/* Before re-executing: wait until the page that was busy has changed. */
static void wait_before_refault(void)
{
	struct mdl_thread *t = mdl_current();

	if (!t->retry_page)
		return;
	vis_wait(t->retry_page, false, page_pred_changed, t,
		 VIS_SITE("re-fault: wait for the page to change"));
	t->retry_page = NULL;
}

/*
 * kvm_wait_before_retry - wait_before_refault() for pv.c's unpack loop:
 * after an -EAGAIN whose attempt found the page busy, wait until it
 * changed (the rounds in between would meet the same state).
 */
void kvm_wait_before_retry(void)
{
	wait_before_refault();
}

/**
 * do_non_secure_storage_access - PGM 0x3E: a protected guest touched a
 * page that is not (yet) secure: import it.
 * Context: vCPU thread (GMAP_FAULT), no locks held.
 * Return: gmap_convert_to_secure()'s result; -EINVAL also kills the guest.
 */
int do_non_secure_storage_access(struct kvm *kvm, unsigned long gaddr)
{
	KERNEL_FRAME();
	int rc = gmap_convert_to_secure(&kvm->gmap, gaddr);

	if (rc == -EINVAL) {
		/*
		 * send_sig(SIGSEGV, current, 0): fatal, so the whole process,
		 * every vCPU thread of the guest, dies.  A step of its own on
		 * the flag, which the other vCPUs read in guest_access().
		 */
		VIS_WRITE(&kvm->killed, "send_sig(SIGSEGV, current, 0)");
		kvm->killed = true;
		if (vis_recording())
			vis_note("import failed: SIGSEGV to the vCPU thread of %s", kvm->name);
	}
	return rc;
}

/**
 * do_secure_storage_access - PGM 0x3D: the host touched a secure page:
 * export it.
 * @mm: the faulting address space (user faults).
 * @addr: the faulting address (user faults) or page frame (kernel faults).
 * @user: USER_FAULT or KERNEL_FAULT.
 *
 * Context: the faulting context, as the program check found it: process
 * context, or a kernel uaccess with page faults disabled (atomic; the
 * USER_FAULT branch sleeps all the same, KERNEL_FAULT never sleeps).
 * Return: 0 (exported: re-execute), 1 (nothing done: no writable PTE for
 * follow_page(FOLL_WRITE), or a free page; v5.7 re-executes all the same),
 * SSA_SIGNALLED (a user fault whose export failed: send_sig(SIGSEGV), and
 * the instruction is re-executed all the same; the signal is delivered on
 * the next return to user space), -EFAULT (no VMA: do_fault_error, a
 * SIGSEGV for QEMU's own access, the exception fixup for a kernel
 * uaccess).  A failed export on a kernel fault is BUG() in the kernel: a
 * finding here.
 */
int do_secure_storage_access(struct mm_struct *mm, unsigned long addr, bool user)
{
	KERNEL_FRAME();
	struct vm_area_struct *vma;
	struct page *page;
	int rc;

	if (user) {
		/*
		 * v5.7 takes mmap_sem here whatever the context: unlike
		 * do_exception(), this handler never asks
		 * faulthandler_disabled().  A kernel uaccess with page faults
		 * disabled (iov_iter_copy_from_user_atomic under kmap_atomic,
		 * with the destination's page lock held) that meets a secure
		 * user page gets here in atomic context: down_read's
		 * might_sleep() reports it, and lockdep sees mmap_sem taken
		 * under the page lock.
		 */
		down_read(&mm->mmap_sem);
		vma = find_vma(mm, addr);
		if (!vma) {
			up_read(&mm->mmap_sem);
			return -EFAULT;	/* do_fault_error(VM_FAULT_BADMAP) */
		}
		page = follow_page(vma, mm, addr, FOLL_WRITE | FOLL_GET);
		if (!page) {
			up_read(&mm->mmap_sem);
			if (vis_recording())
				vis_note("0x3D: follow_page(FOLL_WRITE) found no page: re-execute");
			return 1;
		}
		rc = MUTANT_KEEP(MUT_FAULT_USER_EXPORT) ? arch_make_page_accessible(page) : 0;
		if (rc && vis_recording())
			vis_note("0x3D: the export of %s failed (%d): send_sig(SIGSEGV), "
				 "re-execute", page->name, rc);
		put_page(page, ref_thread(REF_GUP));
		up_read(&mm->mmap_sem);
		return rc ? SSA_SIGNALLED : 0;
	}
	page = pfn_to_page((int)addr);
	if (!try_get_page(page, ref_thread(REF_FAULT)))
		return 1;
	rc = MUTANT_KEEP(MUT_FAULT_KERNEL_EXPORT) ? arch_make_page_accessible(page) : 0;
	put_page(page, ref_thread(REF_FAULT));
	if (rc)
		inv_fail(VIOL_HONEST_RC, VIS_SITE("do_secure_storage_access"),
			 "BUG() in do_secure_storage_access (KERNEL_FAULT): export of %s "
			 "failed (%d)", page->name, rc);
	return 0;
}

/**
 * guest_access - a vCPU reads or writes guest frame @gfn, faulting as the
 * hardware does until the access succeeds.
 * @kvm: the guest; @gfn: the frame; @write: store @val; @out: value read.
 *
 * The loop is the vCPU re-executing the instruction after each
 * interruption; it has no bound (v5.7 has none).  A host DAT fault in SIE
 * that the host cannot resolve ends it: do_exception() -> do_no_context()
 * -> the SIE exit with -EFAULT -> vcpu_post_run_fault_in_sie() injects an
 * addressing exception (here: -EFAULT).  A 0x3E whose import returns
 * -EFAULT does not: do_non_secure_storage_access() acts on -EINVAL only.
 *
 * Context: vCPU thread.
 * Return: 0; -EFAULT (addressing exception, or secure for another guest);
 * -EINVAL (the guest was killed); -EAGAIN (MDL_MAX_LOST_RACES lost in a
 * row, a run the fairness rule excludes).
 */
int guest_access(struct kvm *kvm, unsigned long gfn, bool write, uint32_t val,
		 uint32_t *out)
{
	const struct fw_ops *fw = fw_get();
	struct mm_struct *mm = kvm->gmap.mm;
	long uaddr = __gmap_translate(&kvm->gmap, gfn);
	int fi_idx = gmap_frame_index(&kvm->gmap, gfn);
	bool imported = false;
	int rc, lost = 0;

	if (uaddr < 0)
		return -EFAULT;
	for (;;) {
		struct fw_page_info fi;
		struct frame *f;
		pte_t pte;

		/* a fatal signal ends the vCPU thread at its next exit from SIE */
		VIS_READ(&kvm->killed, "fatal_signal_pending");
		if (kvm->killed)
			return -EINVAL;
		/*
		 * SIE translates through the host PTE (PGSTE page tables); a
		 * fetch goes through a write-protected PTE, a store faults.
		 */
		VIS_READ(pte_offset(mm, (unsigned long)uaddr), "SIE: host translation");
		pte = *pte_offset(mm, (unsigned long)uaddr);
		if (!pte_present(pte) || (write && !pte_write(pte))) {
			if (gmap_fault(&kvm->gmap, gfn, write ? FAULT_FLAG_WRITE : 0))
				return -EFAULT;
			continue;
		}
		f = &mdl_world.frames[pte.pfn];
		if (write)
			VIS_WRITE(f, "vCPU store");
		else
			VIS_READ(f, "vCPU fetch");
		fi = fw->query(pte.pfn);
		if ((fi.state == FW_SECURE || fi.state == FW_SHARED) &&
		    fi.config == kvm->gmap.guest_handle && fi.gfn == gfn) {
			if (write) {
				f->data = val;
				f->cipher = false;
				kvm->written[fi_idx] = true;
				kvm->value[fi_idx] = val;
			} else {
				*out = f->data;
				/*
				 * INV-09 is about secure frames: a shared frame
				 * is the host's to write (an I/O buffer), and
				 * what the guest finds in it when it unshares it
				 * becomes what it expects (share_uvc, __uv_call).
				 */
				if (fi.state == FW_SECURE)
					inv_guest_read(kvm->id, gfn, f->data, VIS_SITE("guest_access"));
			}
			if (vis_recording())
				vis_note("guest %s %s frame %lu: %u", kvm->name,
					 write ? "stores" : "fetches", gfn, write ? val : f->data);
			return 0;
		}
		if (fi.state == FW_SECURE)
			return -EFAULT;	/* secure for someone else: not modelled */
		/* PGM 0x3E */
		if (imported && ++lost > MDL_MAX_LOST_RACES)
			return -EAGAIN;
		rc = do_non_secure_storage_access(kvm, gfn);
		if (rc == -EINVAL)
			return rc;
		if (rc == -EAGAIN)
			wait_before_refault();
		if (rc == -EFAULT && vis_recording())
			vis_note("0x3E: gmap_convert_to_secure -EFAULT, ignored: re-execute");
		imported = rc == 0;
		if (!imported)
			lost = 0;
		/* 0, -EAGAIN and -EFAULT: re-execute the instruction */
	}
}

/**
 * kvm_s390_pv_unpack_one - unpack_one(): import one page of the boot
 * image, retrying on -EAGAIN as kvm_s390_pv_unpack() does: without limit
 * (its fatal_signal_pending() is never true here).
 * Context: KVM ioctl (process context).
 * Return: 0, or the first error other than -EAGAIN.
 */
int kvm_s390_pv_unpack_one(struct kvm *kvm, unsigned long gaddr)
{
	kernel_frame("unpack_one");
	struct uv_cb_cts uvcb = {
		.header.cmd = UVC_CMD_UNPACK_IMG,
		.header.len = sizeof(uvcb),
		.guest_handle = kvm->gmap.guest_handle,
		.gaddr = gaddr,
	};
	int rc;

	for (;;) {
		rc = gmap_make_secure(&kvm->gmap, gaddr, &uvcb);
		if (rc != -EAGAIN)
			break;
		/* cond_resched(); then wait for the busy page to change */
		wait_before_refault();
	}
	/* the image content is what the guest sees: recorded at the UVC (__uv_call) */
	return rc;
}

/**
 * kvm_unshared - ghost for INV-09: frame @gfn of @kvm, backed by @page, has
 * just become secure again after being shared; what it holds now (the
 * host's or a device's writes included) is what the guest sees from now on.
 * Context: in the step on the frame that made it secure.
 */
void kvm_unshared(struct kvm *kvm, unsigned long gfn, const struct page *page)
{
	int i = gmap_frame_index(&kvm->gmap, gfn);

	kvm->written[i] = true;
	kvm->value[i] = mdl_world.frames[page->pfn].data;
}

/*
 * share_uvc - one execution of the guest's set- or remove-shared-access UVC
 * under SIE, as the host sees it.
 * @cmd: UVC_CMD_SET_SHARED_ACCESS or UVC_CMD_REMOVE_SHARED_ACCESS.
 *
 * The UV translates the guest address through the host PTE (a step on the
 * PTE); a host DAT fault is resolved as for any access in SIE (gmap_fault,
 * then re-execution).  The UVC itself is one step on the frame.  A
 * remove-shared of a frame the host pinned shared is not done by the UV:
 * the guest gets cc 2 and KVM a notification intercept (ICPT_PV_NOTIFY,
 * ipa 0xb9a4), which v5.7 handles on the vCPU thread before SIE is entered
 * again: vcpu_post_run -> kvm_handle_sie_intercept -> handle_pv_notification
 * -> handle_pv_uvc.  What handle_pv_uvc returns decides what follows:
 *   0   __vcpu_run's loop goes on, SIE is entered again, the guest's
 *       uv_call() repeats the UVC (the intercept left it at cc 2);
 *   -EAGAIN  __vcpu_run ends and KVM_RUN returns -EAGAIN to QEMU, whose
 *       kvm_cpu_exec() takes it for an interrupted run and calls KVM_RUN
 *       again: the same re-entry, after user space.  The unpin failed
 *       because a reference (a pin for DMA) made the freeze fail: retrying
 *       at once would meet the same count, so the thread waits until the
 *       page changed (wait_before_refault, doc/protocol.md "Retry loops");
 *   other  KVM_RUN fails (-EFAULT: QEMU stops the guest).
 * Between two SIE entries __vcpu_run tests signal_pending (a fatal signal
 * ends the thread).
 *
 * Return: the condition code the guest sees (0..3), or a negative errno
 * when the vCPU thread leaves KVM_RUN for good (-EFAULT, -EINVAL killed).
 */
static int share_uvc(struct kvm *kvm, unsigned long gfn, uint16_t cmd)
{
	const struct fw_ops *fw = fw_get();
	struct mm_struct *mm = kvm->gmap.mm;
	long uaddr = __gmap_translate(&kvm->gmap, gfn);
	bool unshare = cmd == UVC_CMD_REMOVE_SHARED_ACCESS;
	enum fw_page_state was;
	bool arch1 = true;
	struct page *page;
	uint16_t rc = 0;
	pte_t pte;
	int cc, ret;

	if (uaddr < 0)
		return -EFAULT;
	for (;;) {
		VIS_READ(pte_offset(mm, (unsigned long)uaddr), unshare ?
			 "UVC remove-shared-access: host translation" :
			 "UVC set-shared-access: host translation");
		pte = *pte_offset(mm, (unsigned long)uaddr);
		if (pte_present(pte))
			break;
		/* a host DAT fault in SIE: fault the page in, re-execute */
		if (gmap_fault(&kvm->gmap, gfn, 0))
			return -EFAULT;
	}
	page = pfn_to_page(pte.pfn);
	/*
	 * INV-04 at the instant the UV makes the frame secure: PG_arch_1 is a
	 * fact about the page, so the UVC's step on the frame reads the page
	 * too (vis_also) and judges it in the same step.  Read in a step after
	 * the UVC instead, it would see a PG_arch_1 another CPU cleared later,
	 * when the frame was no longer secure.
	 */
	if (unshare)
		vis_also(VIS_KIND_READ, page);
	VIS_RMW(&mdl_world.frames[pte.pfn], unshare ? "UVC remove-shared-access (guest)" :
		"UVC set-shared-access (guest)");
	if (unshare)
		arch1 = PageArch1(page);
	was = fw->query(pte.pfn).state;
	if (unshare)
		cc = fw->remove_shared(pte.pfn, kvm->gmap.guest_handle, gfn, &rc);
	else
		cc = fw->set_shared(pte.pfn, kvm->gmap.guest_handle, &rc);
	if (vis_recording())
		vis_note("guest %s %s frame %lu (%s): cc %d rc %#x", kvm->name,
			 unshare ? "unshares" : "shares", gfn, page->name, cc, rc);
	if (unshare && cc == UVC_CC_OK && was == FW_SHARED) {
		/*
		 * The UV made the frame secure without asking the host: a
		 * transfer in flight is judged in this step on the frame, as
		 * for an import, and PG_arch_1 as the step read it (above).
		 */
		inv_after_import_frame(page, VIS_SITE("share_uvc"));
		kvm_unshared(kvm, gfn, page);
		if (!arch1)
			inv_fail(VIOL_ARCH1_OVERAPPROX, VIS_SITE("share_uvc"),
				 "guest %s unshared %s, now secure, with PG_arch_1 clear: the host "
				 "will not export it before I/O", kvm->name, page->name);
	}
	if (cc != UVC_CC_BUSY || rc != UVC_RC_NOTIFY)
		return cc;
	/* ICPT_PV_NOTIFY, ipa 0xb9a4 */
	ret = handle_pv_uvc(kvm, gfn);
	if (ret == -EAGAIN)
		wait_before_refault();
	else if (ret)
		return ret;
	VIS_READ(&kvm->killed, "__vcpu_run: signal_pending");
	if (kvm->killed)
		return -EINVAL;
	return cc;
}

/*
 * share - the guest kernel's share() (arch/s390/include/asm/uv.h, v5.7,
 * CONFIG_PROTECTED_VIRTUALIZATION_GUEST): the UVC @cmd on guest frame
 * @gfn through uv_call(), which repeats it while the condition code is
 * above 1; 0 on cc 0, -EINVAL on cc 1.  (The BUG_ON of an unaligned
 * address and the -EOPNOTSUPP of a guest that is not protected cannot
 * happen here: the address is a frame, the guest is protected.)
 * Return: 0, -EINVAL, or share_uvc()'s errno (the vCPU left KVM_RUN).
 */
static int share(struct kvm *kvm, unsigned long gfn, uint16_t cmd)
{
	KERNEL_FRAME();
	int cc;

	do {
		cc = share_uvc(kvm, gfn, cmd);
	} while (cc > 1);
	if (cc < 0)
		return cc;
	return cc ? -EINVAL : 0;
}

/**
 * uv_set_shared - the guest asks the UV to share frame @gfn with the host
 * for I/O (v5.7 uv_set_shared(): share(addr, UVC_CMD_SET_SHARED_ACCESS);
 * called by set_memory_decrypted() for swiotlb buffers and coherent DMA
 * allocations, which ignores the result).
 * Context: vCPU thread.
 * Return: 0; -EINVAL (the frame is not secure for this guest); -EFAULT.
 */
int uv_set_shared(struct kvm *kvm, unsigned long gfn)
{
	KERNEL_FRAME();
	return share(kvm, gfn, UVC_CMD_SET_SHARED_ACCESS);
}

/**
 * uv_remove_shared - the guest asks the UV to make its shared frame @gfn
 * secure again (v5.7 uv_remove_shared(): share(addr,
 * UVC_CMD_REMOVE_SHARED_ACCESS); called by set_memory_encrypted() when a
 * swiotlb buffer or coherent DMA allocation is given back, which ignores
 * the result).  A frame the host pinned shared makes the UVC busy until
 * KVM's handle_pv_uvc has unpinned it (share_uvc()).
 * Context: vCPU thread; may wait for the host to drop its references.
 * Return: 0; -EINVAL (the frame is neither shared nor secure for this
 * guest, or the guest was killed); -EFAULT (a host fault failed).
 */
int uv_remove_shared(struct kvm *kvm, unsigned long gfn)
{
	KERNEL_FRAME();
	return share(kvm, gfn, UVC_CMD_REMOVE_SHARED_ACCESS);
}

/**
 * guest_set_shared - the guest shares a frame it has touched: a fetch
 * first (a 0x3E on a frame not yet secure imports it), then uv_set_shared().
 * Context: vCPU thread.  Return: guest_access()'s error, or uv_set_shared()'s.
 */
int guest_set_shared(struct kvm *kvm, unsigned long gfn)
{
	uint32_t dummy;
	int ret;

	ret = guest_access(kvm, gfn, false, 0, &dummy);
	if (ret)
		return ret;
	return uv_set_shared(kvm, gfn);
}

/*
 * user_access - host_user_access() without the ghost reset at its end.
 */
static int user_access(struct mm_struct *mm, unsigned long addr, bool write,
		       uint32_t val, uint32_t *out, enum uaccess_by by)
{
	bool exported = false;
	int rc, lost = 0;

	if (addr >= mm->size || mm_addr_index(mm, addr) < 0)
		return -EFAULT;
	for (;;) {
		struct frame *f;
		pte_t pte;

		VIS_READ(pte_offset(mm, addr), "MMU: translation");
		pte = *pte_offset(mm, addr);
		if (!pte_present(pte) || (write && !pte_write(pte))) {
			struct vm_area_struct *vma;

			/*
			 * do_exception(): a USER_FAULT with faulthandler_disabled()
			 * (pagefault_disable(), in_atomic()) is not handled: "goto
			 * out", do_no_context(), and the uaccess's exception-table
			 * fixup returns the copy short.  Only kernel uaccess runs
			 * in that context (iov_iter_copy_from_user_atomic).
			 */
			if (faulthandler_disabled()) {
				if (vis_recording())
					vis_note("DAT fault with page faults disabled: not handled, "
						 "the uaccess fixup makes the copy short");
				return -EFAULT;
			}
			/* do_exception(): the VMA's access check, then the fault */
			down_read(&mm->mmap_sem);
			vma = find_vma(mm, addr);
			rc = -EFAULT;
			if (vma && !(write && vma->readonly))
				rc = handle_mm_fault(mm, addr, write ? FAULT_FLAG_WRITE : 0);
			up_read(&mm->mmap_sem);
			if (rc)
				return -EFAULT;
			continue;
		}
		f = &mdl_world.frames[pte.pfn];
		if (write)
			VIS_WRITE(f, "host CPU store");
		else
			VIS_READ(f, "host CPU fetch");
		if (fw_get()->host_access_ok(pte.pfn)) {
			if (write) {
				f->data = val;
				f->cipher = false;
			} else {
				*out = f->data;
			}
			if (vis_recording())
				vis_note("host %s %s: %u%s", write ? "stores" : "fetches",
					 pfn_to_page(pte.pfn)->name, write ? val : f->data,
					 f->cipher ? " (ciphertext)" : "");
			return 0;
		}
		/* PGM 0x3D, USER_FAULT */
		if (exported && ++lost > MDL_MAX_LOST_RACES)
			return -EAGAIN;
		rc = do_secure_storage_access(mm, addr, true);
		if (rc < 0)
			return rc;
		if (rc == SSA_SIGNALLED) {
			/*
			 * QEMU's own load or store: the SIGSEGV is delivered on
			 * the way back to user space, before the re-execution,
			 * and kills QEMU (the model ends the access; it does not
			 * kill the thread: doc/protocol.md "Known gaps").  A
			 * kernel uaccess does not return to user space: the
			 * kernel re-executes the copy, faults, exports again,
			 * and goes on for as long as the Ultravisor refuses:
			 *   1. io:   fault_in_pages_readable's __get_user of a
			 *            secure buffer: 0x3D, the export is refused,
			 *            send_sig(SIGSEGV) (pending, not delivered);
			 *   2. io:   the same __get_user again: 0x3D, refused...
			 * A refusal changes nothing, so the rounds repeat one
			 * state: with a UV that refuses for ever, a hang of
			 * write(2) (no-progress, class firmware: the ghost mark
			 * is the same in every round, so the stateful search
			 * still sees the cycle).  Were the UV to accept later,
			 * write(2) completes and the pending SIGSEGV then kills
			 * QEMU on the return to user space (not modelled).
			 */
			if (by == UA_USER)
				return -EFAULT;
			mdl_current()->uv_refused = true;	/* ghost, the thread's own */
		}
		exported = rc == 0;
		if (!exported)
			lost = 0;
	}
}

/**
 * host_user_access - a host user thread (QEMU) reads or writes address
 * @addr of @mm, taking 0x3D faults on secure pages.
 * @by: UA_USER for QEMU's own instruction, UA_KERNEL for the kernel's
 *	uaccess to user memory (copy_from_user and __get_user: a USER_FAULT
 *	too, get_fault_type).
 *
 * The instruction is re-executed after every 0x3D without limit, as on the
 * machine.  do_secure_storage_access() returns without doing anything when
 * follow_page(FOLL_WRITE) finds no writable PTE, so a secure page mapped
 * read-only is re-faulted for ever (v5.7 has no fault-in there).  After a
 * failed export the SIGSEGV ends QEMU's own access; a kernel uaccess is
 * re-executed (user_access()).
 *
 * Context: process context, no locks held; or a kernel uaccess with page
 * faults disabled, where a DAT fault is not handled (-EFAULT: the fixup).
 * Return: 0; -EFAULT (SIGSEGV: no VMA, a store to a VMA without VM_WRITE,
 * the export failed on QEMU's own access; a DAT fault with faults
 * disabled); -EAGAIN (MDL_MAX_LOST_RACES lost in a row).
 */
int host_user_access(struct mm_struct *mm, unsigned long addr, bool write,
		     uint32_t val, uint32_t *out, enum uaccess_by by)
{
	int rc = user_access(mm, addr, write, val, out, by);

	mdl_current()->uv_refused = false;
	return rc;
}

/**
 * host_kernel_access - the kernel touches @page through the 1:1 map
 * (copy_to/from_user targets), taking KERNEL_FAULT 0x3D faults and
 * re-executing after each without limit.
 * Context: process context; the caller holds a reference to @page.
 * Return: 0 (a failed export is BUG(), a finding); -EAGAIN
 * (MDL_MAX_LOST_RACES lost in a row).
 */
int host_kernel_access(struct page *page, bool write, uint32_t val, uint32_t *out)
{
	struct frame *f = page_frame(page);
	bool exported = false;
	int lost = 0;

	for (;;) {
		if (write)
			VIS_WRITE(f, "kernel store (1:1 map)");
		else
			VIS_READ(f, "kernel fetch (1:1 map)");
		if (fw_get()->host_access_ok(page->pfn)) {
			if (write) {
				inv_write_kept(page, "a kernel store", VIS_SITE("host_kernel_access"));
				f->data = val;
				f->cipher = false;
			} else {
				*out = f->data;
			}
			return 0;
		}
		/* PGM 0x3D, KERNEL_FAULT */
		if (exported && ++lost > MDL_MAX_LOST_RACES)
			return -EAGAIN;
		exported = do_secure_storage_access(NULL, (unsigned long)page->pfn, false) == 0;
		if (!exported)
			lost = 0;
	}
}
