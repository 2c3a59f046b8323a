/* SPDX-License-Identifier: MIT */
/*
 * stateful_int.h - the layouts the explicit-state search shares between its
 * files: stateful.c (visited table, snapshots, findings, the search),
 * stateful_por.c (the partial-order reduction over the search path) and
 * stateful_sym.c (the symmetry reduction).  Private to those three.
 */
#ifndef PVM_CHECK_STATEFUL_INT_H
#define PVM_CHECK_STATEFUL_INT_H

#include <stddef.h>
#include <stdint.h>
#include <xxhash.h>
#if defined(__x86_64__) && defined(__has_include)
#if __has_include(<xxh_x86dispatch.h>)
/* libxxhash's AVX2/AVX-512 variants, picked at run time: the same hashes, faster */
#include <xxh_x86dispatch.h>
#endif
#endif
#include "check/sched.h"

#define SF_SCRUB	4096			/* stack bytes zeroed below sp before a step */
#define SF_MAX_REGIONS	(64 + 6 * MAXT)	/* runc: 5 per thread (load.c) */
#define SF_ARENA	((size_t)8 << 30)	/* virtual size of the path's snapshots */
#define SF_DEFAULT_MEM	((size_t)4 << 30)	/* default cap of the visited table */
#define SF_INF		0x3FFF			/* height: a cycle lies below */

/* One stored state (32 bytes). */
struct sf_entry {
	uint64_t lo, hi;	/* 128-bit hash; 0/0 is an empty slot */
	tset_t sleep;		/* threads asleep when it was (last) explored */
	uint32_t sum;		/* POR: summary id, or pending-item index if pending */
	uint16_t height : 14;	/* longest explored path below it */
	uint16_t onstack : 1;	/* on the current path */
	uint16_t pending : 1;	/* POR: in a strongly connected component still open */
};

_Static_assert(sizeof(struct sf_entry) == 32, "visited entries stay at 32 bytes");

/* A snapshot in the arena. */
struct sf_hdr {
	uint64_t len;		/* total bytes, this header included */
	uint64_t hash_len;	/* bytes after the header that are hashed */
	uint32_t nregions;
	uint32_t eng_off;	/* offset of the engine part from the header */
};

/* One level of the current path. */
struct sf_frame {
	size_t snap;		/* arena offset of this state's snapshot */
	uint64_t lo, hi;	/* its hash */
	tset_t en;		/* enabled threads */
	tset_t todo;		/* threads still to explore from here */
	tset_t sleep;
	int choice_t;		/* thread at a pending choice, or -1 */
	int nchoices, next_value;
	int cur;		/* the transition being explored */
	struct op cur_op;	/* what it executed */
	int prev, preempt;	/* preemption bound bookkeeping */
	uint16_t height;
	bool first;		/* memory still holds this state */
	tset_t picked;	/* threads whose transition from here was started */
	tset_t bt;		/* POR: threads asked for here (asleep ones included) */
	struct op sleep_op[MAXT];
	int32_t low;		/* Tarjan low link: shallowest path state it reaches */
	tset_t fair_step;	/* SF_FAIR_ANALYSE: threads stepping inside its open component */
	tset_t fair_off;	/* ...: threads disabled in one of the component's states */
	int32_t item_base;	/* pending items when it was entered */
	int8_t sigma[MAXT];	/* symmetry: the renaming its state was stored under */
	struct sf_entry *ent;	/* its visited entry, valid while ent_gen == S.tab_gen */
	uint32_t ent_gen;
};

struct sf {
	const struct program *prog;
	const struct explore_opts *opts;
	struct explore_result *res;

	char *arena;
	size_t top, peak_top;

	struct sf_entry *tab;
	size_t cap, count, max_cap;
	size_t mem;		/* --state-memory: the table and the POR's tables */
	int fair;		/* SF_FAIR_*: which pass of the fairness check (stateful_fair.c) */
	bool cycle_hit;		/* SF_FAIR_NONE: a cycle was reported */
	uint32_t tab_gen;	/* times the table moved (tab_grow) */

	struct sf_frame frames[MAXEV + 2];
	int sp;

	/* the state save() hashed last: its regions, key, snapshot written? */
	struct program_region R[SF_MAX_REGIONS];
	int nR;
	uint64_t extra;
	bool written;

	int step_bound, depth;
	bool stop;
	double next_check;

	/* canonical forms (program.canon_state) and symmetry (--symmetry) */
	bool canon, sym;
	int nr;			/* memory that names a classed thread (3 below) */
	struct sym_range {
		uintptr_t lo, hi;
		uint64_t tag;
		int tid, cls;
	} r[3 * MAXT];
	uintptr_t rmin, rmax;
	char *cbuf;		/* the canonical form of the state being saved */
	size_t ccap;
	int sigma[MAXT];	/* its renaming: thread t is canonical thread sigma[t] */
	int order[MAXT];	/* --random-order: the order threads are tried in */
};

