/* A path named like a model operation. */
#include <pvcheck/kernel.h>
static int get_user_pages_fast_path(struct page *page) { return page_ref_count(page) ? 0 : -1; }
PV_PATH(get_user_pages_fast_path, struct page *);
static int writeback(struct page *page) { return page_ref_count(page) ? 0 : -1; }
PV_PATH(writeback, struct page *);
