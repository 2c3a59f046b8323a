// SPDX-License-Identifier: MIT
/*
 * load.c - load a compiled program, snapshot its writable data, and hand
 * it to the explorer as a struct program.
 *
 * The shared object is opened with RTLD_NOW (every reference bound before
 * the snapshot, so restoring the GOT restores resolved entries) and
 * RTLD_LOCAL (its globals stay out of pvcheck's namespace).  Its writable
 * PT_LOAD segments (.data, .bss, .got ...; with -z norelro nothing of them
 * is made read-only) are copied after the constructors ran, and copied
 * back before every execution: a program's globals, including
 * `atomic_int x = 1` initialisers and statically initialised mutexes,
 * start every execution as at program start.  Thread-local variables are
 * refused: all program threads share one OS thread.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/bug.h"
#include "lib/faults.h"
#include "runc/runc.h"
#include "runc/runc_int.h"

struct runc_prog *runc_cur;

/* ==== Data segments ====================================================== */

struct phdr_walk {
	struct runc_prog *p;
	bool found;
	bool tls;
	bool too_many;
};

/* dl_iterate_phdr callback: collect the writable segments of our object. */
static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct phdr_walk *w = data;
	struct runc_prog *p = w->p;
	if (info->dlpi_addr != p->base || !info->dlpi_name ||
	    strcmp(info->dlpi_name, p->so_path))
		return 0;
	w->found = true;
	uintptr_t relro_lo = 0, relro_hi = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_TLS && ph->p_memsz)
			w->tls = true;
		if (ph->p_type == PT_GNU_RELRO) {
			relro_lo = info->dlpi_addr + ph->p_vaddr;
			relro_hi = relro_lo + ph->p_memsz;
		}
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
			if (!p->text_lo || lo < p->text_lo)
				p->text_lo = lo;
			if (lo + ph->p_memsz > p->text_hi)
				p->text_hi = lo + ph->p_memsz;
		}
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) || !ph->p_memsz)
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		uintptr_t hi = lo + ph->p_memsz;
		/* a read-only-after-relocation prefix never changes: skip it */
		if (relro_lo <= lo && relro_hi > lo)
			lo = relro_hi < hi ? relro_hi : hi;
		if (lo >= hi)
			continue;
		if (p->nsegs == RUNC_MAX_SEGS) {
			w->too_many = true;
			return 1;
		}
		p->segs[p->nsegs].addr = (char *)lo;
		p->segs[p->nsegs].len = hi - lo;
		p->nsegs++;
	}
	return 1;
}

/* ==== Faults in the program ============================================= */

/*
 * A fault whose instruction is in the program's own code, while a program
 * thread runs, is the program's bug: a finding with the faulting
 * file:line instead of the end of pvcheck (lib/faults.h).
 */
static void program_fault(int sig, uintptr_t pc, const siginfo_t *si)
{
	struct runc_prog *p = runc_cur;

	if (!p || pc < p->text_lo || pc >= p->text_hi || vis_self() < 0)
		return;
	const char *what = sig == SIGSEGV ? "segfault" : sig == SIGBUS ? "bus-error" :
			   sig == SIGFPE ? "arithmetic" : "illegal-instruction";
	/* runc_site wants a return address: pc + 1 names the pc itself */
	struct vis_site site = runc_site(pc + 1, what);
	const char *fn = runc_func_name((const void *)pc);
	if (fn)
		site.what = fn;
	if (sig == SIGSEGV || sig == SIGBUS)
		vis_fail(what, site, "%s in the program: invalid access to address 0x%lx",
			 strsignal(sig), (unsigned long)(uintptr_t)si->si_addr);
	vis_fail(what, site, "%s in the program", strsignal(sig));
}

/* ==== struct program callbacks ========================================== */

/**
 * runc_reset - program.reset: restore the data segments and the runtime.
 * @ctx: the struct runc_prog.
 *
 * Context: explorer, before every execution (no program thread running).
 */
void runc_reset(void *ctx)
{
	struct runc_prog *p = ctx;
	runc_cur = p;
	for (int i = 0; i < p->nsegs; i++)
		memcpy(p->segs[i].addr, p->segs[i].snap, p->segs[i].len);
	runc_rt_reset(p);
}

/**
 * runc_state_regions - program.state_regions for the stateful mode: the
 * data segments, the used heap, the runtime's per-execution records and
 * the spin detector's state of the started threads.
 * Return: the number of regions, or -1 with data-race detection on (its
 * clocks are not part of the state).
 */
