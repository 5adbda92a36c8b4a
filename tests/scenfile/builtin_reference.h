/*
 * builtin_reference.h - the built-in scenarios as C code, before they became scenario files:
 * the reference of the round-trip test.
 */
#ifndef TCPSIM_TEST_BUILTIN_REFERENCE_H
#define TCPSIM_TEST_BUILTIN_REFERENCE_H

#include <stddef.h>

#include "sim_scenario.h"

/* Fills sc as the C built-in `name` did; -1 if there is no such built-in. */
int ref_builtin_load(sim_scenario *sc, const char *name);
/* Its summary line, or NULL. */
const char *ref_builtin_summary(const char *name);
/* The i-th built-in's name in list order, NULL past the end. */
const char *ref_builtin_name(size_t i);

#endif
