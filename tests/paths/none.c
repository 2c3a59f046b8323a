/* A file that registers no path with PV_PATH(): its function is one by its signature. */
#include <pvcheck/kernel.h>
int helper(struct page *page);
int helper(struct page *page) { return page_ref_count(page); }
