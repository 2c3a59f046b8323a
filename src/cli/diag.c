// SPDX-License-Identifier: MIT
/*
 * diag.c - input and system errors of the commands: the message on stderr,
 * its JSON record under --json, and the hints added to a scenario's
 * binding errors.
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
#include "lib/bug.h"
#include "model/model.h"
#include "report/report.h"
#include "runc/runc.h"

/*
 * An input (exit 3) or system (exit 2) error about @file: the message goes
 * to stderr as always; with --json, a record goes to stdout too, so that a
 * consumer reading the JSON lines sees every file's outcome:
 *   {"file", "name", "verdict": "input-error", "error": "input"|"system",
 *    "line", "col", "message", "exit"}
 * @line, @col: 0 when the error has no position.
 */
void cli_json_error(const struct options *o, const char *file, const char *name, int line,
		       int col, const char *msg, int code)
{
	json_t *j;
	char *txt;

	if (!o->json)
		return;
	j = json_object();
	json_object_set_new(j, "file", file ? json_string(file) : json_null());
	json_object_set_new(j, "name", name ? json_string(name) : json_null());
	json_object_set_new(j, "verdict", json_string("input-error"));
	json_object_set_new(j, "error", json_string(code == EXIT_USAGE ? "system" : "input"));
	json_object_set_new(j, "line", line > 0 ? json_integer(line) : json_null());
	json_object_set_new(j, "col", col > 0 ? json_integer(col) : json_null());
	/* a message quoting a binary file's bytes: jansson refuses invalid UTF-8 */
	json_t *m = json_string(msg);
	json_object_set_new(j, "message", m ? m : json_string("(message not valid UTF-8)"));
	json_object_set_new(j, "exit", json_integer(code));
	txt = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (txt)
		printf("%s\n", txt);
	free(txt);
	json_decref(j);
	fflush(stdout);
}

/* scn_diag_print(), and its JSON record under --json. */
void cli_diag_report(const struct options *o, const struct scn_diag *d, const char *name,
			int code)
{
	scn_diag_print(d, stderr);
	cli_json_error(o, d->path[0] ? d->path : NULL, name, d->line, d->col, d->msg, code);
}

static const char *decl_name_at(int i, const void *arg)
{
	const struct scenario *scn = arg;
	return scn->decls[i].name.s;
}

static const char *str_at(int i, const void *arg)
{
	return ((const char *const *)arg)[i];
}

/* Append "; did you mean 'S'?" (or @alt when there is no S) to @d's message. */
static void append_hint(struct scn_diag *d, const char *s, const char *alt)
{
	size_t l = strlen(d->msg);

	if (s)
		snprintf(d->msg + l, sizeof(d->msg) - l, "; did you mean '%s'?", s);
	else if (alt)
		snprintf(d->msg + l, sizeof(d->msg) - l, "%s", alt);
}

/*
 * Hints for the binder's world errors, which come from the model's tables
 * (src/model/world.c) and know neither the scenario's other names nor the
 * edit distance: a near name for an object (`no file named 'mme'`), for a
 * key (`unknown key 'idx' for a page`), and the values of a knob (`knob
 * splice_hook has no value 'of'`).  Each is recognised by the message's
 * shape; tests/cli checks all three, so a reworded message is noticed.
 */
void cli_add_hint(struct scn_diag *d, const struct scenario *scn)
{
	char kind[32], word[SCN_MSG_LEN], alt[256];
	const char *cand[64];
	int n = 0;

	if (sscanf(d->msg, "no %31s named '%[^']'", kind, word) == 2) {
		/* the declarations of that kind; one declared below is named as such */
		for (int i = 0; i < scn->ndecls && n < 64; i++) {
			if (strcmp(scn->decls[i].kind.s, kind) != 0)
				continue;
			if (strcmp(scn->decls[i].name.s, word) == 0) {
				size_t l = strlen(d->msg);
				snprintf(d->msg + l, sizeof(d->msg) - l,
					 "; '%s' is declared at line %d, below this use", word,
					 scn->decls[i].name.pos.line);
				return;
			}
			cand[n++] = scn->decls[i].name.s;
		}
		const char *s = scn_suggest(word, n, str_at, cand);
		if (s) {
			append_hint(d, s, NULL);
			return;
		}
		/* a near name of another kind: say what it is */
		s = scn_suggest(word, scn->ndecls, decl_name_at, scn);
		if (s) {
			int i = scn_find(s, scn->ndecls, decl_name_at, scn);
			size_t l = strlen(d->msg);
			snprintf(d->msg + l, sizeof(d->msg) - l, "; '%s' is a %s, not a %s", s,
				 scn->decls[i].kind.s, kind);
		}
		return;
	}
	if (sscanf(d->msg, "unknown key '%[^']' for a %31s", word, kind) == 2) {
		/* the keys the kind's documentation line names ("mm=MM addr=N ...") */
		static char keys[64][16];
		for (int k = 0; k < mdl_ndecl_kinds; k++) {
			if (strcmp(mdl_decl_kinds[k].kind, kind) != 0)
				continue;
			const char *p = mdl_decl_kinds[k].keys_doc;
			while (*p && n < 64) {
				size_t w = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
				if (w && w < 16 && p[w] == '=') {
					memcpy(keys[n], p, w);
					keys[n][w] = '\0';
					cand[n] = keys[n];
					n++;
				}
				p += w ? w : 1;
			}
		}
		if (n == 0) {
			append_hint(d, NULL, " (it takes no keys)");
			return;
		}
		size_t l = 0;
		alt[0] = '\0';
		for (int i = 0; i < n && l < sizeof(alt); i++)
			if (scn_find(cand[i], i, str_at, cand) < 0)
				l += (size_t)snprintf(alt + l, sizeof(alt) - l, "%s%s", l ? ", " : " (keys: ",
						      cand[i]);
		if (l && l < sizeof(alt) - 1)
			snprintf(alt + l, sizeof(alt) - l, ")");
		append_hint(d, scn_suggest(word, n, str_at, cand), alt);
		return;
	}
	if (sscanf(d->msg, "knob %31s has no value '%[^']'", kind, word) == 2) {
		int k;
		for (k = 0; k < mdl_nknobs; k++)
			if (strcmp(mdl_knobs[k].name, kind) == 0)
				break;
		if (k == mdl_nknobs)
			return;
		const char *const *v = mdl_knobs[k].values;
		size_t l = 0;
		while (v && v[n])
			n++;
		for (int i = 0; i < n && l < sizeof(alt); i++)
			l += (size_t)snprintf(alt + l, sizeof(alt) - l, "%s%s", i ? "|" : "", v[i]);
		const char *s = scn_suggest(word, n, str_at, v);
		size_t ml = strlen(d->msg);
		if (s)
			snprintf(d->msg + ml, sizeof(d->msg) - ml, "; did you mean '%s'? (values: %s)",
				 s, alt);
		else
			snprintf(d->msg + ml, sizeof(d->msg) - ml, " (values: %s)", alt);
	}
}

