// SPDX-License-Identifier: MIT
/*
 * parse.c - lexer and parser of scenario files (.pvs).
 *
 * The language is line-based, so the parser is a loop over lines with a
 * three-state machine (top level, inside `world`, inside `thread`); there
 * is no recursion and no backtracking, and every token is copied once into
 * a buffer sized from the input, so any input costs time and memory linear
 * in its size.  Only the syntax and the structure are checked here; names
 * of kinds, operations and knobs are resolved by bind.c against the model.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/scenario_int.h"

#define LINE_MAX_TOKS	64

enum tok_type { T_WORD, T_STRING, T_EQ };

struct ltok {
	enum tok_type type;
	struct scn_tok t;
};

struct parser {
	struct scenario *scn;
	const char *path;
	const char *text;
	size_t len;
	struct scn_diag *diag;
	int line;
	struct ltok toks[LINE_MAX_TOKS];
	int ntoks;
	int world_line;
	struct scn_pos first_pos;		/* of the `scenario` statement */
	bool seen_statement;
};

static const char *const top_keywords[] = {
	"scenario", "question", "source", "profile", "paths", "knob", "mutant", "world",
	"thread", "bound", "expect", "symmetric", "end",
};
#define NTOP ((int)(sizeof(top_keywords) / sizeof(top_keywords[0])))

static const char *const bound_kinds[] = { "executions", "preemptions", "depth", "steps" };
static const char *const expect_kinds[] = { "safe", "violation", "deadlock", "no-progress" };

/* Record the first error at @pos; always returns -1. */
__attribute__((format(printf, 3, 4)))
static int perr(struct parser *p, const struct scn_pos *pos, const char *fmt, ...)
{
	char msg[SCN_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	scn_diag_set(p->diag, p->path, p->text, p->len, pos, "%s", msg);
	return -1;
}

static const char *get_str(int i, const void *arg)
{
	return ((const char *const *)arg)[i];
}

/* Copy @n bytes to the string buffer and NUL-terminate; never overflows. */
static char *str_put(struct scenario *scn, const char *s, size_t n)
{
	char *d = scn->strbuf + scn->strused;

	/* strcap >= 2 * len + 16 and each token adds at most its source + 1 */
	if (scn->strused + n + 1 > scn->strcap)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	scn->strused += n + 1;
	return d;
}

/* ==== Lexer: one line into p->toks ==== */

static int lex_line(struct parser *p, const char *s, size_t n)
{
	size_t i = 0;

	p->ntoks = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		struct scn_pos pos = { p->line, (int)i + 1, 1 };

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			i++;
			continue;
		}
		if (c == '#')
			break;
		if (p->ntoks == LINE_MAX_TOKS)
			return perr(p, &pos, "too many tokens on one line (limit %d)", LINE_MAX_TOKS);
		struct ltok *t = &p->toks[p->ntoks];
		if (c == '=') {
			t->type = T_EQ;
			t->t.s = "=";
			t->t.pos = pos;
			p->ntoks++;
			i++;
			continue;
		}
		if (c == '"') {
			char *d = p->scn->strbuf + p->scn->strused, *o = d;
			size_t j = i + 1;
			for (;;) {
				if (j >= n)
					return perr(p, &pos, "missing terminating '\"' character");
				unsigned char e = (unsigned char)s[j];
				if (e == '"')
					break;
				if (e == '\\') {
					struct scn_pos ep = { p->line, (int)j + 1, 2 };
					char x = j + 1 < n ? s[j + 1] : '\0';
					switch (x) {
					case '"': *o++ = '"'; break;
					case '\\': *o++ = '\\'; break;
					case 'n': *o++ = '\n'; break;
					case 't': *o++ = '\t'; break;
					default:
						return perr(p, &ep, "unknown escape sequence in string (use \\\" \\\\ \\n or \\t)");
					}
					j += 2;
					continue;
				}
				if ((e < 0x20 && e != '\t') || e == 0x7f) {
					struct scn_pos ep = { p->line, (int)j + 1, 1 };
					return perr(p, &ep, "stray byte 0x%02x in string", e);
				}
				*o++ = (char)e;
				j++;
			}
			*o++ = '\0';
			p->scn->strused += (size_t)(o - d);
			t->type = T_STRING;
			t->t.s = d;
			pos.len = (int)(j + 1 - i);
			t->t.pos = pos;
			p->ntoks++;
			i = j + 1;
			continue;
		}
		size_t j = i;
		while (j < n) {
			unsigned char e = (unsigned char)s[j];
			if (e == ' ' || e == '\t' || e == '\r' || e == '\f' || e == '\v' ||
			    e == '#' || e == '"' || e == '=')
				break;
			if (e < 0x20 || e == 0x7f) {
				struct scn_pos ep = { p->line, (int)j + 1, 1 };
				return perr(p, &ep, "stray byte 0x%02x in scenario", e);
			}
			j++;
		}
		t->type = T_WORD;
		t->t.s = str_put(p->scn, s + i, j - i);
		if (!t->t.s)
			return perr(p, &pos, "out of string space (internal limit)");
		pos.len = (int)(j - i);
		t->t.pos = pos;
		p->ntoks++;
		i = j;
	}
	return 0;
}

