/* A patch file that replaces nothing. */
#include <pvcheck/kernel.h>
static int unused(struct page *page) { return page_ref_count(page); }
PV_PATH(unused, struct page *);
