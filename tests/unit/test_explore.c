// SPDX-License-Identifier: MIT
/*
 * test_explore.c - the engine on small programs with known answers, and
 * optimal DPOR cross-checked against the brute-force enumerator: the number
 * of executions must equal the number of distinct Mazurkiewicz traces, and
 * both must reach the same set of final states.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "check/explore.h"
#include "tap.h"
#include "brute.h"
#include "programs.h"

/* ==== inc(N, K) (programs.h) ==== */
static void inc_reset(void *ctx)
{
	counter = 0;
}

static uint64_t multinomial(int n, int k)
{
	/* (n k)! / (k!)^n, exact for the small sizes used here */
	uint64_t r = 1;
	int total = 0;
	for (int i = 0; i < n; i++) {
		for (int j = 1; j <= k; j++) {
			total++;
			r = r * (uint64_t)total / (uint64_t)j;
		}
	}
	return r;
}

static void test_inc(int n, int k, enum explore_mode mode)
{
	struct program p = { .name = "inc", .reset = inc_reset, .main = inc_main };
	struct explore_opts o;
	struct explore_result r;
	explore_opts_defaults(&o);
	o.mode = mode;
	nthreads = n;
	kincs = k;
	explore_any(&p, &o, &r);
	tap_ok(r.verdict == VERDICT_SAFE && r.complete && r.executions == multinomial(n, k),
	       "inc(%d,%d) %s: %llu executions, expected %llu (%s)", n, k,
	       mode == EXPLORE_BRUTE ? "brute" : "dpor",
	       (unsigned long long)r.executions, (unsigned long long)multinomial(n, k),
	       explore_verdict_name(r.verdict));
	explore_result_free(&r);
}

/* ==== disjoint variables ==== */
static int vars[8];

static void disjoint_thread(void *arg)
{
	int *v = arg;
	for (int k = 0; k < 3; k++) {
		VIS_WRITE(v, "store");
		*v += 1;
	}
}

static void disjoint_main(void *arg)
{
	for (int i = 0; i < 4; i++)
		vis_spawn(disjoint_thread, &vars[i], NULL, VIS_SITE("spawn"));
}


/* ==== lock-protected counter and ABBA ==== */
static void locked_inc(void *arg)
{
	vis_lock(&lock_a, false, VIS_SITE("pthread_mutex_lock"));
	VIS_READ(&counter, "load");
	int c = counter;
	VIS_WRITE(&counter, "store");
	counter = c + 1;
	vis_unlock(&lock_a, VIS_SITE("pthread_mutex_unlock"));
}

static void locked_main(void *arg)
{
	spawn_two(locked_inc);
	VIS_READ(&counter, "load");
	if (counter != 2)
		vis_fail("assert", VIS_SITE("main"), "lost update: counter %d", counter);
}

/* ==== waits: a bounded spin becomes a blocked thread ==== */
static int flag;

static bool flag_set(const void *arg)
{
	return flag != 0;
}

static void spinner(void *arg)
{
	vis_wait(&flag, false, flag_set, NULL, VIS_SITE("while (!flag)"));
	VIS_READ(&counter, "load");
	if (counter != 1)
		vis_fail("assert", VIS_SITE("spinner"), "saw flag before data");
}

static void setter(void *arg)
{
	VIS_WRITE(&counter, "store data");
	counter = 1;
	VIS_WRITE(&flag, "store flag");
	flag = 1;
}

static void spin_main(void *arg)
{
	vis_spawn(spinner, NULL, NULL, VIS_SITE("spawn"));
	vis_spawn(setter, NULL, NULL, VIS_SITE("spawn"));
}

/*
 * ==== a writer-fair rwsem (vis_lock_or_queue): a queued writer blocks new readers ====
 * The reader holds the lock for reading and takes it for reading again;
 * the writer starts once the reader holds it (flag).  When the writer
 * queues before the reader's second down_read, that down_read blocks
 * behind the writer, which waits for the reader: a deadlock, as with
 * v5.7's rwsem (rwsem_read_trylock fails on RWSEM_FLAG_WAITERS; lockdep
 * warns of a recursive read for that reason).  With the plain exclusive
 * acquire (no queue) the second down_read always gets in: safe.
 */
static bool fair_writer_queues;

static void fair_reader(void *arg)
{
	vis_lock(&lock_a, true, VIS_SITE("down_read"));
	VIS_WRITE(&flag, "store flag");
	flag = 1;
	vis_lock(&lock_a, true, VIS_SITE("down_read (recursive)"));
	vis_unlock(&lock_a, VIS_SITE("up_read"));
	vis_unlock(&lock_a, VIS_SITE("up_read"));
}

static void fair_writer(void *arg)
{
	vis_wait(&flag, false, flag_set, NULL, VIS_SITE("while (!flag)"));
	if (!fair_writer_queues)
		vis_lock(&lock_a, false, VIS_SITE("down_write"));
	else if (!vis_lock_or_queue(&lock_a, VIS_SITE("down_write")))
		vis_lock(&lock_a, false, VIS_SITE("rwsem_down_write_slowpath"));
	VIS_WRITE(&counter, "store");
	counter = 1;
	vis_unlock(&lock_a, VIS_SITE("up_write"));
}

static void fair_main(void *arg)
{
	vis_spawn(fair_reader, NULL, "reader", VIS_SITE("spawn"));
	vis_spawn(fair_writer, NULL, "writer", VIS_SITE("spawn"));
}

static void all_reset(void *ctx)
{
	counter = 0;
	flag = 0;
	lock_a = lock_b = 0;
	memset(vars, 0, sizeof(vars));
}

static void run(const char *name, vis_thread_fn main_fn, enum explore_mode mode,
		struct explore_result *r)
{
	struct program p = { .name = name, .reset = all_reset, .main = main_fn };
	struct explore_opts o;
	explore_opts_defaults(&o);
	o.mode = mode;
	explore_any(&p, &o, r);
}

/*
 * ==== 64 threads: thread sets wider than 32 bits ====
 * main starts threads 1..wide_n; each writes its own slot, except that 33
 * writes 31's and 60 writes 40's, and 63 reads 40's.  Traces: the order of
 * 31/33 (2) times the order of 40, 60 and 63 (3! = 6): 12, which needs the
 * engine's thread sets (sleep sets, enabled sets) to hold ids past 31.  One
 * thread more than the engine's limit ends the search, incomplete, cut by
 * thread-limit: never a finding.
 */
static int wide_n;
static int wide_slot[EXPLORE_MAX_THREADS];

static void wide_thread(void *arg)
{
	int k = (int)(intptr_t)arg;
	int *v = &wide_slot[k == 33 ? 31 : k == 60 || k == 63 ? 40 : k];
	if (k == 63) {
		VIS_READ(v, "load");
		return;
	}
	VIS_WRITE(v, "store");
	*v = k;
}

static void wide_main(void *arg)
{
	for (int k = 1; k <= wide_n; k++)
		vis_spawn(wide_thread, (void *)(intptr_t)k, NULL, VIS_SITE("spawn"));
}

static void wide_reset(void *ctx)
{
	memset(wide_slot, 0, sizeof(wide_slot));
}

static void test_wide_threads(void)
{
	struct program p = { .name = "wide", .reset = wide_reset, .main = wide_main };
	struct explore_opts o;
	struct explore_result r;
	bool orders = true;

	wide_n = EXPLORE_MAX_THREADS - 1;
	for (uint64_t ro = 0; ro <= 3; ro++) {
		explore_opts_defaults(&o);
		o.random_order = ro;
		explore_any(&p, &o, &r);
		orders &= r.verdict == VERDICT_SAFE && r.complete && r.executions == 12 &&
			   r.sleep_blocked == 0;
		explore_result_free(&r);
	}
	tap_ok(orders, "%d threads: 12 traces in 4 orders, none sleep-blocked", EXPLORE_MAX_THREADS);
	explore_opts_defaults(&o);
	o.mode = EXPLORE_BRUTE;
	o.max_executions = 1;
	explore_any(&p, &o, &r);
	tap_ok(r.verdict == VERDICT_INCOMPLETE && !r.found && !r.limit[0],
	       "%d threads: the oracle runs (cut by %s)", EXPLORE_MAX_THREADS,
	       r.cut_by ? r.cut_by : "-");
	explore_result_free(&r);

	wide_n = EXPLORE_MAX_THREADS;
	static const enum explore_mode modes[] = { EXPLORE_DPOR, EXPLORE_RANDOM, EXPLORE_BRUTE,
						   EXPLORE_STATEFUL };
	for (unsigned m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		explore_opts_defaults(&o);
		o.mode = modes[m];
		explore_any(&p, &o, &r);
		tap_ok(r.verdict == VERDICT_INCOMPLETE && !r.found && !r.complete && r.cut_by &&
		       !strcmp(r.cut_by, "thread-limit") && strstr(r.limit, "limit of 64 threads"),
		       "%d threads, mode %d: incomplete, cut by %s, not a finding (%s)",
		       EXPLORE_MAX_THREADS + 1, (int)modes[m], r.cut_by ? r.cut_by : "-", r.limit);
		explore_result_free(&r);
	}
	explore_opts_defaults(&o);
	o.jobs = 2;
	explore_any(&p, &o, &r);
	tap_ok(r.verdict == VERDICT_INCOMPLETE && !r.found && r.cut_by &&
	       !strcmp(r.cut_by, "thread-limit") && r.limit[0],
	       "%d threads, -j 2: incomplete, cut by %s", EXPLORE_MAX_THREADS + 1,
	       r.cut_by ? r.cut_by : "-");
	explore_result_free(&r);
	wide_n = EXPLORE_MAX_THREADS - 1;
	explore_opts_defaults(&o);
	o.jobs = 2;
	explore_any(&p, &o, &r);
	tap_ok(r.verdict == VERDICT_SAFE && r.executions == 12,
	       "%d threads, -j 2: %llu executions", EXPLORE_MAX_THREADS,
	       (unsigned long long)r.executions);
	explore_result_free(&r);
}

