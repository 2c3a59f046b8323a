// SPDX-License-Identifier: MIT
/*
 * fuzz_trace.c - libFuzzer harness for the JSON trace reader
 * (src/report/tracefile.c: trace_read, trace_meta_free).
 *
 * trace_read() takes a path (it reads with jansson's json_load_file), so
 * each input is written to an anonymous memory file (memfd) and read back
 * through /proc/self/fd/N: no API was added to src for the harness, and no
 * disk file is touched.  A trace that is accepted must satisfy what the
 * replayer relies on (schedule entries in range, knob counts in bounds);
 * a refused one must leave an error message and an empty @meta.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_meta meta;
	char err[512];

	if (fd < 0) {
		fd = memfd_create("fuzz-trace", 0);
		if (fd < 0)
			__builtin_trap();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		__builtin_trap();
	err[0] = '\0';
	if (trace_read(path, &meta, err, sizeof(err)) != 0) {
		if (!err[0] || meta.schedule || meta.scenario || meta.nknobs)
			__builtin_trap();
		return 0;
	}
	if (!meta.scenario || !meta.file || !meta.model || !meta.verdict || !meta.tool)
		__builtin_trap();
	if (meta.nknobs < 0 || meta.nknobs > TRACE_MAX_KNOBS ||
	    meta.noverrides < 0 || meta.noverrides > TRACE_MAX_KNOBS ||
	    meta.schedule_len < 0 || meta.nsteps < 0)
		__builtin_trap();
	for (int i = 0; i < meta.schedule_len; i++)
		if (meta.schedule[i] >= EXPLORE_MAX_THREADS)
			__builtin_trap();
	for (int k = 0; k < meta.nknobs; k++)
		if (!meta.knob_name[k] || !meta.knob_value[k])
			__builtin_trap();
	trace_meta_free(&meta);
	return 0;
}
