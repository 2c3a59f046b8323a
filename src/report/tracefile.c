// SPDX-License-Identifier: MIT
/*
 * tracefile.c - counterexample traces on disk (--trace-out, pvcheck replay).
 *
 * A trace is one JSON object: a header naming what it was recorded from
 * (scenario name, file, content hash, effective knobs, model version), the
 * finding, and the schedule that replays it, followed by every step in the
 * same structure as the "counterexample" of --json.  Reading validates every
 * field it uses, so a corrupt or truncated file is refused with a message,
 * never half-replayed.  Checking that the trace matches the scenario and
 * model at hand is the caller's job (src/cli), which knows both.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report/report_int.h"

#define TRACE_MAX_SCHEDULE (1 << 22)

int trace_write(const char *path, const struct trace_meta *meta, const struct report_info *ri,
		const struct explore_result *res, char *err, size_t errlen)
{
	json_t *o = json_object(), *knobs = json_object(), *over = json_object(), *tr;
	char hash[24], tmp[4096];
	int rc = 0;

	snprintf(hash, sizeof(hash), "%016" PRIx64, meta->hash);
	json_object_set_new(o, "format", json_string(TRACE_FORMAT));
	json_object_set_new(o, "version", json_integer(TRACE_VERSION));
	json_object_set_new(o, "tool", json_string(meta->tool ? meta->tool : "pvcheck"));
	json_object_set_new(o, "model", json_string(meta->model ? meta->model : ""));
	json_object_set_new(o, "scenario", json_string(meta->scenario ? meta->scenario : ""));
	json_object_set_new(o, "file", json_string(meta->file ? meta->file : ""));
	json_object_set_new(o, "hash", json_string(hash));
	for (int k = 0; k < meta->nknobs; k++)
		json_object_set_new(knobs, meta->knob_name[k], json_string(meta->knob_value[k]));
	json_object_set_new(o, "knobs", knobs);
	for (int k = 0; k < meta->noverrides; k++)
		json_object_set_new(over, meta->over_name[k], json_string(meta->over_value[k]));
	json_object_set_new(o, "knob_overrides", over);
	json_object_set_new(o, "mode", json_string(ri && ri->mode ? ri->mode : "dpor"));
	json_object_set_new(o, "verdict", json_string(report_verdict_name(res->verdict)));
	json_object_set_new(o, "violation", report_finding_json(res));
	json_object_set_new(o, "preemptions", json_integer(res->preemptions));
	if (ri && ri->chains)	/* report-only: a replay words its own */
		json_object_set_new(o, "chains", report_chains_json(ri->chains, res));
	tr = report_trace_json(res);
	json_object_update(o, tr);
	json_decref(tr);

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(o, tmp, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 ||
	    rename(tmp, path) != 0) {
		snprintf(err, errlen, "cannot write trace %s: %s", path, strerror(errno));
		remove(tmp);
		rc = -1;
	}
	json_decref(o);
	return rc;
}

/* ==== Reading ==== */

static char *dup_str(json_t *o, const char *key, bool required, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	if ((!v || json_is_null(v)) && !required)
		return strdup("");
	if (!json_is_string(v)) {
		snprintf(err, errlen, "corrupt trace: '%s' missing or not a string", key);
		return NULL;
	}
	return strdup(json_string_value(v));
}

static int read_map(json_t *o, const char *key, int *n, char **names, char **values,
		    char *err, size_t errlen)
{
	json_t *m = json_object_get(o, key), *v;
	const char *k;

	*n = 0;
	if (!m)
		return 0;
	if (!json_is_object(m)) {
		snprintf(err, errlen, "corrupt trace: '%s' is not an object", key);
		return -1;
	}
	json_object_foreach(m, k, v) {
		if (!json_is_string(v) || *n == TRACE_MAX_KNOBS) {
			snprintf(err, errlen, "corrupt trace: bad entry '%s' in '%s'", k, key);
			return -1;
		}
		names[*n] = strdup(k);
		values[*n] = strdup(json_string_value(v));
		(*n)++;
	}
	return 0;
}

