/* SPDX-License-Identifier: MIT */
/*
 * report_int.h - shared by the files of src/report only: the JSON form of a
 * trace, used both by --json and by trace files, so that both carry the
 * same structure.
 */
#ifndef PVM_REPORT_REPORT_INT_H
#define PVM_REPORT_REPORT_INT_H

#include <jansson.h>
#include "report/report.h"

/**
 * report_trace_json - {"threads": [...], "schedule": [...], "steps": [...]}
 * for the trace of @res.  Return: a new reference.
 */
json_t *report_trace_json(const struct explore_result *res);

/** report_finding_json - the "violation" object of @res, or JSON null. */
json_t *report_finding_json(const struct explore_result *res);

#endif /* PVM_REPORT_REPORT_INT_H */
