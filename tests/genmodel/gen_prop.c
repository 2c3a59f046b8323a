// SPDX-License-Identifier: MIT
/*
 * gen_prop.c - the seeded property test of issue 18: scenarios generated
 * from the model's tables (src/scenario/gen.c) must never crash the model
 * and must get one verdict from every search.
 *
 *   gen_prop [-n CASES] [-s SEED] [-b BUDGET] [-d DIR]
 *   gen_prop --emit SEED            print case SEED's scenario text
 *
 * Case i is the scenario generated from seed SEED+i (default SEED 1,
 * CASES 1000, 250 under ASan; GEN_CASES overrides).  Cases run in child
 * processes, 50 to a child, so a signal, a sanitizer report (the san pass
 * builds this with -fno-sanitize-recover), an exit 5 (PVM_BUG_ON) or no
 * answer in 60 s is a failure of the case the child was running, and the
 * next child goes on after it.  The child parses the text (a generated
 * scenario that does not parse is the generator's bug), binds it (a
 * refusal is an answer, counted by its message), and explores it with
 * BUDGET executions (default 200) and a 5 s timeout:
 *
 *   A  stateless DPOR, as `pvcheck check --random-phase 0 --max-executions BUDGET`
 *   B  the same with two worker processes (-j 2)
 *   C  the stateful search (--stateful), its table cut at 32 K states
 *
 * B and C run only where A completed (nothing is compared elsewhere), and B
 * not where A's executions are long, and under a 10 s guard (run_guarded:
 * an engine bug, tests/genmodel/engine/); the summary counts both.  The
 * verdicts must agree wherever they can be compared: a complete "safe"
 * and a finding never meet; two different findings are both real only if
 * DPOR, asked for the other one (explore_opts.want_finding), finds it too
 * or is cut.  Where DPOR and -j 2, or DPOR and D (DPOR in another order,
 * --random-order from the case's seed, run where A completed), both
 * complete without a finding they count the same executions (one per
 * Mazurkiewicz trace); a difference fails the case: it means the model did
 * an access in a step that does not announce it (make audit names it).  A failing case is saved as DIR/gen-SEED.pvs
 * (default build/gen-failures) so that `pvcheck check` runs it again.
 * The last line is "genmodel: N passed, N failed" (tests/lib.sh style).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check/explore.h"
#include "model/model.h"
#include "scenario/gen.h"
#include "scenario/scenario.h"

_Static_assert(sizeof(uint64_t) * 8 >= 64, "op masks");

#define NSEARCH 4
static const char *const search_name[NSEARCH] = { "dpor", "-j 2", "stateful", "order" };

enum rec_state { REC_NOPARSE = 1, REC_REFUSED, REC_EXPLORED, REC_ENGINE_ERROR };

struct search_rec {
	int verdict;
	bool complete, found;
	char id[32];
	uint64_t executions, steps;
	double seconds;
};

/* What a child reports through its pipe. */
struct rec {
	int state;
	char msg[160];				/* the bind refusal, or the parse error */
	struct search_rec s[NSEARCH];
	int cross[NSEARCH];			/* DPOR asked for s[i].id: 1 found, 0 complete without, -1 cut/not run */
	uint64_t effective[2];			/* ops (mdl_ops[] index) that did their work */
	bool j2_long;				/* A done, B not run: long executions */
	bool j2_guard;				/* B killed by the guard (GUARD_S) */
	int want_incomplete;			/* DPOR and stateful asked for it: complete without */
};

static ssize_t read_all(int fd, void *buf, size_t len);

#define LONG_EXEC 100	/* steps of an execution past which -j 2 is not run */
static uint64_t budget = 200;
static bool verbose;
static double timeout_s = 5.0;
static uint64_t order_seed = 1;	/* D's --random-order: from the case's seed */

/* The schedule of each in-process search's finding, for its replay. */
static int *found_sched[NSEARCH];
static size_t found_len[NSEARCH];

static void run_search(const struct program *prog, int which, const char *want,
		       struct search_rec *out, struct scenario *scn, uint64_t max)
{
	struct explore_opts eo;
	struct explore_result res;

