// SPDX-License-Identifier: MIT
/*
 * commands.c - the pvcheck commands: the catalog table, check, run, list,
 * show and replay; exit codes; the progress line; SIGINT.
 *
 * Every command goes the same way: load (parse errors are exit 3), bind
 * to the model, explore under the options, report, and map the verdict to
 * an exit code.  Exit codes are those of src/lib/bug.h; with several files
 * the most severe wins in the order 5, 3, 1, 4, 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "cli/cli.h"
#include "paths/paths.h"
#include "lib/bug.h"
#include "model/model.h"
#include "report/report.h"
#include "runc/runc.h"

/* ==== SIGINT and the progress line ==== */

static volatile int interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	if (interrupted)	/* a second ^C: the user means it */
		_exit(130);
	interrupted = 1;
}

static void install_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
}

struct progress {
	const char *name;
	bool shown;
	bool states;		/* a stateful search: the count is of stored states */
	char **end_state;	/* re-captured when the trace is replaced (recapture_end_state) */
	char **chains;		/* the same, each thread's call chain */
};

static void progress_cb(void *arg, uint64_t executions, double seconds)
{
	struct progress *p = arg;

	if (seconds < 1.0)
		return;
	fprintf(stderr, "\r\033[K%s: %" PRIu64 " %s, %.0f/s, %.1f s", p->name, executions,
		p->states ? "states" : "executions",
		seconds > 0 ? (double)executions / seconds : 0.0, seconds);
	fflush(stderr);
	p->shown = true;
}

static void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

/* ==== Shared steps ==== */

static const char *mode_name(enum explore_mode m)
{
	switch (m) {
	case EXPLORE_DPOR: return "dpor";
	case EXPLORE_RANDOM: return "random";
	case EXPLORE_PCT: return "pct";
	case EXPLORE_REPLAY: return "replay";
	case EXPLORE_STATEFUL: return "stateful";
	default: return "other";
	}
}

static int worse(int a, int b)
{
	static const int rank[] = { [EXIT_SAFE] = 0, [EXIT_INCOMPLETE] = 1, [EXIT_FINDING] = 2,
				    [EXIT_USAGE] = 3, [EXIT_INPUT] = 4, [EXIT_INTERNAL] = 5 };
	return rank[a] >= rank[b] ? a : b;
}

static int verdict_exit(const struct explore_result *res)
{
	if (res->found)
		return EXIT_FINDING;
	return res->verdict == VERDICT_SAFE ? EXIT_SAFE : EXIT_INCOMPLETE;
}

/* The explorer options for @scn (NULL: a program) under the command line. */
static void make_opts(const struct options *o, const struct scenario *scn,
		      struct explore_opts *eo, struct progress *pg)
{
	explore_opts_defaults(eo);
	eo->mode = o->mode;
	eo->random_runs = o->mode == EXPLORE_DPOR ? o->random_phase : o->walks;
	if (o->stateful && o->mode == EXPLORE_DPOR)
		eo->mode = EXPLORE_STATEFUL;
	eo->state_memory = (size_t)o->state_memory_mb << 20;
	eo->no_por = o->no_por;
	eo->commute_adds = o->commute_adds;
	eo->symmetry = o->symmetry;
	eo->seed = o->seed;
	eo->pct_depth = o->pct_depth;
	eo->random_order = o->random_order;
	eo->timeout = o->timeout;
	eo->jobs = o->jobs;
	/* --all: the sweep too at every step, as in the replay that records each trace */
	eo->all_findings = eo->finding_races = o->all;
	eo->paranoid = o->paranoid || o->all;
	if (scn)
		scenario_apply_bounds(scn, eo);
	if (o->set_max_executions)
		eo->max_executions = o->max_executions;
	if (o->set_preemption_bound)
		eo->preemption_bound = o->preemption_bound;
	if (o->set_depth_bound)
		eo->depth_bound = o->depth_bound;
	if (o->set_step_bound)
		eo->step_bound = o->step_bound;
	eo->interrupt = &interrupted;
	if (isatty(STDERR_FILENO) && !o->quiet) {
		eo->progress = progress_cb;
		eo->progress_arg = pg;
	}
}

static int do_explore(const struct program *prog, const struct explore_opts *eo,
		      struct explore_result *res, struct progress *pg)
{
	int rc;

	pg->states = eo->mode == EXPLORE_STATEFUL;
	rc = explore(prog, eo, res);
	progress_end(pg);
	if (rc == -ECHILD) {
		fprintf(stderr, "pvcheck: internal error: %s\n", res->error);
		explore_result_free(res);
		return EXIT_INTERNAL;
	}
	if (rc) {
		fprintf(stderr, "pvcheck: the explorer could not start: %s\n",
			res->error[0] ? res->error : strerror(-rc));
		explore_result_free(res);
		return EXIT_INTERNAL;
	}
	return 0;
}

