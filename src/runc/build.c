// SPDX-License-Identifier: MIT
/*
 * build.c - compile a user program into a shared object that pvcheck can
 * load and drive.
 *
 * In a private directory (mkdtemp):
 *   1. write the shim headers (include/pthread.h), kept here as strings so
 *      that pvcheck works from any directory and after installation;
 *   2. cc -std=gnu11 -O2 -g -fPIC -fsanitize=thread -I<dir>/include [-D...]
 *         -c PROGRAM.c -o prog.o
 *      (-fsanitize=thread makes the compiler call __tsan_* for every atomic
 *      and plain access; see tsan.c);
 *   3. objcopy --redefine-syms=redirect.map prog.o: libc names the program
 *      uses (pthread_create, malloc, abort, __assert_fail, ...) become runc_
 *      names (rt.h).  Renaming symbols rather than defining macros in shim
 *      headers also catches calls through function pointers and from libc
 *      macros, and leaves the program's own identifiers alone;
 *   4. cc -shared -Wl,-z,norelro -Wl,-Bsymbolic -o prog.so prog.o, without
 *      libtsan: the __tsan_* and runc_* references stay undefined and bind
 *      to the pvcheck executable (linked -rdynamic) when loaded.  norelro
 *      keeps the whole data segment writable, so one copy resets it;
 *      -Bsymbolic binds the program's references to its own globals even if
 *      pvcheck exports a symbol of the same name.
 *
 * The compiler and objcopy run as child processes (posix_spawnp, no
 * shell); their diagnostics are returned to the caller.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lib/bug.h"
#include "lib/spawn.h"
#include "runc/runc_int.h"
#include "runc/rt.h"
#include "runc/tsan_iface.h"

/* ==== Shim headers ======================================================= */

/*
 * <pthread.h>: the system header, plus a compile-time error for every
 * function pvcheck cannot run (the same list is renamed to a runtime stub
 * that reports "unsupported", for calls the compiler cannot see).
 */
#define UNSUP_ATTR(name)						\
	"extern __typeof__(" #name ") " #name " PVCHECK_UNSUPPORTED;\n"

static const char shim_pthread_h[] =
	"/* pvcheck run: shim over the system <pthread.h> (generated) */\n"
	"#include_next <pthread.h>\n"
	"#ifndef PVCHECK_SHIM_PTHREAD_H\n"
	"#define PVCHECK_SHIM_PTHREAD_H\n"
	"#include <semaphore.h>\n"
	"#include <signal.h>\n"
	"#if defined(__clang__)\n"
	"#define PVCHECK_UNSUPPORTED __attribute__((__unavailable__(\"not supported by pvcheck run\")))\n"
	"#else\n"
	"#define PVCHECK_UNSUPPORTED __attribute__((__error__(\"not supported by pvcheck run\")))\n"
	"#endif\n"
	UNSUP_ATTR(pthread_cancel)
	UNSUP_ATTR(pthread_kill)
	UNSUP_ATTR(pthread_mutex_timedlock)
	UNSUP_ATTR(pthread_rwlock_tryrdlock)
	UNSUP_ATTR(pthread_rwlock_timedrdlock)
	UNSUP_ATTR(pthread_rwlock_timedwrlock)
	UNSUP_ATTR(pthread_cond_timedwait)
	UNSUP_ATTR(pthread_barrier_init)
	UNSUP_ATTR(pthread_barrier_wait)
	UNSUP_ATTR(pthread_key_create)
	UNSUP_ATTR(pthread_getspecific)
	UNSUP_ATTR(pthread_setspecific)
	UNSUP_ATTR(sem_timedwait)
	"#undef PVCHECK_UNSUPPORTED\n"
	"#endif\n";

/* <threads.h>: C11 threads are not supported yet; say so at compile time. */
static const char shim_threads_h[] =
	"/* pvcheck run: C11 <threads.h> is not supported; use <pthread.h> */\n"
	"#error \"pvcheck run: <threads.h> is not supported yet; use <pthread.h>\"\n";

static const struct {
	const char *name;
	const char *text;
} shims[] = {
	{ "pthread.h", shim_pthread_h },
	{ "threads.h", shim_threads_h },
};

/* The objcopy symbol map: one "old new" line per renaming. */
static int write_redirect_map(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
#if defined(__x86_64__)		/* through entry.c's stubs */
#define MAP_LINE(libc, runc) fprintf(f, "%s runc_e_%s\n", #libc, #runc);
#define TSAN_LINE(name) fprintf(f, "%s runc_e_%s\n", #name, #name);
	TSAN_ATOMIC_ALL_NAMES(TSAN_LINE)
#undef TSAN_LINE
#else
#define MAP_LINE(libc, runc) fprintf(f, "%s %s\n", #libc, #runc);
#endif
	RUNC_REDIRECTS(MAP_LINE)
#undef MAP_LINE
#define UNSUP_LINE(name) fprintf(f, "%s runc_unsupported_%s\n", #name, #name);
	RUNC_UNSUPPORTED(UNSUP_LINE)
#undef UNSUP_LINE
	return fclose(f) ? -errno : 0;
}

/* ==== The build ========================================================== */

/**
 * runc_build - compile @p->src_path into @p->so_path in a new temp dir.
 * @p: the program (src_path set; dir and so_path filled in).
 * @ro: -D definitions and the compiler.
 * @err: receives the compiler's diagnostics or the system error.
 *
 * Context: process context; runs the compiler and objcopy.
 * Return: 0, EXIT_INPUT if the program does not compile, EXIT_USAGE on a
 * system error (no temp dir, no compiler).
 */