	explore_opts_defaults(&eo);
	scenario_apply_bounds(scn, &eo);
	eo.max_executions = max;
	eo.timeout = timeout_s;
	eo.state_memory = 1u << 20;	/* 32 K states: a deterministic cut */
	if (which == 1)
		eo.jobs = 2;
	if (which == 2)
		eo.mode = EXPLORE_STATEFUL;
	if (which == 3)
		eo.random_order = order_seed;
	eo.want_finding = want;
	memset(out, 0, sizeof(*out));
	if (explore(prog, &eo, &res)) {
		out->verdict = -1;
		snprintf(out->id, sizeof(out->id), "%.31s", res.error);
		return;
	}
	out->verdict = (int)res.verdict;
	out->complete = res.complete;
	out->found = res.found;
	if (res.found && !want && which != 1 && res.trace.schedule_len > 0) {
		size_t n = (size_t)res.trace.schedule_len;

		free(found_sched[which]);
		found_sched[which] = malloc(n * sizeof(int));
		if (found_sched[which])
			memcpy(found_sched[which], res.trace.schedule, n * sizeof(int));
		found_len[which] = found_sched[which] ? n : 0;
	}
	if (res.found)
		snprintf(out->id, sizeof(out->id), "%s", res.finding.id);
	out->executions = res.executions;
	out->steps = res.steps;
	out->seconds = res.seconds;
	if (verbose)
		fprintf(stderr, "  %s%s%s: %s%s %s, %llu executions, %.3f s\n", search_name[which],
			want ? " want " : "", want ? want : "", explore_verdict_name(res.verdict),
			res.complete ? " complete" : "", out->id, (unsigned long long)res.executions,
			res.seconds);
	explore_result_free(&res);
}

/*
 * replay_finds - does search @which's finding reproduce when its schedule
 * is replayed?  B (-j 2, in a guarded child) keeps no schedule here: its
 * finding then counts as real only if a search asked for it finds it.
 */
static bool replay_finds(const struct program *prog, int which, const char *id)
{
	struct explore_opts eo;
	struct explore_result res;
	bool ok;

	if (which == 1 || !found_sched[which])
		return false;
	explore_opts_defaults(&eo);
	eo.mode = EXPLORE_REPLAY;
	eo.replay = found_sched[which];
	eo.replay_len = found_len[which];
	eo.random_runs = 0;
	if (explore(prog, &eo, &res))
		return false;
	ok = res.found && !res.diverged && !strcmp(res.finding.id, id);
	explore_result_free(&res);
	return ok;
}

/*
 * B under a guard: in its own process group, killed with its workers after
 * GUARD_S seconds.  eng_frontier's random walks can meet a long execution
 * that A never ran (a livelock elsewhere in the tree) and then ignore every
 * budget (tests/genmodel/engine/); such a case counts as cut by the guard,
 * not as a failure.
 */
#define GUARD_S 10
static void run_guarded(const struct program *prog, struct search_rec *out,
			struct scenario *scn, bool *guarded)
{
	int fds[2], st;
	struct pollfd pfd;
	pid_t p;

