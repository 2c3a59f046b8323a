/* A non-static function that is no path (a char * parameter): refused, by name and line. */
#include <pvcheck/kernel.h>
static int count(struct page *page) { return page_ref_count(page); }
int show(struct page *page, const char *why);
int show(struct page *page, const char *why) { (void)why; return count(page); }
