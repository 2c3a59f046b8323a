// SPDX-License-Identifier: MIT
/*
 * gen.c - well-typed scenarios generated from the model's tables (gen.h).
 *
 * The generator keeps its own small view of the world it declares (which
 * mm has a page at which address, which file index is cached, which device
 * is a block device, which mm is a guest's) so that the arguments it draws
 * are of the right kind and, most of the time, pass the binder's checks
 * against the world (mdl_op_check: an index that holds a page, reclaim's
 * swap device, an address that is mapped or faulted in, fork's empty
 * child).  The operations, their argument types and names, their use of
 * the current page and their flags come from mdl_ops[]; the kinds and
 * their keys from mdl_decl_kinds[] (a key is written only if the kind's
 * keys_doc names it, so the generator follows the table when it changes);
 * the knobs and their values from mdl_knobs[]; the test breakages from
 * mdl_breakage() (src/model/mutants.def).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "scenario/gen.h"
#include "scenario/scenario.h"

void scn_gen_init(struct scn_gen *g, uint64_t seed, const uint8_t *data, size_t len)
{
	g->data = data;
	g->len = data ? len : 0;
	g->pos = 0;
	g->rng = seed;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

unsigned int scn_gen_pick(struct scn_gen *g, unsigned int n)
{
	if (n <= 1)
		return 0;
	if (g->pos < g->len)
		return g->data[g->pos++] % n;
	return (unsigned int)(splitmix64(&g->rng) % n);
}

/* true with probability 1/@n */
static bool one_in(struct scn_gen *g, unsigned int n)
{
	return scn_gen_pick(g, n) == 0;
}

/* ==== output ==== */

struct out {
	char *buf;
	size_t size, len;
	bool over;
};

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len)
		o->over = true;
	else
		o->len += (size_t)n;
}

/* ==== the generator's view of the world ==== */

#define GEN_MAX_OBJ	8
#define GEN_THREADS	4
#define GEN_OPS		6

struct gw {
	int nobj[MT_NR];
	char name[MT_NR][GEN_MAX_OBJ][16];
	int guest_mm[GEN_MAX_OBJ];		/* mm of each guest */
	bool mm_guest[MDL_MAX_MMS];		/* some guest's memory */
	bool mm_declared_page[MDL_MAX_MMS];	/* a page is declared in it (mm= or mm2=) */
	int page_at[MDL_MAX_MMS][MDL_MAX_ADDRS];	/* declared page, or -1 */
	bool may_fault[MDL_MAX_MMS][MDL_MAX_ADDRS];	/* some operation faults it in */
	int cached[MDL_MAX_FILES][MDL_MAX_FILE_PAGES];	/* declared page, or -1 */
	bool file_backed[MDL_MAX_FILES];	/* dev= given (or any blockdev) */
	bool dev_block[MDL_MAX_DEVS];
	int swapdev;				/* the world's swap device, or -1 */
	int npvec;
	int forked_into[MDL_MAX_MMS];
	bool forks, swaps;
};

/* Does @kind's keys_doc name key @key ("mm2" in "[mm2=MM ...]")? */
static bool doc_has_key(int kind, const char *key)
{
	const char *doc, *p;
	size_t n = strlen(key);

	if (kind < 0)
		return false;
	doc = mdl_decl_kinds[kind].keys_doc;
	for (p = doc; (p = strstr(p, key)) != NULL; p += n) {
		bool start = p == doc || p[-1] == ' ' || p[-1] == '[' || p[-1] == '|';

		if (start && p[n] == '=')
			return true;
	}
	return false;
}

static int kind_index(const char *kind)
{
	for (int i = 0; i < mdl_ndecl_kinds; i++)
		if (!strcmp(mdl_decl_kinds[i].kind, kind))
			return i;
	return -1;
}

static int op_index(const char *name)
{
	for (int k = 0; k < mdl_nops; k++)
		if (!strcmp(mdl_ops[k].name, name))
			return k;
	return -1;
}

