// SPDX-License-Identifier: MIT
/*
 * bind.c - bind a parsed scenario to the model (src/model/model.h) and run
 * it: resolve kinds, knobs, operations and arguments, build the world, and
 * provide the struct program whose thread 0 spawns one thread per scenario
 * thread.  Every error points at the offending name or key=value.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "model/model.h"
#include "scenario/scenario_int.h"

_Static_assert(SCN_MAX_THREADS + 1 <= MDL_MAX_THREADS, "a scenario's threads fit the world");
_Static_assert(SCN_MAX_THREADS + 1 <= EXPLORE_MAX_THREADS, "a scenario's threads fit the engine");

static const char *const type_names[MT_NR] = {
	[MT_INT] = "integer", [MT_GUEST] = "guest", [MT_MM] = "mm", [MT_FILE] = "file",
	[MT_PAGE] = "page", [MT_PIPE] = "pipe", [MT_DEV] = "dev", [MT_MAP] = "map",
};

static const char *type_name(int t)
{
	return t >= 0 && t < MT_NR && type_names[t] ? type_names[t] : "object";
}

static const char *kind_at(int i, const void *arg)
{
	(void)arg;
	return mdl_decl_kinds[i].kind;
}

static const char *op_at(int i, const void *arg)
{
	(void)arg;
	return mdl_op_at(i)->name;
}

static const char *knob_at(int i, const void *arg)
{
	(void)arg;
	return mdl_knobs[i].name;
}

static const char *decl_at(int i, const void *arg)
{
	return ((const struct scenario *)arg)->decls[i].name.s;
}

static int berr(const struct scenario *scn, struct scn_diag *d, const struct scn_pos *pos,
		const char *msg)
{
	scn_diag_set(d, scn->path, scn->text, scn->len, pos, "%s", msg);
	return -1;
}

/* Set one knob; record its effective value.  @pos NULL: from the command line. */
static int set_knob(struct scenario *scn, const char *name, const char *value,
		    const struct scn_pos *npos, const struct scn_pos *vpos, struct scn_diag *d)
{
	char err[SCN_MSG_LEN], msg[SCN_MSG_LEN + 64];
	int k = scn_find(name, mdl_nknobs, knob_at, NULL);

	if (k < 0) {
		const char *s = scn_suggest(name, mdl_nknobs, knob_at, NULL);
		if (s)
			snprintf(msg, sizeof(msg), "unknown knob '%s'; did you mean '%s'?", name, s);
		else
			snprintf(msg, sizeof(msg), "unknown knob '%s' (see pvcheck --help)", name);
		return berr(scn, d, npos, msg);
	}
	err[0] = '\0';
	if (mdl_set_knob(name, value, err, sizeof(err)) < 0) {
		if (!err[0])
			snprintf(err, sizeof(err), "invalid value '%s' for knob '%s'", value, name);
		return berr(scn, d, vpos, err);
	}
	if (k < SCN_MAX_KNOBS) {
		const char *const *v;
		scn->knob_values[k] = value;
		for (v = mdl_knobs[k].values; v && *v; v++)
			if (strcmp(*v, value) == 0)
				scn->knob_values[k] = *v;	/* static storage */
		scn->knob_set[k] = true;
	}
	return 0;
}

static const struct { const char *name; long rc; } errnos[] = {
	{ "-EAGAIN", -EAGAIN }, { "-EBUSY", -EBUSY }, { "-ENOENT", -ENOENT },
	{ "-EFAULT", -EFAULT }, { "-EINVAL", -EINVAL }, { "-ENOMEM", -ENOMEM },
	{ "-EIO", -EIO }, { "-EBADF", -EBADF },
};

int scenario_rc_parse(const char *s, long *rc)
{
	int64_t v;

	for (size_t e = 0; e < sizeof(errnos) / sizeof(errnos[0]); e++) {
		const char *n = errnos[e].name + 1;	/* "EBUSY" */
		const char *w = s[0] == '-' ? s + 1 : s;
		if (strcasecmp(w, n) == 0 || strcasecmp(w, n + 1) == 0) {
			*rc = errnos[e].rc;	/* -EBUSY, EBUSY, busy */
			return 0;
		}
	}
	if (scn_parse_int(s[0] == '-' ? s + 1 : s, 0x7fffffff, &v)) {
		*rc = s[0] == '-' ? -(long)v : (long)v;
		return 0;
	}
	return -1;
}

