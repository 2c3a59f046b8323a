// SPDX-License-Identifier: MIT
/*
 * race.c - optional data-race detection on plain (non-atomic) accesses.
 *
 * Plain accesses are not scheduling points, so the explorer never
 * interleaves them; what it does explore is every order of the visible
 * operations (atomics, locks, spawn, join) around them.  A data race is two
 * plain accesses to the same location by different threads, at least one
 * a write, not ordered by happens-before.  Happens-before here is program
 * order plus synchronisation through the visible operations, tracked with
 * vector clocks (the DJIT+/FastTrack scheme):
 *
 *   - every atomic operation is treated as seq_cst: a store or RMW
 *     releases into the object's clock, a load or RMW acquires from it
 *     (so relaxed-order races are not reported: no false positive);
 *   - unlock releases into the lock's clock, lock acquires from it; a
 *     condition-variable wake, sem_wait and pthread_once acquire what the
 *     signal, sem_post or the initialiser released;
 *   - a new thread starts with its creator's clock; join acquires the
 *     joined thread's final clock.
 *
 * Shadow memory keeps, per accessed address (exact address: accesses of
 * other sizes that overlap partially are different locations, which can
 * miss a race but never invent one), the epoch of the last write and of the
 * last read by each thread.  Since DPOR explores every happens-before class
 * of the visible operations, a race between two plain accesses shows in
 * some explored execution as two unordered accesses.  The first race ends
 * the execution as the finding "data-race".
 *
 * Off by default (runc_races); when off, each plain-access callback costs a
 * load and a branch.  Tables are reset per execution by a generation bump.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "runc/runc_int.h"

#define NT		EXPLORE_MAX_THREADS
#define SYNC_SLOTS	4096		/* sync objects per execution */
#define SHADOW_SLOTS	(1u << 16)	/* plain locations per execution */

bool runc_races;

struct vclock {
	uint32_t c[NT];
};

struct sync_ent {
	const void *obj;
	uint32_t gen;
	struct vclock vc;
};

struct shadow_ent {
	const void *addr;
	uint32_t gen;
	uint32_t w_clock;		/* last write: clock of thread w_tid */
	int8_t w_tid;			/* -1: none */
	uintptr_t w_pc;
	uint32_t r_clock[NT];		/* last read by each thread (0: none) */
	uintptr_t r_pc[NT];
};

static struct vclock clocks[NT];	/* each thread's clock */
static struct sync_ent *syncs;
static struct shadow_ent *shadow;
/*
 * While a trace is recorded: the step (vis_step_index) of each shadow
 * entry's last write (slot NT) and last read by each thread, so that a
 * race report can mark the earlier access's step.  Apart from the shadow
 * (only the replay of a counterexample writes it) and allocated then.
 */
static int32_t (*steps)[NT + 1];
static uint32_t gen = 1;
static bool full_warned;

/* Hash of an address into a table of @slots entries (a power of two). */
static inline size_t slot_of(const void *p, size_t slots)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 32) & (slots - 1);
}

static inline void vc_join(struct vclock *dst, const struct vclock *src)
{
	for (int i = 0; i < NT; i++)
		if (src->c[i] > dst->c[i])
			dst->c[i] = src->c[i];
}

/* The clock of sync object @obj in this execution, or NULL if full. */
static struct vclock *sync_vc(const void *obj, bool create)
{
	size_t i = slot_of(obj, SYNC_SLOTS);
	for (size_t n = 0; n < SYNC_SLOTS; n++, i = (i + 1) & (SYNC_SLOTS - 1)) {
		struct sync_ent *e = &syncs[i];
		if (e->gen != gen) {
			if (!create)
				return NULL;
			e->gen = gen;
			e->obj = obj;
			memset(&e->vc, 0, sizeof(e->vc));
			return &e->vc;
		}
		if (e->obj == obj)
			return &e->vc;
	}
	return NULL;
}

/**
 * runc_race_reset - forget the previous execution (called by runc_rt_reset).
 * Return: 0, or -1 if the tables cannot be allocated (detection then off).
 */
int runc_race_reset(void)
{
	if (!runc_races)
		return 0;
	if (!syncs) {
		syncs = calloc(SYNC_SLOTS, sizeof(*syncs));
		shadow = calloc(SHADOW_SLOTS, sizeof(*shadow));
		if (!syncs || !shadow) {
			free(syncs);
			free(shadow);
			syncs = NULL;
			shadow = NULL;
			runc_races = false;
			return -1;
		}
	}
	if (++gen == 0) {		/* wrapped: really clear */
		memset(syncs, 0, SYNC_SLOTS * sizeof(*syncs));
		memset(shadow, 0, SHADOW_SLOTS * sizeof(*shadow));
		gen = 1;
	}
	memset(clocks, 0, sizeof(clocks));
	for (int t = 0; t < NT; t++)
		clocks[t].c[t] = 1;
	return 0;
}

/** runc_race_free - release the tables (runc_release). */
void runc_race_free(void)
{
	free(syncs);
	free(shadow);
	free(steps);
	syncs = NULL;
	shadow = NULL;
	steps = NULL;
}

/**
 * runc_race_acquire - the calling thread acquires what was released into @obj.
 * Context: program thread, after the visible operation on @obj.
 */
void runc_race_acquire(const void *obj)
{
	struct vclock *vc = sync_vc(obj, false);
	if (vc)
		vc_join(&clocks[vis_self()], vc);
}