/* Declare object @name of @kind; return its handle within its type, or -1. */
static int add_obj(struct gw *w, struct out *o, int kind, const char *prefix)
{
	enum mdl_type t = mdl_decl_kinds[kind].type;
	int h = w->nobj[t];

	if (h >= GEN_MAX_OBJ)
		return -1;
	snprintf(w->name[t][h], sizeof(w->name[t][h]), "%s%d", prefix, h);
	w->nobj[t]++;
	put(o, "  %s %s", mdl_decl_kinds[kind].kind, w->name[t][h]);
	return h;
}

/* A free (mm, address) or, once in a while on purpose, a taken one. */
static bool pick_addr(struct scn_gen *g, struct gw *w, int m, int *addr)
{
	int a0 = (int)scn_gen_pick(g, MDL_MAX_ADDRS);

	for (int i = 0; i < MDL_MAX_ADDRS; i++) {
		int a = (a0 + i) % MDL_MAX_ADDRS;

		if (w->page_at[m][a] < 0) {
			*addr = a;
			return true;
		}
	}
	if (one_in(g, 40)) {		/* "already mapped": the binder refuses */
		*addr = a0;
		return true;
	}
	return false;
}

static bool pick_index(struct scn_gen *g, struct gw *w, int f, int *index)
{
	int i0 = (int)scn_gen_pick(g, MDL_MAX_FILE_PAGES);

	for (int i = 0; i < MDL_MAX_FILE_PAGES; i++) {
		int x = (i0 + i) % MDL_MAX_FILE_PAGES;

		if (w->cached[f][x] < 0) {
			*index = x;
			return true;
		}
	}
	if (one_in(g, 40)) {		/* "already cached": refused */
		*index = i0;
		return true;
	}
	return false;
}

static const long int_values[] = { 1, 7, 42, 0, 255, 0x7fffffff, 3 };

/*
 * The generator thinks in address slots 0..MDL_MAX_ADDRS-1; a slot is a
 * guest frame (the gfn argument) and the byte address frame * 0x1000 of
 * its mm (page and map declarations, the addr argument).  Half the slots
 * lie in other 1 MB segments, so that aliases meet other PTE locks.
 */
static const unsigned long slot_gfn[MDL_MAX_ADDRS] = { 0, 1, 2, 3, 256, 257, 512, 768 };

static unsigned long slot_addr(int slot)
{
	return slot_gfn[slot] << 12;
}

static void gen_page(struct scn_gen *g, struct gw *w, struct out *o, int kpage)
{
	int nmm = w->nobj[MT_MM], nfile = w->nobj[MT_FILE];
	int h, m = -1, addr = 0, f = -1, index = 0;
	unsigned int shape = scn_gen_pick(g, 10);

	/* 0: free; 1..5: anonymous, mapped; 6..9: a file page, mostly mapped */
	if (shape >= 6 && nfile && pick_index(g, w, f = (int)scn_gen_pick(g, (unsigned)nfile), &index)) {
		if (nmm && !one_in(g, 3)) {
			m = (int)scn_gen_pick(g, (unsigned)nmm);
			if (!pick_addr(g, w, m, &addr))
				m = -1;
		}
	} else if (shape >= 1 && nmm) {
		f = -1;
		m = (int)scn_gen_pick(g, (unsigned)nmm);
		if (!pick_addr(g, w, m, &addr))
			m = -1;
	} else {
		f = -1;
	}
	if (m < 0 && f < 0) {
		if ((h = add_obj(w, o, kpage, "p")) < 0)
			return;
		put(o, " free=1\n");
		return;
	}
	if ((h = add_obj(w, o, kpage, "p")) < 0)
		return;
	if (f >= 0) {
		put(o, " file=%s index=%d", w->name[MT_FILE][f], index);
		w->cached[f][index] = h;
	}
	if (m >= 0) {
		put(o, " mm=%s addr=%#lx", w->name[MT_MM][m], slot_addr(addr));
		w->page_at[m][addr] = h;
		w->mm_declared_page[m] = true;
		if (doc_has_key(kpage, "state") && w->mm_guest[m] && one_in(g, 3))
			put(o, " state=secure");
		if (doc_has_key(kpage, "ro") && one_in(g, 8))
			put(o, " ro=1");
		if (doc_has_key(kpage, "prot") && one_in(g, 8))
			put(o, " prot=%s", one_in(g, 2) ? "r" : "rw");
		/* the same page mapped twice: a second mm, or a second address */
		if (doc_has_key(kpage, "mm2") && one_in(g, 8)) {
			int m2 = (int)scn_gen_pick(g, (unsigned)nmm), a2;

			/* only a file page maps twice in one mm (no KSM), mostly */
			if (f < 0 && m2 == m && nmm > 1 && !one_in(g, 8))
				m2 = (m + 1) % nmm;

			if (pick_addr(g, w, m2, &a2)) {
				put(o, " mm2=%s addr2=%#lx", w->name[MT_MM][m2], slot_addr(a2));
				w->page_at[m2][a2] = h;
				w->mm_declared_page[m2] = true;
			}
		}
	}
	if (doc_has_key(kpage, "data") && one_in(g, 2))
		put(o, " data=%ld", int_values[scn_gen_pick(g, 7)]);
	if (f >= 0 && doc_has_key(kpage, "private") && one_in(g, 6))
		put(o, " private=1");
	/* the binder allows two pvec=1 pages; now and then a third (refused) */
	if (doc_has_key(kpage, "pvec") && one_in(g, 6) && (w->npvec < MDL_PVEC_SIZE || one_in(g, 10))) {
		put(o, " pvec=1");
		w->npvec++;
	}
	if (doc_has_key(kpage, "huge") && one_in(g, 12))
		put(o, " huge=1");
	if (doc_has_key(kpage, "referenced") && one_in(g, 6))
		put(o, " referenced=1");
	if (doc_has_key(kpage, "reclaim") && one_in(g, 8))
		put(o, " reclaim=1");
	put(o, "\n");
}

