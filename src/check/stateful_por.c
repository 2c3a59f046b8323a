// SPDX-License-Identifier: MIT
/*
 * stateful_por.c - partial-order reduction of the explicit-state search.
 *
 * Sleep sets alone visit every reachable state.  With POR on (the default;
 * off under --no-por and under a preemption or depth bound) a fresh state
 * explores one thread first and adds others only where a race asks for
 * them: dynamic persistent sets (Flanagan and Godefroid, POPL 2005) made
 * stateful by summaries (after Yang, Chen, Gopalakrishnan and Kirby, SPIN
 * 2008):
 *
 *  1. At each fresh state, every live thread p's pending operation is
 *     checked against the path: each earlier event i on the same object
 *     that conflicts with it and does not happen before p's own last event
 *     is a race, reversed as in Source-DPOR (reverse() below: an initial of
 *     the reversal is asked for at state i unless one already is).
 *  2. A state reached again was explored under another path, so step 1 for
 *     the states below it ran against that path, not this one.  Each stored
 *     state keeps a summary: the set of (thread, object, access) of every
 *     pending operation met below it.  Reaching a stored state replays
 *     step 1 for each member of its summary against the current path, as if
 *     that operation came next.  Happens-before from events below the state
 *     is not known, so only the thread's own past orders it: more races, never
 *     fewer.
 *  3. Cycles: a state's summary is complete only once everything reachable
 *     from it is explored.  States of a strongly connected component whose
 *     root is still on the path (Tarjan's low links) are "pending"; they get
 *     the root's summary when it leaves.  Meeting a state on the path or a
 *     pending state again expands every state of the path fully: that is
 *     the cycle proviso (no transition is ignored around a cycle) and covers
 *     the races the incomplete summary would have named.
 *
 * Summaries are sets over interned operation keys, hash-consed: a stored
 * state holds a 32-bit id.
 */

#include <stdlib.h>
#include <xxhash.h>
#include <string.h>
#include "check/stateful_int.h"
#include "lib/bug.h"

struct por stateful_por;

/*
 * itab_lookup - the id whose key equals @key (hash @h), or -1; then *@at is
 * the slot to insert it at.  The table is first grown, rehashing ids
 * @first..@n-1, so that one more id fits at load 1/2.
 */
static int32_t itab_lookup(struct itab *t, uint64_t h, const void *key, itab_eq_fn eq,
			   int32_t first, int32_t n, itab_hash_fn hash, size_t *at)
{
	if ((size_t)(n + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 256;
		int32_t *ns = malloc(ncap * sizeof(*ns));
		if (!ns)
			pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
		memset(ns, 0xff, ncap * sizeof(*ns));
		for (int32_t id = first; id < n; id++) {
			size_t i = hash(id) & (ncap - 1);
			while (ns[i] >= 0)
				i = (i + 1) & (ncap - 1);
			ns[i] = id;
		}
		free(t->slot);
		t->slot = ns;
		t->cap = ncap;
	}
	size_t i = h & (t->cap - 1);
	for (; t->slot[i] >= 0; i = (i + 1) & (t->cap - 1))
		if (eq(t->slot[i], key))
			return t->slot[i];
	*at = i;
	return -1;
}


void *sf_por_grow(void *p, size_t *cap, size_t elem, size_t need)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(p, n * elem);
	if (!q)
		pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
	*cap = n;
	return q;
}

static uint64_t key_hash_of(const struct por_key *k)
{
	return mix64((uintptr_t)k->obj ^ ((uint64_t)(uint16_t)k->tid << 48) ^
		     ((uint64_t)k->acc << 56));
}

static uint64_t key_hash(int32_t id)
{
	return key_hash_of(&P.keys[id]);
}

static bool key_eq(int32_t id, const void *key)
{
	const struct por_key *a = &P.keys[id], *b = key;
	return a->obj == b->obj && a->tid == b->tid && a->acc == b->acc;
}

