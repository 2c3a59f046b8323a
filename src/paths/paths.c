// SPDX-License-Identifier: MIT
/*
 * paths.c - user paths: compile, load, register, run (see paths.h).
 *
 * The build, in a private directory (mkdtemp):
 *   1. write include/pvcheck/kernel.h (embedded in pvcheck at build time,
 *      so that pvcheck works from any directory and after installation);
 *   2. cc -std=gnu11 -O1 -g -fPIC -D__PVCHECK_PATHS__ -I<dir>/include
 *         -c FILE.c -o N.o, for each file; the compiler's diagnostics are
 *      the user's (file:line:col);
 *   3. refuse writable data in N.o: two threads running paths that share
 *      a global would race on memory the explorer does not see, and the
 *      state the stateful search compares would miss it;
 *   4. cc -shared -Wl,-Bsymbolic -o paths.so N.o...: the __pv_* calls of
 *      the header stay undefined and bind to the pvcheck executable
 *      (linked -rdynamic) at dlopen.
 * Loading runs the objects' constructors, one per PV_PATH(), each of
 * which hands its descriptor to __pv_register(); paths_load() then checks
 * them and adds each as a model operation whose ->call is paths_call().
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/bug.h"
#include "lib/faults.h"
#include "lib/spawn.h"
#include "model/model.h"
#include "model/world.h"
#include "paths/paths.h"
#include "paths/paths_int.h"

extern const char pv_kernel_h[];	/* build/gen/kernel_h.c */

/*
 * Weak definitions of the replaceable functions, linked into every paths
 * object: a call from user code binds (-Bsymbolic) to a patch's strong
 * definition when the link has one, else to these, which enter the model
 * through the checked __pv_* doors like every other header call.
 */
static const char stubs_c[] =
	"#include <pvcheck/kernel.h>\n"
	"__attribute__((weak)) int make_secure_pte(pte_t *ptep, unsigned long addr,\n"
	"    struct page *exp_page, struct uv_cb_header *uvcb)\n"
	"{ return __pv_make_secure_pte(ptep, addr, exp_page, uvcb); }\n"
	"__attribute__((weak)) int gmap_make_secure(struct gmap *gmap, unsigned long gaddr,\n"
	"    void *uvcb)\n"
	"{ return __pv_gmap_make_secure(gmap, gaddr, uvcb); }\n"
	"__attribute__((weak)) int arch_make_page_accessible(struct page *page)\n"
	"{ return __pv_arch_make_page_accessible(page); }\n"
	"__attribute__((weak)) int expected_page_refs(struct page *page)\n"
	"{ return __pv_expected_page_refs(page); }\n"
	"__attribute__((weak)) struct page *follow_page_pte(struct vm_area_struct *vma,\n"
	"    unsigned long address, pmd_t *pmd, unsigned int flags, struct dev_pagemap **pgmap)\n"
	"{ return __pv_follow_page_pte(vma, address, pmd, flags, pgmap); }\n";

static struct {
	char *files[PATHS_MAX_FILES];	/* the list loaded (realpath) */
	int nfiles;
	void *handle;
	uintptr_t text_lo, text_hi;	/* the object's code, for its faults */
	/* filled by __pv_register during dlopen */
	const struct pv_path_desc *desc[MDL_MAX_USER_OPS];
	int ndesc;
	bool overflow;
	int npatchfiles;		/* files[npaths..] are patches */
	bool patched[8];		/* which mdl_patches[] the patches define */
	/* non-static functions of the path files (signatures.c), and those
	 * that become paths without PV_PATH() */
	struct paths_found found[MDL_MAX_USER_OPS];
	const char *found_file[MDL_MAX_USER_OPS];
	int nfound;
	struct pv_path_desc byname[MDL_MAX_USER_OPS];
	void *byname_fn[MDL_MAX_USER_OPS];
	int nbyname;
} P;

/*
 * Strings of paths found by signature: results (sites, names) point at
 * them after the list is unloaded, so they are kept, chained so that a
 * leak checker sees them reachable.
 */