/* ==== Parser ==== */

static const char *tok_desc(const struct ltok *t)
{
	return t->type == T_EQ ? "=" : t->type == T_STRING ? "a quoted string" : t->t.s;
}

/* Position just past the last token of the line (for "expected X" errors). */
static struct scn_pos eol_pos(const struct parser *p)
{
	const struct ltok *t = &p->toks[p->ntoks - 1];
	struct scn_pos pos = { p->line, t->t.pos.col + t->t.pos.len, 1 };
	return pos;
}

static int expect_count(struct parser *p, int n, const char *what)
{
	if (p->ntoks < n) {
		struct scn_pos pos = eol_pos(p);
		return perr(p, &pos, "expected %s after '%s'", what, p->toks[0].t.s);
	}
	if (p->ntoks > n)
		return perr(p, &p->toks[n].t.pos, "unexpected '%s' after %s",
			    tok_desc(&p->toks[n]), what);
	return 0;
}

static int need_word(struct parser *p, int i, const char *what)
{
	if (p->toks[i].type != T_WORD)
		return perr(p, &p->toks[i].t.pos, p->toks[i].type == T_STRING ? "expected %s, got %s" :
			    "expected %s, got '%s'", what, tok_desc(&p->toks[i]));
	return 0;
}

static int need_string(struct parser *p, int i, const char *what)
{
	if (p->toks[i].type != T_STRING)
		return perr(p, &p->toks[i].t.pos, "expected %s in double quotes", what);
	return 0;
}

static int need_ident(struct parser *p, int i, const char *what)
{
	if (need_word(p, i, what))
		return -1;
	if (!scn_is_ident(p->toks[i].t.s))
		return perr(p, &p->toks[i].t.pos,
			    "invalid %s '%s' (letters, digits, _ + . -; not starting with a digit)",
			    what, p->toks[i].t.s);
	return 0;
}

/* A statement keyword inside a block means the block's `end` is missing. */
static int check_not_keyword(struct parser *p, const char *block, int opened)
{
	const char *w = p->toks[0].t.s;

	for (int k = 0; k < NTOP; k++) {
		if (strcmp(w, top_keywords[k]) == 0 && strcmp(w, "end") != 0)
			return perr(p, &p->toks[0].t.pos,
				    "'%s' inside the %s block opened at line %d; missing 'end'?",
				    w, block, opened);
	}
	return 0;
}

static int find_decl(const struct scenario *scn, const char *name)
{
	for (int i = 0; i < scn->ndecls; i++)
		if (strcmp(scn->decls[i].name.s, name) == 0)
			return i;
	return -1;
}