static void gen_world(struct scn_gen *g, struct gw *w, struct out *o)
{
	static const unsigned char npages[] = { 0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, MDL_MAX_PAGES };
	int kmm = kind_index("mm"), kguest = kind_index("guest"), kfile = kind_index("file");
	int kpage = kind_index("page"), kpipe = kind_index("pipe");
	int n;

	memset(w, 0, sizeof(*w));
	memset(w->page_at, -1, sizeof(w->page_at));
	memset(w->cached, -1, sizeof(w->cached));
	w->swapdev = -1;
	put(o, "world\n");

	/* devices: every kind of type dev (nic, blockdev); sometimes none */
	n = one_in(g, 5) ? 0 : 1 + (int)scn_gen_pick(g, MDL_MAX_DEVS);
	for (int i = 0; i < n; i++) {
		int kinds[8], nk = 0, k, h;

		for (k = 0; k < mdl_ndecl_kinds && nk < 8; k++)
			if (mdl_decl_kinds[k].type == MT_DEV)
				kinds[nk++] = k;
		if (!nk)
			break;
		k = kinds[scn_gen_pick(g, (unsigned)nk)];
		h = add_obj(w, o, k, !strcmp(mdl_decl_kinds[k].kind, "nic") ? "eth" : "bd");
		if (h < 0)
			break;
		if (doc_has_key(k, "swap")) {
			w->dev_block[h] = true;
			if (one_in(g, 2)) {
				put(o, " swap=1");
				w->swapdev = h;
			}
		}
		put(o, "\n");
	}
	if (w->swapdev < 0)
		for (int d = 0; d < w->nobj[MT_DEV]; d++)
			if (w->dev_block[d]) {
				w->swapdev = d;	/* mdl_world_end: the first blockdev */
				break;
			}

	/* address spaces and the guests whose memory they are */
	if (kmm >= 0) {
		n = one_in(g, 12) ? 0 : 1 + (int)scn_gen_pick(g, MDL_MAX_MMS);
		for (int i = 0; i < n; i++) {
			if (add_obj(w, o, kmm, "m") < 0)
				break;
			put(o, "\n");
		}
	}
	if (kguest >= 0 && w->nobj[MT_MM] && doc_has_key(kguest, "mm")) {
		n = one_in(g, 4) ? 0 : one_in(g, 6) ? 2 : 1;
		for (int i = 0; i < n && i < MDL_MAX_GUESTS; i++) {
			/* mostly the first mm (QEMU's); now and then two guests on one mm */
			int m = one_in(g, 2) ? 0 : (int)scn_gen_pick(g, (unsigned)w->nobj[MT_MM]);
			int h = add_obj(w, o, kguest, "g");

			if (h < 0)
				break;
			put(o, " mm=%s\n", w->name[MT_MM][m]);
			w->guest_mm[h] = m;
			w->mm_guest[m] = true;
		}
	}
	if (kfile >= 0) {
		n = one_in(g, 4) ? 0 : 1 + (int)scn_gen_pick(g, MDL_MAX_FILES);
		for (int i = 0; i < n; i++) {
			int h = add_obj(w, o, kfile, "f"), d = -1;

			if (h < 0)
				break;
			if (doc_has_key(kfile, "dev") && !one_in(g, 3))
				for (int j = 0, d0 = (int)scn_gen_pick(g, MDL_MAX_DEVS); j < w->nobj[MT_DEV]; j++)
					if (w->dev_block[(d0 + j) % w->nobj[MT_DEV]]) {
						d = (d0 + j) % w->nobj[MT_DEV];
						break;
					}
			if (d >= 0)
				put(o, " dev=%s", w->name[MT_DEV][d]);
			w->file_backed[h] = d >= 0 || w->swapdev >= 0;
			put(o, "\n");
		}
	}
	if (kpipe >= 0) {
		n = one_in(g, 3) ? 0 : one_in(g, 4) ? 2 : 1;
		for (int i = 0; i < n; i++) {
			if (add_obj(w, o, kpipe, "pp") < 0)
				break;
			put(o, "\n");
		}
	}
	if (kpage >= 0) {
		n = npages[scn_gen_pick(g, sizeof(npages))];
		for (int i = 0; i < n && i < MDL_MAX_PAGES; i++)
			gen_page(g, w, o, kpage);
	}
	/* further mappings of declared pages (map page=P mm=MM addr=ADDR) */
	for (int k = 0; k < mdl_ndecl_kinds; k++) {
		int np = w->nobj[MT_PAGE], nm = w->nobj[MT_MM], m, a, h;

		if (strcmp(mdl_decl_kinds[k].kind, "map") || !np || !nm || !one_in(g, 3))
			continue;
		h = (int)scn_gen_pick(g, (unsigned)np);
		/* mostly a file page: an anonymous one maps once per mm (no KSM) */
		for (int f = 0, x; f < w->nobj[MT_FILE] && !one_in(g, 6); f++)
			for (x = 0; x < MDL_MAX_FILE_PAGES; x++)
				if (w->cached[f][x] >= 0)
					h = w->cached[f][x];
		m = (int)scn_gen_pick(g, (unsigned)nm);
		if (!pick_addr(g, w, m, &a))
			continue;
		char mname[16];
		snprintf(mname, sizeof(mname), "map%d", w->nobj[MT_MAP]);
		w->nobj[MT_MAP]++;
		put(o, "  map %s page=%s mm=%s addr=%#lx\n", mname, w->name[MT_PAGE][h],
		    w->name[MT_MM][m], slot_addr(a));
		w->page_at[m][a] = h;
		w->mm_declared_page[m] = true;
	}
	/* a kind this generator has no recipe for: declared without keys */
	for (int k = 0; k < mdl_ndecl_kinds; k++) {
		if (!strcmp(mdl_decl_kinds[k].kind, "map"))
			continue;
		if (k != kmm && k != kguest && k != kfile && k != kpage && k != kpipe &&
		    mdl_decl_kinds[k].type != MT_DEV && one_in(g, 2) &&
		    add_obj(w, o, k, "x") >= 0)
			put(o, "\n");
	}
	put(o, "end\n");
}