/* explore_policy.at_finding: the world is at the end of the new trace. */
static void recapture_end_state(void *arg)
{
	struct progress *p = arg;

	free(*p->end_state);
	*p->end_state = cli_capture_end_state();
	free(*p->chains);
	*p->chains = cli_capture_chains();
}

/* explore_policy.run: one exploration with the progress line and errors. */
static int policy_run(void *arg, const struct program *prog, const struct explore_opts *eo,
		      struct explore_result *res)
{
	return do_explore(prog, eo, res, arg);
}

/* The search policy of the checker (src/check/auto.c) for the command line. */
static struct explore_policy policy(const struct options *o, struct progress *pg,
				    void (*at_finding)(void *arg))
{
	return (struct explore_policy){ .may_switch = !o->stateless, .run = policy_run,
					.at_finding = at_finding, .arg = pg };
}

/* The same finding with fewer preemptions (explore_simplest), unless --no-simplest. */
static enum report_simplest find_simplest(const struct options *o, const struct program *prog,
					  const struct explore_opts *eo, struct explore_result *res,
					  struct progress *pg, void (*at_finding)(void *arg))
{
	struct explore_policy p = policy(o, pg, at_finding);
	enum explore_simplest how;

	if (!o->simplest)
		return REPORT_SIMPLEST_NONE;
	explore_simplest(prog, eo, &p, res, &how);
	return how == EXPLORE_SIMPLEST_FEWEST ? REPORT_SIMPLEST_FEWEST :
	       how == EXPLORE_SIMPLEST_BOUNDED ? REPORT_SIMPLEST_BOUNDED : REPORT_SIMPLEST_NONE;
}