static int parse_world_line(struct parser *p)
{
	struct scenario *scn = p->scn;

	if (check_not_keyword(p, "world", p->world_line))
		return -1;
	if (need_word(p, 0, "an object kind"))
		return -1;
	if (p->ntoks < 2) {
		struct scn_pos pos = eol_pos(p);
		return perr(p, &pos, "expected an object name after '%s'", p->toks[0].t.s);
	}
	if (need_ident(p, 1, "object name"))
		return -1;
	int prev = find_decl(scn, p->toks[1].t.s);
	if (prev >= 0)
		return perr(p, &p->toks[1].t.pos, "'%s' already declared at line %d",
			    p->toks[1].t.s, scn->decls[prev].name.pos.line);
	if (scn->ndecls == SCN_MAX_DECLS)
		return perr(p, &p->toks[1].t.pos, "too many world objects (limit %d)", SCN_MAX_DECLS);

	struct scn_decl *d = &scn->decls[scn->ndecls];
	memset(d, 0, sizeof(*d));
	d->kind = p->toks[0].t;
	d->name = p->toks[1].t;
	for (int i = 2; i < p->ntoks; i += 3) {
		struct ltok *k = &p->toks[i];
		if (k->type != T_WORD || i + 1 >= p->ntoks || p->toks[i + 1].type != T_EQ)
			return perr(p, &k->t.pos, "expected key=value, got '%s'", tok_desc(k));
		if (i + 2 >= p->ntoks || p->toks[i + 2].type == T_EQ) {
			struct scn_pos pos = i + 2 < p->ntoks ? p->toks[i + 2].t.pos : eol_pos(p);
			return perr(p, &pos, "expected a value after '%s='", k->t.s);
		}
		for (int j = 0; j < d->nkv; j++)
			if (strcmp(d->key[j].s, k->t.s) == 0)
				return perr(p, &k->t.pos, "key '%s' given twice", k->t.s);
		if (d->nkv == SCN_MAX_KV)
			return perr(p, &k->t.pos, "too many key=value pairs (limit %d)", SCN_MAX_KV);
		struct ltok *v = &p->toks[i + 2];
		d->key[d->nkv] = k->t;
		d->val[d->nkv] = v->t;
		d->kv_pos[d->nkv] = (struct scn_pos){ p->line, k->t.pos.col,
			v->t.pos.col + v->t.pos.len - k->t.pos.col };
		d->nkv++;
	}
	scn->ndecls++;
	return 0;
}

static int parse_thread_line(struct parser *p, struct scn_thread *th)
{
	if (check_not_keyword(p, "thread", th->name.pos.line))
		return -1;
	if (need_word(p, 0, "an operation"))
		return -1;
	/* OP ARG... = OUTCOME: the return code the scenario requires of it */
	int nt = p->ntoks;
	struct scn_tok want = { 0 };
	if (nt >= 3 && p->toks[nt - 2].type == T_EQ) {
		if (need_word(p, nt - 1, "an outcome after '=' (0, -EBUSY, ...)"))
			return -1;
		want = p->toks[nt - 1].t;
		nt -= 2;
	} else if (nt >= 2 && p->toks[nt - 1].type == T_EQ) {
		return perr(p, &p->toks[nt - 1].t.pos, "expected an outcome after '=' (0, -EBUSY, ...)");
	}
	if (nt - 1 > SCN_MAX_ARGS)
		return perr(p, &p->toks[SCN_MAX_ARGS + 1].t.pos, "too many arguments (limit %d)",
			    SCN_MAX_ARGS);
	for (int i = 1; i < nt; i++)
		if (need_word(p, i, "an argument (an object name or an integer)"))
			return -1;
	if (th->nops == SCN_MAX_OPS)
		return perr(p, &p->toks[0].t.pos, "too many operations in thread '%s' (limit %d)",
			    th->name.s, SCN_MAX_OPS);
	if (th->nops == th->cap) {
		int cap = th->cap ? th->cap * 2 : 8;
		struct scn_op *ops = realloc(th->ops, sizeof(*ops) * (size_t)cap);
		if (!ops)
			return perr(p, &p->toks[0].t.pos, "out of memory");
		th->ops = ops;
		th->cap = cap;
	}
	struct scn_op *op = &th->ops[th->nops++];
	memset(op, 0, sizeof(*op));
	op->name = p->toks[0].t;
	op->nargs = nt - 1;
	for (int i = 1; i < nt; i++)
		op->arg[i - 1] = p->toks[i].t;
	op->want = want;
	op->op = -1;
	return 0;
}

static int pick(struct parser *p, int i, const char *const *list, int n, const char *what)
{
	const char *w = p->toks[i].t.s;
	int k = scn_find(w, n, get_str, list);

	if (k >= 0)
		return k;
	const char *s = scn_suggest(w, n, get_str, list);
	if (s)
		return perr(p, &p->toks[i].t.pos, "unknown %s '%s'; did you mean '%s'?", what, w, s);
	char all[160] = "";
	for (int j = 0; j < n; j++) {
		strncat(all, j ? ", " : "", sizeof(all) - strlen(all) - 1);
		strncat(all, list[j], sizeof(all) - strlen(all) - 1);
	}
	return perr(p, &p->toks[i].t.pos, "unknown %s '%s' (one of: %s)", what, w, all);
}