/* Id of operation key (@obj, @tid, @acc); widens the summary rows. */
static int32_t por_key(const void *obj, int tid, int acc)
{
	struct por_key k = { obj, (int16_t)tid, (uint8_t)acc };
	size_t at;
	int32_t id = itab_lookup(&P.ktab, key_hash_of(&k), &k, key_eq, 0, P.nkeys, key_hash,
				 &at);
	if (id >= 0)
		return id;
	id = P.nkeys++;
	P.keys = sf_por_grow(P.keys, &P.keys_cap, sizeof(*P.keys), (size_t)P.nkeys);
	P.keys[id] = k;
	P.ktab.slot[at] = id;
	if (id >= P.words * 64) {	/* widen every row of the path */
		int nw = P.words * 2;
		uint64_t *nr = calloc((size_t)(MAXEV + 2) * (size_t)nw, sizeof(*nr));
		if (!nr)
			pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
		for (int d = 0; d < MAXEV + 2; d++)
			memcpy(nr + (size_t)d * (size_t)nw, P.rows + (size_t)d * (size_t)P.words,
			       (size_t)P.words * sizeof(*nr));
		free(P.rows);
		P.rows = nr;
		P.words = nw;
	}
	return id;
}

size_t sf_por_bytes(void)
{
	if (!P.on)
		return 0;
	return P.keys_cap * sizeof(*P.keys) + (P.ktab.cap + P.stab.cap) * sizeof(int32_t) +
	       (size_t)(MAXEV + 2) * (size_t)P.words * sizeof(*P.rows) +
	       P.pool_cap * sizeof(*P.pool) + (P.off_cap + P.len_cap) * sizeof(uint32_t) +
	       (size_t)P.items_cap * sizeof(*P.items);
}

uint64_t *sf_row(int d)
{
	return P.rows + (size_t)d * (size_t)P.words;
}

/* A row trimmed of its trailing zero words (the key of a summary). */
struct sum_key {
	const uint64_t *w;
	uint32_t n;
};

static uint64_t sum_hash(int32_t id)
{
	return XXH3_64bits(P.pool + P.set_off[id], P.set_len[id] * sizeof(uint64_t));
}

static bool sum_eq(int32_t id, const void *key)
{
	const struct sum_key *k = key;
	return P.set_len[id] == k->n &&
	       !memcmp(P.pool + P.set_off[id], k->w, k->n * sizeof(uint64_t));
}

/* Summary id of the set in @w (P.words long; hash-consed; id 0 is the empty set). */
static uint32_t sum_intern_set(const uint64_t *w)
{
	struct sum_key k = { w, (uint32_t)P.words };
	while (k.n && !k.w[k.n - 1])
		k.n--;
	if (!k.n)
		return 0;
	size_t at;
	int32_t id = itab_lookup(&P.stab, XXH3_64bits(k.w, k.n * sizeof(uint64_t)), &k, sum_eq,
				 1, (int32_t)P.nsets, sum_hash, &at);
	if (id >= 0)
		return (uint32_t)id;
	id = (int32_t)P.nsets++;
	P.set_off = sf_por_grow(P.set_off, &P.off_cap, sizeof(uint32_t), P.nsets);
	P.set_len = sf_por_grow(P.set_len, &P.len_cap, sizeof(uint32_t), P.nsets);
	P.pool = sf_por_grow(P.pool, &P.pool_cap, sizeof(uint64_t), P.npool + k.n);
	P.set_off[id] = (uint32_t)P.npool;
	P.set_len[id] = k.n;
	memcpy(P.pool + P.npool, k.w, k.n * sizeof(uint64_t));
	P.npool += k.n;
	P.stab.slot[at] = id;
	return (uint32_t)id;
}

uint32_t sf_sum_intern(int d)
{
	return sum_intern_set(sf_row(d));
}

/* Row @d |= summary @id. */
void sf_sum_merge(int d, uint32_t id)
{
	uint64_t *r = sf_row(d);
	const uint64_t *s = P.pool + P.set_off[id];
	for (uint32_t k = 0; k < P.set_len[id]; k++)
		r[k] |= s[k];
}

/*
 * sym_obj - an object as a stored summary names it: a pointer into memory
 * that names a classed thread is renamed by @sg, like a word of the state
 * (3 in the symmetry comment); @back decodes such a name under @sg.
 */
static const void *sym_obj(const void *obj, const int *sg, bool back)
{
	uint64_t v = (uintptr_t)obj;
	if (!back)
		return (const void *)(uintptr_t)sf_sym_word(v, sg);
	uint64_t tag = v & ((uint64_t)0xFFFF << 48);
	if (tag != SYM_TAG && tag != SYM_TAG_ENG && tag != SYM_TAG_REC)
		return obj;
	int who = (int)((v >> 32) & 0xFFFF);
	for (int i = 0; i < S.nr; i++) {
		const struct sym_range *r = &S.r[i];
		if (r->tag == tag && sg[r->tid] == who)
			return (const void *)(r->hi - (v & 0xFFFFFFFF));
	}
	PVM_BUG();	/* a name no classed thread has */
}

