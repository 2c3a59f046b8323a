// SPDX-License-Identifier: MIT
/*
 * refs-plus-one.c - expected_page_refs counting one reference too many: a
 * freeze that lets exactly one extra holder through, the I/O marker the
 * exact freeze exists to see.  tests/paths: lookup+import, safe in v5.7,
 * changes (the reader's lookup reference passes the freeze).
 */
#include <pvcheck/kernel.h>

int expected_page_refs(struct page *page)
{
	int res = page_mapcount(page) + 1;

	if (PageSwapCache(page)) {
		res++;
	} else if (page_mapping(page)) {
		res++;
		if (page_has_private(page))
			res++;
	}
	return res;
}