int trace_read(const char *path, struct trace_meta *meta, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *o, *v;
	char *hash = NULL;
	int rc = -1;

	memset(meta, 0, sizeof(*meta));
	o = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!o) {
		FILE *f = fopen(path, "r");
		if (!f)
			snprintf(err, errlen, "cannot open trace %s: %s", path, strerror(errno));
		else {
			/* jansson quotes the bytes near the error: not a binary's to the terminal */
			for (char *c = jerr.text; *c; c++)
				if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
					*c = '?';
			snprintf(err, errlen, "corrupt or truncated trace %s: %s (line %d, column %d)",
				 path, jerr.text, jerr.line, jerr.column);
		}
		if (f)
			fclose(f);
		return -1;
	}
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "format")) ||
	    strcmp(json_string_value(json_object_get(o, "format")), TRACE_FORMAT) != 0) {
		snprintf(err, errlen, "%s is not a pvcheck trace (no \"format\": \"%s\")", path,
			 TRACE_FORMAT);
		goto out;
	}
	v = json_object_get(o, "version");
	if (!json_is_integer(v) || json_integer_value(v) != TRACE_VERSION) {
		snprintf(err, errlen, "trace format version not supported (this pvcheck reads version %d)",
			 TRACE_VERSION);
		goto out;
	}
	if (!(meta->scenario = dup_str(o, "scenario", true, err, errlen)) ||
	    !(meta->file = dup_str(o, "file", true, err, errlen)) ||
	    !(meta->model = dup_str(o, "model", true, err, errlen)) ||
	    !(meta->tool = dup_str(o, "tool", false, err, errlen)) ||
	    !(meta->verdict = dup_str(o, "verdict", true, err, errlen)) ||
	    !(hash = dup_str(o, "hash", true, err, errlen)))
		goto out;
	/* exactly 16 hex digits: strtoull alone would take " 1..", "-1..", "0x.." */
	bool hex = strlen(hash) == 16;
	for (int i = 0; hex && i < 16; i++)
		hex = isxdigit((unsigned char)hash[i]);
	meta->hash = hex ? strtoull(hash, NULL, 16) : 0;
	if (!hex) {
		snprintf(err, errlen, "corrupt trace: 'hash' is not 16 hex digits");
		goto out;
	}
	if (read_map(o, "knobs", &meta->nknobs, meta->knob_name, meta->knob_value, err, errlen) ||
	    read_map(o, "knob_overrides", &meta->noverrides, meta->over_name, meta->over_value,
		     err, errlen))
		goto out;
	v = json_object_get(o, "violation");
	if (json_is_object(v) && json_is_string(json_object_get(v, "id")))
		meta->finding_id = strdup(json_string_value(json_object_get(v, "id")));
	else if (!json_is_null(v)) {
		snprintf(err, errlen, "corrupt trace: 'violation' missing or malformed");
		goto out;
	}
	v = json_object_get(o, "schedule");
	if (!json_is_array(v) || json_array_size(v) > TRACE_MAX_SCHEDULE) {
		snprintf(err, errlen, "corrupt trace: 'schedule' missing or not an array");
		goto out;
	}
	meta->schedule_len = (int)json_array_size(v);
	meta->schedule = calloc((size_t)meta->schedule_len + 1, sizeof(int));
	if (!meta->schedule) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (int i = 0; i < meta->schedule_len; i++) {
		json_t *e = json_array_get(v, (size_t)i);
		json_int_t x = json_is_integer(e) ? json_integer_value(e) : INT32_MIN;
		if (x < -1000000 || x >= EXPLORE_MAX_THREADS) {
			snprintf(err, errlen, "corrupt trace: schedule entry %d is not a thread id or choice", i);
			goto out;
		}
		meta->schedule[i] = (int)x;
	}
	v = json_object_get(o, "threads");
	if (v && (!json_is_array(v) || json_array_size(v) > EXPLORE_MAX_THREADS)) {
		snprintf(err, errlen, "corrupt trace: 'threads' is not an array of at most %d names",
			 EXPLORE_MAX_THREADS);
		goto out;
	}
	for (size_t i = 0; v && i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		if (!json_is_string(e)) {
			snprintf(err, errlen, "corrupt trace: thread name %zu is not a string", i);
			goto out;
		}
		meta->threads[meta->nthreads++] = strdup(json_string_value(e));
	}
	v = json_object_get(o, "steps");
	if (!json_is_array(v) || json_array_size(v) > TRACE_MAX_SCHEDULE) {
		snprintf(err, errlen, "corrupt trace: 'steps' missing or not an array");
		goto out;
	}
	meta->steps = calloc(json_array_size(v) + 1, sizeof(*meta->steps));
	if (!meta->steps) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		struct trace_rec_step *st = &meta->steps[i];
		json_t *tid = json_object_get(e, "tid"), *line = json_object_get(e, "line");
		json_t *val = json_object_get(e, "value");

		meta->nsteps = (int)i + 1;	/* so that trace_meta_free frees this one */
		if (!json_is_object(e) || !json_is_integer(tid) || !json_is_integer(line) ||
		    (val && !json_is_integer(val))) {
			snprintf(err, errlen, "corrupt trace: step %zu is malformed", i + 1);
			goto out;
		}
		st->tid = (int)json_integer_value(tid);
		st->line = (int)json_integer_value(line);
		st->value = val ? (long)json_integer_value(val) : 0;
		if (!(st->thread = dup_str(e, "thread", true, err, errlen)) ||
		    !(st->kind = dup_str(e, "kind", true, err, errlen)) ||
		    !(st->what = dup_str(e, "what", true, err, errlen)) ||
		    !(st->file = dup_str(e, "file", false, err, errlen)) ||
		    !(st->note = dup_str(e, "note", false, err, errlen))) {
			size_t l = strlen(err);
			snprintf(err + l, errlen - l, " in step %zu", i + 1);
			goto out;
		}
	}
	meta->nsteps = (int)json_array_size(v);
	rc = 0;