/* ==== threads ==== */

struct gthread {
	int nops;
	char text[GEN_OPS * 2 + MDL_MAX_CUR][64];
	int depth;
	bool pin[MDL_MAX_CUR];			/* the entry is a pin (unpin_user_page) */
};

/* The mm an operation's first argument names: an mm, or a guest's. */
static int op_mm(const struct gw *w, const struct mdl_op *m, const int *obj)
{
	if (m->nargs >= 1 && m->args[0] == MT_MM)
		return obj[0];
	if (m->nargs >= 1 && m->args[0] == MT_GUEST)
		return w->guest_mm[obj[0]];
	return -1;
}

/*
 * Draw an object of type @t for argument @a of operation @k; prefer one
 * that passes the binder's checks (unless @odd).  Return: its handle, or
 * -1 if the world has none.
 */
static int pick_obj(struct scn_gen *g, const struct gw *w, int k, int a, bool odd, const int *obj)
{
	const struct mdl_op *m = &mdl_ops[k];
	enum mdl_type t = m->args[a];
	int n = w->nobj[t], c[GEN_MAX_OBJ], nc = 0;

	if (!n)
		return -1;
	if (odd)
		return (int)scn_gen_pick(g, (unsigned)n);
	for (int h = 0; h < n; h++) {
		bool fit = true;

		if (t == MT_DEV && !strcmp(m->argnames[a], "swapdev"))
			fit = h == w->swapdev;
		else if (t == MT_DEV && (!strcmp(m->name, "dio_write") || !strcmp(m->name, "dio_read") ||
					 !strcmp(m->name, "tamper_slot")))
			fit = w->dev_block[h];
		else if (t == MT_FILE && a + 1 < m->nargs && !strcmp(m->argnames[a + 1], "index")) {
			fit = false;
			for (int x = 0; x < MDL_MAX_FILE_PAGES; x++)
				fit |= w->cached[h][x] >= 0;
			if (!strcmp(m->name, "writeback"))
				fit &= w->file_backed[h];
		} else if (t == MT_MM && !strcmp(m->argnames[a], "child")) {
			fit = h != obj[0] && !w->mm_guest[h] && !w->mm_declared_page[h] &&
			      !w->forked_into[h];
		}
		if (fit)
			c[nc++] = h;
	}
	return nc ? c[scn_gen_pick(g, (unsigned)nc)] : -1;
}

