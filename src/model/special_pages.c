// SPDX-License-Identifier: MIT
/*
 * special_pages.c - the two pages v5.7 lets into a KVM process that are
 * not ordinary order-0 pages (doc/protocol.md, "Compound pages, hugetlb
 * and the zero page"), their declarations and the binder's rules:
 *
 *   "page P mm=MM addr=A thp=tail": a subpage other than the head of a
 *	PTE-mapped transparent huge page.  v5.7 lets one in when the split
 *	in s390_enable_sie -> thp_split_mm fails (follow_page(FOLL_SPLIT)
 *	returns split_huge_page's -EBUSY and thp_split_mm goes on), or when a
 *	shmem THP that another mapper, write(2) or khugepaged put in the page
 *	cache is mapped with PTEs (alloc_set_pte, the segment having a page
 *	table).
 *   "page Z mm=MM addr=A zero=1": the shared zero page, mapped by
 *	UFFDIO_ZEROPAGE (mm/userfaultfd.c mfill_zeropage_pte, which does
 *	not ask mm_forbids_zeropage) in a private anonymous VMA.
 *
 * What the model keeps of a tail page, as include/linux/mm.h and
 * page_ref.h have it in v5.7:
 *   - its own _refcount is 0 (prep_compound_page): every reference taken
 *     through it (get_page, the mapping's) counts on the head;
 *   - its _mapcount counts its own PTE mappings; page_mapcount() of a tail
 *     of a THP that no PMD maps is that count (__page_mapcount adds the
 *     head's compound_mapcount + 1, which is 0 then);
 *   - it is on no LRU list and in no pagevec (the head is);
 *   - lock_page, PageWriteback and page_mapping go to the head; the model
 *     gives the tail its own lock object and flags, which stand for the
 *     head's because nothing else in a scenario uses that head.
 * Of the zero page: a reserved page whose count is the kernel's (1 here),
 * mapped by a special read-only PTE that takes no reference and no rmap;
 * not anonymous, on no LRU; do_wp_page finds no normal page behind the
 * PTE and wp_page_copy gives the address a fresh zeroed page.
 *
 * Abstracted away: the THP's head and its other subpages; the zero page's
 * colours (one declared page is one of them).  That is sound only because
 * the binder lets no operation reach what is not modelled: an operation
 * naming a special page's address must be one of the paths special_check()
 * (ops_bind.c) lists, none of which takes a reference through it (the import's follow_page
 * has no FOLL_GET and, with FOLL_WRITE, never returns the zero page: its
 * PTE is never writable); fork, KVM_PV_DISABLE and user paths walk every
 * PTE and are refused in an mm with a special page.  On a tail the import
 * reads a count of 0 and an expected_page_refs >= 1 (it is mapped), so
 * page_ref_freeze fails in every interleaving: no operation of another
 * thread can change either without one of the refused paths.
 */
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "model/world.h"

int mdl_special_key(const char *key, const char *val, bool *on, char *err, size_t errlen)
{
	if (!strcmp(key, "thp") && strcmp(val, "tail")) {
		snprintf(err, errlen, "thp must be tail (a subpage of a PTE-mapped THP other than "
			 "its head; a head or a PMD mapping is not modelled)");
		return -1;
	}
	if (!strcmp(key, "zero") && strcmp(val, "1")) {
		snprintf(err, errlen, "zero must be 1 (the shared zero page)");
		return -1;
	}
	*on = true;
	return 0;
}

/*
 * mdl_special_decl_check - what a thp=tail page (@thp) or the zero page
 * may be: mapped once, anonymous VMA, writable VMA, in no cache, pagevec
 * or UV state but normal; a tail's PTE writable, the zero page's data 0.
 * Return: 0, or -1 with the reason in @err.
 */
int mdl_special_decl_check(bool thp, int mm, int mm2, int file, bool ro, bool prot_r, long data,
			   bool other_state, char *err, size_t errlen)
{
	const char *why = NULL;

	if (mm < 0)
		why = "needs mm= and addr= (one PTE maps it)";
	else if (mm2 >= 0)
		why = "is mapped once (mm2= is not modelled for it)";
	else if (file >= 0)
		why = thp ? "must be anonymous (a shmem THP's tail meets the same freeze, "
			    "doc/protocol.md; the model's files are disk files, whose page cache "
			    "has no THP in v5.7)" :
			    "is in a private anonymous VMA (UFFDIO_ZEROPAGE of a shmem VMA "
			    "allocates a page)";
	else if (prot_r || (thp && ro))
		why = "needs a writable VMA and, for a tail, PTE (a write fault on a tail would "
		      "take a reference on its head)";
	else if (!thp && data)
		why = "holds zeros (data=0)";
	else if (other_state)
		why = "cannot be secure, shared, swapcache, pvec, private, huge, active or both "
		      "thp=tail and zero=1 (no import of either succeeds in v5.7)";
	if (!why)
		return 0;
	snprintf(err, errlen, "a %s page %s", thp ? "thp=tail" : "zero=1", why);
	return -1;
}

static bool special(const struct page *page)
{
	return PageTail(page) || is_zero_page(page);
}

/* The special page mapped at (@mm, @addr) at bind time, or NULL. */
const struct page *mdl_special_at(struct mm_struct *mm, unsigned long addr)
{
	const pte_t *pte;

	if (addr >= mm->size || mm_addr_index(mm, addr) < 0)
		return NULL;
	pte = pte_offset(mm, addr);
	if (!pte_present(*pte) || !special(&mdl_world.pages[pte->pfn]))
		return NULL;
	return &mdl_world.pages[pte->pfn];
}

/* Does @mm map a special page? */
bool mdl_special_any(const struct mm_struct *mm)
{
	int i;

	for (i = 0; i < mm->nr_addrs; i++)
		if (pte_present(mm->pte[i]) && special(&mdl_world.pages[mm->pte[i].pfn]))
			return true;
	return false;
}
