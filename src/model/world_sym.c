// SPDX-License-Identifier: MIT
/*
 * world_sym.c - the world as the stateful search's symmetry reduction sees
 * it (--symmetry): the canonical form of the world under a renaming of the
 * thread ids (program.canon_state) and a thread's own key
 * (program.thread_key).  Moved from world.c; it reads mdl_world only.
 */
#include <string.h>
#include <xxhash.h>
#include "model/model.h"
#include "model/world.h"

/* Does a holder tag of kind @why name a thread (its owner a thread id)? */
static bool why_names_thread(int why)
{
	_Static_assert(REF_NR == 13, "a new ref_why: say here whether its owner is a thread");
	switch (why) {
	case REF_NONE:
	case REF_MAP:		/* mm*16+addr */
	case REF_CACHE:
	case REF_BUFFERS:
	case REF_PIPE:		/* pipe index */
		return false;
	default:		/* ref_thread() owners, and REF_PVEC's cpu (= thread) */
		return true;
	}
}

static int rename_tid(const int *sigma, int tid)
{
	return tid >= 0 && tid < MDL_MAX_THREADS ? sigma[tid] : tid;
}

static void rename_tag(const int *sigma, struct ref_tag *tag)
{
	if (why_names_thread(tag->why))
		tag->owner = (int16_t)rename_tid(sigma, tag->owner);
}

/* Order of ghost holders in the canonical form (all fields that are not report-only). */
static int holder_cmp(const struct ref_holder *a, const struct ref_holder *b)
{
	if (a->tag.why != b->tag.why)
		return a->tag.why < b->tag.why ? -1 : 1;
	if (a->tag.owner != b->tag.owner)
		return a->tag.owner < b->tag.owner ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight < b->weight ? -1 : 1;
	if (a->tid != b->tid)
		return a->tid < b->tid ? -1 : 1;
	if (a->site != b->site)
		return (uintptr_t)a->site < (uintptr_t)b->site ? -1 : 1;
	return 0;
}

/*
 * The execution context's and the lock dependencies' report-only fields:
 * where a lock was taken or the context entered, which lock instance made a
 * dependency and at which step.  The model decides nothing on them (lockdep
 * is about classes); a replayed trace words its report from its own run.
 */
static void canon_context(struct mdl_thread *th)
{
	memset(th->held_at, 0, sizeof(th->held_at));
	th->ctx.preempt_at = th->ctx.pagefault_at = th->ctx.irqs_at = NULL;
	/* the kernel call chain and the operation running: report-only */
	memset(th->ctx.frame, 0, sizeof(th->ctx.frame));
	th->ctx.nframes = th->ctx.op = th->ctx.op_line = 0;
	for (int k = 0; k < MDL_MAX_DEPS; k++) {
		struct lock_dep *d = &th->deps[k];

		if (k >= th->ndeps) {
			memset(d, 0, sizeof(*d));
			continue;
		}
		d->step = 0;
		d->from_at = d->to_at = NULL;
		d->from_obj = d->to_obj = NULL;
	}
}

/*
 * mdl_world_canon - program.canon_state of a scenario: the world as the
 * stateful search identifies it, with every thread id renamed by @sigma.
 *
 * Renamed: thread ids live in the per-thread records, the per-CPU pagevecs
 * (a scenario thread is its own CPU, see swap.c), holder tags and holders,
 * a page's freezer, lock and writeback owners and its per-thread DMA
 * counts.  Names of classed threads are blanked.
 *
 * Left out, because the model never reads them for a decision (they only
 * word messages and the end-state dump): the step at which a ghost holder
 * was taken, and the order of the holders (inv_ref_del() removes the last
 * match on why, owner and weight; matches differ only in report fields).
 * Slots past an array's count are dead and zeroed.  So two paths that take
 * the same references in different orders reach one state.
 * Context: scheduler, between steps.  Return: sizeof(struct world).
 */
