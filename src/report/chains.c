// SPDX-License-Identifier: MIT
/*
 * chains.c - each thread's kernel call chain at the step of the finding.
 *
 * The caller captures the chains from the model right after the finding's
 * execution ended (struct report_info.chains, mdl_dump_chains): one line
 * per thread, tab-separated: its name, what it runs ("line 12
 * splice_write", "ended"), then the kernel functions it is in, innermost
 * first.  The thread that met the finding is in the functions that checked;
 * every other thread is where the trace leaves it, before the step it
 * would take next.  The text report prints them after the trace,
 *
 *   Call chains at the finding (innermost first):
 *     vcpu      ended
 *   * sendfile  splice_from_pipe <- (line 17 splice_write)
 *
 * and the JSON report has them as {"thread", "in", "frames"} objects.
 */
#include <stdlib.h>
#include <string.h>
#include "report/report_int.h"

/*
 * One line of @chains for thread @name: its fields in @f (pointers into
 * @line, a copy), Return: how many, 0 when the thread has no line.
 */
static int chain_fields(const char *chains, const char *name, char *line, size_t n,
			char **f, int max)
{
	size_t nl = strlen(name);

	for (const char *p = chains ? chains : ""; *p; ) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '\t') {
			int k = 0;

			snprintf(line, n, "%.*s", (int)len, p);
			for (char *s = line; k < max; k++) {
				f[k] = s;
				if (!(s = strchr(s, '\t'))) {
					k++;
					break;
				}
				*s++ = '\0';
			}
			return k;
		}
		p += len + (e ? 1 : 0);
	}
	return 0;
}

void report_chains_text(FILE *out, const struct report_info *ri, const struct explore_result *res,
			int width)
{
	const struct trace *tr = &res->trace;
	int namew = 4;
	char nb[REPORT_THREAD_LEN], line[1024], text[1200];
	char *f[REPORT_MAX_FRAMES + 2];

	if (!ri->chains || !ri->chains[0])
		return;
	for (int t = 1; t < tr->nthreads && t < EXPLORE_MAX_THREADS; t++) {
		int l = (int)strlen(report_thread_name(res, t, nb, sizeof(nb)));
		namew = l > namew ? l : namew;
	}
	fprintf(out, "\nCall chains at the finding (kernel functions, innermost first):\n");
	for (int t = 1; t < tr->nthreads && t < EXPLORE_MAX_THREADS; t++) {
		const char *name = report_thread_name(res, t, nb, sizeof(nb));
		int n = chain_fields(ri->chains, name, line, sizeof(line), f, REPORT_MAX_FRAMES + 2);
		size_t o;

		bool mine = t == res->finding.tid;

		o = (size_t)snprintf(text, sizeof(text), "%s%-*s  ", mine ? "* " : "", namew, name);
		if (n == 0)
			snprintf(text + o, sizeof(text) - o, "not started");
		else if (n == 1)
			snprintf(text + o, sizeof(text) - o, "?");
		else if (n == 2 && strncmp(f[1], "line ", 5) == 0)	/* in no kernel function */
			snprintf(text + o, sizeof(text) - o, "(%s)", f[1]);
		else if (n == 2)
			snprintf(text + o, sizeof(text) - o, "%s", f[1]);
		else {
			for (int k = 2; k < n && o < sizeof(text); k++)
				o += (size_t)snprintf(text + o, sizeof(text) - o, "%s%s",
						      k > 2 ? " <- " : "", f[k]);
			if (o < sizeof(text))
				snprintf(text + o, sizeof(text) - o, " <- (%s)", f[1]);
		}
		struct report_lines l = { 0 };
		report_wrap(&l, text, width, mine ? 0 : 2, namew + 4);
		for (int i = 0; i < l.n; i++)
			fprintf(out, "%s\n", l.line[i]);
	}
}

json_t *report_chains_json(const char *chains, const struct explore_result *res)
{
	const struct trace *tr = &res->trace;
	json_t *a;
	char nb[REPORT_THREAD_LEN], line[1024];
	char *f[REPORT_MAX_FRAMES + 2];

	if (!chains)
		return json_null();
	a = json_array();
	for (int t = 1; t < tr->nthreads && t < EXPLORE_MAX_THREADS; t++) {
		const char *name = report_thread_name(res, t, nb, sizeof(nb));
		int n = chain_fields(chains, name, line, sizeof(line), f, REPORT_MAX_FRAMES + 2);
		json_t *o = json_object(), *fr = json_array();

		for (int k = 2; k < n; k++)
			json_array_append_new(fr, json_string(f[k]));
		json_object_set_new(o, "thread", json_string(name));
		json_object_set_new(o, "in", json_string(n ? f[1] : "not started"));
		json_object_set_new(o, "frames", fr);
		json_array_append_new(a, o);
	}
	return a;
}