static int bind_op(struct scenario *scn, const struct scn_thread *th, struct scn_op *op,
		   struct scn_diag *d)
{
	char msg[SCN_MSG_LEN + 128];
	int k;

	k = scn_find(op->name.s, mdl_op_count(), op_at, NULL);
	if (k < 0) {
		const char *s = scn_suggest(op->name.s, mdl_op_count(), op_at, NULL);
		if (s)
			snprintf(msg, sizeof(msg), "unknown operation '%s'; did you mean '%s'?",
				 op->name.s, s);
		else
			snprintf(msg, sizeof(msg), "unknown operation '%s' in thread '%s'",
				 op->name.s, th->name.s);
		return berr(scn, d, &op->name.pos, msg);
	}
	const struct mdl_op *m = mdl_op_at(k);
	if (op->nargs != m->nargs) {
		char sig[160] = "";
		for (int a = 0; a < m->nargs; a++) {
			size_t l = strlen(sig);
			snprintf(sig + l, sizeof(sig) - l, " %s:%s",
				 m->argnames[a] ? m->argnames[a] : "arg", type_name(m->args[a]));
		}
		snprintf(msg, sizeof(msg), "'%s' takes %d argument%s (%s%s), got %d", m->name,
			 m->nargs, m->nargs == 1 ? "" : "s", m->name, sig, op->nargs);
		const struct scn_pos *pos = op->nargs > m->nargs ? &op->arg[m->nargs].pos : &op->name.pos;
		return berr(scn, d, pos, msg);
	}
	op->op = k;
	for (int a = 0; a < op->nargs; a++) {
		const struct scn_tok *t = &op->arg[a];
		const char *an = m->argnames[a] ? m->argnames[a] : "argument";
		if (m->args[a] == MT_INT) {
			int64_t v;
			if (!scn_parse_int(t->s, 0x7fffffff, &v)) {
				int64_t w;
				if (t->s[0] == '-' && scn_parse_int(t->s + 1, INT64_MAX / 2, &w))
					snprintf(msg, sizeof(msg), "'%s' takes a non-negative %s "
						 "(0..2147483647), got %s", m->name, an, t->s);
				else if (scn_parse_int(t->s, INT64_MAX / 2, &w))
					snprintf(msg, sizeof(msg), "'%s': %s %s is too large (at most "
						 "2147483647)", m->name, an, t->s);
				else
					snprintf(msg, sizeof(msg), "'%s' expects an integer for %s, got '%s'",
						 m->name, an, t->s);
				return berr(scn, d, &t->pos, msg);
			}
			op->argv[a] = (long)v;
			continue;
		}
		int i = scn_find(t->s, scn->ndecls, decl_at, scn);
		if (i < 0) {
			const char *s = scn_suggest(t->s, scn->ndecls, decl_at, scn);
			if (s)
				snprintf(msg, sizeof(msg), "'%s' is not declared in the world; did you mean '%s'?",
					 t->s, s);
			else
				snprintf(msg, sizeof(msg), "'%s' is not declared in the world (%s expects a %s for %s)",
					 t->s, m->name, type_name(m->args[a]), an);
			return berr(scn, d, &t->pos, msg);
		}
		if (scn->decls[i].type != (int)m->args[a]) {
			snprintf(msg, sizeof(msg), "'%s' expects a %s for %s, but '%s' is a %s",
				 m->name, type_name(m->args[a]), an, t->s, type_name(scn->decls[i].type));
			return berr(scn, d, &t->pos, msg);
		}
		op->argv[a] = scn->decls[i].handle;
	}
	if (op->want.s) {
		int64_t v;
		size_t e;
		for (e = 0; e < sizeof(errnos) / sizeof(errnos[0]); e++)
			if (strcmp(op->want.s, errnos[e].name) == 0)
				break;
		if (e < sizeof(errnos) / sizeof(errnos[0]))
			op->want_rc = errnos[e].rc;
		else if (scn_parse_int(op->want.s[0] == '-' ? op->want.s + 1 : op->want.s,
				       0x7fffffff, &v))
			op->want_rc = op->want.s[0] == '-' ? -(long)v : (long)v;
		else {
			char list[160] = "";
			for (e = 0; e < sizeof(errnos) / sizeof(errnos[0]); e++) {
				size_t l = strlen(list);
				snprintf(list + l, sizeof(list) - l, "%s%s", e ? ", " : "", errnos[e].name);
			}
			snprintf(msg, sizeof(msg), "unknown outcome '%s' for '%s' (an integer, or one "
				 "of %s)", op->want.s, m->name, list);
			return berr(scn, d, &op->want.pos, msg);
		}
	}
	return 0;
}

