// SPDX-License-Identifier: MIT
/*
 * stateful_sym.c - the symmetry reduction of the explicit-state search
 * (--symmetry): canonical forms of a state under a renaming of identical
 * threads.
 */
#include <xxhash.h>
#include <stdlib.h>
#include <string.h>
#include "check/stateful_int.h"
#include "lib/bug.h"

/* ==== Symmetry ===========================================================
 *
 * With --symmetry, threads the program declares identical (same code, same
 * arguments: program.thread_class) are interchangeable: a state and the
 * state with two of them swapped have the same futures up to the swap, so
 * one stands for both (Emerson and Sistla; Ip and Dill).  A state is then
 * stored under the hash of a canonical form instead of its bytes:
 *
 *  1. Each classed thread gets a key: the hash of its record and stack
 *     (pointers into stacks relocated, see 3) and of its own part of the
 *     program state.  Within a class, threads are ranked by key (ties by
 *     id) and renamed: the k-th ranked gets the k-th smallest id of the
 *     class.  That renaming is sigma.
 *  2. The canonical form is the program state renamed by sigma (the
 *     program rewrites the thread ids it stores: program.canon_state), the
 *     threads' records and stacks in renamed order with join targets and
 *     lock owners renamed, and the preemption bookkeeping renamed.
 *  3. A word that points into the stack of a classed thread u becomes
 *     (tag, sigma[u], distance from the top): stacks live at fixed
 *     addresses per thread id, so the same frames of two threads differ
 *     in their self-pointers only.  Likewise a pointer into the engine's
 *     record of u, or into u's record in the program state
 *     (program.thread_record, e.g. the model's mdl_current()), which
 *     canon_state moves to sigma[u].  An integer that happens to equal
 *     such an address is rewritten too; a wrong merge needs one that
 *     equals a stack address in one state and the matching address of the
 *     renamed thread in the other.
 *  4. Two states with the same canonical form are renamings of each other,
 *     so exploring one covers the other.  The stored sleep set is kept in
 *     canonical names and mapped through sigma both ways; a cycle met
 *     through a renaming is still an infinite execution (repeat the
 *     renaming).  The reported traces are real executions: only identity
 *     of stored states changes.
 *
 * A poor ranking (equal keys) costs merges, never soundness.  The POR
 * summaries name threads and objects, so a stored state keeps its summary
 * renamed to canonical names (sf_sum_map()) and a revisit through another
 * renaming replays it under that renaming; pending states of an open
 * component keep the renaming they were met with.
 *
 * A program with canon_state is always hashed through it (no classes, the
 * identity renaming, when --symmetry is off): the program may leave out of
 * its canonical form what it never reads for a decision (the model: ghost
 * holders' order and age), which merges more states.
 */

/*
 * sf_sym_ranges - the memory that names each classed thread (3): its stack,
 * the engine's record of it, its record in the program state.  A thread's
 * class and these addresses depend on its id only, so they are listed once.
 */
void sf_sym_ranges(void)
{
	const struct program *pg = S.prog;
	S.nr = 0;
	S.rmin = UINTPTR_MAX;
	S.rmax = 0;
	for (int u = 0; u < MAXT; u++) {
		int c = pg->thread_class(pg->ctx, u);
		if (!c)
			continue;
		for (int rec = 0; rec < 3; rec++) {
			struct sym_range *r = &S.r[S.nr];
			if (rec < 2) {
				sched_thread_range(u, rec, &r->lo, &r->hi);
				r->tag = rec ? SYM_TAG_ENG : SYM_TAG;
			} else if (pg->thread_record) {
				pg->thread_record(pg->ctx, u, &r->lo, &r->hi);
				r->tag = SYM_TAG_REC;
			} else {
				continue;
			}
			r->tid = u;
			r->cls = c;
			if (r->lo < S.rmin)
				S.rmin = r->lo;
			if (r->hi > S.rmax)
				S.rmax = r->hi;
			S.nr++;
		}
	}
}