/*
 * sf_sum_map - summary @id in thread ids under renaming @sg -> in canonical
 * ids (@back: the other way).  Stored states keep canonical summaries: a
 * state reached again through another renaming replays its summary with
 * the threads and objects it names there.
 */
uint32_t sf_sum_map(uint32_t id, const int8_t *sg, bool back)
{
	static int32_t *ks;
	static size_t kcap;
	static uint64_t *set;
	static size_t scap;
	size_t nk = 0;
	int sig[MAXT], inv[MAXT];

	if (!S.sym || id == 0)
		return id;
	for (int t = 0; t < MAXT; t++) {
		sig[t] = sg[t];
		inv[sg[t]] = t;
	}
	for (uint32_t w = 0; w < P.set_len[id]; w++) {
		for (uint64_t b = P.pool[P.set_off[id] + w]; b; b &= b - 1) {
			struct por_key k = P.keys[w * 64 + (uint32_t)__builtin_ctzll(b)];
			int tid = k.tid >= 0 && k.tid < MAXT ? (back ? inv[k.tid] : sig[k.tid]) : k.tid;
			ks = sf_por_grow(ks, &kcap, sizeof(*ks), nk + 1);
			ks[nk++] = por_key(sym_obj(k.obj, sig, back), tid, k.acc);
		}
	}
	set = sf_por_grow(set, &scap, sizeof(*set), (size_t)P.words);
	memset(set, 0, (size_t)P.words * sizeof(*set));
	for (size_t i = 0; i < nk; i++)
		set[ks[i] >> 6] |= 1ULL << (ks[i] & 63);
	return sum_intern_set(set);
}

void sf_por_init(bool on)
{
	memset(&P, 0, sizeof(P));
	P.on = on;
	P.words = 1;
	P.rows = calloc(MAXEV + 2, sizeof(uint64_t));
	if (!P.rows)
		pvm_bug("stateful POR: out of memory", __FILE__, __LINE__, __func__);
	P.nsets = 1;		/* id 0: the empty set */
	P.set_off = sf_por_grow(NULL, &P.off_cap, sizeof(uint32_t), 1024);
	P.set_len = sf_por_grow(NULL, &P.len_cap, sizeof(uint32_t), 1024);
	P.set_off[0] = 0;
	P.set_len[0] = 0;
}

void sf_por_free(void)
{
	free(P.keys);
	free(P.ktab.slot);
	free(P.rows);
	free(P.pool);
	free(P.set_off);
	free(P.set_len);
	free(P.stab.slot);
	free(P.items);
	memset(&P, 0, sizeof(P));
}

/* Explore every thread enabled at frame @i (a race whose reversal is not known). */
static void bt_all(int i)
{
	struct sf_frame *f = &S.frames[i];
	if (f->choice_t >= 0)
		return;
	f->bt |= f->en;
	f->todo |= f->en & ~f->sleep & ~f->picked;
}

/* Does @c (a clock) contain the event of path level @i? */
static bool hb_thread(int i, const uint32_t *c)
{
	return ev_in_clock(&E.ev[i], c);
}

/*
 * Does the event of path level @k conflict with access @acc to @obj, or,
 * when @op is given (a pending operation), with any access of @op (both
 * objects of a vis_also() step)?
 */
static bool conflicts(int k, const void *obj, int acc, const struct op *op)
{
	const struct op *e = &E.ev[k].op;
	if (op)
		return acc_conflict(hb_acc(op_acc_on(e, op->obj)), hb_acc(op->acc)) ||
		       (op->obj2 && acc_conflict(hb_acc(op_acc_on(e, op->obj2)), hb_acc(op->acc2)));
	return acc_conflict(hb_acc(op_acc_on(e, obj)), hb_acc(acc));
}

/*
 * reverse - the event of path level @i races with thread @p's pending
 * operation (object @obj, access @acc) after the path's @top events.  As in
 * Source-DPOR (Abdulla et al., POPL 2014): the reversal is v = the events
 * after @i that do not happen after it, then @p's operation; if no initial
 * of v (a thread whose first event in v has no happens-before predecessor
 * in v) is asked for at @i yet, ask for one: @p if it is, else the first.
 * A sleeping initial is asked for but not explored: later races see it as
 * covered only for its own reversals, so they still add theirs.  Events,
 * clocks and chains are hb.c's, as the path holds them (hb_rewind).
 */
