/* A patch may replace only the model's replaceable functions; helpers are static. */
#include <pvcheck/kernel.h>
int gmap_make_secure_helper(struct page *page);
int gmap_make_secure_helper(struct page *page) { return page_ref_count(page); }