/*
 * The findings of an 'expect' line after 'expect': 'violation ID...',
 * 'deadlock' and 'no-progress', in any order, each at most once
 * (scn_expect).  Return: 0, or -1 with the error reported.
 */
static int parse_expect_set(struct parser *p, struct scenario *scn)
{
	struct scn_expect *x = &scn->expect;
	int in_violation = 0;	/* the token index of 'violation' while its ids run */
	bool saw_violation = false;

	x->nset = 0;
	for (int i = 1; i < p->ntoks; i++) {
		if (need_word(p, i, in_violation ? "a property id, deadlock or no-progress" :
			      "violation ID, deadlock or no-progress"))
			return -1;
		const char *w = p->toks[i].t.s;
		int at = i;	/* the item's first word (no-progress may take a class) */
		enum scn_expect_kind k = SCN_EXPECT_VIOLATION;
		if (strcmp(w, "violation") == 0) {
			if (saw_violation)
				return perr(p, &p->toks[i].t.pos, "'violation' given twice: list "
					    "its ids after one 'violation'");
			if (i + 1 >= p->ntoks) {
				struct scn_pos pos = eol_pos(p);
				return perr(p, &pos, "expected a property id such as INV-01 after 'violation'");
			}
			in_violation = i;
			saw_violation = true;
			continue;
		}
		if (strcmp(w, "safe") == 0)
			return perr(p, &p->toks[i].t.pos, "'safe' cannot be part of a set of findings");
		if (strcmp(w, "deadlock") == 0)
			k = SCN_EXPECT_DEADLOCK;
		else if (strcmp(w, "no-progress") == 0) {
			/*
			 * 'no-progress [CLASS]': the fairness class, "unconditional"
			 * (the default: no firmware answer could end the loop) or
			 * "firmware" (only busy answered for ever keeps it going)
			 */
			k = SCN_EXPECT_NO_PROGRESS;
			w = "unconditional";
			if (i + 1 < p->ntoks && p->toks[i + 1].type == T_WORD &&
			    (strcmp(p->toks[i + 1].t.s, "firmware") == 0 ||
			     strcmp(p->toks[i + 1].t.s, "unconditional") == 0))
				w = p->toks[++i].t.s;
		} else if (!in_violation && i == 2)
			return perr(p, &p->toks[i].t.pos, "unexpected '%s' after 'expect %s'", w,
				    p->toks[1].t.s);
		else if (!in_violation)
			return perr(p, &p->toks[i].t.pos, "unexpected '%s' in 'expect' (violation "
				    "ID..., deadlock, no-progress)", w);
		if (k != SCN_EXPECT_VIOLATION && in_violation && in_violation == i - 1)
			return perr(p, &p->toks[i].t.pos,
				    "expected a property id such as INV-01 after 'violation'");
		if (k != SCN_EXPECT_VIOLATION)
			in_violation = 0;
		if (strlen(w) >= sizeof(x->set[0].id))
			return perr(p, &p->toks[i].t.pos, "property id too long");
		for (int j = 0; j < x->nset; j++)
			if (x->set[j].kind == k && strcmp(x->set[j].id, w) == 0)
				return perr(p, &p->toks[at].t.pos, "'%s%s' named twice",
					    k == SCN_EXPECT_NO_PROGRESS ? "no-progress " : "", w);
		if (x->nset == SCN_MAX_EXPECT)
			return perr(p, &p->toks[i].t.pos, "more than %d findings in one 'expect'",
				    SCN_MAX_EXPECT);
		x->set[x->nset].kind = k;
		snprintf(x->set[x->nset].id, sizeof(x->set[0].id), "%s", w);
		x->nset++;
	}
	return 0;
}

static int dup_error(struct parser *p, const struct scn_tok *prev)
{
	return perr(p, &p->toks[0].t.pos, "duplicate '%s' (first at line %d)", p->toks[0].t.s,
		    prev->pos.line);
}