out:
	free(hash);
	json_decref(o);
	if (rc)
		trace_meta_free(meta);
	return rc;
}

/* "vcpu: lock_page (src/uv/uv.c:372)" for a message. */
static void step_desc(char *buf, size_t len, const char *thread, const char *kind,
		      const char *what, const char *note, const char *file, int line)
{
	snprintf(buf, len, "%s: %s %s%s%s%s (%s:%d)", thread, kind, what, note[0] ? " [" : "",
		 note, note[0] ? "]" : "", file[0] ? file : "-", line);
}

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

int trace_check_schedule(const struct trace_meta *meta, char *err, size_t errlen)
{
	char a[512];

	for (int i = 0; i < meta->schedule_len && i < meta->nsteps; i++) {
		const struct trace_rec_step *r = &meta->steps[i];
		bool choice = strcmp(r->kind, vis_kind_name(VIS_KIND_CHOOSE)) == 0;
		int want = choice ? (int)(-1 - r->value) : r->tid;
		if (meta->schedule[i] == want)
			continue;
		step_desc(a, sizeof(a), r->thread, r->kind, r->what, r->note, r->file, r->line);
		if (meta->schedule[i] < 0)
			snprintf(err, errlen, "step %d differs: the schedule makes choice %d there, the trace records %s",
				 i + 1, -1 - meta->schedule[i], a);
		else
			snprintf(err, errlen, "step %d differs: the schedule runs thread %d (%s) there, the trace records %s",
				 i + 1, meta->schedule[i],
				 meta->schedule[i] < meta->nthreads ? meta->threads[meta->schedule[i]] : "?",
				 a);
		return -1;
	}
	if (meta->schedule_len != meta->nsteps) {
		snprintf(err, errlen, "schedule entry %d differs: the schedule has %d entries for %d recorded steps",
			 meta->schedule_len < meta->nsteps ? meta->schedule_len : meta->nsteps,
			 meta->schedule_len, meta->nsteps);
		return -1;
	}
	return 0;
}