/* Where --trace-out (or --svg) @opt puts the file of scenario @name (NULL: nowhere). */
static char *out_path(const char *opt, const char *name, const char *suffix)
{
	struct stat st;
	char *p;

	if (!opt)
		return NULL;
	if (stat(opt, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (asprintf(&p, "%s/%s%s", opt, name, suffix) < 0)
			return NULL;
		return p;
	}
	return strdup(opt);
}

static char *trace_path(const struct options *o, const char *name)
{
	return out_path(o->trace_out, name, ".trace.json");
}

/* Write the SVG of @ri/@res if --svg asks; Return: the path written, or NULL. */
static char *write_svg(const struct options *o, const char *name, const struct report_info *ri,
		       const struct explore_result *res)
{
	char err[512], *p = res->found ? out_path(o->svg, name, ".svg") : NULL;

	if (p && report_svg(p, ri, res, err, sizeof(err))) {
		fprintf(stderr, "pvcheck: %s\n", err);
		free(p);
		p = NULL;
	}
	return p;
}

static void fill_meta(struct trace_meta *m, const struct scenario *scn, const struct options *o)
{
	memset(m, 0, sizeof(*m));
	m->scenario = (char *)scn->name.s;
	m->file = scn->path;
	m->hash = scn->hash;
	m->model = (char *)mdl_version;
	m->tool = (char *)"pvcheck " PVCHECK_VERSION;
	m->nknobs = scn->nknob_values;
	for (int k = 0; k < scn->nknob_values; k++) {
		m->knob_name[k] = (char *)mdl_knobs[k].name;
		m->knob_value[k] = (char *)scn->knob_values[k];
	}
	m->noverrides = o->nknobs;
	for (int k = 0; k < o->nknobs; k++) {
		m->over_name[k] = (char *)o->knobs[k].name;
		m->over_value[k] = (char *)o->knobs[k].value;
	}
}

/* ==== Checking one scenario ==== */

struct outcome {
	struct explore_result res;
	bool as_expected;
	int exit;
	int nvacuous;		/* operations that did nothing in a complete search */
};

/*
 * Bind @scn, explore it (or replay @replay), report, and return the exit
 * code.  @table: catalog mode, no report (the caller prints a row).
 */
static bool patches_off;	/* the patch table's v5.7 column */

static int check_scenario(const struct options *o, struct scenario *scn,
			  const struct trace_meta *replay, bool table, struct outcome *out)
{
	struct scn_knob_set knobs[2 * SCN_MAX_KNOBS];
	struct scn_diag d;
	struct explore_opts eo;
	struct program prog;
	struct progress pg = { .name = scn->name.s };
	char kdesc[512], exp[256], err[1024];
	char *end_state = NULL, *chains = NULL, *tpath = NULL, *svg = NULL;
	/* where the search found it, before find_simplest() adds its runs */
	uint64_t found_exec = 0, found_walk = 0;
	enum report_simplest simplest = REPORT_SIMPLEST_NONE;
	struct cli_found cf = { 0 };
	int n = 0, rc;

	memset(out, 0, sizeof(*out));
	if (replay)
		for (int k = 0; k < replay->noverrides && n < SCN_MAX_KNOBS; k++)
			knobs[n++] = (struct scn_knob_set){ replay->over_name[k], replay->over_value[k] };
	for (int k = 0; k < o->nknobs; k++)
		knobs[n++] = o->knobs[k];
	if ((rc = cli_load_paths(o, scn, patches_off)))
		return out->exit = rc;
	if (scenario_bind(scn, knobs, n, &d)) {
		cli_add_hint(&d, scn);
		cli_diag_report(o, &d, scn->name.s, EXIT_INPUT);
		return out->exit = EXIT_INPUT;
	}
	if (replay) {
		/* Refuse a trace recorded with other knob values. */
		for (int k = 0; k < scn->nknob_values; k++) {
			const char *tv = NULL;
			for (int j = 0; j < replay->nknobs; j++)
				if (strcmp(replay->knob_name[j], mdl_knobs[k].name) == 0)
					tv = replay->knob_value[j];
			if (!tv || strcmp(tv, scn->knob_values[k]) != 0) {
				fprintf(stderr, "pvcheck: trace does not match: knob %s is '%s' here but %s%s%s in the trace; refusing to replay\n",
					mdl_knobs[k].name, scn->knob_values[k], tv ? "'" : "",
					tv ? tv : "absent", tv ? "'" : "");
				return out->exit = EXIT_INPUT;
			}
		}
		for (int j = 0; j < replay->nknobs; j++) {
			int k;
			for (k = 0; k < scn->nknob_values; k++)
				if (strcmp(replay->knob_name[j], mdl_knobs[k].name) == 0)
					break;
			if (k == scn->nknob_values) {
				fprintf(stderr, "pvcheck: trace does not match: it sets knob %s, which this model does not have; refusing to replay\n",
					replay->knob_name[j]);
				return out->exit = EXIT_INPUT;
			}
		}
	}

	if (replay && trace_check_schedule(replay, err, sizeof(err))) {
		fprintf(stderr, "pvcheck: trace does not replay: %s; refusing to replay\n", err);
		return out->exit = EXIT_INPUT;
	}
	scenario_program(scn, &prog);
	make_opts(o, scn, &eo, &pg);
	if (replay) {
		eo.mode = EXPLORE_REPLAY;
		eo.replay = replay->schedule;
		eo.replay_len = (size_t)replay->schedule_len;
		eo.random_runs = 0;
	}
	struct explore_policy pol = policy(o, &pg, NULL);
	rc = explore_auto(&prog, &eo, &pol, &out->res);
	if (rc)
		return out->exit = rc;
	struct explore_result *res = &out->res;
	if (res->found) {
		end_state = cli_capture_end_state();
		chains = cli_capture_chains();
	}
	if (replay) {
		const char *want = replay->finding_id ? replay->finding_id : "";
		if (res->diverged || !res->found || strcmp(res->finding.id, want) != 0 ||
		    trace_check_replay(replay, res, err, sizeof(err))) {
			fprintf(stderr, "pvcheck: trace does not replay: %s; refusing to replay\n",
				res->diverged ? "its schedule does not fit the scenario" :
				!res->found ? "the recorded finding did not occur" :
				strcmp(res->finding.id, want) ? "a different finding occurred" : err);
			free(end_state);
			free(chains);
			return out->exit = EXIT_INPUT;
		}
	} else if (o->all) {
		rc = cli_findings(o, &prog, &eo, &pol, res, table, &cf, &simplest);
		if (rc || (cf.n && cli_findings_first(&cf, res, &end_state, &chains, &found_exec, &found_walk)))
			return out->exit = rc ? rc : EXIT_USAGE;	/* out of memory */
	} else if (!table) {
		found_exec = res->executions;
		found_walk = res->random_executions;
		pg.end_state = &end_state;
		pg.chains = &chains;
		simplest = find_simplest(o, &prog, &eo, res, &pg, recapture_end_state);
	}

	out->as_expected = scenario_expect_matches(scn, res);
	out->exit = verdict_exit(res);
	if (o->expect && !replay)
		out->exit = out->as_expected ? EXIT_SAFE : EXIT_FINDING;
	if (interrupted && !res->found)
		out->exit = EXIT_INCOMPLETE;

	if (res->found && (tpath = trace_path(o, scn->name.s))) {
		struct trace_meta m;
		struct report_info wri = { .mode = mode_name(o->mode), .chains = chains };
		fill_meta(&m, scn, o);
		if (replay)	/* keep the overrides the trace was recorded with */
			for (int k = 0; k < replay->noverrides && m.noverrides < TRACE_MAX_KNOBS; k++) {
				m.over_name[m.noverrides] = replay->over_name[k];
				m.over_value[m.noverrides++] = replay->over_value[k];
			}
		if (trace_write(tpath, &m, &wri, res, err, sizeof(err))) {
			fprintf(stderr, "pvcheck: %s\n", err);
			free(tpath);
			tpath = NULL;
		}
	}

	/*
	 * Vacuity: an operation that did nothing in every execution of a
	 * complete search means the scenario did not ask what it says.  The
	 * counts come from this process: not from -j's workers.
	 */
	static char vac[16][SCN_MSG_LEN];
	const char *vacp[16], **outp = NULL;
	int nvac = 0, nout = 0;
	char (*outl)[SCN_MSG_LEN] = NULL;
	if (!replay && res->workers == 0) {
		int nops = 0;
		for (int t = 0; t < scn->nthreads; t++)
			nops += scn->threads[t].nops;
		outl = calloc((size_t)nops + 1, sizeof(*outl));
		outp = calloc((size_t)nops + 1, sizeof(*outp));
		for (int t = 0; outl && outp && t < scn->nthreads; t++)
			for (int i = 0; i < scn->threads[t].nops; i++) {
				const struct scn_op *op = scenario_op_record(scn, t, i);
				const struct scn_op *src = &scn->threads[t].ops[i];
				char args[96] = "", oc[160];
				for (int a = 0; a < src->nargs; a++) {
					size_t l = strlen(args);
					snprintf(args + l, sizeof(args) - l, " %s", src->arg[a].s);
				}
				scenario_outcome_desc(op, oc, sizeof(oc));
				/* A line longer than the slot ends in "..." rather than mid-word. */
				if (snprintf(outl[nout], SCN_MSG_LEN, "%s line %d: %s%s: %s",
					     scn->threads[t].name.s, src->name.pos.line, src->name.s,
					     args, oc) >= SCN_MSG_LEN)
					memcpy(outl[nout] + SCN_MSG_LEN - 4, "...", 4);
				outp[nout] = outl[nout];
				nout++;
			}
		if (res->complete && !res->found) {
			nvac = scenario_vacuous(scn, vac, 16);
			for (int k = 0; k < nvac && k < 16; k++)
				vacp[k] = vac[k];
		}
	} else {
		nout = -1;
	}
	out->nvacuous = nvac;
	if (nvac && (o->expect || table) && !replay) {
		out->as_expected = false;
		if (o->expect)
			out->exit = EXIT_FINDING;
	}

	if (!table || o->json || o->svg) {
		const char *knames[SCN_MAX_KNOBS];
		struct report_info ri = {
			.name = scn->name.s, .file = scn->path, .profile = scn->profile.s,
			.question = scn->question.s, .knobs = kdesc,
			.expected = scn->expect.kind ? scenario_expect_desc(scn, exp, sizeof(exp)) : NULL,
			.as_expected = scn->expect.kind ? out->as_expected && !interrupted : -1,
			.trace_path = tpath, .end_state = end_state, .chains = chains,
			.mode = res->stateful ? "stateful" : mode_name(eo.mode),
			.nknobs = scn->nknob_values,
			.replayed_from = replay ? replay->path : NULL,
			.knob_names = knames, .knob_values = scn->knob_values,
			.verbose = o->verbose, .quiet = o->quiet, .simplest = simplest,
			.found_exec = found_exec, .found_walk = found_walk,
			.noutcomes = nout, .outcomes = outp,
			.nvacuous = nvac < 16 ? nvac : 16, .vacuous = vacp,
			.nfound = cf.n, .found = cf.res,
			.found_end_states = (const char *const *)cf.end_state,
			.found_chains = (const char *const *)cf.chains,
		};
		for (int k = 0; k < scn->nknob_values; k++)
			knames[k] = mdl_knobs[k].name;
		scenario_knobs_desc(scn, kdesc, sizeof(kdesc));
		ri.svg_path = svg = write_svg(o, scn->name.s, &ri, res);
		if (o->json)
			report_json(stdout, &ri, res);
		else if (!table && cf.n && !o->quiet)
			cli_findings_text(stdout, &ri, res, &cf);
		else if (!table)
			report_text(stdout, &ri, res);
		fflush(stdout);
	}
	cli_findings_free(&cf);
	free(end_state);
	free(chains);
	free(tpath);
	free(svg);
	free(outl);
	free(outp);
	return out->exit;
}

/* ==== Commands ==== */

/* -j applies to stateless DPOR only: say so rather than ignore it. */
static void jobs_note(const struct options *o)
{
	if (o->jobs <= 1 || o->replay || o->cmd == CMD_REPLAY)
		return;
	if (o->mode == EXPLORE_RANDOM || o->mode == EXPLORE_PCT)
		fprintf(stderr, "pvcheck: note: -j %d: random and PCT walks run in one process\n",
			o->jobs);
	else if (o->stateful)
		fprintf(stderr, "pvcheck: note: -j %d: the stateful search runs in one process\n",
			o->jobs);
	else if (o->set_preemption_bound)
		fprintf(stderr, "pvcheck: note: -j %d: a search under a preemption bound runs "
			"in one process\n", o->jobs);
}

/*
 * `pvcheck --patch FILE.c`: every catalog scenario under the v5.7 model
 * and under the patched one, side by side; a verdict that differs is
 * marked.  Exit 0 when every scenario ran (the table is the answer: a
 * patch that changes verdicts is not an error), else the worst failure.
 */
static int cmd_patch_table(const struct options *o)
{
	int code = EXIT_SAFE;
	bool header = false;

	for (int i = 0; i < scn_ncatalog && !interrupted; i++) {
		struct explore_result res[2];
		bool ran[2] = { false, false };

		for (int pass = 0; pass < 2; pass++) {
			struct scenario *scn;
			struct scn_diag d;
			struct outcome out;

			if (scn_catalog_load(i, &scn, &d)) {
				cli_diag_report(o, &d, NULL, EXIT_INPUT);
				code = worse(code, EXIT_INPUT);
				break;
			}
			patches_off = pass == 0;
			int rc = check_scenario(o, scn, NULL, true, &out);
			if (rc == EXIT_INPUT || rc == EXIT_INTERNAL || rc == EXIT_USAGE) {
				code = worse(code, rc);
				scenario_free(scn);
				break;
			}
			if (pass == 1 && !header && !o->json) {
				report_patch_header(stdout, paths_patch_desc());
				header = true;
			}
			res[pass] = out.res;
			ran[pass] = true;
			if (pass == 1 && !o->json)
				report_patch_row(stdout, scn->name.s, &res[0], &res[1]);
			scenario_free(scn);
		}
		patches_off = false;
		for (int pass = 0; pass < 2; pass++)
			if (ran[pass])
				explore_result_free(&res[pass]);
		fflush(stdout);
		if (code == EXIT_INPUT || code == EXIT_USAGE || code == EXIT_INTERNAL)
			break;
	}
	paths_unload();
	if (interrupted)
		return worse(code, EXIT_INCOMPLETE);
	return code;
}

static int cmd_catalog(const struct options *o)
{
	int ok = 0, not_ok = 0, code = EXIT_SAFE;
	char exp[256];

	if (o->npatches)
		return cmd_patch_table(o);

	if (!o->json && !o->quiet)
		report_table_header(stdout);
	for (int i = 0; i < scn_ncatalog && !interrupted; i++) {
		struct scenario *scn;
		struct scn_diag d;
		struct outcome out;

		if (scn_catalog_load(i, &scn, &d)) {
			cli_diag_report(o, &d, NULL, EXIT_INPUT);
			if (!o->json)
				report_table_error(stdout, scn_catalog[i].file, "?");
			not_ok++;
			continue;
		}
		scenario_expect_desc(scn, exp, sizeof(exp));
		if (scn->expect.kind == SCN_EXPECT_NONE) {
			scn_diag_set(&d, scn->path, scn->text, scn->len, &scn->name.pos,
				     "catalog scenario '%s' has no 'expect' line", scn->name.s);
			scn_diag_print(&d, stderr);
		}
		int rc = check_scenario(o, scn, NULL, true, &out);
		if (rc == EXIT_INPUT || rc == EXIT_INTERNAL) {
			if (!o->json)
				report_table_error(stdout, scn->name.s, exp);
			not_ok++;
			code = worse(code, rc);
			scenario_free(scn);
			continue;
		}
		bool good = out.as_expected && !interrupted;
		if (out.nvacuous && !o->json)
			fprintf(stderr, "pvcheck: %s: %d operation%s did nothing in every execution "
				"(pvcheck show %s | pvcheck check /dev/stdin names them)\n",
				scn->name.s, out.nvacuous, out.nvacuous == 1 ? "" : "s", scn->name.s);
		if (o->json) {
			/* check_scenario() printed the object */
		} else if (!o->quiet || !good) {
			report_table_row(stdout, scn->name.s, exp, &out.res, good);
		}
		fflush(stdout);
		good ? ok++ : not_ok++;
		explore_result_free(&out.res);
		scenario_free(scn);
	}
	if (!o->json)
		report_table_summary(stdout, ok, not_ok);
	if (interrupted) {
		fprintf(stderr, "pvcheck: interrupted\n");
		return worse(code, EXIT_INCOMPLETE);
	}
	if (scn_ncatalog == 0)
		fprintf(stderr, "pvcheck: the built-in catalog is empty\n");
	return worse(code, not_ok ? EXIT_FINDING : EXIT_SAFE);
}

/*
 * Load scenario @path.  A file that cannot be opened (missing, unreadable,
 * a directory) is a system error, exit 2; one that does not parse is an
 * input error, exit 3.
 */
static int load_or_report(const struct options *o, const char *path, struct scenario **scn)
{
	struct scn_diag d;
	struct stat st;
	FILE *f;

	*scn = NULL;
	errno = 0;
	f = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? NULL : fopen(path, "rb");
	if (!f) {
		scn_diag_set(&d, path, NULL, 0, NULL, "cannot open: %s",
			     errno ? strerror(errno) : "a directory, not a scenario file");
		cli_diag_report(o, &d, NULL, EXIT_USAGE);
		return EXIT_USAGE;
	}
	fclose(f);
	if (scenario_load(path, scn, &d)) {
		int code = d.system ? EXIT_USAGE : EXIT_INPUT;	/* README: 2 is a system error */
		cli_diag_report(o, &d, NULL, code);
		return code;
	}
	return 0;
}

static int cmd_replay(const struct options *o, const char *tpath, const char *file);

static int cmd_check(const struct options *o)
{
	int code = EXIT_SAFE;

	if (o->replay)
		return cmd_replay(o, o->replay, o->args[0]);
	for (int i = 0; i < o->nargs && !interrupted; i++) {
		struct scenario *scn;
		struct outcome out;
		int rc = load_or_report(o, o->args[i], &scn);

		if (!rc && o->expect && scn->expect.kind == SCN_EXPECT_NONE) {
			struct scn_diag d;
			scn_diag_set(&d, scn->path, scn->text, scn->len, &scn->name.pos,
				     "--expect: scenario '%s' has no 'expect' line", scn->name.s);
			cli_diag_report(o, &d, scn->name.s, EXIT_INPUT);
			rc = EXIT_INPUT;
		} else if (!rc) {
			rc = check_scenario(o, scn, NULL, false, &out);
			explore_result_free(&out.res);
		}
		scenario_free(scn);
		code = worse(code, rc);
		if (rc == EXIT_INTERNAL)
			break;
	}
	if (interrupted)
		code = worse(code, EXIT_INCOMPLETE);
	return code;
}

static int cmd_replay(const struct options *o, const char *tpath, const char *file)
{
	struct trace_meta m;
	struct scenario *scn = NULL;
	struct scn_diag d;
	struct outcome out;
	char err[512];
	int rc;

	if (trace_read(tpath, &m, err, sizeof(err))) {
		int code = access(tpath, R_OK) ? EXIT_USAGE : EXIT_INPUT;	/* missing: system */
		fprintf(stderr, "pvcheck: %s; refusing to replay\n", err);
		cli_json_error(o, tpath, NULL, 0, 0, err, code);
		return code;
	}
	m.path = tpath;
	if (strcmp(m.model, mdl_version) != 0) {
		fprintf(stderr, "pvcheck: trace %s was recorded with model '%s', this is model '%s'; refusing to replay\n",
			tpath, m.model, mdl_version);
		trace_meta_free(&m);
		return EXIT_INPUT;
	}
	/* The scenario: the FILE given, else the recorded path or the catalog entry. */
	if (file) {
		rc = load_or_report(o, file, &scn);
		if (rc) {
			trace_meta_free(&m);
			return rc;
		}
	} else {
		if (access(m.file, R_OK) == 0 && scenario_load(m.file, &scn, &d) == 0 &&
		    scn->hash != m.hash) {
			scenario_free(scn);
			scn = NULL;
		}
		for (int i = 0; !scn && i < scn_ncatalog; i++)
			if (strcmp(scn_catalog[i].file, m.file) == 0 &&
			    scn_catalog_load(i, &scn, &d) == 0 && scn->hash != m.hash) {
				scenario_free(scn);
				scn = NULL;
			}
		if (!scn && access(m.file, R_OK) != 0 && scn_catalog_find(m.file) < 0) {
			fprintf(stderr, "pvcheck: cannot find scenario %s of trace %s; give it: pvcheck replay %s FILE\n",
				m.file, tpath, tpath);
			trace_meta_free(&m);
			return EXIT_INPUT;
		}
		if (!scn && access(m.file, R_OK) == 0 && scenario_load(m.file, &scn, &d)) {
			scn_diag_print(&d, stderr);
			trace_meta_free(&m);
			return EXIT_INPUT;
		}
	}
	if (!scn || scn->hash != m.hash) {
		fprintf(stderr, "pvcheck: trace does not match: scenario %s has changed since trace %s was recorded (hash %016" PRIx64 ", trace has %016" PRIx64 "); refusing to replay\n",
			scn ? scn->path : m.file, tpath, scn ? scn->hash : 0, m.hash);
		scenario_free(scn);
		trace_meta_free(&m);
		return EXIT_INPUT;
	}
	rc = check_scenario(o, scn, &m, false, &out);
	explore_result_free(&out.res);
	scenario_free(scn);
	trace_meta_free(&m);
	return rc;
}

static int cmd_run(const struct options *o)
{
	struct runc_opts ro = { .defs = o->defs, .ndefs = o->ndefs,
				.races = o->races || getenv("PVCHECK_RACES") };
	struct program prog;
	struct explore_opts eo;
	struct explore_result res;
	struct progress pg;
	struct trace_meta replay = { 0 };
	const char *path = o->args[0];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char err[4096], defs[512] = "";
	uint64_t hash = 0;
	int rc;

	/* The program's content hash, for traces. */
	{
		FILE *f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "pvcheck: cannot open %s: %s\n", path, strerror(errno));
			return EXIT_USAGE;	/* a system error, like a missing scenario file */
		}
		char buf[65536];
		size_t n;
		uint64_t h = 0xcbf29ce484222325ull;
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			for (size_t i = 0; i < n; i++) {
				h ^= (unsigned char)buf[i];
				h *= 0x100000001b3ull;
			}
		fclose(f);
		hash = h;
	}
	for (int i = 0; i < o->ndefs; i++) {
		size_t l = strlen(defs);
		snprintf(defs + l, sizeof(defs) - l, "%s-D%s", i ? " " : "", o->defs[i]);
	}
	if (o->replay) {
		if (trace_read(o->replay, &replay, err, sizeof(err))) {
			fprintf(stderr, "pvcheck: %s; refusing to replay\n", err);
			return access(o->replay, R_OK) ? EXIT_USAGE : EXIT_INPUT;
		}
		const char *rd = replay.nknobs ? replay.knob_value[0] : "";
		if (replay.hash != hash || strcmp(rd, defs) != 0) {
			fprintf(stderr, "pvcheck: trace does not match: %s or its -D options changed since %s was recorded; refusing to replay\n",
				path, o->replay);
			trace_meta_free(&replay);
			return EXIT_INPUT;
		}
	}

	if (o->replay && trace_check_schedule(&replay, err, sizeof(err))) {
		fprintf(stderr, "pvcheck: trace does not replay: %s; refusing to replay\n", err);
		trace_meta_free(&replay);
		return EXIT_INPUT;
	}
	err[0] = '\0';
	rc = runc_prepare(path, &ro, &prog, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "%s%s", err, err[0] && err[strlen(err) - 1] != '\n' ? "\n" : "");
		trace_meta_free(&replay);
		return rc;
	}
	pg = (struct progress){ .name = base };
	make_opts(o, NULL, &eo, &pg);
	if (o->replay) {
		eo.mode = EXPLORE_REPLAY;
		eo.replay = replay.schedule;
		eo.replay_len = (size_t)replay.schedule_len;
		eo.random_runs = 0;
	}
	rc = do_explore(&prog, &eo, &res, &pg);
	if (rc) {
		runc_release(&prog);
		trace_meta_free(&replay);
		return rc;
	}
	if (o->replay && (res.diverged || !res.found ||
			  strcmp(res.finding.id, replay.finding_id ? replay.finding_id : "") ||
			  trace_check_replay(&replay, &res, err, sizeof(err)))) {
		fprintf(stderr, "pvcheck: trace does not replay: %s; refusing to replay\n",
			res.diverged ? "its schedule does not fit the program" :
			!res.found ? "the recorded finding did not occur" :
			strcmp(res.finding.id, replay.finding_id ? replay.finding_id : "") ?
			"a different finding occurred" : err);
		explore_result_free(&res);
		runc_release(&prog);
		trace_meta_free(&replay);
		return EXIT_INPUT;
	}
	enum report_simplest simplest = REPORT_SIMPLEST_NONE;
	uint64_t found_exec = res.executions, found_walk = res.random_executions;
	if (!o->replay)
		simplest = find_simplest(o, &prog, &eo, &res, &pg, NULL);

	char *tpath = res.found ? trace_path(o, base) : NULL;
	if (tpath) {
		struct trace_meta m = { 0 };
		struct report_info wri = { .mode = mode_name(eo.mode) };
		m.scenario = (char *)base;
		m.file = (char *)path;
		m.hash = hash;
		m.model = (char *)mdl_version;
		m.tool = (char *)"pvcheck " PVCHECK_VERSION;
		m.nknobs = 1;
		m.knob_name[0] = (char *)"defines";
		m.knob_value[0] = defs;
		if (trace_write(tpath, &m, &wri, &res, err, sizeof(err))) {
			fprintf(stderr, "pvcheck: %s\n", err);
			free(tpath);
			tpath = NULL;
		}
	}
	struct report_info ri = {
		.name = base, .program = true, .file = path, .knobs = defs[0] ? defs : NULL,
		.as_expected = -1, .races_unchecked = !ro.races,
		.trace_path = tpath, .mode = mode_name(eo.mode),
		.verbose = o->verbose, .quiet = o->quiet, .simplest = simplest,
		.found_exec = found_exec, .found_walk = found_walk,
	};
	char *svg = write_svg(o, base, &ri, &res);
	ri.svg_path = svg;
	if (o->json)
		report_json(stdout, &ri, &res);
	else
		report_text(stdout, &ri, &res);
	rc = verdict_exit(&res);
	if (interrupted && !res.found)
		rc = EXIT_INCOMPLETE;
	free(tpath);
	free(svg);
	explore_result_free(&res);
	runc_release(&prog);
	trace_meta_free(&replay);
	return rc;
}