static void reverse(int i, int p, const void *obj, int acc, const struct op *op, int top)
{
	static int32_t nd[MAXEV + 2];
	int n = 0;
	tset_t init = 0, seen = 0;
	for (int j = i + 1; j < top; j++) {
		const struct event *ej = &E.ev[j];
		if (hb_thread(i, ej->clock))
			continue;
		tset_t bit = TSET_BIT(ej->op.tid);
		if (!(seen & bit)) {
			bool first = true;
			for (int k = 0; k < n && first; k++)
				first = !hb_thread(nd[k], ej->clock);
			if (first)
				init |= bit;
		}
		seen |= bit;
		nd[n++] = j;
	}
	bool pinit = !(seen & TSET_BIT(p));
	const uint32_t *c = hb_thread_clock(p);
	for (int k = 0; k < n && pinit; k++)
		pinit = !hb_thread(nd[k], c) && !conflicts(nd[k], obj, acc, op);
	if (pinit)
		init |= TSET_BIT(p);
	struct sf_frame *f = &S.frames[i];
	if (f->choice_t >= 0 || !init || (init & (f->bt | f->picked)))
		return;
	int q = pinit ? p : sf_first(init);
	tset_t add = (f->en & TSET_BIT(q)) ? TSET_BIT(q) : f->en;
	f->bt |= add;
	f->todo |= add & ~f->sleep & ~f->picked;
}

/* A race of the operation in @arg with the event of path level @i. */
struct race_arg {
	int p;
	const void *obj;
	const struct op *op;	/* the whole pending operation, or NULL */
	int acc, top;
	bool exact;
};

static void race_at(int i, void *arg)
{
	const struct race_arg *r = arg;
	if (r->exact)
		reverse(i, r->p, r->obj, r->acc, r->op, r->top);
	else
		bt_all(i);
}

/*
 * race - step 1 above for an operation of thread @p on object @obj with
 * access @acc, after the path's @top events: every earlier conflicting
 * event that does not happen before @p (hb_path_conflicts, hb.c's one rule:
 * reads commute, and so do commuting adds) is reversed.  @exact: the events
 * between are on the path (a pending operation); otherwise (a summary
 * member, whose predecessors below the stored state are unknown) every
 * thread enabled at the racing state is explored.
 */
static void race(int p, const void *obj, int acc, const struct op *op, int top, bool exact)
{
	struct race_arg r = { p, obj, op, acc, top, exact };
	hb_path_conflicts(p, obj, acc, race_at, &r);
}

/* Step 1 at the fresh state on top of the path: pending ops, and row @d. */
void sf_races_pending(int d, tset_t live)
{
	uint64_t *r = sf_row(d);
	for (int p = 0; p < MAXT; p++) {
		if (!(live & TSET_BIT(p)))
			continue;
		struct op op = sched_pending_op(p);
		/* its accesses: the object it announced, and one vis_also() gave */
		for (int a = 0; a < 2; a++) {
			const void *obj = a ? op.obj2 : op.obj;
			int acc = a ? op.acc2 : op.acc;
			if (!obj || acc == ACC_NONE)
				continue;
			int32_t k = por_key(obj, p, acc);
			r = sf_row(d);		/* por_key may have widened the rows */
			r[k >> 6] |= 1ULL << (k & 63);
			race(p, obj, acc, &op, d, true);
		}
	}
}

/* Step 2: replay summary @id against the path's @top events. */
void sf_races_summary(uint32_t id, int top)
{
	const uint64_t *s = P.pool + P.set_off[id];
	for (uint32_t w = 0; w < P.set_len[id]; w++) {
		for (uint64_t b = s[w]; b; b &= b - 1) {
			const struct por_key *k = &P.keys[w * 64 + (uint32_t)__builtin_ctzll(b)];
			race(k->tid, k->obj, k->acc, NULL, top, false);
		}
	}
}

/* Step 3: every state of the path explores every enabled thread. */
void sf_expand_path(int d)
{
	for (int i = 0; i <= d; i++) {
		struct sf_frame *f = &S.frames[i];
		if (f->choice_t < 0)
			f->todo |= f->en & ~f->sleep & ~f->picked;
	}
}

