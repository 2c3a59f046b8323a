// SPDX-License-Identifier: MIT
/*
 * frontier.c - `-j N`: optimal DPOR split over N worker processes: the
 * top of the tree is expanded fully into a frontier of prefixes, each with
 * the sleep set that the sleep-set rule gives after it; the workers explore
 * the subtrees below them with optimal DPOR (dpor_subtree).
 *
 * The engine keeps its state in one global and runs threads on fibers at
 * fixed addresses, so workers are processes: forked after the frontier is
 * computed, they share nothing but two pipes each (subtree numbers in,
 * results out) and a small shared page (a stop flag and an execution counter
 * per worker).  Work is shared dynamically: an idle worker gets the next
 * unexplored subtree, in order.
 *
 * Why the subtrees are independent and the count is exact:
 *
 *   1. Optimal DPOR inserts a reversed race into the wakeup tree of the
 *      node where its first event ran, which may lie anywhere above, so
 *      the subtrees of a sequential search depend on each other.
 *   2. Here the nodes above depth d are expanded fully instead
 *      (frontier_build): at each one, every enabled thread not asleep is a
 *      branch, taken in thread order, every value of a choice is a branch,
 *      and each child gets the sleep set of the sleep-set rule: the
 *      sleepers and earlier siblings whose (executed) operation is
 *      independent of the branch's.  A node whose enabled threads are all
 *      asleep is dropped, as the sequential search counts it: sleep-blocked.
 *   3. Exploring every enabled thread with sleep sets visits every
 *      Mazurkiewicz trace, and at most one complete execution of each
 *      (Godefroid): so the frontier nodes partition the traces, and the
 *      traces of node k are the maximal extensions of its prefix in which
 *      no thread of its sleep set is an initial.
 *   4. Optimal DPOR started at node k with that sleep set
 *      (explore_subtree) explores those traces, once each.  Races
 *      whose first event lies in the prefix are dropped: the reversal
 *      starts at a fully expanded node, where step 2 explores it in a
 *      sibling.  One rule of the sequential search needs care: it drops a
 *      reversal v when a sleeping thread is a weak initial of v, because
 *      the traces that thread covers are completed by races found in its
 *      own subtree, which may be reversed above the frontier, and so are
 *      dropped here.  So a thread asleep since the frontier makes v
 *      redundant only when it occurs in v as an initial (every extension
 *      then starts with it: another subtree's trace).  One merely
 *      independent of v stays asleep through v and wakes only after a
 *      dependent step, so no trace is explored twice (reverse_race; the
 *      unit test found the case: CAS / RMW+rwlock / CAS on one variable).
 *   5. So the complete executions of all subtrees number exactly the
 *      traces, as in the sequential search; sleep-blocked executions may
 *      differ (more of them), and are reported as they are.
 *
 * Determinism: node k's result (its count, its first finding) depends only
 * on k.  The reported finding is the one of the lowest-numbered node that
 * has one: nodes below it are explored to the end, higher ones are
 * cancelled, and the counts are the sum over the nodes up to it.  With
 * keep_going or a safe verdict everything is summed.  A bound on the
 * executions is applied in the same way: the search is cut when the
 * executions of the nodes up to the lowest one not finished without a
 * finding exceed it, which depends on the nodes' counts only.  A timeout
 * or an interrupt stops every worker; the result is then incomplete.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check/dpor.h"
#include "check/frontier.h"
#include "check/walk.h"
#include "lib/bug.h"

#define PAR_SUBTREES_PER_WORKER	8
#define PAR_MAX_SUBTREES	512	/* cap of the level-by-level target; best first splits up to 8x that */
#define PAR_MAX_DEPTH		64
#define PAR_POLL_MS		20


/* A prefix of the frontier, with the sleep set after it. */
struct fnode {
	int32_t len;			/* positions of the prefix */
	int32_t off;			/* its schedule in frontier.sched */
	tset_t sleep;			/* threads asleep after the prefix */
	bool ended;			/* the execution ended inside the prefix */
	struct op sleep_op[MAXT];	/* their operations (as executed) */
};

struct frontier {
	struct fnode *nodes;		/* in depth-first order */
	int n, cap;
	int *sched;			/* thread ids; -1-v: value v of a choice */
	size_t nsched, schedcap;
	int depth;			/* longest prefix of a leaf */
	uint64_t sleep_blocked;		/* prefixes dropped: every enabled thread asleep */
};

