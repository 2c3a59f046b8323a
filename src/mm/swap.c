// SPDX-License-Identifier: MIT
/*
 * swap.c - per-CPU LRU pagevecs and their draining.
 *
 * Follows mm/swap.c as of v5.7: a page added to the LRU first sits in a
 * per-CPU pagevec that holds a reference; lru_add_drain() flushes the
 * local CPU's, lru_add_drain_all() every CPU's (through per-CPU work that
 * the caller waits for; here the caller drains them itself, which has the
 * same effect on the counts).  These transient references are the usual
 * reason for gmap_make_secure()'s -EBUSY.
 * Abstracted away: the LRU lists, pagevec sizes, LRU flags and isolation.
 * All pagevecs are one visible object.  Scenario threads run on CPU = thread id; a page declared with pvec=1
 * sits in the pagevec of a CPU no scenario thread runs on.
 */
#include "model/world.h"
#include "inv/inv.h"

/**
 * lru_cache_add - put @page in this CPU's pagevec (takes a reference).
 * Context: any.
 */
void lru_cache_add(struct page *page)
{
	int cpu = vis_self();

	VIS_RMW(mdl_world.pvec_count, "lru_cache_add: pagevec_add");
	if (mdl_world.pvec_count[cpu] >= MDL_PVEC_SIZE)
		return;
	get_page(page, ref_obj(REF_PVEC, cpu));
	mdl_world.pvec[cpu][mdl_world.pvec_count[cpu]++] = page;
}

/* Drain @cpu's pagevec; the caller announced the pagevecs. */
static void lru_add_drain_cpu(int cpu)
{
	while (mdl_world.pvec_count[cpu] > 0) {
		struct page *page = mdl_world.pvec[cpu][--mdl_world.pvec_count[cpu]];

		/* __pagevec_lru_add -> release_pages: the pagevec's reference goes. */
		put_page(page, ref_obj(REF_PVEC, cpu));
	}
}

/**
 * lru_add_drain - flush the local CPU's pagevec.
 * Context: process context.
 */
void lru_add_drain(void)
{
	VIS_RMW(mdl_world.pvec_count, "lru_add_drain");
	lru_add_drain_cpu(vis_self());
}

/**
 * lru_add_drain_all - flush every CPU's pagevec.
 * Context: process context, sleeps (waits for the per-CPU work).
 */
void lru_add_drain_all(void)
{
	int cpu;

	inv_might_sleep(VIS_SITE("lru_add_drain_all"));
	VIS_RMW(mdl_world.pvec_count, "lru_add_drain_all");
	for (cpu = 0; cpu < MDL_NR_CPUS; cpu++)
		lru_add_drain_cpu(cpu);
}