struct kept { struct kept *next; char s[]; };
static struct kept *kept;

static const char *keep(const char *s)
{
	size_t n = strlen(s) + 1;
	struct kept *k = malloc(sizeof(*k) + n);

	if (!k)
		return s;
	memcpy(k->s, s, n);
	k->next = kept;
	kept = k;
	return k->s;
}

/* ==== running a path ==================================================== */

const char *paths_running(void)
{
	const struct pv_path_desc *d = mdl_current()->upath;

	return d ? d->name : "a user patch";
}

/* The model's enum mdl_type of each header kind. */
static const enum mdl_type kind_type[] = {
	[PV_INT] = MT_INT, [PV_GUEST] = MT_GUEST, [PV_MM] = MT_MM, [PV_FILE] = MT_FILE,
	[PV_PAGE] = MT_PAGE, [PV_PIPE] = MT_PIPE, [PV_DEV] = MT_DEV,
};

/*
 * A path found by its signature (no PV_PATH thunk): the function is
 * called through a pointer of its arity whose parameters are all
 * uintptr_t.  Every parameter kind is a pointer or an integer, passed in
 * an integer register by the LP64 calling conventions pvcheck runs on
 * (x86-64 SysV, AAPCS64), where an int parameter reads the low half of
 * its register: the call the compiler would have made.
 */
static long call_by_signature(const struct pv_path_desc *d, const uintptr_t *a)
{
	void *fn = P.byname_fn[d - P.byname];

	switch (d->nargs) {
	case 1: return ((int (*)(uintptr_t))fn)(a[0]);
	case 2: return ((int (*)(uintptr_t, uintptr_t))fn)(a[0], a[1]);
	case 3: return ((int (*)(uintptr_t, uintptr_t, uintptr_t))fn)(a[0], a[1], a[2]);
	default: return ((int (*)(uintptr_t, uintptr_t, uintptr_t, uintptr_t))fn)(a[0], a[1],
										   a[2], a[3]);
	}
}

/*
 * The operation's body: resolve the world handles into the objects the
 * function takes, set current->mm, announce the path (a step of its own,
 * on the thread's private record, so that a path that calls nothing
 * visible is still a step of the trace), and call it.
 */
static long paths_call(const struct mdl_op *m, const long *argv)
{
	const struct pv_path_desc *d = m->priv;
	struct mdl_thread *t = mdl_current();
	struct mm_struct *mm = NULL;
	uintptr_t a[PV_MAX_ARGS] = { 0 };
	long rc;

	for (int i = 0; i < d->nargs; i++) {
		long h = argv[i];

		switch (d->kinds[i]) {
		case PV_INT: a[i] = (uintptr_t)h; break;
		case PV_GUEST:
			a[i] = (uintptr_t)&mdl_world.guests[h];
			if (!mm)
				mm = mdl_world.guests[h].gmap.mm;
			break;
		case PV_MM:
			a[i] = (uintptr_t)&mdl_world.mms[h];
			if (!mm)
				mm = &mdl_world.mms[h];
			break;
		case PV_FILE: a[i] = (uintptr_t)&mdl_world.files[h]; break;
		case PV_PAGE: a[i] = (uintptr_t)&mdl_world.pages[h]; break;
		case PV_PIPE: a[i] = (uintptr_t)&mdl_world.pipes[h]; break;
		case PV_DEV: a[i] = (uintptr_t)&mdl_world.devs[h]; break;
		default: PVM_BUG();
		}
	}
	t->upath = d;
	t->task_mm = mm;
	vis_op(VIS_KIND_READ, &t->upath,
	       (struct vis_site){ .file = d->file, .line = d->line, .what = d->name,
				  .func = d->name, .flags = VIS_SITE_USER });
	vis_note("user path %s", d->name);
	rc = d->thunk ? d->thunk(a) : call_by_signature(d, a);
	t = mdl_current();
	t->upath = NULL;
	t->task_mm = NULL;
	return rc;
}

/* ==== faults in a path ================================================== */