/*
 * bind_world_args - every operation's arguments against the world
 * (mdl_op_check: ranges, a page at a file index, an address that is ever
 * mapped, the right kind of device), once every operation is noted.
 * Return: 0, or -1 with @d set at the offending argument.
 */
static int bind_world_args(struct scenario *scn, struct scn_diag *d)
{
	char err[SCN_MSG_LEN];

	for (int t = 0; t < scn->nthreads; t++)
		for (int i = 0; i < scn->threads[t].nops; i++)
			mdl_op_note(scn->threads[t].ops[i].op, scn->threads[t].ops[i].argv);
	for (int t = 0; t < scn->nthreads; t++)
		for (int i = 0; i < scn->threads[t].nops; i++) {
			const struct scn_op *op = &scn->threads[t].ops[i];
			int a;

			err[0] = '\0';
			a = mdl_op_check(op->op, op->argv, err, sizeof(err));
			if (a < 0)
				continue;
			return berr(scn, d, a < op->nargs ? &op->arg[a].pos : &op->name.pos, err);
		}
	return 0;
}

/*
 * bind_cur_page - the "current page" rule (doc/scenarios.md): an operation
 * that acts on the thread's current page needs an earlier operation of the
 * same thread that took one and has not dropped it, and a thread holds at
 * most MDL_MAX_CUR of them.  The stack has the same depth in every
 * execution (a failed lookup pushes an empty entry), so this is exact.
 * Also bounds the references one page can have against the ghost holder
 * table (mdl_max_holders): the sum over threads of the peak of the stack
 * plus the references the running operation holds besides (one for a
 * current-page operation: a fault's; MDL_OP_TRANSIENT_REFS for a whole
 * path), and the thread's pagevec.
 * Return: 0, or -1 with @d set.
 */
static int bind_cur_page(struct scenario *scn, struct scn_diag *d)
{
	char msg[SCN_MSG_LEN + 128];
	int need = mdl_holders_static();

	for (int t = 0; t < scn->nthreads; t++) {
		const struct scn_thread *th = &scn->threads[t];
		int depth = 0, peak = 0, lru = 0;

		for (int i = 0; i < th->nops; i++) {
			const struct scn_op *op = &th->ops[i];
			enum mdl_cur c = mdl_op_at(op->op)->cur;

			if (c != MDL_CUR_NONE && c != MDL_CUR_PUSH && depth == 0) {
				snprintf(msg, sizeof(msg), "'%s' acts on the thread's current page, but no "
					 "earlier operation of thread '%s' took one it still holds "
					 "(find_get_page, get_user_pages, pin_user_pages... take one; "
					 "put_page drops it)", op->name.s, th->name.s);
				return berr(scn, d, &op->name.pos, msg);
			}
			if ((c == MDL_CUR_PUSH || c == MDL_CUR_DUP) && depth == MDL_MAX_CUR) {
				snprintf(msg, sizeof(msg), "thread '%s' would hold more than %d current "
					 "pages (MDL_MAX_CUR); drop one with put_page first",
					 th->name.s, MDL_MAX_CUR);
				return berr(scn, d, &op->name.pos, msg);
			}
			if (c == MDL_CUR_PUSH || c == MDL_CUR_DUP)
				depth++;
			else if (c == MDL_CUR_POP)
				depth--;
			/* a current-page op holds at most a fault's reference besides */
			int run = depth + (c != MDL_CUR_NONE ? 1 : MDL_OP_TRANSIENT_REFS);
			if (run > peak)
				peak = run;
			if (mdl_op_fills_pagevec(op->op))
				lru++;
		}
		need += peak + (lru < MDL_PVEC_SIZE ? lru : MDL_PVEC_SIZE);
	}
	if (need > mdl_max_holders) {
		snprintf(msg, sizeof(msg), "the threads could hold up to %d references to one page, "
			 "more than the model's holder table has (MDL_MAX_HOLDERS = %d); use fewer "
			 "threads or fewer references per thread", need, mdl_max_holders);
		return berr(scn, d, &scn->threads[0].name.pos, msg);
	}
	return 0;
}