/* An integer for argument @a of operation @k (by its name: addr, index, slot...). */
static long pick_int(struct scn_gen *g, const struct gw *w, int k, int a, bool odd, const int *obj)
{
	const struct mdl_op *m = &mdl_ops[k];
	const char *an = m->argnames[a];

	if (!strcmp(an, "addr") || !strcmp(an, "gfn")) {
		int mm = op_mm(w, m, obj), c[MDL_MAX_ADDRS], nc = 0;

		if (mm >= 0 && !odd)
			for (int x = 0; x < MDL_MAX_ADDRS; x++)
				if (w->page_at[mm][x] >= 0 ||
				    ((m->flags & MDL_OP_PRESENT) && w->may_fault[mm][x]))
					c[nc++] = x;
		/* a fault on an address with no page now and then (not for PRESENT) */
		if (nc && ((m->flags & MDL_OP_PRESENT) || !one_in(g, 5)))
			return c[scn_gen_pick(g, (unsigned)nc)];
		return scn_gen_pick(g, MDL_MAX_ADDRS);
	}
	if (!strcmp(an, "index")) {
		int f = a > 0 ? obj[a - 1] : -1, c[MDL_MAX_FILE_PAGES], nc = 0;

		if (f >= 0 && !odd)
			for (int x = 0; x < MDL_MAX_FILE_PAGES; x++)
				if (w->cached[f][x] >= 0)
					c[nc++] = x;
		return nc ? c[scn_gen_pick(g, (unsigned)nc)] : (long)scn_gen_pick(g, MDL_MAX_FILE_PAGES);
	}
	if (!strcmp(an, "slot"))
		return scn_gen_pick(g, MDL_DEV_SLOTS);
	if (!strcmp(an, "prot") && !odd)	/* mprotect: PROT_READ or PROT_READ|PROT_WRITE */
		return scn_gen_pick(g, 2) ? 3 : 1;
	return int_values[scn_gen_pick(g, sizeof(int_values) / sizeof(int_values[0]))];
}

/*
 * One operation for thread @th: draw from mdl_ops[] until one fits the
 * thread's current-page stack and the world has objects for its
 * arguments.  Return: false if none was found (the caller falls back).
 */
