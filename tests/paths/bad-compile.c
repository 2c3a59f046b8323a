/* A syntax error on line 5: the compiler's file:line:col reaches the user. */
#include <pvcheck/kernel.h>
static int broken(struct page *page)
{
	return page_ref_count(page) +;
}
PV_PATH(broken, struct page *);