static const char *thread_at(int i, const void *arg)
{
	return ((const struct scenario *)arg)->threads[i].name.s;
}

/* Are two bound operations the same call on the same objects and values? */
static bool same_op(const struct scn_op *a, const struct scn_op *b)
{
	if (a->op != b->op || a->nargs != b->nargs)
		return false;
	for (int k = 0; k < a->nargs; k++)
		if (a->argv[k] != b->argv[k])
			return false;
	return true;
}

/*
 * bind_symmetric - resolve the `symmetric` lines into scn->thread_class.
 * Declared threads must run the same operations on the same arguments,
 * checked here: a symmetry that does not hold would merge states that
 * differ, so a mismatch is an error at the first differing operation.
 * Return: 0, or -1 with @d set.
 */
static int bind_symmetric(struct scenario *scn, struct scn_diag *d)
{
	char msg[SCN_MSG_LEN + 64];

	memset(scn->thread_class, 0, sizeof(scn->thread_class));
	for (int g = 0; g < scn->nsym; g++) {
		const struct scn_sym *sy = &scn->sym[g];
		int first = -1;
		for (int k = 0; k < sy->n; k++) {
			const struct scn_tok *nm = &sy->names[k];
			int t = scn_find(nm->s, scn->nthreads, thread_at, scn);
			if (t < 0) {
				const char *sg = scn_suggest(nm->s, scn->nthreads, thread_at, scn);
				if (sg)
					snprintf(msg, sizeof(msg), "unknown thread '%s'; did you mean '%s'?",
						 nm->s, sg);
				else
					snprintf(msg, sizeof(msg), "unknown thread '%s'", nm->s);
				return berr(scn, d, &nm->pos, msg);
			}
			if (scn->thread_class[t]) {
				snprintf(msg, sizeof(msg), "thread '%s' is already declared symmetric%s",
					 nm->s, scn->thread_class[t] == g + 1 ? " on this line" :
					 " on another line");
				return berr(scn, d, &nm->pos, msg);
			}
			/*
			 * The model must treat identical threads alike: its only
			 * loop over thread ids is lru_add_drain_all(), which drains
			 * the per-CPU pagevecs (a thread's CPU is its id) in id
			 * order, one visible put_page each.  Threads that fill their
			 * pagevec (mdl_op_fills_pagevec; the 15th thread holds the
			 * world's pvec=1 pages) would be drained in an order no
			 * renaming keeps, so they cannot be declared symmetric.
			 */
			for (int i = 0; i < scn->threads[t].nops; i++)
				if (mdl_op_fills_pagevec(scn->threads[t].ops[i].op)) {
					snprintf(msg, sizeof(msg), "thread '%s' cannot be symmetric: its "
						 "%s fills a per-CPU pagevec, which lru_add_drain_all "
						 "drains in thread order", nm->s,
						 scn->threads[t].ops[i].name.s);
					return berr(scn, d, &nm->pos, msg);
				}
			if (t + 1 == MDL_NR_CPUS - 1 && mdl_pvec_declared(MDL_NR_CPUS - 1)) {
				snprintf(msg, sizeof(msg), "thread '%s' cannot be symmetric: as the 15th "
					 "thread it runs on the CPU that holds the world's pvec=1 pages",
					 nm->s);
				return berr(scn, d, &nm->pos, msg);
			}
			scn->thread_class[t] = g + 1;
			if (first < 0) {
				first = t;
				continue;
			}
			const struct scn_thread *a = &scn->threads[first], *b = &scn->threads[t];
			for (int i = 0; i < a->nops || i < b->nops; i++) {
				if (i < a->nops && i < b->nops && same_op(&a->ops[i], &b->ops[i]))
					continue;
				if (i >= b->nops)
					snprintf(msg, sizeof(msg), "thread '%s' cannot be symmetric with '%s': "
						 "it has %d operations, '%s' has %d", b->name.s, a->name.s,
						 b->nops, a->name.s, a->nops);
				else
					snprintf(msg, sizeof(msg), "thread '%s' cannot be symmetric with '%s': "
						 "its operation %d differs from line %d", b->name.s, a->name.s,
						 i + 1, i < a->nops ? a->ops[i].name.pos.line : a->name.pos.line);
				return berr(scn, d, i < b->nops ? &b->ops[i].name.pos : &nm->pos, msg);
			}
		}
		if (sy->n < 2)
			return berr(scn, d, &sy->pos, "'symmetric' needs two or more threads");
	}
	return 0;
}