/* ==== The frontier ======================================================= */

/* Append a node with prefix @sched[0..@len) to @f; Return: it, or NULL. */
static struct fnode *fnode_add(struct frontier *f, const int *sched, int len)
{
	if (f->n == f->cap) {
		int cap = f->cap ? 2 * f->cap : 64;
		struct fnode *n = realloc(f->nodes, (size_t)cap * sizeof(*n));
		if (!n)
			return NULL;
		f->nodes = n;
		f->cap = cap;
	}
	if (f->nsched + (size_t)len >= f->schedcap) {	/* never NULL after the first node */
		size_t cap = f->schedcap ? 2 * f->schedcap : 1024;
		while (cap < f->nsched + (size_t)len)
			cap *= 2;
		int *n = realloc(f->sched, cap * sizeof(*n));
		if (!n)
			return NULL;
		f->sched = n;
		f->schedcap = cap;
	}
	struct fnode *nd = &f->nodes[f->n++];
	memset(nd, 0, sizeof(*nd));
	nd->len = len;
	nd->off = (int32_t)f->nsched;
	if (len)
		memcpy(f->sched + f->nsched, sched, (size_t)len * sizeof(int));
	f->nsched += (size_t)len;
	return nd;
}

/*
 * frontier_expand - replay node @k of @from and append its children to @to
 * (a node whose execution ended within its prefix is copied as it is).
 * Return: 0, or -ENOMEM.
 */
static int frontier_expand(const struct frontier *from, int k, struct frontier *to,
			   int *buf)
{
	const struct fnode *nd = &from->nodes[k];
	struct explore_opts o = *E.opts;
	const struct explore_opts *saved = E.opts;
	struct fnode *c;
	int len = nd->len;

	if (len)	/* the root's schedule may be NULL */
		memcpy(buf, from->sched + nd->off, (size_t)len * sizeof(int));
	if (nd->ended) {
		c = fnode_add(to, buf, len);
		if (!c)
			return -ENOMEM;
		*c = *nd;
		c->off = (int32_t)(to->nsched - (size_t)len);
		return 0;
	}
	o.replay = buf;
	o.replay_len = (size_t)len;
	E.opts = &o;
	sched_run_one(&walk_prefix);
	E.opts = saved;
	if (E.end == END_DIVERGED)
		pvm_bug("replayed prefix diverged: the program is not deterministic "
			"(does it read uninitialised or external state?)",
			__FILE__, __LINE__, __func__);
	if (E.end != END_PREFIX) {
		/* the execution ended inside the prefix: a leaf, run by a worker */
		c = fnode_add(to, buf, len);
		if (!c)
			return -ENOMEM;
		c->sleep = nd->sleep;
		memcpy(c->sleep_op, nd->sleep_op, sizeof(c->sleep_op));
		c->ended = true;
		return 0;
	}
	if (E.prefix_nchoices) {
		/* a choice: every value, each with the whole sleep set (sleep_after) */
		for (int v = 0; v < E.prefix_nchoices; v++) {
			buf[len] = -1 - v;
			c = fnode_add(to, buf, len + 1);
			if (!c)
				return -ENOMEM;
			c->sleep = nd->sleep;
			memcpy(c->sleep_op, nd->sleep_op, sizeof(c->sleep_op));
		}
		return 0;
	}
	tset_t branches = E.prefix_en & ~nd->sleep;
	if (!branches) {
		to->sleep_blocked++;	/* as an END_SLEEP execution of the search */
		return 0;
	}
	tset_t explored = 0;
	struct op xop[MAXT];
	for (int t = 0; t < E.nthreads; t++) {
		if (!(branches & TSET_BIT(t)))
			continue;
		struct op op = sched_exact_op(t);
		buf[len] = t;
		c = fnode_add(to, buf, len + 1);
		if (!c)
			return -ENOMEM;
		for (int q = 0; q < MAXT; q++) {
			const struct op *qop;
			if (nd->sleep & TSET_BIT(q))
				qop = &nd->sleep_op[q];
			else if (explored & TSET_BIT(q))
				qop = &xop[q];
			else
				continue;
			if (!op_dependent(qop, &op)) {
				c->sleep |= TSET_BIT(q);
				c->sleep_op[q] = *qop;
			}
		}
		explored |= TSET_BIT(t);
		xop[t] = op;
	}
	return 0;
}