/*
 * A fault whose instruction is in the paths' object, on a model thread
 * running a path, is the user's bug: an oops finding in that path
 * (lib/faults.h).
 */
static void path_fault(int sig, uintptr_t pc, const siginfo_t *si)
{
	const struct pv_path_desc *d;

	if (pc < P.text_lo || pc >= P.text_hi || vis_self() < 0)
		return;
	d = mdl_current()->upath;
	struct vis_site site = { .file = d ? d->file : P.files[0], .line = d ? d->line : 0,
				 .what = paths_running(), .func = paths_running(),
				 .flags = VIS_SITE_USER };
	if (sig == SIGSEGV || sig == SIGBUS)
		vis_fail("oops", site, "%s in the user path %s: invalid access to address 0x%lx",
			 strsignal(sig), paths_running(), (unsigned long)(uintptr_t)si->si_addr);
	vis_fail("oops", site, "%s in the user path %s", strsignal(sig), paths_running());
}

/* ==== registration ======================================================= */

void __pv_register(const void *desc)
{
	if (P.ndesc >= MDL_MAX_USER_OPS) {
		P.overflow = true;
		return;
	}
	P.desc[P.ndesc++] = desc;
}

/* ==== the build ========================================================== */

/*
 * Refuse writable data in the relocatable object @obj of @src: any
 * STT_OBJECT symbol defined in a section with SHF_WRITE (a global, a
 * static, a function's static local that is not const).  In a @patch
 * file, every global function must be a model function that may be
 * replaced (mdl_patches[]); its helpers are static.  Records which
 * model functions the file replaces.
 * Return: 0, or EXIT_INPUT with the message in @err.
 */
static int check_object(const char *obj, const char *src, bool patch, char *err, size_t errlen)
{
	FILE *f = fopen(obj, "rb");
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL;
	char *strtab = NULL, *shstr = NULL;
	int rc = 0;

	if (!f)
		return 0;	/* the link will say what is wrong */
	if (fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_shentsize != sizeof(Elf64_Shdr))
		goto out;
	sh = calloc(eh.e_shnum, sizeof(*sh));
	if (!sh || fseek(f, (long)eh.e_shoff, SEEK_SET) ||
	    fread(sh, sizeof(*sh), eh.e_shnum, f) != eh.e_shnum)
		goto out;
	/*
	 * Constants with relocations (.data.rel.ro: a const table of
	 * pointers, PV_PATH's descriptor) are writable only while the
	 * loader relocates them.
	 */
	if (eh.e_shstrndx < eh.e_shnum) {
		const Elf64_Shdr *ss = &sh[eh.e_shstrndx];
		shstr = malloc(ss->sh_size + 1);
		if (!shstr || fseek(f, (long)ss->sh_offset, SEEK_SET) ||
		    fread(shstr, 1, ss->sh_size, f) != ss->sh_size)
			goto out;
		shstr[ss->sh_size] = 0;
		for (int i = 0; i < eh.e_shnum; i++)
			if (sh[i].sh_name < ss->sh_size &&
			    !strncmp(shstr + sh[i].sh_name, ".data.rel.ro", 12))
				sh[i].sh_flags &= ~(Elf64_Xword)SHF_WRITE;
	}
	for (int i = 0; i < eh.e_shnum && !rc; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh.e_shnum)
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		strtab = malloc(st->sh_size + 1);
		if (!strtab || fseek(f, (long)st->sh_offset, SEEK_SET) ||
		    fread(strtab, 1, st->sh_size, f) != st->sh_size)
			goto out;
		strtab[st->sh_size] = 0;
		for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); k++) {
			Elf64_Sym sym;
			if (fseek(f, (long)(sh[i].sh_offset + k * sizeof(sym)), SEEK_SET) ||
			    fread(&sym, sizeof(sym), 1, f) != 1)
				goto out;
			if (ELF64_ST_TYPE(sym.st_info) == STT_FUNC && sym.st_shndx != SHN_UNDEF &&
			    ELF64_ST_BIND(sym.st_info) != STB_LOCAL && patch) {
				const char *fname = sym.st_name < st->sh_size ? strtab + sym.st_name : "?";
				int j;
				for (j = 0; j < mdl_npatches && strcmp(mdl_patches[j].name, fname); j++)
					;
				if (j == mdl_npatches) {
					char list[256] = "";
					for (int m = 0; m < mdl_npatches; m++)
						snprintf(list + strlen(list), sizeof(list) - strlen(list),
							 "%s%s", m ? ", " : "", mdl_patches[m].name);
					snprintf(err, errlen, "%s: error: '%s' is not a model function "
						 "a patch can replace (replaceable: %s); make helpers "
						 "static", src, fname, list);
					rc = EXIT_INPUT;
					break;
				}
				P.patched[j] = true;
				continue;
			}
			if (ELF64_ST_TYPE(sym.st_info) != STT_OBJECT || sym.st_shndx == SHN_UNDEF ||
			    sym.st_shndx >= eh.e_shnum || !(sh[sym.st_shndx].sh_flags & SHF_WRITE))
				continue;
			const char *name = sym.st_name < st->sh_size ? strtab + sym.st_name : "?";
			char base[64];
			/* a function's static local is NAME.N */
			snprintf(base, sizeof(base), "%.*s", (int)strcspn(name, "."), name);
			snprintf(err, errlen, "%s: error: '%s' is writable data: a user path keeps "
				 "its state in locals and kernel objects (make it const, or a "
				 "local)", src, base);
			rc = EXIT_INPUT;
			break;
		}
		free(strtab);
		strtab = NULL;
	}
