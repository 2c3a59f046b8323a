// SPDX-License-Identifier: MIT
/*
 * user_ops.c - what a user adds to the model at run time (src/paths): the
 * model functions a patch may replace (mdl_patches[]) and the operations
 * user paths register after the built-in table of ops.c.  The index
 * space of operations is one: the built-in ones first, then the user's.
 */
#include "model/model.h"
#include "model/world.h"
#include "uv/uv.h"

/* ==== model functions a user patch may replace ==== */

const struct mdl_patch mdl_patches[] = {
	{ "make_secure_pte", (void (**)(void))&uv_patch_make_secure_pte,
	  "int make_secure_pte(pte_t *ptep, unsigned long addr, struct page *exp_page, "
	  "struct uv_cb_header *uvcb)", "arch/s390/kernel/uv.c" },
	{ "arch_make_page_accessible", (void (**)(void))&uv_patch_arch_make_page_accessible,
	  "int arch_make_page_accessible(struct page *page)", "arch/s390/kernel/uv.c" },
	{ "gmap_make_secure", (void (**)(void))&uv_patch_gmap_make_secure,
	  "int gmap_make_secure(struct gmap *gmap, unsigned long gaddr, void *uvcb)",
	  "arch/s390/kernel/uv.c" },
	{ "expected_page_refs", (void (**)(void))&uv_patch_expected_page_refs,
	  "int expected_page_refs(struct page *page)", "arch/s390/kernel/uv.c" },
	{ "follow_page_pte", (void (**)(void))&gup_patch_follow_page_pte,
	  "struct page *follow_page_pte(struct vm_area_struct *vma, unsigned long address, "
	  "pmd_t *pmd, unsigned int flags, struct dev_pagemap **pgmap)", "mm/gup.c" },
};
const int mdl_npatches = (int)(sizeof(mdl_patches) / sizeof(mdl_patches[0]));

/* ==== operations added at run time (user paths) ==== */

static struct mdl_op user_ops[MDL_MAX_USER_OPS];
static int nr_user_ops;

int mdl_op_add(const struct mdl_op *op)
{
	if (nr_user_ops >= MDL_MAX_USER_OPS)
		return -1;
	user_ops[nr_user_ops] = *op;
	user_ops[nr_user_ops].flags |= MDL_OP_USER;
	return mdl_nops + nr_user_ops++;
}

void mdl_ops_user_clear(void)
{
	nr_user_ops = 0;
}

const struct mdl_op *mdl_op_at(int k)
{
	return k < mdl_nops ? &mdl_ops[k] : &user_ops[k - mdl_nops];
}

int mdl_op_count(void)
{
	return mdl_nops + nr_user_ops;
}

long mdl_op_run(int k, const long *argv)
{
	const struct mdl_op *m = mdl_op_at(k);

	return m->call ? m->call(m, argv) : m->fn(argv);
}