/* ==== random programs: DPOR vs brute force ==== */
enum rop { R_READ, R_WRITE, R_RMW, R_LOCKED, R_WAIT, R_CHOOSE, R_CAS, R_SHARED, R_EXCL,
	   R_TRY, R_DOWN, R_ADD, R_PINGPONG, R_STOP, R_FAIL, R_FAILIF, R_PAIR, R_PAIR2, R_FAIR,
	   R_NOPS };
static bool rp_cycles;		/* draw R_PINGPONG and R_STOP too (cyclic state spaces) */
static bool rp_adds;		/* draw R_ADD too (the commuting-add tests) */
static bool rp_fails;		/* draw R_FAIL and R_FAILIF too (the --all tests) */
static bool rp_pairs;		/* draw R_PAIR and R_PAIR2 too (two-object steps, vis_also) */
static bool rp_fair;		/* draw R_FAIR too (writer-fair acquires, vis_lock_or_queue) */

struct rprog {
	int nthreads, nops[4];
	int op[4][4], var[4][4];
} rp;

static int rv[3], rlocal[4], rlock, rrw;
/* one finding id per (thread, op): a finding's identity is its id and site */
static const char *const rfail_id[4][4] = {
	{ "F0.0", "F0.1", "F0.2", "F0.3" }, { "F1.0", "F1.1", "F1.2", "F1.3" },
	{ "F2.0", "F2.1", "F2.2", "F2.3" }, { "F3.0", "F3.1", "F3.2", "F3.3" },
};
static int rrep[4] = { 0, 1, 2, 3 };	/* first thread of each one's class */
static int rcls[4];			/* symmetry class, 0: none (rp_sym) */
static bool rp_sym;			/* symmetric programs: finals up to renaming */
#define FIN_MAX (1 << 16)
static uint64_t fin_dpor[FIN_MAX], fin_brute[FIN_MAX];
static uint64_t fin_set[2 * FIN_MAX];	/* open addressing over the current fin */
static int nfin_dpor, nfin_brute;
static uint64_t *fin;
static int *nfin;

static bool rv_nonzero(const void *arg)
{
	return *(const int *)arg != 0;
}

static bool rv_zero(const void *arg)
{
	return *(const int *)arg == 0;
}

static void rthread(void *arg)
{
	int t = (int)(intptr_t)arg;
	int vt = rrep[t];	/* what the thread writes: the same for symmetric threads */
	for (int k = 0; k < rp.nops[t]; k++) {
		int *v = &rv[rp.var[t][k]];
		switch (rp.op[t][k]) {
		case R_READ:
			VIS_READ(v, "read");
			rlocal[t] = rlocal[t] * 3 + *v;
			break;
		case R_WRITE:
			VIS_WRITE(v, "write");
			*v = vt + 1;
			break;
		case R_RMW:
			VIS_RMW(v, "rmw");
			rlocal[t] = rlocal[t] * 3 + *v;
			*v += 1;
			break;
		case R_LOCKED:
			vis_lock(&rlock, false, VIS_SITE("lock"));
			VIS_RMW(v, "rmw");
			*v = *v * 2 + vt;
			vis_unlock(&rlock, VIS_SITE("unlock"));
			break;
		case R_WAIT:
			vis_wait(v, false, rv_nonzero, v, VIS_SITE("wait"));
			rlocal[t] += 7;
			break;
		case R_CHOOSE:
			rlocal[t] = rlocal[t] * 5 + vis_choose(2, VIS_SITE("choose"));
			break;
		case R_SHARED:
			vis_lock(&rrw, true, VIS_SITE("down_read"));
			VIS_READ(v, "read");
			rlocal[t] = rlocal[t] * 3 + *v;
			vis_unlock(&rrw, VIS_SITE("up_read"));
			break;
		case R_EXCL:
			vis_lock(&rrw, false, VIS_SITE("down_write"));
			VIS_RMW(v, "rmw");
			*v = *v * 2 + vt;
			vis_unlock(&rrw, VIS_SITE("up_write"));
			break;
		case R_TRY:
			if (vis_trylock(&rlock, VIS_SITE("trylock"))) {
				VIS_RMW(v, "rmw");
				*v = *v * 2 + vt;
				vis_unlock(&rlock, VIS_SITE("unlock"));
			} else {
				rlocal[t] = rlocal[t] * 3 + 2;
			}
			break;
		case R_DOWN:
			vis_wait(v, true, rv_nonzero, v, VIS_SITE("down"));
			*v -= 1;
			break;
		case R_PINGPONG:	/* flip v between 0 and 1 until it is 5: cycles */
			for (;;) {
				VIS_READ(v, "read");
				if (*v >= 5)
					break;
				if (*v == vt % 2) {
					VIS_WRITE(v, "flip");
					*v = (vt + 1) % 2;
				}
			}
			break;
		case R_STOP:
			VIS_WRITE(v, "stop");
			*v = 5;
			break;
		case R_ADD:	/* a blind add: the old value is not used */
			vis_op(VIS_KIND_ADD, v, VIS_SITE("atomic_add"));
			*v += 2;
			break;
		case R_FAIL:	/* a check that always fails: a finding of its own */
			VIS_READ(v, "read");
			vis_fail(rfail_id[t][k], VIS_SITE("check"), "T%d op %d", t, k);
		case R_FAILIF:	/* a check that fails on what another thread wrote */
			VIS_READ(v, "read");
			if (*v != 0)
				vis_fail(rfail_id[t][k], VIS_SITE("check"), "T%d op %d: v is %d", t, k, *v);
			break;
		case R_PAIR:	/* one step: write v from what it reads of the other variable */
			vis_also(VIS_KIND_READ, &rv[1 - rp.var[t][k]]);
			VIS_WRITE(v, "write v from the other");
			*v = vt + 1 + 4 * rv[1 - rp.var[t][k]];
			break;
		case R_PAIR2:	/* one step: read v, and add what it read to v2 */
			vis_also(VIS_KIND_RMW, &rv[2]);
			VIS_READ(v, "read v into v2");
			rlocal[t] = rlocal[t] * 3 + *v;
			rv[2] = rv[2] * 2 + *v + vt;
			break;
		case R_FAIR:	/* down_write of a writer-fair rwsem: queued readers wait */
			if (!vis_lock_or_queue(&rrw, VIS_SITE("down_write")))
				vis_lock(&rrw, false, VIS_SITE("rwsem_down_write_slowpath"));
			VIS_RMW(v, "rmw");
			*v = *v * 2 + vt;
			vis_unlock(&rrw, VIS_SITE("up_write"));
			break;
		case R_CAS:
			if (vis_rmw_if(v, rv_zero, v, VIS_SITE("cmpxchg(0 -> t)")))
				*v = vt + 1;
			else
				rlocal[t] = rlocal[t] * 3 + *v;
			break;
		}
	}
}

static void rmain(void *arg)
{
	for (int t = 0; t < rp.nthreads; t++)
		vis_spawn(rthread, (void *)(intptr_t)t, NULL, VIS_SITE("spawn"));
}

static void rreset(void *ctx)
{
	memset(rv, 0, sizeof(rv));
	memset(rlocal, 0, sizeof(rlocal));
	rlock = 0;
	rrw = 0;
}

