// SPDX-License-Identifier: MIT
/*
 * threads.c - the per-thread registers of the world (mdl_world.threads):
 * the calling thread's record and its stack of "current pages" (ops.c).
 * Split from world.c, which builds and resets the world.
 */
#include <stdio.h>
#include "model/model.h"
#include "model/world.h"
#include "inv/inv.h"
#include "lib/bug.h"

struct mdl_thread *mdl_current(void)
{
	int tid = vis_self();

	PVM_BUG_ON(tid < 0 || tid >= MDL_MAX_THREADS);
	return &mdl_world.threads[tid];
}

void mdl_thread_begin(const char *name)
{
	struct mdl_thread *t = mdl_current();

	t->used = true;
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "?");
}

void mdl_cur_push(struct page *page, struct ref_tag tag)
{
	struct mdl_thread *t = mdl_current();

	/* the binder bounds each thread's stack (bind_cur_page) */
	PVM_BUG_ON(t->ncur >= MDL_MAX_CUR);
	t->cur[t->ncur] = page;
	t->cur_gen[t->ncur] = page ? page->gen : 0;
	t->cur_tag[t->ncur++] = tag;
}

struct page *mdl_cur_top(void)
{
	struct mdl_thread *t = mdl_current();

	return t->ncur ? t->cur[t->ncur - 1] : NULL;
}

struct ref_tag mdl_cur_pop(struct page **pagep)
{
	struct mdl_thread *t = mdl_current();

	if (!t->ncur) {
		*pagep = NULL;
		return ref_obj(REF_NONE, -1);
	}
	t->ncur--;
	*pagep = t->cur[t->ncur];
	return t->cur_tag[t->ncur];
}

