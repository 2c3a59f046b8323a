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
 * 0x10a otherwise).  Every call may also answer busy or partial, and
 * export, destroy and pin-shared may fail whatever the state
 * (uvfw_answer(), the table at the end).
 *
 * Abstracted away: the real cipher (XOR with a per-(config, gfn, sequence)
 * key), the real MAC (the expected ciphertext kept by the firmware),
 * storage donation, configurations beyond a handle.  Every call runs inside
 * the visible step its caller (__uv_call) announced on the page frame.
 */
#include "lib/bug.h"
#include "model/world.h"
#include "uv/fw.h"
#include "uv/uvfw.h"
#include "model/mutant.h"

static struct uvfw_state *uvfw(void)
{
	return &mdl_world.uvfw;
}

static uint32_t uvfw_key(int config, unsigned long gfn, uint32_t seq)
{
	return 0x5a5a0001u ^ ((uint32_t)config + 1u) * 0x9e37u ^
	       (uint32_t)gfn * 0x85ebu ^ seq * 0xc2b3u;
}

/*
 * uvfw_answer - the answer a call gets besides the one its state
 * determines: one explored choice among the answers uvfw_ops.answers[]
 * declares for @verb.
 * @verb: the call.
 * @refusable: a refusal is a new outcome: the frame is in the state the
 *	call works on (secure for export and destroy, shared for pin-shared),
 *	not one in which it fails or is a no-op anyway.
 * @rc: set for a refusal.
 *
 * Fairness (doc/protocol.md, "Firmware answers"): busy and partial leave
 * everything as it was, and the CPU repeats the same call (uv_call()).  An
 * answer that changes nothing is a stuttering step, so a run with k busy
 * answers in a row is the run with one, with the other CPUs' steps of the
 * k-1 dropped ones moved after it; and a run that is busy forever is
 * excluded by assumption (the UV completes a call it keeps being asked).
 * So after a busy or partial answer the next answer to this CPU is a
 * definite one.  Without the rule every call would be a cycle, which the
 * stateful search reports as no-progress.  mutant uv-loop breaks the
 * assumption on purpose (busy forever, INV-11).  Knob uv_refuse=off
 * drops the refusals (for scenarios that ask about another race and would
 * otherwise stop at the refusal first).
 * Return: -1 to go on with the state's answer, else the condition code.
 */
static int uvfw_answer(enum fw_verb verb, bool refusable, uint16_t *rc)
{
	static const char *const what[FW_VERB_NR] = {
		[FW_VERB_IMPORT] = "UVC convert-to-secure: the UV answers",
		[FW_VERB_EXPORT] = "UVC convert-from-secure: the UV answers",
		[FW_VERB_DESTROY] = "UVC destroy-secure-storage: the UV answers",
		[FW_VERB_PIN_SHARED] = "UVC pin-page-shared: the UV answers",
		[FW_VERB_UNPIN_SHARED] = "UVC unpin-page-shared: the UV answers",
		[FW_VERB_SET_SHARED] = "UVC set-shared-access: the UV answers",
		[FW_VERB_REMOVE_SHARED] = "UVC remove-shared-access: the UV answers",
	};
	unsigned int may = uvfw_ops.answers[verb];
	int self = vis_self(), cc[4], n = 0, pick;

	if (MUTANT_ON(MUT_UV_LOOP))
		return UVC_CC_BUSY;
	PVM_BUG_ON(self < 0 || self >= UVFW_MAX_CPUS);
	cc[n++] = -1;
	if (!uvfw()->stalled[self]) {
		if (may & FW_MAY_BUSY)
			cc[n++] = UVC_CC_BUSY;
		if (may & FW_MAY_PARTIAL)
			cc[n++] = UVC_CC_PARTIAL;
	}
	if ((may & FW_MAY_FAIL) && refusable && mdl_knob_val(KNOB_UV_REFUSE) == 0)
		cc[n++] = UVC_CC_ERROR;
	pick = n > 1 ? cc[vis_choose(n, VIS_SITE(what[verb]))] : -1;
	if (n > 1 && vis_recording())
		mdl_world.step++;	/* the choice is a step of the trace too */
	uvfw()->stalled[self] = pick > 1;
	if (pick == UVC_CC_ERROR)
		*rc = UVC_RC_REFUSED;
	return pick;
}