/* The model's vocabulary, printed from its tables so it cannot drift. */
static void list_model(void)
{
	static const char *const tname[MT_NR] = {
		[MT_INT] = "N", [MT_GUEST] = "GUEST", [MT_MM] = "MM", [MT_FILE] = "FILE",
		[MT_PAGE] = "PAGE", [MT_PIPE] = "PIPE", [MT_DEV] = "DEV", [MT_MAP] = "MAP",
	};

	printf("\nmodel %s\n\nworld declarations (KIND NAME key=value ...):\n", mdl_version);
	for (int i = 0; i < mdl_ndecl_kinds; i++)
		printf("  %-10s %s\n", mdl_decl_kinds[i].kind, mdl_decl_kinds[i].keys_doc);
	printf("\noperations (OP ARG ...):\n");
	for (int i = 0; i < mdl_nops; i++) {
		char sig[128];
		size_t len = (size_t)snprintf(sig, sizeof(sig), "%s", mdl_ops[i].name);
		for (int a = 0; a < mdl_ops[i].nargs && len < sizeof(sig); a++)
			len += (size_t)snprintf(sig + len, sizeof(sig) - len, " %s:%s",
						mdl_ops[i].argnames[a] ? mdl_ops[i].argnames[a] : "arg",
						tname[mdl_ops[i].args[a]]);
		printf("  %-40s %s\n", sig, mdl_ops[i].summary);
	}
	printf("\nknobs (NAME = VALUE; the first listed is v5.7's default):\n");
	for (int i = 0; i < mdl_nknobs; i++) {
		char vals[160];
		size_t len = 0;
		vals[0] = '\0';
		len += (size_t)snprintf(vals, sizeof(vals), "%s", mdl_knobs[i].values[mdl_knobs[i].def]);
		for (int v = 0; mdl_knobs[i].values[v] && len < sizeof(vals); v++)
			if (v != mdl_knobs[i].def)
				len += (size_t)snprintf(vals + len, sizeof(vals) - len, "|%s",
							mdl_knobs[i].values[v]);
		printf("  %-16s %-34s %s\n", mdl_knobs[i].name, vals, mdl_knobs[i].summary);
	}
}

