// SPDX-License-Identifier: MIT
/*
 * spawn.c - child processes and small files for the user-C builds
 * (see spawn.h).
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lib/spawn.h"

extern char **environ;

int pvm_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

int pvm_run(char *const argv[], char *out, size_t outlen)
{
	int pfd[2];
	if (pipe(pfd))
		return -errno;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc) {
		close(pfd[0]);
		return -rc;
	}
	size_t n = 0;
	char buf[4096];
	ssize_t r;
	while ((r = read(pfd[0], buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		size_t take = (size_t)r;
		if (outlen && n + take >= outlen)
			take = outlen - 1 - n;
		memcpy(out + n, buf, take);
		n += take;
	}
	if (outlen)
		out[n] = 0;
	close(pfd[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

void pvm_diag(char *err, size_t errlen, const char *what, const char *output)
{
	snprintf(err, errlen, "%s%s%s", what, output && *output ? ":\n" : "",
		 output ? output : "");
	/* drop a trailing newline: the caller prints the message with one */
	size_t l = strlen(err);
	while (l && err[l - 1] == '\n')
		err[--l] = 0;
}
