// SPDX-License-Identifier: MIT
/*
 * v5.7.c - v5.7's make_secure_pte (arch/s390/kernel/uv.c) written against
 * include/pvcheck/kernel.h.  As a patch it must change no verdict of the
 * catalog: tests/paths checks it, which ties the header's functions to
 * the model's own make_secure_pte.
 */
#include <pvcheck/kernel.h>

int make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page,
		    struct uv_cb_header *uvcb)
{
	pte_t entry = READ_ONCE(*ptep);
	struct page *page;
	int expected, rc = 0;

	(void)addr;
	if (!pte_present(entry))
		return -ENXIO;
	if (pte_val(entry) & _PAGE_INVALID)
		return -ENXIO;
	page = pte_page(entry);
	if (page != exp_page)
		return -ENXIO;
	if (PageWriteback(page))
		return -EAGAIN;
	expected = expected_page_refs(page);
	if (!page_ref_freeze(page, expected))
		return -EBUSY;
	set_bit(PG_arch_1, &page->flags);
	rc = uv_call(0, (u64)uvcb);
	page_ref_unfreeze(page, expected);
	if (rc)
		rc = uvcb->rc == 0x10a ? -ENXIO : -EINVAL;
	return rc;
}