extern struct sf stateful_sf;

/**
 * sf_first - the thread of @m tried first: the lowest id, or under
 * --random-order the first in the search's own permutation (drawn once
 * from the seed, so the search is deterministic).  Which thread goes first
 * changes which path reaches a state first, never which states are reached.
 * Context: the stateful search.
 * Return: a thread of @m (@m not empty).
 */
static inline int sf_first(tset_t m)
{
	if (!stateful_sf.opts->random_order)
		return tset_first(m);
	for (int k = 0; k < MAXT; k++)
		if (m & TSET_BIT(stateful_sf.order[k]))
			return stateful_sf.order[k];
	return tset_first(m);
}
#define S stateful_sf		/* the search (stateful.c) */

/* ==== Weak fairness of cycles (stateful_fair.c) ========================= */

enum {
	SF_FAIR_NONE,		/* the search asked for: a cycle is a finding */
	SF_FAIR_ANALYSE,	/* the whole graph, its components judged */
	SF_FAIR_DECIDE,		/* again: only a cycle into a fair component is one */
};

struct por_item;

/**
 * sf_item_open - frame @d's state (entry @e) is explored but its component's
 * root is still on the path: keep it as a pending item (Tarjan's stack),
 * its low link the frame's; the items above it that pointed at depth @d
 * now point at that low link.
 * Context: the search, as the frame leaves (the POR's summaries, fairness).
 * Return: the item (its summary id 0: the caller sets it).
 */
struct por_item *sf_item_open(int d, struct sf_entry *e);

/**
 * sf_tab_find - the visited entry of hash @lo/@hi, or NULL.
 * Context: the search.
 */
struct sf_entry *sf_tab_find(uint64_t lo, uint64_t hi);

/**
 * sf_fair_leave - SF_FAIR_ANALYSE: the state of frame @d (entry @e) is
 * explored.  Keeps it as an item while its component is open; at the
 * component's root, judges the component and keeps its states if it holds
 * a weakly fair cycle.
 * Context: the search, as the frame leaves.
 */
void sf_fair_leave(int d, struct sf_entry *e);

/**
 * sf_fair_join - SF_FAIR_ANALYSE: frame @d+1 left; if its state stays in
 * the component of frame @d, the tree edge and what the child's part of
 * the component accumulated join frame @d's.
 * Context: the search, after sf_fair_leave() of frame @d+1.
 */
void sf_fair_join(int d);

/**
 * sf_fair_state - is the state of hash @lo/@hi in a fair component found
 * by the last SF_FAIR_ANALYSE pass?
 * Context: SF_FAIR_DECIDE.
 */
bool sf_fair_state(uint64_t lo, uint64_t hi);

/** sf_fair_count - Return: states kept in fair components. */
size_t sf_fair_count(void);

/** sf_fair_free - forget the fair components (stateful_run(), at its end). */
void sf_fair_free(void);

/* ==== The symmetry reduction (stateful_sym.c) ============================ */

/* Tags of a word that pointed into a classed thread's memory (stateful_sym.c, 3). */
#define SYM_TAG		((uint64_t)0x5359 << 48)	/* into a stack */
#define SYM_TAG_REC	((uint64_t)0x5352 << 48)	/* into a thread record */
#define SYM_TAG_ENG	((uint64_t)0x5345 << 48)	/* into the engine's record */

/* A word that names a classed thread, renamed by @sigma (NULL: by its class). */
static inline uint64_t sf_sym_word(uint64_t v, const int *sigma)
{
	if (v < S.rmin || v >= S.rmax)
		return v;
	for (int i = 0; i < S.nr; i++) {
		const struct sym_range *r = &S.r[i];
		if (v < r->lo || v >= r->hi)
			continue;
		uint64_t who = sigma ? (uint64_t)sigma[r->tid] : 0x100 + (uint64_t)r->cls;
		return r->tag | who << 32 | (r->hi - v);
	}
	return v;
}

/**
 * sf_sym_ranges - list the memory that names each classed thread.
 * Context: stateful_run(), once, with --symmetry.
 */
void sf_sym_ranges(void);

/**
 * sf_sym_room - make the canonical-form buffer S.cbuf hold @need bytes.
 * Context: the search.
 */
void sf_sym_room(size_t need);

/**
 * sf_sym_reloc - rewrite the words of @buf[0..@len) that point into a
 * classed thread's memory, renamed by @sigma (NULL: by class).
 * Context: the search.
 */
void sf_sym_reloc(char *buf, size_t len, const int *sigma);

