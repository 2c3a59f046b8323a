/* SPDX-License-Identifier: MIT */
/*
 * uv.h - host side of the Ultravisor interface: arch/s390/include/asm/uv.h
 * and arch/s390/kernel/uv.c as sent for v5.7 (GIT PULL "KVM: s390: Features
 * and Enhancements for 5.7 part1", patch 03/36 and 08/36).
 *
 * Abstracted away: the control-block formats beyond the fields used here;
 * physical addresses are page frame numbers.
 */
#ifndef PVM_UV_UV_H
#define PVM_UV_UV_H

#include <stdint.h>
#include "mm/mm.h"
#include "mm/page.h"

#define UVC_CMD_CONV_TO_SEC_STOR	0x0200
#define UVC_CMD_CONV_FROM_SEC_STOR	0x0201
#define UVC_CMD_DESTR_SEC_STOR		0x0202	/* model value */
#define UVC_CMD_UNPACK_IMG		0x0301
#define UVC_CMD_PIN_PAGE_SHARED		0x0341
#define UVC_CMD_UNPIN_PAGE_SHARED	0x0342
#define UVC_CMD_SET_SHARED_ACCESS	0x1000
#define UVC_CMD_REMOVE_SHARED_ACCESS	0x1001

struct uv_cb_header {
	uint16_t len;
	uint16_t cmd;
	uint16_t rc;
	uint16_t rrc;
};

/* Convert to secure storage / unpack: guest handle + guest address. */
struct uv_cb_cts {
	struct uv_cb_header header;
	int guest_handle;
	unsigned long gaddr;
	int pfn;		/* model: the host frame the UV resolves gaddr to */
};

/* Convert from secure storage, pin/unpin shared: a host frame. */
struct uv_cb_cfs {
	struct uv_cb_header header;
	int paddr;		/* page frame number */
};

struct gmap;

int __uv_call(unsigned long r1, struct uv_cb_header *uvcb);
int uv_call(unsigned long r1, struct uv_cb_header *uvcb);
int uv_pin_shared(int paddr);
int uv_convert_from_secure(int paddr);
int arch_make_page_accessible(struct page *page);
void clear_arch_1(struct page *page);
/* A user patch of arch_make_page_accessible (src/paths), NULL for the model's own. */
extern int (*uv_patch_arch_make_page_accessible)(struct page *page);
int gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb);
int gmap_convert_to_secure(struct gmap *gmap, unsigned long gaddr);
int uv_make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page, void *uvcb);
int expected_page_refs(const struct page *page);
extern int (*uv_patch_expected_page_refs)(struct page *page);	/* --patch, or NULL */
/* User patches of gmap_make_secure and make_secure_pte (src/paths), NULL for the model's own. */
extern int (*uv_patch_gmap_make_secure)(struct gmap *gmap, unsigned long gaddr, void *uvcb);
extern int (*uv_patch_make_secure_pte)(pte_t *ptep, unsigned long addr, struct page *exp_page,
				       struct uv_cb_header *uvcb);

#endif /* PVM_UV_UV_H */
