/* Writable data shared by every thread running the path: refused. */
#include <pvcheck/kernel.h>
static int calls;
static int counter(struct page *page)
{
	calls++;
	return page_ref_count(page) > calls ? 0 : -EBUSY;
}
PV_PATH(counter, struct page *);