/**
 * sf_sym_hash - the 128-bit hash of the state in memory in canonical form
 * (S.sigma is set to its renaming); @extra: the preemption key (sf_pre_key).
 * Context: the search, between steps.
 */
void sf_sym_hash(uint64_t extra, uint64_t *lo, uint64_t *hi);

/**
 * sf_sym_mask - thread set @m renamed by @sg (@back: the inverse renaming).
 * Context: the search.
 * Return: the renamed set.
 */
tset_t sf_sym_mask(tset_t m, const int8_t *sg, bool back);

/* ==== The partial-order reduction (stateful_por.c) ====================== */

struct por_key {
	const void *obj;
	int16_t tid;
	uint8_t acc;
};

struct por_item {		/* a pending state (Tarjan's stack) */
	uint64_t lo, hi;
	int32_t low;
	uint32_t sum;		/* summary so far, in thread ids of the path */
	int8_t sigma[MAXT];	/* symmetry: its renaming on the path */
};

/*
 * An open-addressing table of ids (-1: an empty slot).  The ids name
 * entries of arrays kept by the caller, which also says how an id hashes
 * and whether it names a key: operation keys and summaries are
 * all interned through it.
 */
struct itab {
	int32_t *slot;
	size_t cap;
};

typedef uint64_t (*itab_hash_fn)(int32_t id);
typedef bool (*itab_eq_fn)(int32_t id, const void *key);

struct por {
	bool on;
	/* operation keys: (object, thread, access) -> id */
	struct por_key *keys;
	size_t keys_cap;
	struct itab ktab;
	int nkeys;
	/* summaries: one bit row per path level, and the hash-consed sets */
	uint64_t *rows;
	int words;
	uint64_t *pool;
	size_t npool, pool_cap;
	uint32_t *set_off, *set_len;
	size_t off_cap, len_cap;
	uint32_t nsets;
	struct itab stab;
	struct por_item *items;
	int32_t nitems, items_cap;
};

extern struct por stateful_por;
#define P stateful_por		/* its tables (stateful_por.c) */

/**
 * sf_por_grow - grow array @p of @elem-byte entries (capacity *@cap) to hold
 * @need; dies on out of memory.
 * Context: the search.
 * Return: the array.
 */
void *sf_por_grow(void *p, size_t *cap, size_t elem, size_t need);

/**
 * sf_por_bytes - the memory the POR's tables hold now: operation keys,
 * the path's summary rows, the hash-consed sets and the pending items.
 * --state-memory caps them with the visited table (stateful.c).
 * Context: the search.
 * Return: bytes allocated (capacities, not use), 0 with the POR off.
 */
size_t sf_por_bytes(void);

/**
 * sf_row - the summary row (bits over operation keys) of path level @d.
 * Context: the search.
 * Return: its words.
 */
uint64_t *sf_row(int d);

/**
 * sf_sum_intern - the hash-consed id of the summary of row @d.
 * Context: the search.
 * Return: the id.
 */
uint32_t sf_sum_intern(int d);

/**
 * sf_sum_merge - add summary @id to the row of path level @d.
 * Context: the search.
 */
void sf_sum_merge(int d, uint32_t id);

/**
 * sf_sum_map - summary @id renamed by @sg (@back: the inverse renaming).
 * Context: the search.
 * Return: the renamed summary's id.
 */
uint32_t sf_sum_map(uint32_t id, const int8_t *sg, bool back);

/**
 * sf_por_init - set up the reduction's tables, @on: whether it applies.
 * Context: stateful_run().
 */
void sf_por_init(bool on);

/**
 * sf_por_free - release the reduction's tables.
 * Context: stateful_run(), at its end.
 */
void sf_por_free(void);

/**
 * sf_races_pending - step 1 at the fresh state on level @d: the pending
 * operations of the threads of @live against the path.
 * Context: the search.
 */
void sf_races_pending(int d, tset_t live);

/**
 * sf_races_summary - step 2: replay summary @id against the path's @top
 * events.
 * Context: the search, at a revisit.
 */
void sf_races_summary(uint32_t id, int top);

/**
 * sf_expand_path - step 3: every state of the path up to level @d explores
 * every enabled thread.
 * Context: the search, at a cycle or an open component.
 */
void sf_expand_path(int d);

/* ==== The search (stateful.c) ============================================ */

/**
 * sf_cut - the search is incomplete, cut by @why.
 * Context: the search.
 */
void sf_cut(const char *why);

/**
 * sf_pre_key - the preemption bookkeeping that is part of a state's
 * identity: thread @prev ran last, @preempt preemptions so far.
 * Context: the search.
 * Return: the key.
 */
uint64_t sf_pre_key(int prev, int preempt);

#endif /* PVM_CHECK_STATEFUL_INT_H */
