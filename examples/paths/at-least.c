// SPDX-License-Identifier: MIT
/*
 * at-least.c - make_secure_pte as Dave Hansen first read it (2020): not an
 * exact freeze but "the count is at least what we expect".  v5.7's
 * function with that one change; run it against the catalog with
 *
 *	pvcheck --patch examples/paths/at-least.c
 *
 * and against Dave's reader with
 *
 *	pvcheck check --patch examples/paths/at-least.c examples/paths/dave-reader.pvs
 *
 * Source: <e3e95a35-b0e3-b733-92f4-98bcccbe7ca5@intel.com> ("isn't
 * looking for a *specific* expected value"), and the reply that it is.
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
	if (page_ref_count(page) < expected)	/* v5.7: page_ref_freeze(page, expected) */
		return -EBUSY;
	set_bit(PG_arch_1, &page->flags);
	rc = uv_call(0, (u64)uvcb);
	if (rc)
		rc = uvcb->rc == 0x10a ? -ENXIO : -EINVAL;
	return rc;
}
