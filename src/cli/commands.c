// SPDX-License-Identifier: MIT
/*
 * commands.c - the pvcheck commands: the catalog table, check, run, list,
 * show and replay, and the command table (cli_run).
 *
 * Every command goes the same way: load (parse errors are exit 3), then one
 * check each through the pipeline of job.c (bind or build, explore under
 * the options, report, map the verdict to an exit code).  Exit codes are
 * those of src/lib/bug.h; with several files the most severe wins in the
 * order 5, 3, 1, 4, 0.
 */
#include <errno.h>
#include <inttypes.h>
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

	for (int i = 0; i < scn_ncatalog && !cli_interrupted; i++) {
		struct explore_result res[2];
		bool ran[2] = { false, false };

		for (int pass = 0; pass < 2; pass++) {
			struct scenario *scn;
			struct scn_diag d;
			struct job_outcome out;

			if (scn_catalog_load(i, &scn, &d)) {
				cli_diag_report(o, &d, NULL, EXIT_INPUT);
				code = cli_worse(code, EXIT_INPUT);
				break;
			}
			struct job job = { .name = scn->name.s, .scn = scn, .table = true,
					   .patches_off = pass == 0 };
			int rc = cli_job_run(o, &job, &out);
			if (rc == EXIT_INPUT || rc == EXIT_INTERNAL || rc == EXIT_USAGE) {
				code = cli_worse(code, rc);
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
		for (int pass = 0; pass < 2; pass++)
			if (ran[pass])
				explore_result_free(&res[pass]);
		fflush(stdout);
		if (code == EXIT_INPUT || code == EXIT_USAGE || code == EXIT_INTERNAL)
			break;
	}
	paths_unload();
	if (cli_interrupted)
		return cli_worse(code, EXIT_INCOMPLETE);
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
	for (int i = 0; i < scn_ncatalog && !cli_interrupted; i++) {
		struct scenario *scn;
		struct scn_diag d;
		struct job_outcome out;

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
		struct job job = { .name = scn->name.s, .scn = scn, .table = true };
		int rc = cli_job_run(o, &job, &out);
		if (rc == EXIT_INPUT || rc == EXIT_INTERNAL) {
			if (!o->json)
				report_table_error(stdout, scn->name.s, exp);
			not_ok++;
			code = cli_worse(code, rc);
			scenario_free(scn);
			continue;
		}
		bool good = out.as_expected && !cli_interrupted;
		if (out.nvacuous && !o->json)
			fprintf(stderr, "pvcheck: %s: %d operation%s did nothing in every execution "
				"(pvcheck show %s | pvcheck check /dev/stdin names them)\n",
				scn->name.s, out.nvacuous, out.nvacuous == 1 ? "" : "s", scn->name.s);
		if (o->json) {
			/* cli_job_run() printed the object */
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
	if (cli_interrupted) {
		fprintf(stderr, "pvcheck: cli_interrupted\n");
		return cli_worse(code, EXIT_INCOMPLETE);
	}
	if (scn_ncatalog == 0)
		fprintf(stderr, "pvcheck: the built-in catalog is empty\n");
	return cli_worse(code, not_ok ? EXIT_FINDING : EXIT_SAFE);
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
	for (int i = 0; i < o->nargs && !cli_interrupted; i++) {
		struct scenario *scn;
		struct job_outcome out;
		int rc = load_or_report(o, o->args[i], &scn);

		if (!rc && o->expect && scn->expect.kind == SCN_EXPECT_NONE) {
			struct scn_diag d;
			scn_diag_set(&d, scn->path, scn->text, scn->len, &scn->name.pos,
				     "--expect: scenario '%s' has no 'expect' line", scn->name.s);
			cli_diag_report(o, &d, scn->name.s, EXIT_INPUT);
			rc = EXIT_INPUT;
		} else if (!rc) {
			struct job job = { .name = scn->name.s, .scn = scn };
			rc = cli_job_run(o, &job, &out);
			explore_result_free(&out.res);
		}
		scenario_free(scn);
		code = cli_worse(code, rc);
		if (rc == EXIT_INTERNAL)
			break;
	}
	if (cli_interrupted)
		code = cli_worse(code, EXIT_INCOMPLETE);
	return code;
}

static int cmd_replay(const struct options *o, const char *tpath, const char *file)
{
	struct trace_meta m;
	struct scenario *scn = NULL;
	struct scn_diag d;
	struct job_outcome out;
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
	struct job job = { .name = scn->name.s, .scn = scn, .replay = &m };
	rc = cli_job_run(o, &job, &out);
	explore_result_free(&out.res);
	scenario_free(scn);
	trace_meta_free(&m);
	return rc;
}

static int cmd_run(const struct options *o)
{
	struct trace_meta replay = { 0 };
	struct job_outcome out;
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
	struct job job = { .name = base, .path = path, .hash = hash, .defs = defs,
			   .replay = o->replay ? &replay : NULL };
	rc = cli_job_run(o, &job, &out);
	explore_result_free(&out.res);
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
	cli_install_sigint();
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