/* Rewrite the words of @buf that point into a classed thread's stack or records (3). */
void sf_sym_reloc(char *buf, size_t len, const int *sigma)
{
	uint64_t *w = (uint64_t *)(void *)buf;
	for (size_t k = 0; k < len / 8; k++)
		w[k] = sf_sym_word(w[k], sigma);
}

void sf_sym_room(size_t need)
{
	if (need <= S.ccap)
		return;
	free(S.cbuf);
	S.ccap = need * 2;
	if (posix_memalign((void **)&S.cbuf, 64, S.ccap))
		pvm_bug("stateful mode: no memory for the canonical form", __FILE__, __LINE__,
			__func__);
}

/* Hash the canonical form of the current state (1-3); sets S.sigma. */
void sf_sym_hash(uint64_t extra, uint64_t *lo, uint64_t *hi)
{
	const struct program *pg = S.prog;
	int n = E.nthreads, cls[MAXT], order[MAXT];
	uint64_t key[MAXT];
	tset_t classed = 0;

	sf_sym_room(pg->canon_size + sched_save_size() + 64);
	for (int t = 0; t < MAXT; t++) {
		S.sigma[t] = t;
		cls[t] = S.sym && t < n ? pg->thread_class(pg->ctx, t) : 0;
		if (cls[t])
			classed |= TSET_BIT(t);
	}
	for (int t = 0; t < n; t++) {
		if (!cls[t])
			continue;
		size_t l = sched_canon_thread(S.cbuf, t, cls, NULL);
		sf_sym_reloc(S.cbuf, l, NULL);
		key[t] = XXH3_64bits(S.cbuf, l) ^ mix64(pg->thread_key(pg->ctx, t));
	}
	tset_t left = classed;
	while (left) {
		int m[MAXT], r[MAXT], k = 0, c = cls[tset_first(left)];
		for (int t = 0; t < n; t++)
			if (cls[t] == c) {
				m[k] = t;
				/* insertion sort of the ranks by (key, id) */
				int j = k++;
				while (j > 0 && key[r[j - 1]] > key[t]) {
					r[j] = r[j - 1];
					j--;
				}
				r[j] = t;
				left &= ~TSET_BIT(t);
			}
		for (int i = 0; i < k; i++)
			S.sigma[r[i]] = m[i];
	}
	for (int t = 0; t < n; t++)
		order[S.sigma[t]] = t;

	char *p = S.cbuf;
	p += pg->canon_state(pg->ctx, S.sigma, classed, p);
	while ((uintptr_t)(p - S.cbuf) & 7)
		*p++ = 0;
	if (extra) {			/* sf_pre_key(): the previous thread is renamed */
		int prev = (int)(extra >> 32) - 1;
		if (prev >= 0 && prev < MAXT)
			extra = (uint64_t)(uint32_t)(S.sigma[prev] + 1) << 32 | (uint32_t)extra;
	}
	uint64_t hdr[2] = { (uint64_t)n, extra };
	memcpy(p, hdr, sizeof(hdr));
	p += sizeof(hdr);
	for (int c = 0; c < n; c++)
		p += sched_canon_thread(p, order[c], cls, S.sigma);
	p += sched_canon_locks(p, S.sigma);
	if (S.sym)	/* without classes nothing names a thread to relocate */
		sf_sym_reloc(S.cbuf, (size_t)(p - S.cbuf), S.sigma);
	XXH128_hash_t x = XXH3_128bits(S.cbuf, (size_t)(p - S.cbuf));
	*lo = x.low64 | (x.low64 == 0 && x.high64 == 0);
	*hi = x.high64;
}

/* A sleep mask in thread ids -> in canonical ids under @sg (@back: the inverse). */
tset_t sf_sym_mask(tset_t m, const int8_t *sg, bool back)
{
	tset_t r = 0;
	if (!S.sym)
		return m;
	for (int t = 0; t < MAXT; t++) {
		if (back) {
			if (m & TSET_BIT(sg[t]))
				r |= TSET_BIT(t);
		} else if (m & TSET_BIT(t)) {
			r |= TSET_BIT(sg[t]);
		}
	}
	return r;
}