static int parse_top_line(struct parser *p, int *state, struct scn_thread **cur)
{
	struct scenario *scn = p->scn;
	const char *w;
	int k;

	if (need_word(p, 0, "a statement"))
		return -1;
	w = p->toks[0].t.s;
	k = pick(p, 0, top_keywords, NTOP, "statement");
	if (k < 0)
		return -1;
	if (!p->seen_statement && strcmp(w, "scenario") != 0)
		return perr(p, &p->toks[0].t.pos, "expected 'scenario NAME' as the first statement");
	p->seen_statement = true;

	if (strcmp(w, "scenario") == 0) {
		if (scn->name.s)
			return dup_error(p, &scn->name);
		if (expect_count(p, 2, "a scenario name") || need_word(p, 1, "a scenario name"))
			return -1;
		if (!scn_is_scenario_name(p->toks[1].t.s))
			return perr(p, &p->toks[1].t.pos,
				    "invalid scenario name '%s' (letters, digits, _ + . -)", p->toks[1].t.s);
		scn->name = p->toks[1].t;
		p->first_pos = p->toks[0].t.pos;
	} else if (strcmp(w, "question") == 0 || strcmp(w, "source") == 0) {
		struct scn_tok *dst = w[0] == 'q' ? &scn->question : &scn->source;
		if (dst->s)
			return dup_error(p, dst);
		if (expect_count(p, 2, "a quoted string") || need_string(p, 1, w[0] == 'q' ? "the question" : "the source"))
			return -1;
		*dst = p->toks[1].t;
	} else if (strcmp(w, "paths") == 0) {
		if (expect_count(p, 2, "a quoted file name") || need_string(p, 1, "the user path file"))
			return -1;
		if (scn->npaths >= 8)
			return perr(p, &p->toks[0].t.pos, "at most 8 'paths' lines");
		scn->paths[scn->npaths++] = p->toks[1].t;
	} else if (strcmp(w, "profile") == 0) {
		static const char *const profiles[] = { "linux-5.7" };
		if (scn->profile.s)
			return dup_error(p, &scn->profile);
		if (expect_count(p, 2, "a profile name") || need_word(p, 1, "a profile name"))
			return -1;
		if (pick(p, 1, profiles, 1, "profile") < 0)
			return -1;
		scn->profile = p->toks[1].t;
	} else if (strcmp(w, "knob") == 0) {
		if (p->ntoks < 2 || need_word(p, 1, "a knob name"))
			return p->ntoks < 2 ? expect_count(p, 2, "a knob name") : -1;
		if (p->ntoks < 3 || p->toks[2].type != T_EQ) {
			struct scn_pos pos = p->ntoks < 3 ? eol_pos(p) : p->toks[2].t.pos;
			return perr(p, &pos, "expected '=' after knob name '%s'", p->toks[1].t.s);
		}
		if (p->ntoks < 4 || p->toks[3].type == T_EQ) {
			struct scn_pos pos = p->ntoks < 4 ? eol_pos(p) : p->toks[3].t.pos;
			return perr(p, &pos, "expected a value for knob '%s'", p->toks[1].t.s);
		}
		if (expect_count(p, 4, "the knob value"))
			return -1;
		for (int i = 0; i < scn->nknobs; i++)
			if (strcmp(scn->knobs[i].name.s, p->toks[1].t.s) == 0)
				return perr(p, &p->toks[1].t.pos, "knob '%s' set twice (first at line %d)",
					    p->toks[1].t.s, scn->knobs[i].name.pos.line);
		if (scn->nknobs == SCN_MAX_KNOBS)
			return perr(p, &p->toks[1].t.pos, "too many knobs (limit %d)", SCN_MAX_KNOBS);
		scn->knobs[scn->nknobs].name = p->toks[1].t;
		scn->knobs[scn->nknobs].value = p->toks[3].t;
		scn->nknobs++;
	} else if (strcmp(w, "mutant") == 0) {
		/* test-only: one row of src/model/mutants.def, resolved by bind.c */
		if (scn->mutant.s)
			return dup_error(p, &scn->mutant);
		if (expect_count(p, 2, "a mutant name") || need_word(p, 1, "a mutant name"))
			return -1;
		scn->mutant = p->toks[1].t;
	} else if (strcmp(w, "world") == 0) {
		if (scn->has_world)
			return perr(p, &p->toks[0].t.pos, "duplicate 'world' block (first at line %d)",
				    p->world_line);
		if (expect_count(p, 1, "'world'"))
			return -1;
		scn->has_world = true;
		scn->world_pos = p->toks[0].t.pos;
		p->world_line = p->line;
		*state = 1;
	} else if (strcmp(w, "thread") == 0) {
		if (expect_count(p, 2, "a thread name") || need_ident(p, 1, "thread name"))
			return -1;
		for (int i = 0; i < scn->nthreads; i++)
			if (strcmp(scn->threads[i].name.s, p->toks[1].t.s) == 0)
				return perr(p, &p->toks[1].t.pos, "thread '%s' already defined at line %d",
					    p->toks[1].t.s, scn->threads[i].name.pos.line);
		if (scn->nthreads == SCN_MAX_THREADS)
			return perr(p, &p->toks[0].t.pos, "too many threads (limit %d)", SCN_MAX_THREADS);
		*cur = &scn->threads[scn->nthreads++];
		memset(*cur, 0, sizeof(**cur));
		(*cur)->name = p->toks[1].t;
		*state = 2;
	} else if (strcmp(w, "bound") == 0) {
		int64_t v, *dst;
		if (p->ntoks < 2 || need_word(p, 1, "a bound kind"))
			return p->ntoks < 2 ? expect_count(p, 3, "a bound kind") : -1;
		int b = pick(p, 1, bound_kinds, 4, "bound");
		if (b < 0 || expect_count(p, 3, "a number"))
			return -1;
		if (need_word(p, 2, "a number"))
			return -1;
		if (!scn_parse_int(p->toks[2].t.s, b == 0 ? INT64_MAX / 2 : 1000000, &v))
			return perr(p, &p->toks[2].t.pos, "expected a non-negative number, got '%s'",
				    p->toks[2].t.s);
		dst = b == 0 ? &scn->bounds.executions : b == 1 ? &scn->bounds.preemptions :
		      b == 2 ? &scn->bounds.depth : &scn->bounds.steps;
		if (*dst >= 0)
			return perr(p, &p->toks[1].t.pos, "bound '%s' given twice", bound_kinds[b]);
		*dst = v;
	} else if (strcmp(w, "expect") == 0) {
		if (scn->expect.kind != SCN_EXPECT_NONE)
			return perr(p, &p->toks[0].t.pos, "duplicate 'expect' (first at line %d)",
				    scn->expect.pos.line);
		if (p->ntoks < 2)
			return expect_count(p, 2, "safe, violation ID, deadlock or no-progress");
		if (need_word(p, 1, "safe, violation ID, deadlock or no-progress"))
			return -1;
		int e = pick(p, 1, expect_kinds, 4, "expectation");
		if (e < 0)
			return -1;
		if (e == 0) {
			if (expect_count(p, 2, "'expect safe'"))
				return -1;
			scn->expect.kind = SCN_EXPECT_SAFE;
			scn->expect.pos = p->toks[1].t.pos;
			return 0;
		}
		if (e == 1 && p->ntoks < 3 &&
		    expect_count(p, 3, "a property id such as INV-01"))
			return -1;
		if (parse_expect_set(p, scn))
			return -1;
		scn->expect.kind = scn->expect.set[0].kind;
		snprintf(scn->expect.id, sizeof(scn->expect.id), "%s", scn->expect.set[0].id);
		scn->expect.pos = p->toks[e == 1 ? 2 : 1].t.pos;
	} else if (strcmp(w, "symmetric") == 0) {
		/* names are resolved by the binder: threads may come later */
		if (p->ntoks < 3)
			return expect_count(p, 3, "two or more thread names");
		if (scn->nsym == SCN_MAX_THREADS / 2)
			return perr(p, &p->toks[0].t.pos, "too many 'symmetric' lines (limit %d)",
				    SCN_MAX_THREADS / 2);
		if (p->ntoks - 1 > SCN_MAX_THREADS)
			return perr(p, &p->toks[SCN_MAX_THREADS + 1].t.pos,
				    "more thread names than threads (limit %d)", SCN_MAX_THREADS);
		struct scn_sym *g = &scn->sym[scn->nsym++];
		g->pos = p->toks[0].t.pos;
		g->n = 0;
		for (int j = 1; j < p->ntoks; j++) {
			if (need_ident(p, j, "thread name"))
				return -1;
			g->names[g->n++] = p->toks[j].t;
		}
	} else {	/* end */
		return perr(p, &p->toks[0].t.pos, "'end' without an open 'world' or 'thread' block");
	}
	return 0;
}