static bool gen_op(struct scn_gen *g, struct gw *w, struct gthread *th, bool odd_thread)
{
	for (int attempt = 0; attempt < 16; attempt++) {
		int k = (int)scn_gen_pick(g, (unsigned)mdl_nops);
		const struct mdl_op *m = &mdl_ops[k];
		int obj[MDL_MAX_ARGS];
		long iv[MDL_MAX_ARGS];
		bool ok = true, odd = odd_thread && one_in(g, 4);
		char *s;
		size_t left;

		/* the binder's rule on the current page (doc/scenarios.md) */
		if ((m->cur == MDL_CUR_USE || m->cur == MDL_CUR_POP || m->cur == MDL_CUR_DUP) &&
		    th->depth == 0)
			continue;
		if ((m->cur == MDL_CUR_PUSH || m->cur == MDL_CUR_DUP) && th->depth == MDL_MAX_CUR)
			continue;
		/* fork of swap entries is not modelled: no fork beside reclaim/migrate */
		if (!odd && ((!strcmp(m->name, "fork") && w->swaps) ||
			     ((!strcmp(m->name, "reclaim") || !strcmp(m->name, "migrate") ||
			       !strcmp(m->name, "move_pages")) && w->forks)))
			continue;
		for (int a = 0; a < m->nargs && ok; a++) {
			obj[a] = -1;
			if (m->args[a] == MT_INT)
				iv[a] = pick_int(g, w, k, a, odd, obj);
			else
				ok = (obj[a] = pick_obj(g, w, k, a, odd, obj)) >= 0;
		}
		if (!ok)
			continue;
		/*
		 * a range (nr_pages after addr): two pages when the next slot is
		 * the next page (gfn 0..3, 256..257), else one; odd: as drawn
		 */
		if (!odd && m->nargs > 2 && m->args[2] == MT_INT &&
		    !strcmp(m->argnames[2], "nr_pages"))
			iv[2] = iv[1] >= 0 && iv[1] + 1 < MDL_MAX_ADDRS &&
				slot_gfn[iv[1] + 1] == slot_gfn[iv[1]] + 1 && one_in(g, 2) ? 2 : 1;
		if ((m->flags & MDL_OP_PRESENT) && !odd) {
			int mm = op_mm(w, m, obj);

			if (mm < 0 || (w->page_at[mm][iv[1]] < 0 && !w->may_fault[mm][iv[1]]))
				continue;
		}
		s = th->text[th->nops];
		left = sizeof(th->text[0]);
		snprintf(s, left, "%s", m->name);
		for (int a = 0; a < m->nargs; a++) {
			size_t l = strlen(s);

			if (m->args[a] == MT_INT && !strcmp(m->argnames[a], "addr") &&
			    iv[a] >= 0 && iv[a] < MDL_MAX_ADDRS)
				snprintf(s + l, left - l, " %#lx", slot_addr((int)iv[a]));
			else if (m->args[a] == MT_INT && !strcmp(m->argnames[a], "gfn") &&
				 iv[a] >= 0 && iv[a] < MDL_MAX_ADDRS)
				snprintf(s + l, left - l, " %lu", slot_gfn[iv[a]]);
			else if (m->args[a] == MT_INT)
				snprintf(s + l, left - l, " %ld", iv[a]);
			else
				snprintf(s + l, left - l, " %s", w->name[m->args[a]][obj[a]]);
		}
		th->nops++;
		/* what the binder notes (mdl_op_note) */
		if ((m->flags & MDL_OP_FAULTS) && op_mm(w, m, obj) >= 0 && iv[1] >= 0 &&
		    iv[1] < MDL_MAX_ADDRS) {
			w->may_fault[op_mm(w, m, obj)][iv[1]] = true;
			/* the second page of a two-page range is the next slot */
			if (m->nargs > 2 && !strcmp(m->argnames[2], "nr_pages") && iv[2] == 2 &&
			    iv[1] + 1 < MDL_MAX_ADDRS)
				w->may_fault[op_mm(w, m, obj)][iv[1] + 1] = true;
		}
		if (!strcmp(m->name, "fork")) {
			w->forks = true;
			w->forked_into[obj[1]]++;
			for (int x = 0; x < MDL_MAX_ADDRS; x++)
				w->may_fault[obj[1]][x] = true;
		}
		if (!strcmp(m->name, "reclaim") || !strcmp(m->name, "migrate") ||
		    !strcmp(m->name, "move_pages"))
			w->swaps = true;
		if (m->cur == MDL_CUR_PUSH || m->cur == MDL_CUR_DUP) {
			/* a pin is dropped with unpin_user_page, get_page's with put_page */
			th->pin[th->depth] = m->cur == MDL_CUR_PUSH && !strncmp(m->name, "pin_", 4);
			th->depth++;
		} else if (m->cur == MDL_CUR_POP) {
			th->depth--;
		}
		return true;
	}
	return false;
}

