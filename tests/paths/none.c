/* A file that registers no path. */
#include <pvcheck/kernel.h>
int helper(struct page *page);
int helper(struct page *page) { return page_ref_count(page); }