static void rexit(void *ctx)
{
	uint64_t h = 1469598103934665603ULL;
	for (int i = 0; i < 3; i++)
		h = (h ^ (uint64_t)rv[i]) * 1099511628211ULL;
	int loc[4];
	memcpy(loc, rlocal, sizeof(loc));
	if (rp_sym)	/* a final state up to renaming: a class's locals sorted */
		for (int i = 1; i < 4; i++)
			for (int j = i; j > 0 && rcls[j] && rcls[j] == rcls[j - 1] && loc[j - 1] > loc[j]; j--) {
				int x = loc[j];
				loc[j] = loc[j - 1];
				loc[j - 1] = x;
			}
	for (int i = 0; i < 4; i++)
		h = (h ^ (uint64_t)loc[i]) * 1099511628211ULL;
	h |= 1;		/* 0 marks an empty slot of fin_set */
	if (*nfin == 0)
		memset(fin_set, 0, sizeof(fin_set));
	size_t i = (size_t)(h ^ (h >> 29)) & (2 * FIN_MAX - 1);
	for (; fin_set[i]; i = (i + 1) & (2 * FIN_MAX - 1))
		if (fin_set[i] == h)
			return;
	if (*nfin < FIN_MAX) {
		fin_set[i] = h;
		fin[(*nfin)++] = h;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Are two sorted sets of final states (@na and @nb long) equal? */
static bool same_finals(const uint64_t *a, int na, const uint64_t *b, int nb)
{
	return na == nb && !memcmp(a, b, (size_t)na * sizeof(*a));
}

static void rp_print(void)
{
	static const char *const names[R_NOPS] = { "R", "W", "RMW", "LOCKED", "WAIT", "CHOOSE",
						   "CAS", "SHARED", "EXCL", "TRY", "DOWN", "ADD",
						   "PINGPONG", "STOP", "FAIL", "FAILIF", "PAIR", "PAIR2",
						   "FAIR" };
	for (int t = 0; t < rp.nthreads; t++) {
		printf("#   T%d:", t);
		for (int k = 0; k < rp.nops[t]; k++)
			printf(" %s(v%d)", names[rp.op[t][k]], rp.var[t][k]);
		printf("\n");
	}
}

/* Draw the next random program: 2 to @maxt threads of 1 to @maxops ops. */
static void rand_program(uint64_t *s, int maxt, int maxops)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	uint64_t x = *s;
	memset(&rp, 0, sizeof(rp));
	for (int t = 0; t < 4; t++)
		rrep[t] = t;
	rp.nthreads = 2 + (int)((x >> 60) % (uint64_t)(maxt - 1));
	for (int t = 0; t < rp.nthreads; t++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		rp.nops[t] = 1 + (int)((x >> 61) % (uint64_t)maxops);
		for (int k = 0; k < rp.nops[t]; k++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			rp.op[t][k] = (int)((x >> 40) % R_ADD);
			if (rp_adds && (x >> 32) % 3 == 0)	/* one op in three an add */
				rp.op[t][k] = R_ADD;
			if (rp_cycles && (x >> 34) % 3 == 0)
				rp.op[t][k] = (x >> 36) % 2 ? R_PINGPONG : R_STOP;
			if (rp_fails && (x >> 26) % 2 == 0)	/* one op in two a check */
				rp.op[t][k] = (x >> 28) % 2 ? R_FAIL : R_FAILIF;
			if (rp_pairs && (x >> 22) % 3 == 0)	/* one op in three a pair */
				rp.op[t][k] = (x >> 24) % 2 ? R_PAIR : R_PAIR2;
			if (rp_fair && (x >> 18) % 3 == 0)	/* one op in three a fair down_write */
				rp.op[t][k] = R_FAIR;
			rp.var[t][k] = (int)((x >> 50) % 2);
		}
	}
}

static void test_random_programs(int count)
{
	uint64_t s = 12345;
	int agree = 0, total = 0, skipped = 0;
	char first_bad[160] = "";
	for (int n = 0; n < count; n++) {
		rand_program(&s, 2, 3);
		struct program p = { .name = "rand", .reset = rreset, .main = rmain,
				     .at_exit = rexit };
		struct explore_opts o;
		struct explore_result rd, rb;
		explore_opts_defaults(&o);
		o.keep_going = true;
		fin = fin_dpor; nfin = &nfin_dpor; nfin_dpor = 0;
		o.mode = EXPLORE_DPOR;
		explore_any(&p, &o, &rd);
		/* another exploration order must give the same count */
		struct explore_result ro;
		o.random_order = 1 + (uint64_t)n;
		fin = fin_brute; nfin = &nfin_brute; nfin_brute = 0;
		explore_any(&p, &o, &ro);
		o.random_order = 0;
		bool same_order = ro.executions == rd.executions;
		unsigned long long ro_exec = ro.executions, ro_sleep = ro.sleep_blocked;
		explore_result_free(&ro);
		fin = fin_brute; nfin = &nfin_brute; nfin_brute = 0;
		o.mode = EXPLORE_BRUTE;
		o.max_executions = 20000;	/* interleavings: keep the oracle cheap */
		explore_any(&p, &o, &rb);
		o.max_executions = 0;
		if (!rb.complete) {
			skipped++;
			explore_result_free(&rd);
			explore_result_free(&rb);
			continue;
		}
		qsort(fin_dpor, (size_t)nfin_dpor, 8, cmp_u64);
		qsort(fin_brute, (size_t)nfin_brute, 8, cmp_u64);
		bool same_states = same_finals(fin_dpor, nfin_dpor, fin_brute, nfin_brute);
		bool same_count = rd.executions == rb.executions && rd.blocked <= rb.blocked && same_order;
		/*
		 * Optimality: no sleep-set-blocked execution, except where a wait
		 * is involved: a reversed race that puts a wait before the write
		 * that enabled it is found infeasible only by running it (the
		 * predicate cannot be evaluated on a past state).  Such runs are
		 * counted apart and never as complete executions.
		 */
		bool has_wait = false;
		for (int t = 0; t < rp.nthreads; t++)
			for (int k = 0; k < rp.nops[t]; k++)
				has_wait |= rp.op[t][k] == R_WAIT || rp.op[t][k] == R_DOWN;
		total++;
		if (same_states && same_count && (rd.sleep_blocked == 0 || has_wait))
			agree++;
		if (getenv("PVM_DEBUG_RAND") && !(same_states && same_count && rd.sleep_blocked == 0)) {
			printf("# bad %d (order %llu exec %llu sleep): dpor %llu/%llu sleep %llu states %d; brute %llu/%llu states %d\n", n, ro_exec, ro_sleep,
			       (unsigned long long)rd.executions, (unsigned long long)rd.blocked,
			       (unsigned long long)rd.sleep_blocked, nfin_dpor,
			       (unsigned long long)rb.executions, (unsigned long long)rb.blocked, nfin_brute);
			rp_print();
		}
		if (!(same_states && same_count && (rd.sleep_blocked == 0 || has_wait)) && !first_bad[0])
			snprintf(first_bad, sizeof(first_bad),
				 "program %d: dpor %llu exec (%llu blocked, %llu sleep) %d states; "
				 "brute %llu traces (%llu blocked) %d states", n,
				 (unsigned long long)rd.executions, (unsigned long long)rd.blocked,
				 (unsigned long long)rd.sleep_blocked, nfin_dpor,
				 (unsigned long long)rb.executions, (unsigned long long)rb.blocked,
				 nfin_brute);
		explore_result_free(&rd);
		explore_result_free(&rb);
	}
	tap_ok(agree == total && total > count / 2,
	       "DPOR agrees with brute force on %d/%d random programs "
	       "(%d too big for the oracle) %s", agree, total, skipped, first_bad);
}

static int rregions(void *ctx, struct program_region *r, int max);

/* The ids of @r's findings, sorted and joined into @buf. */
static void finding_ids(const struct explore_result *r, char *buf, size_t len)
{
	const char *ids[64];
	int n = 0;
	for (int k = 0; k < r->nfindings && n < 64; k++)
		ids[n++] = r->findings[k].finding.id;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
			const char *x = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = x;
		}
	buf[0] = 0;
	for (int i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "", ids[i]);
}

/*
 * --all (all_findings + finding_races) is exhaustive for findings: on
 * random programs whose threads hold checks that fail always (R_FAIL) or
 * on a value another thread wrote (R_FAILIF), the stateless and stateful
 * searches meet exactly the findings the brute-force oracle meets, in
 * every exploration order.  A finding ends its execution, so a search
 * that treats the failing step like any other hides the findings of
 * every thread that would have failed later (finding_races, dpor.c).
 */
static void test_random_all(int count)
{
	static uint64_t scratch[FIN_MAX];
	int nscratch;
	uint64_t s = 4242;
	int agree = 0, total = 0, skipped = 0, multi = 0;
	unsigned long long ex_dpor = 0, ex_brute = 0;
	char first_bad[600] = "";
	rp_fails = true;
	for (int n = 0; n < count; n++) {
		rand_program(&s, 3, 3);
		struct program p = { .name = "rand-all", .reset = rreset, .main = rmain,
				     .state_regions = rregions };
		struct explore_opts o;
		struct explore_result rb;
		char want[256], got[256];
		explore_opts_defaults(&o);
		o.all_findings = o.finding_races = true;
		o.random_runs = 0;
		o.mode = EXPLORE_BRUTE;
		o.max_executions = 20000;
		fin = scratch; nfin = &nscratch; nscratch = 0;
		explore_any(&p, &o, &rb);
		o.max_executions = 0;
		if (!rb.complete) {
			skipped++;
			explore_result_free(&rb);
			continue;
		}
		finding_ids(&rb, want, sizeof(want));
		multi += rb.nfindings > 1;
		ex_brute += rb.interleavings ? rb.interleavings : rb.executions;
		total++;
		bool ok = true;
		for (int v = 0; v < 5 && ok; v++) {
			struct explore_result rd;
			o.mode = v == 4 ? EXPLORE_STATEFUL : EXPLORE_DPOR;
			o.random_order = v < 4 ? (uint64_t)(v * (n + 1)) : 0;
			nscratch = 0;
			explore_any(&p, &o, &rd);
			finding_ids(&rd, got, sizeof(got));
			if (v == 0)
				ex_dpor += rd.executions + rd.sleep_blocked;
			if (strcmp(want, got) != 0) {
				ok = false;
				if (!first_bad[0])
					snprintf(first_bad, sizeof(first_bad),
						 "program %d, %s order %d: {%s}, brute force {%s}", n,
						 v == 4 ? "stateful" : "dpor", v, got, want);
				if (getenv("PVM_DEBUG_RAND")) {
					printf("# bad %d v%d: {%s} want {%s}\n", n, v, got, want);
					rp_print();
				}
			}
			explore_result_free(&rd);
		}
		agree += ok;
		explore_result_free(&rb);
	}
	rp_fails = false;
	tap_ok(agree == total && total > count / 2 && multi > total / 5,
	       "--all meets the findings brute force meets on %d/%d random programs with checks "
	       "(%d with several findings, %d too big for the oracle; %llu DPOR executions, "
	       "%llu interleavings) %s", agree, total, multi, skipped, ex_dpor, ex_brute,
	       first_bad);
}

