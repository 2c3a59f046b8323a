// SPDX-License-Identifier: MIT
/*
 * diag.c - error positions and messages for scenario files, printed the way
 * gcc prints them (file:line:col, the source line, a caret under the
 * column), plus the small lexical helpers shared by the parser and the
 * binder: integer literals, names, and "did you mean" suggestions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "scenario/scenario_int.h"

/* ==== Diagnostics ==== */

/* Length of the valid UTF-8 sequence at @s (1 to 4), or 0 if it is not one. */
static int utf8_len(const unsigned char *s, size_t n)
{
	int l = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
		(s[0] & 0xf8) == 0xf0 ? 4 : 0;

	if (!l || (size_t)l > n || (l == 2 && s[0] < 0xc2))
		return 0;
	for (int k = 1; k < l; k++)
		if ((s[k] & 0xc0) != 0x80)
			return 0;
	return l;
}

/*
 * Never echo a binary file's bytes to the terminal: in a message or a
 * source line, a control character or a byte that is not part of valid
 * UTF-8 becomes '?' (one for one, so columns stay where they were).
 */
static void printable(char *s, size_t n)
{
	unsigned char *u = (unsigned char *)s;

	for (size_t i = 0; i < n;) {
		int l = utf8_len(u + i, n - i);
		if (l == 1 && ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f))
			u[i] = '?';
		if (l == 0) {
			u[i++] = '?';
			continue;
		}
		i += (size_t)l;
	}
}

void scn_diag_set(struct scn_diag *d, const char *path, const char *text, size_t len,
		  const struct scn_pos *pos, const char *fmt, ...)
{
	va_list ap;

	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	printable(d->msg, strlen(d->msg));
	if (!pos || pos->line <= 0)
		return;
	d->line = pos->line;
	d->col = pos->col > 0 ? pos->col : 1;
	d->len = pos->len > 0 ? pos->len : 1;
	if (!text)
		return;

	/* Find the line and copy it, or a window of it around the column. */
	size_t i = 0;
	for (int l = 1; l < pos->line && i < len; i++)
		if (text[i] == '\n')
			l++;
	size_t end = i;
	while (end < len && text[end] != '\n')
		end++;
	if (end > i && text[end - 1] == '\r')
		end--;
	size_t start = i, col0 = (size_t)d->col - 1, off = 0;
	char *o = d->src;
	if (col0 > SCN_LINE_LEN / 2) {
		start = i + col0 - SCN_LINE_LEN / 4;
		memcpy(o, "...", 3);
		off = 3;
	}
	size_t n = end > start ? end - start : 0;
	if (n > SCN_LINE_LEN)
		n = SCN_LINE_LEN;
	memcpy(o + off, text + start, n);
	printable(o + off, n);
	o[off + n] = '\0';
	d->src_col = (int)(off + (i + col0 - start) + 1);
	if (d->len > (int)(off + n) - d->src_col + 1)
		d->len = (int)(off + n) - d->src_col + 1;
	if (d->len < 1)
		d->len = 1;
}

void scn_diag_print(const struct scn_diag *d, FILE *out)
{
	const char *path = d->path[0] ? d->path : "pvcheck";

	if (d->line <= 0) {
		fprintf(out, "%s: error: %s\n", path, d->msg);
		return;
	}
	fprintf(out, "%s:%d:%d: error: %s\n", path, d->line, d->col, d->msg);
	if (!d->src_col)
		return;
	fprintf(out, "%5d | %s\n      | ", d->line, d->src);
	/* Keep the source's tabs so that the caret lines up in any terminal. */
	for (int k = 0; k < d->src_col - 1 && d->src[k]; k++)
		fputc(d->src[k] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	for (int k = 1; k < d->len; k++)
		fputc('~', out);
	fputc('\n', out);
}

/* ==== Lexical helpers ==== */

bool scn_parse_int(const char *s, int64_t max, int64_t *out)
{
	uint64_t v = 0;
	int base = 10;

	if (!s || !*s)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return false;
	}
	for (; *s; s++) {
		int dgt;
		if (*s >= '0' && *s <= '9')
			dgt = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			dgt = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			dgt = *s - 'A' + 10;
		else
			return false;
		v = v * (uint64_t)base + (uint64_t)dgt;
		if (v > (uint64_t)max)
			return false;
	}
	*out = (int64_t)v;
	return true;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '+' || c == '.' || c == '-';
}

bool scn_is_scenario_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_name_char(*s))
			return false;
	return true;
}

bool scn_is_ident(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	return scn_is_scenario_name(s);
}

int scn_edit_distance(const char *a, const char *b)
{
	enum { N = 64 };
	int d[N + 1][N + 1];
	size_t la = strlen(a), lb = strlen(b);

	/* optimal string alignment: a swap of two neighbours counts as one edit */
	if (la > N || lb > N)
		return N;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

int scn_find(const char *word, int n, const char *(*get)(int i, const void *arg),
	     const void *arg)
{
	for (int i = 0; i < n; i++) {
		const char *c = get(i, arg);
		if (c && strcmp(c, word) == 0)
			return i;
	}
	return -1;
}

const char *scn_suggest(const char *word, int n, const char *(*get)(int i, const void *arg),
			const void *arg)
{
	const char *best = NULL;
	int best_d = 1 << 20;
	int limit = (int)strlen(word) / 3;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (int i = 0; i < n; i++) {
		const char *c = get(i, arg);
		if (!c)
			continue;
		int d = scn_edit_distance(word, c);
		if (d < best_d) {
			best_d = d;
			best = c;
		}
	}
	return best && best_d <= limit ? best : NULL;
}

uint64_t scn_hash(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