/* Is @pfn mapped at @gfn in the address space of the guest with @config? */
static bool uvfw_mapped(int pfn, int config, unsigned long gfn)
{
	int i;

	for (i = 0; i < mdl_world.nr_guests; i++) {
		const struct kvm *kvm = &mdl_world.guests[i];
		pte_t pte;

		if (kvm->gmap.guest_handle != config || gmap_frame_index(&kvm->gmap, gfn) < 0)
			continue;
		pte = kvm->gmap.mm->pte[gmap_frame_index(&kvm->gmap, gfn)];
		return pte_present(pte) && pte.pfn == pfn;
	}
	return false;
}

_Static_assert(UVFW_MAX_GFNS >= MDL_MAX_ADDRS, "a record per frame a guest can have");

/*
 * The export record of guest frame @gfn of configuration @config.  The
 * firmware knows the frames a guest can have by the guest's mm: a frame
 * is only ever imported where it is mapped (uvfw_mapped).
 */
static struct uvfw_export *uvfw_rec(int config, unsigned long gfn)
{
	int i, idx;

	for (i = 0; i < mdl_world.nr_guests; i++) {
		const struct kvm *kvm = &mdl_world.guests[i];

		if (kvm->gmap.guest_handle != config)
			continue;
		idx = gmap_frame_index(&kvm->gmap, gfn);
		PVM_BUG_ON(idx < 0);
		return &uvfw()->rec[config][idx];
	}
	PVM_BUG();
}

static int uvfw_import(int pfn, int config, unsigned long gfn, bool unpack, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];
	struct frame *f = &mdl_world.frames[pfn];
	struct uvfw_export *rec;
	int cc = uvfw_answer(FW_VERB_IMPORT, false, rc);

	if (cc >= 0)
		return cc;

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
	rec = uvfw_rec(config, gfn);
	if (pi->state == FW_SHARED) {
		/* Unshare: the plaintext stays, the host loses access. */
	} else if (unpack) {
		/* The image page: decryption with the image key is not modelled. */
		f->cipher = false;
		rec->exported = false;
	} else if (rec->exported) {
		if ((!f->cipher || f->data != rec->tag) && !MUTANT_ON(MUT_NO_INTEGRITY)) {
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
	int cc = uvfw_answer(FW_VERB_EXPORT, pi->state == FW_SECURE, rc);

	if (cc >= 0)
		return cc;

	*rc = UVC_RC_EXECUTED;
	if (pi->state != FW_SECURE)
		return UVC_CC_OK;
	rec = uvfw_rec(pi->config, pi->gfn);
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
	int cc = uvfw_answer(FW_VERB_DESTROY, pi->state == FW_SECURE, rc);

	if (cc >= 0)
		return cc;

	*rc = UVC_RC_EXECUTED;
	if (pi->state != FW_SECURE)
		return UVC_CC_OK;
	uvfw_rec(pi->config, pi->gfn)->exported = false;
	f->data = 0;
	f->cipher = false;
	pi->state = FW_NORMAL;
	return UVC_CC_OK;
}

static int uvfw_pin_shared(int pfn, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];
	int cc = uvfw_answer(FW_VERB_PIN_SHARED, pi->state == FW_SHARED, rc);

	if (cc >= 0)
		return cc;

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
	int cc = uvfw_answer(FW_VERB_UNPIN_SHARED, false, rc);

	if (cc >= 0)
		return cc;

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
	int cc = uvfw_answer(FW_VERB_SET_SHARED, false, rc);

	if (cc >= 0)
		return cc;

	if (pi->state != FW_SECURE || pi->config != config) {
		*rc = UVC_RC_INV_STATE;
		return UVC_CC_ERROR;
	}
	pi->state = FW_SHARED;
	*rc = UVC_RC_EXECUTED;
	return UVC_CC_OK;
}

/*
 * uvfw_remove_shared - the guest's remove-shared-access of frame @gfn.
 *
 * A shared frame the host never pinned becomes secure at once: the guest's
 * plaintext stays, the host loses access, and the host is not asked (no
 * intercept: uv_pin_shared()'s comment in v5.7, "This will cause an
 * intercept when the guest attempts to unshare the pinned page", i.e. only
 * a pinned one does).  A pinned frame is left as it is: busy for the guest,
 * a notification for KVM (UVC_RC_NOTIFY), which unpins it with
 * UNPIN_PAGE_SHARED under make_secure_pte()'s frozen count; that unpin makes
 * the frame secure (uvfw_unpin_shared), so the guest's repeated UVC then
 * finds it secure for (@config, @gfn) and completes (assumed: the state the
 * guest asked for is the state the frame has; v5.7's one caller,
 * set_memory_encrypted(), ignores the result either way).  Any other frame
 * (normal, another guest's) is an invalid state.
 */