static int rregions(void *ctx, struct program_region *r, int max)
{
	(void)ctx;
	if (max < 4)
		return -1;
	r[0] = (struct program_region){ rv, sizeof(rv), false };
	r[1] = (struct program_region){ rlocal, sizeof(rlocal), false };
	r[2] = (struct program_region){ &rlock, sizeof(rlock), false };
	r[3] = (struct program_region){ &rrw, sizeof(rrw), false };
	return 4;
}

static bool rp_commute;

/*
 * Explore program @p under @o as the random-program tests do (keep going,
 * no random phase, the cyclic tests' step bound, a cap on brute force);
 * the final states sorted into @out.
 */
static struct explore_result rp_run(const struct program *p, struct explore_opts *o,
				    uint64_t *out, int *nout)
{
	struct explore_result r;
	o->keep_going = true;
	o->random_runs = 0;
	if (rp_cycles) {
		o->want_finding = "no-progress";
		o->step_bound = 80;
	}
	if (o->mode == EXPLORE_BRUTE)
		o->max_executions = 20000;
	fin = out;
	nfin = nout;
	*nout = 0;
	explore_any(p, o, &r);
	qsort(out, (size_t)*nout, 8, cmp_u64);
	return r;
}

/* Explore the current random program in @mode; final states sorted into @out. */
static struct explore_result rp_explore(enum explore_mode mode, bool no_por, uint64_t *out,
					int *nout)
{
	struct program p = { .name = "rand", .reset = rreset, .main = rmain,
			     .at_exit = rexit, .state_regions = rregions };
	struct explore_opts o;
	explore_opts_defaults(&o);
	o.mode = mode;
	o.no_por = no_por;
	o.commute_adds = rp_commute;
	return rp_run(&p, &o, out, nout);
}

/*
 * The stateful search with partial-order reduction reaches the same final
 * states, and a deadlock exactly when one exists, as the brute-force
 * oracle (small programs) and as the stateful search without reduction
 * (larger ones: up to 4 threads of 3 operations).
 */
static void test_random_stateful(int count)
{
	static uint64_t fin_por[FIN_MAX], fin_full[FIN_MAX];
	int nfin_por, nfin_full;
	uint64_t s = 777;
	int agree = 0, total = 0, big = 0, skipped = 0;
	uint64_t states_por = 0, states_full = 0;
	char first_bad[200] = "";
	for (int n = 0; n < count; n++) {
		bool small = n % 2 == 0;
		rand_program(&s, small ? 3 : 4, 3);
		struct explore_result rs = rp_explore(EXPLORE_STATEFUL, false, fin_por, &nfin_por);
		struct explore_result rf = rp_explore(EXPLORE_STATEFUL, true, fin_full, &nfin_full);
		if (nfin_full == FIN_MAX) {	/* too many final states to compare */
			skipped++;
			explore_result_free(&rs);
			explore_result_free(&rf);
			continue;
		}
		bool ok = rs.complete && rf.complete && same_finals(fin_por, nfin_por, fin_full, nfin_full) &&
			  (rs.blocked > 0) == (rf.blocked > 0) && rs.states <= rf.states;
		const char *oracle = "no-por";
		if (small) {
			struct explore_result rb = rp_explore(EXPLORE_BRUTE, false, fin_brute, &nfin_brute);
			if (rb.complete) {
				oracle = "brute";
				ok &= same_finals(fin_por, nfin_por, fin_brute, nfin_brute) &&
				      (rs.blocked > 0) == (rb.blocked > 0);
			}
			explore_result_free(&rb);
		} else {
			big++;
		}
		total++;
		states_por += rs.states;
		states_full += rf.states;
		if (ok)
			agree++;
		if (!ok && getenv("PVM_DEBUG_RAND")) {
			printf("# bad %d: por %d finals, no-por %d, brute %d\n", n, nfin_por, nfin_full,
			       small ? nfin_brute : -1);
			rp_print();
		}
		if (!ok && !first_bad[0])
			snprintf(first_bad, sizeof(first_bad),
				 "program %d: por %d finals %llu blocked %llu states; "
				 "%s %d finals (no-por %d, %llu states)", n, nfin_por,
				 (unsigned long long)rs.blocked, (unsigned long long)rs.states,
				 oracle, small ? nfin_brute : nfin_full, nfin_full,
				 (unsigned long long)rf.states);
		explore_result_free(&rs);
		explore_result_free(&rf);
	}
	tap_ok(agree == total && total > count * 9 / 10, "stateful POR agrees with brute force / "
	       "no-POR on %d/%d random programs (%d with 4 threads; %d skipped: too many final "
	       "states); states %llu vs %llu unreduced %s", agree, total, big, skipped,
	       (unsigned long long)states_por, (unsigned long long)states_full, first_bad);
}

/* ---- symmetric random programs (--symmetry) ---- */

static int rsym_class(void *ctx, int tid)
{
	(void)ctx;
	return tid >= 1 && tid <= rp.nthreads ? rcls[tid - 1] : 0;
}

static void rsym_record(void *ctx, int tid, uintptr_t *lo, uintptr_t *hi)
{
	(void)ctx;
	*lo = (uintptr_t)&rlocal[tid - 1];
	*hi = *lo + sizeof(rlocal[0]);
}

/* The shared state with thread ids renamed: the locals move with their thread. */
static size_t rsym_canon(void *ctx, const int *sigma, uint64_t classed, void *buf)
{
	int *o = buf;
	(void)ctx;
	(void)classed;
	memcpy(o, rv, sizeof(rv));
	o[3] = rlock;
	o[4] = rrw;
	for (int t = 0; t < 4; t++)
		o[5 + (t < rp.nthreads ? sigma[t + 1] - 1 : t)] = rlocal[t];
	return 9 * sizeof(int);
}

static uint64_t rsym_key(void *ctx, int tid)
{
	(void)ctx;
	return (uint64_t)(uint32_t)rlocal[tid - 1];
}

/* Back to unclassed random programs after a symmetry test. */
static void rsym_end(void)
{
	rp_sym = false;
	memset(rcls, 0, sizeof(rcls));
	for (int t = 0; t < 4; t++)
		rrep[t] = t;
}

/* A random program whose first 2 or 3 threads are copies of one another. */
static void rand_sym_program(uint64_t *s)
{
	rand_program(s, 4, 3);
	int k = rp.nthreads == 2 ? 2 : 2 + (int)(*s >> 63);
	memset(rcls, 0, sizeof(rcls));
	for (int t = 0; t < k; t++) {
		rp.nops[t] = rp.nops[0];
		memcpy(rp.op[t], rp.op[0], sizeof(rp.op[0]));
		memcpy(rp.var[t], rp.var[0], sizeof(rp.var[0]));
		rrep[t] = 0;
		rcls[t] = 1;
	}
}

static struct explore_result rsym_explore(enum explore_mode mode, bool sym, bool por,
					  uint64_t *out, int *nout)
{
	struct program p = { .name = "rand-sym", .reset = rreset, .main = rmain,
			     .at_exit = rexit, .state_regions = rregions,
			     .thread_class = rsym_class, .thread_record = rsym_record,
			     .canon_size = 9 * sizeof(int), .canon_state = rsym_canon,
			     .thread_key = rsym_key };
	struct explore_opts o;
	explore_opts_defaults(&o);
	o.mode = mode;
	o.symmetry = sym;
	o.no_por = !por;
	return rp_run(&p, &o, out, nout);
}

/*
 * Symmetry reduction: on random programs whose first threads are copies,
 * the stateful search with --symmetry reaches the same final states up to
 * a renaming of those threads, and a deadlock exactly when one exists, as
 * the search without it and as brute force; and it stores fewer states.
 */