int scenario_bind(struct scenario *scn, const struct scn_knob_set *over, int nover,
		  struct scn_diag *d)
{
	char err[SCN_MSG_LEN], msg[SCN_MSG_LEN + 64];

	mdl_world_begin();
	for (int t = 0; t < scn->nthreads; t++)
		for (int i = 0; i < scn->threads[t].nops; i++) {
			struct scn_op *op = &scn->threads[t].ops[i];
			op->runs = op->done = op->out_other = 0;
			op->nout = 0;
		}
	scn->nknob_values = mdl_nknobs < SCN_MAX_KNOBS ? mdl_nknobs : SCN_MAX_KNOBS;
	for (int k = 0; k < scn->nknob_values; k++) {
		scn->knob_values[k] = mdl_knobs[k].values ? mdl_knobs[k].values[mdl_knobs[k].def] : "?";
		scn->knob_set[k] = false;
	}
	for (int i = 0; i < scn->nknobs; i++)
		if (set_knob(scn, scn->knobs[i].name.s, scn->knobs[i].value.s,
			     &scn->knobs[i].name.pos, &scn->knobs[i].value.pos, d))
			return -1;
	/*
	 * The test-only `mutant` line, else PVCHECK_MUTANT's choice: every
	 * scenario of a process starts from that, not from the last one's.
	 */
	if (mdl_set_mutant(scn->mutant.s, err, sizeof(err)))
		return berr(scn, d, &scn->mutant.pos, err);
	for (int i = 0; i < nover; i++) {
		if (set_knob(scn, over[i].name, over[i].value, NULL, NULL, d)) {
			/* no position: say where it came from */
			snprintf(msg, sizeof(msg), "--knob %s=%s: %s", over[i].name, over[i].value,
				 d->msg);
			scn_diag_set(d, "pvcheck", NULL, 0, NULL, "%s", msg);
			return -1;
		}
	}

	for (int i = 0; i < scn->ndecls; i++) {
		struct scn_decl *dc = &scn->decls[i];
		struct mdl_kv kv[SCN_MAX_KV];
		int k, bad = -1, h;

		k = scn_find(dc->kind.s, mdl_ndecl_kinds, kind_at, NULL);
		if (k < 0) {
			const char *s = scn_suggest(dc->kind.s, mdl_ndecl_kinds, kind_at, NULL);
			if (s)
				snprintf(msg, sizeof(msg), "unknown object kind '%s'; did you mean '%s'?",
					 dc->kind.s, s);
			else
				snprintf(msg, sizeof(msg), "unknown object kind '%s'", dc->kind.s);
			return berr(scn, d, &dc->kind.pos, msg);
		}
		dc->type = mdl_decl_kinds[k].type;
		for (int j = 0; j < dc->nkv; j++) {
			kv[j].key = dc->key[j].s;
			kv[j].val = dc->val[j].s;
		}
		err[0] = '\0';
		h = mdl_declare(dc->kind.s, dc->name.s, kv, dc->nkv, err, sizeof(err), &bad);
		if (h < 0) {
			if (!err[0])
				snprintf(err, sizeof(err), "invalid %s declaration", dc->kind.s);
			struct scn_pos pos = bad >= 0 && bad < dc->nkv ? dc->kv_pos[bad] : dc->name.pos;
			return berr(scn, d, &pos, err);
		}
		dc->handle = h;
	}
	err[0] = '\0';
	if (mdl_world_end(err, sizeof(err)) < 0) {
		if (!err[0])
			snprintf(err, sizeof(err), "the world is not valid");
		snprintf(msg, sizeof(msg), "invalid world: %s", err);
		return berr(scn, d, &scn->world_pos, msg);
	}