static void frontier_free(struct frontier *f)
{
	free(f->nodes);
	free(f->sched);
	memset(f, 0, sizeof(*f));
}

#define FRONTIER_WALKS	4	/* random walks per estimate */

/*
 * frontier_estimate - the size of the subtree below node @k of @f, by
 * Knuth's estimator of a tree's nodes: walk down at random as frontier_build
 * would expand (every enabled thread not asleep, the sleep sets passed
 * on), add up the products of the numbers of branches met, and average
 * over the walks.  That is the size of the sleep-set tree, whose walks
 * mostly end with every enabled thread asleep: a proxy for the work of
 * optimal DPOR below the node, not its count.  Replays each prefix of a
 * walk.
 */
static double frontier_estimate(const struct frontier *f, int k, int *buf)
{
	double sum = 0;

	for (int w = 0; w < FRONTIER_WALKS; w++) {
		struct frontier a = { 0 }, b = { 0 };
		struct fnode *c = fnode_add(&a, f->sched + f->nodes[k].off, f->nodes[k].len);
		double prod = 1;
		if (!c)
			break;
		int32_t off = c->off;
		*c = f->nodes[k];
		c->off = off;
		for (;;) {
			if (a.nodes[0].ended || a.nodes[0].len >= MAXEV)
				break;
			b.n = 0;
			b.nsched = 0;
			if (frontier_expand(&a, 0, &b, buf) || b.n == 0)
				break;		/* every enabled thread asleep */
			prod *= b.n;
			sum += prod;
			int r = (int)(sched_rng_next() % (uint64_t)b.n);
			a.n = 0;
			a.nsched = 0;
			c = fnode_add(&a, b.sched + b.nodes[r].off, b.nodes[r].len);
			if (!c)
				break;
			off = c->off;
			*c = b.nodes[r];
			c->off = off;
		}
		frontier_free(&a);
		frontier_free(&b);
	}
	return sum / FRONTIER_WALKS;
}

/*
 * frontier_build - expand the top of the execution tree fully: level by level
 * until there are @want leaves, then best first until no leaf holds more
 * than 1/@want of the estimated work or there are 8 * @want leaves; never
 * at depth @max_depth or below.  Best first: the leaf with the largest
 * estimate (frontier_estimate) is replaced by its children; a leaf
 * estimated empty is never expanded.  Level by level alone left inc(4,3)'s
 * work in one of 22 subtrees.  The leaves are the frontier,
 * in the order of a depth-first search (lowest thread, lowest value first);
 * any set of leaves reached by expanding nodes fully partitions the traces
 * (the top of this file).  The walks draw from a fixed seed: the frontier is the same
 * on every run.
 * Context: in explore(), after the random phase; replays each prefix of a
 * walk or an expansion from reset.
 * Return: 0, or -ENOMEM.
 */
