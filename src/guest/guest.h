/* SPDX-License-Identifier: MIT */
/*
 * guest.h - a protected KVM guest and the s390 fault handlers:
 * arch/s390/kvm/pv.c, kvm-s390.c, intercept.c and arch/s390/mm/fault.c as
 * of v5.7 (GIT PULL 04/36, 09/36, 20/36).
 *
 * Abstracted away: SIE itself, vCPU state, interrupts, the gmap's segment
 * tables: guest frame N is backed by host address N * PAGE_SIZE of the
 * guest's mm (__gmap_translate maps each guest segment onto the host
 * segment at the same address), so the guest's memory is the mm's range.  A guest access re-executes after a
 * fault, as the hardware does; the model waits until the state that made
 * the last attempt fail has changed instead of re-faulting in a loop.
 */
#ifndef PVM_GUEST_GUEST_H
#define PVM_GUEST_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include "mm/mm.h"


struct kvm;

struct gmap {
	struct mm_struct *mm;
	int guest_handle;
	struct kvm *kvm;
};

struct kvm {
	struct gmap gmap;
	bool protected;		/* kvm_s390_pv_is_protected(): cleared by KVM_PV_DISABLE */
	char lock;		/* kvm->lock: lock identity (KVM_S390_PV_COMMAND) */
	/* ==== model bookkeeping ==== */
	int id;
	char name[16];
	bool killed;			/* SIGSEGV delivered to the vCPU thread */
	/* per named address of the mm (gmap_frame_index), ghost: */
	bool written[MDL_MAX_ADDRS];	/* the guest wrote this frame */
	uint32_t value[MDL_MAX_ADDRS];	/* what it wrote last */
};

/*
 * gmap_frame_index - where guest frame @gfn's host address is among the
 * guest mm's named addresses (the index of its PTE), or -1: outside the
 * guest's memory, or never named by the scenario.
 */
static inline int gmap_frame_index(const struct gmap *gmap, unsigned long gfn)
{
	if (gfn >= gmap->mm->size >> PAGE_SHIFT)
		return -1;
	return mm_addr_index(gmap->mm, gfn << PAGE_SHIFT);
}

long __gmap_translate(struct gmap *gmap, unsigned long gaddr);
int gmap_fault(struct gmap *gmap, unsigned long gaddr, unsigned int fault_flags);
int do_non_secure_storage_access(struct kvm *kvm, unsigned long gaddr);
/* do_secure_storage_access: the export failed, SIGSEGV sent, re-execute. */
#define SSA_SIGNALLED	2
int do_secure_storage_access(struct mm_struct *mm, unsigned long addr, bool user);
int guest_access(struct kvm *kvm, unsigned long gfn, bool write, uint32_t val,
		 uint32_t *out);
int kvm_s390_pv_unpack_one(struct kvm *kvm, unsigned long gaddr);
/* src/guest/pv.c: life-cycle paths (issue 14 item 7) */
void kvm_wait_before_retry(void);
int kvm_s390_pv_unpack(struct kvm *kvm, unsigned long gfn, unsigned long nr);
void s390_reset_acc(struct mm_struct *mm);
int kvm_s390_pv_deinit_vm(struct kvm *kvm);
int kvm_s390_pv_disable(struct kvm *kvm);
int guest_set_shared(struct kvm *kvm, unsigned long gfn);
int uv_set_shared(struct kvm *kvm, unsigned long gfn);
int uv_remove_shared(struct kvm *kvm, unsigned long gfn);
int handle_pv_uvc(struct kvm *kvm, unsigned long gaddr);
void kvm_unshared(struct kvm *kvm, unsigned long gfn, const struct page *page);
/* Who makes a user access: QEMU's own instruction, or the kernel's uaccess. */
enum uaccess_by { UA_USER, UA_KERNEL };
int host_user_access(struct mm_struct *mm, unsigned long addr, bool write,
		     uint32_t val, uint32_t *out, enum uaccess_by by);
int host_kernel_access(struct page *page, bool write, uint32_t val, uint32_t *out);

#endif /* PVM_GUEST_GUEST_H */
