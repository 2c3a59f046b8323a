// SPDX-License-Identifier: MIT
/*
 * world_sym.c - the world as the stateful search's symmetry reduction sees
 * it (--symmetry): the canonical form of the world under a renaming of the
 * thread ids (program.canon_state) and a thread's own key
 * (program.thread_key); and what the stateful search saves of it
 * (mdl_program).  Moved from world.c; it reads mdl_world only.
 */
#include <stddef.h>
#include <string.h>
#include <xxhash.h>
#include "check/explore.h"
#include "model/model.h"
#include "model/world.h"

/*
 * Does a holder tag of kind @why name a thread (its owner a thread id)?
 * ref_thread() owners, and REF_PVEC's cpu, which is a thread's number.
 */
static bool why_names_thread(int why)
{
	return ref_owned_by_thread(why) || why == REF_PVEC;
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
 * Counters the model reads only against a copy it took (issue 20: they
 * split states that behave alike).  page->version is bumped at every write
 * of the page and read only by page_pred_changed(): has it moved since the
 * thread's failed attempt (retry_version)?  lru_drain_seq is bumped at each
 * drain and read only by the piggyback check: has it moved since the
 * thread's read (drain_seq, while in_drain)?  Both only grow, so "moved"
 * stays true once true, and a state is determined by those two answers,
 * not by the values: the form keeps each thread's answers and writes 0
 * for the counters (the world's are zeroed with the page and below).
 */
static void canon_retry(struct mdl_thread *th)
{
	th->retry_version = th->retry_page && th->retry_page->version != th->retry_version;
	th->drain_seq = th->in_drain && mdl_world.lru_drain_seq != th->drain_seq;
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
 * mdl_world_canon_threads - program.canon_state of a scenario with
 * @nthreads threads (the initial one included): the world as the stateful
 * search identifies it, with every thread id renamed by @sigma.
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
 *
 * Left out too, because they never change: the records of threads
 * @nthreads and up.  A record is written only by its own thread
 * (mdl_current(), kernel_frame_push(): vis_self()), and those threads never
 * run, so every state holds their reset values; @sigma renames only
 * threads below @nthreads.  The form is the world's bytes before the
 * records, the @nthreads records, then the bytes after them: it costs and
 * hashes what a scenario uses (a 16-thread array of 1.5 KiB records is
 * most of the world) and still tells apart any two states that differ.
 * Context: scheduler, between steps.  Return: the bytes written (at most
 * sizeof(struct world)).
 */
size_t mdl_world_canon_threads(int nthreads, const int *sigma, uint64_t classed, void *buf)
{
	const struct world *s = &mdl_world;
	char *o = buf;
	const size_t hoff = offsetof(struct page, holders);
	const size_t toff = offsetof(struct page, freeze_tid);
	const size_t mid = offsetof(struct world, frames), head = offsetof(struct world, threads);
	const size_t tail = offsetof(struct world, knob);

	_Static_assert(offsetof(struct world, frames) == sizeof(s->pages) &&
		       offsetof(struct page, freeze_tid) ==
		       offsetof(struct page, holders) + sizeof(s->pages[0].holders) &&
		       offsetof(struct world, knob) ==
		       offsetof(struct world, threads) + sizeof(s->threads),
		       "pages, then the rest, then the thread records: the form cuts them so");
	/* each page without its dead holder slots: its count says how many follow */
	for (int i = 0; i < MDL_MAX_PAGES; i++) {
		const struct page *sp = &s->pages[i];
		struct ref_holder *hd = (struct ref_holder *)(void *)(o + hoff);
		struct page pg;
		int nh = sp->nholders;

		memcpy(o, sp, hoff);
		/* the version only grows: canon_retry() keeps what is read of it */
		((struct page *)(void *)o)->version = 0;
		memcpy(hd, sp->holders, (size_t)nh * sizeof(*hd));
		for (int k = 0; k < nh; k++) {
			struct ref_holder *h = &hd[k];
			h->tid = (int16_t)rename_tid(sigma, sp->holders[k].tid);
			rename_tag(sigma, &h->tag);
			h->since = 0;
			/* insertion sort: a page has few holders */
			for (int j = k; j > 0 && holder_cmp(&hd[j - 1], &hd[j]) > 0; j--) {
				struct ref_holder x = hd[j];
				hd[j] = hd[j - 1];
				hd[j - 1] = x;
			}
		}
		o += hoff + (size_t)nh * sizeof(*hd);
		memcpy((char *)&pg + toff, (const char *)sp + toff, sizeof(pg) - toff);
		pg.freeze_tid = rename_tid(sigma, sp->freeze_tid);
		if (sp->freeze_tid < 0)		/* read only while frozen */
			pg.freeze_count = pg.freeze_steps = 0;
		pg.lock_tid = rename_tid(sigma, sp->lock_tid);
		pg.wb_tid = rename_tid(sigma, sp->wb_tid);
		_Static_assert(sizeof(pg.dma_inflight) == MDL_MAX_THREADS, "one count per thread");
		for (int t = 0; t < MDL_MAX_THREADS; t++)
			pg.dma_inflight[sigma[t]] = sp->dma_inflight[t];
		memcpy(o, (const char *)&pg + toff, sizeof(pg) - toff);
		o += sizeof(pg) - toff;
	}
	/* frames to the free list as they are, the pagevecs moved to their new CPU */
	char *m = o;
	memcpy(m, (const char *)s + mid, head - mid);
#define CANON_AT(field) ((void *)(m + offsetof(struct world, field) - mid))
	int *pvec_count = CANON_AT(pvec_count);
	struct page *(*pvec)[MDL_PVEC_SIZE] = CANON_AT(pvec);
	unsigned char (*pvec_kind)[MDL_PVEC_SIZE] = CANON_AT(pvec_kind);
	unsigned int *drain_seq = CANON_AT(lru_drain_seq);
#undef CANON_AT
	*drain_seq = 0;		/* canon_retry() keeps what is read of it */
	for (int t = 0; t < MDL_MAX_THREADS; t++) {
		int u = sigma[t];
		pvec_count[u] = s->pvec_count[t];
		memcpy(pvec[u], s->pvec[t], sizeof(pvec[u]));
		memcpy(pvec_kind[u], s->pvec_kind[t], sizeof(pvec_kind[u]));
		for (int k = s->pvec_count[t]; k < MDL_PVEC_SIZE; k++) {
			pvec[u][k] = NULL;
			pvec_kind[u][k] = 0;
		}
	}
	o += head - mid;
	/* the records of the threads the scenario has, at their new ids */
	struct mdl_thread *rec = (struct mdl_thread *)(void *)o;
	for (int t = 0; t < nthreads; t++) {
		struct mdl_thread *th = &rec[sigma[t]];
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
		canon_retry(th);
		canon_context(th);
		for (int k = th->nfrozen; k < 2; k++)
			th->frozen[k] = NULL;
	}
	o += (size_t)nthreads * sizeof(*rec);
	memcpy(o, (const char *)s + tail, sizeof(*s) - tail);
	o += sizeof(*s) - tail;
	return (size_t)(o - (char *)buf);
}

/* program.canon_state over every thread record (tests/unit): see above. */
size_t mdl_world_canon(void *ctx, const int *sigma, uint64_t classed, void *buf)
{
	(void)ctx;
	return mdl_world_canon_threads(MDL_MAX_THREADS, sigma, classed, buf);
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
	canon_retry(&k.th);
	canon_context(&k.th);
	for (int c = 0; c < MDL_MAX_CUR; c++)
		k.th.cur_tag[c].owner = why_names_thread(k.th.cur_tag[c].why) ? 0 : k.th.cur_tag[c].owner;
	k.pvec_count = mdl_world.pvec_count[tid];
	memcpy(k.pvec, mdl_world.pvec[tid], sizeof(k.pvec));
	memcpy(k.pvec_kind, mdl_world.pvec_kind[tid], sizeof(k.pvec_kind));
	return XXH3_64bits(&k, sizeof(k));
}

/* The threads of the scenario explored (mdl_program): the initial thread and its own. */
static int world_threads = MDL_MAX_THREADS;

/*
 * program.state_regions (stateful mode): the model's shared state is its
 * world, but for the records of threads the scenario does not have (the
 * initial thread and one per scenario thread run): those never change
 * (mdl_world_canon_threads() says why), so a snapshot neither keeps nor
 * restores them.
 * Context: the stateful search, between steps.  Return: the regions (2).
 */
static int world_state_regions(void *ctx, struct program_region *r, int max)
{
	char *lo = (char *)&mdl_world, *rec = (char *)&mdl_world.threads[world_threads];
	char *end = (char *)&mdl_world.threads[MDL_MAX_THREADS];

	(void)ctx;
	if (max < 2)
		return -1;
	r[0] = (struct program_region){ lo, (size_t)(rec - lo), false };
	r[1] = (struct program_region){ end, (size_t)(lo + sizeof(mdl_world) - end), false };
	return 2;
}

/* program.canon_state: the world over the scenario's threads (above). */
static size_t world_canon_state(void *ctx, const int *sigma, uint64_t classed, void *buf)
{
	(void)ctx;
	return mdl_world_canon_threads(world_threads, sigma, classed, buf);
}

/* program.thread_record: a thread's record is its mdl_world.threads[] entry. */
static void world_thread_record(void *ctx, int tid, uintptr_t *lo, uintptr_t *hi)
{
	(void)ctx;
	*lo = (uintptr_t)&mdl_world.threads[tid];
	*hi = *lo + sizeof(mdl_world.threads[tid]);
}

void mdl_program(struct program *prog, int nthreads)
{
	world_threads = 1 + nthreads;
	prog->reset = mdl_reset;
	prog->at_exit = mdl_at_exit;
	prog->no_progress_class = mdl_no_progress_class;
	prog->after_step = mdl_after_step;
	prog->state_regions = world_state_regions;
	prog->thread_record = world_thread_record;
	prog->canon_size = sizeof(mdl_world);
	prog->canon_state = world_canon_state;
	prog->thread_key = mdl_thread_key;
}

bool mdl_pvec_declared(int cpu)
{
	return cpu >= 0 && cpu < MDL_NR_CPUS && mdl_world.pvec_count[cpu] > 0;
}