static int frontier_build(int want, int max_depth, struct frontier *f)
{
	struct frontier cur = { 0 }, kids = { 0 };
	static int buf[MAXEV + 2];
	double *est = NULL;
	uint64_t saved_rng = E.rng;
	int rc = 0, cap = 8 * want;

	memset(f, 0, sizeof(*f));
	sched_rng_seed(0x70766368);	/* "pvch": fixed */
	if (!fnode_add(&cur, NULL, 0))
		return -ENOMEM;
	/* level by level first: near the root most walks die asleep */
	for (int depth = 0; depth < max_depth && cur.n < want && !rc; depth++) {
		struct frontier next = { 0 };
		bool grew = false;
		next.sleep_blocked = cur.sleep_blocked;
		for (int k = 0; k < cur.n && !rc; k++) {
			grew |= !cur.nodes[k].ended;
			rc = frontier_expand(&cur, k, &next, buf);
		}
		frontier_free(&cur);
		cur = next;
		if (!grew)
			break;
	}
	est = rc ? NULL : malloc((size_t)cur.n * sizeof(*est));
	if (!est) {
		frontier_free(&cur);
		E.rng = saved_rng;
		return -ENOMEM;
	}
	for (int k = 0; k < cur.n; k++)
		est[k] = frontier_estimate(&cur, k, buf);
	/* then best first, by the estimates */
	while (cur.n < cap) {
		double total = 0, best = 0;
		int i = -1;
		for (int k = 0; k < cur.n; k++) {
			total += est[k];
			if (est[k] > best && !cur.nodes[k].ended && cur.nodes[k].len < max_depth) {
				best = est[k];
				i = k;
			}
		}
		if (i < 0 || (cur.n > 1 && best * want <= total))
			break;
		kids.n = 0;
		kids.nsched = 0;
		rc = frontier_expand(&cur, i, &kids, buf);
		if (rc)
			break;
		/* the new frontier: leaves before i, i's children, leaves after i */
		struct frontier next = { 0 };
		double *nest = malloc((size_t)(cur.n + kids.n) * sizeof(*nest));
		next.sleep_blocked = cur.sleep_blocked + kids.sleep_blocked;
		kids.sleep_blocked = 0;
		int m = 0;
		for (int k = 0; k < cur.n && nest && !rc; k++) {
			const struct frontier *from = k == i ? &kids : &cur;
			int lo = k == i ? 0 : k, hi = k == i ? kids.n : k + 1;
			for (int j = lo; j < hi; j++) {
				struct fnode *c = fnode_add(&next, from->sched + from->nodes[j].off,
								from->nodes[j].len);
				if (!c) {
					rc = -ENOMEM;
					break;
				}
				int32_t off = c->off;
				*c = from->nodes[j];
				c->off = off;
				nest[m++] = k == i ? frontier_estimate(from, j, buf) : est[k];
			}
		}
		if (!nest)
			rc = -ENOMEM;
		frontier_free(&cur);
		free(est);
		cur = next;
		est = nest;
		if (rc)
			break;
	}
	frontier_free(&kids);
	free(est);
	E.rng = saved_rng;
	if (rc) {
		frontier_free(&cur);
		return rc;
	}
	for (int k = 0; k < cur.n; k++)
		if (cur.nodes[k].len > cur.depth)
			cur.depth = cur.nodes[k].len;
	*f = cur;
	return 0;
}

/*
 * explore_subtree - optimal DPOR below frontier node @k of @f: its prefix
 * replays, its sleep set is the initial one, and nothing above it is
 * backtracked or receives a wakeup sequence.  @wopts: the worker's options
 * (no execution bound, its own stop flag); @count: its complete executions so
 * far, updated after each execution.
 * Context: a worker process, one subtree at a time.
 */
static void explore_subtree(const struct frontier *f, int k, const struct explore_opts *wopts,
			    struct explore_result *r, volatile uint64_t *count)
{
	const struct fnode *fn = &f->nodes[k];
	struct explore_result *saved_res = E.res;
	const struct explore_opts *saved_opts = E.opts;

	memset(r, 0, sizeof(*r));
	r->complete = true;
	E.res = r;
	E.opts = wopts;
	E.par_count = count;
	dpor_subtree(f->sched + fn->off, fn->len, fn->sleep, fn->sleep_op,
		     wopts->random_order ? mix64(wopts->random_order + (uint64_t)k) : 0);
	E.par_count = NULL;
	E.res = saved_res;
	E.opts = saved_opts;
}

/* ==== The workers ========================================================= */

/* Shared with the workers (MAP_SHARED): written by one side each. */
struct par_shm {
	volatile int stop[EXPLORE_MAX_JOBS];		/* parent: stop this subtree */
	volatile uint64_t count[EXPLORE_MAX_JOBS];	/* worker: executions so far */
};

/* A worker's report on one subtree; the finding's schedule follows. */
struct par_msg {
	int32_t node;
	int32_t schedule_len;
	struct explore_result r;	/* pointers: cut_by (a literal), no trace */
};

enum par_state { N_PENDING, N_RUNNING, N_DONE, N_CANCELLED };

struct par_node {
	enum par_state state;
	int worker;
	struct explore_result r;	/* N_DONE: the report, r.trace.schedule ours */
};

struct par_worker {
	pid_t pid;
	int to, from;			/* pipe ends: subtree numbers out, reports in */
	int node;			/* subtree being explored, -1: idle */
};

/* Write or read @n bytes; Return: 0, or -1 (error or end of file). */
static int write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * worker_main - explore the subtrees the parent sends until it sends -1 or
 * closes the pipe.  Dies with the parent (PR_SET_PDEATHSIG); ignores SIGINT,
 * which the parent handles for everyone.
 */