static int parse_lines(struct parser *p)
{
	struct scenario *scn = p->scn;
	struct scn_thread *cur = NULL;
	int state = 0;			/* 0 top, 1 world, 2 thread */
	size_t i = 0;

	p->line = 0;
	while (i < p->len) {
		size_t e = i;
		while (e < p->len && p->text[e] != '\n')
			e++;
		p->line++;
		if (lex_line(p, p->text + i, e - i))
			return -1;
		i = e + 1;
		if (!p->ntoks)
			continue;
		if (state && p->toks[0].type == T_WORD && strcmp(p->toks[0].t.s, "end") == 0) {
			if (expect_count(p, 1, "'end'"))
				return -1;
			if (state == 2 && cur->nops == 0)
				return perr(p, &p->toks[0].t.pos, "thread '%s' has no operations",
					    cur->name.s);
			state = 0;
			continue;
		}
		int rc = state == 0 ? parse_top_line(p, &state, &cur) :
			 state == 1 ? parse_world_line(p) : parse_thread_line(p, cur);
		if (rc)
			return -1;
	}
	if (state) {
		struct scn_pos pos = state == 1 ? (struct scn_pos){ p->world_line, 1, 5 } :
				     (struct scn_pos){ cur->name.pos.line, 1, 6 };
		return perr(p, &pos, "'%s' block is never closed with 'end'",
			    state == 1 ? "world" : "thread");
	}
	if (!scn->name.s) {
		struct scn_pos pos = { p->line > 0 ? p->line : 1, 1, 1 };
		return perr(p, &pos, "empty scenario: expected 'scenario NAME'");
	}
	const char *missing = !scn->question.s ? "'question' line" :
			      !scn->profile.s ? "'profile' line" :
			      !scn->has_world ? "'world' block" :
			      !scn->nthreads ? "'thread' block" : NULL;
	if (missing)
		return perr(p, &p->first_pos, "scenario '%s' has no %s", scn->name.s, missing);
	return 0;
}