out:
	free(strtab);
	free(shstr);
	free(sh);
	fclose(f);
	return rc;
}

static int build(const char *const *files, int n, int npaths, char *so, size_t solen,
		 char *dir, size_t dirlen, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	char inc[300], hdr[340], incflag[310], out[8192];
	char objs[PATHS_MAX_FILES][300];
	const char *cc = getenv("CC");
	int rc;

	if (!cc || !*cc)
		cc = "cc";
	if (snprintf(dir, dirlen, "%s/pvcheck-paths-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
	    (int)dirlen) {
		snprintf(err, errlen, "TMPDIR is too long");
		dir[0] = 0;
		return EXIT_USAGE;
	}
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "cannot create a temporary directory %s: %s", dir,
			 strerror(errno));
		dir[0] = 0;
		return EXIT_USAGE;
	}
	snprintf(inc, sizeof(inc), "%s/include", dir);
	snprintf(hdr, sizeof(hdr), "%s/pvcheck", inc);
	if (mkdir(inc, 0700) || mkdir(hdr, 0700)) {
		snprintf(err, errlen, "cannot create %s: %s", hdr, strerror(errno));
		return EXIT_USAGE;
	}
	snprintf(hdr, sizeof(hdr), "%s/pvcheck/kernel.h", inc);
	if ((rc = pvm_write_file(hdr, pv_kernel_h))) {
		snprintf(err, errlen, "cannot write %s: %s", hdr, strerror(-rc));
		return EXIT_USAGE;
	}
	snprintf(incflag, sizeof(incflag), "-I%s", inc);
	P.nfound = 0;
	for (int i = 0; i < n; i++) {
		char aux[310];
		bool list = i < npaths && paths_aux_supported(cc);

		snprintf(objs[i], sizeof(objs[i]), "%s/%d.o", dir, i);
		snprintf(aux, sizeof(aux), "%s/%d.aux", dir, i);
		const char *argv[] = {
			cc, "-std=gnu11", "-O1", "-g", "-fPIC", "-fno-stack-protector",
			/* a PV_PATH() error at the user's line, not the header's */
			"-ftrack-macro-expansion=0",
			"-fdiagnostics-color=never", "-Wall", "-D__PVCHECK_PATHS__=1", incflag,
			"-c", files[i], "-o", objs[i],
			/* a path file: the prototypes it defines (signatures.c) */
			list ? "-aux-info" : NULL, aux, NULL
		};
		rc = pvm_run((char *const *)argv, out, sizeof(out));
		if (rc < 0) {
			snprintf(err, errlen, "cannot run the compiler '%s': %s", cc, strerror(-rc));
			return EXIT_USAGE;
		}
		if (rc > 0) {
			pvm_diag(err, errlen, "the user paths do not compile", out);
			return EXIT_INPUT;
		}
		if ((rc = check_object(objs[i], files[i], i >= npaths, err, errlen)))
			return rc;
		if (list) {
			int k = paths_aux_scan(aux, files[i], P.found + P.nfound,
					       MDL_MAX_USER_OPS - P.nfound, err, errlen);
			unlink(aux);
			if (k < 0)
				return EXIT_INPUT;
			for (int j = 0; j < k; j++)
				P.found_file[P.nfound + j] = files[i];
			P.nfound += k;
		}
	}
	char stubs[310], stubs_o[310];
	snprintf(stubs, sizeof(stubs), "%s/stubs.c", dir);
	snprintf(stubs_o, sizeof(stubs_o), "%s/stubs.o", dir);
	if ((rc = pvm_write_file(stubs, stubs_c))) {
		snprintf(err, errlen, "cannot write %s: %s", stubs, strerror(-rc));
		return EXIT_USAGE;
	}
	const char *sargv[] = { cc, "-std=gnu11", "-O1", "-fPIC", "-D__PVCHECK_PATHS__=1",
				incflag, "-c", stubs, "-o", stubs_o, NULL };
	rc = pvm_run((char *const *)sargv, out, sizeof(out));
	unlink(stubs);
	if (rc) {
		if (rc < 0)
			snprintf(err, errlen, "cannot run the compiler '%s': %s", cc, strerror(-rc));
		else
			pvm_diag(err, errlen, "pvcheck's own stubs do not compile", out);
		return rc < 0 ? EXIT_USAGE : EXIT_INTERNAL;
	}
	snprintf(so, solen, "%s/paths.so", dir);
	const char *link[PATHS_MAX_FILES + 8] = { cc, "-shared", "-Wl,-Bsymbolic", "-o", so };
	int k = 5;
	for (int i = 0; i < n; i++)
		link[k++] = objs[i];
	link[k++] = stubs_o;
	link[k] = NULL;
	rc = pvm_run((char *const *)link, out, sizeof(out));
	if (rc) {
		if (rc < 0)
			snprintf(err, errlen, "cannot run the compiler '%s': %s", cc, strerror(-rc));
		else
			pvm_diag(err, errlen, "the user paths do not link", out);
		return rc < 0 ? EXIT_USAGE : EXIT_INPUT;
	}
	return 0;
}

