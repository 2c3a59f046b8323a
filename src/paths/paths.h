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
 * paths_load - compile and load the user path files @files[0..@n), and
 * add each PV_PATH() function as an operation (mdl_op_add) under its name.
 * Loading the same list again is free; another list replaces the last.
 * @err: receives the compiler's diagnostics (file:line:col) or the reason.
 *
 * Context: process context, before the scenario is bound; runs the
 * compiler as a child process.
 * Return: 0; EXIT_INPUT (3) if a file does not compile, registers nothing,
 * has writable globals or names an operation twice; EXIT_USAGE (2) on a
 * system error (no compiler, unreadable file).
 */
int paths_load(const char *const *files, int n, char *err, size_t errlen);

/**
 * paths_unload - forget the user paths (their operations and objects).
 * Context: process context, when no exploration runs.
 */
void paths_unload(void);

#endif /* PVM_PATHS_PATHS_H */
