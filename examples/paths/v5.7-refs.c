// SPDX-License-Identifier: MIT
/*
 * v5.7-refs.c - v5.7's expected_page_refs (arch/s390/kernel/uv.c, static
 * there, called only by make_secure_pte) written against
 * include/pvcheck/kernel.h.  As a patch it must change no verdict of the
 * catalog (tests/paths checks it): the freeze in make_secure_pte then
 * compares the count with this function's answer.
 */
#include <pvcheck/kernel.h>

int expected_page_refs(struct page *page)
{
	/* one reference per mapping of the page */
	int res = page_mapcount(page);

	/* the swap cache, or the page cache and the buffer heads it carries */
	if (PageSwapCache(page)) {
		res++;
	} else if (page_mapping(page)) {
		res++;
		if (page_has_private(page))
			res++;
	}
	return res;
}
