/* SPDX-License-Identifier: MIT */
/*
 * scenario_int.h - helpers shared by the files of src/scenario only.
 */
#ifndef PVM_SCENARIO_SCENARIO_INT_H
#define PVM_SCENARIO_SCENARIO_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "scenario/scenario.h"

/**
 * scn_parse_int - parse a decimal or 0x-hex integer in [0, @max].
 * Return: true and *@out on success; false if @s is not such a number.
 */
bool scn_parse_int(const char *s, int64_t max, int64_t *out);

/** scn_is_ident - does @s match [A-Za-z_][A-Za-z0-9_+.-]* ? */
bool scn_is_ident(const char *s);

/** scn_is_scenario_name - does @s match [A-Za-z0-9_+.-]+ ? */
bool scn_is_scenario_name(const char *s);

/** scn_edit_distance - edit distance (with swaps), 64 if a word is longer than 64. */
int scn_edit_distance(const char *a, const char *b);

#endif /* PVM_SCENARIO_SCENARIO_INT_H */