/* Remove the build directory (the object stays mapped after dlopen). */
static void remove_dir(const char *dir, int n)
{
	char p[300];

	if (!dir[0])
		return;
	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%d.o", dir, i);
		unlink(p);
	}
	snprintf(p, sizeof(p), "%s/paths.so", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/stubs.o", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/include/pvcheck/kernel.h", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/include/pvcheck", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/include", dir);
	rmdir(p);
	rmdir(dir);
}

/* The code range of the loaded object, for the fault handler. */
static int phdr_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	const char *so = arg;

	(void)size;
	if (!info->dlpi_name || strcmp(info->dlpi_name, so))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
			if (!P.text_lo || lo < P.text_lo)
				P.text_lo = lo;
			if (lo + ph->p_memsz > P.text_hi)
				P.text_hi = lo + ph->p_memsz;
		}
	}
	return 1;
}

static const char *const kind_name[] = {
	[PV_INT] = "int", [PV_GUEST] = "guest", [PV_MM] = "mm", [PV_FILE] = "file",
	[PV_PAGE] = "page", [PV_PIPE] = "pipe", [PV_DEV] = "dev",
};

/*
 * The non-static functions of the path files that PV_PATH() did not
 * register become paths by their signatures (signatures.c): a function
 * the list shows that is not a path is an error, as in a patch (helpers
 * are static).  Return: 0, or -1 with the message in @err.
 */