static int cmd_list(const struct options *o)
{
	int code = EXIT_SAFE;

	for (int i = 0; i < scn_ncatalog; i++) {
		struct scenario *scn;
		struct scn_diag d;
		char exp[256];

		if (scn_catalog_load(i, &scn, &d)) {
			scn_diag_print(&d, stderr);
			code = EXIT_INPUT;
			continue;
		}
		printf("%-34s  %-18s  %s\n", scn->name.s, scenario_expect_desc(scn, exp, sizeof(exp)),
		       scn->question.s);
		scenario_free(scn);
	}
	if (o->verbose)
		list_model();
	return code;
}

static const char *catalog_name_at(int i, const void *arg)
{
	return ((const char *const *)arg)[i];
}

static int cmd_show(const struct options *o)
{
	int i = scn_catalog_find(o->args[0]);

	if (i < 0) {
		/* Suggest among the scenarios' names. */
		char **names = calloc((size_t)scn_ncatalog + 1, sizeof(*names));
		int n = 0;
		for (int k = 0; names && k < scn_ncatalog; k++) {
			struct scenario *scn;
			struct scn_diag d;
			if (scn_catalog_load(k, &scn, &d))
				continue;
			names[n++] = strdup(scn->name.s);
			scenario_free(scn);
		}
		const char *s = names ? scn_suggest(o->args[0], n, catalog_name_at, names) : NULL;
		fprintf(stderr, "pvcheck: no catalog scenario '%s'%s%s%s (pvcheck list shows them)\n",
			o->args[0], s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
		for (int k = 0; k < n; k++)
			free(names[k]);
		free(names);
		return EXIT_USAGE;
	}
	fwrite(scn_catalog[i].text, 1, scn_catalog[i].len, stdout);
	return EXIT_SAFE;
}

int cli_run(const struct options *o)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	install_sigint();
	jobs_note(o);
	switch (o->cmd) {
	case CMD_HELP:
		cli_usage(stdout, true);
		return EXIT_SAFE;
	case CMD_VERSION:
		printf("pvcheck %s\nmodel: %s\n", PVCHECK_VERSION, mdl_version);
		return EXIT_SAFE;
	case CMD_CATALOG: return cmd_catalog(o);
	case CMD_CHECK: return cmd_check(o);
	case CMD_RUN: return cmd_run(o);
	case CMD_LIST: return cmd_list(o);
	case CMD_SHOW: return cmd_show(o);
	case CMD_REPLAY: return cmd_replay(o, o->args[0], o->nargs > 1 ? o->args[1] : NULL);
	}
	return EXIT_INTERNAL;
}