static void test_random_symmetry(int count)
{
	static uint64_t fin_sym[FIN_MAX], fin_full[FIN_MAX];
	int nfin_sym, nfin_full, agree = 0, total = 0, fewer = 0;
	uint64_t s = 4242, st_sym = 0, st_symp = 0, st_full = 0;
	char first_bad[160] = "";
	rp_sym = true;
	for (int n = 0; n < count; n++) {
		rand_sym_program(&s);
		struct explore_result rsp = rsym_explore(EXPLORE_STATEFUL, true, true, fin_sym, &nfin_sym);
		static uint64_t fin_symp[FIN_MAX];
		int nfin_symp = nfin_sym;
		memcpy(fin_symp, fin_sym, (size_t)nfin_sym * sizeof(*fin_sym));
		struct explore_result ry = rsym_explore(EXPLORE_STATEFUL, true, false, fin_sym, &nfin_sym);
		struct explore_result rf = rsym_explore(EXPLORE_STATEFUL, false, false, fin_full, &nfin_full);
		struct explore_result rb = rsym_explore(EXPLORE_BRUTE, false, false, fin_brute, &nfin_brute);
		bool ok = ry.complete && rf.complete && rsp.complete && ry.states <= rf.states &&
			  same_finals(fin_sym, nfin_sym, fin_full, nfin_full) &&
			  same_finals(fin_symp, nfin_symp, fin_full, nfin_full) &&
			  (ry.blocked > 0) == (rf.blocked > 0) && (rsp.blocked > 0) == (rf.blocked > 0);
		if (rb.complete)
			ok &= same_finals(fin_sym, nfin_sym, fin_brute, nfin_brute) &&
			      (ry.blocked > 0) == (rb.blocked > 0);
		total++;
		agree += ok;
		fewer += ry.states < rf.states;
		st_sym += ry.states;
		st_symp += rsp.states;
		st_full += rf.states;
		if (!ok && getenv("PVM_DEBUG_RAND")) {
			printf("# bad %d: sym+por %d finals, sym %d finals %llu states, full %d finals %llu states, brute %d\n",
			       n, nfin_symp, nfin_sym, (unsigned long long)ry.states, nfin_full,
			       (unsigned long long)rf.states, rb.complete ? nfin_brute : -1);
			rp_print();
		}
		if (!ok && !first_bad[0])
			snprintf(first_bad, sizeof(first_bad), "; first bad: program %d (%d vs %d finals)",
				 n, nfin_sym, nfin_full);
		explore_result_free(&rsp);
		explore_result_free(&ry);
		explore_result_free(&rf);
		explore_result_free(&rb);
	}
	rsym_end();
	tap_ok(agree == total && fewer > total / 2,
	       "symmetry, with and without POR: same final states (up to renaming) and deadlocks "
	       "as without it and as brute force on %d/%d random programs; fewer states on %d; "
	       "states %llu (with POR %llu) vs %llu%s", agree, total, fewer,
	       (unsigned long long)st_sym, (unsigned long long)st_symp,
	       (unsigned long long)st_full, first_bad);
}

/*
 * Symmetry on cyclic programs (found by review): a cycle met through a
 * renaming repeats the loop with the threads renamed each period.  The
 * no-progress finding is the same with and without symmetry, and its
 * schedule replays to a no-progress finding.
 */
static void test_random_symmetry_cycles(int count)
{
	static uint64_t f1[FIN_MAX], f2[FIN_MAX];
	int n1, n2, agree = 0, total = 0, cyclic = 0, replayed = 0;
	uint64_t s = 5151;
	char first_bad[160] = "";
	rp_sym = true;
	rp_cycles = true;
	for (int n = 0; n < count; n++) {
		rand_sym_program(&s);
		struct explore_result a = rsym_explore(EXPLORE_STATEFUL, true, true, f1, &n1);
		struct explore_result b = rsym_explore(EXPLORE_STATEFUL, false, false, f2, &n2);
		bool ok = a.found == b.found && (a.blocked > 0) == (b.blocked > 0) &&
			  (b.found || (a.complete && b.complete && same_finals(f1, n1, f2, n2)));
		if (ok && a.found) {
			struct program p = { .name = "rand-sym", .reset = rreset, .main = rmain,
					     .at_exit = rexit };
			struct explore_opts o;
			struct explore_result r;
			explore_opts_defaults(&o);
			o.mode = EXPLORE_REPLAY;
			o.replay = a.trace.schedule;
			o.replay_len = (size_t)a.trace.schedule_len;
			o.step_bound = 80;
			o.random_runs = 0;
			int nf;
			fin = f2;
			nfin = &nf;
			nf = 0;
			explore_any(&p, &o, &r);
			ok = r.found && r.verdict == VERDICT_NO_PROGRESS && !r.diverged;
			replayed += ok;
			explore_result_free(&r);
		}
		total++;
		cyclic += b.found;
		agree += ok;
		if (!ok && !first_bad[0])
			snprintf(first_bad, sizeof(first_bad), "; first bad: program %d (found %d/%d)",
				 n, a.found, b.found);
		explore_result_free(&a);
		explore_result_free(&b);
	}
	rp_cycles = false;
	rsym_end();
	tap_ok(agree == total && cyclic > count / 10,
	       "symmetry on cyclic programs: the same no-progress findings as without it on "
	       "%d/%d (%d cyclic), each schedule replays (%d)%s", agree, total, cyclic, replayed,
	       first_bad);
}

/*
 * Regression (found by review): a state at a pending choice was stored with
 * an empty sleep set although its children inherit the sleep set it was
 * reached with, so a revisit with fewer threads asleep woke nobody and the
 * reduced search lost 2 of the 44 final states of this program.
 */
static void test_choice_sleep_regression(void)
{
	static uint64_t f1[FIN_MAX];
	int n1;
	memset(&rp, 0, sizeof(rp));
	rp.nthreads = 4;
	rp.nops[0] = 1; rp.op[0][0] = R_LOCKED; rp.var[0][0] = 1;
	rp.nops[1] = 2; rp.op[1][0] = R_WRITE; rp.var[1][0] = 1;
	rp.op[1][1] = R_CHOOSE; rp.var[1][1] = 0;
	rp.nops[2] = 2; rp.op[2][0] = R_LOCKED; rp.var[2][0] = 1;
	rp.op[2][1] = R_READ; rp.var[2][1] = 1;
	rp.nops[3] = 1; rp.op[3][0] = R_WRITE; rp.var[3][0] = 1;
	struct explore_result a = rp_explore(EXPLORE_STATEFUL, false, f1, &n1);
	struct explore_result b = rp_explore(EXPLORE_DPOR, false, fin_brute, &nfin_brute);
	tap_ok(b.complete && nfin_brute == 44 && same_finals(f1, n1, fin_brute, nfin_brute),
	       "a choice state's sleep set: stateful POR reaches %d of the %d final states "
	       "of stateless DPOR", n1, nfin_brute);
	explore_result_free(&a);
	explore_result_free(&b);
}

/*
 * Cyclic state spaces: threads that flip a variable between 0 and 1 until
 * another sets it to 5 can loop for ever (a no-progress finding).  The
 * stateful search with reduction (its cycle proviso and the pending
 * summaries of open components) finds the same final states, deadlocks
 * and no-progress findings as the one without.
 */
static void test_random_cycles(int count)
{
	static uint64_t f1[FIN_MAX], f2[FIN_MAX];
	int n1, n2, agree = 0, total = 0, cyclic = 0;
	uint64_t s = 9090;
	char first_bad[200] = "";
	rp_cycles = true;
	for (int n = 0; n < count; n++) {
		rand_program(&s, 3, 3);
		struct explore_result a = rp_explore(EXPLORE_STATEFUL, false, f1, &n1);
		struct explore_result b = rp_explore(EXPLORE_STATEFUL, true, f2, &n2);
		/*
		 * Once a cycle is reported, meeting one of its states again from
		 * elsewhere cuts that path ("step-bound"): whether that happens
		 * depends on the exploration order, so completeness is compared
		 * only where no cycle exists.
		 */
		bool ok = same_finals(f1, n1, f2, n2) &&
			  (a.blocked > 0) == (b.blocked > 0) && a.found == b.found &&
			  (b.found || (a.complete && b.complete));
		total++;
		cyclic += b.found;
		if (ok) {
			agree++;
		} else {
			if (!first_bad[0])
				snprintf(first_bad, sizeof(first_bad), "program %d: por %d finals, "
					 "no-progress %d, complete %d; no-por %d finals, no-progress %d, "
					 "complete %d", n, n1, a.found, a.complete, n2, b.found, b.complete);
			if (getenv("PVM_DEBUG_RAND")) {
				printf("# %s\n", first_bad);
				rp_print();
				first_bad[0] = 0;
			}
		}
		explore_result_free(&a);
		explore_result_free(&b);
	}
	rp_cycles = false;
	tap_ok(agree == total && cyclic > count / 10,
	       "cyclic programs: stateful POR agrees with no-POR on %d/%d (%d with a "
	       "no-progress finding) %s", agree, total, cyclic, first_bad);
}

/*
 * The stateful search commits its transitions along one depth-first path
 * and takes them off again (hb_rewind) when it goes back up, so the clocks
 * both reductions read (hb.c) must be, at every step, those of the path
 * alone.  A reference computed from scratch over the path: an event's clock
 * joins its thread's previous event (or the spawn that started the thread)
 * and every earlier event of the path on its object whose access conflicts
 * with its own (adds filed as hb_acc files them); its own entry is its
 * index in its thread plus one.  A stale chain or thread clock left by an
 * earlier branch shows as a difference.
 */