static int by_signature(char *err, size_t errlen)
{
	P.nbyname = 0;
	for (int i = 0; i < P.nfound; i++) {
		const struct paths_found *f = &P.found[i];
		bool registered = false;

		for (int k = 0; k < P.ndesc; k++)
			registered |= !strcmp(P.desc[k]->name, f->name);
		if (registered || !strncmp(f->name, "__pv_", 5))
			continue;
		if (!f->ok) {
			snprintf(err, errlen, "%s:%d: error: '%s' is not static and is no path: a "
				 "path returns int and takes 1 to %d world objects (struct "
				 "address_space *, mm_struct *, device *, kvm *, pipe_inode_info *, "
				 "page *) or integers; make helpers static", P.found_file[i], f->line,
				 f->name, PV_MAX_ARGS);
			return -1;
		}
		void *fn = dlsym(P.handle, f->name);
		if (!fn || P.ndesc >= MDL_MAX_USER_OPS)
			continue;
		struct pv_path_desc *d = &P.byname[P.nbyname];
		*d = (struct pv_path_desc){ .version = PV_DESC_VERSION, .name = keep(f->name),
					    .file = keep(P.found_file[i]), .line = f->line,
					    .nargs = f->nargs };
		for (int a = 0; a < f->nargs; a++) {
			d->kinds[a] = f->kinds[a];
			d->types[a] = keep(f->types[a]);
		}
		P.byname_fn[P.nbyname++] = fn;
		P.desc[P.ndesc++] = d;
	}
	return 0;
}

/* Check the registered descriptors and add them as operations. */
static int add_ops(bool need_paths, char *err, size_t errlen)
{
	static char summaries[MDL_MAX_USER_OPS][160];

	if (P.overflow) {
		snprintf(err, errlen, "more than %d PV_PATH() functions", MDL_MAX_USER_OPS);
		return EXIT_INPUT;
	}
	if (by_signature(err, errlen))
		return EXIT_INPUT;
	if (!P.ndesc && need_paths) {
		snprintf(err, errlen, "%s: error: no path in the user paths: define a non-static "
			 "function int NAME(...) of world objects, or register one with PV_PATH() "
			 "(include/pvcheck/kernel.h)", P.files[0]);
		return EXIT_INPUT;
	}
	for (int i = 0; i < P.ndesc; i++) {
		const struct pv_path_desc *d = P.desc[i];
		struct mdl_op op = { .name = d->name, .nargs = d->nargs, .call = paths_call,
				     .priv = d, .cur = MDL_CUR_NONE };

		if (d->version != PV_DESC_VERSION) {
			snprintf(err, errlen, "%s:%d: error: PV_PATH(%s) was built against another "
				 "pvcheck/kernel.h", d->file, d->line, d->name);
			return EXIT_INPUT;
		}
		if (d->nargs < 1 || d->nargs > PV_MAX_ARGS) {
			snprintf(err, errlen, "%s:%d: error: PV_PATH(%s): a path takes 1 to %d "
				 "parameters", d->file, d->line, d->name, PV_MAX_ARGS);
			return EXIT_INPUT;
		}
		for (int a = 0; a < d->nargs; a++) {
			if (d->kinds[a] < 0 || d->kinds[a] >= PV_BAD) {
				snprintf(err, errlen, "%s:%d: error: PV_PATH(%s): parameter %d (of %s) "
					 "is not a world object (struct address_space *, mm_struct *, "
					 "device *, kvm *, pipe_inode_info *, page *) or an integer",
					 d->file, d->line, d->name, a + 1, d->types[0]);
				return EXIT_INPUT;
			}
			op.args[a] = kind_type[d->kinds[a]];
			op.argnames[a] = kind_name[d->kinds[a]];
		}
		for (int k = 0; k < mdl_op_count(); k++)
			if (!strcmp(mdl_op_at(k)->name, d->name)) {
				snprintf(err, errlen, "%s:%d: error: PV_PATH(%s): %s", d->file, d->line,
					 d->name, k < mdl_nops ? "the model has an operation of that "
					 "name; name the path after what it does" :
					 "a second path of that name");
				return EXIT_INPUT;
			}
		snprintf(summaries[i], sizeof(summaries[i]), "user path (%s:%d)", d->file, d->line);
		op.summary = summaries[i];
		PVM_BUG_ON(mdl_op_add(&op) < 0);
	}
	return 0;
}