int scenario_parse(const char *path, const char *text, size_t len,
		   struct scenario **out, struct scn_diag *diag)
{
	struct scenario *scn;
	struct parser p = { 0 };

	*out = NULL;
	if (len > SCN_MAX_FILE) {
		scn_diag_set(diag, path, NULL, 0, NULL, "file too large (%zu bytes, limit %u)",
			     len, SCN_MAX_FILE);
		return -1;
	}
	scn = calloc(1, sizeof(*scn));
	if (!scn)
		goto oom;
	scn->bounds = (struct scn_bounds){ -1, -1, -1, -1 };
	scn->path = strdup(path);
	scn->text = malloc(len + 1);
	scn->strcap = 2 * len + 16;
	scn->strbuf = malloc(scn->strcap);
	if (!scn->path || !scn->text || !scn->strbuf) {
		scenario_free(scn);
		goto oom;
	}
	memcpy(scn->text, text, len);
	scn->text[len] = '\0';
	scn->len = len;
	scn->hash = scn_hash(text, len);

	p.scn = scn;
	p.path = path;
	p.text = scn->text;
	p.len = len;
	p.diag = diag;
	if (parse_lines(&p)) {
		scenario_free(scn);
		return -1;
	}
	*out = scn;
	return 0;
oom:
	scn_diag_set(diag, path, NULL, 0, NULL, "out of memory");
	return -1;
}

int scenario_load(const char *path, struct scenario **out, struct scn_diag *diag)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		scn_diag_set(diag, path, NULL, 0, NULL, "cannot open: %s", strerror(errno));
		diag->system = true;
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if (cap > (size_t)SCN_MAX_FILE + 4096) {
				fclose(f);
				free(buf);
				scn_diag_set(diag, path, NULL, 0, NULL,
					     "file too large (limit %u bytes)", SCN_MAX_FILE);
				return -1;
			}
			char *nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				scn_diag_set(diag, path, NULL, 0, NULL, "out of memory");
				diag->system = true;
				return -1;
			}
			buf = nb;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		scn_diag_set(diag, path, NULL, 0, NULL, "read error: %s", strerror(errno));
		diag->system = true;
		return -1;
	}
	fclose(f);
	/* a binary file: say so, rather than quote its first "line" */
	const char *nul = buf ? memchr(buf, '\0', len) : NULL;
	if (nul) {
		scn_diag_set(diag, path, NULL, 0, NULL,
			     "a binary file (NUL byte at offset %zu), not a scenario",
			     (size_t)(nul - buf));
		free(buf);
		return -1;
	}
	rc = scenario_parse(path, buf ? buf : "", len, out, diag);
	free(buf);
	return rc;
}

void scenario_free(struct scenario *scn)
{
	if (!scn)
		return;
	for (int i = 0; i < scn->nthreads; i++)
		free(scn->threads[i].ops);
	free(scn->path);
	free(scn->text);
	free(scn->strbuf);
	free(scn);
}