static uint64_t hbp_checked, hbp_bad;

static void hbp_step(void *arg, int ev, int tid, enum vis_kind kind, const void *obj,
		     struct vis_site site, vis_pred_fn pred, const void *parg)
{
	static uint32_t ref[MAXEV + 1][MAXT];
	int n = E.nthreads;

	(void)arg; (void)kind; (void)obj; (void)site; (void)pred; (void)parg;
	for (int j = 0; j <= ev; j++) {
		const struct op *oj = &E.ev[j].op;
		int t = oj->tid, own = 0, pre = -1;
		memset(ref[j], 0, sizeof(ref[j]));
		for (int k = 0; k < j; k++) {
			const struct op *ok_ = &E.ev[k].op;
			if (ok_->tid == t) {
				own++;
				pre = k;
			} else if (pre < 0 && ok_->kind == VIS_KIND_SPAWN && ok_->value == t) {
				pre = k;	/* the latest spawn of t before its first event */
			}
		}
		if (pre >= 0)
			memcpy(ref[j], ref[pre], sizeof(ref[j]));
		for (int k = 0; k < j; k++) {
			const struct op *ok_ = &E.ev[k].op;
			if (oj->obj && ok_->obj == oj->obj &&
			    acc_conflict(hb_acc(ok_->acc), hb_acc(oj->acc)))
				for (int u = 0; u < n; u++)
					if (ref[k][u] > ref[j][u])
						ref[j][u] = ref[k][u];
		}
		ref[j][t] = (uint32_t)own + 1;
	}
	hbp_checked++;
	if (E.ev[ev].tidx != (int32_t)ref[ev][tid] - 1 ||
	    memcmp(E.ev[ev].clock, ref[ev], (size_t)n * sizeof(uint32_t)) != 0)
		hbp_bad++;
}

static void test_stateful_hb_path(int count)
{
	static const struct explore_audit hook = { .step = hbp_step };
	static uint64_t finals[FIN_MAX];
	int nfinals;
	uint64_t s = 31337;

	hbp_checked = hbp_bad = 0;
	rp_adds = true;
	explore_audit_hook = &hook;
	for (int n = 0; n < count; n++) {
		rand_program(&s, n % 2 ? 4 : 3, 3);
		rp_commute = n % 3 == 0;
		struct explore_result r = rp_explore(EXPLORE_STATEFUL, n % 5 == 4, finals, &nfinals);
		explore_result_free(&r);
	}
	explore_audit_hook = NULL;
	rp_commute = false;
	rp_adds = false;
	tap_ok(hbp_checked > 0 && hbp_bad == 0, "the stateful search's clocks are its path's at each "
	       "of %llu steps of %d random programs (%llu differ)", (unsigned long long)hbp_checked,
	       count, (unsigned long long)hbp_bad);
}

/*
 * Commuting adds (--commute-adds) keep every final state and deadlock of
 * the search without them, statelessly (against brute force too) and
 * statefully, on random programs that mix blind adds with everything else;
 * and they explore fewer executions.
 */
static void test_random_commute(int count)
{
	static uint64_t f1[FIN_MAX], f2[FIN_MAX], f3[FIN_MAX], f4[FIN_MAX];
	int n1, n2, n3, n4, agree = 0, total = 0;
	uint64_t s = 4242, ex_on = 0, ex_off = 0;
	char first_bad[200] = "";
	rp_adds = true;
	for (int n = 0; n < count; n++) {
		rand_program(&s, 3, 3);
		bool adds = false;
		for (int t = 0; t < rp.nthreads; t++)
			for (int k = 0; k < rp.nops[t]; k++)
				adds |= rp.op[t][k] == R_ADD;
		if (!adds)
			continue;
		rp_commute = true;
		struct explore_result a = rp_explore(EXPLORE_DPOR, false, f1, &n1);
		struct explore_result c = rp_explore(EXPLORE_STATEFUL, false, f3, &n3);
		rp_commute = false;
		struct explore_result b = rp_explore(EXPLORE_DPOR, false, f2, &n2);
		struct explore_result d = rp_explore(EXPLORE_STATEFUL, false, f4, &n4);
		bool ok = a.complete && b.complete && c.complete && d.complete &&
			  same_finals(f1, n1, f2, n2) &&
			  same_finals(f3, n3, f2, n2) &&
			  same_finals(f4, n4, f2, n2) &&
			  (a.blocked > 0) == (b.blocked > 0) && (c.blocked > 0) == (b.blocked > 0) &&
			  a.executions <= b.executions;
		struct explore_result r = rp_explore(EXPLORE_BRUTE, false, fin_brute, &nfin_brute);
		if (r.complete)
			ok &= same_finals(fin_brute, nfin_brute, f2, n2);
		explore_result_free(&r);
		total++;
		ex_on += a.executions;
		ex_off += b.executions;
		if (ok) {
			agree++;
		} else {
			if (!first_bad[0])
				snprintf(first_bad, sizeof(first_bad), "program %d: finals %d "
					 "(commute) %d (not) %d (stateful, commute) %d (stateful)",
					 n, n1, n2, n3, n4);
			if (getenv("PVM_DEBUG_RAND")) {
				printf("%s\n", first_bad);
				rp_print();
			}
		}
		explore_result_free(&a);
		explore_result_free(&b);
		explore_result_free(&c);
		explore_result_free(&d);
	}
	rp_adds = false;
	tap_ok(agree == total && total > count / 2 && ex_on < ex_off,
	       "commuting adds keep the final states and deadlocks on %d/%d random programs "
	       "with adds (DPOR executions %llu against %llu) %s", agree, total,
	       (unsigned long long)ex_on, (unsigned long long)ex_off, first_bad);
}

/*
 * Two readers and a writer on one rwlock: every exploration order must find
 * the 4 traces (each reader before or after the writer).  Regression: a
 * shared unlock is a read of the lock, yet it enables a waiting writer; the
 * explorer once took the reversal "writer before the last reader" for
 * infeasible and lost a trace under some orders.
 */
static void test_rwlock_orders(void)
{
	struct program p = { .name = "rw", .reset = rreset, .main = rmain, .at_exit = rexit };
	struct explore_opts o;
	struct explore_result r;
	int ok = 1;
	unsigned long long brute;

	memset(&rp, 0, sizeof(rp));
	rp.nthreads = 3;
	rp.nops[0] = rp.nops[1] = rp.nops[2] = 1;
	rp.op[0][0] = R_SHARED;
	rp.op[1][0] = R_SHARED;
	rp.op[2][0] = R_EXCL;
	rp.var[2][0] = 0;
	explore_opts_defaults(&o);
	fin = fin_brute; nfin = &nfin_brute; nfin_brute = 0;
	o.mode = EXPLORE_BRUTE;
	explore_any(&p, &o, &r);
	brute = (unsigned long long)r.executions;
	explore_result_free(&r);
	o.mode = EXPLORE_DPOR;
	for (uint64_t seed = 0; seed < 16; seed++) {
		o.random_order = seed;
		fin = fin_dpor; nfin = &nfin_dpor; nfin_dpor = 0;
		explore_any(&p, &o, &r);
		ok &= r.executions == brute;
		explore_result_free(&r);
	}
	tap_ok(ok && brute == 4, "rwlock, 2 readers + 1 writer: %llu traces under 16 orders", brute);
}

/* ==== parallel exploration (-j N, frontier.c) ==== */

/*
 * Workers are processes: what a worker's at_exit records (the final states)
 * goes to a shared page of its own, which the parent merges afterwards.
 */
struct fin_shared {
	int n;
	uint64_t v[FIN_MAX];
};
static struct fin_shared *fin_sh;	/* one per worker, MAP_SHARED */
#define PAR_TEST_JOBS	3

static void par_worker_init(int w)
{
	fin = fin_sh[w].v;
	nfin = &fin_sh[w].n;
	*nfin = 0;
}

/* Explore the current random program with @jobs workers; finals merged, sorted, unique. */
static struct explore_result rp_explore_par(int jobs, bool keep_going, uint64_t *out, int *nout)
{
	struct program p = { .name = "rand", .reset = rreset, .main = rmain, .at_exit = rexit };
	struct explore_opts o;
	struct explore_result r;

	explore_opts_defaults(&o);
	o.keep_going = keep_going;
	o.jobs = jobs;
	o.worker_init = par_worker_init;
	for (int w = 0; w < PAR_TEST_JOBS; w++)
		fin_sh[w].n = 0;
	fin = out;
	nfin = nout;
	*nout = 0;
	explore_any(&p, &o, &r);
	for (int w = 0; w < jobs; w++)
		for (int i = 0; i < fin_sh[w].n && *nout < FIN_MAX; i++)
			out[(*nout)++] = fin_sh[w].v[i];
	qsort(out, (size_t)*nout, 8, cmp_u64);
	int u = 0;
	for (int i = 0; i < *nout; i++)
		if (!u || out[u - 1] != out[i])
			out[u++] = out[i];
	*nout = u;
	return r;
}

