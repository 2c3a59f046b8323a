/* Nothing a scenario can call: every function is static, no PV_PATH(). */
#include <pvcheck/kernel.h>
static int count(struct page *page) { return page_ref_count(page); }
int (*const unused)(struct page *) = count;