static bool same_list(const char *const *files, int n)
{
	char rp[PATH_MAX];

	if (n != P.nfiles || !P.handle)
		return false;
	for (int i = 0; i < n; i++)
		if (!realpath(files[i], rp) || strcmp(rp, P.files[i]))
			return false;
	return true;
}

int paths_load(const char *const *paths, int npaths, const char *const *patches, int npatches,
	       char *err, size_t errlen)
{
	const char *files[PATHS_MAX_FILES];
	char so[300], dir[256];
	int n = npaths + npatches, rc;

	if (n <= 0) {
		paths_unload();
		return 0;
	}
	if (n > PATHS_MAX_FILES) {
		snprintf(err, errlen, "at most %d user path and patch files", PATHS_MAX_FILES);
		return EXIT_USAGE;
	}
	for (int i = 0; i < n; i++)
		files[i] = i < npaths ? paths[i] : patches[i - npaths];
	if (same_list(files, n) && P.npatchfiles == npatches)
		return 0;
	paths_unload();
	for (int i = 0; i < n; i++) {
		char rp[PATH_MAX];
		if (!realpath(files[i], rp) || access(rp, R_OK)) {
			snprintf(err, errlen, "%s: cannot open: %s", files[i], strerror(errno));
			paths_unload();
			return EXIT_USAGE;
		}
		P.files[P.nfiles++] = strdup(rp);
	}
	P.npatchfiles = npatches;
	rc = build(files, n, npaths, so, sizeof(so), dir, sizeof(dir), err, errlen);
	if (!rc) {
		P.handle = dlopen(so, RTLD_NOW | RTLD_LOCAL);
		if (!P.handle) {
			snprintf(err, errlen, "cannot load the user paths: %s", dlerror());
			rc = EXIT_INPUT;
		}
	}
	if (!rc) {
		dl_iterate_phdr(phdr_cb, so);
		rc = add_ops(npaths > 0, err, errlen);
	}
	if (!rc && npatches) {
		bool any = false;
		for (int k = 0; k < mdl_npatches; k++) {
			void *fn = P.patched[k] ? dlsym(P.handle, mdl_patches[k].name) : NULL;
			if (fn) {
				memcpy(mdl_patches[k].slot, &fn, sizeof(fn));
				any = true;
			}
		}
		if (!any) {
			snprintf(err, errlen, "%s: error: the patch replaces no model function (define "
				 "one of them, non-static: %s)", patches[0], mdl_patches[0].proto);
			rc = EXIT_INPUT;
		}
	}
	remove_dir(dir, n);
	if (rc) {
		paths_unload();
		return rc;
	}
	pvm_faults_claim(path_fault);
	return 0;
}

const char *paths_patch_desc(void)
{
	static char buf[256];

	buf[0] = 0;
	for (int k = 0; k < mdl_npatches; k++)
		if (*mdl_patches[k].slot)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s", buf[0] ? ", " : "",
				 mdl_patches[k].name);
	return buf[0] ? buf : NULL;
}

void paths_unload(void)
{
	mdl_ops_user_clear();
	for (int k = 0; k < mdl_npatches; k++)
		*mdl_patches[k].slot = NULL;
	memset(P.patched, 0, sizeof(P.patched));
	P.npatchfiles = 0;
	pvm_faults_unclaim(path_fault);
	/*
	 * The object stays mapped: the strings of a result (sites, names)
	 * point into it, and a process loads few lists.
	 */
	P.handle = NULL;
	P.text_lo = P.text_hi = 0;
	P.ndesc = 0;
	P.nfound = P.nbyname = 0;
	P.overflow = false;
	for (int i = 0; i < P.nfiles; i++)
		free(P.files[i]);
	P.nfiles = 0;
}