	for (int t = 0; t < scn->nthreads; t++)
		for (int i = 0; i < scn->threads[t].nops; i++)
			if (bind_op(scn, &scn->threads[t], &scn->threads[t].ops[i], d))
				return -1;
	if (bind_world_args(scn, d) || bind_cur_page(scn, d))
		return -1;
	return bind_symmetric(scn, d);
}

/* ==== The program: thread 0 spawns the scenario threads ==== */

/* The scenario being explored (scenario_main sets it): for thread_line(). */
static const struct scenario *running;

/*
 * What each operation returned in the execution that ran last, for
 * --example: [scenario thread][op], and how many of each thread's
 * operations returned.  Outside the explored state, like the tally; reset
 * by scenario_main, so it describes one whole execution of a stateless
 * search (the stateful search resumes threads in saved states: not there).
 */
static long exec_rc[SCN_MAX_THREADS][SCN_MAX_OPS];
static int exec_nret[SCN_MAX_THREADS];

bool scenario_exec_rc(int t, int i, long *rc)
{
	if (t < 0 || t >= SCN_MAX_THREADS || i < 0 || i >= exec_nret[t])
		return false;
	*rc = exec_rc[t][i];
	return true;
}

/*
 * The line of operation @i of engine thread @tid (scenario thread @tid - 1)
 * in its own text: a symmetric thread runs its class's first record @op.
 */
static int thread_line(int tid, int i, const struct scn_op *op)
{
	if (running && tid >= 1 && tid <= running->nthreads && i < running->threads[tid - 1].nops)
		return running->threads[tid - 1].ops[i].name.pos.line;
	return op->name.pos.line;
}

/*
 * A scenario thread.  Threads declared symmetric all get the first one's
 * record as @arg (their operations are the same), so their stacks differ
 * in nothing but position; the name comes from the engine.
 */
static void scenario_thread(void *arg)
{
	const struct scn_thread *th = arg;

	mdl_thread_begin(vis_self_name());
	for (int i = 0; i < th->nops; i++) {
		struct scn_op *op = &th->ops[i];
		long rc;
		int k;

		mdl_thread_op(op->op, thread_line(vis_self(), i, op));
		rc = mdl_op_run(op->op, op->argv);

		/* the outcome tally: heap memory, not part of any explored state */
		int st = vis_self() - 1;
		if (st >= 0 && st < SCN_MAX_THREADS && i < SCN_MAX_OPS) {
			exec_rc[st][i] = rc;
			exec_nret[st] = i + 1;
		}
		op->runs++;
		op->done += op->want.s ? rc == op->want_rc : mdl_op_effective(op->op, rc);
		for (k = 0; k < op->nout && op->out[k].rc != rc; k++)
			;
		if (k < op->nout)
			op->out[k].n++;
		else if (k < SCN_MAX_OUTCOMES) {
			op->out[k].rc = rc;
			op->out[k].n = 1;
			op->nout++;
		}
		else
			op->out_other++;
	}
	mdl_thread_end();
}

static const char *errno_name(long rc)
{
	switch (rc) {
	case -EAGAIN: return "-EAGAIN";
	case -EBUSY: return "-EBUSY";
	case -ENOENT: return "-ENOENT";
	case -EFAULT: return "-EFAULT";
	case -EINVAL: return "-EINVAL";
	case -ENOMEM: return "-ENOMEM";
	case -EIO: return "-EIO";
	case -EBADF: return "-EBADF";
	default: return NULL;
	}
}