size_t mdl_world_canon(void *ctx, const int *sigma, uint64_t classed, void *buf)
{
	const struct world *s = &mdl_world;
	struct world *w = buf;

	(void)ctx;
	memcpy(w, s, sizeof(*w));
	for (int t = 0; t < MDL_MAX_THREADS; t++) {
		int u = sigma[t];
		struct mdl_thread *th = &w->threads[u];
		*th = s->threads[t];
		if (classed & ((uint64_t)1 << t))
			memset(th->name, 0, sizeof(th->name));
		for (int k = 0; k < MDL_MAX_CUR; k++) {
			rename_tag(sigma, &th->cur_tag[k]);
			if (k >= th->ncur) {
				th->cur[k] = NULL;
				th->cur_gen[k] = 0;
				th->cur_tag[k] = (struct ref_tag){ 0, 0 };
			}
		}
		for (int k = th->nheld; k < MDL_MAX_HELD; k++) {
			th->held[k] = NULL;
			th->held_cls[k] = 0;
		}
		canon_context(th);
		for (int k = th->nfrozen; k < 2; k++)
			th->frozen[k] = NULL;
		w->pvec_count[u] = s->pvec_count[t];
		memcpy(w->pvec[u], s->pvec[t], sizeof(w->pvec[u]));
		memcpy(w->pvec_kind[u], s->pvec_kind[t], sizeof(w->pvec_kind[u]));
		for (int k = s->pvec_count[t]; k < MDL_PVEC_SIZE; k++) {
			w->pvec[u][k] = NULL;
			w->pvec_kind[u][k] = 0;
		}
	}
	for (int i = 0; i < MDL_MAX_PAGES; i++) {
		const struct page *sp = &s->pages[i];
		struct page *p = &w->pages[i];
		p->freeze_tid = rename_tid(sigma, sp->freeze_tid);
		p->lock_tid = rename_tid(sigma, sp->lock_tid);
		p->wb_tid = rename_tid(sigma, sp->wb_tid);
		for (int k = 0; k < MDL_MAX_HOLDERS; k++) {
			struct ref_holder *h = &p->holders[k];
			if (k >= sp->nholders) {
				memset(h, 0, sizeof(*h));
				continue;
			}
			h->tid = (int16_t)rename_tid(sigma, sp->holders[k].tid);
			rename_tag(sigma, &h->tag);
			h->since = 0;
			/* insertion sort: a page has few holders */
			for (int j = k; j > 0 && holder_cmp(&p->holders[j - 1], &p->holders[j]) > 0; j--) {
				struct ref_holder x = p->holders[j];
				p->holders[j] = p->holders[j - 1];
				p->holders[j - 1] = x;
			}
		}
		_Static_assert(sizeof(p->dma_inflight) == MDL_MAX_THREADS, "one count per thread");
		for (int t = 0; t < MDL_MAX_THREADS; t++)
			p->dma_inflight[sigma[t]] = sp->dma_inflight[t];
	}
	return sizeof(*w);
}

/* program.thread_key of a scenario: thread @tid's record (name aside) and pagevec. */
uint64_t mdl_thread_key(void *ctx, int tid)
{
	struct {
		struct mdl_thread th;
		int pvec_count;
		struct page *pvec[MDL_PVEC_SIZE];
		unsigned char pvec_kind[MDL_PVEC_SIZE];
	} k;

	(void)ctx;
	memset(&k, 0, sizeof(k));
	k.th = mdl_world.threads[tid];
	memset(k.th.name, 0, sizeof(k.th.name));
	canon_context(&k.th);
	for (int c = 0; c < MDL_MAX_CUR; c++)
		k.th.cur_tag[c].owner = why_names_thread(k.th.cur_tag[c].why) ? 0 : k.th.cur_tag[c].owner;
	k.pvec_count = mdl_world.pvec_count[tid];
	memcpy(k.pvec, mdl_world.pvec[tid], sizeof(k.pvec));
	memcpy(k.pvec_kind, mdl_world.pvec_kind[tid], sizeof(k.pvec_kind));
	return XXH3_64bits(&k, sizeof(k));
}