static int uvfw_remove_shared(int pfn, int config, unsigned long gfn, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];
	int cc = uvfw_answer(FW_VERB_REMOVE_SHARED, false, rc);

	if (cc >= 0)
		return cc;

	if (pi->config != config || pi->gfn != gfn || pi->state == FW_NORMAL) {
		*rc = UVC_RC_INV_STATE;
		return UVC_CC_ERROR;
	}
	if (pi->state == FW_SECURE) {
		*rc = UVC_RC_EXECUTED;
		return UVC_CC_OK;
	}
	if (pi->pinned_shared) {
		*rc = UVC_RC_NOTIFY;
		return UVC_CC_BUSY;
	}
	pi->state = FW_SECURE;
	*rc = UVC_RC_EXECUTED;
	return UVC_CC_OK;
}

/*
 * uvfw_destroy_config - Destroy Secure Configuration, as seen by frame
 * @pfn: the UV cleans up what the configuration still owns and makes it
 * host-accessible (the 2022 asynchronous-teardown series relies on this:
 * the destroy call "cleans up and makes accessible" a protected VM's
 * remaining memory).  A secure frame is cleared (its plaintext never
 * reaches the host); a shared frame was host-accessible already and keeps
 * its content; anything else is untouched.  PG_arch_1 is the host's and
 * stays as it was.  No busy or refused answer is declared: v5.7's
 * uv_cmd_nodata() loops on busy (uv_call_sched) and a failure is a WARN
 * plus a deliberate leak, which the model does not follow.
 */
static int uvfw_destroy_config(int pfn, int config, uint16_t *rc)
{
	struct fw_page_info *pi = &uvfw()->page[pfn];
	struct frame *f = &mdl_world.frames[pfn];

	*rc = UVC_RC_EXECUTED;
	if (pi->config != config || pi->state == FW_NORMAL)
		return UVC_CC_OK;
	if (pi->state == FW_SECURE) {
		f->data = 0;
		f->cipher = false;
	}
	pi->state = FW_NORMAL;
	pi->pinned_shared = false;
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
	/*
	 * What the host must be ready for, whatever the frame's state.  Every
	 * UVC may be busy (cc 2) or partial (cc 3); v5.7's uv_call() repeats
	 * it.  Export (convert-from-secure), destroy and pin-shared may fail:
	 * the architecture gives them error codes the kernel does not decode,
	 * and v5.7's callers treat any cc 1 as failure (pin-shared falls back
	 * to export; a failed export is -EINVAL, VM_BUG_ON in writeback, BUG()
	 * on a kernel fault, ignored by ptep_get_and_clear).  Import and
	 * unpin-shared fail only for the reasons the state gives (not mapped,
	 * wrong state, integrity), all modelled.  Set-shared and
	 * remove-shared are the guest's calls: a busy answer without a
	 * notification would be a stuttering step of the guest's own uv_call()
	 * loop (share()) that touches no host state, so none is declared; the
	 * busy answer that matters, remove-shared of a pinned frame, is the
	 * state's own (uvfw_remove_shared).
	 */
	.answers = {
		[FW_VERB_IMPORT] = FW_MAY_BUSY | FW_MAY_PARTIAL,
		[FW_VERB_EXPORT] = FW_MAY_BUSY | FW_MAY_PARTIAL | FW_MAY_FAIL,
		[FW_VERB_DESTROY] = FW_MAY_BUSY | FW_MAY_PARTIAL | FW_MAY_FAIL,
		[FW_VERB_PIN_SHARED] = FW_MAY_BUSY | FW_MAY_PARTIAL | FW_MAY_FAIL,
		[FW_VERB_UNPIN_SHARED] = FW_MAY_BUSY | FW_MAY_PARTIAL,
		[FW_VERB_SET_SHARED] = 0,
		[FW_VERB_REMOVE_SHARED] = 0,
	},
	.import = uvfw_import,
	.export = uvfw_export,
	.destroy = uvfw_destroy,
	.pin_shared = uvfw_pin_shared,
	.unpin_shared = uvfw_unpin_shared,
	.set_shared = uvfw_set_shared,
	.remove_shared = uvfw_remove_shared,
	.destroy_config = uvfw_destroy_config,
	.query = uvfw_query,
	.host_access_ok = uvfw_host_access_ok,
};

const struct fw_ops *fw_get(void)
{
	return &uvfw_ops;
}