int trace_check_replay(const struct trace_meta *meta, const struct explore_result *res,
		       char *err, size_t errlen)
{
	json_t *tr = report_trace_json(res), *steps = json_object_get(tr, "steps");
	json_t *threads = json_object_get(tr, "threads");
	const struct trace *t = &res->trace;
	char a[512], b[512];
	int n = (int)json_array_size(steps), rc = -1;

	/* 1. the steps, in order: the first that differs is named */
	for (int i = 0; i < n || i < meta->nsteps; i++) {
		json_t *e = json_array_get(steps, (size_t)i);
		const struct trace_rec_step *r = i < meta->nsteps ? &meta->steps[i] : NULL;
		if (e)
			step_desc(b, sizeof(b), jstr(e, "thread"), jstr(e, "kind"), jstr(e, "what"),
				  jstr(e, "note"), jstr(e, "file"),
				  (int)json_integer_value(json_object_get(e, "line")));
		if (r)
			step_desc(a, sizeof(a), r->thread, r->kind, r->what, r->note, r->file, r->line);
		if (!r) {
			snprintf(err, errlen, "the trace ends after step %d, the re-execution goes on with step %d %s",
				 meta->nsteps, i + 1, b);
			goto out;
		}
		if (!e) {
			snprintf(err, errlen, "the re-execution ends after step %d, the trace goes on with step %d %s",
				 n, i + 1, a);
			goto out;
		}
		if (r->tid != (int)json_integer_value(json_object_get(e, "tid")) ||
		    strcmp(r->thread, jstr(e, "thread")) || strcmp(r->kind, jstr(e, "kind")) ||
		    strcmp(r->what, jstr(e, "what")) || strcmp(r->note, jstr(e, "note")) ||
		    strcmp(r->file, jstr(e, "file")) ||
		    r->line != (int)json_integer_value(json_object_get(e, "line")) ||
		    r->value != (long)json_integer_value(json_object_get(e, "value"))) {
			snprintf(err, errlen, "step %d differs: the trace has %s, the re-execution %s",
				 i + 1, a, b);
			goto out;
		}
	}
	/* 2. the thread names */
	for (int i = 0; i < meta->nthreads || i < (int)json_array_size(threads); i++) {
		const char *x = i < meta->nthreads ? meta->threads[i] : "(none)";
		json_t *y = json_array_get(threads, (size_t)i);
		if (!y || strcmp(x, json_string_value(y))) {
			snprintf(err, errlen, "thread %d is '%s' in the trace, '%s' here", i, x,
				 y ? json_string_value(y) : "(none)");
			goto out;
		}
	}
	/* 3. the schedule: every entry consumed, none left over */
	for (int i = 0; i < meta->schedule_len || i < t->schedule_len; i++) {
		if (i >= meta->schedule_len || i >= t->schedule_len ||
		    meta->schedule[i] != t->schedule[i]) {
			snprintf(err, errlen, "schedule entry %d differs: the trace has %d entries, the re-execution used %d",
				 i, meta->schedule_len, t->schedule_len);
			goto out;
		}
	}
	/* 4. the verdict */
	if (meta->verdict && meta->verdict[0] &&
	    strcmp(meta->verdict, report_verdict_name(res->verdict)) != 0) {
		snprintf(err, errlen, "the trace records verdict '%s', the re-execution ends '%s'",
			 meta->verdict, report_verdict_name(res->verdict));
		goto out;
	}
	rc = 0;
out:
	json_decref(tr);
	return rc;
}

void trace_meta_free(struct trace_meta *meta)
{
	free(meta->scenario);
	free(meta->file);
	free(meta->model);
	free(meta->tool);
	free(meta->verdict);
	free(meta->finding_id);
	free(meta->schedule);
	for (int i = 0; meta->steps && i < meta->nsteps; i++) {
		struct trace_rec_step *st = &meta->steps[i];
		free(st->thread);
		free(st->kind);
		free(st->what);
		free(st->file);
		free(st->note);
	}
	free(meta->steps);
	for (int i = 0; i < meta->nthreads; i++)
		free(meta->threads[i]);
	for (int k = 0; k < meta->nknobs; k++) {
		free(meta->knob_name[k]);
		free(meta->knob_value[k]);
	}
	for (int k = 0; k < meta->noverrides; k++) {
		free(meta->over_name[k]);
		free(meta->over_value[k]);
	}
	memset(meta, 0, sizeof(*meta));
}