const char *scenario_rc_str(long rc, char *buf, size_t n)
{
	const char *e = errno_name(rc);

	if (e)
		snprintf(buf, n, "%s", e);
	else
		snprintf(buf, n, "%ld", rc);
	return buf;
}

void scenario_outcome_desc(const struct scn_op *op, char *buf, size_t size)
{
	size_t l = 0;

	buf[0] = '\0';
	for (int k = 0; k < op->nout && l < size; k++) {
		const char *e = errno_name(op->out[k].rc);
		int n = e ? snprintf(buf + l, size - l, "%s%s x%llu", k ? ", " : "", e,
				     (unsigned long long)op->out[k].n)
			  : snprintf(buf + l, size - l, "%s%ld x%llu", k ? ", " : "", op->out[k].rc,
				     (unsigned long long)op->out[k].n);
		if (n < 0)
			break;
		l += (size_t)n;
	}
	if (op->out_other && l < size)
		snprintf(buf + l, size - l, ", other x%llu", (unsigned long long)op->out_other);
	if (!op->runs)
		snprintf(buf, size, "never ran");
}

const struct scn_op *scenario_op_record(const struct scenario *scn, int t, int i)
{
	int rep = t;

	/* symmetric threads run their first member's records */
	for (int u = 0; u < t && scn->thread_class[t]; u++)
		if (scn->thread_class[u] == scn->thread_class[t]) {
			rep = u;
			break;
		}
	return &scn->threads[rep].ops[i];
}

int scenario_vacuous(const struct scenario *scn, char (*lines)[SCN_MSG_LEN], int max)
{
	int n = 0;

	for (int t = 0; t < scn->nthreads; t++) {
		for (int i = 0; i < scn->threads[t].nops; i++) {
			const struct scn_op *op = scenario_op_record(scn, t, i);
			const struct scn_op *src = &scn->threads[t].ops[i];
			char args[96] = "", outc[128];

			if (op->done)
				continue;
			if (n < max) {
				for (int a = 0; a < src->nargs; a++) {
					size_t l = strlen(args);
					snprintf(args + l, sizeof(args) - l, " %s", src->arg[a].s);
				}
				scenario_outcome_desc(op, outc, sizeof(outc));
				snprintf(lines[n], SCN_MSG_LEN, "thread '%s' line %d: %s%s (%s)",
					 scn->threads[t].name.s, src->name.pos.line, src->name.s, args,
					 outc);
			}
			n++;
		}
	}
	return n;
}

static void scenario_main(void *ctx)
{
	struct scenario *scn = ctx;

	running = scn;
	memset(exec_nret, 0, sizeof(exec_nret));
	for (int t = 0; t < scn->nthreads; t++) {
		int rep = t;
		for (int u = 0; u < t && scn->thread_class[t]; u++)
			if (scn->thread_class[u] == scn->thread_class[t]) {
				rep = u;
				break;
			}
		vis_spawn(scenario_thread, &scn->threads[rep], scn->threads[t].name.s,
			  VIS_SITE("spawn"));
	}
}

/* program.thread_class: scenario thread k is engine thread k + 1. */
static int scenario_thread_class(void *ctx, int tid)
{
	const struct scenario *scn = ctx;
	return tid >= 1 && tid <= scn->nthreads ? scn->thread_class[tid - 1] : 0;
}

void scenario_program(struct scenario *scn, struct program *prog)
{
	memset(prog, 0, sizeof(*prog));
	mdl_program(prog, scn->nthreads);	/* the world's hooks and state */
	prog->name = scn->name.s;
	prog->main = scenario_main;
	prog->ctx = scn;
	prog->thread_class = scenario_thread_class;
}

void scenario_apply_bounds(const struct scenario *scn, struct explore_opts *opts)
{
	if (scn->bounds.executions >= 0)
		opts->max_executions = (uint64_t)scn->bounds.executions;
	if (scn->bounds.preemptions >= 0)
		opts->preemption_bound = (int)scn->bounds.preemptions;
	if (scn->bounds.depth >= 0)
		opts->depth_bound = (int)scn->bounds.depth;
	if (scn->bounds.steps >= 0)
		opts->step_bound = (int)scn->bounds.steps;
}