static _Noreturn void worker_main(int w, const struct par_worker *wk, const struct frontier *f,
				  const struct explore_opts *opts, struct par_shm *shm, pid_t parent)
{
	struct explore_opts wo = *opts;

	signal(SIGINT, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	for (int j = 0; j < w; j++) {
		close(wk[j].to);
		close(wk[j].from);
	}
	wo.max_executions = 0;		/* the parent applies it */
	wo.interrupt = &shm->stop[w];
	wo.progress = NULL;
	wo.worker_init = NULL;
	if (opts->worker_init)
		opts->worker_init(w);
	for (;;) {
		int32_t k;
		struct par_msg m;

		if (read_full(wk[w].to, &k, sizeof(k)) || k < 0)
			_exit(0);
		memset(&m, 0, sizeof(m));
		explore_subtree(f, k, &wo, &m.r, &shm->count[w]);
		m.node = k;
		m.schedule_len = m.r.found ? m.r.trace.schedule_len : 0;
		if (write_full(wk[w].from, &m, sizeof(m)) ||
		    (m.schedule_len && write_full(wk[w].from, m.r.trace.schedule,
						  (size_t)m.schedule_len * sizeof(int))))
			_exit(1);
		free(m.r.trace.schedule);
	}
}

/* Describe how worker @w ended (reaped here) into @res->error. */
static void worker_died(const struct par_worker *wk, int w, int nsub, struct explore_result *res)
{
	int status = 0;
	char how[96];

	if (waitpid(wk[w].pid, &status, 0) < 0)
		snprintf(how, sizeof(how), "closed its pipe");
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
	if (wk[w].node >= 0)
		snprintf(res->error, sizeof(res->error),
			 "worker %d (pid %d) %s while exploring subtree %d of %d", w,
			 (int)wk[w].pid, how, wk[w].node, nsub);
	else
		snprintf(res->error, sizeof(res->error), "worker %d (pid %d) %s", w,
			 (int)wk[w].pid, how);
}

/*
 * Hand the next subtree (if any up to @limit) to idle worker @w.
 * Return: 1 if it got one, 0 if none is left, -1 if it is gone.
 */
static int assign(struct par_worker *wk, int w, struct par_node *nodes, int n, int *next,
		  int limit, struct par_shm *shm)
{
	if (*next >= n || *next > limit)
		return 0;
	int32_t k = *next;
	shm->stop[w] = 0;
	shm->count[w] = 0;
	wk[w].node = k;
	if (write_full(wk[w].to, &k, sizeof(k)))
		return -1;
	nodes[k].state = N_RUNNING;
	nodes[k].worker = w;
	(*next)++;
	return 1;
}

/* Executions of node @k so far (a lower bound while it runs). */
static uint64_t node_count(const struct par_node *nd, const struct par_shm *shm)
{
	if (nd->state == N_DONE)
		return nd->r.executions;
	if (nd->state == N_RUNNING)
		return shm->count[nd->worker];
	return 0;
}

static void add_node(struct explore_result *res, const struct explore_result *r)
{
	res->executions += r->executions;
	res->blocked += r->blocked;
	res->sleep_blocked += r->sleep_blocked;
	res->spin_blocked += r->spin_blocked;
	res->infeasible += r->infeasible;
	res->steps += r->steps;
	if (!r->complete) {
		res->complete = false;
		if (!res->cut_by)
			res->cut_by = r->cut_by;
	}
	if (r->limit[0] && !res->limit[0])
		memcpy(res->limit, r->limit, sizeof(res->limit));
}

/*
 * frontier_run - the DPOR search of explore() on @opts->jobs workers; the
 * random phase has run.  Fills the counts, completeness and the finding's
 * schedule of @res (explore() records its trace).
 * Context: process context; forks, waits for its workers, and ignores
 * SIGPIPE while they run.
 * Return: 0; -ECHILD if a worker died (@res->error says which); -errno if
 * the workers could not be started; -ENOMEM.
 */
int frontier_run(const struct program *prog, const struct explore_opts *opts,
		struct explore_result *res)
{
	struct frontier f;
	struct par_worker wk[EXPLORE_MAX_JOBS];
	struct par_node *nodes;
	struct par_shm *shm;
	struct sigaction ign, old_pipe;
	int jobs = opts->jobs > EXPLORE_MAX_JOBS ? EXPLORE_MAX_JOBS : opts->jobs;
	int want = jobs * PAR_SUBTREES_PER_WORKER, nw = 0, rc = 0;
	int next = 0, best = INT_MAX, busy = 0, lo = 0;
	uint64_t sum_lo = 0, bound = opts->max_executions;
	const char *cut = NULL;
	double last_progress = 0;
	pid_t self = getpid();

	(void)prog;
	if (want > PAR_MAX_SUBTREES)
		want = PAR_MAX_SUBTREES;
	/* a depth bound cuts executions: keep the frontier above it */
	int max_depth = PAR_MAX_DEPTH;
	if (opts->depth_bound > 0 && opts->depth_bound <= max_depth)
		max_depth = opts->depth_bound - 1;
	rc = frontier_build(want, max_depth, &f);
	if (rc)
		return rc;
	res->sleep_blocked += f.sleep_blocked;
	res->subtrees = f.n;
	res->frontier_depth = f.depth;
	nodes = calloc((size_t)f.n + 1, sizeof(*nodes));
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!nodes || shm == MAP_FAILED) {
		free(nodes);
		frontier_free(&f);
		return -ENOMEM;
	}
	memset(shm, 0, sizeof(*shm));
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old_pipe);

	fflush(NULL);		/* no buffered output may be duplicated */
	for (int w = 0; w < jobs && w < f.n; w++) {
		int to[2], from[2];
		if (pipe(to)) {
			rc = -errno;
			break;
		}
		if (pipe(from)) {
			rc = -errno;
			close(to[0]);
			close(to[1]);
			break;
		}
		pid_t pid = fork();
		if (pid < 0) {
			rc = -errno;
			close(to[0]); close(to[1]); close(from[0]); close(from[1]);
			break;
		}
		if (pid == 0) {
			close(to[1]);
			close(from[0]);
			wk[w].to = to[0];
			wk[w].from = from[1];
			worker_main(w, wk, &f, opts, shm, self);
		}
		close(to[0]);
		close(from[1]);
		wk[w] = (struct par_worker){ .pid = pid, .to = to[1], .from = from[0], .node = -1 };
		nw++;
	}
	res->workers = nw;
	if (rc && !nw)
		goto out;
	rc = 0;

	for (int w = 0; w < nw; w++) {
		int got = assign(wk, w, nodes, f.n, &next, INT_MAX, shm);
		if (got < 0) {
			worker_died(wk, w, f.n, res);
			wk[w].pid = -1;
			rc = -ECHILD;
			goto kill;
		}
		busy += got;
	}
	while (busy) {
		struct pollfd pfd[EXPLORE_MAX_JOBS];
		int widx[EXPLORE_MAX_JOBS], np = 0;

		for (int w = 0; w < nw; w++) {
			if (wk[w].node < 0)
				continue;
			pfd[np] = (struct pollfd){ .fd = wk[w].from, .events = POLLIN };
			widx[np++] = w;
		}
		if (poll(pfd, (nfds_t)np, PAR_POLL_MS) < 0 && errno != EINTR) {
			rc = -errno;
			snprintf(res->error, sizeof(res->error), "poll: %s", strerror(errno));
			goto kill;
		}
		for (int i = 0; i < np; i++) {
			int w = widx[i];
			struct par_msg m;
			int *sched = NULL;

			if (!pfd[i].revents)
				continue;
			if (read_full(wk[w].from, &m, sizeof(m)) || m.node != wk[w].node ||
			    m.schedule_len < 0 || m.schedule_len > MAXEV + 1) {
				worker_died(wk, w, f.n, res);
				wk[w].pid = -1;
				rc = -ECHILD;
				goto kill;
			}
			if (m.schedule_len) {
				sched = malloc((size_t)m.schedule_len * sizeof(int));
				if (!sched || read_full(wk[w].from, sched,
							(size_t)m.schedule_len * sizeof(int))) {
					free(sched);
					worker_died(wk, w, f.n, res);
					wk[w].pid = -1;
					rc = -ECHILD;
					goto kill;
				}
			}
			struct par_node *nd = &nodes[m.node];
			m.r.trace.schedule = sched;
			m.r.trace.steps = NULL;
			nd->r = m.r;
			nd->state = m.node > best ? N_CANCELLED : N_DONE;
			/* a checker limit ends the whole search, as in one process */
			if (m.r.limit[0] && !cut && nd->state == N_DONE)
				cut = m.r.cut_by;
			wk[w].node = -1;
			busy--;
			if (nd->state == N_DONE && nd->r.found && !opts->keep_going && m.node < best) {
				/* the lowest finding so far: higher subtrees are not needed */
				best = m.node;
				for (int v = 0; v < nw; v++)
					if (wk[v].node > best)
						shm->stop[v] = 1;
			}
			int got = cut ? 0 : assign(wk, w, nodes, f.n, &next, best, shm);
			if (got < 0) {
				worker_died(wk, w, f.n, res);
				wk[w].pid = -1;
				rc = -ECHILD;
				goto kill;
			}
			busy += got;
		}
		/* the bound on executions, deterministically (see the top) */
		while (lo < f.n && nodes[lo].state == N_DONE &&
		       (!nodes[lo].r.found || opts->keep_going))
			sum_lo += nodes[lo++].r.executions;
		if (!cut && bound && lo < f.n && sum_lo + node_count(&nodes[lo], shm) > bound)
			cut = "max-executions";
		if (!cut && opts->interrupt && *opts->interrupt)
			cut = "interrupted";
		double s = sched_seconds();
		if (!cut && opts->timeout > 0 && s >= opts->timeout)
			cut = "timeout";
		if (cut)
			for (int w = 0; w < nw; w++)
				shm->stop[w] = 1;
		if (opts->progress && s - last_progress >= 0.5) {
			uint64_t total = 0;
			for (int k = 0; k < f.n; k++)
				total += node_count(&nodes[k], shm);
			last_progress = s;
			opts->progress(opts->progress_arg, total, s);
		}
	}

	/* the result: nodes up to the lowest finding, or all */
	{
		int last = best < f.n ? best : f.n - 1;
		uint64_t upto = 0;

		if (cut && strcmp(cut, "max-executions") != 0) {
			/* timeout or interrupt: whatever was explored; any finding counts */
			last = f.n - 1;
		}
		for (int k = 0; k <= last; k++) {
			/* without a cut, every subtree up to the last one ended */
			PVM_BUG_ON(!cut && nodes[k].state != N_DONE);
			if (nodes[k].state != N_DONE)
				continue;
			upto += nodes[k].r.executions;
			add_node(res, &nodes[k].r);
			if (nodes[k].r.found && !res->found) {
				res->found = true;
				res->finding = nodes[k].r.finding;
				res->verdict = nodes[k].r.finding.verdict;
				res->preemptions = nodes[k].r.preemptions;
				res->trace.schedule = nodes[k].r.trace.schedule;
				res->trace.schedule_len = nodes[k].r.trace.schedule_len;
				nodes[k].r.trace.schedule = NULL;
			}
		}
		if (cut || (bound && upto > bound)) {
			bool by_bound = !cut || !strcmp(cut, "max-executions");
			res->complete = false;
			res->cut_by = by_bound ? "max-executions" : cut;
			if (by_bound && res->found) {
				/* the finding lies past the bound: as if never reached */
				res->found = false;
				free(res->trace.schedule);
				res->trace.schedule = NULL;
				res->trace.schedule_len = 0;
			}
		}
	}
	goto reap;

