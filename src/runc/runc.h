/* SPDX-License-Identifier: MIT */
/*
 * runc.h - `pvcheck run PROGRAM.c`: put an ordinary C11 program that uses
 * <pthread.h>, <stdatomic.h> and <assert.h> under the explorer.
 *
 * The program is compiled by the system C compiler into a shared object,
 * with shim headers (src/runc/include) that route pthread calls to the
 * engine and with -fsanitize=thread instrumentation whose callbacks
 * (__tsan_atomic*, __tsan_read*, ...) this module implements, so that every
 * atomic access, in any syntax (atomic_load, _explicit forms, x++ on an
 * _Atomic object), becomes a visible operation.  The object is loaded with
 * dlopen(); its writable data segment is snapshotted after loading and
 * restored before every execution.
 *
 * See doc/run.md for what is supported.  The strings in a result's trace
 * and finding (file names, assertion text) live in the loaded program:
 * print or copy the result before runc_release().
 */
#ifndef PVM_RUNC_RUNC_H
#define PVM_RUNC_RUNC_H

#include <stddef.h>
#include "check/explore.h"

struct runc_opts {
	const char *const *defs;	/* "-DNAME=VAL" or "NAME=VAL" strings */
	int ndefs;
	const char *cc;			/* compiler; NULL: $CC or "cc" */
	bool keep_temps;		/* keep the build directory (debugging) */
	bool no_spin_wait;		/* do not turn busy-wait loops into waits */
	bool races;			/* report data races on plain accesses */
};

/**
 * runc_prepare - compile and load @path, fill @prog for explore().
 * Context: process context; runs the compiler as a child process.
 * Return: 0; EXIT_INPUT (3) if the program does not compile or uses an
 * unsupported construct (message in @err, with the compiler's
 * file:line:col diagnostics); EXIT_USAGE (2) on a system error.
 */
int runc_prepare(const char *path, const struct runc_opts *ro,
		 struct program *prog, char *err, size_t errlen);

/**
 * runc_release - unload the program and remove its temporary files.
 * @prog: as filled by runc_prepare (NULL or released: nothing to do).
 */
void runc_release(struct program *prog);

#endif /* PVM_RUNC_RUNC_H */
