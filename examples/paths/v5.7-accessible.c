// SPDX-License-Identifier: MIT
/*
 * v5.7-accessible.c - v5.7's arch_make_page_accessible (arch/s390/kernel/
 * uv.c) written against include/pvcheck/kernel.h.  As a patch it must
 * change no verdict of the catalog (tests/paths checks it): every model
 * path that makes a page accessible (gup, writeback, the fault handlers,
 * the pipe and splice paths) then runs this one.
 */
#include <pvcheck/kernel.h>

int arch_make_page_accessible(struct page *page)
{
	int rc = 0;

	/* a hugetlb page is never secure */
	if (PageHuge(page))
		return 0;
	/* PG_arch_1 clear: the page was never made secure (it over-indicates) */
	if (!test_bit(PG_arch_1, &page->flags))
		return 0;

	/* a page shared with the host needs only a pin */
	rc = uv_pin_shared(page_to_phys(page));
	if (!rc) {
		clear_bit(PG_arch_1, &page->flags);
		return 0;
	}

	/* else export it: encrypt it for the host */
	rc = uv_convert_from_secure(page_to_phys(page));
	if (!rc) {
		clear_bit(PG_arch_1, &page->flags);
		return 0;
	}

	return rc;
}
