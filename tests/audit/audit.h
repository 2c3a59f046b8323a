/* SPDX-License-Identifier: MIT */
/*
 * audit.h - the model audit's runtime (audit_rt.c), linked into the audit
 * binaries of `make audit`: build/audit/pvaudit (catalog and scenario files)
 * and build/audit/test_model_paths (the unit-test worlds).
 */
#ifndef PVM_TESTS_AUDIT_H
#define PVM_TESTS_AUDIT_H

#include <stdint.h>
#include <stdio.h>

/* Name the scenario the following explorations belong to (for reports). */
void audit_begin(const char *scenario);
/* Distinct unannounced dependencies found so far. */
uint64_t audit_found(void);
void audit_summary(FILE *out);

#endif /* PVM_TESTS_AUDIT_H */