static bool same_schedule(const struct explore_result *a, const struct explore_result *b)
{
	if (a->found != b->found)
		return false;
	if (!a->found)
		return true;
	return a->trace.schedule_len == b->trace.schedule_len &&
	       !memcmp(a->trace.schedule, b->trace.schedule,
		       (size_t)a->trace.schedule_len * sizeof(int)) &&
	       !strcmp(a->finding.id, b->finding.id);
}

/*
 * On random programs (up to 3 threads of 3 operations: reads, writes, RMWs,
 * locks, rwlocks, waits, trylocks, CAS, choices), DPOR on 2 and 3 workers
 * explores exactly as many executions, with as many deadlocks, and reaches
 * the same final states as sequential DPOR and as brute force; without
 * keep_going it gives the same verdict, and two runs give the same counts
 * and the same schedule.
 */
static void test_random_parallel(int count)
{
	static uint64_t f1[FIN_MAX], f2[FIN_MAX], f3[FIN_MAX];
	int n1, n2, n3, agree = 0, total = 0, oracle = 0, findings = 0, det = 0;
	uint64_t s = 2468, sleep_seq = 0, sleep_par = 0;
	char first_bad[240] = "";

	for (int n = 0; n < count; n++) {
		rand_program(&s, 3, 3);
		struct explore_result a = rp_explore(EXPLORE_DPOR, false, f1, &n1);
		struct explore_result b = rp_explore_par(2, true, f2, &n2);
		struct explore_result c = rp_explore_par(3, true, f3, &n3);
		bool ok = a.complete && b.complete && c.complete &&
			  b.executions == a.executions && c.executions == a.executions &&
			  b.blocked == a.blocked && c.blocked == a.blocked &&
			  same_finals(f1, n1, f2, n2) && same_finals(f1, n1, f3, n3) &&
			  b.workers >= 1 && c.workers >= 1;
		struct explore_result rb = rp_explore(EXPLORE_BRUTE, false, fin_brute, &nfin_brute);
		if (rb.complete) {
			oracle++;
			ok &= rb.executions == b.executions && same_finals(fin_brute, nfin_brute, f2, n2);
		}
		sleep_seq += a.sleep_blocked;
		sleep_par += b.sleep_blocked;
		explore_result_free(&rb);

		/* stopping at the first finding: a deadlock exactly when one exists, the same on every run */
		for (int jobs = 2; jobs <= 3; jobs++) {
			struct explore_result x = rp_explore_par(jobs, false, f2, &n2);
			struct explore_result y = rp_explore_par(jobs, false, f3, &n3);
			bool same = x.verdict == y.verdict && x.executions == y.executions &&
				    x.blocked == y.blocked && same_schedule(&x, &y);
			ok &= same && (x.found == (a.blocked > 0)) &&
			      x.verdict == (a.blocked ? VERDICT_DEADLOCK : VERDICT_SAFE);
			det += same;
			findings += x.found;
			explore_result_free(&x);
			explore_result_free(&y);
		}
		total++;
		if (ok) {
			agree++;
		} else {
			if (!first_bad[0])
				snprintf(first_bad, sizeof(first_bad),
					 "program %d: seq %llu exec %llu blocked %d finals; -j2 %llu/%llu "
					 "%d; -j3 %llu/%llu %d", n, (unsigned long long)a.executions,
					 (unsigned long long)a.blocked, n1,
					 (unsigned long long)b.executions,
					 (unsigned long long)b.blocked, n2,
					 (unsigned long long)c.executions,
					 (unsigned long long)c.blocked, n3);
			if (getenv("PVM_DEBUG_RAND")) {
				printf("# bad %d\n", n);
				rp_print();
			}
		}
		explore_result_free(&a);
		explore_result_free(&b);
		explore_result_free(&c);
	}
	tap_ok(agree == total && oracle > count / 2 && total == count,
	       "-j 2 and -j 3 agree with sequential DPOR (counts, deadlocks, final states) "
	       "and brute force (%d) on %d/%d random programs; %d deadlock findings, same on "
	       "every run %d/%d; sleep-blocked %llu sequential, %llu with -j 2 %s",
	       oracle, agree, total, findings, det, 2 * total, (unsigned long long)sleep_seq,
	       (unsigned long long)sleep_par, first_bad);
}

/* A worker that dies is an internal error naming it, not a verdict or a hang. */
static pid_t test_pid;

static void dying_exit(void *ctx)
{
	if (getpid() != test_pid && counter == 3)
		raise(SIGKILL);
}

static void test_parallel_misc(void)
{
	struct program p = { .name = "inc", .reset = inc_reset, .main = inc_main };
	struct explore_opts o;
	struct explore_result a, b;

	/* inc(3,4): 34,650 executions on 2 workers */
	explore_opts_defaults(&o);
	o.jobs = 2;
	nthreads = 3;
	kincs = 4;
	explore_any(&p, &o, &a);
	tap_ok(a.verdict == VERDICT_SAFE && a.complete && a.executions == 34650 && a.workers == 2,
	       "inc(3,4) on %d workers (%d subtrees): %llu executions", a.workers, a.subtrees,
	       (unsigned long long)a.executions);
	explore_result_free(&a);

	/* a lost update: found, with the same trace on every run, replayable */
	struct program rp2 = { .name = "racy", .reset = all_reset, .main = racy_main };
	explore_any(&rp2, &o, &a);
	explore_any(&rp2, &o, &b);
	tap_ok(a.verdict == VERDICT_VIOLATION && !strcmp(a.finding.id, "assert") &&
	       a.trace.nsteps > 0 && a.executions == b.executions && same_schedule(&a, &b),
	       "-j 2 finds the lost update in %llu executions, the same trace twice (%d steps)",
	       (unsigned long long)a.executions, a.trace.nsteps);
	explore_result_free(&a);
	explore_result_free(&b);

	/* max-executions: cut, never safe */
	o.max_executions = 100;
	explore_any(&p, &o, &a);
	tap_ok(a.verdict == VERDICT_INCOMPLETE && !a.complete && a.cut_by &&
	       !strcmp(a.cut_by, "max-executions"),
	       "-j 2 --max-executions 100: incomplete, cut by %s", a.cut_by ? a.cut_by : "-");
	explore_result_free(&a);
	o.max_executions = 0;

	/* an interrupt: cut, never safe */
	volatile int stop = 1;
	o.interrupt = &stop;
	explore_any(&p, &o, &a);
	tap_ok(a.verdict == VERDICT_INCOMPLETE && !a.complete,
	       "-j 2 interrupted: incomplete, cut by %s", a.cut_by ? a.cut_by : "-");
	explore_result_free(&a);
	o.interrupt = NULL;

	/* a worker killed by a signal */
	struct program dp = { .name = "inc", .reset = inc_reset, .main = inc_main,
			      .at_exit = dying_exit };
	test_pid = getpid();
	nthreads = 3;
	kincs = 1;
	int rc = explore_any(&dp, &o, &a);
	tap_ok(rc == -ECHILD && strstr(a.error, "killed by signal 9") && strstr(a.error, "worker "),
	       "a worker that dies is reported: %d, %s", rc, a.error);
	explore_result_free(&a);
}

/* ==== a choice that adds a step ==== */
/*
 * The shape of migrate + pipe_release + gup on one page (genmodel seed 905,
 * tests/genmodel/engine/order-dependent-count-migrate.pvs): t1's firmware
 * call may answer busy and add a retry step, then t1 takes a lock P twice
 * and a mutex M; t2 takes M; t3 takes P.  3 answers x 3 places of t3 among
 * t1's two P sections x 2 orders of M: 18 traces.  DPOR met 14 or 16 in
 * some orders: a sequence made under one answer was followed (or counted
 * as covered) under another, and a sleeping t2 that was merely
 * independent of a sequence "covered" it (dpor.c reverse_race).
 */
static int cs_p, cs_m, cs_x, cs_y;

static void cs_t1(void *arg)
{
	VIS_RMW(&cs_x, "uvc");
	cs_x++;
	if (vis_choose(3, VIS_SITE("the UV answers"))) {
		VIS_RMW(&cs_x, "uvc again");	/* busy or partial: once more */
		cs_x++;
	}
	vis_lock(&cs_p, false, VIS_SITE("spin_lock(ptl)"));
	vis_unlock(&cs_p, VIS_SITE("spin_unlock(ptl)"));
	VIS_RMW(&cs_y, "copy");
	cs_y++;
	vis_lock(&cs_p, false, VIS_SITE("spin_lock(ptl)"));
	vis_unlock(&cs_p, VIS_SITE("spin_unlock(ptl)"));
	vis_lock(&cs_m, false, VIS_SITE("mutex_lock"));
	vis_unlock(&cs_m, VIS_SITE("mutex_unlock"));
}

static void cs_t2(void *arg)
{
	vis_lock(&cs_m, false, VIS_SITE("mutex_lock"));
	vis_unlock(&cs_m, VIS_SITE("mutex_unlock"));
}

static void cs_t3(void *arg)
{
	vis_lock(&cs_p, false, VIS_SITE("spin_lock(ptl)"));
	vis_unlock(&cs_p, VIS_SITE("spin_unlock(ptl)"));
}

static void cs_main(void *arg)
{
	vis_spawn(cs_t1, NULL, NULL, VIS_SITE("spawn"));
	vis_spawn(cs_t2, NULL, NULL, VIS_SITE("spawn"));
	vis_spawn(cs_t3, NULL, NULL, VIS_SITE("spawn"));
}