static int runc_state_regions(void *ctx, struct program_region *r, int max)
{
	struct runc_prog *p = ctx;
	int n = 0;
	if (runc_races || max < p->nsegs + 6 + (1 + RUNC_SPIN_SNAPS) * EXPLORE_MAX_THREADS)
		return -1;
	/* states are compared from now on: make the runtime's frames canonical */
	runc_scrub_on = p->scrub;
	for (int i = 0; i < p->nsegs; i++)
		r[n++] = (struct program_region){ p->segs[i].addr, p->segs[i].len, false };
	r[n++] = (struct program_region){ p->heap, p->heap_used, false };
	r[n++] = (struct program_region){ p->threads, sizeof(p->threads[0]) * (size_t)p->nspawned,
					  false };
	r[n++] = (struct program_region){ &p->nspawned, offsetof(struct runc_prog, heap_dirty) -
					  offsetof(struct runc_prog, nspawned), false };
	r[n++] = (struct program_region){ p->cwait, sizeof(p->cwait), false };
	r[n++] = (struct program_region){ &runc_rand_state, sizeof(runc_rand_state), false };
	for (int t = 0; t < EXPLORE_MAX_THREADS; t++) {
		struct runc_spin *s = &runc_spin[t];
		if (!p->by_tid[t])
			continue;
		/*
		 * The spin-assume's reads since the thread's last side effect and
		 * its valid snapshots: they decide whether a later load blocks.
		 */
		r[n++] = (struct program_region){ s, offsetof(struct runc_spin, log) +
						  (size_t)s->nlog * sizeof(s->log[0]), false };
		for (int k = 0; k < s->nsnap; k++)
			r[n++] = (struct program_region){ &s->snap[k],
							  offsetof(struct runc_spin_snap, stack) +
							  s->snap[k].stack_len, false };
	}
	return n;
}

/* program.state_restored: the heap above the restored use is zero again. */
static void runc_state_restored(void *ctx)
{
	struct runc_prog *p = ctx;
	if (p->heap_dirty > p->heap_used)
		memset(p->heap + p->heap_used, 0, p->heap_dirty - p->heap_used);
	p->heap_dirty = p->heap_used;
}

/* Body of the initial thread: the program's main(1, {name}, environ). */
static void *call_main(void *arg)
{
	struct runc_prog *p = arg;
	static char *argv[2];
	static char *envp[1];
	argv[0] = (char *)p->name;
	argv[1] = NULL;
	envp[0] = NULL;
	/* main's status is ignored: threads not joined run to completion */
	p->main_fn(1, argv, envp);
	return NULL;
}

/**
 * runc_main_thread - program.main: run the program's main() as thread 0.
 * @ctx: the struct runc_prog.
 *
 * Returning from main ends thread 0 only; the other threads run on.
 * Context: thread 0 of an execution.
 */
void runc_main_thread(void *ctx)
{
	struct runc_prog *p = ctx;
	struct runc_thread *t = &p->threads[0];
	t->fn = call_main;
	t->parent = -1;
	t->arg = p;
	t->ret = NULL;
	runc_thread_body(t);
}

/* ==== Prepare and release =============================================== */

/* Remove the build directory (only the files build.c writes). */
static void remove_temps(struct runc_prog *p)
{
	static const char *const files[] = {
		"include/pthread.h", "include/threads.h", "redirect.map", "prog.o", "prog.so",
	};
	char path[400];
	if (!p->dir[0] || p->keep_temps)
		return;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", p->dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/include", p->dir);
	rmdir(path);
	rmdir(p->dir);
}

/* Free everything @p holds (the object may be half set up). */
static void prog_free(struct runc_prog *p)
{
	if (!p)
		return;
	if (runc_cur == p) {
		runc_cur = NULL;
		pvm_faults_unclaim(program_fault);
	}
	runc_sites_free(p);
	runc_race_free();
	if (p->handle)
		dlclose(p->handle);
	for (int i = 0; i < p->nsegs; i++)
		free(p->segs[i].snap);
	if (p->heap)
		munmap(p->heap, RUNC_HEAP_SIZE);
	remove_temps(p);
	free(p);
}

/**
 * runc_prepare - compile and load @path, fill @prog for explore().
 * @path: the C program.
 * @ro: -D definitions, compiler, options (NULL: defaults).
 * @prog: filled in; release with runc_release().
 * @err: receives the reason for a non-zero return.
 * @errlen: its size.
 *
 * Context: process context; runs the compiler as a child process.
 * Return: 0, EXIT_INPUT or EXIT_USAGE (see runc.h).
 */