static void gen_thread(struct scn_gen *g, struct gw *w, struct gthread *th)
{
	static const unsigned char nops[] = { 1, 2, 2, 3, 3, 4, 5, GEN_OPS };
	int n = nops[scn_gen_pick(g, sizeof(nops))];
	bool odd = one_in(g, 8);
	int drain = op_index("lru_add_drain_all");

	memset(th, 0, sizeof(*th));
	for (int i = 0; i < n; i++)
		if (!gen_op(g, w, th, odd) && drain >= 0)
			snprintf(th->text[th->nops++], sizeof(th->text[0]), "%s", mdl_ops[drain].name);
	/* mostly drop what the thread still holds */
	while (th->depth > 0 && !one_in(g, 8)) {
		bool pin = th->pin[th->depth - 1];
		int k = op_index(pin ? "unpin_user_page" : "put_page");

		if (k < 0)
			break;
		snprintf(th->text[th->nops++], sizeof(th->text[0]), "%s", mdl_ops[k].name);
		th->depth--;
	}
}

int scn_generate(struct scn_gen *g, const char *name, char *buf, size_t size)
{
	static const unsigned char nthreads[] = { 1, 2, 2, 2, 3, 3, 4 };
	struct out o = { buf, size, 0, false };
	struct gw w;
	struct gthread th[GEN_THREADS];
	int nt;

	if (!size)
		return -1;
	buf[0] = '\0';
	put(&o, "# generated (src/scenario/gen.c); run: pvcheck check FILE\n");
	put(&o, "scenario %s\n", name);
	put(&o, "question \"Does the model hold on a generated scenario?\"\n");
	put(&o, "profile linux-5.7\n");
	for (int k = 0; k < mdl_nknobs; k++) {
		int nv = 0;

		while (mdl_knobs[k].values && mdl_knobs[k].values[nv])
			nv++;
		if (nv > 1 && one_in(g, 6))
			put(&o, "knob %s = %s\n", mdl_knobs[k].name,
			    mdl_knobs[k].values[scn_gen_pick(g, (unsigned)nv)]);
	}
	/*
	 * A test breakage (mutants.def), less often than the design variants.
	 * Drawn as the knob "bug" was (one in 16, then one of "none" and the
	 * breakages), so that every seed still makes the scenario it made.
	 */
	int nb = 1;

	while (mdl_breakage(nb - 1))
		nb++;
	if (nb > 1 && one_in(g, 16)) {
		int b = (int)scn_gen_pick(g, (unsigned)nb);

		if (b > 0)
			put(&o, "mutant %s\n", mdl_breakage(b - 1));
	}
	gen_world(g, &w, &o);
	nt = nthreads[scn_gen_pick(g, sizeof(nthreads))];
	for (int t = 0; t < nt; t++)
		gen_thread(g, &w, &th[t]);
	/* two identical threads, declared symmetric, now and then */
	if (nt >= 2 && one_in(g, 16)) {
		th[1] = th[0];
		put(&o, "symmetric t0 t1\n");
	}
	for (int t = 0; t < nt; t++) {
		put(&o, "thread t%d\n", t);
		for (int i = 0; i < th[t].nops; i++)
			put(&o, "  %s\n", th[t].text[i]);
		put(&o, "end\n");
	}
	if (o.over)
		return -1;
	return (int)o.len;
}
