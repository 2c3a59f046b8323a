/* make_secure_pte with v5.7's parameters in the wrong order: the header's prototype refuses it. */
#include <pvcheck/kernel.h>
int make_secure_pte(unsigned long addr, pte_t *ptep, struct page *exp_page,
		    struct uv_cb_header *uvcb)
{
	return addr && ptep && exp_page && uvcb ? 0 : -EINVAL;
}
