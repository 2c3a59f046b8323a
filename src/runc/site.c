// SPDX-License-Identifier: MIT
/*
 * site.c - map a return address in the program to its source file:line.
 *
 * Only needed while the explorer records a trace for a report (vis_recording),
 * so it may be slow the first time: the program's object is handed to one
 * `addr2line` child, started on first use and kept for the program's
 * lifetime; answers are cached by address.  Without addr2line, sites name
 * the program file with line 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "runc/runc_int.h"

extern char **environ;

/* Start `addr2line -e prog.so`, reading addresses from a pipe. */
static bool a2l_start(struct runc_prog *p)
{
	int in[2], out[2];
	if (p->a2l_failed)
		return false;
	p->a2l_failed = true;		/* until it worked */
	if (pipe(in))
		return false;
	if (pipe(out)) {
		close(in[0]);
		close(in[1]);
		return false;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	const char *argv[] = { "addr2line", "-f", "-e", p->so_path, NULL };
	pid_t pid;
	int rc = posix_spawnp(&pid, "addr2line", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	if (rc) {
		close(in[1]);
		close(out[0]);
		return false;
	}
	p->a2l_pid = pid;
	p->a2l_in = in[1];
	p->a2l_out = out[0];
	p->a2l_failed = false;
	return true;
}

/* Stop our addr2line child (by its pid) and close the pipes. */
static void a2l_stop(struct runc_prog *p)
{
	if (p->a2l_pid <= 0)
		return;
	close(p->a2l_in);
	close(p->a2l_out);
	waitpid(p->a2l_pid, NULL, 0);	/* exits on EOF */
	p->a2l_pid = -1;
}

/* Keep a copy of @s for the program's lifetime. Return: the copy or NULL. */
static const char *intern(struct runc_prog *p, const char *s)
{
	for (size_t i = 0; i < p->nstrs; i++)
		if (!strcmp(p->strs[i], s))
			return p->strs[i];
	char **n = realloc(p->strs, (p->nstrs + 1) * sizeof(*n));
	if (!n)
		return NULL;
	p->strs = n;
	if (!(n[p->nstrs] = strdup(s)))
		return NULL;
	return n[p->nstrs++];
}

/* Read one line from addr2line into @buf. Return: false on EOF or error. */
static bool a2l_line(struct runc_prog *p, char *buf, size_t len)
{
	size_t n = 0;
	while (n + 1 < len) {
		ssize_t r = read(p->a2l_out, buf + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = 0;
	return true;
}

/*
 * Ask addr2line about @addr (an address inside the loaded object).
 * Return: true and *func (may be NULL), *file, *line set on an answer.
 */
static bool a2l_query(struct runc_prog *p, uintptr_t addr, const char **func,
		      const char **file, int *line)
{
	char fn[256], buf[1024];

	if (p->a2l_pid <= 0 && !a2l_start(p))
		return false;
	int len = snprintf(buf, sizeof(buf), "0x%lx\n", (unsigned long)(addr - p->base));
	/* a dead addr2line must not kill us with SIGPIPE */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	sigaction(SIGPIPE, &ign, &old);
	ssize_t w = write(p->a2l_in, buf, (size_t)len);
	sigaction(SIGPIPE, &old, NULL);
	if (w != len ||
	    !a2l_line(p, fn, sizeof(fn)) || !a2l_line(p, buf, sizeof(buf))) {
		a2l_stop(p);
		p->a2l_failed = true;
		return false;
	}
	*func = fn[0] && fn[0] != '?' ? intern(p, fn) : NULL;
	/* "file:line" or "file:line (discriminator N)" or "??:0" / "??:?" */
	char *sp = strstr(buf, " (discriminator");
	if (sp)
		*sp = 0;
	char *colon = strrchr(buf, ':');
	if (!colon || buf[0] == '?')
		return false;
	*colon = 0;
	*line = atoi(colon + 1);
	const char *base = strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
	/* the program's own file: name it as the user did */
	*file = !strcmp(base, p->name) ? p->src_path : intern(p, buf);
	return *file != NULL;
}

/**
 * runc_func_name - the name of the program's function at @fn (static
 * functions included, unlike dladdr).
 * @fn: a function's address inside the program.
 *
 * Context: slow (addr2line); callers cache.
 * Return: the name, valid until runc_release, or NULL.
 */
const char *runc_func_name(const void *fn)
{
	const char *func = NULL, *file;
	int line;
	a2l_query(runc_cur, (uintptr_t)fn, &func, &file, &line);
	return func;
}

/**
 * runc_site - the site of an operation whose call returns to @pc.
 * @pc: a return address inside the program.
 * @what: the operation's name.
 *
 * Context: program thread, while recording (slow on a cache miss).
 * Return: file:line of the call, or the program file with line 0.
 */
struct vis_site runc_site(uintptr_t pc, const char *what)
{
	struct runc_prog *p = runc_cur;
	struct vis_site s = { .file = p->src_path, .what = what };

	if (!p->sites) {
		p->nsite_slots = 4096;
		p->sites = calloc(p->nsite_slots, sizeof(*p->sites));
		if (!p->sites)
			return s;
	}
	size_t mask = p->nsite_slots - 1;
	size_t i = (size_t)((pc * 0x9E3779B97F4A7C15ULL) >> 40) & mask;
	for (;; i = (i + 1) & mask) {
		struct runc_site_ent *e = &p->sites[i];
		if (e->pc == pc) {
			s.file = e->file;
			s.line = e->line;
			return s;
		}
		if (!e->pc)
			break;
	}
	const char *file, *func;
	int line;
	if (!a2l_query(p, pc - 1, &func, &file, &line)) {
		file = p->src_path;
		line = 0;
	}
	if (p->nsites < p->nsite_slots / 2) {
		p->sites[i].pc = pc;
		p->sites[i].file = file;
		p->sites[i].line = line;
		p->nsites++;
	}
	s.file = file;
	s.line = line;
	return s;
}

/**
 * runc_sites_free - stop addr2line and free the cache and interned names.
 * @p: the program.
 */
void runc_sites_free(struct runc_prog *p)
{
	a2l_stop(p);
	free(p->sites);
	p->sites = NULL;
	for (size_t i = 0; i < p->nstrs; i++)
		free(p->strs[i]);
	free(p->strs);
	p->strs = NULL;
	p->nstrs = 0;
}

/**
 * runc_data_name - name the program variable that holds @addr, from the
 * object's full symbol table (static variables included, unlike dladdr).
 * @addr: an address in the program's data.
 * @buf: receives "`name'" or "`name'+offset".
 * @len: its size.
 *
 * Context: slow (reads the object file); for reports only.
 * Return: true if a variable was found.
 */
bool runc_data_name(const void *addr, char *buf, size_t len)
{
	struct runc_prog *p = runc_cur;
	bool found = false;
	struct stat st;
	int fd = open(p->so_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) || (size_t)st.st_size < sizeof(ElfW(Ehdr))) {
		close(fd);
		return false;
	}
	size_t size = (size_t)st.st_size;
	const char *img = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return false;
	const ElfW(Ehdr) *eh = (const void *)img;
	uintptr_t want = (uintptr_t)addr - p->base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_shentsize != sizeof(ElfW(Shdr)) ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(ElfW(Shdr)) > size)
		goto out;
	const ElfW(Shdr) *sh = (const void *)(img + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum && !found; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const ElfW(Shdr) *strs = &sh[sh[i].sh_link];
		if (sh[i].sh_offset + sh[i].sh_size > size || strs->sh_offset + strs->sh_size > size)
			continue;
		const ElfW(Sym) *sym = (const void *)(img + sh[i].sh_offset);
		size_t n = sh[i].sh_size / sizeof(*sym);
		for (size_t k = 0; k < n; k++) {
			if (ELF64_ST_TYPE(sym[k].st_info) != STT_OBJECT ||
			    want < sym[k].st_value || want >= sym[k].st_value + sym[k].st_size ||
			    sym[k].st_name >= strs->sh_size)
				continue;
			const char *name = img + strs->sh_offset + sym[k].st_name;
			size_t off = want - sym[k].st_value;
			if (off)
				snprintf(buf, len, "`%s'+%zu", name, off);
			else
				snprintf(buf, len, "`%s'", name);
			found = true;
			break;
		}
	}
out:
	munmap((void *)(uintptr_t)img, size);
	return found;
}

/*
 * A pointer into the program's memory named so that it reads the same in
 * every run (addresses differ between runs): "x" or "x+8" for a variable,
 * "heap+64" for the per-execution heap, "fn" for a function, "a local" on
 * a thread's stack.  Return: false when @addr is none of these.
 */
static bool symbolic(const void *addr, char *buf, size_t n)
{
	struct runc_prog *p = runc_cur;
	uintptr_t a = (uintptr_t)addr;
	char q[96];

	if (p->heap && a >= (uintptr_t)p->heap && a - (uintptr_t)p->heap < RUNC_HEAP_SIZE) {
		snprintf(buf, n, "heap+%zu", (size_t)(a - (uintptr_t)p->heap));
		return true;
	}
	for (int i = 0; i < p->nsegs; i++)
		if (a >= (uintptr_t)p->segs[i].addr &&
		    a - (uintptr_t)p->segs[i].addr < p->segs[i].len) {
			if (!runc_data_name(addr, q, sizeof(q)))
				snprintf(buf, n, "data+%zu", (size_t)(a - p->base));
			else if (strchr(q + 1, '\''))	/* "`x'" or "`x'+8" */
				snprintf(buf, n, "%.*s%s", (int)(strchr(q + 1, '\'') - q - 1), q + 1,
					 strchr(q + 1, '\'') + 1);
			else
				snprintf(buf, n, "%s", q);
			return true;
		}
	if (a >= p->text_lo && a < p->text_hi) {
		const char *f = runc_func_name(addr);
		snprintf(buf, n, "%s", f ? f : "code");
		return true;
	}
	for (int t = 0; t < EXPLORE_MAX_THREADS; t++) {
		const struct runc_thread *th = p->by_tid[t];
		uintptr_t hi = th ? (uintptr_t)th->stack_base : 0;
		if (hi && a < hi && hi - a < ((uintptr_t)256 << 10)) {
			snprintf(buf, n, "a local");
			return true;
		}
	}
	return false;
}

/**
 * runc_obj_name - the name of the object at @addr for a trace's notes: a
 * variable of the program ("x", "arr+8"), "heap+64", "a local", or "?".
 * @addr: the object.
 * @buf: room for the name.
 * @n: its size.
 *
 * Context: program thread, while recording (slow the first time: reads the
 * object's symbol table; cached per address).
 * Return: the name (in @buf or the cache).
 */
const char *runc_obj_name(const volatile void *addr, char *buf, size_t n)
{
	struct runc_prog *p = runc_cur;
	const void *a = (const void *)(uintptr_t)addr;

	for (int i = 0; i < p->nobjnames; i++)
		if (p->objnames[i].addr == a)
			return p->objnames[i].name;
	if (!symbolic(a, buf, n))
		snprintf(buf, n, "?");
	if (p->nobjnames < (int)(sizeof(p->objnames) / sizeof(p->objnames[0]))) {
		struct runc_objname *e = &p->objnames[p->nobjnames++];
		e->addr = a;
		snprintf(e->name, sizeof(e->name), "%s", buf);
		return e->name;
	}
	return buf;
}

/**
 * runc_val_str - the value @v of an atomic of @size bytes as a trace note
 * writes it: a signed decimal, or, for a pointer into the program's
 * memory, "&" and its name (runc_obj_name's rules), so that notes read the
 * same in every run.
 * @v: the value (zero-extended).
 * @size: 1, 2, 4 or 8.
 * @buf: room for the text.
 * @n: its size.
 *
 * Context: program thread, while recording.
 * Return: @buf.
 */
const char *runc_val_str(uint64_t v, int size, char *buf, size_t n)
{
	char name[64];

	if (size == 8 && v >= 4096 && symbolic((const void *)(uintptr_t)v, name, sizeof(name))) {
		snprintf(buf, n, "&%s", name);
		return buf;
	}
	switch (size) {
	case 1: snprintf(buf, n, "%d", (int)(int8_t)v); break;
	case 2: snprintf(buf, n, "%d", (int)(int16_t)v); break;
	case 4: snprintf(buf, n, "%d", (int)(int32_t)v); break;
	default: snprintf(buf, n, "%lld", (long long)(int64_t)v); break;
	}
	return buf;
}
