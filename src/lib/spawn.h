/* SPDX-License-Identifier: MIT */
/*
 * spawn.h - run the system compiler and tools as child processes.
 *
 * `pvcheck run PROGRAM.c` (src/runc) and `--paths FILE.c` (src/paths) both
 * compile user C into a shared object; these are the pieces they share.
 * No shell is involved: arguments go to posix_spawnp as given.
 */
#ifndef PVM_LIB_SPAWN_H
#define PVM_LIB_SPAWN_H

#include <stddef.h>

/**
 * pvm_run - run @argv[0] with @argv, collecting stdout and stderr.
 * @out: receives the output, truncated to @outlen - 1 bytes, NUL-ended.
 *
 * Context: process context; blocks until the child exits.
 * Return: the child's exit status (0 success; 128 + signal if killed), or
 * -errno if it could not be started.
 */
int pvm_run(char *const argv[], char *out, size_t outlen);

/**
 * pvm_write_file - create or truncate @path and write the string @text.
 * Return: 0 or -errno.
 */
int pvm_write_file(const char *path, const char *text);

/**
 * pvm_diag - "@what:\n@output" into @err, without the trailing newlines
 * (the caller prints the message with one); just @what if @output is empty.
 */
void pvm_diag(char *err, size_t errlen, const char *what, const char *output);

#endif /* PVM_LIB_SPAWN_H */