/**
 * runc_race_release - the calling thread releases its clock into @obj.
 * Context: program thread, after the visible operation on @obj.
 */
void runc_race_release(const void *obj)
{
	int t = vis_self();
	struct vclock *vc = sync_vc(obj, true);
	if (vc)
		vc_join(vc, &clocks[t]);
	clocks[t].c[t]++;
}

/**
 * runc_race_thread_start - a new thread @child inherits @parent's clock.
 * Context: the child's first code, while the parent is in pthread_create.
 */
void runc_race_thread_start(int parent, int child)
{
	if (parent < 0 || parent >= NT || child < 0 || child >= NT)
		return;
	vc_join(&clocks[child], &clocks[parent]);
	clocks[child].c[child]++;
	clocks[parent].c[parent]++;
}

/** runc_race_join - the caller acquires thread @child's final clock. */
void runc_race_join(int child)
{
	if (child >= 0 && child < NT)
		vc_join(&clocks[vis_self()], &clocks[child]);
}

/* Describe @addr: a variable of the program if it is one. */
static void describe(const void *addr, char *buf, size_t len)
{
	Dl_info di;
	if (runc_data_name(addr, buf, len))
		return;
	if (dladdr(addr, &di) && di.dli_sname && di.dli_saddr) {
		size_t off = (size_t)((const char *)addr - (const char *)di.dli_saddr);
		if (off)
			snprintf(buf, len, "`%s'+%zu", di.dli_sname, off);
		else
			snprintf(buf, len, "`%s'", di.dli_sname);
	} else {
		snprintf(buf, len, "%p", addr);
	}
}

/*
 * Report the race between the current access and thread @u's earlier one
 * at @upc, in step @ustep of the trace (-1: unknown): the message names
 * both accesses, earlier first, with their threads as the report's
 * columns name them, and the report marks the earlier one's step.
 */
_Noreturn static void report(const void *addr, bool write, uintptr_t pc, int u, bool uwrite,
			     uintptr_t upc, int ustep)
{
	char what[96], me[48], other[48];
	struct vis_site here = runc_site(pc, write ? "plain write" : "plain read");
	struct vis_site there = runc_site(upc, uwrite ? "plain write" : "plain read");
	describe(addr, what, sizeof(what));
	vis_finding_pair(u, ustep, there);
	vis_fail("data-race", here,
		 "data race on %s: plain %s by %s at %s:%d and plain %s by %s at %s:%d, "
		 "unordered", what, uwrite ? "write" : "read",
		 vis_thread_label(u, other, sizeof(other)), there.file, there.line,
		 write ? "write" : "read", vis_thread_label(vis_self(), me, sizeof(me)),
		 here.file, here.line);
}

/* Remember which step of the recorded trace did access @slot (@who: a reader, or NT). */
static void note_step(size_t slot, int who)
{
	if (__builtin_expect(!vis_recording(), 1))
		return;
	if (!steps && !(steps = calloc(SHADOW_SLOTS, sizeof(*steps))))
		return;
	steps[slot][who] = vis_step_index();
}

/* The step that did the access remembered by note_step(), or -1. */
static int step_of(size_t slot, int who)
{
	return steps && vis_recording() ? steps[slot][who] : -1;
}

/**
 * runc_race_access - check a plain access of the calling thread.
 * @addr: the location.
 * @write: a write (else a read).
 * @pc: return address of the instrumentation call (in the program).
 *
 * Context: program thread, from a __tsan_read or __tsan_write callback.
 */
void runc_race_access(const void *addr, bool write, uintptr_t pc)
{
	int t = vis_self();
	if (t < 0 || !shadow)
		return;
	const struct vclock *me = &clocks[t];
	size_t i = slot_of(addr, SHADOW_SLOTS);
	struct shadow_ent *e = NULL;
	for (size_t n = 0; n < 64; n++, i = (i + 1) & (SHADOW_SLOTS - 1)) {
		struct shadow_ent *s = &shadow[i];
		if (s->gen != gen) {
			s->gen = gen;
			s->addr = addr;
			s->w_tid = -1;
			memset(s->r_clock, 0, sizeof(s->r_clock));
			e = s;
			break;
		}
		if (s->addr == addr) {
			e = s;
			break;
		}
	}
	if (!e) {
		if (!full_warned) {
			full_warned = true;
			fprintf(stderr, "pvcheck: data-race shadow table full; "
				"some accesses are not checked\n");
		}
		return;
	}
	size_t slot = (size_t)(e - shadow);
	/* a write or read after another thread's unordered write */
	if (e->w_tid >= 0 && e->w_tid != t && e->w_clock > me->c[e->w_tid])
		report(addr, write, pc, e->w_tid, true, e->w_pc, step_of(slot, NT));
	if (write) {
		for (int u = 0; u < NT; u++)
			if (u != t && e->r_clock[u] && e->r_clock[u] > me->c[u])
				report(addr, true, pc, u, false, e->r_pc[u], step_of(slot, u));
		/* every read was ordered before this write: it covers them */
		memset(e->r_clock, 0, sizeof(e->r_clock));
		e->w_tid = (int8_t)t;
		e->w_clock = me->c[t];
		e->w_pc = pc;
		note_step(slot, NT);
	} else {
		e->r_clock[t] = me->c[t];
		e->r_pc[t] = pc;
		note_step(slot, t);
	}
}