static void cs_reset(void *ctx)
{
	cs_p = cs_m = cs_x = cs_y = 0;
}

static void test_choice_adds_step(void)
{
	struct program p = { .name = "choice-adds-step", .reset = cs_reset, .main = cs_main };
	struct explore_opts o;
	struct explore_result r;
	int good = 0, orders = 60;
	unsigned long long brute, worst = 0, sleep = 0;

	explore_opts_defaults(&o);
	o.random_runs = 0;
	o.mode = EXPLORE_BRUTE;
	explore_any(&p, &o, &r);
	brute = r.executions;
	explore_result_free(&r);
	for (int k = 0; k < orders; k++) {
		explore_opts_defaults(&o);
		o.random_runs = 0;
		o.random_order = (uint64_t)k;
		explore_any(&p, &o, &r);
		good += r.complete && r.executions == brute;
		if (r.executions != brute && (!worst || r.executions < worst))
			worst = r.executions;
		sleep += r.sleep_blocked;
		explore_result_free(&r);
	}
	tap_ok(brute == 18 && good == orders,
	       "a choice that adds a step: %llu traces by brute force, DPOR the same in %d of %d "
	       "orders (fewest otherwise: %llu; %llu sleep-blocked runs in all)", brute, good, orders,
	       worst, sleep);
}

int main(void)
{
	struct explore_result r;

	test_inc(2, 1, EXPLORE_DPOR);
	test_inc(2, 2, EXPLORE_DPOR);
	test_inc(3, 2, EXPLORE_DPOR);
	test_inc(2, 3, EXPLORE_BRUTE);
	test_inc(3, 4, EXPLORE_DPOR);

	run("disjoint", disjoint_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_SAFE && r.executions == 1,
	       "4 threads on disjoint variables: %llu execution", (unsigned long long)r.executions);
	explore_result_free(&r);

	run("locked", locked_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_SAFE && r.executions == 2,
	       "lock-protected counter: safe in %llu executions", (unsigned long long)r.executions);
	explore_result_free(&r);

	run("racy", racy_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_VIOLATION && !strcmp(r.finding.id, "assert"),
	       "unprotected counter: lost update found (%s: %s)", explore_verdict_name(r.verdict),
	       r.finding.message);
	tap_ok(r.trace.nsteps > 0 && r.trace.schedule_len > 0,
	       "finding carries a trace of %d steps", r.trace.nsteps);
	explore_result_free(&r);

	run("abba", abba_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_DEADLOCK && strstr(r.finding.message, "cpu0 waits in lock B") &&
	       strstr(r.finding.message, "cpu1 waits in lock A"),
	       "ABBA deadlock found: %s", r.finding.message);
	explore_result_free(&r);

	fair_writer_queues = true;
	run("fair-rwsem", fair_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_DEADLOCK &&
	       strstr(r.finding.message, "reader waits in down_read (recursive)") &&
	       strstr(r.finding.message, "writer waits in rwsem_down_write_slowpath"),
	       "writer-fair rwsem: a reader arriving while a writer is queued blocks (%s)",
	       r.finding.message);
	explore_result_free(&r);
	run("fair-rwsem", fair_main, EXPLORE_STATEFUL, &r);
	tap_ok(r.verdict == VERDICT_DEADLOCK,
	       "writer-fair rwsem, stateful: the same deadlock (%s)", explore_verdict_name(r.verdict));
	explore_result_free(&r);
	fair_writer_queues = false;
	run("unfair-rwsem", fair_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_SAFE,
	       "plain exclusive acquire: the recursive reader always gets in (%s, %llu executions)",
	       explore_verdict_name(r.verdict), (unsigned long long)r.executions);
	explore_result_free(&r);

	run("spin", spin_main, EXPLORE_DPOR, &r);
	tap_ok(r.verdict == VERDICT_SAFE && r.executions == 1,
	       "bounded spin on a flag: blocked, not endless (%llu executions)",
	       (unsigned long long)r.executions);
	explore_result_free(&r);

	/* replay reproduces a finding step for step */
	{
		struct program p = { .name = "racy", .reset = all_reset, .main = racy_main };
		struct explore_opts o;
		struct explore_result a, b;
		explore_opts_defaults(&o);
		explore_any(&p, &o, &a);
		o.mode = EXPLORE_REPLAY;
		o.replay = a.trace.schedule;
		o.replay_len = (size_t)a.trace.schedule_len;
		explore_any(&p, &o, &b);
		tap_ok(b.found && b.trace.nsteps == a.trace.nsteps &&
		       !strcmp(a.finding.message, b.finding.message),
		       "replay reproduces the finding (%d steps)", b.trace.nsteps);
		int bad[] = { 1, 1, 1, 1, 1, 1 };
		o.replay = bad;
		o.replay_len = 6;
		explore_result_free(&b);
		explore_any(&p, &o, &b);
		tap_ok(b.diverged && b.verdict == VERDICT_INCOMPLETE,
		       "a schedule that does not fit the program is refused");
		explore_result_free(&a);
		explore_result_free(&b);
	}

	/* --random-order gives the same counts */
	{
		struct program p = { .name = "inc", .reset = inc_reset, .main = inc_main };
		struct explore_opts o;
		struct explore_result a;
		explore_opts_defaults(&o);
		nthreads = 3;
		kincs = 2;
		int same = 1;
		for (uint64_t seed = 1; seed <= 5; seed++) {
			o.random_order = seed;
			explore_any(&p, &o, &a);
			same &= a.executions == multinomial(3, 2);
			explore_result_free(&a);
		}
		tap_ok(same, "random exploration orders give the same count");
	}

	/* bounds: max-executions cuts the search and says so */
	{
		struct program p = { .name = "inc", .reset = inc_reset, .main = inc_main };
		struct explore_opts o;
		struct explore_result a;
		explore_opts_defaults(&o);
		o.max_executions = 10;
		nthreads = 3;
		kincs = 2;
		explore_any(&p, &o, &a);
		tap_ok(a.verdict == VERDICT_INCOMPLETE && !a.complete && a.cut_by &&
		       !strcmp(a.cut_by, "max-executions") && a.executions == 10,
		       "max-executions: incomplete after %llu executions",
		       (unsigned long long)a.executions);
		explore_result_free(&a);
	}

	test_rwlock_orders();
	if (getenv("PVM_POR_HUNT")) {
		uint64_t hs = 99;
		static uint64_t a[FIN_MAX], b[FIN_MAX];
		int na, nb, shown = 0;
		for (int n = 0; n < atoi(getenv("PVM_POR_HUNT")) && shown < 5; n++) {
			rand_program(&hs, 3, 3);
			if (getenv("HUNT_ONLY") && n != atoi(getenv("HUNT_ONLY")))
				continue;
			int tot = 0;
			for (int t = 0; t < rp.nthreads; t++)
				tot += rp.nops[t];
			if (tot > 5)
				continue;
			struct explore_result x = rp_explore(EXPLORE_STATEFUL, false, a, &na);
			struct explore_result y = rp_explore(EXPLORE_STATEFUL, true, b, &nb);
			if (!same_finals(a, na, b, nb) || (x.blocked > 0) != (y.blocked > 0)) {
				shown++;
				printf("# hunt %d: por %d finals, no-por %d\n", n, na, nb);
				rp_print();
			}
			explore_result_free(&x);
			explore_result_free(&y);
		}
		return 0;
	}
	fin_sh = mmap(NULL, PAR_TEST_JOBS * sizeof(*fin_sh), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fin_sh == MAP_FAILED)
		return 1;
	test_parallel_misc();
	test_wide_threads();
	/*
	 * Each parallel exploration forks its workers (about 25 ms here, most of
	 * it a new process waiting for a CPU): 150 programs in the normal build,
	 * 50 under the sanitizers, which run the same code paths.
	 */
#ifdef __SANITIZE_ADDRESS__	/* the check-san build: address,undefined */
	test_random_parallel(50);
#else
	test_random_parallel(150);
#endif
	test_random_programs(600);
	printf("# the same, with two-object steps (vis_also)\n");
	rp_pairs = true;
#ifdef __SANITIZE_ADDRESS__	/* the same code paths, fewer programs */
	test_random_programs(150);
	test_random_stateful(100);
#else
	test_random_programs(400);
	test_random_stateful(300);
#endif
	rp_pairs = false;
	printf("# the same, with writer-fair acquires (vis_lock_or_queue) beside down_read\n");
	rp_fair = true;
#ifdef __SANITIZE_ADDRESS__
	test_random_programs(100);
	test_random_stateful(60);
#else
	test_random_programs(300);
	test_random_stateful(200);
#endif
	rp_fair = false;
	test_random_all(200);
	test_choice_adds_step();
	test_random_stateful(400);
	test_stateful_hb_path(200);
	test_random_commute(300);
	test_random_cycles(300);
	test_random_symmetry(getenv("PVM_SYM_N") ? atoi(getenv("PVM_SYM_N")) : 300);
	test_random_symmetry_cycles(200);
	test_choice_sleep_regression();
	return tap_done();
}
