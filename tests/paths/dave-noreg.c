// SPDX-License-Identifier: MIT
/*
 * dave-noreg.c - examples/paths/dave-reader.c without PV_PATH(): a path by
 * its signature alone (gcc -aux-info); tests/paths compares the two runs.
 * Dave Hansen's reader from the 2020 thread on the splice hook, as a kernel
 * developer writes it: take a page-cache reference,
 * make the page accessible, then take the reference the I/O holds and
 * start the transfer.  Between the hook and the DMA the guest may import
 * the page again; whether the import's refcount freeze keeps it out is
 * the question of the thread (<e3e95a35-b0e3-b733-92f4-98bcccbe7ca5@intel.com>).
 *
 * Unlike the catalog's reader (lookup+import), this one handles the
 * hook's error: a page that stays secure is not sent.
 */
#include <pvcheck/kernel.h>

int dave_reader(struct address_space *mapping, pgoff_t index, struct device *dev)
{
	struct page *page;
	int ret;

	page = find_get_page(mapping, index);
	if (!page)
		return -ENOENT;
	ret = arch_make_page_accessible(page);
	if (ret) {
		put_page(page);
		return ret;
	}
	get_page(page);			/* the reference the I/O holds */
	ret = dma_to_device(dev, page);
	put_page(page);
	put_page(page);
	return ret;
}