	if (pipe(fds)) {
		out->verdict = -1;
		return;
	}
	p = fork();
	if (p == 0) {
		setpgid(0, 0);
		close(fds[0]);
		run_search(prog, 1, NULL, out, scn, budget);
		if (write(fds[1], out, sizeof(*out)) != (ssize_t)sizeof(*out))
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	if (p < 0) {
		close(fds[0]);
		out->verdict = -1;
		return;
	}
	setpgid(p, p);
	pfd = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	if (poll(&pfd, 1, GUARD_S * 1000) <= 0) {
		kill(-p, SIGKILL);
		*guarded = true;
		out->verdict = -2;	/* as not run */
	} else if (read_all(fds[0], out, sizeof(*out)) != (ssize_t)sizeof(*out)) {
		out->verdict = -1;	/* it died: explore() failed or crashed */
	}
	close(fds[0]);
	while (waitpid(p, &st, 0) < 0 && errno == EINTR)
		;
}

static void run_case(const char *text, size_t len, struct rec *rp)
{
	struct rec r;
	struct scenario *scn = NULL;
	struct scn_diag d;
	struct program prog;

	memset(&r, 0, sizeof(r));
	if (scenario_parse("gen.pvs", text, len, &scn, &d)) {
		r.state = REC_NOPARSE;
		snprintf(r.msg, sizeof(r.msg), "%d:%d: %.140s", d.line, d.col, d.msg);
		goto out;
	}
	if (scenario_bind(scn, NULL, 0, &d)) {
		r.state = REC_REFUSED;
		snprintf(r.msg, sizeof(r.msg), "%.159s", d.msg);
		goto out;
	}
	r.state = REC_EXPLORED;
	scenario_program(scn, &prog);
	for (int i = 0; i < NSEARCH; i++) {
		/*
		 * The verdicts are compared where two searches complete.  B is
		 * the same tree as A on two workers, C the stateful search:
		 * they run only when A completed (a finding or safe); where A
		 * was cut nothing could be compared, and the crashes of the
		 * stateful search are make fuzz-model's.  -j 2 does not run where A's executions are
		 * long (a no-progress finding, or more than LONG_EXEC steps on
		 * average): its frontier (eng_frontier, frontier_estimate)
		 * replays every prefix of each random walk from the start,
		 * quadratic in the execution's length, before any worker
		 * starts, and neither max_executions nor the timeout cuts it:
		 * a minute for 257 steps, more than ten for 4096 (an engine
		 * bug; tests/genmodel/engine/ has the reproducers).
		 */
		bool a_done = r.s[0].complete || r.s[0].found;
		bool a_long = r.s[0].verdict == VERDICT_NO_PROGRESS ||
			      r.s[0].steps > LONG_EXEC * (r.s[0].executions ? r.s[0].executions : 1);

		r.s[i].verdict = -2;		/* not run */
		if (getenv("GEN_SKIP") && strchr(getenv("GEN_SKIP"), '0' + i))
			continue;
		if ((i == 2 || i == 3) && !a_done)
			continue;
		if (i == 1 && (!a_done || a_long)) {
			r.j2_long = a_done && a_long;
			continue;
		}
		if (i == 1)
			run_guarded(&prog, &r.s[i], scn, &r.j2_guard);
		else
			run_search(&prog, i, NULL, &r.s[i], scn, budget);
		if (r.s[i].verdict == -1)
			r.state = REC_ENGINE_ERROR;
		if (i == 0) {
			for (int t = 0; t < scn->nthreads; t++)
				for (int j = 0; j < scn->threads[t].nops; j++) {
					const struct scn_op *op = scenario_op_record(scn, t, j);

					if (op->done && op->op < 128)
						r.effective[op->op / 64] |= 1ull << (op->op % 64);
				}
		}
	}
	/* a finding the others did not report: must DPOR find it when asked? */
	for (int i = 0; i < NSEARCH; i++) {
		r.cross[i] = -1;
		if (r.state == REC_EXPLORED && r.s[i].found &&
		    (!r.s[0].found || strcmp(r.s[0].id, r.s[i].id) ||
		     (r.s[1].found && strcmp(r.s[1].id, r.s[i].id)) ||
		     (r.s[2].found && strcmp(r.s[2].id, r.s[i].id)) ||
		     (r.s[3].found && strcmp(r.s[3].id, r.s[i].id)))) {
			struct search_rec x;

			/*
			 * DPOR asked for one finding is not complete when
			 * another finding ends its executions: an execution
			 * that ends at the first finding never runs the other
			 * threads' later steps, so no race with them reverses
			 * it (seed 66: t1's first steps reach INV-01, t0's
			 * reach INV-02, and nothing between them is
			 * dependent: one execution, "complete").  The
			 * stateful search explores every successor of every
			 * state it keeps; it is asked when DPOR is not sure.
			 */
			run_search(&prog, 0, r.s[i].id, &x, scn, budget);
			if (!(x.found && !strcmp(x.id, r.s[i].id)))
				run_search(&prog, 2, r.s[i].id, &x, scn, budget);
			if (x.found && !strcmp(x.id, r.s[i].id)) {
				r.cross[i] = 1;
			} else if (x.complete) {
				/* is it real?  Its own schedule, replayed, says */
				r.want_incomplete++;
				r.cross[i] = replay_finds(&prog, i, r.s[i].id) ? 1 : 0;
			}
		}
	}
out:
	scenario_free(scn);
	*rp = r;
}

static int generate(uint64_t seed, char *buf);

/*
 * A child runs cases @first.. in turn and writes one record for each; it
 * dies with the case that crashes (the parent starts the next child after
 * it).  One process per batch, not per case: a fresh process pays for
 * the engine's pools again (page faults), half the time of a small case.
 */
static void child(uint64_t first, long n, int fd)
{
	static char text[SCN_GEN_MAX];

	for (long c = 0; c < n; c++) {
		struct rec r;
		int len = generate(first + (uint64_t)c, text);

		order_seed = 1 + (first + (uint64_t)c) % 997;
		for (int i = 0; i < NSEARCH; i++) {
			free(found_sched[i]);
			found_sched[i] = NULL;
			found_len[i] = 0;
		}

		alarm(60);	/* a hang is a failure too (SIGALRM) */
		if (len < 0)
			_exit(3);
		/* the harness's own test: GEN_SELFTEST_CRASH=SEED dies there */
		if (getenv("GEN_SELFTEST_CRASH") &&
		    strtoull(getenv("GEN_SELFTEST_CRASH"), NULL, 0) == first + (uint64_t)c)
			raise(SIGSEGV);
		run_case(text, (size_t)len, &r);
		if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(2);
	}
	_exit(0);
}

/* verdict class: 0 safe (complete, nothing), 1 finding, 2 cut */
static int vclass(const struct search_rec *s)
{
	if (s->verdict == -2)
		return 3;	/* not run */
	return s->found ? 1 : s->complete && s->verdict == 0 ? 0 : 2;
}

/* Return NULL if the three searches agree, else why not (into @buf). */
static const char *disagreement(const struct rec *r, char *buf, size_t size)
{
	for (int i = 0; i < NSEARCH; i++)
		for (int j = i + 1; j < NSEARCH; j++) {
			int ci = vclass(&r->s[i]), cj = vclass(&r->s[j]);

			if ((ci == 0 && cj == 1) || (ci == 1 && cj == 0)) {
				int f = ci == 1 ? i : j, s = ci == 1 ? j : i;

				snprintf(buf, size, "%s finds %s, %s says safe (complete, %llu executions)",
					 search_name[f], r->s[f].id, search_name[s],
					 (unsigned long long)r->s[s].executions);
				return buf;
			}
		}
	for (int i = 0; i < NSEARCH; i++)
		if (r->cross[i] == 0) {
			snprintf(buf, size, "%s finds %s, but DPOR asked for it explores completely "
				 "without it", search_name[i], r->s[i].id);
			return buf;
		}
	/*
	 * Optimal DPOR explores one execution per Mazurkiewicz trace, in any
	 * order and on any number of workers: where A and B, or A and D,
	 * both explored completely without a finding, they count the same.
	 * This caught the model announcing an access in the wrong step
	 * (tests/genmodel/engine/order-dependent-count.pvs: 31, 21 under
	 * --random-order 2, 36 under -j 2, before lru_add_drain_cpu popped one
	 * page per step).
	 */
	for (int i = 1; i <= 3; i += 2)
		if (vclass(&r->s[0]) == 0 && vclass(&r->s[i]) == 0 &&
		    r->s[0].executions != r->s[i].executions) {
			snprintf(buf, size, "complete DPOR counts %llu executions, %s %llu",
				 (unsigned long long)r->s[0].executions, i == 1 ? "-j 2" : "another order",
				 (unsigned long long)r->s[i].executions);
			return buf;
		}
	return NULL;
}

static void save(const char *dir, uint64_t seed, const char *text, size_t len, char *path,
		 size_t size)
{
	FILE *f;

	mkdir(dir, 0777);
	snprintf(path, size, "%s/gen-%llu.pvs", dir, (unsigned long long)seed);
	f = fopen(path, "w");
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

static int generate(uint64_t seed, char *buf)
{
	struct scn_gen g;
	char name[32];

	scn_gen_init(&g, seed, NULL, 0);
	snprintf(name, sizeof(name), "gen-%llu", (unsigned long long)seed);
	return scn_generate(&g, name, buf, SCN_GEN_MAX);
}

/* refusal messages, counted by their first words */
#define NREF 48
static struct { char key[40]; int n; } refusals[NREF];
static int nrefusals;

static void count_refusal(const char *msg)
{
	char key[40];
	int i;

	snprintf(key, sizeof(key), "%.39s", msg);
	for (i = 0; key[i]; i++)
		if (key[i] == '\'' || (key[i] >= '0' && key[i] <= '9'))
			key[i] = '_';	/* names and numbers vary */
	for (i = 0; i < nrefusals; i++)
		if (!strcmp(refusals[i].key, key)) {
			refusals[i].n++;
			return;
		}
	if (nrefusals < NREF) {
		snprintf(refusals[nrefusals].key, sizeof(refusals[0].key), "%s", key);
		refusals[nrefusals++].n = 1;
	}
}

#define BATCH 50	/* cases per child process */

static uint64_t used[2];	/* operations the generator wrote */

static ssize_t read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (ssize_t)got;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/* Count the operations case @seed's text names (the parent regenerates it). */
static void note_ops(uint64_t seed)
{
	static char text[SCN_GEN_MAX];
	struct scenario *s = NULL;
	struct scn_diag d;
	int n = generate(seed, text);

	if (n < 0 || scenario_parse("gen.pvs", text, (size_t)n, &s, &d))
		return;
	for (int t = 0; t < s->nthreads; t++)
		for (int j = 0; j < s->threads[t].nops; j++)
			for (int k = 0; k < mdl_nops && k < 128; k++)
				if (!strcmp(s->threads[t].ops[j].name.s, mdl_ops[k].name))
					used[k / 64] |= 1ull << (k % 64);
	scenario_free(s);
}

static void save(const char *dir, uint64_t seed, const char *text, size_t len, char *path,
		 size_t size);

static void fail_case(uint64_t seed, const char *why, const char *dir)
{
	static char text[SCN_GEN_MAX];
	char path[512];
	int n = generate(seed, text);

	path[0] = '\0';
	if (n >= 0)
		save(dir, seed, text, (size_t)n, path, sizeof(path));
	printf("FAIL: seed %llu: %s (%s)\n", (unsigned long long)seed, why, path);
}

int main(int argc, char **argv)
{
#ifdef __SANITIZE_ADDRESS__
	long ncases = 250;
#else
	long ncases = 1000;
#endif
	uint64_t seed0 = 1, effective[2] = { 0, 0 };
	const char *dir = "build/gen-failures";
	int pass = 0, fail = 0, nrefused = 0, nexplored = 0, verdicts[NSEARCH][4] = { { 0 } }, nocmp = 0, nguard = 0, nwant = 0;
	static char text[SCN_GEN_MAX];
	struct timespec t0, t1;
	const char *env = getenv("GEN_CASES");

	if (env)
		ncases = atol(env);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--emit") && i + 1 < argc) {
			int n = generate(strtoull(argv[i + 1], NULL, 0), text);

			if (n < 0)
				return 5;
			fwrite(text, 1, (size_t)n, stdout);
			return 0;
		} else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			ncases = atol(argv[++i]);
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			seed0 = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-b") && i + 1 < argc) {
			budget = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "-d") && i + 1 < argc) {
			dir = argv[++i];
		} else {
			fprintf(stderr, "usage: gen_prop [-n CASES] [-s SEED] [-b BUDGET] [-d DIR] | "
				"--emit SEED\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long c = 0; c < ncases; ) {
		int fds[2], st;
		pid_t pid;
		long batch = ncases - c < BATCH ? ncases - c : BATCH, done = 0;
		struct rec r;

		fflush(stdout);
		if (pipe(fds)) {
			perror("pipe");
			return 2;
		}
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (pid == 0) {
			close(fds[0]);
			child(seed0 + (uint64_t)c, batch, fds[1]);
		}
		close(fds[1]);
		for (;;) {
			uint64_t seed = seed0 + (uint64_t)(c + done);
			ssize_t got = done < batch ? read_all(fds[0], &r, sizeof(r)) : 0;
			char why[320];
			const char *bad = NULL;

			if (got != (ssize_t)sizeof(r)) {
				close(fds[0]);
				while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
					;
				if (done == batch && WIFEXITED(st) && WEXITSTATUS(st) == 0)
					break;
				/* the child died in case c + done */
				if (WIFSIGNALED(st))
					snprintf(why, sizeof(why), "killed by signal %d%s", WTERMSIG(st),
						 WTERMSIG(st) == SIGALRM ? " (no answer in 60 s)" : "");
				else
					snprintf(why, sizeof(why), "exit %d%s", WEXITSTATUS(st),
						 WEXITSTATUS(st) == 5 ? " (internal error)" : "");
				fail_case(seed, why, dir);
				fail++;
				done++;
				break;
			}
			note_ops(seed);
			if (r.state == REC_NOPARSE) {
				snprintf(why, sizeof(why), "the generated text does not parse: %s", r.msg);
				bad = why;
			} else if (r.state == REC_ENGINE_ERROR) {
				snprintf(why, sizeof(why), "explore() failed");
				bad = why;
			} else if (r.state == REC_REFUSED) {
				nrefused++;
				count_refusal(r.msg);
			} else {
				nexplored++;
				for (int i = 0; i < NSEARCH; i++)
					verdicts[i][vclass(&r.s[i])]++;
				nocmp += r.j2_long;
				nguard += r.j2_guard;
				nwant += r.want_incomplete > 0;
				effective[0] |= r.effective[0];
				effective[1] |= r.effective[1];
				bad = disagreement(&r, why, sizeof(why));
			}
			if (bad) {
				fail_case(seed, bad, dir);
				fail++;
			} else {
				pass++;
			}
			done++;
		}
		c += done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("genmodel: %ld scenarios (seeds %llu..%llu, budget %llu executions): %d explored, "
	       "%d refused by the binder, %.1f s\n", ncases, (unsigned long long)seed0,
	       (unsigned long long)(seed0 + (uint64_t)ncases - 1), (unsigned long long)budget,
	       nexplored, nrefused, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (int i = 0; i < NSEARCH; i++)
		printf("  %-8s safe %d, finding %d, cut %d, not run %d\n", search_name[i],
		       verdicts[i][0], verdicts[i][1], verdicts[i][2], verdicts[i][3]);
	printf("  -j 2 not run on long executions (no-progress, > %d steps; engine bug): %d\n",
	       LONG_EXEC, nocmp);
	printf("  -j 2 killed after %d s (engine bug): %d\n", GUARD_S, nguard);
	printf("  a finding another search found, which DPOR and the stateful search asked for "
	       "explore completely without (another finding ends their executions; its own "
	       "schedule replays it): %d\n", nwant);
	{
		int nu = 0, ne = 0;

		for (int k = 0; k < mdl_nops && k < 128; k++) {
			nu += !!(used[k / 64] & (1ull << (k % 64)));
			ne += !!(effective[k / 64] & (1ull << (k % 64)));
		}
		printf("  operations written %d of %d, did their work in some case %d:", nu, mdl_nops, ne);
		for (int k = 0; k < mdl_nops && k < 128; k++)
			if (!(effective[k / 64] & (1ull << (k % 64))))
				printf(" -%s", mdl_ops[k].name);
		printf("\n");
	}
	for (int i = 0; i < nrefusals; i++)
		printf("  refused %4d  %s...\n", refusals[i].n, refusals[i].key);
	printf("genmodel: %d passed, %d failed\n", pass, fail);
	return fail ? 1 : 0;
}
