/* SPDX-License-Identifier: MIT */
/*
 * fw.h - the secure-memory firmware, as an interface.
 *
 * The host kernel model never touches firmware state directly: it issues
 * calls through struct fw_ops, as the kernel issues UVC instructions on
 * s390.  The s390 Ultravisor implementation is uvfw.c; another design
 * (AMD SEV-SNP RMPUPDATE/PSMASH, Intel TDX SEAMCALLs, Arm CCA RMI) can
 * provide its own fw_ops with the same verbs (see
 * shared/reference/cc-designs.md, section 7: import = make guest-owned,
 * export = make host-owned preserving contents, destroy = make host-owned
 * discarding contents, pin_shared = keep a guest-shared page host-owned).
 *
 * Every call returns an s390-style condition code (0 ok, 1 error with *rc,
 * 2 busy, 3 partial) and is made by the calling CPU synchronously, inside
 * one visible step on the page frame (the caller announces it).
 *
 * Besides the answer its state determines, a call may get the answers its
 * design declares in fw_ops.answers[verb] (FW_MAY_*): the firmware picks
 * one with vis_choose(), so the explorer tries every one of them at every
 * call.  The host kernel must handle each: a caller that cannot is a
 * finding, not an assumption.
 */
#ifndef PVM_UV_FW_H
#define PVM_UV_FW_H

#include <stdbool.h>
#include <stdint.h>

enum fw_page_state {
	FW_NORMAL,	/* host-accessible */
	FW_SHARED,	/* guest shared it: host-accessible, guest-mapped */
	FW_SECURE,	/* guest-owned: host CPU faults (0x3D), device I/O fails */
};

/* What the firmware says about one frame (for devices and invariants). */
struct fw_page_info {
	enum fw_page_state state;
	int config;		/* secure configuration (guest handle) */
	unsigned long gfn;	/* guest frame it backs */
	bool pinned_shared;
};

/* Condition codes (2021 names, arch/s390/include/asm/uv.h). */
#define UVC_CC_OK	0
#define UVC_CC_ERROR	1
#define UVC_CC_BUSY	2
#define UVC_CC_PARTIAL	3

/* rc values the kernel looks at. */
#define UVC_RC_EXECUTED		0x0001
#define UVC_RC_INV_CMD		0x0002
#define UVC_RC_INV_STATE	0x0003
#define UVC_RC_NOT_MAPPED	0x010a	/* import: page not mapped (-> -ENXIO) */
#define UVC_RC_INTEGRITY	0x0104	/* model value: import integrity check failed */
#define UVC_RC_REFUSED		0x0105	/* model value: an error the host does not decode */
/*
 * Model value: remove-shared-access of a frame the host pinned shared.  The
 * UV does not complete it: the guest gets cc 2 (its uv_call() repeats the
 * UVC) and KVM a notification intercept (ICPT_PV_NOTIFY, ipa 0xb9a4) on
 * which it unpins the frame (handle_pv_uvc).
 */
#define UVC_RC_NOTIFY		0x0106

/* The calls of struct fw_ops that change a frame, for fw_ops.answers[]. */
enum fw_verb {
	FW_VERB_IMPORT,
	FW_VERB_EXPORT,
	FW_VERB_DESTROY,
	FW_VERB_PIN_SHARED,
	FW_VERB_UNPIN_SHARED,
	FW_VERB_SET_SHARED,
	FW_VERB_REMOVE_SHARED,
	FW_VERB_NR
};

/*
 * Answers a call may give whatever the frame's state (a bit set per verb).
 * Busy and partial leave the frame unchanged and ask the caller to repeat
 * the call; the firmware may give them any number of times but not forever
 * (the fairness assumption of doc/protocol.md, "Firmware answers").
 */
#define FW_MAY_BUSY	(1u << 0)	/* cc 2 */
#define FW_MAY_PARTIAL	(1u << 1)	/* cc 3 */
#define FW_MAY_FAIL	(1u << 2)	/* cc 1, rc UVC_RC_REFUSED, frame unchanged */

struct fw_ops {
	const char *name;
	/* FW_MAY_* per enum fw_verb: the answers besides the state's. */
	unsigned int answers[FW_VERB_NR];
	/* Make @pfn guest-owned for (@config, @gfn); @unpack: image page. */
	int (*import)(int pfn, int config, unsigned long gfn, bool unpack, uint16_t *rc);
	/* Make @pfn host-owned, encrypting and integrity-tagging its contents. */
	int (*export)(int pfn, uint16_t *rc);
	/* Make @pfn host-owned, discarding its contents. */
	int (*destroy)(int pfn, uint16_t *rc);
	/* Keep a guest-shared @pfn host-accessible until unpinned. */
	int (*pin_shared)(int pfn, uint16_t *rc);
	int (*unpin_shared)(int pfn, int config, uint16_t *rc);
	/* Guest side: share its own secure frame. */
	int (*set_shared)(int pfn, int config, uint16_t *rc);
	/*
	 * Guest side: make its shared frame @gfn secure again.  A frame the
	 * host pinned shared is not converted: cc 2, rc UVC_RC_NOTIFY (the
	 * host must unpin it first, under its own checks).
	 */
	int (*remove_shared)(int pfn, int config, unsigned long gfn, uint16_t *rc);
	/*
	 * The destroy-configuration call's effect on one frame: a frame still
	 * secure (or shared) for @config becomes host-owned, a secure one
	 * cleared.  The call itself is one per configuration; the caller
	 * issues this once per frame, each in a step on that frame.
	 */
	int (*destroy_config)(int pfn, int config, uint16_t *rc);
	/* Query, no side effect. */
	struct fw_page_info (*query)(int pfn);
	/* Would a host (CPU or device) access to @pfn be allowed now? */
	bool (*host_access_ok)(int pfn);
};

extern const struct fw_ops uvfw_ops;	/* s390 Ultravisor, uvfw.c */

/* The firmware in use by this world (s390 for the linux-5.7 profile). */
const struct fw_ops *fw_get(void);

#endif /* PVM_UV_FW_H */
