/* SPDX-License-Identifier: MIT */
/*
 * paths.h - user paths: kernel code a developer writes in C against
 * include/pvcheck/kernel.h, run by the scenario's threads as operations
 * (doc/paths.md).
 */
#ifndef PVM_PATHS_PATHS_H
#define PVM_PATHS_PATHS_H

#include <stddef.h>

#define PATHS_MAX_FILES 8

/**
 * paths_load - compile and load the user path files @paths[0..@npaths)
 * and the patch files @patches[0..@npatches) (one shared object), add each
 * PV_PATH() function as an operation (mdl_op_add) under its name, and
 * make the model call each function a patch defines (mdl_patches[])
 * instead of its own.  Loading the same lists again is free; other lists
 * replace the last; empty lists unload.
 * @err: receives the compiler's diagnostics (file:line:col) or the reason.
 *
 * Context: process context, before the scenario is bound; runs the
 * compiler as a child process.
 * Return: 0; EXIT_INPUT (3) if a file does not compile, a path file
 * registers nothing, a file has writable globals, an operation is named
 * twice, or a patch defines a function the model cannot replace;
 * EXIT_USAGE (2) on a system error (no compiler, unreadable file).
 */
int paths_load(const char *const *paths, int npaths, const char *const *patches, int npatches,
	       char *err, size_t errlen);

/* paths_patch_desc - Return: "make_secure_pte, ..." as patched now, or NULL. */
const char *paths_patch_desc(void);

/**
 * paths_unload - forget the user paths (their operations and objects).
 * Context: process context, when no exploration runs.
 */
void paths_unload(void);

#endif /* PVM_PATHS_PATHS_H */