void scenario_knobs_desc(const struct scenario *scn, char *buf, size_t size)
{
	size_t l = 0;

	buf[0] = '\0';
	for (int k = 0; k < scn->nknob_values; k++) {
		if (!scn->knob_set[k])
			continue;
		int n = snprintf(buf + l, size - l, "%s%s=%s", l ? ", " : "", mdl_knobs[k].name,
				 scn->knob_values[k]);
		if (n < 0 || (size_t)n >= size - l)
			break;
		l += (size_t)n;
	}
	if (!l)
		l = (size_t)snprintf(buf, size, "defaults");
	/* not a knob, but what makes this model differ from v5.7 all the same */
	if (scn->mutant.s && l < size)
		snprintf(buf + l, size - l, "; test mutant %s", scn->mutant.s);
}

const char *scenario_expect_desc(const struct scenario *scn, char *buf, size_t size)
{
	const struct scn_expect *x = &scn->expect;
	size_t l = 0;

	if (x->kind == SCN_EXPECT_NONE || x->kind == SCN_EXPECT_SAFE) {
		snprintf(buf, size, "%s", x->kind == SCN_EXPECT_SAFE ? "safe" : "-");
		return buf;
	}
	buf[0] = '\0';
	/* as written: the violations after one 'violation', the others by name */
	bool vio = false;
	for (int k = 0; k < x->nset && l < size; k++) {
		const struct scn_expect_item *it = &x->set[k];
		const char *word = it->kind == SCN_EXPECT_DEADLOCK ? "deadlock" :
				   it->kind == SCN_EXPECT_NO_PROGRESS &&
				   strcmp(it->id, "firmware") == 0 ? "no-progress firmware" :
				   it->kind == SCN_EXPECT_NO_PROGRESS ? "no-progress" : it->id;
		int n = snprintf(buf + l, size - l, "%s%s%s", l ? " " : "",
				 it->kind == SCN_EXPECT_VIOLATION && !vio ? "violation " : "", word);
		if (it->kind == SCN_EXPECT_VIOLATION)
			vio = true;
		if (n < 0)
			break;
		l += (size_t)n;
	}
	return buf;
}

/* Does expectation item @it name finding @f? */
static bool item_names(const struct scn_expect_item *it, const struct finding *f)
{
	switch (it->kind) {
	case SCN_EXPECT_VIOLATION:
		return f->verdict == VERDICT_VIOLATION && strcmp(f->id, it->id) == 0;
	case SCN_EXPECT_DEADLOCK:
		return f->verdict == VERDICT_DEADLOCK;
	case SCN_EXPECT_NO_PROGRESS:
		return f->verdict == VERDICT_NO_PROGRESS &&
		       strcmp(explore_no_progress_class(f->site.what), it->id) == 0;
	default:
		return false;
	}
}

bool scenario_expect_matches(const struct scenario *scn, const struct explore_result *res)
{
	const struct scn_expect *x = &scn->expect;

	if (x->kind == SCN_EXPECT_NONE)
		return false;
	if (x->kind == SCN_EXPECT_SAFE)
		return res->verdict == VERDICT_SAFE && !res->found;
	if (!res->found)
		return false;
	if (!res->all_findings) {
		/* the first finding: one of the set */
		for (int k = 0; k < x->nset; k++)
			if (item_names(&x->set[k], &res->finding))
				return true;
		return false;
	}
	/* --all: exactly the set, from a complete search */
	if (!res->complete)
		return false;
	for (int j = 0; j < res->nfindings; j++) {
		bool named = false;
		for (int k = 0; k < x->nset && !named; k++)
			named = item_names(&x->set[k], &res->findings[j].finding);
		if (!named)
			return false;
	}
	for (int k = 0; k < x->nset; k++) {
		bool met = false;
		for (int j = 0; j < res->nfindings && !met; j++)
			met = item_names(&x->set[k], &res->findings[j].finding);
		if (!met)
			return false;
	}
	return true;
}