int runc_build(struct runc_prog *p, const struct runc_opts *ro, char *err, size_t errlen)
{
	char path[512], inc[300], obj[300], map[300], out[8192];
	const char *tmp = getenv("TMPDIR");
	int rc;

	snprintf(p->dir, sizeof(p->dir), "%s/pvcheck-run-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p->dir)) {
		snprintf(err, errlen, "cannot create a temporary directory %s: %s",
			 p->dir, strerror(errno));
		p->dir[0] = 0;
		return EXIT_USAGE;
	}
	snprintf(inc, sizeof(inc), "%s/include", p->dir);
	snprintf(obj, sizeof(obj), "%s/prog.o", p->dir);
	snprintf(map, sizeof(map), "%s/redirect.map", p->dir);
	snprintf(p->so_path, sizeof(p->so_path), "%s/prog.so", p->dir);
	if (mkdir(inc, 0700)) {
		snprintf(err, errlen, "cannot create %s: %s", inc, strerror(errno));
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(shims) / sizeof(shims[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", inc, shims[i].name);
		if ((rc = pvm_write_file(path, shims[i].text))) {
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(-rc));
			return EXIT_USAGE;
		}
	}
	if ((rc = write_redirect_map(map))) {
		snprintf(err, errlen, "cannot write %s: %s", map, strerror(-rc));
		return EXIT_USAGE;
	}

	const char *cc = ro && ro->cc ? ro->cc : getenv("CC");
	if (!cc || !*cc)
		cc = "cc";
	int ndefs = ro ? ro->ndefs : 0;
	const char **argv = calloc((size_t)ndefs + 24, sizeof(*argv));
	char **defs = calloc((size_t)ndefs + 1, sizeof(*defs));
	char incflag[320];
	if (!argv || !defs) {
		free(argv);
		free(defs);
		snprintf(err, errlen, "out of memory");
		return EXIT_USAGE;
	}
	snprintf(incflag, sizeof(incflag), "-I%s", inc);
	int n = 0;
	argv[n++] = cc;
	argv[n++] = "-std=gnu11";
	/*
	 * -O2 rather than -O1: fewer dead values are left in stack slots, so
	 * logically equal states hash equal more often under --stateful
	 * (rf.c (2,1,2): 48 k states against 101 k).  Atomics are never
	 * removed; plain accesses are optimised as in the user's real build.
	 *
	 * -fno-inline: a helper keeps its own frame, so its locals die when
	 * it returns, and the next runtime entry wipes them (entry.c), where
	 * inlined they would live on in the caller's frame with stale values
	 * (rf.c's get_page_unless_zero leaves its c behind).  rf.c (3,1,2)
	 * with --commute-adds: 1.05 M states against 2.05 M.  Inlining
	 * decisions do not change what a program does under sequential
	 * consistency: the same atomics run in the same order.
	 */
	argv[n++] = "-O2";
	argv[n++] = "-fno-inline";
	argv[n++] = "-g";
	argv[n++] = "-fPIC";
	argv[n++] = "-fsanitize=thread";
	argv[n++] = "-fno-stack-protector";
	argv[n++] = "-fdiagnostics-color=never";
	argv[n++] = "-D__PVCHECK__=1";
	argv[n++] = incflag;
	for (int i = 0; i < ndefs; i++) {
		const char *d = ro->defs[i];
		if (!strncmp(d, "-D", 2) || !strncmp(d, "-U", 2)) {
			argv[n++] = d;
		} else if ((defs[i] = malloc(strlen(d) + 3))) {
			sprintf(defs[i], "-D%s", d);
			argv[n++] = defs[i];
		}
	}
	argv[n++] = "-c";
	argv[n++] = p->src_path;
	argv[n++] = "-o";
	argv[n++] = obj;
	argv[n] = NULL;
	rc = pvm_run((char *const *)argv, out, sizeof(out));
	for (int i = 0; i < ndefs; i++)
		free(defs[i]);
	free(defs);
	free(argv);
	if (rc < 0) {
		snprintf(err, errlen, "cannot run the compiler '%s': %s", cc, strerror(-rc));
		return EXIT_USAGE;
	}
	if (rc > 0) {
		pvm_diag(err, errlen, "the program does not compile", out);
		return EXIT_INPUT;
	}

	char mapflag[320];
	snprintf(mapflag, sizeof(mapflag), "--redefine-syms=%s", map);
	const char *objcopy_argv[] = { "objcopy", mapflag, obj, NULL };
	rc = pvm_run((char *const *)objcopy_argv, out, sizeof(out));
	if (rc) {
		if (rc < 0)
			snprintf(err, errlen, "cannot run objcopy: %s", strerror(-rc));
		else
			pvm_diag(err, errlen, "objcopy failed", out);
		return EXIT_USAGE;
	}

	const char *link_argv[] = {
		cc, "-shared", "-Wl,-z,norelro", "-Wl,-Bsymbolic", "-o", p->so_path, obj, NULL
	};
	rc = pvm_run((char *const *)link_argv, out, sizeof(out));
	if (rc) {
		if (rc < 0)
			snprintf(err, errlen, "cannot run the compiler '%s': %s", cc, strerror(-rc));
		else
			pvm_diag(err, errlen, "the program does not link", out);
		return rc < 0 ? EXIT_USAGE : EXIT_INPUT;
	}
	return 0;
}