kill:
	for (int w = 0; w < nw; w++)
		if (wk[w].pid > 0)
			kill(wk[w].pid, SIGKILL);
reap:
	for (int w = 0; w < nw; w++) {
		int32_t stop = -1, status = 0;
		if (wk[w].pid <= 0)
			continue;
		if (!rc)
			write_full(wk[w].to, &stop, sizeof(stop));
		close(wk[w].to);
		close(wk[w].from);
		if (waitpid(wk[w].pid, &status, 0) == wk[w].pid && !rc &&
		    !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			snprintf(res->error, sizeof(res->error), "worker %d (pid %d) %s %d at exit", w,
				 (int)wk[w].pid, WIFSIGNALED(status) ? "was killed by signal" :
				 "exited with status", WIFSIGNALED(status) ? WTERMSIG(status) :
				 WEXITSTATUS(status));
			rc = -ECHILD;
		}
		wk[w].pid = 0;
	}
	for (int w = 0; w < nw; w++)
		if (wk[w].pid < 0) {	/* reaped by worker_died */
			close(wk[w].to);
			close(wk[w].from);
		}
out:
	sigaction(SIGPIPE, &old_pipe, NULL);
	for (int k = 0; k < f.n; k++)
		free(nodes[k].r.trace.schedule);
	free(nodes);
	munmap(shm, sizeof(*shm));
	frontier_free(&f);
	if (rc && !res->error[0])
		snprintf(res->error, sizeof(res->error), "could not start the workers: %s",
			 strerror(-rc));
	return rc;
}
