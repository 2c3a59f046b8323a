// SPDX-License-Identifier: MIT
/*
 * parallel.c - `-j N`: optimal DPOR split over N worker processes.
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
 *      (eng_frontier): at each one, every enabled thread not asleep is a
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
 *      (eng_explore_subtree) explores those traces, once each.  Races
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
#include "check/explore_int.h"
#include "lib/bug.h"

#define PAR_SUBTREES_PER_WORKER	8
#define PAR_MAX_SUBTREES	512	/* cap of the level-by-level target; best first splits up to 8x that */
#define PAR_MAX_DEPTH		64
#define PAR_POLL_MS		20

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
static _Noreturn void worker_main(int w, const struct par_worker *wk, const struct eng_frontier *f,
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
		eng_explore_subtree(f, k, &wo, &m.r, &shm->count[w]);
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
 * explore_parallel - the DPOR search of explore() on @opts->jobs workers; the
 * random phase has run.  Fills the counts, completeness and the finding's
 * schedule of @res (explore() records its trace).
 * Context: process context; forks, waits for its workers, and ignores
 * SIGPIPE while they run.
 * Return: 0; -ECHILD if a worker died (@res->error says which); -errno if
 * the workers could not be started; -ENOMEM.
 */
int explore_parallel(const struct program *prog, const struct explore_opts *opts,
		struct explore_result *res)
{
	struct eng_frontier f;
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
	rc = eng_frontier(want, max_depth, &f);
	if (rc)
		return rc;
	res->sleep_blocked += f.sleep_blocked;
	res->subtrees = f.n;
	res->frontier_depth = f.depth;
	nodes = calloc((size_t)f.n + 1, sizeof(*nodes));
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!nodes || shm == MAP_FAILED) {
		free(nodes);
		eng_frontier_free(&f);
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
		double s = eng_seconds();
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
	eng_frontier_free(&f);
	if (rc && !res->error[0])
		snprintf(res->error, sizeof(res->error), "could not start the workers: %s",
			 strerror(-rc));
	return rc;
}