/* atexit: a run that ends in exit() (a checker bug, exit code 5) cleans up too. */
static void cleanup_at_exit(void)
{
	if (runc_cur)
		remove_temps(runc_cur);
}

int runc_prepare(const char *path, const struct runc_opts *ro,
		 struct program *prog, char *err, size_t errlen)
{
	static bool atexit_done;
	struct runc_prog *p;
	int rc;

	if (errlen)
		err[0] = 0;
	if (access(path, R_OK)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return EXIT_INPUT;
	}
	if (strlen(path) >= sizeof(p->src_path)) {
		snprintf(err, errlen, "path too long: %s", path);
		return EXIT_USAGE;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return EXIT_USAGE;
	}
	strcpy(p->src_path, path);
	p->name = strrchr(p->src_path, '/') ? strrchr(p->src_path, '/') + 1 : p->src_path;
	p->keep_temps = (ro && ro->keep_temps) || getenv("PVCHECK_KEEP_TEMPS");
	runc_spin_detect = !(ro && ro->no_spin_wait);
	runc_races = (ro && ro->races) || getenv("PVCHECK_RACES");
	p->scrub = !getenv("PVCHECK_NO_SCRUB");	/* entry.c; off only to measure it */
	runc_scrub_on = false;
	p->a2l_pid = -1;
	p->a2l_in = p->a2l_out = -1;
	if (!atexit_done && !atexit(cleanup_at_exit))
		atexit_done = true;
	runc_cur = p;

	rc = runc_build(p, ro, err, errlen);
	if (rc)
		goto fail;
	if (p->keep_temps)
		fprintf(stderr, "pvcheck: build directory kept: %s\n", p->dir);

	p->handle = dlopen(p->so_path, RTLD_NOW | RTLD_LOCAL);
	if (!p->handle) {
		const char *e = dlerror();
		snprintf(err, errlen, "cannot load the compiled program: %s%s", e ? e : "?",
			 e && strstr(e, "__atomic_") ?
			 " (atomic objects larger than 16 bytes are not supported)" : "");
		rc = EXIT_INPUT;
		goto fail;
	}
	p->main_fn = (int (*)(int, char **, char **))(uintptr_t)dlsym(p->handle, "main");
	if (!p->main_fn) {
		snprintf(err, errlen, "%s: no main() function", path);
		rc = EXIT_INPUT;
		goto fail;
	}
	struct link_map *lm;
	if (dlinfo(p->handle, RTLD_DI_LINKMAP, &lm)) {
		snprintf(err, errlen, "dlinfo: %s", dlerror());
		rc = EXIT_USAGE;
		goto fail;
	}
	p->base = lm->l_addr;

	struct phdr_walk w = { .p = p };
	dl_iterate_phdr(phdr_cb, &w);
	if (!w.found || w.too_many) {
		snprintf(err, errlen, "cannot find the data segments of the compiled program");
		rc = EXIT_USAGE;
		goto fail;
	}
	if (w.tls) {
		snprintf(err, errlen, "%s: thread-local variables (_Thread_local, __thread) are "
			 "not supported: all program threads share one OS thread", path);
		rc = EXIT_INPUT;
		goto fail;
	}
	for (int i = 0; i < p->nsegs; i++) {
		p->segs[i].snap = malloc(p->segs[i].len);
		if (!p->segs[i].snap) {
			snprintf(err, errlen, "out of memory");
			rc = EXIT_USAGE;
			goto fail;
		}
		memcpy(p->segs[i].snap, p->segs[i].addr, p->segs[i].len);
	}

	p->heap = mmap(NULL, RUNC_HEAP_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p->heap == MAP_FAILED) {
		p->heap = NULL;
		snprintf(err, errlen, "cannot map the program heap: %s", strerror(errno));
		rc = EXIT_USAGE;
		goto fail;
	}

	pvm_faults_claim(program_fault);
	memset(prog, 0, sizeof(*prog));
	prog->name = p->name;
	prog->reset = runc_reset;
	prog->main = runc_main_thread;
	prog->ctx = p;
	prog->state_regions = runc_state_regions;
	prog->state_restored = runc_state_restored;
	prog->start_scrub = RUNC_ENTRY_FRAMES + RUNC_SPIN_STACK;
	runc_cur = p;
	return 0;

fail:
	prog_free(p);
	return rc;
}

/**
 * runc_release - unload the program and remove its build directory.
 * @prog: as filled by runc_prepare.
 */
void runc_release(struct program *prog)
{
	if (!prog || !prog->ctx)
		return;
	prog_free(prog->ctx);
	prog->ctx = NULL;
}
