// SPDX-License-Identifier: MIT
/*
 * uvfw.c - the s390 Ultravisor as the firmware behind struct fw_ops.
 *
 * Follows the behaviour the kernel relies on in arch/s390/kernel/uv.c and
 * the PV documentation as of v5.7: import (convert to secure storage) of a
 * never-exported page clears it, of an exported page decrypts it and checks
 * its integrity; export (convert from secure storage) encrypts; a page that
 * is not secure exports as a no-op success (the reference's "the UV calls
 * become no-ops once the page is exported", section 2.6); pin-shared works
 * only on shared pages; import requires the page mapped in the guest (rc
 * 0x10a otherwise).  Busy is a nondeterministic answer, at most once per
 * execution when knob uv_busy=on (uv_call() loops on it).
 *
 * Abstracted away: the real cipher (XOR with a per-(config, gfn, sequence)
 * key), the real MAC (the expected ciphertext kept by the firmware),
 * storage donation, configurations beyond a handle.  Every call runs inside
 * the visible step its caller (__uv_call) announced on the page frame.
 */
#include "model/world.h"
#include "uv/fw.h"
#include "uv/uvfw.h"

static struct uvfw_state *uvfw(void)
{
	return &mdl_world.uvfw;
}

static uint32_t uvfw_key(int config, unsigned long gfn, uint32_t seq)
{
	return 0x5a5a0001u ^ ((uint32_t)config + 1u) * 0x9e37u ^
	       (uint32_t)gfn * 0x85ebu ^ seq * 0xc2b3u;
}

/* Busy: the explorer tries both answers while the budget lasts. */
static bool uvfw_busy(void)
{
	if (mdl_bug(BUG_UV_LOOP))
		return true;
	if (uvfw()->busy_budget <= 0)
		return false;
	if (!vis_choose(2, VIS_SITE("uvfw: busy?")))
		return false;
	uvfw()->busy_budget--;
	return true;
}

/* Is @pfn mapped at @gfn in the address space of the guest with @config? */
static bool uvfw_mapped(int pfn, int config, unsigned long gfn)
{
	int i;

	for (i = 0; i < mdl_world.nr_guests; i++) {
		const struct kvm *kvm = &mdl_world.guests[i];
		pte_t pte;

		if (kvm->gmap.guest_handle != config || gfn >= MDL_MAX_ADDRS)
			continue;
		pte = kvm->gmap.mm->pte[gfn];
		return pte_present(pte) && pte.pfn == pfn;
	}
	return false;
}

static int uvfw_import(int pfn, int config, unsigned long gfn, bool unpack, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];
	struct frame *f = &mdl_world.frames[pfn];
	struct uvfw_export *rec;

	if (uvfw_busy())
		return UVC_CC_BUSY;
	if (!uvfw_mapped(pfn, config, gfn)) {
		*rc = UVC_RC_NOT_MAPPED;
		return UVC_CC_ERROR;
	}
	if (pi->state == FW_SECURE) {
		if (pi->config == config && pi->gfn == gfn) {
			*rc = UVC_RC_EXECUTED;
			return UVC_CC_OK;
		}
		*rc = UVC_RC_INV_STATE;
		return UVC_CC_ERROR;
	}
	rec = &uvfw()->rec[config][gfn];
	if (pi->state == FW_SHARED) {
		/* Unshare: the plaintext stays, the host loses access. */
	} else if (unpack) {
		/* The image page: decryption with the image key is not modelled. */
		f->cipher = false;
		rec->exported = false;
	} else if (rec->exported) {
		if ((!f->cipher || f->data != rec->tag) && !mdl_bug(BUG_NO_INTEGRITY)) {
			*rc = UVC_RC_INTEGRITY;
			return UVC_CC_ERROR;
		}
		f->data ^= uvfw_key(config, gfn, rec->seq);
		f->cipher = false;
		rec->exported = false;
	} else {
		/* First import: the page is cleared. */
		f->data = 0;
		f->cipher = false;
	}
	pi->state = FW_SECURE;
	pi->config = config;
	pi->gfn = gfn;
	pi->pinned_shared = false;
	*rc = UVC_RC_EXECUTED;
	return UVC_CC_OK;
}

static int uvfw_export(int pfn, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];
	struct frame *f = &mdl_world.frames[pfn];
	struct uvfw_export *rec;

	if (uvfw_busy())
		return UVC_CC_BUSY;
	*rc = UVC_RC_EXECUTED;
	if (pi->state != FW_SECURE)
		return UVC_CC_OK;
	rec = &uvfw()->rec[pi->config][pi->gfn];
	rec->seq++;
	f->data ^= uvfw_key(pi->config, pi->gfn, rec->seq);
	f->cipher = true;
	rec->tag = f->data;
	rec->exported = true;
	pi->state = FW_NORMAL;
	return UVC_CC_OK;
}

static int uvfw_destroy(int pfn, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];
	struct frame *f = &mdl_world.frames[pfn];

	*rc = UVC_RC_EXECUTED;
	if (pi->state != FW_SECURE)
		return UVC_CC_OK;
	uvfw()->rec[pi->config][pi->gfn].exported = false;
	f->data = 0;
	f->cipher = false;
	pi->state = FW_NORMAL;
	return UVC_CC_OK;
}

static int uvfw_pin_shared(int pfn, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];

	if (pi->state != FW_SHARED) {
		*rc = UVC_RC_INV_STATE;
		return UVC_CC_ERROR;
	}
	pi->pinned_shared = true;
	*rc = UVC_RC_EXECUTED;
	return UVC_CC_OK;
}

static int uvfw_unpin_shared(int pfn, int config, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];

	if (pi->state != FW_SHARED || pi->config != config) {
		*rc = UVC_RC_INV_STATE;
		return UVC_CC_ERROR;
	}
	pi->pinned_shared = false;
	pi->state = FW_SECURE;
	*rc = UVC_RC_EXECUTED;
	return UVC_CC_OK;
}

static int uvfw_set_shared(int pfn, int config, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];

	if (pi->state != FW_SECURE || pi->config != config) {
		*rc = UVC_RC_INV_STATE;
		return UVC_CC_ERROR;
	}
	pi->state = FW_SHARED;
	*rc = UVC_RC_EXECUTED;
	return UVC_CC_OK;
}

static struct fw_page_info uvfw_query(int pfn)
{
	return uvfw()->page[pfn];
}

static bool uvfw_host_access_ok(int pfn)
{
	return uvfw()->page[pfn].state != FW_SECURE;
}

const struct fw_ops uvfw_ops = {
	.name = "s390-uv",
	.import = uvfw_import,
	.export = uvfw_export,
	.destroy = uvfw_destroy,
	.pin_shared = uvfw_pin_shared,
	.unpin_shared = uvfw_unpin_shared,
	.set_shared = uvfw_set_shared,
	.query = uvfw_query,
	.host_access_ok = uvfw_host_access_ok,
};

const struct fw_ops *fw_get(void)
{
	return &uvfw_ops;
}
