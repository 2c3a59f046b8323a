// SPDX-License-Identifier: MIT
/*
 * signatures.c - paths without PV_PATH(): a user file's non-static
 * functions, found from the compiler's own list of their prototypes.
 *
 * gcc writes, with -aux-info FILE, one line per function a translation
 * unit declares or defines:
 *
 *   / * dave.c:15:NF * / extern int dave (struct address_space *m, pgoff_t i);
 *
 * (the comment delimiters without the blanks): the source file and line,
 * N for a prototype, F for a definition, then the declaration as the
 * compiler understood it (typedef names kept, "long unsigned int" for
 * unsigned long).  Every definition of the user's own file that is not
 * static is a candidate: a path if it returns int or long and takes one
 * to four world objects or integers, an error otherwise (helpers are
 * static, as for patches).  The compiler did the parsing; this file only
 * reads its answer, so a declaration the C grammar allows and this
 * reader does not know is refused by name, never misread.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/spawn.h"
#include "paths/paths_int.h"

bool paths_aux_supported(const char *cc)
{
	static int known = -1;	/* one probe per process: the compiler does not change */
	char out[512];

	if (known < 0) {
		const char *argv[] = { cc, "-aux-info", "/dev/null", "-x", "c", "-fsyntax-only",
				       "/dev/null", NULL };
		known = pvm_run((char *const *)argv, out, sizeof(out)) == 0;
	}
	return known;
}

/* The header kind of parameter type @t (trimmed), or PV_BAD. */
static int type_kind(const char *t)
{
	static const struct { const char *type; int kind; } known[] = {
		{ "struct address_space *", PV_FILE }, { "struct mm_struct *", PV_MM },
		{ "struct device *", PV_DEV }, { "struct kvm *", PV_GUEST },
		{ "struct pipe_inode_info *", PV_PIPE }, { "struct page *", PV_PAGE },
		{ "int", PV_INT }, { "unsigned int", PV_INT }, { "long int", PV_INT },
		{ "long unsigned int", PV_INT }, { "pgoff_t", PV_INT },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(t, known[i].type))
			return known[i].kind;
	return PV_BAD;
}

/* Trim blanks at both ends of @s in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	return s;
}

/*
 * One parameter "struct page *page" -> "struct page *" (the name goes:
 * the last identifier after the last '*' or blank, if the type has more
 * than the identifier).  The text is the compiler's, which always writes
 * a pointer as "TYPE *".
 */
static void param_type(char *p, char *type, size_t n)
{
	char *q = p + strlen(p);

	while (q > p && (q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z') ||
			 (q[-1] >= 'A' && q[-1] <= 'Z') || (q[-1] >= '0' && q[-1] <= '9')))
		q--;
	if (q > p) {	/* a name follows the type */
		char save = *q;
		*q = 0;
		snprintf(type, n, "%s", trim(p));
		*q = save;
	} else {
		snprintf(type, n, "%s", trim(p));
	}
}

int paths_aux_scan(const char *aux, const char *src, struct paths_found *found, int max,
		   char *err, size_t errlen)
{
	FILE *f = fopen(aux, "r");
	char line[2048];
	int n = 0;

	if (!f)
		return 0;	/* no list: PV_PATH() only */
	while (fgets(line, sizeof(line), f)) {
		char *p, *decl, *name, *open, *close, *params;
		char head[PATH_MAX + 32];
		int lineno;

		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "/* ", 3) || !(p = strstr(line, " */ ")))
			continue;
		*p = 0;
		snprintf(head, sizeof(head), "%s", line + 3);
		decl = p + 4;
		/* head: FILE:LINE:FLAGS, FILE may hold ':' itself: parse from the end */
		char *c2 = strrchr(head, ':');
		if (!c2)
			continue;
		*c2 = 0;
		char *c1 = strrchr(head, ':');
		if (!c1 || !strchr(c2 + 1, 'F'))
			continue;	/* a declaration only */
		*c1 = 0;
		lineno = atoi(c1 + 1);
		if (strcmp(head, src) || strncmp(decl, "extern ", 7))
			continue;	/* another file's (a header's), or static */
		decl += 7;
		if (!(open = strchr(decl, '(')) || !(close = strchr(open, ')')))
			continue;
		*open = 0;
		*close = 0;
		params = open + 1;
		/* decl is now "RET NAME " */
		char *rt = trim(decl);
		name = strrchr(rt, ' ');
		if (!name)
			continue;
		*name++ = 0;
		if (n >= max) {
			snprintf(err, errlen, "%s: error: more than %d path functions", src, max);
			fclose(f);
			return -1;
		}
		struct paths_found *pf = &found[n];
		memset(pf, 0, sizeof(*pf));
		snprintf(pf->name, sizeof(pf->name), "%s", name);
		pf->line = lineno;
		pf->ok = !strcmp(trim(rt), "int") || !strcmp(trim(rt), "long int");
		if (strcmp(trim(params), "void")) {
			for (char *save = NULL, *a = strtok_r(params, ",", &save); a;
			     a = strtok_r(NULL, ",", &save)) {
				char type[96];
				param_type(a, type, sizeof(type));
				if (pf->nargs >= PV_MAX_ARGS) {
					pf->ok = false;
					break;
				}
				pf->kinds[pf->nargs] = type_kind(type);
				snprintf(pf->types[pf->nargs], sizeof(pf->types[0]), "%s", type);
				if (pf->kinds[pf->nargs] == PV_BAD)
					pf->ok = false;
				pf->nargs++;
			}
		}
		if (pf->nargs < 1)
			pf->ok = false;
		n++;
	}
	fclose(f);
	return n;
}
